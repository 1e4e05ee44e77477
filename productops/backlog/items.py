"""The backlog item filter: one query for the item list page and the API; and the
items to correct next (`least_sure_items`), for the same list.

Unknown choice values match nothing; `q` looks in the key and the title.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from productops.backlog import learning
from productops.backlog.classification import (
    DIMENSIONS,
    FACT_FIELDS,
    LABEL_NAMES,
    facts_from_row,
    model_text,
)
from productops.backlog.models import (
    Correction,
    Framing,
    Item,
    Origin,
    StatusCategory,
    WorkKind,
)
from productops.backlog.report_rows import label_of

FILTERS = ("origin", "kind", "framing", "status", "project", "q")


def filtered_items(query: Mapping[str, Any]) -> QuerySet[Item]:
    """Items matching the list's filters; unknown choice values match nothing."""
    items = Item.objects.defer("description").order_by("source", "key")
    for name in ("origin", "kind", "framing"):
        if query.get(name):
            items = items.filter(**{name: query[name]})
    if query.get("status"):
        items = items.filter(status_category=query["status"])
    if query.get("project"):
        items = items.filter(project=query["project"])
    if text := (query.get("q") or "").strip():
        items = items.filter(Q(key__icontains=text) | Q(title__icontains=text))
    return items


def projects() -> list[str]:
    """Every project or product area an item names, for the filters."""
    return list(
        Item.objects.exclude(project="").values_list("project", flat=True).distinct().order_by()
    )


# ---------------------------------------------------------------------------------------
# The items to correct next
# ---------------------------------------------------------------------------------------

# The least-sure list looks at the newest uncorrected items, up to this many: predicting
# them all takes well under a second at this size, a whole 100,000-item backlog seconds.
LEAST_SURE_POOL = 5000
LEAST_SURE_SHOWN = 50


@dataclass(frozen=True)
class LeastSure:
    """An item whose label is in doubt, with what the doubt is between."""

    item: Item
    margin: float  # between the two likeliest labels: 0 is a coin toss
    note: str  # "learned model: 46% Quality, 41% Customer support"


def _stored_model(dimension: str) -> Any:
    """The model of `dimension` in use, else the newest one trained (kept because it did
    not beat the rules, its doubts still show what to correct), else None."""
    from productops.backlog.models import LearnedModel

    return (
        LearnedModel.objects.filter(dimension=dimension)
        .order_by("-in_use", "-trained_at")
        .only("blob", "examples")
        .first()
    )


def _corrected(dimension: str) -> tuple[list[str], list[str]]:
    """The model texts and labels of the corrections of `dimension`, oldest first."""
    rows = (
        Correction.objects.filter(dimension=dimension)
        .order_by("pk")
        .values_list("label", *(f"item__{f}" for f in FACT_FIELDS))
    )
    labels, texts = [], []
    for label, *values in rows.iterator(chunk_size=2000):
        labels.append(label)
        texts.append(model_text(facts_from_row(values)))
    return texts, labels


def _ordering_model(dimension: str) -> tuple[Any, list[str] | None]:
    """The model that orders the items to correct next, and (when they were read) the
    texts already corrected.

    While the dimension has at most `learning.REFIT_UP_TO` corrections and the stored
    model is missing or `learning.REFIT_EVERY` corrections behind, a model refitted on
    them (`learning.ordering_model`, remembered); else the stored one; before
    `learning.MIN_CORRECTIONS`, none.
    """
    stored = _stored_model(dimension)
    corrections = Correction.objects.filter(dimension=dimension).count()
    if corrections <= learning.REFIT_UP_TO and (
        stored is None or corrections - stored.examples >= learning.REFIT_EVERY
    ):
        texts, labels = _corrected(dimension)
        refitted = learning.ordering_model(texts, labels)
        if refitted is not None:
            return refitted, texts
        if stored is None:
            return None, texts
    return (learning.loads(stored.blob) if stored is not None else None), None


def _rules_margin(reasons: Any) -> tuple[float, str]:
    """How close the rules' stored reasons came to a tie, and between which labels."""
    totals: dict[str, float] = {}
    for r in reasons or ():
        if not isinstance(r, Mapping) or not r.get("label"):
            continue  # an old-style reason: a sentence only
        weight = r.get("weight")
        if isinstance(weight, int | float) and weight > 0:
            totals[str(r["label"])] = totals.get(str(r["label"]), 0.0) + float(weight)
    if not totals:
        return 0.0, "the rules found no signal"
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    if len(ranked) == 1:
        label, weight = ranked[0]
        return weight, f"the rules: only {LABEL_NAMES.get(label, label)} ({weight:g})"
    (first, a), (second, b) = ranked[:2]
    return a - b, (
        f"the rules: {LABEL_NAMES.get(first, first)} {a:g} against "
        f"{LABEL_NAMES.get(second, second)} {b:g}"
    )


def least_sure_items(
    dimension: str,
    query: Mapping[str, Any] | None = None,
    *,
    limit: int = LEAST_SURE_SHOWN,
    pool: int = LEAST_SURE_POOL,
) -> list[LeastSure]:
    """The uncorrected items (of the list's filters) to correct next for `dimension`,
    the first first: correcting these teaches the learned model most.

    With a model (`_ordering_model`: refitted every few corrections while they are few),
    the order is `learning.doubt_of`: the gap between its two likeliest labels
    (uncertainty sampling), weighted up by the words the item gives the model. Before
    any model, the items that cover the list (`learning.diverse_order`: each the least
    like anything corrected or offered before it), shown with the rules' margin. Looks
    at the newest `pool` uncorrected items; a constant number of queries.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}: use origin, kind or framing")
    candidates = (
        filtered_items(query or {})
        .exclude(Exists(Correction.objects.filter(item=OuterRef("pk"), dimension=dimension)))
        .order_by("-pk")[:pool]
    )
    pipeline, covered = _ordering_model(dimension)
    rows = list(candidates.values_list("pk", f"{dimension}_reasons", *FACT_FIELDS))
    texts = [model_text(facts_from_row(values)) for _, _, *values in rows]
    # (how soon to offer it: smaller first, the item's pk, its margin, the note)
    scored: list[tuple[float, int, float, str]] = []
    if pipeline is not None:
        for (pk, *_), doubt in zip(rows, learning.uncertainty(pipeline, texts), strict=True):
            note = (
                f"learned model: {doubt.first_p:.0%} {LABEL_NAMES.get(doubt.first, doubt.first)}"
                + (
                    f", {doubt.second_p:.0%} {LABEL_NAMES.get(doubt.second, doubt.second)}"
                    if doubt.second
                    else ""
                )
            )
            scored.append((-doubt.doubt, pk, doubt.margin, note))
    else:
        for place, i in enumerate(learning.diverse_order(texts, limit, covered or ())):
            pk, reasons = rows[i][0], rows[i][1]
            margin, note = _rules_margin(reasons)
            if covered:
                unlike = f"least like the {len(covered)} corrected so far and those above"
            else:
                unlike = "least like those above" if place else "the most typical of the list"
            scored.append((place, pk, margin, f"{unlike}; {note}"))
    scored.sort(key=lambda s: (s[0], -s[1]))
    chosen = scored[:limit]
    items = Item.objects.defer("description").in_bulk([pk for _, pk, _, _ in chosen])
    return [LeastSure(items[pk], round(margin, 4), note) for _, pk, margin, note in chosen]


# The item list's download: one row an item, the labels the page shows, not stored keys.
ITEM_LIST_COLUMNS = ("Key", "Title", "Project", "Status", "Origin", "Kind of work", "Framing")


def item_list_rows(listed: QuerySet[Item] | list[Item]) -> Iterator[list[str]]:
    """The list's download rows for every item given (a queryset is read in chunks)."""
    items = listed if isinstance(listed, list) else listed.iterator(chunk_size=2000)
    for item in items:
        yield [
            item.key,
            item.title,
            item.project,
            label_of(StatusCategory, item.status_category),
            label_of(Origin, item.origin),
            label_of(WorkKind, item.kind),
            label_of(Framing, item.framing),
        ]
