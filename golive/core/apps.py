from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "golive.core"
    label = "core"
    verbose_name = "GoLive core"
