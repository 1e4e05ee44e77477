"""How long the org gap heatmap page takes for 300 people by 12 competencies.

    .venv/bin/python bench/bench_heatmap.py [--people 300] [--competencies 12] [--runs 5]

Builds a fresh SQLite database in a temporary directory: a model version with the
competencies, a ladder of three levels, managers of about ten people each, and one
cycle in which every person has a submitted self, manager and three peer assessments.
Then it renders the org gaps page for an admin through Django's test client, and
separately times the pure part (gap arithmetic, distribution, support lists and the
three SVG charts) on facts already loaded. Prints one JSON line:
{"benchmark": "org_heatmap", "people": 300, "competencies": 12, "seconds": ...,
 "compute_seconds": ..., "queries": ..., "peak_mib": ..., "bytes": ...}

`seconds` is the median page time over the runs, after one warm-up; `peak_mib` comes
from one more render with tracemalloc on (which slows Python down, so it is not timed).
The target is under 0.3 seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def build(people: int, competencies: int, seed: int) -> None:
    """The organization, the model and one cycle of submitted ratings, in bulk writes."""
    from django.utils import timezone

    from productops.competencies.models import (
        Area,
        AssessmentCycle,
        AssessmentRequest,
        Competency,
        CompetencyModel,
        Expectation,
        Ladder,
        LadderLevel,
        ModelVersion,
        Rating,
    )
    from productops.org.models import Person

    rng = random.Random(seed)
    keys = [f"competency-{index:02}" for index in range(competencies)]
    scale = [{"step": s, "label": f"Step {s}", "meaning": ""} for s in range(1, 7)]
    model = CompetencyModel.objects.create(name="Bench model", slug="bench", discipline="product")
    version = ModelVersion.objects.create(model=model, number=1, scale=scale, document={})
    areas = [
        Area.objects.create(version=version, key=f"area-{a}", name=f"Area {a}", position=a)
        for a in range(4)
    ]
    Competency.objects.bulk_create(
        Competency(
            version=version,
            area=areas[index % 4],
            key=key,
            name=f"Competency {index:02}",
            position=index,
            levels=[f"{key} {s}" for s in range(1, 7)],
        )
        for index, key in enumerate(keys)
    )
    ladder = Ladder.objects.create(name="Bench ladder", discipline="product", model=model)
    for position, name in enumerate(["PM", "Senior PM", "Principal PM"]):
        level = LadderLevel.objects.create(
            ladder=ladder, key=name.lower().replace(" ", "-"), name=name, position=position
        )
        Expectation.objects.bulk_create(
            Expectation(level=level, competency_key=key, step=min(6, 2 + position + i % 2))
            for i, key in enumerate(keys)
        )

    head = Person.objects.create(
        name="Head of Product", email="head@bench.test", discipline="product"
    )
    managers = Person.objects.bulk_create(
        Person(
            name=f"Manager {m:02}",
            email=f"m{m}@bench.test",
            discipline="product",
            level="Principal PM",
            manager=head,
        )
        for m in range(max(1, people // 10))
    )
    pms = Person.objects.bulk_create(
        Person(
            name=f"PM {i:04}",
            email=f"pm{i}@bench.test",
            discipline="product",
            level=rng.choice(["PM", "Senior PM", "pm", "senior pm"]),
            manager=managers[i % len(managers)],
        )
        for i in range(people - len(managers))
    )
    everyone = [*managers, *pms]
    cycle = AssessmentCycle.objects.create(
        name="Bench cycle",
        version=version,
        due_date=timezone.localdate(),
        rater_kinds=["self", "manager", "peer"],
    )
    requests = []
    for index, person in enumerate(everyone):
        boss = person.manager if person.manager_id else head
        raters = [(person, "self"), (boss, "manager")]
        raters += [(everyone[(index + k) % len(everyone)], "peer") for k in (1, 2, 3)]
        requests += [
            AssessmentRequest(
                cycle=cycle,
                subject=person,
                rater=rater,
                kind=kind,
                status=AssessmentRequest.Status.SUBMITTED,
                submitted_at=timezone.now(),
            )
            for rater, kind in raters
        ]
    requests = AssessmentRequest.objects.bulk_create(requests, batch_size=2000)
    ratings = []
    for request in requests:
        for key in keys:
            observed = rng.random() > 0.05
            ratings.append(
                Rating(
                    request=request,
                    competency_key=key,
                    score=rng.randint(1, 6) if observed else None,
                    not_observed=not observed,
                )
            )
    Rating.objects.bulk_create(ratings, batch_size=5000)


def pure_part(group, facts) -> None:
    """Gap arithmetic, distribution, support and the charts, on facts already loaded."""
    from productops.competencies import gap_charts, gaps

    results = [
        gaps.person_gaps(
            result.person,
            group.competencies,
            sheet,
            expected,
            cycle=result.cycle,
            steps=group.steps,
        )
        for result, sheet, expected in facts
    ]
    distribution = gaps.distribution(results, group.competencies, group.steps)
    gaps.needs_support(results)
    gap_charts.group_heatmap(results, group.competencies, title="Org", href=str)
    gap_charts.group_distribution(distribution, group.steps, title="Org")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--competencies", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="productops-bench-") as data_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "productops.settings"
        os.environ["PRODUCTOPS_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment
        from django.urls import reverse

        from productops.accounts.actions import do_create_login
        from productops.accounts.models import Role
        from productops.competencies import gap_data
        from productops.competencies.models import AssessmentCycle
        from productops.org.models import Person

        setup_test_environment()  # lets the test client in (ALLOWED_HOSTS "testserver")
        call_command("migrate", verbosity=0, interactive=False)
        build(args.people, args.competencies, args.seed)

        head = Person.objects.get(email="head@bench.test")
        client = Client()
        client.force_login(
            do_create_login("bench-admin", "bench-password-1", Role.ADMIN, person=head)
        )
        url = reverse("competencies:org_gaps")

        response = client.get(url)  # warm-up: templates, url resolver, first queries
        assert response.status_code == 200, response.status_code
        cells = response.content.decode().count('class="chart-cell"')
        assert cells == args.people * args.competencies, cells

        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
        queries = len(captured)

        # The pure part alone, on facts loaded once.
        people = Person.objects.filter(active=True)
        cycle = AssessmentCycle.objects.select_related("version__model").get()
        group = gap_data.load_group_gaps(people, cycle)
        sheets = gap_data.score_sheets(cycle.pk, [r.person.id for r in group.results])
        expected = gap_data.expectations_for_people(
            [r.person for r in group.results], cycle.version.model_id
        )
        facts = [(r, sheets.get(r.person.id, {}), expected[r.person.id]) for r in group.results]
        compute = []
        for _ in range(args.runs):
            started = time.perf_counter()
            pure_part(group, facts)
            compute.append(time.perf_counter() - started)

        tracemalloc.start()
        client.get(url)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    print(
        json.dumps(
            {
                "benchmark": "org_heatmap",
                "people": args.people,
                "competencies": args.competencies,
                "seconds": round(statistics.median(timings), 4),
                "compute_seconds": round(statistics.median(compute), 4),
                "queries": queries,
                "peak_mib": round(peak / 2**20, 2),
                "bytes": len(response.content),
            }
        )
    )


if __name__ == "__main__":
    main()
