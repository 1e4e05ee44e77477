"""What the overview page shows each user about coaching: 1:1s and actions they owe."""

from __future__ import annotations

from typing import Any


def dashboard_context(user: Any) -> dict[str, Any]:
    return {}
