"""Running the audit on the org as it is now: load the snapshot, apply the rules."""

from __future__ import annotations

from productops.org.audit.result import AuditResult
from productops.org.audit.rules import audit_org
from productops.org.audit.snapshot import load_org_snapshot
from productops.org.audit.thresholds import AuditThresholds


def run_org_audit(thresholds: AuditThresholds | None = None) -> AuditResult:
    """Load the org and audit it; thresholds default to those in settings."""
    return audit_org(load_org_snapshot(), thresholds or AuditThresholds.from_settings())
