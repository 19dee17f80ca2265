"""Printable letters and records as PDF (WeasyPrint), from the office's own templates."""

from __future__ import annotations

from django.template.loader import render_to_string

from compassion.cases.models import Referral, Reply
from compassion.core.models import Office
from compassion.core.pdf import render_pdf


def referral_pdf(referral: Referral) -> bytes:
    agency = referral.agency
    to_lines = [agency.team, agency.name, agency.address]
    return letter_pdf(referral.office, to_lines, referral, referral.case.reference)


def reply_pdf(reply: Reply) -> bytes:
    """A reply to print and post to someone with no email address."""
    person = reply.person or reply.case.person
    to_lines = []
    if person:
        place = " ".join(part for part in (person.town, person.postcode) if part)
        name = " ".join(part for part in (person.title, person.full_name) if part)
        to_lines = [name, person.address_line1, person.address_line2, place]
    return letter_pdf(reply.office, to_lines, reply, reply.case.reference)


def letter_pdf(
    office: Office, to_lines: list[str], sent: Referral | Reply, reference: str
) -> bytes:
    lines = [line.strip() for text in to_lines for line in text.splitlines() if line.strip()]
    context = {
        "office": office,
        # An address that starts with the addressee's name would name them twice.
        "to_lines": [line for n, line in enumerate(lines) if n == 0 or line != lines[n - 1]],
        "sent_at": sent.sent_at,
        "reference": reference,
        "subject": sent.subject,
        "body": sent.body,
    }
    return render_pdf(render_to_string("cases/letter.html", context))
