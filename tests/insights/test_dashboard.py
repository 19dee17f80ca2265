"""The four-behaviour dashboard: real figures, for leaders and managers of the office only."""

from datetime import timedelta

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from compassion.cases.models import Case, Reply
from compassion.core.workdays import add_working_days
from compassion.insights.dashboard import distress_replies
from compassion.insights.queries import last_months
from compassion.voices.models import Campaign, Voice
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
    # A figure in words (the most raised theme) is set smaller than the numbers.
    assert f'class="figure-value in-words" data-figure="top_theme">{shown["top_theme"]}' in html
    assert 'class="figure-value" data-figure="ack_share"' in html
    for title in ("Attending", "Understanding", "Empathizing", "Helping"):
        assert f">{title}</h2>" in html
    assert "<svg" in html and "<title id=" in html


def test_the_most_raised_theme_leaves_out_campaigns_and_is_none_without_cases(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.leader)
    assert figures(client.get("/insights/"))["top_theme"] == "–"  # not the first theme listed
    campaign = Campaign.objects.create(
        office=cast.office, title="Save the pool", theme="local_services"
    )
    for _ in range(3):
        factories.case(
            cast.office, factories.person(cast.office), theme="local_services", days_ago=5
        )
    Case.objects.filter(office=cast.office).update(campaign=campaign)
    factories.case(cast.office, factories.person(cast.office), theme="transport", days_ago=9)
    cache.clear()
    assert figures(client.get("/insights/"))["top_theme"] == "Transport"
    # Voices for a speech opens on the same theme.
    assert client.get("/insights/voices/").context["form"]["theme"].value() == "transport"


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


def read_by_the_lens(made: Case, emotion: str = "neutral", load: float = 0.1) -> None:
    made.voices.update(analysed_at=made.opened_at, emotion=emotion, distress_load=load)


def test_it_says_how_fast_a_person_answered_distressing_messages(
    client: Client, cast: Cast
) -> None:
    someone = factories.person(cast.office)
    replies = {"distress": [10, 30, 400], "neutral": [1]}
    for emotion, hours in replies.items():
        for wait in hours:
            made = factories.case(cast.office, someone, days_ago=40)
            made.first_reply_at = made.opened_at + timedelta(hours=wait)
            made.reply_by = add_working_days(made.opened_at.date(), 10)
            made.save()
            read_by_the_lens(made, emotion)
    heavy = factories.case(cast.office, someone, days_ago=20)  # angry, but heavy to read
    heavy.first_reply_at = heavy.opened_at + timedelta(hours=50)
    heavy.reply_by = add_working_days(heavy.opened_at.date(), 10)
    heavy.save()
    read_by_the_lens(heavy, "anger", load=0.8)
    unanswered = factories.case(cast.office, someone, days_ago=2)
    read_by_the_lens(unanswered, "distress")
    campaign = Campaign.objects.create(office=cast.office, title="Save the library")
    letter = factories.case(cast.office, someone, days_ago=15)
    Case.objects.filter(pk=letter.pk).update(campaign=campaign)
    read_by_the_lens(letter, "distress")
    client.force_login(cast.leader)

    response = client.get("/insights/")

    shown = figures(response)
    assert shown["distress"] == "6"  # every distressing message, campaign letter included
    assert shown["distress_reply"] == "40 hours"  # median of 10, 30, 50 and 400 hours
    sentences = [s for p in response.context["panels"] for s in p.sentences]
    assert (
        "Distressing messages that opened a case got a human reply in a median of 40 hours "
        "over the last 12 months." in sentences
    )
    # The answer after 400 hours (more than 10 working days) was late; the unanswered one
    # from two days ago is not due yet.
    assert (
        "Distressing messages answered by a person within 10 working days: 75% in the last "
        "three months." in sentences
    )


def test_it_counts_the_reply_coachs_levels_across_sent_replies(client: Client, cast: Cast) -> None:
    readings = [
        {"emotional_reaction": 2, "interpretation": 2, "exploration": 0, "helping": 2},
        {"emotional_reaction": 1, "interpretation": 0, "exploration": 0, "helping": 2},
        {"emotional_reaction": 0, "interpretation": 0, "exploration": 0, "helping": 0},
        {"emotional_reaction": 0, "interpretation": 2, "exploration": 1, "helping": 1},
    ]
    for coach in [*readings, {}]:  # a reply sent before the coach existed is not counted
        Reply.objects.create(
            office=cast.office, subject="Your case", body="...", coach=coach | {"suggestions": []}
        )
    Reply.objects.create(office=cast.other_office, subject="Elsewhere", body="", coach=readings[0])
    client.force_login(cast.leader)

    response = client.get("/insights/")

    assert figures(response)["coach"] == "50%"  # 2 of 4 acknowledge feelings at least a little
    table = next(t for p in response.context["panels"] for t in p.tables if "coach" in t.slug)
    assert table.rows == [
        ["Acknowledges their feelings", 2, 1, 1],
        ["Shows we understood the specifics", 2, 0, 2],
        ["Asks to learn more", 3, 1, 0],
        ["Commits to a concrete next step with a date", 1, 1, 2],
    ]
    assert "ways of showing empathy" in table.note  # not a bare "EPITOME empathy levels"


def test_a_past_months_counts_follow_the_day_they_are_read_on(cast: Cast) -> None:
    """A message from a finished month becomes due a reply days later: the cached figures
    of that month must not hide it."""
    made = factories.case(cast.office, factories.person(cast.office), days_ago=45)
    made.reply_by = timezone.localdate() - timedelta(days=5)
    made.save()
    read_by_the_lens(made, "distress")
    voices = Voice.objects.filter(office=cast.office)
    before, after = made.reply_by - timedelta(days=1), made.reply_by + timedelta(days=1)

    not_yet = distress_replies(cast.office, voices, last_months(before), before, 0.5)
    due = distress_replies(cast.office, voices, last_months(after), after, 0.5)

    assert sum(not_yet["due"]) == 0
    assert sum(due["due"]) == 1 and sum(due["in_time"]) == 0
