"""What the overview page shows each user about assessments (requests they owe)."""

from __future__ import annotations

from typing import Any


def dashboard_context(user: Any) -> dict[str, Any]:
    return {}
