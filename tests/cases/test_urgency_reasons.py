"""Why a case is urgent: a risk counted in days says when it was last written of."""

from datetime import datetime

from django.utils import timezone

from compassion.cases.models import with_urgency_reason

EVICTION = "Eviction or homelessness imminent"


def day(text: str) -> datetime:
    return timezone.make_aware(datetime.strptime(text, "%Y-%m-%d %H:%M"))


def test_a_short_lived_risk_is_given_once_as_of_its_latest_message() -> None:
    reasons = with_urgency_reason([], "eviction", day("2026-10-04 09:00"))
    reasons = with_urgency_reason(reasons, "domestic_abuse", day("2026-10-05 09:00"))
    reasons = with_urgency_reason(reasons, "eviction", day("2026-11-29 09:00"))
    assert reasons == ["Domestic abuse", f"{EVICTION} (as of 29 Nov 2026)"]


def test_an_older_message_read_later_does_not_move_the_date_back() -> None:
    """An old mailbox imported after newer mail must not make a risk look older than it is."""
    reasons = with_urgency_reason([], "deadline", day("2026-11-20 09:00"))
    reasons = with_urgency_reason(reasons, "deadline", day("2026-09-01 09:00"))
    assert reasons == ["A court date or deadline within days (as of 20 Nov 2026)"]


def test_a_reason_stored_before_reasons_were_dated_gives_way_to_a_dated_one() -> None:
    reasons = with_urgency_reason(
        [EVICTION, "Marked urgent by Alice"], "eviction", day("2026-11-02 09:00")
    )
    assert reasons == ["Marked urgent by Alice", f"{EVICTION} (as of 2 Nov 2026)"]


def test_a_lasting_risk_is_given_once_without_a_date() -> None:
    reasons = with_urgency_reason(["A child at risk"], "child_at_risk", day("2026-11-02 09:00"))
    assert reasons == ["A child at risk"]
