from datetime import timedelta

from django.test import Client
from django.utils import timezone

from compassion.commitments.models import Commitment, PublicStatus, StatusChange
from compassion.core.models import AuditEntry, Membership, Role
from tests.conftest import Cast, make_user

EVIDENCE = "https://www.northby.gov.uk/news/library-saved"


def propose(client: Client, commitment: Commitment, **overrides: str):
    data = {
        "to_status": "kept",
        "evidence_url": EVIDENCE,
        "editor_note": "The council voted to keep the library open five days a week.",
        "explanation": "",
    }
    data.update(overrides)
    return client.post(f"/commitments/{commitment.pk}/status/", data)


def test_it_waits_for_a_second_person_before_publishing(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.caseworker)
    assert propose(client, commitment).status_code == 302
    change = StatusChange.objects.get(to_status="kept")
    commitment.refresh_from_db()
    assert change.is_pending
    assert commitment.status == PublicStatus.NOT_RATED
    public = client.get(f"/promises/alice/{commitment.pk}/").content.decode()
    assert "The council voted" not in public

    # The proposer cannot approve their own change.
    client.post(f"/commitments/changes/{change.pk}/review/", {"decision": "approve"})
    change.refresh_from_db()
    assert change.is_pending

    client.force_login(cast.leader)
    client.post(f"/commitments/changes/{change.pk}/review/", {"decision": "approve"})
    change.refresh_from_db()
    commitment.refresh_from_db()
    assert change.approved and change.decided_by == cast.leader
    assert commitment.status == PublicStatus.KEPT
    public = client.get(f"/promises/alice/{commitment.pk}/").content.decode()
    assert "The council voted to keep the library open five days a week." in public
    assert EVIDENCE in public


def test_it_keeps_the_status_when_the_reviewer_rejects(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.caseworker)
    propose(client, commitment)
    change = StatusChange.objects.get(to_status="kept")
    client.force_login(cast.manager)
    reason = "The council has only voted on the budget; the library's hours are not agreed."
    review = f"/commitments/changes/{change.pk}/review/"
    client.post(review, {"decision": "reject", "reason": reason})
    commitment.refresh_from_db()
    assert commitment.status == PublicStatus.NOT_RATED
    change.refresh_from_db()
    assert not change.approved and change.review_note == reason
    # The colleague who proposed it reads why on the commitment's page, and the audit log
    # keeps it; the public never sees a change that was not approved.
    client.force_login(cast.caseworker)
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert "Why it was not approved:</span> The council has only voted on the budget" in page
    entry = AuditEntry.objects.get(object_type="statuschange", object_id=str(change.pk))
    assert entry.user == cast.manager and reason[:40] in entry.summary
    assert (
        "only voted on the budget"
        not in client.get(f"/promises/alice/{commitment.pk}/").content.decode()
    )
    # A second review of the same change does nothing.
    client.force_login(cast.leader)
    client.post(f"/commitments/changes/{change.pk}/review/", {"decision": "approve"})
    commitment.refresh_from_db()
    assert commitment.status == PublicStatus.NOT_RATED


def test_it_asks_the_reviewer_why_they_reject(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.caseworker)
    propose(client, commitment)
    change = StatusChange.objects.get(to_status="kept")
    client.force_login(cast.manager)
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert '<textarea id="reject-reason" name="reason"' in page
    review = f"/commitments/changes/{change.pk}/review/"
    response = client.post(review, {"decision": "reject", "reason": "  "}, follow=True)
    assert "Say briefly why you reject it" in response.content.decode()
    assert StatusChange.objects.get(pk=change.pk).is_pending


def test_it_applies_at_once_when_no_review_is_asked(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    commitment.review_status_changes = False
    commitment.save()
    client.force_login(cast.leader)
    propose(client, commitment, to_status="in_the_works")
    commitment.refresh_from_db()
    assert commitment.status == PublicStatus.IN_THE_WORKS


def test_it_needs_evidence_a_note_and_for_a_broken_promise_an_explanation(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.leader)
    response = propose(
        client, commitment, to_status="broken", evidence_url="not a link", editor_note="  "
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid URL." in page
    assert "why the promise is broken" in page
    assert "This field is required." in page
    assert propose(client, commitment, to_status="overdue").status_code == 200
    assert StatusChange.objects.filter(decided_at__isnull=True).count() == 0


def test_it_shows_a_broken_promise_with_the_leaders_explanation(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    commitment.review_status_changes = False
    commitment.save()
    client.force_login(cast.leader)
    propose(
        client,
        commitment,
        to_status="broken",
        explanation="The council closed it despite our campaign; I should not have promised it.",
    )
    client.logout()
    page = client.get(f"/promises/alice/{commitment.pk}/").content.decode()
    assert "Why this promise was broken" in page
    assert "I should not have promised it." in page
    assert 'aria-current="true"' in page


def test_it_allows_one_pending_change_at_a_time(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.caseworker)
    propose(client, commitment)
    propose(client, commitment, to_status="stalled")
    assert StatusChange.objects.filter(decided_at__isnull=True).count() == 1


def test_it_shows_overdue_once_the_deadline_passes(cast: Cast, commitment: Commitment) -> None:
    today = timezone.localdate()
    commitment.deadline = today - timedelta(days=1)
    commitment.status = PublicStatus.IN_THE_WORKS
    commitment.save()
    assert commitment.meter_status(today) == PublicStatus.OVERDUE
    assert list(Commitment.objects.overdue(today)) == [commitment]
    commitment.status = PublicStatus.KEPT
    assert commitment.meter_status(today) == PublicStatus.KEPT


def test_it_never_lets_another_office_review_or_change(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.caseworker)
    propose(client, commitment)
    change = StatusChange.objects.get(to_status="kept")
    client.force_login(cast.outsider)
    assert propose(client, commitment).status_code == 404
    response = client.post(f"/commitments/changes/{change.pk}/review/", {"decision": "approve"})
    assert response.status_code == 404
    assert StatusChange.objects.get(pk=change.pk).is_pending


def test_it_refuses_public_notes_that_identify_a_citizen(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.leader)
    named = propose(client, commitment, editor_note="As  JOAN smith told us, the library is saved.")
    assert "This names Joan Smith, one of the people who asked" in named.content.decode()
    emailed = propose(client, commitment, explanation="Write to joan@example.com for details.")
    assert "seems to hold an email address" in emailed.content.decode()
    phoned = propose(client, commitment, editor_note="Call her on 07700 900123 about it.")
    assert "seems to hold a phone number" in phoned.content.decode()
    assert not StatusChange.objects.filter(to_status="kept").exists()
    reworded = client.post(
        f"/commitments/{commitment.pk}/reword/",
        {"wording": "I will keep it open.", "reason": "Joan Smith asked me to."},
    )
    assert "This names Joan Smith" in reworded.content.decode()
    assert not commitment.rewordings.exists()


def test_only_the_leader_or_the_manager_publishes_a_change_of_status(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    """Two caseworkers between them could declare the leader's promise kept in public."""
    client.force_login(cast.caseworker)
    propose(client, commitment, editor_note="the river group says its done!!")
    change = StatusChange.objects.get(to_status="kept")
    colleague = make_user("cara", cast.office, Role.CASEWORKER)
    client.force_login(colleague)
    for decision in ({"decision": "approve"}, {"decision": "reject", "reason": "Not yet."}):
        response = client.post(f"/commitments/changes/{change.pk}/review/", decision)
        assert response.status_code == 403
    change.refresh_from_db()
    commitment.refresh_from_db()
    assert change.is_pending and commitment.status == PublicStatus.NOT_RATED

    client.force_login(cast.manager)
    client.post(f"/commitments/changes/{change.pk}/review/", {"decision": "approve"})
    commitment.refresh_from_db()
    assert commitment.status == PublicStatus.KEPT


def test_the_history_says_who_recorded_a_change_and_who_reviewed_one(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    """A change that took effect at once was recorded, not proposed: "proposed by" read as
    if it still waited for someone."""
    commitment.review_status_changes = False
    commitment.save()
    client.force_login(cast.leader)
    propose(client, commitment, to_status="in_the_works")
    commitment.review_status_changes = True
    commitment.save()
    client.force_login(cast.caseworker)
    propose(client, commitment)
    client.force_login(cast.manager)
    change = StatusChange.objects.get(to_status="kept")
    client.post(f"/commitments/changes/{change.pk}/review/", {"decision": "approve"})
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    leader, manager = cast.leader.get_full_name(), cast.manager.get_full_name()
    caseworker = cast.caseworker.get_full_name()
    assert f"recorded by {leader}" in page
    assert f"proposed by {caseworker}, reviewed by {manager}" in page
    assert f"proposed by {leader}" not in page


def test_a_leader_with_no_manager_is_told_no_one_can_review_and_can_withdraw(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    """In an office of a leader and caseworkers, the leader's proposed change waited for good:
    no one else may review it, and a second change could not be proposed beside it."""
    Membership.objects.filter(user=cast.manager).update(role=Role.CASEWORKER)
    client.force_login(cast.leader)
    form = client.get(f"/commitments/{commitment.pk}/status/").content.decode()
    assert "No one but you in this office can review it" in form
    propose(client, commitment)
    change = StatusChange.objects.get(to_status="kept")
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert "this office has no one else in those roles" in page
    assert "Withdraw my proposal" in page

    client.force_login(cast.caseworker)  # only the proposer takes it back
    assert client.post(f"/commitments/changes/{change.pk}/withdraw/").status_code == 404
    client.force_login(cast.leader)
    client.post(f"/commitments/changes/{change.pk}/withdraw/")
    change.refresh_from_db()
    assert change.is_withdrawn and not change.is_pending
    assert AuditEntry.objects.filter(summary__startswith="Withdrew the proposed change").exists()
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert f"proposed and withdrawn by {cast.leader.get_full_name()}" in page
    assert (
        "The council voted" not in client.get(f"/promises/alice/{commitment.pk}/").content.decode()
    )

    commitment.review_status_changes = False
    commitment.save()
    propose(client, commitment)
    commitment.refresh_from_db()
    assert commitment.status == PublicStatus.KEPT


def test_with_a_manager_the_hint_is_not_shown(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    client.force_login(cast.leader)
    form = client.get(f"/commitments/{commitment.pk}/status/").content.decode()
    assert "No one but you" not in form
    propose(client, commitment)
    page = client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert "no one else in those roles" not in page
