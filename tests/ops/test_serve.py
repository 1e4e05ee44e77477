"""`productops serve`: gunicorn with hashed, compressed static files, one log line per
request, a graceful restart on SIGHUP and a clean stop on SIGTERM; a real process on a
free loopback port with its own data dir."""

from __future__ import annotations

import gzip
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.ops.served import (
    ROOT,
    STATIC_LINK,
    clean_environment,
    fetch,
    free_port,
    productops,
    start_server,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("serve")
    productops("migrate", "--noinput", "--verbosity", "0", env=clean_environment(data_dir))
    running = start_server(data_dir, PRODUCTOPS_WORKERS="2")
    yield running
    running.stop(signal.SIGKILL) if running.process.poll() is None else None


def test_the_login_page_and_its_hashed_static_files_are_served(server):
    page = fetch(server.url + "/login/")
    assert page.status == 200
    links = STATIC_LINK.findall(page.body.decode())
    stylesheet = next(link for link in links if link.endswith(".css"))
    # A hashed name (productops.1a2b3c4d5e6f.css): cached for good, gzip when asked.
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet
    plain = fetch(server.url + stylesheet)
    assert plain.status == 200
    assert "immutable" in plain.headers["Cache-Control"]
    assert "max-age=315360000" in plain.headers["Cache-Control"]
    zipped = fetch(server.url + stylesheet, {"Accept-Encoding": "gzip"})
    assert zipped.headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(zipped.body) == plain.body


def test_each_request_gives_one_line_on_stdout_with_status_and_time(server):
    fetch(server.url + "/login/?probe=logline")
    fetch(server.url + "/no-such-page/")
    server.wait_for(lambda: "/no-such-page/ 404" in server.stdout(), 10, "the 404 line")
    lines = server.stdout().splitlines()
    login = [line for line in lines if "productops.requests GET /login/ 200" in line]
    assert login, lines
    # "2026-12-03 16:10:00,123 INFO productops.requests GET /login/ 200 12ms"
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO .* \d+ms$", login[-1])
    missing = [line for line in lines if "GET /no-such-page/" in line]
    assert len(missing) == 1  # no second line from gunicorn's own access log


def test_health_answers_200_with_json(server):
    health = fetch(server.url + "/health/")
    assert health.status == 200, health.body
    assert b'"database": {"ok": true' in health.body


def test_sighup_restarts_the_workers_while_pages_keep_answering(server):
    before = server.wait_for(
        lambda: (pids := server.worker_pids()) and len(pids) == 2 and pids, 30, "2 workers"
    )
    server.process.send_signal(signal.SIGHUP)
    answers = []
    after = set()
    deadline = time.monotonic() + 45  # old workers finish their requests first
    while time.monotonic() < deadline:
        answers.append(fetch(server.url + "/login/").status)
        after = server.worker_pids()
        if len(after) == 2 and not after & before:
            break
    assert not after & before, (before, after)
    assert len(after) == 2
    assert set(answers) == {200}
    assert fetch(server.url + "/login/").status == 200


def test_sigterm_stops_the_server(server):
    workers = server.worker_pids()
    assert server.stop(signal.SIGTERM) == 0
    assert not server.worker_pids() & workers
    assert "Shutting down" in server.stderr() or "Handling signal: term" in server.stderr()


@pytest.mark.parametrize(
    "address",
    ["80000", "127.0.0.1:", "300.1.1.1:8000", "[::zz]:8000", "local host:8000"],
)
def test_a_wrong_address_is_refused_with_what_to_give(tmp_path, address):
    result = subprocess.run(
        [sys.executable, "-m", "productops", "serve", address],
        env=clean_environment(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "CommandError" in result.stderr or "Error:" in result.stderr
    assert "port" in result.stderr.lower()


def test_an_address_in_use_is_refused_before_anything_starts(tmp_path):
    import socket

    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = subprocess.run(
            [sys.executable, "-m", "productops", "serve", f"127.0.0.1:{port}"],
            env=clean_environment(tmp_path),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"Cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "another port" in result.stderr
    assert "Traceback" not in result.stderr
