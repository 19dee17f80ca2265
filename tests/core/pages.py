"""The main public and staff pages of an office, for the checks that visit every page."""

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
