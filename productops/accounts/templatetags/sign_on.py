"""`{% sign_on_options as sso %}`: what the login page offers (single sign-on, passwords)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sign_on_options() -> dict[str, Any]:
    return {
        "enabled": bool(getattr(settings, "OIDC_RP_CLIENT_ID", "")),
        "provider": getattr(settings, "PRODUCTOPS_OIDC_PROVIDER_NAME", "single sign-on"),
        "passwords": getattr(settings, "PRODUCTOPS_PASSWORD_LOGIN", True),
    }
