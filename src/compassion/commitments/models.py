"""Commitments: promises the leader made, planned, tracked to delivery and shown in public.

The original wording of a promise is never overwritten (rewordings are kept beside it), the
history of stocktake judgements is kept, and every change of public status carries evidence
and an editor's note, reviewed by a second person when the commitment asks for it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from compassion.core.models import Office, Person
from compassion.core.themes import Theme


class Source(models.TextChoices):
    MANIFESTO = "manifesto", "Manifesto"
    SPEECH = "speech", "Speech or public meeting"
    LETTER = "letter", "Letter to a constituent"
    MEDIA = "media", "Interview or article"
    PARLIAMENT = "parliament", "In Parliament or the council chamber"
    STAFF = "staff", "Pulse action for staff"
    OTHER = "other", "Somewhere else"


class Likelihood(models.TextChoices):
    """A delivery unit's honest judgement of how likely the commitment is to be delivered."""

    GREEN = "green", "Green: on track"
    AMBER_GREEN = "amber_green", "Amber-green: problems, but manageable"
    AMBER_RED = "amber_red", "Amber-red: serious problems"
    RED = "red", "Red: delivery unlikely without major change"


class PublicStatus(models.TextChoices):
    NOT_RATED = "not_rated", "Not yet rated"
    IN_THE_WORKS = "in_the_works", "In the works"
    STALLED = "stalled", "Stalled"
    OVERDUE = "overdue", "Overdue"
    KEPT = "kept", "Kept"
    COMPROMISE = "compromise", "Compromise"
    BROKEN = "broken", "Broken"


# Statuses that a person sets; OVERDUE is only ever worked out from the deadline.
SETTABLE_STATUSES = [s for s in PublicStatus if s != PublicStatus.OVERDUE]
OPEN_STATUSES = [PublicStatus.NOT_RATED, PublicStatus.IN_THE_WORKS, PublicStatus.STALLED]
CLOSED_STATUSES = [PublicStatus.KEPT, PublicStatus.COMPROMISE, PublicStatus.BROKEN]
# Closing as compromise or broken must say why, in the leader's words.
NEEDS_EXPLANATION = [PublicStatus.COMPROMISE, PublicStatus.BROKEN]


class Beneficiaries(models.TextChoices):
    EVERYONE = "", "Everyone in the area"
    LOW_INCOME = "low_income", "People on low incomes"
    DISABLED = "disabled", "Disabled people"
    SEND = "send", "Children with special educational needs"
    OLDER = "older", "Older people"
    YOUNG = "young", "Children and young people"
    CARERS = "carers", "Unpaid carers"
    HOMELESS = "homeless", "People who are homeless or at risk"
    TENANTS = "tenants", "Social and private tenants"
    MIGRANTS = "migrants", "Refugees and migrants"
    ISOLATED = "isolated", "People who are lonely or isolated"


def people_behind(office: Office, campaigns: object, cases: object) -> QuerySet[Person]:
    """Distinct people who wrote in the campaigns or whose cases asked for a commitment."""
    return (
        Person.objects.filter(office=office, erased_at__isnull=True)
        .filter(Q(voices__campaign__in=campaigns) | Q(cases__in=cases))
        .distinct()
    )


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def for_office(self, office: Office) -> CommitmentQuerySet:
        return self.filter(office=office)

    def public(self) -> CommitmentQuerySet:
        return self.filter(is_public=True)

    def overdue(self, today: date) -> CommitmentQuerySet:
        return self.filter(status__in=OPEN_STATUSES, deadline__lt=today)

    def stocktake_due(self, today: date) -> CommitmentQuerySet:
        return self.filter(status__in=OPEN_STATUSES, next_stocktake_on__lte=today)

    def recount_people_asked(self) -> int:
        """Recount the people behind each commitment (campaigns grow); returns how many changed."""
        changed = 0
        for commitment in self:
            count = commitment.count_people_asked()
            if count != commitment.people_asked:
                commitment.people_asked = count
                commitment.save(update_fields=["people_asked"])
                changed += 1
        return changed


class Commitment(models.Model):
    """A promise in plain words, where and when it was made, who owns it and by when."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="commitments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text="The bigger promise this is part of, if any.",
    )
    title = models.CharField(
        max_length=200, help_text="A short name, e.g. “Save Eastfield Library”."
    )
    wording = models.TextField(
        help_text="The promise exactly as it was made. It is never changed afterwards."
    )
    topic = models.CharField(max_length=20, choices=Theme.choices, default=Theme.OTHER)
    source = models.CharField(
        "Where it was made", max_length=20, choices=Source.choices, default=Source.SPEECH
    )
    source_detail = models.CharField(
        "Occasion",
        max_length=300,
        blank=True,
        help_text="e.g. “Hustings at Eastfield Community Centre”. Shown in public.",
    )
    made_on = models.DateField("Made on", default=timezone.localdate)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_commitments",
        help_text="The member of staff who answers for delivery and records the stocktakes.",
    )
    deadline = models.DateField(null=True, blank=True)
    success_measure = models.TextField(
        "How success will be measured", blank=True, help_text="Shown in public."
    )
    metric_label = models.CharField(
        "What is counted",
        max_length=100,
        blank=True,
        help_text="For a trajectory, e.g. “homes repaired”. Leave empty if it is not a number.",
    )
    metric_baseline = models.FloatField("Starting value", default=0)
    metric_target = models.FloatField("Target value", null=True, blank=True)
    beneficiaries = models.CharField(
        "Who it is meant to help", max_length=20, choices=Beneficiaries.choices, blank=True
    )
    campaigns = models.ManyToManyField("voices.Campaign", blank=True, related_name="commitments")
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="commitments")
    people_asked = models.PositiveIntegerField(
        default=0, help_text="People behind the linked campaigns and cases (counted on change)."
    )
    status = models.CharField(
        max_length=20, choices=PublicStatus.choices, default=PublicStatus.NOT_RATED
    )
    explanation = models.TextField(
        "The leader's explanation",
        blank=True,
        help_text="Why a promise was broken or only partly kept. Shown in public.",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    review_status_changes = models.BooleanField(
        "A second person reviews status changes", default=True
    )
    stocktake_every_days = models.PositiveSmallIntegerField("Stocktake every (days)", default=90)
    next_stocktake_on = models.DateField(null=True, blank=True)
    stocktake_reminded_on = models.DateField(null=True, blank=True)
    is_public = models.BooleanField("Show on the public tracker", default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "title"]
        indexes = [models.Index(fields=["office", "status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def meter_status(self, today: date | None = None) -> str:
        """The status shown on the meter: overdue once an open promise passes its deadline."""
        today = today or timezone.localdate()
        if self.status in OPEN_STATUSES and self.deadline and self.deadline < today:
            return PublicStatus.OVERDUE
        return self.status

    def meter_label(self, today: date | None = None) -> str:
        return PublicStatus(self.meter_status(today)).label

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_trajectory(self) -> bool:
        return bool(self.metric_label) and self.metric_target is not None

    def current_wording(self) -> str:
        rewordings = list(self.rewordings.all())
        return rewordings[-1].wording if rewordings else self.wording

    def latest_actual(self) -> float | None:
        actuals = [p.actual for p in self.points.all() if p.actual is not None]
        return actuals[-1] if actuals else None

    def own_progress(self) -> float | None:
        """How far along, 0 to 1, from the trajectory or else the milestones; None if unknown."""
        if self.status == PublicStatus.KEPT:
            return 1.0
        if self.has_trajectory:
            actual = self.latest_actual()
            span = (self.metric_target or 0) - self.metric_baseline
            if actual is not None and span:
                return min(1.0, max(0.0, (actual - self.metric_baseline) / span))
        milestones = list(self.milestones.all())
        if milestones:
            return sum(1 for m in milestones if m.done_on) / len(milestones)
        return None

    def progress(self) -> float | None:
        """Own progress, or for a promise made of parts, the average of its parts' progress."""
        parts = [p.progress() for p in self.parts.all()]
        known = [p for p in parts if p is not None]
        if known:
            return sum(known) / len(known)
        return self.own_progress()

    def progress_percent(self) -> int | None:
        value = self.progress()
        return None if value is None else round(value * 100)

    def latest_stocktake(self) -> Stocktake | None:
        stocktakes = list(self.stocktakes.all())
        return stocktakes[0] if stocktakes else None

    def pending_change(self) -> StatusChange | None:
        return self.status_changes.filter(decided_at__isnull=True).first()

    def people_behind(self) -> QuerySet[Person]:
        return people_behind(self.office, self.campaigns.all(), self.cases.all())

    def count_people_asked(self) -> int:
        return self.people_behind().count()

    def refresh_people_asked(self) -> None:
        self.people_asked = self.count_people_asked()
        self.save(update_fields=["people_asked"])

    def schedule_next_stocktake(self, after: date) -> None:
        self.next_stocktake_on = after + timedelta(days=self.stocktake_every_days)
        self.stocktake_reminded_on = None


class Rewording(models.Model):
    """A later wording of a promise, shown beside the original, never instead of it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="rewordings")
    wording = models.TextField()
    reason = models.TextField(help_text="Why the wording changed. Shown in public.")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at"]


class Milestone(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today: date | None = None) -> bool:
        """Past its date and not done, while the promise is still being worked on: once it
        is kept, compromised or broken, an unfinished milestone is not done, not late."""
        return (
            self.commitment.is_open
            and not self.done_on
            and self.due_on < (today or timezone.localdate())
        )


class TrajectoryPoint(models.Model):
    """One date on the trajectory: the planned value, the actual value, or both."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="points")
    on = models.DateField()
    planned = models.FloatField(null=True, blank=True)
    actual = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "on"], name="one_trajectory_point_a_day")
        ]


class Stocktake(models.Model):
    """The owner's regular account of progress and judgement. Kept, never overwritten."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="stocktakes")
    held_on = models.DateField(default=timezone.localdate)
    progress = models.TextField("Progress since the last stocktake")
    likelihood = models.CharField(
        "Likelihood of delivery", max_length=20, choices=Likelihood.choices
    )
    reason = models.TextField("Why this judgement")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-recorded_at"]

    @property
    def likelihood_name(self) -> str:
        """The short name of the judgement, e.g. “Amber-red”."""
        return self.get_likelihood_display().split(":")[0]


class StatusChange(models.Model):
    """A change of public status with its evidence and editor's note.

    Applied at once, or, when the commitment asks for it, once a second person approves.
    """

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=PublicStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PublicStatus.choices)
    evidence_url = models.URLField("Evidence link", max_length=500, blank=True)
    editor_note = models.TextField("Editor's note", help_text="What changed and why. Public.")
    explanation = models.TextField(blank=True)
    proposed_at = models.DateTimeField(default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved = models.BooleanField(default=False)
    review_note = models.TextField(
        "Why it was not approved", blank=True, help_text="For the proposer; never public."
    )

    class Meta:
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["approved", "-decided_at"])]

    @property
    def is_pending(self) -> bool:
        return self.decided_at is None

    def approve(self, by: object) -> None:
        """Apply the change to the commitment (caller holds a transaction)."""
        now = timezone.now()
        self.decided_at, self.decided_by, self.approved = now, by, True
        self.save()
        commitment = self.commitment
        commitment.status = self.to_status
        commitment.status_changed_at = now
        if self.explanation:
            commitment.explanation = self.explanation
        commitment.save(update_fields=["status", "status_changed_at", "explanation"])

    def reject(self, by: object, reason: str) -> None:
        self.decided_at, self.decided_by, self.approved = timezone.now(), by, False
        self.review_note = reason
        self.save()

    def withdraw(self) -> None:
        """Its proposer takes it back: decided, not approved, by the proposer (a reviewer is
        never the proposer, so this is how a withdrawn change is told from a rejected one)."""
        self.decided_at, self.decided_by, self.approved = timezone.now(), self.proposed_by, False
        self.save()

    @property
    def is_withdrawn(self) -> bool:
        return (
            not self.approved
            and self.decided_at is not None
            and (self.decided_by_id == self.proposed_by_id)
        )


class Notice(models.Model):
    """A “You said, we did” message sent to the people behind a commitment."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="notices")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
