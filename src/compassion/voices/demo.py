"""The inbox of the demo office: templates, intake settings, a few messages that came in
through the real intake path (HTML with a tracking pixel, attachments, an uncertain
sender), a handful in quarantine, and the lens run over every voice. Then what the office
did about them: the cases the lens flags are answered fast, and a campaign whose letters
have stopped coming is answered once.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from compassion.cases.demo import URGENT_ACK_SPEEDUP, URGENT_REPLY_SPEEDUP
from compassion.cases.models import Case, Reply, ReplyTemplate, Status, TemplateKind
from compassion.core.models import Membership, Office, Person, Role
from compassion.voices import analysis, replies
from compassion.voices.intake import ingest_raw, quarantine, receive
from compassion.voices.models import Campaign, IntakeSettings, RawKind, Voice
from compassion.voices.parsing import IncomingMessage
from compassion.voices.replies import seed_default_templates

PLACEHOLDER = "[Say here what the leader thinks and will do.]"
CAMPAIGN_ANSWER = "Amira has taken this up and will write to you again when she has an answer."
CAMPAIGN_ANSWERS = {
    "Save Eastfield Library": (
        "Amira agrees that the library is a lifeline for Eastfield. She has written to the "
        "council's cabinet member for libraries to ask that it stays open five days a week, and "
        "she will write to you again with the council's answer."
    ),
}

TRACKING_HTML = (
    "<html><body><p>Dear Amira,</p><p>Please find attached the letter from the council "
    "about my <b>housing benefit</b>. They say I owe them {money} and I do not understand "
    "why.</p><p>Thank you,<br>{name}<br>{postcode}</p>"
    '<img src="https://tracker.example.com/open.gif?id=8812" width="1" height="1">'
    "<script>document.location='https://phish.example.com'</script></body></html>"
)


def generate(office: Office, rng: random.Random) -> None:
    seed_default_templates(office)
    IntakeSettings.objects.get_or_create(office=office, defaults={"auto_acknowledge": True})
    people = list(Person.objects.for_office(office).exclude(email="").order_by("pk")[:400])
    now = timezone.now()
    add_html_email_with_attachments(office, rng.choice(people), now - timedelta(hours=3), rng)
    add_uncertain_senders(office, people, rng, now)
    add_quarantined(office, now)
    urgent_before = set(
        Case.objects.filter(office=office, urgent=True).values_list("pk", flat=True)
    )
    analysis.analyse(list(Voice.objects.for_office(office)), notify=False, campaigns=False)
    answer_flagged_cases_quickly(office, urgent_before)
    answer_campaigns(office, now)


def answer_flagged_cases_quickly(office: Office, urgent_before: set[int]) -> None:
    """The office treats a case whose first message the lens flags as urgent (a section 21
    notice, "I have £12 left until payday") as it treats the demo's own urgent cases:
    acknowledged within hours and answered within a day or two, sped up as `settle_case`
    speeds up the demo's own."""
    first_voice = Voice.objects.filter(case=OuterRef("pk")).order_by("received_at", "pk")
    cases = (
        Case.objects.filter(office=office, urgent=True, campaign__isnull=True)
        .exclude(pk__in=urgent_before)
        .annotate(first_urgent=Subquery(first_voice.values("urgent")[:1]))
        .filter(first_urgent=True)
    )
    changed = []
    for case in cases:
        if case.acknowledged_at:
            waited = case.acknowledged_at - case.opened_at
            case.acknowledged_at = case.opened_at + waited / URGENT_ACK_SPEEDUP
        if case.first_reply_at:
            sooner = case.opened_at + (case.first_reply_at - case.opened_at) / URGENT_REPLY_SPEEDUP
            if case.waiting_since == case.first_reply_at:
                case.waiting_since = sooner
            case.first_reply_at = sooner
        changed.append(case)
    Case.objects.bulk_update(
        changed, ["acknowledged_at", "first_reply_at", "waiting_since"], batch_size=500
    )


def answer_campaigns(office: Office, now: datetime) -> None:
    """Answer every signatory of a campaign whose letters stopped coming a fortnight ago, as
    staff do: a campaign template of its own, sent from the campaign's page, greeting each
    by name. Each letter's case is then answered, as `replies.record_campaign_answer` does."""
    leader = Membership.objects.get(office=office, role=Role.LEADER).user
    for campaign in Campaign.objects.filter(office=office):
        voices = list(campaign.voices.select_related("person", "case", "campaign"))
        last_letter = max(voice.received_at for voice in voices)
        if now - last_letter < timedelta(days=14):
            continue
        sent_at = timezone.localtime(last_letter + timedelta(days=3)).replace(hour=10, minute=30)
        template = campaign_template(campaign, sent_at - timedelta(hours=2), leader)
        Reply.objects.bulk_create(
            campaign_replies(campaign, voices, template, sent_at, leader), batch_size=500
        )
        Case.objects.filter(campaign=campaign).update(
            first_reply_at=sent_at, status=Status.RESOLVED, resolved_at=sent_at
        )


def campaign_template(campaign: Campaign, written_at: datetime, leader: Any) -> ReplyTemplate:
    """The office's default campaign reply, with what the leader will do in place of its
    placeholder."""
    default = replies.current_template(campaign.office, TemplateKind.CAMPAIGN)
    answer = CAMPAIGN_ANSWERS.get(campaign.title, CAMPAIGN_ANSWER)
    return ReplyTemplate.objects.create(
        office=campaign.office,
        kind=TemplateKind.CAMPAIGN,
        name=campaign.title,
        subject=default.subject,
        body=default.body.replace(PLACEHOLDER, answer),
        created_at=written_at,
        created_by=leader,
    )


def campaign_replies(
    campaign: Campaign, voices: list[Voice], template: ReplyTemplate, sent_at: datetime, leader: Any
) -> list[Reply]:
    """The reply each signatory with an email address was sent, greeted by name."""
    sent = []
    for voice in voices:
        if voice.sender_email:
            reply = replies.campaign_reply(campaign, voice, template, leader)
            reply.sent_at = sent_at
            sent.append(reply)
    return sent


def email_from(person: Person, subject: str, when: timezone.datetime, key: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"{person.full_name} <{person.email}>"
    message["To"] = "office@northby-eastfield.example.org"
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<{key}@mail.example.net>"
    return message


def add_html_email_with_attachments(
    office: Office, person: Person, when: timezone.datetime, rng: random.Random
) -> None:
    message = email_from(
        person, "Letter from the council about my housing benefit", when, "demo-html"
    )
    html = TRACKING_HTML.format(
        money=f"£{rng.randint(300, 2400)}", name=person.full_name, postcode=person.postcode
    )
    message.set_content(html, subtype="html")
    message.add_attachment(
        b"%PDF-1.4\n% demo letter from Northby Council, housing benefit overpayment\n",
        maintype="application",
        subtype="pdf",
        filename="council-letter.pdf",
    )
    ingest_raw(office, message.as_bytes(), "demo mailbox", acknowledge=False)


def add_uncertain_senders(
    office: Office, people: list[Person], rng: random.Random, now: timezone.datetime
) -> None:
    """Letters signed with an initial: the same postcode, a name only nearly the same."""
    for number, person in enumerate(rng.sample(people, 3)):
        incoming = IncomingMessage(
            sender_name=f"{person.first_name[0]}. {person.last_name}",
            subject="Parking outside the school",
            body=(
                "Dear Ms Hussain,\n\nCars park on the zigzags outside the school every "
                "morning and a child will be hurt. Can the council enforce it?\n\n"
                f"{person.first_name[0]}. {person.last_name}\n{person.postcode}"
            ),
            postcode=person.postcode,
            sent_at=now - timedelta(hours=5 + number * 7),
        )
        receive(office, incoming, channel="letter", source="demo post", acknowledge=False)


def add_quarantined(office: Office, now: timezone.datetime) -> None:
    truncated = (
        b"From: Pat Doyle <pat.doyle@example.net>\r\nSubject: My PIP appeal\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Dear Amira, my tribunal is next month and I have not had the bundle from"
    )
    ingest_raw(office, truncated, "office.mbox #4127")
    ingest_raw(office, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR scanned letter", "scan-0042.eml")
    ingest_raw(office, b"Not an Outlook file", "forwarded.msg", kind=RawKind.OUTLOOK)
    spam = EmailMessage()
    spam["From"] = "Best Prices <sales@cheap-meds.example>"
    spam["Subject"] = "Special offer"
    spam.set_content("Cheap pills, click http://cheap-meds.example")
    quarantine(
        office,
        spam.as_bytes(),
        "web form",
        "Probably automated spam: a hidden field that people never see was filled in.",
    )
