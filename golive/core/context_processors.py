from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string


def service(request):
    """The service name and whether this is a non-production environment, for the page template."""
    return {"service_name": "GoLive", "debug": settings.DEBUG}


# (URL name, link text), in the order shown.
def _sections():
    """(URL name, link text, who may see it) from settings.NAVIGATION: the wiring knows the apps, core does not."""
    return [
        (url_name, text, import_string(predicate) if predicate else None)
        for url_name, text, predicate in settings.NAVIGATION
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
    for url_name, text, may_see in _sections():
        try:
            href = reverse(url_name)
        except NoReverseMatch:
            continue
        if may_see is not None and not may_see(user):
            continue
        items.append({"href": href, "text": text, "current": _is_current(request.path, href)})
    return {"navigation": items}
