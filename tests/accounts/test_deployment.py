"""The production environment README documents passes `check --deploy`, HTTPS is enforced
when asked for, and the data dir keeps the database and the key to their owner.

Each check runs `productops` in a subprocess on a fresh data dir: the settings are read
once at start-up, from the environment, exactly as a server reads them.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase, override_settings

# The environment of README's "Serving in production".
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "productops.example.com",
    "SECRET_KEY": "k3y-" + "x7Qp9vLm2Rt8Wz" * 4,
    "SECURE_COOKIES": "1",
    "CSRF_TRUSTED_ORIGINS": "https://productops.example.com",
    "PRODUCTOPS_HSTS_SECONDS": "31536000",
    "PRODUCTOPS_SSL_REDIRECT": "1",
    "PRODUCTOPS_PROXY_SSL_HEADER": "1",
}
ONLY_OURS = ("DEBUG", "ALLOWED_HOSTS", "SECRET_KEY", "SECURE_COOKIES", "DATABASE_URL")


def productops(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ONLY_OURS}
    clean = {k: v for k, v in clean.items() if not k.startswith("PRODUCTOPS_")}
    return subprocess.run(
        [sys.executable, "-m", "productops", *args],
        env={**clean, "PRODUCTOPS_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o022),  # the usual umask: others may read new files
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_check_deploy_passes_with_the_documented_production_environment(tmp_path):
    # An install from before the data dir was made private: its database is 0644.
    database = tmp_path / "productops.sqlite3"
    database.touch()
    database.chmod(0o644)
    result = productops(
        "check", "--deploy", "--fail-level", "WARNING", data_dir=tmp_path, **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr
    assert mode(database) == 0o600  # made private on start-up


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
class HttpsBehindAProxy(SimpleTestCase):
    def test_plain_http_is_redirected_to_https(self) -> None:
        response = self.client.get("/login/")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].startswith("https://"))

    def test_a_request_the_proxy_marks_https_gets_strict_transport_security(self) -> None:
        response = self.client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains"
        )


def test_a_fresh_data_dir_is_0700_and_the_database_and_key_0600(tmp_path):
    data = tmp_path / "data"
    result = productops("migrate", "--verbosity", "0", data_dir=data)
    assert result.returncode == 0, result.stderr
    database = data / "productops.sqlite3"
    assert database.stat().st_size > 0  # Django wrote its tables into the file made 0600
    assert mode(data) == 0o700
    assert mode(database) == 0o600
    assert mode(data / "secret_key") == 0o600
