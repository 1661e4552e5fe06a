"""Dashboards by sub-ICB location ("place"): the filter, the grouped table, and place commissioners' scope."""

import datetime

import pytest
from django.urls import reverse

from checklists.models import StepStatus
from tests.dashboards.test_views import csv_rows, practices_shown
from tests.factories import MigrationFactory, PracticeFactory, StepFactory, SubICBLocationFactory

PORTFOLIO = reverse("dashboards:portfolio")


def table_rows(response) -> dict[str, list[str]]:
    """The places table as {place label: [migrations, in progress, red, amber, green]}."""
    table = response.context["places_table"]
    return {row[0]["text"]: [cell["text"] for cell in row[1:]] for row in table["rows"]}


def test_place_commissioner_sees_only_their_places_migrations(client_for, world):
    response = client_for(world.place_commissioner).get(PORTFOLIO)
    assert response.status_code == 200
    assert practices_shown(response) == {"Hillview Medical Centre"}
    assert b"Riverside Surgery" not in response.content


def test_place_commissioners_page_is_titled_with_their_place(client_for, world):
    response = client_for(world.place_commissioner).get(PORTFOLIO)
    assert "<h1>Migrations in NHS North ICB - Hillview place</h1>" in response.content.decode()


def test_place_commissioner_is_refused_the_drill_down_outside_their_place(client_for, world):
    client = client_for(world.place_commissioner)
    assert client.get(reverse("dashboards:migration", args=[world.migration.pk])).status_code == 404
    assert client.get(reverse("dashboards:migration", args=[world.neighbour_migration.pk])).status_code == 200


def test_commissioner_groups_migrations_by_sub_icb_location(client_for, world):
    world.make_migration(PracticeFactory(sub_icb_location=world.home_place), world.commissioner)
    response = client_for(world.commissioner).get(PORTFOLIO)
    rows = table_rows(response)
    assert rows["NHS North ICB - Riverside place (01A)"][:2] == ["2", "2"]
    assert rows["NHS North ICB - Hillview place (01B)"][:2] == ["1", "1"]
    assert "NHS South ICB - Castle place (02A)" not in rows


def test_grouped_rag_counts_add_up_to_the_tiles(client_for, world):
    overdue = world.make_migration(PracticeFactory(sub_icb_location=world.home_place), world.commissioner)
    overdue.steps.update(due_date=datetime.date(2020, 1, 1))  # every step long overdue: red
    response = client_for(world.commissioner).get(PORTFOLIO)
    tiles = {tile["id"]: tile["value"] for tile in response.context["tiles"]}
    rows = table_rows(response).values()
    for column, tile in ((2, "red"), (3, "amber"), (4, "green")):
        assert sum(int(row[column]) for row in rows) == tiles[tile]
    assert tiles["red"] >= 1


def test_each_place_in_the_table_links_to_the_page_filtered_to_it(client_for, world):
    response = client_for(world.commissioner).get(PORTFOLIO, {"sort": "practice"})
    link = next(row[0]["href"] for row in response.context["places_table"]["rows"] if "01B" in row[0]["text"])
    assert f"place={world.neighbour_place.pk}" in link
    assert "sort=practice" in link


def test_filtering_by_place_narrows_the_rows_tiles_and_heading(client_for, world):
    response = client_for(world.commissioner).get(PORTFOLIO, {"place": world.neighbour_place.pk})
    assert practices_shown(response) == {"Hillview Medical Centre"}
    assert {tile["id"]: tile["value"] for tile in response.context["tiles"]}["in-flight"] == 1
    assert "<h1>Migrations in NHS North ICB - Hillview place (01B)</h1>" in response.content.decode()


def test_practices_without_a_sub_icb_location_can_be_filtered_together(client_for, world):
    world.make_migration(PracticeFactory(icb=world.north, name="Unplaced Surgery"), world.commissioner)
    response = client_for(world.commissioner).get(PORTFOLIO, {"place": "none"})
    assert practices_shown(response) == {"Unplaced Surgery"}
    assert "No sub-ICB location recorded" in table_rows(response)


@pytest.mark.parametrize("value", ["south", "999999", "1;DROP TABLE"])
def test_a_place_outside_the_scope_is_an_nhs_error_not_a_leak(client_for, world, value):
    place = world.south_place.pk if value == "south" else value
    response = client_for(world.commissioner).get(PORTFOLIO, {"place": place})
    assert response.status_code == 200
    assert "Select a sub-ICB location from the list" in response.content.decode()
    assert b"Castle Street Surgery" not in response.content
    assert practices_shown(response) == {"Riverside Surgery", "Hillview Medical Centre"}


def test_csv_names_each_practices_sub_icb_location_and_follows_the_place_filter(client_for, world):
    url = reverse("dashboards:portfolio_csv")
    response = client_for(world.commissioner).get(url, {"place": world.home_place.pk})
    header, *rows = csv_rows(response)
    column = header.index("Sub-ICB location")
    assert [row[column] for row in rows] == ["01A"]


def test_portfolio_query_count_stays_the_same_with_more_places_and_migrations(
    client_for, world, django_assert_max_num_queries
):
    client = client_for(world.commissioner)
    client.get(PORTFOLIO)  # warm the session
    with django_assert_max_num_queries(22) as small:
        client.get(PORTFOLIO, {"place": world.home_place.pk})
    for index in range(12):
        place = SubICBLocationFactory(icb=world.north)
        for _ in range(2):
            migration = MigrationFactory(
                practice=PracticeFactory(sub_icb_location=place),
                go_live_date=datetime.date(2027, 1, 4) + datetime.timedelta(days=index),
            )
            StepFactory.create_batch(2, migration=migration, status=StepStatus.TODO)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(PORTFOLIO, {"place": world.home_place.pk})
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(response.context["form"].fields["place"].choices) == 1 + 14
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(PORTFOLIO)
    assert len(table_rows(response)) == 14


@pytest.fixture
def dashboard_cache(settings):
    from django.core.cache import cache

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_cached_portfolio_is_never_shared_between_an_icb_and_a_place_commissioner(client_for, world, dashboard_cache):
    client_for(world.commissioner).get(PORTFOLIO, {"icb": world.north.pk})
    response = client_for(world.place_commissioner).get(PORTFOLIO, {"icb": world.north.pk})
    assert practices_shown(response) == {"Hillview Medical Centre"}
    assert b"Riverside Surgery" not in response.content
