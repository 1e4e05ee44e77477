"""How long the demo organization takes to build at 2,000 people, and its memory peak.

    .venv/bin/python bench/bench_demo.py [--people 2000]

Runs against a fresh SQLite database in a temporary directory and prints one JSON line:
{"benchmark": "demo_build", "people": 2000, "teams": ..., "seconds": ..., "peak_mib": ...}

The time comes from a build without tracemalloc (which slows Python down); the memory
peak from a second build, after clearing the first, with tracemalloc on.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="productops-bench-") as data_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "productops.settings"
        os.environ["PRODUCTOPS_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

        import django

        django.setup()
        from django.core.management import call_command

        from productops.demo.org import build_demo_org
        from productops.org.actions import do_clear_org

        call_command("migrate", verbosity=0, interactive=False)

        started = time.perf_counter()
        demo = build_demo_org(people=args.people, seed=args.seed)
        seconds = time.perf_counter() - started

        do_clear_org()
        tracemalloc.start()
        build_demo_org(people=args.people, seed=args.seed)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    print(
        json.dumps(
            {
                "benchmark": "demo_build",
                "people": demo.people,
                "teams": demo.teams,
                "seconds": round(seconds, 3),
                "peak_mib": round(peak / 2**20, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
