from django.conf import settings
from django.urls import NoReverseMatch, reverse


def service(request):
    """The service name and whether this is a non-production environment, for the page template."""
    return {"service_name": "GoLive", "debug": settings.DEBUG}


# (URL name, link text), in the order shown.
SECTIONS = [
    ("home", "Migrations"),
    ("reminders:my_tasks", "My tasks"),
    ("dashboards:portfolio", "Dashboards"),
]


def _is_current(path: str, href: str) -> bool:
    if href == "/":
        return path == "/"
    return path == href or path.startswith(href.rstrip("/") + "/")


def navigation(request):
    """`navigation`: a list of {"href", "text", "current"} for the header, empty when signed out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for url_name, text in SECTIONS:
        try:
            href = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"href": href, "text": text, "current": _is_current(request.path, href)})
    return {"navigation": items}
