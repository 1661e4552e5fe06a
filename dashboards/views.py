"""Commissioner dashboards: thin views over scoped selectors. Read-only, so GET only."""

import csv
import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from checklists import presenters as checklist_presenters
from checklists import selectors as checklist_selectors
from checklists.models import Phase
from go_live import presenters as go_live_presenters
from go_live import selectors as go_live_selectors
from reconnections import selectors as reconnection_selectors

from . import presenters, rag, selectors
from .forms import PortfolioFilterForm

PAGE_SIZE = 25
PRINT_LIMIT = 500


class _Echo:
    """A file-like object for csv.writer that hands each line straight to the streaming response."""

    def write(self, value):
        return value


def _portfolio(request, today: datetime.date, scope=None, *, reasons: bool = False) -> dict:
    """Scope, filters and sorted rows shared by the page, the print page and the CSV."""
    scope = scope or selectors.dashboard_scope(request.user, request.GET.get("icb"))
    migrations = selectors.scoped_migrations(request.user, scope)
    form = PortfolioFilterForm(
        request.GET or None,
        today=today,
        pairs=selectors.supplier_pairs(migrations),
        places=selectors.places_in(migrations),
        scope=scope,
    )
    filters = form.filters()
    # A chosen sub-ICB location narrows the whole page (tiles and charts too), as choosing an ICB does.
    migrations = selectors.in_place(migrations, filters.place)
    sort = request.GET.get("sort", "")
    sort = sort if sort in selectors.SORT_FIELDS else selectors.DEFAULT_SORT
    descending = request.GET.get("order") == "desc"
    rows = selectors.portfolio(
        migrations, today=today, filters=filters, sort=sort, descending=descending, reasons=reasons
    )
    place_name = dict(form.fields["place"].choices).get(filters.place) if filters.place else None
    return {
        "scope": scope,
        "place_name": place_name,
        "migrations": migrations,
        "form": form,
        "rows": rows,
        "sort": sort,
        "descending": descending,
    }


@require_GET
def portfolio(request):
    """The portfolio page. Its content is cached briefly per scope and query string (docs/decisions)."""
    today = timezone.localdate()
    scope = selectors.dashboard_scope(request.user, request.GET.get("icb"))
    key = presenters.content_cache_key("portfolio", scope, request.GET, today)
    content = cache.get(key) if key else None
    if content is None:
        content = _portfolio_content(request, today, scope)
        if key:
            cache.set(key, content, settings.DASHBOARD_CACHE_SECONDS)
    return render(
        request,
        "dashboards/portfolio.html",
        {"scope": scope, "content": content["html"], "page_has_errors": content["has_errors"]},
    )


def _portfolio_content(request, today: datetime.date, scope) -> dict:
    """Everything inside the page's main content, rendered; it depends only on the scope and the query string."""
    context = _portfolio(request, today, scope)
    page = Paginator(context["rows"], PAGE_SIZE).get_page(request.GET.get("page"))
    presenters.decorate_rows(page, today, selectors.rows_detail([row.pk for row in page], today))
    migrations = context["migrations"]
    has_errors = context["form"].is_bound and bool(context["form"].errors)
    html = render_to_string(
        "dashboards/_portfolio_content.html",
        {
            **context,
            "page": page,
            "query": presenters.query_string(request.GET),
            "headers": presenters.sort_headers(request.GET, context["sort"], context["descending"]),
            "tiles": presenters.tiles(selectors.summary_counts(migrations, today)),
            "places_table": presenters.places_table(selectors.place_counts(migrations, today), request.GET),
            "charts": [
                presenters.pipeline_chart(selectors.stage_counts(migrations, today)),
                presenters.go_lives_chart(selectors.go_lives_by_month(migrations, today), today),
                presenters.cutover_chart(selectors.cutover_days_by_pair(migrations)),
                presenters.slippage_chart(selectors.go_live_slippage(migrations)),
            ],
            "definitions": presenters.DEFINITIONS,
            "rag_rules": presenters.rag_rules(),
            "data_as_of": timezone.now(),
        },
    )
    return {"html": html, "has_errors": has_errors}


@require_GET
def portfolio_print(request):
    """Every filtered row (up to a limit) on one page, for printing or saving as PDF from the browser."""
    today = timezone.localdate()
    context = _portfolio(request, today)
    rows = list(context["rows"][: PRINT_LIMIT + 1])
    presenters.decorate_rows(rows, today, selectors.rows_detail([row.pk for row in rows], today))
    return render(
        request,
        "dashboards/portfolio_print.html",
        {
            **context,
            "print_rows": rows[:PRINT_LIMIT],
            "headers": presenters.sort_headers(request.GET, context["sort"], context["descending"]),
            "truncated": len(rows) > PRINT_LIMIT,
            "print_limit": PRINT_LIMIT,
            "query": presenters.query_string(request.GET),
            "rag_rules": presenters.rag_rules(),
            "data_as_of": timezone.now(),
        },
    )


@require_GET
def portfolio_csv(request):
    """The filtered portfolio as CSV, streamed row by row from one query."""
    today = timezone.localdate()
    rows = _portfolio(request, today, reasons=True)["rows"]
    writer = csv.writer(_Echo())
    lines = (writer.writerow(line) for line in _csv_lines(rows, today))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="golive-portfolio-{today.isoformat()}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _csv_lines(rows, today: datetime.date):
    yield presenters.CSV_HEADER
    for migration in rows.iterator(chunk_size=500):
        yield presenters.csv_row(migration, today)


@require_GET
def migration(request, pk):
    """Drill-down: one practice's migration, read-only, for commissioners of its ICB."""
    migration = checklist_selectors.migration_get_for_user(request.user, pk)
    if not selectors.can_use_dashboards(request.user, migration):
        raise PermissionDenied("Dashboards are for commissioners.")
    today = timezone.localdate()
    summary = selectors.migration_rag(migration, today)
    readiness = go_live_selectors.go_live_readiness(migration)
    failing = go_live_selectors.failed_latest_checks_of([migration.pk]).get(migration.pk, [])
    return render(
        request,
        "dashboards/migration.html",
        {
            "migration": migration,
            "summary": summary,
            "rag_tag": presenters.rag_tag(rag.status_of(summary.rag_rank)),
            "rag_reasons": presenters.rag_reasons(migration.pk, rag.reasons_of(summary), failing),
            "stage_tag": checklist_presenters.stage_tag(migration.stage_on(today)),
            "this_phase": Phase(checklist_selectors.current_phase(migration, today)).label,
            "countdown": checklist_presenters.countdown(migration, today),
            "withdrawal": checklist_presenters.withdrawal_rows(migration),
            "key_dates_summary": {"rows": checklist_presenters.key_dates_rows(migration)},
            "phases": selectors.phase_summary(migration, today),
            "overdue_steps": selectors.overdue_steps(migration, today),
            "sign_off_summary": (
                {"rows": go_live_presenters.sign_off_rows(readiness.sign_off)} if readiness.sign_off else None
            ),
            "check_rows": [
                {"area": area, "check": check, "tag": go_live_presenters.check_result_tag(check)}
                for area, check in readiness.checks
            ],
            "open_issues_phrase": go_live_presenters.open_issues_phrase(readiness.open_issues),
            "links": reconnection_selectors.links_outstanding(migration),
            "gone_live": bool(migration.went_live_on),
            "history": checklist_selectors.migration_history(migration)[:10],
            "data_as_of": timezone.now(),
        },
    )
