"""The report's HTML document: one template renders the page body and the file.

Charts are kept in the report as their input data; they are drawn here, at render time,
with the same `productops.charts` builders the app pages use, so a snapshot reopens with
the same chart and the page, the HTML file and the PDF show the same SVG.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from productops import charts


def chart_svg(spec: dict[str, Any]) -> SafeString:
    """The inline SVG of one chart stored in a report (see `health.bars_chart`,
    `health.shares_chart`)."""
    title = str(spec.get("title", ""))
    if spec.get("kind") == "shares":
        return charts.share_bars(
            [charts.StackRow(row["label"], row["values"]) for row in spec.get("rows", [])],
            [charts.Segment(s["key"], s["label"]) for s in spec.get("segments", [])],
            title=title,
            unit=str(spec.get("unit", "items")),
            wrap=True,  # a report's labels are written whole (no cut labels in a document)
        )
    return charts.bar_list(
        [charts.Bar(b["label"], b["value"], b.get("shown", "")) for b in spec.get("bars", [])],
        title=title,
        maximum=spec.get("maximum"),
        wrap=True,
    )


def _drawn(section: dict[str, Any]) -> dict[str, Any]:
    drawn = [{"title": c.get("title", ""), "svg": chart_svg(c)} for c in section.get("charts", [])]
    return {**section, "drawn": drawn}


def report_context(report: dict[str, Any], org: str = "") -> dict[str, Any]:
    return {
        "report": report,
        "sections": [_drawn(s) for s in report.get("sections", [])],
        "org": org or "Your organization",
        # A kept report shows the day it was generated, not the day it is reopened.
        "generated": report.get("generated_at", "")[:10] or f"{timezone.now():%Y-%m-%d}",
    }


def render_document(report: dict[str, Any], org: str = "") -> str:
    """The standalone HTML document (cover, contents, sections, print CSS) of a report."""
    return render_to_string("reports/health_document.html", report_context(report, org))
