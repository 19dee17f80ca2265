from django.apps import AppConfig


class CommongroundConfig(AppConfig):
    name = "compassion.commonground"
    verbose_name = "Common ground"
