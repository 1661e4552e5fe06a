"""The ODS import service: GP practices and the NHS geography from epraccur, current suppliers from a CSV.

One transaction: the files are checked whole first (practices.ods), then every change is written in bulk with
its audit event, or nothing is. Running the same files again changes nothing and writes nothing. Practices
are never deleted: a practice ODS lists as closed is kept, marked closed, for its history (docs/decisions/0010).
"""

import datetime
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F

from golive.core.audit import audit_record_many

from .models import ICB, OrganisationStatus, Practice, PracticeSubICBLocation, Region, SubICBLocation, Supplier
from .names import display_name
from .ods import PRE_ICB_OFFICE, OdsFileRefused, PracticeRow, SupplierRow, read_epraccur, read_supplier_csv

# Serialises imports on PostgreSQL (an arbitrary, fixed advisory-lock key): a second upload waits its turn.
IMPORT_LOCK_KEY = 412_012

# Supplier names as data files write them → GoLive's supplier (name, clinical system). Known GP IT suppliers
# are created when missing; any other name must already be a supplier in GoLive (added in the admin site).
SUPPLIER_ALIASES = {
    "EMIS": "EMIS",
    "EMIS HEALTH": "EMIS",
    "EMIS WEB": "EMIS",
    "TPP": "TPP",
    "SYSTMONE": "TPP",
    "TPP SYSTMONE": "TPP",
    "CEGEDIM": "Cegedim",
    "VISION": "Cegedim",
    "INPS": "Cegedim",
    "IN PRACTICE SYSTEMS": "Cegedim",
    "MICROTEST": "Microtest",
    "EVOLUTION": "Microtest",
    "MEDICUS": "Medicus",
}
KNOWN_SUPPLIERS = {
    "EMIS": "EMIS Web",
    "TPP": "SystmOne",
    "Cegedim": "Vision",
    "Microtest": "Evolution",
    "Medicus": "Medicus",
}

PRACTICE_FIELDS = [
    "name",
    "ods_name",
    "status",
    "opened_on",
    "closed_on",
    "postcode",
    "sub_icb_location",
    "icb",
    "current_supplier",
]


@dataclass
class ImportSummary:
    """What an import did, in counts, for the command's output and the admin page."""

    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_status: Counter = field(default_factory=Counter)  # the file's GP practices by status value
    skipped: Counter = field(default_factory=Counter)  # reason → rows
    regions_created: int = 0
    icbs_created: int = 0
    sub_icb_locations_created: int = 0
    sub_icb_locations_moved: int = 0
    suppliers_read: int = 0
    suppliers_set: int = 0
    suppliers_unchanged: int = 0
    suppliers_unknown_practice: int = 0
    suppliers_created: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def practices(self) -> int:
        return self.created + self.updated + self.unchanged

    def report(self) -> list[str]:
        """The summary as lines of plain text."""
        statuses = ", ".join(
            f"{self.by_status[status]} {OrganisationStatus(status).label.lower()}"
            for status in OrganisationStatus.values
            if self.by_status[status]
        )
        lines = [
            f"Read {self.lines} lines.",
            f"GP practices: {self.practices} ({statuses or 'none'})",
            f"  created: {self.created}",
            f"  updated: {self.updated}",
            f"  unchanged: {self.unchanged}",
            f"Skipped: {sum(self.skipped.values())}",
        ]
        lines += [f"  {reason}: {count}" for reason, count in sorted(self.skipped.items(), key=_by_count)]
        lines.append(
            f"Created {_count(self.regions_created, 'region')}, {_count(self.icbs_created, 'ICB')} and "
            f"{_count(self.sub_icb_locations_created, 'sub-ICB location')}; "
            f"{_count(self.sub_icb_locations_moved, 'sub-ICB location')} moved to another ICB."
        )
        if self.suppliers_read:
            lines.append(
                f"Current suppliers: {self.suppliers_read} rows; {self.suppliers_set} set, "
                f"{self.suppliers_unchanged} unchanged, {self.suppliers_unknown_practice} for practices not in GoLive."
            )
        if self.suppliers_created:
            lines.append(f"Suppliers added: {', '.join(self.suppliers_created)}")
        lines += [f"Warning: {warning}" for warning in self.warnings]
        return lines


def describe(name: str, data: bytes) -> str:
    """A file as the audit trail names it: its name and the start of its SHA-256, so a re-run can be matched."""
    return f"{name} (sha256 {hashlib.sha256(data).hexdigest()[:12]})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _by_count(item):
    reason, count = item
    return -count, reason


def ods_import(
    *, epraccur: bytes, suppliers: bytes | None = None, actor=None, source: str, today: datetime.date
) -> ImportSummary:
    """Import GP practices (and their regions, ICBs and sub-ICB locations) from an epraccur file, and each
    practice's current supplier from an optional `ODSCode,Supplier` CSV.

    `epraccur` and `suppliers` are the files' bytes; `actor` is the uploading User, or None for GoLive itself
    (the command); `source` names the files for the audit trail; `today` (Europe/London) dates moves whose
    file gives no date. Raises OdsFileRefused (every bad line listed) before anything is saved.
    Column meanings: ../shared/data/ods/README.md (ODS's epraccur specification).
    """
    practice_file = read_epraccur(epraccur)
    supplier_rows = read_supplier_csv(suppliers) if suppliers is not None else []
    summary = ImportSummary(lines=practice_file.lines, skipped=practice_file.skipped)
    summary.by_status = Counter(row.status for row in practice_file.practices)
    summary.suppliers_read = len(supplier_rows)
    reason = f"ODS import: {source}"
    with transaction.atomic():
        _lock()
        supplier_for = _resolve_suppliers(supplier_rows, actor, reason, summary)
        places = _import_geography(practice_file.practices, actor, reason, summary)
        _import_practices(practice_file.practices, places, supplier_for, actor, reason, today, summary)
        known = set(Practice.objects.filter(ods_code__in=supplier_for).values_list("ods_code", flat=True))
        summary.suppliers_unknown_practice = len(set(supplier_for) - known)
    return summary


def _lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


# --- Suppliers ---------------------------------------------------------------------------------------------


def _resolve_suppliers(rows: list[SupplierRow], actor, reason: str, summary: ImportSummary) -> dict[str, Supplier]:
    """ODS code → Supplier for each row; refuses the file if a supplier name is unknown (every line listed)."""
    existing = list(Supplier.objects.all())
    by_name = {}
    for supplier in existing:
        by_name.setdefault(supplier.name.upper(), supplier)
        if supplier.system_name:
            by_name.setdefault(supplier.system_name.upper(), supplier)
    errors, resolved, created = [], {}, []
    for row in rows:
        key = row.supplier_name.upper()
        canonical = SUPPLIER_ALIASES.get(key)
        supplier = by_name.get(canonical.upper()) if canonical else by_name.get(key)
        if supplier is None and canonical:
            supplier = Supplier.objects.create(name=canonical, system_name=KNOWN_SUPPLIERS[canonical])
            by_name[canonical.upper()] = supplier
            created.append(supplier)
        if supplier is None:
            errors.append(
                f"Supplier file, line {row.line}: '{row.supplier_name}' is not a supplier GoLive knows; "
                "add it in the admin site first, or check the spelling"
            )
            continue
        resolved[row.ods_code] = supplier
    if errors:
        raise OdsFileRefused(errors)
    summary.suppliers_created = [supplier.name for supplier in created]
    audit_record_many(
        actor=actor,
        entries=[
            {"action": "supplier.created_from_ods", "obj": s, "after": {"name": s.name}, "reason": reason}
            for s in created
        ],
    )
    return resolved


# --- Regions, ICBs and sub-ICB locations ----------------------------------------------------------------------


def _winner(votes: tuple[Counter, Counter]) -> str:
    """The code most rows name, counting open practices' rows only when there are any (closed practices keep
    the codes of the year they closed, e.g. region Y54 from before 2018); ties go to the first code."""
    open_votes, all_votes = votes
    counter = open_votes or all_votes
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]


def _import_geography(rows: list[PracticeRow], actor, reason: str, summary: ImportSummary) -> dict[str, SubICBLocation]:
    """Create the regions, ICBs and sub-ICB locations the file names; move a sub-ICB location to the ICB the file
    now puts it in (its practices follow). Returns sub-ICB location code → SubICBLocation."""
    place_votes: dict[str, tuple[Counter, Counter]] = defaultdict(lambda: (Counter(), Counter()))
    region_votes: dict[str, tuple[Counter, Counter]] = defaultdict(lambda: (Counter(), Counter()))
    for row in rows:
        is_open = row.status == OrganisationStatus.ACTIVE
        for votes, key, value in (
            (place_votes, row.sub_icb_code, row.icb_code),
            (region_votes, row.icb_code, row.region_code),
        ):
            if value:
                votes[key][1][value] += 1
                if is_open:
                    votes[key][0][value] += 1
    place_icb = {code: _winner(votes) for code, votes in place_votes.items()}
    icb_region = {code: _winner(region_votes[code]) for code in set(place_icb.values()) if code in region_votes}

    offices = sorted(code for code in set(place_icb.values()) if PRE_ICB_OFFICE.match(code))
    if offices:
        summary.warnings.append(
            f"column 4 holds {', '.join(offices)}: NHS England area team or local office codes, as files "
            "published before July 2022 do, not ICBs. They were imported as ICBs named by their code; "
            "import a current file to get the ICBs."
        )
    audit: list[dict] = []
    regions, created = _get_or_create(Region, set(icb_region.values()), {})
    summary.regions_created = len(created)
    audit += _created(created, reason)
    icb_defaults = {code: {"region": regions.get(icb_region.get(code))} for code in place_icb.values()}
    icbs, created = _get_or_create(ICB, set(place_icb.values()), icb_defaults)
    summary.icbs_created = len(created)
    audit += _created(created, reason)
    for code, icb in icbs.items():
        region = regions.get(icb_region.get(code))
        if region and icb.region_id != region.pk:
            before = {"region": _code(Region, icb.region_id)}
            audit.append(_change("icb.region_changed", icb, before, {"region": region.code}, reason))
            icb.region = region
            icb.save(update_fields=["region"])
    place_defaults = {code: {"icb": icbs[icb_code]} for code, icb_code in place_icb.items()}
    places, created = _get_or_create(SubICBLocation, set(place_icb), place_defaults)
    summary.sub_icb_locations_created = len(created)
    audit += _created(created, reason)
    for code, place in places.items():
        icb = icbs[place_icb[code]]
        if place.icb_id == icb.pk:
            continue
        # The practices of a sub-ICB location follow it to its new ICB (docs/decisions/0009).
        moved = Practice.objects.filter(sub_icb_location=place).update(icb=icb)
        before, after = {"icb": _code(ICB, place.icb_id)}, {"icb": icb.code, "practices": moved}
        audit.append(_change("sub_icb_location.icb_changed", place, before, after, reason))
        place.icb = icb
        place.save(update_fields=["icb"])
        summary.sub_icb_locations_moved += 1
    audit_record_many(actor=actor, entries=audit)
    return places


def _code(model, pk) -> str | None:
    return model.objects.values_list("code", flat=True).get(pk=pk) if pk else None


def _change(action: str, obj, before: dict, after: dict, reason: str, practice_id: int | None = None) -> dict:
    return {
        "action": action,
        "obj": obj,
        "before": before,
        "after": after,
        "reason": reason,
        "practice_id": practice_id,
    }


def _get_or_create(model, codes: set[str], defaults: dict[str, dict]) -> tuple[dict, list]:
    """Code → row for each code, and the rows created. New ones are named by their code: epraccur carries no
    names of regions, ICBs or sub-ICB locations. An administrator may rename them; imports never do."""
    found = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
    new = [model(code=code, name=code, **defaults.get(code, {})) for code in sorted(codes - set(found))]
    model.objects.bulk_create(new)
    return {**found, **{obj.code: obj for obj in new}}, new


def _created(objects: list, reason: str) -> list[dict]:
    return [
        {
            "action": f"{obj._meta.model_name}.created_from_ods",
            "obj": obj,
            "after": {"code": obj.code},
            "reason": reason,
        }
        for obj in objects
    ]


# --- Practices ---------------------------------------------------------------------------------------------


def _import_practices(
    rows: list[PracticeRow],
    places: dict[str, SubICBLocation],
    supplier_for: dict[str, Supplier],
    actor,
    reason: str,
    today: datetime.date,
    summary: ImportSummary,
) -> None:
    existing = {
        practice.ods_code: practice for practice in Practice.objects.filter(ods_code__in=[row.ods_code for row in rows])
    }
    latest = _latest_history({practice.pk for practice in existing.values()})
    # Codes and names by id (a few hundred rows), so the audit trail names things without a join per practice.
    names = Names(
        places=dict(SubICBLocation.objects.values_list("pk", "code")),
        icbs=dict(ICB.objects.values_list("pk", "code")),
        suppliers=dict(Supplier.objects.values_list("pk", "name")),
    )
    to_create, to_update, history_new, history_changed, audit = [], [], [], [], []
    for row in rows:
        place = places[row.sub_icb_code]
        supplier = supplier_for.get(row.ods_code)
        practice = existing.get(row.ods_code)
        if practice is None:
            practice = Practice(
                ods_code=row.ods_code,
                name=display_name(row.ods_name),
                ods_name=row.ods_name,
                status=row.status,
                opened_on=row.opened_on,
                closed_on=row.closed_on,
                postcode=row.postcode,
                sub_icb_location=place,
                icb_id=place.icb_id,
                current_supplier=supplier,
            )
            to_create.append((row, practice))
            summary.suppliers_set += supplier is not None
            continue
        before = _snapshot(practice, latest.get(practice.pk), names)
        moved_from = practice.sub_icb_location_id
        _apply(practice, row, place, supplier, summary)
        history = _history_change(practice, moved_from, latest.get(practice.pk), row, place, today)
        if history:
            history_new.extend(history["new"])
            history_changed.extend(history["changed"])
        after = _snapshot(practice, history["latest"] if history else latest.get(practice.pk), names)
        changed = [key for key in after if after[key] != before[key]]
        if not changed:
            summary.unchanged += 1
            continue
        summary.updated += 1
        to_update.append(practice)
        audit.append(
            _change(
                "practice.updated_from_ods",
                practice,
                {key: before[key] for key in changed},
                {key: after[key] for key in changed},
                reason,
                practice.pk,
            )
        )

    Practice.objects.bulk_create([practice for _, practice in to_create], batch_size=1000)
    summary.created = len(to_create)
    for row, practice in to_create:
        history_new.append(
            PracticeSubICBLocation(
                practice=practice,
                sub_icb_location_id=practice.sub_icb_location_id,
                started_on=row.joined_sub_icb_on,
                ended_on=row.left_sub_icb_on,
            )
        )
        audit.append(
            {
                "action": "practice.created_from_ods",
                "obj": practice,
                "after": _snapshot(practice, None, names),
                "reason": reason,
                "practice_id": practice.pk,
            }
        )
    _update_rows(Practice, to_update, PRACTICE_FIELDS)
    _update_rows(PracticeSubICBLocation, history_changed, ["ended_on"])
    PracticeSubICBLocation.objects.bulk_create(history_new, batch_size=1000)
    audit_record_many(actor=actor, entries=audit)


def _update_rows(model, objects: list, field_names: list[str]) -> None:
    """Save these fields of these rows: one parameterised UPDATE run for each row (executemany).

    Django's bulk_update builds a CASE per field per row, which takes seconds for a few thousand practices.
    """
    if not objects:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _apply(practice: Practice, row: PracticeRow, place: SubICBLocation, supplier, summary: ImportSummary) -> None:
    """Bring the practice in line with its row. The display name changes only when ODS's name does, so a name
    an administrator has corrected stays until ODS renames the practice."""
    if practice.ods_name != row.ods_name:
        practice.ods_name = row.ods_name
        practice.name = display_name(row.ods_name)
    practice.status = row.status
    practice.opened_on, practice.closed_on = row.opened_on, row.closed_on
    practice.postcode = row.postcode
    practice.sub_icb_location_id, practice.icb_id = place.pk, place.icb_id
    if supplier is not None:
        if practice.current_supplier_id == supplier.pk:
            summary.suppliers_unchanged += 1
        else:
            summary.suppliers_set += 1
            practice.current_supplier_id = supplier.pk


@dataclass(frozen=True)
class Names:
    places: dict[int, str]
    icbs: dict[int, str]
    suppliers: dict[int, str]


def _snapshot(practice: Practice, latest: PracticeSubICBLocation | None, names: Names) -> dict:
    """The practice as the audit trail shows it: codes and names, not ids; dates as ISO text."""
    return {
        "name": practice.name,
        "ods_name": practice.ods_name,
        "status": practice.status,
        "opened_on": _iso(practice.opened_on),
        "closed_on": _iso(practice.closed_on),
        "postcode": practice.postcode,
        "sub_icb_location": names.places.get(practice.sub_icb_location_id),
        "icb": names.icbs[practice.icb_id],
        "current_supplier": names.suppliers.get(practice.current_supplier_id),
        "in_sub_icb_location_from": _iso(latest.started_on) if latest else None,
        "in_sub_icb_location_until": _iso(latest.ended_on) if latest else None,
    }


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _latest_history(practice_ids: set[int]) -> dict[int, PracticeSubICBLocation]:
    """Each practice's latest sub-ICB location row (the current one, or the last before it closed)."""
    latest = {}
    rows = PracticeSubICBLocation.objects.filter(practice_id__in=practice_ids).order_by(
        "practice_id", F("started_on").asc(nulls_first=True), "pk"
    )
    for row in rows:
        latest[row.practice_id] = row
    return latest


def _history_change(
    practice: Practice,
    moved_from: int | None,
    latest: PracticeSubICBLocation | None,
    row: PracticeRow,
    place: SubICBLocation,
    today: datetime.date,
) -> dict | None:
    """The history rows to add or change so the practice's history ends with the file's row, or None.

    A move closes the open period the day the new one starts (the file's "joined commissioner" date, else
    today) and opens a new one; staying put only brings the end date in line (a practice closing, or reopening).
    """
    if moved_from == place.pk and latest is not None and latest.sub_icb_location_id == place.pk:
        if latest.ended_on == row.left_sub_icb_on:
            return None
        latest.ended_on = _not_before(row.left_sub_icb_on, latest.started_on)
        return {"new": [], "changed": [latest], "latest": latest}
    if moved_from == place.pk and latest is None:
        # Placed before GoLive kept history (by hand, or by an older GoLive): start it from the file.
        new = PracticeSubICBLocation(
            practice=practice, sub_icb_location=place, started_on=row.joined_sub_icb_on, ended_on=row.left_sub_icb_on
        )
        return {"new": [new], "changed": [], "latest": new}
    started = row.joined_sub_icb_on or today
    changed = []
    if latest is not None and latest.ended_on is None:
        # The file may date the move before the period we hold began; never end a period before it starts.
        if latest.started_on and started < latest.started_on:
            started = latest.started_on
        latest.ended_on = started
        changed.append(latest)
    new = PracticeSubICBLocation(
        practice=practice,
        sub_icb_location=place,
        started_on=started,
        ended_on=_not_before(row.left_sub_icb_on, started),
    )
    return {"new": [new], "changed": changed, "latest": new}


def _not_before(day: datetime.date | None, start: datetime.date | None) -> datetime.date | None:
    """An end date no earlier than its period's start (the database refuses reversed periods)."""
    return max(day, start) if day and start else day
