"""How well the learned model tells bugs, feature requests and support questions apart.

    .venv/bin/python bench/bench_classifier.py [--train 1500] [--test 1000] [--seed 7]
    .venv/bin/python bench/bench_classifier.py --reclassify 100000 [--with-model]

No public labelled set of tracker issues is available offline, so the issues are
generated (`tests.backlog.sample_issues`: seeded phrase banks with varied wording,
typos, wrong item types and wandering descriptions). The model is trained on `--train`
corrected items of kind and scored on `--test` unseen ones. Prints one JSON line:
{"benchmark": "classifier", "train": ..., "test": ..., "macro_f1": ..., "rules_macro_f1": ...,
 "cv_macro_f1": ..., "train_seconds": ..., "peak_mib": ...}

With --reclassify N it instead builds a throwaway SQLite database of N items and times
`do_reclassify()` over all of them (first run, then an unchanged second run); with
--with-model, 1,500 of them are corrected first and a learned model of kind is in use:
{"benchmark": "reclassify", "items": ..., "written": ..., "seconds": ..., "cpu_seconds": ...,
 "second_run_seconds": ..., "peak_mib": ...}
(cpu_seconds: this process's own CPU time, which tells apart a slow run from a busy machine)
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

ROOT = Path(__file__).resolve().parent.parent


def setup_django(data_dir: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "productops.settings")
    os.environ["PRODUCTOPS_DATA_DIR"] = data_dir or str(ROOT / "var")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def facts_of(issue):  # type: ignore[no-untyped-def]
    from productops.backlog.classification import ItemFacts

    return ItemFacts(
        title=issue.title, description=issue.description, type=issue.type, labels=issue.labels
    )


def quality(train_count: int, test_count: int, seed: int, cv: bool) -> dict:
    from productops.backlog import learning
    from productops.backlog.classification import classify, load_mapping, model_text
    from tests.backlog.sample_issues import sample_issues

    issues = sample_issues(train_count + test_count, seed=seed)
    train, test = issues[:train_count], issues[train_count:]
    train_texts = [model_text(facts_of(i)) for i in train]
    train_labels = [i.kind for i in train]
    started = time.perf_counter()
    pipeline = learning.fit(train_texts, train_labels)
    train_seconds = time.perf_counter() - started
    predicted = pipeline.predict([model_text(facts_of(i)) for i in test])
    truth = [i.kind for i in test]
    mapping = load_mapping()
    rules = [classify(facts_of(i), mapping).kind.label for i in test]
    result = {
        "benchmark": "classifier",
        "data": "generated",
        "train": train_count,
        "test": test_count,
        "macro_f1": round(learning.macro_f1(truth, list(predicted)), 4),
        "rules_macro_f1": round(learning.macro_f1(truth, rules), 4),
        "train_seconds": round(train_seconds, 2),
    }
    if cv:
        started = time.perf_counter()
        result["cv_macro_f1"] = round(learning.cross_validated_f1(train_texts, train_labels), 4)
        result["cv_seconds"] = round(time.perf_counter() - started, 2)
    result["peak_mib"] = peak_mib()
    return result


def reclassify(items: int, seed: int, with_model: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="po-bench-") as data_dir:
        setup_django(data_dir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from productops.backlog.actions import do_reclassify
        from productops.backlog.models import Item
        from tests.backlog.sample_issues import sample_issues

        pool = sample_issues(5000, seed=seed)
        Item.objects.bulk_create(
            (
                Item(
                    source="jira",
                    key=f"BENCH-{n}",
                    title=pool[n % len(pool)].title,
                    description=pool[n % len(pool)].description,
                    type=pool[n % len(pool)].type,
                    labels=list(pool[n % len(pool)].labels),
                )
                for n in range(items)
            ),
            batch_size=5000,
        )
        if with_model:
            from productops.backlog.actions import do_train_model
            from productops.backlog.models import Correction

            corrected = Item.objects.order_by("pk")[:1500]
            Correction.objects.bulk_create(
                Correction(item=item, dimension="kind", label=pool[n].kind)
                for n, item in enumerate(corrected)
            )
            do_train_model("kind")
        started, cpu_started = time.perf_counter(), time.process_time()
        written = do_reclassify()
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        started = time.perf_counter()
        do_reclassify()
        second = time.perf_counter() - started
    return {
        "benchmark": "reclassify",
        "items": items,
        "model_in_use": with_model,
        "written": written,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "second_run_seconds": round(second, 2),
        "peak_mib": peak_mib(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=1500)
    parser.add_argument("--test", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-cv", action="store_true", help="skip the 5-fold estimate")
    parser.add_argument("--reclassify", type=int, default=0, metavar="N")
    parser.add_argument(
        "--with-model", action="store_true", help="reclassify with a learned kind model in use"
    )
    args = parser.parse_args()
    if args.reclassify:
        print(json.dumps(reclassify(args.reclassify, args.seed, args.with_model)))
        return
    setup_django(tempfile.mkdtemp(prefix="po-bench-"))
    print(json.dumps(quality(args.train, args.test, args.seed, cv=not args.no_cv)))


if __name__ == "__main__":
    main()
