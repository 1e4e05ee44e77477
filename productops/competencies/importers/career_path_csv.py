"""Reading a career-path CSV: the framework an HR tool already holds, as a model plus ladder.

The common export shape has one row per expected behaviour, with the columns `path`,
`job title`, `key behavior`, `competency` and `skill`: "on this path, at this job title,
for this skill (part of this competency), this behaviour is expected". Each path becomes
one competency model and one ladder:

- the `competency` column gives the model's areas, the `skill` column its competencies
  (a file without skills uses each competency as its own single skill);
- the job titles, in the order they first appear in the file, become both the rating
  scale (step 1 is the first title) and the ladder's levels;
- a skill's descriptor at a step is the behaviour the file gives for that title (several
  rows for the same title are joined); where a title has none, the descriptor says the
  behaviour of an earlier title still applies, or that nothing is expected yet;
- a level expects, for each skill, the step of the latest title at or below it that
  describes the skill; a skill not described yet at a level has no expectation there.

Parsing writes nothing and reads nothing from the database; it returns row-numbered
errors or, when there are none, a model document and a ladder document per path.
`productops.competencies.actions.import_career_path_file` writes them in one transaction.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.text import slugify

from productops.competencies.model_format import (
    KEY_MAX,
    MAX_STEPS,
    MIN_STEPS,
    NAME_MAX,
    TEXT_MAX,
    check_model_document,
)
from productops.imports import (
    CsvColumns,
    ErrorSink,
    ParseResult,
    RowError,
    UnreadableFile,
    read_upload_text,
)
from productops.imports.csv_rows import CsvRows
from productops.org.models import Discipline

HEADER_ROW = 1
FIRST_DATA_ROW = 2
COLUMNS = ("path", "job_title", "key_behavior", "competency", "skill")
REQUIRED_COLUMNS = ("job_title", "key_behavior", "competency")
MAX_FILE_BYTES = 5 * 2**20

# Other names HR tools give the same columns.
COLUMN_ALIASES = {
    "career_path": "path",
    "track": "path",
    "career_track": "path",
    "job": "job_title",
    "title": "job_title",
    "role": "job_title",
    "key_behaviour": "key_behavior",
    "key_behaviors": "key_behavior",
    "key_behaviours": "key_behavior",
    "behavior": "key_behavior",
    "behaviour": "key_behavior",
    "competency_name": "competency",
    "skill_name": "skill",
}

# Words in a path's name that tell its discipline, most specific first: "Product Design"
# is design, "Product Marketing" is marketing.
DISCIPLINE_WORDS = (
    ("design", Discipline.DESIGN),
    ("ux", Discipline.DESIGN),
    ("research", Discipline.RESEARCH),
    ("marketing", Discipline.MARKETING),
    ("sales", Discipline.SALES),
    ("support", Discipline.SUPPORT),
    ("success", Discipline.SUPPORT),
    ("data", Discipline.DATA),
    ("analytic", Discipline.DATA),
    ("engineer", Discipline.ENGINEERING),
    ("developer", Discipline.ENGINEERING),
    ("software", Discipline.ENGINEERING),
    ("product", Discipline.PRODUCT),
)


def _missing(names: list[str]) -> str:
    shown = ", ".join(name.replace("_", " ") for name in names)
    return (
        f"missing column(s) {shown}; the file needs path, job title, key behavior, "
        "competency and skill (path and skill may be left out)"
    )


CAREER_PATH_COLUMNS = CsvColumns(
    COLUMNS,
    REQUIRED_COLUMNS,
    COLUMN_ALIASES,
    header_row=HEADER_ROW,
    missing_message=_missing,
    first_of_repeated=True,
)

CareerPathFile = str | os.PathLike | IO[bytes] | IO[str]


@dataclass
class CareerPath:
    """One path of the file, ready to import: a model document and a ladder document."""

    name: str
    first_row: int
    model: dict[str, Any]
    ladder: dict[str, Any]


@dataclass
class _Skill:
    name: str
    competency: str
    row: int
    # title index -> behaviours, in file order
    behaviours: dict[int, list[str]] = field(default_factory=dict)


@dataclass
class _Path:
    name: str
    first_row: int
    titles: list[str] = field(default_factory=list)
    title_index: dict[str, int] = field(default_factory=dict)
    competencies: list[str] = field(default_factory=list)
    skills: dict[str, _Skill] = field(default_factory=dict)  # by lowercased skill name


class _Unreadable(Exception):
    pass


def parse_career_path_file(
    file: CareerPathFile,
    *,
    model_name: str | None = None,
    discipline: str | None = None,
    source: str = "",
) -> ParseResult[CareerPath]:
    """Read a career-path CSV from a path or an open file such as an upload."""
    if not source and isinstance(file, str | os.PathLike):
        source = Path(file).name
    try:
        text = _read_text(file)
    except _Unreadable as problem:
        result: ParseResult[CareerPath] = ParseResult()
        result.add_error(RowError(None, None, str(problem), source=source))
        return result
    return parse_career_path_text(text, model_name=model_name, discipline=discipline, source=source)


def parse_career_path_text(
    text: str,
    *,
    model_name: str | None = None,
    discipline: str | None = None,
    source: str = "",
) -> ParseResult[CareerPath]:
    result: ParseResult[CareerPath] = ParseResult()

    def error(row: int | None, column: str | None, reason: str) -> None:
        result.add_error(RowError(row, column, reason, source=source))

    if discipline and discipline not in Discipline.values:
        error(None, None, f'"{discipline}" is not a discipline: use one of {_disciplines()}')
    if model_name is not None and not model_name.strip():
        error(None, None, "the model name is empty")
    if not text.strip():
        error(None, None, "the file is empty")
        return result
    default_path = (model_name or "").strip() or _stem(source) or "Career path"
    paths = _read_paths(text, default_path, error)
    if paths is None or result.errors:
        return result
    if not paths:
        error(None, None, "the file has a header but no rows")
        return result
    if model_name and len(paths) > 1:
        names = ", ".join(f'"{path.name}"' for path in paths)
        error(None, "path", f"--model-name needs a file with one path; this one has {names}")
        return result
    for path in paths:
        _check_titles(path, error)
    if result.errors:
        return result
    for path in paths:
        name = model_name.strip() if model_name else path.name
        chosen = discipline or guess_discipline(path.name)
        model = _model_document(path, name, chosen)
        checked, problems = check_model_document(model)
        for problem in problems:  # the row checks should make this impossible
            error(path.first_row, problem.path, problem.reason)
        if checked is not None:
            result.records.append(
                CareerPath(
                    name=path.name,
                    first_row=path.first_row,
                    model=checked,
                    ladder=_ladder_document(path, checked),
                )
            )
    return result


def guess_discipline(path_name: str) -> str:
    lowered = path_name.lower()
    for word, discipline in DISCIPLINE_WORDS:
        if word in lowered:
            return discipline
    return Discipline.PRODUCT


def _disciplines() -> str:
    return ", ".join(Discipline.values)


def _stem(source: str) -> str:
    return Path(source).stem.replace("_", " ").replace("-", " ").strip() if source else ""


# --- Reading rows ------------------------------------------------------------------------


def _read_text(file: CareerPathFile) -> str:
    try:
        text = read_upload_text(
            file,
            max_bytes=MAX_FILE_BYTES,
            size_hint="a career framework takes a few hundred kilobytes. Is this the right file?",
        )
    except UnreadableFile as problem:
        raise _Unreadable(str(problem)) from None
    return text.removeprefix("\ufeff")


def _read_paths(text: str, default_path: str, error: ErrorSink) -> list[_Path] | None:
    """Every row, grouped by path; None when the header or the quoting is unusable."""
    rows = CsvRows(
        text, delimiter=CAREER_PATH_COLUMNS.guess_delimiter(text.splitlines()[0]), error=error
    )
    columns = rows.header(CAREER_PATH_COLUMNS)
    if columns is None:
        return None
    paths: dict[str, _Path] = {}
    for row, cells in rows:
        values = {name: cells[i].strip() if i < len(cells) else "" for name, i in columns.items()}
        if any(values.values()):
            _read_row(row, values, default_path, paths, error)
    if rows.broken:
        return None
    return list(paths.values())


def _read_row(
    row: int, values: dict[str, str], default_path: str, paths: dict[str, _Path], error: ErrorSink
) -> None:
    ok = True

    def cell(column: str, limit: int, *, required: bool = True) -> str:
        nonlocal ok
        value = values.get(column, "")
        label = column.replace("_", " ")
        if required and not value:
            error(row, label, "is empty")
            ok = False
        elif len(value) > limit:
            error(row, label, f"is {len(value)} characters long; at most {limit} fit")
            ok = False
        return value

    path_name = cell("path", NAME_MAX, required=False) or default_path
    title = cell("job_title", NAME_MAX)
    behaviour = cell("key_behavior", TEXT_MAX)
    competency = cell("competency", NAME_MAX)
    skill_name = cell("skill", NAME_MAX, required=False) or competency
    if not ok:
        return
    path = paths.setdefault(path_name.lower(), _Path(name=path_name, first_row=row))
    index = path.title_index.setdefault(title.lower(), len(path.titles))
    if index == len(path.titles):
        path.titles.append(title)
    skill = path.skills.get(skill_name.lower())
    if skill is None:
        skill = path.skills[skill_name.lower()] = _Skill(skill_name, competency, row)
        if competency.lower() not in (name.lower() for name in path.competencies):
            path.competencies.append(competency)
    elif skill.competency.lower() != competency.lower():
        error(
            row,
            "competency",
            f'the skill "{skill_name}" is under the competency "{skill.competency}" on row '
            f"{skill.row}; a skill belongs to one competency",
        )
        return
    skill.behaviours.setdefault(index, []).append(behaviour)


def _check_titles(path: _Path, error: ErrorSink) -> None:
    count = len(path.titles)
    if count < MIN_STEPS:
        error(
            path.first_row,
            "job title",
            f'the path "{path.name}" has {count} job title; a ladder needs at least {MIN_STEPS}',
        )
    elif count > MAX_STEPS:
        error(
            path.first_row,
            "job title",
            f'the path "{path.name}" has {count} job titles; at most {MAX_STEPS} fit one ladder',
        )


# --- Building the documents ----------------------------------------------------------------


class _Keys:
    """Unique slug keys for names, with a numbered fallback for names that give none."""

    def __init__(self, fallback: str) -> None:
        self.fallback = fallback
        self.used: set[str] = set()

    def __call__(self, name: str) -> str:
        base = slugify(name)[: KEY_MAX - 4].strip("-") or f"{self.fallback}-{len(self.used) + 1}"
        key, number = base, 2
        while key in self.used:
            key, number = f"{base}-{number}", number + 1
        self.used.add(key)
        return key


def _model_document(path: _Path, name: str, discipline: str) -> dict[str, Any]:
    area_key = _Keys("competency")
    skill_key = _Keys("skill")
    areas = []
    for competency in path.competencies:
        skills = [
            skill
            for skill in path.skills.values()
            if skill.competency.lower() == competency.lower()
        ]
        areas.append(
            {
                "key": area_key(competency),
                "name": competency,
                "competencies": [
                    {
                        "key": skill_key(skill.name),
                        "name": skill.name,
                        "levels": _descriptors(skill, path.titles),
                    }
                    for skill in skills
                ],
            }
        )
    return {
        "name": name,
        "discipline": discipline,
        "description": (
            f'The "{path.name}" career path from an HR tool: {len(path.titles)} job titles '
            f"and {len(path.skills)} skills, imported from a CSV file."
        ),
        "scale": [
            {
                "step": step,
                "label": title,
                "meaning": f"Shows the key behaviours the framework expects of a {title}.",
            }
            for step, title in enumerate(path.titles, start=1)
        ],
        "areas": areas,
    }


def _descriptors(skill: _Skill, titles: list[str]) -> list[str]:
    descriptors = []
    latest: int | None = None
    first = min(skill.behaviours)
    for index, title in enumerate(titles):
        if index in skill.behaviours:
            latest = index
            descriptors.append("\n".join(skill.behaviours[index]))
        elif latest is None:
            descriptors.append(f"Not expected before {titles[first]}.")
        else:
            descriptors.append(f"No new behaviour for {title}; as for {titles[latest]}.")
    return descriptors


def _ladder_document(path: _Path, model: dict[str, Any]) -> dict[str, Any]:
    level_key = _Keys("level")
    skill_keys = {
        competency["name"].lower(): competency["key"]
        for area in model["areas"]
        for competency in area["competencies"]
    }
    levels = []
    for index, title in enumerate(path.titles):
        expectations = {}
        for skill in path.skills.values():
            described = [step for step in skill.behaviours if step <= index]
            if described:
                expectations[skill_keys[skill.name.lower()]] = max(described) + 1
        levels.append(
            {"key": level_key(title), "name": title, "aliases": [], "expectations": expectations}
        )
    return {
        "name": f"{model['name']} ladder",
        "discipline": model["discipline"],
        "model": model["slug"],
        "levels": levels,
    }
