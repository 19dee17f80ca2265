"""Demo casework for the demo office: the agency directory, checklists and templates, and
the replies, letters to agencies, chasers, actions, obstacles and satisfaction answers a
year of real casework leaves behind. Deterministic from the demo's random generator."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from compassion.cases import theme_learning
from compassion.cases.coaching import coach_drafts
from compassion.cases.defaults import seed_casework_defaults
from compassion.cases.models import (
    Action,
    Agency,
    AgencyKind,
    Case,
    CaseworkPolicy,
    ChecklistQuestion,
    Obstacle,
    ObstacleKind,
    Referral,
    Reply,
    ReplyTemplate,
    SatisfactionRequest,
    Status,
    TemplateKind,
    ThemeCorrection,
    merge,
)
from compassion.cases.search import index_office
from compassion.core.models import Office
from compassion.core.workdays import add_working_days
from compassion.voices.models import Voice

# Phone numbers are in Ofcom's ranges reserved for drama; addresses are fictional.
AGENCIES = [
    (
        AgencyKind.COUNCIL_HOUSING,
        "Northby Council Housing Services",
        "Councillor and MP enquiries team",
        "0113 496 0100",
        "mp.enquiries@northby-council.example.org",
        "Northby Town Hall\nMarket Street\nNorthby NB1 1AA",
    ),
    (
        AgencyKind.HOUSING_ASSOCIATION,
        "Northby Homes",
        "MP and councillor casework team",
        "0113 496 0150",
        "mpcasework@northby-homes.example.org",
        "Northby Homes\n2 Canal Side\nNorthby NB2 4HN",
    ),
    (
        AgencyKind.DWP,
        "Department for Work and Pensions",
        "MP hotline team",
        "0808 157 0101",
        "mp-hotline@dwp.example.gov.uk",
        "DWP Correspondence\nWolverhampton WV98 1AA",
    ),
    (
        AgencyKind.HMRC,
        "HM Revenue and Customs",
        "MP hotline team",
        "0808 157 0202",
        "mp-enquiries@hmrc.example.gov.uk",
        "HMRC\nBX9 1AS",
    ),
    (
        AgencyKind.HOME_OFFICE,
        "Home Office UK Visas and Immigration",
        "MP account team",
        "0808 157 0303",
        "mp-account@homeoffice.example.gov.uk",
        "UKVI MP Account\nLunar House\nCroydon CR9 2BY",
    ),
    (
        AgencyKind.NHS,
        "Northby and Eastfield NHS Trust",
        "Patient Advice and Liaison Service",
        "0113 496 0200",
        "pals@northby-nhs.example.org",
        "Northby General Hospital\nHospital Lane\nNorthby NB3 7QP",
    ),
    (
        AgencyKind.SCHOOL,
        "Northby Council SEND Service",
        "Casework team",
        "0113 496 0250",
        "send@northby-council.example.org",
        "Northby Town Hall\nMarket Street\nNorthby NB1 1AA",
    ),
    (
        AgencyKind.POLICE,
        "West Northby Police",
        "Neighbourhood Inspector",
        "0113 496 0300",
        "mp.liaison@northby-police.example.org",
        "Northby Police Station\nStation Road\nNorthby NB1 3PS",
    ),
    (
        AgencyKind.COUNCIL,
        "Northby Council",
        "Member enquiries",
        "0113 496 0350",
        "members@northby-council.example.org",
        "Northby Town Hall\nMarket Street\nNorthby NB1 1AA",
    ),
    (
        AgencyKind.CHARITY,
        "Northby Citizens Advice",
        "Adviser referrals",
        "0113 496 0400",
        "referrals@northby-ca.example.org",
        "14 Queen Street\nNorthby NB1 2QS",
    ),
]

AGENCY_FOR_THEME = {
    "housing": [AgencyKind.HOUSING_ASSOCIATION, AgencyKind.COUNCIL_HOUSING],
    "benefits": [AgencyKind.DWP],
    "immigration": [AgencyKind.HOME_OFFICE],
    "health": [AgencyKind.NHS],
    "education": [AgencyKind.SCHOOL],
    "crime": [AgencyKind.POLICE],
    "tax_money": [AgencyKind.HMRC, AgencyKind.CHARITY],
    "environment": [AgencyKind.COUNCIL],
    "local_services": [AgencyKind.COUNCIL],
    "transport": [AgencyKind.COUNCIL],
    "other": [AgencyKind.CHARITY],
}

UNDERSTOOD = {
    "housing": "I understand the damp has made your home hard to live in and that it is "
    "affecting your family's health, and that your reports have gone unanswered.",
    "benefits": "I understand your payments have stopped through no fault of yours and that "
    "you are worried about how to pay for food and rent.",
    "immigration": "I understand you have been waiting many months for a decision and that "
    "the uncertainty is stopping you from working and planning.",
    "health": "I understand you have been waiting a long time for treatment and that the "
    "pain is affecting every part of your life.",
    "education": "I understand your child is not getting the support they need at school and "
    "that this is taking a toll on the whole family.",
}
NEXT_STEPS = [
    "I have written today to {agency} and asked for a reply within 15 working days",
    "I have raised this with {agency} through their MP enquiries line",
    "I have asked {agency} to look at your case again and to tell us the outcome",
]
ANSWERS = [
    "Inspection booked; repair scheduled within four weeks.",
    "Decision reviewed: payment restored and arrears paid.",
    "Application now with a senior caseworker; decision expected within 8 weeks.",
    "Appointment brought forward.",
    "They say the case is closed; we disagree and have asked for a review.",
    "Acknowledged; they will reply in full within 20 working days.",
]
OBSTACLES = [
    (ObstacleKind.NO_ANSWER, 30),
    (ObstacleKind.SLOW, 25),
    (ObstacleKind.POLICY, 14),
    (ObstacleKind.WRONG_DECISION, 12),
    (ObstacleKind.NO_SERVICE, 8),
]
OBSTACLE_TEXTS = {
    ObstacleKind.NO_ANSWER: "No answer to our letter or the chaser",
    ObstacleKind.SLOW: "Decision taking months longer than the published standard",
    ObstacleKind.POLICY: "Policy leaves people without money while a review happens",
    ObstacleKind.WRONG_DECISION: "Refused after a short phone assessment; overturned on review",
    ObstacleKind.NO_SERVICE: "No local service for this need",
}
# What the obstacle was, where the usual words do not fit the agency: Citizens Advice
# takes no decisions, and a slow police force is slow to update, not to decide.
OBSTACLE_TEXTS_BY_AGENCY = {
    ObstacleKind.SLOW: {
        AgencyKind.NHS: "Waiting far beyond the 18-week standard for treatment",
        AgencyKind.POLICE: "No update on the report for three months",
        AgencyKind.CHARITY: "Six weeks' wait for an adviser appointment",
        AgencyKind.COUNCIL: "Problem reported in the spring still not put right",
        AgencyKind.HOUSING_ASSOCIATION: "Repair promised within 28 days still not done after "
        "three months",
    },
    ObstacleKind.POLICY: {
        AgencyKind.HOME_OFFICE: "No recourse to public funds leaves the family without "
        "support while they wait",
        AgencyKind.NHS: "Patients taken off the waiting list after one missed appointment",
        AgencyKind.SCHOOL: "Assessment for an EHC plan refused until the school has tried "
        "for two terms",
        AgencyKind.POLICE: "Antisocial behaviour reports closed without a visit",
        AgencyKind.COUNCIL: "Service cut without asking the people who use it",
        AgencyKind.COUNCIL_HOUSING: "A family loses its priority for housing if it turns "
        "down one offer",
        AgencyKind.HOUSING_ASSOCIATION: "Damp put down to drying washing indoors; no survey "
        "offered",
        AgencyKind.CHARITY: "Debt advice only by phone, with no appointments",
    },
    ObstacleKind.WRONG_DECISION: {
        AgencyKind.NHS: "Referral turned down without seeing the patient; accepted on appeal",
        AgencyKind.POLICE: "Report closed with no further action; reopened after we asked",
        AgencyKind.CHARITY: "Told they could not claim; a second adviser found they could",
        AgencyKind.HOME_OFFICE: "Refused for a missing document that had been sent",
        AgencyKind.HMRC: "Penalty charged for a return that was filed on time",
    },
}
ACTIONS = [
    "Ring the person to check how they are",
    "Check whether the agency has replied",
    "Send the person the agency's answer",
    "Ask for the reference number and dates",
    "Book a surgery appointment",
    "Ask the agency for a date for the decision",
]
# What the office does instead on a case that has written to no agency yet.
BEFORE_ANY_LETTER = {
    "Check whether the agency has replied": "Find out which agency deals with this",
    "Send the person the agency's answer": "Write to the person with our advice",
    "Ask the agency for a date for the decision": "Ask the person for the letters they have had",
}


def generate(office: Office, rng: random.Random) -> None:
    now = timezone.now()
    CaseworkPolicy.objects.update_or_create(office=office, defaults={"capacity": 120})
    seed_casework_defaults(office)
    agencies = create_agencies(office)
    cases = list(Case.objects.for_office(office).select_related("person", "assigned_to", "office"))
    note_assignment_times(cases, rng, now)
    own_cases = [case for case in cases if case.campaign_id is None]
    create_replies(office, own_cases, rng)
    correct_themes(office, own_cases, rng)
    referrals = create_referrals(office, own_cases, agencies, rng, now)
    create_obstacles(office, referrals, own_cases, agencies, rng, now)
    create_actions(own_cases, {referral.case_id for referral in referrals}, rng, now)
    create_satisfaction(own_cases, rng, now)
    tick_checklists(office, own_cases, rng)
    index_office(office)


def create_agencies(office: Office) -> dict[str, Agency]:
    created = Agency.objects.bulk_create(
        [
            Agency(
                office=office,
                kind=kind,
                name=name,
                team=team,
                hotline=hotline,
                email=email,
                address=address,
            )
            for kind, name, team, hotline, email, address in AGENCIES
        ]
    )
    return {agency.kind: agency for agency in created}


def note_assignment_times(cases: list[Case], rng: random.Random, now: datetime) -> None:
    """A case is given to a caseworker within a day of opening (or now, if it opened less
    than that ago)."""
    for case in cases:
        if case.assigned_to_id:
            delay = timedelta(hours=rng.choice([1, 2, 4, 20, 26]))
            case.assigned_at = min(case.opened_at + delay, now)
    Case.objects.bulk_update(cases, ["assigned_at"], batch_size=1000)


def correct_themes(office: Office, cases: list[Case], rng: random.Random) -> None:
    """Caseworkers correct the lens's theme on most of the first messages it read wrongly
    (they file the case under its real theme), and the office's theme model learns from
    them, as it would in a real office."""
    first_voices = {}
    for voice in Voice.objects.filter(case__in=cases).order_by("received_at", "pk"):
        first_voices.setdefault(voice.case_id, voice)
    corrections, corrected = [], []
    for case in cases:
        voice = first_voices.get(case.pk)
        unread = voice is None or voice.read_at is None
        if unread or voice.theme == case.theme or rng.random() > CORRECTED_SHARE:
            continue
        corrections.append(
            ThemeCorrection(
                office=office,
                voice=voice,
                lens_theme=voice.theme,
                staff_theme=case.theme,
                corrected_by_id=case.assigned_to_id,
                corrected_at=voice.read_at + timedelta(minutes=rng.randint(2, 90)),
            )
        )
        voice.theme, voice.theme_confidence = case.theme, None
        corrected.append(voice)
    ThemeCorrection.objects.bulk_create(corrections, batch_size=500)
    Voice.objects.bulk_update(corrected, ["theme", "theme_confidence"], batch_size=500)
    theme_learning.refit(office)


def templates_by_theme(office: Office, kind: str) -> dict[str, ReplyTemplate]:
    found = {
        t.theme: t for t in ReplyTemplate.objects.filter(office=office, kind=kind, is_current=True)
    }
    return found


def fill_brackets(text: str, case: Case, agency_name: str, rng: random.Random) -> str:
    """Turn the template's [bracketed] guidance into what a caseworker would have written."""
    understood = UNDERSTOOD.get(case.theme, "I understand how much this matters to you.")
    step = rng.choice(NEXT_STEPS).format(agency=agency_name)
    date = timezone.localtime(case.opened_at) + timedelta(days=rng.randint(10, 20))
    return (
        text.replace("[Say what you understood of their situation, in their words.]", understood)
        .replace("[the concrete step]", step)
        .replace("[date]", date.strftime("%-d %B"))
        .replace(
            "[Set out the situation and what has happened so far.]",
            f"{case.subject}. {case.heard or 'They have been trying to resolve this alone.'}",
        )
    )


# How caseworkers actually write: most replies follow the office's templates (feelings,
# what was understood, a concrete step and a date), some are warm but vague, some are
# practical but cold, and some only confirm receipt. The reply coach reads them all.
# Busy caseworkers fix most wrong themes, not all.
CORRECTED_SHARE = 0.7
# Urgent cases are acknowledged 24 times sooner than others, and answered 12 times sooner.
URGENT_ACK_SPEEDUP = 24
URGENT_REPLY_SPEEDUP = 12
REPLY_STYLES = {"template": 45, "warm": 20, "practical": 15, "curt": 20}
FEELINGS = [
    "I am so sorry you are going through this; it sounds exhausting and frightening.",
    "That sounds really hard, and I can hear how worried you are.",
    "I am sorry this has been so stressful for you and your family.",
    "It must be upsetting to be treated like this after everything you have tried.",
]
QUESTIONS = [
    "Could you tell me what would help most right now?",
    "Can you let me know when this started and whether you have any letters about it?",
    "How are you managing at the moment, and is there anything urgent we should know?",
]
VAGUE_OFFERS = [
    "We will look into this and get back to you.",
    "Please let us know if anything changes in the meantime.",
    "We will see what we can do.",
]
RECEIPTS = [
    "We have received your message about {subject}. Your reference is {reference}.",
    "Thank you for your email. It has been passed to a caseworker. Reference: {reference}.",
    "Your message about {subject} has been logged under reference {reference}.",
]


def create_replies(office: Office, cases: list[Case], rng: random.Random) -> None:
    """Each case's first human reply, in a mix of styles, read by the real reply coach."""
    templates = templates_by_theme(office, TemplateKind.REPLY)
    replies = []
    for case in cases:
        if not case.first_reply_at or case.person is None:
            continue
        template = templates.get(case.theme) or templates.get("")
        if template is None:
            continue
        agency = AGENCY_FOR_THEME.get(case.theme, [AgencyKind.CHARITY])[0].label
        values = case.merge_values(case.assigned_to) | {
            "heard": case.heard or "that this is sorted out quickly"
        }
        style = rng.choices(list(REPLY_STYLES), list(REPLY_STYLES.values()))[0]
        if style == "template":
            body = fill_brackets(merge(template.body, values), case, agency, rng)
        else:
            body = reply_in_style(style, case, values, agency, rng)
        replies.append(
            Reply(
                office=office,
                case=case,
                person=case.person,
                kind=TemplateKind.REPLY,
                template=template if style == "template" else None,
                to_email=case.person.email,
                subject=merge(template.subject, values),
                body=body,
                sent_at=case.first_reply_at,
                sent_by=case.assigned_to,
            )
        )
    readings = coach_drafts([(reply.body, reply.case) for reply in replies])
    for reply, reading in zip(replies, readings, strict=True):
        reply.coach = reading.to_dict()
    Reply.objects.bulk_create(replies, batch_size=1000)


def reply_in_style(
    style: str, case: Case, values: dict[str, str], agency: str, rng: random.Random
) -> str:
    """A reply written without the template: warm but vague, practical, or curt."""
    due = timezone.localtime(case.first_reply_at) + timedelta(days=rng.randint(5, 15))
    if style == "warm":
        middle = [
            rng.choice(FEELINGS),
            UNDERSTOOD.get(case.theme, ""),
            rng.choice(QUESTIONS),
            rng.choice(VAGUE_OFFERS),
        ]
    elif style == "practical":
        middle = [
            f"I have written today to {agency} about your case and will update you by {due:%-d %B}."
        ]
    else:
        middle = [
            rng.choice(RECEIPTS).format(subject=case.subject.lower(), reference=case.reference)
        ]
    sign_off = rng.choice(["Regards", "Kind regards", "With best wishes"])
    parts = [
        f"Dear {values['first_name']},",
        *middle,
        f"{sign_off},\n{values['caseworker']}\n{values['office_name']}",
    ]
    return "\n\n".join(part for part in parts if part)


def create_referrals(
    office: Office,
    cases: list[Case],
    agencies: dict[str, Agency],
    rng: random.Random,
    now: datetime,
) -> list[Referral]:
    template = ReplyTemplate.objects.filter(office=office, kind=TemplateKind.REFERRAL).first()
    referrals = []
    for case in cases:
        if not case.first_reply_at or case.person is None or rng.random() > 0.4:
            continue
        kind = rng.choice(AGENCY_FOR_THEME.get(case.theme, [AgencyKind.CHARITY]))
        agency = agencies[kind]
        values = case.merge_values(case.assigned_to) | {
            "agency_name": agency.name,
            "agency_team": agency.team,
            "agency_address": agency.address,
        }
        sent_at = case.first_reply_at + timedelta(hours=rng.randint(1, 30))
        if sent_at > now:
            continue
        sent_day = timezone.localtime(sent_at).date()
        answered = case.status == Status.CLOSED or rng.random() < 0.35
        answered_at = sent_at + timedelta(days=rng.randint(4, 35)) if answered else None
        if answered_at and answered_at > now:
            answered_at = None
        referrals.append(
            Referral(
                office=office,
                case=case,
                agency=agency,
                template=template,
                subject=merge(template.subject, values) if template else case.subject,
                body=fill_brackets(merge(template.body, values), case, agency.name, rng)
                if template
                else case.subject,
                sent_at=sent_at,
                sent_by=case.assigned_to,
                chase_on=add_working_days(sent_day, 15, office.holiday_region),
                answered_at=answered_at,
                answer=rng.choice(ANSWERS) if answered_at else "",
            )
        )
    Referral.objects.bulk_create(referrals, batch_size=1000)
    chasers = []
    today = timezone.localdate()
    for referral in referrals:
        overdue = referral.answered_at is None and referral.chase_on < today - timedelta(days=5)
        if overdue and rng.random() < 0.6:
            chasers.append(
                Referral(
                    office=office,
                    case=referral.case,
                    agency=referral.agency,
                    chases=referral,
                    subject=f"Chaser: {referral.subject}",
                    body=f"Dear {referral.agency.team},\n\nWe wrote to you on "
                    f"{timezone.localtime(referral.sent_at):%-d %B} and have had no reply. "
                    "Please reply within five working days.\n\nYours sincerely,\n"
                    f"{office.name}",
                    sent_at=timezone.make_aware(
                        datetime.combine(referral.chase_on, datetime.min.time())
                    ),
                    sent_by=referral.sent_by,
                    chase_on=add_working_days(referral.chase_on, 10, office.holiday_region),
                )
            )
    Referral.objects.bulk_create(chasers, batch_size=1000)
    return referrals


def create_obstacles(
    office: Office,
    referrals: list[Referral],
    cases: list[Case],
    agencies: dict[str, Agency],
    rng: random.Random,
    now: datetime,
) -> None:
    """Obstacles met on letters that waited more than three weeks for an answer (recorded
    when the three weeks were up), and on cases closed without helping."""
    kinds = [kind for kind, _ in OBSTACLES]
    weights = [weight for _, weight in OBSTACLES]
    obstacles = []
    for referral in referrals:
        three_weeks_on = referral.sent_at + timedelta(days=22)
        answered = referral.answered_at or now
        if answered > three_weeks_on and three_weeks_on <= now and rng.random() < 0.45:
            kind = rng.choices(kinds, weights)[0]
            obstacles.append(
                Obstacle(
                    office=office,
                    case=referral.case,
                    kind=kind,
                    agency=referral.agency,
                    description=obstacle_text(kind, referral.agency),
                    recorded_at=three_weeks_on,
                    recorded_by=referral.sent_by,
                )
            )
    for case in cases:
        if case.outcome == "not_helped" and rng.random() < 0.6:
            kind = rng.choice([ObstacleKind.POLICY, ObstacleKind.NO_SERVICE])
            agency = agencies[rng.choice(AGENCY_FOR_THEME.get(case.theme, [AgencyKind.CHARITY]))]
            obstacles.append(
                Obstacle(
                    office=office,
                    case=case,
                    kind=kind,
                    agency=agency,
                    description=obstacle_text(kind, agency),
                    recorded_at=case.closed_at or case.opened_at,
                    recorded_by=case.assigned_to,
                )
            )
    Obstacle.objects.bulk_create(obstacles, batch_size=1000)


def obstacle_text(kind: str, agency: Agency) -> str:
    return OBSTACLE_TEXTS_BY_AGENCY.get(kind, {}).get(agency.kind, OBSTACLE_TEXTS[kind])


def create_actions(
    cases: list[Case], written_for: set[int], rng: random.Random, now: datetime
) -> None:
    """Actions on open cases; one about an agency only where the case has written to one."""
    today = timezone.localdate()
    actions: list[Action] = []
    for case in cases:
        if not case.is_open or case.status == Status.NEW:
            continue
        for _ in range(rng.choice([0, 1, 1, 2])):
            due = today + timedelta(days=rng.randint(-6, 12))
            done = due < today and rng.random() < 0.6
            description = rng.choice(ACTIONS)
            if case.pk not in written_for:
                description = BEFORE_ANY_LETTER.get(description, description)
            actions.append(
                Action(
                    case=case,
                    description=description,
                    owner=case.assigned_to,
                    due_on=due,
                    is_follow_up=rng.random() < 0.3,
                    done_at=now - timedelta(days=rng.randint(0, 3)) if done else None,
                    created_at=max(case.opened_at, now - timedelta(days=14)),
                )
            )
    Action.objects.bulk_create(actions, batch_size=1000)


def create_satisfaction(cases: list[Case], rng: random.Random, now: datetime) -> None:
    asked: list[SatisfactionRequest] = []
    comments = [
        "Thank you, it made a real difference.",
        "It took a long time but it worked.",
        "",
        "",
        "Nobody told me what was happening for weeks.",
    ]
    for case in cases:
        if case.status != Status.CLOSED or not case.closed_at or rng.random() > 0.5:
            continue
        answered = rng.random() < 0.4
        answer = comment = ""
        answered_at = None
        if answered:
            answer = {"helped": "yes", "partly": "partly"}.get(
                case.outcome, rng.choice(["no", "partly"])
            )
            comment = rng.choice(comments)
            answered_at = case.closed_at + timedelta(days=rng.randint(1, 9))
        if answered_at and answered_at > now:  # closed days ago: not answered yet
            answer, comment, answered_at = "", "", None
        asked.append(
            SatisfactionRequest(
                case=case,
                token=secrets.token_urlsafe(24),
                sent_at=case.closed_at,
                answer=answer,
                comment=comment,
                answered_at=answered_at,
            )
        )
    SatisfactionRequest.objects.bulk_create(asked, batch_size=1000)


def tick_checklists(office: Office, cases: list[Case], rng: random.Random) -> None:
    questions: dict[str, list[int]] = {}
    for theme, pk in ChecklistQuestion.objects.filter(office=office).values_list("theme", "pk"):
        questions.setdefault(theme, []).append(pk)
    changed: list[Any] = []
    for case in cases:
        asked = questions.get(case.theme)
        if asked and case.status != Status.NEW:
            case.explored = sorted(rng.sample(asked, rng.randint(1, len(asked))))
            changed.append(case)
    Case.objects.bulk_update(changed, ["explored"], batch_size=1000)
