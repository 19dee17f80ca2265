"""The new words of an email reply, apart from the earlier messages it quotes below them.

Mail programs put the thread under a reply ("On 3 Sep, the office wrote:", "-----Original
Message-----", lines starting ">"). Read whole, "Any update?" carried every word of the
first letter again: its risks were flagged afresh as if written today, and the reply read
as the letter, not as a chaser. The lens reads the new words; the page shows the thread
folded under them. mail-parser-reply finds where the quoted thread starts.
"""

from __future__ import annotations

import re

from mailparser_reply import EmailReplyParser

# A forwarded message is news to the office (a landlord's notice sent on), never an old thread.
_FORWARDED = re.compile(
    r"^-+ ?Forwarded message|^Begin forwarded message|^Subject: ?(?:fw|fwd) ?:",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARDED_SUBJECT = re.compile(r"^\s*(?:fw|fwd) ?:", re.IGNORECASE)
_PARSER = EmailReplyParser(languages=["en"])
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_LONGEST_READ = 50_000  # a thread that starts further down is read as part of the message


def split_earlier_messages(subject: str, body: str) -> tuple[str, str]:
    """An email's `body` as its new words and the earlier messages quoted under them (empty
    if none). A forwarded message, or a reply written below the thread it quotes, is kept
    whole."""
    if _FORWARDED_SUBJECT.match(subject) or _FORWARDED.search(body):
        return body, ""
    # The parser takes time that grows with the square of a run of blank lines.
    replies = _PARSER.read(_BLANK_LINES.sub("\n\n", body)[:_LONGEST_READ]).replies
    if len(replies) < 2 or not replies[0].content.strip() or not replies[1].content.strip():
        return body, ""
    thread_starts = body.find(replies[1].content.strip().splitlines()[0])
    if thread_starts <= 0:
        return body, ""
    return body[:thread_starts].rstrip(), body[thread_starts:].strip()
