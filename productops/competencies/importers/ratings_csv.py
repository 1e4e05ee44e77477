"""Reading a ratings spreadsheet: assessments a company already ran outside productops.

One row per rating: subject email, rater email, rater kind (self, manager, peer),
competency key, score and an optional evidence note. Header names are matched ignoring
case, spaces and dashes, as in the people import. A score cell that is empty or says
"n/a" means the rater marked the competency not observed.

The file is checked as a whole before anything is written, so every problem is reported
at once with its row and column. Parsing writes nothing; it reads who is in productops
and the cycle's model version (`RatingsContext`). `import_ratings_file` resolves the
cycle, parses, and hands the records to `actions.do_import_ratings`, which writes them in
one transaction.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from productops.competencies.actions import EVIDENCE_MAX_CHARS, do_import_ratings
from productops.competencies.models import (
    AssessmentCycle,
    CompetencyModel,
    ModelVersion,
    RaterKind,
)
from productops.imports import (
    CsvColumns,
    ErrorSink,
    ImportReport,
    ParseResult,
    RowError,
    UnreadableFile,
    read_upload_text,
    shown,
)
from productops.imports.csv_rows import CsvRows, first_line
from productops.org.models import Person

HEADER_ROW = 1
FIRST_DATA_ROW = 2
COLUMNS = ("subject_email", "rater_email", "rater_kind", "competency_key", "score", "evidence")
REQUIRED_COLUMNS = COLUMNS[:5]

# Far above any real ratings file (50 people, 10 raters, 12 competencies take about
# 1 MB with generous evidence); stops a database dump uploaded by mistake.
MAX_FILE_BYTES = 20 * 2**20

COLUMN_ALIASES = {
    "subject": "subject_email",
    "subject_e_mail": "subject_email",
    "ratee_email": "subject_email",
    "rater": "rater_email",
    "rater_e_mail": "rater_email",
    "reviewer_email": "rater_email",
    "kind": "rater_kind",
    "rater_type": "rater_kind",
    "relationship": "rater_kind",
    "competency": "competency_key",
    "key": "competency_key",
    "rating": "score",
    "evidence_note": "evidence",
    "note": "evidence",
    "notes": "evidence",
    "comment": "evidence",
    "comments": "evidence",
}
RATING_COLUMNS = CsvColumns(COLUMNS, REQUIRED_COLUMNS, COLUMN_ALIASES, "(evidence is optional)")
KIND_SHORT_FORMS = {"mgr": RaterKind.MANAGER, "colleague": RaterKind.PEER}
NOT_OBSERVED_TEXTS = frozenset({"", "n/a", "na", "n.a.", "-", "—", "not observed", "not_observed"})
SCORE_PATTERN = re.compile(r"\+?(\d{1,9})(?:[.,]0+)?")

RatingsFile = str | os.PathLike | IO[bytes] | IO[str]


@dataclass(frozen=True)
class RatingRow:
    """One valid rating from the file, ready to write."""

    row: int
    subject_email: str
    rater_email: str
    kind: str  # a RaterKind value
    competency_key: str
    score: int | None
    not_observed: bool
    evidence: str = ""
    source: str = ""

    @property
    def request_key(self) -> tuple[str, str, str]:
        return (self.subject_email, self.rater_email, self.kind)


@dataclass(frozen=True)
class RatingsContext:
    """What parsing checks against: the version's competencies and scale, and who exists."""

    version_label: str
    competency_keys: tuple[str, ...]
    steps: tuple[int, ...]
    emails: frozenset[str]  # lower-cased


def ratings_context(version: ModelVersion) -> RatingsContext:
    """Two queries: the version's competency keys, and every email in productops."""
    keys = tuple(
        version.competencies.order_by("area__position", "position").values_list("key", flat=True)
    )
    return RatingsContext(
        version_label=str(version),
        competency_keys=keys,
        steps=tuple(version.steps),
        emails=frozenset(email.lower() for email in Person.objects.values_list("email", flat=True)),
    )


class _Unreadable(Exception):
    """The file cannot be read as text; the message says why and what to do."""


# -- the whole import ---------------------------------------------------------------------


def import_ratings_file(
    file: RatingsFile,
    *,
    cycle: AssessmentCycle | str | None = None,
    model_slug: str | None = None,
    skip_invalid: bool = False,
    source: str = "",
) -> ImportReport:
    """Check and write a ratings file into a cycle: a cycle, a cycle's name, or a new one.

    With a cycle name that no cycle has, or with no cycle at all, a new closed cycle is
    made on the latest version of the model `model_slug` (named "Imported <date>" when no
    name is given). Importing the same file into the same cycle again changes nothing.
    """
    target, problem = resolve_import_target(cycle, model_slug)
    if problem is not None:
        return ImportReport(errors=[RowError(None, None, problem, source=source)], written=False)
    assert target is not None
    existing, version, name = target
    result = parse_ratings_file(file, context=ratings_context(version), source=source)
    return do_import_ratings(
        result, cycle=existing, version=version, new_cycle_name=name, skip_invalid=skip_invalid
    )


ImportTarget = tuple[AssessmentCycle | None, ModelVersion, str]


def resolve_import_target(
    cycle: AssessmentCycle | str | None, model_slug: str | None
) -> tuple[ImportTarget | None, str | None]:
    """(existing cycle or None, version, name for a new cycle), or a sentence saying why not."""
    if isinstance(cycle, AssessmentCycle):
        return (cycle, cycle.version, cycle.name), None
    model = None
    if model_slug:
        model = CompetencyModel.objects.filter(slug=model_slug.strip()).first()
        if model is None:
            known = ", ".join(CompetencyModel.objects.values_list("slug", flat=True)) or "none yet"
            return None, f"no competency model has the slug '{shown(model_slug)}' (known: {known})"
    name = (cycle or "").strip() or f"Imported {timezone.localdate():%Y-%m-%d}"
    matches = AssessmentCycle.objects.filter(name=name).select_related("version__model")
    if model is not None:
        matches = matches.filter(version__model=model)
    found = list(matches[:2])
    if len(found) > 1:
        return None, (
            f"{AssessmentCycle.objects.filter(name=name).count()} cycles are named '{shown(name)}'; "
            "rename one of them so the import knows which to fill"
        )
    if found:
        return (found[0], found[0].version, name), None
    if model is None:
        if cycle:
            return None, (
                f"no cycle is named '{shown(name)}'; give --model SLUG to create it on that model's "
                "latest version"
            )
        return None, "name a cycle with --cycle, or a model with --model to import into a new cycle"
    version = model.latest
    if version is None:
        return None, f"the model {model.name} has no version yet; import one first"
    return (None, version, name), None


# -- parsing ------------------------------------------------------------------------------


def parse_ratings_file(
    file: RatingsFile, *, context: RatingsContext, source: str = ""
) -> ParseResult[RatingRow]:
    """Read a ratings CSV from a path, or an open binary or text file such as an upload."""
    try:
        text = _read_text(file)
    except _Unreadable as problem:
        result: ParseResult[RatingRow] = ParseResult()
        result.add_error(RowError(None, None, str(problem), source=source))
        return result
    return parse_ratings_text(text, context=context, source=source)


def parse_ratings_text(
    text: str, *, context: RatingsContext, source: str = ""
) -> ParseResult[RatingRow]:
    result: ParseResult[RatingRow] = ParseResult()

    def error(row: int | None, column: str | None, reason: str) -> None:
        result.add_error(RowError(row, column, reason, source=source))

    text = text.removeprefix("\ufeff")
    if not text.strip():
        error(
            None,
            None,
            "the file is empty: expected a header row naming the columns "
            f"({', '.join(COLUMNS)}) and then one row per rating",
        )
        return result
    read = _read_rows(text, context, error)
    if read is None:
        return result
    rows, rows_with_data = read
    if not rows_with_data:
        error(None, None, "the file has a header row but no ratings in it")
        return result
    first_rows: dict[tuple[str, str, str, str], int] = {}
    for row in rows:
        if row.row in result.bad_rows:
            continue
        identity = (*row.request_key, row.competency_key)
        if identity in first_rows:
            error(
                row.row,
                None,
                f"duplicate rating: row {first_rows[identity]} already has {row.rater_email}'s "
                f"{row.kind} rating of {row.subject_email} on {row.competency_key}",
            )
            continue
        first_rows[identity] = row.row
        result.records.append(row)
    result.errors.sort(key=lambda e: e.row or 0)
    return result


def _read_text(file: RatingsFile) -> str:
    try:
        text = read_upload_text(file, max_bytes=MAX_FILE_BYTES, size_hint="is this the right file?")
    except UnreadableFile as problem:
        raise _Unreadable(str(problem)) from None
    return text


def _read_rows(
    text: str, context: RatingsContext, error: ErrorSink
) -> tuple[list[RatingRow], int] | None:
    """The valid rows and how many rows had data; None when the header or quoting is unusable."""
    reader = CsvRows(text, delimiter=RATING_COLUMNS.guess_delimiter(first_line(text)), error=error)
    rows: list[RatingRow] = []
    rows_with_data = 0
    columns = reader.header(RATING_COLUMNS)
    if columns is None:
        return None
    for number, cells in reader:
        values = {column: cells[i] if i < len(cells) else "" for column, i in columns.items()}
        if any(value.strip() for value in values.values()):
            rows_with_data += 1
            row = _parse_row(number, values, context, error)
            if row is not None:
                rows.append(row)
    if reader.broken:
        # Once the quoting is off every later row may be misread, so nothing is trusted.
        return None
    rows_with_data += len(reader.overlong_rows)
    return rows, rows_with_data


def _parse_row(
    row: int, values: Mapping[str, str], context: RatingsContext, error: ErrorSink
) -> RatingRow | None:
    """One row, or None when any of its cells is wrong (each wrong cell is reported)."""
    problems: list[tuple[str, str]] = []

    def problem(column: str, reason: str) -> None:
        problems.append((column, reason))

    subject = _person_email(values["subject_email"], "subject", context, problem, "subject_email")
    rater = _person_email(values["rater_email"], "rater", context, problem, "rater_email")
    kind = _kind(values["rater_kind"], problem)
    key = _competency_key(values["competency_key"], context, problem)
    score, not_observed = _score(values["score"], context, problem)
    evidence = values.get("evidence", "").strip()
    if "\x00" in evidence:
        problem("evidence", "contains a NUL character, which cannot be stored")
    elif len(evidence) > EVIDENCE_MAX_CHARS:
        problem(
            "evidence",
            f"is {len(evidence):,} characters long; at most {EVIDENCE_MAX_CHARS:,} fit",
        )
    if subject and rater and kind:
        if kind == RaterKind.SELF and rater != subject:
            problem(
                "rater_email",
                f"a self rating comes from the subject: the rater should be {subject}, "
                f"not {rater} (or change the rater kind)",
            )
        elif kind != RaterKind.SELF and rater == subject:
            problem(
                "rater_email",
                f"a {kind} rating cannot come from the subject themselves; use rater kind self",
            )
    for column, reason in problems:
        error(row, column, reason)
    if problems:
        return None
    return RatingRow(
        row=row,
        subject_email=subject,
        rater_email=rater,
        kind=kind,
        competency_key=key,
        score=score,
        not_observed=not_observed,
        evidence=evidence,
    )


Problem = Callable[[str, str], None]


def _person_email(
    text: str, who: str, context: RatingsContext, problem: Problem, column: str
) -> str:
    value = text.strip()
    if not value:
        problem(column, f"the {who}'s email is required")
        return ""
    email = value.lower()
    try:
        validate_email(email)
    except ValidationError:
        problem(column, f"'{shown(value)}' is not a valid email address")
        return ""
    if email not in context.emails:
        problem(
            column,
            f"no one in productops has the email {email}; import them with import-people first",
        )
        return ""
    return email


_KIND_SEPARATORS = re.compile(r"[\s\-_]+")


def _kind(text: str, problem: Problem) -> str:
    spelled = _KIND_SEPARATORS.sub(" ", text.strip().lower())
    lookup = {value: value for value in RaterKind.values}
    lookup.update((str(label).lower(), value) for value, label in RaterKind.choices)
    lookup.update((short, str(kind.value)) for short, kind in KIND_SHORT_FORMS.items())
    kind = lookup.get(spelled)
    if kind is None:
        said = (
            f"unknown rater kind '{shown(text.strip())}'"
            if text.strip()
            else "the rater kind is required"
        )
        problem("rater_kind", f"{said}; use self, manager or peer")
        return ""
    return kind


def _competency_key(text: str, context: RatingsContext, problem: Problem) -> str:
    key = text.strip().lower()
    if not key:
        problem("competency_key", "the competency key is required")
        return ""
    if key not in context.competency_keys:
        known = ", ".join(context.competency_keys[:15])
        if len(context.competency_keys) > 15:
            known += ", …"
        problem(
            "competency_key",
            f"'{shown(text.strip())}' is not a competency of {context.version_label} (its keys: {known})",
        )
        return ""
    return key


def _score(text: str, context: RatingsContext, problem: Problem) -> tuple[int | None, bool]:
    """(score, not observed): an empty or n/a cell means the rater did not observe it."""
    value = text.strip()
    if value.lower() in NOT_OBSERVED_TEXTS:
        return None, True
    steps = context.steps
    scale = f"{min(steps)}–{max(steps)}" if steps else "none"
    matched = SCORE_PATTERN.fullmatch(value)
    if matched is None:
        problem(
            "score",
            f"'{shown(value)}' is not a score: use a whole step of the scale ({scale}), or n/a for "
            "not observed",
        )
        return None, False
    score = int(matched.group(1))
    if score not in steps:
        problem("score", f"{score} is outside the scale of {context.version_label} ({scale})")
        return None, False
    return score, False
