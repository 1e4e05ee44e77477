"""The schemas of the competencies API's library routes."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class ModelOut(Schema):
    slug: str
    name: str
    discipline: str
    description: str
    built_in: bool
    latest_version: int | None
    versions: int


class VersionOut(Schema):
    number: int
    created_at: datetime
    note: str


class DocumentOut(Schema):
    slug: str
    number: int
    created_at: datetime
    note: str
    document: dict[str, Any]


class LadderOut(Schema):
    id: int
    name: str
    discipline: str
    model: str = Field(..., description="The slug of the ladder's competency model.")
    levels: int


class LevelOut(Schema):
    key: str
    name: str
    position: int
    aliases: list[str]
    expectations: dict[str, int] = Field(..., description="Competency key -> expected step.")


class LadderDetailOut(Schema):
    id: int
    name: str
    discipline: str
    model: str
    version: int | None = Field(..., description="The model version expectations are read against.")
    scale: list[dict[str, Any]]
    levels: list[LevelOut]


class ChangeOut(Schema):
    key: str
    name: str
    area: str
    change: str = Field(..., description="raised, lowered, same, new, dropped or none")
    from_step: int | None
    to_step: int | None
    from_label: str
    to_label: str
    from_text: str
    to_text: str
    in_model: bool


class LevelDiffOut(Schema):
    ladder: int
    version: int | None
    from_level: str
    to_level: str
    changes: list[ChangeOut]


class DiffParams(Schema):
    from_level: str = Field(..., alias="from")
    to_level: str = Field(..., alias="to")


class ImportedOut(Schema):
    status: str = Field(..., description="created, new version or unchanged")
    slug: str
    number: int
    summary: str


class FormatErrorOut(Schema):
    path: str
    line: int | None
    reason: str


class ImportRejectedOut(Schema):
    detail: str
    errors: list[FormatErrorOut]
