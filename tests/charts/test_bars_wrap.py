"""Bar charts with wrapped labels: written whole over up to three lines, never cut."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from productops import charts
from productops.charts.bars import wrap_label
from tests.charts.test_charts import assert_accessible, find, parse

LONG = "Enterprise Deals and Partner Integrations Platform"  # 50 characters
HUGE = " ".join(["Onboarding"] * 12)  # too long for three lines of 32


def _label_lines(root: ET.Element) -> list[list[str]]:
    return [
        [span.text or "" for span in find(label, "tspan")]
        for label in find(root, "text", "chart-label")
    ]


def _height(root: ET.Element) -> float:
    return float(root.get("viewBox", "").split()[3])


def test_wrap_label_breaks_between_words_within_three_lines():
    lines, size = wrap_label(LONG, 22)
    assert lines == ["Enterprise Deals and", "Partner Integrations", "Platform"]
    assert size == 12
    assert wrap_label("Search", 22) == (["Search"], 12)


def test_a_label_too_long_for_three_lines_gets_a_smaller_font_not_a_cut():
    lines, size = wrap_label(HUGE, 32)
    assert len(lines) == 3
    assert " ".join(lines) == HUGE
    assert size < 12
    # a word longer than a line is kept whole too
    word = "Supercalifragilisticexpialidocious-integration"
    assert wrap_label(word, 22)[0] == [word]


def test_bar_list_wraps_long_labels_and_grows_the_row():
    bars = [charts.Bar(LONG, 3, "3"), charts.Bar("Search", 1, "1")]
    clipped = parse(charts.bar_list(bars, title="Findings"))
    wrapped_svg = charts.bar_list(bars, title="Findings", wrap=True)
    wrapped = parse(wrapped_svg)
    assert_accessible(wrapped)
    assert "…" in ET.tostring(clipped, encoding="unicode")  # the app pages' default
    assert "…" not in wrapped_svg
    assert _label_lines(wrapped) == [
        ["Enterprise Deals and Partner", "Integrations Platform"],
        ["Search"],
    ]
    assert _height(wrapped) == _height(clipped) + 14  # one more line on the first row
    rows = find(wrapped, "g", "chart-row")
    assert rows[1].get("transform") == "translate(0 40)"  # 4 + 22 + 14


def test_share_bars_wraps_long_labels_and_grows_the_row():
    segments = [charts.Segment("sales", "Sales"), charts.Segment("customer", "Customer")]
    rows = [
        charts.StackRow(LONG, {"sales": 3, "customer": 1}),
        charts.StackRow("Done", {"sales": 1, "customer": 1}),
    ]
    clipped = parse(charts.share_bars(rows, segments, title="Mix"))
    wrapped_svg = charts.share_bars(rows, segments, title="Mix", wrap=True)
    wrapped = parse(wrapped_svg)
    assert "…" not in wrapped_svg
    assert _label_lines(wrapped)[0] == ["Enterprise Deals and", "Partner Integrations", "Platform"]
    assert _height(wrapped) == _height(clipped) + 28  # two more lines on the first row
    assert "Enterprise Deals and Partner Integrations Platform (4 items)" in (
        wrapped.find("svg:desc", {"svg": charts.SVG_NS}).text or ""
    )


def test_without_wrap_the_output_is_unchanged_and_labels_are_clipped():
    bars = [charts.Bar(LONG, 3, "3")]
    svg = charts.bar_list(bars, title="Findings")
    assert "Enterprise Deals and Partner In…" in svg
    assert "chart-label" not in svg
