from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "compassion.cases"
    verbose_name = "Casework"
