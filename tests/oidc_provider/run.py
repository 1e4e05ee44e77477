"""Start the test OpenID provider in a subprocess, and what productops needs to use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "productops-test"
CLIENT_SECRET = "provider-test-secret-0123456789"  # noqa: S105 - test only


@dataclass
class Provider:
    base: str
    process: subprocess.Popen[str]
    tmp: tempfile.TemporaryDirectory[str]
    users: list[dict[str, Any]] = field(default_factory=list)

    def settings(self, **extra: Any) -> dict[str, Any]:
        """productops settings to sign in through this provider (for override_settings)."""
        from productops.accounts.sign_on import read_sign_on

        environ = {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.base}/o/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.base}/o/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.base}/o/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.base}/o/.well-known/jwks.json",
            "PRODUCTOPS_OIDC_PROVIDER_NAME": "Test provider",
            **{key: value for key, value in extra.items() if isinstance(value, str)},
        }
        found = read_sign_on(environ)
        found["AUTHENTICATION_BACKENDS"] = [
            "productops.accounts.lockout.LockoutBackend",
            "productops.accounts.oidc.SignOnBackend",
            "django.contrib.auth.backends.ModelBackend",
        ]
        return found

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.tmp.cleanup()


def start_provider(redirect_uris: list[str], users: list[dict[str, Any]]) -> Provider:
    """Run the provider with these users ({username, email, password, role?, groups?,
    email_verified?}) and one client application allowed to return to redirect_uris."""
    tmp = tempfile.TemporaryDirectory(prefix="oidc-provider-")
    data = Path(tmp.name)
    (data / "users.json").write_text(json.dumps(users))
    (data / "app.json").write_text(
        json.dumps(
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris}
        )
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(data)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # "PORT n" once it listens, "" if it died
    if not line.startswith("PORT "):
        process.kill()
        process.wait()
        tmp.cleanup()
        raise RuntimeError("the test OpenID provider did not start (see its output above)")
    return Provider(f"http://127.0.0.1:{line.split()[1]}", process, tmp, users)


class _Forms(HTMLParser):
    """The forms of a page: their action and the values of their inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append({"action": values.get("action") or "", "fields": {}})
        elif tag == "input" and self.forms and values.get("name"):
            if values.get("type") != "submit":
                self.forms[-1]["fields"][values["name"]] = values.get("value") or ""


def _form(response: requests.Response) -> tuple[str, dict[str, str]]:
    parser = _Forms()
    parser.feed(response.text)
    assert parser.forms, f"no form at {response.url}: {response.status_code}"
    form = parser.forms[0]
    return urljoin(response.url, form["action"]) or response.url, dict(form["fields"])


def sign_in(http: requests.Session, start: str, username: str, password: str) -> requests.Response:
    """The whole code flow over HTTP: productops sends us to the provider, we log in
    there and allow access, the provider sends us back to productops' callback."""
    login_page = http.get(start, timeout=30)
    assert "/accounts/login/" in login_page.url, login_page.url
    action, fields = _form(login_page)
    fields.update(username=username, password=password)
    consent = http.post(action, data=fields, headers={"Referer": login_page.url}, timeout=30)
    assert "/o/authorize/" in consent.url, consent.url
    action, fields = _form(consent)
    fields["allow"] = "Authorize"
    return http.post(action, data=fields, headers={"Referer": consent.url}, timeout=30)


def set_claims(provider: Provider, username: str, **changes: Any) -> None:
    """Change what the provider says about a user (read at each request)."""
    path = Path(provider.tmp.name) / "users.json"
    users = json.loads(path.read_text())
    for user in users:
        if user["username"] == username:
            user.update(changes)
    path.write_text(json.dumps(users))


def wire_person_lookup() -> None:
    """Until OrgConfig.ready registers it: find a person by e-mail for the sign-on."""
    from productops.accounts import sign_on
    from productops.org.models import Person

    if sign_on._person_by_email is None:
        sign_on.register_person_by_email(
            lambda email: Person.objects.filter(email__iexact=email.strip()).first()
        )
