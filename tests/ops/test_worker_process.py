"""A real `productops worker` process against a real database: it runs a job to its
result, and a worker killed mid-task leaves a job that the next worker marks failed.

With DATABASE_URL (PostgreSQL in CI) the processes use the test database pytest-django
made (a transactional test, so what they write is visible to them); otherwise a SQLite
file in a fresh data dir, migrated by a `productops migrate` process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _postgres_env(request: pytest.FixtureRequest) -> dict[str, str]:
    request.getfixturevalue("transactional_db")
    from django.db import connection

    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {"DATABASE_URL": url}


@pytest.fixture
def worker_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k not in {"PRODUCTOPS_TASK_BACKEND"}}
    env["PRODUCTOPS_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONUNBUFFERED"] = "1"
    if os.environ.get("DATABASE_URL"):
        env.update(_postgres_env(request))
    else:
        env.pop("DATABASE_URL", None)
        _productops(env, "migrate", "-v0")
    yield env


def _productops(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "productops", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _python(env: dict[str, str], code: str) -> Any:
    """Run `code` in a Django shell process; it prints one JSON value, returned here."""
    out = _productops(env, "shell", "-c", code)
    return json.loads(out.strip().splitlines()[-1])


START = """
import json
from productops.ops.jobs import start_job
from tests.ops import worker_tasks
job = start_job("selftest", "Count", worker_tasks.{task}, {args}, result_url="/done/")
print(json.dumps(job.pk))
"""

READ = """
import json
from productops.ops.models import Job
from django_tasks_db.models import DBTaskResult
job = Job.objects.get(pk={pk})
row = DBTaskResult.objects.get(id=job.task_id)
print(json.dumps({{"status": job.status, "done": job.done, "total": job.total,
    "result": job.result, "error": job.error, "worker_id": job.worker_id,
    "task_status": row.status}}))
"""


def test_a_real_worker_runs_a_job_to_its_result(worker_env: dict[str, str]) -> None:
    pk = _python(worker_env, START.format(task="count_to", args="5"))
    assert _python(worker_env, READ.format(pk=pk))["status"] == "queued"

    out = _productops(worker_env, "worker", "--batch", "--worker-id", "batch-one")

    job = _python(worker_env, READ.format(pk=pk))
    assert job["status"] == "done", job
    assert job["result"] == {"summary": "Counted to 5.", "n": 5}
    assert (job["done"], job["total"]) == (5, 5)
    assert job["worker_id"] == "batch-one"
    assert job["task_status"] == "SUCCESSFUL"
    assert f"task selftest job={pk} started" in out
    assert f"task selftest job={pk} done in" in out
    # A stopped worker leaves no heartbeat claiming it still runs.
    assert _python(worker_env, BEATS) == []


BEATS = """
import json
from productops.ops.models import WorkerHeartbeat
print(json.dumps(list(WorkerHeartbeat.objects.values_list("worker_id", flat=True))))
"""


def _wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the worker never started the task"
        time.sleep(0.2)


def test_a_job_whose_worker_was_killed_is_failed_on_the_next_start(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    marker = tmp_path / "started"
    pk = _python(worker_env, START.format(task="hang_until_killed", args=repr(str(marker))))
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "productops",
            "worker",
            "--worker-id",
            "doomed",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env=worker_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(marker, worker)
        running = _python(worker_env, READ.format(pk=pk))
        assert (running["status"], running["worker_id"]) == ("running", "doomed")
        assert _python(worker_env, BEATS) == ["doomed"]
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=30)

    _productops(worker_env, "worker", "--batch")

    job = _python(worker_env, READ.format(pk=pk))
    assert job["status"] == "failed"
    assert "The worker stopped while this ran" in job["error"]
    assert "start it again" in job["error"]
    assert job["task_status"] == "FAILED"


def test_sigterm_lets_the_current_task_finish(worker_env: dict[str, str], tmp_path: Path) -> None:
    marker = tmp_path / "started"
    # On PostgreSQL the processes share one test database with the tests before this one
    beats_before = _python(worker_env, BEATS)
    pk = _python(worker_env, START.format(task="linger", args=f"{str(marker)!r}, 3"))
    worker = subprocess.Popen(
        [sys.executable, "-m", "productops", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=worker_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(marker, worker)
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, out
    job = _python(worker_env, READ.format(pk=pk))
    assert job["status"] == "done", job
    assert job["result"] == {"summary": "Finished after the stop was asked."}
    assert _python(worker_env, BEATS) == beats_before  # its own heartbeat is removed
