"""The org audit: where the shape of the product organization gets in the way of good work.

The audit runs in two steps so that the rules can be tested without a database:

1. `load_org_snapshot()` reads the active people and the teams into plain, frozen facts
   (three queries whatever the size of the org).
2. `audit_org(snapshot, thresholds)` is pure: it walks the reporting tree once, applies
   every rule and returns an `AuditResult` with sorted findings and a span table.

`run_org_audit()` does both with the thresholds from settings; the views, the API and the
`audit_org` management command all call it (or the two steps).

The modules: `snapshot` (the facts and the one ORM loader), `tree` (the reporting tree),
`rules` (the pure rules and `audit_org`), `result` (severities, each rule's title and why,
findings, spans, the result), `thresholds`, and `run` (`run_org_audit`). The names other
modules use are re-exported here: `from productops.org.audit import run_org_audit` works.

Definitions the rules rely on:

- **Inactive people** are ignored entirely: they manage no one and belong to no team. A
  person whose manager is inactive (or unknown) therefore has no manager in the audit.
- **The top** of the tree is the person without a manager who has the largest subtree
  (ties go to the lowest id). Everyone else without a manager sits outside the tree.
- **A manager** is anyone with at least one active direct report. **Total reports** are
  everyone below them in the reporting lines, however deep.
- **Leadership** is the top plus everyone who manages at least one manager.
- **A product manager** (for the "PM's manager" rule) is someone whose discipline is
  product and who either holds the product-manager role on a team, or has no direct
  reports and a title that names the job: "product manager", "product owner" or "PM" as a
  whole word, in any case. "Group Product Manager" with reports is a manager of PMs and
  is judged by the span rules instead.
- **Teams with no active members** are skipped by the trio rule: they are usually groups
  that hold other teams, and an empty team is not a missing trio but a missing team.
- **Reporting cycles** (A reports to B who reports to A) are reported once per cycle as a
  critical finding. To keep the other rules meaningful, each cycle is cut at its member
  with the lowest id; that member is not reported again as "no manager", and every member
  of a cycle counts everyone reachable through the cycle as a total report.

Every rule is linear in the number of people and memberships; only the final sort of
findings and spans is n log n.
"""

from productops.org.audit.result import RULES, WHY, AuditResult, Finding, Severity, SpanRow
from productops.org.audit.rules import (
    BUILDERS,
    DESIGN,
    ENGINEERING,
    LEADERSHIP,
    PRODUCT,
    ROLE_DESIGN_LEAD,
    ROLE_DESIGNER,
    ROLE_ENGINEER,
    ROLE_PRODUCT_MANAGER,
    ROLE_TECH_LEAD,
    audit_org,
    is_product_manager,
)
from productops.org.audit.run import run_org_audit
from productops.org.audit.snapshot import OrgSnapshot, PersonFact, TeamFact, load_org_snapshot
from productops.org.audit.thresholds import AuditThresholds
from productops.org.audit.tree import ReportingTree, find_cycles

__all__ = [
    "BUILDERS",
    "DESIGN",
    "ENGINEERING",
    "LEADERSHIP",
    "PRODUCT",
    "ROLE_DESIGNER",
    "ROLE_DESIGN_LEAD",
    "ROLE_ENGINEER",
    "ROLE_PRODUCT_MANAGER",
    "ROLE_TECH_LEAD",
    "RULES",
    "WHY",
    "AuditResult",
    "AuditThresholds",
    "Finding",
    "OrgSnapshot",
    "PersonFact",
    "ReportingTree",
    "Severity",
    "SpanRow",
    "TeamFact",
    "audit_org",
    "find_cycles",
    "is_product_manager",
    "load_org_snapshot",
    "run_org_audit",
]
