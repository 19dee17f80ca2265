"""Voices: every incoming message, whatever its channel, and the campaigns they form."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone

from compassion.cases.models import no_sensitive_person, not_sensitive
from compassion.core.models import Membership, Office, Person
from compassion.core.themes import SENSITIVE_THEMES, Theme
from compassion.lens.analyse import CONFIDENT_RISK_SCORE
from compassion.lens.rules import LIFE_RISK_KINDS
from compassion.voices.quoting import split_earlier_messages


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

    def visible_to(self, membership: Membership) -> VoiceQuerySet:
        """Every message, or for a role that does not see sensitive casework, only those
        whose person and case are not sensitive (see `not_sensitive`), with no
        safeguarding flag and no theme that reveals special-category data."""
        if membership.sees_sensitive_casework:
            return self
        safeguarding_flag = models.Q()
        for kind in LIFE_RISK_KINDS:
            safeguarding_flag |= models.Q(flags__icontains=f'"{kind}"')
        return (
            self.filter(no_sensitive_person())
            .filter(models.Q(case__isnull=True) | not_sensitive("case__"))
            .exclude(safeguarding_flag)
            .exclude(theme__in=SENSITIVE_THEMES)
        )

    def possible_risk(self) -> VoiceQuerySet:
        """Messages the lens reads, from the words as a whole, as a confident risk to life
        or health, with no set phrase that already made them urgent."""
        return self.filter(risk_score__gte=CONFIDENT_RISK_SCORE, urgent=False)


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
    source = models.CharField(
        max_length=200, blank=True, help_text="Where it came from: a file, a mailbox, the form."
    )
    postcode = models.CharField(max_length=10, blank=True, help_text="As given in the message.")
    notes = models.TextField(
        blank=True, help_text="What intake noticed: a skipped attachment, a neutralised formula."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Person matching: an uncertain match waits for a person to confirm it.
    suggested_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    match_score = models.FloatField(null=True, blank=True)

    # What the lens read in the message (compassion.lens).
    emotion = models.CharField(max_length=10, choices=Emotion.choices, blank=True)
    emotion_scores = models.JSONField(default=dict, blank=True)
    emotion_words = models.CharField(
        max_length=200,
        blank=True,
        help_text="The words in which the writer names their feeling, if any.",
    )
    request_for_help = models.BooleanField(default=False)
    request_words = models.CharField(
        max_length=200,
        blank=True,
        help_text="The words in which the writer asks for help, if any.",
    )
    risk_to_life = models.BooleanField(default=False)
    risk_score = models.FloatField(
        null=True, blank=True, help_text="The lens's learned risk-to-life score, 0 to 1."
    )
    flags = models.JSONField(default=list, blank=True, help_text="Urgent-risk kinds with evidence.")
    theme = models.CharField(max_length=20, choices=Theme.choices, blank=True, db_index=True)
    theme_confidence = models.FloatField(null=True, blank=True)
    distress_load = models.FloatField(default=0.0)
    urgent = models.BooleanField(default=False, db_index=True)
    analysed_at = models.DateTimeField(null=True, blank=True)

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="voices"
    )
    personal_lines = models.TextField(blank=True, help_text="What the sender added to a template.")
    out_of_area = models.BooleanField(default=False)

    objects = VoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            # One message is stored once per office, even when two mail checks race.
            models.UniqueConstraint(
                fields=["office", "message_id"],
                condition=~models.Q(message_id=""),
                name="voice_unique_message_id",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "-received_at"]),
            models.Index(fields=["office", "read_at"]),
            # The insights dashboard counts a year of messages by channel, emotion and
            # distress from this index alone, never reading the messages themselves.
            models.Index(
                fields=[
                    "office",
                    "received_at",
                    "channel",
                    "emotion",
                    "distress_load",
                    "analysed_at",
                    "case",
                ],
                name="voice_insights",
            ),
            # A case's messages in order, with their channel and distress: the first channel
            # of each case (equity audit), whether the person wrote again and the distress
            # a caseworker carries, read off the index.
            models.Index(
                fields=["case", "received_at", "channel", "distress_load"],
                name="voice_case_order",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or f"{self.get_channel_display()} from {self.sender_name or 'unknown'}"

    @cached_property
    def parts(self) -> tuple[str, str]:
        """The new words of the message, and the earlier messages an email reply quotes
        under them ("" if none): the lens reads the new words."""
        if self.channel != Channel.EMAIL:
            return self.body, ""
        return split_earlier_messages(self.subject, self.body)

    @property
    def is_urgent(self) -> bool:
        """Urgent when a rule found the words that show it. The learned risk to life alone is
        recall-first and shown beside the reading, not as urgent."""
        return self.urgent or bool(self.flags)

    @property
    def risk_is_confident(self) -> bool:
        """The learned risk to life is recall-first: most letters it marks are not at risk.
        At this score or above it is a confident reading (a message read before scores
        were kept counts as confident)."""
        return self.risk_score is None or self.risk_score >= CONFIDENT_RISK_SCORE

    @property
    def is_possible_risk(self) -> bool:
        """One of `Voice.objects.possible_risk()`: the inbox marks it and lists it."""
        confident = self.risk_score is not None and self.risk_score >= CONFIDENT_RISK_SCORE
        return confident and not self.urgent

    @property
    def needs_match_review(self) -> bool:
        return self.person_id is None and self.suggested_person_id is not None


def attachment_path(attachment: Attachment, filename: str) -> str:
    return f"attachments/{attachment.voice.office_id}/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """A file that came with a message: stored, never inlined; too big ones only recorded."""

    voice = models.ForeignKey(Voice, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(default=0)
    file = models.FileField(upload_to=attachment_path, max_length=300, blank=True)
    skipped_reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.filename

    @property
    def stored(self) -> bool:
        return bool(self.file)


def quarantine_path(item: QuarantinedMessage, filename: str) -> str:
    return f"quarantine/{item.office_id}/{timezone.now():%Y/%m}/{filename}"


class RawKind(models.TextChoices):
    EMAIL = "email", "Email (RFC 822)"
    OUTLOOK = "outlook", "Outlook .msg"


class QuarantinedMessage(models.Model):
    """A message that could not be read: kept byte for byte with the reason, to try again."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="quarantine")
    kind = models.CharField(max_length=10, choices=RawKind.choices, default=RawKind.EMAIL)
    source = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=500)
    raw = models.FileField(upload_to=quarantine_path, max_length=300)
    size = models.BigIntegerField(default=0)
    digest = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="SHA-256 of the bytes: kept once."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(default=1)
    released_at = models.DateTimeField(null=True, blank=True)
    voice = models.ForeignKey(
        Voice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class IntakeSettings(models.Model):
    """How an office takes in messages: automatic acknowledgements and its IMAP mailbox.

    The IMAP password is never stored in the database: `imap_password_env` names the
    environment variable that holds it, so a database backup or export does not carry it.
    """

    office = models.OneToOneField(Office, on_delete=models.CASCADE, related_name="intake")
    auto_acknowledge = models.BooleanField(
        default=True, help_text="Send the acknowledgement template as soon as an email arrives."
    )
    campaign_guard_days = models.PositiveSmallIntegerField(
        default=30, help_text="Never send the same campaign letter to a person twice within this."
    )
    imap_host = models.CharField(max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_ssl = models.BooleanField(default=True)
    imap_user = models.CharField(max_length=200, blank=True)
    imap_password_env = models.CharField(
        max_length=100, blank=True, help_text="Name of the environment variable with the password."
    )
    imap_mailbox = models.CharField(max_length=200, default="INBOX")
    imap_uid_validity = models.BigIntegerField(null=True, blank=True)
    imap_last_uid = models.BigIntegerField(default=0)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"Intake for {self.office}"

    @property
    def imap_configured(self) -> bool:
        return bool(self.imap_host and self.imap_user and self.imap_password_env)


class ContactAttempt(models.Model):
    """One post of the public contact form, kept briefly to limit its rate per address."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    client_key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
