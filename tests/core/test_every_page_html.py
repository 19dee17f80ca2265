"""Every link a member of staff is shown opens for them, and every page is well-formed HTML.

In a small demo office, the crawl starts from the public pages as a citizen, then from the
home page once for each role (leader, office manager, caseworker, read-only volunteer),
and follows each link on the site (up to two pages of each address shape, such as
/cases/N/reply/). No link may answer with an error, "not allowed" included: a link a role
may not follow should not be shown to it. And html5lib, which parses as browsers do, must
report no parse error (a stray end tag, an unclosed element, a duplicate attribute), and
no id may be given to two elements. No list may offer Django's "---------" as its empty
choice.
Browsers repair such faults silently, each in its own way, and a repaired page can put
text outside the element meant to hold it.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from compassion.core import demo
from tests.core.pages import crawl, public_pages


@pytest.mark.django_db
def test_every_link_opens_a_well_formed_page_for_every_role(client: Client) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=500)
    found = crawl(client, public_pages(office), per_shape=1)
    visited = {}
    for username in ("amira", "dan", "priya", "joe"):
        staff = Client()
        staff.force_login(get_user_model().objects.get(username=username))
        pages = crawl(staff, ["/"])
        visited[username] = len(pages)
        found |= {f"{username} {path}": faults for path, faults in pages.items()}
    assert visited["amira"] > 80 and visited["joe"] > 30
    assert {page: faults for page, faults in found.items() if faults} == {}
