"""Synthetic backlog frames at benchmark scale, for a quick timing of the analysis.

Not a timed test: run it by hand (`python -m tests.backlog.synthetic_frames`) to see how
long `analyze` takes on 100,000 items and 1,000,000 changes. Seeded, so two runs build
the same frames. The database import is measured by bench/bench_backlog.py, not here.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import numpy as np
import polars as pl

from productops.backlog.analysis.schema import CHANGE_SCHEMA, ITEM_SCHEMA, SPRINT_SCHEMA

ORIGINS = ["customer", "sales", "marketing", "support", "internal", "unknown"]
KINDS = ["new_value", "enhancement", "quality", "tech_debt", "ktlo", "support", "unknown"]
STATUSES = ["To Do", "In Progress", "In Review", "Done", "Won't Do"]
EPOCH = datetime(2024, 1, 1)


def build(items: int = 100_000, changes: int = 1_000_000, sprints: int = 1_000, seed: int = 7):
    """(items, changes, sprints) frames in the analysis' schemas."""
    rng = np.random.default_rng(seed)
    sprint_starts = rng.integers(0, 700, sprints).astype("timedelta64[D]") + np.datetime64(EPOCH)
    sprint_frame = pl.DataFrame(
        {
            "source_id": [str(1000 + n) for n in range(sprints)],
            "name": [f"Sprint {n}" for n in range(sprints)],
            "start": sprint_starts.astype("datetime64[us]"),
            "planned_end": (sprint_starts + np.timedelta64(14, "D")).astype("datetime64[us]"),
            "completed": (sprint_starts + np.timedelta64(14, "D")).astype("datetime64[us]"),
        }
    ).select([pl.col(n).cast(t) for n, t in SPRINT_SCHEMA.items()])

    created = rng.integers(0, 700 * 24, items).astype("timedelta64[h]") + np.datetime64(EPOCH)
    category = rng.choice(["todo", "in_progress", "done"], items, p=[0.45, 0.1, 0.45])
    sprint_of = rng.integers(0, sprints, items)
    item_frame = (
        pl.DataFrame(
            {
                "id": np.arange(1, items + 1),
                "key": [f"SYN-{n}" for n in range(1, items + 1)],
                "type": rng.choice(["feature", "bug", "task"], items),
                "status_category": category,
                "resolution": np.where(
                    category == "done", rng.choice(["Done", "Won't Do"], items, p=[0.9, 0.1]), ""
                ),
                "created": created.astype("datetime64[us]"),
                "resolved": np.where(
                    category == "done", created + np.timedelta64(20, "D"), np.datetime64("NaT")
                ).astype("datetime64[us]"),
                "origin": rng.choice(ORIGINS, items),
                "kind": rng.choice(KINDS, items),
                "framing": rng.choice(["problem", "solution", "unknown"], items),
                "project": rng.choice(["Checkout", "Search", "Billing", "Mobile"], items),
                "sprint_index": sprint_of,
                "version_index": rng.integers(0, 300, items),
            }
        )
        .with_columns(
            pl.concat_list((pl.col("sprint_index") + 1000).cast(pl.Utf8)).alias("sprints"),
            pl.concat_list(pl.format("v{}", pl.col("version_index"))).alias("fix_versions"),
            pl.lit([], pl.List(pl.Utf8)).alias("labels"),
            pl.lit([], pl.List(pl.Utf8)).alias("components"),
            pl.col("created").alias("updated"),
            pl.lit(None, pl.Int64).alias("reporter_person"),
            *(pl.lit("rules").alias(f"{d}_set_by") for d in ("origin", "kind", "framing")),
        )
        .select([pl.col(n).cast(t) for n, t in ITEM_SCHEMA.items()])
    )

    owner = rng.integers(1, items + 1, changes)
    offset = rng.integers(0, 60 * 24, changes).astype("timedelta64[h]")
    at = (created[owner - 1] + offset).astype("datetime64[us]")
    field = rng.choice(
        ["status", "sprint", "fix_version", "priority", "rank"],
        changes,
        p=[0.4, 0.2, 0.1, 0.15, 0.15],
    )
    before_status = rng.choice(STATUSES, changes, p=[0.4, 0.35, 0.1, 0.1, 0.05])
    after_status = rng.choice(STATUSES, changes, p=[0.3, 0.3, 0.1, 0.25, 0.05])
    sprint_name = np.char.add("Sprint ", sprint_of[owner - 1].astype(str))
    other_sprint = np.char.add("Sprint ", rng.integers(0, sprints, changes).astype(str))
    version = np.char.add("v", rng.integers(0, 300, changes).astype(str))
    flip = rng.random(changes) < 0.5
    from_value = np.select(
        [field == "status", field == "sprint", field == "fix_version"],
        [before_status, np.where(flip, "", other_sprint), np.where(flip, "", version)],
        "Low",
    )
    to_value = np.select(
        [field == "status", field == "sprint", field == "fix_version"],
        [
            after_status,
            np.where(flip, np.char.add(np.char.add(other_sprint, ", "), sprint_name), ""),
            np.where(flip, version, ""),
        ],
        "High",
    )
    change_frame = pl.DataFrame(
        {"item_id": owner, "at": at, "field": field, "from_value": from_value, "to_value": to_value}
    ).select([pl.col(n).cast(t) for n, t in CHANGE_SCHEMA.items()])
    return item_frame, change_frame, sprint_frame


def main() -> None:
    from productops.backlog.analysis.health import analyze

    started = time.perf_counter()
    items, changes, sprints = build()
    built = time.perf_counter() - started
    started = time.perf_counter()
    health = analyze(items, changes, sprints, as_of=EPOCH + timedelta(days=800))
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "items": items.height,
                "changes": changes.height,
                "sprints_measured": health.sprints.sprints.height,
                "releases": health.releases.height,
                "shelved": health.shelved.height,
                "build_seconds": round(built, 2),
                "analysis_seconds": round(seconds, 2),
                "verdict": health.verdict,
            }
        )
    )


if __name__ == "__main__":
    main()
