"""An email reply is read for its new words, not for the thread it quotes under them."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from compassion.cases.models import Case
from compassion.voices import analysis
from compassion.voices.intake import ingest_raw
from compassion.voices.models import Voice
from compassion.voices.quoting import split_earlier_messages
from tests.conftest import Cast
from tests.voices.mail import email_bytes

pytest.importorskip("compassion.lens.analyse", reason="the lens (compassion.lens) is not here")

FIRST = (
    "Dear Alice,\n\nThe bailiffs are coming on Friday and we have nowhere to go with the "
    "children.\n\nJoan Smith\nNB1 2AB"
)
GMAIL_REPLY = (
    "Hi Alice, just chasing my email.\n\nJoan\n\n"
    "On Mon, 2 Nov 2026 at 09:30, Joan Smith <joan@example.com> wrote:\n"
    "> Dear Alice,\n>\n> The bailiffs are coming on Friday and we have nowhere to go with the\n"
    "> children.\n"
)
OUTLOOK_REPLY = (
    "Any news please?\n\n-----Original Message-----\nFrom: Office of Alice MP "
    "<office@alice.example.org>\nSent: 02 November 2026 10:12\nTo: Joan Smith\n"
    "Subject: RE: Bailiffs\n\nDear Joan, we have written to the council about the eviction.\n"
)
FORWARD = (
    "My landlord sent me this today.\n\n---------- Forwarded message ---------\n"
    "From: Landlord <landlord@example.com>\nDate: Mon, 2 Nov 2026\nSubject: Notice\n\n"
    "You must leave the property by Friday. The bailiffs will attend.\n"
)


@pytest.mark.parametrize(
    ("body", "new", "quoted_starts"),
    [
        (GMAIL_REPLY, "Hi Alice, just chasing my email.\n\nJoan", "On Mon, 2 Nov 2026"),
        (OUTLOOK_REPLY, "Any news please?", "-----Original Message-----"),
    ],
)
def test_a_reply_is_split_from_the_thread_it_quotes(body: str, new: str, quoted_starts: str):
    assert split_earlier_messages("Re: Bailiffs", body)[0] == new
    assert split_earlier_messages("Re: Bailiffs", body)[1].startswith(quoted_starts)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Notice", FORWARD),  # news for the office, never an old thread
        ("Fwd: Notice", "See below.\n\nOn Mon, 2 Nov 2026, Landlord wrote:\n> Leave by Friday."),
        (  # written below the thread it quotes
            "Re: Bailiffs",
            "On Mon, 2 Nov 2026, Office wrote:\n> Dear Joan\n\nThe bailiffs came today.",
        ),
    ],
)
def test_a_forward_or_a_reply_written_below_the_thread_is_kept_whole(subject: str, body: str):
    assert split_earlier_messages(subject, body) == (body, "")


def test_a_chaser_quoting_the_first_letter_is_not_flagged_again(cast: Cast) -> None:
    """Before, every reply in the thread flagged the bailiffs afresh, as if written that day."""
    first = ingest_raw(cast.office, email_bytes(subject="Bailiffs", body=FIRST), "1.eml")
    analysis.analyse(first.voices)
    reply = email_bytes(
        subject="Re: Bailiffs",
        body=GMAIL_REPLY,
        message_id="<m2@mail.example.com>",
        in_reply_to="<m1@mail.example.com>",
    )
    second = ingest_raw(cast.office, reply, "2.eml")
    analysis.analyse(second.voices)
    chaser = Voice.objects.get(subject="Re: Bailiffs")
    assert not chaser.urgent and not chaser.flags and not chaser.risk_to_life
    assert Case.objects.get().urgent  # the case stays urgent for what the first letter said


def test_a_forwarded_notice_is_read_whole(cast: Cast) -> None:
    summary = ingest_raw(cast.office, email_bytes(subject="Notice", body=FORWARD), "f.eml")
    analysis.analyse(summary.voices)
    assert Voice.objects.get().urgent


def test_the_message_page_folds_the_quoted_thread_under_the_new_words(
    client: Client, cast: Cast
) -> None:
    summary = ingest_raw(cast.office, email_bytes(subject="Re: Bailiffs", body=GMAIL_REPLY), "r")
    client.force_login(cast.caseworker)
    page = client.get(f"/inbox/{summary.voices[0].pk}/").content.decode()
    new_words, thread = page.index("just chasing my email"), page.index("Earlier messages quoted")
    assert new_words < thread < page.index("nowhere to go")


def test_a_reply_of_blank_lines_is_read_in_one_go() -> None:
    """The parser's time grows with the square of a run of blank lines: 10 KB of them took
    ten seconds, so a hostile email could hold up the reading of the whole inbox."""
    body = "Any news?\n\n" + "\n" * 200_000 + "On Mon, 2 Nov 2026, Office wrote:\n> Dear Joan\n"
    new, quoted = split_earlier_messages("Re: Bailiffs", body)
    assert new == "Any news?" and quoted.startswith("On Mon, 2 Nov 2026")


@given(
    st.lists(
        st.sampled_from(
            [
                "Any news?",
                "",
                "On Mon, 2 Nov 2026, Office wrote:",
                "> Dear Joan",
                ">",
                "Joan",
                "-----Original Message-----",
                "From: a",
                "Sent: b",
                "Subject: RE: c",
                "\u00a0",
            ]
        ),
        max_size=12,
    )
)
def test_nothing_of_a_reply_is_lost_however_it_is_laid_out(lines: list[str]) -> None:
    body = "\n".join(lines)
    new, quoted = split_earlier_messages("Re: Bailiffs", body)
    assert body.startswith(new)
    assert quoted == "" or quoted == body[len(new) :].strip()


def test_the_reply_coach_reads_the_new_words_not_the_thread_again(cast: Cast) -> None:
    from compassion.cases.coaching import their_words, their_words_by_case

    first = ingest_raw(cast.office, email_bytes(subject="Bailiffs", body=FIRST), "1.eml")
    reply = email_bytes(
        subject="Re: Bailiffs",
        body=GMAIL_REPLY,
        message_id="<m2@mail.example.com>",
        in_reply_to="<m1@mail.example.com>",
        sent=datetime(2026, 11, 9, 9, 30, tzinfo=UTC),  # a week after the first
    )
    ingest_raw(cast.office, reply, "2.eml")
    case = first.voices[0].case
    read = their_words(case)
    assert read.startswith("Hi Alice, just chasing my email.")
    assert read.count("nowhere to go") == 1  # the first letter, not its quoted copy as well
    assert their_words_by_case([case]) == {case.pk: read}
