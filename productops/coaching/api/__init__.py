"""The coaching API: one Router for the app, composed from its areas."""

from ninja import Router

from productops.coaching.api import communities, one_on_ones, plans, practices

router = Router(tags=["coaching"])
router.add_router("/", plans.router)
router.add_router("/", one_on_ones.router)
router.add_router("/", communities.router)
router.add_router("/", practices.router)
