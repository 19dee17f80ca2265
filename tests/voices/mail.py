"""Realistic, messy messages for the intake tests, built with the standard library."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime


def email_bytes(
    sender: str = "Joan Smith <joan@example.com>",
    subject: str = "Damp in my flat",
    body: str = "Dear Alice,\n\nThe mould is back in the bedroom.\n\nJoan Smith\nNB1 2AB",
    message_id: str | None = "<m1@mail.example.com>",
    in_reply_to: str | None = None,
    sent: datetime | None = None,
    html: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "office@alice.example.org"
    message["Subject"] = subject
    message["Date"] = format_datetime(sent or datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    for name, data, mime in attachments or []:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def mbox(*messages: bytes) -> bytes:
    out = []
    for raw in messages:
        escaped = b"\n".join(
            b">" + line if line.lstrip(b">").startswith(b"From ") else line
            for line in raw.replace(b"\r\n", b"\n").split(b"\n")
        )
        separator = b"From MAILER-DAEMON Mon Nov  2 09:30:00 2026\n"
        out.append(separator + escaped.rstrip(b"\n") + b"\n\n")
    return b"".join(out)
