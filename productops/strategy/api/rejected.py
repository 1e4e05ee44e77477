"""The 422 body of the strategy API's writes that name every field to fix.

Unlike the shared `ValidationError` handler in `productops/api.py` (`detail` is the
messages, `errors` a list per field), these answers lead with "Nothing was saved:" and
give one sentence per field, as `ObjectiveRejectedOut` and `DelegationRejectedOut` say.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def rejected(problem: ValidationError) -> dict[str, Any]:
    """`{"detail": "Nothing was saved: …", "errors": {field: sentence}}`."""
    if hasattr(problem, "error_dict"):
        errors = {name: " ".join(texts) for name, texts in problem.message_dict.items()}
    else:
        errors = {"__all__": " ".join(problem.messages)}
    return {"detail": "Nothing was saved: " + " ".join(errors.values()), "errors": errors}
