from xml.etree import ElementTree

from dashboards import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg) -> ElementTree.Element:
    return ElementTree.fromstring(str(svg))


def test_bar_chart_is_an_image_with_a_title_and_description():
    svg = parse(charts.bar_chart("c1", "Migrations by stage", "Most are planning.", [("Planning", 3), ("Live", 1)]))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Migrations by stage"
    assert svg.find(f"{SVG}desc").text == "Most are planning."


def test_bar_lengths_are_proportional_to_values():
    svg = parse(charts.bar_chart("c1", "t", "s", [("A", 4), ("B", 2), ("C", 0)]))
    widths = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]
    assert widths[2] == 0


def test_labels_are_escaped():
    svg = str(charts.bar_chart("c1", "t", "s", [("<script>alert(1)</script>", 1)]))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_range_chart_marks_the_median_inside_the_range():
    svg = parse(charts.range_chart("c2", "t", "s", [("EMIS to TPP", 3, 5.5, 9)]))
    line = svg.find(f"{SVG}line")
    dot = svg.find(f"{SVG}circle")
    assert float(line.get("x1")) < float(dot.get("cx")) < float(line.get("x2"))
    assert "5.5 days" in ElementTree.tostring(svg, encoding="unicode")


def test_stacked_columns_stack_the_second_series_on_the_first():
    svg = parse(charts.stacked_columns("c3", "t", "s", [("Jan", 2, 1)], ("Went live", "Scheduled")))
    rects = list(svg.iter(f"{SVG}rect"))[2:]  # after the two legend keys
    first, second = rects
    assert float(second.get("y")) + float(second.get("height")) == float(first.get("y"))


def test_empty_charts_still_render():
    assert parse(charts.range_chart("c4", "t", "No data.", [])).get("role") == "img"
    assert parse(charts.stacked_columns("c5", "t", "No data.", [], ("a", "b"))).get("role") == "img"
