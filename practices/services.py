"""Writes to the NHS geography. Each is one transaction with its audit event (golive/core/audit.py).

A practice's ICB is not chosen on its own: it follows the practice's sub-ICB location, so every change of
sub-ICB location (of a practice, or of a sub-ICB location's ICB) goes through these functions.
"""

import datetime

from django.db import transaction

from golive.core.audit import audit_record

from .models import ICB, Practice, PracticeSubICBLocation, SubICBLocation


def practice_move(
    *, actor, practice: Practice, sub_icb_location: SubICBLocation, on: datetime.date, reason: str = ""
) -> Practice:
    """Move a practice to another sub-ICB location from a date, keeping where it was before as history.

    `on` is the first day in the new location (the old period ends that day: periods are half-open).
    The practice's ICB becomes the new location's ICB. Moving to the location it is already in does nothing.
    `actor` is a User, or None for GoLive itself. Raises nothing of its own; database constraints hold the
    one-current-row rule.
    """
    with transaction.atomic():
        practice = Practice.objects.select_for_update().get(pk=practice.pk)
        if practice.sub_icb_location_id == sub_icb_location.pk:
            return practice
        before = _placement(practice)
        current = PracticeSubICBLocation.objects.filter(practice=practice, ended_on__isnull=True).first()
        if current:
            # A move dated before the current period began would reverse it: end it the day it started.
            current.ended_on = max(on, current.started_on) if current.started_on else on
            current.save(update_fields=["ended_on"])
        PracticeSubICBLocation.objects.create(practice=practice, sub_icb_location=sub_icb_location, started_on=on)
        practice.sub_icb_location = sub_icb_location
        practice.icb_id = sub_icb_location.icb_id
        practice.save(update_fields=["sub_icb_location", "icb"])
        audit_record(
            actor=actor,
            action="practice.moved",
            obj=practice,
            before=before,
            after={**_placement(practice), "from": on.isoformat()},
            reason=reason,
            practice_id=practice.pk,
        )
    return practice


def sub_icb_location_set_icb(*, actor, sub_icb_location: SubICBLocation, icb: ICB, reason: str = "") -> int:
    """Put a sub-ICB location in another ICB; its practices' ICB follows. Returns how many practices moved."""
    with transaction.atomic():
        place = SubICBLocation.objects.select_for_update().get(pk=sub_icb_location.pk)
        if place.icb_id == icb.pk:
            return 0
        before = {"icb": place.icb.code}
        place.icb = icb
        place.save(update_fields=["icb"])
        moved = Practice.objects.filter(sub_icb_location=place).update(icb=icb)
        audit_record(
            actor=actor,
            action="sub_icb_location.icb_changed",
            obj=place,
            before=before,
            after={"icb": icb.code, "practices": moved},
            reason=reason,
        )
    return moved


def _placement(practice: Practice) -> dict:
    place = practice.sub_icb_location
    return {"sub_icb_location": place.code if place else None, "icb": ICB.objects.get(pk=practice.icb_id).code}
