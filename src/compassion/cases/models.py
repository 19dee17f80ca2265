"""Cases: a person's problem, followed from first contact to an outcome."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from compassion.core.models import Office, Person
from compassion.core.themes import Theme
from compassion.core.workdays import working_days_between


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

    def acknowledgement_overdue(self, today: date) -> CaseQuerySet:
        return self.filter(status=Status.NEW, acknowledge_by__lt=today)


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

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["office", "reference"], name="unique_case_reference")
        ]
        indexes = [
            models.Index(fields=["office", "status", "-opened_at"]),
            models.Index(fields=["office", "urgent", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def acknowledgement_days_left(self, today: date) -> int | None:
        """Working days left to acknowledge (negative when overdue); None once acknowledged."""
        if self.acknowledged_at or not self.acknowledge_by:
            return None
        return working_days_between(today, self.acknowledge_by, self.office.holiday_region)


class TemplateKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    REPLY = "reply", "Reply"
    CAMPAIGN = "campaign", "Campaign reply"
    REDIRECT = "redirect", "Outside our area"
    REFERRAL = "referral", "Referral letter"
    CHASER = "chaser", "Chaser"
    SATISFACTION = "satisfaction", "Satisfaction question"


MERGE_FIELD = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


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
