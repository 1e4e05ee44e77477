"""Schemas of the tracker import API."""

from datetime import datetime

from ninja import Schema


class ImportProblemOut(Schema):
    source: str
    row: int | None
    key: str
    column: str | None
    reason: str


class ImportFileOut(Schema):
    """What became of one file's records: read = created + updated + unchanged +
    replaced + skipped when written; `problems` says what of the file was not read."""

    name: str
    read: int
    created: int
    updated: int
    unchanged: int
    replaced: int
    skipped: int
    warnings: int
    problems: list[str]


class ImportResultOut(Schema):
    id: int | None
    written: bool
    summary: str
    created: int
    updated: int
    unchanged: int
    skipped: int
    changes_added: int
    errors: list[ImportProblemOut]
    # records imported with something missing; the first 1,000 listed, all counted
    warning_count: int
    warnings: list[ImportProblemOut]
    files: list[ImportFileOut]


class ImportJobOut(Schema):
    """An import started as a background job: poll `status_url` until it is done; its
    result is an `ImportResultOut`."""

    job_id: int
    status: str  # queued, running, done or failed
    title: str
    status_url: str  # GET /api/jobs/{id}
    job_url: str  # the job's page, for a person


class TrackerImportOut(Schema):
    id: int
    format: str
    status: str  # running, finished, or unfinished (the process stopped; nothing written)
    files: list[str]
    started_at: datetime
    finished_at: datetime | None
    items_created: int
    items_updated: int
    items_unchanged: int
    changes_added: int
    skipped: int
    errors: list[ImportProblemOut]
    warning_count: int  # what records lacked that the analysis could live without
    warnings: list[ImportProblemOut]  # the first 500 of them
