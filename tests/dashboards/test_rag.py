"""The RAG rules, table-driven: each row is a migration's situation and the status it must get."""

import datetime

import pytest

from checklists.models import Migration, StepStatus
from dashboards import rag
from tests.factories import DataCheckFactory, MigrationFactory, StepFactory

TODAY = datetime.date(2027, 1, 13)  # a Wednesday with no bank holidays near it
D = datetime.date


def step(due, critical=False, phase="go_live", status=StepStatus.TODO):
    return {"due_date": due, "critical": critical, "phase": phase, "status": status}


LIVE = {"went_live_on": D(2026, 12, 1)}

# (situation, migration fields, steps, expected status, expected rule code)
SCENARIOS = [
    ("nothing due yet", {"go_live_date": D(2027, 3, 1)}, [step(D(2027, 2, 1), critical=True)], "green", ""),
    ("no steps at all", {"go_live_date": D(2027, 3, 1)}, [], "green", ""),
    ("critical step 4 working days late", {}, [step(D(2027, 1, 7), critical=True)], "red", "critical_late"),
    ("critical step 3 working days late", {}, [step(D(2027, 1, 8), critical=True)], "amber", "critical_overdue"),
    ("critical step due today", {}, [step(TODAY, critical=True)], "green", ""),
    ("critical step late but done", {}, [step(D(2027, 1, 4), critical=True, status=StepStatus.DONE)], "green", ""),
    (
        "critical step late but not applicable",
        {},
        [step(D(2027, 1, 4), critical=True, status=StepStatus.NOT_APPLICABLE)],
        "green",
        "",
    ),
    ("ordinary step long overdue", {}, [step(D(2026, 12, 1))], "amber", "overdue"),
    (
        "go-live in 5 working days, critical step open",
        {"go_live_date": D(2027, 1, 20)},
        [step(D(2027, 1, 19), critical=True)],
        "red",
        "go_live_at_risk",
    ),
    (
        "go-live in 6 working days, critical step open",
        {"go_live_date": D(2027, 1, 21)},
        [step(D(2027, 1, 19), critical=True)],
        "green",
        "",
    ),
    (
        "go-live in 5 working days, only critical steps after go-live open",
        {"go_live_date": D(2027, 1, 20)},
        [step(D(2027, 1, 25), critical=True)],
        "green",
        "",
    ),
    (
        "go-live passed without sign-off, critical step open",
        {"go_live_date": D(2027, 1, 11)},
        [step(D(2027, 1, 11), critical=True)],
        "red",
        "go_live_at_risk",
    ),
    (
        "window ends in 7 days, end-of-migration step open",
        {**LIVE, "read_only_ends_on": D(2027, 1, 20)},
        [step(D(2027, 1, 25), phase="end_of_migration")],
        "red",
        "window_ending",
    ),
    (
        "window ends in 8 days, end-of-migration step open",
        {**LIVE, "read_only_ends_on": D(2027, 1, 21)},
        [step(D(2027, 1, 25), phase="end_of_migration")],
        "amber",
        "window_ending_soon",
    ),
    (
        "window ends in 14 days, end-of-migration step open",
        {**LIVE, "read_only_ends_on": D(2027, 1, 27)},
        [step(D(2027, 1, 29), phase="end_of_migration")],
        "amber",
        "window_ending_soon",
    ),
    (
        "window ends in 15 days, end-of-migration step open",
        {**LIVE, "read_only_ends_on": D(2027, 1, 28)},
        [step(D(2027, 1, 29), phase="end_of_migration")],
        "green",
        "",
    ),
    (
        "window ends in 3 days, end-of-migration steps done",
        {**LIVE, "read_only_ends_on": D(2027, 1, 16)},
        [step(D(2027, 1, 14), phase="end_of_migration", status=StepStatus.DONE)],
        "green",
        "",
    ),
    (
        "finished, even with a late critical step",
        {**LIVE, "completed_on": D(2027, 1, 10)},
        [step(D(2027, 1, 4), critical=True)],
        "green",
        "finished",
    ),
    (
        "red beats amber: a late critical step and an ordinary overdue one",
        {},
        [step(D(2027, 1, 12)), step(D(2027, 1, 5), critical=True)],
        "red",
        "critical_late",
    ),
]


def make(fields: dict, steps: list[dict]) -> Migration:
    fields = {"go_live_date": D(2027, 3, 1), **fields}
    if "read_only_ends_on" in fields:
        fields["go_live_date"] = fields["read_only_ends_on"] - datetime.timedelta(days=45)
    migration = MigrationFactory(**fields)
    for values in steps:
        reason = "Not used here" if values["status"] == StepStatus.NOT_APPLICABLE else ""
        StepFactory(migration=migration, not_applicable_reason=reason, **values)
    return migration


@pytest.mark.parametrize(
    ("fields", "steps", "status", "code"),
    [pytest.param(*row[1:], id=row[0]) for row in SCENARIOS],
)
def test_rag_rules(db, fields, steps, status, code):
    migration = make(fields, steps)
    row = rag.with_rag(Migration.objects.filter(pk=migration.pk), TODAY).get()
    rule = rag.rule_of(row.rag_rank)
    assert (rag.status_of(row.rag_rank), rule.code if rule else "") == (status, code)


def test_thresholds_skip_weekends_and_bank_holidays():
    # Tuesday 29 December 2026: Christmas Day (Fri) and Boxing Day substitute (Mon 28th) are bank holidays.
    thresholds = rag.Thresholds.on(D(2026, 12, 29))
    assert thresholds.critical_late_before == D(2026, 12, 22)
    assert thresholds.go_live_soon_by == D(2027, 1, 6)


def test_every_rule_has_a_definition_and_a_known_status():
    assert all(rule.text and rule.status in rag.RAG_LABELS for rule in rag.RULES)
    assert len({rule.code for rule in rag.RULES}) == len(rag.RULES)


def test_filtering_and_counting_by_rag_agree_with_the_rows(db):
    migrations = [make(fields, steps) for _, fields, steps, _, _ in SCENARIOS]
    queryset = rag.with_rag(Migration.objects.filter(pk__in=[m.pk for m in migrations]), TODAY)
    expected = {status: sum(1 for row in SCENARIOS if row[3] == status) for status in rag.RAG_LABELS}
    counts = {status: queryset.filter(rag_rank__range=rag.rank_range(status)).count() for status in rag.RAG_LABELS}
    assert counts == expected


# (situation, data checks as (area, checked on, result) in the order recorded, expected status, expected rule)
CHECK_SCENARIOS = [
    ("latest check failed", [("qof", D(2027, 1, 11), "failed")], "red", "data_check_failed"),
    (
        "failed, then passed on re-check",
        [("qof", D(2027, 1, 8), "failed"), ("qof", D(2027, 1, 11), "passed")],
        "green",
        "",
    ),
    (
        "failed re-check recorded later on the same day",
        [("qof", D(2027, 1, 11), "passed"), ("qof", D(2027, 1, 11), "failed")],
        "red",
        "data_check_failed",
    ),
    (
        "another area's pass does not clear a failure",
        [("qof", D(2027, 1, 8), "failed"), ("cytology", D(2027, 1, 11), "passed")],
        "red",
        "data_check_failed",
    ),
    ("passed with issues is not a failure", [("qof", D(2027, 1, 11), "passed_with_issues")], "green", ""),
]


@pytest.mark.parametrize(("checks", "status", "code"), [pytest.param(*row[1:], id=row[0]) for row in CHECK_SCENARIOS])
def test_rag_data_check_rule(db, checks, status, code):
    migration = make({}, [])
    for area, checked_on, result in checks:
        DataCheckFactory(migration=migration, area=area, checked_on=checked_on, result=result, problems_found=0)
    row = rag.with_rag(Migration.objects.filter(pk=migration.pk), TODAY).get()
    rule = rag.rule_of(row.rag_rank)
    assert (rag.status_of(row.rag_rank), rule.code if rule else "") == (status, code)
