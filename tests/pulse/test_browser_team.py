"""In real Chromium: obstacles, check-ins, the learning log and the anonymity settings."""

import re
from contextlib import suppress
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from compassion.pulse.models import CheckIn, Cycle, Group, LearningEntry, Obstacle, Response
from tests.conftest import log_in
from tests.pulse.conftest import Team, answered_by, close, good_answers, open_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_anonymous_obstacle_is_answered_and_done(
    page: Any, live_server: Any, team: Team
) -> None:
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/team/obstacles/")
    page.get_by_label("What is in the way?").fill("Nobody covers the phones at lunch")
    page.get_by_label("Raise this anonymously").check()
    page.get_by_role("button", name="Raise it").click()
    row = page.get_by_role("row", name="Nobody covers the phones")
    assert "Anonymous" in row.inner_text()
    assert Obstacle.objects.get().raised_by is None

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/team/obstacles/")
    page.get_by_role("link", name="Nobody covers the phones at lunch").click()
    page.get_by_label("Status").select_option("done")
    page.get_by_label("What changed").fill("A lunch rota now covers the phones 12 to 2.")
    page.get_by_role("button", name="Save").click()
    # The same address, and the page before showed the status too.
    expect(page.locator("[data-status]")).to_have_text(re.compile(r"^Done"))
    page.get_by_role("link", name="You said, we did").click()
    page.wait_for_url("**/team/you-said-we-did/")
    assert "A lunch rota now covers the phones" in page.get_by_role("main").inner_text()


def test_a_check_in_keeps_its_commitment_on_the_list(
    page: Any, live_server: Any, team: Team
) -> None:
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/team/check-ins/")
    page.get_by_label("With").select_option(label="Charlie")
    page.get_by_label("Challenges and successes I heard").fill("Proud of the tribunal win.")
    page.get_by_label("How they are feeling").fill("Tired but upbeat.")
    page.get_by_label("Help I committed to").fill("Cover Charlie's Friday surgery")
    due = timezone.localdate() + timedelta(days=5)
    page.get_by_label("By when").fill(due.isoformat())
    page.get_by_role("button", name="Save the check-in").click()
    page.wait_for_url("**/team/check-ins/*/")
    assert "Only the two of you" in page.get_by_role("main").inner_text()
    assert CheckIn.objects.get().held_on == timezone.localdate()

    page.get_by_role("link", name="Overview").click()
    mine = page.get_by_role("region", name="My commitments")
    assert "Cover Charlie's Friday surgery" in mine.inner_text()
    mine.get_by_role("button", name="Mark done").click()
    mine = page.get_by_role("region", name="My commitments")
    # The same address, and the page before listed it.
    expect(mine).not_to_contain_text("Cover Charlie's Friday surgery")


def test_the_leader_logs_their_own_mistake(page: Any, live_server: Any, team: Team) -> None:
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/team/learning/")
    page.get_by_label("What kind of entry").select_option("mistake")
    page.get_by_label("Title").fill("I overruled the caseworker in front of a constituent")
    page.get_by_label("What happened").fill("At Friday's surgery I contradicted Charlie's advice.")
    page.get_by_label("What we change").fill("I ask the caseworker first, in private.")
    page.get_by_label("This was the leader's own mistake").check()
    page.get_by_label("Who can read it").select_option("office")
    page.get_by_role("button", name="Add to the log").click()
    page.wait_for_url("**/team/learning/*/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("I overruled")
    assert LearningEntry.objects.get().leaders_own


def test_the_manager_names_a_trusted_reviewer(page: Any, live_server: Any, team: Team) -> None:
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/team/settings/")
    page.get_by_label("Fewest respondents for any result (k)").fill("2")
    page.get_by_role("button", name="Save").click()
    # The form comes back at the same address.
    expect(page.get_by_role("main")).to_contain_text("never be below 3")
    page.get_by_label("Fewest respondents for any result (k)").fill("5")
    page.get_by_label("Trusted reviewer's name").fill("Helen Price")
    page.get_by_label("Trusted reviewer's email").fill("helen@hr.example.org")
    page.get_by_role("button", name="Save").click()
    assert "private link was sent" in page.get_by_role("status").inner_text()
    assert mail.outbox[-1].to == ["helen@hr.example.org"]


def test_typed_text_is_still_guarded_after_a_download(
    page: Any, live_server: Any, team: Team
) -> None:
    """A download link leaves the page where it is: what is typed after it must still be
    asked about before the page closes."""
    cycle = open_cycle(team.cast.office, team.cast.manager)
    close(cycle)
    for _ in range(5):
        answers = {code: int(value) for code, value in good_answers(4).items()}
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers=answers)
    answered_by(cycle, 5)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/team/results/")
    with page.expect_download():
        page.get_by_role("link", name="Download a PDF report").click()
    page.locator("summary", has_text="Act on this").first.click()
    page.get_by_label("What will you do about it?").first.fill("Weekly one-to-ones for all")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    with suppress(PlaywrightError):  # closed at once: nothing was asked
        page.wait_for_timeout(500)  # a beforeunload question keeps the page open
    assert asked == ["beforeunload"]


def test_a_refused_breakdown_does_not_say_how_many_of_the_group_answered(
    page: Any, live_server: Any, team: Team
) -> None:
    """The office group is the manager and a volunteer or two: '1 person answered' would tell
    the manager whether the volunteer did, which the pulse promises never to show."""
    cycle = open_cycle(team.cast.office, team.cast.manager)
    close(cycle)
    answers = {code: int(value) for code, value in good_answers(4).items()}
    for group in [Group.CASEWORK] * 5 + [Group.OFFICE]:
        Response.objects.create(cycle=cycle, group=group, answers=answers)
    answered_by(cycle, 6)
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/team/results/")
    for label in ("Office and management", "Casework"):
        page.get_by_label("Group", exact=True).select_option(label=label)
        page.get_by_role("button", name="Show this group").click()
        refusal = page.locator("[data-refused]").inner_text()
        assert "fewer than 5" in refusal.lower()
        assert not re.search(r"\b1 person\b|\b[1-4] people\b", refusal), refusal
        expect(page.locator("[data-breakdown]")).to_have_count(0)


def test_acting_on_a_result_keeps_what_was_typed_when_the_date_is_refused(
    page: Any, live_server: Any, team: Team
) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    close(cycle)
    answers = {code: int(value) for code, value in good_answers(2).items()}
    for _ in range(5):
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers=answers)
    answered_by(cycle, 5)
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/team/results/")
    burnout = page.locator("details.act", has_text="Work-related burnout")
    burnout.locator("summary").click()
    burnout.get_by_label("What will you do about it?").fill(
        "Protect Tuesday–Thursday afternoons for casework — no phones"
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    burnout.get_by_label("By when").fill(yesterday.isoformat())
    burnout.get_by_role("button", name="Commit to this action").click()

    # Said at the top of a long page, with a way down to the form.
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("not saved yet: Choose a date from today on.")
    alert.get_by_role("link", name="Go back to what you wrote").click()
    burnout = page.locator("details.act", has_text="Work-related burnout")
    expect(burnout).to_have_attribute("open", "")
    expect(burnout.get_by_label("What will you do about it?")).to_have_value(
        "Protect Tuesday–Thursday afternoons for casework — no phones"
    )
    expect(burnout).to_contain_text("Choose a date from today on.")
    expect(burnout.get_by_label("By when")).to_be_in_viewport()  # not at the foot of a long page
    assert not Obstacle.objects.exists()


def test_the_reliability_figure_says_in_plain_words_what_it_means(
    page: Any, live_server: Any, team: Team
) -> None:
    """A caseworker reading the results meets 'Cronbach's alpha 0.63' otherwise, with nothing
    to say whether that is good or what it is about."""
    cycle = open_cycle(team.cast.office, team.cast.manager)
    close(cycle)
    for level in (1, 2, 3, 4, 5, 4):
        answers = {code: int(value) for code, value in good_answers(level).items()}
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers=answers)
    answered_by(cycle, 6)
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/team/results/")
    safety = page.locator("section.scale", has_text="Team psychological safety")
    label = safety.locator(".figure-label", has_text="alpha").inner_text()
    assert label.startswith("how well the questions agree (0.7 or more is good")


def test_the_trend_figures_count_the_answers_behind_each_scale(
    page: Any, live_server: Any, team: Team
) -> None:
    """Two months pooled hold six answers from five people, one of whom skipped the burnout
    questions: the burnout trend rests on five answers, and none of it on six 'people'."""
    today = timezone.localdate()
    answers = {code: int(value) for code, value in good_answers(3).items()}
    no_burnout = {code: value for code, value in answers.items() if not code.startswith("cbi")}
    for months_ago, first in ((2, 0), (1, 2)):
        opens = today - timedelta(days=30 * months_ago)
        cycle = Cycle.objects.create(
            office=team.cast.office, opens_on=opens, closes_on=opens + timedelta(days=6)
        )
        for index in range(3):
            skipped = months_ago == 2 and index == 0
            Response.objects.create(
                cycle=cycle, group=Group.CASEWORK, answers=no_burnout if skipped else answers
            )
        answered_by(cycle, 3, first=first)  # the third person answered both months
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/team/results/")
    expect(page.get_by_role("main")).to_contain_text("6 answers from 5 people")
    scale = page.locator("section.scale", has_text="Team psychological safety")
    expect(scale.locator(".figure", has_text="scored")).to_have_text(re.compile(r"^6\s*answers"))
    expect(scale.locator(".figure", has_text="scored")).not_to_contain_text("people")
    burnout = page.locator("figure", has_text="Work-related burnout")
    burnout.get_by_text("The figures").click()
    table = burnout.locator("table")
    expect(table.locator("thead")).to_contain_text("Answers")
    expect(table.locator("thead")).not_to_contain_text("People")
    expect(table.locator("tbody td").last).to_have_text("5")
    leadership = page.locator("figure", has_text="Compassionate leadership")
    leadership.get_by_text("The figures").click()
    expect(leadership.locator("tbody td").last).to_have_text("6")


def test_only_managers_are_told_how_to_load_national_figures(
    page: Any, live_server: Any, team: Team
) -> None:
    """A caseworker cannot run a server command: three times over, the note was noise."""
    cycle = open_cycle(team.cast.office, team.cast.manager)
    close(cycle)
    answers = {code: int(value) for code, value in good_answers(4).items()}
    for _ in range(5):
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers=answers)
    answered_by(cycle, 5)
    log_in(page, live_server, "charlie")
    page.goto(f"{live_server.url}/team/results/")
    expect(page.locator("section.scale").first).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("compassion pulse reference")
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "mandy")
    page.goto(f"{live_server.url}/team/results/")
    expect(page.get_by_role("main")).to_contain_text("compassion pulse reference")
