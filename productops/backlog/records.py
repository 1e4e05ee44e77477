"""The normalized records every tracker importer yields, whatever the source.

An importer is a module in `backlog/importers/` with one function:

    def read(paths: Sequence[Path], *, mapping: dict | None = None,
             fields: dict | None = None) -> Iterator[ItemRecord | SprintRecord | RowError]

It streams: it reads one file (or one page) at a time and yields records as it goes,
so memory does not grow with the number of files. It never touches the database.
Anything wrong with a record is yielded as a `productops.imports.RowError` naming the
file (`source`), the position or row (`row`), the field (`column`) and the item key: the
record is not written. Something a record lacks that the analysis can live without (an
empty title, a change without an author) is a `RowWarning` of the same shape, yielded
before the record, which is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ChangeRecord:
    change_id: str  # the source's id for the change (Jira history id, event id, ...)
    author: str
    at: datetime
    field: str  # normalized: status, sprint, fix_version, priority, rank, labels, assignee, ...
    from_value: str
    to_value: str


@dataclass(frozen=True)
class LinkRecord:
    type: str  # "blocks", "relates", "remote" ...
    key: str = ""  # another item's key
    url: str = ""  # a remote link (helpdesk ticket, CRM deal)
    title: str = ""


@dataclass(frozen=True)
class SprintRecord:
    source_id: str
    name: str
    state: str = ""
    start: datetime | None = None
    planned_end: datetime | None = None
    completed: datetime | None = None


@dataclass
class ItemRecord:
    source: str  # a backlog.models.Source value
    key: str
    title: str
    type: str  # a backlog.models.ItemType value
    original_type: str = ""
    description: str = ""
    status: str = ""
    status_category: str = "todo"  # a backlog.models.StatusCategory value
    resolution: str = ""
    created: datetime | None = None
    updated: datetime | None = None
    resolved: datetime | None = None
    reporter: str = ""
    reporter_email: str = ""
    reporter_account: str = ""
    assignee: str = ""
    project: str = ""
    labels: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    parent_key: str = ""
    epic_key: str = ""
    sprints: list[str] = field(default_factory=list)  # SprintRecord.source_id values, in order
    fix_versions: list[str] = field(default_factory=list)
    priority: str = ""
    story_points: float | None = None
    links: list[LinkRecord] = field(default_factory=list)
    changes: list[ChangeRecord] = field(default_factory=list)
    # where it came from, for error messages: file name and position/row
    origin_file: str = ""
    origin_position: int | None = None


@dataclass(frozen=True)
class PageRecord:
    """A whole export file, by the fingerprint of its bytes, and the item keys it holds.

    An importer that can tell a file it has read before yields one after reading a file
    without a problem (`skipped` False), so the writer can remember it, or instead of the
    file's items when the writer says nothing in it can have changed (`skipped` True).
    """

    source: str  # the items' source
    digest: str
    keys: tuple[str, ...]
    skipped: bool = False
    origin_file: str = ""  # the file's name, for the per-file summary
