"""What an audit returns: severities, the rules' titles and whys, findings, spans, the result."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from productops.org.audit.thresholds import AuditThresholds


class Severity(StrEnum):
    """How much a finding matters.

    Iterating `Severity` gives listing order (critical first). Comparisons follow
    importance, so `finding.severity >= Severity.WARNING` means "warning or worse".
    """

    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def _other_rank(self, other: object) -> int | None:
        if isinstance(other, str):
            try:
                return Severity(other).rank
            except ValueError:
                return None
        return None

    def __lt__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank < rank

    def __le__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank <= rank

    def __gt__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank > rank

    def __ge__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank >= rank


_SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.CRITICAL: 3}


# Rule keys in listing order, with the title a head of product sees.
RULES: dict[str, str] = {
    "span_of_control": "Span of control",
    "one_on_one_load": "No time for 1:1s",
    "trio_incomplete": "Incomplete trio",
    "pm_spread": "PM spread thin",
    "pm_manager_not_product": "PM managed outside product",
    "leadership_mix": "Leadership mix",
    "no_manager": "Outside the reporting tree",
    "deep_chain": "Deep reporting chain",
    "manager_cycle": "Reporting cycle",
}
_RULE_ORDER = {rule: index for index, rule in enumerate(RULES)}

# Why each rule matters, in one sentence a head of product can act on.
WHY: dict[str, str] = {
    "span_of_control": (
        "A manager with this many direct reports cannot coach each of them, so the people "
        "who need help most get the least of it."
    ),
    "one_on_one_load": (
        "Regular 1:1s are where coaching happens, and at this load they either crowd out the "
        "manager's own work or quietly stop happening."
    ),
    "trio_incomplete": (
        "Discovery needs product, design and engineering deciding together, and a team "
        "without one of them builds without that voice."
    ),
    "pm_spread": (
        "A PM split across teams cannot keep up weekly discovery with each, so every team "
        "gets a part-time product manager."
    ),
    "pm_manager_not_product": (
        "PMs grow through coaching by someone who knows the craft, and a manager from "
        "another discipline rarely assesses or develops product skills."
    ),
    "leadership_mix": (
        "When a builder discipline has no seat among the leaders, its view is missing from "
        "the decisions about strategy, staffing and the roadmap."
    ),
    "no_manager": (
        "Someone with no manager has nobody coaching them or answering for their growth, "
        "and they are easy to leave out of plans."
    ),
    "deep_chain": (
        "Each extra layer slows decisions and filters what reaches the top, so the people "
        "doing the work drift away from strategy."
    ),
    "manager_cycle": (
        "A loop in the reporting lines means the data is wrong, and every count built on "
        "it (spans, depth, who leads) is unreliable until it is fixed."
    ),
}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    subject_kind: str  # "person" | "team" | "org"
    subject_id: int | None
    subject_name: str
    message: str
    why: str

    @property
    def rule_title(self) -> str:
        return RULES[self.rule]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "severity": str(self.severity), "rule_title": self.rule_title}


@dataclass(frozen=True)
class SpanRow:
    manager_id: int
    name: str
    direct: int
    total: int
    severity: Severity | None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "severity": str(self.severity) if self.severity else None}


@dataclass
class AuditResult:
    findings: list[Finding]
    spans: list[SpanRow]  # every manager, largest direct span first
    top_id: int | None
    thresholds: AuditThresholds = field(default_factory=AuditThresholds)

    def counts(self) -> dict[str, dict[str, int]]:
        """Rule -> severity -> number of findings, every rule and severity present (zeros too)."""
        tally = Counter((finding.rule, finding.severity) for finding in self.findings)
        return {
            rule: {str(severity): tally[(rule, severity)] for severity in Severity}
            for rule in RULES
        }

    def at_or_above(self, severity: Severity | str) -> list[Finding]:
        floor = Severity(severity)
        return [finding for finding in self.findings if finding.severity >= floor]

    def as_dict(self) -> dict[str, Any]:
        return {
            "findings": [finding.as_dict() for finding in self.findings],
            "spans": [row.as_dict() for row in self.spans],
            "thresholds": self.thresholds.as_dict(),
        }


def listing_order(finding: Finding) -> tuple[int, int, str, int]:
    """Findings are listed worst first, then by rule, subject name and id."""
    return (
        -finding.severity.rank,
        _RULE_ORDER[finding.rule],
        finding.subject_name.casefold(),
        finding.subject_id or 0,
    )
