import csv
import datetime
import io

import pytest
from django.urls import reverse

from checklists.models import StepStatus
from tests.factories import (
    DataCheckFactory,
    IssueFactory,
    MigrationFactory,
    PracticeFactory,
    StepFactory,
    ThirdPartyLinkFactory,
)

PORTFOLIO = reverse("dashboards:portfolio")


def practices_shown(response) -> set[str]:
    return {migration.practice.name for migration in response.context["page"]}


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_commissioner_sees_only_their_icbs_migrations(client_for, world):
    response = client_for(world.commissioner).get(PORTFOLIO)
    assert response.status_code == 200
    assert practices_shown(response) == {"Riverside Surgery", "Hillview Medical Centre"}
    assert b"Castle Street Surgery" not in response.content


@pytest.mark.parametrize("user", ["manager", "staff"])
def test_practice_users_are_refused_the_dashboard(client_for, world, user):
    assert client_for(getattr(world, user)).get(PORTFOLIO).status_code == 403


def test_admin_sees_every_icb_and_can_choose_one(client_for, world):
    client = client_for(world.admin)
    assert practices_shown(client.get(PORTFOLIO)) == {
        "Riverside Surgery",
        "Hillview Medical Centre",
        "Castle Street Surgery",
    }
    assert practices_shown(client.get(PORTFOLIO, {"icb": world.south.pk})) == {"Castle Street Surgery"}


@pytest.mark.parametrize("icb", ["south", "junk"])
def test_another_icbs_id_in_the_url_is_not_found(client_for, world, icb):
    value = world.south.pk if icb == "south" else "1;DROP TABLE"
    assert client_for(world.commissioner).get(PORTFOLIO, {"icb": value}).status_code == 404


def test_csv_holds_only_the_commissioners_icb(client_for, world):
    response = client_for(world.commissioner).get(reverse("dashboards:portfolio_csv"))
    assert response.status_code == 200
    rows = csv_rows(response)
    assert rows[0][0] == "Practice"
    assert {row[0] for row in rows[1:]} == {"Riverside Surgery", "Hillview Medical Centre"}


def test_print_page_lists_the_filtered_migrations(client_for, world):
    response = client_for(world.commissioner).get(reverse("dashboards:portfolio_print"), {"q": "river"})
    assert response.status_code == 200
    assert b"Riverside Surgery" in response.content
    assert b"Hillview Medical Centre" not in response.content


def test_search_matches_name_or_ods_code(client_for, world):
    client = client_for(world.commissioner)
    assert practices_shown(client.get(PORTFOLIO, {"q": "hill"})) == {"Hillview Medical Centre"}
    assert practices_shown(client.get(PORTFOLIO, {"q": "a12345"})) == {"Riverside Surgery"}


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "nonsense", "order": "sideways"},
        {"go_live_from": "2027-13", "go_live_to": "yesterday"},
        {"page": "9999"},
        {"page": "-1"},
        {"q": "x" * 5000},
        {"stage": "<script>", "rag": "purple", "suppliers": "1-x"},
    ],
)
def test_bad_parameters_still_render_the_page(client_for, world, params):
    response = client_for(world.commissioner).get(PORTFOLIO, params)
    assert response.status_code == 200
    assert practices_shown(response) <= {"Riverside Surgery", "Hillview Medical Centre"}


@pytest.mark.parametrize("name", ["dashboards:portfolio_csv", "dashboards:portfolio_print"])
def test_downloads_survive_bad_parameters(client_for, world, name):
    params = {"sort": "x", "go_live_from": "2027-99", "q": "y" * 3000, "suppliers": "9-9", "page": "zz"}
    response = client_for(world.commissioner).get(reverse(name), params)
    assert response.status_code == 200


def test_bad_filter_shows_an_nhs_error_and_the_other_filters_still_apply(client_for, world):
    response = client_for(world.commissioner).get(PORTFOLIO, {"q": "x" * 101, "rag": "purple"})
    assert b"There is a problem" in response.content
    assert b"Select a RAG status from the list" in response.content
    assert response.content.decode().count("Practice name or ODS code must be 100 characters or fewer") >= 1
    assert practices_shown(response) == {"Riverside Surgery", "Hillview Medical Centre"}


def test_sorted_column_has_aria_sort(client_for, world):
    response = client_for(world.commissioner).get(PORTFOLIO, {"sort": "practice", "order": "desc"})
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    assert [m.practice.name for m in response.context["page"]] == ["Riverside Surgery", "Hillview Medical Centre"]


def test_filters_are_kept_in_pagination_and_download_links(client_for, world):
    response = client_for(world.commissioner).get(PORTFOLIO, {"q": "surgery", "rag": "green"})
    html = response.content.decode()
    assert reverse("dashboards:portfolio_csv") + "?q=surgery&amp;rag=green" in html


def test_migration_drill_down_for_commissioner(client_for, world):
    response = client_for(world.commissioner).get(reverse("dashboards:migration", args=[world.migration.pk]))
    assert response.status_code == 200
    assert b"Checklist by phase" in response.content


def test_practice_manager_is_refused_the_drill_down_of_their_own_migration(client_for, world):
    response = client_for(world.manager).get(reverse("dashboards:migration", args=[world.migration.pk]))
    assert response.status_code == 403


def test_portfolio_query_count_does_not_grow_with_migrations(client_for, world, django_assert_max_num_queries):
    client = client_for(world.commissioner)
    client.get(PORTFOLIO)  # warm the session
    with django_assert_max_num_queries(20) as small:
        client.get(PORTFOLIO)
    for index in range(30):
        migration = MigrationFactory(
            practice=PracticeFactory(icb=world.north),
            go_live_date=datetime.date(2027, 1, 4) + datetime.timedelta(days=index),
        )
        StepFactory.create_batch(3, migration=migration, status=StepStatus.TODO)
        IssueFactory(migration=migration)
        ThirdPartyLinkFactory(migration=migration)
        DataCheckFactory(migration=migration, result="failed", problems_found=1)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(PORTFOLIO)
    assert response.context["page"].paginator.count == 32
    assert len(large.captured_queries) == len(small.captured_queries)


def test_charts_and_tiles_count_only_the_commissioners_icb(client_for, world):
    for _ in range(3):
        world.make_migration(world.new_practice(world.other_manager, icb=world.south), world.other_manager)
    response = client_for(world.commissioner).get(PORTFOLIO)
    pipeline = response.context["charts"][0]
    assert sum(n for _, n in pipeline["rows"]) == 2
    assert {tile["id"]: tile["value"] for tile in response.context["tiles"]}["in-flight"] == 2


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(client_for, world):
    world.home.name = '=HYPERLINK("http://evil.example","click")'
    world.home.save()
    response = client_for(world.commissioner).get(reverse("dashboards:portfolio_csv"))
    names = [row[0] for row in csv_rows(response)[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


def test_csv_follows_the_filters(client_for, world):
    response = client_for(world.commissioner).get(reverse("dashboards:portfolio_csv"), {"q": "A22222"})
    assert [row[1] for row in csv_rows(response)[1:]] == ["A22222"]


def test_other_commissioner_cannot_drill_down_into_this_icb(client_for, world):
    url = reverse("dashboards:migration", args=[world.migration.pk])
    assert client_for(world.other_commissioner).get(url).status_code == 404


def test_page_out_of_range_shows_the_last_page(client_for, world):
    response = client_for(world.commissioner).get(PORTFOLIO, {"page": "40"})
    assert response.context["page"].number == 1


def test_charts_render_once_practices_have_gone_live(client_for, world):
    world.migration.went_live_on = world.migration.go_live_date
    world.migration.save()
    response = client_for(world.commissioner).get(PORTFOLIO)
    cutover = response.context["charts"][2]
    assert cutover["rows"] == [["EMIS to TPP", 1, "7", 7, 7]]
    assert b"7 days</text>" in response.content


@pytest.fixture
def dashboard_cache(settings):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_cached_portfolio_is_reused_for_the_same_scope_and_filters(client_for, world, dashboard_cache):
    client = client_for(world.commissioner)
    client.get(PORTFOLIO)
    world.make_migration(PracticeFactory(icb=world.north, name="Newly Added Surgery"), world.commissioner)
    assert b"Newly Added Surgery" not in client.get(PORTFOLIO).content
    assert b"Newly Added Surgery" in client.get(PORTFOLIO, {"q": "newly"}).content


def test_cached_portfolio_is_never_shared_with_another_icb(client_for, world, dashboard_cache):
    client_for(world.commissioner).get(PORTFOLIO)
    response = client_for(world.other_commissioner).get(PORTFOLIO)
    assert b"Castle Street Surgery" in response.content
    assert b"Riverside Surgery" not in response.content


def test_cached_portfolio_still_checks_who_is_asking(client_for, world, dashboard_cache):
    client_for(world.commissioner).get(PORTFOLIO, {"icb": world.north.pk})
    assert client_for(world.manager).get(PORTFOLIO, {"icb": world.north.pk}).status_code == 403
    assert client_for(world.other_commissioner).get(PORTFOLIO, {"icb": world.north.pk}).status_code == 404


def test_cached_page_uses_fewer_queries(client_for, world, dashboard_cache, django_assert_max_num_queries):
    client = client_for(world.commissioner)
    client.get(PORTFOLIO)
    # 5: one more than before two-factor sign-in, as django-otp loads the device that verified the session.
    with django_assert_max_num_queries(5):
        client.get(PORTFOLIO)


def test_rows_show_sign_off_links_and_open_issues(client_for, world):
    IssueFactory.create_batch(2, migration=world.migration, raised_by=world.manager)
    ThirdPartyLinkFactory(migration=world.migration, status="switched_off")
    ThirdPartyLinkFactory(migration=world.migration, status="in_use")
    response = client_for(world.commissioner).get(PORTFOLIO, {"q": "A12345"})
    (row,) = response.context["page"]
    # Before go-live, links are not "outstanding": what is true is how many are still to switch off.
    assert (row.open_issues, row.links_outstanding, row.links_text, row.sign_off_text) == (
        2,
        None,
        "1 to switch off",
        "Not due yet",
    )


def test_sorting_by_open_issues(client_for, world):
    IssueFactory(migration=world.neighbour_migration, raised_by=world.neighbour_manager)
    response = client_for(world.commissioner).get(PORTFOLIO, {"sort": "issues", "order": "desc"})
    assert [m.practice.name for m in response.context["page"]][0] == "Hillview Medical Centre"


def test_drill_down_shows_data_checks_links_and_issues(client_for, world):
    DataCheckFactory(migration=world.migration, area="qof", result="failed", problems_found=3, checked_by=world.staff)
    IssueFactory(migration=world.migration, raised_by=world.manager)
    response = client_for(world.commissioner).get(reverse("dashboards:migration", args=[world.migration.pk]))
    html = response.content.decode()
    assert "Failed" in html
    assert "1 open issue" in html


def test_drill_down_query_count_does_not_grow_with_issues_checks_and_links(
    client_for, world, django_assert_max_num_queries
):
    client = client_for(world.commissioner)
    url = reverse("dashboards:migration", args=[world.migration.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as before:
        client.get(url)
    for _ in range(5):
        DataCheckFactory(migration=world.migration, checked_by=world.staff)
        IssueFactory(migration=world.migration, raised_by=world.manager)
        ThirdPartyLinkFactory(migration=world.migration)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_the_header_offers_dashboards_to_commissioners_only(client_for, world):
    from django.urls import reverse as url_for

    dashboards = url_for("dashboards:portfolio")
    assert f'href="{dashboards}"' in client_for(world.commissioner).get(url_for("home")).content.decode()
    assert f'href="{dashboards}"' not in client_for(world.manager).get(url_for("home")).content.decode()
