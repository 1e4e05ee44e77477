"""The one NinjaAPI; each app adds its own Router here."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from productops.accounts.tokens import TokenAuth

api = NinjaAPI(
    title="productops API",
    version="1",
    description=(
        "Read the organization and its audit. Authenticate with a personal access token "
        "(`Authorization: Bearer pops_…`, created on your account page) or a browser session."
    ),
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
)

from productops.backlog.api import router as backlog_router  # noqa: E402
from productops.coaching.api import router as coaching_router  # noqa: E402
from productops.competencies.api import router as competencies_router  # noqa: E402
from productops.discovery.api import router as discovery_router  # noqa: E402
from productops.org.api import router as org_router  # noqa: E402
from productops.strategy.api import router as strategy_router  # noqa: E402

api.add_router("/org/", org_router)
api.add_router("/competencies/", competencies_router)
api.add_router("/coaching/", coaching_router)
api.add_router("/backlog/", backlog_router)
api.add_router("/discovery/", discovery_router)
api.add_router("/strategy/", strategy_router)
