"""The strategy API: one Router for the app, composed from its areas."""

from ninja import Router

from productops.strategy.api import checks, delegation, objectives

router = Router(tags=["strategy"])
router.add_router("/", objectives.router)
router.add_router("/", checks.router)
router.add_router("/", delegation.router)
