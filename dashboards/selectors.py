"""Reads for the commissioner dashboards: always scoped to the ICBs the user commissions for.

Every figure is a grouped aggregate in SQL, so the number of queries per page does not grow
with the number of practices, migrations or steps.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.http import Http404

from checklists.models import OPEN_MIGRATION, PHASE_ORDER, Migration, MigrationStage, Phase, StepStatus
from checklists.selectors import migrations_visible_to, this_phase_subquery
from go_live.models import GoLiveSignOff, Issue, IssueStatus
from go_live.selectors import failed_latest_checks_of
from practices.models import ICB, Membership, Role, SubICBLocation
from practices.selectors import roles_for
from reconnections.models import ThirdPartyLink
from reconnections.selectors import NOT_YET_VERIFIED, STILL_TO_SWITCH_OFF

from . import rag

STAGE_ORDER = {stage: index for index, stage in enumerate(MigrationStage.values)}


def _commissioned(user) -> tuple[list[ICB], list[SubICBLocation]]:
    """The ICBs a commissioner's dashboards cover, and the places (sub-ICB locations) that limit some of them.

    An ICB appears when the user commissions all of it or a place in it; a place is listed only when the
    user does not also commission its whole ICB. One query.
    """
    memberships = Membership.objects.filter(user=user, role=Role.COMMISSIONER).select_related(
        "icb", "sub_icb_location__icb"
    )
    whole = {m.icb.pk: m.icb for m in memberships if m.icb}
    places = [m.sub_icb_location for m in memberships if m.sub_icb_location and m.sub_icb_location.icb_id not in whole]
    icbs = {**{place.icb.pk: place.icb for place in places}, **whole}
    return sorted(icbs.values(), key=lambda icb: icb.name), sorted(places, key=lambda place: place.name)


def user_has_dashboards(user) -> bool:
    """Whether the header offers Dashboards: administrators and commissioners; practice users would get a 403."""
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.COMMISSIONER).exists()


@dataclass
class DashboardScope:
    """What one dashboard page covers: the ICBs the user may choose from, and the one chosen (None: all of them).

    `places` are the sub-ICB locations a place commissioner is limited to inside their ICBs (empty for ICB
    commissioners and administrators); the migrations themselves are limited by practices_visible_to.
    """

    icbs: list[ICB]
    selected: ICB | None
    national: bool
    places: list[SubICBLocation] = field(default_factory=list)

    @property
    def icb_ids(self) -> list[int]:
        return [self.selected.pk] if self.selected else [icb.pk for icb in self.icbs]

    @property
    def title(self) -> str:
        if self.selected:
            limited = [place.name for place in self.places if place.icb_id == self.selected.pk]
            return " and ".join(limited) if limited else self.selected.name
        if self.national:
            return "England"
        return "your ICBs"


def dashboard_scope(user, icb_param: str | None) -> DashboardScope:
    """The scope for this request: 403 without a commissioner role, 404 for an ICB the user cannot see."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Dashboards are for commissioners.")
    icbs, places = (list(ICB.objects.order_by("name")), []) if user.is_superuser else _commissioned(user)
    if not icbs and not user.is_superuser:
        raise PermissionDenied("Dashboards are for commissioners.")
    selected = None
    if icb_param:
        selected = next((icb for icb in icbs if str(icb.pk) == icb_param), None)
        if selected is None:
            raise Http404("No such ICB")
    elif len(icbs) == 1 and not user.is_superuser:
        selected = icbs[0]
    return DashboardScope(icbs=icbs, selected=selected, national=user.is_superuser, places=places)


def scoped_migrations(user, scope: DashboardScope) -> QuerySet[Migration]:
    """The user's visible migrations in the chosen ICBs (scoped twice: by membership and by the choice)."""
    return migrations_visible_to(user).filter(practice__icb_id__in=scope.icb_ids)


def counted(migrations: QuerySet[Migration]) -> QuerySet[Migration]:
    """The migrations the figures and charts count: withdrawn ones stay on record but are not part of the work."""
    return migrations.filter(withdrawn_at__isnull=True)


def can_use_dashboards(user, migration: Migration) -> bool:
    """Commissioners of the migration's ICB or place, and administrators; practice users use the checklist."""
    return user.is_superuser or Role.COMMISSIONER in roles_for(user, migration.practice)


# The place filter's value for migrations whose practice has no sub-ICB location recorded.
NO_PLACE = "none"


def places_in(migrations: QuerySet[Migration]) -> list[dict]:
    """The sub-ICB locations of the practices in scope, for the filter: one query."""
    return list(
        migrations.values(
            "practice__sub_icb_location_id", "practice__sub_icb_location__code", "practice__sub_icb_location__name"
        )
        .distinct()
        .order_by("practice__sub_icb_location__name")
    )


def in_place(migrations: QuerySet[Migration], place: str) -> QuerySet[Migration]:
    """Narrow the scope to one sub-ICB location (a primary key as text), to none recorded, or not at all ("")."""
    if place == NO_PLACE:
        return migrations.filter(practice__sub_icb_location__isnull=True)
    if place:
        return migrations.filter(practice__sub_icb_location_id=int(place))
    return migrations


PLACE_COUNTS_SQL = """
SELECT place_id, place_code, place_name, COUNT(*),
    SUM(CASE WHEN completed_on IS NULL THEN 1 ELSE 0 END),
    SUM(CASE WHEN rag_rank BETWEEN %s AND %s THEN 1 ELSE 0 END),
    SUM(CASE WHEN rag_rank BETWEEN %s AND %s THEN 1 ELSE 0 END),
    SUM(CASE WHEN rag_rank BETWEEN %s AND %s THEN 1 ELSE 0 END)
FROM ({per_migration}) AS per_migration
GROUP BY place_id, place_code, place_name
ORDER BY place_name
"""


def place_counts(migrations: QuerySet[Migration], today: datetime.date) -> list[dict]:
    """Per sub-ICB location: migrations, in flight, red, amber and green. One query, however many migrations.
    Withdrawn migrations are left out, as from every count (see counted).

    The RAG of each migration is an aggregate over its steps, so the per-place counts group those rows a
    second time: the per-migration query becomes a subquery (Django does not group an aggregate twice).
    """
    per_migration = (
        rag.with_rag(counted(migrations), today)
        .annotate(
            place_id=F("practice__sub_icb_location_id"),
            place_code=F("practice__sub_icb_location__code"),
            place_name=F("practice__sub_icb_location__name"),
        )
        .values("place_id", "place_code", "place_name", "rag_rank", "completed_on")
        .order_by()
    )
    inner, params = per_migration.query.get_compiler(using=per_migration.db).as_sql()
    bands = [rag.rank_range(status) for status in (rag.RED, rag.AMBER, rag.GREEN)]
    # Only Django's compiled SQL and fixed text are joined here; every value travels as a parameter.
    sql = PLACE_COUNTS_SQL.format(per_migration=inner)
    with connections[per_migration.db].cursor() as cursor:
        cursor.execute(sql, [*[bound for band in bands for bound in band], *params])
        rows = cursor.fetchall()
    keys = ["place_id", "code", "name", "total", "in_flight", "red", "amber", "green"]
    return [dict(zip(keys, row, strict=True)) for row in rows]


@dataclass
class PortfolioFilters:
    stage: str = ""
    rag: str = ""
    supplier_pair: tuple[int, int] | None = None
    go_live_from: datetime.date | None = None
    go_live_to: datetime.date | None = None  # the first day of the month after the last month wanted
    search: str = ""
    place: str = ""  # a sub-ICB location's primary key, NO_PLACE, or "" for every place


# Sort keys the page accepts; anything else falls back to the default.
SORT_FIELDS = {
    "practice": ["practice__name", "pk"],
    "suppliers": ["old_supplier__name", "new_supplier__name", "pk"],
    "stage": ["stage_order", "go_live_date", "pk"],
    "go_live": ["go_live_date", "pk"],
    "done": ["percent_done", "pk"],
    "overdue": ["steps_overdue", "pk"],
    "window": ["read_only_ends_on", "pk"],
    "rag": ["rag_rank", "go_live_date", "pk"],
    "sign_off": ["signed_off", "go_live_date", "pk"],
    "links": ["links_outstanding", "pk"],
    "issues": ["open_issues", "pk"],
}
DEFAULT_SORT = "rag"


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery: 0 when nothing matches, and grouped by the outer key, not by itself.

    (Coalesce around a grouped subquery would put the whole subquery in GROUP BY, running it once per step row.)
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def _count_of(queryset) -> SubqueryCount:
    """A correlated count per migration (a subquery, so it does not multiply the join to steps)."""
    return SubqueryCount(queryset.filter(migration=OuterRef("pk")).order_by().values("pk"))


def go_live_and_follow_up() -> dict:
    """Sign-off, third-party links and open issues per migration, as annotations.

    `links_outstanding` counts links not back and verified only once the practice has gone live (None before:
    links are meant to be off during cutover); `links_total` tells "not set up" (no links) from none outstanding,
    and `links_to_switch_off` says what is left before cutover.
    """
    return {
        "signed_off": Exists(GoLiveSignOff.objects.filter(migration=OuterRef("pk"))),
        "links_total": _count_of(ThirdPartyLink.objects.all()),
        "links_to_switch_off": _count_of(ThirdPartyLink.objects.filter(status__in=STILL_TO_SWITCH_OFF)),
        "links_outstanding": Case(
            When(
                went_live_on__isnull=False, then=_count_of(ThirdPartyLink.objects.filter(status__in=NOT_YET_VERIFIED))
            ),
            default=None,
            output_field=IntegerField(),
        ),
        "open_issues": _count_of(Issue.objects.filter(status=IssueStatus.OPEN)),
    }


def _stage_order() -> Case:
    return Case(
        *[When(stage=stage, then=Value(order)) for stage, order in STAGE_ORDER.items()],
        output_field=IntegerField(),
    )


def portfolio(
    migrations: QuerySet[Migration],
    *,
    today: datetime.date,
    filters: PortfolioFilters,
    sort: str = DEFAULT_SORT,
    descending: bool = False,
    reasons: bool = False,
) -> QuerySet[Migration]:
    """One row per migration with progress, overdue counts and RAG; one query per page of rows.

    `reasons`: also the RAG rules that apply to each row (rag.with_rag), for the CSV, which has no second query.
    """
    rows = rag.with_rag(
        migrations.with_stage(today).annotate(**go_live_and_follow_up()), today, reasons=reasons
    ).annotate(
        percent_done=Case(
            When(steps_total=0, then=Value(0)),
            default=F("steps_closed") * 100 / F("steps_total"),
            output_field=IntegerField(),
        ),
    )
    if sort == "stage":
        rows = rows.annotate(stage_order=_stage_order())  # only when asked: it repeats the stage CASE in SQL
    rows = _filtered(rows, filters)
    fields = SORT_FIELDS.get(sort, SORT_FIELDS[DEFAULT_SORT])
    order = [f"-{field}" if descending else field for field in fields]
    return rows.select_related("practice__icb", "practice__sub_icb_location", "old_supplier", "new_supplier").order_by(
        *order
    )


def _filtered(rows: QuerySet[Migration], filters: PortfolioFilters) -> QuerySet[Migration]:
    if filters.stage:
        rows = rows.filter(stage=filters.stage)
    if filters.rag:
        rows = rows.filter(rag_rank__range=rag.rank_range(filters.rag))
    if filters.supplier_pair:
        rows = rows.filter(old_supplier_id=filters.supplier_pair[0], new_supplier_id=filters.supplier_pair[1])
    if filters.go_live_from:
        rows = rows.filter(go_live_date__gte=filters.go_live_from)
    if filters.go_live_to:
        rows = rows.filter(go_live_date__lt=filters.go_live_to)
    if filters.search:
        rows = rows.filter(Q(practice__name__icontains=filters.search) | Q(practice__ods_code__iexact=filters.search))
    return rows


def supplier_pairs(migrations: QuerySet[Migration]) -> list[dict]:
    """The old → new supplier pairs present in the scope, for the filter."""
    return list(
        migrations.values("old_supplier_id", "old_supplier__name", "new_supplier_id", "new_supplier__name")
        .distinct()
        .order_by("old_supplier__name", "new_supplier__name")
    )


# --- Summary tiles and charts -------------------------------------------------------------


def summary_counts(migrations: QuerySet[Migration], today: datetime.date) -> dict:
    """Tile figures over the whole scope: one query (RAG counted over the per-migration step counts)."""
    rows = rag.with_rag(migrations, today)
    window_end = today + datetime.timedelta(days=14)
    return rows.aggregate(
        total=Count("pk"),
        in_flight=Count("pk", filter=OPEN_MIGRATION),
        red=Count("pk", filter=Q(rag_rank__range=rag.rank_range(rag.RED))),
        amber=Count("pk", filter=Q(rag_rank__range=rag.rank_range(rag.AMBER))),
        green=Count("pk", filter=Q(rag_rank__range=rag.rank_range(rag.GREEN))),
        windows_ending=Count(
            "pk",
            filter=OPEN_MIGRATION
            & Q(
                went_live_on__isnull=False,
                read_only_ends_on__gte=today,
                read_only_ends_on__lte=window_end,
            ),
        ),
    )


# The pipeline's stages: every stage but withdrawn (see counted).
PIPELINE_STAGES = [stage for stage in MigrationStage.values if stage != MigrationStage.WITHDRAWN]


def stage_counts(migrations: QuerySet[Migration], today: datetime.date) -> dict[str, int]:
    """Migrations by stage (the pipeline), withdrawn ones left out: one grouped query."""
    counts = counted(migrations).with_stage(today).values("stage").annotate(n=Count("pk")).order_by()
    found = {row["stage"]: row["n"] for row in counts}
    return {stage: found.get(stage, 0) for stage in PIPELINE_STAGES}


def month_start(day: datetime.date, months: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def go_lives_by_month(migrations: QuerySet[Migration], today: datetime.date) -> list[dict]:
    """Go-lives per month, 6 months back to 5 ahead, split into live (signed off) and scheduled: one query."""
    first, after_last = month_start(today, -6), month_start(today, 6)
    counts = (
        counted(migrations)
        .filter(go_live_date__gte=first, go_live_date__lt=after_last)
        .annotate(month=TruncMonth("go_live_date"))
        .values("month")
        .annotate(
            live=Count("pk", filter=Q(went_live_on__isnull=False)),
            scheduled=Count("pk", filter=Q(went_live_on__isnull=True)),
        )
        .order_by()
    )
    found = {_as_date(row["month"]): row for row in counts}
    months = []
    for offset in range(-6, 6):
        month = month_start(today, offset)
        row = found.get(month, {})
        months.append({"month": month, "live": row.get("live", 0), "scheduled": row.get("scheduled", 0)})
    return months


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def cutover_days_by_pair(migrations: QuerySet[Migration]) -> list[dict]:
    """Cutover length (FDP to go-live, days) of live migrations per supplier pair, with median and range.

    One grouped query returns how many migrations had each length per pair (a histogram), so the
    median is worked out from at most (pairs × distinct lengths) rows, however many migrations there are.
    """
    histogram = (
        counted(migrations)
        .filter(went_live_on__isnull=False)
        .annotate(cutover=ExpressionWrapper(F("go_live_date") - F("fdp_date"), output_field=DurationField()))
        .values("old_supplier__name", "new_supplier__name", "cutover")
        .annotate(n=Count("pk"))
        .order_by("old_supplier__name", "new_supplier__name", "cutover")
    )
    pairs: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for row in histogram:
        key = (row["old_supplier__name"], row["new_supplier__name"])
        pairs.setdefault(key, []).append((row["cutover"].days, row["n"]))
    return [
        {
            "pair": f"{old} to {new}",
            "count": sum(n for _, n in lengths),
            "median": _median(lengths),
            "shortest": lengths[0][0],
            "longest": lengths[-1][0],
        }
        for (old, new), lengths in pairs.items()
    ]


def _median(lengths: list[tuple[int, int]]) -> float:
    """The median of a sorted histogram of (value, count)."""
    total = sum(n for _, n in lengths)
    values = []
    for wanted in sorted({(total - 1) // 2, total // 2}):
        seen = 0
        for value, n in lengths:
            seen += n
            if seen > wanted:
                values.append(value)
                break
    return sum(values) / len(values)


SLIPPAGE_BANDS = [
    ("earlier", "Brought forward"),
    ("on_time", "On the planned date"),
    ("up_to_week", "1 to 7 days later"),
    ("up_to_month", "8 to 28 days later"),
    ("over_month", "More than 28 days later"),
]


def go_live_slippage(migrations: QuerySet[Migration]) -> list[dict]:
    """Live migrations by how far go-live moved from the first planned date: one grouped query."""
    slips = (
        counted(migrations)
        .filter(went_live_on__isnull=False)
        .annotate(slip=ExpressionWrapper(F("go_live_date") - F("planned_go_live_date"), output_field=DurationField()))
        .values("slip")
        .annotate(n=Count("pk"))
        .order_by()
    )
    bands = {code: 0 for code, _ in SLIPPAGE_BANDS}
    for row in slips:
        bands[_slip_band(row["slip"].days)] += row["n"]
    return [{"code": code, "label": label, "count": bands[code]} for code, label in SLIPPAGE_BANDS]


def _slip_band(days: int) -> str:
    if days < 0:
        return "earlier"
    if days == 0:
        return "on_time"
    if days <= 7:
        return "up_to_week"
    if days <= 28:
        return "up_to_month"
    return "over_month"


# --- Drill-down ---------------------------------------------------------------------------


def migration_rag(migration: Migration, today: datetime.date) -> Migration:
    """The same migration with its step counts, RAG and the rules that apply annotated: one query."""
    return rag.with_rag(Migration.objects.filter(pk=migration.pk), today, reasons=True).get()


def rows_detail(migration_ids: list[int], today: datetime.date) -> dict[int, dict]:
    """What the portfolio shows for the rows on one page beyond the sortable figures: the RAG rules that apply,
    "this phase" and the failing data checks. Two queries, whatever the page size."""
    rows = rag.with_rag(Migration.objects.filter(pk__in=migration_ids), today, reasons=True).annotate(
        this_phase=this_phase_subquery(today)
    )
    failing = failed_latest_checks_of(migration_ids)
    return {
        row.pk: {
            "reasons": rag.reasons_of(row),
            "this_phase": row.this_phase,
            "failing_checks": failing.get(row.pk, []),
        }
        for row in rows
    }


def phase_summary(migration: Migration, today: datetime.date) -> list[dict]:
    """Per phase: steps, done or not applicable, overdue, critical open. One grouped query."""
    counts = (
        migration.steps.values("phase")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=~Q(status=StepStatus.TODO)),
            overdue=Count("pk", filter=Q(status=StepStatus.TODO, due_date__lt=today)),
            critical_open=Count("pk", filter=Q(status=StepStatus.TODO, critical=True)),
        )
        .order_by()
    )
    rows = [{**row, "label": Phase(row["phase"]).label} for row in counts]
    return sorted(rows, key=lambda row: PHASE_ORDER[row["phase"]])


def overdue_steps(migration: Migration, today: datetime.date, limit: int = 20):
    return migration.steps.filter(status=StepStatus.TODO, due_date__lt=today).order_by(
        "-critical", "due_date", "order"
    )[:limit]
