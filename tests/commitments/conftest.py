"""A commitment of the cast's office, asked for by a campaign and a case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from compassion.cases.models import Case
from compassion.commitments.models import Commitment, PublicStatus, StatusChange
from compassion.voices.models import Campaign, Voice
from tests.conftest import Cast


@pytest.fixture
def campaign(cast: Cast) -> Campaign:
    campaign = Campaign.objects.create(
        office=cast.office, title="Save Eastfield Library", theme="local_services"
    )
    Voice.objects.create(
        office=cast.office,
        person=cast.person,
        campaign=campaign,
        subject="Save the library",
        body="Please keep Eastfield Library open, my son has nowhere else to study.",
    )
    return campaign


@pytest.fixture
def case(cast: Cast) -> Case:
    return Case.objects.create(
        office=cast.office,
        person=cast.person,
        reference="NE-26-00042",
        subject="Joan Smith: damp flat, child with asthma",
        theme="housing",
    )


def new_commitment(cast: Cast, **fields: object) -> Commitment:
    values: dict[str, object] = {
        "office": cast.office,
        "title": "Keep Eastfield Library open",
        "wording": "I will fight to keep Eastfield Library open five days a week.",
        "topic": "local_services",
        "owner": cast.caseworker,
        "deadline": timezone.localdate() + timedelta(days=200),
        "made_on": date(2026, 3, 1),
        "status_changed_at": timezone.now(),
    }
    values.update(fields)
    commitment = Commitment.objects.create(**values)
    StatusChange.objects.create(
        commitment=commitment,
        to_status=PublicStatus.NOT_RATED,
        editor_note="The promise was recorded.",
        decided_at=timezone.now(),
        approved=True,
    )
    return commitment


@pytest.fixture
def commitment(cast: Cast, campaign: Campaign, case: Case) -> Commitment:
    commitment = new_commitment(cast)
    commitment.campaigns.add(campaign)
    commitment.cases.add(case)
    commitment.refresh_people_asked()
    return commitment
