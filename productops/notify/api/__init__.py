"""The reminder preferences of the calling login: GET reads them, PUT changes some.

No `from __future__ import annotations`: django-ninja reads the route annotations at
import time. Mounted at /api/notifications/ (productops/api.py).
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from productops.notify.actions import do_set_preferences
from productops.notify.preferences import choices_of
from productops.notify.schemas import PreferencesIn, PreferencesOut
from productops.notify.sending import address_of

router = Router(tags=["notifications"])


def _preferences(user: Any) -> dict[str, Any]:
    return {
        "address": address_of(user),
        "kinds": [choice.__dict__ for choice in choices_of(user)],
    }


@router.get("/preferences", response=PreferencesOut)
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    return _preferences(request.user)


@router.put("/preferences", response=PreferencesOut)
def put_preferences(request: HttpRequest, body: PreferencesIn) -> dict[str, Any]:
    do_set_preferences(request.user, body.kinds)
    return _preferences(request.user)
