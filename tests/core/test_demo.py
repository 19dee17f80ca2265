"""The demo office's people gave their consent when they first wrote in, not when the demo
was built."""

from django.db.models import Min

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
