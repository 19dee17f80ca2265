"""The pages of an office, for the checks that visit every page: its main public and
staff pages, and a crawl that finds every page a user is shown a link to."""

import re
from collections import Counter

import html5lib
from django.test import Client

from compassion.cases.models import Case
from compassion.commitments.models import Commitment
from compassion.commonground.models import Conversation
from compassion.core.models import Office, Person
from compassion.voices.models import Voice

STAFF_PAGES = [
    "/",
    "/inbox/",
    "/inbox/campaigns/",
    "/inbox/note/",
    "/cases/",
    "/cases/team/",
    "/cases/obstacles/",
    "/people/",
    "/audit/",
    "/staff/",
    "/password/",
    "/team/",
    "/team/results/",
    "/team/check-ins/",
    "/team/learning/",
    "/commitments/",
    "/commitments/overdue/",
    "/common-ground/",
    "/insights/",
    "/insights/equity/",
    "/insights/briefing/",
    "/insights/voices/",
    "/insights/areas/",
]


def public_pages(office: Office) -> list[str]:
    promise = Commitment.objects.filter(office=office).first()
    conversation = Conversation.objects.filter(office=office).first()
    return [
        "/login/",
        f"/write-to-us/{office.slug}/",
        f"/have-your-say/{office.slug}/{conversation.slug}/",
        f"/promises/{office.slug}/",
        f"/promises/{office.slug}/{promise.pk}/",
    ]


def staff_pages(office: Office) -> list[str]:
    """The staff pages, and one record of each kind."""
    first = {
        "cases": Case.objects.filter(office=office).first(),
        "inbox": Voice.objects.filter(office=office).first(),
        "people": Person.objects.filter(office=office).first(),
        "commitments": Commitment.objects.filter(office=office).first(),
        "common-ground": Conversation.objects.filter(office=office).first(),
    }
    return STAFF_PAGES + [f"/{prefix}/{record.pk}/" for prefix, record in first.items()]


LINK = re.compile(r'href="(/[^"#]*)"')


def parse_errors(html: str) -> list[str]:
    """Each parse error as its code and the line it is on, and each id given to more than
    one element (a label or an error message then points at the wrong field)."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    document = parser.parse(html)
    lines = html.splitlines()
    ids = Counter(element.get("id") for element in document.iter() if element.get("id"))
    return [
        f"{code} {data}: {lines[line - 1].strip()[:120]}" for (line, _), code, data in parser.errors
    ] + [f"id {name!r} used {count} times" for name, count in ids.items() if count > 1]


def technical_words(html: str) -> list[str]:
    """Django's own wording, which a user should never read: "---------" as a list's empty
    choice (it should say what choosing nothing means, such as "No one yet")."""
    return ["a list's empty choice reads ---------"] if ">---------</option>" in html else []


def address_shape(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("?")[0])


def crawl(client: Client, start: list[str], per_shape: int = 2) -> dict[str, list[str]]:
    """Visit `start` and every link found from there; the faults of each page visited."""
    queue, seen, shapes, found = list(start), set(), Counter(), {}
    while queue:
        path = queue.pop(0)
        shape = address_shape(path)
        if path in seen or shapes[shape] >= per_shape:
            continue
        seen.add(path)
        shapes[shape] += 1
        response = client.get(path)
        if response.status_code >= 400:
            found[path] = [f"status {response.status_code}"]
            continue
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        found[path] = parse_errors(html) + technical_words(html)
        links = (link.replace("&amp;", "&") for link in LINK.findall(html))
        queue.extend(link for link in links if not link.startswith(("/static/", "/logout")))
    return found


# A panel wider than the column that holds it, or holding something that runs past its edge
# (a long email address ran out of the case page's panel about the person). A wide table
# scrolls inside its own box (.table-scroll), so what it holds is not counted.
PANELS_OVERFLOWING = """[...document.querySelectorAll('.panel')].filter(panel => {
    const right = panel.getBoundingClientRect().right;
    const edge = right - parseFloat(getComputedStyle(panel).paddingRight) + 1;
    return right > panel.parentElement.getBoundingClientRect().right + 1
      || [...panel.querySelectorAll('*')].some(inner =>
        !inner.closest('.table-scroll') && inner.getBoundingClientRect().right > edge);
  }).map(panel => panel.id || panel.getAttribute('aria-labelledby') || panel.className)"""
