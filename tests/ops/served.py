"""`productops serve` as a real subprocess on a free loopback port, for the serve tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Settings a developer's shell may carry that would change what is tested.
NOT_INHERITED = ("DEBUG", "ALLOWED_HOSTS", "SECRET_KEY", "SECURE_COOKIES", "DATABASE_URL")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in NOT_INHERITED and not k.startswith("PRODUCTOPS_")
    }
    return {**env, "PRODUCTOPS_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **extra}


def productops(*args: str, env: dict[str, str], python: str = sys.executable) -> str:
    result = subprocess.run(
        [python, "-m", "productops", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


def fetch(url: str, headers: dict[str, str] | None = None) -> Response:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return Response(answer.status, dict(answer.headers.items()), answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers.items()), error.read())


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    stdout_path: Path
    stderr_path: Path
    lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stdout(self) -> str:
        return self.stdout_path.read_text()

    def stderr(self) -> str:
        return self.stderr_path.read_text()

    def worker_pids(self) -> set[int]:
        """The gunicorn workers: the master's children running productops' web app."""
        pids = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid:
                pids.add(int(entry.name))
        return pids

    def wait_for(self, predicate, seconds: float, what: str):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{what} did not happen; stderr:\n{self.stderr()}")

    def stop(self, sig: int = signal.SIGTERM, seconds: float = 40) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=seconds)


def start_server(data_dir: Path, *args: str, python: str = sys.executable, **env: str) -> Server:
    port = free_port()
    out = data_dir / "serve.stdout"
    err = data_dir / "serve.stderr"
    process = subprocess.Popen(
        [python, "-m", "productops", "serve", *args, f"127.0.0.1:{port}"],
        env=clean_environment(data_dir, **env),
        cwd=ROOT,
        stdout=out.open("w"),
        stderr=err.open("w"),
        text=True,
    )
    server = Server(process, port, out, err)

    def answers() -> bool:
        try:
            return fetch(server.url + "/login/").status == 200
        except OSError:
            return False

    # The first start compresses every static file (about half a minute on a busy machine).
    server.wait_for(answers, 180, "the server answering /login/")
    return server


STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')
