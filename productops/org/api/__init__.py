"""The organization API: one Router for the app, composed from its areas.

The same domain calls and `org.visibility` rules as the pages. A viewer asking for a
named list gets 403, a person or team the user may not see 404 (the handlers in
`productops/api.py`). The schemas are in `org/schemas/`.
"""

from ninja import Router

from productops.org.api import audit, people, teams

router = Router(tags=["organization"])
router.add_router("/", people.router)
router.add_router("/", teams.router)
router.add_router("/", audit.router)
