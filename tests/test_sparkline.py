"""Headline sparklines: the line follows the numbers, and the page's text inside it is escaped."""

from __future__ import annotations

import html
import math
import re

from dashboard import sparkline, ui


def test_points_span_the_box_highest_at_the_top_lowest_at_the_bottom():
    drawn = sparkline.points([10, 30, 20])
    assert [x for x, _ in drawn] == [0, 50, 100]
    ys = [y for _, y in drawn]
    assert ys[1] == sparkline.MARGIN  # the highest value at the top
    assert ys[0] == sparkline.VIEW_HEIGHT - sparkline.MARGIN  # the lowest at the bottom
    assert ys[0] > ys[2] > ys[1]


def test_a_flat_series_runs_along_the_middle():
    assert {y for _, y in sparkline.points([5, 5, 5])} == {sparkline.VIEW_HEIGHT / 2}


def test_a_missing_value_keeps_its_place_but_draws_no_point():
    drawn = sparkline.points([1, None, math.nan, 4])
    assert [round(x, 2) for x, _ in drawn] == [0, 100]


def test_fewer_than_two_drawable_values_draw_nothing():
    assert sparkline.svg([], label="x") == ""
    assert sparkline.svg([3], label="x") == ""
    assert sparkline.svg([3, None], label="x") == ""


def test_the_path_has_one_point_per_value():
    svg = sparkline.svg([3, 1, 4, 1, 5], label="Attacks")
    path = re.search(r' d="([^"]+)"', svg)
    assert path is not None and len(path.group(1).split("L")) == 5


def test_the_label_is_escaped_so_an_uploaded_name_cannot_inject_markup_or_markdown():
    svg = sparkline.svg([1, 2], label='Deaths <script>alert(1)</script> "x" *bold* $x$ [a](b)')
    assert "<script>" not in svg and '"x"' not in svg
    text = svg.split("<title>")[1].split("</title>")[0]
    assert not set(text) & set("<>\"*$[]"), text  # nothing markdown or HTML would read as markup
    assert html.unescape(text) == 'Deaths <script>alert(1)</script> "x" *bold* $x$ [a](b)'


def test_its_name_says_what_each_point_is_and_the_values():
    name = ui.sparkline_name("Attacks in Jan 2026", [68.0, 87.0, 8213456.0], "month")
    assert name == "Attacks in Jan 2026: the last 3 months, oldest first: 68, 87, 8,213,456"
    assert ui.sparkline_name("Proactive rate", [0.9921, 0.987], "quarter").endswith(": 0.992, 0.987")
