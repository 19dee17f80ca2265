"""Results: only from k respondents, pooled for small teams, and attempts to de-anonymise."""

import html
from datetime import timedelta

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from compassion.pulse import results
from compassion.pulse.models import Cycle, Group, PulseSettings, Response, SelfView
from tests.pulse.conftest import Team, answered_by, close, good_answers, invite, open_cycle


def answer(client: Client, links: dict[str, str], users, level: int = 4, comment: str = "") -> None:
    for user in users:
        data = good_answers(level) | ({"comment": comment} if comment else {})
        assert client.post(f"/team/answer/{links[user.email]}/", data).status_code == 200


def test_it_shows_nothing_for_four_and_everything_for_five(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager, days_ago=3)
    links = invite(cycle)
    answer(client, links, team.staff[:4], comment="Fewer evening events")
    close(cycle)
    client.force_login(team.cast.leader)
    page = client.get("/team/results/").content.decode()
    assert "data-no-results" in page
    assert "Fewer evening events" not in page
    assert "holds 4 answers" in page

    second = open_cycle(team.cast.office, team.cast.manager, days_ago=1)
    answer(client, invite(second), team.staff[4:5])
    close(second)
    page = client.get("/team/results/").content.decode()
    assert "data-no-results" not in page
    assert "Pooled:" in page  # four plus a fifth person, across two pulses, said plainly
    assert "Fewer evening events" in page
    assert 'data-scale="compassionate_leadership">7.5<' in page
    assert "Cronbach" in page


def test_it_shows_nothing_while_the_pulse_is_open_even_with_enough_answers(
    client: Client, team: Team
) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    answer(client, invite(cycle), team.staff[:5])
    client.force_login(team.cast.leader)
    page = client.get("/team/results/").content.decode()
    assert "data-no-results" in page
    assert "still open" in page


def test_a_late_answer_cannot_be_isolated_by_comparing_results(client: Client, team: Team) -> None:
    """Five answer, the leader reads the result, then tries to get a sixth answer in to subtract."""
    cycle = open_cycle(team.cast.office, team.cast.manager)
    links = invite(cycle)
    answer(client, links, team.staff[:5], level=4)
    close(cycle)
    client.force_login(team.cast.leader)
    before = client.get("/team/results/").content.decode()
    assert 'data-scale="psychological_safety">' in before
    late = client.post(f"/team/answer/{links[team.staff[5].email]}/", good_answers(1))
    assert late.status_code == 410
    assert client.get("/team/results/").content.decode().count("data-scale=") == before.count(
        "data-scale="
    )
    assert Response.objects.count() == 5


def test_a_breakdown_that_could_be_subtracted_is_refused(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    answer(client, invite(cycle), team.staff)  # 4 caseworkers, 2 office staff
    close(cycle)
    client.force_login(team.cast.leader)
    for group in (Group.CASEWORK, Group.OFFICE, "nonsense"):
        page = client.get(f"/team/results/?group={group}").content.decode()
        assert "data-refused" in page
        assert "data-breakdown" not in page
    page = client.get(f"/team/results/?group={Group.CASEWORK}").content.decode()
    assert "Fewer than 5 people answered in this group" in page
    assert "4 people" not in page


def test_a_breakdown_is_shown_when_both_sides_hold_k(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    close(cycle)
    for group in [Group.CASEWORK] * 5 + [Group.OFFICE] * 5:
        Response.objects.create(cycle=cycle, group=group, answers={"q9f": 4})
    answered_by(cycle, 10)
    client.force_login(team.cast.leader)
    page = client.get(f"/team/results/?group={Group.OFFICE}").content.decode()
    assert "data-breakdown" in page
    Response.objects.filter(group=Group.OFFICE).first().delete()  # 5 and 4: refuse both
    page = client.get(f"/team/results/?group={Group.CASEWORK}").content.decode()
    assert "single out the answers of fewer than 5 people" in page
    assert "4 people" not in page


def test_pooled_blocks_never_overlap_so_they_cannot_be_subtracted(
    client: Client, team: Team
) -> None:
    today = timezone.localdate()
    sizes = [3, 3, 5, 1]
    for index, size in enumerate(sizes):
        opens = today - timedelta(days=120 - 30 * index)
        cycle = Cycle.objects.create(
            office=team.cast.office, opens_on=opens, closes_on=opens + timedelta(days=6)
        )
        for _ in range(size):
            Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers={"q9f": 5})
        answered_by(cycle, size, first=sum(sizes[:index]))
    client.force_login(team.cast.leader)
    page = client.get("/team/results/").content.decode()
    # Blocks: 3+3 pooled, then 5 alone; the lone 1 is held back, never added to a shown block.
    assert "(pooled), 6 answers from 6 people<" in page and ", 5 people<" in page
    assert "holds 1 answer" in page


def pulse_answered_by(client: Client, team: Team, staff: list, days_ago: int) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    answer(client, invite(cycle), staff)
    Cycle.objects.filter(pk=cycle.pk).update(
        opens_on=cycle.opens_on - timedelta(days=days_ago),
        closes_on=cycle.closes_on - timedelta(days=days_ago),
    )


def test_pooled_months_need_k_different_people_not_k_answers(client: Client, team: Team) -> None:
    """Two people answering in April, May and June are six answers from two people: pooled
    by answers, their results were shown, and each could subtract their own to read the
    other's."""
    for days_ago in (100, 70, 40):
        pulse_answered_by(client, team, team.staff[:2], days_ago)
    client.force_login(team.cast.leader)
    page = client.get("/team/results/").content.decode()
    assert "data-no-results" in page and "data-scale=" not in page

    pulse_answered_by(client, team, team.staff[2:5], 10)  # three more people, once each
    page = client.get("/team/results/").content.decode()
    assert "Pooled:" in page and "data-scale=" in page
    assert "(pooled), 9 answers from 5 people</option>" in page
    assert "<strong>9</strong> answers from 5 different people, to 24 invitations" in page
    assert "9 people" not in page
    home = client.get("/team/").content.decode()
    assert "(pooled months), 9 answers from 5 people." in home


def test_comments_come_without_dates_and_in_a_changing_order(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    links = invite(cycle)
    for index, user in enumerate(team.staff):
        client.post(f"/team/answer/{links[user.email]}/", {"comment": f"Idea number {index}"})
    close(cycle)
    # Comments alone make no scale responses; give the block its k answers.
    for _ in range(5):
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers={"q9f": 3})
    client.force_login(team.cast.leader)
    orders = set()
    for _ in range(8):
        page = client.get("/team/results/").content.decode()
        section = page.split("data-comments")[1].split("</ul>")[0]
        orders.add(tuple(part.split("</li>")[0] for part in section.split("<li>")[1:]))
    assert len(orders) > 1
    assert all(len(order) == 6 for order in orders)
    assert str(timezone.localdate().year) not in section


def test_k_can_be_raised_but_never_below_3(client: Client, team: Team) -> None:
    client.force_login(team.cast.manager)
    response = client.post("/team/settings/", {"min_respondents": 2})
    assert "never be below 3" in response.content.decode()
    client.post("/team/settings/", {"min_respondents": 7})
    assert PulseSettings.for_office(team.cast.office).k == 7


def test_the_leader_sees_the_gap_between_self_view_and_team(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    answer(client, invite(cycle), team.staff[:5], level=3)  # "neither": 5.0 of 10
    client.force_login(team.cast.leader)
    client.post(f"/team/pulses/{cycle.pk}/self-view/", {"q9f": 5, "q9g": 5, "q9h": 4, "q9i": 5})
    assert SelfView.objects.get().answers == {"q9f": 5, "q9g": 5, "q9h": 4, "q9i": 5}
    close(cycle)
    page = client.get("/team/results/").content.decode()
    gap_table = page.split("data-gap")[1].split("</table>")[0]
    assert "-5.0" in gap_table and "-2.5" in gap_table
    assert "<svg" in page and "Your self-view" in page
    assert "staff managed day to day by the office manager answer about them" in page
    client.force_login(team.cast.caseworker)
    assert client.get(f"/team/pulses/{cycle.pk}/self-view/").status_code == 403


def test_another_office_never_sees_these_results(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    answer(client, invite(cycle), team.staff[:5], comment="Secret of Alice's office")
    close(cycle)
    client.force_login(team.cast.outsider)
    page = client.get("/team/results/").content.decode()
    assert "Secret of Alice" not in page and "data-no-results" in page
    assert client.get(f"/team/results/?window={cycle.pk}").content.decode().count("data-scale") == 0
    assert client.get(f"/team/pulses/{cycle.pk}/self-view/").status_code == 404


def test_the_pdf_report_is_a_pdf(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    answer(client, invite(cycle), team.staff[:5])
    close(cycle)
    client.force_login(team.cast.manager)
    response = client.get("/team/results/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(team.cast.caseworker)
    assert client.get("/team/results/report.pdf").status_code == 403


def test_k_below_the_installations_minimum_is_refused_not_saved_and_ignored(
    client: Client, team: Team, settings
) -> None:
    """With the installation's minimum at 5, saving k = 4 said "Saved." and showed 4 in the
    form, while every page went on needing 5."""
    settings.PULSE_MIN_RESPONDENTS = 5
    client.force_login(team.cast.manager)
    response = client.post("/team/settings/", {"min_respondents": 4})
    assert response.status_code == 200
    assert "cannot be below 5" in response.content.decode()
    assert PulseSettings.for_office(team.cast.office).min_respondents == 5


def make_closed_cycle(office, sizes: int, answer: int) -> Cycle:
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        office=office, opens_on=today - timedelta(days=20), closes_on=today - timedelta(days=14)
    )
    for _ in range(sizes):
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers={"q9f": answer})
    answered_by(cycle, sizes)
    return cycle


def test_the_installation_benchmark_needs_three_offices(client: Client, team: Team) -> None:
    from compassion.core.models import Office

    make_closed_cycle(team.cast.office, 5, 4)
    make_closed_cycle(team.cast.other_office, 5, 2)
    client.force_login(team.cast.leader)
    page = client.get("/team/results/").content.decode()
    assert "not available: it needs at least three offices" in page
    # With two offices the benchmark minus our own would be Bob's office exactly.
    # An office with fewer than k answers takes no part, so it cannot be singled out either.
    third = Office.objects.create(name="Office of Carol MP", slug="carol")
    carol = make_closed_cycle(third, 4, 3)
    cache.clear()  # the benchmark is worked out at most once an hour
    assert "not available" in client.get("/team/results/").content.decode()
    Response.objects.create(cycle=carol, group=Group.OFFICE, answers={"q9f": 3})
    answered_by(carol, 1, first=4)
    cache.clear()
    page = client.get("/team/results/").content.decode()
    assert "the offices of this installation (3 offices, 15 answers" in page
    assert "Offices of this installation: 5.0" in page  # (5*7.5 + 5*2.5 + 5*5) / 15


def test_one_new_answer_elsewhere_cannot_be_read_from_the_benchmark_next_day(
    client: Client, team: Team
) -> None:
    """The benchmark took in each office's pulses one by one as they closed: Bob's office
    closing a pulse with one answer moved it from 15 answers to 16, and the leader of Alice's
    office, comparing the two days, could work out that one person's score."""
    from compassion.core.models import Office

    make_closed_cycle(team.cast.office, 5, 4)
    make_closed_cycle(team.cast.other_office, 5, 2)
    make_closed_cycle(Office.objects.create(name="Office of Carol MP", slug="carol"), 5, 3)
    k = PulseSettings.for_office(team.cast.office).k
    before = results.installation_benchmark(team.cast.office, k)
    assert before is not None and before.n == 15
    lone = Cycle.objects.create(
        office=team.cast.other_office,
        opens_on=timezone.localdate() - timedelta(days=10),
        closes_on=timezone.localdate() - timedelta(days=4),
    )
    Response.objects.create(cycle=lone, group=Group.CASEWORK, answers={"q9f": 5})
    answered_by(lone, 1)
    cache.clear()  # as an hour later
    after = results.installation_benchmark(team.cast.office, k)
    assert after.n == 15 and after.means == before.means
    for _ in range(4):  # the block of Bob's office is complete: it joins as a whole
        Response.objects.create(cycle=lone, group=Group.CASEWORK, answers={"q9f": 1})
    answered_by(lone, 4, first=1)
    assert results.installation_benchmark(team.cast.office, k).n == 15  # within the hour
    cache.clear()
    assert results.installation_benchmark(team.cast.office, k).n == 20


def test_raising_k_later_cannot_redraw_blocks_into_overlapping_ones(
    client: Client, team: Team
) -> None:
    """Jan+Feb (5) shown at k=5; at k=7, Jan+Feb+Mar (8) would give Mar's 3 by subtraction."""
    today = timezone.localdate()
    for index, size in enumerate([3, 2, 3]):
        opens = today - timedelta(days=100 - 30 * index)
        cycle = Cycle.objects.create(
            office=team.cast.office, opens_on=opens, closes_on=opens + timedelta(days=6)
        )
        for _ in range(size):
            Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers={"q9f": 4})
        answered_by(cycle, size, first=3 * index)
        if index == 1:
            client.force_login(team.cast.leader)
            assert (
                "(pooled), 5 answers from 5 people<"
                in client.get("/team/results/").content.decode()
            )
    PulseSettings.objects.filter(office=team.cast.office).update(min_respondents=7)
    page = client.get("/team/results/").content.decode()
    assert "8 answers" not in page and "8 people" not in page
    assert "data-no-results" in page  # the old block of 5 is withheld under k=7, not redrawn
    assert "holds 3 answers" in page  # March waits for more, under the new k
    PulseSettings.objects.filter(office=team.cast.office).update(min_respondents=5)
    assert "(pooled), 5 answers from 5 people<" in client.get("/team/results/").content.decode()


def test_each_score_says_which_way_is_good_in_plain_words(client: Client, team: Team) -> None:
    """A high "Thinking about leaving" score means few are thinking of leaving (NHS scoring,
    reversed); shown bare, 10.0 reads as a team about to walk out."""
    cycle = open_cycle(team.cast.office, team.cast.manager, days_ago=3)
    answer(client, invite(cycle), team.staff[:5], level=5)
    close(cycle)
    client.force_login(team.cast.leader)
    results = client.get("/team/results/").content.decode()
    assert 'data-scale="intention_to_leave">10.0<' in results
    assert "(0 to 10, higher means fewer thinking of leaving)" in results
    assert "(0 to 10, higher means the workload is manageable)" in results
    assert "(0 to 100, lower is better)" in results
    assert "(0 to 10, higher is better)" in results
    home = client.get("/team/").content.decode()
    assert "Thinking about leaving: <strong>10.0</strong>" in home
    assert "(0 to 10, higher means fewer thinking of leaving)" in home


def test_a_breakdown_scale_that_one_person_skipped_cannot_be_subtracted(
    client: Client, team: Team
) -> None:
    """Five caseworkers and five office staff answer; four office staff skip the burnout
    questions. The whole team's burnout (6 people) beside the caseworkers' (5) would give
    away the one office person's burnout score by subtraction."""
    cycle = open_cycle(team.cast.office, team.cast.manager)
    close(cycle)
    everything = {code: int(value) for code, value in good_answers(4).items()}
    leadership_only = {code: everything[code] for code in ("q9f", "q9g", "q9h", "q9i")}
    burnt_out = everything | {f"cbi{n}": 1 for n in range(1, 7)} | {"cbi7": 5}
    for _ in range(5):
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers=everything)
    for _ in range(4):
        Response.objects.create(cycle=cycle, group=Group.OFFICE, answers=leadership_only)
    Response.objects.create(cycle=cycle, group=Group.OFFICE, answers=burnt_out)
    answered_by(cycle, 10)
    client.force_login(team.cast.leader)
    page = client.get(f"/team/results/?group={Group.CASEWORK}").content.decode()
    assert 'data-scale="burnout">' in page  # the whole team's burnout: 6 people
    table = page.split("data-breakdown")[1].split("</table>")[0]
    burnout_row = table.split("Work-related burnout")[1].split("</tr>")[0]
    assert "Not shown" in burnout_row
    assert "<td>5</td>" not in burnout_row
    leadership_row = table.split("Compassionate leadership")[1].split("</tr>")[0]
    assert "<td>5</td>" in leadership_row  # ten people scored it: five and five, safe


def test_written_answers_are_read_only_by_the_leader_and_manager_as_the_survey_promises(
    client: Client, team: Team
) -> None:
    """The survey says what people write is "shown to the team's leaders only"."""
    cycle = open_cycle(team.cast.office, team.cast.manager, days_ago=3)
    answer(client, invite(cycle), team.staff[:5], comment="I dread the Friday surgeries")
    close(cycle)
    for reader in (team.cast.leader, team.cast.manager):
        client.force_login(reader)
        assert "I dread the Friday surgeries" in client.get("/team/results/").content.decode()
    for colleague in (team.cast.caseworker, team.cast.volunteer):
        client.force_login(colleague)
        page = client.get("/team/results/").content.decode()
        assert 'data-scale="burnout">' in page  # the scores are everyone's to see
        assert "I dread the Friday surgeries" not in page
        assert "read only by the leader and the office manager" in page


def test_a_caseworker_reads_the_leaders_self_view_as_the_leaders_not_their_own(
    client: Client, team: Team
) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    answer(client, invite(cycle), team.staff[:5])
    client.force_login(team.cast.leader)
    client.post(f"/team/pulses/{cycle.pk}/self-view/", {"q9f": 5, "q9g": 5, "q9h": 5, "q9i": 5})
    close(cycle)
    page = client.get("/team/results/").content.decode()
    assert "your view and your team's" in page and "Your self-view" in page
    client.force_login(team.cast.caseworker)
    page = client.get("/team/results/").content.decode()
    gap_section = html.unescape(page.split('id="gap-heading"')[1].split("</section>")[0])
    assert "the leader's view and the team's" in gap_section
    assert "Leader's self-view" in gap_section
    assert "your view" not in gap_section.lower() and "your self-view" not in gap_section.lower()


def test_a_breakdown_scale_resting_on_an_item_the_team_hides_cannot_be_subtracted(
    client: Client, team: Team
) -> None:
    """Five caseworkers answer three leadership questions; four office staff answer only
    the fourth, which fewer than five answered, so it is hidden and their answers count in no
    score; one office person answers the three. Every group holds five answer sets, yet the
    whole team's leadership score rests on six people and the caseworkers' on five: set side
    by side they would give away that one person's score."""
    cycle = open_cycle(team.cast.office, team.cast.manager)
    close(cycle)
    three = ("q9f", "q9g", "q9h")
    for _ in range(5):
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers=dict.fromkeys(three, 4))
    for _ in range(4):
        Response.objects.create(cycle=cycle, group=Group.OFFICE, answers={"q9i": 3})
    Response.objects.create(cycle=cycle, group=Group.OFFICE, answers=dict.fromkeys(three, 1))
    answered_by(cycle, 10)
    client.force_login(team.cast.leader)
    page = client.get(f"/team/results/?group={Group.CASEWORK}").content.decode()
    assert 'data-scale="compassionate_leadership">' in page  # the whole team's: 6 people
    table = page.split("data-breakdown")[1].split("</table>")[0]
    leadership_row = table.split("Compassionate leadership")[1].split("</tr>")[0]
    assert "Not shown" in leadership_row


def test_a_hidden_question_does_not_say_how_many_answered_it(client: Client, team: Team) -> None:
    cycle = open_cycle(team.cast.office, team.cast.manager)
    close(cycle)
    for number in range(6):
        answers = dict.fromkeys(("q9f", "q9g", "q9h"), 4) | ({"q9i": 1} if number < 2 else {})
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers=answers)
    answered_by(cycle, 6)
    client.force_login(team.cast.leader)
    page = client.get("/team/results/").content.decode()
    row = page.split('<span class="item-code">Q9I</span>')[1].split("</tr>")[0]
    assert "fewer than 5 people answered" in row
    assert "<td>2</td>" not in row


def test_two_groups_set_beside_the_team_cannot_single_out_one_answer(
    client: Client, team: Team
) -> None:
    """Five caseworkers answer three leadership questions and one of them a fourth, which
    the caseworkers' score leaves out (one answer) but the team's keeps (six): the team's
    score less both groups' would give away that one answer."""
    cycle = open_cycle(team.cast.office, team.cast.manager)
    close(cycle)
    three = ("q9f", "q9g", "q9h")
    for number in range(5):
        answers = dict.fromkeys(three, 4) | ({"q9i": 1} if number == 0 else {})
        Response.objects.create(cycle=cycle, group=Group.CASEWORK, answers=answers)
    for _ in range(5):
        Response.objects.create(
            cycle=cycle, group=Group.OFFICE, answers=dict.fromkeys((*three, "q9i"), 4)
        )
    answered_by(cycle, 10)
    client.force_login(team.cast.leader)
    for group in (Group.CASEWORK, Group.OFFICE):
        page = client.get(f"/team/results/?group={group}").content.decode()
        table = page.split("data-breakdown")[1].split("</table>")[0]
        assert "Not shown" in table.split("Compassionate leadership")[1].split("</tr>")[0]
