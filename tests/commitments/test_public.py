import json
from datetime import date
from xml.etree import ElementTree

from django.test import Client

from compassion.commitments.models import Commitment, Milestone, Stocktake
from tests.commitments.conftest import new_commitment
from tests.conftest import Cast

ATOM = "{http://www.w3.org/2005/Atom}"


def private_words(cast: Cast) -> list[str]:
    return [
        "Joan",
        "Smith",
        "joan@example.com",
        "NE-26-00042",
        "damp flat",
        "asthma",
        "nowhere else to study",
        "Charlie",
        "Council undecided in private",
    ]


def everything_public(client: Client, commitment: Commitment) -> str:
    paths = [
        "/promises/alice/",
        f"/promises/alice/{commitment.pk}/",
        "/promises/alice/feed.atom",
        "/promises/alice/feed.json",
        "/promises/alice/widget/",
        "/promises/alice/?q=library",
        "/promises/alice/?status=not_rated&topic=local_services",
    ]
    pages = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        pages.append(response.content.decode())
    return "\n".join(pages)


def test_it_shows_no_private_detail_anywhere_in_public(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    Stocktake.objects.create(
        commitment=commitment,
        likelihood="amber_red",
        progress="Council undecided in private",
        reason="Joan Smith's case",
    )
    public = everything_public(client, commitment)
    assert "Keep Eastfield Library open" in public
    assert "1 person asked for this" in public
    for word in private_words(cast):
        assert word not in public, word
    assert "Amber-red" in public  # the judgement shows, its notes do not
    assert "Who answers for it</dt><dd>Caseworker" in public  # a role, not a name


def test_it_hides_private_commitments_and_other_offices(client: Client, cast: Cast) -> None:
    hidden = new_commitment(cast, title="Team lunch breaks", is_public=False)
    theirs = new_commitment(cast, office=cast.other_office, title="Bob's bypass")
    listing = client.get("/promises/alice/").content.decode()
    assert "Team lunch breaks" not in listing and "Bob's bypass" not in listing
    assert client.get(f"/promises/alice/{hidden.pk}/").status_code == 404
    assert client.get(f"/promises/alice/{theirs.pk}/").status_code == 404
    assert client.get(f"/promises/bob/{theirs.pk}/").status_code == 200
    assert client.get("/promises/nobody/").status_code == 404
    feed = client.get("/promises/alice/feed.json").json()
    assert [item["title"] for item in feed["items"]] == []


def test_it_searches_and_filters(client: Client, cast: Cast) -> None:
    new_commitment(
        cast,
        title="Repair damp homes",
        topic="housing",
        status="in_the_works",
        wording="I will get every damp home repaired.",
    )
    new_commitment(
        cast,
        title="Light the park",
        topic="crime",
        status="kept",
        wording="I will light the path through the park.",
    )
    assert "Light the park" not in client.get("/promises/alice/?q=DAMP+home").content.decode()
    by_topic = client.get("/promises/alice/?topic=crime").content.decode()
    assert "Light the park" in by_topic and "Repair damp homes" not in by_topic
    by_status = client.get("/promises/alice/?status=in_the_works").content.decode()
    assert "Repair damp homes" in by_status and "Light the park" not in by_status
    odd = client.get("/promises/alice/?status=<b>&topic=%00&q=" + "x" * 5000)
    assert odd.status_code == 200


def test_it_publishes_changes_as_atom_and_json(
    client: Client, cast: Cast, commitment: Commitment
) -> None:
    atom = client.get("/promises/alice/feed.atom")
    assert atom["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(atom.content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert titles == ["New promise: Keep Eastfield Library open"]
    feed = json.loads(client.get("/promises/alice/feed.json").content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["url"].endswith(
        f"/promises/alice/{commitment.pk}/#change-{commitment.status_changes.get().pk}"
    )


def test_it_lets_other_sites_embed_only_the_widget(client: Client, cast: Cast, commitment) -> None:
    widget = client.get("/promises/alice/widget/")
    assert "X-Frame-Options" not in widget
    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    assert "script-src 'self'" in widget["Content-Security-Policy"]
    assert "1</strong> promises" in widget.content.decode() or "of <strong>1</strong>" in (
        widget.content.decode()
    )
    page = client.get("/promises/alice/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_it_shows_who_the_promises_help(client: Client, cast: Cast) -> None:
    new_commitment(cast, title="Step-free station", beneficiaries="disabled")
    new_commitment(cast, title="Warm spaces", beneficiaries="older")
    new_commitment(cast, title="Blue badges", beneficiaries="disabled")
    page = client.get("/promises/alice/").content.decode()
    assert "Who these promises are meant to help" in page
    assert page.index("Disabled people") < page.index("Older people")  # most promises first
    helped = client.get("/promises/alice/?group=disabled").content.decode()
    assert "Step-free station" in helped and "Blue badges" in helped
    assert "Warm spaces" not in helped


def test_it_announces_a_promise_going_overdue_in_the_feeds(client: Client, cast: Cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    late = new_commitment(
        cast,
        title="Reopen the youth centre",
        status="in_the_works",
        deadline=timezone.localdate() - timedelta(days=3),
    )
    feed = client.get("/promises/alice/feed.json").json()
    overdue = [i for i in feed["items"] if i["title"] == "Reopen the youth centre: now overdue"]
    assert overdue[0]["_commitment"] == {"id": late.pk, "status": "overdue", "evidence_url": ""}
    atom = client.get("/promises/alice/feed.atom").content.decode()
    assert "Reopen the youth centre: now overdue" in atom
    late.status = "kept"
    late.save()
    titles = [i["title"] for i in client.get("/promises/alice/feed.json").json()["items"]]
    assert "Reopen the youth centre: now overdue" not in titles


def test_a_promises_progress_in_public_counts_only_its_public_parts(
    client: Client, cast: Cast
) -> None:
    """The parts a citizen sees add up to the progress shown for the whole promise."""
    whole = new_commitment(cast, title="Save the library")
    new_commitment(cast, title="Keep it open", parent=whole, status="kept")
    private = new_commitment(cast, title="Staff rota", parent=whole, is_public=False)
    Milestone.objects.create(commitment=private, title="Agree the rota", due_on=date(2027, 1, 1))

    detail = client.get(f"/promises/alice/{whole.pk}/").content.decode()
    listing = client.get("/promises/alice/").content.decode()

    assert "Staff rota" not in detail
    assert detail.count("100% done") == 2  # the whole, and its one public part
    assert "50% done" not in detail and "50% done" not in listing


def test_a_kept_promises_unfinished_milestone_is_not_done_not_late(
    client: Client, cast: Cast
) -> None:
    promise = new_commitment(cast, title="Restore the bus routes")
    Milestone.objects.create(
        commitment=promise, title="Restore the number 14", due_on=date(2025, 1, 1)
    )
    assert ">Late<" in client.get(f"/promises/alice/{promise.pk}/").content.decode()

    Commitment.objects.filter(pk=promise.pk).update(status="compromise")
    page = client.get(f"/promises/alice/{promise.pk}/").content.decode()
    assert ">Late<" not in page and "Not done" in page
