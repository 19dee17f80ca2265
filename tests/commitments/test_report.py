from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from compassion.commitments.charts import trajectory_svg
from compassion.commitments.models import Commitment, Stocktake, TrajectoryPoint
from tests.commitments.conftest import new_commitment
from tests.conftest import Cast


def test_it_makes_the_stocktake_report_as_a_pdf(client: Client, cast: Cast, commitment) -> None:
    commitment.metric_label, commitment.metric_target = "homes repaired", 400
    commitment.save()
    TrajectoryPoint.objects.create(commitment=commitment, on=date(2026, 3, 1), planned=0, actual=0)
    TrajectoryPoint.objects.create(
        commitment=commitment, on=date(2026, 9, 1), planned=200, actual=150
    )
    Stocktake.objects.create(
        commitment=commitment, likelihood="amber_green", progress="p", reason="r"
    )
    client.force_login(cast.leader)
    response = client.get("/commitments/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 5000
    client.force_login(cast.caseworker)
    assert client.get("/commitments/report.pdf").status_code == 403


def test_it_lists_what_is_overdue_for_the_leader(client: Client, cast: Cast) -> None:
    today = timezone.localdate()
    late = new_commitment(
        cast, title="Late bus", deadline=today - timedelta(days=3), status="in_the_works"
    )
    new_commitment(cast, title="Kept late", deadline=today - timedelta(days=3), status="kept")
    client.force_login(cast.leader)
    page = client.get("/commitments/overdue/").content.decode()
    assert "Late bus" in page and "Kept late" not in page
    assert late.meter_label(today) == "Overdue"


def test_it_escapes_text_in_the_chart(cast: Cast) -> None:
    commitment = new_commitment(
        cast, title='<script>alert("x")</script>', metric_label="a&b", metric_target=10
    )
    points = [
        TrajectoryPoint(commitment=commitment, on=date(2026, 1, 1), planned=0, actual=1),
        TrajectoryPoint(commitment=commitment, on=date(2026, 6, 1), planned=10),
    ]
    svg = trajectory_svg(commitment, points, date(2026, 3, 1))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b" in svg
    assert "<title" in svg and "<desc" in svg and "Today" in svg
    assert trajectory_svg(Commitment(title="x"), [], date(2026, 3, 1)) == ""
