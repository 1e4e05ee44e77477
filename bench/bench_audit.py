"""How long the org audit takes on a large organization, and its memory peak.

    .venv/bin/python bench/bench_audit.py [--people 20000]

Builds a synthetic snapshot (no database: the audit itself is a pure function) shaped
like a real company — a top, layers of managers with 4 to 12 reports, teams of about
eight with a trio — and prints one JSON line:
{"benchmark": "org_audit", "people": ..., "teams": ..., "findings": ..., "seconds": ..., "peak_mib": ...}
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path


def synthetic_snapshot(people: int, seed: int):
    from productops.org.audit import OrgSnapshot, PersonFact, TeamFact

    rng = random.Random(seed)
    facts = [PersonFact(1, "Top", "top@x.test", "leadership", "CEO", None)]
    managers = [1]
    next_manager = 0
    for pk in range(2, people + 1):
        if len(facts) % 9 == 0:
            managers.append(pk - 1)
        boss = managers[next_manager % len(managers)]
        next_manager += rng.randint(0, 1)
        discipline = rng.choice(["product", "design", "engineering", "engineering", "engineering"])
        facts.append(PersonFact(pk, f"P{pk}", f"p{pk}@x.test", discipline, "", boss))
    teams = []
    for team_id, start in enumerate(range(2, people + 1, 8), start=1):
        roles = {pk: "engineer" for pk in range(start, min(start + 8, people + 1))}
        keys = list(roles)
        for key, role in zip(
            keys[:3], ["product_manager", "design_lead", "tech_lead"], strict=True
        ):
            roles[key] = role
        teams.append(TeamFact(team_id, f"Team {team_id}", roles))
    return OrgSnapshot(people=facts, teams=teams)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "productops.settings")
    os.environ.setdefault(
        "PRODUCTOPS_DATA_DIR", str(Path(__file__).resolve().parent.parent / "var")
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from productops.org.audit import audit_org

    snapshot = synthetic_snapshot(args.people, args.seed)
    started = time.perf_counter()
    result = audit_org(snapshot)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    audit_org(snapshot)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "benchmark": "org_audit",
                "people": len(snapshot.people),
                "teams": len(snapshot.teams),
                "findings": len(result.findings),
                "seconds": round(seconds, 3),
                "peak_mib": round(peak / 2**20, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
