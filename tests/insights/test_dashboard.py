"""The four-behaviour dashboard: real figures, for leaders and managers of the office only."""

from django.test import Client

from compassion.voices.models import Voice
from tests.conftest import Cast
from tests.insights import factories


def figures(response: object) -> dict[str, str]:
    return {f.key: f.value for panel in response.context["panels"] for f in panel.figures}


def test_it_shows_each_behaviour_with_figures_from_the_database(client: Client, cast: Cast) -> None:
    someone = factories.person(cast.office)
    factories.case(cast.office, someone, days_ago=20, ack_hours=4, heard="The damp.")
    factories.case(cast.office, someone, days_ago=25, ack_hours=4, messages=3)
    factories.case(cast.office, someone, days_ago=30, ack_hours=200, outcome="helped")
    factories.case(cast.office, someone, days_ago=40, ack_hours=6, outcome="not_helped")
    factories.case(cast.office, someone, days_ago=35, urgent=True)
    Voice.objects.create(office=cast.office, subject="Unread", body="Hello")
    factories.case(cast.other_office, None, days_ago=10, ack_hours=900)
    client.force_login(cast.leader)

    response = client.get("/insights/")

    assert response.status_code == 200
    shown = figures(response)
    assert shown["ack_share"] == "80%"  # 4 of 5 cases acknowledged within 2 working days
    assert shown["ack_median"] == "5 hours"  # of 4, 4, 5, 6 and 200
    assert shown["unread"] == "1"
    assert shown["voices_year"] == "8"
    assert shown["heard"] == "20%"
    assert shown["repeat"] == "20%"
    assert shown["urgent"] == "1"
    assert shown["resolved"] == "2"
    assert shown["helped"] == "50%"
    html = response.content.decode()
    for title in ("Attending", "Understanding", "Empathizing", "Helping"):
        assert f">{title}</h2>" in html
    assert "<svg" in html and "<title id=" in html


def test_it_is_only_for_leaders_and_managers(client: Client, cast: Cast) -> None:
    client.force_login(cast.manager)
    assert client.get("/insights/").status_code == 200
    for user in (cast.caseworker, cast.volunteer):
        client.force_login(user)
        assert client.get("/insights/").status_code == 403


def test_it_sends_visitors_to_log_in(client: Client, cast: Cast) -> None:
    response = client.get("/insights/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_never_counts_another_offices_cases(client: Client, cast: Cast) -> None:
    for _ in range(3):
        factories.case(cast.other_office, None, days_ago=10, urgent=True)
    client.force_login(cast.leader)
    shown = figures(client.get("/insights/"))
    assert shown["urgent"] == "0"
    assert shown["voices_year"] == "0"


def test_it_downloads_charts_and_tables(client: Client, cast: Cast) -> None:
    factories.case(cast.office, factories.person(cast.office), days_ago=20)
    client.force_login(cast.leader)

    svg = client.get("/insights/charts/attending-acknowledged.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg") and b"<title" in svg.content
    png = client.get("/insights/charts/attending-acknowledged.png")
    assert png.content.startswith(b"\x89PNG")
    csv = client.get("/insights/tables/attending-channels.csv")
    assert csv["Content-Disposition"] == 'attachment; filename="attending-channels.csv"'
    assert "Email" in csv.content.decode("utf-8-sig")
    xlsx = client.get("/insights/tables/empathizing-team-load.xlsx")
    assert xlsx.content.startswith(b"PK")
    assert client.get("/insights/charts/nope.svg").status_code == 404
    assert client.get("/insights/charts/attending-acknowledged.exe").status_code == 404
    assert client.get("/insights/tables/attending-channels.html").status_code == 404
