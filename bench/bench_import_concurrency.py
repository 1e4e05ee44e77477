"""How long a large tracker import holds SQLite's write lock, and what a concurrent
writer waits meanwhile.

    .venv/bin/python bench/bench_import_concurrency.py [--issues 100000] [--changes 1000000]

Writes a synthetic Jira export (`productops.demo.tracker_export`, seed 7) into a temporary
folder, migrates a fresh SQLite database in a temporary data dir, and imports the export
with `import_tracker` while a second thread, on its own plain `sqlite3` connection with
the same 20 s busy timeout, writes one row every 0.2 s into a probe table and a reader
counts the items. Prints one JSON line: the whole import's seconds, the final
transaction's seconds (the only time the import holds the write lock), the slowest probe
write, and the item counts the reader saw (only the count before and the count after
should appear). The data is generated, so the figures say how the design behaves, not
what a given company's export costs.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="productops-bench-concurrency-") as scratch:
        root = Path(scratch)
        os.environ["DJANGO_SETTINGS_MODULE"] = "productops.settings"
        os.environ["PRODUCTOPS_DATA_DIR"] = str(root / "data")
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        print(json.dumps(run(root, args.issues, args.changes, args.seed)))


def run(root: Path, issues: int, changes: int, seed: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from productops.backlog.actions import import_tracker
    from productops.demo.tracker_export import benchmark_spec, write_export

    call_command("migrate", verbosity=0, interactive=False)
    database = settings.DATABASES["default"]["NAME"]
    export = root / "export"
    started = time.perf_counter()
    write_export(benchmark_spec(issues, changes, seed), export)
    generate = time.perf_counter() - started

    stop = threading.Event()
    waits: list[float] = []
    counts: set[int] = set()
    failures: list[str] = []

    def probe() -> None:
        writer = sqlite3.connect(database, timeout=20, isolation_level=None)
        writer.execute("CREATE TABLE IF NOT EXISTS bench_probe (at REAL)")
        reader = sqlite3.connect(database, timeout=20, isolation_level=None)
        while not stop.is_set():
            began = time.perf_counter()
            try:
                writer.execute("INSERT INTO bench_probe (at) VALUES (?)", (began,))
                waits.append(time.perf_counter() - began)
                counts.add(reader.execute("SELECT count(*) FROM backlog_item").fetchone()[0])
            except sqlite3.OperationalError as problem:
                failures.append(str(problem))
            time.sleep(0.2)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    started = time.perf_counter()
    report = import_tracker([export], format="jira-json")
    whole = time.perf_counter() - started
    time.sleep(0.5)
    stop.set()
    thread.join()
    if report.errors:
        raise SystemExit(f"The import failed: {report.errors[0]}")
    return {
        "benchmark": "import_concurrency",
        "issues": issues,
        "changes": changes,
        "generate_seconds": round(generate, 2),
        "import_seconds": round(whole, 2),
        "final_transaction_seconds": round(report.final_transaction_seconds or 0, 2),
        "probe_writes": len(waits),
        "slowest_probe_write_seconds": round(max(waits, default=0), 3),
        "probe_failures": failures,
        "item_counts_seen": sorted(counts),
    }


if __name__ == "__main__":
    main()
