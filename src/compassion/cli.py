"""The `compassion` command: the one door for everything a user runs.

Commands of its own (demo, serve, demo-data, and those the analysis cores add) come
first; any other name is passed to Django's management commands (migrate,
createsuperuser, check, ...).
"""

from __future__ import annotations

import os
import socket
import sqlite3
import sys
import time
import webbrowser
from pathlib import Path
from typing import Any

import click

HELP_LINK = "See README.md, section Configuration."


def setup_django() -> None:
    """Load the settings; a wrong setting stops here with one clear sentence."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compassion.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise click.ClickException(f"{error} {HELP_LINK}") from None


class DjangoPassthroughGroup(click.Group):
    """A click group that hands unknown command names to Django's manage.py commands."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        return django_command(cmd_name)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_paragraph()
        formatter.write_text(
            "Every Django management command also works here, for example "
            "`compassion migrate` or `compassion createsuperuser`."
        )


def django_command(name: str) -> click.Command:
    @click.command(
        name=name,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        add_help_option=False,
    )
    @click.pass_context
    def run(ctx: click.Context) -> None:
        setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["compassion", name, *ctx.args])

    return run


@click.group(cls=DjangoPassthroughGroup)
@click.version_option(package_name="compassion")
def main() -> None:
    """Compassion: compassionate leadership for a political office."""


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another server listens on. Connections that linger for a minute after
    a server stops (TIME_WAIT) do not count: the server binds with SO_REUSEADDR too."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise click.ClickException(
                f"Port {port} on {host} is already in use: is Compassion (or another server) "
                f"already running there? Stop it, or choose another port with --port."
            ) from None


def check_sqlite_file() -> None:
    """Refuse to start on a damaged SQLite file rather than half-migrate it."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return
    path = Path(database["NAME"])
    if not path.exists():
        return
    problem = sqlite_problem(path)
    if problem:
        raise click.ClickException(
            f"The database file {path} is damaged ({problem}). Nothing was changed. "
            "Restore it from a backup, or move it aside to start afresh "
            "(`compassion demo --reset` does that for the demo)."
        )


def sqlite_problem(path: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            result = connection.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as error:
        return str(error)
    if result and result[0] != "ok":
        return str(result[0])
    return None


def move_damaged_sqlite_aside() -> Path | None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return None
    path = Path(database["NAME"])
    if path.exists() and sqlite_problem(path):
        aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        path.rename(aside)
        return aside
    return None


def migrate(silent: bool) -> None:
    from django.core.management import call_command

    if not silent:
        click.echo("Preparing the database...", err=True)
    call_command("migrate", interactive=False, verbosity=0)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--reset", is_flag=True, help="Delete the demo data and build it again.")
@click.option("--seed", default=2026, show_default=True, type=int)
@click.option("--no-browser", is_flag=True, help="Do not open a browser window.")
@click.option("--no-serve", is_flag=True, help="Prepare the demo office, then stop.")
def demo(host: str, port: int, reset: bool, seed: int, no_browser: bool, no_serve: bool) -> None:
    """Create the demo office (once) and serve it on 127.0.0.1:8000."""
    started = time.monotonic()
    if not no_serve:
        check_port_free(host, port)
    # Calm pages for a missing page or an error, not Django's pages for developers
    # (whitenoise serves the static files, as `compassion serve` does).
    os.environ.setdefault("DEBUG", "false")
    setup_django()
    if reset:
        aside = move_damaged_sqlite_aside()
        if aside:
            click.echo(f"Moved the damaged database aside to {aside}.", err=True)
    check_sqlite_file()
    migrate(silent=False)

    from compassion.core import demo as demo_data

    if reset:
        demo_data.remove_demo_office()
    if not demo_data.demo_office_exists():
        click.echo("Building the demo office (about a minute)...", err=True)
        demo_data.build_demo_office(seed=seed, progress=click_progress)
    url = f"http://{host}:{port}/"
    click.echo(f"\nThe demo office is ready after {time.monotonic() - started:.1f} s.")
    click.echo(demo_data.describe_logins(url))
    if no_serve:
        return
    if not no_browser:
        webbrowser.open(url)
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)


def click_progress(label: str, total: int) -> Any:
    """A progress bar on stderr; the demo generator advances it."""
    return click.progressbar(length=total, label=label, file=sys.stderr)


@main.command("demo-data")
@click.option("--seed", default=2026, show_default=True, type=int)
@click.option("--people", default=2000, show_default=True, type=int)
@click.option("--messages", default=5000, show_default=True, type=int)
@click.option("--reset", is_flag=True, help="Delete the demo office first.")
@click.option("--silent", is_flag=True, help="No progress bars.")
def demo_data_command(seed: int, people: int, messages: int, reset: bool, silent: bool) -> None:
    """Generate the demo office: staff, constituents, a year of messages."""
    setup_django()
    check_sqlite_file()
    migrate(silent)
    from compassion.core import demo as demo_data

    if reset:
        demo_data.remove_demo_office()
    if demo_data.demo_office_exists():
        raise click.ClickException("The demo office already exists. Use --reset to build it again.")
    started = time.monotonic()
    demo_data.build_demo_office(
        seed=seed, people=people, messages=messages, progress=None if silent else click_progress
    )
    click.echo(f"Demo office built in {time.monotonic() - started:.1f} s.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Run the production server (gunicorn, static files by whitenoise), checking the
    offices' mailboxes every COMPASSION_MAIL_POLL_MINUTES (default 5; 0 = off).

    Its worker processes share one cache, in the database unless CACHE_URL names Redis:
    a cache in each process's memory would let each count its own rate limits and keep
    results another process has dropped."""
    check_port_free(host, port)
    os.environ.setdefault("CACHE_URL", "database")
    setup_django()
    check_sqlite_file()
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from compassion.core.server import run_gunicorn
    from compassion.voices.polling import start_mail_poller, stop_mail_poller

    poller = start_mail_poller()  # new mail arrives on its own (COMPASSION_MAIL_POLL_MINUTES)
    try:
        run_gunicorn(host=host, port=port, workers=workers)
    finally:
        stop_mail_poller(poller)


# The commands each part of the product adds. Imported last: the app modules import
# `setup_django` from this file.
from compassion.bridging.cli import commands as bridging_commands  # noqa: E402
from compassion.cases.cli import commands as cases_commands  # noqa: E402
from compassion.commitments.cli import commands as commitments_commands  # noqa: E402
from compassion.commonground.cli import commands as commonground_commands  # noqa: E402
from compassion.core.cli import commands as core_commands  # noqa: E402
from compassion.lens.cli import commands as lens_commands  # noqa: E402
from compassion.pulse.cli import commands as pulse_commands  # noqa: E402
from compassion.voices.cli import commands as voices_commands  # noqa: E402

for command in [
    *core_commands,
    *lens_commands,
    *bridging_commands,
    *voices_commands,
    *cases_commands,
    *pulse_commands,
    *commonground_commands,
    *commitments_commands,
]:
    main.add_command(command)
