"""The SVG charts: valid XML, the expected marks, accessible, deterministic, CSP-safe."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from productops import charts

NS = {"svg": charts.SVG_NS}
AXES = ["Discovery", "Delivery", "Strategy", 'Influencing <people> & "teams"']


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{{{charts.SVG_NS}}}svg"
    return root


def find(root: ET.Element, tag: str, css: str | None = None) -> list[ET.Element]:
    found = root.iter(f"{{{charts.SVG_NS}}}{tag}")
    return [el for el in found if css is None or css in (el.get("class") or "").split()]


def assert_accessible(root: ET.Element) -> None:
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root.get("viewBox", "").startswith("0 0 ")
    children = [child.tag.split("}")[1] for child in root][:2]
    assert children == ["title", "desc"]
    assert root.find("svg:desc", NS).text


def assert_csp_safe(svg: str, root: ET.Element) -> None:
    assert "<style" not in svg and "<script" not in svg
    assert all("style" not in el.attrib for el in root.iter())


def radar(**overrides) -> str:
    series = [
        charts.RadarSeries("Self", [4, 3, 2, 5], kind="self"),
        charts.RadarSeries("Others", [2.33, 3, 3, None], kind="others"),
        charts.RadarSeries("Expected", [3, 3, 2, 4], kind="expected", dashed=True),
    ]
    args = {"steps": [1, 2, 3, 4, 5], "title": "Priya: self, others, expected"}
    args.update(overrides)
    return charts.radar_chart(AXES, series, **args)


class TestRadar:
    def test_three_polygons_rings_and_labels(self) -> None:
        svg = radar()
        root = parse(svg)
        polygons = find(root, "polygon", "chart-series")
        assert len(polygons) == 3
        assert [p.get("class").split()[1] for p in polygons] == [
            "chart-self",
            "chart-others",
            "chart-expected",
        ]
        # the others series skips the axis without a value: 3 vertices, not 4
        assert len(polygons[1].get("points").split()) == 3
        assert len(polygons[0].get("points").split()) == 4
        assert len(find(find(root, "g", "chart-grid")[0], "circle")) == 5  # one ring per step
        labels = find(find(root, "g", "chart-axes")[0], "text")
        assert len(labels) == 4
        assert labels[3].find("svg:title", NS).text == AXES[3]
        assert_accessible(root)
        assert_csp_safe(svg, root)

    def test_every_vertex_has_a_tooltip(self) -> None:
        root = parse(radar())
        dots = [c for g in find(root, "g", "chart-dots") for c in find(g, "circle")]
        assert len(dots) == 4 + 3 + 4
        assert dots[4].find("svg:title", NS).text == "Discovery — Others: 2.33"

    def test_text_alternative_lists_every_axis(self) -> None:
        desc = parse(radar()).find("svg:desc", NS).text
        assert "Discovery: Self 4, Others 2.33, Expected 3." in desc
        assert "Others none" in desc

    def test_a_series_without_values_draws_nothing_and_says_so(self) -> None:
        svg = charts.radar_chart(
            AXES,
            [charts.RadarSeries("Self", [None] * 4, kind="self")],
            steps=[1, 2, 3],
            title="t",
        )
        root = parse(svg)
        assert find(root, "polygon") == []
        assert "Self (none)" in svg

    def test_deterministic(self) -> None:
        assert radar() == radar()

    def test_is_safe_markup_for_templates(self) -> None:
        assert hasattr(radar(), "__html__")


def heat_rows() -> list[charts.HeatmapRow]:
    return [
        charts.HeatmapRow(
            f"Person {i} <x>",
            [
                charts.HeatmapCell(value, f"{value:+g}" if value is not None else "", f"tip {i}")
                for value in (1.5, -2.5, 0, None)
            ],
            href=f"/p/{i}/?cycle=1&x=2",
        )
        for i in range(7)
    ]


class TestHeatmap:
    def test_a_cell_per_person_and_competency_with_tooltips(self) -> None:
        svg = charts.heatmap(AXES, heat_rows(), title="Gaps")
        root = parse(svg)
        cells = find(root, "rect", "chart-cell")
        assert len(cells) == 7 * 4
        assert all(cell.find("svg:title", NS).text.startswith("tip") for cell in cells)
        assert len(find(root, "g", "chart-row")) == 7
        assert len(find(root, "a")) == 7
        assert find(root, "a")[0].get("href") == "/p/0/?cycle=1&x=2"
        assert_accessible(root)
        assert_csp_safe(svg, root)

    def test_diverging_colours(self) -> None:
        assert charts.diverging_colour(0, 2) == "#f3f4f6"
        assert charts.diverging_colour(2, 2) == "#b3261e"
        assert charts.diverging_colour(5, 2) == "#b3261e"
        assert charts.diverging_colour(-2, 2) == "#2f6fb0"
        assert charts.diverging_colour(None, 2) == charts.NO_DATA
        half = charts.diverging_colour(1, 2)
        assert half not in {"#f3f4f6", "#b3261e"}
        cells = find(parse(charts.heatmap(AXES, heat_rows(), title="Gaps")), "rect", "chart-cell")
        assert cells[0].get("fill") == charts.diverging_colour(1.5, 2)

    def test_legend_and_summary(self) -> None:
        root = parse(charts.heatmap(AXES, heat_rows(), title="Gaps"))
        legend = find(root, "g", "chart-legend")[0]
        assert len(find(legend, "rect")) == 6  # five stops and "no data"
        desc = root.find("svg:desc", NS).text
        assert "7 rows by 4 columns" in desc
        assert "7 cells below expectation by 1 or more" in desc
        assert "7 cells above expectation" in desc
        assert "7 without data" in desc

    def test_300_by_12_stays_valid(self) -> None:
        rows = [
            charts.HeatmapRow(f"P{i}", [charts.HeatmapCell((i % 7) - 3, "x", "t")] * 12)
            for i in range(300)
        ]
        root = parse(charts.heatmap([f"C{j}" for j in range(12)], rows, title="Big"))
        assert len(find(root, "rect", "chart-cell")) == 3600

    def test_empty(self) -> None:
        root = parse(charts.heatmap(AXES, [], title="Nobody"))
        assert find(root, "rect", "chart-cell") == []
        assert_accessible(root)


class TestDistribution:
    def rows(self) -> list[charts.DistributionRow]:
        return [
            charts.DistributionRow("Discovery", [0, 1, 1, 1, 0], median=3),
            charts.DistributionRow("Delivery", [0, 0, 2, 1, 0], median=3.25),
            charts.DistributionRow("Strategy", [0, 0, 0, 0, 0], note="withheld: fewer than 3"),
        ]

    def test_a_bar_per_non_empty_step_and_a_median_per_row(self) -> None:
        svg = charts.distribution([1, 2, 3, 4, 5], self.rows(), title="Consensus")
        root = parse(svg)
        bars = find(root, "rect", "chart-bar")
        assert len(bars) == 5
        assert bars[0].find("svg:title", NS).text == "Discovery — step 2: 1 people"
        medians = find(root, "path", "chart-median")
        assert len(medians) == 2
        # 3.25 sits a quarter of a column right of step 3's centre
        step3 = float(medians[0].get("d")[1:].split()[0])
        assert float(medians[1].get("d")[1:].split()[0]) == step3 + 70 / 4
        assert "withheld: fewer than 3" in svg
        assert_accessible(root)
        assert_csp_safe(svg, root)

    def test_text_alternative(self) -> None:
        desc = (
            parse(charts.distribution([1, 2, 3, 4, 5], self.rows(), title="C"))
            .find("svg:desc", NS)
            .text
        )
        assert "Delivery: 2 at step 3, 1 at step 4; median 3.25." in desc
        assert "Strategy: withheld: fewer than 3." in desc

    def test_bars_share_one_scale(self) -> None:
        bars = find(
            parse(charts.distribution([1, 2, 3, 4, 5], self.rows(), title="C")),
            "rect",
            "chart-bar",
        )
        widths = sorted(float(bar.get("width")) for bar in bars)
        assert widths[-1] == 2 * widths[0]
