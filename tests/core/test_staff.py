"""The leader and the office manager add, re-role and remove staff; anyone changes their own
password. The rules keep an office from locking itself out or raising its own rank."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from compassion.cases.models import Action as CaseAction
from compassion.cases.models import Case
from compassion.commitments.models import Commitment
from compassion.core.models import AuditEntry, Membership, Role
from compassion.insights.models import Action as InsightAction
from compassion.pulse.models import Obstacle
from tests.conftest import NO_MAIL_SERVER, PASSWORD, Cast

User = get_user_model()
NEW = {
    "first_name": "Nadia",
    "last_name": "Begum",
    "email": "nadia@example.org",
    "username": "nadia",
    "role": Role.CASEWORKER,
    "job_title": "Caseworker (housing)",
}


def test_a_new_member_chooses_their_password_through_a_link_that_works_once(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.manager)
    page = client.post("/staff/", NEW, follow=True).content.decode()
    assert "Nadia Begum has been added" in page
    link = re.search(r"http://testserver(/password-reset/[^<\s]+)", page).group(1)
    assert link in mail.outbox[0].body and mail.outbox[0].to == ["nadia@example.org"]
    nadia = User.objects.get(username="nadia")
    assert not nadia.has_usable_password()
    assert Membership.objects.get(user=nadia).role == Role.CASEWORKER
    assert AuditEntry.objects.filter(summary="Added Nadia Begum as Caseworker").exists()
    assert "has been added" not in client.get("/staff/").content.decode()  # shown once

    newcomer = Client()
    form = newcomer.get(link, follow=True)
    chosen = {"new_password1": "a-long-new-password", "new_password2": "a-long-new-password"}
    newcomer.post(form.redirect_chain[-1][0], chosen)
    newcomer.post("/logout/")
    logged_in = newcomer.post("/login/", {"username": "nadia", "password": "a-long-new-password"})
    assert logged_in.status_code == 302 and newcomer.get("/").status_code == 200
    again = Client().get(link, follow=True).content.decode()
    assert "already been used" in again


def test_a_manager_cannot_make_a_leader_nor_change_a_leader_nor_themselves(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.manager)
    client.post("/staff/", NEW | {"role": Role.LEADER})
    assert not User.objects.filter(username="nadia").exists()
    mine = Membership.objects.get(user=cast.manager)
    leader = Membership.objects.get(user=cast.leader)
    worker = Membership.objects.get(user=cast.caseworker)
    for membership, role in ((mine, Role.LEADER), (leader, Role.CASEWORKER), (worker, Role.LEADER)):
        response = client.post(f"/staff/{membership.pk}/role/", {"role": role}, follow=True)
        assert response.status_code == 200
    assert Membership.objects.get(pk=mine.pk).role == Role.MANAGER
    assert Membership.objects.get(pk=leader.pk).role == Role.LEADER
    assert Membership.objects.get(pk=worker.pk).role == Role.CASEWORKER
    client.post(f"/staff/{worker.pk}/role/", {"role": Role.VOLUNTEER})
    assert Membership.objects.get(pk=worker.pk).role == Role.VOLUNTEER
    assert client.post(f"/staff/{leader.pk}/remove/").status_code == 302
    assert Membership.objects.filter(pk=leader.pk).exists()


def test_only_the_leader_and_the_manager_see_the_staff_page(client: Client, cast: Cast) -> None:
    client.force_login(cast.caseworker)
    assert client.get("/staff/").status_code == 403
    client.force_login(cast.outsider)
    other_office = Membership.objects.get(user=cast.manager)
    assert client.post(f"/staff/{other_office.pk}/role/", {"role": "volunteer"}).status_code == 404


def caseworkers_open_case(cast: Cast) -> tuple[Case, CaseAction]:
    """An open case of the caseworker's, with an action of theirs still to do."""
    open_case = Case.objects.create(
        office=cast.office,
        person=cast.person,
        reference="S-1",
        subject="Damp",
        assigned_to=cast.caseworker,
    )
    action = CaseAction.objects.create(
        case=open_case,
        description="Ring the landlord",
        owner=cast.caseworker,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    return open_case, action


def test_removing_someone_unassigns_their_open_cases_and_closes_their_login(
    client: Client, cast: Cast
) -> None:
    open_case, action = caseworkers_open_case(cast)
    Commitment.objects.create(
        office=cast.office, title="Fix the damp on Mill Lane", owner=cast.caseworker
    )
    client.force_login(cast.leader)
    member = Membership.objects.get(user=cast.caseworker)
    ask = client.get(f"/staff/{member.pk}/remove/").content.decode()
    assert "1 open case of theirs will go to the colleague you choose below" in ask
    assert "1 case action they had not done will go to that colleague" in ask
    assert ">1 promise not yet kept</a>" in ask
    done = client.post(f"/staff/{member.pk}/remove/", follow=True).content.decode()
    assert "has been removed. 1 open case of theirs now needs someone" in done.replace("\n", " ")
    open_case.refresh_from_db()
    action.refresh_from_db()
    assert open_case.assigned_to is None and action.owner is None
    cast.caseworker.refresh_from_db()
    assert not cast.caseworker.is_active
    assert AuditEntry.objects.filter(action="delete", summary__startswith="Removed").exists()


def test_someone_in_another_office_keeps_their_login_when_removed_from_this_one(
    client: Client, cast: Cast
) -> None:
    Membership.objects.create(user=cast.caseworker, office=cast.other_office, role=Role.CASEWORKER)
    client.force_login(cast.leader)
    client.post(
        f"/staff/{Membership.objects.get(user=cast.caseworker, office=cast.office).pk}/remove/"
    )
    cast.caseworker.refresh_from_db()
    assert cast.caseworker.is_active


def test_changing_your_password_logs_you_out_everywhere_else(cast: Cast) -> None:
    here, elsewhere = Client(), Client()
    for session in (here, elsewhere):
        session.post("/login/", {"username": "charlie", "password": PASSWORD})
        assert session.get("/").status_code == 200
    response = here.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-password",
            "new_password2": "another-long-password",
        },
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302  # back to the login page


def test_a_real_office_starts_with_compassion_office_create(db: None) -> None:
    from click.testing import CliRunner

    from compassion.core.cli import office
    from compassion.core.models import Office

    arguments = [
        "create",
        "--name",
        "Office of Sam Jones MP",
        "--slug",
        "eastby",
        "--leader-username",
        "sam",
        "--leader-email",
        "sam@example.org",
        "--leader-name",
        "Sam Jones",
    ]
    short = CliRunner().invoke(office, arguments, input="short\nshort\n")
    assert short.exit_code == 1 and "too short" in short.output
    assert not Office.objects.exists()
    made = CliRunner().invoke(office, arguments, input="a-long-password\na-long-password\n")
    assert made.exit_code == 0, made.output
    sam = User.objects.get(username="sam")
    assert sam.check_password("a-long-password") and sam.get_full_name() == "Sam Jones"
    assert Membership.objects.get(user=sam).office.slug == "eastby"
    again = CliRunner().invoke(office, arguments, input="a-long-password\na-long-password\n")
    assert "already exists" in again.output


def test_removing_someone_can_hand_everything_of_theirs_to_a_colleague(
    client: Client, cast: Cast
) -> None:
    open_case, action = caseworkers_open_case(cast)
    promise = Commitment.objects.create(
        office=cast.office, title="Fix the damp on Mill Lane", owner=cast.caseworker
    )
    obstacle = Obstacle.objects.create(
        office=cast.office, title="The printer", action="Buy one", action_owner=cast.caseworker
    )
    insight = InsightAction.objects.create(
        office=cast.office, title="Ring the housing association", owner=cast.caseworker
    )
    client.force_login(cast.leader)
    member = Membership.objects.get(user=cast.caseworker)
    ask = client.get(f"/staff/{member.pk}/remove/").content.decode()
    assert "Hand everything of theirs to" in ask and "Vic" not in ask  # not a volunteer
    forged = client.post(f"/staff/{member.pk}/remove/", {"hand_to": cast.outsider.pk})
    assert forged.status_code == 200 and "Select a valid choice" in forged.content.decode()
    assert Membership.objects.filter(pk=member.pk).exists()
    done = client.post(f"/staff/{member.pk}/remove/", {"hand_to": cast.manager.pk}, follow=True)
    assert "Everything of theirs is now Mandy" in done.content.decode().replace("\n", " ")
    for thing, field in [
        (open_case, "assigned_to"),
        (action, "owner"),
        (promise, "owner"),
        (obstacle, "action_owner"),
        (insight, "owner"),
    ]:
        thing.refresh_from_db()
        assert getattr(thing, field) == cast.manager, thing
    assert AuditEntry.objects.filter(summary__contains="handed to Mandy").exists()


@override_settings(
    EMAIL_HOST="mail.example.org", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
)
def test_with_a_mail_server_the_link_goes_only_to_the_new_member(client: Client, cast: Cast):
    client.force_login(cast.manager)
    page = client.post("/staff/", NEW, follow=True).content.decode()
    assert "We have emailed nadia@example.org a link" in page
    assert "/password-reset/" not in page and "/password-reset/" in mail.outbox[0].body


@NO_MAIL_SERVER
def test_when_the_email_cannot_be_sent_the_link_is_shown_and_the_member_kept(
    client: Client, cast: Cast
):
    client.force_login(cast.manager)
    response = client.post("/staff/", NEW, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The email to nadia@example.org could not be sent" in page
    assert "/password-reset/" in page
    assert Membership.objects.filter(user__username="nadia", office=cast.office).exists()


def test_someone_who_has_not_chosen_a_password_can_be_sent_a_new_link(
    client: Client, cast: Cast
) -> None:
    """A link stops working after a few days; without a new one they could never log in."""
    client.force_login(cast.manager)
    client.post("/staff/", NEW)
    nadia = Membership.objects.get(user__username="nadia")
    page = re.sub(r"<[^>]+>", "", client.get("/staff/").content.decode())
    assert "Send Nadia Begum a new link" in page
    assert "Send Charlie a new link" not in page  # Charlie has a password

    page = client.post(f"/staff/{nadia.pk}/link/", follow=True).content.decode()
    assert "A new link for Nadia Begum" in page
    link = re.search(r"http://testserver(/password-reset/[^<\s]+)", page).group(1)
    assert link in mail.outbox[-1].body and len(mail.outbox) == 2
    assert AuditEntry.objects.filter(summary="Sent Nadia Begum a new link").exists()

    charlie = Membership.objects.get(user=cast.caseworker)
    refused = client.post(f"/staff/{charlie.pk}/link/", follow=True).content.decode()
    assert "Charlie has chosen a password already" in refused
    assert len(mail.outbox) == 2


def test_someone_removed_and_added_again_can_log_in_again(client: Client, cast: Cast) -> None:
    client.force_login(cast.leader)
    charlie = Membership.objects.get(user=cast.caseworker)
    client.post(f"/staff/{charlie.pk}/remove/")
    cast.caseworker.refresh_from_db()
    assert not cast.caseworker.is_active
    again = NEW | {"username": "charlie", "first_name": "Charlie", "email": "charlie@example.org"}
    page = client.post("/staff/", again, follow=True).content.decode()
    assert "Charlie" in page and "log in again" in page
    cast.caseworker.refresh_from_db()
    assert cast.caseworker.is_active
    logged_in = Client().post("/login/", {"username": "charlie", "password": PASSWORD})
    assert logged_in.status_code == 302


def test_guessing_another_offices_username_reveals_nothing_and_adds_no_one(
    client: Client, cast: Cast
) -> None:
    cast.outsider.first_name, cast.outsider.last_name = "Bob", "Jones"
    cast.outsider.save()
    client.force_login(cast.manager)
    guess = NEW | {"username": cast.outsider.username, "email": "someone@example.org"}
    page = client.post("/staff/", guess).content.decode()
    assert "That username is taken: choose another." in page
    staff_page = client.get("/staff/").content.decode()
    assert "Jones" not in page + staff_page and cast.outsider.email not in staff_page
    assert not Membership.objects.filter(user=cast.outsider, office=cast.office).exists()


def test_someone_from_another_office_joins_when_their_own_email_is_typed_and_is_told(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.manager)
    theirs = NEW | {"username": cast.outsider.username, "email": cast.outsider.email.upper()}
    page = client.post("/staff/", theirs, follow=True).content.decode()
    assert "already has a login: they can now switch to this office" in page
    assert Membership.objects.filter(user=cast.outsider, office=cast.office).exists()
    assert mail.outbox[-1].to == [cast.outsider.email]
    assert "has added you to Office of Alice MP as Caseworker" in mail.outbox[-1].body


@NO_MAIL_SERVER
def test_a_link_for_a_login_of_another_office_is_never_shown_here(
    client: Client, cast: Cast
) -> None:
    """Whoever holds the link chooses the password, and the login opens the other office's
    casework too: with no mail server, office A must not be shown office B's member's link."""
    nadia = User.objects.create(username="nadia", email="nadia@bob-office.org", first_name="N")
    nadia.set_unusable_password()
    nadia.save()
    Membership.objects.create(user=nadia, office=cast.other_office, role=Role.CASEWORKER)
    client.force_login(cast.manager)
    client.post("/staff/", NEW | {"username": "nadia", "email": "nadia@bob-office.org"})
    here = Membership.objects.get(user=nadia, office=cast.office)
    page = client.post(f"/staff/{here.pk}/link/", follow=True).content.decode()
    assert "/password-reset/" not in page
    assert "They work for another office too, so their link is not shown here" in page


def test_a_closed_login_opened_again_is_told_by_email(client: Client, cast: Cast) -> None:
    Membership.objects.filter(user=cast.outsider).delete()
    cast.outsider.is_active = False
    cast.outsider.save()
    client.force_login(cast.manager)
    mail.outbox.clear()
    data = NEW | {"username": cast.outsider.username, "email": cast.outsider.email}
    page = client.post("/staff/", data, follow=True).content.decode()
    assert "is back: they can log in again as before" in page
    assert [message.to for message in mail.outbox] == [[cast.outsider.email]]


def test_the_link_to_choose_a_password_says_what_the_username_is(
    client: Client, cast: Cast
) -> None:
    """Where no email reached them, the link is handed over by hand, without the username
    the email would have said: they chose a password, then could not log in."""
    client.force_login(cast.manager)
    page = client.post("/staff/", NEW, follow=True).content.decode()
    link = re.search(r"http://testserver(/password-reset/[^<\s]+)", page).group(1)
    form = Client().get(link, follow=True).content.decode()
    assert "Your username is <strong>nadia</strong>" in form


def test_removing_someone_who_held_no_case_does_not_send_anyone_looking_for_one(
    client: Client, cast: Cast
) -> None:
    """It read '0 open cases of theirs now need someone: find them under Cases, Caseworker:
    Nobody yet.'"""
    client.force_login(cast.leader)
    member = Membership.objects.get(user=cast.volunteer)
    done = client.post(f"/staff/{member.pk}/remove/", follow=True).content.decode()
    assert "has been removed." in done
    assert "0 open cases" not in done and "Nobody yet" not in done


def test_someone_who_holds_open_cases_is_not_made_a_volunteer_until_they_are_handed_on(
    client: Client, cast: Cast
) -> None:
    """A volunteer works on no case, and the case list's Caseworker filter and the team's
    caseload leave volunteers out: their open cases, urgent ones too, were held by someone
    no one saw and who could not act on them."""
    open_case, _ = caseworkers_open_case(cast)
    client.force_login(cast.manager)
    member = Membership.objects.get(user=cast.caseworker)
    page = client.post(
        f"/staff/{member.pk}/role/", {"role": Role.VOLUNTEER}, follow=True
    ).content.decode()
    member.refresh_from_db()
    assert member.role == Role.CASEWORKER
    assert "still holds 1 open case, which a volunteer cannot work on" in page
    assert f'<a href="/cases/?worker={cast.caseworker.pk}">give it to a colleague</a>' in page

    open_case.assigned_to = cast.manager
    open_case.save()
    client.post(f"/staff/{member.pk}/role/", {"role": Role.VOLUNTEER})
    member.refresh_from_db()
    assert member.role == Role.VOLUNTEER


def test_a_member_who_has_not_chosen_a_password_can_ask_for_a_link_from_the_login_page(
    client: Client, cast: Cast
) -> None:
    """The staff page tells them to use 'Forgotten your password?', which sent nothing to a
    login without a password yet, while saying a link was on its way."""
    client.force_login(cast.manager)
    client.post("/staff/", NEW)
    mail.outbox.clear()
    Client().post("/password-reset/", {"email": "NADIA@example.org"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nadia@example.org"]
    link = re.search(r"http://testserver(/password-reset/\S+)", mail.outbox[0].body).group(1)
    newcomer = Client()
    form = newcomer.get(link, follow=True)
    chosen = {"new_password1": "a-long-new-password", "new_password2": "a-long-new-password"}
    newcomer.post(form.redirect_chain[-1][0], chosen)
    assert User.objects.get(username="nadia").check_password("a-long-new-password")
