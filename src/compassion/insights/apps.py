from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "compassion.insights"
    verbose_name = "Insights"
