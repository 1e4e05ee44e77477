"""A classifier learned from the org's own corrections, kept with its honest scores.

Once a dimension has at least `MIN_CORRECTIONS` corrections in at least two labels,
`train(dimension)` fits TF-IDF (words and word pairs) over title, description,
labels, components and type, followed by a class-balanced logistic regression. It
scores the model by stratified k-fold cross-validation (macro-F1, every prediction made
by a model that never saw that item) and scores the rules on the very same corrected
items. Nothing here writes: `backlog.actions.do_train_model` stores the model, in use
only when it beats the rules; otherwise it is kept, with its scores, for the report to
show.

The fitted pipeline is stored with pickle in `LearnedModel.blob`: it is our own object,
written and read by this module only.
"""

from __future__ import annotations

import pickle
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

MIN_CORRECTIONS = 50
MIN_LABELS = 2
FOLDS = 5
SEED = 20261122


class NotEnoughCorrections(Exception):
    """Too few corrections, or all in one label, to learn anything honest."""


@dataclass(frozen=True)
class Scores:
    examples: int
    cv_macro_f1: float
    rules_macro_f1: float

    @property
    def beats_rules(self) -> bool:
        return self.cv_macro_f1 > self.rules_macro_f1


def one_thread() -> threadpool_limits:
    """Keep BLAS to one thread: these matrices are small, and on a busy two-core server
    BLAS threads fighting over the cores made fitting forty times slower."""
    return threadpool_limits(limits=1)


def new_pipeline() -> Pipeline:
    # Word 1-2-grams only: character n-grams (for typos) gained 0.003 macro-F1 on the
    # benchmark but made predicting 8 times slower, and a model in use predicts for every
    # item the tracker import reclassifies.
    return Pipeline(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2), sublinear_tf=True, min_df=1, max_features=100_000
                ),
            ),
            ("classifier", LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")),
        ]
    )


def check_enough(labels: Sequence[str]) -> None:
    counts = Counter(labels)
    if len(labels) < MIN_CORRECTIONS or len(counts) < MIN_LABELS:
        raise NotEnoughCorrections(
            f"{len(labels)} correction(s) in {len(counts)} label(s): the learned model needs "
            f"at least {MIN_CORRECTIONS} corrections in at least {MIN_LABELS} labels."
        )


def macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Macro-F1 over the labels people gave: predicting "unknown" is simply wrong."""
    return float(
        f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0)
    )


def cross_validated_f1(texts: Sequence[str], labels: Sequence[str]) -> float:
    smallest = min(Counter(labels).values())
    folds = max(2, min(FOLDS, smallest))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    with warnings.catch_warnings(), one_thread():
        # a label with fewer examples than folds only makes the estimate noisier
        warnings.simplefilter("ignore", UserWarning)
        predicted = cross_val_predict(new_pipeline(), list(texts), list(labels), cv=splitter)
    return macro_f1(labels, predicted)


def fit(texts: Sequence[str], labels: Sequence[str]) -> Pipeline:
    with one_thread():
        return new_pipeline().fit(list(texts), list(labels))


def predict(pipeline: Any, texts: Sequence[str]) -> tuple[list[str], list[float]]:
    """Each text's most likely label and its probability."""
    with one_thread():
        probabilities = pipeline.predict_proba(list(texts))
    best = probabilities.argmax(axis=1)
    classes = pipeline.classes_
    return [str(classes[i]) for i in best], [float(p) for p in probabilities.max(axis=1)]


def score(texts: Sequence[str], labels: Sequence[str], rules: Sequence[str]) -> Scores:
    """The model's cross-validated macro-F1 next to the rules' on the same items."""
    check_enough(labels)
    return Scores(
        examples=len(labels),
        cv_macro_f1=round(cross_validated_f1(texts, labels), 4),
        rules_macro_f1=round(macro_f1(labels, rules), 4),
    )


def dumps(pipeline: Pipeline) -> bytes:
    return pickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL)


def loads(blob: bytes | memoryview) -> Any:
    return pickle.loads(bytes(blob))  # noqa: S301 - our own pipeline, written by dumps()


# ---------------------------------------------------------------------------------------
# With the database
# ---------------------------------------------------------------------------------------


def corrected_examples(dimension: str) -> tuple[list[str], list[str], list[str]]:
    """Texts, corrected labels and the rules' labels for every corrected item."""
    from productops.backlog.classification import (
        FACT_FIELDS,
        classify,
        facts_from_row,
        load_mapping,
        model_text,
    )
    from productops.backlog.models import Correction

    mapping = load_mapping()
    rows = Correction.objects.filter(dimension=dimension).values_list(
        "label", *(f"item__{f}" for f in FACT_FIELDS)
    )
    texts, labels, rules = [], [], []
    for label, *values in rows.iterator(chunk_size=2000):
        facts = facts_from_row(values)
        texts.append(model_text(facts))
        labels.append(label)
        rules.append(classify(facts, mapping)[dimension].label)
    return texts, labels, rules


@dataclass(frozen=True)
class TrainedModel:
    """A pipeline fitted on the corrections of one dimension, with its honest scores."""

    dimension: str
    scores: Scores
    blob: bytes  # the pickled pipeline (`dumps`)


def train(dimension: str) -> TrainedModel:
    """Fit and score a model for `dimension` on its corrections; writes nothing.

    Raises NotEnoughCorrections when there are too few. Storing it (in use only if it
    beats the rules) is `backlog.actions.do_train_model`.
    """
    texts, labels, rules = corrected_examples(dimension)
    scores = score(texts, labels, rules)
    return TrainedModel(dimension, scores, dumps(fit(texts, labels)))
