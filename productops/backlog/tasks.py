"""The backlog's background jobs: an uploaded tracker import, and retraining the learned
model then reclassifying every item.

The page and the API check who may start one, save what the task needs (uploads go to a
private folder in the data dir's upload folder, since the worker reads them after the
request has ended) and call `start_job`; the task runs the same actions as the command.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from django.core.files import File

from productops.backlog import actions
from productops.backlog.models import Item
from productops.backlog.writer import TrackerImportReport
from productops.imports import RowError
from productops.imports.uploads import upload_folder
from productops.ops.jobs import job_task, report_progress, start_job
from productops.ops.models import Job

IMPORT_KIND = "tracker-import"
RETRAIN_KIND = "reclassify"
KEPT_PROBLEMS = 500  # what a job's result lists; the run row keeps as many


def problem(error: RowError) -> dict[str, Any]:
    return {
        "source": error.source,
        "row": error.row,
        "key": error.key,
        "column": error.column,
        "reason": error.reason,
    }


def import_result(report: TrackerImportReport, skip_hint: str | None) -> dict[str, Any]:
    """An import's report as JSON: what the job keeps and the API returned before."""
    return {
        "id": report.tracker_import_id,
        "tracker_import_id": report.tracker_import_id,
        "written": report.written,
        "summary": report.summary(skip_hint),
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "changes_added": report.changes_added,
        "errors": [problem(e) for e in report.errors[:KEPT_PROBLEMS]],
        "error_count": len(report.errors),
        "warning_count": report.warning_count,
        "warnings": [problem(w) for w in report.warnings[:KEPT_PROBLEMS]],
        "files": [
            {
                "name": f.name,
                "read": f.read,
                "created": f.created,
                "updated": f.updated,
                "unchanged": f.unchanged,
                "replaced": f.replaced,
                "skipped": f.skipped,
                "warnings": f.warnings,
                "problems": f.problems,
            }
            for f in report.files
        ],
    }


def start_tracker_import(
    uploads: Sequence[Any],
    *,
    format: str,
    mapping_upload: Any = None,
    fields_upload: Any = None,
    skip_invalid: bool = False,
    skip_hint: str | None = None,
    user: Any,
) -> Job:
    """Save the uploads where the worker can read them and start the import's job. The
    caller has checked `visibility.can_import`."""
    folder = Path(tempfile.mkdtemp(prefix="productops-import-", dir=upload_folder()))
    try:
        paths = [
            str(actions.save_upload(upload, folder, index)) for index, upload in enumerate(uploads)
        ]
        extras = folder / "extras"
        extras.mkdir()
        mapping = str(actions.save_upload(mapping_upload, extras, 0)) if mapping_upload else None
        fields = str(actions.save_upload(fields_upload, extras, 1)) if fields_upload else None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    names = ", ".join(Path(path).name for path in paths)
    return start_job(
        IMPORT_KIND,
        f"Import of {names}",
        import_uploads,
        str(folder),
        paths,
        format=format,
        mapping=mapping,
        fields=fields,
        skip_invalid=skip_invalid,
        skip_hint=skip_hint,
        owner=user,
        result_url="/backlog/import/",
    )


@job_task
def import_uploads(
    job: Job,
    folder: str,
    paths: list[str],
    *,
    format: str,
    mapping: str | None,
    fields: str | None,
    skip_invalid: bool,
    skip_hint: str | None,
) -> dict[str, Any]:
    """Import the saved uploads as the job's owner, then remove them (done or failed)."""
    user = job.owner

    def progress(done: int, total: int | None) -> None:
        report_progress(job, done, total, f"{done:,} record(s) read")

    try:
        if mapping or fields:
            # The mapping and fields files are read by the upload action, as before.
            with _opened(mapping) as mapping_file, _opened(fields) as fields_file:
                report = actions.import_uploaded_tracker_files(
                    [_NamedFile(path) for path in paths],
                    format=format,
                    mapping_upload=mapping_file,
                    fields_upload=fields_file,
                    skip_invalid=skip_invalid,
                    user=user,
                )
        else:
            report = actions.import_tracker(
                paths, format=format, skip_invalid=skip_invalid, user=user, progress=progress
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = import_result(report, skip_hint)
    if report.tracker_import_id:
        Job.objects.filter(pk=job.pk).update(
            result_url=f"/backlog/import/?run={report.tracker_import_id}"
        )
    return result


class _NamedFile(File):
    """A saved upload, read again under the name the person chose."""

    def __init__(self, path: str) -> None:
        super().__init__(open(path, "rb"), name=Path(path).name)  # noqa: SIM115

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        try:
            yield from super().chunks(chunk_size)
        finally:
            self.close()


class _opened:
    """`with _opened(path) as f`: the file named by path (None when there is none)."""

    def __init__(self, path: str | None) -> None:
        self.file = File(open(path, "rb"), name=Path(path).name) if path else None  # noqa: SIM115

    def __enter__(self) -> File | None:
        return self.file

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()


def start_retrain(user: Any, dimension: str | None = None) -> Job:
    """Start retraining (the caller has checked `visibility.can_correct`)."""
    count = Item.objects.count()
    return start_job(
        RETRAIN_KIND,
        f"Retraining the model and reclassifying {count:,} items",
        retrain,
        dimension,
        owner=user,
        result_url="/backlog/items/",
    )


@job_task
def retrain(job: Job, dimension: str | None) -> dict[str, Any]:
    report_progress(job, 0, None, "Training")
    models = actions.do_retrain(dimension)
    in_use = [m.dimension for m in models if m.in_use]
    count = Item.objects.count() if models else 0
    report_progress(job, 1, 1, "Reclassified")
    if not models:
        summary = "No model was trained: correct more items first (each kind needs enough)."
    else:
        summary = (
            f"Trained {len(models)} model(s) ({', '.join(m.dimension for m in models)}); "
            f"in use: {', '.join(in_use) or 'none, the rules did better'}; "
            f"{count:,} items reclassified."
        )
    return {"summary": summary, "trained": [m.dimension for m in models], "in_use": in_use}
