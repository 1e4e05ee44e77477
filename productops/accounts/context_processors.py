from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from productops.accounts.roles import role_of


def account(request: HttpRequest) -> dict[str, Any]:
    role = role_of(getattr(request, "user", None))
    return {"productops_role": role.value if role else None}
