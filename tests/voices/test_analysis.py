"""The lens seam: readings stored on the voice, urgent cases with reasons, campaigns grouped."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from compassion.cases.models import Case
from compassion.core.models import Person
from compassion.voices import analysis
from compassion.voices.intake import ingest_raw
from compassion.voices.models import Campaign, Voice
from tests.conftest import Cast
from tests.voices.mail import email_bytes

pytest.importorskip("compassion.lens.analyse", reason="the lens (compassion.lens) is not here")

LIBRARY = (
    "I am writing to ask you to oppose the closure of Eastfield Library. The library is a "
    "lifeline for children, older people and everyone who cannot afford the internet at "
    "home. Please speak up for it in the council consultation and tell me what you will do."
)


def test_it_stores_the_reading_and_raises_the_case_with_reasons(cast: Cast) -> None:
    body = (
        "Dear Alice,\n\nThe bailiffs are coming on Friday and we have nowhere to go with "
        "the children. I cannot cope any more.\n\nJoan Smith\nNB1 2AB"
    )
    summary = ingest_raw(cast.office, email_bytes(subject="Please help", body=body), "a.eml")
    voice = summary.voices[0]
    assert analysis.analyse([voice]) == 1
    voice.refresh_from_db()
    assert voice.analysed_at is not None
    assert voice.emotion == "distress"
    assert voice.emotion_words == "we have nowhere to go"
    assert voice.request_for_help and voice.request_words == "Please help"
    assert 0 <= voice.risk_score <= 1
    assert voice.urgent
    kinds = {flag["kind"] for flag in voice.flags}
    assert "eviction" in kinds
    evidence = " ".join(word for flag in voice.flags for word in flag["evidence"])
    assert "bailiffs" in evidence.lower()
    case = Case.objects.get()
    assert case.urgent
    written = timezone.localtime(voice.received_at)
    # Risks counted in days say when they were written; lasting ones do not need to.
    as_of = f"(as of {written.day} {written:%b %Y})"
    assert case.urgency_reasons == [
        f"Eviction or homelessness imminent {as_of}",
        f"A court date or deadline within days {as_of}",
    ]
    notices = [m for m in mail.outbox if m.subject.startswith("Urgent")]
    assert len(notices) == 1
    assert sorted(notices[0].to) == ["alice@example.org", "mandy@example.org"]
    assert case.reference in notices[0].body
    assert "bailiffs" not in notices[0].body  # the notice never carries the message itself


def test_it_leaves_ordinary_letters_calm(cast: Cast) -> None:
    body = "Dear Alice,\n\nThe streetlight on Mill Lane has been out for a week.\n\nJoan\nNB1 2AB"
    summary = ingest_raw(cast.office, email_bytes(subject="Streetlight", body=body), "a.eml")
    analysis.analyse(summary.voices)
    voice = Voice.objects.get()
    assert voice.analysed_at is not None and not voice.urgent
    assert voice.emotion_words == "" and voice.request_words == ""
    assert not Case.objects.get().urgent
    assert not [m for m in mail.outbox if m.subject.startswith("Urgent")]


def test_a_heavy_message_that_is_not_urgent_still_weighs_on_its_case(cast: Cast) -> None:
    body = (
        "Dear Alice,\n\nSince my husband died in March I have been so lonely and frightened. "
        "The pension credit letters make no sense to me and I cry every time one comes. "
        "I am scared of opening the post now.\n\nJoan\nNB1 2AB"
    )
    summary = ingest_raw(cast.office, email_bytes(subject="Pension credit", body=body), "a.eml")
    analysis.analyse(summary.voices)
    voice = Voice.objects.get()
    case = Case.objects.get()
    assert not voice.flags and not case.urgent
    assert voice.distress_load > 0
    assert case.distress_load == pytest.approx(voice.distress_load)


def test_it_groups_template_letters_into_one_campaign_with_personal_lines(cast: Cast) -> None:
    names = ["Ann Lee", "Bo Chan", "Cy Wood", "Di Shaw"]
    extra = {"Bo Chan": "My two sons do their homework there every single evening."}
    for number, name in enumerate(names):
        first = name.split()[0].lower()
        Person.objects.create(
            office=cast.office, first_name=name.split()[0], last_name=name.split()[1]
        )
        body = f"Dear Alice,\n\n{LIBRARY}\n\n{extra.get(name, '')}\n\nYours sincerely,\n{name}"
        raw = email_bytes(
            sender=f"{name} <{first}@example.org>",
            subject="Save Eastfield Library",
            body=body,
            message_id=f"<lib{number}@x>",
            sent=timezone.now(),  # campaigns gather letters of the last month only
        )
        analysis.analyse(ingest_raw(cast.office, raw, "lib.eml").voices)
    campaign = Campaign.objects.get()
    assert campaign.voices.count() == 4
    assert campaign.title == "Save Eastfield Library"
    bo = Voice.objects.get(sender_email="bo@example.org")
    assert "homework" in bo.personal_lines
    assert Voice.objects.get(sender_email="ann@example.org").personal_lines == ""
    assert Case.objects.filter(campaign=campaign).count() == 4


def test_a_follow_up_is_filed_under_its_cases_theme_not_read_afresh(
    cast: Cast, client: Client
) -> None:
    first = ingest_raw(cast.office, email_bytes(), "a.eml").voices
    analysis.analyse(first)
    case = Case.objects.get()
    assert case.theme == "housing"
    Case.objects.update(theme="health")  # a caseworker filed it under health
    follow_up = email_bytes(
        subject="Re: Damp in my flat",
        body="Any news? My daughter's school has written about her absences. Joan",
        message_id="<m2@mail.example.com>",
        in_reply_to="<m1@mail.example.com>",
        sent=timezone.now(),
    )
    analysis.analyse(ingest_raw(cast.office, follow_up, "b.eml").voices)
    voice = Voice.objects.get(subject="Re: Damp in my flat")
    assert voice.case_id == case.pk
    assert (voice.theme, voice.theme_confidence) == ("health", None)
    assert voice.analysed_at is not None and voice.emotion
    client.force_login(cast.caseworker)
    page = client.get(reverse("voices:voice", args=[voice.pk])).content.decode()
    assert "(the case's theme)" in page


def test_the_first_message_of_a_case_without_a_theme_is_read_by_the_lens(cast: Cast) -> None:
    analysis.analyse(ingest_raw(cast.office, email_bytes(), "a.eml").voices)
    voice = Voice.objects.get()
    assert voice.theme == "housing" and 0 < voice.theme_confidence <= 1
    assert Case.objects.get().theme == "housing"


def test_a_lasting_risk_is_given_without_a_date(cast: Cast) -> None:
    body = "Dear Alice,\n\nMy partner hits me when he has been drinking.\n\nJoan\nNB1 2AB"
    summary = ingest_raw(cast.office, email_bytes(subject="Help", body=body), "a.eml")
    analysis.analyse(summary.voices)
    assert Case.objects.get().urgency_reasons == ["Domestic abuse"]


def test_cases_made_urgent_before_reasons_were_dated_get_the_date_when_migrated(
    cast: Cast,
) -> None:
    import importlib

    from django.apps import apps

    body = "Dear Alice,\n\nThe bailiffs are coming on Friday to evict us.\n\nJoan\nNB1 2AB"
    summary = ingest_raw(cast.office, email_bytes(subject="Help", body=body), "a.eml")
    analysis.analyse(summary.voices)
    case = Case.objects.get()
    dated = list(case.urgency_reasons)
    Case.objects.update(  # as stored before reasons were dated
        urgency_reasons=["Eviction or homelessness imminent", "Marked urgent by Alice"]
    )
    migration = importlib.import_module(
        "compassion.cases.migrations.0011_date_short_lived_urgency_reasons"
    )
    migration.date_short_lived_reasons(apps, None)
    case.refresh_from_db()
    assert case.urgency_reasons == [dated[0], "Marked urgent by Alice"]
    assert dated[0].startswith("Eviction or homelessness imminent (as of ")
