"""The coach's diagnosis: import what was given into a fresh data dir, report, hand over.

`productops diagnose` is thin over these steps, in this order:

1. `check_out_dir` and `prepare_database` (migrate a new data dir; refuse one that
   already holds people or items: a diagnosis reads only the files it is given);
2. `import_inputs`: each file through its app's own import command, all in one
   transaction, so a file the importer refuses leaves the data dir empty again;
3. `diagnosis_reader`: a local admin login without a usable password, whose report
   names people;
4. `do_generate_health_report` (kept as a snapshot); its backlog section holds the
   findings per product area (`health.area_findings`);
5. `write_outputs`: report.html, report.pdf and tables.xlsx, written next to --out
   first and moved in once all three exist, so a failure leaves no partial report.
"""

from __future__ import annotations

import io
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from productops.accounts.roles import Login

READER_LOGIN = "diagnose"
OUTPUT_FILES = ("report.html", "report.pdf", "tables.xlsx")

FRESH_DATA_DIR = (
    "A diagnosis starts from an empty data dir, and this one already holds {what}. Point "
    "PRODUCTOPS_DATA_DIR at a new folder (or DATABASE_URL at an empty database) and run "
    "the diagnosis again; the data already there stays as it is."
)


@dataclass(frozen=True)
class Inputs:
    """The files a coach hands over; only people and tracker are required."""

    people: str
    tracker: list[str]
    format: str = "jira-json"
    mapping: str | None = None  # the generic CSV importer's column mapping file
    touchpoints: str | None = None
    ratings: str | None = None
    model: str | None = None
    skip_invalid: bool = False


@dataclass
class Imported:
    """What each import said (its summary line), in the order they ran."""

    lines: list[str] = field(default_factory=list)


def check_out_dir(out: Path, *, force: bool) -> None:
    """--out may be missing or empty; a non-empty one only with --force."""
    if out.exists() and not out.is_dir():
        raise CommandError(f"{out} is a file: pass a folder for --out.")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise CommandError(
            f"{out} is not empty: pass an empty or new folder for --out, or --force to "
            "replace report.html, report.pdf and tables.xlsx in it."
        )


def check_inputs(inputs: Inputs) -> None:
    """Every file named exists, and --model comes with --ratings (before any write)."""
    named = [("--people", inputs.people), *(("--tracker", path) for path in inputs.tracker)]
    if inputs.mapping:
        named.append(("--mapping", inputs.mapping))
    if inputs.touchpoints:
        named.append(("--touchpoints", inputs.touchpoints))
    if inputs.ratings:
        named.append(("--ratings", inputs.ratings))
    for option, path in named:
        if not Path(path).exists():
            raise CommandError(f"{option} {path}: no such file or folder. Check the path.")
    if inputs.ratings and not inputs.model:
        raise CommandError(
            "--ratings needs --model SLUG, the competency model the ratings use (for "
            "example pm-wheel; `productops load-builtin-models` lists the built-in ones)."
        )


def pending_migrations(using: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations the database still lacks (0 on a migrated one)."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def prepare_database() -> None:
    """Migrate a new data dir quietly; refuse one that holds people or tracker items."""
    if pending_migrations():
        call_command("migrate", interactive=False, verbosity=0)
    from productops.backlog.models import Item
    from productops.org.models import Person

    held = [
        what
        for what, present in (
            ("people", Person.objects.exists()),
            ("tracker items", Item.objects.exists()),
        )
        if present
    ]
    if held:
        raise CommandError(FRESH_DATA_DIR.format(what=" and ".join(held)))
    if get_user_model().objects.filter(username=READER_LOGIN).exists():
        # the report's reader is made an admin without a password: never someone's login
        raise CommandError(
            f"This data dir already has a login named {READER_LOGIN!r}, which the diagnosis "
            "would take over for its report. Diagnose on a new data dir."
        )


def _run_import(name: str, *args: str, **options: Any) -> str:
    """One app's import command; its row errors become part of the CommandError."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err, **options)
    except CommandError as error:
        problems = err.getvalue().strip()
        detail = f"{problems}\n{error}" if problems else str(error)
        raise CommandError(f"{args[0]}: the diagnosis stopped here.\n{detail}") from None
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return f"{args[0]}: {lines[-1].strip()}" if lines else f"{args[0]}: imported"


def import_steps(inputs: Inputs) -> list[tuple[str, Callable[[], str]]]:
    """The imports to run, each as (what the progress bar says, the call)."""
    skip = {"skip_invalid": inputs.skip_invalid}
    steps: list[tuple[str, Callable[[], str]]] = [
        ("Importing people", lambda: _run_import("import_people", inputs.people, **skip)),
        ("Importing the tracker export", lambda: _import_tracker(inputs)),
    ]
    if inputs.touchpoints:
        path = inputs.touchpoints
        steps.append(
            ("Importing touchpoints", lambda: _run_import("import_touchpoints", path, **skip))
        )
    if inputs.ratings:
        ratings, model = inputs.ratings, inputs.model
        steps.append(("Importing ratings", lambda: _import_ratings(ratings, model, inputs)))
    return steps


def _import_tracker(inputs: Inputs) -> str:
    from productops.backlog.models import Item

    extra = {"mapping": inputs.mapping} if inputs.mapping else {}
    said = _run_import(
        "import_tracker",
        *inputs.tracker,
        format=inputs.format,
        skip_invalid=inputs.skip_invalid,
        **extra,
    )
    if not Item.objects.exists():
        raise CommandError(
            f"{', '.join(inputs.tracker)}: no tracker items were found as --format "
            f"{inputs.format}. Check that --format names the export's format and that the "
            "folder holds the export's files."
        )
    return said


def _import_ratings(path: str, model: str | None, inputs: Inputs) -> str:
    from productops.competencies.actions import do_load_builtin_models

    # migrate does not load the built-in competency models; ratings need their model
    do_load_builtin_models()
    return _run_import("import_ratings", path, model_slug=model, skip_invalid=inputs.skip_invalid)


def diagnosis_reader(username: str = READER_LOGIN) -> Login:
    """A local admin login for the report, with no password anyone could use."""
    from productops.accounts.actions import do_create_login
    from productops.accounts.models import Role

    # do_create_login insists on a password its rules accept; it is discarded at once
    user = do_create_login(username, secrets.token_urlsafe(32), Role.ADMIN)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def missing_inputs(inputs: Inputs) -> list[str]:
    """One line per input not given (or given without what an analysis needs)."""
    from productops.backlog.models import Change

    lines = []
    if not inputs.touchpoints:
        lines.append(
            "No touchpoints (--touchpoints): no discovery cadence, so which teams talk to "
            "customers every week is not known."
        )
    if not inputs.ratings:
        lines.append(
            "No ratings (--ratings with --model): no competency gaps for the people assessed."
        )
    if not Change.objects.exists():
        lines.append(
            "The tracker export has no changelog: no sprint churn, no mid-sprint additions "
            "and no shelved work. Export the issues with their changelog."
        )
    return lines


def other_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The critical and warning findings the executive summary had no room for."""
    shown = {f["sentence"] for f in report["summary"]}
    return [
        f
        for section in report["sections"]
        for f in section["findings"]
        if f["severity"] in ("critical", "warning") and f["sentence"] not in shown
    ]


def write_outputs(out: Path, html: str, pdf: bytes, write_tables: Callable[[Path], Any]) -> Any:
    """Write the three files beside --out, then move them in: all three or none."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".diagnose-", dir=out.parent))
    try:
        (staging / "report.html").write_text(html, encoding="utf-8")
        (staging / "report.pdf").write_bytes(pdf)
        result = write_tables(staging / "tables.xlsx")
        out.mkdir(exist_ok=True)
        for name in OUTPUT_FILES:
            (staging / name).replace(out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result
