"""How well the learned model tells bugs, feature requests and support questions apart.

    .venv/bin/python bench/bench_classifier.py [--train 1500] [--test 2000] [--seed 7]
    .venv/bin/python bench/bench_classifier.py --data phrase-bank      # the older data
    .venv/bin/python bench/bench_classifier.py --predict 100000
    .venv/bin/python bench/bench_classifier.py --active [--seeds 3] [--start random] [--batch 25]
    .venv/bin/python bench/bench_classifier.py --curve
    .venv/bin/python bench/bench_classifier.py --reclassify 100000 [--with-model]

No public labelled set of real issue reports installs from a package registry here, so
the reports are generated: by default `bench/real_style_reports.py` (shaped like real
issue reports: templates, code blocks, stack traces, links, other languages, label
noise), or with `--data phrase-bank` the older `tests.backlog.sample_issues`. The
model is trained on `--train` corrected items of kind and scored on `--test` unseen ones,
next to the rules and to a naive bag of words (TF-IDF of words and word pairs, logistic
regression: the model before issue 12). Each run prints one JSON line per benchmark:

{"benchmark": "classifier", "data": ..., "train": ..., "test": ..., "macro_f1": ...,
 "naive_macro_f1": ..., "rules_macro_f1": ..., "train_seconds": ..., "cv_macro_f1": ..., ...}
{"benchmark": "predict", "items": ..., "seconds": ..., "cpu_seconds": ..., "peak_mib": ...}
{"benchmark": "active", "corrections": ..., "uncertainty_macro_f1": ..., "random_macro_f1": ...}
{"benchmark": "curve", "corrections": ..., "seconds": ..., "points": [...]}

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
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Example:
    title: str
    description: str
    type: str
    labels: tuple[str, ...]
    kind: str  # the kind of work a correction gives it


def examples(count: int, seed: int, data: str) -> list[Example]:
    if data == "phrase-bank":
        from tests.backlog.sample_issues import sample_issues

        return [
            Example(i.title, i.description, i.type, tuple(i.labels), i.kind)
            for i in sample_issues(count, seed=seed)
        ]
    from bench.real_style_reports import AS_WORK_KIND, real_style_reports

    return [
        Example(r.title, r.body, r.type, r.labels, AS_WORK_KIND[r.kind])
        for r in real_style_reports(count, seed=seed)
    ]


def facts_of(issue: Example):  # type: ignore[no-untyped-def]
    from productops.backlog.classification import ItemFacts

    return ItemFacts(
        title=issue.title, description=issue.description, type=issue.type, labels=issue.labels
    )


def text_of(issue: Example) -> str:
    from productops.backlog.classification import model_text

    return model_text(facts_of(issue))


def naive_pipeline():  # type: ignore[no-untyped-def]
    """The model before issue 12: TF-IDF of words and word pairs, logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, max_features=100_000)),
            ("classifier", LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")),
        ]
    )


def quality(train_count: int, test_count: int, seed: int, cv: bool, data: str) -> dict:
    from productops.backlog import learning
    from productops.backlog.classification import classify, load_mapping

    issues = examples(train_count + test_count, seed, data)
    train, test = issues[:train_count], issues[train_count:]
    train_texts = [text_of(i) for i in train]
    train_labels = [i.kind for i in train]
    test_texts = [text_of(i) for i in test]
    truth = [i.kind for i in test]
    started = time.perf_counter()
    pipeline = learning.fit(train_texts, train_labels)
    train_seconds = time.perf_counter() - started
    with learning.one_thread():
        predicted = list(pipeline.predict(test_texts))
        naive = naive_pipeline().fit(train_texts, train_labels)
        naive_predicted = list(naive.predict(test_texts))
    mapping = load_mapping()
    rules = [classify(facts_of(i), mapping).kind.label for i in test]
    result = {
        "benchmark": "classifier",
        "data": f"generated ({data})",
        "train": train_count,
        "test": test_count,
        "macro_f1": round(learning.macro_f1(truth, predicted), 4),
        "naive_macro_f1": round(learning.macro_f1(truth, naive_predicted), 4),
        "rules_macro_f1": round(learning.macro_f1(truth, rules), 4),
        "train_seconds": round(train_seconds, 2),
    }
    if cv:
        started = time.perf_counter()
        result["cv_macro_f1"] = round(learning.cross_validated_f1(train_texts, train_labels), 4)
        result["cv_seconds"] = round(time.perf_counter() - started, 2)
    result["peak_mib"] = peak_mib()
    return result


def predict_speed(items: int, seed: int, data: str) -> dict:
    """Predict (and measure the uncertainty of) `items` texts with a model of 1,500."""
    from productops.backlog import learning

    train = examples(1500, seed, data)
    pipeline = learning.fit([text_of(i) for i in train], [i.kind for i in train])
    distinct = [text_of(i) for i in examples(min(items, 20_000), seed + 1, data)]
    texts = [distinct[n % len(distinct)] for n in range(items)]
    started, cpu_started = time.perf_counter(), time.process_time()
    labels, _ = learning.predict(pipeline, texts)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    started = time.perf_counter()
    learning.least_sure_order(pipeline, texts)
    return {
        "benchmark": "predict",
        "data": f"generated ({data})",
        "items": items,
        "mean_chars": round(sum(map(len, texts)) / len(texts)),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "least_sure_order_seconds": round(time.perf_counter() - started, 2),
        "peak_mib": peak_mib(),
    }


def _f1_of(chosen: list[int], texts: list[str], labels: list[str], test: tuple) -> float:  # type: ignore[type-arg]
    from productops.backlog import learning

    pipeline = learning.fit([texts[i] for i in chosen], [labels[i] for i in chosen])
    test_texts, truth = test
    with learning.one_thread():
        return learning.macro_f1(truth, list(pipeline.predict(test_texts)))


def active(
    seed: int,
    seeds: int,
    data: str,
    pool_size: int = 5000,
    test_size: int = 2000,
    start_with: str = "diverse",
    batch: int = 5,
) -> list[dict]:
    """Corrections chosen by uncertainty against corrections drawn at random.

    Per seed: a pool of unlabelled reports and unseen test reports. Uncertainty sampling
    starts from 50 corrections (by default the 50 that cover the pool,
    `learning.diverse_order` over its texts with no labels read, as the item list offers
    before any model; or drawn at random), then asks for the `batch` (5) the item list
    would offer (`learning.least_sure_order` with `learning.ordering_model`, refitted on
    the first multiple of `learning.REFIT_EVERY` (5) corrections), and so on. Each round learns only from the labels of the items chosen so
    far; the test reports are never chosen.
    """
    from productops.backlog import learning

    start = 50
    checkpoints = (100, 200, 300, 400)
    random_sizes = (100, 200, 300, 400, 600, 1000, 1500)
    by_size: dict[tuple[str, int], list[float]] = {}
    started = time.perf_counter()
    for run in range(seeds):
        issues = examples(pool_size + test_size, seed + 100 * run, data)
        pool, test = issues[:pool_size], issues[pool_size:]
        pool_texts, pool_labels = [text_of(i) for i in pool], [i.kind for i in pool]
        test_texts, truth = [text_of(i) for i in test], [i.kind for i in test]
        rng = random.Random(seed + run)

        order = list(range(pool_size))
        rng.shuffle(order)
        for n in random_sizes:
            by_size.setdefault(("random", n), []).append(
                _f1_of(order[:n], pool_texts, pool_labels, (test_texts, truth))
            )
        if start_with == "diverse":
            chosen = learning.diverse_order(pool_texts, start)
        else:
            chosen = order[:start]
        while len(chosen) < max(checkpoints):
            # the item list's model: refitted on the first multiple of REFIT_EVERY
            pipeline = learning.ordering_model(
                [pool_texts[i] for i in chosen], [pool_labels[i] for i in chosen]
            )
            taken = set(chosen)
            rest = [i for i in range(pool_size) if i not in taken]
            ranked = learning.least_sure_order(pipeline, [pool_texts[i] for i in rest])
            upto = min(n for n in checkpoints if n > len(chosen))
            chosen = chosen + [rest[i] for i in ranked[: min(batch, upto - len(chosen))]]
            if len(chosen) in checkpoints:
                by_size.setdefault(("uncertainty", len(chosen)), []).append(
                    _f1_of(chosen, pool_texts, pool_labels, (test_texts, truth))
                )
    mean = {key: round(statistics.mean(v), 4) for key, v in by_size.items()}
    rows = []
    for n in sorted({n for _, n in mean}):
        rows.append(
            {
                "benchmark": "active",
                "data": f"generated ({data})",
                "seeds": seeds,
                "start": start_with,
                "batch": batch,
                "pool": pool_size,
                "test": test_size,
                "corrections": n,
                "uncertainty_macro_f1": mean.get(("uncertainty", n)),
                "random_macro_f1": mean.get(("random", n)),
            }
        )
    rows.append(
        {
            "benchmark": "active-summary",
            "start": start_with,
            "batch": batch,
            "uncertainty_200": mean[("uncertainty", 200)],
            "random_600": mean[("random", 600)],
            "reached": mean[("uncertainty", 200)] >= mean[("random", 600)],
            "seconds": round(time.perf_counter() - started, 1),
            "peak_mib": peak_mib(),
        }
    )
    return rows


def curve(corrections: int, seed: int, data: str) -> dict:
    """`learning.learning_curve` on `corrections` corrected items, as the report asks."""
    from productops.backlog import learning

    issues = examples(corrections, seed, data)
    started = time.perf_counter()
    points = learning.learning_curve([text_of(i) for i in issues], [i.kind for i in issues])
    return {
        "benchmark": "curve",
        "data": f"generated ({data})",
        "corrections": corrections,
        "seconds": round(time.perf_counter() - started, 2),
        "points": [list(p) for p in points],
        "peak_mib": peak_mib(),
    }


def reclassify(items: int, seed: int, with_model: bool, data: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="po-bench-") as data_dir:
        setup_django(data_dir)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from productops.backlog.actions import do_reclassify
        from productops.backlog.models import Item

        pool = examples(5000, seed, data)
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
        "data": f"generated ({data})",
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
    parser.add_argument("--data", choices=["real-style", "phrase-bank"], default="real-style")
    parser.add_argument("--train", type=int, default=1500)
    parser.add_argument("--test", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-cv", action="store_true", help="skip the 5-fold estimate")
    parser.add_argument("--predict", type=int, default=0, metavar="N")
    parser.add_argument("--active", action="store_true", help="uncertainty against random")
    parser.add_argument("--seeds", type=int, default=3, help="runs of --active to average")
    parser.add_argument(
        "--start",
        choices=["random", "diverse"],
        default="diverse",
        help="the first 50 corrections of --active: covering the pool (as the item list), or at random",
    )
    parser.add_argument(
        "--batch", type=int, default=5, help="corrections of --active between retrainings"
    )
    parser.add_argument("--curve", action="store_true", help="time the report's learning curve")
    parser.add_argument("--reclassify", type=int, default=0, metavar="N")
    parser.add_argument(
        "--with-model", action="store_true", help="reclassify with a learned kind model in use"
    )
    args = parser.parse_args()
    if args.reclassify:
        print(json.dumps(reclassify(args.reclassify, args.seed, args.with_model, args.data)))
        return
    setup_django(tempfile.mkdtemp(prefix="po-bench-"))
    if args.predict:
        print(json.dumps(predict_speed(args.predict, args.seed, args.data)))
    elif args.active:
        for row in active(
            args.seed, args.seeds, args.data, start_with=args.start, batch=args.batch
        ):
            print(json.dumps(row))
    elif args.curve:
        print(json.dumps(curve(args.train, args.seed, args.data)))
    else:
        print(json.dumps(quality(args.train, args.test, args.seed, not args.no_cv, args.data)))


if __name__ == "__main__":
    main()
