from __future__ import annotations

import socket

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Fast hashing in tests, set before any setUpTestData hashes a password;
    # production keeps Django's default.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run where they are enqueued (the real worker has a test of its own), and
    # static files need no collectstatic manifest.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # django-tasks made its backend when the apps' tasks were defined during setup: tell
    # it the setting changed, so it makes the immediate one.
    from django.core.signals import setting_changed

    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True, scope="session")
def _no_internet():
    """A test that reaches beyond loopback fails loudly instead of hanging."""
    real_connect = socket.socket.connect

    def guarded(self, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in {"localhost", "::1"} or host.startswith("/")
        ):
            raise RuntimeError(f"tests must not use the network (tried {address!r})")
        return real_connect(self, address)

    socket.socket.connect = guarded
    yield
    socket.socket.connect = real_connect
