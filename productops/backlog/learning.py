"""A classifier learned from the org's own corrections, kept with its honest scores.

Once a dimension has at least `MIN_CORRECTIONS` corrections in at least two labels,
`train(dimension)` fits a model of the item text (`classification.model_text`: the
title on the first line, then the description, labels, components and type) and scores
it by stratified k-fold cross-validation (macro-F1, every prediction made by a model
that never saw that item), next to the rules scored on the very same corrected items.
Nothing here writes: `backlog.actions.do_train_model` stores the model, in use only when
it beats the rules; otherwise it is kept, with its scores, for the report to show.

The model is built for real issue reports (bench/real_style_reports.py, docs/performance.md):

- `normalize` turns what a report pastes into a few tokens: a fenced code block becomes
  `xxcode` (plus `xxtrace` and the exception names when it holds a stack trace), stack
  trace lines `xxtrace`, links `xxurl` and the kind of link (issue, docs, Q&A), template
  headings are marked `xxheading`, checklist boxes `xxcheck`, digits `0` (so "v3.12.6"
  and "v2.4.0" read alike); Chinese, Japanese and Korean text is split into characters.
- The title has its own features (words and word pairs, weighted up: a title that names
  a component says little, but "How to …?" or "Support …" says a lot); the title and body
  together give word features.
- A class-balanced logistic regression, which gives the probabilities that the item list
  uses to offer "the items the model is least sure about" (`least_sure_order`: the
  smallest margin between the two likeliest labels, weighted up by the words a text
  gives the model, `doubt_of`).

Also here: the learning curve (macro-F1 by number of corrections, `learning_curve`) and
the cross-validated scores of the rules and the model per dimension
(`cross_validated_scores`), for the report.

The fitted pipeline is stored with pickle in `LearnedModel.blob`: it is our own object,
written and read by this module only.
"""

from __future__ import annotations

import hashlib
import pickle
import random
import re
import warnings
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
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
TITLE_WEIGHT = 1.5
C = 0.5


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


# ---------------------------------------------------------------------------------------
# Reading an issue report
# ---------------------------------------------------------------------------------------

_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
# Cheap substring checks first (`_may_trace`): the trace pass runs only where one may be.
TRACE_STARTS = ("Traceback (most recent call last)", "Exception in thread", "panic: ", "goroutine ")
FRAME_STARTS = ("at ", 'File "')
ERROR_NAME = re.compile(r"\b([A-Z]\w*(?:Error|Exception))\b")
URL = re.compile(r"https?://([^/\s<>\"')\]]+)(/[^\s<>\"')\]]*)?", re.IGNORECASE)
CHECKBOX = re.compile(r"^[ \t]*[-*] \[[ xX]\]", re.MULTILINE)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HEADING = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*|\*\*)([^\n]+?)(?:\*\*)?[ \t]*$", re.MULTILINE)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
CJK = re.compile(f"([{_CJK}])")
DIGITS = str.maketrans("123456789", "000000000")
ASCII_DIGITS = bytes.maketrans(b"123456789", b"000000000")
# Words of two letters or more (findall is leftmost and greedy: no \b needed), and each
# Chinese, Japanese or Korean character on its own (`normalize` spaces them out).
TOKEN = re.compile(rf"\w\w+|[{_CJK}]")


def _url_token(match: re.Match[str]) -> str:
    host, path = match.group(1).lower(), (match.group(2) or "").lower()
    if "github.com" in host or "gitlab" in host:
        kind = "issue" if "/issues/" in path or "/pull/" in path else "repo"
    elif "stackoverflow" in host or "stackexchange" in host:
        kind = "qa"
    elif host.startswith("docs.") or "/docs" in path or "/guide" in path:
        kind = "docs"
    else:
        kind = "web"
    return f" xxurl xxurl{kind} "


def _may_trace(text: str) -> bool:
    return (
        "Traceback" in text
        or "\tat " in text
        or "    at " in text
        or "Exception in thread" in text
        or "panic" in text
        or "goroutine" in text
    )


def _is_trace_line(line: str) -> bool:
    if line.startswith(TRACE_STARTS) or "panicked at" in line:
        return True
    return line[:1] in (" ", "\t") and line.lstrip().startswith(FRAME_STARTS)


def _without_traces(text: str) -> tuple[str, bool]:
    """The text with each run of stack-trace lines as one `xxtrace`, and whether any was."""
    kept, found, in_trace = [], False, False
    for line in text.split("\n"):
        if _is_trace_line(line):
            if not in_trace:
                kept.append(" xxtrace ")
            if "Error" in line or "Exception" in line:
                kept += ERROR_NAME.findall(line)
            found = in_trace = True
        else:
            kept.append(line)
            in_trace = False
    return ("\n".join(kept), True) if found else (text, False)


def _code_token(code: str) -> str:
    tokens = [" xxcode "]
    if _may_trace(code) and _without_traces(code)[1]:
        tokens.append(" xxtrace ")
    tokens += [f" {name} " for name in sorted(set(ERROR_NAME.findall(code)))]
    return "".join(tokens) + "\n"


def _without_code(text: str) -> str:
    """Each fenced code block as `xxcode`, with `xxtrace` and the exception names it
    shows; an unclosed fence runs to the end, as Markdown renders it."""
    parts = text.split("```")
    return "".join(part if n % 2 == 0 else _code_token(part) for n, part in enumerate(parts))


def _inline(match: re.Match[str]) -> str:
    return f" xxinline {match.group(1)} "


def _spaced(match: re.Match[str]) -> str:
    return f" {match.group(1)} "


def _heading(match: re.Match[str]) -> str:
    return f" xxheading {match.group(1)} xxendheading "


def normalize(text: str) -> str:
    """An issue report's text with code, traces, links, checklists and numbers as tokens."""
    if "<!--" in text:
        text = COMMENT.sub(" ", text)
    if "```" in text:
        text = _without_code(text)
    if _may_trace(text):
        text = _without_traces(text)[0]
    if "://" in text:
        text = URL.sub(_url_token, text)
    if "`" in text:
        text = INLINE_CODE.sub(_inline, text)
    if "- [" in text or "* [" in text:
        text = CHECKBOX.sub(" xxcheck ", text)
    if "#" in text or "**" in text:
        text = HEADING.sub(_heading, text)
    if text.isascii():  # bytes translate is many times faster than str's
        return text.encode().translate(ASCII_DIGITS).decode()
    return CJK.sub(_spaced, text.translate(DIGITS))
    return text


def words(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def words_and_pairs(text: str) -> list[str]:
    found = TOKEN.findall(text.lower())
    return found + [f"{a} {b}" for a, b in zip(found, found[1:], strict=False)]


class ReportFeatures(TransformerMixin, BaseEstimator):
    """TF-IDF features of an item's `model_text`: the title's words and word pairs
    (weighted by `title_weight`), then the words of title and body together."""

    def __init__(self, title_weight: float = TITLE_WEIGHT) -> None:
        self.title_weight = title_weight

    @staticmethod
    def _split(texts: Iterable[str]) -> tuple[list[str], list[str]]:
        titles, whole = [], []
        for text in texts:
            title, _, body = text.partition("\n")
            title = normalize(title)
            titles.append(title)
            whole.append(f"{title}\n{normalize(body)}")
        return titles, whole

    def fit(self, texts: Iterable[str], y: Any = None) -> ReportFeatures:
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: Iterable[str], y: Any = None, **_: Any) -> sp.csr_matrix:
        self.titles_ = TfidfVectorizer(analyzer=words_and_pairs, sublinear_tf=True)
        self.words_ = TfidfVectorizer(analyzer=words, sublinear_tf=True)
        titles, whole = self._split(texts)
        return sp.hstack(
            [
                self.titles_.fit_transform(titles) * self.title_weight,
                self.words_.fit_transform(whole),
            ],
            format="csr",
        )

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        titles, whole = self._split(texts)
        return sp.hstack(
            [self.titles_.transform(titles) * self.title_weight, self.words_.transform(whole)],
            format="csr",
        )


def new_pipeline() -> Pipeline:
    # Tried on the real-style benchmark (docs/performance.md): word pairs of the whole
    # body gained 0.00 macro-F1 over words alone but doubled predicting time; character
    # n-grams of the title gained nothing and made predicting twice as slow again.
    return Pipeline(
        [
            ("features", ReportFeatures()),
            ("classifier", LogisticRegression(C=C, max_iter=3000, class_weight="balanced")),
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


class Unsure(NamedTuple):
    """How sure a model is of one text: its two likeliest labels and their probabilities."""

    margin: float  # first minus second probability: 0 is a coin toss
    first: str
    first_p: float
    second: str
    second_p: float
    # What correcting it should teach, the larger the sooner it is offered (`doubt_of`).
    doubt: float = 0.0


# How much the number of words a text gives the model counts next to its doubt.
# Measured on the real-style benchmark (docs/performance.md, issue 12): 0.2 to 0.5 all
# gained about 0.01 macro-F1 at 200 corrections over the margin alone, 1.0 less.
WORDS_WEIGHT = 0.5


def _probabilities_and_words(pipeline: Any, texts: Sequence[str]) -> tuple[Any, Any]:
    """Each text's label probabilities and how many distinct features the model reads in
    it, from one pass of the features (None for the counts when the model has no
    separate features step)."""
    with one_thread():
        steps = getattr(pipeline, "steps", None)
        if steps and len(steps) > 1:
            features = pipeline[:-1].transform(list(texts))
            words = np.diff(features.indptr) if sp.issparse(features) else None
            return steps[-1][1].predict_proba(features), words
        return pipeline.predict_proba(list(texts)), None


def doubt_of(margins: Any, words: Any) -> Any:
    """How much correcting each text should teach: (1 - margin) x words ** WORDS_WEIGHT.

    The margin between the two likeliest labels says how unsure the model is; among
    texts about as unsure, the one with more words the model reads teaches more of them.
    """
    doubt = 1.0 - np.asarray(margins, dtype=float)
    if words is None:
        return doubt
    return doubt * np.maximum(np.asarray(words, dtype=float), 1.0) ** WORDS_WEIGHT


def uncertainty(pipeline: Any, texts: Sequence[str]) -> list[Unsure]:
    """For each text, the gap between the model's two likeliest labels, and its doubt."""
    if not texts:
        return []
    probabilities, words = _probabilities_and_words(pipeline, texts)
    classes = pipeline.classes_
    if probabilities.shape[1] < 2:
        return [Unsure(1.0, str(classes[0]), 1.0, "", 0.0, 0.0) for _ in texts]
    top = np.argsort(-probabilities, axis=1)[:, :2]
    rows = np.arange(len(top))
    margins = probabilities[rows, top[:, 0]] - probabilities[rows, top[:, 1]]
    doubts = doubt_of(margins, words)
    found = []
    for row, (a, b), margin, doubt in zip(probabilities, top, margins, doubts, strict=True):
        found.append(
            Unsure(
                float(margin),
                str(classes[a]),
                float(row[a]),
                str(classes[b]),
                float(row[b]),
                float(doubt),
            )
        )
    return found


def least_sure_order(pipeline: Any, texts: Sequence[str]) -> list[int]:
    """Indices of `texts`, the ones whose correction should teach the model most first:
    the largest `doubt_of` (a small margin between its two likeliest labels, weighted up
    by the words it gives the model), ties in the given order."""
    if not texts:
        return []
    probabilities, words = _probabilities_and_words(pipeline, texts)
    if probabilities.shape[1] < 2:
        return list(range(len(texts)))
    top_two = -np.partition(-probabilities, 1, axis=1)[:, :2]
    doubts = doubt_of(top_two[:, 0] - top_two[:, 1], words)
    return [int(i) for i in np.argsort(-doubts, kind="stable")]


def diverse_order(texts: Sequence[str], count: int, covered: Sequence[str] = ()) -> list[int]:
    """`count` indices of `texts` that cover them: each time the one least like any taken
    so far (farthest-first over TF-IDF cosine), starting from the `covered` texts (those
    already corrected) or, with none, from the most typical text.

    The item list's order before any model; the bench's `--active --start diverse`.
    """
    if not texts or count <= 0:
        return []
    from sklearn.preprocessing import normalize as unit_rows

    every = list(texts) + list(covered)
    with one_thread():
        vectors = unit_rows(ReportFeatures().fit_transform(every))
        mine, theirs = vectors[: len(texts)], vectors[len(texts) :]
        chosen: list[int] = []
        if theirs.shape[0]:
            nearest = np.asarray((mine @ theirs.T).max(axis=1).todense()).ravel()
        else:
            centre = np.asarray(mine.mean(axis=0)).ravel()
            chosen = [int(np.argmax(mine @ centre))]
            nearest = (mine @ mine[chosen[0]].T).toarray().ravel()
        taken = np.zeros(mine.shape[0], dtype=bool)
        taken[chosen] = True
        while len(chosen) < min(count, len(texts)):
            nxt = int(np.argmin(np.where(taken, np.inf, nearest)))
            chosen.append(nxt)
            taken[nxt] = True
            nearest = np.maximum(nearest, (mine @ mine[nxt].T).toarray().ravel())
    return chosen


# While a dimension has few corrections, the order of the items to correct next comes
# from a model refitted after every REFIT_EVERY of them (the stored model is retrained
# only when someone asks): measured in bench/bench_classifier.py --active (six seeds),
# refitting after every 10 instead of 25 is worth about 0.007 macro-F1 at 200
# corrections, after every 5 another 0.001. Above
# REFIT_UP_TO corrections one more changes little and a refit costs more; the stored
# model orders.
REFIT_EVERY = 5
REFIT_UP_TO = 600


def ordering_model(texts: Sequence[str], labels: Sequence[str]) -> Pipeline | None:
    """A model fitted on the first multiple of REFIT_EVERY of these corrections, to
    order the items to correct next (never to classify); remembered, so the page views
    between two refits cost no fit. None below MIN_CORRECTIONS or one label."""
    upto = len(texts) - len(texts) % REFIT_EVERY
    texts, labels = texts[:upto], labels[:upto]
    if upto < MIN_CORRECTIONS or len(set(labels)) < MIN_LABELS:
        return None
    return _remembered("ordering", _digest(texts, labels), lambda: fit(texts, labels))


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
# The learning curve
# ---------------------------------------------------------------------------------------


class CurvePoint(NamedTuple):
    corrections: int  # how many corrections the model learned from
    macro_f1: float  # on the held-out corrections, averaged over `repeats` draws


CURVE_SIZES = (50, 100, 200, 400, 600, 800, 1000, 1500, 2000, 3000, 5000)
HELD_OUT = 0.25


def held_out_split(
    labels: Sequence[str], *, held_out: float = HELD_OUT, seed: int = SEED
) -> tuple[list[int], list[int]]:
    """Indices to learn from and to score on: a stratified split (each label keeps its
    share on both sides, at least one on the scoring side)."""
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    train, test = [], []
    for label in sorted(by_label):
        members = by_label[label]
        rng.shuffle(members)
        cut = max(1, round(len(members) * held_out)) if len(members) > 1 else 0
        test += members[:cut]
        train += members[cut:]
    return sorted(train), sorted(test)


def learning_curve(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    sizes: Sequence[int] = CURVE_SIZES,
    repeats: int = 3,
    seed: int = SEED,
) -> list[CurvePoint]:
    """Macro-F1 on a held-out quarter of the corrections by number of corrections learned
    from (random draws of the rest, averaged); the last point uses all of the rest.

    Raises NotEnoughCorrections when there are too few to learn from.
    """
    check_enough(labels)
    train, test = held_out_split(labels, seed=seed)
    test_texts, test_labels = [texts[i] for i in test], [labels[i] for i in test]
    points = sorted({n for n in sizes if n < len(train)} | {len(train)})
    points = [n for n in points if n >= min(MIN_CORRECTIONS, len(train))]
    rng = random.Random(seed)
    curve = []
    for n in points:
        draws = 1 if n == len(train) else repeats
        found = []
        for _ in range(draws):
            chosen = rng.sample(train, n)
            chosen_labels = [labels[i] for i in chosen]
            if len(set(chosen_labels)) < MIN_LABELS:
                continue
            pipeline = fit([texts[i] for i in chosen], chosen_labels)
            with one_thread():
                found.append(macro_f1(test_labels, list(pipeline.predict(test_texts))))
        if found:
            curve.append(CurvePoint(n, round(sum(found) / len(found), 4)))
    return curve


# ---------------------------------------------------------------------------------------
# With the database
# ---------------------------------------------------------------------------------------


def corrected_examples(dimension: str) -> tuple[list[str], list[str], list[str]]:
    """Texts, corrected labels and the rules' labels for every corrected item."""
    from productops.backlog.classification import (
        FACT_FIELDS,
        classify,
        facts_from_row,
        model_text,
    )
    from productops.backlog.label_vocabulary import org_mapping
    from productops.backlog.models import Correction

    mapping = org_mapping()  # the mapping file plus the org's own, as reclassifying uses
    rows = (
        Correction.objects.filter(dimension=dimension)
        .order_by("pk")
        .values_list("label", *(f"item__{f}" for f in FACT_FIELDS))
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


class CrossValidated(NamedTuple):
    """The rules' and the model's macro-F1 on one dimension's corrections."""

    rules_f1: float | None  # None without corrections
    model_f1: float | None  # cross-validated; None below MIN_CORRECTIONS or one label
    n: int  # corrections
    chance_f1: float | None  # macro-F1 of guessing at random among the labels corrected

    @property
    def rules_near_chance(self) -> bool:
        """The rules do no better than guessing (within 0.1 of chance)."""
        return (
            self.rules_f1 is not None
            and self.chance_f1 is not None
            and self.rules_f1 <= self.chance_f1 + 0.1
        )


# What a computation found, by a digest of the texts and labels it read: fitting five
# folds costs seconds, and the corrections rarely change between two page views.
_computed: OrderedDict[tuple[str, str], Any] = OrderedDict()
_COMPUTED_KEEP = 32


def _digest(texts: Sequence[str], labels: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        digest.update(label.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()


def _remembered(what: str, key: str, compute: Any) -> Any:
    if (what, key) in _computed:
        _computed.move_to_end((what, key))
        return _computed[(what, key)]
    value = compute()
    _computed[(what, key)] = value
    while len(_computed) > _COMPUTED_KEEP:
        _computed.popitem(last=False)
    return value


def cross_validated_scores(
    dimensions: Sequence[str] | None = None,
) -> dict[str, CrossValidated]:
    """Per dimension, the rules' macro-F1 on its corrections and the model's
    cross-validated macro-F1 on the same items (None below MIN_CORRECTIONS).

    The rules are scored afresh (the mapping or the people may have changed); the
    model's score is computed once per set of corrections and remembered.
    """
    from productops.backlog.classification import DIMENSIONS

    found = {}
    for dimension in dimensions or DIMENSIONS:
        texts, labels, rules = corrected_examples(dimension)
        if not labels:
            found[dimension] = CrossValidated(None, None, 0, None)
            continue
        kinds = len(set(labels))
        model_f1 = None
        if len(labels) >= MIN_CORRECTIONS and kinds >= MIN_LABELS:
            model_f1 = _remembered(
                "cv",
                _digest(texts, labels),
                lambda t=texts, y=labels: round(cross_validated_f1(t, y), 4),
            )
        found[dimension] = CrossValidated(
            rules_f1=round(macro_f1(labels, rules), 4),
            model_f1=model_f1,
            n=len(labels),
            chance_f1=round(1 / kinds, 4) if kinds >= MIN_LABELS else None,
        )
    return found


def learning_curve_of(dimension: str) -> list[CurvePoint]:
    """The model's learning curve on one dimension's corrections ([] when too few):
    macro-F1 on a held-out quarter by number of corrections learned from."""
    texts, labels, _ = corrected_examples(dimension)
    try:
        check_enough(labels)
    except NotEnoughCorrections:
        return []
    return list(
        _remembered("curve", _digest(texts, labels), lambda: tuple(learning_curve(texts, labels)))
    )
