"""Server-rendered charts: no chart without data, a fixed size, and the same layout right to left."""

from __future__ import annotations

import re

import pytest

from analytics.svg import bar_chart
from tests.analytics.test_dashboards import data  # noqa: F401 - fixture

SVG = re.compile(r"<svg\b[^>]*>")
TEXT = re.compile(r"<text\b[^>]*>")


def size(svg: str) -> tuple[int, int, str]:
    tag = SVG.search(svg).group(0)
    width = int(re.search(r' width="(\d+)"', tag).group(1))
    height = int(re.search(r' height="(\d+)"', tag).group(1))
    return width, height, re.search(r'viewBox="([^"]+)"', tag).group(1)


def test_no_chart_is_drawn_without_categories():
    assert str(bar_chart("Title", "Description", [], [("A", []), ("B", [])])) == ""


def test_a_chart_has_a_fixed_size_in_pixels_that_holds_its_legend():
    svg = str(
        bar_chart(
            "By month",
            "Bars",
            ["2024-01"],
            [("Active learners", [3]), ("Enrolments", [2]), ("Completions", [1])],
        )
    )
    width, height, view_box = size(svg)
    assert view_box == f"0 0 {width} {height}"
    assert height <= 400 and width <= 800
    legend_ends = [
        float(x) + 8 * len(name)
        for x, name in re.findall(r'<text x="([\d.]+)" y="\d+" text-anchor="start" class="lbl">([^<]+)<', svg)
    ]
    assert legend_ends and max(legend_ends) <= width


def test_every_chart_lays_out_left_to_right_with_explicit_anchors():
    for horizontal in (False, True):
        svg = str(
            bar_chart(
                "Funnel",
                "Bars",
                ["الزئبق في التجارة", "Article 4"],
                [("مسجلون", [10, 4]), ("أكملوا", [3, 1])],
                horizontal=horizontal,
            )
        )
        assert 'direction="ltr"' in SVG.search(svg).group(0)
        texts = TEXT.findall(svg)
        assert texts and all("text-anchor=" in t for t in texts), texts
        assert "الزئبق في التجارة" in svg or not horizontal  # column labels are cut at 10 characters


def test_an_empty_by_month_chart_is_not_drawn(client, as_role):
    as_role("admin")
    html = client.get("/analytics/overview?country=MA&start=2024-01&end=2024-02").get_data(as_text=True)
    by_month = html.split("By month</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<svg" not in by_month and "No data yet." in by_month


def test_a_trainer_who_owns_nothing_sees_no_empty_charts(client, as_role, data):  # noqa: F811
    as_role("trainer")
    html = client.get("/analytics/courses").get_data(as_text=True)
    assert "<svg" not in html and "No data yet." in html


def test_charts_in_arabic_keep_the_left_to_right_layout(client, as_owner, data):  # noqa: F811
    as_owner()
    client.get("/language/ar")
    for path in ("/analytics/courses", "/analytics/overview", "/analytics/courses/course/c1"):
        html = client.get(path).get_data(as_text=True)
        svgs = SVG.findall(html)
        assert svgs, path
        for tag in svgs:
            assert 'direction="ltr"' in tag and re.search(r' width="\d+" height="\d+"', tag), path
        assert all("text-anchor=" in t for t in TEXT.findall(html)), path


@pytest.mark.parametrize("months", [6, 13, 16, 20, 23, 24, 36, 120])
def test_column_labels_never_overlap_however_many_months(months):
    from analytics.svg import LABEL_CHAR_PX

    categories = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(months)]
    svg = str(bar_chart("t", "d", categories, [("n", list(range(months)))]))
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="\d+" text-anchor="middle" class="lbl">', svg)]
    assert len(xs) >= min(months, 6)  # still labelled
    widest = LABEL_CHAR_PX * len("2020-01")
    assert all(b - a >= widest for a, b in zip(xs, xs[1:], strict=False)), xs


def test_axis_values_and_percentages_are_written_the_reader_s_way(app):
    """The ticks read like the table beside the chart: "12,5" and "50 %" in Russian, not "12.50" and
    "50%"."""
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("ru"):
        counts = str(bar_chart("По месяцам", "Столбцы", ["2025-01", "2025-02"], [("Слушатели", [25, 3])]))
        shares = str(bar_chart("Доля", "Столбцы", ["A"], [("Доля", [0.5])], horizontal=True, percent=True))
    assert ">12,5</text>" in counts and "12.50" not in counts
    assert ">50\u00a0%</text>" in shares
    with app.test_request_context(), force_locale("en"):
        counts = str(bar_chart("By month", "Bars", ["2025-01"], [("Learners", [2500])]))
    assert ">1,250</text>" in counts and ">2,500</text>" in counts


def test_a_label_too_long_for_the_chart_ends_with_an_ellipsis():
    svg = str(
        bar_chart(
            "By region",
            "Bars",
            ["Латинская Америка и Карибский бассейн", "Africa"],
            [("Активные слушатели", [81, 102])],
            horizontal=True,
        )
    )
    assert ">Латинская Америка и Карибский бас…</text>" in svg and ">Africa</text>" in svg


def test_a_missing_value_draws_no_bar_and_says_no_data_never_zero(app):
    with app.test_request_context():
        svg = str(
            bar_chart(
                "Scores",
                "Bars",
                ["Nobody tested", "Pre-test only"],
                [("Pre-test", [None, 1.0]), ("Post-test", [None, None])],
                horizontal=True,
                percent=True,
            )
        )
        vertical = str(bar_chart("Scores", "Bars", ["A", "B"], [("Pre-test", [None, 0.5])], percent=True))
    assert "0%" not in svg.replace("100%", "")
    assert svg.count("no data") == 3
    assert svg.count("100%") == 1
    bars = re.findall(r'<rect x="220" y="[\d.]+" width="([\d.]+)"', svg)
    assert bars == ["420.0"]  # the one pre-test score; no zero-width bar for the missing ones
    assert (
        len(re.findall(r'<rect x="\d+" y="[\d.]+" width="\d+" height="[\d.]+" class="s0"/>', vertical)) == 1
    )
