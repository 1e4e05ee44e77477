"""Run the test OpenID provider: `python -m tests.oidc_provider.serve DIR`.

DIR holds users.json and app.json (written by `run.start_provider`). This creates the
RSA signing key, the database, the users and the client application, then serves on a
free 127.0.0.1 port and prints `PORT <n>` once it listens.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _write_key(data: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (data / "key.pem").write_bytes(pem)


def main() -> None:
    data = Path(sys.argv[1]).resolve()
    os.environ["OIDC_PROVIDER_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    _write_key(data)

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for spec in json.loads((data / "users.json").read_text()):
        User.objects.create_user(spec["username"], email=spec["email"], password=spec["password"])
    app = json.loads((data / "app.json").read_text())
    Application.objects.create(
        name="productops",
        client_id=app["client_id"],
        client_secret=app["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(app["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,  # the consent page is part of the flow under test
    )
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), _ThreadingServer, handler_class=_QuietHandler
    )
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
