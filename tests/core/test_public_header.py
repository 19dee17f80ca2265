"""Every page a citizen reads names, in its header, the office it belongs to."""

import pytest
from django.test import Client

from compassion.commonground.models import Conversation
from tests.conftest import Cast

PAGES = [
    "/promises/alice/",
    "/write-to-us/alice/",
    "/you-said-we-did/alice/",
    "/have-your-say/alice/town-centre/",
    "/have-your-say/alice/town-centre/report/",
]


@pytest.mark.parametrize("path", PAGES)
def test_it_names_the_office_in_the_header(client: Client, cast: Cast, path: str) -> None:
    Conversation.objects.create(
        office=cast.office,
        title="Town centre",
        question="What should the town centre be like?",
        slug="town-centre",
        report_published=True,
    )
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<span class="brand-office">Office of Alice MP</span>' in html
    assert '<a class="brand" href="/promises/alice/">' in html  # not the staff login
