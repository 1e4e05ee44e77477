"""The org API's schemas, one module per area: people, teams, audit.

Re-exported here, so `from productops.org.schemas import PersonRef` (how the other apps'
schemas name a person) keeps working.
"""

from productops.org.schemas.audit import AuditOut, AuditParams, FindingOut, SpanOut
from productops.org.schemas.people import PeopleFilters, PersonOut, PersonRef
from productops.org.schemas.teams import MembershipOut, TeamDetailOut, TeamOut

__all__ = [
    "AuditOut",
    "AuditParams",
    "FindingOut",
    "MembershipOut",
    "PeopleFilters",
    "PersonOut",
    "PersonRef",
    "SpanOut",
    "TeamDetailOut",
    "TeamOut",
]
