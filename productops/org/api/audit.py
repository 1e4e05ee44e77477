"""Org audit API: the audit with thresholds from the query, as far as your role may see.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters (`Query[...]`) at import time and needs them evaluated.
"""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from productops.org import visibility
from productops.org.audit import RULES, AuditThresholds, run_org_audit
from productops.org.schemas.audit import AuditOut, AuditParams

router = Router()


@router.get("/audit", response=AuditOut, summary="The org audit, as far as your role may see")
def org_audit(request: HttpRequest, params: Query[AuditParams]) -> dict[str, Any]:
    try:
        thresholds = AuditThresholds.from_settings(**params.dict())
    except ValueError as error:
        # Thresholds that contradict each other (critical below warning): invalid input.
        raise HttpError(422, str(error)) from None
    seen = visibility.visible_audit(request.user, run_org_audit(thresholds))
    return {
        "scope": seen["scope"],
        "thresholds": asdict(thresholds),
        "counts": seen["counts"],
        "findings": [
            {**asdict(f), "severity": str(f.severity), "rule_title": RULES.get(f.rule, f.rule)}
            for f in seen["findings"]
        ],
        "spans": [
            {**asdict(s), "severity": str(s.severity) if s.severity else None}
            for s in seen["spans"]
        ],
    }
