from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from compassion.cases.models import Status
from compassion.core.models import AuditEntry, Person
from tests.cases.conftest import make_case
from tests.conftest import Cast


def test_it_puts_urgent_cases_first_with_the_reason(client: Client, cast: Cast) -> None:
    make_case(cast.office, cast.person, subject="Bins not collected")
    make_case(
        cast.office,
        cast.person,
        subject="Bailiffs on Friday",
        urgent=True,
        urgency_reasons=["Eviction or homelessness imminent"],
    )
    client.force_login(cast.caseworker)
    html = client.get("/cases/").content.decode()
    assert html.index("Bailiffs on Friday") < html.index("Bins not collected")
    assert "Eviction or homelessness imminent" in html


def test_it_never_lists_another_offices_cases(client: Client, cast: Cast) -> None:
    make_case(cast.other_office, cast.other_person, subject="Secret visa matter")
    client.force_login(cast.caseworker)
    assert b"Secret visa matter" not in client.get("/cases/").content
    assert b"Secret visa matter" not in client.get("/cases/?status=&q=visa").content


def test_it_filters_by_theme_worker_ward_and_status(client: Client, cast: Cast) -> None:
    cast.person.ward = "Eastfield"
    cast.person.save()
    westie = Person.objects.create(office=cast.office, first_name="Wes", ward="Westgate")
    make_case(
        cast.office,
        cast.person,
        subject="Mould east",
        theme="housing",
        assigned_to=cast.caseworker,
    )
    make_case(cast.office, westie, subject="Mould west", theme="housing")
    make_case(cast.office, cast.person, subject="PIP refused", theme="benefits")
    make_case(
        cast.office,
        cast.person,
        subject="Old closed one",
        status=Status.CLOSED,
        outcome="helped",
    )
    client.force_login(cast.caseworker)

    def shown(query: str) -> set[str]:
        html = client.get(f"/cases/?{query}").content.decode()
        names = ["Mould east", "Mould west", "PIP refused", "Old closed one"]
        return {name for name in names if name in html}

    assert shown("") == {"Mould east", "Mould west", "PIP refused"}
    assert shown("status=open&theme=housing") == {"Mould east", "Mould west"}
    assert shown("status=open&worker=me") == {"Mould east"}
    assert shown("status=open&ward=Westgate") == {"Mould west"}
    assert shown("status=closed") == {"Old closed one"}
    everything = {"Mould east", "Mould west", "PIP refused", "Old closed one"}
    assert shown("status=&opened_from=not-a-date") == everything


def test_it_lists_the_cases_not_acknowledged_in_time(client: Client, cast: Cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    make_case(cast.office, cast.person, subject="Late one", acknowledge_by=today - timedelta(1))
    make_case(cast.office, cast.person, subject="Due today", acknowledge_by=today)
    make_case(
        cast.office,
        cast.person,
        subject="Late but acknowledged",
        acknowledge_by=today - timedelta(5),
        acknowledged_at=timezone.now(),
        status=Status.ACKNOWLEDGED,
    )
    make_case(
        cast.office,
        cast.person,
        subject="Taken in hand, never acknowledged",
        acknowledge_by=today - timedelta(5),
        status=Status.IN_PROGRESS,
    )
    client.force_login(cast.caseworker)

    html = client.get("/cases/?status=open&late=on").content.decode()
    waiting = client.get("/cases/?status=open&unacknowledged=on").content.decode()

    assert "Late one" in html
    assert "Taken in hand, never acknowledged" in html  # the person still has not heard
    assert "Due today" not in html
    assert "Late but acknowledged" not in html
    assert 'name="late" id="id_late" value="on" checked' in html
    assert "Due today" in waiting and "Late one" in waiting
    assert "Late but acknowledged" not in waiting


def test_it_searches_the_words_of_messages_and_names(client: Client, cast: Cast) -> None:
    make_case(
        cast.office,
        cast.person,
        subject="Repairs",
        body="The boiler at 12 Mill Lane broke three weeks ago; no hot water.",
    )
    make_case(cast.office, None, subject="Parking", body="Cars on the pavement every night.")
    client.force_login(cast.volunteer)

    def found(words: str) -> bool:
        return b"Repairs" in client.get("/cases/", {"status": "", "q": words}).content

    assert found("boiler")
    assert found("Boilers")
    assert found("Joan Smith")
    assert found('hot "water (')  # punctuation cannot break the query
    assert found("NB1 2AB") and found("nb12ab")  # Joan's postcode, typed either way
    assert not found("pavement")


def test_it_keeps_the_query_count_flat_as_cases_grow(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    for index in range(3):
        make_case(cast.office, cast.person, assigned_to=cast.caseworker, subject=f"Few {index}")
    client.get("/cases/")  # warms the cached list of wards
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/")
    for index in range(40):
        other = Person.objects.create(office=cast.office, first_name=f"P{index}", ward=f"W{index}")
        make_case(cast.office, other, assigned_to=cast.manager, subject=f"Many {index}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/cases/")
    assert b"Many 39" in response.content
    assert len(many) == len(few)
    assert len(many) <= 10


def test_it_exports_csv_without_formulas_and_audits_it(client: Client, cast: Cast) -> None:
    cast.person.first_name = '=HYPERLINK("http://evil.example","click")'
    cast.person.save()
    make_case(cast.office, cast.person, subject="@SUM(A1:A9)")
    client.force_login(cast.caseworker)
    assert client.get("/cases/export.csv").status_code == 403
    client.force_login(cast.manager)
    content = client.get("/cases/export.csv?status=").content.decode()
    assert "'=HYPERLINK" in content
    assert "'@SUM(A1:A9)" in content
    assert AuditEntry.objects.filter(action="export", object_type="office").count() == 1


def test_it_reminds_me_of_actions_due_and_letters_to_chase(client: Client, cast: Cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from compassion.cases.models import Action, Agency, Referral

    today = timezone.localdate()
    mine = make_case(cast.office, cast.person, assigned_to=cast.caseworker)
    Action.objects.create(
        case=mine,
        description="Ring Joan back",
        owner=cast.caseworker,
        due_on=today - timedelta(days=2),
        is_follow_up=True,
    )
    Action.objects.create(
        case=mine,
        description="Next month's check",
        owner=cast.caseworker,
        due_on=today + timedelta(days=30),
    )
    Action.objects.create(case=mine, description="Mandy's task", owner=cast.manager, due_on=today)
    agency = Agency.objects.create(office=cast.office, kind="dwp", name="DWP")
    Referral.objects.create(
        office=cast.office, case=mine, agency=agency, subject="PIP", body="...", chase_on=today
    )
    client.force_login(cast.caseworker)
    html = client.get("/cases/").content.decode()
    assert "Follow up: Ring Joan back" in html and "Overdue" in html
    assert "No answer from DWP" in html
    assert "Next month's check" not in html and "Mandy's task" not in html
    assert '<details class="panel reminders" open>' in html
    assert 'Due from you <span class="reminders-count">(2)</span>' in html
    filtered = client.get("/cases/?status=open&theme=housing").content.decode()
    assert '<details class="panel reminders">' in filtered  # folded away from the results


def test_it_says_how_many_more_are_due_than_it_lists(client: Client, cast: Cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from compassion.cases.models import Action, Agency, Referral
    from compassion.cases.views import REMINDERS_SHOWN

    mine = make_case(cast.office, cast.person, assigned_to=cast.caseworker)
    for days in range(REMINDERS_SHOWN + 3):
        Action.objects.create(
            case=mine,
            description=f"Task {days} days late",
            owner=cast.caseworker,
            due_on=timezone.localdate() - timedelta(days=days),
        )
    client.force_login(cast.caseworker)
    html = client.get("/cases/").content.decode()
    assert f"({REMINDERS_SHOWN + 3})" in html
    assert "and 3 more actions due" in html
    assert f"Task {REMINDERS_SHOWN + 2} days late" in html  # the oldest are listed first
    assert "Task 0 days late" not in html
    make_case(cast.office, cast.person, subject="Nothing due here", assigned_to=cast.caseworker)
    chase = make_case(
        cast.office, cast.person, subject="Letter unanswered", assigned_to=cast.caseworker
    )
    agency = Agency.objects.create(office=cast.office, kind="dwp", name="DWP")
    Referral.objects.create(
        office=cast.office,
        case=chase,
        agency=agency,
        subject="PIP",
        body="...",
        chase_on=timezone.localdate(),
    )
    listed = client.get("/cases/?status=&due=on").content.decode()
    assert mine.reference in listed and chase.reference in listed
    assert "Nothing due here" not in listed


def test_it_keeps_search_in_step_when_messages_and_offices_go(
    client: Client, cast: Cast, django_capture_on_commit_callbacks: object
) -> None:
    from compassion.cases.models import CaseText
    from compassion.voices.models import Voice

    case = make_case(cast.office, cast.person, subject="Noise", body="Drums at 3am next door.")
    client.force_login(cast.caseworker)
    assert case.reference in client.get("/cases/?status=&q=drums").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Voice.objects.filter(case=case).delete()
    assert case.reference not in client.get("/cases/?status=&q=drums").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_case(cast.office, cast.person, body="Another message")
        cast.office.delete()
    assert not CaseText.objects.exists()


def test_it_assigns_the_ticked_cases_at_once_and_audits_each(client: Client, cast: Cast) -> None:
    first = make_case(cast.office, cast.person, subject="One")
    second = make_case(cast.office, cast.person, subject="Two")
    untouched = make_case(cast.office, cast.person, subject="Three")
    theirs = make_case(cast.other_office, cast.other_person, subject="Not ours")
    client.force_login(cast.manager)
    page = client.get("/cases/?status=open&theme=").content.decode()
    assert f'name="case" value="{first.pk}" form="assign-many"' in page

    response = client.post(
        "/cases/assign/",
        {
            "case": [first.pk, second.pk, theirs.pk, "junk"],
            "assigned_to": cast.caseworker.pk,
            "query": "status=open&theme=",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/cases/?status=open&theme="
    for case in (first, second, untouched, theirs):
        case.refresh_from_db()
    assert first.assigned_to == second.assigned_to == cast.caseworker
    assert untouched.assigned_to is None and theirs.assigned_to is None
    assert (
        AuditEntry.objects.filter(action="change", summary__startswith="Assigned to").count() == 2
    )
    shown = client.get(response["Location"]).content.decode()
    assert "2 cases now with" in shown


def test_bulk_assignment_needs_ticked_cases_a_colleague_and_an_editor(
    client: Client, cast: Cast
) -> None:
    case = make_case(cast.office, cast.person)
    client.force_login(cast.manager)
    nothing = client.post("/cases/assign/", {"assigned_to": cast.caseworker.pk}, follow=True)
    assert "tick the cases to assign first" in nothing.content.decode()
    stranger = client.post(
        "/cases/assign/", {"case": case.pk, "assigned_to": cast.outsider.pk}, follow=True
    )
    assert "Nothing was changed" in stranger.content.decode()
    client.force_login(cast.volunteer)
    assert client.post("/cases/assign/", {"case": case.pk}).status_code == 403
    assert 'form="assign-many"' not in client.get("/cases/").content.decode()
    case.refresh_from_db()
    assert case.assigned_to is None


def test_it_lists_oldest_first_when_asked_to(client: Client, cast: Cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    make_case(cast.office, cast.person, subject="Middle", opened_at=now - timedelta(days=5))
    make_case(
        cast.office,
        cast.person,
        subject="Old urgent",
        urgent=True,
        opened_at=now - timedelta(days=9),
    )
    make_case(cast.office, cast.person, subject="Newest", opened_at=now)
    client.force_login(cast.caseworker)

    def order(query: str) -> list[str]:
        page = client.get(f"/cases/?status=open{query}").context["page"]
        return [case.subject for case in page]

    assert order("") == ["Old urgent", "Newest", "Middle"]
    assert order("&order=oldest") == ["Old urgent", "Middle", "Newest"]
    assert order("&order=newest") == ["Newest", "Middle", "Old urgent"]
    assert order("&order=sideways") == ["Old urgent", "Newest", "Middle"]
    assert "Oldest first." in client.get("/cases/?status=open&order=oldest").content.decode()


def test_a_search_typed_without_a_status_searches_the_open_cases(
    client: Client, cast: Cast
) -> None:
    make_case(cast.office, cast.person, subject="Repairs", body="The boiler broke.")
    make_case(cast.office, None, subject="Parking", body="Cars on the pavement.")
    client.force_login(cast.caseworker)
    page = client.get("/cases/", {"q": "boiler"}).content.decode()
    assert "Repairs" in page and "Parking" not in page
