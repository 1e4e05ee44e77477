"""The discovery API: one Router for the app, composed from its areas."""

from ninja import Router

from productops.discovery.api import cadence, touchpoints, trees

router = Router(tags=["discovery"])
router.add_router("/", touchpoints.router)
router.add_router("/", cadence.router)
router.add_router("/", trees.router)
