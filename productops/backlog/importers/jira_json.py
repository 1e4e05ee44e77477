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

A file is streamed, never loaded whole: its bytes are read in chunks for the file's
fingerprint, then its issues are decoded one at a time (`JsonStream`), so a 2 GB page
takes the memory of one issue. When a page's `names` expand comes after its issues (as
Jira writes it), it is read ahead first.

Only what makes an issue unusable is an error (a RowError naming the file, the issue's
position in that file, 1 for the first issue of the page, the field and the key), and
it skips that issue only: no key, no fields, a value that cannot be read (a date, story
points that hold no number), an entry of `issues` that is not an object. Broken JSON
ends the file there; the issues before it were yielded, and the error says so. What an
issue lacks that the analysis can live without is a RowWarning after the item: an empty
or missing summary (the key is its title), changelog entries without an author (kept)
or without an id or date (left out), a status without a category (taken from its name,
said), fields a `fields=` search left out (issuetype, status, created: no created date is
guessed), story points given as a list of several values. Changes to the `Sprint` field keep
sprint ids (Jira's `from`/`to`) so they match `ItemRecord.sprints`; other fields keep the
displayed values (`fromString`/`toString`).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from productops.backlog.importers.vocabulary import (
    normalize_resolution,
    normalize_status_category,
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
from productops.imports import RowError, RowWarning, nested_too_deep, shown

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
            changes, left_out = _changes(data["values"])
            changes_by_key[key].extend(changes)
            for reason in left_out:
                yield RowWarning(None, "changelog", reason, source=path.name, key=key)
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


def _changes(histories: Iterable[Any]) -> tuple[list[ChangeRecord], list[str]]:
    """The changes of a changelog, and a sentence for each entry left out (no id, no
    date, not an object: nothing to place it by). An unreadable date is an error."""
    # The hot loop of a big import (a million entries): kept flat on purpose.
    changes: list[ChangeRecord] = []
    left_out: list[str] = []
    append = changes.append
    for history in histories:
        if not isinstance(history, dict):
            left_out.append("a changelog entry is not an object; it was left out")
            continue
        change_id = str(history.get("id") or "")
        if not change_id:
            left_out.append("a changelog entry has no id; it was left out")
            continue
        at = parse_date(history.get("created"), "changelog.created")
        if at is None:
            left_out.append(f"changelog entry {shown(change_id, 40)} has no date; it was left out")
            continue
        author = history.get("author")
        if isinstance(author, dict):
            author = str(author.get("displayName") or author.get("name") or "")
        else:
            author = "" if author is None else str(author)
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
    return changes, left_out


@functools.cache
def _change_field(raw: str) -> str:
    """Jira's field name in a changelog ('Fix Version', 'Sprint') -> our change field."""
    lowered = str(raw).lower()
    return CHANGE_FIELDS.get(lowered, lowered.replace(" ", "_"))


# --- streaming JSON --------------------------------------------------------------------

READ_CHUNK = 1 << 20  # characters read at a time; a larger value may only be read at once
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
NAMES_MARK = b'"names"'


class BrokenJson(ValueError):
    """The text stops being JSON here; carries the place (1-based line and column)."""

    def __init__(self, reason: str, line: int, column: int) -> None:
        super().__init__(reason)
        self.line = line
        self.column = column


class JsonStream:
    """One JSON document read a value at a time, never the whole text at once.

    The top level is walked by hand (the keys of an object, the elements of an array);
    each value under it is decoded by the standard library's decoder as soon as all its
    text is in the buffer, so memory holds one issue and one chunk, whatever the size of
    the file.
    """

    def __init__(self, handle: Any, chunk: int | None = None) -> None:
        self.handle = handle
        self.chunk = chunk or READ_CHUNK
        self.buffer = ""
        self.at = 0
        self.eof = False
        self.line = 1  # the line the buffer starts on
        self.line_start = 0  # where that line starts, relative to the buffer (may be < 0)

    def _more(self) -> bool:
        if self.eof:
            return False
        # A value larger than a chunk is read in growing steps, so it is decoded a few
        # times at most instead of once per chunk.
        text = self.handle.read(max(self.chunk, len(self.buffer) - self.at))
        if not text:
            self.eof = True
            return False
        dropped = self.buffer[: self.at]
        newlines = dropped.count("\n")
        if newlines:
            self.line += newlines
            self.line_start = dropped.rfind("\n") + 1 - self.at
        else:
            self.line_start -= self.at
        self.buffer = self.buffer[self.at :] + text
        self.at = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), not consumed."""
        while True:
            self.at = _WHITESPACE.match(self.buffer, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.buffer):
                return self.buffer[self.at]
            if not self._more():
                return ""

    def take(self, expected: str) -> None:
        found = self.peek()
        if found != expected:
            said = f"'{found}'" if found else "the end of the file"
            raise self.broken(f"expected '{expected}', found {said}", self.at)
        self.at += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.at)
            except json.JSONDecodeError as error:
                near_end = error.pos >= len(self.buffer) - 16
                if (near_end or error.msg.startswith("Unterminated")) and self._more():
                    continue
                raise self.broken(error.msg, error.pos) from None
            if end == len(self.buffer) and self._more():
                continue  # a number or a word may go on in the next chunk
            self.at = end
            return value

    def elements(self) -> Iterator[Any]:
        """The values of the array that starts here, one at a time."""
        self.take("[")
        if self.peek() == "]":
            self.at += 1
            return
        while True:
            yield self.value()
            if self.peek() == ",":
                self.at += 1
                continue
            self.take("]")
            return

    def members(self) -> Iterator[str]:
        """The keys of the object that starts here; after each, read or skip its value."""
        self.take("{")
        if self.peek() == "}":
            self.at += 1
            return
        while True:
            if self.peek() != '"':
                raise self.broken("expected a key in double quotes", self.at)
            key = self.value()
            self.take(":")
            yield key
            if self.peek() == ",":
                self.at += 1
                continue
            self.take("}")
            return

    def skip(self) -> None:
        """Pass over the value that starts here without keeping it."""
        if self.peek() == "[":
            for _ in self.elements():
                pass
        else:
            self.value()

    def end(self) -> None:
        if self.peek():
            raise self.broken("more text after the end of the JSON document", self.at)

    def broken(self, reason: str, position: int) -> BrokenJson:
        before = self.buffer[:position]
        newlines = before.count("\n")
        if newlines:
            return BrokenJson(reason, self.line + newlines, position - before.rfind("\n"))
        return BrokenJson(reason, self.line, position - self.line_start + 1)


# --- issue files -----------------------------------------------------------------------

# A file with more issues than this is not remembered as a whole (its keys would be held
# in memory to the end of the import); its items are still compared one by one.
MAX_REMEMBERED_KEYS = 20_000


def _read_issue_file(
    path: Path,
    field_names: dict[str, str],
    changes_by_key: dict[str, list[ChangeRecord]],
    remote_by_key: dict[str, list[LinkRecord]],
    *,
    fingerprint: Any,
    unchanged_page: UnchangedPage | None,
) -> Iterator[Record]:
    """The issues of one file, streamed: the file is read twice, once for the fingerprint
    of its bytes (a chunk at a time) and once to decode it an issue at a time."""
    try:
        raw = open(path, "rb")  # opened once: read for the fingerprint, then decoded
    except OSError as error:
        yield RowError(None, None, f"cannot be read ({error.strerror})", source=path.name)
        return
    page = _IssuePage(path, field_names, changes_by_key, remote_by_key)
    with raw:
        try:
            page.has_names = _fingerprint(raw, fingerprint)
            digest = fingerprint.hexdigest()
            if unchanged_page is not None:
                seen = unchanged_page(SOURCE, digest)
                # a changelog or remote-link file for one of its issues may be new: read it
                if seen is not None and not any(
                    k in changes_by_key or k in remote_by_key for k in seen
                ):
                    yield PageRecord(
                        SOURCE, digest, tuple(seen), skipped=True, origin_file=path.name
                    )
                    return
            raw.seek(0)
            yield from page.read(JsonStream(_open_issue_file(raw, path)))
        except BrokenJson as broken:
            page.keys = None
            reason = f"broken JSON at line {broken.line}, column {broken.column}: {broken}"
            yield RowError(None, None, reason + page.rest_not_read(), source=path.name)
            return
        except UnicodeDecodeError:
            page.keys = None
            yield RowError(None, None, "not UTF-8 text" + page.rest_not_read(), source=path.name)
            return
        except RecursionError:
            page.keys = None
            yield RowError(None, None, nested_too_deep() + page.rest_not_read(), source=path.name)
            return
        except OSError as error:
            page.keys = None
            reason = f"cannot be read ({error.strerror})" + page.rest_not_read()
            yield RowError(None, None, reason, source=path.name)
            return
    if page.keys is not None:
        yield PageRecord(SOURCE, digest, tuple(page.keys), origin_file=path.name)


def _open_issue_file(raw: Any, path: Path) -> Any:
    """The issue file's bytes as text, to be decoded an issue at a time."""
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _fingerprint(raw: Any, fingerprint: Any) -> bool:
    """Feed the file's bytes to `fingerprint` a chunk at a time; whether the text has a
    `"names"` key anywhere (a page whose `names` expand may follow its issues)."""
    has_names = False
    tail = b""
    while chunk := raw.read(READ_CHUNK):
        fingerprint.update(chunk)
        if not has_names:
            has_names = NAMES_MARK in tail + chunk[: len(NAMES_MARK)] or NAMES_MARK in chunk
            tail = chunk[-len(NAMES_MARK) :]
    return has_names


def _names_after_issues(path: Path) -> dict[str, str]:
    """The `names` expand of a page that comes after its issues, read ahead; {} when
    there is none or the file breaks first (the main reading says where)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            stream = JsonStream(handle)
            if stream.peek() != "{":
                return {}
            for key in stream.members():
                if key == "names":
                    return _page_names({"names": stream.value()})
                stream.skip()
    except (BrokenJson, UnicodeDecodeError, RecursionError, OSError):
        return {}
    return {}


class _IssuePage:
    """What one issue file yields, with the counts a problem halfway needs."""

    def __init__(
        self,
        path: Path,
        field_names: dict[str, str],
        changes_by_key: dict[str, list[ChangeRecord]],
        remote_by_key: dict[str, list[LinkRecord]],
    ) -> None:
        self.path = path
        self.field_names = field_names
        self.changes_by_key = changes_by_key
        self.remote_by_key = remote_by_key
        self.has_names = False  # set once the bytes were read for the fingerprint
        self.keys: list[str] | None = []  # None once a problem means the file must be read again
        self.position = 0  # issues met so far

    def rest_not_read(self) -> str:
        if not self.position:
            return ""
        return (
            f"; the {self.position} issue(s) before it were read, the rest of the file could not be"
        )

    def read(self, stream: JsonStream) -> Iterator[Record]:
        first = stream.peek()
        if first == "[":
            resolver = FieldResolver(self.field_names)
            for issue in stream.elements():
                yield from self.issue(issue, resolver)
            stream.end()
            return
        if first != "{":
            stream.value()  # a scalar, or broken text: broken text says where
            yield self.not_an_export()
            return
        top: dict[str, Any] = {}
        streamed = False
        for key in stream.members():
            if key == "issues" and not streamed and stream.peek() == "[":
                names = {**self.field_names, **_page_names(top)}
                if self.has_names and "names" not in top:
                    names.update(_names_after_issues(self.path))
                resolver = FieldResolver(names)
                for issue in stream.elements():
                    yield from self.issue(issue, resolver)
                streamed = True
            elif streamed:
                stream.skip()  # names, schema, warningMessages: read ahead or not needed
            else:
                top[key] = stream.value()
        stream.end()
        if streamed:
            return
        if "fields" in top:
            resolver = FieldResolver({**self.field_names, **_page_names(top)})
            yield from self.issue(top, resolver)
        elif isinstance(top.get("values"), list):
            self.keys = None
            yield RowError(
                None,
                None,
                "this is a changelog page: put 'changelog' and the issue key in its file name "
                "(PROJ-12-changelog.json) so it is read with its issue",
                source=self.path.name,
            )
        else:
            yield self.not_an_export()

    def not_an_export(self) -> RowError:
        self.keys = None
        return RowError(
            None,
            None,
            "not a Jira export: expected a search page (issues), an issue (key, fields) "
            "or a changelog page",
            source=self.path.name,
        )

    def issue(self, issue: Any, resolver: FieldResolver) -> Iterator[Record]:
        self.position += 1
        position, source = self.position, self.path.name
        if not isinstance(issue, dict):
            self.keys = None
            said = "a list" if isinstance(issue, list) else shown(json.dumps(issue), 40)
            reason = f"this entry of the issues is not an issue object but {said}; it was skipped"
            yield RowError(position, None, reason, source=source)
            return
        key = issue.get("key")
        key = str(key) if isinstance(key, str | int) and not isinstance(key, bool) else ""
        if not key:
            self.keys = None
            yield RowError(position, "key", "issue has no key", source=source)
            return
        if not isinstance(issue.get("fields"), dict):
            self.keys = None
            yield RowError(position, "fields", "issue has no fields", source, key)
            return
        try:
            item, sprints, warnings = _item(issue, resolver)
        except BadValue as bad:
            self.keys = None
            yield RowError(position, bad.column, str(bad), source, key)
            self.changes_by_key.pop(key, None)
            self.remote_by_key.pop(key, None)
            return
        except (TypeError, AttributeError, ValueError) as problem:
            self.keys = None
            reason = f"a field has an unexpected shape ({shown(problem)})"
            yield RowError(position, None, reason, source, key)
            self.changes_by_key.pop(key, None)
            self.remote_by_key.pop(key, None)
            return
        item.origin_file = source
        item.origin_position = position
        item.changes.extend(self.changes_by_key.pop(key, ()))
        item.links.extend(self.remote_by_key.pop(key, ()))
        if self.keys is not None:
            self.keys.append(key)
            if len(self.keys) > MAX_REMEMBERED_KEYS:
                self.keys = None
        yield from sprints
        yield item
        del item, sprints  # let the caller's records go while the warnings are read
        # after the item, so a reader's first record is still the first issue
        for column, reason in warnings:
            yield RowWarning(position, column, reason, source, key)


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


# Fields a search restricted with `fields=` may leave out, and what productops does then.
LEFT_OUT = {
    "issuetype": "its type is taken as 'other'",
    "status": "its status is taken as to do",
    "created": "it has no created date, so it counts in no measure that needs one",
}


def _item(
    issue: dict[str, Any], resolver: FieldResolver
) -> tuple[ItemRecord, list, list[tuple[str | None, str]]]:
    """The record of one issue, its sprints, and what it lacks as (field, sentence)."""
    fields = issue["fields"]
    key = str(issue["key"])
    warnings: list[tuple[str | None, str]] = []
    summary = fields.get("summary")
    title = _name(summary) if isinstance(summary, dict) else _text(summary)
    if not title.strip():
        said = "an empty summary" if "summary" in fields else "no summary in the export"
        warnings.append(("summary", f"the issue has {said}; its key {key} is shown as its title"))
        title = key
    left_out = [name for name in LEFT_OUT if name not in fields]
    if left_out:
        what = "; ".join(LEFT_OUT[name] for name in left_out)
        warnings.append(
            (
                ", ".join(left_out),
                f"the export left out {', '.join(left_out)} (a search restricted with "
                f"fields=?): {what}",
            )
        )
    original_type = _name(fields.get("issuetype"))
    status_value = fields.get("status")
    status = status_value if isinstance(status_value, dict) else {"name": _name(status_value)}
    status_name = _name(status)
    category_value = status.get("statusCategory")
    category_key = _name(category_value) if not isinstance(category_value, dict) else ""
    if isinstance(category_value, dict):
        category_key = str(category_value.get("key") or category_value.get("name") or "")
    category = STATUS_CATEGORIES.get(category_key.lower()) or normalize_status_category(
        category_key
    )
    if category is None:
        category = status_category_from_name(status_name)
        if status_name:
            warnings.append(
                (
                    "status",
                    f"the export does not say which category the status "
                    f"'{shown(status_name, 40)}' belongs to; taken as "
                    f"{CATEGORY_WORDS[category]} from its name",
                )
            )
    reporter, reporter_email, reporter_account = _person(fields.get("reporter"))
    sprint_field, sprint_value = resolver.sprint_value(fields)
    sprints = _sprints(sprint_value, sprint_field or "Sprint")
    # the agile API (/rest/agile/1.0/board/{id}/issue) adds the sprint and closedSprints
    agile = [*_as_list(fields.get("closedSprints")), *_as_list(fields.get("sprint"))]
    if agile:
        known = {sprint.source_id for sprint in sprints}
        for sprint in _sprints(agile, "sprint"):
            if sprint.source_id not in known:
                known.add(sprint.source_id)
                sprints.append(sprint)
    points_field, points = resolver.first(resolver.points, fields)
    epic_field, epic = resolver.first(resolver.epic, fields)
    parent = fields.get("parent") or {}
    if not isinstance(parent, dict):
        parent = {"key": _text(parent)}
    parent_key = str(parent.get("key") or "")
    parent_type = _name((parent.get("fields") or {}).get("issuetype")).lower()
    agile_epic = fields.get("epic")  # the agile API gives the epic as an object
    if epic:
        epic_key = _key_of(epic)
    elif isinstance(agile_epic, dict) and agile_epic.get("key"):
        epic_key = str(agile_epic["key"])
    else:
        epic_key = parent_key if parent_type == "epic" else ""
    project = fields.get("project") or {}
    if not isinstance(project, dict):
        project = {"name": _text(project)}
    changelog = issue.get("changelog") or {}
    histories = changelog.get("histories") if isinstance(changelog, dict) else changelog
    changes, left_out_changes = _changes(histories or ())
    if left_out_changes:
        warnings.append(("changelog", "; ".join(left_out_changes)))
    authorless = len({c.change_id.split("#")[0] for c in changes if not c.author})
    if authorless:
        warnings.append(
            (
                "changelog.author",
                f"{authorless} changelog entr{'y has' if authorless == 1 else 'ies have'} no "
                "author (a deleted or anonymous user); kept without one",
            )
        )
    story_points, points_warning = _points(points, points_field)
    if points_warning:
        warnings.append((points_field, points_warning))
    item = ItemRecord(
        source=SOURCE,
        key=key,
        title=title,
        type=normalize_type(original_type),
        original_type=original_type,
        description=_description(fields.get("description")),
        status=status_name,
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
        labels=[_name(label) for label in _as_list(fields.get("labels")) if _name(label)],
        components=[_name(c) for c in _as_list(fields.get("components")) if _name(c)],
        parent_key=parent_key,
        epic_key=epic_key,
        sprints=[sprint.source_id for sprint in sprints],
        fix_versions=[_name(v) for v in _as_list(fields.get("fixVersions")) if _name(v)],
        priority=_name(fields.get("priority")),
        story_points=story_points,
        links=_links(fields.get("issuelinks"), fields.get("remoteLinks")),
        changes=changes,
    )
    return item, sprints, warnings


CATEGORY_WORDS = {"todo": "to do", "in_progress": "in progress", "done": "done"}


def _as_list(value: Any) -> list[Any]:
    """A field Jira gives as a list, also when a restricted or odd export gives one value."""
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _key_of(value: Any) -> str:
    """An issue key from an Epic Link value: a key, or an object holding one."""
    if isinstance(value, dict):
        return str(value.get("key") or value.get("value") or "")
    if isinstance(value, list):
        return _key_of(value[0]) if value else ""
    return _text(value)


def _points(value: Any, column: str) -> tuple[float | None, str]:
    """Story points from a number, a numeric text, or an object or list holding one.

    A value that holds no number is an error (the field is named, and the estimate
    matters); an object or list with more than one number takes the first, and says so.
    """
    if isinstance(value, dict):
        inner = value.get("value", value.get("name"))
        if inner is None:
            raise BadValue(column or "Story Points", f"not a number: '{shown(value)}'")
        return _number(inner, column), ""
    if isinstance(value, list):
        numbers = [v for v in value if v not in (None, "")]
        if not numbers:
            return None, ""
        found = _points(numbers[0], column)[0]
        if len(numbers) > 1:
            return (
                found,
                f"the story points hold {len(numbers)} values; the first, {found:g}, is used",
            )
        return found, ""
    return _number(value, column), ""


def _sprints(value: Any, column: str) -> list[SprintRecord]:
    if not value:
        return []
    if not isinstance(value, list):
        value = [value]
    sprints = []
    for entry in value:
        if entry is None or entry == "":
            continue
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
        elif isinstance(entry, int) and not isinstance(entry, bool):
            sprints.append(SprintRecord(source_id=str(entry), name=f"Sprint {entry}"))
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
