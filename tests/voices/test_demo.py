"""The demo office's letters read like real casework: follow-ups come back to an open case in
many words, deadlines lie ahead, urgent cases say why in the lens's words, and a campaign
is answered once, when its letters have stopped coming."""

import re
from datetime import date, datetime

from compassion.cases.models import Reply, Status, TemplateKind
from compassion.core import demo
from compassion.core.demo import letters
from compassion.lens.rules import FLAG_KINDS
from compassion.voices import demo as voices_demo
from compassion.voices.models import Campaign, Voice


def test_its_follow_ups_come_back_to_their_own_case_in_varied_words(db: None) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=600)
    follow_ups = list(
        Voice.objects.filter(office=office, subject__startswith="Re: ").select_related("case")
    )
    assert len(follow_ups) > 100
    written = [voice for voice in follow_ups if voice.channel not in ("phone", "surgery")]
    noted = [voice for voice in follow_ups if voice not in written]
    assert written and noted
    for voice in follow_ups:
        assert voice.subject == f"Re: {voice.case.subject}"
        assert voice.person_id == voice.case.person_id
        assert voice.received_at > voice.case.opened_at
    for voice in written:  # an email is a reply, whose subject line says what it is about
        if voice.channel == "email":
            assert voice.case.subject not in voice.body
        else:
            assert f"about my case ({voice.case.subject})" in voice.body
    for voice in noted:  # a caseworker's note of the call or visit, quoting them
        assert voice.body.startswith(f"{voice.person.full_name} ")
        assert f"again about their case ({voice.case.subject}). In their words:" in voice.body
    lines = {line for voice in follow_ups for line in letters.FOLLOW_UPS if line in voice.body}
    greetings = {voice.body.split("\n")[0] for voice in written}
    assert len(lines) == len(letters.FOLLOW_UPS)
    assert greetings == set(letters.GREETINGS)


def days_until(day_and_month: str, today: date) -> int:
    """Days from `today` to the next "4 August" (this year's, or next year's if it has gone)."""
    this_year = datetime.strptime(f"{day_and_month} {today.year}", "%d %B %Y").date()
    if this_year < today:
        this_year = this_year.replace(year=today.year + 1)
    return (this_year - today).days


def test_its_deadlines_lie_ahead_of_the_letter_that_names_them(db: None) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=600)
    letters_with_deadlines = Voice.objects.filter(
        office=office, body__regex=r"(wants us out by|My shifts end on) \d"
    )
    assert letters_with_deadlines.count() >= 3
    for voice in letters_with_deadlines:
        named = re.search(r"(?:out by|end on) (\d{1,2} [A-Z][a-z]+)", voice.body).group(1)
        assert 10 <= days_until(named, voice.received_at.date()) <= 60, voice.body


def test_its_urgent_reasons_are_the_lens_kinds_of_risk() -> None:
    """Otherwise a case the demo made urgent and the lens flagged too gives one reason twice:
    "Court date within days; A court date or deadline within days"."""
    assert set(demo.URGENT_KINDS.values()) <= set(FLAG_KINDS)


def test_it_answers_an_old_campaign_once_and_leaves_the_new_one_waiting(db: None) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=600)
    library, send = Campaign.objects.filter(office=office).order_by("first_seen_at")
    signatories = library.voices.exclude(sender_email="")
    replies = Reply.objects.filter(campaign=library, kind=TemplateKind.CAMPAIGN)
    assert replies.count() == signatories.count() > 20
    assert {reply.to_email for reply in replies} == {v.sender_email.lower() for v in signatories}
    assert all(voices_demo.PLACEHOLDER not in reply.body for reply in replies)
    last_letter = max(signatories.values_list("received_at", flat=True))
    assert all(reply.sent_at > last_letter for reply in replies)
    assert set(library.cases.values_list("status", flat=True)) == {Status.RESOLVED}
    assert not Reply.objects.filter(campaign=send).exists()
    own_words = list(library.voices.exclude(personal_lines="").values_list("personal_lines"))
    assert len(set(own_words)) > len(own_words) / 2  # not five sentences over and over
    assert not send.cases.filter(first_reply_at__isnull=False).exists()
