"""The claims the test provider gives: e-mail, a role claim and groups, per user."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


def _people() -> dict[str, dict[str, Any]]:
    spec = json.loads((Path(os.environ["OIDC_PROVIDER_DIR"]) / "users.json").read_text())
    return {user["username"]: user for user in spec}


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "productops_role": "openid",
        "groups": "openid",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        extra = _people().get(user.username, {})
        claims: dict[str, Any] = {
            "email": user.email,
            "email_verified": extra.get("email_verified", True),
            "name": extra.get("name", user.username),
            "groups": extra.get("groups", []),
        }
        if extra.get("role"):
            claims["productops_role"] = extra["role"]
        return claims
