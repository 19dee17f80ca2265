"""Demo commitments: a year of promises, plans, trajectories and stocktakes for the demo office.

About 25 commitments across topics: a few kept, a few stalled, one broken with the leader's
explanation, one a compromise, some overdue, two big promises made of parts, several
linked to the office's two campaigns and to the casework themes that prompted them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from compassion.cases.models import Case
from compassion.commitments.models import (
    Commitment,
    Likelihood,
    Milestone,
    PublicStatus,
    Rewording,
    StatusChange,
    Stocktake,
    TrajectoryPoint,
)
from compassion.core.models import Office
from compassion.voices.models import Campaign

OPEN = (PublicStatus.NOT_RATED, PublicStatus.IN_THE_WORKS, PublicStatus.STALLED)
G, AG, AR, R = Likelihood.GREEN, Likelihood.AMBER_GREEN, Likelihood.AMBER_RED, Likelihood.RED


@dataclass
class Spec:
    title: str
    wording: str
    topic: str
    status: str
    owner: str
    months_ago: int
    months_to_deadline: int
    likelihoods: list[str]
    source: str = "speech"
    source_detail: str = ""
    beneficiaries: str = ""
    measure: str = ""
    metric: tuple[str, float, float] | None = None
    pace: float = 1.0  # actual progress as a share of the planned pace
    milestones: list[str] = field(default_factory=list)
    campaign: str = ""
    case_theme: str = ""
    explanation: str = ""
    parent: str = ""
    public: bool = True
    rewording: tuple[str, str] | None = None


LIBRARY = "Save Eastfield Library"
SEND = "Fund SEND support in Northby schools"

SPECS = [
    Spec(
        LIBRARY,
        "I will stand with Eastfield and do everything I can to stop the council "
        "closing our library.",
        "local_services",
        PublicStatus.IN_THE_WORKS,
        "amira",
        8,
        10,
        [AG, AG, G],
        source="speech",
        source_detail="Public meeting at Eastfield Community Centre",
        beneficiaries="isolated",
        campaign=LIBRARY,
        measure="The library is open at least five days a week a year from now.",
    ),
    Spec(
        "Keep Eastfield Library open five days a week",
        "I will press the council to keep Eastfield Library open five days a week.",
        "local_services",
        PublicStatus.KEPT,
        "dan",
        8,
        4,
        [AR, AG, G],
        parent=LIBRARY,
        campaign=LIBRARY,
        beneficiaries="isolated",
        milestones=[
            "Meet the council leader",
            "Present the petition to full council",
            "Council budget vote",
        ],
        measure="The council's budget keeps the library's opening hours.",
    ),
    Spec(
        "Homework club and free computers at the library",
        "I will find the money to keep "
        "the homework club and the free computers at Eastfield Library.",
        "local_services",
        PublicStatus.IN_THE_WORKS,
        "grace",
        7,
        6,
        [AR, AG],
        parent=LIBRARY,
        campaign=LIBRARY,
        beneficiaries="young",
        metric=("funding secured (£ thousands)", 0, 24),
        pace=0.8,
        source="letter",
        source_detail="Reply to the library campaign",
    ),
    Spec(
        SEND,
        "I will fight for proper funding for children with special educational needs "
        "in Northby schools.",
        "education",
        PublicStatus.IN_THE_WORKS,
        "amira",
        10,
        14,
        [AR, AR, AG, AG],
        campaign=SEND,
        beneficiaries="send",
        source="letter",
        source_detail="Reply to the SEND campaign",
        measure="Every Northby school can fund the support in its pupils' EHC plans.",
    ),
    Spec(
        "Raise EHC plan delays in Parliament",
        "I will raise the delays to EHC plans in Parliament within three months.",
        "education",
        PublicStatus.KEPT,
        "amira",
        10,
        3,
        [G, G],
        parent=SEND,
        campaign=SEND,
        beneficiaries="send",
        source="parliament",
        milestones=["Table written questions", "Secure an adjournment debate"],
    ),
    Spec(
        "Meet Northby's SEND parents every term",
        "I will meet parents of children with SEND every school term.",
        "education",
        PublicStatus.IN_THE_WORKS,
        "priya",
        10,
        14,
        [G, G, AG, G],
        parent=SEND,
        campaign=SEND,
        beneficiaries="send",
        milestones=[
            "Spring term meeting",
            "Summer term meeting",
            "Autumn term meeting",
            "Spring term meeting (second year)",
        ],
    ),
    Spec(
        "Cut waits for EHC plans to under 20 weeks",
        "I will work with the council until "
        "most EHC plans are issued within the legal limit of 20 weeks.",
        "education",
        PublicStatus.STALLED,
        "priya",
        9,
        9,
        [AG, AR, AR, R],
        parent=SEND,
        campaign=SEND,
        beneficiaries="send",
        metric=("% of EHC plans issued on time", 18, 60),
        pace=0.35,
        case_theme="education",
        explanation="The council has not yet agreed to fund the extra "
        "educational psychologists it needs; I am pressing for it at every meeting.",
    ),
    Spec(
        "Get damp and mouldy homes repaired",
        "I will hold Northby Homes to account until "
        "every reported case of damp and mould is repaired.",
        "housing",
        PublicStatus.IN_THE_WORKS,
        "tom",
        11,
        7,
        [AR, AG, AG, G],
        metric=("homes repaired", 0, 400),
        pace=0.95,
        case_theme="housing",
        beneficiaries="tenants",
        source="manifesto",
        source_detail="Election leaflet",
        measure="Northby Homes' own repair figures, checked against our casework.",
    ),
    Spec(
        "A benefits surgery every week",
        "I will run a benefits advice surgery every week with Citizens Advice.",
        "benefits",
        PublicStatus.KEPT,
        "grace",
        12,
        -1,
        [G, G, G, G],
        metric=("people helped at surgeries", 0, 500),
        pace=1.1,
        case_theme="benefits",
        beneficiaries="low_income",
        source="manifesto",
    ),
    Spec(
        "More GP appointments in Eastfield",
        "I will push the health board for 300 more GP appointments a week in Eastfield.",
        "health",
        PublicStatus.IN_THE_WORKS,
        "sam",
        9,
        9,
        [AR, AG, AG],
        metric=("extra GP appointments a week", 0, 300),
        pace=0.7,
        case_theme="health",
        beneficiaries="older",
        source="speech",
        source_detail="Hustings, Northby Methodist Hall",
    ),
    Spec(
        "Restore the number 14 bus",
        "I will get the number 14 bus back to Eastfield estate.",
        "transport",
        PublicStatus.BROKEN,
        "amira",
        12,
        -2,
        [AG, AR, R, R],
        case_theme="transport",
        beneficiaries="older",
        source="manifesto",
        milestones=["Meet the bus operator", "Make the case to the combined authority"],
        explanation="I did not deliver this. The operator withdrew the route for lack of "
        "drivers and the combined authority refused to subsidise it. I should not have "
        "promised a result that was not in my power. I am now pressing for a community "
        "minibus instead, and I will report on it here.",
        rewording=(
            "I will do everything I can to get a bus service back to Eastfield estate.",
            "The operator withdrew the route; the promise now covers any service.",
        ),
    ),
    Spec(
        "Light the path through Eastfield Park",
        "I will get the council to light the path through Eastfield Park.",
        "crime",
        PublicStatus.KEPT,
        "tom",
        12,
        -4,
        [AG, G, G],
        case_theme="crime",
        source="letter",
        source_detail="Reply to a resident about the park at night",
        milestones=[
            "Walk the park with the police",
            "Council agrees the money",
            "Lights switched on",
        ],
    ),
    Spec(
        "Tackle antisocial behaviour on Mill Lane",
        "I will bring residents, police and the "
        "council together to end the antisocial behaviour on Mill Lane.",
        "crime",
        PublicStatus.IN_THE_WORKS,
        "tom",
        5,
        7,
        [AG, G],
        case_theme="crime",
        milestones=["Residents' meeting", "Police patrol plan agreed", "Review after six months"],
    ),
    Spec(
        "Clean up the River Brook",
        "I will organise a clean-up of the River Brook every month for a year.",
        "environment",
        PublicStatus.IN_THE_WORKS,
        "grace",
        8,
        4,
        [G, G, AG],
        metric=("clean-up days held", 0, 12),
        pace=0.9,
        source="speech",
    ),
    Spec(
        "Plant 1,000 trees",
        "I will plant 1,000 trees in Northby and Eastfield.",
        "environment",
        PublicStatus.COMPROMISE,
        "dan",
        12,
        -1,
        [AG, AG, AR, AR],
        metric=("trees planted", 0, 1000),
        pace=0.62,
        source="manifesto",
        explanation="We planted 620 trees. The council could offer land for only part of the "
        "rest; I chose to stop at what we could look after rather than plant trees that would "
        "die. The remaining 380 are promised for next winter.",
    ),
    Spec(
        "Answer immigration cases within ten working days",
        "I will answer every immigration case within ten working days.",
        "immigration",
        PublicStatus.IN_THE_WORKS,
        "sam",
        6,
        6,
        [AG, G],
        metric=("% answered within ten working days", 60, 95),
        pace=1.0,
        case_theme="immigration",
        beneficiaries="migrants",
    ),
    Spec(
        "Warm spaces for the winter",
        "I will open warm spaces in every ward this winter.",
        "local_services",
        PublicStatus.KEPT,
        "priya",
        12,
        -6,
        [AG, G, G],
        beneficiaries="isolated",
        milestones=["Find a venue in each ward", "All open"],
    ),
    Spec(
        "Secure £50,000 for Northby food bank",
        "I will help Northby food bank raise £50,000.",
        "tax_money",
        PublicStatus.IN_THE_WORKS,
        "dan",
        7,
        5,
        [AG, AG],
        metric=("funding secured (£ thousands)", 0, 50),
        pace=0.85,
        beneficiaries="low_income",
    ),
    Spec(
        "Cost of living advice in every library",
        "I will make sure there is cost of living advice in every library.",
        "tax_money",
        PublicStatus.IN_THE_WORKS,
        "grace",
        11,
        -1,
        [G, AG, AR],
        beneficiaries="low_income",
        case_theme="tax_money",
        milestones=["Agree with the council", "Train volunteers", "Advice in every library"],
    ),
    Spec(
        "Step-free access at Northby station",
        "I will get step-free access to both platforms at Northby station.",
        "transport",
        PublicStatus.STALLED,
        "amira",
        10,
        12,
        [AG, AR, AR],
        beneficiaries="disabled",
        case_theme="transport",
        milestones=["Bid to Access for All", "Funding decision", "Work starts"],
    ),
    Spec(
        "Reopen the Northby youth centre",
        "I will work to reopen the Northby youth centre.",
        "local_services",
        PublicStatus.IN_THE_WORKS,
        "priya",
        4,
        10,
        [AG],
        beneficiaries="young",
        source="media",
        source_detail="Interview, Northby Gazette",
    ),
    Spec(
        "A surgery in every ward",
        "I will hold an advice surgery in every ward twice a year.",
        "local_services",
        PublicStatus.IN_THE_WORKS,
        "dan",
        9,
        3,
        [G, G, G],
        metric=("surgeries held", 0, 12),
        pace=1.0,
    ),
    Spec(
        "Reply to every letter within ten working days",
        "My office will reply to every letter within ten working days.",
        "other",
        PublicStatus.IN_THE_WORKS,
        "dan",
        12,
        0,
        [AG, AG, G, G],
        metric=("% replied on time", 72, 95),
        pace=0.92,
        source="manifesto",
    ),
    Spec(
        "Protected lunch breaks for the team",
        "Everyone in the office takes a proper lunch break away from their desk.",
        "other",
        PublicStatus.IN_THE_WORKS,
        "dan",
        3,
        3,
        [AG],
        source="staff",
        source_detail="Team pulse, spring",
        public=False,
    ),
    Spec(
        "End rough sleeping in Northby town centre",
        "I will work with the council and charities to end rough sleeping in Northby town centre.",
        "housing",
        PublicStatus.IN_THE_WORKS,
        "tom",
        11,
        -1,
        [AR, AR, R, AR],
        metric=("people helped off the streets", 0, 40),
        pace=0.55,
        case_theme="housing",
        beneficiaries="homeless",
        source="speech",
    ),
    Spec(
        "A safe crossing outside St Mary's school",
        "I will get a safe crossing outside St Mary's primary school.",
        "education",
        PublicStatus.NOT_RATED,
        "tom",
        0,
        9,
        [],
        beneficiaries="young",
        source="letter",
        source_detail="Reply to a parent about the school run",
    ),
]

EVIDENCE = "https://www.northby.gov.uk/news/"


def generate(office: Office, rng: random.Random) -> None:
    today = timezone.localdate()
    staff = {u.username: u for u in get_user_model().objects.filter(memberships__office=office)}
    campaigns = {c.title: c for c in Campaign.objects.filter(office=office)}
    made: dict[str, Commitment] = {}
    for spec in SPECS:
        commitment = create_commitment(office, spec, today, staff, made)
        made[spec.title] = commitment
        link_askers(commitment, spec, campaigns, rng)
        plan(commitment, spec, today, rng)
        take_stock(commitment, spec, today, staff, rng)
        record_history(commitment, spec, today, staff)
    propose_pending_change(made, staff)
    plan_the_coming_week(made, today)


def day_months_ago(today: date, months: float) -> date:
    return today - timedelta(days=round(months * 30.4))


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def create_commitment(
    office: Office, spec: Spec, today: date, staff: dict, made: dict[str, Commitment]
) -> Commitment:
    made_on = day_months_ago(today, spec.months_ago) - timedelta(days=3)
    metric_label, baseline, target = spec.metric or ("", 0, None)
    commitment = Commitment.objects.create(
        office=office,
        parent=made.get(spec.parent),
        title=spec.title,
        wording=spec.wording,
        topic=spec.topic,
        source=spec.source,
        source_detail=spec.source_detail,
        made_on=made_on,
        owner=staff.get(spec.owner),
        deadline=day_months_ago(today, -spec.months_to_deadline),
        success_measure=spec.measure,
        metric_label=metric_label,
        metric_baseline=baseline,
        metric_target=target,
        beneficiaries=spec.beneficiaries,
        status=spec.status,
        explanation=spec.explanation,
        is_public=spec.public,
        created_at=at(made_on),
        created_by=staff.get("dan"),
        review_status_changes=True,
    )
    return commitment


def link_askers(
    commitment: Commitment, spec: Spec, campaigns: dict[str, Campaign], rng: random.Random
) -> None:
    if spec.campaign in campaigns:
        commitment.campaigns.add(campaigns[spec.campaign])
    if spec.case_theme:
        cases = list(
            Case.objects.filter(office=commitment.office, theme=spec.case_theme, campaign=None)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        commitment.cases.add(*rng.sample(cases, min(len(cases), rng.randint(3, 12))))
    commitment.refresh_people_asked()


def plan(commitment: Commitment, spec: Spec, today: date, rng: random.Random) -> None:
    start, end = commitment.made_on, commitment.deadline or today
    count = len(spec.milestones)
    closed_well = spec.status in (PublicStatus.KEPT, PublicStatus.COMPROMISE)
    for index, title in enumerate(spec.milestones):
        due = start + (end - start) * (index + 1) / (count + 0.5)
        # Kept promises finished their plan; the others are stuck before their last step.
        last = index == count - 1
        done = due <= today and (closed_well or (not last and rng.random() < 0.8))
        Milestone.objects.create(
            commitment=commitment,
            title=title,
            due_on=due,
            done_on=due + timedelta(days=rng.randint(-10, 12)) if done else None,
            reminded_on=due - timedelta(days=7) if due <= today else None,
        )
    if spec.metric:
        draw_trajectory(commitment, spec, today, rng)


def draw_trajectory(commitment: Commitment, spec: Spec, today: date, rng: random.Random) -> None:
    _, baseline, target = spec.metric or ("", 0, 0)
    start, end = commitment.made_on, commitment.deadline or today
    months = max(2, round((end - start).days / 30.4))
    points = []
    for month in range(months + 1):
        day = start + (end - start) * month / months
        share = month / months
        planned = baseline + (target - baseline) * share
        actual = None
        if day <= today and month > 0:
            stall = 0.6 if spec.status == PublicStatus.STALLED and share > 0.5 else 1.0
            wobble = rng.uniform(0.9, 1.08)
            actual = baseline + (target - baseline) * min(1.15, share * spec.pace * wobble * stall)
            actual = round(actual, 1 if target - baseline < 100 else 0)
        elif month == 0:
            actual = baseline
        points.append(
            TrajectoryPoint(commitment=commitment, on=day, planned=round(planned, 1), actual=actual)
        )
    TrajectoryPoint.objects.bulk_create(points)


def take_stock(
    commitment: Commitment, spec: Spec, today: date, staff: dict, rng: random.Random
) -> None:
    """A stocktake each quarter since the promise was made, with an honest judgement."""
    if not spec.likelihoods:
        commitment.schedule_next_stocktake(commitment.made_on)
        commitment.save(update_fields=["next_stocktake_on", "stocktake_reminded_on"])
        return
    first = commitment.made_on + timedelta(days=rng.randint(14, 30))
    last = today - timedelta(days=rng.randint(3, 45))
    if spec.status not in OPEN:
        last = min(last, (commitment.deadline or last) - timedelta(days=rng.randint(7, 20)))
    count = len(spec.likelihoods)
    held_on = first
    for index, likelihood in enumerate(spec.likelihoods):
        held_on = first + (last - first) * index / max(1, count - 1)
        Stocktake.objects.create(
            commitment=commitment,
            held_on=held_on,
            progress=progress_text(commitment, likelihood, rng),
            likelihood=likelihood,
            reason=REASONS[likelihood],
            recorded_by=commitment.owner,
            recorded_at=at(held_on, 15),
        )
    commitment.schedule_next_stocktake(held_on)
    if commitment.next_stocktake_on and commitment.next_stocktake_on < today:
        commitment.stocktake_reminded_on = commitment.next_stocktake_on - timedelta(days=7)
    commitment.save(update_fields=["next_stocktake_on", "stocktake_reminded_on"])


REASONS = {
    G: "The plan is on track and the people we depend on have agreed their part.",
    AG: "Progress is real but one dependency is not yet settled; we know how to settle it.",
    AR: "We are behind the trajectory and the fix depends on a decision we do not control.",
    R: "Without a change of plan or money this will not be delivered by the deadline.",
}

PROGRESS = [
    "Met the council's cabinet member; they agreed to a joint plan by the end of the month.",
    "Wrote to the chief executive and raised it at the partnership board.",
    "The figures for the quarter are in; we are {gap} the planned path.",
    "Held a residents' meeting; 40 people came and the main worry was timing.",
    "The funding bid went in on time; the decision is due next quarter.",
    "Chased the missing update twice; the reply promised action within six weeks.",
]


def progress_text(commitment: Commitment, likelihood: str, rng: random.Random) -> str:
    gap = "ahead of" if likelihood == G else "a little behind" if likelihood == AG else "behind"
    return " ".join(rng.sample(PROGRESS, 2)).format(gap=gap)


def record_history(commitment: Commitment, spec: Spec, today: date, staff: dict) -> None:
    """The public history: recorded, in the works, then (for some) its final status."""
    dan, amira = staff.get("dan"), staff.get("amira")
    made = commitment.made_on
    changes = [("", PublicStatus.NOT_RATED, made, "The promise was recorded.", "")]
    if spec.status != PublicStatus.NOT_RATED:
        changes.append(
            (
                PublicStatus.NOT_RATED,
                PublicStatus.IN_THE_WORKS,
                made + timedelta(days=30),
                "A delivery plan is agreed and work has started.",
                f"{EVIDENCE}plan-{commitment.pk}",
            )
        )
    final_day = min(today - timedelta(days=5), (commitment.deadline or today))
    notes = {
        PublicStatus.STALLED: "No progress on the deciding step for three months.",
        PublicStatus.KEPT: "Delivered, as the evidence shows.",
        PublicStatus.COMPROMISE: "Partly delivered; the leader explains why below.",
        PublicStatus.BROKEN: "Not delivered; the leader explains why below.",
    }
    if spec.status in notes:
        changes.append(
            (
                PublicStatus.IN_THE_WORKS,
                spec.status,
                final_day,
                notes[spec.status],
                f"{EVIDENCE}update-{commitment.pk}",
            )
        )
    if spec.rewording:
        wording, reason = spec.rewording
        Rewording.objects.create(
            commitment=commitment,
            wording=wording,
            reason=reason,
            at=at(made + timedelta(90)),
            by=amira,
        )
    for from_status, to_status, day, note, evidence in changes:
        StatusChange.objects.create(
            commitment=commitment,
            from_status=from_status,
            to_status=to_status,
            evidence_url=evidence,
            editor_note=note,
            explanation=spec.explanation if to_status == spec.status else "",
            proposed_at=at(day),
            proposed_by=dan,
            decided_at=at(day, 16),
            decided_by=amira if from_status else dan,
            approved=True,
        )
    commitment.status_changed_at = at(changes[-1][2], 16)
    commitment.save(update_fields=["status_changed_at"])


def propose_pending_change(made: dict[str, Commitment], staff: dict) -> None:
    """One change waits for the leader's review, to show the second pair of eyes."""
    commitment = made["Clean up the River Brook"]
    StatusChange.objects.create(
        commitment=commitment,
        from_status=commitment.status,
        to_status=PublicStatus.KEPT,
        evidence_url="https://www.northby.gov.uk/news/river-brook-clean-up",
        editor_note="The twelfth clean-up day is booked; the river group says it is done.",
        proposed_by=staff.get("grace"),
    )


def plan_the_coming_week(made: dict[str, Commitment], today: date) -> None:
    """Something falls due this week, so `compassion commitments remind` has work to do."""
    Milestone.objects.create(
        commitment=made["Reopen the Northby youth centre"],
        title="Meet the council's youth service about a lease",
        due_on=today + timedelta(days=4),
    )
    Milestone.objects.create(
        commitment=made["Step-free access at Northby station"],
        title="Ask the rail minister for a decision date",
        due_on=today + timedelta(days=6),
    )
