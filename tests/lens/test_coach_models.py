"""The coach's EPITOME stacks: features, rationale supervision and the shipped models."""

import numpy as np

from compassion.lens.coach_features import (
    CUES,
    cues,
    rationale_labels,
    split_sentences,
    without_office_formulas,
)
from compassion.lens.empathy import MechanismModel

MESSAGE = "I lost my job last week and I can't stop crying. I don't know what to do."


def test_it_marks_the_sentences_that_hold_a_rationale_span():
    reply = "That sounds awful. I lost my job in 2019 too. Have you talked to anyone?"
    labels, found = rationale_labels(reply, "I lost my job in 2019 too.|")
    assert found
    assert labels == [0, 1, 0]
    assert rationale_labels(reply, "words that are not there|") == ([0, 0, 0], False)


def test_it_splits_replies_into_sentences_and_remembers_their_owner():
    sentences, owners = split_sentences(["So sorry. Hugs!", "ok"])
    assert [s.strip() for s in sentences] == ["So sorry.", "Hugs!", "ok"]
    assert owners.tolist() == [0, 0, 1]


def cue_names(message: str, reply: str) -> dict[str, float]:
    return dict(zip(CUES, cues(message, reply), strict=True))


def test_its_cues_see_questions_and_shared_experience():
    asking = cue_names(MESSAGE, "What happened at work? How are you sleeping?")
    sharing = cue_names(MESSAGE, "I've been there, I was let go in the spring.")
    assert asking["asks_about_them"] == 1.0 and asking["starts_a_question"] == 1.0
    assert sharing["understanding_words"] == 1.0 and sharing["asks_about_them"] == 0.0
    assert sharing["first_person_rate"] > asking["first_person_rate"]


def test_the_shipped_models_tell_an_empathic_reply_from_a_cold_one():
    models = {name: MechanismModel.load(name) for name in ("emotional_reaction", "exploration")}
    warm = "I'm so sorry, that must be really scary. What happened at work?"
    cold = "Apply for jobseeker's allowance online."
    for model in models.values():
        levels = model.levels([MESSAGE, MESSAGE], [warm, cold])
        assert levels[0] >= 1 and levels[1] == 0


def test_a_saved_model_reads_back_the_same(tmp_path):
    model = MechanismModel.load("interpretation")
    model.save(tmp_path)
    again = MechanismModel.load("interpretation", tmp_path)
    replies = ["I know how hard that is, I went through the same last year.", "Noted."]
    assert np.allclose(
        model.probability([MESSAGE] * 2, replies), again.probability([MESSAGE] * 2, replies)
    )
    assert (json_path := tmp_path / "epitome_interpretation.json").exists()
    assert "pickle" not in json_path.read_text()


def test_it_sets_an_office_letters_courtesies_aside_but_keeps_real_feeling():
    assert without_office_formulas("Thank you for your email. We will look into it.") == (
        "We will look into it."
    )
    assert without_office_formulas("Kind regards, Sam") == ""
    kept = "Thank you for contacting me about the eviction, I am so sorry."
    assert without_office_formulas(kept) == kept


def test_it_sets_aside_sentences_that_only_state_an_office_step():
    reply = "I have forwarded it to the council. I can only imagine how frightening this is."
    assert without_office_formulas(reply) == "I can only imagine how frightening this is."
    assert without_office_formulas("Noted, I have sent it on.") == ""
    mixed = "I am so sorry, I have passed it on."
    assert without_office_formulas(mixed) == mixed
