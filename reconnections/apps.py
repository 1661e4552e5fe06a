from django.apps import AppConfig


class ReconnectionsConfig(AppConfig):
    name = "reconnections"
    label = "reconnections"
    verbose_name = "Third-party reconnections"

    def ready(self):
        from .contributions import register

        register()
