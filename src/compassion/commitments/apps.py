from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "compassion.commitments"
    verbose_name = "Commitments"
