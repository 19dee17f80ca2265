from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using: str, **kwargs: object) -> None:
    """With the cache in the database (CACHE_URL=database), its table is made with the
    others; elsewhere this does nothing."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "compassion.core"
    verbose_name = "Offices, people and audit"

    def ready(self) -> None:
        from compassion.core.middleware import note_login

        post_migrate.connect(create_cache_table, sender=self)
        user_logged_in.connect(note_login)
