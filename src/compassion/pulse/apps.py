from django.apps import AppConfig


class PulseConfig(AppConfig):
    name = "compassion.pulse"
    verbose_name = "Team: pulse, check-ins, obstacles, learning"
