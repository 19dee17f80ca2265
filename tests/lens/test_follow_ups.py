"""Follow-ups that say nothing new are not read as a risk to life; any that say more are."""

import pytest

from compassion.lens.analyse import CONFIDENT_RISK_SCORE, default_lens
from compassion.lens.features import featurize
from compassion.lens.follow_ups import says_nothing_new

BARE_CHASERS = [
    "Hi, just chasing my email",
    "Chasing again, no reply yet.",
    "My last email.",
    "Nothing has changed since my last email.",
    "Still waiting for a reply to my email of last week.",
    "Hello, I haven't heard back about my letter from two weeks ago. Can you let me know?",
    "Dear Amira,\n\nNothing has changed since my last email. Could someone ring me when "
    "there is news?\n\nKind regards,\nOliver Kelly",
    "Re: Damp in the bedroom\n\nHi Amira, any update?\n\nThanks,\nJo Bloggs",
    "Re: Sewage in the river\n\nDear Amira,\n\nI have an update: nothing has changed since my "
    "last email.\n\nRavi Walker",  # a first name, and a surname that is also a word
]


@pytest.mark.parametrize("text", BARE_CHASERS)
def test_a_chaser_with_nothing_new_is_not_read_as_a_risk_to_life(text: str) -> None:
    [reading] = default_lens().analyse([text])
    assert says_nothing_new(text)
    assert not reading.risk_to_life
    assert reading.risk_score < CONFIDENT_RISK_SCORE


def test_the_chasers_were_read_as_possible_risks_by_the_model_alone() -> None:
    """Why the rule is there: the risk model reads a few chasing words as a whole letter's."""
    scores = default_lens().models["casework_risk"].proba(featurize(BARE_CHASERS[:4]))[:, 1]
    assert (scores >= CONFIDENT_RISK_SCORE).all()


@pytest.mark.parametrize(
    "text",
    [
        "Any update? I have the tablets ready.",
        "Chasing again. Dad has fallen twice this week and there are still no carers.",
        "Still waiting. The bailiffs come tomorrow.",
        "Still no reply and I can't go on like this",
    ],
)
def test_a_chaser_that_says_more_is_read_for_risk_as_before(text: str) -> None:
    [reading] = default_lens().analyse([text])
    assert not says_nothing_new(text)
    assert reading.risk_to_life


@pytest.mark.parametrize(
    "text",
    [
        "Any news?\n\nHelp Me",  # everyday words on the last line are read, not taken for a name
        "Any news?\n\nCome Quickly",
        "Is there any news? I am sorry to chase, but the deadline is getting close.",
        "Any update on this? It is urgent.",
        "Any update? " * 40,  # a letter's length is read as a letter
    ],
)
def test_what_is_not_taken_for_a_bare_chaser(text: str) -> None:
    assert not says_nothing_new(text)
