"""Setting up a real office: `compassion office create`, the first step after `migrate`."""

from __future__ import annotations

import click


@click.group()
def office() -> None:
    """Offices: create one, with its leader's login."""


@office.command("create")
@click.option(
    "--name", required=True, help='The office\'s name, e.g. "Office of Amira Hussain MP".'
)
@click.option("--slug", required=True, help="A short name for its public addresses, e.g. northby.")
@click.option("--leader-username", required=True, help="What the leader logs in with.")
@click.option("--leader-email", required=True, help="The leader's email address.")
@click.option("--leader-name", default="", help='The leader\'s full name, e.g. "Amira Hussain".')
def create(name: str, slug: str, leader_username: str, leader_email: str, leader_name: str) -> None:
    """Create an office and its leader, who then adds the rest of the staff under Staff."""
    from compassion.cli import setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email, validate_slug
    from django.db import transaction

    from compassion.core.models import Membership, Office, Role

    user_model = get_user_model()
    try:
        validate_slug(slug)
        validate_email(leader_email)
    except ValidationError as error:
        raise click.BadParameter(" ".join(error.messages)) from None
    if Office.objects.filter(slug=slug).exists():
        raise click.ClickException(f"An office called {slug!r} already exists.")
    if user_model.objects.filter(username__iexact=leader_username).exists():
        raise click.ClickException(f"The username {leader_username!r} is taken: choose another.")
    password = click.prompt(
        f"Choose {leader_username}'s password", hide_input=True, confirmation_prompt=True
    )
    first, _, last = leader_name.partition(" ")
    leader = user_model(
        username=leader_username, email=leader_email, first_name=first, last_name=last
    )
    try:
        validate_password(password, leader)
    except ValidationError as error:
        raise click.ClickException(" ".join(error.messages)) from None
    with transaction.atomic():
        created = Office.objects.create(name=name, slug=slug, email=leader_email)
        leader.set_password(password)
        leader.save()
        Membership.objects.create(user=leader, office=created, role=Role.LEADER)
    click.echo(
        f"{name} is ready. Log in as {leader_username} and add your staff under Staff; "
        f"citizens write in at /write-to-us/{slug}/."
    )


commands: list[click.Command] = [office]
