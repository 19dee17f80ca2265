"""Cases: a person's problem, followed from first contact to an outcome."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from compassion.core.models import Membership, Office, Person, person_not_sensitive
from compassion.core.themes import SENSITIVE_THEMES, Theme
from compassion.core.workdays import add_working_days, working_days_between
from compassion.lens.rules import FLAG_KINDS, LIFE_RISK_KINDS

if TYPE_CHECKING:  # voices.models imports this module
    from compassion.voices.models import Voice

# Urgent reasons that make a case a safeguarding matter (self-harm, threat to life,
# domestic abuse, a child at risk).
SAFEGUARDING_REASONS = sorted(FLAG_KINDS[kind] for kind in LIFE_RISK_KINDS)


# Risks counted in days: months later, "a court date within days" must not read as now.
SHORT_LIVED_KINDS = frozenset({"eviction", "deadline"})


def urgency_reason(kind: str, written: datetime) -> str:
    """Why a case is urgent, in the words the lens gives the risk `kind`; a short-lived
    risk says when it was written ("... within days (as of 3 Sep 2026)")."""
    label = FLAG_KINDS.get(kind, kind)
    if kind not in SHORT_LIVED_KINDS:
        return label
    local = timezone.localtime(written)
    return f"{label} (as of {local.day} {local:%b %Y})"


def with_urgency_reason(reasons: list[str], kind: str, written: datetime) -> list[str]:
    """`reasons` with the reason for the risk `kind` shown in a message `written` then. A
    short-lived risk is given once, as of the latest message that showed it: a case whose
    tenant wrote of the bailiffs four times reads "... (as of 29 Nov 2026)", not four dates."""
    reason = urgency_reason(kind, written)
    if kind not in SHORT_LIVED_KINDS:
        return reasons if reason in reasons else [*reasons, reason]
    label = FLAG_KINDS.get(kind, kind)
    same_risk = {old: _as_of(old, label) for old in reasons if old.startswith(label)}
    latest = max((day for day in same_risk.values() if day), default=None)
    if latest is not None and latest >= timezone.localtime(written).date():
        return reasons
    return [old for old in reasons if old not in same_risk] + [reason]


def _as_of(reason: str, label: str) -> date | None:
    """The day in a reason worded by `urgency_reason` for `label`; None if it has none."""
    day = reason.removeprefix(f"{label} (as of ").removesuffix(")")
    try:
        return datetime.strptime(day, "%d %b %Y").date()
    except ValueError:
        return None


def no_sensitive_person(path: str = "") -> models.Q:
    """Records (reached through `path`, such as "case__") whose person, if any, is not
    sensitive (see `person_not_sensitive`)."""
    return models.Q(**{f"{path}person__isnull": True}) | person_not_sensitive(f"{path}person__")


def not_sensitive(path: str = "") -> models.Q:
    """Cases (reached through `path`, such as "case__") whose person is not sensitive and
    that hold neither a safeguarding reason nor a theme that reveals special-category data
    (health, immigration)."""
    safeguarding = models.Q()
    for reason in SAFEGUARDING_REASONS:
        safeguarding |= models.Q(**{f"{path}urgency_reasons__icontains": reason})
    sensitive_theme = models.Q(**{f"{path}theme__in": SENSITIVE_THEMES})
    return no_sensitive_person(path) & ~safeguarding & ~sensitive_theme


class Status(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    WAITING = "waiting", "Waiting on a third party"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = [Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING]


class Outcome(models.TextChoices):
    HELPED = "helped", "Helped"
    PARTLY = "partly", "Partly helped"
    NOT_HELPED = "not_helped", "Not helped"
    REFERRED = "referred", "Referred elsewhere"


class CaseQuerySet(models.QuerySet["Case"]):
    def for_office(self, office: Office) -> CaseQuerySet:
        return self.filter(office=office)

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def urgent(self) -> CaseQuerySet:
        return self.filter(urgent=True)

    def unacknowledged(self) -> CaseQuerySet:
        """Open cases whose person has not yet heard back, whatever their status: a case
        taken in hand without an acknowledgement still owes one."""
        return self.open().filter(acknowledged_at__isnull=True)

    def acknowledgement_overdue(self, today: date) -> CaseQuerySet:
        return self.unacknowledged().filter(acknowledge_by__lt=today)

    def visible_to(self, membership: Membership) -> CaseQuerySet:
        """Every case, or for a role that does not see sensitive casework (a read-only
        volunteer), only those that are not sensitive (see `not_sensitive`)."""
        if membership.sees_sensitive_casework:
            return self
        return self.filter(not_sensitive())


class Case(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="cases")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    reference = models.CharField(max_length=20)
    subject = models.CharField(max_length=300)
    theme = models.CharField(
        max_length=20, choices=Theme.choices, default=Theme.OTHER, db_index=True
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    campaign = models.ForeignKey(
        "voices.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledge_by = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reply_by = models.DateField(null=True, blank=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    urgent = models.BooleanField(default=False, db_index=True)
    urgency_reasons = models.JSONField(default=list, blank=True)
    distress_load = models.FloatField(default=0.0)
    out_of_area = models.BooleanField(default=False)
    heard = models.TextField(blank=True, help_text="What matters most to them, in their own words.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    help_given = models.TextField(blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(
        default=0, help_text="Working days spent waiting on a third party (the clock paused)."
    )
    explored = models.JSONField(
        default=list, blank=True, help_text="Checklist questions the caseworker has explored."
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["office", "reference"], name="unique_case_reference")
        ]
        indexes = [
            models.Index(fields=["office", "status", "-opened_at"]),
            models.Index(fields=["office", "urgent", "status"]),
            # The case list's order (urgent first, newest first) read straight off an index.
            models.Index(fields=["office", "urgent", "opened_at"], name="case_list_order"),
            models.Index(fields=["office", "theme", "status"], name="case_theme_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def unanswered(self) -> bool:
        """The person has had nothing from the office: no acknowledgement and no reply."""
        return self.acknowledged_at is None and self.first_reply_at is None

    def acknowledgement_days_left(self, today: date) -> int | None:
        """Working days left to acknowledge (negative when overdue); None once acknowledged."""
        if self.acknowledged_at or not self.acknowledge_by:
            return None
        return working_days_between(today, self.acknowledge_by, self.office.holiday_region)

    def clock_days(self, today: date) -> int:
        """Working days on the service clock: since opening, less the days spent waiting."""
        region = self.office.holiday_region
        opened = timezone.localtime(self.opened_at).date()
        end = timezone.localtime(self.closed_at).date() if self.closed_at else today
        days = working_days_between(opened, end, region) - self.paused_days
        if self.waiting_since and self.status == Status.WAITING:
            days -= working_days_between(timezone.localtime(self.waiting_since).date(), end, region)
        return max(days, 0)

    def assign(self, user: object | None, now: datetime) -> None:
        self.assigned_to = user
        self.assigned_at = now if user else None

    def first_voice(self) -> Voice | None:
        """The message that opened the case."""
        return self.voices.order_by("received_at", "pk").first()

    def change_theme(self, theme: str) -> None:
        """File the case under `theme`. Its later messages filed under the old theme move
        with it; its first message, and any message the lens read afresh or a person
        corrected, keep theirs."""
        first = self.first_voice()
        self.voices.filter(
            theme=self.theme, theme_confidence__isnull=True, theme_corrections__isnull=True
        ).exclude(pk=first.pk if first else None).update(theme=theme)
        self.theme = theme
        self.save(update_fields=["theme"])

    def move_to(self, status: str, now: datetime) -> None:
        """Change state, keeping the service clock honest (waiting pauses it).

        Only "Acknowledged" says the person has heard from us (a call, say). Taking the case
        in hand, waiting on an agency, resolving or closing it does not, so a case the person
        has not heard about still shows it was never acknowledged."""
        if status == self.status:
            return
        if status not in OPEN_STATUSES and not self.outcome:
            raise ValueError("Record the outcome before resolving or closing the case.")
        if self.status == Status.WAITING and self.waiting_since:
            self.resume_clock(now)
        if status == Status.ACKNOWLEDGED and not self.acknowledged_at:
            self.acknowledged_at = now
        if status == Status.WAITING:
            self.waiting_since = now
        if status in (Status.RESOLVED, Status.CLOSED) and not self.resolved_at:
            self.resolved_at = now
        if status == Status.CLOSED:
            self.closed_at = now
        if status in OPEN_STATUSES:
            self.resolved_at = None
            self.closed_at = None
        self.status = status

    def resume_clock(self, now: datetime) -> None:
        """Leaving 'waiting': count the paused working days and push the reply date back."""
        region = self.office.holiday_region
        start = timezone.localtime(self.waiting_since).date()
        paused = working_days_between(start, timezone.localtime(now).date(), region)
        self.paused_days += paused
        if self.reply_by and not self.first_reply_at and paused > 0:
            self.reply_by = add_working_days(self.reply_by, paused, region)
        self.waiting_since = None

    def likely_agency(self) -> Agency | None:
        """The office's agency that usually answers for this case's theme, if it has one."""
        for kind in AGENCY_KINDS_FOR_THEME.get(self.theme, []):
            agency = Agency.objects.filter(office=self.office, kind=kind).first()
            if agency is not None:
                return agency
        return None

    def merge_values(self, writer: object | None = None) -> dict[str, str]:
        """The values a template's {{ fields }} are filled with for this case."""
        person = self.person
        values = {
            "reference": self.reference,
            "subject": self.subject,
            "heard": self.heard.strip().rstrip("."),  # templates add their own full stop
            "office_name": self.office.name,
            "leader_title": self.office.leader_title,
            "today": timezone.localdate().strftime("%-d %B %Y"),
            "caseworker": "",
        }
        if not self.heard:
            del values["heard"]  # left visible in the draft, for the writer to fill in
        if writer is not None:
            values["caseworker"] = writer.get_full_name() or writer.get_username()
        if person is not None:
            address = [person.address_line1, person.address_line2, person.town, person.postcode]
            values |= {
                "title": person.title,
                "first_name": person.first_name or person.title or "there",
                "last_name": person.last_name,
                "full_name": person.full_name,
                "address": ", ".join(part for part in address if part),
                "postcode": person.postcode,
                "email": person.email,
            }
        return values

    def close(self, outcome: str, help_given: str, now: datetime) -> None:
        self.outcome = outcome
        self.help_given = help_given
        self.move_to(Status.CLOSED, now)


class TemplateKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    REPLY = "reply", "Reply"
    CAMPAIGN = "campaign", "Campaign reply"
    REDIRECT = "redirect", "Outside our area"
    REFERRAL = "referral", "Referral letter"
    CHASER = "chaser", "Chaser"
    SATISFACTION = "satisfaction", "Satisfaction question"


MERGE_FIELD = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


GUIDANCE = re.compile(r"\[[^\]\n]{3,80}\]")


def unfinished_parts(text: str) -> list[str]:
    """Merge fields not filled in and [guidance in brackets] still in a letter."""
    return [m.group(0) for m in MERGE_FIELD.finditer(text)] + GUIDANCE.findall(text)


def merge(text: str, values: dict[str, str]) -> str:
    """Fill {{ field }} placeholders; an unknown field is left visible for the writer to fix."""
    return MERGE_FIELD.sub(lambda match: values.get(match.group(1), match.group(0)), text)


class ReplyTemplate(models.Model):
    """A reusable letter. Editing makes a new version; old versions stay for the record."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="reply_templates")
    kind = models.CharField(max_length=20, choices=TemplateKind.choices)
    name = models.CharField(max_length=200)
    theme = models.CharField(max_length=20, choices=Theme.choices, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="Merge fields: {{ first_name }}, {{ reference }}, ...")
    version = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "name", "-version"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Reply(models.Model):
    """Something the office sent: an acknowledgement, a reply, a bulk campaign reply, a letter."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="replies")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    campaign = models.ForeignKey(
        "voices.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    kind = models.CharField(max_length=20, choices=TemplateKind.choices, default=TemplateKind.REPLY)
    template = models.ForeignKey(
        ReplyTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    to_email = models.EmailField(blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    coach = models.JSONField(
        default=dict, blank=True, help_text="The reply coach's reading of the reply when sent."
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


# ---------------------------------------------------------------------------
# Casework around a case: settings, the exploration checklist, actions, obstacles,
# the agency directory, referrals, satisfaction and the search index.


class CaseworkPolicy(models.Model):
    """One office's casework settings: retention, caseload capacity, what counts as distressing."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="casework_policy")
    anonymise_after_years = models.PositiveSmallIntegerField(
        default=6, help_text="Anonymise cases this many years after they were closed."
    )
    capacity = models.PositiveSmallIntegerField(
        default=45, help_text="Open cases a full-time caseworker can carry."
    )
    distressing_load = models.FloatField(
        default=0.5, help_text="A case with at least this distress load counts as distressing."
    )
    chase_after_days = models.PositiveSmallIntegerField(
        default=15, help_text="Chase an agency that has not answered after this many working days."
    )
    chase_urgent_after_days = models.PositiveSmallIntegerField(
        default=2, help_text="The same for an urgent case: an eviction or a cut-off cannot wait."
    )
    ask_satisfaction = models.BooleanField(
        default=True, help_text="Ask the person one short question after their case is closed."
    )

    @classmethod
    def for_office(cls, office: Office) -> CaseworkPolicy:
        policy, _ = cls.objects.get_or_create(office=office)
        return policy

    def chase_after(self, case: Case) -> int:
        """Working days to wait for an agency's answer about this case."""
        if case.urgent:
            return min(self.chase_urgent_after_days, self.chase_after_days)
        return self.chase_after_days


class ChecklistQuestion(models.Model):
    """A question worth asking before choosing a template, for one theme."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="checklist_questions")
    theme = models.CharField(max_length=20, choices=Theme.choices, db_index=True)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class AgencyKind(models.TextChoices):
    COUNCIL_HOUSING = "council_housing", "Council housing"
    COUNCIL = "council", "Council (other services)"
    DWP = "dwp", "DWP"
    HMRC = "hmrc", "HMRC"
    HOME_OFFICE = "home_office", "Home Office"
    NHS = "nhs", "NHS trust"
    SCHOOL = "school", "School or education authority"
    POLICE = "police", "Police"
    HOUSING_ASSOCIATION = "housing_association", "Housing association"
    CHARITY = "charity", "Advice or charity"
    OTHER = "other", "Other"


# The kinds of agency that usually answer for a theme, likeliest first.
AGENCY_KINDS_FOR_THEME = {
    Theme.HOUSING: [AgencyKind.COUNCIL_HOUSING, AgencyKind.HOUSING_ASSOCIATION],
    Theme.BENEFITS: [AgencyKind.DWP],
    Theme.HEALTH: [AgencyKind.NHS],
    Theme.IMMIGRATION: [AgencyKind.HOME_OFFICE],
    Theme.EDUCATION: [AgencyKind.SCHOOL],
    Theme.TRANSPORT: [AgencyKind.COUNCIL],
    Theme.CRIME: [AgencyKind.POLICE],
    Theme.ENVIRONMENT: [AgencyKind.COUNCIL],
    Theme.LOCAL_SERVICES: [AgencyKind.COUNCIL],
    Theme.TAX_MONEY: [AgencyKind.HMRC, AgencyKind.CHARITY],
}


class Agency(models.Model):
    """An organisation the office writes to for people, with its MP hotline and address."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="agencies")
    kind = models.CharField(max_length=30, choices=AgencyKind.choices)
    name = models.CharField(max_length=200)
    team = models.CharField(max_length=200, blank=True, help_text="e.g. MP enquiries team")
    hotline = models.CharField(max_length=60, blank=True, help_text="The MP or councillor hotline")
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class ActionQuerySet(models.QuerySet["Action"]):
    def due_by(self, day: date) -> ActionQuerySet:
        """Actions not done and due by `day`, on open cases only: once a case is resolved or
        closed its unfinished actions are due from nobody, until it is reopened."""
        return self.filter(done_at__isnull=True, due_on__lte=day, case__status__in=OPEN_STATUSES)


class Action(models.Model):
    """Something someone in the office will do on a case, by a date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    is_follow_up = models.BooleanField(
        default=False, help_text="A reminder to get back in touch with the person."
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_on < today


class ObstacleKind(models.TextChoices):
    NO_ANSWER = "no_answer", "An agency does not answer"
    SLOW = "slow", "An agency is too slow"
    POLICY = "policy", "A policy that fails people"
    WRONG_DECISION = "wrong_decision", "A wrong decision not put right"
    NO_SERVICE = "no_service", "No service exists for this need"
    OTHER = "other", "Something else"


class Obstacle(models.Model):
    """What blocked a case from being resolved; counted across cases for the systemic asks."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="obstacles")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="obstacles")
    kind = models.CharField(max_length=20, choices=ObstacleKind.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="obstacles"
    )
    description = models.CharField(max_length=300)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return self.description


class ReferralQuerySet(models.QuerySet["Referral"]):
    def to_chase_by(self, day: date) -> ReferralQuerySet:
        """First letters unanswered and not yet chased by `day`, about open cases only: a
        resolved or closed case's letters are chased by nobody, until it is reopened."""
        return self.filter(
            answered_at__isnull=True,
            chases__isnull=True,
            chasers__isnull=True,
            chase_on__lte=day,
            case__status__in=OPEN_STATUSES,
        )


class Referral(models.Model):
    """A letter to an agency on a person's behalf, or a chaser of an earlier one."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="referrals")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(Agency, on_delete=models.RESTRICT, related_name="referrals")
    template = models.ForeignKey(
        ReplyTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    chases = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="chasers"
    )
    subject = models.CharField(max_length=300)
    body = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chase_on = models.DateField(help_text="Chase the agency if no answer has come by then.")
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.agency})"

    def needs_chasing(self, today: date) -> bool:
        """A first letter is chased once; a chaser is not chased again (as `to_chase_by`)."""
        return (
            self.case.is_open
            and self.chases_id is None
            and self.answered_at is None
            and self.chase_on <= today
            and not self.chasers.exists()
        )


class SatisfactionAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class SatisfactionRequest(models.Model):
    """One short question to the person after closure: did we help? Answered by a private link."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="satisfaction")
    token = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=10, choices=SatisfactionAnswer.choices, blank=True)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)


class CaseText(models.Model):
    """The searchable words of a case and its messages (full-text indexed by the database)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="+")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()


class ThemeCorrection(models.Model):
    """A person changed the theme the lens gave a message; the office's theme model learns
    from it (`compassion.cases.theme_learning`).

    It keeps no copy of the message: erasing the message erases its corrections too.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    voice = models.ForeignKey(
        "voices.Voice", on_delete=models.CASCADE, related_name="theme_corrections"
    )
    lens_theme = models.CharField(max_length=20, choices=Theme.choices, blank=True)
    staff_theme = models.CharField(max_length=20, choices=Theme.choices)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["office", "corrected_at"], name="theme_correction_office")]

    def __str__(self) -> str:
        return f"{self.lens_theme or 'no theme'} → {self.staff_theme}"
