"""Writes for the third-party tracker: links switched off for cutover and back on after go-live (DOMAIN.md §5)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from checklists.models import Migration
from checklists.services import migration_lock_for_write
from golive.core.audit import audit_record, changed_fields
from practices.selectors import can_work_checklist

from .models import (
    CutoverRegistrations,
    LinkStatus,
    MeshChange,
    MeshPartnerNotice,
    ThirdPartyLink,
    ThirdPartyService,
)


class LinkConflict(Exception):
    """Someone else changed the link after this user loaded it."""

    def __init__(self, link: ThirdPartyLink):
        self.link = link
        super().__init__(f"Link {link.pk} was changed by {link.updated_by} at {link.updated_at}")


class LinkMoveRefused(Exception):
    """A move the transition table or the dates do not allow; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


# The forward moves: which status each comes from, and the fields it records.
LINK_MOVES = {
    LinkStatus.SUPPLIER_TOLD: ({LinkStatus.IN_USE}, ("told_on",)),
    LinkStatus.SWITCHED_OFF: ({LinkStatus.SUPPLIER_TOLD}, ("switched_off_on",)),
    LinkStatus.RECONNECTION_REQUESTED: (
        {LinkStatus.SWITCHED_OFF},
        ("reconnection_requested_on", "reconnection_contact", "reconnection_reference"),
    ),
    LinkStatus.RECONNECTED: ({LinkStatus.RECONNECTION_REQUESTED}, ("reconnected_on",)),
    LinkStatus.VERIFIED: ({LinkStatus.RECONNECTED}, ("verified_on",)),
    LinkStatus.NOT_NEEDED: ({LinkStatus.IN_USE, LinkStatus.SUPPLIER_TOLD}, ("not_needed_reason",)),
}

# Moving back one stage (with a reason) clears what the later stage recorded.
LINK_BACK = {
    LinkStatus.SUPPLIER_TOLD: (LinkStatus.IN_USE, ("told_on",)),
    LinkStatus.SWITCHED_OFF: (LinkStatus.SUPPLIER_TOLD, ("switched_off_on",)),
    LinkStatus.RECONNECTION_REQUESTED: (
        LinkStatus.SWITCHED_OFF,
        ("reconnection_requested_on", "reconnection_contact", "reconnection_reference"),
    ),
    LinkStatus.RECONNECTED: (LinkStatus.RECONNECTION_REQUESTED, ("reconnected_on",)),
    LinkStatus.VERIFIED: (LinkStatus.RECONNECTED, ("verified_on", "verified_by", "verified_at")),
    LinkStatus.NOT_NEEDED: (LinkStatus.IN_USE, ("not_needed_reason",)),
}


def link_moves_from(status: str) -> list[str]:
    """The forward moves a link at `status` may make, in the order they are offered."""
    return [to_status for to_status, (allowed_from, _fields) in LINK_MOVES.items() if status in allowed_from]


def _link_snapshot(link: ThirdPartyLink) -> dict:
    def day(value):
        return value.isoformat() if value else None

    return {
        "status": link.status,
        "told_on": day(link.told_on),
        "switched_off_on": day(link.switched_off_on),
        "reconnection_requested_on": day(link.reconnection_requested_on),
        "reconnection_contact": link.reconnection_contact,
        "reconnection_reference": link.reconnection_reference,
        "reconnected_on": day(link.reconnected_on),
        "verified_on": day(link.verified_on),
        "verified_by": link.verified_by.email if link.verified_by else None,
        "not_needed_reason": link.not_needed_reason,
        "reconfiguration_needed": link.reconfiguration_needed,
        "reconfiguration_note": link.reconfiguration_note,
    }


def _check_link_dates(link: ThirdPartyLink, to_status: str, values: dict, today: datetime.date) -> None:
    """Refuse dates in the future, and dates earlier than the stage they follow."""
    for name, value in values.items():
        if isinstance(value, datetime.date) and value > today:
            raise LinkMoveRefused("The date must be today or in the past", name)
    if to_status == LinkStatus.RECONNECTED and link.switched_off_on and values["reconnected_on"] < link.switched_off_on:
        raise LinkMoveRefused(
            "The reconnection date must be the same as or after the switch-off date"
            f" ({date_format(link.switched_off_on, 'j F Y')})",
            "reconnected_on",
        )
    if to_status == LinkStatus.VERIFIED and link.reconnected_on and values["verified_on"] < link.reconnected_on:
        raise LinkMoveRefused(
            "The date checked must be the same as or after the reconnection date"
            f" ({date_format(link.reconnected_on, 'j F Y')})",
            "verified_on",
        )
    if to_status == LinkStatus.NOT_NEEDED and not values["not_needed_reason"].strip():
        raise LinkMoveRefused("Enter why this link is not needed", "not_needed_reason")


def _locked_link(link: ThirdPartyLink, expected_version: int) -> ThirdPartyLink:
    current = (
        ThirdPartyLink.objects.select_for_update(of=("self",))
        .select_related("service", "verified_by", "updated_by")
        .get(pk=link.pk)
    )
    if current.version != expected_version:
        raise LinkConflict(current)
    return current


def _save_link(*, user, link: ThirdPartyLink, before: dict, action: str, reason: str = "") -> None:
    link.version += 1
    link.updated_by = user
    link.save()
    old, new = changed_fields(before, _link_snapshot(link))
    audit_record(
        actor=user,
        action=action,
        obj=link,
        before=old,
        after=new,
        reason=reason,
        practice_id=link.migration.practice_id,
        migration_id=link.migration_id,
    )


def _require_link_worker(user, migration: Migration) -> None:
    if not can_work_checklist(user, migration.practice):
        raise PermissionDenied("Only people at the practice can change its third-party links.")


def link_move(
    *, user, link: ThirdPartyLink, to_status: str, expected_version: int, today: datetime.date, **values
) -> ThirdPartyLink:
    """Move a link one stage forward (or to "not needed"), recording that stage's dates and details."""
    _require_link_worker(user, link.migration)
    if to_status not in LINK_MOVES:
        raise LinkMoveRefused("Select a valid next step")
    allowed_from, fields = LINK_MOVES[to_status]
    if set(values) != set(fields):
        raise ValueError(f"Moving to {to_status} records exactly {fields}")
    with transaction.atomic():
        migration_lock_for_write(link.migration_id)
        current = _locked_link(link, expected_version)
        current.migration = link.migration  # already loaded and scoped; saves a query for the audit's practice
        if current.status not in allowed_from:
            raise LinkMoveRefused(
                f"{current.service} cannot be marked “{LinkStatus(to_status).label.lower()}”"
                f" while it is “{current.get_status_display().lower()}”"
            )
        _check_link_dates(current, to_status, values, today)
        before = _link_snapshot(current)
        for name, value in values.items():
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        if to_status == LinkStatus.VERIFIED:
            current.verified_by = user
            current.verified_at = timezone.now()
        current.status = to_status
        _save_link(user=user, link=current, before=before, action=f"third_party_link.{to_status}")
    return current


def link_move_back(*, user, link: ThirdPartyLink, reason: str, expected_version: int) -> ThirdPartyLink:
    """Move a link back one stage, clearing what that stage recorded. Needs a reason for the history."""
    _require_link_worker(user, link.migration)
    if not reason.strip():
        raise LinkMoveRefused("Enter why you are moving this link back", "reason")
    with transaction.atomic():
        migration_lock_for_write(link.migration_id)
        current = _locked_link(link, expected_version)
        current.migration = link.migration  # already loaded and scoped; saves a query for the audit's practice
        if current.status not in LINK_BACK:
            raise LinkMoveRefused(f"{current.service} is at its first stage and cannot move back")
        to_status, cleared = LINK_BACK[current.status]
        before = _link_snapshot(current)
        for name in cleared:
            field = ThirdPartyLink._meta.get_field(name)
            setattr(current, name, "" if field.get_internal_type() in {"CharField", "TextField"} else None)
        current.status = to_status
        _save_link(user=user, link=current, before=before, action="third_party_link.moved_back", reason=reason.strip())
    return current


def link_set_reconfiguration(
    *, user, link: ThirdPartyLink, needed: bool, note: str, expected_version: int
) -> ThirdPartyLink:
    """Flag that the service needs reconfiguring for the new system, with what needs doing."""
    _require_link_worker(user, link.migration)
    with transaction.atomic():
        migration_lock_for_write(link.migration_id)
        current = _locked_link(link, expected_version)
        current.migration = link.migration  # already loaded and scoped; saves a query for the audit's practice
        before = _link_snapshot(current)
        current.reconfiguration_needed = needed
        current.reconfiguration_note = note.strip() if needed else ""
        _save_link(user=user, link=current, before=before, action="third_party_link.reconfiguration")
    return current


def links_create(*, user, migration: Migration, services) -> list[ThirdPartyLink]:
    """Start tracking the services the practice uses; ones already tracked are refused."""
    _require_link_worker(user, migration)
    services = list(services)
    foreign = [s for s in services if s.practice_id not in (None, migration.practice_id)]
    if foreign:
        raise PermissionDenied("A practice can only track catalogue services and its own local services.")
    with transaction.atomic():
        migration_lock_for_write(migration.pk)
        already = set(migration.third_party_links.filter(service__in=services).values_list("service__name", flat=True))
        if already:
            raise LinkMoveRefused(f"{', '.join(sorted(already))} already tracked for this migration", "services")
        links = ThirdPartyLink.objects.bulk_create(
            ThirdPartyLink(migration=migration, service=service, updated_by=user) for service in services
        )
        audit_record(
            actor=user,
            action="third_party_links.created",
            obj=migration,
            after={"services": sorted(service.name for service in services)},
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return links


def local_service_add(
    *,
    user,
    migration: Migration,
    name: str,
    category: str,
    company: str = "",
    support_contact: str = "",
    notes: str = "",
    notice_working_days: int = 5,
) -> ThirdPartyLink:
    """Add a practice's own local service to its catalogue and start tracking it for this migration."""
    _require_link_worker(user, migration)
    practice = migration.practice
    name = name.strip()
    clash = ThirdPartyService.objects.filter(Q(practice=None) | Q(practice=practice), name__iexact=name)
    with transaction.atomic():
        migration_lock_for_write(migration.pk)
        if clash.exists():
            raise LinkMoveRefused(f"{name} is already in the list of services: select it instead", "name")
        service = ThirdPartyService.objects.create(
            name=name,
            category=category,
            company=company.strip(),
            support_contact=support_contact.strip(),
            notes=notes.strip(),
            notice_working_days=notice_working_days,
            practice=practice,
        )
        audit_record(
            actor=user,
            action="third_party_service.created",
            obj=service,
            after={"name": service.name, "category": category, "company": service.company},
            practice_id=practice.pk,
            migration_id=migration.pk,
        )
        link = ThirdPartyLink.objects.create(migration=migration, service=service, updated_by=user)
    return link


# MESH mailbox change and the partner services told of it.


def mesh_change_save(*, user, migration: Migration, old_mailbox: str, new_mailbox: str) -> MeshChange:
    _require_link_worker(user, migration)
    with transaction.atomic():
        migration_lock_for_write(migration.pk)
        change, created = MeshChange.objects.select_for_update().get_or_create(migration=migration)
        before = {"old_mailbox": change.old_mailbox, "new_mailbox": change.new_mailbox}
        change.old_mailbox, change.new_mailbox = old_mailbox.strip(), new_mailbox.strip()
        old, new = changed_fields(before, {"old_mailbox": change.old_mailbox, "new_mailbox": change.new_mailbox})
        if not new and not created:
            return change
        if not created:
            change.version += 1
        change.updated_by = user
        change.save()
        audit_record(
            actor=user,
            action="mesh_change.saved",
            obj=change,
            before=old,
            after=new,
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return change


def mesh_partner_add(*, user, migration: Migration, partner_name: str) -> MeshPartnerNotice:
    """Add a partner service that must be told the new mailbox."""
    _require_link_worker(user, migration)
    partner_name = partner_name.strip()
    with transaction.atomic():
        migration_lock_for_write(migration.pk)
        change, _ = MeshChange.objects.get_or_create(migration=migration, defaults={"updated_by": user})
        if change.partner_notices.filter(partner_name__iexact=partner_name).exists():
            raise LinkMoveRefused(f"{partner_name} is already in the list", "partner_name")
        notice = MeshPartnerNotice.objects.create(mesh_change=change, partner_name=partner_name)
        audit_record(
            actor=user,
            action="mesh_partner.added",
            obj=notice,
            after={"partner_name": partner_name},
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return notice


def mesh_partner_mark_told(
    *, user, notice: MeshPartnerNotice, migration: Migration, told_on: datetime.date | None, today: datetime.date
) -> MeshPartnerNotice:
    """Tick a partner as told of the new mailbox on a date, or untick it (told_on None)."""
    _require_link_worker(user, migration)
    if told_on and told_on > today:
        raise LinkMoveRefused("The date must be today or in the past", "told_on")
    with transaction.atomic():
        migration_lock_for_write(migration.pk)
        current = MeshPartnerNotice.objects.select_for_update().get(pk=notice.pk)
        before = {"told_on": current.told_on.isoformat() if current.told_on else None}
        current.told_on = told_on
        current.told_by = user if told_on else None
        current.save()
        audit_record(
            actor=user,
            action="mesh_partner.told" if told_on else "mesh_partner.untold",
            obj=current,
            before=before,
            after={"told_on": told_on.isoformat() if told_on else None},
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return current


def cutover_registrations_update(
    *, user, migration: Migration, waiting: int, registered: int, expected_version: int | None = None
) -> CutoverRegistrations:
    """Record how many patients who joined in cutover are still to register, and how many are done. Counts only."""
    _require_link_worker(user, migration)
    if waiting < 0 or registered < 0:
        raise LinkMoveRefused("Counts must be 0 or more")
    with transaction.atomic():
        migration_lock_for_write(migration.pk)
        counts, created = CutoverRegistrations.objects.select_for_update().get_or_create(migration=migration)
        if expected_version is not None and not created and counts.version != expected_version:
            raise LinkMoveRefused("Someone else changed these counts while you were editing. Check them and try again.")
        before = {"waiting": counts.waiting, "registered": counts.registered}
        counts.waiting, counts.registered = waiting, registered
        if not created:
            counts.version += 1
        counts.updated_by = user
        counts.save()
        old, new = changed_fields(before, {"waiting": waiting, "registered": registered})
        audit_record(
            actor=user,
            action="cutover_registrations.updated",
            obj=counts,
            before=old,
            after=new,
            practice_id=migration.practice_id,
            migration_id=migration.pk,
        )
    return counts
