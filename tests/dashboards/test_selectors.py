"""Dashboard aggregates, each checked against an independent count in Python over the same rows."""

import datetime
import random
import statistics

import pytest
from django.utils import timezone

from checklists.models import Migration, MigrationStage, StepStatus
from dashboards import rag, selectors
from tests.factories import ICBFactory, MigrationFactory, PracticeFactory, StepFactory, SupplierFactory

TODAY = datetime.date(2027, 1, 13)


@pytest.fixture
def portfolio_data(db):
    """Forty migrations in one ICB with varied dates, suppliers and progress, and a few in another ICB."""
    rng = random.Random(6)
    icb, elsewhere = ICBFactory(), ICBFactory()
    suppliers = [SupplierFactory(name=name) for name in ("EMIS", "TPP", "Cegedim")]
    for index in range(46):
        old, new = rng.sample(suppliers, 2)
        go_live = TODAY + datetime.timedelta(days=rng.randint(-200, 150))
        planned = go_live - datetime.timedelta(days=rng.choice([-3, 0, 0, 5, 20, 40]))
        live = go_live <= TODAY and rng.random() < 0.8
        finished = live and go_live < TODAY - datetime.timedelta(days=100)
        migration = MigrationFactory(
            practice=PracticeFactory(icb=icb if index < 40 else elsewhere),
            old_supplier=old,
            new_supplier=new,
            go_live_date=go_live,
            planned_go_live_date=planned,
            fdp_date=go_live - datetime.timedelta(days=rng.choice([2, 5, 7, 9, 14])),
            went_live_on=go_live if live else None,
            completed_on=go_live + datetime.timedelta(days=46) if finished else None,
        )
        if not finished and index % 7 == 3:
            # Withdrawn: listed, but left out of every count and chart.
            Migration.objects.filter(pk=migration.pk).update(
                withdrawn_at=timezone.now(), withdrawal_reason="Created for the wrong practice"
            )
        for _ in range(rng.randint(0, 4)):
            StepFactory(
                migration=migration,
                due_date=TODAY + datetime.timedelta(days=rng.randint(-20, 20)),
                critical=rng.random() < 0.3,
                status=rng.choice([StepStatus.TODO, StepStatus.DONE]),
                phase=rng.choice(["go_live", "end_of_migration"]),
            )
    return icb


def scoped(icb):
    return Migration.objects.filter(practice__icb=icb)


def counted(icb):
    """What the charts and figures count: the scope less withdrawn migrations."""
    return scoped(icb).filter(withdrawn_at__isnull=True)


def test_the_data_holds_withdrawn_migrations(portfolio_data):
    assert scoped(portfolio_data).filter(withdrawn_at__isnull=False).exists()


def test_stage_counts_match_each_migrations_own_stage(portfolio_data):
    expected = dict.fromkeys(selectors.PIPELINE_STAGES, 0)
    for migration in counted(portfolio_data):
        expected[migration.stage_on(TODAY)] += 1
    assert MigrationStage.WITHDRAWN not in expected
    assert selectors.stage_counts(scoped(portfolio_data), TODAY) == expected


def test_go_lives_by_month_match_a_count_of_go_live_dates(portfolio_data):
    months = selectors.go_lives_by_month(scoped(portfolio_data), TODAY)
    assert len(months) == 12
    assert months[6]["month"] == datetime.date(2027, 1, 1)
    for row in months:
        month = (row["month"].year, row["month"].month)
        in_month = [m for m in counted(portfolio_data) if (m.go_live_date.year, m.go_live_date.month) == month]
        assert row["live"] == sum(1 for m in in_month if m.went_live_on)
        assert row["scheduled"] == sum(1 for m in in_month if not m.went_live_on)


def test_cutover_median_and_range_match_statistics_module(portfolio_data):
    expected = {}
    for m in counted(portfolio_data).filter(went_live_on__isnull=False).select_related("old_supplier", "new_supplier"):
        pair = f"{m.old_supplier.name} to {m.new_supplier.name}"
        expected.setdefault(pair, []).append((m.go_live_date - m.fdp_date).days)
    found = {row["pair"]: row for row in selectors.cutover_days_by_pair(scoped(portfolio_data))}
    assert set(found) == set(expected)
    for pair, days in expected.items():
        assert found[pair]["count"] == len(days)
        assert found[pair]["median"] == statistics.median(days)
        assert (found[pair]["shortest"], found[pair]["longest"]) == (min(days), max(days))


def test_slippage_bands_match_a_count_of_moved_go_lives(portfolio_data):
    live = list(counted(portfolio_data).filter(went_live_on__isnull=False))
    bands = {row["code"]: row["count"] for row in selectors.go_live_slippage(scoped(portfolio_data))}
    assert sum(bands.values()) == len(live)
    assert bands["on_time"] == sum(1 for m in live if m.go_live_date == m.planned_go_live_date)
    assert bands["over_month"] == sum(1 for m in live if (m.go_live_date - m.planned_go_live_date).days > 28)


def test_summary_counts_match_the_rows(portfolio_data):
    rows = list(rag.with_rag(scoped(portfolio_data), TODAY))
    counts = selectors.summary_counts(scoped(portfolio_data), TODAY)
    assert counts["total"] == 40
    assert counts["in_flight"] == sum(1 for m in rows if not m.completed_on and not m.withdrawn_at)
    for status in (rag.RED, rag.AMBER, rag.GREEN):
        assert counts[status] == sum(1 for m in rows if rag.status_of(m.rag_rank) == status and not m.withdrawn_at)
    assert all(rag.status_of(m.rag_rank) == rag.NOT_RATED for m in rows if m.withdrawn_at)
    assert counts["windows_ending"] == sum(
        1 for m in rows if m.went_live_on and m.is_open and 0 <= (m.read_only_ends_on - TODAY).days <= 14
    )


def test_percent_done_and_overdue_match_each_migrations_steps(portfolio_data):
    rows = selectors.portfolio(scoped(portfolio_data), today=TODAY, filters=selectors.PortfolioFilters())
    for row in rows:
        steps = list(row.steps.all())
        closed = sum(1 for s in steps if s.status != StepStatus.TODO)
        assert row.percent_done == (closed * 100 // len(steps) if steps else 0)
        assert row.steps_overdue == sum(1 for s in steps if s.is_overdue(TODAY))


@pytest.mark.parametrize("sort", sorted(selectors.SORT_FIELDS))
def test_every_sort_key_orders_rows_and_reverses(portfolio_data, sort):
    filters = selectors.PortfolioFilters()
    forward = [m.pk for m in selectors.portfolio(scoped(portfolio_data), today=TODAY, filters=filters, sort=sort)]
    backward = [
        m.pk
        for m in selectors.portfolio(scoped(portfolio_data), today=TODAY, filters=filters, sort=sort, descending=True)
    ]
    assert sorted(forward) == sorted(backward)
    assert len(forward) == 40


def test_filters_by_stage_rag_pair_and_month_match_python(portfolio_data):
    rows = list(selectors.portfolio(scoped(portfolio_data), today=TODAY, filters=selectors.PortfolioFilters()))
    sample = rows[0]
    filters = selectors.PortfolioFilters(
        stage=sample.stage,
        rag=rag.status_of(sample.rag_rank),
        supplier_pair=(sample.old_supplier_id, sample.new_supplier_id),
        go_live_from=sample.go_live_date.replace(day=1),
        go_live_to=selectors.month_start(sample.go_live_date, 1),
    )
    found = {m.pk for m in selectors.portfolio(scoped(portfolio_data), today=TODAY, filters=filters)}
    expected = {
        m.pk
        for m in rows
        if m.stage == sample.stage
        and rag.status_of(m.rag_rank) == rag.status_of(sample.rag_rank)
        and (m.old_supplier_id, m.new_supplier_id) == (sample.old_supplier_id, sample.new_supplier_id)
        and (m.go_live_date.year, m.go_live_date.month) == (sample.go_live_date.year, sample.go_live_date.month)
    }
    assert sample.pk in found
    assert found == expected


def test_median_of_an_even_histogram_is_the_mean_of_the_middle_two():
    assert selectors._median([(3, 1), (5, 1), (9, 2)]) == 7
    assert selectors._median([(4, 3)]) == 4
