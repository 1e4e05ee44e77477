"""Schemas of the label vocabulary API: the names seen, and the org's own mappings."""

from ninja import Schema


class ReadingOut(Schema):
    label: str
    says: str
    by: str  # "mapping" (the mapping file) or "org" (the org's own mapping)


class VocabularyRowOut(Schema):
    value: str
    shown: str
    items: int
    as_label: int
    as_component: int
    understood: bool
    readings: dict[str, ReadingOut]


class VocabularyQuery(Schema):
    unmapped: bool = False  # only the names the mapping does not understand


class LabelMappingIn(Schema):
    value: str
    dimension: str
    label: str = ""  # "" forgets the org's mapping: the mapping file decides again


class LabelMappingOut(Schema):
    value: str
    dimension: str
    label: str  # "" once forgotten
