"""Reading incoming messages: RFC 822 email, mbox mailboxes and Outlook .msg files.

Nothing here touches the database. A message that cannot be read raises `ParseError`
with a reason in plain words; the caller puts the raw bytes in quarantine.

Messages are read as bytes and decoded part by part: a declared charset first (except
UTF-8 labelled Latin-1 or a cousin, a common mislabel), then UTF-8, then Windows-1252,
then Latin-1 (which never fails), so that mail from old systems with undeclared or wrong
charsets still reads as text. Very large parts are
measured and left out before parsing (the standard parser is slow on hundreds of
megabytes), so a message with a huge attachment is still kept, with a note.
"""

from __future__ import annotations

import codecs
import contextlib
import email
import email.errors
import hashlib
import html
import io
import logging
import mimetypes
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import BinaryIO

import nh3
from bs4 import BeautifulSoup

HEADER_ERRORS = (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError)
FALLBACK_CHARSETS = ("utf-8", "cp1252", "latin-1")
SAFE_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr", "i",
    "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "u", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan"}}
OMITTED_HEADER = "X-Compassion-Omitted-Size"
UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.IGNORECASE
)
ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")  # something on both sides of one @
REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|sv|antw)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


class ParseError(Exception):
    """The message cannot be read; the text says why, for the quarantine list."""


@dataclass
class IncomingAttachment:
    filename: str
    content_type: str
    size: int
    data: bytes | None = None
    skipped_reason: str = ""


@dataclass
class IncomingMessage:
    """One message, read and decoded, ready to become a Voice."""

    sender_name: str = ""
    sender_email: str = ""
    subject: str = ""
    body: str = ""
    body_html: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    sent_at: datetime | None = None
    postcode: str = ""
    attachments: list[IncomingAttachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def content_hash(self) -> str:
        """The same message read twice gives the same hash, whatever its transport headers;
        the same words from two people do not (without an email address, their name and
        postcode tell them apart)."""
        sent = self.sent_at.isoformat() if self.sent_at else ""
        text = "\n".join(
            [self.sender_identity(), self.subject.strip(), " ".join(self.body.split()), sent]
        )
        return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()

    def sender_identity(self) -> str:
        if self.sender_email:
            return self.sender_email.lower()
        return " ".join(f"{self.sender_name} {self.postcode}".lower().split())


# Western single-byte charsets that mail programs and web forms often declare for text
# that is really UTF-8; any bytes read in them, so a wrong label never fails, only garbles.
OFTEN_MISLABELLED = {"ascii", "iso8859-1", "iso8859-15", "cp1252"}


def decode_bytes(data: bytes, charset: str | None) -> str:
    if mislabelled_utf8(data, charset):
        return data.decode("utf-8")
    for candidate in (charset, *FALLBACK_CHARSETS):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, ValueError):  # unknown, garbled ("utf-8\0") or not this charset
            continue
    return data.decode("latin-1")


def mislabelled_utf8(data: bytes, charset: str | None) -> bool:
    """Whether text labelled Latin-1 (or a cousin) is UTF-8: "café" in UTF-8 read as
    Latin-1 is "cafÃ©". Text really written in Latin-1 with an accent or a £ is almost never
    valid UTF-8, so valid UTF-8 with a character beyond ASCII is taken as UTF-8."""
    try:
        declared = codecs.lookup(charset).name if charset else ""
    except (LookupError, ValueError):
        return False
    if declared not in OFTEN_MISLABELLED or data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def header_text(message: Message, name: str) -> str:
    """A header decoded from RFC 2047 words or raw 8-bit bytes; never raises."""
    value = message.get(name)
    if value is None:
        return ""
    try:
        parts = decode_header(value)
    except HEADER_ERRORS:
        return " ".join(clean_line(str(value)).split())
    text = "".join(
        decode_bytes(chunk, None if charset in (None, "unknown-8bit") else charset)
        if isinstance(chunk, bytes)
        else chunk
        for chunk, charset in parts
    )
    return " ".join(clean_line(text).split())


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)


def clean_text(text: str) -> str:
    """Header text fit for storing: no surrogates or control characters."""
    if _has_surrogates(text):
        text = decode_bytes(text.encode("utf-8", "surrogateescape"), None)
    return "".join(char for char in text if char >= " " or char in "\n\t")


# Invisible characters that reorder how the text around them is shown. Arabic or Hebrew
# needs none of them in a single line, but in a name, a subject or a file name they can
# disguise it: "invoice\u202efdp.exe" is shown as "invoiceexe.pdf".
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def clean_line(text: str) -> str:
    """One line (a name, a subject, a file name) fit for storing and showing as written."""
    return clean_text(text).translate(BIDI_CONTROLS)


def sanitise_html(markup: str) -> str:
    """Safe to display: no scripts, styles, event handlers, images or tracking pixels."""
    return nh3.clean(
        markup,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def visible_html(markup: str) -> str:
    """The HTML without what the sender never saw: a hidden preview line ("preheader") or
    hidden words, which would otherwise show as if they were part of the message."""
    if not HIDDEN_STYLE.search(markup):
        return markup
    soup = BeautifulSoup(markup, "html.parser")
    for element in soup.find_all(style=HIDDEN_STYLE):
        element.decompose()
    return str(soup)


def html_to_text(markup: str) -> str:
    """The text of an HTML body, a line for each paragraph, item, row or heading."""
    with_breaks = re.sub(r"(?i)<\s*(br|/p|/div|/li|/tr|/h\d)\b[^>]*>", "\n", markup)
    # A block that opens straight after inline text starts a line too ("words<p>Dear").
    with_breaks = re.sub(r"(?i)(?<!\n)<\s*(p|div|li|tr|h\d)\b[^>]*>", "\n", with_breaks)
    text = html.unescape(nh3.clean(with_breaks, tags=set()))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_reply_prefix(subject: str) -> str:
    return REPLY_PREFIX.sub("", subject).strip()


def is_reply_subject(subject: str) -> bool:
    return bool(REPLY_PREFIX.match(subject))


def find_postcode(text: str) -> str:
    """The last UK postcode in the text (it is usually in the signature), normalised."""
    found = UK_POSTCODE.findall(text)
    if not found:
        return ""
    outward, inward = found[-1]
    return f"{outward.upper()} {inward.upper()}"


def message_ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value)


EARLIEST_YEAR = 1970  # no email was sent before; a year such as 0001 is a broken clock
WRITTEN_YEAR = re.compile(r"\b(\d{4})\b")


def parse_date(value: str) -> datetime | None:
    """The time a Date header gives; None when it gives none that can be right."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
        parsed.astimezone(UTC)  # 31 December 9999 west of Greenwich is past the last date
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    written = WRITTEN_YEAR.search(value)
    if parsed.tzinfo is None or (written and int(written.group(1)) < EARLIEST_YEAR):
        return None  # the standard library reads the year 0001 as 2001
    return parsed


def note_an_impossible_date(written: str, incoming: IncomingMessage) -> None:
    if written and incoming.sent_at is None:
        incoming.notes.append(
            f"The message was dated “{written[:80]}”, which cannot be right (the sender's "
            "clock may be wrong), so it is shown as received when it arrived."
        )


def parse_email(
    raw: bytes, max_attachment_bytes: int, allow_incomplete: bool = False
) -> IncomingMessage:
    """Read one RFC 822 message. Raises ParseError when it cannot be read."""
    if not raw.strip():
        raise ParseError("The message is empty.")
    shrunk = omit_large_parts(raw, max_attachment_bytes)
    message = email.message_from_bytes(shrunk, policy=policy.compat32)
    if not message.keys():
        raise ParseError("The message has no headers: it is not an email.")
    incomplete = [
        defect
        for defect in message.defects
        if isinstance(
            defect,
            email.errors.CloseBoundaryNotFoundDefect | email.errors.StartBoundaryNotFoundDefect,
        )
    ]
    if incomplete and not allow_incomplete:
        raise ParseError(
            "The message is incomplete (its last part never ends): the file may have been "
            "cut short. Check the original, or accept it as it is."
        )
    name, address = sender(message)
    incoming = IncomingMessage(
        sender_name=name,
        sender_email=address,
        subject=clean_text(header_text(message, "Subject"))[:300],
        message_id=(message_ids(header_text(message, "Message-ID")) or [""])[0][:300],
        in_reply_to=(message_ids(header_text(message, "In-Reply-To")) or [""])[0][:300],
        references=message_ids(header_text(message, "References")),
        sent_at=parse_date(header_text(message, "Date")),
    )
    note_an_impossible_date(header_text(message, "Date"), incoming)
    reply_to(message, incoming)
    if incomplete:
        incoming.notes.append(
            "This message was incomplete when it arrived and was accepted as it is."
        )
    read_parts(message, incoming, max_attachment_bytes)
    if not incoming.sender_email and not incoming.body.strip() and not incoming.attachments:
        raise ParseError("The message has neither a sender nor any text.")
    incoming.postcode = find_postcode(incoming.body)
    return incoming


MAX_ADDRESS_LENGTH = 254  # RFC 5321's limit
MAILTO = re.compile("mailto:", re.IGNORECASE)


def sender(message: Message) -> tuple[str, str]:
    return first_address(header_text(message, "From") or header_text(message, "Sender"))


def reply_to(message: Message, incoming: IncomingMessage) -> None:
    """Answer the Reply-To address: a website's form or a colleague forwarding sends from
    their own address and names the writer's there. The sending address goes in the notes."""
    name, address = first_address(header_text(message, "Reply-To"))
    if not address or address == incoming.sender_email:
        return
    if incoming.sender_email:
        incoming.notes.append(
            f"Sent from {incoming.sender_email}; replies go to {address}, as the message asks."
        )
    incoming.sender_name, incoming.sender_email = name, address


def first_address(header: str) -> tuple[str, str]:
    """The first name and address a header gives; no address where what it gives is not one
    (a "mailto:" link is read as its address; one longer than an address can be is none)."""
    addresses = getaddresses([MAILTO.sub("", header)])
    if not addresses:
        return "", ""
    name, address = addresses[0]
    address = address.strip()
    valid = ADDRESS.fullmatch(address) and len(address) <= MAX_ADDRESS_LENGTH
    return clean_line(name).strip(" \"'")[:200], address.lower() if valid else ""


def read_parts(message: Message, incoming: IncomingMessage, max_bytes: int) -> None:
    plain: list[str] = []
    markup: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        filename = part_filename(part)
        is_attachment = bool(filename) or part.get_content_disposition() == "attachment"
        if not is_attachment and content_type == "text/plain":
            plain.append(part_text(part))
        elif not is_attachment and content_type == "text/html":
            markup.append(part_text(part))
        elif (
            content_type == "message/rfc822"
            or is_attachment
            or not content_type.startswith("text/")
        ):
            incoming.attachments.append(read_attachment(part, filename, content_type, max_bytes))
    html_body = visible_html("\n".join(markup))
    incoming.body = "\n\n".join(text.strip() for text in plain if text.strip())
    if html_body:
        incoming.body_html = sanitise_html(html_body)
        note_images(html_body, incoming)
        if not incoming.body:
            incoming.body = html_to_text(html_body)
    incoming.body = clean_text(incoming.body)


def note_images(html_body: str, incoming: IncomingMessage) -> None:
    if re.search(r"(?i)<img\b", html_body):
        incoming.notes.append("Images in the message (which can track opening) were not loaded.")


def part_filename(part: Message) -> str:
    name = part.get_filename()
    if not name:
        return ""
    with contextlib.suppress(*HEADER_ERRORS):
        name = str(make_header(decode_header(name)))
    return clean_line(name).replace("/", "_").replace("\\", "_").strip()[:200]


def part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return decode_bytes(payload, part.get_content_charset())


def read_attachment(
    part: Message, filename: str, content_type: str, max_bytes: int
) -> IncomingAttachment:
    name = filename or f"attachment.{content_type.split('/')[-1][:10]}"
    omitted = part.get(OMITTED_HEADER)
    if omitted:
        size = int(omitted)
        return IncomingAttachment(name, content_type, size, None, too_big_reason(size, max_bytes))
    if content_type == "message/rfc822":
        payload = part.get_payload()
        data = payload[0].as_bytes() if isinstance(payload, list) and payload else b""
    else:
        data = part.get_payload(decode=True) or b""
    if len(data) > max_bytes:
        return IncomingAttachment(
            name, content_type, len(data), None, too_big_reason(len(data), max_bytes)
        )
    return IncomingAttachment(name, content_type, len(data), data)


def too_big_reason(size: int, max_bytes: int) -> str:
    return (
        f"Not stored: about {size / 1_048_576:.0f} MB, over the limit of "
        f"{max_bytes / 1_048_576:.0f} MB. Ask the sender for it another way if it is needed."
    )


BOUNDARY = re.compile(rb'boundary\s*=\s*"?([^";\r\n]+)"?', re.IGNORECASE)


def omit_large_parts(raw: bytes, max_bytes: int) -> bytes:
    """Cut the bodies of MIME parts far over the attachment limit, noting their size.

    Only parts whose encoded body is more than 1.4 times the limit are cut: base64 grows
    data by a third, so they are surely over it. Their headers stay, with the decoded size.
    """
    threshold = int(max_bytes * 1.4) + 1024
    if len(raw) < threshold:
        return raw
    markers = sorted(
        position
        for boundary in declared_boundaries(raw)
        for position in all_positions(raw, b"\n--" + boundary)
    )
    pieces, start = [], 0
    for begin, end in zip(markers, [*markers[1:], len(raw)], strict=True):
        if end - begin <= threshold:
            continue
        segment = raw[begin:end]
        blank = [
            found for found in (segment.find(b"\r\n\r\n"), segment.find(b"\n\n")) if found >= 0
        ]
        if not blank:
            continue
        split = min(blank)
        body = segment[split:]
        size = (len(body) - body.count(b"\n") - body.count(b"\r")) * 3 // 4
        header = segment[:split] + f"\n{OMITTED_HEADER}: {size}\n\n".encode()
        pieces += [raw[start:begin], header]
        start = end
    pieces.append(raw[start:])
    return b"".join(pieces)


def declared_boundaries(raw: bytes) -> set[bytes]:
    """Boundaries of every multipart, found by searching only near `multipart/` headers."""
    found = set()
    position = raw.find(b"multipart/")
    while position >= 0:
        match = BOUNDARY.search(raw, position, position + 400)
        if match:
            found.add(match.group(1).strip())
        position = raw.find(b"multipart/", position + 10)
    return found


def all_positions(haystack: bytes, needle: bytes) -> Iterator[int]:
    """Where each line starting with `needle` (minus its leading newline) begins."""
    position = haystack.find(needle)
    while position >= 0:
        yield position + 1
        position = haystack.find(needle, position + len(needle))


# mbox mailboxes


@dataclass
class MboxMessage:
    raw: bytes
    complete: bool


def iter_mbox(
    stream: BinaryIO, on_bytes: Callable[[int], None] | None = None
) -> Iterator[MboxMessage]:
    """Yield each message of an mbox file one at a time, never holding the whole file.

    Lines of the form `>From ` are unescaped (mboxrd). The last message is marked
    incomplete when the file does not end with a line break (a cut-short file).
    """
    lines: list[bytes] = []
    previous_blank = True
    seen_from = False
    for line in stream:
        if on_bytes:
            on_bytes(len(line))
        if line.startswith(b"From ") and previous_blank:
            if seen_from or any(item.strip() for item in lines):
                yield MboxMessage(_join_message(lines), True)
            lines = []
            seen_from = True
            previous_blank = False
            continue
        previous_blank = line in (b"\n", b"\r\n")
        if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
            line = line[1:]
        lines.append(line)
    if any(item.strip() for item in lines):
        yield MboxMessage(_join_message(lines), complete=bool(lines) and lines[-1].endswith(b"\n"))


def _join_message(lines: list[bytes]) -> bytes:
    raw = b"".join(lines)
    return raw[:-1] if raw.endswith(b"\n\n") else raw


def looks_like_mbox(head: bytes) -> bool:
    return head.startswith(b"From ")


# Outlook .msg


def parse_outlook(raw: bytes, max_attachment_bytes: int) -> IncomingMessage:
    """Read an Outlook .msg file (extract-msg). Raises ParseError when it cannot be read."""
    import extract_msg

    # extract-msg logs its own error for a bad file; the quarantine reason says it plainly.
    logging.getLogger("extract_msg").setLevel(logging.CRITICAL)
    try:
        msg = extract_msg.openMsg(io.BytesIO(raw))
    except Exception:  # extract-msg raises many kinds of error for a damaged file
        raise ParseError(
            "This is not an Outlook message (.msg) file that can be read: it may be damaged, "
            "or another kind of file with a .msg name."
        ) from None
    try:
        return outlook_message(msg, max_attachment_bytes)
    finally:
        msg.close()


def outlook_html(msg: object) -> str:
    """The HTML the sender wrote, from its own stream or the RTF body; else nothing.

    (extract-msg makes up an HTML body from plain text when there is none.)
    """
    html_stream = msg.getStream("__substg1.0_10130102")  # type: ignore[attr-defined]
    if html_stream is None and not getattr(msg, "rtfBody", None):
        return ""
    html_body = getattr(msg, "htmlBody", None) or b""
    return visible_html(
        decode_bytes(html_body, None) if isinstance(html_body, bytes) else html_body
    )


def outlook_message(msg: object, max_bytes: int) -> IncomingMessage:
    name, address = getaddresses([getattr(msg, "sender", None) or ""])[0] or ("", "")
    html_body = outlook_html(msg)
    body = getattr(msg, "body", None) or ""
    incoming = IncomingMessage(
        sender_name=clean_line(name)[:200],
        sender_email=address.lower() if "@" in address else "",
        subject=clean_line(getattr(msg, "subject", None) or "")[:300],
        body=clean_text(body or html_to_text(html_body)),
        body_html=sanitise_html(html_body) if html_body else "",
        message_id=(message_ids(getattr(msg, "messageId", None) or "") or [""])[0],
        in_reply_to=(message_ids(getattr(msg, "inReplyTo", None) or "") or [""])[0],
    )
    note_images(html_body, incoming)
    date = getattr(msg, "date", None)
    readable = isinstance(date, datetime) and date.tzinfo is not None and date.year >= EARLIEST_YEAR
    incoming.sent_at = date if readable else None  # an unset Outlook date reads 1 Jan 1601
    for attachment in getattr(msg, "attachments", []):
        data = attachment.data if isinstance(attachment.data, bytes) else b""
        filename = clean_line(attachment.longFilename or attachment.shortFilename or "attachment")
        content_type = clean_text(getattr(attachment, "mimetype", None) or "")[:100] or (
            mimetypes.guess_type(filename)[0] or "application/octet-stream"
        )
        if len(data) > max_bytes:
            incoming.attachments.append(
                IncomingAttachment(
                    filename, content_type, len(data), None, too_big_reason(len(data), max_bytes)
                )
            )
        else:
            incoming.attachments.append(IncomingAttachment(filename, content_type, len(data), data))
    if not incoming.sender_email and not incoming.body.strip():
        raise ParseError("The Outlook message has neither a sender nor any text.")
    incoming.postcode = find_postcode(incoming.body)
    return incoming
