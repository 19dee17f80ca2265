"""Printable letters and records as PDF (WeasyPrint), from the office's own templates."""

from __future__ import annotations

from django.template.loader import render_to_string

from compassion.cases.models import Referral
from compassion.core.pdf import render_pdf


def referral_pdf(referral: Referral) -> bytes:
    html = render_to_string("cases/referral_letter.html", {"referral": referral})
    return render_pdf(html)
