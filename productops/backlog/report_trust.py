"""How far the report's labels can be trusted: why items are "Unknown", and how well the
rules and the learned model score against the org's own corrections.

- `unknown_reasons`: per dimension, how many items are unknown and, of those, how many
  lack each kind of signal the rules read (a reporter matched to a person, a label the
  mapping understands, an item type that says something, a cue in the text). The label
  and type checks use the classifier's mapping over every unknown item; the text check
  runs the mapping's own cues on an evenly spaced sample (`TEXT_SAMPLE`) of them.
- `classifier_scores`: per dimension, the corrections there are, the rules' macro-F1 on
  the corrected items, the learned model's cross-validated macro-F1 (as stored when it
  was trained), and whether the rules score near chance (within `NEAR_CHANCE` of 1/k
  for k labels), in which case the report says so instead of stating those labels as
  findings.

A fixed number of queries whatever the size of the backlog.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl
from django.db.models import Count
from django.db.models.functions import Substr

from . import learning
from .classification import (
    DIMENSIONS,
    TEXT_LIMIT,
    ClassificationMapping,
    ItemText,
    TextCues,
)
from .label_vocabulary import org_mapping
from .models import Correction, Item, LearnedModel

TEXT_SAMPLE = 2_000  # unknown items whose text is searched for cues
RULES_MIN = 20  # corrections before the rules' score is stated
NEAR_CHANCE = 0.1  # a macro-F1 within this of 1/k (k labels) is "near chance"
MOSTLY = 0.5  # share of labels set by the rules above which their score decides

NAMES = {"origin": "origin", "kind": "kind of work", "framing": "framing"}
READING = {
    "origin": "the origin mix",
    "kind": "the kind of work and the investment balance",
    "framing": "the framing share",
}
REASON_TEXT = {
    "reporter": "no reporter matched to a person",
    "label": "no label or component the mapping understands",
    "type": "an item type that says nothing about the kind of work",
    "text": "no cue in the text",
}
NEXT_STEP = {
    "reporter": "match reporters to people (import the people CSV)",
    "label": "map the labels you use in the mapping",
    "type": "map your item types in the mapping",
    "text": "correct a sample of these items so the learned model learns your words",
}
REASONS = {"origin": ("reporter", "label", "text"), "kind": ("label", "type", "text")}


def _percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


# ---------------------------------------------------------------------------------------
# Why items are unknown
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnknownReason:
    reason: str  # "reporter" | "label" | "type" | "text"
    text: str
    count: int  # unknown items lacking this signal (of the sample, for "text")
    share: float  # of the unknown items (of the sample, for "text")


@dataclass(frozen=True)
class UnknownShare:
    dimension: str
    unknown: int
    total: int
    share: float
    reasons: list[UnknownReason]
    text_sample: int  # unknown items whose text was searched
    sentence: str


def _has_mapped(frame: pl.DataFrame, table: Mapping[str, str]) -> pl.Series:
    """Whether each item has a label or component the mapping table understands."""
    keys = list(table)
    names = pl.concat_list(
        pl.col("labels").fill_null([]), pl.col("components").fill_null([])
    ).list.eval(pl.element().str.strip_chars().str.to_lowercase().is_in(keys))
    return frame.select(names.list.any().fill_null(False).alias("mapped"))["mapped"]


def _texts(ids: list[int]) -> dict[int, ItemText]:
    if not ids:
        return {}
    rows = (
        Item.objects.filter(pk__in=ids)
        .annotate(head=Substr("description", 1, TEXT_LIMIT))
        .values_list("pk", "title", "head")
        .order_by()
    )
    return {pk: ItemText.of(f"{title or ''}\n{head or ''}") for pk, title, head in rows}


def _cues(mapping: ClassificationMapping, dimension: str) -> TextCues:
    return {
        "origin": mapping.origin_text,
        "kind": mapping.kind_text,
        "framing": mapping.framing_text,
    }[dimension]


def _sentence(dimension: str, unknown: int, total: int, reasons: list[UnknownReason]) -> str:
    lead = (
        f"{NAMES[dimension].capitalize()} is unknown for {_percent(unknown, total)} of the "
        f"{total} items ({unknown})"
    )
    if not reasons:
        return lead + "."
    parts = ", ".join(f"{round(100 * r.share)}% {r.text}" for r in reasons)
    steps = [NEXT_STEP[r.reason] for r in reasons if r.share >= MOSTLY]
    todo = f" Next: {'; '.join(steps)}." if steps else ""
    return f"{lead}: of these, {parts}.{todo}"


def unknown_reasons(
    items: pl.DataFrame, mapping: ClassificationMapping | None = None
) -> list[UnknownShare]:
    """Per dimension with unknown items, the share unknown and the signals they lack."""
    m = mapping or org_mapping()
    total = items.height
    unknown_any = items.filter(
        pl.any_horizontal([pl.col(d).fill_null("unknown") == "unknown" for d in DIMENSIONS])
    )
    if not total or unknown_any.is_empty():
        return []
    ids = sorted(unknown_any["id"].to_list())
    step = max(1, -(-len(ids) // TEXT_SAMPLE))
    texts = _texts(ids[::step][:TEXT_SAMPLE])
    tables = {"origin": m.origin_labels, "kind": m.kind_labels}
    found = []
    for dimension in DIMENSIONS:
        unknown = items.filter(pl.col(dimension).fill_null("unknown") == "unknown")
        if unknown.is_empty():
            continue
        count = unknown.height
        reasons = []
        for reason in REASONS.get(dimension, ("text",)):
            if reason == "reporter":
                lacking, of = unknown["reporter_person"].is_null().sum(), count
            elif reason == "label":
                lacking, of = int((~_has_mapped(unknown, tables[dimension])).sum()), count
            elif reason == "type":
                known = [*m.kind_types, *m.kind_types_weak]
                typed = unknown["type"].fill_null("").str.to_lowercase().is_in(known)
                lacking, of = int((~typed).sum()), count
            else:
                cues = _cues(m, dimension)
                sampled = [texts[i] for i in unknown["id"].to_list() if i in texts]
                lacking, of = sum(1 for text in sampled if not cues.find(text)), len(sampled)
            if of:
                reasons.append(
                    UnknownReason(reason, REASON_TEXT[reason], int(lacking), int(lacking) / of)
                )
        sample = sum(1 for i in unknown["id"].to_list() if i in texts)
        sentence = _sentence(dimension, count, total, reasons)
        if sample < count:
            sentence += f" (The text was searched in a sample of {sample} of them.)"
        found.append(
            UnknownShare(dimension, count, total, count / total, reasons, sample, sentence)
        )
    return found


# ---------------------------------------------------------------------------------------
# The rules and the learned model, scored on the corrections
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    corrections: int
    labels: int  # distinct labels among the corrections
    chance: float | None  # 1 / labels: what guessing scores
    rules_macro_f1: float | None
    rules_examples: int  # corrected items the rules' score is measured on
    model_macro_f1: float | None  # cross-validated, as stored at training
    model_examples: int
    model_in_use: bool
    model_trained_at: Any  # datetime | None
    set_by: dict[str, int] = field(default_factory=dict)  # items per rules/model/correction
    near_chance: bool = False
    doubtful: bool = False  # near chance, and most labels come from the rules
    needed: int = 0  # corrections still needed before a model can be trained
    sentence: str = ""
    warning: str = ""  # the verdict's sentence when doubtful
    # the model's learning curve: (corrections learned from, macro-F1 on held-out
    # corrections), once a model can be trained (`learning.learning_curve_of`)
    curve: tuple[tuple[int, float], ...] = ()


def _set_by(items: pl.DataFrame, dimension: str) -> dict[str, int]:
    column = f"{dimension}_set_by"
    if column not in items.columns or items.is_empty():
        return {}
    counted = items.group_by(pl.col(column).fill_null("rules")).agg(pl.len())
    return {str(row[0]): int(row[1]) for row in counted.iter_rows()}


def _latest_models() -> dict[str, LearnedModel]:
    latest: dict[str, LearnedModel] = {}
    for model in LearnedModel.objects.defer("blob").order_by("dimension", "-trained_at", "-pk"):
        latest.setdefault(model.dimension, model)
    return latest


def _score_sentence(score: DimensionScore) -> str:
    name = NAMES[score.dimension].capitalize()
    n = score.corrections
    if n == 0:
        return (
            f"{name}: no corrections yet, so the rules cannot be scored; correct items on "
            f"the item list ({learning.MIN_CORRECTIONS} in at least {learning.MIN_LABELS} "
            "labels train a model)."
        )
    if score.labels < 2:
        return (
            f"{name}: all {n} corrections give the same label; correct items of other labels "
            "too before the rules or a model can be scored."
        )
    if score.rules_macro_f1 is None:
        return (
            f"{name}: {n} correction{'s' if n != 1 else ''}, too few to score the rules "
            f"({RULES_MIN} needed) or train a model ({learning.MIN_CORRECTIONS}): "
            f"correct {score.needed} more."
        )
    rules = (
        f"the rules score a macro-F1 of {score.rules_macro_f1:.2f} on {score.rules_examples} "
        f"corrected items (chance is {score.chance:.2f} with {score.labels} labels)"
    )
    if score.model_macro_f1 is None:
        model = (
            f"the learned model needs {score.needed} more corrections"
            if score.needed
            else "no model trained yet: run `productops retrain`"
        )
    else:
        use = "in use" if score.model_in_use else "not in use: it does not beat the rules"
        model = (
            f"the learned model {score.model_macro_f1:.2f}, cross-validated on "
            f"{score.model_examples} corrections ({use})"
        )
        if score.model_examples != n:
            model += f"; retrain to include all {n} corrections"
    return f"{name}: {rules}; {model}."


def _warning(score: DimensionScore) -> str:
    assert score.rules_macro_f1 is not None and score.chance is not None
    lead = (
        f"The rules' {NAMES[score.dimension]} labels score {score.rules_macro_f1:.2f} here, "
        f"near chance ({score.chance:.2f} with {score.labels} labels)"
    )
    reading = f"before reading {READING[score.dimension]}"
    if score.model_macro_f1 is not None and score.model_in_use:
        return (
            f"{lead}; the learned model scores {score.model_macro_f1:.2f}, but most items "
            f"still carry the rules' labels: run `productops retrain` {reading}."
        )
    if score.model_macro_f1 is not None:
        return (
            f"{lead}, and the learned model does no better ({score.model_macro_f1:.2f}): "
            f"correct more items ({score.corrections} so far) and retrain {reading}."
        )
    if score.needed:
        return (
            f"{lead}: correct {score.needed} more items ({score.corrections} so far) and "
            f"train the model {reading}."
        )
    return (
        f"{lead}: train the model on the {score.corrections} corrections "
        f"(`productops retrain`) {reading}."
    )


def classifier_scores(items: pl.DataFrame) -> list[DimensionScore]:
    """Per dimension, the rules' and the model's macro-F1 on the org's corrections."""
    per_label: dict[str, Counter[str]] = {d: Counter() for d in DIMENSIONS}
    for dimension, label, count in (
        Correction.objects.values_list("dimension", "label").annotate(n=Count("pk")).order_by()
    ):
        if dimension in per_label:
            per_label[dimension][label] += count
    models = _latest_models()
    scores = []
    for dimension in DIMENSIONS:
        labels = per_label[dimension]
        n, k = sum(labels.values()), len(labels)
        model = models.get(dimension)
        rules_f1, rules_on = None, 0
        if model is not None and model.examples == n:
            rules_f1, rules_on = model.rules_macro_f1, model.examples
        elif n >= RULES_MIN and k >= 2:
            _, truth, rules = learning.corrected_examples(dimension)
            rules_f1, rules_on = round(learning.macro_f1(truth, rules), 4), len(truth)
        chance = 1 / k if k >= 2 else None
        set_by = _set_by(items, dimension)
        near = rules_f1 is not None and chance is not None and rules_f1 <= chance + NEAR_CHANCE
        from_rules = set_by.get("rules", 0) / items.height if items.height else 0.0
        score = DimensionScore(
            dimension=dimension,
            corrections=n,
            labels=k,
            chance=round(chance, 4) if chance is not None else None,
            rules_macro_f1=rules_f1,
            rules_examples=rules_on,
            model_macro_f1=model.cv_macro_f1 if model is not None else None,
            model_examples=model.examples if model is not None else 0,
            model_in_use=bool(model and model.in_use),
            model_trained_at=model.trained_at if model is not None else None,
            set_by=set_by,
            near_chance=near,
            doubtful=near and from_rules >= MOSTLY,
            needed=max(0, learning.MIN_CORRECTIONS - n),
        )
        curve: tuple[tuple[int, float], ...] = ()
        if n >= learning.MIN_CORRECTIONS and k >= learning.MIN_LABELS:
            curve = tuple(
                (point.corrections, round(point.macro_f1, 4))
                for point in learning.learning_curve_of(dimension)
            )
        score = replace(score, sentence=_score_sentence(score), curve=curve)
        if score.doubtful:
            score = replace(score, warning=_warning(score))
        scores.append(score)
    return scores
