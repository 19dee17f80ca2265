"""The database helpers: a moment on or before a local date, on SQLite and PostgreSQL alike."""

from datetime import UTC, date, datetime

import pytest

from compassion.cases.models import Case
from compassion.insights.queries import Period, by_end_of_day
from tests.conftest import Cast


@pytest.mark.parametrize(
    "acknowledged_utc,in_time",
    [
        (datetime(2026, 7, 1, 22, 30), True),  # 23:30 in London (summer time): that day
        (datetime(2026, 7, 1, 23, 30), False),  # 00:30 on 2 July in London: too late
        (datetime(2026, 1, 14, 23, 30), True),  # winter: London is on UTC
        (datetime(2026, 1, 15, 0, 0), False),
    ],
)
def test_it_reads_the_local_date_of_a_moment(
    cast: Cast, acknowledged_utc: datetime, in_time: bool
) -> None:
    moment = acknowledged_utc.replace(tzinfo=UTC)
    due = date(2026, 7, 1) if moment.month == 7 else date(2026, 1, 14)
    Case.objects.create(
        office=cast.office,
        reference="T-1",
        subject="A problem",
        opened_at=moment,
        acknowledge_by=due,
        acknowledged_at=moment,
    )
    year = [Period(datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))]
    found = Case.objects.filter(by_end_of_day("acknowledged_at", "acknowledge_by", year))
    assert found.exists() == in_time
