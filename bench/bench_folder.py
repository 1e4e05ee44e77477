"""How an export folder of many small files imports: seconds, peak memory, open files.

    .venv/bin/python bench/bench_folder.py [--files 50000] [--changes 150000] [--seed 7]

Writes a synthetic Jira JSON export (`productops.demo.tracker_export`) with one issue
per search page, so `--files` issues make as many files (plus the fields file), imports
the folder into a fresh SQLite database with `import_tracker`, and prints one JSON line:

{"benchmark": "folder", "files": 50000, "issues": 50000, "import_seconds": ...,
 "peak_mib": ..., "most_open_files": ..., ...}

`most_open_files` is the most file descriptors the process held at once during the
import, sampled from /proc/self/fd every 10 ms by a thread: it stays at what Django
and SQLite hold whatever the number of files, because each file is opened, read and
closed before the next. The memory peak is `ru_maxrss` over the whole run, generation
included.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--changes", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="productops-bench-folder-") as scratch:
        root = Path(scratch)
        os.environ["DJANGO_SETTINGS_MODULE"] = "productops.settings"
        os.environ["PRODUCTOPS_DATA_DIR"] = str(root / "data")
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        print(json.dumps(run(root, args.files, args.changes, args.seed)))


class _OpenFiles(threading.Thread):
    """The most file descriptors this process held at once while it ran."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.most = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.01):
            self.most = max(self.most, len(os.listdir("/proc/self/fd")))


def run(root: Path, files: int, changes: int, seed: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from productops.backlog.actions import import_tracker
    from productops.demo.tracker_export import benchmark_spec, write_export

    call_command("migrate", verbosity=0, interactive=False)
    export = root / "export"
    started = time.perf_counter()
    spec = dataclasses.replace(benchmark_spec(files, changes, seed), page_size=1)
    summary = write_export(spec, export)
    generate = time.perf_counter() - started

    watch = _OpenFiles()
    before = len(os.listdir("/proc/self/fd"))
    watch.start()
    started, cpu = time.perf_counter(), time.process_time()
    report = import_tracker([export], format="jira-json")
    import_seconds, import_cpu = time.perf_counter() - started, time.process_time() - cpu
    watch.stopped.set()
    watch.join()
    if report.errors:
        raise SystemExit(f"The import failed: {report.errors[0]} ({len(report.errors)} problems)")
    return {
        "benchmark": "folder",
        "data": "generated",
        "files": len(list(export.iterdir())),
        "issues": summary.issues,
        "changes": summary.changes,
        "export_mib": round(sum(p.stat().st_size for p in summary.files) / 2**20, 1),
        "generate_seconds": round(generate, 2),
        "import_seconds": round(import_seconds, 2),
        "import_cpu_seconds": round(import_cpu, 2),
        "created": report.created,
        "open_files_before": before,
        "most_open_files": watch.most,
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_measure": "ru_maxrss",
    }


if __name__ == "__main__":
    main()
