from django.apps import AppConfig


class GoLiveConfig(AppConfig):
    name = "go_live"
    label = "go_live"
    verbose_name = "Go-live day records"

    def ready(self):
        from .contributions import register

        register()
