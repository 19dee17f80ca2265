"""What insights keeps of its own: area deprivation deciles and the actions opened from a gap."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import timezone

from compassion.core.models import Office
from compassion.core.themes import Theme

POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


class AreaKind(models.TextChoices):
    WARD = "ward", "Ward"
    DISTRICT = "district", "Postcode district"


class AreaDeprivation(models.Model):
    """An area of the office with its deprivation decile (1 = the most deprived tenth)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="area_deciles")
    kind = models.CharField(max_length=10, choices=AreaKind.choices)
    area = models.CharField(max_length=100)
    decile = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=200, blank=True, help_text="e.g. IMD 2019, file name")
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decile", "area"]
        constraints = [
            models.UniqueConstraint(fields=["office", "kind", "area"], name="one_decile_per_area"),
            models.CheckConstraint(
                condition=models.Q(decile__gte=1, decile__lte=10), name="decile_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: decile {self.decile}"

    @staticmethod
    def kind_of(area: str) -> str:
        """A postcode district (NB1, SW1A) or otherwise a ward name."""
        return AreaKind.DISTRICT if POSTCODE_DISTRICT.match(area.upper()) else AreaKind.WARD


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Action(models.Model):
    """Something the leader decided to do about a gap the audit or a briefing showed."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="insight_actions")
    title = models.CharField(max_length=200)
    evidence = models.TextField(blank=True, help_text="The figures that led to this action.")
    theme = models.CharField(max_length=20, choices=Theme.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="insight_actions",
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        today = timezone.localdate()
        return self.status == ActionStatus.OPEN and self.due is not None and self.due < today
