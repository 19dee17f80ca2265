"""Labels and names read correctly inside a sentence: acronyms and proper nouns keep their
capitals, and "the Office of ..." takes its article."""

import pytest
from django.template import Context, Template

from compassion.core.models import Office
from compassion.core.templatetags.words import mid_sentence


@pytest.mark.parametrize(
    ("label", "in_a_sentence"),
    [
        ("Schools and SEND", "schools and SEND"),
        ("Benefits and Universal Credit", "benefits and Universal Credit"),
        ("In Parliament or the council chamber", "in Parliament or the council chamber"),
        ("NHS dentists", "NHS dentists"),
        ("A", "a"),
        ("", ""),
    ],
)
def test_only_the_first_letter_changes(label: str, in_a_sentence: str) -> None:
    assert mid_sentence(label) == in_a_sentence


def test_templates_use_it_as_a_filter() -> None:
    template = Template("{% load words %}Questions about {{ theme|mid_sentence }}.")
    rendered = template.render(Context({"theme": "Health and NHS"}))
    assert rendered == "Questions about health and NHS."


@pytest.mark.parametrize(
    ("name", "in_a_sentence"),
    [
        ("Office of Amira Hussain MP", "the Office of Amira Hussain MP"),
        ("Constituency office of Sam Lee MS", "the Constituency office of Sam Lee MS"),
        ("Amira Hussain MP", "Amira Hussain MP"),
        ("Officer Dibble's surgery", "Officer Dibble's surgery"),
    ],
)
def test_an_office_named_for_what_it_is_takes_the(name: str, in_a_sentence: str) -> None:
    assert Office(name=name).name_in_sentence == in_a_sentence
