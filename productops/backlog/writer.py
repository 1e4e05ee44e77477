"""Streamed tracker records into database rows, in bulk, at the speed of a big export.

`TrackerWriter` takes records one at a time and writes them a batch at a time, so memory
stays flat however many files an import reads. It loads what productops already holds
once per source — each item's id and content fingerprint — so an item whose fingerprint
did not change costs no query at all, a changed one is updated in bulk, and a new one is
inserted in bulk. Changes are inserted with plain SQL (`ON CONFLICT DO NOTHING`, which
SQLite and PostgreSQL both speak) because a million of them through model instances takes
too long; the unique (item, change_id, field) constraint drops the ones already there.

An export file read before is skipped whole: the writer remembers each file an import
read without a problem (`ImportedPage`: a fingerprint of its bytes, the org's people then,
and each item's content fingerprint), and when the same bytes come again, with the same
people and every one of those items unchanged since, tells the reader not to parse it.

The caller (`backlog.actions.import_tracker`) owns the transaction, decides what happens
with bad records, and reclassifies the items this writer reports as touched.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, models

from productops.backlog.models import Change, ImportedPage, Item, Sprint
from productops.backlog.records import (
    ChangeRecord,
    ItemRecord,
    LinkRecord,
    PageRecord,
    SprintRecord,
)
from productops.imports import ImportReport, RowError
from productops.org.models import Person

# format name on the command line -> importer module in backlog/importers/
FORMATS = {
    "jira-json": "jira_json",
    "jira-csv": "jira_csv",
    "github-json": "github_json",
    "linear-csv": "linear_csv",
    "csv": "generic_csv",
}
# the source a format's sprints belong to (items carry their own source)
SPRINT_SOURCES = {
    "jira-json": "jira",
    "jira-csv": "jira",
    "github-json": "github",
    "linear-csv": "linear",
    "csv": "csv",
}
ITEM_FIELDS = [
    "title",
    "description",
    "type",
    "original_type",
    "status",
    "status_category",
    "resolution",
    "created",
    "updated",
    "resolved",
    "reporter",
    "reporter_email",
    "reporter_account",
    "assignee",
    "project",
    "labels",
    "components",
    "parent_key",
    "epic_key",
    "sprints",
    "fix_versions",
    "priority",
    "story_points",
]
CLASSIFICATION_FIELDS = [
    f"{dimension}{suffix}"
    for dimension in ("origin", "kind", "framing")
    for suffix in ("", "_reasons", "_set_by")
]
# an item staged by an import carries its classification: an update writes it too
UPDATED_FIELDS = [
    *ITEM_FIELDS,
    "links",
    "reporter_person",
    "content_hash",
    "reporter_discipline",
    *CLASSIFICATION_FIELDS,
]
SPRINT_FIELDS = ["name", "state", "start", "planned_end", "completed"]

CREATED, UPDATED, UNCHANGED, REPLACED = range(4)  # WriteCounts.by_file positions

Reader = Callable[..., Iterator[ItemRecord | SprintRecord | PageRecord | RowError]]


def reader_for(format: str) -> Reader:
    """The `read` function of the importer for a format name such as `jira-json`."""
    if format not in FORMATS:
        known = ", ".join(FORMATS)
        raise ValueError(f"unknown format {format!r}: use one of {known}")
    module = importlib.import_module(f"productops.backlog.importers.{FORMATS[format]}")
    return module.read


# warnings a report keeps to show; past it they are only counted (each file says how many)
MAX_KEPT_WARNINGS = 1000


@dataclass
class FileSummary:
    """What became of the records of one export file.

    `read` counts every record met in the file, good or bad; when the import was written,
    `read == created + updated + unchanged + replaced + skipped`. A file that could not be
    read to its end says so in `problems` (those records cannot be counted)."""

    name: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    replaced: int = 0  # read, then replaced by a later record with the same key
    skipped: int = 0  # not written because of an error (listed with the problems)
    warnings: int = 0
    problems: list[str] = field(default_factory=list)  # the file, or its rest, not read

    @property
    def written(self) -> int:
        return self.created + self.updated + self.unchanged

    def sentence(self, *, written: bool) -> str:
        """`page.json: 12 read, 10 written (9 created, 1 unchanged), 2 skipped because of
        errors, 3 warnings`."""
        parts = [f"{self.read} read"]
        if written:
            detail = [
                f"{count} {word}"
                for count, word in (
                    (self.created, "created"),
                    (self.updated, "updated"),
                    (self.unchanged, "unchanged"),
                )
                if count
            ]
            parts.append(f"{self.written} written" + (f" ({', '.join(detail)})" if detail else ""))
            if self.replaced:
                parts.append(f"{self.replaced} replaced by a later record with the same key")
        else:
            parts.append("none written")
        if self.skipped:
            parts.append(f"{self.skipped} skipped because of errors")
        if self.warnings:
            parts.append(f"{self.warnings} warning{'s' if self.warnings != 1 else ''}")
        text = f"{self.name or 'input'}: {', '.join(parts)}"
        for problem in self.problems:
            text += f"; {problem}"
        return text


@dataclass
class TrackerImportReport(ImportReport):
    """The shared import report, plus what a tracker import adds: changes, sprints, what
    became of each file, and every warning (the first `MAX_KEPT_WARNINGS` kept)."""

    changes_added: int = 0
    sprints: int = 0
    tracker_import_id: int | None = None
    files: list[FileSummary] = field(default_factory=list)
    warning_count: int = 0  # every warning, kept or not
    # how long the import held the write transaction (rows are staged before it)
    final_transaction_seconds: float | None = None

    @property
    def read(self) -> int:
        return sum(summary.read for summary in self.files)

    def summary(self, skip_hint: str | None = None) -> str:
        text = super().summary(skip_hint)
        if not self.written:
            return text
        return (
            text.rstrip(".")
            + f"; {self.changes_added} new change(s), {self.sprints} sprint(s) seen."
        )


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes_added: int = 0
    sprints: int = 0
    touched: list[int] = field(default_factory=list)  # ids of items created or updated
    # file name -> [created, updated, unchanged, replaced]
    by_file: dict[str, list[int]] = field(default_factory=dict)

    def count(self, file: str, which: int, how_many: int = 1) -> None:
        self.by_file.setdefault(file, [0, 0, 0, 0])[which] += how_many


class ReporterMatcher:
    """An item's reporter as an org person: by email first, then by name (any case)."""

    def __init__(self) -> None:
        self.by_email: dict[str, int] = {}
        by_name: dict[str, int | None] = {}
        rows = list(Person.objects.order_by("pk").values_list("pk", "email", "name"))
        for pk, email, name in rows:
            self.by_email[email.casefold()] = pk
            folded = name.casefold()
            by_name[folded] = None if folded in by_name else pk  # two namesakes: no match
        self.by_name = {name: pk for name, pk in by_name.items() if pk is not None}
        self.digest = people_digest(rows)  # changes when anyone a reporter may match does

    def match(self, record: ItemRecord) -> int | None:
        if record.reporter_email:
            found = self.by_email.get(record.reporter_email.casefold())
            if found:
                return found
        if record.reporter:
            return self.by_name.get(record.reporter.casefold())
        return None


def people_digest(rows: list[tuple[int, str, str]]) -> str:
    """A fingerprint of the org's people as a reporter is matched to them: (pk, email,
    name) rows in order of pk."""
    people = hashlib.blake2b(digest_size=16)
    for pk, email, name in rows:
        people.update(f"{pk}\x1f{email}\x1f{name}\x1e".encode())
    return people.hexdigest()


def content_hash(record: ItemRecord, person_id: int | None) -> str:
    """A fingerprint of everything imported about an item, its changes and links included.

    Built from plain tuples (a dataclass's repr is several times slower), because it is
    computed for every item of every import.
    """
    parts: list[Any] = [getattr(record, name) for name in ITEM_FIELDS]
    parts.append([(link.type, link.key, link.url, link.title) for link in record.links])
    parts.append(
        [
            (c.change_id, c.field, c.from_value, c.to_value, c.author, c.at.timestamp())
            for c in record.changes
        ]
    )
    parts.append(person_id)
    return hashlib.blake2b(str(parts).encode(), digest_size=16).hexdigest()


def link_values(links: list[LinkRecord]) -> list[dict[str, str]]:
    values = []
    for link in links:
        value = {"type": link.type}
        for name in ("key", "url", "title"):
            if getattr(link, name):
                value[name] = getattr(link, name)
        values.append(value)
    return values


class TrackerWriter:
    """Collects records and writes them `batch_size` items at a time."""

    def __init__(
        self,
        *,
        sprint_source: str,
        batch_size: int = 2000,
        classify: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> None:
        self.sprint_source = sprint_source
        # fills each staged item's classification (and reporter) columns in place
        self.classify = classify
        self.batch_size = batch_size
        self.counts = WriteCounts()
        self.known: dict[str, dict[str, tuple[int, str]]] = {}  # source -> key -> (id, hash)
        self.pending: dict[tuple[str, str], ItemRecord] = {}
        self.sprints: dict[str, SprintRecord] = {}
        self.pages: dict[tuple[str, str], tuple[str, ...]] = {}  # files read, to remember
        self._reporters: ReporterMatcher | None = None  # loaded when first needed
        self._rows: ItemRows | None = None
        self._insert_change_sql = _insert_change_sql()
        self._adapt_datetime = datetime_adapter()
        self._held: dict[str, str] = {}  # source -> fingerprint of its items when read
        # staged rows: parameters ready for executemany, and each item's change rows
        self._new: list[list[Any]] = []
        self._new_keys: list[tuple[str, str]] = []
        self._new_changes: list[list[tuple[Any, ...]]] = []
        self._changed: list[list[Any]] = []
        self._changed_changes: list[tuple[int, list[tuple[Any, ...]]]] = []

    @property
    def reporters(self) -> ReporterMatcher:
        if self._reporters is None:
            self._reporters = ReporterMatcher()
        return self._reporters

    # -- files read before ----------------------------------------------------------

    def unchanged_page(self, source: str, digest: str) -> tuple[str, ...] | None:
        """The keys of a file imported before if nothing in it can change anything now.

        That is: the same bytes read the same way (the digest), the same org people, and
        each of its items still holding the content fingerprint it was given then.
        """
        page = ImportedPage.objects.filter(source=source, digest=digest).first()
        if page is None or page.people != self.reporters.digest:
            return None
        known = self._known(source)
        for key, fingerprint in page.items:
            held = known.get(key)
            if held is None or held[1] != fingerprint or (source, key) in self.pending:
                return None
        return tuple(key for key, _ in page.items)

    # -- taking records -------------------------------------------------------------

    def add(self, record: ItemRecord | SprintRecord | PageRecord | RowError) -> None:
        if isinstance(record, RowError):
            return  # problems and warnings are the caller's to keep
        if isinstance(record, SprintRecord):
            self.add_sprint(record)
            return
        if isinstance(record, PageRecord):
            if record.skipped:
                self.counts.unchanged += len(record.keys)
                self.counts.count(record.origin_file, UNCHANGED, len(record.keys))
            else:
                self.pages[(record.source, record.digest)] = record.keys
            return
        before = self.pending.get((record.source, record.key))
        if before is not None:
            self.counts.count(before.origin_file, REPLACED)
        self.pending[(record.source, record.key)] = record
        if len(self.pending) >= self.batch_size:
            self.flush()

    def add_sprint(self, sprint: SprintRecord) -> None:
        before = self.sprints.get(sprint.source_id)
        if before is None:
            self.sprints[sprint.source_id] = sprint
            return
        # a later mention may know more (a completion date): keep every value known
        self.sprints[sprint.source_id] = SprintRecord(
            source_id=sprint.source_id,
            name=sprint.name or before.name,
            state=sprint.state or before.state,
            start=sprint.start or before.start,
            planned_end=sprint.planned_end or before.planned_end,
            completed=sprint.completed or before.completed,
        )

    def finish(self) -> WriteCounts:
        """Stage what is still pending: after it, `write` has everything to write."""
        self.flush()
        return self.counts

    # -- writing --------------------------------------------------------------------

    def flush(self) -> None:
        """Diff the pending records against what productops held when the import began,
        classify the new and changed ones, and stage their rows: nothing is written here,
        so no write lock is taken (`write` does that, in the caller's short transaction)."""
        if not self.pending:
            return
        if self._rows is None:
            self._rows = ItemRows()
        reporters = self.reporters
        staged: list[tuple[dict[str, Any], ItemRecord]] = []
        for (source, key), record in self.pending.items():
            known = self._known(source)
            person_id = reporters.match(record)
            fingerprint = content_hash(record, person_id)
            existing = known.get(key)
            if existing is not None and existing[1] == fingerprint:
                self.counts.unchanged += 1
                self.counts.count(record.origin_file, UNCHANGED)
                continue
            self.counts.count(record.origin_file, UPDATED if existing else CREATED)
            values = {name: getattr(record, name) for name in ITEM_FIELDS}
            values.update(
                id=existing[0] if existing else None,
                source=source,
                key=key,
                links=link_values(record.links),
                reporter_person_id=person_id,
                content_hash=fingerprint,
            )
            staged.append((values, record))
        self.pending = {}
        if self.classify is not None:
            self.classify([values for values, _ in staged])
        adapt = self._adapt_datetime
        for values, record in staged:
            changes = [
                (
                    change.change_id,
                    change.author[:200],
                    adapt(change.at),
                    change.field[:100],
                    change.from_value,
                    change.to_value,
                )
                for change in _unique_changes(record.changes)
            ]
            if values["id"] is None:
                self._new.append(self._rows.insert(values))
                self._new_keys.append((values["source"], values["key"]))
                self._new_changes.append(changes)
                self.counts.created += 1
            else:
                self._changed.append(self._rows.update(values))
                self._changed_changes.append((values["id"], changes))
                self.counts.updated += 1
            # the id of a new item is known once it is written; its fingerprint now
            self.known[values["source"]][values["key"]] = (values["id"], values["content_hash"])

    def write(self) -> WriteCounts:
        """Write everything staged, in the caller's transaction: the only part of an
        import that holds the database's write lock. Rows are built already, so this is
        the database's own time (plus finding the new items' ids)."""
        self.flush()
        with connection.cursor() as cursor:
            for start in range(0, len(self._new), 5000):
                cursor.executemany(self._rows_sql("insert"), self._new[start : start + 5000])
            for start in range(0, len(self._changed), 5000):
                cursor.executemany(self._rows_sql("update"), self._changed[start : start + 5000])
        new_ids = self._find_ids(self._new_keys)
        for (source, key), item_id in zip(self._new_keys, new_ids, strict=True):
            self.known[source][key] = (item_id, self.known[source][key][1])
        self.counts.touched = [*new_ids, *(item_id for item_id, _ in self._changed_changes)]
        rows = [
            (item_id, *change)
            for item_id, changes in (
                *zip(new_ids, self._new_changes, strict=True),
                *self._changed_changes,
            )
            for change in changes
        ]
        self._new, self._changed, self._new_changes, self._changed_changes = [], [], [], []
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.executemany(self._insert_change_sql, rows[start : start + 5000])
                if cursor.rowcount and cursor.rowcount > 0:
                    self.counts.changes_added += cursor.rowcount
        self._write_sprints()
        self._write_pages()
        return self.counts

    @property
    def staged(self) -> bool:
        """Are items staged to be written?"""
        return bool(self._new or self._changed)

    def _rows_sql(self, which: str) -> str:
        assert self._rows is not None
        return self._rows.insert_sql if which == "insert" else self._rows.update_sql

    # -- what the import was based on ---------------------------------------------------

    def held_digest(self, source: str) -> str:
        """A fingerprint of the items of `source` as productops holds them now."""
        rows = Item.objects.filter(source=source).values_list("key", "pk", "content_hash")
        return _digest_of(sorted(rows))

    def changed_sources(self) -> list[str]:
        """The sources whose items changed since this import read them (another import,
        or anything else that wrote them): call it inside the final transaction."""
        return [
            source for source, digest in self._held.items() if self.held_digest(source) != digest
        ]

    def _known(self, source: str) -> dict[str, tuple[int, str]]:
        if source not in self.known:
            rows = list(Item.objects.filter(source=source).values_list("key", "pk", "content_hash"))
            self._held[source] = _digest_of(sorted(rows))
            self.known[source] = {key: (pk, fingerprint) for key, pk, fingerprint in rows}
        return self.known[source]

    def _find_ids(self, keys: list[tuple[str, str]]) -> list[int]:
        """The ids the database gave the items just inserted (a batch at a time)."""
        ids: dict[tuple[str, str], int] = {}
        by_source: dict[str, list[str]] = {}
        for source, key in keys:
            by_source.setdefault(source, []).append(key)
        for source, source_keys in by_source.items():
            for start in range(0, len(source_keys), 500):
                chunk = source_keys[start : start + 500]
                for key, pk in Item.objects.filter(source=source, key__in=chunk).values_list(
                    "key", "pk"
                ):
                    ids[(source, key)] = pk
        return [ids[identity] for identity in keys]

    def _write_pages(self) -> None:
        rows = []
        for (source, digest), keys in self.pages.items():
            known = self._known(source)
            if all(key in known for key in keys):
                items = [[key, known[key][1]] for key in keys]
                rows.append((source, digest, items))
        if not rows:
            return
        ImportedPage.objects.bulk_create(
            [
                ImportedPage(
                    source=source, digest=digest, people=self.reporters.digest, items=items
                )
                for source, digest, items in rows
            ],
            update_conflicts=True,
            unique_fields=["source", "digest"],
            update_fields=["people", "items", "imported_at"],
            batch_size=50,
        )

    def _write_sprints(self) -> None:
        if not self.sprints:
            return
        Sprint.objects.bulk_create(
            [
                Sprint(
                    source=self.sprint_source,
                    source_id=sprint.source_id,
                    name=sprint.name[:200],
                    state=sprint.state[:20],
                    start=sprint.start,
                    planned_end=sprint.planned_end,
                    completed=sprint.completed,
                )
                for sprint in self.sprints.values()
            ],
            update_conflicts=True,
            unique_fields=["source", "source_id"],
            update_fields=SPRINT_FIELDS,
            batch_size=500,
        )
        self.counts.sprints = len(self.sprints)


class ItemRows:
    """An Item as plain SQL parameters: every column in order, defaults, adapted values.

    Model instances and `bulk_create` cost more than the database does at this size, so
    items are inserted and updated with `executemany`; each value still goes through its
    field's own conversion (JSON, aware datetimes) so PostgreSQL works the same.
    """

    def __init__(self) -> None:
        quote = connection.ops.quote_name
        table = quote(Item._meta.db_table)
        columns = [f for f in Item._meta.concrete_fields if not f.primary_key]
        self.columns = [(f.attname, self._adapter(f), f.get_default()) for f in columns]
        fields = (Item._meta.get_field(name) for name in UPDATED_FIELDS)
        updated = [f for f in fields if isinstance(f, models.Field)]  # all: no relation
        self.updated = [(f.attname, self._adapter(f)) for f in updated]
        names = ", ".join(quote(str(f.column)) for f in columns)
        marks = ", ".join(["%s"] * len(columns))
        self.insert_sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
        assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in updated)
        self.update_sql = f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s"

    @staticmethod
    def _adapter(model_field: Any) -> Callable[[Any], Any] | None:
        if isinstance(model_field, models.DateTimeField):
            return datetime_adapter()
        if isinstance(model_field, models.JSONField):
            if connection.vendor == "sqlite" and model_field.encoder is None:
                return json.dumps  # what Django's SQLite backend does, minus its overhead
            return lambda value: model_field.get_db_prep_save(value, connection)
        return None

    def insert(self, values: dict[str, Any]) -> list[Any]:
        row = []
        for name, adapt, default in self.columns:
            value = values.get(name, default)
            row.append(adapt(value) if adapt is not None else value)
        return row

    def update(self, values: dict[str, Any]) -> list[Any]:
        row = [
            adapt(values[name]) if adapt is not None else values[name]
            for name, adapt in self.updated
        ]
        row.append(values["id"])
        return row


def datetime_adapter() -> Callable[[datetime | None], Any]:
    """Aware datetimes as the database stores them.

    On SQLite Django stores UTC without an offset as text; its own adapter does that too
    but reads the settings on every call, which shows at a million changes.
    """
    if connection.vendor == "sqlite" and settings.USE_TZ:

        def adapt(value: datetime | None) -> str | None:
            if value is None:
                return None
            return str(value.astimezone(UTC).replace(tzinfo=None))

        return adapt
    return connection.ops.adapt_datetimefield_value


def _digest_of(rows: list[Any]) -> str:
    return hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()


def _unique_changes(changes: list[ChangeRecord]) -> Iterator[ChangeRecord]:
    seen: set[tuple[str, str]] = set()
    for change in changes:
        identity = (change.change_id, change.field)
        if identity not in seen:
            seen.add(identity)
            yield change


def _insert_change_sql() -> str:
    quote = connection.ops.quote_name
    meta = Change._meta
    columns = ["item_id", "change_id", "author", "at", "field", "from_value", "to_value"]
    return (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT DO NOTHING"
    )


def error_as_dict(error: RowError) -> dict[str, Any]:
    """A RowError as stored on a TrackerImport row (JSON)."""
    return {
        "source": error.source,
        "row": error.row,
        "key": error.key,
        "column": error.column,
        "reason": error.reason,
    }
