"""Turn dashboard figures into what templates show: table rows, sort links, tiles, charts and CSV cells."""

import datetime
import hashlib
from functools import cache

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from checklists.models import MigrationStage, Phase
from checklists.presenters import stage_tag
from golive.core.components import render_component

from . import charts, rag

RAG_TAG_CLASSES = {
    rag.RED: "nhsuk-tag--red",
    rag.AMBER: "nhsuk-tag--orange",
    rag.GREEN: "nhsuk-tag--green",
    rag.NOT_RATED: "nhsuk-tag--grey",
}

# (sort key or None, heading, numeric)
COLUMNS = [
    ("practice", "Practice", False),
    ("suppliers", "Change of supplier", False),
    ("stage", "Stage", False),
    ("go_live", "Go-live", False),
    ("done", "Steps done", True),
    ("overdue", "Overdue steps", True),
    ("sign_off", "Go-live sign-off", False),
    ("links", "Third-party links", True),
    ("window", "Read-only days left", True),
    ("issues", "Open issues", True),
    ("rag", "RAG", False),
]


def rag_tag(status: str) -> dict:
    return {"text": rag.RAG_LABELS[status], "classes": RAG_TAG_CLASSES[status]}


def rag_reasons(migration_pk: int, rules: list, failing_checks: list) -> list[dict]:
    """Every rule that applies, as text with a link to where it can be seen; the data-check rule lists the failing
    checks themselves, each linked. Green rules (finished) say nothing: green needs no reason."""
    reasons = []
    for rule in rules:
        if rule.status == rag.GREEN:
            continue
        href = reverse(rule.evidence_url, args=[migration_pk]) if rule.evidence_url else ""
        details = []
        if rule.code == "data_check_failed":
            details = [
                {
                    "text": failing_check_text(check),
                    "href": reverse("go_live:data_checks", args=[migration_pk]) + f"#check-{check.pk}",
                }
                for check in failing_checks
            ]
        reasons.append({"text": rule.text, "href": href, "details": details})
    return reasons


def failing_check_text(check) -> str:
    return (
        f"{check.get_area_display()}, {check.get_round_display()} round: {check.problems_found} problem"
        f"{'' if check.problems_found == 1 else 's'} in {check.records_checked} records "
        f"(checked {long_date(check.checked_on)})"
    )


def reasons_text(rules: list) -> str:
    """The reasons in one line, for the CSV."""
    return "; ".join(rule.text for rule in rules if rule.status != rag.GREEN)


def links_text(migration) -> str:
    """What is true of the third-party links: none listed yet; before go-live, how many are still to switch off;
    after go-live, how many are not back and verified."""
    if migration.withdrawn_at:
        return "–"
    if not migration.links_total:
        return "Not set up"
    if migration.links_outstanding is None:
        return f"{migration.links_to_switch_off} to switch off" if migration.links_to_switch_off else "All switched off"
    return f"{migration.links_outstanding} not back" if migration.links_outstanding else "All back"


def window_days_left(migration, today: datetime.date) -> int | None:
    """Days of the old system's read-only window left, for live migrations neither finished nor withdrawn."""
    if not migration.went_live_on or migration.completed_on or migration.withdrawn_at:
        return None
    return (migration.read_only_ends_on - today).days


def sign_off_text(migration, today: datetime.date) -> str:
    if migration.signed_off:
        return "Signed off"
    if migration.went_live_on:
        return f"Went live {long_date(migration.went_live_on)}, before using GoLive"
    if migration.withdrawn_at:
        return "–"
    return "Not signed off" if migration.go_live_date <= today else "Not due yet"


def long_date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


@cache
def _stage_tag_html(stage: str) -> SafeString:
    return render_component("tag", stage_tag(stage))


@cache
def _rag_tag_html(status: str) -> SafeString:
    return render_component("tag", rag_tag(status))


def decorate_rows(rows, today: datetime.date, details: dict[int, dict]) -> None:
    """Add display values to the page's rows (only the rows on the page, never the whole portfolio).

    `details` is selectors.rows_detail for these rows. Tags are rendered once per process for each stage and
    status: a table of them is the same few tags repeated.
    """
    for migration in rows:
        detail = details[migration.pk]
        migration.stage_tag_html = _stage_tag_html(migration.stage)
        migration.this_phase = Phase(detail["this_phase"]).label if detail["this_phase"] else ""
        migration.rag_tag_html = _rag_tag_html(rag.status_of(migration.rag_rank))
        migration.rag_reasons = rag_reasons(migration.pk, detail["reasons"], detail["failing_checks"])
        migration.window_left = window_days_left(migration, today)
        migration.sign_off_text = sign_off_text(migration, today)
        migration.links_text = links_text(migration)


def content_cache_key(page: str, scope, params: QueryDict, today: datetime.date) -> str | None:
    """A cache key for content that depends only on the ICBs in scope, the ICBs on offer, the places a place
    commissioner is limited to, the query and the day.

    Two users get the same key only if they may see exactly the same migrations and choices. None: no caching.
    """
    if not settings.DASHBOARD_CACHE_SECONDS:
        return None
    parts = [
        page,
        today.isoformat(),
        "national" if scope.national else "icbs",
        ",".join(str(pk) for pk in sorted(scope.icb_ids)),
        ",".join(str(icb.pk) for icb in scope.icbs),
        ",".join(str(place.pk) for place in scope.places),
        "&".join(f"{key}={value}" for key, values in sorted(params.lists()) for value in values),
    ]
    return "dashboards:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def query_string(params: QueryDict, **changes) -> str:
    """The current query string with some parameters changed (None removes one); page always resets."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return query.urlencode()


def sort_headers(params: QueryDict, sort: str, descending: bool) -> list[dict]:
    """Column headers; the sorted one carries aria-sort, and each links to sort by it (again: reversed)."""
    headers = []
    for key, text, numeric in COLUMNS:
        current = key == sort
        next_order = "asc" if current and descending else ("desc" if current else "asc")
        headers.append(
            {
                "text": text,
                "numeric": numeric,
                "href": "?" + query_string(params, sort=key, order=next_order),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return headers


def tiles(counts: dict) -> list[dict]:
    return [
        {"label": "Migrations in progress", "value": counts["in_flight"], "id": "in-flight"},
        {"label": "Red", "value": counts["red"], "id": "red"},
        {"label": "Amber", "value": counts["amber"], "id": "amber"},
        {"label": "Green", "value": counts["green"], "id": "green"},
        {"label": "Read-only windows ending in the next 14 days", "value": counts["windows_ending"], "id": "windows"},
    ]


def place_label(code: str | None, name: str | None) -> str:
    """How a sub-ICB location reads in lists (the filter and the table): its name and code, or just the code
    when ODS gave no name."""
    if code is None:
        return "No sub-ICB location recorded"
    return code if not name or name == code else f"{name} ({code})"


def places_table(rows: list[dict], params: QueryDict) -> dict | None:
    """Migrations grouped by sub-ICB location (nhsuk "tables" parameters); each place links to the page
    filtered to it. None when there is nothing to group."""
    if not rows:
        return None
    numeric = [("total", "Migrations"), ("in_flight", "In progress"), ("red", "Red"), ("amber", "Amber")]
    numeric.append(("green", "Green"))
    return {
        # The section's heading says what the table is; screen readers get the caption too.
        "caption": {"text": "Migrations by sub-ICB location", "classes": "nhsuk-u-visually-hidden"},
        "firstCellIsHeader": True,
        "responsive": True,
        "head": [{"text": "Sub-ICB location"}] + [{"text": label, "format": "numeric"} for _, label in numeric],
        "rows": [
            [
                {
                    "text": place_label(row["code"], row["name"]),
                    "href": "?" + query_string(params, place=str(row["place_id"] or "none")),
                }
            ]
            + [{"text": str(row[key]), "format": "numeric"} for key, _ in numeric]
            for row in rows
        ],
    }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def pipeline_chart(counts: dict[str, int]) -> dict:
    bars = [(MigrationStage(stage).label, n) for stage, n in counts.items()]
    busiest = max(bars, key=lambda bar: bar[1]) if any(n for _, n in bars) else None
    summary = (
        f"{_plural(sum(counts.values()), 'migration')}; the most are at “{busiest[0]}” ({busiest[1]})."
        if busiest
        else "No migrations yet."
    )
    title = "Migrations by stage"
    return {
        "id": "chart-pipeline",
        "title": title,
        "summary": summary,
        "svg": charts.bar_chart("chart-pipeline", title, summary, bars),
        "head": ["Stage", "Migrations"],
        "rows": [[label, n] for label, n in bars],
    }


def go_lives_chart(months: list[dict], today: datetime.date) -> dict:
    done = sum(row["live"] for row in months)
    ahead = sum(row["scheduled"] for row in months)
    title = "Go-lives per month"
    summary = (
        f"{_plural(done, 'practice')} went live and {ahead} more are scheduled "
        f"between {date_format(months[0]['month'], 'F Y')} and {date_format(months[-1]['month'], 'F Y')}."
    )
    columns = [(date_format(row["month"], "M y"), row["live"], row["scheduled"]) for row in months]
    return {
        "id": "chart-go-lives",
        "title": title,
        "summary": summary,
        "svg": charts.stacked_columns("chart-go-lives", title, summary, columns, ("Went live", "Scheduled")),
        "head": ["Month", "Went live", "Scheduled"],
        "rows": [[date_format(row["month"], "F Y"), row["live"], row["scheduled"]] for row in months],
    }


def cutover_chart(pairs: list[dict]) -> dict:
    title = "Cutover length by change of supplier"
    if pairs:
        slowest = max(pairs, key=lambda pair: pair["median"])
        summary = (
            f"Median cutover from FDP to go-live across {len(pairs)} changes of supplier; "
            f"longest median {slowest['median']:g} days ({slowest['pair']})."
        )
    else:
        summary = "No practice has gone live yet, so there are no cutover lengths."
    return {
        "id": "chart-cutover",
        "title": title,
        "summary": summary,
        "svg": charts.range_chart(
            "chart-cutover",
            title,
            summary,
            [(p["pair"], p["shortest"], p["median"], p["longest"]) for p in pairs],
        ),
        "head": ["Change of supplier", "Went live", "Median days", "Shortest", "Longest"],
        "rows": [[p["pair"], p["count"], f"{p['median']:g}", p["shortest"], p["longest"]] for p in pairs],
    }


def slippage_chart(bands: list[dict]) -> dict:
    title = "Go-live slippage"
    total = sum(band["count"] for band in bands)
    later = sum(band["count"] for band in bands if band["code"] not in {"earlier", "on_time"})
    summary = (
        f"{later} of {_plural(total, 'live migration')} went live later than first planned."
        if total
        else "No practice has gone live yet."
    )
    bars = [(band["label"], band["count"]) for band in bands]
    return {
        "id": "chart-slippage",
        "title": title,
        "summary": summary,
        "svg": charts.bar_chart("chart-slippage", title, summary, bars),
        "head": ["Go-live compared with the first planned date", "Migrations"],
        "rows": [[label, n] for label, n in bars],
    }


DEFINITIONS = [
    ("Migrations in progress", "Migrations neither finished nor withdrawn, whatever their stage."),
    ("Red, amber and green", "How many migrations each RAG status covers, by the rules above."),
    (
        "Stage",
        "Where the migration is, from its dates: planning until IDP, data checking until FDP, cutover "
        "until the go-live date, then “go-live date passed: not signed off” until the go-live data is signed off; "
        "then live with the old system read-only until the window ends, and finished when the end-of-migration "
        "steps are done. Withdrawn migrations stay on record with the stage “Withdrawn”.",
    ),
    (
        "This phase",
        "Shown under the stage: the checklist phase of the earliest open step that is due by today, or, when none "
        "is, of the next open step.",
    ),
    ("Steps done", "Checklist steps done or marked not applicable, as a share of all the migration's steps."),
    ("Overdue steps", "Steps still to do whose due date is before today (dates in UK time)."),
    (
        "Go-live sign-off",
        "Whether the practice has signed off the go-live data; “Not signed off” once the go-live date has "
        "passed without it. A practice that went live before it used GoLive shows the date it went live.",
    ),
    (
        "Third-party links",
        "Services connected to the clinical system, switched off for cutover. “Not set up” until the practice "
        "lists them. Before go-live: how many are still to switch off. After go-live: how many are not yet "
        "reconnected and verified working (links marked not needed do not count).",
    ),
    ("Open issues", "Entries in the migration's issue log not yet resolved."),
    (
        "Read-only days left",
        "Calendar days until the old system's read-only window ends, for practices that "
        "have gone live and not finished.",
    ),
    (
        "Read-only windows ending in the next 14 days",
        "Live, unfinished migrations whose window ends today or within 14 days.",
    ),
    (
        "Go-lives per month",
        "By go-live date, 6 months back to 5 months ahead: went live (go-live signed off) or "
        "scheduled (not yet signed off).",
    ),
    (
        "Cutover length",
        "Calendar days from final data production (FDP) to go-live, for practices that have gone "
        "live, by change of supplier: median, shortest and longest.",
    ),
    ("Go-live slippage", "For practices that have gone live: go-live date compared with the date first planned."),
    (
        "Summary figures and charts",
        "Cover every migration in the ICB (or ICBs) shown, whatever the table's filters. Withdrawn migrations "
        "are listed in the table but left out of every figure and chart.",
    ),
]


def rag_rules() -> list[dict]:
    return [{"tag": rag_tag(rule.status), "text": rule.text} for rule in rag.RULES]


# --- CSV -----------------------------------------------------------------------------------

CSV_HEADER = [
    "Practice",
    "ODS code",
    "ICB",
    "Sub-ICB location",
    "Old supplier",
    "New supplier",
    "Stage",
    "Go-live date",
    "Steps done (%)",
    "Steps",
    "Overdue steps",
    "Go-live sign-off",
    "Third-party links",
    "Read-only days left",
    "Open issues",
    "RAG",
    "RAG reasons",
]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> object:
    """Text a spreadsheet could run as a formula gets a leading apostrophe (OWASP CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_row(migration, today: datetime.date) -> list:
    left = window_days_left(migration, today)
    values = [
        migration.practice.name,
        migration.practice.ods_code,
        migration.practice.icb.code,
        migration.practice.sub_icb_location.code if migration.practice.sub_icb_location else "",
        migration.old_supplier.name,
        migration.new_supplier.name,
        MigrationStage(migration.stage).label,
        migration.go_live_date.isoformat(),
        migration.percent_done,
        migration.steps_total,
        migration.steps_overdue,
        sign_off_text(migration, today),
        links_text(migration),
        "" if left is None else left,
        migration.open_issues,
        rag.RAG_LABELS[rag.status_of(migration.rag_rank)],
        reasons_text(rag.reasons_of(migration)),
    ]
    return [csv_cell(value) for value in values]
