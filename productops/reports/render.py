"""The report's HTML document: one template renders the page body and the file."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone


def report_context(report: dict[str, Any], org: str = "") -> dict[str, Any]:
    return {"report": report, "org": org or "Your organization", "generated": timezone.now()}


def render_document(report: dict[str, Any], org: str = "") -> str:
    """The standalone HTML document (cover, contents, sections, print CSS) of a report."""
    return render_to_string("reports/health_document.html", report_context(report, org))
