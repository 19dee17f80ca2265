from django.apps import AppConfig


class VoicesConfig(AppConfig):
    name = "compassion.voices"
    verbose_name = "Voices: every message, from every channel"
