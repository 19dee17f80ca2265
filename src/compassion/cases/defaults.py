"""A starting point for an office: exploration checklists and reply, referral and chaser
letters. Offices edit them (each edit is a new version); seeding never overwrites."""

from __future__ import annotations

from compassion.cases.models import ChecklistQuestion, ReplyTemplate, TemplateKind
from compassion.core.models import Office

CHECKLISTS: dict[str, list[str]] = {
    "housing": [
        "Who is the landlord: council, housing association or private?",
        "Is there a deadline: a notice date, a court date, bailiffs?",
        "Who lives there, and is anyone a child, ill, disabled or pregnant?",
        "What have they already reported, when, and with which reference?",
        "Is the home safe to live in tonight (damp, heating, hot water, security)?",
    ],
    "benefits": [
        "Which benefit, and what exactly changed (stopped, reduced, refused, sanctioned)?",
        "Is there money for food, heating and rent this week?",
        "Are they within a deadline for mandatory reconsideration or appeal?",
        "Have they consented to us contacting DWP, and do we have their NI number?",
    ],
    "immigration": [
        "What is their current status and when does it expire?",
        "Is there an application in progress, with a reference and date submitted?",
        "Are they able to work, rent, or get healthcare while they wait?",
        "Do they have a solicitor or adviser we should be working with?",
    ],
    "health": [
        "Which service: GP, hospital, mental health, ambulance, dentist?",
        "Is anyone at risk now? If so, signpost to urgent care first.",
        "Have they used the PALS or complaints route, and with what answer?",
    ],
    "education": [
        "Which school or setting, and what year is the child in?",
        "Is there an EHCP, or an assessment requested, with its dates?",
        "Is the child out of school now, and for how long?",
    ],
    "crime": [
        "Have they reported it to the police, with a crime number?",
        "Are they or anyone else in danger now?",
        "Is this antisocial behaviour for the council, or a crime for the police?",
    ],
    "tax_money": [
        "Is there a debt with a deadline, bailiff letter or court claim?",
        "Have they had free debt advice (Citizens Advice, StepChange)?",
        "Which organisation is involved: HMRC, council tax, a lender?",
    ],
}

GENERAL_CHECKLIST = [
    "In their own words, what matters most to them? (record it as Heard)",
    "What outcome would feel like help to them?",
    "Have they asked anyone else for help already?",
]

REPLY_TEMPLATES = [
    (
        TemplateKind.REPLY,
        "",
        "Reply: we are taking this up",
        "Your case {{ reference }}: {{ subject }}",
        "Dear {{ first_name }},\n\n"
        "Thank you for telling us about this. I am sorry you have been going through it. "
        "You told us that what matters most is: {{ heard }}.\n\n"
        "[Say what you understood of their situation, in their words.]\n\n"
        "Here is what I will do next: [the concrete step], and I will write to you again "
        "by [date].\n\n"
        "With best wishes,\n{{ caseworker }}\n{{ office_name }}",
    ),
    (
        TemplateKind.REPLY,
        "housing",
        "Housing: we have written to the landlord",
        "Your home: case {{ reference }}",
        "Dear {{ first_name }},\n\n"
        "Thank you for writing to us about your home. Living with this is exhausting and "
        "worrying, and you should not have had to chase it this long. You told us: {{ heard }}.\n\n"
        "I have written today to the landlord's MP enquiries team asking them to inspect and "
        "give a date for the repair. I will tell you their answer, and if they have not replied "
        "within 15 working days I will chase them.\n\n"
        "With best wishes,\n{{ caseworker }}\n{{ office_name }}",
    ),
    (
        TemplateKind.REPLY,
        "benefits",
        "Benefits: we are raising it with DWP",
        "Your benefits: case {{ reference }}",
        "Dear {{ first_name }},\n\n"
        "Thank you for telling us what has happened to your payments. I know how frightening "
        "it is to be left without money. You told us: {{ heard }}.\n\n"
        "I am raising your case with the DWP through the MP hotline today and asking them to "
        "look again urgently. If you have no money for food or heating this week, Northby "
        "Food Bank can help: ring 0113 496 0412.\n\n"
        "I will be back in touch by [date].\n\n"
        "With best wishes,\n{{ caseworker }}\n{{ office_name }}",
    ),
    (
        TemplateKind.REFERRAL,
        "",
        "Referral: please look into this",
        "{{ full_name }}, {{ postcode }}: our reference {{ reference }}",
        "Dear {{ agency_team }},\n\n"
        "I am writing on behalf of {{ full_name }} of {{ address }}, who has asked us for "
        "help and has given consent for us to contact you.\n\n"
        "[Set out the situation and what has happened so far.]\n\n"
        "Please would you look into this and tell us what you will do, and by when. I would "
        "be grateful for a reply within 15 working days.\n\n"
        "Yours sincerely,\n{{ caseworker }}\n{{ office_name }}",
    ),
    (
        TemplateKind.CHASER,
        "",
        "Chaser: no reply yet",
        "Chaser: {{ original_subject }}",
        "Dear {{ agency_team }},\n\n"
        "On {{ sent_on }} we wrote to you about {{ original_subject }} (our reference "
        "{{ reference }}). We have not yet had a reply. Our constituent is still waiting; "
        "please reply within five working days.\n\n"
        "Yours sincerely,\n{{ caseworker }}\n{{ office_name }}",
    ),
]


def seed_casework_defaults(office: Office) -> int:
    """Add the standard checklists and templates an office does not have yet."""
    added = 0
    for theme, questions in [*CHECKLISTS.items()]:
        if not ChecklistQuestion.objects.filter(office=office, theme=theme).exists():
            for position, text in enumerate([*questions, *GENERAL_CHECKLIST]):
                ChecklistQuestion.objects.create(
                    office=office, theme=theme, text=text, position=position
                )
                added += 1
    for kind, theme, name, subject, body in REPLY_TEMPLATES:
        if not ReplyTemplate.objects.filter(office=office, kind=kind, name=name).exists():
            ReplyTemplate.objects.create(
                office=office, kind=kind, theme=theme, name=name, subject=subject, body=body
            )
            added += 1
    return added
