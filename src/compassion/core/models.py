"""Offices, the staff who work in them, the people they serve, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class HolidayRegion(models.TextChoices):
    """Whose bank holidays the service clock skips."""

    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class Office(models.Model):
    """One leader's office. Several can share an installation; none sees another's data."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    leader_title = models.CharField(max_length=200, blank=True, help_text="e.g. MP for Northby")
    area_name = models.CharField(max_length=200, blank=True)
    area_postcodes = models.TextField(
        blank=True,
        help_text="Postcode districts or sectors in the area, one per line (e.g. NB1, NB2 3).",
    )
    email = models.EmailField(blank=True)
    acknowledge_within_days = models.PositiveSmallIntegerField(
        default=2, help_text="Service standard: acknowledge within this many working days."
    )
    reply_within_days = models.PositiveSmallIntegerField(
        default=10, help_text="Service standard: a substantive reply within this many working days."
    )
    holiday_region = models.CharField(
        max_length=3,
        choices=HolidayRegion.choices,
        default=HolidayRegion.ENGLAND,
        help_text="UK bank holidays to skip: ENG, WLS, SCT or NIR.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    @property
    def name_in_sentence(self) -> str:
        """The name as it reads inside a sentence: "Write to the Office of Amira Hussain MP",
        but "Write to Amira Hussain MP" for an office named after its leader."""
        first_word = self.name.split(" ", 1)[0].lower()
        return f"the {self.name}" if first_word in ("office", "constituency") else self.name

    def area_prefixes(self) -> list[str]:
        return [line.strip().upper() for line in self.area_postcodes.splitlines() if line.strip()]

    def covers_postcode(self, postcode: str) -> bool | None:
        """True when the postcode is in the area, False when not, None when unknown."""
        prefixes = self.area_prefixes()
        cleaned = " ".join(postcode.upper().split())
        if not prefixes or not cleaned:
            return None
        outward = cleaned.split(" ")[0]
        return any(outward == p or cleaned.startswith(p + " ") or cleaned == p for p in prefixes)


class Role(models.TextChoices):
    LEADER = "leader", "Leader"
    MANAGER = "manager", "Office manager"
    CASEWORKER = "caseworker", "Caseworker"
    VOLUNTEER = "volunteer", "Volunteer (read only)"


class Membership(models.Model):
    """A member of staff in an office, with their role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    job_title = models.CharField(max_length=200, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="one_membership_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.office})"

    @property
    def can_edit(self) -> bool:
        return self.role != Role.VOLUNTEER

    @property
    def sees_sensitive_casework(self) -> bool:
        """Read-only volunteers do not see sensitive casework: special-category data (a
        health or immigration theme included), a sensitive vulnerability or a safeguarding
        risk (see `Person.objects.visible_to` and `Case.objects.visible_to`)."""
        return self.role != Role.VOLUNTEER

    @property
    def can_manage(self) -> bool:
        """Leaders and office managers see the audit log, the team's load and settings."""
        return self.role in {Role.LEADER, Role.MANAGER}


class Vulnerability(models.TextChoices):
    DISABILITY = "disability", "Disability"
    MENTAL_HEALTH = "mental_health", "Mental health"
    OLDER_PERSON = "older_person", "Older person"
    LANGUAGE = "language", "Language needs"
    CARER = "carer", "Carer"
    CARE_LEAVER = "care_leaver", "Care leaver"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse survivor"
    HOMELESS = "homeless", "Homeless or at risk"


# Vulnerabilities that are sensitive in themselves: disability and mental health are health
# data (special category), domestic abuse is a safeguarding matter. A read-only volunteer
# does not see a person who has one of them.
SENSITIVE_VULNERABILITIES = (
    Vulnerability.DISABILITY,
    Vulnerability.MENTAL_HEALTH,
    Vulnerability.DOMESTIC_ABUSE,
)


class SpecialCategory(models.TextChoices):
    """UK GDPR Article 9 special-category data that a case may reveal."""

    HEALTH = "health", "Health"
    ETHNICITY = "ethnicity", "Racial or ethnic origin"
    RELIGION = "religion", "Religious or philosophical beliefs"
    SEXUALITY = "sexuality", "Sex life or sexual orientation"
    POLITICS = "politics", "Political opinions"
    UNION = "union", "Trade union membership"
    CRIMINAL = "criminal", "Criminal offence data"
    IMMIGRATION = "immigration", "Immigration status"


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", "Under 25"
    AGE_25_44 = "25_44", "25 to 44"
    AGE_45_64 = "45_64", "45 to 64"
    AGE_65_PLUS = "65_plus", "65 and over"
    UNKNOWN = "", "Not known"


def person_not_sensitive(path: str = "") -> models.Q:
    """People (reached through `path`, such as "case__person__") with no special-category
    data and none of the `SENSITIVE_VULNERABILITIES`. The vulnerabilities are matched in
    the JSON text with their quotes, as `__contains` on a JSONField fails on SQLite."""
    sensitive_need = models.Q()
    for vulnerability in SENSITIVE_VULNERABILITIES:
        sensitive_need |= models.Q(**{f"{path}vulnerabilities__icontains": f'"{vulnerability}"'})
    return models.Q(**{f"{path}special_categories": []}) & ~sensitive_need


class PersonQuerySet(models.QuerySet["Person"]):
    def not_erased(self) -> PersonQuerySet:
        return self.filter(erased_at__isnull=True)

    def for_office(self, office: Office) -> PersonQuerySet:
        return self.not_erased().filter(office=office)

    def visible_to(self, membership: Membership) -> PersonQuerySet:
        """Everyone, or for a role that does not see sensitive casework, only the people
        with no special-category data and no sensitive vulnerability recorded."""
        if membership.sees_sensitive_casework:
            return self
        return self.filter(person_not_sensitive())


# What a merged record takes from its duplicate when it has none of its own; the address
# is taken whole, or not at all, so that a street never meets another address's postcode.
DETAILS_TAKEN_IN_A_MERGE = [
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "age_band",
    "preferred_language",
]
ADDRESS_FIELDS = ["address_line1", "address_line2", "town", "postcode", "ward"]


class Person(models.Model):
    """A citizen the office hears from. Sensitive: every view and change is audited."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="people")
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=40, blank=True)
    address_line1 = models.CharField(max_length=200, blank=True)
    address_line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    ward = models.CharField(max_length=100, blank=True, db_index=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    vulnerabilities = models.JSONField(default=list, blank=True)
    special_categories = models.JSONField(default=list, blank=True)
    preferred_language = models.CharField(max_length=50, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["office", "last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name or self.email or f"Person {self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def address(self) -> str:
        """The address on one line, with only the parts known: 'Northby NB1 2AB'."""
        street = ", ".join(p for p in (self.address_line1, self.address_line2, self.town) if p)
        return " ".join(part for part in (street, self.postcode) if part)

    @property
    def has_postal_address(self) -> bool:
        """Enough of an address for a letter to reach them: a street and a postcode."""
        return bool(self.address_line1 and self.postcode)

    def vulnerability_labels(self) -> list[str]:
        labels = dict(Vulnerability.choices)
        return [labels.get(v, v) for v in self.vulnerabilities]

    def special_category_labels(self) -> list[str]:
        labels = dict(SpecialCategory.choices)
        return [labels.get(c, c) for c in self.special_categories]

    def has_consent(self, purpose: str) -> bool:
        latest = self.consents.filter(purpose=purpose).order_by("-recorded_at").first()
        return bool(latest and latest.given)

    def possible_duplicates(self) -> PersonQuerySet:
        """Other records in the office that may be this person: the same email address, or
        the same full name at the same postcode (or where one has none). Not a shared
        phone, nor a surname at an address: a household shares those, and merging two
        people would mix their casework; nor a name alone: common names recur."""
        alike = models.Q(pk__in=[])
        if self.email:
            alike |= models.Q(email__iexact=self.email)
        if self.first_name and self.last_name:
            same_place = models.Q()
            if self.postcode:
                same_place = models.Q(postcode="") | models.Q(postcode__iexact=self.postcode)
            alike |= (
                models.Q(first_name__iexact=self.first_name, last_name__iexact=self.last_name)
                & same_place
            )
        people = Person.objects.for_office(self.office).exclude(pk=self.pk)
        return people.filter(alike).order_by("last_name", "first_name")

    def absorb(self, duplicate: Person) -> None:
        """Make this the one record of someone who has two: everything that points at
        `duplicate` (messages, cases, replies, consents, audit entries) points here, the
        details this record lacks are taken from it, and the duplicate is deleted."""
        with transaction.atomic():
            for relation in pointers_to_people():
                field = relation.field.name
                relation.related_model._base_manager.filter(**{field: duplicate}).update(
                    **{field: self}
                )
            for name in DETAILS_TAKEN_IN_A_MERGE:
                if not getattr(self, name):
                    setattr(self, name, getattr(duplicate, name))
            if not any(getattr(self, name) for name in ADDRESS_FIELDS):
                for name in ADDRESS_FIELDS:
                    setattr(self, name, getattr(duplicate, name))
            for name in ("vulnerabilities", "special_categories"):
                mine = getattr(self, name)
                setattr(self, name, mine + [v for v in getattr(duplicate, name) if v not in mine])
            self.notes = "\n\n".join(note for note in (self.notes, duplicate.notes) if note)
            self.save()
            duplicate.delete()


def pointers_to_people() -> list[models.ForeignObjectRel]:
    """Every relation that points at a person, those without a reverse name included, but
    a record's own merges: they go with it."""
    fields = Person._meta.get_fields(include_hidden=True)
    return [
        field
        for field in fields
        if field.auto_created and not field.concrete and field.related_model is not PersonMerge
    ]


class PersonMerge(models.Model):
    """A merge of two records of one person, kept for a short time so that a mistaken one can
    be undone (`compassion.core.merging`). It holds the merged-in record's details, so it is
    deleted when that time is up and when the person is erased."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    kept = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges")
    duplicate_name = models.CharField(max_length=200)
    duplicate_pk = models.BigIntegerField()
    duplicate_record = models.TextField(help_text="The merged-in record, serialised as JSON.")
    kept_before = models.TextField(help_text="The kept record before the merge, as JSON.")
    kept_after = models.TextField(help_text="The kept record just after the merge, as JSON.")
    moved = models.JSONField(default=list, help_text="What moved: model, field and ids.")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.duplicate_name} merged into {self.kept_id}"


class ConsentPurpose(models.TextChoices):
    CASEWORK = "casework", "Contact agencies on their behalf"
    QUOTE = "quote", "Quote their words anonymously"
    NEWSLETTER = "newsletter", "Receive the newsletter"
    SURVEY = "survey", "Be asked about the service"


class Consent(models.Model):
    """A consent given or withdrawn; the history is kept, never overwritten."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    given = models.BooleanField()
    source = models.CharField(max_length=200, blank=True, help_text="e.g. web form, phone call")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    ERASE = "erase", "Erased"


class AuditEntry(models.Model):
    """Who looked at or changed a record of a person, when, and from where."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="audit_entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["office", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}"
