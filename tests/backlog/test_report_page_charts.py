"""The report's chart builders: accessible, escaped, styled only by attributes, stable."""

from __future__ import annotations

from django.test import SimpleTestCase

from productops.charts import Bar, Segment, StackRow, bar_list, share_bars, stacked_bars

ORIGINS = [Segment("sales", "Sales <& co>"), Segment("customer", "Customer need")]


class ReportCharts(SimpleTestCase):
    def charts(self):
        return [
            share_bars(
                [StackRow("Open", {"sales": 3, "customer": 1}), StackRow("Done", {"customer": 2})],
                ORIGINS,
                title="Origin mix",
            ),
            stacked_bars(
                [StackRow("2026-09", {"sales": 2}), StackRow("2026-10", {"customer": 4})],
                ORIGINS,
                title="Per month",
            ),
            bar_list([Bar("Sprint <1>", 0.7, "70%"), Bar("Sprint 2", None)], title="Accuracy"),
        ]

    def test_every_chart_is_an_accessible_image_without_inline_style(self) -> None:
        for svg in self.charts():
            with self.subTest(svg=svg[:60]):
                self.assertIn('role="img"', svg)
                self.assertIn("<title>", svg)
                self.assertIn("<desc>", svg)
                self.assertNotIn("style=", svg)
                self.assertNotIn("<script", svg)

    def test_text_is_escaped(self) -> None:
        shares, stacked, bars = self.charts()
        self.assertIn("Sales &lt;&amp; co&gt;", shares)
        self.assertNotIn("<& co>", shares + stacked)
        self.assertIn("Sprint &lt;1&gt;", bars)

    def test_shares_say_their_percentages_in_the_text_alternative(self) -> None:
        shares = self.charts()[0]
        self.assertIn("Open (4 items): Sales &lt;&amp; co&gt; 75%, Customer need 25%.", shares)
        self.assertIn("Done (2 items): Customer need 100%.", shares)

    def test_a_missing_value_says_no_data(self) -> None:
        self.assertIn("Sprint 2: no data.", self.charts()[2])

    def test_the_same_input_gives_the_same_bytes(self) -> None:
        self.assertEqual(self.charts(), self.charts())

    def test_nothing_to_chart_says_so(self) -> None:
        self.assertIn("Nothing to chart yet.", share_bars([], ORIGINS, title="Empty"))
        self.assertIn(
            "Nothing to chart yet.", stacked_bars([StackRow("x", {})], ORIGINS, title="E")
        )
        self.assertIn("Nothing to chart yet.", bar_list([], title="Empty"))
