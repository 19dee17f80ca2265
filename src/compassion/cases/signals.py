"""Keep the search index in step with cases and messages as they are saved.

Saves are indexed in the same transaction, so a rolled-back save leaves the index as it was.
A deleted message is re-indexed after the commit: when a whole office or case is being
deleted, its case is gone by then and nothing is written back.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from compassion.cases.models import Case
from compassion.cases.search import index_case
from compassion.voices.models import Voice


@receiver(post_save, sender=Case)
def case_saved(sender: type, instance: Case, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        index_case(instance.pk)


@receiver(post_save, sender=Voice)
def voice_saved(sender: type, instance: Voice, raw: bool = False, **kwargs: Any) -> None:
    if instance.case_id is not None and not raw:
        index_case(instance.case_id)


@receiver(post_delete, sender=Voice)
def voice_deleted(sender: type, instance: Voice, **kwargs: Any) -> None:
    case_id = instance.case_id
    if case_id is not None:
        transaction.on_commit(lambda: index_case(case_id))
