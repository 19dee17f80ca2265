"""The urgent-risk rules: evidence spans, idioms, and the UK casework risk set."""

from pathlib import Path

import pytest

import compassion.lens
from compassion.lens import find_flags, rules
from compassion.lens.evaluate import casework_risk_scores

CASEWORK = Path(compassion.lens.__file__).parent / "data"


def kinds(text: str) -> set[str]:
    return {flag.kind for flag in find_flags(text)}


def test_it_flags_self_harm_with_the_words_that_triggered_it():
    text = "Since the sanction I have been thinking about ending my life."
    [flag] = find_flags(text)
    assert flag.kind == "self_harm"
    assert flag.evidence == "ending my life"
    assert text[flag.start : flag.end] == flag.evidence


@pytest.mark.parametrize(
    "text",
    [
        "This policy is killing our high street.",
        "I'm dying to see the plans for the new leisure centre.",
        "Suicide prevention funding should be increased.",
        "Please support the fire station staying open.",
        "It is heartbreaking to see people sleeping rough in the town centre.",
        "I would like to invite you to our domestic abuse awareness coffee morning.",
    ],
)
def test_it_ignores_idioms_and_policy_talk(text):
    assert kinds(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "My son was kicked out of the football team and he is gutted.",
        "He was thrown out of his sixth form college.",
        "I was rather put out by the tone of the council's reply.",
    ],
)
def test_being_put_out_of_a_team_a_school_or_a_mood_is_not_an_eviction(text):
    assert kinds(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "They kicked me out of the hostel this morning.",
        "My landlord put us out on the street last night.",
        "I was kicked out of the family home by my dad.",
        "We were thrown out by the landlord.",
    ],
)
def test_being_put_out_of_a_home_is_an_eviction(text):
    assert kinds(text) == {"eviction"}


@pytest.mark.parametrize(
    "text",
    [
        "I rang DWP three times and got cut off after an hour on hold.",
        "The call was cut off halfway through and nobody rang back.",
        "They cut off the footpath with the new fence.",
        "Since the bus was axed we are cut off from the town.",
        "My mum is dying to meet you at the surgery next week.",
    ],
)
def test_a_call_or_a_path_cut_off_and_dying_to_meet_you_are_not_urgent(text):
    assert kinds(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "We have been cut off and have no electric for the baby.",
        "They cut off our gas last week and it is freezing.",
        "The water was disconnected on Monday.",
    ],
)
def test_a_home_cut_off_from_its_gas_electricity_or_water_is_still_flagged(text):
    assert "no_food_or_heating" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "She has a fit note and cannot get on a bus to the jobcentre.",
        "The river Wye is dying and nobody cares.",
        "I am organising a knife amnesty in the park.",
        "My husband had a stroke in May and came home in a wheelchair.",
        "My PIP tribunal was cancelled on the day for the 2nd time.",
        "My PIP appeal was heard last Wednesday and I won.",
    ],
)
def test_a_fit_note_a_dying_river_a_past_stroke_or_hearing_are_not_urgent(text):
    assert kinds(text) == set()


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("My son is having a fit and is not breathing.", "threat_to_life"),
        ("My dad had a stroke this morning and the ambulance has not come.", "threat_to_life"),
        ("My mum is dying in hospital and they will not let me visit.", "threat_to_life"),
        ("The tribunal is on Wednesday and I have no representative.", "deadline"),
        ("The possession hearing is on the 2nd.", "deadline"),
    ],
)
def test_a_fit_a_stroke_today_a_dying_parent_and_a_hearing_this_week_still_are(text, kind):
    assert kind in kinds(text)


def test_a_deadline_cue_and_its_day_must_share_a_sentence_unless_the_next_names_it():
    chaser = (
        "Re: Council tax arrears and bailiffs. The council rang yesterday and said someone "
        "will come out next week."
    )
    assert "deadline" not in kinds(chaser)
    assert "deadline" in kinds("I have a court date. its the 14th.")
    assert "deadline" in kinds("My tribunal is on the 3rd. I am terrified.")


def test_kicked_me_out_is_an_eviction_not_abuse_but_kicked_me_is_abuse():
    assert "domestic_abuse" not in kinds("My brother kicked me out after we argued.")
    assert "domestic_abuse" in kinds("My husband kicked me and the kids are scared.")


def test_it_finds_a_court_date_within_days_and_shows_both_ends():
    [flag] = [
        f for f in find_flags("The possession hearing is tomorrow at 10am.") if f.kind == "deadline"
    ]
    assert flag.evidence == "possession hearing is tomorrow"


def test_it_does_not_call_a_deadline_months_away_urgent():
    assert "deadline" not in kinds("The consultation deadline is in March.")


def test_it_reads_messy_text_without_crashing():
    assert find_flags("") == []
    assert "self_harm" in kinds("i cant go on anymore!!!!!! \n\n KILL MYSELF??")
    assert find_flags("\x00\x01 ���" * 1000) == []


def test_it_finds_several_kinds_in_one_message():
    text = "We have no food, the bailiffs come on Monday and my husband hits me."
    assert {"no_food_or_heating", "eviction", "deadline", "domestic_abuse"} <= kinds(text)


def test_it_meets_the_recall_target_on_the_uk_casework_risk_set():
    scores = casework_risk_scores(CASEWORK / "uk_risk_messages.tsv")
    assert scores.positives + scores.negatives >= 300
    assert scores.risk_recall >= 0.95, scores.missed
    assert scores.flag_recall >= 0.95
    assert scores.false_alarm_rate <= 0.25, scores.false_alarms


@pytest.mark.parametrize(
    "text",
    [
        "I have tried everything and I cannot cope any more.",
        "I can't cope any more with the noise from upstairs.",
        "I'm not sure I can cope with another winter in this flat.",
    ],
)
def test_it_reads_not_coping_as_distress_not_a_self_harm_disclosure(text):
    assert "self_harm" not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "I can't go on like this.",
        "Honestly I don't want to be here any more.",
        "My partner keeps saying life isn't worth living since the redundancy.",
        "I have been saving up my sleeping pills and I haven't told anyone.",
    ],
)
def test_it_still_flags_what_does_disclose_self_harm(text):
    assert "self_harm" in kinds(text)


def test_it_does_not_read_a_polite_sign_off_as_a_hearing():
    text = "I reported it on 3 February.\n\nI look forward to hearing from you."
    assert "deadline" not in kinds(text)


def test_it_does_not_call_council_tax_bailiffs_an_eviction():
    assert "eviction" not in kinds("I got behind on council tax and now the bailiffs have written.")
    assert "eviction" in kinds("The bailiffs are coming on Thursday to change the locks.")


def test_it_flags_a_child_left_alone_and_unfed():
    text = "The little boy next door. He is often left alone overnight and he is not fed."
    assert "child_at_risk" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "I nearly had a heart attack when I opened the energy bill.",
        "My father had a stroke three years ago and wants to drive again.",
        "The government is bleeding our public services dry.",
        "I'm not suicidal or anything, I'm just fed up with the council.",
    ],
)
def test_it_ignores_more_idioms_and_past_events(text):
    assert not kinds(text) & {"self_harm", "threat_to_life"}


def test_searching_alternatives_one_by_one_finds_what_the_whole_rule_finds() -> None:
    """The leftmost match, and there the first alternative's, on every risk-set message."""
    data = Path(rules.__file__).parent / "data"
    texts = [
        line.split("\t", 1)[-1].lower()
        for path in sorted(data.glob("uk_risk_*.tsv"))
        for line in path.read_text(encoding="utf-8").splitlines()[1:]
    ]
    compared = 0
    for kind, alternatives in rules._ALTERNATIVES.items():
        numbers = tuple(range(len(alternatives)))
        whole = rules._reduced(kind, numbers)
        for text in texts:
            expected, found = whole.search(text), rules._first_match(kind, numbers, text)
            assert (found and found.span()) == (expected and expected.span()), (kind, text)
            compared += expected is not None
    assert compared > 300


@pytest.mark.parametrize(
    ("text", "feeling", "words"),
    [
        ("I cannot cope any more.", "distress", "I cannot cope"),
        (
            "Honestly I just don't know what to do anymore.",
            "distress",
            "I just don't know what to do",
        ),
        ("We’re absolutely terrified of losing the flat", "distress", "We’re absolutely terrified"),
        ("The damp is back and we are at breaking point.", "distress", "at breaking point"),
        ("I've no one else to turn to.", "distress", "I've no one else to turn"),
        ("I LIE AWAKE every night over the arrears", "distress", "LIE AWAKE"),
        ("İ can't cope with the arrears", "distress", "İ can't cope"),
        ("This is a disgrace and I am furious.", "anger", "This is a disgrace"),
        ("I am writing because I am sick of being ignored.", "anger", "I am sick of"),
        ("HOW DARE they cut the 42 bus", "anger", "HOW DARE"),
        ("I am furious, and I am scared we will lose the flat.", "distress", "I am scared"),
        ("Rang again. She's terrified of the bailiffs.", "distress", "She's terrified"),
        ("Mr Okafor says he cannot cope with the stairs.", "distress", "he cannot cope"),
        (
            "Surgery visit: they have nowhere else to go.",
            "distress",
            "they have nowhere else to go",
        ),
        ("She keeps crying on the phone.", "distress", "She keeps crying"),
        (
            "Called in person. He is absolutely livid about the fine.",
            "anger",
            "He is absolutely livid",
        ),
    ],
)
def test_it_finds_the_words_in_which_a_writer_names_their_feeling(text, feeling, words):
    assert rules.find_feeling_words(text) == (feeling, words)


@pytest.mark.parametrize(
    "text",
    [
        "I don't know what to do about the bins, they were missed again.",
        "I'm not scared of the landlord, I just want the repair done.",
        "Residents are struggling with the new parking rules.",
        "I am not angry, just tired of waiting.",
        "I am sick and the surgery has no appointments.",
        "The café on the corner is desperate for staff.",
        "She is not angry with the school.",
        "Thank you for coming to the coffee morning.",
        "",
    ],
)
def test_it_finds_no_words_of_feeling_in_ordinary_letters(text):
    assert rules.find_feeling_words(text) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "My mum has waited 11 months for a hip operation. Can you help? Regards, Sandra",
            "Can you help",
        ),
        (
            "I’d be grateful if you could chase the Home Office for us.",
            "I’d be grateful if you could chase",
        ),
        ("The school won't answer about his EHCP. What can I do?", "What can I do"),
        ("Is there anything your office can do", "Is there anything your office can do"),
        ("Phone note: Mr P asked us to chase HMRC about his refund.", "asked us to chase"),
        ("PLEASE HELP we have been without heating for a week", "PLEASE HELP"),
        ("i’m asking for your help with my PIP", "i’m asking for your help"),
        ("Could someone write to the council on my behalf?", "on my behalf"),
    ],
)
def test_it_finds_the_words_in_which_a_writer_asks_for_help(text, words):
    assert rules.find_asking_words(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "Thank you so much for your help with my PIP appeal.",
        "I can't see how this policy will help anyone.",
        "Please vote against the Planning Bill on Tuesday.",
        "Could you tell me how you voted on the assisted dying bill?",
        "Please support the campaign to save our library.",
        "Will you write to the minister and raise this in Parliament?",
        "The government should do more to help pensioners.",
        "We need more support for carers in this town.",
        "",
    ],
)
def test_it_finds_no_asking_words_in_thanks_lobbying_or_opinion(text):
    assert rules.find_asking_words(text) is None


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("I have £3 left and nothing in the fridge for the kids.", "I have £3 left"),
        ("We’ve got £12 to last till Friday.", "We’ve got £12 to last"),
        ("Universal credit was stopped and the cupboards are bare.", "cupboards are bare"),
        ("There is nothing in the fridge and payday is a week off.", "nothing in the fridge"),
    ],
)
def test_it_flags_an_empty_fridge_or_a_few_pounds_to_live_on(text, evidence):
    assert [(f.kind, f.evidence) for f in rules.find_flags(text)] == [
        ("no_food_or_heating", evidence)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "We have £40 left on the loan and want to clear it.",
        "I have £300 left to pay on the council tax.",
        "Our fridge freezer broke and the landlord won't replace it.",
    ],
)
def test_money_left_to_pay_or_a_broken_fridge_is_no_food_flag(text):
    assert "no_food_or_heating" not in {f.kind for f in rules.find_flags(text)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("help!! landlord changed the locks while i was at work", "eviction"),
        ("I've been living in my car in Renfrew for two months.", "eviction"),
        ("do u know if theres anywhere i can sleep tonight", "eviction"),
        ("The landlord has cut off our electric to force us out.", "eviction"),
        ("hiya, my UC got stopped. no money for gas. can u help", "no_food_or_heating"),
        ("electric meter on emergency credit, £1.40 left", "no_food_or_heating"),
        ("pensioner, we cannot put the heating on", "no_food_or_heating"),
        ("My universal credit is £0 and the rent is due friday.", "deadline"),
        ("My leave expires next week and the appointment was cancelled.", "deadline"),
    ],
)
def test_it_flags_eviction_hunger_and_deadlines_in_plain_words(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "saw you at the foodbank on saturday, respect for rolling your sleeves up",
        "Is the leisure centre's new gas boiler more efficient?",
        "Could the rent on the community hall be due quarterly instead?",
    ],
)
def test_it_does_not_flag_everyday_words_that_sound_alike(text: str) -> None:
    assert kinds(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "I can’t go on any more",  # a curly apostrophe, as phones and Word write it
        "I don’t want to be here any more",
        "I want to kill\u00a0myself",  # a non-breaking space
        "some days I want to kill\nmyself",  # a line wrapped in an email
        "I can't go on\r\nany more",
        "I want to kill  myself",  # two spaces, as a slip of the thumb types them
        "I have been thinking about ending\r\n\r\nmy life",  # a paragraph break
        "I don’t   want\tto be here any more",
        "Dear Sir,\r\n\r\nIt has been  hard.\n\nSome nights I think about ending  my life.",
    ],
)
def test_risk_words_are_read_whatever_apostrophe_or_space_they_are_written_with(text):
    flags = find_flags(text)
    assert [flag.kind for flag in flags] == ["self_harm"]
    assert text[flags[0].start : flags[0].end] == flags[0].evidence  # as written


def test_a_grown_up_who_has_stopped_eating_is_a_health_risk_not_a_child_at_risk():
    assert kinds("Mum has stopped eating and won't get out of bed.") == {"threat_to_life"}
    assert kinds("My son has stopped eating since the move.") >= {"child_at_risk"}
