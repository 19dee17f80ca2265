"""The `compassion` command, as a user meets it."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from compassion.cli import check_port_free, main, sqlite_problem


def run_compassion(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # These runs are about the SQLite data folder; they must never touch a DATABASE_URL.
    unwanted = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [sys.executable, "-c", "from compassion.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=600,  # only a guard against a hang: the demo build passed 120 s on a busy machine
    )


def test_it_lists_its_own_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "demo" in result.output
    assert "serve" in result.output
    assert "Django management command" in result.output


def test_it_says_the_port_is_taken() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = CliRunner().invoke(main, ["demo", "--port", str(port), "--no-browser"])
    assert result.exit_code == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.output


def test_a_server_just_stopped_does_not_keep_its_port_taken() -> None:
    """Restarting at once must work: the stopped server's last connections linger in
    TIME_WAIT on its port for a minute, but nothing listens there any more."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        served, _ = listener.accept()
        served.close()  # the server closes first, so its side waits in TIME_WAIT
        client.close()
    check_port_free("127.0.0.1", port)  # raises if the port counts as taken


def test_it_names_the_wrong_setting_without_a_traceback(tmp_path: Path) -> None:
    result = run_compassion(
        "check", env={"COMPASSION_ENV": "production", "COMPASSION_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 1
    assert "SECRET_KEY must be set when COMPASSION_ENV is production" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_names_a_trusted_proxy_that_is_not_an_address(tmp_path: Path) -> None:
    result = run_compassion(
        "check", env={"TRUSTED_PROXIES": "nginx.local", "COMPASSION_DATA_DIR": str(tmp_path)}
    )
    assert "TRUSTED_PROXIES must list IP addresses or networks" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_rejects_a_database_url_it_cannot_use(tmp_path: Path) -> None:
    result = run_compassion(
        "check", env={"DATABASE_URL": "mysql://x", "COMPASSION_DATA_DIR": str(tmp_path)}
    )
    assert "DATABASE_URL must start with postgres://" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_an_smtp_host_email_goes_to_the_outbox_folder_not_the_terminal(
    tmp_path: Path,
) -> None:
    """Emails hold casework; printed, they also buried the command's own summary."""
    env = {"COMPASSION_DATA_DIR": str(tmp_path), "EMAIL_HOST": ""}
    result = run_compassion("sendtestemail", "joan@example.com", env=env)
    assert result.returncode == 0, result.stderr
    assert "joan@example.com" not in result.stdout + result.stderr
    (written,) = (tmp_path / "outbox").iterdir()
    assert "To: joan@example.com" in written.read_text()


def test_a_mail_server_that_never_answers_is_given_up_on_in_seconds(tmp_path: Path) -> None:
    """A reply is recorded and sent in one transaction: without a time limit, a mail server
    that accepts the connection and then says nothing would hold the page, and the database,
    for good."""
    env = {"COMPASSION_DATA_DIR": str(tmp_path)}
    shown = "from django.conf import settings; print(settings.EMAIL_TIMEOUT)"
    assert run_compassion("shell", "-c", shown, env=env).stdout.split()[-1] == "20"
    env["EMAIL_TIMEOUT"] = "5"
    assert run_compassion("shell", "-c", shown, env=env).stdout.split()[-1] == "5"


def test_it_passes_the_deploy_check_in_production(tmp_path: Path) -> None:
    result = run_compassion(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "COMPASSION_ENV": "production",
            "SECRET_KEY": "x" * 60 + "-a-long-random-production-key",
            "ALLOWED_HOSTS": "office.example.org",
            "COMPASSION_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_a_damaged_sqlite_file(tmp_path: Path) -> None:
    database = tmp_path / "compassion.sqlite3"
    database.write_bytes(b"this is not a database" * 100)
    assert sqlite_problem(database)
    result = run_compassion(
        "demo", "--no-serve", "--port", "0", env={"COMPASSION_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 1
    assert "is damaged" in result.stderr
    assert database.read_bytes().startswith(b"this is not a database")


@pytest.mark.slow
def test_it_builds_the_demo_once_and_reuses_it(tmp_path: Path) -> None:
    env = {"COMPASSION_DATA_DIR": str(tmp_path)}
    first = run_compassion("demo", "--no-serve", env=env)
    assert first.returncode == 0, first.stderr
    assert "Building the demo office" in first.stderr
    assert "amira" in first.stdout
    second = run_compassion("demo", "--no-serve", env=env)
    assert "Building the demo office" not in second.stderr
    counts = run_compassion(
        "shell",
        "-c",
        "from compassion.voices.models import Voice; from compassion.core.models import Person;"
        "print(Voice.objects.count(), Person.objects.count())",
        env=env,
    )
    voices, people = (int(n) for n in counts.stdout.split()[-2:])
    assert 5000 <= voices <= 5100
    assert 2000 <= people <= 2050
    pages = served_demo_pages(env, ["/no-such-page/", "/static/compassion/compassion.css"])
    assert pages[0][0] == 404 and "We could not find that page" in pages[0][1]
    assert "URLconf" not in pages[0][1]  # Django's page for developers lists every address
    assert pages[1][0] == 200 and "{" in pages[1][1]


def served_demo_pages(env: dict[str, str], paths: list[str]) -> list[tuple[int, str]]:
    """Start `compassion demo` on a free port and fetch `paths`: (status, text) for each."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    command = "from compassion.cli import main; main()"
    server = subprocess.Popen(
        [sys.executable, "-c", command, "demo", "--no-browser", "--port", str(port)],
        env={**clean, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        return [fetch(f"http://127.0.0.1:{port}{path}") for path in paths]
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(url: str, wait: float = 60) -> tuple[int, str]:
    """The status and text of `url`, waiting up to `wait` seconds for the server to start."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
