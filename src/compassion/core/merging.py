"""Merging two records of one person, and undoing a mistaken merge.

A merge moves everything that points at the duplicate record to the kept one and deletes
the duplicate (`Person.absorb`). For `UNDO_DAYS` a `PersonMerge` keeps the duplicate's
details, the kept record before and after, and the ids of what moved, so that staff can put
both records back as they were. After that it is deleted: it holds personal data that the
office no longer needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.core import serializers
from django.db import transaction

from compassion.core.models import (
    ADDRESS_FIELDS,
    DETAILS_TAKEN_IN_A_MERGE,
    Office,
    Person,
    PersonMerge,
    pointers_to_people,
)

UNDO_DAYS = 14
FIELDS_A_MERGE_CHANGES = [
    *DETAILS_TAKEN_IN_A_MERGE,
    *ADDRESS_FIELDS,
    "vulnerabilities",
    "special_categories",
    "notes",
]


@dataclass
class Undone:
    restored: Person
    moved_back: dict[str, list[int]]  # model label: ids
    kept_as_now: list[str]  # details of the kept record changed since the merge


def as_json(person: Person) -> str:
    return serializers.serialize("json", [person])


def from_json(text: str) -> Person:
    return next(serializers.deserialize("json", text)).object


def what_points_at(person: Person) -> list[dict[str, Any]]:
    """The ids of every row that points at `person`, by model and field."""
    moved = []
    for relation in pointers_to_people():
        field = relation.field.name
        rows = relation.related_model._base_manager.filter(**{field: person})
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            moved.append({"model": relation.related_model._meta.label, "field": field, "ids": ids})
    return moved


@transaction.atomic
def merge_records(kept: Person, duplicate: Person, user: Any) -> PersonMerge:
    """Fold `duplicate` into `kept`, keeping what is needed to undo it."""
    before = as_json(kept)
    duplicate_record = as_json(duplicate)
    duplicate_name, duplicate_pk = str(duplicate)[:200], duplicate.pk
    moved = what_points_at(duplicate)
    kept.absorb(duplicate)
    kept.refresh_from_db()
    return PersonMerge.objects.create(
        office=kept.office,
        kept=kept,
        duplicate_name=duplicate_name,
        duplicate_pk=duplicate_pk,
        duplicate_record=duplicate_record,
        kept_before=before,
        kept_after=as_json(kept),
        moved=moved,
        merged_by=user,
    )


def undo_deadline(merge: PersonMerge) -> datetime:
    return merge.merged_at + timedelta(days=UNDO_DAYS)


def undoable_merges(person: Person, now: datetime) -> list[PersonMerge]:
    cutoff = now - timedelta(days=UNDO_DAYS)
    return list(person.merges.filter(merged_at__gte=cutoff).select_related("merged_by"))


@transaction.atomic
def undo_merge(merge: PersonMerge) -> Undone:
    """Bring the merged-in record back, with what moved from it; details the merge gave the
    kept record go back to what they were, unless staff have changed them since."""
    restored = restore_duplicate(merge)
    moved_back = move_back(merge, restored)
    kept_as_now = restore_kept_details(merge)
    merge.delete()
    return Undone(restored=restored, moved_back=moved_back, kept_as_now=kept_as_now)


def restore_duplicate(merge: PersonMerge) -> Person:
    restored = from_json(merge.duplicate_record)
    if Person.objects.filter(pk=restored.pk).exists():
        restored.pk = None  # its number was taken since: it comes back with a new one
    restored.save()
    return restored


def move_back(merge: PersonMerge, restored: Person) -> dict[str, list[int]]:
    """Point back at the restored record whatever pointed at it before the merge and still
    points at the kept one (a message moved to a third record since stays there)."""
    moved_back: dict[str, list[int]] = {}
    for pointer in merge.moved:
        model = apps.get_model(pointer["model"])
        field = pointer["field"]
        rows = model._base_manager.filter(pk__in=pointer["ids"], **{field: merge.kept})
        ids = list(rows.values_list("pk", flat=True))
        rows.update(**{field: restored})
        moved_back.setdefault(pointer["model"], []).extend(ids)
    return moved_back


def restore_kept_details(merge: PersonMerge) -> list[str]:
    kept = Person.objects.get(pk=merge.kept_id)
    before, after = from_json(merge.kept_before), from_json(merge.kept_after)
    kept_as_now = []
    for name in FIELDS_A_MERGE_CHANGES:
        if getattr(before, name) == getattr(after, name):
            continue
        if getattr(kept, name) == getattr(after, name):
            setattr(kept, name, getattr(before, name))
        else:
            kept_as_now.append(name)
    kept.save()
    return kept_as_now


def forget_old_merges(office: Office, now: datetime) -> int:
    """Delete the undo records of merges older than `UNDO_DAYS`."""
    cutoff = now - timedelta(days=UNDO_DAYS)
    deleted, _ = PersonMerge.objects.filter(office=office, merged_at__lt=cutoff).delete()
    return deleted
