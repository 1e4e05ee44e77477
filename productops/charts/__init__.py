"""Charts drawn on the server as SVG: the same string serves the page, the PDF and the HTML
report.

Each builder is pure (plain values in, no database, no settings, no clock) and
deterministic (the same input gives the same bytes), and returns safe markup ready for
a template. The SVG stands alone: colours are SVG presentation attributes (`fill`,
`stroke`), which our Content Security Policy allows, never inline `style` and never a
`<style>` element; the `chart-*` classes are hooks for the stylesheet only.

Every chart is accessible: `role="img"` with an `aria-label`, a `<title>`, a `<desc>`
holding a text alternative of the whole chart, and a `<title>` tooltip on each mark.

- `radar_chart`: one polygon per series (self, others, expected) on scale rings.
- `heatmap`: rows × columns of cells coloured on a diverging scale, with a legend.
- `distribution`: per row, a bar per step sized by its count, and the median.
"""

from productops.charts.bars import Bar, Segment, StackRow, bar_list, share_bars, stacked_bars
from productops.charts.distribution import DistributionRow, distribution
from productops.charts.heatmap import HeatmapCell, HeatmapRow, diverging_colour, heatmap
from productops.charts.radar import RadarSeries, radar_chart
from productops.charts.svg import NO_DATA, SVG_NS

__all__ = [
    "NO_DATA",
    "SVG_NS",
    "Bar",
    "DistributionRow",
    "HeatmapCell",
    "HeatmapRow",
    "RadarSeries",
    "Segment",
    "StackRow",
    "bar_list",
    "distribution",
    "diverging_colour",
    "heatmap",
    "radar_chart",
    "share_bars",
    "stacked_bars",
]
