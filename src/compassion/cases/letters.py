"""Printable letters and records as PDF (WeasyPrint), from the office's own templates."""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML

from compassion.cases.models import Referral


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf()


def referral_pdf(referral: Referral) -> bytes:
    html = render_to_string("cases/referral_letter.html", {"referral": referral})
    return html_to_pdf(html)
