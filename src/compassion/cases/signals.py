"""Keep the search index in step with cases and messages as they are saved.

Indexing happens in the same transaction as the save, so a rolled-back save leaves the
index as it was.
"""

from typing import Any

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
@receiver(post_delete, sender=Voice)
def voice_changed(sender: type, instance: Voice, raw: bool = False, **kwargs: Any) -> None:
    if instance.case_id is not None and not raw:
        index_case(instance.case_id)
