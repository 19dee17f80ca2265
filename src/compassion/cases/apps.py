from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "compassion.cases"
    verbose_name = "Casework"

    def ready(self) -> None:
        from compassion.cases import (
            signals,  # noqa: F401  (connects the search indexing)
            theme_learning,  # noqa: F401  (no theme refit in requests)
        )
