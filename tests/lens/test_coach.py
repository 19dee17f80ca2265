"""Reply coaching: EPITOME levels, helping level and suggestions."""

import numpy as np

from compassion.lens import THEMES, analyse_texts, coach_replies, coach_reply
from compassion.lens.coach import _THEME_CONCERN, helping_level, interpretation_levels

MESSAGE = "The bailiffs are coming on Friday to evict us and I have nowhere to go with my kids."


def test_it_asks_a_cold_reply_to_acknowledge_the_eviction():
    coaching = coach_reply(MESSAGE, "Thank you for your email. We will look into it.")
    assert coaching.emotional_reaction == 0
    assert coaching.helping == 1
    assert any("losing their home" in s and "worried" in s for s in coaching.suggestions)
    assert any("date" in s for s in coaching.suggestions)


def test_a_reply_that_only_passes_the_case_on_is_asked_to_show_understanding_and_a_date():
    coaching = coach_reply(MESSAGE, "Thank you for your email. I have forwarded it to the council.")
    assert (coaching.emotional_reaction, coaching.interpretation, coaching.helping) == (0, 0, 1)
    assert any(s.startswith("Show you have understood") for s in coaching.suggestions)
    assert any("give a date" in s for s in coaching.suggestions)


def test_it_recognises_a_warm_reply_with_a_concrete_next_step():
    reply = (
        "I'm so sorry, that sounds frightening. Have you been able to speak to the council's "
        "housing team yet? I will call the homelessness team today and update you by Friday."
    )
    coaching = coach_reply(MESSAGE, reply)
    assert coaching.emotional_reaction >= 1
    assert coaching.exploration >= 1
    assert coaching.helping == 2
    assert len(coaching.suggestions) < 3


def test_it_scores_helping_levels():
    assert helping_level("Noted.") == 0
    assert helping_level("Let me know if there is anything else.") == 1
    assert helping_level("We will write to the DWP within 5 working days.") == 2
    assert helping_level("We have passed this to the council.") == 1
    assert helping_level("I have forwarded your email to the housing team today.") == 2
    assert helping_level("I will write to the council's housing officer.") == 2
    assert helping_level("I have forwarded it to the council.") == 1
    assert helping_level("I have passed it on and will get back to you.") == 1
    assert helping_level("I will get back to you by Friday.") == 2


def test_it_puts_urgent_help_first_when_a_life_is_at_risk():
    coaching = coach_reply("I want to kill myself, I can't go on.", "Thanks for getting in touch.")
    assert "116 123" in coaching.suggestions[0]


def test_coaching_many_replies_together_reads_each_as_if_alone():
    pairs = [
        ("They have given me an eviction notice and I have nowhere to go.", "Noted."),
        (
            "My PIP has stopped and I cannot buy food.",
            "I am so sorry. I will call the DWP today and update you by Friday.",
        ),
        ("The bins have not been collected for a month.", "Let us know if it happens again."),
    ]
    together = list(coach_replies(pairs * 2))
    alone = [coach_reply(message, reply) for message, reply in pairs * 2]
    assert together == alone
    assert len({coaching.helping for coaching in together}) == 3


def test_its_suggestions_read_naturally_when_the_theme_is_unclear():
    coaching = coach_reply("hi", "Noted.")
    understood = [s for s in coaching.suggestions if s.startswith("Show you have understood")]
    assert understood == [
        "Show you have understood: say back, in your own words, what they raised and what it "
        "means for them."
    ]


def test_a_reply_that_says_back_what_they_face_shows_understanding():
    message = "The bailiffs are coming on Friday and I cannot cope any more."
    reply = (
        "Dear Joan, I am so sorry. It sounds like you have been carrying this alone for a "
        "while. I will ring the council's housing team today."
    )
    [coaching] = coach_replies([(message, reply)])
    assert coaching.interpretation >= 1
    assert not any("Show you have understood" in advice for advice in coaching.suggestions)
    [plain] = coach_replies([(message, "Thank you for your email. We have passed it on.")])
    assert plain.interpretation == 0


def test_interpretation_levels_raise_only_unseen_understanding():
    replies = ["That must be frightening.", "We have passed it on.", "It sounds awful."]
    assert interpretation_levels(replies, np.array([0, 0, 2])).tolist() == [1, 0, 2]


def test_its_suggestions_name_what_the_message_is_about_in_plain_words() -> None:
    message = (
        "Half the streetlights on Station Road have been out for 6 weeks. Older residents "
        "are afraid to go out after dark."
    )
    coaching = coach_reply(message, "Thank you for your email. I have forwarded it to the council.")
    theme = next(analyse_texts([message], explain=False)).theme
    assert theme != "other"
    assert any(_THEME_CONCERN[theme] in suggestion for suggestion in coaching.suggestions)
    assert all("_" not in suggestion for suggestion in coaching.suggestions)
    assert set(_THEME_CONCERN) == set(THEMES) - {"other"}


def test_a_thank_you_is_acknowledged_with_thanks_not_with_how_glad_they_are() -> None:
    message = "Thank you so much for sorting out my housing benefit, the money came through today."
    first = coach_reply(message, "Noted.").suggestions[0]
    assert first.startswith("Acknowledge what they shared about") and "thank them" in first
    assert "glad" not in first
