from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data command. Part of the wiring (it knows every app; no app knows it): docs/design.md."""

    name = "golive.demo"
    label = "demo"
    verbose_name = "GoLive demo data"
