"""The survey instruments a pulse asks, with their exact wording, answer scales and scoring.

Plain Python, no Django. Every instrument names its source; the pages show it.
Answers are stored as option codes (1 = the first option shown); `Item.score` turns a code
into the instrument's own score, reversing where the instrument says so.

Shipped, all free to use:

* Compassionate leadership of the immediate manager: NHS Staff Survey questions 9f-9i
  (NHS England, NHS Staff Survey 2023 questionnaire; "We are compassionate and inclusive",
  compassionate leadership sub-score). Scored 0, 2.5, 5, 7.5, 10; % positive = agree or
  strongly agree.
* Team psychological safety: Edmondson, A. (1999). Psychological safety and learning behavior
  in work teams. Administrative Science Quarterly, 44(2), 350-383. Seven items, 1, 3 and 5
  reverse-scored, 7-point accuracy scale, scale score = mean after reversing.
* Work-related burnout: the Copenhagen Burnout Inventory (Kristensen, T. S., Borritz, M.,
  Villadsen, E., & Christensen, K. B. (2005). Work & Stress, 19(3), 192-207), free to use.
  Seven items, the last reversed, scored 100/75/50/25/0; 50 and over is read as burnout.
* Intention to leave: the three NHS Staff Survey morale items 24a-24c ("thinking about
  leaving" sub-score), reversed so that a higher score means less intention to leave.
* Workload: NHS Staff Survey items 3g and 3i.
* One free-text question.

Proprietary instruments (Maslach Burnout Inventory, Gallup Q12) are deliberately not shipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

AGREEMENT_5 = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)
ACCURACY_7 = (
    "Very inaccurate",
    "Inaccurate",
    "Slightly inaccurate",
    "Neither accurate nor inaccurate",
    "Slightly accurate",
    "Accurate",
    "Very accurate",
)
CBI_FREQUENCY = ("Always", "Often", "Sometimes", "Seldom", "Never/almost never")
CBI_INTENSITY = (
    "To a very high degree",
    "To a high degree",
    "Somewhat",
    "To a low degree",
    "To a very low degree",
)

NHS_SOURCE = (
    "NHS Staff Survey 2023 questionnaire, NHS England (nhsstaffsurveys.com); "
    "compassionate leadership sub-score of 'We are compassionate and inclusive'"
)
EDMONDSON_SOURCE = (
    "Edmondson, A. (1999). Psychological safety and learning behavior in work teams. "
    "Administrative Science Quarterly, 44(2), 350-383"
)
CBI_SOURCE = (
    "Kristensen, T. S., Borritz, M., Villadsen, E., & Christensen, K. B. (2005). "
    "The Copenhagen Burnout Inventory: a new tool for the assessment of burnout. "
    "Work & Stress, 19(3), 192-207 (work-related burnout scale; free to use)"
)
NHS_MORALE_SOURCE = (
    "NHS Staff Survey 2023 questionnaire, questions 24a-24c (morale: thinking about leaving)"
)
NHS_WORKLOAD_SOURCE = "NHS Staff Survey 2023 questionnaire, questions 3g and 3i"


@dataclass(frozen=True)
class Item:
    """One question. `points` gives the score of each option code, in the order shown."""

    code: str
    text: str
    options: tuple[str, ...]
    points: tuple[float, ...]
    reverse: bool = False
    behaviour: str = ""
    favourable_from: float = 0.0
    # For scales where lower is better (burnout): favourable when the score is below this.
    favourable_below: float | None = None

    def score(self, code: int) -> float:
        """The instrument's score for an answer code (1 = first option), reversed if needed."""
        if not 1 <= code <= len(self.options):
            raise ValueError(f"{self.code}: answer {code} is not one of the options.")
        index = code - 1
        if self.reverse:
            index = len(self.options) - 1 - index
        return self.points[index]

    def is_favourable(self, code: int) -> bool:
        """Counts towards '% positive': the answer is on the good side of the scale."""
        if self.favourable_below is not None:
            return self.score(code) < self.favourable_below
        return self.score(code) >= self.favourable_from


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    short_name: str
    source: str
    items: tuple[Item, ...]
    low: float
    high: float
    higher_is_better: bool = True
    # A person's scale score needs at least this share of the items answered.
    min_answered_share: float = 0.0
    positive_label: str = "% positive"
    explanation: str = ""
    # The score at or above which a person is counted (e.g. burnout at 50), if any.
    case_threshold: float | None = None
    case_label: str = ""
    # The NHS publishes national results for this instrument's questions.
    national_reference: bool = False
    # Published figures loaded by an administrator (see `reference.py`): item code or
    # "scale" -> value, and what they are.
    reference: dict[str, float] = field(default_factory=dict)
    reference_label: str = ""
    # What a high score means, where "higher is better" would mislead: a high "Thinking
    # about leaving" score means few are thinking of leaving.
    high_score_means: str = ""

    @property
    def reading(self) -> str:
        """How to read the score, in a few words, shown beside its range."""
        if self.high_score_means:
            return self.high_score_means
        return "higher is better" if self.higher_is_better else "lower is better"

    @property
    def item_codes(self) -> list[str]:
        return [item.code for item in self.items]

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)


NHS_POINTS_5 = (0.0, 2.5, 5.0, 7.5, 10.0)


def _agreement(code: str, text: str, behaviour: str = "", reverse: bool = False) -> Item:
    return Item(
        code=code,
        text=text,
        options=AGREEMENT_5,
        points=NHS_POINTS_5,
        reverse=reverse,
        behaviour=behaviour,
        favourable_from=7.5,
    )


BEHAVIOURS = ("understanding", "attending", "empathizing", "helping")
BEHAVIOUR_LABELS = {
    "attending": "Attending",
    "understanding": "Understanding",
    "empathizing": "Empathizing",
    "helping": "Helping",
}

COMPASSIONATE_LEADERSHIP = Instrument(
    code="compassionate_leadership",
    name="Compassionate leadership of my immediate manager",
    short_name="Compassionate leadership",
    source=NHS_SOURCE,
    items=(
        _agreement(
            "q9f",
            "My immediate manager works together with me to come to an understanding of problems.",
            "understanding",
        ),
        _agreement(
            "q9g",
            "My immediate manager is interested in listening to me when I describe challenges "
            "I face.",
            "attending",
        ),
        _agreement("q9h", "My immediate manager cares about my concerns.", "empathizing"),
        _agreement(
            "q9i",
            "My immediate manager takes effective action to help me with any problems I face.",
            "helping",
        ),
    ),
    low=0.0,
    high=10.0,
    explanation=(
        "NHS scoring: strongly disagree 0, disagree 2.5, neither 5, agree 7.5, strongly agree 10. "
        "A person's score is the mean of the items they answered; % positive is the share "
        "who agree or strongly agree."
    ),
    national_reference=True,
)

PSYCHOLOGICAL_SAFETY = Instrument(
    code="psychological_safety",
    name="Team psychological safety",
    short_name="Psychological safety",
    source=EDMONDSON_SOURCE,
    items=tuple(
        Item(
            code=f"ps{number}",
            text=text,
            options=ACCURACY_7,
            points=(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0),
            reverse=number in (1, 3, 5),
            favourable_from=5.0,
        )
        for number, text in [
            (1, "If you make a mistake on this team, it is often held against you."),
            (2, "Members of this team are able to bring up problems and tough issues."),
            (3, "People on this team sometimes reject others for being different."),
            (4, "It is safe to take a risk on this team."),
            (5, "It is difficult to ask other members of this team for help."),
            (6, "No one on this team would deliberately act in a way that undermines my efforts."),
            (
                7,
                "Working with members of this team, my unique skills and talents are valued "
                "and utilized.",
            ),
        ]
    ),
    low=1.0,
    high=7.0,
    explanation=(
        "Answers run from very inaccurate (1) to very accurate (7). Items 1, 3 and 5 are "
        "reverse-scored (8 minus the answer); the scale score is the mean after reversing. "
        "% positive is the share of answers that are slightly accurate or more, after reversing."
    ),
)

_CBI_POINTS = (100.0, 75.0, 50.0, 25.0, 0.0)


def _cbi(code: str, text: str, options: tuple[str, ...], reverse: bool = False) -> Item:
    return Item(
        code=code,
        text=text,
        options=options,
        points=_CBI_POINTS,
        reverse=reverse,
        favourable_below=50.0,
    )


BURNOUT = Instrument(
    code="burnout",
    name="Work-related burnout (Copenhagen Burnout Inventory)",
    short_name="Work-related burnout",
    source=CBI_SOURCE,
    items=(
        _cbi("cbi1", "Is your work emotionally exhausting?", CBI_INTENSITY),
        _cbi("cbi2", "Do you feel burnt out because of your work?", CBI_INTENSITY),
        _cbi("cbi3", "Does your work frustrate you?", CBI_INTENSITY),
        _cbi("cbi4", "Do you feel worn out at the end of the working day?", CBI_FREQUENCY),
        _cbi(
            "cbi5",
            "Are you exhausted in the morning at the thought of another day at work?",
            CBI_FREQUENCY,
        ),
        _cbi("cbi6", "Do you feel that every working hour is tiring for you?", CBI_FREQUENCY),
        _cbi(
            "cbi7",
            "Do you have enough energy for family and friends during leisure time?",
            CBI_FREQUENCY,
            reverse=True,
        ),
    ),
    low=0.0,
    high=100.0,
    higher_is_better=False,
    min_answered_share=0.5,
    positive_label="% below 50 (not burnt out)",
    explanation=(
        "Scored 100 (always, or to a very high degree) down to 0 (never, or to a very low "
        "degree); the last item is reversed. A person's score is the mean of the items they "
        "answered (at least half of them); 50 and over is read as burnout."
    ),
    case_threshold=50.0,
    case_label="at or above 50 (burnout)",
)

INTENTION_TO_LEAVE = Instrument(
    code="intention_to_leave",
    name="Thinking about leaving",
    short_name="Thinking about leaving",
    source=NHS_MORALE_SOURCE,
    items=(
        _agreement("q24a", "I often think about leaving this organisation.", reverse=True),
        _agreement(
            "q24b",
            "I will probably look for a job at a new organisation in the next 12 months.",
            reverse=True,
        ),
        _agreement(
            "q24c",
            "As soon as I can find another job, I will leave this organisation.",
            reverse=True,
        ),
    ),
    low=0.0,
    high=10.0,
    positive_label="% disagreeing (intending to stay)",
    explanation=(
        "NHS scoring, reversed so that a higher score means less intention to leave: strongly "
        "agree 0 up to strongly disagree 10. % positive is the share who disagree."
    ),
    national_reference=True,
    high_score_means="higher means fewer thinking of leaving",
)

WORKLOAD = Instrument(
    code="workload",
    name="Workload",
    short_name="Workload",
    source=NHS_WORKLOAD_SOURCE,
    items=(
        _agreement("q3g", "I am able to meet all the conflicting demands on my time at work."),
        _agreement(
            "q3i", "There are enough staff at this organisation for me to do my job properly."
        ),
    ),
    low=0.0,
    high=10.0,
    explanation="NHS scoring: strongly disagree 0 up to strongly agree 10.",
    national_reference=True,
    high_score_means="higher means the workload is manageable",
)

INSTRUMENTS: tuple[Instrument, ...] = (
    COMPASSIONATE_LEADERSHIP,
    PSYCHOLOGICAL_SAFETY,
    BURNOUT,
    INTENTION_TO_LEAVE,
    WORKLOAD,
)
BY_CODE = {instrument.code: instrument for instrument in INSTRUMENTS}

FREE_TEXT_QUESTION = "What one thing would help you most?"
FREE_TEXT_MAX_CHARS = 2000

# The leader rates themself on the same four behaviours, in their own voice.
SELF_VIEW_TEXTS = {
    "q9f": "I work together with each member of my team to come to an understanding of problems.",
    "q9g": "I am interested in listening to my staff when they describe challenges they face.",
    "q9h": "I care about my staff's concerns.",
    "q9i": "I take effective action to help my staff with any problems they face.",
}


def all_items() -> list[tuple[Instrument, Item]]:
    return [(instrument, item) for instrument in INSTRUMENTS for item in instrument.items]


def clean_answers(raw: dict[str, object]) -> dict[str, int]:
    """Keep the answers that are valid option codes of a known item; drop the rest.

    Skipping a question is allowed (every item is optional, as in the NHS survey).
    """
    answers: dict[str, int] = {}
    for _, item in all_items():
        value = raw.get(item.code)
        if value in (None, ""):
            continue
        try:
            code = int(str(value))
        except ValueError:
            raise ValueError(f"The answer to “{item.text}” is not one of the options.") from None
        if not 1 <= code <= len(item.options):
            raise ValueError(f"The answer to “{item.text}” is not one of the options.")
        answers[item.code] = code
    return answers
