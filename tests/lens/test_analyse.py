"""analyse_texts on real, messy messages with the shipped models."""

import gc

import numpy as np
import pytest

from compassion.lens import THEMES, Lens, analyse_texts
from compassion.lens.analyse import (
    EMOTIONS,
    FEELING_WORDS_WEIGHT,
    MAX_CHARS,
    distress_load,
    round4,
)
from compassion.lens.features import featurize


def test_it_reads_a_frightened_message_as_distress_and_risk():
    [analysis] = analyse_texts(
        ["I'm so scared. My husband hits me when he drinks and I have nowhere to go."]
    )
    assert analysis.emotion == "distress"
    assert analysis.risk_to_life
    assert analysis.request_for_help
    assert "domestic_abuse" in {flag.kind for flag in analysis.flags}
    assert analysis.distress_load > 0.5


def test_it_reads_thanks_as_positive_and_light():
    [analysis] = analyse_texts(["Thank you so much for sorting my mum's care, we are grateful!"])
    assert analysis.emotion == "positive"
    assert not analysis.risk_to_life
    assert analysis.distress_load < 0.2


def test_it_gives_probabilities_for_the_four_emotions():
    [analysis] = analyse_texts(["This is outrageous. I am so angry with the council."])
    assert set(analysis.emotion_scores) == set(EMOTIONS)
    assert abs(sum(analysis.emotion_scores.values()) - 1) < 0.01
    assert analysis.emotion == "anger"


def test_it_keeps_order_and_ids_across_batches():
    texts = [f"Message number {i} about the bins" for i in range(25)]
    ids = [f"m{i}" for i in range(25)]
    results = list(analyse_texts(texts, ids=ids, batch_size=7))
    assert [r.id for r in results] == ids


def test_it_classifies_themes_into_the_shared_taxonomy():
    [analysis] = analyse_texts(["My landlord will not fix the black mould in the bedroom."])
    assert analysis.theme == "housing"
    assert analysis.theme in THEMES and 0 < analysis.theme_confidence <= 1


def test_it_explains_its_decisions_with_words_from_the_text():
    text = "Thank you so much for your wonderful help"
    [analysis] = analyse_texts([text])
    assert analysis.top_features["emotion"]
    assert all(term.split()[0] in text.lower() for term in analysis.top_features["emotion"])


def test_it_reads_a_very_long_text_up_to_the_limit_and_says_so():
    [analysis] = analyse_texts(["help " * (MAX_CHARS // 2)])
    assert analysis.warnings and "first" in analysis.warnings[0]


def test_it_copes_with_junk_and_emoji():
    results = list(analyse_texts(["😡😡😡", "!!!???", "a", "ÿþ\u200b"]))
    assert len(results) == 4
    assert all(0 <= r.distress_load <= 1 for r in results)


def test_it_redacts_when_asked():
    [analysis] = Lens().analyse(["Call me on 07911 123456"], redact_text=True)
    assert analysis.redacted_text == "Call me on [PHONE]"
    assert analysis.to_dict()["redacted_text"] == "Call me on [PHONE]"


def test_ordinary_hard_casework_raises_no_rule_and_no_confident_risk():
    """Life risk is recall-first (the casework threshold keeps out-of-fold recall at 0.99),
    so a hard letter may still be marked for a careful read; but no rule fires, so it does
    not lead the inbox, and the learned score stays below a confident reading."""
    letters = [
        "Dear Ms Hussain,\n\nI have tried everything and I cannot cope any more.\n\nThe boiler "
        "broke five weeks ago and we have no hot water. The landlord keeps saying an engineer "
        "is booked.\n\nI do not know what else to do. Please.",
        "Hello,\n\nI am absolutely fed up. HMRC has put me on an emergency tax code and I have "
        "lost £310 this month.\n\nKind regards.",
        "To the MP's office,\n\nOur bins have not been collected for three weeks.\n\nI look "
        "forward to hearing from you.",
    ]
    for analysis in analyse_texts(letters):
        assert not analysis.flags
        assert analysis.risk_score < 0.55


def test_it_reads_not_coping_as_distress_without_a_self_harm_flag():
    [analysis] = analyse_texts(["I have tried everything and I cannot cope any more."])
    assert analysis.emotion == "distress"
    assert "self_harm" not in {flag.kind for flag in analysis.flags}


ANGRY_LETTER = (
    "Hello,\n\nThis is a disgrace and I am furious about how we have been treated.\n\n"
    "My landlord has served a section 21 notice and wants us out by 18 October. I have "
    "always paid the rent. I do not know what my rights are.\n\nRavi Hill"
)

# Staff write down a call in the third person.
PHONE_NOTE = (
    "Rang to say the landlord came round again today and shouted at her kids. "
    "She is frightened to open the door."
)


@pytest.mark.parametrize(
    ("text", "feeling", "words"),
    [
        ("I cannot cope any more.", "distress", "I cannot cope"),
        ("I just don't know what to do anymore.", "distress", "I just don't know what to do"),
        ("I feel completely hopeless.", "distress", "I feel completely hopeless"),
        ("We are at breaking point with the damp.", "distress", "at breaking point"),
        (PHONE_NOTE, "distress", "She is frightened"),
        (ANGRY_LETTER, "anger", "This is a disgrace"),
    ],
)
def test_words_of_feeling_set_the_emotion_and_explain_it(text, feeling, words):
    alone = Lens().models["emotion"].proba(featurize([text]))[0]
    [analysis] = analyse_texts([text])
    assert EMOTIONS[alone.argmax()] != feeling  # what the model alone would say
    assert analysis.emotion == feeling
    assert analysis.emotion_words == words
    assert analysis.top_features["emotion"][0] == words
    assert analysis.emotion_scores[feeling] >= FEELING_WORDS_WEIGHT
    assert abs(sum(analysis.emotion_scores.values()) - 1) < 0.01


def test_round4_rounds_every_value_as_python_does():
    rng = np.random.default_rng(0)
    halves = (2 * np.arange(-2000, 20001) + 1) / 20_000  # k + 0.5 ten-thousandths, nearly
    values = np.concatenate(
        [
            rng.random(50_000),
            rng.random(50_000).astype(np.float32),
            halves,
            np.nextafter(halves, 2.0),
            np.nextafter(halves, -2.0),
            [0.0, -0.0, 1.0, 0.00015, 0.12345, 2.5e-5, 123456.78955, 1e20, np.inf, -np.inf],
        ]
    )
    expected = [round(value, 4) for value in values.astype(np.float64).tolist()]
    assert round4(values).tolist() == expected
    assert round4(values[:, None]).ravel().tolist() == expected


def test_distress_load_blends_feeling_rating_urgency_and_length():
    rng = np.random.default_rng(1)
    emotions = round4(rng.dirichlet(np.ones(4), size=2000))
    urgency = rng.choice([0.0, 0.5, 1.0], size=2000)
    rating = rng.uniform(0.0, 8.0, size=2000)
    words = rng.integers(1, 900, size=2000)
    expected = [
        round(
            min(
                1.0,
                0.4 * (scores[0] + 0.4 * scores[1])
                + 0.15 * min(1.0, max(0.0, (distress - 2.0) / 4.0))
                + 0.35 * urgent
                + 0.1 * min(1.0, count / 400),
            ),
            4,
        )
        for scores, urgent, distress, count in zip(
            emotions.tolist(), urgency.tolist(), rating.tolist(), words.tolist(), strict=True
        )
    ]
    assert distress_load(emotions, urgency, rating, words).tolist() == expected


def test_it_pauses_the_cycle_collector_only_while_it_reads() -> None:
    seen = []
    lens = Lens()
    original = lens._read

    def read(*args):
        seen.append(gc.isenabled())
        return original(*args)

    lens._read = read
    assert gc.isenabled()
    lens.analyse(["The boiler broke again and we are freezing."])
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        lens.analyse(["Thank you for your help."])
        assert not gc.isenabled()
    finally:
        gc.enable()
