"""The demo office's people gave their consent when they first wrote in, not when the demo
was built, and what they told the office is in their own letters."""

from django.db.models import Min

from compassion.cases.models import Case
from compassion.core import demo
from compassion.core.models import Consent
from compassion.voices.models import Voice


def test_each_consent_dates_from_its_persons_first_message(db: None) -> None:
    office = demo.build_demo_office(seed=7, people=200, messages=600)
    first_messages = dict(
        Voice.objects.filter(office=office, person__isnull=False)
        .values("person")
        .annotate(first=Min("received_at"))
        .values_list("person", "first")
    )
    consents = list(Consent.objects.filter(person__office=office))
    assert len(consents) > 100
    wrote = [c for c in consents if c.person_id in first_messages]
    assert len(wrote) > 50
    assert all(c.recorded_at <= first_messages[c.person_id] for c in wrote)
    # All but the few whose first message came through the real intake path afterwards
    # (the inbox's demo step), at the time they wrote.
    on_the_day = [c for c in wrote if c.recorded_at == first_messages[c.person_id]]
    assert len(on_the_day) >= 0.95 * len(wrote)


def test_what_matters_most_is_in_the_persons_own_letter(db: None) -> None:
    """The words a caseworker recorded as mattering most were drawn afresh: "Our bins on
    Chapel Walk…" for a letter about Greenfield Crescent."""
    office = demo.build_demo_office(seed=7, people=200, messages=600)
    heard = list(Case.objects.filter(office=office).exclude(heard=""))
    assert len(heard) > 100
    for case in heard:
        assert case.heard.rstrip(".") in case.first_voice().body, case.reference


def test_calls_and_visits_are_staff_notes_in_office_hours_naming_what_the_letter_names(
    db: None,
) -> None:
    """A call was written as a letter ("To the MP's office,") at 3.46 in the morning, and a
    subject named a street the message did not."""
    from django.utils import timezone

    from compassion.core.demo import letters

    office = demo.build_demo_office(seed=7, people=200, messages=600)
    voices = Voice.objects.filter(office=office).select_related("person", "case")
    noted = [voice for voice in voices if voice.channel in ("phone", "surgery")]
    assert len(noted) > 30
    for voice in noted:
        assert voice.body.startswith(f"{voice.person.full_name} "), voice.body[:60]
        assert "In their words:" in voice.body
        assert not any(voice.body.startswith(greeting) for greeting in letters.GREETINGS)
        assert 9 <= timezone.localtime(voice.received_at).hour < 17
    slotted = [situation.subject.split("{")[0] for situation in letters.SITUATIONS]
    slotted = [start for start in slotted if start and start.endswith(" on ")]
    particular = [voice for voice in voices if any(voice.subject.startswith(s) for s in slotted)]
    named = [voice for voice in particular if voice.subject.split(" on ")[-1] in voice.body]
    assert len(named) == len(particular) > 10


def test_nothing_in_the_demo_has_happened_yet_in_the_future(db: None) -> None:
    """A case opened nine days ago showed a reply "sent" in a week's time; a letter sent
    yesterday had an obstacle recorded next month. Every moment the demo records is past,
    except when a conversation opens and closes, which are plans."""
    from django.apps import apps
    from django.db import models
    from django.utils import timezone

    planned = {("Conversation", "opens_at"), ("Conversation", "closes_at")}
    demo.build_demo_office(seed=7, people=200, messages=600)
    now = timezone.now()
    moments = [
        (model, field.name)
        for model in apps.get_models()
        if model.__module__.startswith("compassion.")
        for field in model._meta.get_fields()
        if isinstance(field, models.DateTimeField) and (model.__name__, field.name) not in planned
    ]
    future = [
        f"{model.__name__}.{name}"
        for model, name in moments
        if model.objects.filter(**{f"{name}__gt": now}).exists()
    ]
    assert future == []


def test_an_action_about_an_agency_is_only_on_a_case_that_wrote_to_one(db: None) -> None:
    """An action to send the person the agency's answer was due where no letter was sent."""
    from compassion.cases.demo import BEFORE_ANY_LETTER
    from compassion.cases.models import Action

    office = demo.build_demo_office(seed=7, people=200, messages=600)
    actions = Action.objects.filter(case__office=office).select_related("case")
    about_agencies = [a for a in actions if a.description in BEFORE_ANY_LETTER]
    instead = [a for a in actions if a.description in BEFORE_ANY_LETTER.values()]
    assert about_agencies and instead
    assert all(action.case.referrals.exists() for action in about_agencies)
    assert not any(action.case.referrals.exists() for action in instead)


def test_the_demo_numbers_its_cases_in_one_series_that_new_cases_carry_on(db: None) -> None:
    from django.utils import timezone

    from compassion.voices.intake import next_reference

    office = demo.build_demo_office(seed=7, people=200, messages=600)
    numbers = [
        int(ref.rsplit("-", 1)[1]) for ref in Case.objects.values_list("reference", flat=True)
    ]
    assert len(set(numbers)) == len(numbers)
    assert max(numbers) <= len(numbers)  # no campaign letters numbered apart from 90001
    assert int(next_reference(office, timezone.now()).rsplit("-", 1)[1]) <= len(numbers) + 1
