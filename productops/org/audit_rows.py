"""The org audit page's tables as download rows: the findings, the spans and, for a reader
who sees only the summary, the counts per rule.

Built from what `visibility.visible_audit` returned (the page, its downloads and the
diagnosis workbook all pass that through), so a row never shows more than the page does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from productops.org.audit import RULES, Finding, SpanRow

COUNT_COLUMNS = ("Rule", "Critical", "Warning", "Info")
FINDING_COLUMNS = ("Severity", "Rule", "Concerns", "What we found", "Why it matters")
SPAN_COLUMNS = ("Manager", "Direct reports", "Total reports", "Severity")


def rule_counts(counts: Mapping[str, Mapping[str, int]]) -> list[dict[str, Any]]:
    """Each rule with findings, in the rules' order: its title and its count per severity."""
    return [
        {"rule": rule, "title": RULES.get(rule, rule), **counts[rule]}
        for rule in RULES
        if rule in counts
    ]


def count_rows(counts: Iterable[Mapping[str, Any]]) -> list[list[Any]]:
    """The counts table: a rule a row, zero where a severity has no finding."""
    return [
        [row["title"], row.get("critical", 0), row.get("warning", 0), row.get("info", 0)]
        for row in counts
    ]


def finding_rows(findings: Iterable[Finding]) -> list[list[Any]]:
    """The findings table, in the audit's order."""
    return [
        [str(f.severity), RULES.get(f.rule, f.rule), f.subject_name, f.message, f.why]
        for f in findings
    ]


def span_rows(spans: Iterable[SpanRow]) -> list[list[Any]]:
    """The spans table: every manager, with a severity only where a rule fired."""
    return [[s.name, s.direct, s.total, str(s.severity) if s.severity else ""] for s in spans]
