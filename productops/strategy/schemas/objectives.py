"""The objectives and alignment API's schemas. An `Objective` or `Alignment` prefix keeps
their OpenAPI names apart from the other areas' schemas.

No `from __future__ import annotations`: django-ninja reads the annotations.
"""

import datetime as dt

from ninja import Field, Schema


class ObjectiveLinkOut(Schema):
    id: int
    item_id: int
    source: str
    key: str
    title: str
    status: str


class ObjectiveRuleOut(Schema):
    id: int
    kind: str = Field(description="label or epic")
    value: str


class ObjectiveOut(Schema):
    id: int
    level: str = Field(description="company or product")
    title: str
    description: str
    period_start: dt.date
    period_end: dt.date
    owner_id: int | None = Field(description="The owner's person id; null for viewers")
    owner: str | None = Field(description="The owner's name; null for viewers")
    parent_id: int | None = Field(description="The company objective a product objective serves")
    link_count: int
    rules: list[ObjectiveRuleOut]
    links: list[ObjectiveLinkOut] | None = Field(
        description="The items mapped by hand; null for viewers, who see no item keys"
    )


class ObjectiveIn(Schema):
    level: str
    title: str
    description: str = ""
    period_start: dt.date
    period_end: dt.date
    owner_id: int | None = None
    parent_id: int | None = None


class ObjectiveChange(Schema):
    """Only the fields given change (send null to clear the owner or the parent)."""

    level: str | None = None
    title: str | None = None
    description: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    owner_id: int | None = None
    parent_id: int | None = None


class ObjectiveLinksIn(Schema):
    keys: list[str] = Field(description='Item or epic keys, e.g. ["SHOP-12"]')


class ObjectiveRuleIn(Schema):
    kind: str = Field(description="label or epic")
    value: str = Field(description="The label, or the epic's key")


class ObjectiveListParams(Schema):
    start: str | None = Field(None, description="Only objectives whose period ends on or after")
    end: str | None = Field(None, description="Only objectives whose period starts on or before")


class ObjectiveRejectedOut(Schema):
    detail: str
    errors: dict[str, str] = Field(description="Field name -> what to fix")


class AlignmentShareOut(Schema):
    count: int
    aligned: int
    share: float | None = Field(description="aligned / count; null when count is 0")


class AlignmentObjectiveOut(Schema):
    id: int
    level: str
    title: str
    parent_id: int | None
    period_start: dt.date
    period_end: dt.date
    owner: str | None = Field(description="The owner's name; null for viewers")
    in_progress: int
    done: int
    by_hand: int
    by_label: int
    by_epic: int


class AlignmentItemOut(Schema):
    id: int
    key: str
    title: str
    status: str
    project: str
    state: str = Field(description="in_progress or done")


class AlignmentOut(Schema):
    start: dt.date
    end: dt.date
    in_progress: AlignmentShareOut
    done: AlignmentShareOut
    objectives: list[AlignmentObjectiveOut]
    objectives_without_work: list[int] = Field(description="Ids of objectives with no work")
    unaligned_count: int
    unaligned: list[AlignmentItemOut] | None = Field(
        description="One page (50) of the unaligned items, work in progress first; null for viewers"
    )
    page: int
    pages: int


class AlignmentParams(Schema):
    start: str | None = Field(None, description="YYYY-MM-DD; default the quarter's first day")
    end: str | None = Field(None, description="YYYY-MM-DD; default the quarter's last day")
    page: int = 1
