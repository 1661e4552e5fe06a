"""Reads for third-party reconnections: the tracker, the catalogue, MESH change and cutover registrations."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from checklists.models import Migration
from checklists.scheduling import add_working_days

from .models import (
    CutoverRegistrations,
    LinkStatus,
    MeshChange,
    MeshPartnerNotice,
    ServiceCategory,
    ThirdPartyLink,
    ThirdPartyService,
)


def link_due_dates(link: ThirdPartyLink, migration: Migration) -> dict[str, datetime.date]:
    """When each stage is due, from the guide's default timings and today's key dates (DOMAIN.md §5, §10.2).

    Worked out at read time so the dates follow FDP and go-live whenever they move.
    Switch off 1–2 working days before FDP (due by the later); tell the supplier its notice period before that;
    request reconnection on go-live day; reconnected and checked by the working day after.
    """
    switch_off = add_working_days(migration.fdp_date, -1)
    after_go_live = add_working_days(migration.go_live_date, 1)
    return {
        LinkStatus.SUPPLIER_TOLD: add_working_days(
            add_working_days(migration.fdp_date, -2), -link.service.notice_working_days
        ),
        LinkStatus.SWITCHED_OFF: switch_off,
        LinkStatus.RECONNECTION_REQUESTED: migration.go_live_date,
        LinkStatus.RECONNECTED: after_go_live,
        LinkStatus.VERIFIED: after_go_live,
    }


# The stage that follows each status on the way off and back on.
NEXT_LINK_STATUS = {
    LinkStatus.IN_USE: LinkStatus.SUPPLIER_TOLD,
    LinkStatus.SUPPLIER_TOLD: LinkStatus.SWITCHED_OFF,
    LinkStatus.SWITCHED_OFF: LinkStatus.RECONNECTION_REQUESTED,
    LinkStatus.RECONNECTION_REQUESTED: LinkStatus.RECONNECTED,
    LinkStatus.RECONNECTED: LinkStatus.VERIFIED,
}


@dataclass
class LinkRow:
    link: ThirdPartyLink
    next_status: str | None
    next_due: datetime.date | None
    overdue: bool


@dataclass
class LinkCategory:
    category: str
    label: str
    rows: list[LinkRow] = field(default_factory=list)


def link_row(link: ThirdPartyLink, migration: Migration, today: datetime.date) -> LinkRow:
    next_status = NEXT_LINK_STATUS.get(link.status)
    next_due = link_due_dates(link, migration)[next_status] if next_status else None
    return LinkRow(link, next_status, next_due, bool(next_due and next_due < today))


def link_tracker(migration: Migration, today: datetime.date) -> list[LinkCategory]:
    """The migration's links grouped by category, each with its next stage, when it is due and whether overdue.

    One query however many links there are.
    """
    groups: dict[str, LinkCategory] = {}
    links = migration.third_party_links.select_related("service").order_by("service__category", "service__name")
    for link in links:
        category = link.service.category
        group = groups.setdefault(category, LinkCategory(category, ServiceCategory(category).label))
        group.rows.append(link_row(link, migration, today))
    return sorted(groups.values(), key=lambda group: group.label)


def link_get_for_user(user, migration: Migration, pk) -> ThirdPartyLink:
    return get_object_or_404(
        ThirdPartyLink.objects.filter(migration=migration).select_related("service", "verified_by", "updated_by"),
        pk=pk,
    )


STILL_TO_RECONNECT = [
    LinkStatus.IN_USE,
    LinkStatus.SUPPLIER_TOLD,
    LinkStatus.SWITCHED_OFF,
    LinkStatus.RECONNECTION_REQUESTED,
]
# Not back and verified working (nor marked not needed): what the practice and commissioner still chase.
NOT_YET_VERIFIED = [*STILL_TO_RECONNECT, LinkStatus.RECONNECTED]
# Still in use before cutover: not yet switched off.
STILL_TO_SWITCH_OFF = [LinkStatus.IN_USE, LinkStatus.SUPPLIER_TOLD]


def links_outstanding(migration: Migration) -> dict[str, int]:
    """How many links are still to reconnect and, once reconnected, still to verify. One query."""
    return migration.third_party_links.aggregate(
        total=Count("pk"),
        to_reconnect=Count("pk", filter=Q(status__in=STILL_TO_RECONNECT)),
        # Of those, the ones not yet switched off for cutover.
        to_switch_off=Count("pk", filter=Q(status__in=STILL_TO_SWITCH_OFF)),
        to_verify=Count("pk", filter=Q(status=LinkStatus.RECONNECTED)),
        verified=Count("pk", filter=Q(status=LinkStatus.VERIFIED)),
        not_needed=Count("pk", filter=Q(status=LinkStatus.NOT_NEEDED)),
    )


def links_panel(migration: Migration) -> dict:
    """What the migration page shows about reconnections and cutover registrations. Two queries."""
    return {"links": links_outstanding(migration), "registrations": cutover_registrations_for(migration)}


def cutover_registrations_for(migration: Migration) -> CutoverRegistrations | None:
    return CutoverRegistrations.objects.filter(migration=migration).first()


def services_available_for(migration: Migration) -> QuerySet[ThirdPartyService]:
    """Catalogue services and the practice's own, less those the migration already tracks."""
    return (
        ThirdPartyService.objects.filter(Q(practice=None) | Q(practice=migration.practice_id))
        .exclude(pk__in=migration.third_party_links.values("service_id"))
        .order_by("category", "name")
    )


def mesh_change_for(migration: Migration) -> MeshChange | None:
    return MeshChange.objects.filter(migration=migration).select_related("updated_by").first()


def mesh_partner_get_for_user(user, migration: Migration, pk) -> MeshPartnerNotice:
    return get_object_or_404(MeshPartnerNotice.objects.filter(mesh_change__migration=migration), pk=pk)


def third_party_links_outstanding(migration: Migration) -> list[str]:
    """Links not yet reconnected and verified, as "Service (status)" text: plain strings, so sign-off
    snapshots can store them. Informational at sign-off: links come back after go-live. One query."""
    links = (
        migration.third_party_links.filter(status__in=NOT_YET_VERIFIED)
        .select_related("service")
        .order_by("service__name")
    )
    return [f"{link.service.name} ({link.get_status_display().lower()})" for link in links]
