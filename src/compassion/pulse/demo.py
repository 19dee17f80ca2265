"""The demo office's team: a year of pulses with a story, check-ins, obstacles, learning.

The story: a steady spring, then a hard spell (a flood, a surge of housing casework and a
by-election) when burnout rose, psychological safety fell and staff said the MP was not taking
effective action. The office acted on what staff said (protected casework time, a rota for
distressing calls, monthly check-ins) and the scores recovered.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta

from django.utils import timezone

from compassion.core.models import Membership, Office, Role
from compassion.pulse import instruments, results
from compassion.pulse.cycles import add_months
from compassion.pulse.models import (
    CheckIn,
    Comment,
    Commitment,
    Cycle,
    EntryKind,
    Invitation,
    LearningEntry,
    Obstacle,
    ObstacleStatus,
    PulseSettings,
    Response,
    SelfView,
    Visibility,
    group_for_role,
    hash_token,
)

# How the team felt, month by month (oldest first): 0 is neutral, positive is good.
MOOD = [0.55, 0.6, 0.5, 0.3, -0.2, -0.7, -0.9, -0.5, 0.1, 0.45, 0.65, 0.8]
# How many of the six staff answered each month: small months are pooled on screen.
ANSWERED = [5, 6, 4, 3, 5, 6, 4, 5, 6, 5, 6, 6]

COMMENTS = {
    "calm": [
        "Keep the Friday catch-up, it really helps.",
        "More training on benefits appeals would help me most.",
        "A second screen for casework.",
        "Honestly, things feel good. Maybe clearer priorities when the post bag spikes.",
    ],
    "hard": [
        "Time to actually finish cases instead of firefighting the inbox.",
        "Someone to talk to after the really distressing calls.",
        "Knowing that when I flag a problem upwards something happens.",
        "Fewer last-minute requests from the constituency diary.",
        "Protected time without phones for the complex housing cases.",
        "Not being the only one on the phones on Mondays.",
    ],
    "better": [
        "The quiet afternoons have made a real difference.",
        "The call rota helps; please keep it.",
        "Check-ins with Dan are useful, more of those.",
        "Clearer handover when someone is off sick.",
    ],
}


def phase(index: int) -> str:
    if index < 4:
        return "calm"
    return "hard" if index < 8 else "better"


def answer_set(rng: random.Random, mood: float, person: float) -> dict[str, int]:
    """One plausible, internally consistent set of answers for a given mood."""
    answers: dict[str, int] = {}
    feeling = mood + person + rng.gauss(0, 0.35)
    for instrument, item in instruments.all_items():
        if rng.random() < 0.01:
            continue  # people skip the odd question
        lean = feeling
        if item.code == "q9i":
            lean -= 0.5  # "takes effective action" is what slips first under pressure
        if instrument.code == "workload":
            lean -= 0.4
        size = len(item.options)
        if instrument.code == "burnout":
            # Option 1 is the most burnt out; a good mood moves answers down the list.
            good_direction = 1 if not item.reverse else -1
            position = (size + 1) / 2 + good_direction * lean * 1.6 + rng.gauss(0, 0.6)
        else:
            direction = -1 if item.reverse else 1
            position = (size + 1) / 2 + 0.6 + direction * lean * size / 3.5 + rng.gauss(0, 0.6)
            if item.reverse:
                position -= 1.2
        answers[item.code] = min(size, max(1, round(position)))
    return answers


def generate(office: Office, rng: random.Random) -> None:
    today = timezone.localdate()
    users = {m.user.username: m for m in Membership.objects.filter(office=office)}
    leader = next(m.user for m in users.values() if m.role == Role.LEADER)
    manager = next(m.user for m in users.values() if m.role == Role.MANAGER)
    staff = [m for m in users.values() if m.role != Role.LEADER]
    offsets = {m.user.pk: rng.gauss(0, 0.25) for m in staff}
    settings = PulseSettings.for_office(office)
    settings.reviewer_name = "Helen Price (HR partner, shared service)"
    settings.reviewer_email = "helen.price@hr-partners.example.org"
    settings.save()

    cycles = create_cycles(office, manager, rng, today, staff, offsets, leader)
    create_obstacles(office, rng, today, cycles, users, manager, leader)
    create_check_ins(office, rng, today, manager, leader, staff)
    create_learning(office, today, users, leader, manager)


def create_cycles(office, manager, rng, today, staff, offsets, leader) -> list[Cycle]:
    first_of_month = today.replace(day=1)
    cycles = []
    for index, mood in enumerate(MOOD):
        opens = add_months(first_of_month, index - len(MOOD)) + timedelta(days=2)
        cycle = Cycle.objects.create(
            office=office,
            opens_on=opens,
            closes_on=opens + timedelta(days=6),
            invitations_sent_on=opens,
            last_reminder_on=opens + timedelta(days=4),
            created_by=manager,
        )
        answering = rng.sample(staff, ANSWERED[index])
        fill_cycle(cycle, rng, staff, answering, mood, offsets, index)
        self_view = {"q9f": 5, "q9g": 5, "q9h": 5, "q9i": 4 if index < 8 else 5}
        if index >= 8:
            self_view["q9f"] = 4  # the leader grew more modest after reading the results
        SelfView.objects.create(cycle=cycle, user=leader, answers=self_view)
        cycles.append(cycle)
    current = Cycle.objects.create(
        office=office,
        opens_on=today - timedelta(days=2),
        closes_on=today + timedelta(days=5),
        invitations_sent_on=today - timedelta(days=2),
        created_by=manager,
    )
    fill_cycle(current, rng, staff, rng.sample(staff, 3), MOOD[-1], offsets, len(MOOD) - 1)
    return cycles


def fill_cycle(cycle, rng, staff, answering, mood, offsets, index) -> None:
    answered_ids = {m.user.pk for m in answering}
    Invitation.objects.bulk_create(
        Invitation(
            cycle=cycle,
            user=m.user,
            token_hash=hash_token(secrets.token_urlsafe(16)),
            answered=m.user.pk in answered_ids,
        )
        for m in staff
    )
    Response.objects.bulk_create(
        Response(
            cycle=cycle,
            group=group_for_role(m.role),
            answers=answer_set(rng, mood, offsets[m.user.pk]),
        )
        for m in answering
    )
    texts = COMMENTS[phase(index)]
    Comment.objects.bulk_create(
        Comment(cycle=cycle, text=text) for text in rng.sample(texts, min(len(texts), 2))
    )


def shown_figures(office: Office, cycle: Cycle) -> tuple[results.Window, float, float]:
    """The block of months holding a pulse, as the results page shows it, with its burnout
    and Helping (Q9i) means, which the actions quote. A span of months the page does not
    show, set beside those it does, could give away a small month's answers."""
    k = PulseSettings.for_office(office).k
    window = next(w for w in results.windows(office, k) if w.complete and cycle in w.cycles)
    scales = {s.instrument.code: s for s in results.results_for(window, k).scales}
    helping = scales[instruments.COMPASSIONATE_LEADERSHIP.code].items[3].mean
    return window, scales[instruments.BURNOUT.code].mean or 0.0, helping or 0.0


def create_obstacles(office, rng, today, cycles, users, manager, leader) -> None:
    def ago(months: int, day: int = 10) -> date:
        return add_months(today.replace(day=1), -months) + timedelta(days=day)

    hardest, burnout, _ = shown_figures(office, cycles[6])
    low, _, helping = shown_figures(office, cycles[5])
    Obstacle.objects.create(
        office=office,
        title="Protected casework time",
        from_cycle=hardest.cycles[-1],
        from_scale="burnout",
        from_result=f"Work-related burnout rose to {burnout:.0f} of 100 in {hardest.label}",
        raised_by=leader,
        raised_on=ago(5),
        status=ObstacleStatus.DONE,
        action="No phones or drop-ins 2-4pm Tuesday to Thursday for complex cases",
        action_owner=manager,
        action_due=ago(4),
        done_on=ago(4, 2),
        we_did="Tuesday to Thursday afternoons are now protected: phones go to voicemail and "
        "the diary is closed to drop-ins.",
    )
    Obstacle.objects.create(
        office=office,
        title="Support after distressing calls",
        from_cycle=low.cycles[-1],
        from_scale="compassionate_leadership",
        from_result=f"Helping (Q9i) was the lowest behaviour, {helping:.1f} of 10, in {low.label}",
        raised_by=leader,
        raised_on=ago(5, 14),
        status=ObstacleStatus.DONE,
        action="A rota for safeguarding calls and a debrief with Dan the same day",
        action_owner=manager,
        action_due=ago(4, 14),
        done_on=ago(4, 20),
        we_did="Distressing calls now go to whoever is on the rota that day, and every one "
        "gets a same-day debrief; the Employee Assistance number is on every desk.",
    )
    Obstacle.objects.create(
        office=office,
        title="The shared inbox rules hide urgent mail",
        raised_on=ago(3, 3),
        status=ObstacleStatus.DONE,
        response="Thank you for raising this.",
        action="Fix the inbox rules and check them monthly",
        action_owner=users["priya"].user,
        action_due=ago(3, 20),
        done_on=ago(3, 18),
        we_did="The rules were rewritten; urgent words now flag a message instead of filing it.",
    )
    Obstacle.objects.create(
        office=office,
        title="Monday phones are too much for one person",
        raised_by=users["tom"].user,
        raised_on=ago(1, 5),
        status=ObstacleStatus.COMMITTED,
        response="Agreed: Mondays double the call volume.",
        action="Two people on the phones on Mondays from next month",
        action_owner=manager,
        action_due=today + timedelta(days=12),
    )
    Obstacle.objects.create(
        office=office,
        title="Laptop too slow for the casework system",
        raised_by=users["grace"].user,
        raised_on=today - timedelta(days=6),
    )
    Obstacle.objects.create(
        office=office,
        title="Could we work from home on Fridays?",
        raised_on=ago(2, 8),
        status=ObstacleStatus.NOT_NOW,
        response="Not while surgeries run on Friday mornings; we will look again when the "
        "surgery moves to Saturdays in the spring.",
    )


def create_check_ins(office, rng, today, manager, leader, staff) -> None:
    notes = [
        (
            "A breakthrough on the Ahmed housing case; worried about the PIP backlog.",
            "Whether the backlog comes from the DWP or our own process: mostly waiting on "
            "the DWP, some from how we log chasers.",
            "Steady, a bit tired. Looking forward to leave.",
            "Ask the DWP liaison for a monthly backlog call",
        ),
        (
            "Two distressing calls this week; proud of getting a family rehoused.",
            "What would make the calls easier: knowing who to hand over to.",
            "Shaken by Tuesday's call but glad to talk about it.",
            "Book a session with the Employee Assistance counsellor",
        ),
        (
            "Immigration cases piling up before the deadline.",
            "Which cases can wait and which cannot; agreed an order.",
            "Under pressure but clear about next steps.",
            "Take the three oldest visa cases myself",
        ),
    ]
    caseworkers = [m.user for m in staff if m.role == Role.CASEWORKER]
    for months_ago in (2, 1, 0):
        for person in caseworkers:
            heard, explored, feeling, help_text = rng.choice(notes)
            held = today - timedelta(days=30 * months_ago + rng.randint(1, 10))
            check_in = CheckIn.objects.create(
                office=office,
                leader=manager,
                staff=person,
                held_on=held,
                attending=heard,
                understanding=explored,
                empathizing=feeling,
            )
            due = held + timedelta(days=14)
            Commitment.objects.create(
                check_in=check_in,
                text=help_text,
                due_on=due,
                done_on=due - timedelta(days=2) if due < today - timedelta(days=5) else None,
            )
    check_in = CheckIn.objects.create(
        office=office,
        leader=leader,
        staff=manager,
        held_on=today - timedelta(days=9),
        attending="The team's pulse results are up; Dan is carrying the Monday gap himself.",
        understanding="What the office manager role needs to be sustainable.",
        empathizing="Proud of the recovery, tired.",
    )
    Commitment.objects.create(
        check_in=check_in,
        text="Ask the parliamentary office for a second caseworker budget line",
        due_on=today - timedelta(days=2),
    )


def create_learning(office, today, users, leader, manager) -> None:
    entries = [
        (
            EntryKind.MISTAKE,
            "I promised a constituent a date I could not keep",
            "At a surgery I promised Mr Bell an answer from the council within a week, without "
            "checking with the caseworker, who knew it would take a month.",
            "Promises made at surgeries land on caseworkers, who then carry the disappointment.",
            "I say 'we will come back to you within two working days with a timescale' instead.",
            leader,
            True,
            Visibility.OFFICE,
            40,
        ),
        (
            EntryKind.NEAR_MISS,
            "A reply nearly went to the wrong person with the same surname",
            "Autocomplete picked the other Mrs Khan; noticed before sending.",
            "Autocomplete on names is risky when surnames are common.",
            "Check the postcode in the case before pressing send.",
            users["sam"].user,
            False,
            Visibility.TEAM,
            95,
        ),
        (
            EntryKind.MISTAKE,
            "A safeguarding referral was a day late",
            "A message about a child at risk sat in the general inbox over a bank holiday.",
            "Urgent messages need a route that does not depend on who is in.",
            "Inbox rules flag urgent words; the rota covers bank holidays.",
            manager,
            False,
            Visibility.TEAM,
            150,
        ),
        (
            EntryKind.SUCCESS,
            "The Eastfield flood response",
            "Forty households rehoused or repaired within six weeks after the flood.",
            "Daily ten-minute stand-ups kept everyone on the same page.",
            "Keep the stand-up for any surge of casework.",
            users["priya"].user,
            False,
            Visibility.OFFICE,
            170,
        ),
        (
            EntryKind.SUCCESS,
            "Thank-you letter from the Okafor family",
            "Grace's persistence got the family's PIP award backdated by nine months.",
            "Persistence on appeals pays; the tribunal bundle checklist helped.",
            "Share the checklist with the whole team.",
            users["grace"].user,
            False,
            Visibility.OFFICE,
            20,
        ),
    ]
    for kind, title, happened, learned, change, owner, own, visibility, days in entries:
        LearningEntry.objects.create(
            office=office,
            kind=kind,
            title=title,
            what_happened=happened,
            what_we_learned=learned,
            what_we_change=change,
            change_owner=owner,
            leaders_own=own,
            visibility=visibility,
            written_by=owner,
            happened_on=today - timedelta(days=days),
        )
