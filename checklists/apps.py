from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = "Migrations and checklists"

    def ready(self):
        from .contributions import register

        register()
