"""The team: pulse cycles and their anonymous answers, check-ins, obstacles, learning log.

Anonymity is built into the tables. An `Invitation` knows who was asked and whether they have
answered, nothing more. A `Response` has a random id, no timestamp and no link to a person or
an invitation; free text is a separate `Comment`, unlinked even to the answers it came with.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from compassion.core.models import Office, Role
from compassion.pulse import anonymity


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PulseSettings(models.Model):
    """An office's choices for its pulse: k, and a trusted reviewer (e.g. an HR partner)."""

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="pulse_settings")
    min_respondents = models.PositiveSmallIntegerField(
        default=5,
        help_text="No result is shown for fewer respondents than this (never below 3).",
    )
    reviewer_name = models.CharField(max_length=200, blank=True)
    reviewer_email = models.EmailField(blank=True)
    reviewer_token_hash = models.CharField(max_length=64, blank=True, db_index=True)

    @classmethod
    def for_office(cls, office: Office) -> PulseSettings:
        found, _ = cls.objects.get_or_create(
            office=office, defaults={"min_respondents": settings.PULSE_MIN_RESPONDENTS}
        )
        return found

    @property
    def k(self) -> int:
        return anonymity.threshold(max(self.min_respondents, settings.PULSE_MIN_RESPONDENTS))

    def new_reviewer_token(self) -> str:
        """A fresh secret link for the reviewer; any earlier link stops working."""
        token = secrets.token_urlsafe(32)
        self.reviewer_token_hash = hash_token(token)
        self.save(update_fields=["reviewer_token_hash"])
        return token

    def forget_reviewer_link(self) -> None:
        """With no reviewer named, no reviewer link works."""
        self.reviewer_token_hash = ""
        self.save(update_fields=["reviewer_token_hash"])


class CycleQuerySet(models.QuerySet["Cycle"]):
    def for_office(self, office: Office) -> CycleQuerySet:
        return self.filter(office=office)


class Cycle(models.Model):
    """One pulse: staff are invited when it opens and can answer until it closes."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="pulse_cycles")
    opens_on = models.DateField()
    closes_on = models.DateField()
    closed_early_on = models.DateField(null=True, blank=True)
    invitations_sent_on = models.DateField(null=True, blank=True)
    last_reminder_on = models.DateField(null=True, blank=True)
    # Set once the cycle's results are first shown, as part of this numbered pooled block.
    block = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Once closed, the answers are rewritten in random order (see results.reshuffle).
    reshuffled = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["opens_on", "pk"]
        indexes = [models.Index(fields=["office", "opens_on"])]

    def __str__(self) -> str:
        return f"Pulse of {self.opens_on:%B %Y}"

    @property
    def label(self) -> str:
        return f"{self.opens_on:%B %Y}"

    @property
    def short_label(self) -> str:
        return f"{self.opens_on:%b %Y}"

    def is_closed(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.closed_early_on is not None or today > self.closes_on

    def is_open(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today and not self.is_closed(today)

    def status_label(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.is_closed(today):
            return "Closed"
        return "Open" if self.opens_on <= today else "Scheduled"

    @property
    def invited_count(self) -> int:
        return self.invitations.count()

    @property
    def answered_count(self) -> int:
        return self.invitations.filter(answered=True).count()


class Invitation(models.Model):
    """A member of staff asked to answer a cycle, with a single-use link.

    Only a hash of the link's token is kept. `answered` says the link has been used; nothing
    records which answers it produced, nor when.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulse_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "user"], name="one_invitation_per_person")
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.cycle}"


class Group(models.TextChoices):
    """The only breakdown kept with answers, coarse on purpose."""

    CASEWORK = "casework", "Casework"
    OFFICE = "office", "Office and management"


def group_for_role(role: str) -> str:
    return Group.CASEWORK if role == Role.CASEWORKER else Group.OFFICE


class Response(models.Model):
    """One person's answers to one cycle: random id, no timestamp, no link to anyone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField(max_length=20, choices=Group.choices)
    answers = models.JSONField(default=dict)


class Comment(models.Model):
    """An answer to the free-text question, kept apart from the answers it came with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField()


class SelfView(models.Model):
    """The leader's own rating of the four behaviours for a cycle (not anonymous, not pooled)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="self_views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="one_self_view")]


class ObstacleStatus(models.TextChoices):
    RAISED = "raised", "Raised"
    COMMITTED = "committed", "Action committed"
    DONE = "done", "Done"
    NOT_NOW = "not_now", "Not now (reason given)"


class ObstacleQuerySet(models.QuerySet["Obstacle"]):
    def for_office(self, office: Office) -> ObstacleQuerySet:
        return self.filter(office=office)

    def open(self) -> ObstacleQuerySet:
        return self.filter(status__in=[ObstacleStatus.RAISED, ObstacleStatus.COMMITTED])


class Obstacle(models.Model):
    """Something in the way, raised by staff (or prompted by a pulse result) and acted on.

    An anonymous obstacle keeps no author, and only the day it was raised. Its address is a
    random `ref`, and obstacles of one day are listed in `ref` order, so neither tells whether
    it was raised before or after a named one.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="team_obstacles")
    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_on = models.DateField(default=timezone.localdate)
    from_cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="obstacles"
    )
    from_scale = models.CharField(max_length=40, blank=True)
    from_result = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=ObstacleStatus.choices, default=ObstacleStatus.RAISED
    )
    response = models.TextField(blank=True, help_text="The leader's or manager's reply.")
    action = models.CharField(max_length=300, blank=True)
    action_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_due = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    we_did = models.TextField(blank=True, help_text="What changed, in plain words.")

    objects = ObstacleQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "ref"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_anonymous(self) -> bool:
        return self.raised_by_id is None and not self.from_cycle_id

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == ObstacleStatus.COMMITTED
            and self.action_due is not None
            and self.action_due < today
        )


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def visible_to(self, office: Office, user: object) -> CheckInQuerySet:
        """Only the two people in the conversation ever see it."""
        return self.filter(office=office).filter(Q(leader=user) | Q(staff=user))


class CheckIn(models.Model):
    """A one-to-one, organised by the four behaviours. Private to the two people."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="check_ins")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins_led"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins_had"
    )
    held_on = models.DateField(default=timezone.localdate)
    attending = models.TextField(
        "Challenges and successes I heard (Attending)", blank=True, max_length=5000
    )
    understanding = models.TextField(
        "What we explored (Understanding)", blank=True, max_length=5000
    )
    empathizing = models.TextField(
        "How they are feeling (Empathizing)", blank=True, max_length=5000
    )

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Check-in on {self.held_on:%-d %B %Y}"


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def open(self) -> CommitmentQuerySet:
        return self.filter(done_on__isnull=True)


class Commitment(models.Model):
    """Help committed in a check-in (Helping), by when; stays on the list until done."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="commitments")
    text = models.CharField(max_length=300)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    last_reminder_on = models.DateField(null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text

    def is_overdue(self, today: date | None = None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class EntryKind(models.TextChoices):
    MISTAKE = "mistake", "Mistake"
    NEAR_MISS = "near_miss", "Near miss"
    SUCCESS = "success", "Success to recognise"


class Visibility(models.TextChoices):
    TEAM = "team", "The team (staff, not volunteers)"
    OFFICE = "office", "Everyone in the office"


class LearningQuerySet(models.QuerySet["LearningEntry"]):
    def visible_to(self, office: Office, role: str) -> LearningQuerySet:
        entries = self.filter(office=office)
        if role == Role.VOLUNTEER:
            entries = entries.filter(visibility=Visibility.OFFICE)
        return entries


class LearningEntry(models.Model):
    """A blameless review of a mistake or near miss, or recognition of a success."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="learning_entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    title = models.CharField(max_length=200)
    what_happened = models.TextField(max_length=5000)
    what_we_learned = models.TextField(blank=True, max_length=5000)
    what_we_change = models.TextField(blank=True, max_length=5000)
    change_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    leaders_own = models.BooleanField(
        default=False, help_text="The leader's own mistake, logged like anyone else's."
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.TEAM
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    happened_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    objects = LearningQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name_plural = "learning entries"

    def __str__(self) -> str:
        return self.title
