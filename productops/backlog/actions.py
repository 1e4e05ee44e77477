"""Every write in the backlog app: `check_*` validates and authorizes, `do_*` writes.

Sections: tracker imports; classification and corrections. Add to your section only.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import IntegerField, Q, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from productops.accounts.roles import Login
from productops.accounts.roles import author_of as _author
from productops.backlog import backing as discovery_backing
from productops.backlog import label_vocabulary, learning, reporters
from productops.backlog.classification import (
    DIMENSIONS,
    FACT_FIELDS,
    LABEL_NAMES,
    ClassificationMapping,
    classify,
    facts_from_row,
    labels_for,
    load_mapping,
    model_text,
    reason,
)
from productops.backlog.importers.jira_json import load_field_names
from productops.backlog.importers.labels_csv import FIRST_DATA_ROW as LABELS_FIRST_DATA_ROW
from productops.backlog.importers.labels_csv import LabelRow, LabelsFile, parse_labels_file
from productops.backlog.models import (
    Correction,
    ImportStatus,
    Item,
    LabelMapping,
    LearnedModel,
    ReporterAssignment,
    SetBy,
    Source,
    TrackerImport,
)
from productops.backlog.records import ItemRecord, PageRecord
from productops.backlog.visibility import can_assign_reporters, can_correct, can_map_labels
from productops.backlog.writer import (
    MAX_KEPT_WARNINGS,
    SPRINT_SOURCES,
    FileSummary,
    TrackerImportReport,
    TrackerWriter,
    error_as_dict,
    people_digest,
    reader_for,
)
from productops.imports import (
    ImportRejected,
    ImportReport,
    ParseResult,
    RowError,
    RowWarning,
    nested_too_deep,
    shown,
)
from productops.imports.uploads import upload_folder
from productops.org.models import Discipline, Person
from productops.org.visibility import can_see_person

MAX_STORED_ERRORS = 500
PAGE_AWARE_FORMATS = {
    "jira-json"
}  # readers that skip a file imported before, unchanged  # a TrackerImport keeps the first problems, the report lists all

# ---------------------------------------------------------------------------------------
# Tracker imports
# ---------------------------------------------------------------------------------------


def import_tracker(
    paths: Sequence[str | Path],
    *,
    format: str,
    mapping: dict | None = None,
    fields: Any = None,
    skip_invalid: bool = False,
    user: Login | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> TrackerImportReport:
    """Import tracker exports (files or folders) in one transaction, and record the run.

    The importer streams one file at a time and the writer writes a batch at a time, so
    memory stays flat. By default nothing is written when any record is bad: writing
    stops at the first problem, reading goes on to list every problem, and the
    transaction is rolled back. With `skip_invalid` the good records are written and the
    bad ones listed. Items created or updated are reclassified before the end.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    names = [Path(path).name for path in paths]
    do_mark_unfinished_imports()
    # The log row is written first, outside the import's transaction: a run that is
    # killed halfway leaves it saying "running", and the next look marks it unfinished.
    run = _start_tracker_import(format, names, user)
    try:
        read = reader_for(format)
    except (ValueError, ImportError) as problem:
        report = TrackerImportReport(errors=[RowError(None, None, str(problem))])
        return _record_tracker_import(report, run)
    try:
        report = _import_tracker_records(
            paths, read, format, mapping, fields, skip_invalid=skip_invalid, progress=progress
        )
    except BaseException:
        # Anything else (Ctrl-C, a bug): the transaction rolled back, and the log says so.
        with contextlib.suppress(Exception):  # the database may be what failed
            _mark_unfinished(run, UNFINISHED_STOPPED)
        raise
    return _record_tracker_import(report, run)


CHANGED_WHILE_IMPORTING = "productops changed while importing; nothing was written; import again"


class ChangedWhileImporting(Exception):
    """What the import was based on changed before its rows could be written."""


def _import_tracker_records(
    paths: Sequence[str | Path],
    read: Callable[..., Iterable[Any]],
    format: str,
    mapping: dict | None,
    fields: Any,
    *,
    skip_invalid: bool,
    progress: Callable[[int, int | None], None] | None,
) -> TrackerImportReport:
    """Read, diff and classify with no write transaction open (reads never block in WAL
    mode, nor on PostgreSQL), then write everything in one short transaction that first
    checks nothing the import was based on changed meanwhile (docs/decisions.md)."""
    try:
        classifier = _StagedClassifier()
        writer = TrackerWriter(sprint_source=SPRINT_SOURCES[format], classify=classifier.classify)
        options: dict[str, Any] = {"mapping": mapping, "fields": fields}
        if format in PAGE_AWARE_FORMATS:
            options["unchanged_page"] = writer.unchanged_page
        return _write_tracker_records(
            read(paths, **options),
            writer=writer,
            skip_invalid=skip_invalid,
            progress=progress,
            # row 1 of a CSV is its header: an error there is about the file
            first_row=2 if format.endswith("csv") else 1,
            classifier=classifier,
        )
    except ImportRejected as rejected:
        return rejected.report  # type: ignore[return-value]
    except ChangedWhileImporting as changed:
        reason = f"{CHANGED_WHILE_IMPORTING} ({changed})"
        return TrackerImportReport(errors=[RowError(None, None, reason)])
    except IntegrityError as problem:
        reason = f"{CHANGED_WHILE_IMPORTING} ({problem})"
        return TrackerImportReport(errors=[RowError(None, None, reason)])


# what an import's classification depends on besides the items, read in one query
_INPUTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "corrections": (Correction, ("item_id", "dimension", "label", "by_id", "at")),
    "reporter assignments": (
        ReporterAssignment,
        ("source", "reporter_key", "person_id", "discipline"),
    ),
    "label mappings": (LabelMapping, ("value", "dimension", "label")),
    "learned models": (LearnedModel, ("pk", "dimension", "in_use")),
    "people": (Person, ("pk", "email", "name", "discipline")),
}


def _import_inputs() -> dict[str, set[tuple[Any, ...]]]:
    """Every row of `_INPUTS` as text, by name: one UNION ALL query."""
    names = list(_INPUTS)
    queries = []
    for n, name in enumerate(names):
        model, columns = _INPUTS[name]
        cells: list[Any] = [_as_text(column) for column in columns]
        cells += [Value("", output_field=TextField())] * (5 - len(cells))
        queries.append(
            model.objects.order_by().values_list(Value(n, output_field=IntegerField()), *cells)
        )
    found: dict[str, set[tuple[Any, ...]]] = {name: set() for name in names}
    for row in queries[0].union(*queries[1:], all=True):
        found[names[row[0]]].add(tuple(row[1:]))
    return found


class _StagedClassifier:
    """Classifies staged item rows before they are written, as `do_reclassify` would once
    they were: the org's reporter assignments, corrections, a learned model in use and the
    rules, in that order.

    What it classifies with (and the corrections there were) is read once, when the first
    row needs it, and kept: `recheck`, inside the final transaction, reads it again and
    says what changed meanwhile. Corrections are merged (the items they concern are
    classified again in that transaction); anything else refuses the import. An import
    that stages nothing reads nothing of it."""

    def __init__(self) -> None:
        self.loaded = False

    def _load(self) -> None:
        self.loaded = True
        self.inputs = _import_inputs()
        self.models = _models_in_use()
        self.backing = _DiscoveryBacking()
        self.links = (self.backing.by_id, self.backing.by_key)
        rows: dict[str, dict[str, str]] = {dimension: {} for dimension in DIMENSIONS}
        for value, dimension, label, _, _ in self.inputs["label mappings"]:
            rows.setdefault(dimension, {})[value] = label
        self.mapping = label_vocabulary.with_org_rows(load_mapping(), rows)
        self.people = {
            int(pk): (name, discipline) for pk, _, name, discipline, _ in self.inputs["people"]
        }
        self.assignments = {
            (source, key): (int(person) if person else None, discipline)
            for source, key, person, discipline, _ in self.inputs["reporter assignments"]
        }

    def recheck(self, writer: TrackerWriter) -> list[int]:
        """Raise `ChangedWhileImporting` if what the import read changed since; else the
        ids of the items whose corrections changed meanwhile (to classify again)."""
        if not writer.staged or not self.loaded:
            return []  # only sprints and files read: merged as they are
        changed_sources = writer.changed_sources()
        if changed_sources:
            raise ChangedWhileImporting(
                f"the {', '.join(changed_sources)} items were changed by someone else"
            )
        now = _import_inputs()
        people = sorted((int(pk), email, name) for pk, email, name, _, _ in now["people"])
        if writer.reporters.digest != people_digest(people):
            raise ChangedWhileImporting("the people changed")
        for name, before in self.inputs.items():
            if name != "corrections" and now[name] != before:
                raise ChangedWhileImporting(f"the {name} changed")
        if discovery_backing.link_titles() != self.links:
            raise ChangedWhileImporting("the discovery links changed")
        return sorted({int(row[0]) for row in now["corrections"] ^ self.inputs["corrections"]})

    def classify(self, staged: list[dict[str, Any]]) -> None:
        if not staged:
            return
        if not self.loaded:
            self._load()
        ids = [values["id"] for values in staged if values["id"] is not None]
        current: dict[int, tuple[Any, ...]] = {}
        corrections: dict[tuple[int, str], tuple[str, dict]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in Item.objects.filter(pk__in=chunk).values_list(
                "pk", *_READ_STATE, "reporter_discipline"
            ):
                current[row[0]] = row[1:]
            corrections.update(_correction_reasons({"pk__in": chunk}))
        facts = []
        for values in staged:
            held = current.get(values["id"]) if values["id"] is not None else None
            person_id, discipline = values["reporter_person_id"], held[-1] if held else ""
            assigned = self.assignments.get(
                (
                    values["source"],
                    reporters.reporter_key(
                        values["reporter_email"], values["reporter_account"], values["reporter"]
                    ),
                )
            )
            if assigned is not None:
                to_person, to_discipline = assigned
                person_id, discipline = (to_person, "") if to_person else (person_id, to_discipline)
            values["reporter_person_id"], values["reporter_discipline"] = person_id, discipline
            name, person_discipline = (
                self.people.get(person_id, ("", "")) if person_id else ("", "")
            )
            item_facts = facts_from_row(
                [
                    values["title"],
                    values["description"],
                    values["type"],
                    values["labels"],
                    values["components"],
                    values["links"],
                    values["reporter"],
                    name,
                    person_discipline,
                    discipline,
                ]
            )
            solution = self.backing.of(values["id"], values["source"], values["epic_key"])
            facts.append(replace(item_facts, discovery_solution=solution))
        predicted = _model_reasons(
            self.models, [model_text(f) for f in facts] if self.models else []
        )
        for n, (values, item_facts) in enumerate(zip(staged, facts, strict=True)):
            pk = values["id"]
            held = current.get(pk) if pk is not None else None
            rules = classify(item_facts, self.mapping)
            for d, dimension in enumerate(DIMENSIONS):
                rule = rules[dimension]
                set_by = held[3 * d + 2] if held else SetBy.RULES
                if pk is not None and (pk, dimension) in corrections:
                    label, why = corrections[(pk, dimension)]
                    decided = (label, [why, *rule.reasons], SetBy.CORRECTION)
                elif held and set_by == SetBy.CORRECTION:
                    decided = (held[3 * d], _json_list(held[3 * d + 1]), set_by)
                elif dimension in predicted:
                    label, why = predicted[dimension][n]
                    decided = (label, [why, *rule.reasons], SetBy.MODEL)
                else:
                    decided = (rule.label, list(rule.reasons), SetBy.RULES)
                values[dimension], values[f"{dimension}_reasons"] = decided[0], decided[1]
                values[f"{dimension}_set_by"] = decided[2]


def _write_tracker_records(
    records: Iterable[Any],
    *,
    writer: TrackerWriter,
    skip_invalid: bool,
    progress: Callable[[int, int | None], None] | None,
    first_row: int = 1,
    classifier: _StagedClassifier | None = None,
) -> TrackerImportReport:
    errors: list[RowError] = []
    tally = _FileTally(first_row)
    items_read = 0
    for record in records:
        if isinstance(record, RowWarning):
            tally.warning(record)  # the record is written: a warning stops nothing
            continue
        if isinstance(record, RowError):
            errors.append(record)
            tally.error(record)
            continue
        if isinstance(record, ItemRecord):
            tally.file(record.origin_file).read += 1
        elif isinstance(record, PageRecord) and record.skipped:
            tally.file(record.origin_file).read += len(record.keys)
        if errors and not skip_invalid:
            continue  # nothing will be written: keep reading only to list every problem
        writer.add(record)
        if isinstance(record, ItemRecord):
            items_read += 1
            if progress is not None and items_read % 500 == 0:
                progress(items_read, None)
        elif isinstance(record, PageRecord) and record.skipped:
            items_read += len(record.keys)
            if progress is not None:
                progress(items_read, None)
    # each file counts its skipped records; an error that names no file, once per record
    skipped = sum(summary.skipped for summary in tally.files.values()) + len(
        {(e.row, e.key) for e in errors if not e.source and (e.key or e.row is not None)}
    )
    if errors and (not skip_invalid or not items_read):
        raise ImportRejected(tally.report(TrackerImportReport(errors=errors, skipped=skipped)))
    writer.finish()  # every row staged and classified: nothing written yet
    started = time.perf_counter()
    with transaction.atomic():  # the only write transaction: IMMEDIATE on SQLite
        corrected = classifier.recheck(writer) if classifier is not None else []
        counts = writer.write()
        if corrected and counts.touched:  # corrected meanwhile: classify those again
            do_reclassify(sorted(set(corrected) & set(counts.touched)))
    final_seconds = time.perf_counter() - started
    if counts.touched:
        # A check after the commit, with no write lock held: it reads the items back and
        # writes only a row whose classification differs, which is normally none.
        do_reclassify(counts.touched)
    if progress is not None:
        progress(items_read, items_read)
    report = TrackerImportReport(
        final_transaction_seconds=final_seconds,
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        skipped=skipped if errors else 0,
        errors=errors,
        written=True,
        changes_added=counts.changes_added,
        sprints=counts.sprints,
    )
    return tally.report(report, counts.by_file)


class _FileTally:
    """The per-file accounting of a tracker import: records read, skipped, warned about.

    A record with an error is counted once per file however many errors it has (by row
    or position, and key). An error that names no record (a file that is not JSON, or
    stops being readable halfway) is a problem of its file: what came after it could not
    be counted, and the file's line says so."""

    def __init__(self, first_row: int = 1) -> None:
        self.first_row = first_row  # the row or position of a file's first record
        self.files: dict[str, FileSummary] = {}
        self.bad: set[tuple[str, int | None, str]] = set()
        self.warnings: list[RowWarning] = []
        self.warning_count = 0

    def file(self, name: str) -> FileSummary:
        found = self.files.get(name)
        if found is None:
            found = self.files[name] = FileSummary(name)
        return found

    def warning(self, warning: RowWarning) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_KEPT_WARNINGS:
            self.warnings.append(warning)
        if warning.source:
            self.file(warning.source).warnings += 1

    def error(self, error: RowError) -> None:
        if not error.source:
            return  # about the import as a whole (a changelog whose issue is missing)
        summary = self.file(error.source)
        if not error.key and (error.row is None or error.row < self.first_row):
            where = "" if error.row is None else f"row {error.row}, "
            summary.problems.append(where + error.reason)
            return
        identity = (error.source, error.row, error.key)
        if identity not in self.bad:
            self.bad.add(identity)
            summary.read += 1
            summary.skipped += 1

    def report(
        self, report: TrackerImportReport, by_file: dict[str, list[int]] | None = None
    ) -> TrackerImportReport:
        for name, (created, updated, unchanged, replaced) in (by_file or {}).items():
            summary = self.file(name)
            summary.created, summary.updated = created, updated
            summary.unchanged, summary.replaced = unchanged, replaced
        report.files = list(self.files.values())
        report.warnings = self.warnings
        report.warning_count = self.warning_count
        return report


# A run still "running" after this long is taken as stopped even when its process
# cannot be checked (another machine, or a process id used again since).
UNFINISHED_AFTER = timedelta(hours=6)
UNFINISHED_STOPPED = (
    "the import stopped before the end (the process was interrupted); nothing of it was "
    "written. Import the files again."
)
UNFINISHED_GONE = (
    "the import did not finish: the process running it stopped (killed, or the server "
    "restarted), so nothing of it was written. Import the files again."
)


def _start_tracker_import(format: str, names: list[str], user: Login | None) -> TrackerImport:
    with transaction.atomic():  # committed now when no outer transaction is open
        return TrackerImport.objects.create(
            format=format[:20],
            files=names[:200],
            started_at=timezone.now(),
            status=ImportStatus.RUNNING,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            by=_author(user),
        )


def _record_tracker_import(report: TrackerImportReport, run: TrackerImport) -> TrackerImportReport:
    run.status = ImportStatus.FINISHED
    run.finished_at = timezone.now()
    run.items_created = report.created if report.written else 0
    run.items_updated = report.updated if report.written else 0
    run.items_unchanged = report.unchanged if report.written else 0
    run.changes_added = report.changes_added if report.written else 0
    run.skipped = report.skipped
    run.errors = [error_as_dict(error) for error in report.errors[:MAX_STORED_ERRORS]]
    run.warning_count = report.warning_count
    run.warnings = [error_as_dict(warning) for warning in report.warnings[:MAX_STORED_ERRORS]]
    run.save()
    report.tracker_import_id = run.pk
    return report


def _mark_unfinished(run: TrackerImport, reason: str) -> None:
    run.status = ImportStatus.UNFINISHED
    run.errors = [error_as_dict(RowError(None, None, reason))]
    run.save(update_fields=["status", "errors"])


def _process_is_gone(run: TrackerImport) -> bool:
    if run.host != socket.gethostname()[:255] or not run.pid:
        return False  # cannot tell from here; the age decides
    if run.pid == os.getpid():
        return False
    try:
        os.kill(run.pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, under another user
        return False
    return False


def do_mark_unfinished_imports() -> int:
    """Mark the runs still "running" whose process is gone (or that started more than
    `UNFINISHED_AFTER` ago) as runs that did not finish; returns how many. Called when
    an import starts and when the imports are listed, so a kill is on record the next
    time anyone looks."""
    marked = 0
    old = timezone.now() - UNFINISHED_AFTER
    for run in TrackerImport.objects.filter(status=ImportStatus.RUNNING):
        if run.started_at < old or _process_is_gone(run):
            _mark_unfinished(run, UNFINISHED_GONE)
            marked += 1
    return marked


def import_uploaded_tracker_files(
    uploads: Sequence[Any],
    *,
    format: str,
    mapping_upload: Any = None,
    fields_upload: Any = None,
    skip_invalid: bool = False,
    user: Login | None = None,
) -> TrackerImportReport:
    """Import uploaded files (the page's and the API's): each is saved to a private
    temporary folder under its own name, so errors name the file the person chose."""
    # In the data dir's upload folder, which the next start cleans if this process is killed.
    with tempfile.TemporaryDirectory(prefix="productops-import-", dir=upload_folder()) as folder:
        paths = [save_upload(upload, Path(folder), index) for index, upload in enumerate(uploads)]
        try:
            mapping = _read_mapping_upload(mapping_upload) if mapping_upload else None
            fields = load_field_names(json.load(fields_upload)) if fields_upload else None
        except (ValueError, TypeError, AttributeError, yaml.YAMLError, RecursionError) as problem:
            name = getattr(mapping_upload or fields_upload, "name", "mapping")
            said = nested_too_deep("file") if isinstance(problem, RecursionError) else problem
            reason = f"cannot read the mapping or fields file: {shown(said, 300)}"
            report = TrackerImportReport(errors=[RowError(None, None, reason, source=name)])
            run = _start_tracker_import(format, [p.name for p in paths], user)
            return _record_tracker_import(report, run)
        return import_tracker(
            paths,
            format=format,
            mapping=mapping,
            fields=fields,
            skip_invalid=skip_invalid,
            user=user,
        )


def save_upload(upload: Any, folder: Path, index: int) -> Path:
    """Write one upload into `folder` under its own name (a second of that name gets a prefix)."""
    name = Path(str(getattr(upload, "name", "") or f"upload-{index}")).name or f"upload-{index}"
    target = folder / name
    if target.exists():  # two uploads with one name: keep both
        target = folder / f"{index}-{name}"
    with open(target, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return target


def _read_mapping_upload(upload: Any) -> dict:
    data = yaml.safe_load(upload.read().decode("utf-8-sig"))  # YAML reads JSON too
    if not isinstance(data, dict):
        raise ValueError("a mapping file holds one object: column names by field")
    return data


# (end of imports section)

# ---------------------------------------------------------------------------------------
# Classification, corrections, labels and the learned model
# ---------------------------------------------------------------------------------------

# Items read and written per round trip: large enough that 100,000 items take a few dozen
# queries, small enough that a chunk's rows and reasons stay a few megabytes.
RECLASSIFY_CHUNK = 2000
_STATE_FIELDS = tuple(
    f"{dimension}{suffix}" for dimension in DIMENSIONS for suffix in ("", "_reasons", "_set_by")
)


@dataclass(frozen=True)
class _ModelInUse:
    pipeline: Any
    cv_macro_f1: float
    rules_macro_f1: float


def do_reclassify(item_ids: Iterable[int] | None = None) -> int:
    """Classify items (all when None) by rules, the learned model and corrections.

    A person's correction always wins; a learned model in use (one that beat the rules
    in cross-validation) sets the label otherwise, with the rules' reasons kept next to
    its own; else the rules decide. A dimension marked as corrected is never overwritten.
    Only rows whose classification changed are written, so running it twice writes
    nothing the second time. Returns the number of items written.
    """
    mapping = label_vocabulary.org_mapping()  # mapping.yaml plus the org's own label mappings
    models = _models_in_use()
    if item_ids is None:
        ids = list(Item.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted({int(pk) for pk in item_ids})
    if not ids:
        return 0
    reporters.apply_assignments(None if item_ids is None else ids)  # the org's own answers
    backing = _DiscoveryBacking()
    written = 0
    for start in range(0, len(ids), RECLASSIFY_CHUNK):
        chunk = ids[start : start + RECLASSIFY_CHUNK]
        # a contiguous run of ids is asked for by range: no long IN (...) lists
        contiguous = chunk[-1] - chunk[0] == len(chunk) - 1
        where = {"pk__gte": chunk[0], "pk__lte": chunk[-1]} if contiguous else {"pk__in": chunk}
        written += _reclassify_chunk(where, mapping, models, backing)
    return written


def _models_in_use() -> dict[str, _ModelInUse]:
    models = {}
    for model in LearnedModel.objects.filter(in_use=True).order_by("dimension", "-trained_at"):
        if model.dimension not in models:
            models[model.dimension] = _ModelInUse(
                learning.loads(model.blob), model.cv_macro_f1, model.rules_macro_f1
            )
    return models


def _correction_reasons(where: dict[str, Any]) -> dict[tuple[int, str], tuple[str, dict]]:
    corrections = Correction.objects.filter(
        **{f"item__{k}": v for k, v in where.items()}
    ).values_list("item_id", "dimension", "label", "by__username", "at")
    found = {}
    for item_id, dimension, label, username, at in corrections:
        who = username or "a label import"
        text = f"corrected by {who} on {at:%Y-%m-%d}"
        found[(item_id, dimension)] = (label, {"label": label, "weight": None, "text": text})
    return found


def _model_reasons(
    models: dict[str, _ModelInUse], texts: list[str]
) -> dict[str, list[tuple[str, dict]]]:
    """For each dimension with a model in use, its label and reason for each text."""
    predictions: dict[str, list[tuple[str, dict]]] = {}
    weight = load_mapping().weights["model"]
    for dimension, model in models.items():
        if not texts:
            predictions[dimension] = []
            continue
        predictions[dimension] = []
        for label, p in zip(*learning.predict(model.pipeline, texts), strict=True):
            text = (
                f"learned model says {LABEL_NAMES.get(label, label)} ({p:.0%} likely; "
                f"cross-validated macro-F1 {model.cv_macro_f1:.2f} against the rules' "
                f"{model.rules_macro_f1:.2f})"
            )
            predictions[dimension].append((label, reason(label, weight * p, text)))
    return predictions


def _as_text(name: str) -> Cast:
    return Cast(name, TextField())


# JSON columns are read as their text: most are "[]", and decoding every one (and every
# stored reason list, only to compare it) was a third of a bulk reclassification.
_JSON_FACTS = {"labels", "components", "links"}
_READ_FACTS = [_as_text(f) if f in _JSON_FACTS else f for f in FACT_FIELDS]
_READ_STATE = [_as_text(f) if f.endswith("_reasons") else f for f in _STATE_FIELDS]


def _json_list(text: str | None) -> list[Any]:
    return [] if not text or text == "[]" else json.loads(text)


class _DiscoveryBacking:
    """Which solution of an opportunity solution tree backs an item (the origin signal).

    Loaded once per reclassification: the links are few, the items many.
    """

    def __init__(self) -> None:
        self.by_id, self.by_key = discovery_backing.link_titles()

    def of(self, pk: int, source: str, epic_key: str) -> str:
        own = self.by_id.get(pk)
        if own is not None:
            return own
        return self.by_key.get((source, epic_key), "") if epic_key else ""


def _reclassify_chunk(
    where: dict[str, Any],
    mapping: ClassificationMapping,
    models: dict[str, _ModelInUse],
    backing: _DiscoveryBacking,
) -> int:
    width = len(FACT_FIELDS)
    json_at = [n for n, name in enumerate(FACT_FIELDS) if name in _JSON_FACTS]
    rows = list(
        Item.objects.filter(**where).values_list(
            "pk", *_READ_FACTS, *_READ_STATE, "source", "epic_key"
        )
    )
    if not rows:
        return 0
    corrections = _correction_reasons(where)
    facts = []
    for row in rows:
        values = list(row[1 : 1 + width])
        for n in json_at:
            values[n] = _json_list(values[n])
        solution = backing.of(row[0], row[-2], row[-1])
        facts.append(replace(facts_from_row(values), discovery_solution=solution))
    predicted = _model_reasons(models, [model_text(f) for f in facts] if models else [])
    updates = []
    for n, (row, item_facts) in enumerate(zip(rows, facts, strict=True)):
        pk, current = row[0], row[1 + width : -2]
        rules = classify(item_facts, mapping)
        new: list[Any] = []
        changed = False
        for d, dimension in enumerate(DIMENSIONS):
            label, reasons_text, set_by = current[3 * d : 3 * d + 3]
            rule = rules[dimension]
            if (pk, dimension) in corrections:
                label, why = corrections[(pk, dimension)]
                decided = (label, [why, *rule.reasons], SetBy.CORRECTION)
            elif set_by == SetBy.CORRECTION:
                decided = (label, _json_list(reasons_text), set_by)
            elif dimension in predicted:
                label, why = predicted[dimension][n]
                decided = (label, [why, *rule.reasons], SetBy.MODEL)
            else:
                decided = (rule.label, list(rule.reasons), SetBy.RULES)
            new_text = json.dumps(decided[1])
            changed = changed or (
                (decided[0], decided[2]) != (current[3 * d], set_by)
                or (new_text != reasons_text and decided[1] != _json_list(reasons_text))
            )
            new += [decided[0], new_text, decided[2]]
        if changed:
            updates.append((pk, new))
    _write_classifications(updates)
    return len(updates)


def _write_classifications(updates: list[tuple[int, list[Any]]]) -> None:
    """One UPDATE per changed row, sent as a batch: far faster than CASE-based bulk_update."""
    if not updates:
        return
    quote = connection.ops.quote_name
    json_slot = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    slots = ", ".join(
        f"{quote(name)} = {json_slot if name.endswith('_reasons') else '%s'}"
        for name in _STATE_FIELDS
    )
    sql = f"UPDATE {quote(Item._meta.db_table)} SET {slots} WHERE {quote('id')} = %s"
    params = [[*values, pk] for pk, values in updates]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, params)


def check_correction(user: Login, dimension: str, label: str) -> None:
    """May `user` correct, and is `label` one `dimension` takes? Raises when not."""
    if not can_correct(user):
        raise PermissionDenied("Only admins and managers can correct labels.")
    if dimension not in DIMENSIONS:
        raise ValidationError(
            f"'{dimension}' is not a dimension: use origin, kind or framing.", code="dimension"
        )
    allowed = labels_for(dimension)
    if label not in allowed:
        raise ValidationError(
            f"'{label}' is not a label for {dimension}: use one of {', '.join(allowed)}.",
            code="label",
        )


def do_correct(user: Login, item: Item, dimension: str, label: str) -> Item:
    """Record a person's label for one dimension of an item; it wins from now on."""
    check_correction(user, dimension, label)
    with transaction.atomic():
        Correction.objects.update_or_create(
            item=item,
            dimension=dimension,
            defaults={"label": label, "by": _author(user), "at": timezone.now()},
        )
        do_reclassify([item.pk])
    item.refresh_from_db()
    return item


def do_clear_correction(user: Login, item: Item, dimension: str) -> Item:
    """Forget a correction: the rules (or the learned model) decide again."""
    if not can_correct(user):
        raise PermissionDenied("Only admins and managers can correct labels.")
    if dimension not in DIMENSIONS:
        raise ValidationError(f"'{dimension}' is not a dimension: use origin, kind or framing.")
    with transaction.atomic():
        Correction.objects.filter(item=item, dimension=dimension).delete()
        Item.objects.filter(pk=item.pk).update(**{f"{dimension}_set_by": SetBy.RULES})
        do_reclassify([item.pk])
    item.refresh_from_db()
    return item


def do_train_model(dimension: str) -> LearnedModel:
    """Train, score honestly and store a model for `dimension`; in use only if it beats
    the rules, and then the one in use. Raises `learning.NotEnoughCorrections`."""
    trained = learning.train(dimension)
    with transaction.atomic():
        LearnedModel.objects.filter(dimension=dimension, in_use=True).update(in_use=False)
        return LearnedModel.objects.create(
            dimension=dimension,
            examples=trained.scores.examples,
            cv_macro_f1=trained.scores.cv_macro_f1,
            rules_macro_f1=trained.scores.rules_macro_f1,
            in_use=trained.scores.beats_rules,
            blob=trained.blob,
        )


def do_retrain(dimension: str | None = None) -> list[LearnedModel]:
    """Train a model for each dimension (or the one named) that has enough corrections,
    then reclassify everything so models put in use (or retired) show at once."""
    trained = []
    for name in [dimension] if dimension else DIMENSIONS:
        try:
            trained.append(do_train_model(name))
        except learning.NotEnoughCorrections:
            continue
    if trained:
        do_reclassify()
    return trained


def import_labels_file(
    file: LabelsFile, *, skip_invalid: bool = False, by: Login | None = None, source: str = ""
) -> ImportReport:
    """Check and write a labels file as corrections, then retrain and reclassify."""
    report = do_import_labels(
        parse_labels_file(file, source=source), skip_invalid=skip_invalid, by=by
    )
    if report.written:
        trained = do_retrain()
        if not trained:
            do_reclassify(_labelled_item_ids(file, source))
    return report


def _labelled_item_ids(file: LabelsFile, source: str) -> list[int]:
    rows = parse_labels_file(file, source=source).records
    return list(_items_by_key({(row.source, row.key) for row in rows}).values())


def _items_by_key(keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    by_source: dict[str, list[str]] = {}
    for source, key in keys:
        by_source.setdefault(source, []).append(key)
    found = {}
    for source, source_keys in by_source.items():
        for start in range(0, len(source_keys), 500):
            batch = source_keys[start : start + 500]
            for key, pk in Item.objects.filter(source=source, key__in=batch).values_list(
                "key", "pk"
            ):
                found[(source, key)] = pk
    return found


def do_import_labels(
    result: ParseResult[LabelRow], *, skip_invalid: bool = False, by: Login | None = None
) -> ImportReport:
    """Write parsed label rows as corrections in one transaction: all, or the good ones.

    Items are found by (source, key); a row naming an item productops does not have is
    an error like any other. Importing the same file twice changes nothing.
    """
    file_problems = [e for e in result.errors if (e.row or 0) < LABELS_FIRST_DATA_ROW]
    if file_problems:
        return ImportReport(errors=list(result.errors), written=False)
    # rows with problems are still looked up, so one run lists every problem
    try:
        with transaction.atomic():
            return _write_labels(result, skip_invalid=skip_invalid, by=by)
    except ImportRejected as rejected:
        return rejected.report


def _write_labels(
    result: ParseResult[LabelRow], *, skip_invalid: bool, by: Login | None
) -> ImportReport:
    items = _items_by_key({(row.source, row.key) for row in result.records})
    errors = list(result.errors)
    rows = []
    for row in result.records:
        if (row.source, row.key) in items:
            rows.append(row)
        else:
            reason = f"no {row.source} item {row.key} in productops: import the tracker first"
            errors.append(RowError(row.row, "key", reason, source=row.file, key=row.key))
    errors.sort(key=lambda e: e.row or 0)
    skipped = len(result.bad_rows | {e.row for e in errors if e.row is not None})
    if errors and (not skip_invalid or not rows):
        raise ImportRejected(ImportReport(errors=errors, skipped=skipped, written=False))
    existing = {
        (c.item_id, c.dimension): c
        for c in Correction.objects.filter(item_id__in={items[(r.source, r.key)] for r in rows})
    }
    now, author = timezone.now(), _author(by)
    created, changed = [], []
    for row in rows:
        item_id = items[(row.source, row.key)]
        correction = existing.get((item_id, row.dimension))
        if correction is None:
            correction = Correction(
                item_id=item_id, dimension=row.dimension, label=row.label, by=author, at=now
            )
            existing[(item_id, row.dimension)] = correction
            created.append(correction)
        elif correction.label != row.label:
            correction.label, correction.by, correction.at = row.label, author, now
            if correction.pk:
                changed.append(correction)
    Correction.objects.bulk_create(created, batch_size=1000)
    Correction.objects.bulk_update(changed, ["label", "by", "at"], batch_size=1000)
    updated = len({c.pk for c in changed})
    return ImportReport(
        created=len(created),
        updated=updated,
        unchanged=len(rows) - len(created) - updated,
        skipped=skipped,
        errors=errors,
        written=True,
    )


# (end of classification section)


# ---------------------------------------------------------------------------------------
# Reporters and the label vocabulary (issue 12): the org's own answers, then reclassify
# ---------------------------------------------------------------------------------------


def check_reporter_assignment(
    user: Login, source: str, key: str, person: Person | None, discipline: str
) -> None:
    """May `user` assign reporters, and does this assignment make sense? Raises when not."""
    if not can_assign_reporters(user):
        raise PermissionDenied("Only admins and managers can assign reporters.")
    if source not in Source.values:
        raise ValidationError(
            f"'{source}' is not a tracker: use one of {', '.join(Source.values)}."
        )
    if not key or not reporters.item_ids_of(source, key):
        raise ValidationError(
            "No imported item has this reporter: pick one from the reporters page.", code="key"
        )
    if (person is None) == (not discipline):
        raise ValidationError(
            "Assign the reporter to a person or to a discipline: choose one of the two.",
            code="assign",
        )
    if discipline and discipline not in Discipline.values:
        raise ValidationError(
            f"'{discipline}' is not a discipline: use one of {', '.join(Discipline.values)}.",
            code="discipline",
        )
    if person is not None and not can_see_person(user, person):
        raise ValidationError("No such person among the people you can see.", code="person")


def do_assign_reporter(
    user: Login,
    *,
    source: str,
    key: str,
    person: Person | None = None,
    discipline: str = "",
    name: str = "",
) -> ReporterAssignment:
    """Say who a reporter is (a person, or only a discipline): everything they filed, now
    and in later imports, is classified with it. Assigning again replaces the answer."""
    check_reporter_assignment(user, source, key, person, discipline)
    with transaction.atomic():
        assignment, _ = ReporterAssignment.objects.update_or_create(
            source=source,
            reporter_key=key,
            defaults={
                "person": person,
                "discipline": "" if person is not None else discipline,
                "reporter_name": name[:200],
                "by": _author(user),
                "at": timezone.now(),
            },
        )
        if person is None:
            reporters.forget_assignment(source, key)  # a person assigned before goes
        do_reclassify(reporters.item_ids_of(source, key))
    return assignment


def do_clear_reporter_assignment(user: Login, *, source: str, key: str) -> int:
    """Forget who a reporter was said to be: their items go back to what the import
    matched. Returns the number of items reclassified."""
    if not can_assign_reporters(user):
        raise PermissionDenied("Only admins and managers can assign reporters.")
    with transaction.atomic():
        ReporterAssignment.objects.filter(source=source, reporter_key=key).delete()
        ids = reporters.forget_assignment(source, key)
        do_reclassify(ids)
    return len(ids)


def check_label_mapping(user: Login, value: str, dimension: str, label: str) -> str:
    """May `user` map labels, and is this a mapping? Returns the value as stored."""
    if not can_map_labels(user):
        raise PermissionDenied("Only admins and managers can map labels.")
    stored = label_vocabulary.normalized(value)
    if not stored:
        raise ValidationError("Name the label or component to map.", code="value")
    if len(stored) > label_vocabulary.MAX_VALUE:
        raise ValidationError(
            f"A label or component is at most {label_vocabulary.MAX_VALUE} characters.",
            code="value",
        )
    if dimension not in DIMENSIONS:
        raise ValidationError(
            f"'{dimension}' is not a dimension: use origin, kind or framing.", code="dimension"
        )
    allowed = [choice for choice in labels_for(dimension) if choice != "unknown"]
    if label not in allowed:
        raise ValidationError(
            f"'{label}' is not a label for {dimension}: use one of {', '.join(allowed)}.",
            code="label",
        )
    return stored


def do_map_label(user: Login, value: str, dimension: str, label: str) -> LabelMapping:
    """Map a label or component to an origin, kind or framing as the org's own mapping
    (it wins over mapping.yaml for that name), then reclassify the items that carry it."""
    stored = check_label_mapping(user, value, dimension, label)
    with transaction.atomic():
        mapping, _ = LabelMapping.objects.update_or_create(
            value=stored,
            dimension=dimension,
            defaults={"label": label, "by": _author(user), "at": timezone.now()},
        )
        do_reclassify(_items_tagged(stored))
    return mapping


def do_clear_label_mapping(user: Login, value: str, dimension: str) -> int:
    """Forget the org's mapping of a name for one dimension: mapping.yaml decides again.
    Returns the number of items rewritten."""
    if not can_map_labels(user):
        raise PermissionDenied("Only admins and managers can map labels.")
    stored = label_vocabulary.normalized(value)
    with transaction.atomic():
        deleted, _ = LabelMapping.objects.filter(value=stored, dimension=dimension).delete()
        return do_reclassify(_items_tagged(stored)) if deleted else 0


def _items_tagged(value: str) -> list[int] | None:
    """The ids of the items that may carry `value` as a label or component (a superset),
    or None (every item) when the stored JSON text cannot be searched for it."""
    if not value.isascii() or '"' in value or "\\" in value:
        return None
    labels, components = _as_text("labels"), _as_text("components")
    return list(
        Item.objects.annotate(_labels=labels, _components=components)
        .filter(Q(_labels__icontains=value) | Q(_components__icontains=value))
        .values_list("pk", flat=True)
    )
