"""Walk every URL that takes an object id: other tenants get 404 and change nothing (RELIABILITY.md A1)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from golive.core.models import AuditEvent
from tests.factories import IssueFactory, MeshPartnerNoticeFactory, ThirdPartyLinkFactory


def _patterns(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry.pattern.converters.keys()


# URLs whose arguments are signed tokens, not object ids.
TOKEN_URLS = {"password_reset_confirm"}


def object_id_urls():
    return sorted(
        {
            (name, tuple(sorted(kwargs)))
            for name, kwargs in _patterns(get_resolver())
            if kwargs and name not in TOKEN_URLS
        }
    )


def ids_for(world) -> dict:
    """An object of the home practice for every id kwarg a URL can take. A new kwarg must be added here."""
    migration = world.migration
    ids = {"pk": migration.pk, "step_pk": migration.steps.first().pk}
    for name, factory in EXTRA_IDS.items():
        ids[name] = factory(world)
    return ids


# Apps add their own object ids here: kwarg name → function(world) returning a home-practice object's id.
EXTRA_IDS: dict = {
    "issue_pk": lambda world: IssueFactory(migration=world.migration, raised_by=world.manager).pk,
    "link_pk": lambda world: ThirdPartyLinkFactory(migration=world.migration, status="supplier_told").pk,
    "move": lambda world: "switch-off",
    "phase": lambda world: "kickoff",
    "notice_pk": lambda world: MeshPartnerNoticeFactory(mesh_change__migration=world.migration).pk,
}


def _snapshot():
    from checklists.models import Migration, Step

    return (
        AuditEvent.objects.count(),
        list(Step.objects.order_by("pk").values_list("pk", "status", "version", "note", "due_date")),
        list(Migration.objects.order_by("pk").values_list("pk", "version", "go_live_date", "went_live_on")),
    )


def test_every_object_url_is_covered(world):
    ids = ids_for(world)
    urls = object_id_urls()
    assert urls, "no URL with an object id found"
    missing = {kwarg for _, kwargs in urls for kwarg in kwargs if kwarg not in ids}
    assert not missing, f"Add these URL kwargs to tests/test_authorisation.py ids_for(): {missing}"


@pytest.mark.parametrize("outsider", ["neighbour_manager", "other_manager", "other_commissioner", "place_commissioner"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_tenants_get_404_and_change_nothing(client_for, world, outsider, method):
    ids = ids_for(world)
    client = client_for(getattr(world, outsider))
    before = _snapshot()
    checked = 0
    for name, kwargs in object_id_urls():
        url = reverse(name, kwargs={kwarg: ids[kwarg] for kwarg in kwargs})
        response = getattr(client, method)(url, {"status": "done", "version": 1})
        # A POST-only view answers GET with 405 before looking anything up, which reveals nothing.
        method_refused = response.status_code == 405 and method.upper() not in response.get("Allow", "")
        assert response.status_code == 404 or method_refused, f"{method.upper()} {url} as {outsider}: {response}"
        checked += 1
    assert checked == len(object_id_urls())
    assert _snapshot() == before


def test_anonymous_users_are_sent_to_sign_in(client, world):
    ids = ids_for(world)
    for name, kwargs in object_id_urls():
        url = reverse(name, kwargs={kwarg: ids[kwarg] for kwarg in kwargs})
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
