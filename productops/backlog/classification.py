"""Where an item comes from, what kind of work it is and how it is framed, with reasons.

Pure functions over plain item data (`ItemFacts`), no database: `classify(facts)` returns
a `Classification` whose `.origin`, `.kind` and `.framing` are each a `Decision` — the
label and the reasons behind it. Each reason carries the label it argues for and its
weight; per dimension the weights are added by label, the highest total wins, and a tie
at the top or no evidence gives "unknown". The signals and their weights come from
`mapping.yaml` (documented there), or from the file PRODUCTOPS_BACKLOG_MAPPING names.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import yaml

DEFAULT_MAPPING = Path(__file__).with_name("mapping.yaml")
MAPPING_ENV = "PRODUCTOPS_BACKLOG_MAPPING"
UNKNOWN = "unknown"
DIMENSIONS = ("origin", "kind", "framing")
# Long descriptions rarely add cues after their first pages; reading them whole would
# make a bulk reclassification cost what the longest item costs.
TEXT_LIMIT = 4000


class MappingError(ValueError):
    """The mapping file is unreadable or names something that does not exist."""


@dataclass(frozen=True)
class ItemFacts:
    """What the rules read of an item: plain values, as the database or an importer has them."""

    title: str
    description: str = ""
    type: str = "other"
    labels: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    links: tuple[Mapping[str, Any], ...] = ()
    reporter: str = ""  # the reporter's name, as shown
    # org.Discipline of the matched person, else of a reporter assignment; "" when none
    reporter_discipline: str = ""
    # the title of the opportunity-solution-tree solution backing the item, "" when none
    discovery_solution: str = ""


class Decision(NamedTuple):
    label: str
    reasons: tuple[dict[str, Any], ...]  # {"label", "weight", "text"}, strongest first


@dataclass(frozen=True)
class Classification:
    origin: Decision
    kind: Decision
    framing: Decision

    def __getitem__(self, dimension: str) -> Decision:
        return getattr(self, dimension)


def reason(label: str, weight: float, text: str) -> dict[str, Any]:
    return {"label": label, "weight": round(float(weight), 3), "text": text}


def decide(reasons: Iterable[dict[str, Any]]) -> Decision:
    """Add the weights per label: the highest total wins; a tie or nothing is unknown."""
    reasons = sorted(reasons, key=lambda r: -r["weight"])
    totals: dict[str, float] = {}
    for r in reasons:
        if r["weight"] > 0:
            totals[r["label"]] = totals.get(r["label"], 0.0) + r["weight"]
    if not totals:
        return Decision(UNKNOWN, tuple(reasons))
    ranked = sorted(totals.values(), reverse=True)
    if len(ranked) > 1 and abs(ranked[0] - ranked[1]) < 1e-9:
        return Decision(UNKNOWN, tuple(reasons))
    best = max(totals, key=totals.__getitem__)
    return Decision(best, tuple(reasons))


# ---------------------------------------------------------------------------------------
# The mapping
# ---------------------------------------------------------------------------------------


class ItemText(NamedTuple):
    """An item's text as written (to quote) and lowercased (to search), lowered once."""

    shown: str
    lowered: str

    @classmethod
    def of(cls, text: str) -> ItemText:
        lowered = text.lower()
        # lowercasing can change a string's length (rare letters): then quote the lowercase
        return cls(text if len(lowered) == len(text) else lowered, lowered)


_QUANTIFIER = re.compile(r"[*+?]|\{\d*(?:,\d*)?\}")
_NOT_LITERAL = None  # an atom that is not one plain character


def _required_literal(pattern: str) -> str:
    """The longest run of plain characters every match of `pattern` contains, lowercased.

    Looking for it with `in` costs a fraction of running the pattern, and most items
    contain few of the cues. "" (always present) when the pattern has no such run.

    Read from the pattern's text by `_atoms`, without a regex parser's internals; where it
    cannot tell, a character counts as not plain, which only loses the shortcut.
    """
    atoms, _ = _atoms(pattern, 0)
    if atoms is None:
        return ""
    runs = "".join(_NUL if c is _NOT_LITERAL else c for c in atoms).split(_NUL)
    best = max(runs, key=len)
    return best.lower() if len(best.strip()) >= 3 else ""


_NUL = "\0"


def _atoms(pattern: str, at: int) -> tuple[list[str | None] | None, int]:
    """The atoms of the sequence starting at `at` (each one plain character, or
    `_NOT_LITERAL`), up to its end or the `)` closing it, and the index after them.

    None instead of atoms when the sequence has alternatives (`|`) with no common start.
    A plain character followed by a quantifier is not plain; a non-capturing group
    without a quantifier counts as its atoms (of alternatives, the characters they all
    start with); any other group, a class or escape (but an escaped punctuation mark) is
    not plain.
    """
    branches: list[list[str | None]] = [[]]
    atoms = branches[0]
    while at < len(pattern) and pattern[at] != ")":
        char = pattern[at]
        if char == "|":
            atoms = []
            branches.append(atoms)
            at += 1
            continue
        if char == "(":
            inline = pattern.startswith("(?:", at)
            inner, at = _atoms(pattern, at + 3) if inline else (None, _group_end(pattern, at))
            if inline:
                at += 1  # the closing ")"
            quantified = _QUANTIFIER.match(pattern, at) is not None
            if inner is None or quantified:
                atoms.append(_NOT_LITERAL)
            else:
                atoms.extend(inner)
            continue
        if char == "[":
            at = _class_end(pattern, at)
            atoms.append(_NOT_LITERAL)
            continue
        if (quantifier := _QUANTIFIER.match(pattern, at)) is not None:
            if atoms:
                atoms[-1] = _NOT_LITERAL
            at = quantifier.end()
            continue
        if char == "\\":
            escaped = pattern[at + 1 : at + 2]
            plain = bool(escaped) and not escaped.isalnum() and not escaped.isspace()
            atoms.append(escaped if plain else _NOT_LITERAL)
            at += 2
            continue
        atoms.append(_NOT_LITERAL if char in ".^${}]" else char)
        at += 1
    if len(branches) == 1:
        return branches[0], at
    common: list[str | None] = []
    while all(branches) and all(
        branch[0] is not _NOT_LITERAL and branch[0] == branches[0][0] for branch in branches
    ):
        common.append(branches[0][0])
        for branch in branches:
            del branch[0]
    return ([*common, _NOT_LITERAL] if common else None), at


def _group_end(pattern: str, at: int) -> int:
    """The index after the `)` closing the group opened at `at`."""
    depth = 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            at = _class_end(pattern, at)
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        at += 1
        if depth == 0:
            break
    return at


def _class_end(pattern: str, at: int) -> int:
    """The index after the `]` closing the character class opened at `at`."""
    at += 1
    if pattern[at : at + 1] == "^":
        at += 1
    if pattern[at : at + 1] == "]":
        at += 1
    while at < len(pattern) and pattern[at] != "]":
        at += 2 if pattern[at] == "\\" else 1
    return at + 1


@dataclass(frozen=True)
class TextCues:
    """Regular expressions searched in lowercased text, each required to start a word.

    Each cue is its own pattern: Python's `re` finds a pattern that starts with a literal
    word quickly, where one big alternation (or a leading \\b) tries every position and
    is ten times slower. The word-start check is done on the match instead.
    """

    patterns: tuple[re.Pattern[str], ...]
    labels: tuple[str, ...]
    says: tuple[str, ...]  # a fixed reason text, or "" for "text mentions '<match>'"
    # words every match contains: when they are absent, the pattern need not run
    required: tuple[str, ...] = ()

    @classmethod
    def compile(cls, cues: list[tuple[str, str, str]], where: str) -> TextCues:
        patterns = []
        for pattern, _, _ in cues:
            # the text is lowercased; a pattern written with capitals still matches
            flags = re.IGNORECASE if re.search(r"(?<!\\)[A-Z]", pattern) else 0
            try:
                patterns.append(re.compile(pattern, flags))
            except re.error as error:
                raise MappingError(
                    f"{where}: the pattern {pattern!r} is not valid: {error}"
                ) from None
        return cls(
            tuple(patterns),
            tuple(c[1] for c in cues),
            tuple(c[2] for c in cues),
            tuple(_required_literal(p.pattern) for p in patterns),
        )

    def find(self, text: ItemText | str) -> list[tuple[int, str]]:
        """Each cue found (its index and the words matched, as written), once per cue."""
        if isinstance(text, str):
            text = ItemText.of(text)
        shown, lowered = text
        if not lowered:
            return []
        found = []
        for index, (pattern, required) in enumerate(zip(self.patterns, self.required)):  # noqa: B905
            if required not in lowered:
                continue
            for match in pattern.finditer(lowered):
                at = match.start()
                if at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
                    found.append((index, shown[at : match.end()]))
                    break
        return found


@dataclass(frozen=True)
class ClassificationMapping:
    weights: Mapping[str, float]
    reporter_disciplines: Mapping[str, str]
    supporting_disciplines: frozenset[str]
    helpdesk_hosts: tuple[str, ...]
    crm_hosts: tuple[str, ...]
    origin_labels: Mapping[str, str]
    kind_labels: Mapping[str, str]
    kind_types: Mapping[str, str]
    kind_types_weak: Mapping[str, str]
    origin_text: TextCues
    kind_text: TextCues
    framing_text: TextCues
    source: str = field(default="", compare=False)
    # label or component -> framing ("pain-point" states a problem); the org's own
    # mappings (`backlog.label_vocabulary.org_mapping`) extend all three label maps
    framing_labels: Mapping[str, str] = field(default_factory=dict)


def _labels_for(dimension: str) -> set[str]:
    from productops.backlog.models import Framing, Origin, WorkKind  # choices only

    return {
        "origin": set(Origin.values),
        "kind": set(WorkKind.values),
        "framing": set(Framing.values),
    }[dimension]


def labels_for(dimension: str) -> list[str]:
    """The labels a dimension accepts, in the order the choices list them."""
    from productops.backlog.models import Framing, Origin, WorkKind

    choices = {"origin": Origin, "kind": WorkKind, "framing": Framing}
    if dimension not in choices:
        raise MappingError(f"unknown dimension {dimension!r}: use origin, kind or framing")
    return list(choices[dimension].values)


def _check_label(dimension: str, label: Any, where: str) -> str:
    if not isinstance(label, str) or label not in _labels_for(dimension):
        allowed = ", ".join(sorted(_labels_for(dimension)))
        raise MappingError(
            f"{where}: {label!r} is not a label for {dimension} (use one of {allowed})"
        )
    return label


def _label_map(raw: Any, dimension: str, where: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise MappingError(f"{where} must map names to {dimension} labels")
    return {
        str(k).strip().lower(): _check_label(dimension, v, f"{where}.{k}") for k, v in raw.items()
    }


def _text_cues(raw: Any, dimension: str, where: str) -> list[tuple[str, str, str]]:
    if not isinstance(raw, list):
        raise MappingError(f"{where} must be a list of {{pattern, label}} entries")
    cues = []
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or "pattern" not in entry or "label" not in entry:
            raise MappingError(f"{where} entry {n} needs a pattern and a label")
        label = _check_label(dimension, entry["label"], f"{where} entry {n}")
        cues.append((str(entry["pattern"]), label, str(entry.get("reason", ""))))
    return cues


def parse_mapping(raw: Mapping[str, Any], *, source: str = "") -> ClassificationMapping:
    """Build a mapping from parsed YAML: sections missing from `raw` keep the defaults."""
    if not isinstance(raw, Mapping):
        raise MappingError(f"{source or 'mapping'}: expected sections such as origin_labels")
    defaults = _default_raw()
    merged: dict[str, Any] = {**defaults, **raw}
    merged["weights"] = {**defaults["weights"], **(raw.get("weights") or {})}
    unknown = set(raw) - set(defaults)
    if unknown:
        raise MappingError(
            f"{source or 'mapping'}: unknown section(s) {', '.join(sorted(unknown))}"
        )
    try:
        weights = {k: float(v) for k, v in merged["weights"].items()}
    except (TypeError, ValueError):
        raise MappingError(f"{source or 'mapping'}: every weight must be a number") from None
    framing_cues = [(str(p), "problem", "") for p in merged["problem_text"]] + [
        (str(p), "solution", "") for p in merged["solution_text"]
    ]
    return ClassificationMapping(
        weights=weights,
        reporter_disciplines=_label_map(
            merged["reporter_disciplines"], "origin", "reporter_disciplines"
        ),
        supporting_disciplines=frozenset(str(d).lower() for d in merged["supporting_disciplines"]),
        helpdesk_hosts=tuple(str(h).lower() for h in merged["helpdesk_hosts"]),
        crm_hosts=tuple(str(h).lower() for h in merged["crm_hosts"]),
        origin_labels=_label_map(merged["origin_labels"], "origin", "origin_labels"),
        kind_labels=_label_map(merged["kind_labels"], "kind", "kind_labels"),
        kind_types=_label_map(merged["kind_types"], "kind", "kind_types"),
        kind_types_weak=_label_map(merged["kind_types_weak"], "kind", "kind_types_weak"),
        origin_text=TextCues.compile(
            _text_cues(merged["origin_text"], "origin", "origin_text"), "origin_text"
        ),
        kind_text=TextCues.compile(
            _text_cues(merged["kind_text"], "kind", "kind_text"), "kind_text"
        ),
        framing_text=TextCues.compile(framing_cues, "problem_text/solution_text"),
        source=source,
        framing_labels=_label_map(merged["framing_labels"], "framing", "framing_labels"),
    )


@lru_cache(maxsize=1)
def _default_raw() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_MAPPING.read_text(encoding="utf-8"))


def load_mapping(path: str | os.PathLike[str] | None = None) -> ClassificationMapping:
    """The mapping in `path`, else the file PRODUCTOPS_BACKLOG_MAPPING names, else the default."""
    path = path or os.environ.get(MAPPING_ENV) or None
    if path is None:
        return _default_mapping()
    return _mapping_from_file(str(path), os.path.getmtime(path) if os.path.exists(path) else 0.0)


@lru_cache(maxsize=1)
def _default_mapping() -> ClassificationMapping:
    return parse_mapping({}, source=str(DEFAULT_MAPPING))


@lru_cache(maxsize=4)
def _mapping_from_file(path: str, mtime: float) -> ClassificationMapping:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise MappingError(f"{path}: cannot read the mapping file ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise MappingError(f"{path}: not valid YAML ({error})") from None
    return parse_mapping(raw, source=path)


# ---------------------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------------------

LABEL_NAMES = {
    "customer": "customer need",
    "sales": "sales",
    "marketing": "marketing",
    "support": "customer support",
    "internal": "internal work",
    "new_value": "new value",
    "enhancement": "enhancement",
    "quality": "quality",
    "tech_debt": "technical debt",
    "ktlo": "keep-the-lights-on",
    "problem": "problem-framed",
    "solution": "solution-framed",
}


def _says(label: str) -> str:
    return LABEL_NAMES.get(label, label)


def _text_of(facts: ItemFacts) -> ItemText:
    return ItemText.of(f"{facts.title}\n{facts.description[:TEXT_LIMIT]}")


def _tag_reasons(
    facts: ItemFacts, mapping: Mapping[str, str], weight: float
) -> list[dict[str, Any]]:
    reasons = []
    for kind, names in (("label", facts.labels), ("component", facts.components)):
        for name in names:
            label = mapping.get(str(name).strip().lower())
            if label:
                reasons.append(reason(label, weight, f"{kind} '{name}' maps to {_says(label)}"))
    return reasons


def _text_reasons(cues: TextCues, text: ItemText, weight: float) -> list[dict[str, Any]]:
    reasons = []
    for index, words in cues.find(text):
        says = cues.says[index] or f"text mentions '{words}'"
        reasons.append(reason(cues.labels[index], weight, says))
    return reasons


URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'()\[\]{}|]+", re.IGNORECASE)


def _link_reasons(facts: ItemFacts, m: ClassificationMapping) -> list[dict[str, Any]]:
    """Remote links to a helpdesk or a CRM: the item's own, then URLs in its description."""
    urls = [
        (str(link.get("url") or ""), "remote link")
        for link in facts.links
        if isinstance(link, Mapping) and link.get("url")
    ]
    if "http" in facts.description.lower():
        urls += [(url, "link in the description") for url in URL_IN_TEXT.findall(facts.description)]
    reasons = []
    seen: set[tuple[str, str]] = set()
    for url, where in urls:
        host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
        for hosts, label, what in (
            (m.helpdesk_hosts, "support", "helpdesk ticket"),
            (m.crm_hosts, "sales", "CRM record"),
        ):
            domain = next((h for h in hosts if host == h or host.endswith("." + h)), None)
            if domain and (label, domain) not in seen:
                seen.add((label, domain))
                reasons.append(
                    reason(label, m.weights["remote_link"], f"{where} to a {what} ({domain})")
                )
    return reasons


def origin_of(facts: ItemFacts, m: ClassificationMapping, text: ItemText) -> Decision:
    reasons = _tag_reasons(facts, m.origin_labels, m.weights["label"])
    reasons += _link_reasons(facts, m)
    reasons += _text_reasons(m.origin_text, text, m.weights["text"])
    if facts.discovery_solution:
        reasons.append(
            reason(
                "customer",
                m.weights["discovery"],
                f"backed by discovery: solution '{facts.discovery_solution}'",
            )
        )
    discipline = (facts.reporter_discipline or "").lower()
    who = facts.reporter or "the reporter"
    if discipline in m.reporter_disciplines:
        label = m.reporter_disciplines[discipline]
        reasons.append(reason(label, m.weights["reporter"], f"reporter {who} is in {discipline}"))
    elif discipline in m.supporting_disciplines:
        customer_evidence = any(r["label"] == "customer" and r["weight"] > 0 for r in reasons)
        weight = m.weights["reporter_supporting"] if customer_evidence else 0.0
        said = f"reporter {who} is in {discipline}" + (
            ", next to other customer evidence" if customer_evidence else " (alone, a weak signal)"
        )
        reasons.append(reason("customer", weight, said))
    return decide(reasons)


def kind_of(facts: ItemFacts, m: ClassificationMapping, text: ItemText) -> Decision:
    reasons = _tag_reasons(facts, m.kind_labels, m.weights["label"])
    item_type = (facts.type or "").lower()
    if item_type in m.kind_types:
        label = m.kind_types[item_type]
        reasons.append(reason(label, m.weights["type"], f"type '{item_type}' is {_says(label)}"))
    elif item_type in m.kind_types_weak:
        label = m.kind_types_weak[item_type]
        reasons.append(
            reason(label, m.weights["type_weak"], f"type '{item_type}' suggests {_says(label)}")
        )
    reasons += _text_reasons(m.kind_text, text, m.weights["text"])
    return decide(reasons)


def framing_of(facts: ItemFacts, m: ClassificationMapping, text: ItemText) -> Decision:
    reasons = _tag_reasons(facts, m.framing_labels, m.weights["label"])
    for index, words in m.framing_text.find(text):
        label = m.framing_text.labels[index]
        what = "states a problem or outcome" if label == "problem" else "prescribes an output"
        reasons.append(reason(label, m.weights["framing"], f"text {what}: '{words}'"))
    return decide(reasons)


def classify(facts: ItemFacts, mapping: ClassificationMapping | None = None) -> Classification:
    """The rules' reading of one item on all three dimensions, with reasons."""
    m = mapping or load_mapping()
    text = _text_of(facts)
    return Classification(
        origin=origin_of(facts, m, text),
        kind=kind_of(facts, m, text),
        framing=framing_of(facts, m, text),
    )


def model_text(facts: ItemFacts) -> str:
    """The text the learned model reads: words, plus labels, components and type as tokens."""
    tags = " ".join(
        [f"label_{t}" for t in facts.labels]
        + [f"component_{c}" for c in facts.components]
        + [f"type_{facts.type}"]
    )
    return f"{facts.title}\n{facts.description[:TEXT_LIMIT]}\n{tags}"


# The Item fields `facts_from_row` reads, in order, for `values_list` queries.
FACT_FIELDS = (
    "title",
    "description",
    "type",
    "labels",
    "components",
    "links",
    "reporter",
    "reporter_person__name",
    "reporter_person__discipline",
    "reporter_discipline",  # from a reporter assignment, when no person matched
)


def facts_from_row(values: Sequence[Any]) -> ItemFacts:
    """Facts from one `values_list(*FACT_FIELDS)` row."""
    head, assigned = values[:9], (values[9] if len(values) > 9 else "")
    title, description, item_type, labels, components, links, reporter, name, discipline = head
    return ItemFacts(
        title=title or "",
        description=description or "",
        type=item_type or "other",
        labels=tuple(str(v) for v in labels or ()),
        components=tuple(str(v) for v in components or ()),
        links=tuple(link for link in links or () if isinstance(link, Mapping)),
        reporter=name or reporter or "",
        reporter_discipline=discipline or assigned or "",
    )
