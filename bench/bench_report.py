"""How long the org health report takes for the 2,000-person demo org, and its memory peak.

    .venv/bin/python bench/bench_report.py [--people 2000] [--runs 2] [--data-dir DIR]

Builds the demo organization (people, teams, tracker data, assessments, coaching,
discovery, strategy) with `productops demo` in a fresh SQLite data dir, then measures in
a second, fresh process so the peak is the report's own and not the demo build's:

- `report_seconds`: building the report for the admin (`health_report_for`, every
  section's domain call through its visibility helper);
- `html_seconds`: that plus rendering the HTML document (what `?download=html` sends);
- `pdf_seconds`: that plus WeasyPrint's PDF (what `?download=pdf` sends);
- `peak_rss_mib`: the measuring process's peak resident memory (ru_maxrss), Django,
  WeasyPrint and the data included.

`--data-dir DIR` measures a data dir where `productops demo --people N` already ran
(the demo build takes minutes) instead of building one. Each time is the median of `--runs` runs after one warm-up. Targets (issue 13): HTML under
5 s, PDF under 20 s, peak under 1 GiB. Prints one JSON line. The data is generated.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(runs: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "productops.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from productops.backlog.models import Item
    from productops.org.models import Person, Team
    from productops.reports.health import health_report_for
    from productops.reports.pdf import html_to_pdf
    from productops.reports.render import render_document

    admin = get_user_model().objects.get(username="admin")

    def once() -> tuple[float, float, float, int, int]:
        started = time.perf_counter()
        report = health_report_for(admin)
        built = time.perf_counter()
        html = render_document(report)
        rendered = time.perf_counter()
        pdf = html_to_pdf(html)
        done = time.perf_counter()
        return built - started, rendered - started, done - started, len(html), len(pdf)

    once()  # warm-up: imports, fonts, query plans
    results = [once() for _ in range(runs)]
    return {
        "people": Person.objects.filter(active=True).count(),
        "teams": Team.objects.count(),
        "items": Item.objects.count(),
        "report_seconds": round(statistics.median(r[0] for r in results), 3),
        "html_seconds": round(statistics.median(r[1] for r in results), 3),
        "pdf_seconds": round(statistics.median(r[2] for r in results), 3),
        "html_bytes": results[-1][3],
        "pdf_bytes": results[-1][4],
        # Linux reports ru_maxrss in KiB.
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--data-dir", help="an existing demo data dir to measure")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        print(json.dumps(measure(args.runs)))
        return
    if args.data_dir:
        env = {**os.environ, "PRODUCTOPS_DATA_DIR": args.data_dir}
        env.pop("DATABASE_URL", None)
        measured = subprocess.run(
            [sys.executable, __file__, "--measure", "--runs", str(args.runs)],
            env=env, check=True, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        result = json.loads(measured.stdout.strip().splitlines()[-1])
        print(json.dumps({"benchmark": "health_report", "data": "generated (demo org)", **result}))
        return

    with tempfile.TemporaryDirectory(prefix="productops-bench-") as data_dir:
        env = {**os.environ, "PRODUCTOPS_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        productops = [sys.executable, "-m", "productops"]
        started = time.perf_counter()
        subprocess.run([*productops, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [*productops, "demo", "--people", str(args.people), "--seed", str(args.seed),
             "--password", "bench-password-0427"],
            env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        demo_seconds = time.perf_counter() - started
        measured = subprocess.run(
            [sys.executable, __file__, "--measure", "--runs", str(args.runs)],
            env=env, check=True, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
    result = json.loads(measured.stdout.strip().splitlines()[-1])
    print(
        json.dumps(
            {
                "benchmark": "health_report",
                "data": "generated (demo org)",
                **result,
                "demo_build_seconds": round(demo_seconds, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
