"""Competency model and ladder files: reading, checking and writing the documented format.

The format is described with a full example in `docs/competency-model-format.md`. YAML
and JSON files have the same structure. Checking never stops at the first problem: it
returns every problem at once, each naming the exact place in the document
(`areas[2].competencies[0].levels`) and, when the file says, its line.

Nothing here touches the database. `check_model_document` turns raw data into the
normalized document that productops stores and exports; `check_ladder_document` does the
same for a ladder, given the competency keys and steps of the model it refers to.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml
from django.utils.text import slugify

from productops.imports import RowError, nested_too_deep
from productops.org.models import Discipline

EVIDENCE_KINDS = ("artifact", "peer", "self")
MIN_STEPS = 2
MAX_STEPS = 12
MAX_STEP_VALUE = 100
KEY_MAX = 100
NAME_MAX = 200
TEXT_MAX = 4000
# A real model is tens of kilobytes; this stops a wrong file from filling the memory.
MAX_FILE_BYTES = 2 * 2**20
MAX_TEXT_CHARS = MAX_FILE_BYTES
KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FORMATS = ("yaml", "json")

MODEL_FIELDS = ("name", "slug", "version", "discipline", "description", "scale", "areas")
MODEL_REQUIRED = ("name", "discipline", "scale", "areas")
SCALE_FIELDS = ("step", "label", "meaning")
AREA_FIELDS = ("key", "name", "competencies")
COMPETENCY_FIELDS = ("key", "name", "description", "levels", "behaviours")
BEHAVIOUR_FIELDS = ("text", "evidence")
LADDER_FIELDS = ("name", "discipline", "model", "levels")
LEVEL_FIELDS = ("key", "name", "aliases", "expectations")


@dataclass(frozen=True)
class FormatError(RowError):
    """A problem in a model or ladder file: `column` holds the path, `row` the line."""

    @classmethod
    def at(cls, path: str, reason: str, line: int | None = None, source: str = "") -> FormatError:
        return cls(row=line, column=path, reason=reason, source=source)

    @property
    def path(self) -> str:
        return self.column or ""

    @property
    def line(self) -> int | None:
        return self.row

    def __str__(self) -> str:
        parts = [self.source] if self.source else []
        if self.row is not None:
            parts.append(f"line {self.row}")
        if self.column:
            parts.append(self.column)
        return ": ".join([*parts, self.reason])

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "reason": self.reason}


Document = dict[str, Any]
Lines = Mapping[str, int]


# --- Reading text --------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """File bytes as text; raises ValueError with a sentence a person can act on."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("the file is UTF-16 text; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise ValueError(
            f"the file is not UTF-8 text: line {line} has the byte 0x{data[problem.start]:02X}; "
            "save it as UTF-8"
        ) from None


def read_model_bytes(data: bytes, *, filename: str = "") -> tuple[str | None, list[FormatError]]:
    """An uploaded or opened file's bytes as text, or the reason they are not usable."""
    if len(data) > MAX_FILE_BYTES:
        reason = f"the file is larger than {MAX_TEXT_CHARS // 2**20} MB; is this the right file?"
        return None, [FormatError.at("", reason, source=filename)]
    try:
        return decode_text(data), []
    except ValueError as problem:
        return None, [FormatError.at("", str(problem), source=filename)]


def format_of(filename: str, text: str = "") -> str:
    """The format of a file, json or yaml, from its name; a name without either is sniffed."""
    lowered = filename.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    return "json" if text.lstrip().startswith("{") else "yaml"


def read_document_text(text: str, *, filename: str = "") -> tuple[Any, dict[str, int], list]:
    """Parse YAML or JSON text into plain data and the line of each path.

    Returns (data, lines, errors); on a syntax error data is None and the error names
    the line. Duplicate keys, which both parsers silently resolve to the last value, are
    errors here.
    """
    if len(text) > MAX_TEXT_CHARS:
        reason = f"the file is larger than {MAX_TEXT_CHARS // 2**20} MB; is this the right file?"
        return None, {}, [FormatError.at("", reason, source=filename)]
    if not text.strip():
        return None, {}, [FormatError.at("", "the file is empty", source=filename)]
    kind = format_of(filename, text)
    try:
        if kind == "json":
            data, lines, duplicates = _read_json(text)
        else:
            data, lines, duplicates = _read_yaml(text)
    except _Unreadable as problem:
        return None, {}, [FormatError.at("", problem.reason, problem.line, source=filename)]
    errors = [
        FormatError.at(path, f"given twice (lines {first} and {again}); keep one", again, filename)
        for path, first, again in duplicates
    ]
    return data, lines, errors


class _Unreadable(Exception):
    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def _read_yaml(text: str) -> tuple[Any, dict[str, int], list[tuple[str, int, int]]]:
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # checks the characters already
        node = loader.get_single_node()
        if node is None:
            raise _Unreadable("the file holds no document")
        lines: dict[str, int] = {}
        duplicates: list[tuple[str, int, int]] = []
        # Lines are read before constructing: construction flattens merge keys in place.
        _record_lines(node, lines, duplicates)
        data = loader.construct_document(node)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None) or getattr(problem, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise _Unreadable(f"not valid YAML: {_yaml_reason(problem)}", line) from None
    except RecursionError:
        raise _Unreadable(nested_too_deep("YAML")) from None
    except (ValueError, TypeError, OverflowError) as problem:
        # PyYAML raises these for values its resolver accepts but cannot build, such as
        # the date 2024-13-45 or an integer with thousands of digits.
        raise _Unreadable(f"not valid YAML: {problem}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines, duplicates


def _yaml_reason(problem: yaml.YAMLError) -> str:
    parts = [
        getattr(problem, "context", None),
        getattr(problem, "problem", None),
    ]
    text = ", ".join(part for part in parts if part)
    return text or str(problem).splitlines()[0]


def _read_json(text: str) -> tuple[Any, dict[str, int], list[tuple[str, int, int]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as problem:
        raise _Unreadable(
            f"not valid JSON: {problem.msg} (column {problem.colno})", problem.lineno
        ) from None
    except RecursionError:
        raise _Unreadable(nested_too_deep("JSON")) from None
    except (ValueError, TypeError, OverflowError) as problem:
        raise _Unreadable(f"not valid JSON: {problem}") from None
    # JSON is (almost always) YAML too, and the YAML composer knows where each value sits.
    try:
        _yaml_data, lines, duplicates = _read_yaml(text)
    except _Unreadable:
        return data, {}, []
    return data, lines, duplicates


def _record_lines(
    root: yaml.Node, lines: dict[str, int], duplicates: list[tuple[str, int, int]]
) -> None:
    """The 1-based line of every path in the node tree; each node is walked once."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:  # an alias: its content was walked where it was defined
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first_seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                child = join_path(path, key_node.value)
                line = key_node.start_mark.line + 1
                if key_node.value in first_seen:
                    duplicates.append((child, first_seen[key_node.value], line))
                else:
                    first_seen[key_node.value] = line
                lines.setdefault(child, line)
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, f"{path}[{index}]"))


def join_path(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


_LAST_STEP = re.compile(r"(\.[^.\[\]]*|\[\d+\])$")


def _line_of(path: str, lines: Lines) -> int | None:
    """The line of a path, or of the nearest enclosing value the file has a line for."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        shorter = _LAST_STEP.sub("", path)
        path = "" if shorter == path else shorter


# --- Checking values -----------------------------------------------------------------------


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, date):
        return "a date"
    return f"a {type(value).__name__}"


class _Checker:
    """Collects every problem of one document, each with its path and line."""

    def __init__(self, lines: Lines | None, source: str) -> None:
        self.lines = lines or {}
        self.source = source
        self.errors: list[FormatError] = []

    def error(self, path: str, reason: str) -> None:
        line = _line_of(path, self.lines)
        self.errors.append(FormatError.at(path, reason, line, self.source))

    def mapping(
        self, value: object, path: str, known: tuple[str, ...], required: tuple[str, ...]
    ) -> dict | None:
        """A mapping with only known fields and every required one; None if not a mapping."""
        if not isinstance(value, dict):
            where = path or "the document"
            self.error(
                path, f"{where} should be a mapping with {', '.join(required)}; got {_kind(value)}"
            )
            return None
        for field_name in value:
            if field_name not in known:
                self.error(join_path(path, field_name), self._unknown(field_name, known))
        for field_name in required:
            if value.get(field_name) is None:
                self.error(join_path(path, field_name), "required, but missing")
        return value

    @staticmethod
    def _unknown(field_name: object, known: tuple[str, ...]) -> str:
        close = difflib.get_close_matches(str(field_name), known, n=1, cutoff=0.7)
        if close:
            return f"unknown field; did you mean {close[0]}?"
        return f"unknown field; the fields here are {', '.join(known)}"

    def text(self, value: object, path: str, *, limit: int = TEXT_MAX, required: bool) -> str:
        """Stripped text; '' (and an error if required) when absent or wrong."""
        if value is None:
            return ""  # a missing required field was reported by `mapping`
        if not isinstance(value, str):
            hint = "; put it in quotes" if isinstance(value, int | float | date) else ""
            self.error(path, f"expected text, got {_kind(value)}{hint}")
            return ""
        text = value.replace("\r\n", "\n").strip()
        if required and not text:
            self.error(path, "is empty")
        elif len(text) > limit:
            self.error(path, f"is {len(text)} characters long; at most {limit} fit")
        return text

    def key(self, value: object, path: str) -> str:
        text = self.text(value, path, limit=KEY_MAX, required=True)
        if text and not KEY_PATTERN.fullmatch(text):
            example = slugify(text)[:KEY_MAX] or "customer-discovery"
            self.error(
                path,
                f'"{text}" is not a key: use lowercase letters, digits and single hyphens, '
                f'like "{example}"',
            )
        return text

    def whole_number(self, value: object, path: str, *, low: int, high: int) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"expected a whole number, got {_kind(value)}")
            return None
        if not low <= value <= high:
            self.error(path, f"{value} is outside {low}..{high}")
            return None
        return value

    def items(self, value: object, path: str, what: str, *, required: bool = True) -> list:
        """A list; [] (and an error when required) for an empty or missing one."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"expected a list of {what}, got {_kind(value)}")
            return []
        if not value and required:
            self.error(path, f"is empty: give at least one of {what}")
        return value

    def discipline(self, value: object, path: str) -> str:
        text = self.text(value, path, limit=NAME_MAX, required=True)
        if not text:
            return ""
        by_spelling = {}
        for choice_value, label in Discipline.choices:
            by_spelling[choice_value] = choice_value
            by_spelling[str(label).lower()] = choice_value
        found = by_spelling.get(text.lower())
        if found is None:
            self.error(
                path, f'"{text}" is not a discipline: use one of {", ".join(Discipline.values)}'
            )
            return ""
        return found


# --- Models ------------------------------------------------------------------------------


def parse_model_text(text: str, *, filename: str = "") -> tuple[Document | None, list[FormatError]]:
    """Read and check a model file's text: the normalized document, or every problem."""
    data, lines, errors = read_document_text(text, filename=filename)
    if data is None:  # unreadable, or a document that is only `null`
        return None, errors or [FormatError.at("", "the file holds no document", 1, filename)]
    document, problems = check_model_document(data, lines=lines, source=filename)
    errors = sorted(errors + problems, key=lambda error: error.row or 0)
    return (document if not errors else None), errors


def check_model_document(
    data: object, *, lines: Lines | None = None, source: str = ""
) -> tuple[Document | None, list[FormatError]]:
    """Check raw model data (from a file or an API body) and normalize it.

    The normalized document has every field in a fixed order, text stripped, the
    discipline as its stored value and the slug filled in from the name when the file
    has none. It has no `version`: productops numbers versions itself.
    """
    check = _Checker(lines, source)
    top = check.mapping(data, "", MODEL_FIELDS, MODEL_REQUIRED)
    if top is None:
        return None, check.errors
    name = check.text(top.get("name"), "name", limit=NAME_MAX, required=True)
    slug = _model_slug(check, top.get("slug"), name)
    check.whole_number(top.get("version"), "version", low=1, high=1_000_000)
    document: Document = {
        "name": name,
        "slug": slug,
        "discipline": check.discipline(top.get("discipline"), "discipline"),
        "description": check.text(top.get("description"), "description", required=False),
        "scale": _scale(check, top.get("scale")),
    }
    expected_levels = len(top["scale"]) if isinstance(top.get("scale"), list) else None
    document["areas"] = _areas(check, top.get("areas"), expected_levels)
    return (None if check.errors else document), check.errors


def _model_slug(check: _Checker, value: object, name: str) -> str:
    if value is not None:
        return check.key(value, "slug")
    slug = slug_for_name(name)
    if name and not KEY_PATTERN.fullmatch(slug):
        check.error("slug", f'the name "{name}" gives no usable slug; add a slug field')
    return slug


def slug_for_name(name: str) -> str:
    """The slug of a model whose file gives none."""
    return slugify(name)[:KEY_MAX].strip("-")


def _scale(check: _Checker, value: object) -> list[dict[str, Any]]:
    if value is None:
        return []
    entries = check.items(value, "scale", "steps", required=False)
    if isinstance(value, list) and not entries:
        check.error("scale", f"is empty: a scale needs at least {MIN_STEPS} steps")
    elif entries and len(entries) < MIN_STEPS:
        check.error("scale", f"a scale needs at least {MIN_STEPS} steps, {len(entries)} given")
    if len(entries) > MAX_STEPS:
        check.error("scale", f"a scale has at most {MAX_STEPS} steps, {len(entries)} given")
    scale = []
    previous: int | None = None
    for index, entry in enumerate(entries):
        path = f"scale[{index}]"
        fields = check.mapping(entry, path, SCALE_FIELDS, ("step", "label"))
        if fields is None:
            continue
        step = check.whole_number(fields.get("step"), f"{path}.step", low=0, high=MAX_STEP_VALUE)
        if step is not None and previous is not None and step <= previous:
            check.error(f"{path}.step", f"steps must increase: {step} comes after {previous}")
        if step is not None:
            previous = step
        scale.append(
            {
                "step": step,
                "label": check.text(
                    fields.get("label"), f"{path}.label", limit=NAME_MAX, required=True
                ),
                "meaning": check.text(fields.get("meaning"), f"{path}.meaning", required=False),
            }
        )
    return scale


def _areas(check: _Checker, value: object, expected_levels: int | None) -> list[dict[str, Any]]:
    if value is None:
        return []
    area_keys: dict[str, str] = {}
    competency_keys: dict[str, str] = {}
    areas = []
    for index, entry in enumerate(check.items(value, "areas", "areas")):
        path = f"areas[{index}]"
        fields = check.mapping(entry, path, AREA_FIELDS, AREA_FIELDS)
        if fields is None:
            continue
        key = check.key(fields.get("key"), f"{path}.key")
        _unique(check, key, f"{path}.key", area_keys, path)
        competencies = []
        entries = check.items(fields.get("competencies"), f"{path}.competencies", "competencies")
        for position, competency in enumerate(entries):
            competency_path = f"{path}.competencies[{position}]"
            checked = _competency(check, competency, competency_path, expected_levels)
            if checked is not None:
                _unique(
                    check,
                    checked["key"],
                    f"{competency_path}.key",
                    competency_keys,
                    competency_path,
                )
                competencies.append(checked)
        areas.append(
            {
                "key": key,
                "name": check.text(
                    fields.get("name"), f"{path}.name", limit=NAME_MAX, required=True
                ),
                "competencies": competencies,
            }
        )
    return areas


def _unique(check: _Checker, key: str, path: str, seen: dict[str, str], owner: str) -> None:
    if not key:
        return
    if key in seen:
        check.error(path, f'duplicate key "{key}": {seen[key]} has it too')
    else:
        seen[key] = owner


def _competency(
    check: _Checker, value: object, path: str, expected_levels: int | None
) -> dict[str, Any] | None:
    fields = check.mapping(value, path, COMPETENCY_FIELDS, ("key", "name", "levels"))
    if fields is None:
        return None
    levels_value = fields.get("levels")
    levels = [
        check.text(level, f"{path}.levels[{step}]", required=True)
        for step, level in enumerate(check.items(levels_value, f"{path}.levels", "descriptors"))
    ]
    if isinstance(levels_value, list) and expected_levels and len(levels) != expected_levels:
        check.error(
            f"{path}.levels",
            f"{expected_levels} levels expected by the scale, {len(levels)} given",
        )
    return {
        "key": check.key(fields.get("key"), f"{path}.key"),
        "name": check.text(fields.get("name"), f"{path}.name", limit=NAME_MAX, required=True),
        "description": check.text(fields.get("description"), f"{path}.description", required=False),
        "levels": levels,
        "behaviours": _behaviours(check, fields.get("behaviours"), f"{path}.behaviours"),
    }


def _behaviours(check: _Checker, value: object, path: str) -> list[dict[str, str]]:
    behaviours = []
    for index, entry in enumerate(check.items(value, path, "behaviours", required=False)):
        item_path = f"{path}[{index}]"
        fields = check.mapping(entry, item_path, BEHAVIOUR_FIELDS, BEHAVIOUR_FIELDS)
        if fields is None:
            continue
        text = check.text(fields.get("text"), f"{item_path}.text", required=True)
        evidence = check.text(fields.get("evidence"), f"{item_path}.evidence", required=True)
        if evidence and evidence.lower() not in EVIDENCE_KINDS:
            check.error(
                f"{item_path}.evidence",
                f'"{evidence}" is not a kind of evidence: use {", ".join(EVIDENCE_KINDS)}',
            )
        behaviours.append({"text": text, "evidence": evidence.lower()})
    return behaviours


def same_content(left: Document, right: Document) -> bool:
    """Whether two model documents say the same thing, whatever their version numbers."""

    def content(document: Document) -> Document:
        return {key: value for key, value in document.items() if key != "version"}

    return content(left) == content(right)


def with_version(document: Document, number: int) -> Document:
    """The document as stored and exported: the version number after the slug."""
    stored: Document = {}
    for key, value in document.items():
        if key == "version":
            continue
        stored[key] = value
        if key == "slug":
            stored["version"] = number
    return stored


# --- Ladders -----------------------------------------------------------------------------


def parse_ladder_text(text: str, *, filename: str = "") -> tuple[Any, dict[str, int], list]:
    """Read a ladder file's text; checking needs the model, so it is `check_ladder_document`."""
    return read_document_text(text, filename=filename)


def check_ladder_document(
    data: object,
    *,
    competency_keys: Iterable[str] | None,
    steps: Iterable[int] | None,
    lines: Lines | None = None,
    source: str = "",
) -> tuple[Document | None, list[FormatError]]:
    """Check a ladder against the latest version of its model (its keys and steps).

    `competency_keys` and `steps` are None when the model could not be found; the caller
    reports that, and the ladder's own shape is still checked.
    """
    check = _Checker(lines, source)
    top = check.mapping(data, "", LADDER_FIELDS, LADDER_FIELDS)
    if top is None:
        return None, check.errors
    keys = set(competency_keys) if competency_keys is not None else None
    allowed_steps = sorted(steps) if steps is not None else None
    document: Document = {
        "name": check.text(top.get("name"), "name", limit=NAME_MAX, required=True),
        "discipline": check.discipline(top.get("discipline"), "discipline"),
        "model": check.key(top.get("model"), "model"),
        "levels": [],
    }
    level_keys: dict[str, str] = {}
    spellings: dict[str, str] = {}
    for index, entry in enumerate(check.items(top.get("levels"), "levels", "levels")):
        path = f"levels[{index}]"
        fields = check.mapping(entry, path, LEVEL_FIELDS, ("key", "name"))
        if fields is None:
            continue
        key = check.key(fields.get("key"), f"{path}.key")
        _unique(check, key, f"{path}.key", level_keys, path)
        name = check.text(fields.get("name"), f"{path}.name", limit=NAME_MAX, required=True)
        aliases = _aliases(check, fields.get("aliases"), f"{path}.aliases")
        for position, spelling in enumerate([name, *aliases]):
            where = f"{path}.name" if position == 0 else f"{path}.aliases[{position - 1}]"
            owner = spellings.setdefault(level_spelling(spelling), path)
            if owner != path:
                check.error(
                    where, f'"{spelling}" also names {owner}: HR data could not tell them apart'
                )
        document["levels"].append(
            {
                "key": key,
                "name": name,
                "aliases": aliases,
                "expectations": _expectations(
                    check, fields.get("expectations"), f"{path}.expectations", keys, allowed_steps
                ),
            }
        )
    return (None if check.errors else document), check.errors


def level_spelling(text: str) -> str:
    """How level names and aliases are compared: case, spaces and dots do not count."""
    return re.sub(r"[\s._\-/]+", " ", text).strip().casefold()


def _aliases(check: _Checker, value: object, path: str) -> list[str]:
    return [
        alias
        for index, item in enumerate(check.items(value, path, "aliases", required=False))
        if (alias := check.text(item, f"{path}[{index}]", limit=NAME_MAX, required=True))
    ]


def _expectations(
    check: _Checker,
    value: object,
    path: str,
    keys: set[str] | None,
    steps: list[int] | None,
) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        check.error(path, f"expected a mapping of competency key to step, got {_kind(value)}")
        return {}
    expectations = {}
    for key, step in value.items():
        item_path = join_path(path, key)
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            check.error(item_path, f'"{key}" is not a competency key')
            continue
        if keys is not None and key not in keys:
            check.error(item_path, _not_in_model(key, keys))
            continue
        number = check.whole_number(step, item_path, low=0, high=MAX_STEP_VALUE)
        if number is None:
            continue
        if steps is not None and number not in steps:
            check.error(item_path, f"{number} is not a step of the model's scale ({_steps(steps)})")
            continue
        expectations[key] = number
    return expectations


def _not_in_model(key: str, keys: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(keys), n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f'the model has no competency "{key}"{hint}'


def _steps(steps: list[int]) -> str:
    return ", ".join(str(step) for step in steps)


# --- Writing -----------------------------------------------------------------------------


class _ExportDumper(yaml.SafeDumper):
    """Block lists indented under their key, and multi-line text as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_ExportDumper.add_representer(str, _represent_text)


def render_document(document: Document, fmt: str = "yaml") -> str:
    """A stored document as file text that `parse_model_text` reads back unchanged."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt != "yaml":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return yaml.dump(
        document, Dumper=_ExportDumper, sort_keys=False, allow_unicode=True, width=1_000_000
    )
