"""Conversations where citizens vote on short statements, and the votes themselves.

Participants are anonymous: a random token kept in a signed cookie, optionally confirmed by
an email link (only a keyed hash of the address is stored). No IP address is stored.
The maths (groups, bridging statements) lives in `compassion.bridging`; see `analysis.py`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max, Min, Q
from django.utils import timezone

from compassion.core.models import Office

# Votes cast within this many hours count towards the per-session cap.
SESSION_HOURS = 12
STATEMENT_MAX_LENGTH = 280


class Moderation(models.TextChoices):
    BEFORE = "before", "Staff approve each new statement before anyone sees it"
    AFTER = "after", "New statements are shown at once; staff can remove them"


class WhoCanVote(models.TextChoices):
    ANYONE = "anyone", "Anyone with the link"
    EMAIL = "email", "People who confirm an email address"
    CONSTITUENTS = "constituents", "Constituents: a confirmed email and a postcode in the area"


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def for_office(self, office: Office) -> ConversationQuerySet:
        return self.filter(office=office)


class Conversation(models.Model):
    """One question put to the public, with its statements and votes."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="conversations")
    title = models.CharField(max_length=200, help_text="A short name staff will recognise.")
    question = models.TextField(help_text="The question participants are asked, in plain words.")
    description = models.TextField(
        blank=True, help_text="Optional background shown above the statements."
    )
    slug = models.SlugField(max_length=80, help_text="The last part of the public web address.")
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.BEFORE
    )
    participants_can_add = models.BooleanField(
        default=True, verbose_name="Participants can add statements"
    )
    who_can_vote = models.CharField(
        max_length=15, choices=WhoCanVote.choices, default=WhoCanVote.ANYONE
    )
    opens_at = models.DateTimeField(null=True, blank=True, help_text="Empty: open now.")
    closes_at = models.DateTimeField(null=True, blank=True, help_text="Empty: no end date.")
    session_cap = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        verbose_name="Statements per visit",
        help_text=f"Most statements one person is asked in {SESSION_HOURS} hours.",
    )
    report_published = models.BooleanField(
        default=False,
        verbose_name="Publish the report",
        help_text="Anyone with the link can read the results page.",
    )
    source = models.CharField(
        max_length=300, blank=True, help_text="Where imported data came from, with its licence."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(
        default=timezone.now, help_text="Last change to statements or settings (refreshes results)."
    )
    vote_version = models.PositiveBigIntegerField(
        default=0, help_text="Counts votes cast and changed, so results know when to refresh."
    )

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["office", "slug"], name="one_slug_per_office")
        ]

    def __str__(self) -> str:
        return self.title

    def status(self, now: datetime | None = None) -> str:
        """One of: not open yet, open, closed."""
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return "not open yet"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        return "open"

    def is_open(self) -> bool:
        return self.status() == "open"

    def touch(self) -> None:
        """Mark the conversation changed, so cached results are worked out again."""
        self.changed_at = timezone.now()
        Conversation.objects.filter(pk=self.pk).update(changed_at=self.changed_at)

    def accepted_statements(self) -> models.QuerySet[Statement]:
        return self.statements.filter(status=StatementStatus.ACCEPTED)

    def officer_priority(self) -> list[int]:
        """Numbers of the statements staff want shown first, in their order."""
        chosen = self.accepted_statements().filter(priority__isnull=False)
        return list(chosen.order_by("priority", "number").values_list("number", flat=True))

    def votes(self) -> models.QuerySet[Vote]:
        return Vote.objects.filter(statement__conversation=self)

    def requires_verification(self) -> bool:
        return self.who_can_vote != WhoCanVote.ANYONE

    def add_statement(self, text: str, **fields: object) -> Statement:
        """Add a statement with the next free number (retrying if two arrive at once)."""
        for _ in range(5):
            number = (self.statements.aggregate(top=Max("number"))["top"] or 0) + 1
            try:
                with transaction.atomic():
                    statement = Statement.objects.create(
                        conversation=self, number=number, text=text, **fields
                    )
            except IntegrityError:
                continue
            self.touch()
            return statement
        raise IntegrityError("Could not number the new statement; please try again.")

    def statement_like(self, text: str) -> Statement | None:
        """The statement, shown or waiting for moderation, that says the same as `text`."""
        wanted = normalise(text)
        statements = self.statements.exclude(status=StatementStatus.REJECTED).only("text", "status")
        return next((s for s in statements if normalise(s.text) == wanted), None)


def normalise(text: str) -> str:
    """Text compared for duplicates: case, spacing and end punctuation ignored."""
    return " ".join(text.lower().split()).rstrip(".!?")


class StatementStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    ACCEPTED = "accepted", "Shown to voters"
    REJECTED = "rejected", "Moderated out"


# Pol.is's moderation codes, which compassion.bridging reads.
POLIS_MODERATION = {
    StatementStatus.ACCEPTED: 1,
    StatementStatus.PENDING: 0,
    StatementStatus.REJECTED: -1,
}


class Participant(models.Model):
    """An anonymous voter in one conversation, known only by a random token."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    external_id = models.CharField(
        max_length=64, blank=True, help_text="The voter id in an imported Pol.is export."
    )
    email_hash = models.CharField(max_length=64, blank=True)
    postcode_district = models.CharField(max_length=8, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "email_hash"],
                condition=~Q(email_hash=""),
                name="one_participant_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Participant {self.pk}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def votes_this_session(self) -> int:
        return self.session_votes().count()

    def more_votes_from(self) -> datetime | None:
        """When the first vote of this session stops counting towards the cap."""
        first = self.session_votes().aggregate(first=Min("created_at"))["first"]
        return first + timedelta(hours=SESSION_HOURS) if first else None

    def session_votes(self) -> models.QuerySet[Vote]:
        return self.votes.filter(created_at__gte=timezone.now() - timedelta(hours=SESSION_HOURS))

    def cast(self, statement: Statement, value: int) -> Vote:
        """Record a vote; voting again on the same statement changes the vote."""
        now = timezone.now()
        for _ in range(2):
            try:
                with transaction.atomic():
                    vote, _ = Vote.objects.update_or_create(
                        participant=self,
                        statement=statement,
                        defaults={"value": value, "updated_at": now},
                        create_defaults={"value": value, "created_at": now, "updated_at": now},
                    )
                    Conversation.objects.filter(pk=self.conversation_id).update(
                        vote_version=F("vote_version") + 1
                    )
                return vote
            except IntegrityError:
                continue  # the same vote arrived twice at once: the second updates the first
        raise IntegrityError("Could not record the vote; please try again.")


def email_hash(email: str) -> str:
    """A keyed hash of an address: enough to spot the same person twice, not to email them."""
    cleaned = email.strip().lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), cleaned, hashlib.sha256).hexdigest()


class Statement(models.Model):
    """A short statement people agree or disagree with (a Pol.is "comment")."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    number = models.PositiveIntegerField(help_text="Shown as #number, stable in the conversation.")
    text = models.TextField()
    status = models.CharField(
        max_length=10, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    is_seed = models.BooleanField(default=False, help_text="Written by the office.")
    is_meta = models.BooleanField(
        default=False,
        help_text="About the participant (e.g. 'I live in the town centre'): voted on, "
        "never reported as common ground.",
    )
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    priority = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Staff priority: 1 is shown to every voter first."
    )
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="one_number_per_statement"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.text}"

    @property
    def polis_moderation(self) -> int:
        return POLIS_MODERATION[StatementStatus(self.status)]

    def moderation_warnings(self) -> list[str]:
        """What a moderator should know before publishing it, read by the lens.

        Imported here: the lens compiles its rules and loads its models on import, and only
        the moderation page needs it.
        """
        from compassion import lens

        warnings = [
            f"Possible urgent risk ({lens.FLAG_KINDS.get(flag.kind, flag.kind).lower()}): "
            f"“{flag.evidence}”. Someone may need help; consider contacting the office's "
            "safeguarding lead rather than publishing it."
            for flag in lens.find_flags(self.text)
        ]
        kinds = sorted({span.kind for span in lens.find_personal_data(self.text)})
        if kinds:
            found = ", ".join(
                PERSONAL_DATA_LABELS.get(k, k.lower().replace("_", " ")) for k in kinds
            )
            warnings.append(f"Looks like it contains personal details ({found}).")
        return warnings


PERSONAL_DATA_LABELS = {
    "NAME": "a name",
    "PHONE": "a phone number",
    "EMAIL": "an email address",
    "POSTCODE": "a postcode",
    "ADDRESS": "an address",
    "DATE_OF_BIRTH": "a date of birth",
}


class VoteChoice(models.IntegerChoices):
    AGREE = 1, "Agree"
    DISAGREE = -1, "Disagree"
    PASS = 0, "Pass / unsure"


class Vote(models.Model):
    """One participant's vote on one statement (one per pair; voting again changes it)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteChoice.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="one_vote_per_participant_statement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.get_value_display()} #{self.statement.number}"


class Invitation(models.Model):
    """A one-time link the office sends to a constituent it knows (by letter or from its own
    mailing list). Opening it confirms the participant without asking for an email address."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Invitation {self.pk} to {self.conversation}"

    def accept(self, participant: Participant) -> None:
        """Confirm the participant and use up the link."""
        now = timezone.now()
        if participant.verified_at is None:
            participant.verified_at = now
            participant.save(update_fields=["verified_at"])
        self.used_at = now
        self.participant = participant
        self.save(update_fields=["used_at", "participant"])
