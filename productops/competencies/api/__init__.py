"""The competencies API: one Router for the app, composed from its areas."""

from ninja import Router

from productops.competencies.api import cycles, gaps, library

router = Router(tags=["competencies"])
router.add_router("/", library.router)
router.add_router("/", cycles.router)
router.add_router("/", gaps.router)
