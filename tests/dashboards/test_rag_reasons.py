"""The RAG rules added so the commissioner's view tells the truth (issue 10, item 7), table-driven, and every
reason that applies shown on the portfolio row and the drill-down, with the failing check itself."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists.models import Migration
from dashboards import rag
from tests.factories import (
    DataCheckFactory,
    IssueFactory,
    MigrationFactory,
    StepFactory,
    ThirdPartyLinkFactory,
    UserFactory,
)

TODAY = datetime.date(2027, 1, 13)  # a Wednesday with no bank holidays near it
D = datetime.date


def issue(severity, status="open"):
    def add(migration):
        resolved = {"resolution_note": "Fixed", "resolved_at": timezone.now()} if status == "resolved" else {}
        IssueFactory(migration=migration, severity=severity, status=status, raised_by=UserFactory(), **resolved)

    return add


def link(status):
    return lambda migration: add_link(migration, status)


def add_link(migration, status):
    reason = {"not_needed_reason": "The practice stopped using it"} if status == "not_needed" else {}
    return ThirdPartyLinkFactory(migration=migration, status=status, **reason)


def failed_check(migration):
    DataCheckFactory(migration=migration, area="cytology", result="failed", problems_found=49, records_checked=50)


def went_live(day):
    return {"went_live_on": day, "go_live_date": day, "read_only_ends_on": day + datetime.timedelta(days=45)}


FUTURE = {"go_live_date": D(2027, 3, 1)}

# (situation, migration fields, things added, expected status, expected deciding rule)
SCENARIOS = [
    ("an open critical issue", FUTURE, [issue("critical")], "red", "critical_issue_open"),
    ("a resolved critical issue", FUTURE, [issue("critical", "resolved")], "green", ""),
    ("an open high issue", FUTURE, [issue("high")], "amber", "high_issue_open"),
    ("open medium and low issues", FUTURE, [issue("medium"), issue("low")], "green", ""),
    # Links are due back and verified the working day after go-live; red 5 working days after.
    ("live today, links not back", went_live(TODAY), [link("switched_off")], "green", ""),
    ("live 1 working day ago, links not back", went_live(D(2027, 1, 12)), [link("switched_off")], "green", ""),
    (
        "live 2 working days ago, a link not verified",
        went_live(D(2027, 1, 11)),
        [link("reconnected")],
        "amber",
        "links_due",
    ),
    ("live 5 working days ago, links not back", went_live(D(2027, 1, 6)), [link("switched_off")], "amber", "links_due"),
    ("live 6 working days ago, links not back", went_live(D(2027, 1, 5)), [link("switched_off")], "red", "links_late"),
    (
        "live 6 working days ago, links verified or not needed",
        went_live(D(2027, 1, 5)),
        [link("verified"), link("not_needed")],
        "green",
        "",
    ),
    ("not live, links switched off for cutover", FUTURE, [link("switched_off")], "green", ""),
    ("latest check failed", FUTURE, [failed_check], "red", "data_check_failed"),
    ("go-live day, not signed off yet", {"go_live_date": TODAY}, [], "green", ""),
    ("go-live passed, not signed off", {"go_live_date": D(2027, 1, 12)}, [], "red", "sign_off_overdue"),
    ("go-live passed, live", went_live(D(2027, 1, 12)), [], "green", ""),
    (
        "withdrawn, whatever else is wrong",
        {"go_live_date": D(2027, 1, 4), "withdrawn_at": timezone.now(), "withdrawal_reason": "Created by mistake"},
        [issue("critical"), failed_check],
        "not_rated",
        "withdrawn",
    ),
]


def make(fields: dict, extras) -> Migration:
    migration = MigrationFactory(**fields)
    for add in extras:
        add(migration)
    return migration


def row_of(migration):
    return rag.with_rag(Migration.objects.filter(pk=migration.pk), TODAY, reasons=True).get()


@pytest.mark.parametrize(
    ("fields", "extras", "status", "code"), [pytest.param(*row[1:], id=row[0]) for row in SCENARIOS]
)
def test_new_rag_rules(db, fields, extras, status, code):
    row = row_of(make(fields, extras))
    rule = rag.rule_of(row.rag_rank)
    assert (rag.status_of(row.rag_rank), rule.code if rule else "") == (status, code)
    # The deciding rule is always among the reasons shown (closed ones alone; green by default has none).
    assert [r.code for r in rag.reasons_of(row)][:1] == ([code] if code else [])


def test_every_reason_that_applies_is_listed_worst_first(db):
    migration = make(
        {"go_live_date": D(2027, 1, 12)},
        [issue("critical"), issue("high"), failed_check],
    )
    StepFactory(migration=migration, due_date=D(2027, 1, 4), critical=True)  # 7 working days late
    StepFactory(migration=migration, due_date=D(2027, 1, 12))  # an ordinary step, 1 day late
    reasons = [rule.code for rule in rag.reasons_of(row_of(migration))]
    assert reasons == [
        "critical_late",
        "go_live_at_risk",
        "sign_off_overdue",
        "data_check_failed",
        "critical_issue_open",
        "high_issue_open",
        "overdue",
    ]


def test_each_reason_shown_is_true_on_its_own(db):
    """A critical step 7 working days late is not also "overdue by 3 working days or fewer", nor "not critical"."""
    migration = make(FUTURE, [])
    StepFactory(migration=migration, due_date=D(2027, 1, 4), critical=True)
    assert [rule.code for rule in rag.reasons_of(row_of(migration))] == ["critical_late"]


def test_a_finished_migration_gives_no_reasons(db):
    migration = make({**went_live(D(2026, 11, 2)), "completed_on": D(2026, 12, 20)}, [issue("critical")])
    row = row_of(migration)
    assert rag.status_of(row.rag_rank) == rag.GREEN
    assert [rule.code for rule in rag.reasons_of(row)] == ["finished"]


def test_filtering_and_counting_by_rag_agree_with_the_rows(db):
    migrations = [make(fields, extras) for _, fields, extras, _, _ in SCENARIOS]
    queryset = rag.with_rag(Migration.objects.filter(pk__in=[m.pk for m in migrations]), TODAY)
    expected = {status: sum(1 for row in SCENARIOS if row[3] == status) for status in rag.RAG_LABELS}
    counts = {status: queryset.filter(rag_rank__range=rag.rank_range(status)).count() for status in rag.RAG_LABELS}
    assert counts == expected


# --- On the pages --------------------------------------------------------------------------

PORTFOLIO = reverse("dashboards:portfolio")


def test_the_portfolio_row_shows_every_reason_and_links_to_the_failing_check(client_for, world):
    migration = world.migration
    check = DataCheckFactory(
        migration=migration,
        area="cytology",
        result="failed",
        problems_found=49,
        records_checked=50,
        checked_by=world.staff,
    )
    IssueFactory(migration=migration, severity="critical", raised_by=world.manager)
    response = client_for(world.commissioner).get(PORTFOLIO, {"q": "A12345"})
    (row,) = response.context["page"]
    texts = [reason["text"] for reason in row.rag_reasons]
    assert "An issue of critical severity is open in the issue log" in texts
    assert any(text.startswith("The latest data check of an area failed") for text in texts)
    html = response.content.decode()
    check_link = reverse("go_live:data_checks", args=[migration.pk]) + f"#check-{check.pk}"
    assert f'href="{check_link}"' in html
    assert "Cytology targets, Go-live round: 49 problems in 50 records" in html
    assert f'href="{reverse("go_live:issues", args=[migration.pk])}"' in html


def test_the_drill_down_shows_every_reason_with_the_failing_check(client_for, world):
    migration = world.migration
    check = DataCheckFactory(
        migration=migration,
        area="immunisation",
        round="post_go_live",
        result="failed",
        problems_found=3,
        checked_by=world.staff,
    )
    IssueFactory(migration=migration, severity="high", raised_by=world.manager)
    response = client_for(world.commissioner).get(reverse("dashboards:migration", args=[migration.pk]))
    html = response.content.decode()
    assert "Immunisation targets, Post go-live round: 3 problems in 50 records" in html
    assert reverse("go_live:data_checks", args=[migration.pk]) + f"#check-{check.pk}" in html
    assert "An issue of high severity is open in the issue log" in html


def test_the_definitions_list_every_rule(client_for, world):
    html = client_for(world.commissioner).get(PORTFOLIO).content.decode()
    for rule in rag.RULES:
        assert rule.text.replace("'", "&#x27;") in html.replace("&#39;", "&#x27;")


@pytest.mark.parametrize(
    ("live", "statuses", "text"),
    [
        (False, [], "Not set up"),
        (False, ["in_use", "supplier_told", "switched_off"], "2 to switch off"),
        (False, ["switched_off", "not_needed"], "All switched off"),
        (True, ["switched_off", "reconnected", "verified"], "2 not back"),
        (True, ["verified", "not_needed"], "All back"),
    ],
)
def test_links_column_says_what_is_true(client_for, world, live, statuses, text):
    migration = world.migration
    if live:
        Migration.objects.filter(pk=migration.pk).update(went_live_on=migration.go_live_date)
    for status in statuses:
        add_link(migration, status)
    (row,) = client_for(world.commissioner).get(PORTFOLIO, {"q": "A12345"}).context["page"]
    assert row.links_text == text


def test_this_phase_shows_under_the_stage(client_for, world):
    from checklists.models import Phase
    from checklists.selectors import current_phase

    (row,) = client_for(world.commissioner).get(PORTFOLIO, {"q": "A12345"}).context["page"]
    assert row.this_phase == Phase(current_phase(world.migration, timezone.localdate())).label


def test_a_withdrawn_migration_is_listed_as_withdrawn_and_left_out_of_the_counts(client_for, world):
    from checklists.services import migration_withdraw

    migration_withdraw(user=world.commissioner, migration=world.migration, reason="Created for the wrong practice")
    response = client_for(world.commissioner).get(PORTFOLIO)
    rows = {row.pk: row for row in response.context["page"]}
    assert "Withdrawn" in rows[world.migration.pk].stage_tag_html
    assert "Not rated" in rows[world.migration.pk].rag_tag_html
    tiles = {tile["id"]: tile["value"] for tile in response.context["tiles"]}
    assert tiles["in-flight"] == 1  # Hillview only
    assert tiles["red"] + tiles["amber"] + tiles["green"] == 1
    pipeline = response.context["charts"][0]
    assert sum(n for _, n in pipeline["rows"]) == 1
    assert "Withdrawn" not in [label for label, _ in pipeline["rows"]]


def test_portfolio_with_reasons_keeps_a_constant_number_of_queries(client_for, world, django_assert_max_num_queries):
    client = client_for(world.commissioner)
    client.get(PORTFOLIO)
    with django_assert_max_num_queries(20) as small:
        client.get(PORTFOLIO)
    for _ in range(6):
        practice = world.new_practice()
        migration = world.make_migration(practice, world.commissioner)
        DataCheckFactory(migration=migration, result="failed", checked_by=world.staff)
        IssueFactory(migration=migration, severity="critical", raised_by=world.manager)
        ThirdPartyLinkFactory(migration=migration, status="switched_off")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(PORTFOLIO)
    assert response.context["page"].paginator.count == 8
    assert all(row.rag_reasons for row in response.context["page"] if row.practice.name.startswith("Test Surgery"))
