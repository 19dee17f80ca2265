from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "compassion.core"
    verbose_name = "Offices, people and audit"
