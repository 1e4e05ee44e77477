"""The label vocabulary: every label and component the imported items carry, with counts,
and what the classifier makes of each (origin, kind of work, framing), and from where.

The classifier's label mappings come from `backlog/mapping.yaml` (or the file
PRODUCTOPS_BACKLOG_MAPPING names) and from the org's own `LabelMapping` rows, set with one
click on the labels page; `org_mapping()` is the two together, the org's rows winning for
the names they map. Like the file's, an org mapping applies to labels and components of
that name, matched case-insensitively and whole.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast

from productops.backlog.classification import (
    DIMENSIONS,
    LABEL_NAMES,
    ClassificationMapping,
    load_mapping,
)
from productops.backlog.models import Item, LabelMapping

MAX_VALUE = 200  # LabelMapping.value's length
FROM_FILE, FROM_ORG = "mapping", "org"


def normalized(value: str) -> str:
    """A label or component as the mappings match it: trimmed and lowercased."""
    return " ".join(str(value).split()).lower()


def _maps(mapping: ClassificationMapping) -> dict[str, Any]:
    return {
        "origin": mapping.origin_labels,
        "kind": mapping.kind_labels,
        "framing": mapping.framing_labels,
    }


def org_rows() -> dict[str, dict[str, str]]:
    """The org's own mappings: dimension -> {value: label}."""
    rows: dict[str, dict[str, str]] = {dimension: {} for dimension in DIMENSIONS}
    for value, dimension, label in LabelMapping.objects.values_list("value", "dimension", "label"):
        if dimension in rows:
            rows[dimension][value] = label
    return rows


def with_org_rows(
    mapping: ClassificationMapping, rows: dict[str, dict[str, str]]
) -> ClassificationMapping:
    """`mapping` with the org's rows added to its label maps (the rows win)."""
    if not any(rows.values()):
        return mapping
    maps = _maps(mapping)
    return replace(
        mapping,
        origin_labels={**maps["origin"], **rows.get("origin", {})},
        kind_labels={**maps["kind"], **rows.get("kind", {})},
        framing_labels={**maps["framing"], **rows.get("framing", {})},
    )


def org_mapping(base: ClassificationMapping | None = None) -> ClassificationMapping:
    """The classifier's mapping for this org: the mapping file plus the org's own rows.

    One query. `backlog.actions.do_reclassify` classifies with it.
    """
    return with_org_rows(base or load_mapping(), org_rows())


# ---------------------------------------------------------------------------------------
# What the imported items carry
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What one dimension makes of a name: the label and where that comes from."""

    label: str
    said: str  # "customer need"
    by: str  # FROM_FILE or FROM_ORG


@dataclass
class VocabularyRow:
    value: str  # normalized, as the mappings match it
    shown: str  # the most frequent spelling
    labels: int = 0  # items carrying it as a label
    components: int = 0  # items carrying it as a component
    readings: dict[str, Reading] = field(default_factory=dict)  # dimension -> reading

    @property
    def items(self) -> int:
        return self.labels + self.components

    @property
    def understood(self) -> bool:
        return bool(self.readings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "shown": self.shown,
            "items": self.items,
            "as_label": self.labels,
            "as_component": self.components,
            "understood": self.understood,
            "readings": {
                dimension: {"label": r.label, "says": r.said, "by": r.by}
                for dimension, r in self.readings.items()
            },
        }


@dataclass
class Vocabulary:
    rows: list[VocabularyRow]
    items: int  # items imported
    items_with_tags: int  # items with at least one label or component
    items_understood: int  # items with at least one label or component the mapping reads

    @property
    def understood(self) -> list[VocabularyRow]:
        return [row for row in self.rows if row.understood]

    @property
    def not_understood(self) -> list[VocabularyRow]:
        return [row for row in self.rows if not row.understood]

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "items_with_labels_or_components": self.items_with_tags,
            "items_with_a_mapped_label": self.items_understood,
            "names": len(self.rows),
            "names_understood": len(self.understood),
            "rows": [row.as_dict() for row in self.rows],
        }


def _json_list(text: str | None) -> list[Any]:
    return [] if not text or text == "[]" else json.loads(text)


def readings_of(
    value: str, mapping: ClassificationMapping, org: dict[str, dict[str, str]]
) -> dict[str, Reading]:
    readings = {}
    for dimension, known in _maps(mapping).items():
        label = known.get(value)
        if label:
            by = FROM_ORG if value in org.get(dimension, {}) else FROM_FILE
            readings[dimension] = Reading(label, LABEL_NAMES.get(label, label), by)
    return readings


def vocabulary(items: Iterable[tuple[str | None, str | None]] | None = None) -> Vocabulary:
    """Every label and component of the imported items, most used first, with readings.

    Reads the two JSON columns as text (one query, streamed); the mapping and the org's
    rows are one query more.
    """
    if items is None:
        items = (
            Item.objects.order_by()
            .values_list(Cast("labels", TextField()), Cast("components", TextField()))
            .iterator(chunk_size=5000)
        )
    org = org_rows()
    mapping = with_org_rows(load_mapping(), org)
    labels: Counter[str] = Counter()
    components: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    total = tagged = understood = 0
    read: dict[str, bool] = {}  # value -> does any dimension map it
    for labels_text, components_text in items:
        total += 1
        seen_here: set[str] = set()
        for names, counter in (
            (_json_list(labels_text), labels),
            (_json_list(components_text), components),
        ):
            for name in {str(n) for n in names if str(n).strip()}:
                value = normalized(name)
                counter[value] += 1
                spellings.setdefault(value, Counter())[name] += 1
                seen_here.add(value)
        if seen_here:
            tagged += 1
            for value in seen_here - read.keys():
                read[value] = bool(readings_of(value, mapping, org))
            if any(read[value] for value in seen_here):
                understood += 1
    rows = [
        VocabularyRow(
            value=value,
            shown=spellings[value].most_common(1)[0][0],
            labels=labels[value],
            components=components[value],
            readings=readings_of(value, mapping, org),
        )
        for value in spellings
    ]
    rows.sort(key=lambda row: (-row.items, row.value))
    return Vocabulary(rows, total, tagged, understood)


def file_reading(value: str, dimension: str) -> str:
    """What the mapping file alone says of `value` for `dimension` ("" when nothing)."""
    return str(_maps(load_mapping())[dimension].get(normalized(value), ""))
