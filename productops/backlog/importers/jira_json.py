"""Jira Cloud / Server JSON exports, as the REST API returns them, read one file at a time.

What this reads (files, or folders of `*.json` files, in name order):

- pages of `POST /rest/api/3/search/jql` (`issues`, `nextPageToken`, `isLast`) and of the
  older `/rest/api/2|3/search` (`startAt`, `maxResults`, `total`, `issues`), with or
  without `expand=changelog,names`;
- a single issue (`GET /rest/api/3/issue/{key}`), or a plain JSON list of issues;
- pages of `GET /rest/api/3/issue/{key}/changelog` (`values` of histories) in their own
  files. Such a file must have `changelog` in its name; the issue key is taken from a
  `key` or `issueKey` field of the page when present, otherwise from the file name
  (`PROJ-12-changelog-2.json`, `changelog_PROJ-12.json`). These files are read first,
  so their changes join the issue when it comes by;
- `GET /rest/api/3/issue/{key}/remotelink` output (a list of `{object: {url, title}}`)
  in files with `remotelink` in their name, matched to the issue the same way; an
  issue's own `remoteLinks` field is read too;
- files whose name starts with `field` (`fields.json`) are the `/rest/api/3/field` list
  and are read first, as if given with `fields`.

Custom-field ids differ per Jira instance: Sprint, Story Points (or Story point estimate)
and Epic Link are found by name, from the `fields` argument (the `/rest/api/3/field`
output: a list of `{id, name}`, a path to it, or a ready `{id: name}` map) or from the
page's `names` expand. Without either, a custom field whose value looks like sprints is
taken as the Sprint field. The epic falls back to `fields.parent` when the parent is an
epic.

Every problem is a RowError naming the file, the issue's position in that file (1 for
the first issue of the page), the field and the key. Changes to the `Sprint` field keep
sprint ids (Jira's `from`/`to`) so they match `ItemRecord.sprints`; other fields keep the
displayed values (`fromString`/`toString`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from productops.backlog.importers.vocabulary import (
    normalize_resolution,
    normalize_type,
    status_category_from_name,
)
from productops.backlog.records import (
    ChangeRecord,
    ItemRecord,
    LinkRecord,
    PageRecord,
    SprintRecord,
)
from productops.imports import RowError, nested_too_deep, shown

SOURCE = "jira"

STATUS_CATEGORIES = {"new": "todo", "indeterminate": "in_progress", "done": "done"}
CHANGE_FIELDS = {
    "status": "status",
    "sprint": "sprint",
    "fix version": "fix_version",
    "fixversions": "fix_version",
    "version": "fix_version",
    "priority": "priority",
    "rank": "rank",
    "labels": "labels",
    "assignee": "assignee",
    "resolution": "resolution",
    "issuetype": "type",
    "summary": "title",
    "story points": "story_points",
    "story point estimate": "story_points",
    "epic link": "epic",
    "parent": "parent",
    "component": "components",
    "components": "components",
}
SPRINT_NAMES = {"sprint"}
POINTS_NAMES = {"story points", "story point estimate"}
EPIC_NAMES = {"epic link"}
KEY_PATTERN = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9_]*-\d+")
LEGACY_SPRINT = re.compile(r"\[(.*)\]\s*$", re.S)

Record = ItemRecord | SprintRecord | PageRecord | RowError
# (source, file digest) -> the keys of a file the writer knows is unchanged, or None
UnchangedPage = Callable[[str, str], Sequence[str] | None]


@functools.cache
def _reader_fingerprint() -> bytes:
    """This reader's own code: a file read by another version of it is read again."""
    code = hashlib.blake2b(digest_size=16)
    for module in ("jira_json.py", "vocabulary.py"):
        code.update((Path(__file__).parent / module).read_bytes())
    code.update((Path(__file__).parent.parent / "records.py").read_bytes())
    return code.digest()


class BadValue(ValueError):
    """A field's value that cannot be read; carries the field's name for the error."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column


def read(
    paths: Sequence[str | Path],
    *,
    mapping: dict | None = None,
    fields: Any = None,
    unchanged_page: UnchangedPage | None = None,
) -> Iterator[Record]:
    """Yield one record per issue (and each sprint once), or a RowError, file by file.

    Each issue file read without a problem is followed by a `PageRecord` with the
    fingerprint of its bytes. When `unchanged_page` (the writer's) says a file with that
    fingerprint was imported before and nothing in it can change anything, the file is
    not parsed: a skipped `PageRecord` stands for its items.
    """
    field_names = load_field_names(fields)
    files = list(expand(paths))
    for path in [f for f in files if _is_fields_file(f)]:
        files.remove(path)
        try:
            field_names = {**load_field_names(path), **field_names}
        except (OSError, ValueError, TypeError, AttributeError):
            yield RowError(None, None, "not a Jira field list (/rest/api/3/field)", path.name)
    side_files = [f for f in files if _is_side_file(f)]
    changes_by_key: dict[str, list[ChangeRecord]] = defaultdict(list)
    remote_by_key: dict[str, list[LinkRecord]] = defaultdict(list)
    for path in side_files:
        yield from _read_side_file(path, changes_by_key, remote_by_key)
    seen_sprints: set[str] = set()
    context = hashlib.blake2b(_reader_fingerprint(), digest_size=16)
    context.update(repr(sorted(field_names.items())).encode())
    for path in files:
        if path in side_files:
            continue
        issue_file = _read_issue_file(
            path,
            field_names,
            changes_by_key,
            remote_by_key,
            fingerprint=context.copy(),
            unchanged_page=unchanged_page,
        )
        for record in issue_file:
            if isinstance(record, SprintRecord):
                if record.source_id in seen_sprints:
                    continue
                seen_sprints.add(record.source_id)
            yield record
    for key in sorted(changes_by_key):
        yield RowError(None, None, "changelog for an issue that is in none of the files", key=key)
    for key in sorted(remote_by_key):
        yield RowError(
            None, None, "remote links for an issue that is in none of the files", key=key
        )


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, folders as their `*.json` files (recursively, in name order)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json") if p.is_file())
        else:
            yield path


def load_field_names(fields: Any) -> dict[str, str]:
    """`{field id: name}` from the `/rest/api/3/field` output, a path to it, or a map."""
    if fields is None:
        return {}
    if isinstance(fields, str | Path):
        with open(fields, encoding="utf-8-sig") as handle:
            fields = json.load(handle)
    if isinstance(fields, dict):
        return {str(k): str(v) for k, v in fields.items()}
    names = {}
    for entry in fields:
        if isinstance(entry, dict) and entry.get("id") and entry.get("name"):
            names[str(entry["id"])] = str(entry["name"])
    return names


def _is_fields_file(path: Path) -> bool:
    return path.name.lower().startswith("field")


def _is_side_file(path: Path) -> bool:
    name = path.name.lower()
    return "changelog" in name or "remotelink" in name


def _load(path: Path) -> tuple[Any, RowError | None]:
    raw, error = _read_bytes(path)
    if error:
        return None, error
    return _parse(raw, path)


def _read_bytes(path: Path) -> tuple[bytes, RowError | None]:
    try:
        with open(path, "rb") as handle:
            return handle.read(), None
    except OSError as error:
        return b"", RowError(None, None, f"cannot be read ({error.strerror})", source=path.name)


def _parse(raw: bytes, path: Path) -> tuple[Any, RowError | None]:
    try:
        return json.loads(raw.decode("utf-8-sig")), None
    except json.JSONDecodeError as error:
        reason = f"broken JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        return None, RowError(None, None, reason, source=path.name)
    except UnicodeDecodeError:
        return None, RowError(None, None, "not UTF-8 text", source=path.name)
    except RecursionError:
        return None, RowError(None, None, nested_too_deep(), source=path.name)
    except ValueError as error:
        reason = f"cannot be read as JSON ({shown(error)})"
        return None, RowError(None, None, reason, source=path.name)


# --- changelog and remote-link files ---------------------------------------------------


def _read_side_file(
    path: Path,
    changes_by_key: dict[str, list[ChangeRecord]],
    remote_by_key: dict[str, list[LinkRecord]],
) -> Iterator[RowError]:
    data, error = _load(path)
    if error:
        yield error
        return
    key = ""
    if isinstance(data, dict):
        key = str(data.get("issueKey") or data.get("key") or "")
    if not key:
        match = KEY_PATTERN.search(path.stem)
        key = match.group(0) if match else ""
    if not key:
        yield RowError(
            None,
            "key",
            "cannot tell which issue this is for: put the issue key in the file name "
            "(PROJ-12-changelog.json) or an issueKey field",
            source=path.name,
        )
        return
    if isinstance(data, dict) and isinstance(data.get("values"), list):
        try:
            changes_by_key[key].extend(_changes(data["values"]))
        except BadValue as bad:
            yield RowError(None, bad.column, str(bad), source=path.name, key=key)
        except (TypeError, AttributeError, ValueError) as problem:
            reason = f"a changelog entry has an unexpected shape ({problem})"
            yield RowError(None, "changelog", reason, source=path.name, key=key)
    elif isinstance(data, list):
        for position, entry in enumerate(data, start=1):
            link = _remote_link(entry)
            if link is None:
                yield RowError(position, "remotelink", "remote link without a url", path.name, key)
            else:
                remote_by_key[key].append(link)
    else:
        yield RowError(
            None,
            None,
            "not a changelog page (no values) nor a list of remote links",
            source=path.name,
            key=key,
        )


def _remote_link(entry: Any) -> LinkRecord | None:
    if not isinstance(entry, dict):
        return None
    found = entry.get("object")
    target: dict[str, Any] = found if isinstance(found, dict) else entry
    url = str(target.get("url") or "")
    if not url:
        return None
    return LinkRecord(type="remote", url=url, title=str(target.get("title") or ""))


def _changes(histories: Iterable[Any]) -> list[ChangeRecord]:
    # The hot loop of a big import (a million entries): kept flat on purpose.
    changes: list[ChangeRecord] = []
    append = changes.append
    for history in histories:
        if not isinstance(history, dict):
            raise BadValue("changelog", "a changelog entry is not an object")
        change_id = str(history.get("id") or "")
        if not change_id:
            raise BadValue("changelog", "a changelog entry has no id")
        at = parse_date(history.get("created"), "changelog.created")
        if at is None:
            raise BadValue("changelog.created", f"changelog entry {change_id} has no date")
        author = history.get("author")
        author = (author.get("displayName") or "") if isinstance(author, dict) else ""
        # Jira writes a move between fix versions as two entries for the same field in one
        # history; the second and later get "#n" so (change id, field) stays unique.
        seen: dict[str, int] = {}
        for item in history.get("items") or ():
            name = _change_field(item.get("field") or item.get("fieldId") or "")
            repeat = seen.get(name, 0)
            seen[name] = repeat + 1
            entry_id = f"{change_id}#{repeat + 1}" if repeat else change_id
            if name == "sprint" and (item.get("from") is not None or item.get("to") is not None):
                before, after = item.get("from"), item.get("to")
            else:
                before, after = item.get("fromString"), item.get("toString")
            append(
                ChangeRecord(
                    entry_id,
                    author,
                    at,
                    name,
                    "" if before is None else str(before),
                    "" if after is None else str(after),
                )
            )
    return changes


@functools.cache
def _change_field(raw: str) -> str:
    """Jira's field name in a changelog ('Fix Version', 'Sprint') -> our change field."""
    lowered = str(raw).lower()
    return CHANGE_FIELDS.get(lowered, lowered.replace(" ", "_"))


# --- issue files -----------------------------------------------------------------------


def _read_issue_file(
    path: Path,
    field_names: dict[str, str],
    changes_by_key: dict[str, list[ChangeRecord]],
    remote_by_key: dict[str, list[LinkRecord]],
    *,
    fingerprint: Any,
    unchanged_page: UnchangedPage | None,
) -> Iterator[Record]:
    raw, error = _read_bytes(path)
    if error:
        yield error
        return
    fingerprint.update(raw)
    digest = fingerprint.hexdigest()
    if unchanged_page is not None:
        seen = unchanged_page(SOURCE, digest)
        # a changelog or remote-link file for one of its issues may be new: read it then
        if seen is not None and not any(k in changes_by_key or k in remote_by_key for k in seen):
            yield PageRecord(SOURCE, digest, tuple(seen), skipped=True)
            return
    data, error = _parse(raw, path)
    del raw
    if error:
        yield error
        return
    if isinstance(data, dict) and isinstance(data.get("issues"), list):
        issues = data["issues"]
        names = {**field_names, **_page_names(data)}
    elif isinstance(data, dict) and "fields" in data:
        issues = [data]
        names = {**field_names, **_page_names(data)}
    elif isinstance(data, list):
        issues = data
        names = field_names
    elif isinstance(data, dict) and isinstance(data.get("values"), list):
        yield RowError(
            None,
            None,
            "this is a changelog page: put 'changelog' and the issue key in its file name "
            "(PROJ-12-changelog.json) so it is read with its issue",
            source=path.name,
        )
        return
    else:
        yield RowError(
            None,
            None,
            "not a Jira export: expected a search page (issues), an issue (key, fields) "
            "or a changelog page",
            source=path.name,
        )
        return
    del data  # the page's other parts are not needed any more
    resolver = FieldResolver(names)
    keys: list[str] | None = []  # None once a problem means the file must be read again
    for position, issue in enumerate(issues, start=1):
        key = str(issue.get("key") or "") if isinstance(issue, dict) else ""
        if not key:
            keys = None
            yield RowError(position, "key", "issue has no key", source=path.name)
            continue
        if not isinstance(issue.get("fields"), dict):
            keys = None
            yield RowError(position, "fields", "issue has no fields", path.name, key)
            continue
        try:
            item, sprints = _item(issue, resolver)
        except BadValue as bad:
            keys = None
            yield RowError(position, bad.column, str(bad), path.name, key)
            changes_by_key.pop(key, None)
            remote_by_key.pop(key, None)
            continue
        except (TypeError, AttributeError, ValueError) as problem:
            keys = None
            reason = f"a field has an unexpected shape ({problem})"
            yield RowError(position, None, reason, path.name, key)
            changes_by_key.pop(key, None)
            remote_by_key.pop(key, None)
            continue
        item.origin_file = path.name
        item.origin_position = position
        item.changes.extend(changes_by_key.pop(key, ()))
        item.links.extend(remote_by_key.pop(key, ()))
        if keys is not None:
            keys.append(key)
        yield from sprints
        yield item
        del item, sprints  # let the caller's records go before the next file is read
    if keys is not None:
        yield PageRecord(SOURCE, digest, tuple(keys))


def _page_names(page: dict[str, Any]) -> dict[str, str]:
    """The `names` expand of a page (`{field id: name}`), when it is one."""
    names = page.get("names")
    if not isinstance(names, dict):
        return {}
    return {str(fid): str(name) for fid, name in names.items() if isinstance(name, str)}


class FieldResolver:
    """Which custom field holds sprints, story points and the epic link, by name."""

    def __init__(self, names: dict[str, str]) -> None:
        self.sprint = [fid for fid, name in names.items() if name.lower() in SPRINT_NAMES]
        self.points = [fid for fid, name in names.items() if name.lower() in POINTS_NAMES]
        self.epic = [fid for fid, name in names.items() if name.lower() in EPIC_NAMES]
        self.known = bool(names)

    def sprint_value(self, fields: dict[str, Any]) -> tuple[str, Any]:
        for fid in self.sprint:
            if fields.get(fid):
                return fid, fields[fid]
        if not self.sprint:
            # no names known: a custom field whose value looks like sprints is the one
            for fid, value in fields.items():
                if fid.startswith("customfield_") and _looks_like_sprints(value):
                    return fid, value
        return "", None

    def first(self, fids: list[str], fields: dict[str, Any]) -> tuple[str, Any]:
        for fid in fids:
            if fields.get(fid) not in (None, ""):
                return fid, fields[fid]
        return "", None


def _looks_like_sprints(value: Any) -> bool:
    if not isinstance(value, list) or not value:
        return False
    first = value[0]
    if isinstance(first, str):
        return "Sprint@" in first or ("[id=" in first and "state=" in first)
    return isinstance(first, dict) and "state" in first and "name" in first and "id" in first


def _item(issue: dict[str, Any], resolver: FieldResolver) -> tuple[ItemRecord, list]:
    fields = issue["fields"]
    title = fields.get("summary")
    if not title:
        raise BadValue("summary", "issue has no summary")
    original_type = _name(fields.get("issuetype"))
    status = fields.get("status") or {}
    category_key = str((status.get("statusCategory") or {}).get("key") or "").lower()
    category = STATUS_CATEGORIES.get(category_key) or status_category_from_name(_name(status))
    reporter, reporter_email, reporter_account = _person(fields.get("reporter"))
    sprint_field, sprint_value = resolver.sprint_value(fields)
    sprints = _sprints(sprint_value, sprint_field or "Sprint")
    points_field, points = resolver.first(resolver.points, fields)
    epic_field, epic = resolver.first(resolver.epic, fields)
    parent = fields.get("parent") or {}
    parent_key = str(parent.get("key") or "")
    parent_type = _name((parent.get("fields") or {}).get("issuetype")).lower()
    epic_key = _text(epic) if epic else (parent_key if parent_type == "epic" else "")
    project = fields.get("project") or {}
    changelog = issue.get("changelog") or {}
    item = ItemRecord(
        source=SOURCE,
        key=str(issue["key"]),
        title=str(title),
        type=normalize_type(original_type),
        original_type=original_type,
        description=_description(fields.get("description")),
        status=_name(status),
        status_category=category,
        resolution=normalize_resolution(_name(fields.get("resolution"))),
        created=parse_date(fields.get("created"), "created"),
        updated=parse_date(fields.get("updated"), "updated"),
        resolved=parse_date(fields.get("resolutiondate"), "resolutiondate"),
        reporter=reporter,
        reporter_email=reporter_email,
        reporter_account=reporter_account,
        assignee=_person(fields.get("assignee"))[0],
        project=str(project.get("name") or project.get("key") or ""),
        labels=[str(label) for label in fields.get("labels") or ()],
        components=[_name(c) for c in fields.get("components") or () if _name(c)],
        parent_key=parent_key,
        epic_key=epic_key,
        sprints=[sprint.source_id for sprint in sprints],
        fix_versions=[_name(v) for v in fields.get("fixVersions") or () if _name(v)],
        priority=_name(fields.get("priority")),
        story_points=_number(points, points_field),
        links=_links(fields.get("issuelinks"), fields.get("remoteLinks")),
        changes=_changes(changelog.get("histories") or ()),
    )
    return item, sprints


def _sprints(value: Any, column: str) -> list[SprintRecord]:
    if not value:
        return []
    if not isinstance(value, list):
        value = [value]
    sprints = []
    for entry in value:
        if isinstance(entry, dict):
            if entry.get("id") is None:
                raise BadValue(column, "a sprint has no id")
            sprints.append(
                SprintRecord(
                    source_id=str(entry["id"]),
                    name=str(entry.get("name") or f"Sprint {entry['id']}"),
                    state=str(entry.get("state") or "").lower(),
                    start=parse_date(entry.get("startDate"), column),
                    planned_end=parse_date(entry.get("endDate"), column),
                    completed=parse_date(entry.get("completeDate"), column),
                )
            )
        elif isinstance(entry, str):
            sprints.append(parse_legacy_sprint(entry, column))
        else:
            raise BadValue(column, f"cannot read the sprint {shown(repr(entry))}")
    return sprints


def parse_legacy_sprint(text: str, column: str = "Sprint") -> SprintRecord:
    """Read `com.atlassian.greenhopper.service.sprint.Sprint@1a2b[id=1,name=..,...]`."""
    match = LEGACY_SPRINT.search(text)
    if not match:
        raise BadValue(column, f"cannot read the sprint '{shown(text)}'")
    parts: dict[str, str] = {}
    # values may hold commas (a sprint name "Sprint 3, hardening"): split on ",word="
    for piece in re.split(r",(?=\w+=)", match.group(1)):
        name, _, value = piece.partition("=")
        parts[name.strip()] = "" if value == "<null>" else value
    if not parts.get("id"):
        raise BadValue(column, f"a sprint has no id: '{shown(text)}'")
    return SprintRecord(
        source_id=parts["id"],
        name=parts.get("name") or f"Sprint {parts['id']}",
        state=parts.get("state", "").lower(),
        start=parse_date(parts.get("startDate"), column),
        planned_end=parse_date(parts.get("endDate"), column),
        completed=parse_date(parts.get("completeDate"), column),
    )


def _links(issue_links: Any, remote_links: Any) -> list[LinkRecord]:
    links = []
    for link in issue_links or ():
        kind = _name(link.get("type")) or "relates"
        for side in ("outwardIssue", "inwardIssue"):
            other = link.get(side)
            if isinstance(other, dict) and other.get("key"):
                direction = "outward" if side == "outwardIssue" else "inward"
                label = (link.get("type") or {}).get(direction) or kind
                links.append(LinkRecord(type=str(label), key=str(other["key"])))
    for entry in remote_links or ():
        link = _remote_link(entry)
        if link is not None:
            links.append(link)
    return links


def parse_date(value: Any, column: str) -> datetime | None:
    """Jira's ISO dates (`2024-03-01T10:15:30.000+0100`, `...Z`, a bare date), aware."""
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise BadValue(column, f"cannot read the date '{shown(value)}'") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _number(value: Any, column: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise BadValue(column or "Story Points", f"not a number: '{shown(value)}'") from None


def _person(value: Any) -> tuple[str, str, str]:
    if not isinstance(value, dict):
        return (str(value), "", "") if value else ("", "", "")
    return (
        str(value.get("displayName") or value.get("name") or ""),
        str(value.get("emailAddress") or ""),
        str(value.get("accountId") or value.get("key") or ""),
    )


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("value") or "")
    return str(value) if value else ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _description(value: Any) -> str:
    """Plain text from a v2 string or a v3 Atlassian Document Format tree."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":
                parts.append(str(node.get("text") or ""))
            for child in node.get("content") or ():
                walk(child)
            if node.get("type") in ("paragraph", "heading", "listItem"):
                parts.append("\n")
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(value)
    return "".join(parts).strip()
