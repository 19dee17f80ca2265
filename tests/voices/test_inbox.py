"""The inbox page: urgent and newest first, unread marked, filters, bounded queries, privacy."""

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from compassion.cases.models import Case
from compassion.voices.intake import ingest_raw
from compassion.voices.models import Channel, Voice
from tests.conftest import Cast
from tests.voices.mail import email_bytes


def add_voice(cast: Cast, subject: str, hours_ago: int, **fields: Any) -> Voice:
    when = timezone.now() - timedelta(hours=hours_ago)
    case = Case.objects.create(
        office=fields.pop("office", cast.office),
        reference=f"T-{subject[:10]}",
        subject=subject,
        urgent=fields.pop("case_urgent", False),
        urgency_reasons=fields.pop("reasons", []),
    )
    return Voice.objects.create(
        office=case.office,
        person=cast.person,
        case=case,
        subject=subject,
        body="Text",
        received_at=when,
        **fields,
    )


def test_it_lists_urgent_first_with_the_reason_and_evidence(client: Client, cast: Cast) -> None:
    add_voice(cast, "Newest ordinary", 1)
    add_voice(
        cast,
        "Older urgent",
        30,
        urgent=True,
        flags=[{"kind": "eviction", "label": "Eviction or homelessness", "evidence": ["bailiffs"]}],
    )
    client.force_login(cast.caseworker)
    response = client.get("/inbox/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Older urgent") < html.index("Newest ordinary")
    assert "Eviction or homelessness" in html
    assert "bailiffs" in html


def test_it_marks_unread_and_filters_by_channel_and_urgency(client: Client, cast: Cast) -> None:
    add_voice(cast, "Phoned in", 2, channel=Channel.PHONE)
    add_voice(cast, "Read email", 3, read_at=timezone.now())
    add_voice(cast, "Urgent case", 4, case_urgent=True, reasons=["Domestic abuse"])
    client.force_login(cast.caseworker)
    html = client.get("/inbox/").content.decode()
    assert html.count("voices-unread") == 2
    phone_only = client.get("/inbox/?channel=phone").content.decode()
    assert "Phoned in" in phone_only and "Read email" not in phone_only
    urgent_only = client.get("/inbox/?urgent=1").content.decode()
    assert "Urgent case" in urgent_only and "Phoned in" not in urgent_only
    assert "Domestic abuse" in urgent_only


def test_it_filters_the_messages_that_ask_for_help(client: Client, cast: Cast) -> None:
    add_voice(cast, "Can you chase the DWP", 2, request_for_help=True, theme="benefits")
    add_voice(cast, "Vote against the bill", 3, theme="other")
    client.force_login(cast.caseworker)
    everything = client.get("/inbox/").content.decode()
    assert everything.count("data-asks") == 1
    asking = client.get("/inbox/?asks=1").content.decode()
    assert "Can you chase the DWP" in asking and "Vote against the bill" not in asking
    assert 'name="asks" value="1" checked' in asking


def test_it_filters_possible_risks_to_life_likeliest_first(client: Client, cast: Cast) -> None:
    add_voice(cast, "Oxygen not delivered", 5, risk_to_life=True, risk_score=0.91)
    add_voice(cast, "Insulin running out", 1, risk_to_life=True, risk_score=0.62)
    add_voice(cast, "Some signs only", 2, risk_to_life=True, risk_score=0.3)
    add_voice(cast, "Pothole", 3, risk_score=0.02)
    add_voice(cast, "Read already", 4, risk_to_life=True, risk_score=0.8, read_at=timezone.now())
    add_voice(cast, "Flagged already", 6, risk_to_life=True, risk_score=0.95, urgent=True)
    client.force_login(cast.caseworker)
    everything = client.get("/inbox/").content.decode()
    assert everything.count("data-risk") == 3
    assert 'data-figure="risk_unread">2<' in everything
    risky = client.get("/inbox/?risk=1").content.decode()
    assert "Some signs only" not in risky and "Pothole" not in risky
    assert "Flagged already" not in risky, "urgent messages are listed as urgent, not here"
    likeliest_first = ("Oxygen not delivered", "Read already", "Insulin running out")
    order = [risky.index(subject) for subject in likeliest_first]
    assert order == sorted(order)
    assert 'name="risk" value="1" checked' in risky


def test_it_keeps_the_query_count_bounded(
    client: Client, cast: Cast, django_assert_max_num_queries: Any
) -> None:
    for number in range(30):
        add_voice(cast, f"Message {number}", number, flags=[{"kind": "x", "label": "Y"}])
    client.force_login(cast.caseworker)
    with django_assert_max_num_queries(16):
        response = client.get("/inbox/")
    assert response.status_code == 200


def test_it_never_shows_another_offices_messages(client: Client, cast: Cast) -> None:
    ingest_raw(cast.other_office, email_bytes(subject="Bob's secret"), "x.eml")
    client.force_login(cast.caseworker)
    assert "Bob&#x27;s secret" not in client.get("/inbox/").content.decode()
    other = Voice.objects.get(office=cast.other_office)
    assert client.get(f"/inbox/{other.pk}/").status_code == 404


def test_it_sends_people_who_are_not_logged_in_to_the_login_page(
    client: Client, cast: Cast
) -> None:
    response = client.get("/inbox/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_figure_of_cases_to_acknowledge_opens_those_cases(client: Client, cast: Cast) -> None:
    add_voice(cast, "Waiting for a word", 2)
    add_voice(cast, "Answered", 3)
    Case.objects.filter(subject="Answered").update(acknowledged_at=timezone.now())
    client.force_login(cast.caseworker)
    html = client.get("/inbox/").content.decode()

    link = "/cases/?status=open&unacknowledged=on"
    assert f'href="{link.replace("&", "&amp;")}"' in html
    assert 'data-figure="to_acknowledge">1<' in html
    listed = client.get(link).content.decode()
    assert "Waiting for a word" in listed and "Answered" not in listed


def test_each_message_links_to_its_case(client: Client, cast: Cast) -> None:
    voice = add_voice(cast, "Damp again", 2)
    client.force_login(cast.caseworker)
    html = client.get("/inbox/").content.decode()
    assert f'href="/cases/{voice.case_id}/">{voice.case.reference}</a>' in html


def test_the_figure_of_urgent_cases_opens_as_many_cases(client: Client, cast: Cast) -> None:
    """'35 urgent cases open' opened the inbox's urgent messages, 41 of them in the demo
    office: a case holds several messages. It opens the case list, as the home page's does."""
    urgent = add_voice(cast, "Bailiffs Thursday", 2, case_urgent=True)
    Voice.objects.create(
        office=cast.office, person=cast.person, case=urgent.case, subject="Re: Bailiffs", body="."
    )
    add_voice(cast, "Bus route", 3)
    client.force_login(cast.caseworker)
    html = client.get("/inbox/").content.decode()
    link = "/cases/?status=open&urgent=on"
    assert (
        f'href="{link.replace("&", "&amp;")}"><span class="figure-value" data-figure="urgent">1<'
        in html
    )
    listed = client.get(link).content.decode()
    assert "Bailiffs Thursday" in listed and "Bus route" not in listed
