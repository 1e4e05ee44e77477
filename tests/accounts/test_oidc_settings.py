"""Single sign-on settings from the environment: off, complete, or refused by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from productops.accounts.sign_on import REQUIRED, parse_role_groups, read_sign_on

ROOT = Path(__file__).resolve().parents[2]
COMPLETE = {name: f"value-of-{name.lower()}" for name in REQUIRED}


def test_no_oidc_variables_means_single_sign_on_is_off() -> None:
    assert read_sign_on({"PATH": "/bin"}) == {}


def test_a_complete_configuration_has_safe_defaults() -> None:
    found = read_sign_on(COMPLETE)
    assert found["OIDC_RP_CLIENT_ID"] == "value-of-oidc_rp_client_id"
    assert found["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert found["PRODUCTOPS_OIDC_NO_PERSON"] == "refuse"
    assert found["OIDC_GROUPS_CLAIM"] == "groups"


def test_a_partial_configuration_names_what_is_missing() -> None:
    partial = {
        k: v
        for k, v in COMPLETE.items()
        if k not in {"OIDC_OP_JWKS_ENDPOINT", "OIDC_RP_CLIENT_SECRET"}
    }
    with pytest.raises(ImproperlyConfigured) as refused:
        read_sign_on(partial)
    assert "OIDC_RP_CLIENT_SECRET, OIDC_OP_JWKS_ENDPOINT" in str(refused.value)
    assert "OIDC_RP_CLIENT_ID" not in str(refused.value).split("set ")[1].split(" as well")[0]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OIDC_RP_SIGN_ALGO", "none"),
        ("PRODUCTOPS_OIDC_NO_PERSON", "admin"),
        ("PRODUCTOPS_OIDC_DEFAULT_ROLE", "owner"),
        ("PRODUCTOPS_OIDC_ROLE_GROUPS", "boss=leads"),
    ],
)
def test_a_bad_choice_is_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=name):
        read_sign_on({**COMPLETE, name: value})


def test_role_groups_map_each_group_to_its_role() -> None:
    assert parse_role_groups(" admin=pm-leads, manager=pm-managers,admin=heads ") == {
        "pm-leads": "admin",
        "pm-managers": "manager",
        "heads": "admin",
    }


def _settings_in_a_process(**environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "PRODUCTOPS_"))}
    env.update(environ, DJANGO_SETTINGS_MODULE="productops.settings")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.AUTHENTICATION_BACKENDS)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_real_settings_refuse_a_partial_configuration_at_start(tmp_path: Path) -> None:
    started = _settings_in_a_process(
        PRODUCTOPS_DATA_DIR=str(tmp_path), OIDC_RP_CLIENT_ID="productops"
    )
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert "OIDC_OP_TOKEN_ENDPOINT" in started.stderr


def test_switching_passwords_off_needs_single_sign_on(tmp_path: Path) -> None:
    started = _settings_in_a_process(
        PRODUCTOPS_DATA_DIR=str(tmp_path), PRODUCTOPS_PASSWORD_LOGIN="0"
    )
    assert started.returncode != 0
    assert "PRODUCTOPS_PASSWORD_LOGIN=0 needs single sign-on" in started.stderr


def test_with_passwords_off_only_the_sign_on_backend_logs_in(tmp_path: Path) -> None:
    started = _settings_in_a_process(
        PRODUCTOPS_DATA_DIR=str(tmp_path), PRODUCTOPS_PASSWORD_LOGIN="0", **COMPLETE
    )
    assert started.returncode == 0, started.stderr
    assert "productops.accounts.oidc.SignOnBackend" in started.stdout
    assert "ModelBackend" not in started.stdout
    assert "LockoutBackend" in started.stdout  # axes still checks first
