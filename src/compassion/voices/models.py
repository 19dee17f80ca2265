"""Voices: every incoming message, whatever its channel, and the campaigns they form."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from compassion.core.models import Office, Person
from compassion.core.themes import Theme


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    WEB_FORM = "web_form", "Web form"
    PHONE = "phone", "Phone call"
    SURGERY = "surgery", "Surgery visit"
    SURVEY = "survey", "Survey"


class Emotion(models.TextChoices):
    DISTRESS = "distress", "Distress"
    ANGER = "anger", "Anger"
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"


class Campaign(models.Model):
    """Near-identical template messages sent by many people about one thing."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(max_length=200)
    template_text = models.TextField(blank=True)
    theme = models.CharField(max_length=20, choices=Theme.choices, default=Theme.OTHER)
    first_seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class VoiceQuerySet(models.QuerySet["Voice"]):
    def for_office(self, office: Office) -> VoiceQuerySet:
        return self.filter(office=office)

    def unread(self) -> VoiceQuerySet:
        return self.filter(read_at__isnull=True)


class Voice(models.Model):
    """One message from a citizen: an email, letter, form, phone note or surgery visit."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="voices")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="voices"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="voices"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    sender_name = models.CharField(max_length=200, blank=True)
    sender_email = models.EmailField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True, help_text="Plain text of the message.")
    body_html = models.TextField(blank=True, help_text="Sanitised HTML, safe to display.")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)

    # What the lens read in the message (compassion.lens).
    emotion = models.CharField(max_length=10, choices=Emotion.choices, blank=True)
    emotion_scores = models.JSONField(default=dict, blank=True)
    request_for_help = models.BooleanField(default=False)
    risk_to_life = models.BooleanField(default=False)
    flags = models.JSONField(default=list, blank=True, help_text="Urgent-risk kinds with evidence.")
    theme = models.CharField(max_length=20, choices=Theme.choices, blank=True, db_index=True)
    theme_confidence = models.FloatField(null=True, blank=True)
    distress_load = models.FloatField(default=0.0)
    analysed_at = models.DateTimeField(null=True, blank=True)

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="voices"
    )
    personal_lines = models.TextField(blank=True, help_text="What the sender added to a template.")
    out_of_area = models.BooleanField(default=False)

    objects = VoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["office", "-received_at"]),
            models.Index(fields=["office", "read_at"]),
        ]

    def __str__(self) -> str:
        return self.subject or f"{self.get_channel_display()} from {self.sender_name or 'unknown'}"

    @property
    def is_urgent(self) -> bool:
        return self.risk_to_life or bool(self.flags)
