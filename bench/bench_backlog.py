"""How long a large Jira export takes to import and analyse, and the memory it needs.

    .venv/bin/python bench/bench_backlog.py [--issues 100000] [--changes 1000000] [--seed 7]

Writes a synthetic Jira JSON export (`productops.demo.tracker_export`: search pages of
1,000 issues with their changelogs) into a temporary folder, imports it into a fresh
SQLite database in a temporary data dir with `import_tracker`, runs the full backlog
report (`build_report`), imports the unchanged export again (files read before are
skipped), then once more after forgetting those files (`reread`: every file parsed and
every item compared, which is what a newer export where every file differs costs), and
prints one JSON line:

{"benchmark": "backlog", "issues": 100000, "changes": 1000000, "generate_seconds": ...,
 "import_seconds": ..., "reimport_seconds": ..., "analysis_seconds": ...,
 "peak_mib": ..., "peak_measure": "ru_maxrss", ...}

The memory peak is the process's peak resident set size (`resource.getrusage`,
`ru_maxrss`) over the whole run, generation included: what the machine must have free.
tracemalloc would slow Python down and miss Polars' own (Rust) allocations.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--keep", metavar="DIR", help="Write the export and the database here and keep them."
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="productops-bench-backlog-") as scratch:
        root = Path(args.keep) if args.keep else Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        os.environ["DJANGO_SETTINGS_MODULE"] = "productops.settings"
        os.environ["PRODUCTOPS_DATA_DIR"] = str(root / "data")
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        result = run(root, args.issues, args.changes, args.seed)
    print(json.dumps(result))


def run(root: Path, issues: int, changes: int, seed: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from productops.backlog.actions import import_tracker
    from productops.demo.tracker_export import benchmark_spec, write_export

    call_command("migrate", verbosity=0, interactive=False)
    export = root / "export"

    clock = _Clock()
    summary = write_export(benchmark_spec(issues, changes, seed), export)
    generate = clock.lap("generate")

    first = import_tracker([export], format="jira-json")
    import_seconds = clock.lap("import")
    if first.errors:
        raise SystemExit(f"The import failed: {first.errors[0]} ({len(first.errors)} problems)")

    report = _build_report()
    analysis = clock.lap("analysis")

    second = import_tracker([export], format="jira-json")
    reimport = clock.lap("reimport")

    # What a newer export costs, where every file differs: forget the files read before,
    # so each is parsed again and each item compared by its content fingerprint.
    from productops.backlog.models import ImportedPage

    ImportedPage.objects.all().delete()
    clock.lap("forget")
    third = import_tracker([export], format="jira-json")
    reread = clock.lap("reread")

    return {
        "benchmark": "backlog",
        "issues": summary.issues,
        "changes": summary.changes,
        "generate_seconds": round(generate, 2),
        "import_seconds": round(import_seconds, 2),
        "reimport_seconds": round(reimport, 2),
        "reread_seconds": round(reread, 2),
        "analysis_seconds": round(analysis, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_measure": "ru_maxrss",
        # CPU seconds of this process per phase: on a shared machine the wall clock also
        # counts other people's work; these do not.
        "cpu_seconds": clock.cpu,
        "sprints": summary.sprints,
        "export_mib": round(sum(path.stat().st_size for path in summary.files) / 2**20, 1),
        "created": first.created,
        "reimport_unchanged": second.unchanged,
        "reimport_changes_added": second.changes_added,
        "reread_unchanged": third.unchanged,
        "report": report,
    }


class _Clock:
    """Wall-clock and CPU time per phase."""

    def __init__(self) -> None:
        self.wall, self.process = time.perf_counter(), time.process_time()
        self.cpu: dict[str, float] = {}

    def lap(self, phase: str) -> float:
        wall, process = time.perf_counter(), time.process_time()
        elapsed = wall - self.wall
        self.cpu[phase] = round(process - self.process, 2)
        self.wall, self.process = wall, process
        return elapsed


def _build_report() -> str:
    """Run the full analysis; says what ran, since the report module may not exist yet."""
    try:
        from productops.backlog.report import build_report
    except ImportError:
        return "missing: productops.backlog.report.build_report"
    build_report()
    return "build_report"


if __name__ == "__main__":
    main()
