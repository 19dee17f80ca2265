"""Polling a real IMAP mailbox (dovecot): new mail arrives once, and is left unread there."""

import socketserver
import threading
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from compassion.cli import main
from compassion.voices.models import Voice
from compassion.voices.replies import intake_settings
from compassion.voices.sources import SourceError, account_from_url, poll_imap
from tests.conftest import Cast
from tests.voices.conftest import ImapServer
from tests.voices.mail import email_bytes


def configure(cast: Cast, server: ImapServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALICE_IMAP_PASSWORD", server.password)
    saved = intake_settings(cast.office)
    saved.imap_host, saved.imap_port, saved.imap_ssl = server.host, server.port, False
    saved.imap_user, saved.imap_password_env = server.user, "ALICE_IMAP_PASSWORD"
    saved.save()


def test_it_fetches_new_mail_once_and_leaves_it_unread(
    cast: Cast, empty_imap: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(cast, empty_imap, monkeypatch)
    empty_imap.deliver(email_bytes())
    saved = intake_settings(cast.office)
    account = account_from_url(empty_imap.url, empty_imap.password)
    first = poll_imap(cast.office, account, saved)
    assert first.line() == "Imported 1, duplicates 0, quarantined 0"
    empty_imap.deliver(email_bytes(message_id="<m2@x>", subject="Second", body="More\nNB1 2AB"))
    second = poll_imap(cast.office, account, saved)
    assert second.line() == "Imported 1, duplicates 0, quarantined 0"
    again = poll_imap(cast.office, account, None)  # without saved state: all read again
    assert again.line() == "Imported 0, duplicates 2, quarantined 0"
    connection = empty_imap.connect()
    connection.select("INBOX", readonly=True)
    _, unseen = connection.search(None, "UNSEEN")
    connection.logout()
    assert len(unseen[0].split()) == 2


def test_it_says_plainly_when_the_password_is_wrong(cast: Cast, imap_server: ImapServer) -> None:
    account = account_from_url(imap_server.url, "wrong")
    with pytest.raises(SourceError, match="refused the user name or password"):
        poll_imap(cast.office, account)


def test_it_checks_mail_from_the_inbox_button(
    client: Client, cast: Cast, empty_imap: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(cast, empty_imap, monkeypatch)
    empty_imap.deliver(email_bytes(subject="Bin collections missed"))
    client.force_login(cast.caseworker)
    response = client.post("/inbox/check-mail/", follow=True)
    assert "Imported 1, duplicates 0, quarantined 0" in response.content.decode()
    assert "Bin collections missed" in response.content.decode()


def test_it_ingests_from_imap_on_the_command_line(
    cast: Cast, empty_imap: ImapServer, monkeypatch: pytest.MonkeyPatch, db: Any
) -> None:
    empty_imap.deliver(email_bytes())
    monkeypatch.setenv("COMPASSION_IMAP_PASSWORD", empty_imap.password)
    result = CliRunner().invoke(main, ["ingest", empty_imap.url, "--office", "alice", "--silent"])
    assert result.exit_code == 0, result.output
    assert "Imported 1, duplicates 0, quarantined 0" in result.output
    assert Voice.objects.filter(office=cast.office).count() == 1


def test_it_checks_every_office_mailbox_from_the_command_line(
    cast: Cast, empty_imap: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(cast, empty_imap, monkeypatch)
    empty_imap.deliver(email_bytes())
    result = CliRunner().invoke(main, ["check-mail"])
    assert result.exit_code == 0, result.output
    assert "alice: Imported 1, duplicates 0, quarantined 0" in result.output
    again = CliRunner().invoke(main, ["check-mail", "--office", "alice"])
    assert "alice: Imported 0, duplicates 0, quarantined 0" in again.output


class DropsAfterOneMessage(socketserver.StreamRequestHandler):
    """A mail server with two new messages that goes away while sending the second."""

    def handle(self) -> None:
        self.wfile.write(b"* OK ready\r\n")
        for line in self.rfile:
            tag, command, *rest = line.split()
            if command.upper() == b"CAPABILITY":
                self.wfile.write(b"* CAPABILITY IMAP4rev1\r\n" + tag + b" OK done\r\n")
            elif command.upper() in {b"LOGIN", b"LOGOUT"}:
                self.wfile.write(tag + b" OK done\r\n")
            elif command.upper() == b"EXAMINE":
                self.wfile.write(
                    b"* 2 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n" + tag + b" OK done\r\n"
                )
            elif rest[0].upper() == b"SEARCH":
                self.wfile.write(b"* SEARCH 1 2\r\n" + tag + b" OK done\r\n")
            elif rest[1] == b"1":
                raw = email_bytes(body="The lift has been broken for a month.\n\nJoan\nNB1 2AB")
                literal = b"* 1 FETCH (UID 1 BODY[] {%d}\r\n" % len(raw) + raw + b")\r\n"
                self.wfile.write(literal + tag + b" OK done\r\n")
            else:
                return  # the connection drops in the middle of the second message


def check_mail_against(
    handler: type[socketserver.StreamRequestHandler],
    client: Client,
    cast: Cast,
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    """Press "Check mail now" with the office's mailbox served by `handler`."""
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        mailbox = ImapServer("127.0.0.1", server.server_address[1], "office", "secret")
        configure(cast, mailbox, monkeypatch)
        client.force_login(cast.caseworker)
        response = client.post("/inbox/check-mail/", follow=True)
        server.shutdown()
    return response


def test_it_keeps_and_reads_what_arrived_before_the_mail_server_dropped_the_connection(
    client: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = check_mail_against(DropsAfterOneMessage, client, cast, monkeypatch)
    assert response.status_code == 200
    assert "Could not check the mail: The connection to the mail server" in (
        response.content.decode()
    )
    assert "connection to the mail server" in intake_settings(cast.office).last_error
    voice = Voice.objects.get()
    assert voice.analysed_at is not None  # read by the lens like any other
    assert intake_settings(cast.office).imap_last_uid == 1  # the next check starts at 2


class NotAMailServer(socketserver.StreamRequestHandler):
    """Something that greets like a mail server, then hangs up at the first command."""

    def handle(self) -> None:
        self.wfile.write(b"* OK ready\r\n")
        self.rfile.readline()


def test_it_says_plainly_when_the_server_hangs_up_at_once(
    client: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = check_mail_against(NotAMailServer, client, cast, monkeypatch)
    assert response.status_code == 200
    assert "Could not check the mail: Could not reach the mail server 127.0.0.1" in (
        response.content.decode()
    )
    assert "Could not reach" in intake_settings(cast.office).last_error
