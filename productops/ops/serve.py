"""`productops serve`: gunicorn in this process, serving productops.wsgi with WhiteNoise.

The master process is the one that ran the command; SIGHUP makes gunicorn start fresh
workers and retire the old ones once their requests are done, SIGTERM stops it. Each
request is logged once, by productops.ops.request_log (gunicorn's access log stays off,
so a request never gives two lines).
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

COLLECTED_MARK = ".productops-collected"

DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4
# An uploaded tracker export is read and staged inside the request: give it two minutes.
DEFAULT_TIMEOUT = 120
# How long a worker child gets to finish its task after SIGTERM before it is killed.
WORKER_STOP_SECONDS = 30

# What `runserver` accepts: a port, or an address (IPv4, [IPv6] or a host name) and a port.
_ADDRESS = re.compile(
    r"""^(?:(?:
    (?P<ipv4>\d{1,3}(?:\.\d{1,3}){3})
    | \[(?P<ipv6>[0-9a-fA-F:.]+)\]
    | (?P<fqdn>[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)
    ):)?(?P<port>\d+)$""",
    re.VERBOSE,
)


class ServeError(Exception):
    """A setting or address the server cannot start with; the message says what to do."""


@dataclass(frozen=True)
class Address:
    host: str
    port: int
    ipv6: bool = False

    @property
    def bind(self) -> str:
        """The address as gunicorn's `bind` takes it (`[::1]:8000` for IPv6)."""
        return f"[{self.host}]:{self.port}" if self.ipv6 else f"{self.host}:{self.port}"


def parse_address(text: str) -> Address:
    """`8000`, `0.0.0.0:8000`, `[::1]:8000` or `localhost:8000`, as runserver takes them."""
    match = _ADDRESS.match(text.strip())
    if match is None:
        raise ServeError(
            f"{text!r} is not an address to serve on: give a port (8000) or an address "
            "and a port (127.0.0.1:8000, 0.0.0.0:8000, [::1]:8000)."
        )
    port = int(match["port"])
    if not 1 <= port <= 65535:
        raise ServeError(f"Port {port} is out of range: use a port from 1 to 65535.")
    if match["ipv6"]:
        try:
            socket.inet_pton(socket.AF_INET6, match["ipv6"])
        except OSError:
            raise ServeError(
                f"{match['ipv6']!r} is not an IPv6 address: give one such as [::1]:8000."
            ) from None
        return Address(match["ipv6"], port, ipv6=True)
    if match["ipv4"]:
        try:
            socket.inet_aton(match["ipv4"])
        except OSError:
            raise ServeError(
                f"{match['ipv4']!r} is not an IPv4 address: give one such as 127.0.0.1:8000 or a port alone."
            ) from None
        if any(int(part) > 255 for part in match["ipv4"].split(".")):
            raise ServeError(
                f"{match['ipv4']!r} is not an IPv4 address: give one such as 127.0.0.1:8000 or a port alone."
            )
        return Address(match["ipv4"], port)
    return Address(match["fqdn"] or "127.0.0.1", port)


def _env_count(name: str, default: int, environ: dict[str, str]) -> int:
    raw = environ.get(name, "").strip()
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ServeError(f"{name}={raw!r}: use a whole number of 1 or more.")
    return int(raw)


@dataclass(frozen=True)
class ServeConfig:
    address: Address
    workers: int = DEFAULT_WORKERS
    threads: int = DEFAULT_THREADS
    timeout: int = DEFAULT_TIMEOUT

    @classmethod
    def from_environment(
        cls, address: str | None, environ: dict[str, str] | None = None
    ) -> ServeConfig:
        """The address given, else PRODUCTOPS_BIND, else 127.0.0.1:8000; the process counts
        from PRODUCTOPS_WORKERS, PRODUCTOPS_THREADS and PRODUCTOPS_TIMEOUT (seconds)."""
        env = dict(os.environ if environ is None else environ)
        chosen = address or env.get("PRODUCTOPS_BIND", "").strip() or DEFAULT_BIND
        return cls(
            address=parse_address(chosen),
            workers=_env_count("PRODUCTOPS_WORKERS", DEFAULT_WORKERS, env),
            threads=_env_count("PRODUCTOPS_THREADS", DEFAULT_THREADS, env),
            timeout=_env_count("PRODUCTOPS_TIMEOUT", DEFAULT_TIMEOUT, env),
        )


def check_address_free(address: Address) -> None:
    """Fail with a clear message now, rather than after gunicorn's five retries."""
    family = socket.AF_INET6 if address.ipv6 else socket.AF_INET
    try:
        infos = socket.getaddrinfo(address.host, address.port, family, socket.SOCK_STREAM)
    except socket.gaierror:
        raise ServeError(
            f"{address.host!r} is not a host name this machine knows: use an address "
            "such as 127.0.0.1 or 0.0.0.0."
        ) from None
    sockaddr = infos[0][4]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(sockaddr)
        except OSError as error:
            raise ServeError(
                f"Cannot serve on {address.bind}: {error.strerror}. Stop what is using it "
                "or choose another port (e.g. productops serve 8001)."
            ) from None


class ProductopsServer(BaseApplication):
    """gunicorn configured from a ServeConfig, loading productops.wsgi in each worker."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        super().__init__()

    def load_config(self) -> None:
        options: dict[str, Any] = {
            "bind": [self.config.address.bind],
            "workers": self.config.workers,
            "threads": self.config.threads,
            "worker_class": "gthread" if self.config.threads > 1 else "sync",
            "timeout": self.config.timeout,
            "graceful_timeout": 30,
            "proc_name": "productops",
            # One line per request comes from RequestLogMiddleware; gunicorn's own lines
            # (workers starting, restarts) go to stderr.
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "info",
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        # The WSGI_APPLICATION setting names productops.wsgi; read by name, so ops (layer 1)
        # does not import the site.
        from django.core.servers.basehttp import get_internal_wsgi_application

        return get_internal_wsgi_application()


def static_sources_fingerprint() -> str:
    """A digest of every static source file's path, size and time: what collectstatic reads."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            info = os.stat(storage.path(path))
            entries.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def collect_static() -> bool:
    """collectstatic (hashed names, gzip and brotli copies) unless nothing changed since the
    last run: compressing every file takes half a minute, a restart should not.
    Returns whether it collected."""
    from django.conf import settings
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    mark = root / COLLECTED_MARK
    fingerprint = static_sources_fingerprint()
    manifest = root / "staticfiles.json"
    if manifest.exists() and mark.exists() and mark.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    mark.write_text(fingerprint)
    return True


def start_worker() -> subprocess.Popen[bytes]:
    """`productops worker` as a child process, writing to the same stdout and stderr."""
    return subprocess.Popen([sys.executable, "-m", "productops", "worker"])


def stop_worker(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is not None:
        return
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def serve(config: ServeConfig, *, with_worker: bool = False) -> None:
    """Run gunicorn until it is stopped (SIGTERM, SIGINT); with the worker if asked."""
    from django.db import connections

    # A connection opened here must not be shared by the forked workers.
    connections.close_all()
    master = os.getpid()
    child = start_worker() if with_worker else None
    try:
        ProductopsServer(config).run()
    finally:
        # gunicorn's workers are forks of this process and leave through here too.
        if child is not None and os.getpid() == master:
            stop_worker(child)
