"""A large tracker import in one process while another reads and writes the same SQLite
file: nobody waits long, nothing fails, and the import shows all at once or not at all.

Real processes, a real file database: `productops migrate` and `productops import-tracker`
run as subprocesses against a temporary data dir, and a prober process (Django against the
same data dir) counts the items and writes a session row every 0.1 s, timing each write.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from django.test import SimpleTestCase

from productops.demo.tracker_export import benchmark_spec, write_export

ROOT = Path(__file__).resolve().parents[2]
ISSUES, CHANGES = 20_000, 100_000

PROBER = r"""
import json, os, sys, time
from datetime import timedelta
import django
django.setup()
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

stop = sys.argv[1]
n = 0
while True:
    done = os.path.exists(stop)
    began = time.perf_counter()
    try:
        with connection.cursor() as cursor:  # one statement: one snapshot of both tables
            cursor.execute(
                "SELECT (SELECT count(*) FROM backlog_item), (SELECT count(*) FROM backlog_change)"
            )
            items, changes = cursor.fetchone()
        read = time.perf_counter() - began
        began = time.perf_counter()
        Session.objects.create(
            session_key=f"probe{os.getpid()}x{n}", session_data="probe",
            expire_date=timezone.now() + timedelta(days=1),
        )
        wrote = time.perf_counter() - began
        print(json.dumps({"items": items, "changes": changes, "read": read, "write": wrote}))
    except Exception as problem:
        print(json.dumps({"error": f"{type(problem).__name__}: {problem}"}))
    sys.stdout.flush()
    n += 1
    if done:
        break
    time.sleep(0.1)
"""


class ImportWhileOthersWork(SimpleTestCase):
    def test_readers_and_writers_never_wait_and_see_all_or_nothing(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="productops-concurrency-") as scratch:
            root = Path(scratch)
            env = {**os.environ, "PRODUCTOPS_DATA_DIR": str(root / "data")}
            env.pop("DATABASE_URL", None)
            env.pop("DJANGO_SETTINGS_MODULE", None)
            python = [sys.executable, "-m", "productops"]
            subprocess.run([*python, "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
            write_export(benchmark_spec(ISSUES, CHANGES), root / "export")
            stop = root / "stop"
            prober = subprocess.Popen(
                [sys.executable, "-c", PROBER, str(stop)],
                env={**env, "DJANGO_SETTINGS_MODULE": "productops.settings"},
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            time.sleep(2)  # the prober is up and has seen the empty database
            started = time.perf_counter()
            imported = subprocess.run(
                [*python, "import-tracker", "--format", "jira-json", str(root / "export")],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            import_seconds = time.perf_counter() - started
            stop.touch()
            out, _ = prober.communicate(timeout=60)
        self.assertEqual(imported.returncode, 0, imported.stdout + imported.stderr)
        probes = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        errors = [p["error"] for p in probes if "error" in p]
        self.assertEqual(errors, [], "a read or write failed during the import")
        self.assertGreater(import_seconds, 3, "the import is too small to overlap anything")
        self.assertGreater(len(probes), 20)
        slowest = max(p["write"] for p in probes)
        self.assertLess(slowest, 5, f"a write waited {slowest:.2f} s for the import")
        self.assertLess(max(p["read"] for p in probes), 1)
        seen = {(p["items"], p["changes"]) for p in probes}
        final = (probes[-1]["items"], probes[-1]["changes"])
        self.assertEqual(final[0], ISSUES)
        self.assertEqual(seen, {(0, 0), final}, "a reader saw part of the import")
