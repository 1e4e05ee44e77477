"""The audit's thresholds: defaults, then settings.PRODUCTOPS_AUDIT, then overrides."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class AuditThresholds:
    span_warn: int = 8
    span_critical: int = 15
    one_on_one_minutes: int = 30
    one_on_one_share: float = 0.20
    week_hours: float = 40
    max_teams_per_pm: int = 2
    max_chain_depth: int = 6

    def __post_init__(self) -> None:
        for item in fields(self):
            if getattr(self, item.name) < 0:
                raise ValueError(f"audit threshold {item.name} cannot be negative")
        if self.span_warn > self.span_critical:
            raise ValueError(
                f"span_warn ({self.span_warn}) must not be above span_critical ({self.span_critical})"
            )

    @classmethod
    def from_settings(cls, **overrides: Any) -> AuditThresholds:
        """Defaults, then settings.PRODUCTOPS_AUDIT, then any override that is not None."""
        known = {item.name for item in fields(cls)}
        configured = dict(getattr(settings, "PRODUCTOPS_AUDIT", {}))
        unknown = (set(configured) | set(overrides)) - known
        if unknown:
            raise TypeError(f"unknown audit thresholds: {', '.join(sorted(unknown))}")
        configured.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**configured)

    @property
    def one_on_one_budget_hours(self) -> float:
        return self.one_on_one_share * self.week_hours

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
