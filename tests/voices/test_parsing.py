"""Reading messages as they really arrive: mixed encodings, hostile HTML, huge attachments."""

import base64
from pathlib import Path

import pytest

from compassion.voices.parsing import (
    ParseError,
    find_postcode,
    first_address,
    iter_mbox,
    parse_email,
    strip_reply_prefix,
)
from tests.voices.mail import email_bytes

LIMIT = 25 * 1024 * 1024


def test_it_reads_latin1_cp1252_quoted_printable_base64_and_undeclared_charsets() -> None:
    raw = (
        b"From: =?iso-8859-1?q?Ren=E9e_M=FCller?= <renee@example.de>\r\n"
        b"Subject: =?utf-8?b?QmVuZWZpdHMg4oCTIHVyZ2VudA==?=\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Caf=E9 ferm=E9 =\r\nsoon\r\n"
        b"--b\r\nContent-Type: text/plain; charset=windows-1252\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode("It costs \u00a3120 \u2013 \u201cfair\u201d?".encode("cp1252"))
        + b"\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
        b"Undeclared: na\xefve \x93quotes\x94\r\n"
        b"--b\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\n"
        b"Unknown charset: \xc3\xa9t\xc3\xa9\r\n--b--\r\n"
    )
    message = parse_email(raw, LIMIT)
    assert message.sender_name == "Renée Müller"
    assert message.subject == "Benefits – urgent"
    assert "Café fermé soon" in message.body
    assert "It costs £120 – “fair”?" in message.body
    assert "Undeclared: naïve “quotes”" in message.body
    assert "Unknown charset: été" in message.body


def test_it_reads_utf8_text_whose_declared_charset_is_wrong() -> None:
    """A web form or an old mail program often labels UTF-8 as Latin-1: read as labelled,
    "café" would become "cafÃ©". Real Latin-1 text is almost never valid UTF-8, so text
    that is valid UTF-8 is read as UTF-8; Latin-1 that is not stays Latin-1."""
    raw = (
        b"From: Zoe Brown <zoe@example.com>\r\nSubject: Noise\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/alternative; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"The caf\xc3\xa9 plays music until 2am \xe2\x80\x93 I can\xe2\x80\x99t sleep.\r\n"
        b"--b\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n"
        b"<p>The caf\xc3\xa9 plays music</p>\r\n--b--\r\n"
    )
    message = parse_email(raw, LIMIT)
    assert message.body == "The café plays music until 2am – I can’t sleep."
    assert "The café plays music" in message.body_html
    latin1 = (
        b"From: Zoe Brown <zoe@example.com>\r\nSubject: Noise\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n\r\nCaf\xe9 ferm\xe9, \xa3120\r\n"
    )
    assert "Café fermé, £120" in parse_email(latin1, LIMIT).body


def test_a_charset_name_that_is_garbage_is_ignored_rather_than_refusing_the_message() -> None:
    raw = (
        b"From: Zoe Brown <zoe@example.com>\r\nSubject: =?utf-8\x00?q?Noise?=\r\n"
        b'Content-Type: text/plain; charset="utf-8\x00"\r\n\r\nThe caf\xc3\xa9 is loud\r\n'
    )
    message = parse_email(raw, LIMIT)
    assert message.body == "The café is loud"


def test_it_drops_characters_that_would_disguise_a_name_subject_or_file_name() -> None:
    """Right-to-left override shows "invoice\u202efdp.exe" as "invoiceexe.pdf"; Arabic and
    Hebrew need no such characters and are kept as written."""
    raw = email_bytes(
        sender="=?utf-8?b?"
        + base64.b64encode("سارة \u202eSmith".encode()).decode()
        + "?= <s@x.org>",
        subject="Housing \u202ereversed\u202c benefit \u2066isolated\u2069",
        attachments=[("invoice\u202efdp.exe", b"MZ", "application/octet-stream")],
    )
    message = parse_email(raw, LIMIT)
    assert message.sender_name == "سارة Smith"
    assert message.subject == "Housing reversed benefit isolated"
    assert message.attachments[0].filename == "invoicefdp.exe"


def test_it_reads_8bit_headers_without_a_charset() -> None:
    raw = b"From: J\xf6rg <jorg@example.de>\r\nSubject: Gr\xfc\xdfe\r\n\r\nHallo\r\n"
    message = parse_email(raw, LIMIT)
    assert message.subject == "Grüße"
    assert message.sender_email == "jorg@example.de"


def test_it_strips_scripts_handlers_and_tracking_pixels_from_html() -> None:
    html = (
        "<html><head><style>body{}</style><script>steal()</script></head><body>"
        '<p onmouseover="x()">My <b>landlord</b></p>'
        '<img src="https://pixel.example/o.gif" width=1 height=1>'
        '<a href="https://ok.example/">ok</a> <a href="javascript:evil()">bad</a>'
        '<iframe src="https://x.example"></iframe></body></html>'
    )
    raw = (
        b"From: a@example.com\r\nSubject: html\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n" + html.encode()
    )
    message = parse_email(raw, LIMIT)
    assert "<b>landlord</b>" in message.body_html
    for bad in ("script", "steal", "onmouseover", "pixel.example", "javascript", "iframe", "<img"):
        assert bad not in message.body_html
    assert 'rel="noopener noreferrer nofollow"' in message.body_html
    assert message.body.startswith("My landlord")
    assert any("Images" in note for note in message.notes)


def test_it_leaves_out_the_hidden_preview_line_of_an_html_email() -> None:
    html = (
        "<html><body>"
        '<div style="display:none;max-height:0;overflow:hidden">'
        "Sign the petition today! <span>Share with friends</span></div>"
        '<span style="visibility: hidden">invisible tracking words</span>'
        "<p>Dear Alice,</p><p>My son&#39;s school place was refused.</p>"
        '<p style="color: #333">Priya Shah<br>NB1 2AB</p></body></html>'
    )
    raw = (
        b"From: Priya Shah <priya@example.com>\r\nSubject: School place\r\nMIME-Version: 1.0"
        b"\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html.encode()
    )
    message = parse_email(raw, LIMIT)
    assert message.body.startswith("Dear Alice,\nMy son's school place was refused.")
    assert "Priya Shah" in message.body
    for hidden in ("petition", "Share with friends", "invisible"):
        assert hidden not in message.body
        assert hidden not in message.body_html


def test_a_paragraph_after_inline_text_starts_a_line_of_its_own() -> None:
    """It ran on: "…please sign by FridayDear Alice"."""
    html = "<span>Please sign by Friday</span><p>Dear Alice,</p><p>The bins were missed.</p>"
    raw = (
        b"From: Joan Smith <joan@example.com>\r\nSubject: Bins\r\nMIME-Version: 1.0"
        b"\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html.encode()
    )
    message = parse_email(raw, LIMIT)
    assert message.body == "Please sign by Friday\nDear Alice,\nThe bins were missed."


@pytest.mark.slow
def test_it_keeps_a_message_with_a_200_mb_attachment_without_parsing_it(tmp_path: Path) -> None:
    path = tmp_path / "big.eml"
    chunk = base64.encodebytes(b"\x00\x01\x02" * 19_000 * 10).replace(b"\n", b"\r\n")
    with path.open("wb") as handle:
        handle.write(
            b"From: Sam <sam@example.com>\r\nSubject: My bank statements\r\n"
            b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="XX"\r\n\r\n'
            b"--XX\r\nContent-Type: text/plain\r\n\r\nAll my statements attached.\r\n"
            b"--XX\r\nContent-Type: application/zip\r\n"
            b'Content-Disposition: attachment; filename="statements.zip"\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\n"
        )
        for _ in range(200 * 1024 * 1024 // (57 * 10_000)):
            handle.write(chunk)
        handle.write(b"--XX--\r\n")
    message = parse_email(path.read_bytes(), LIMIT)
    assert message.body == "All my statements attached."
    [attachment] = message.attachments
    assert attachment.filename == "statements.zip"
    assert attachment.data is None
    assert attachment.size > 190 * 1024 * 1024
    assert "over the limit of 25 MB" in attachment.skipped_reason


def test_it_refuses_what_is_not_an_email_with_a_reason() -> None:
    with pytest.raises(ParseError, match="no headers"):
        parse_email(b"\x89PNG\r\n\x1a\n\x00\x00", LIMIT)
    with pytest.raises(ParseError, match="empty"):
        parse_email(b"  \r\n", LIMIT)


def test_it_streams_an_mbox_and_marks_a_cut_short_end(tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.write_bytes(
        b"From a@b Mon Nov  2 09:00:00 2026\nSubject: one\n\n>From the start\n\n"
        b"From c@d Mon Nov  2 10:00:00 2026\nSubject: two\n\nhalf a sent"
    )
    with box.open("rb") as handle:
        messages = list(iter_mbox(handle))
    assert [m.complete for m in messages] == [True, False]
    assert b"\nFrom the start" in messages[0].raw


def test_it_finds_postcodes_and_reply_prefixes() -> None:
    assert find_postcode("Yours, Joan\nnb1 2ab") == "NB1 2AB"
    assert find_postcode("SW1A1AA and later EC1A 1BB") == "EC1A 1BB"
    assert find_postcode("no code here") == ""
    assert strip_reply_prefix("RE: Fwd: AW: Damp") == "Damp"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Joan Smith <mailto:Joan@Example.com>", ("Joan Smith", "joan@example.com")),
        ("mailto:joan@example.com", ("", "joan@example.com")),
        (f"Joan <{'j' * 250}@example.com>", ("Joan", "")),  # too long to be an address
    ],
)
def test_a_sender_written_as_a_link_or_too_long_is_read_as_it_can_be(header, expected):
    """A mail program that wrote 'mailto:' left the writer with no address; an address cut
    at 254 characters would have become someone else's or no one's."""
    assert first_address(header) == expected
