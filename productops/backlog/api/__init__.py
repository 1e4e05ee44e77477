"""The backlog API: one Router for the app, composed from its areas."""

from ninja import Router

from productops.backlog.api import imports, report, reporters, vocabulary

router = Router(tags=["backlog"])
router.add_router("/", imports.router)
router.add_router("/", report.router)
router.add_router("/", reporters.router)
router.add_router("/", vocabulary.router)
