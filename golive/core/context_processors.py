from django.conf import settings


def service(request):
    """The service name and whether this is a non-production environment, for the page template."""
    return {"service_name": "GoLive", "debug": settings.DEBUG}
