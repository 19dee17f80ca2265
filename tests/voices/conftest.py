"""A real IMAP server for the intake tests: Debian's dovecot, started in a temporary folder.

It listens on a free port on 127.0.0.1 with one passwd-file user. Without dovecot the IMAP
tests skip with a one-line reason; in CI (CI set) they fail instead, because CI installs it.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


@dataclass
class ImapServer:
    host: str
    port: int
    user: str
    password: str

    def connect(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4(self.host, self.port, timeout=10)
        connection.login(self.user, self.password)
        return connection

    def deliver(self, raw: bytes, mailbox: str = "INBOX") -> None:
        """Put a message in the mailbox, as a mail server delivering it would."""
        connection = self.connect()
        try:
            connection.append(mailbox, None, None, raw)
        finally:
            connection.logout()

    def empty(self, mailbox: str = "INBOX") -> None:
        connection = self.connect()
        try:
            _, count = connection.select(mailbox)
            if int(count[0] or 0):
                connection.store("1:*", "+FLAGS", "\\Deleted")
                connection.expunge()
        finally:
            connection.logout()

    @property
    def url(self) -> str:
        return f"imap://{self.user}@{self.host}:{self.port}/INBOX"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mail_owner() -> tuple[int, int]:
    """Dovecot refuses to deliver as root: use nobody's ids when the tests run as root."""
    if os.getuid() != 0:
        return os.getuid(), os.getgid()
    nobody = pwd.getpwnam("nobody")
    return nobody.pw_uid, nobody.pw_gid


def dovecot_config(folder: Path, port: int, uid: int, gid: int) -> str:
    login_user = "dovenull" if _user_exists("dovenull") else "nobody"
    internal_user = "dovecot" if _user_exists("dovecot") else "nobody"
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 0
mail_location = maildir:{folder}/mail/%u
passdb {{
  driver = passwd-file
  args = {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    details = log.read_text() if log.exists() else ""
    raise RuntimeError(f"dovecot did not start on port {port}: {details[-500:]}")


@pytest.fixture(scope="session")
def imap_server() -> Iterator[ImapServer]:
    if not Path(DOVECOT).exists():
        if os.environ.get("CI"):
            pytest.fail(
                "dovecot is required for the IMAP tests in CI (apt-get install dovecot-imapd)."
            )
        pytest.skip("IMAP tests need dovecot: apt-get install dovecot-imapd.")
    folder = Path(tempfile.mkdtemp(prefix="compassion-imap-"))
    folder.chmod(0o755)  # the mail user (nobody under root) must reach its maildir
    uid, gid = mail_owner()
    (folder / "mail").mkdir()
    os.chown(folder / "mail", uid, gid)
    user, password = "office", "imap-test-password"
    (folder / "passwd").write_text(f"{user}:{{PLAIN}}{password}::::::\n")
    port = free_port()
    config = folder / "dovecot.conf"
    config.write_text(dovecot_config(folder, port, uid, gid))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port, process, folder / "dovecot.log")
        yield ImapServer("127.0.0.1", port, user, password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def empty_imap(imap_server: ImapServer) -> ImapServer:
    imap_server.empty()
    return imap_server
