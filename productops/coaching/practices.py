"""The practice library: concrete ways to grow a competency, shipped as data.

The files in `builtin/*.yaml` map competency keys to practices; the format is in
`builtin/README.md`. Checking a file never stops at the first problem: it returns every
problem at once as `FormatError`s naming the file, the line and the path
(`practices.discovery[2].kind`), the way competency model files are checked. Keys are
checked against the built-in competency models. Practices are keyed by competency key,
so the practices of a key that several models share serve all of them.

`practice_problems` holds the rules for one practice, for the files and for practices
written in the app alike (`actions.check_save_practice`). `competency_catalog` names the
competencies of the models loaded in the database, for pages and the API; it is the only
function here that reads the database.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import OuterRef, Subquery

from productops.coaching.models import Effort, Practice, PracticeKind
from productops.competencies.model_format import (
    KEY_PATTERN,
    FormatError,
    join_path,
    parse_model_text,
    read_document_text,
)
from productops.competencies.models import Competency, ModelVersion

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
TITLE_MAX = Practice._meta.get_field("title").max_length or 200
DESCRIPTION_MAX = 1500
FILE_FIELDS = ("practices",)
PRACTICE_FIELDS = ("title", "description", "kind", "effort")


@dataclass(frozen=True)
class LibraryPractice:
    """One practice as a library file gives it."""

    competency_key: str
    title: str
    description: str
    kind: str
    effort: str
    source: str = ""
    line: int | None = None


class InvalidLibrary(ValueError):
    """A practice library file with problems; nothing was loaded."""

    def __init__(self, errors: list[FormatError]) -> None:
        shown = "; ".join(str(error) for error in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        super().__init__(f"{len(errors)} problem(s) in the practice library: {shown}{more}")
        self.errors = errors


# --- The rules for one practice ----------------------------------------------------------


def practice_problems(
    *,
    competency_key: str,
    title: str,
    description: str,
    kind: str,
    effort: str,
    known_keys: Collection[str],
) -> dict[str, str]:
    """What is wrong with one practice, by field; empty when it is fine.

    Values are expected stripped. Whether the title is already taken is a question for
    the caller, which knows the other practices.
    """
    problems: dict[str, str] = {}
    if not competency_key:
        problems["competency_key"] = "Choose the competency this practice helps to grow."
    elif competency_key not in known_keys:
        problems["competency_key"] = unknown_key(competency_key, known_keys)
    if not title:
        problems["title"] = (
            "Give the practice a title that says what to do, such as "
            "“Run one customer interview a week with your trio”."
        )
    elif len(title) > TITLE_MAX:
        problems["title"] = f"The title is {len(title)} characters long; at most {TITLE_MAX} fit."
    if len(description) > DESCRIPTION_MAX:
        problems["description"] = (
            f"The description is {len(description)} characters long; at most "
            f"{DESCRIPTION_MAX} fit. Keep it to what to do, how often and what good looks like."
        )
    if kind not in PracticeKind.values:
        problems["kind"] = (
            f"“{kind}” is not a kind of practice: use one of {_listed(PracticeKind)}."
        )
    if effort not in Effort.values:
        problems["effort"] = f"“{effort}” is not an effort: use one of {_listed(Effort)}."
    return problems


def unknown_key(key: str, known_keys: Collection[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known_keys), n=1)
    hint = f"; did you mean {close[0]}?" if close else "."
    return f"No competency model has the competency “{key}”{hint}"


def same_title(left: str, right: str) -> bool:
    """Titles that differ only in case or spacing name the same practice."""
    return title_identity(left) == title_identity(right)


def title_identity(title: str) -> str:
    return " ".join(title.split()).casefold()


def _listed(choices: Any) -> str:
    return ", ".join(choices.values)


# --- Library files -----------------------------------------------------------------------


def parse_library_text(
    text: str, *, filename: str = "", competency_keys: Collection[str] | None = None
) -> tuple[list[LibraryPractice], list[FormatError]]:
    """Read and check one library file: its practices, or every problem and no practice.

    Keys are checked against `competency_keys`, by default the built-in models' keys.
    """
    data, lines, errors = read_document_text(text, filename=filename)
    if data is None:
        return [], errors or [FormatError.at("", "the file holds no document", 1, filename)]
    keys = builtin_competency_keys() if competency_keys is None else competency_keys
    practices, problems = check_library_document(
        data, competency_keys=keys, lines=lines, source=filename
    )
    errors = sorted(errors + problems, key=lambda error: error.row or 0)
    return ([] if errors else practices), errors


def check_library_document(
    data: object,
    *,
    competency_keys: Collection[str],
    lines: dict[str, int] | None = None,
    source: str = "",
) -> tuple[list[LibraryPractice], list[FormatError]]:
    """Check the raw data of one library file; every problem names its path and line."""
    check = _Checker(lines or {}, source)
    top = check.mapping(data, "", FILE_FIELDS)
    if top is None:
        return [], check.errors
    by_key = top.get("practices")
    if by_key is None:
        return [], check.errors
    if not isinstance(by_key, dict) or not by_key:
        check.error(
            "practices", "should map competency keys to lists of practices, like discovery: [...]"
        )
        return [], check.errors
    practices: list[LibraryPractice] = []
    for key, entries in by_key.items():
        practices.extend(_practices_of(check, key, entries, competency_keys))
    return practices, check.errors


def _practices_of(
    check: _Checker, key: object, entries: object, competency_keys: Collection[str]
) -> list[LibraryPractice]:
    path = join_path("practices", key)
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        check.error(path, f"“{key}” is not a competency key: lowercase letters, digits, hyphens")
        return []
    if key not in competency_keys:
        check.error(path, unknown_key(key, competency_keys))
    if not isinstance(entries, list) or not entries:
        check.error(path, "should be a list of practices, each with title, description, kind")
        return []
    practices = []
    titles: dict[str, str] = {}
    for index, entry in enumerate(entries):
        item_path = f"{path}[{index}]"
        fields = check.mapping(entry, item_path, PRACTICE_FIELDS)
        if fields is None:
            continue
        values = {name: check.text(fields.get(name), join_path(item_path, name)) for name in fields}
        if not all(values.get(name) for name in PRACTICE_FIELDS):
            continue  # a missing or empty field was reported already
        problems = practice_problems(competency_key=key, known_keys=competency_keys, **values)
        problems.pop("competency_key", None)  # reported once for the key, above
        for name, reason in problems.items():
            check.error(join_path(item_path, name), reason)
        identity = title_identity(values["title"])
        if identity in titles:
            check.error(
                join_path(item_path, "title"),
                f"{titles[identity]} has the same title; each practice of a competency "
                "needs its own",
            )
            continue
        titles[identity] = item_path
        practices.append(
            LibraryPractice(
                competency_key=key,
                title=values["title"],
                description=values["description"],
                kind=values["kind"],
                effort=values["effort"],
                source=check.source,
                line=check.line_of(item_path),
            )
        )
    return practices


def check_library_files(
    files: Iterable[tuple[str, str]], *, competency_keys: Collection[str] | None = None
) -> tuple[list[LibraryPractice], list[FormatError]]:
    """Check several library files (name, text) as one library.

    A competency may appear in more than one file, but never with the same title twice.
    """
    practices: list[LibraryPractice] = []
    errors: list[FormatError] = []
    for filename, text in files:
        found, problems = parse_library_text(
            text, filename=filename, competency_keys=competency_keys
        )
        practices.extend(found)
        errors.extend(problems)
    first: dict[tuple[str, str], LibraryPractice] = {}
    for practice in practices:
        identity = (practice.competency_key, title_identity(practice.title))
        if identity not in first:
            first[identity] = practice
            continue
        earlier = first[identity]
        errors.append(
            FormatError.at(
                f"practices.{practice.competency_key}",
                f"“{practice.title}” is also a practice of {practice.competency_key} in "
                f"{earlier.source} (line {earlier.line}); keep one",
                practice.line,
                practice.source,
            )
        )
    return ([] if errors else practices), errors


def library_files() -> list[Path]:
    return sorted(BUILTIN_DIR.glob("*.yaml"))


@cache
def builtin_library() -> tuple[LibraryPractice, ...]:
    """Every practice that ships with productops; raises `InvalidLibrary` on any problem.

    Read once per process: the files are part of the installed package.
    """
    files = [(path.name, path.read_text("utf-8")) for path in library_files()]
    practices, errors = check_library_files(files)
    if errors:
        raise InvalidLibrary(errors)
    return tuple(practices)


# --- Competencies ------------------------------------------------------------------------


@cache
def builtin_competencies() -> dict[str, tuple[tuple[str, str], ...]]:
    """The built-in models' competencies as (key, name), by model slug, read from the files."""
    from productops.competencies.actions import BUILTIN_DIR, BUILTIN_MODEL_FILES

    models: dict[str, tuple[tuple[str, str], ...]] = {}
    for name in BUILTIN_MODEL_FILES:
        document, errors = parse_model_text((BUILTIN_DIR / name).read_text("utf-8"), filename=name)
        if document is None:
            raise InvalidLibrary(errors)
        models[document["slug"]] = tuple(
            (competency["key"], competency["name"])
            for area in document["areas"]
            for competency in area["competencies"]
        )
    return models


def builtin_competency_keys() -> frozenset[str]:
    return frozenset(key for pairs in builtin_competencies().values() for key, _name in pairs)


@dataclass(frozen=True)
class ModelRef:
    slug: str
    name: str


@dataclass(frozen=True)
class CatalogCompetency:
    """A competency key as the loaded models name it, with every model that has it."""

    key: str
    name: str
    models: tuple[ModelRef, ...]

    @property
    def model_names(self) -> str:
        return ", ".join(model.name for model in self.models)


@dataclass(frozen=True)
class CompetencyCatalog:
    """The competencies of the loaded models: each key once, and each model's own order."""

    competencies: tuple[CatalogCompetency, ...]
    keys_by_model: dict[str, tuple[str, ...]]

    @property
    def models(self) -> list[ModelRef]:
        seen: dict[str, ModelRef] = {}
        for competency in self.competencies:
            for model in competency.models:
                seen.setdefault(model.slug, model)
        return sorted(seen.values(), key=lambda model: model.name)

    @property
    def keys(self) -> set[str]:
        return {competency.key for competency in self.competencies}

    def get(self, key: str) -> CatalogCompetency | None:
        return next((item for item in self.competencies if item.key == key), None)


def competency_catalog() -> CompetencyCatalog:
    """Competencies of the latest version of every loaded model, in one query.

    Ordered by model name, then as each model orders them; a key that several models
    share appears once, named as the first model names it, listing all its models.
    """
    latest = (
        ModelVersion.objects.filter(model=OuterRef("version__model"))
        .order_by("-number")
        .values("pk")[:1]
    )
    rows = (
        Competency.objects.filter(version=Subquery(latest))
        .order_by("version__model__name", "area__position", "position")
        .values_list("key", "name", "version__model__slug", "version__model__name")
    )
    names: dict[str, str] = {}
    models: dict[str, list[ModelRef]] = {}
    keys_by_model: dict[str, list[str]] = {}
    for key, name, slug, model_name in rows:
        names.setdefault(key, name)
        models.setdefault(key, []).append(ModelRef(slug, model_name))
        keys_by_model.setdefault(slug, []).append(key)
    return CompetencyCatalog(
        competencies=tuple(CatalogCompetency(key, names[key], tuple(models[key])) for key in names),
        keys_by_model={slug: tuple(keys) for slug, keys in keys_by_model.items()},
    )


def known_competency_keys(catalog: CompetencyCatalog) -> set[str]:
    """Keys a practice may be written for: the built-in models' and the loaded models'."""
    return set(builtin_competency_keys()) | catalog.keys


# --- Checking helpers --------------------------------------------------------------------


class _Checker:
    """Collects every problem of one file, each with its path and line."""

    def __init__(self, lines: dict[str, int], source: str) -> None:
        self.lines = lines
        self.source = source
        self.errors: list[FormatError] = []

    def line_of(self, path: str) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.lines.get("")

    def error(self, path: str, reason: str) -> None:
        self.errors.append(FormatError.at(path, reason, self.line_of(path), self.source))

    def mapping(self, value: object, path: str, fields: tuple[str, ...]) -> dict | None:
        """A mapping with only these fields, all of them given; None if not a mapping."""
        if not isinstance(value, dict):
            where = path or "the file"
            self.error(path, f"{where} should be a mapping with {', '.join(fields)}")
            return None
        for name in value:
            if name not in fields:
                close = difflib.get_close_matches(str(name), fields, n=1, cutoff=0.7)
                reason = (
                    f"unknown field; did you mean {close[0]}?"
                    if close
                    else f"unknown field; the fields here are {', '.join(fields)}"
                )
                self.error(join_path(path, name), reason)
        for name in fields:
            if value.get(name) is None:
                self.error(join_path(path, name), "required, but missing")
        return {name: value[name] for name in fields if value.get(name) is not None}

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            hint = "; put it in quotes" if isinstance(value, int | float) else ""
            self.error(path, f"expected text{hint}")
            return ""
        text = " ".join(value.split())
        if not text:
            self.error(path, "is empty")
        return text
