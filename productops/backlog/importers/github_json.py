"""GitHub Issues as the REST API or the `gh` command line returns them, with their events.

Issue files are pages of `GET /repos/{owner}/{repo}/issues?state=all` (a JSON array),
a search result (`{"items": [...]}`), one issue (an object), the output of
`gh api --paginate repos/{owner}/{repo}/issues` (the pages' arrays written one after
the other, `[...][...]`, or one array of pages with `--slurp`) or of
`gh issue list --json number,title,...` (camelCase fields: `author`, `createdAt`,
`closedAt`, `state` "OPEN"/"CLOSED", `url`). The API lists pull requests among issues;
those (the items with a `pull_request` key) are skipped, and one warning per file
counts them. An issue's position is counted across the whole file, pages included.

Only an issue without a number is an error. An empty title (the issue is then titled by
its key) and an author GitHub no longer knows (null, or the "ghost" account of a deleted
user) are warnings: the issue is imported and the warning says what is missing.
Files whose name contains `events` or `timeline` hold issue events
(`/issues/{number}/events`, `/issues/{number}/timeline` or the repository-wide
`/issues/events`); they are read first and their changes attached to the issues.
An event names its issue by its `issue` object (repository-wide events) or, for
per-issue files, by the number in the file name: `issue-42-events.json`,
`42-timeline.json`, `acme-web-issue-42-events.json`.

See docs/tracker-formats.md for every field read and how types and resolutions are set.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeGuard

from productops.backlog.importers import files, values, vocabulary
from productops.backlog.records import ChangeRecord, ItemRecord, SprintRecord
from productops.imports import RowError, RowWarning, nested_too_deep, shown

SOURCE = "github"
SUFFIXES = (".json",)
EVENT_FILE = re.compile(r"events|timeline", re.IGNORECASE)
# the issue number in a per-issue events file name: issue-42-events.json, 42.timeline.json
NUMBER_IN_EVENT_FILE = re.compile(
    r"(?:issues?[-_.]?(\d+))|(?:(?:^|[^0-9A-Za-z])(\d+)[-_.]?(?:events|timeline))", re.IGNORECASE
)
REPO_IN_URL = re.compile(r"/repos/([^/]+/[^/]+)|github\.com/([^/]+/[^/]+)/(?:issues|pull)/")
# (REST name, gh issue list name) of the dates read
DATE_FIELDS = (
    ("created_at", "createdAt"),
    ("updated_at", "updatedAt"),
    ("closed_at", "closedAt"),
)
GHOST = "ghost"  # the account GitHub shows in place of a deleted user
# logins that name nobody: none, the deleted-user account, and gh's "app/" with no app
NO_AUTHOR = {"", GHOST, "app/"}
PAGE_SUFFIX = re.compile(r"[-_.]*(?:issues)?[-_.]*(?:page)?[-_.]*\d*$", re.IGNORECASE)
IN_PROGRESS_LABELS = {"in progress", "in-progress", "wip", "doing", "in review"}

# state_reason of a closed issue -> resolution
RESOLUTIONS = {
    "completed": vocabulary.RESOLVED_DONE,
    "not_planned": vocabulary.WONT_DO,
    "duplicate": vocabulary.DUPLICATE,
}


def read(
    paths: Sequence[Path], *, mapping: dict | None = None, fields: dict | None = None
) -> Iterator[ItemRecord | SprintRecord | RowError]:
    """Issues (pull requests skipped) from GitHub JSON files, with their events' changes.

    `mapping` may give `{"repo": "owner/name"}` for issues that carry no
    `repository_url` (hand-trimmed exports).
    """
    repo_override = ""
    if isinstance(mapping, dict) and isinstance(mapping.get("repo"), str):
        repo_override = mapping["repo"]
    found = list(files.expand_paths(paths, SUFFIXES))
    event_files = [path for path in found if EVENT_FILE.search(path.name)]
    issue_files = [path for path in found if not EVENT_FILE.search(path.name)]
    changes: dict[int, list[tuple[str, ChangeRecord]]] = defaultdict(list)
    for path in event_files:
        yield from _read_events(path, changes)
    for path in issue_files:
        yield from _read_issues(path, changes, repo_override)


# --- issues ------------------------------------------------------------------------------


def _load(path: Path) -> tuple[Any, RowError | None]:
    """The file's JSON; several documents written back to back (`gh api --paginate`) come
    back as a list of them, marked by `_Pages`."""
    try:
        with path.open("rb") as handle:
            data = handle.read()
        return _documents(data.decode(json.detect_encoding(data))), None
    except OSError as error:
        return None, RowError(None, None, f"cannot read the file: {error.strerror}", path.name)
    except UnicodeDecodeError:
        return None, RowError(None, None, "the file is not UTF-8 JSON", path.name)
    except json.JSONDecodeError as error:
        return None, RowError(
            error.lineno,
            None,
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
            path.name,
        )
    except RecursionError:
        return None, RowError(None, None, nested_too_deep(), path.name)
    except ValueError as error:
        return None, RowError(None, None, f"not valid JSON: {shown(error)}", path.name)


class _Pages(list):
    """Several JSON documents of one file, in order: `gh api --paginate` writes each page's
    array (or object) right after the previous one."""


def _documents(text: str) -> Any:
    decoder = json.JSONDecoder()
    text = text.removeprefix("\ufeff")
    documents = _Pages()
    at = _skip_space(text, 0)
    if at == len(text):
        decoder.decode(text)  # raises the usual "Expecting value" on an empty file
    while at < len(text):
        document, at = decoder.raw_decode(text, at)
        documents.append(document)
        at = _skip_space(text, at)
    return documents[0] if len(documents) == 1 else documents


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _entries(document: Any) -> list[Any] | None:
    """The issues or events a file holds: an array, a search result, one object, or pages
    of those (`gh api --paginate`, with or without `--slurp`)."""
    if isinstance(document, _Pages) or (
        isinstance(document, list) and document and all(isinstance(d, list) for d in document)
    ):
        entries: list[Any] = []
        for page in document:
            found = _entries(page)
            if found is None:
                return None
            entries.extend(found)
        return entries
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        if isinstance(document.get("items"), list):
            return document["items"]
        if "number" in document or "event" in document:
            return [document]
    return None


def _read_issues(
    path: Path, changes: dict[int, list[tuple[str, ChangeRecord]]], repo_override: str
) -> Iterator[ItemRecord | RowError]:
    source = path.name
    document, problem = _load(path)
    if problem:
        yield problem
        return
    issues = _entries(document)
    if issues is None:
        yield RowError(
            None, None, "expected a JSON array of issues as the GitHub API returns it", source
        )
        return
    fallback_repo = repo_override or PAGE_SUFFIX.sub("", path.stem) or path.stem
    pull_requests = 0
    for position, issue in enumerate(issues, start=1):
        if isinstance(issue, dict) and "pull_request" in issue:
            pull_requests += 1
            continue
        yield from _issue(issue, position, source, repo_override or None, fallback_repo, changes)
    if pull_requests:
        yield RowWarning(
            None,
            None,
            f"skipped {pull_requests} pull request(s): GitHub's API lists them among the "
            "issues, and productops analyses issues only",
            source,
        )


def _issue(
    issue: Any,
    position: int,
    source: str,
    repo_override: str | None,
    fallback_repo: str,
    changes: dict[int, list[tuple[str, ChangeRecord]]],
) -> Iterator[ItemRecord | RowError]:
    if not isinstance(issue, dict):
        yield RowError(position, None, "expected an issue object", source)
        return
    number = issue.get("number")
    if not _is_number(number):
        yield RowError(position, "number", "the issue has no number", source)
        return
    repo = repo_override or _repo_of(issue) or fallback_repo
    key = f"{repo}#{number}"
    errors: list[RowError] = []
    dates: dict[str, datetime | None] = {}
    for name, cli_name in DATE_FIELDS:
        field = name if name in issue or cli_name not in issue else cli_name
        dates[name] = _date(issue.get(field), position, field, source, key, errors)
    if errors:
        yield from errors
        return

    warnings: list[RowWarning] = []
    title = _text(issue.get("title"))
    if not title:
        title = key
        warnings.append(
            RowWarning(
                position, "title", f"the issue has no title; it is shown as {key}", source, key
            )
        )
    author_field = "user" if "user" in issue or "author" not in issue else "author"
    login = _login(issue.get(author_field))
    if login in NO_AUTHOR:
        login = ""
        warnings.append(
            RowWarning(
                position,
                author_field,
                "the issue has no author (GitHub shows a deleted account as 'ghost'); "
                "it is imported without a reporter",
                source,
                key,
            )
        )
    yield from warnings

    labels = _label_names(issue.get("labels"))
    original_type, item_type = _type(issue, labels)
    state = (_text(issue.get("state")) or "open").casefold()  # gh writes OPEN / CLOSED
    closed = state == "closed"
    if closed:
        reason = _text(issue.get("state_reason") or issue.get("stateReason")).casefold()
        category = vocabulary.DONE
        resolution = RESOLUTIONS.get(reason, vocabulary.RESOLVED_DONE)
    else:
        in_progress = any(label.casefold() in IN_PROGRESS_LABELS for label in labels)
        category = vocabulary.IN_PROGRESS if in_progress else vocabulary.TODO
        resolution = ""
    milestone = issue.get("milestone")
    milestone_title = _text(milestone.get("title")) if isinstance(milestone, dict) else ""
    yield ItemRecord(
        source=SOURCE,
        key=key,
        title=title,
        type=item_type,
        original_type=original_type,
        description=_text(issue.get("body")),
        status=state,
        status_category=category,
        resolution=resolution,
        created=dates["created_at"],
        updated=dates["updated_at"],
        resolved=dates["closed_at"] if closed else None,
        reporter=login,
        reporter_account=login,
        assignee=_assignee(issue),
        project=repo,
        labels=labels,
        fix_versions=[milestone_title] if milestone_title else [],
        changes=[
            change
            for change_repo, change in changes.pop(number, [])
            if not change_repo or change_repo == repo
        ],
        origin_file=source,
        origin_position=position,
    )


def _is_number(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _repo_of(entry: dict) -> str:
    for name in ("repository_url", "url", "html_url"):
        url = entry.get(name)
        if isinstance(url, str):
            match = REPO_IN_URL.search(url)
            if match:
                return match.group(1) or match.group(2)
    return ""


def _type(issue: dict, labels: list[str]) -> tuple[str, str]:
    """(original type, normalized type): GitHub's issue type if set, else the labels."""
    issue_type = issue.get("type")
    if isinstance(issue_type, dict) and _text(issue_type.get("name")):
        name = _text(issue_type.get("name"))
        return name, vocabulary.normalize_type(name)
    item_type, label = vocabulary.type_from_labels(labels)
    return label, item_type


def _label_names(labels: Any) -> list[str]:
    names: list[str] = []
    for label in labels if isinstance(labels, list) else []:
        name = _text(label.get("name")) if isinstance(label, dict) else _text(label)
        if name and name not in names:
            names.append(name)
    return names


def _assignee(issue: dict) -> str:
    login = _login(issue.get("assignee"))
    if login:
        return login
    assignees = issue.get("assignees")
    if isinstance(assignees, list) and assignees:
        return _login(assignees[0])
    return ""


def _login(user: Any) -> str:
    return _text(user.get("login")) if isinstance(user, dict) else ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date(
    value: Any, position: int, name: str, source: str, key: str, errors: list[RowError]
) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors.append(RowError(position, name, "expected a date as text", source, key))
        return None
    try:
        parsed = values.parse_datetime(value)
    except ValueError as problem:
        errors.append(RowError(position, name, str(problem), source, key))
        return None
    # Go's zero time (0001-01-01T00:00:00Z), which Go tools write for "no date"
    return None if parsed is not None and parsed.year == 1 else parsed


# --- events ------------------------------------------------------------------------------


def _read_events(
    path: Path, changes: dict[int, list[tuple[str, ChangeRecord]]]
) -> Iterator[RowError]:
    source = path.name
    document, problem = _load(path)
    if problem:
        yield problem
        return
    events = _entries(document)
    if events is None:
        yield RowError(None, None, "expected a JSON array of issue events", source)
        return
    file_number = _number_in_file_name(path.name)
    for position, event in enumerate(events, start=1):
        if not isinstance(event, dict):
            yield RowError(position, None, "expected an event object", source)
            continue
        issue = event.get("issue")
        number, repo = file_number, ""
        if isinstance(issue, dict) and _is_number(issue.get("number")):
            number, repo = issue["number"], _repo_of(issue)
        if number is None:
            yield RowError(
                position,
                "issue",
                "cannot tell which issue this event belongs to: it has no 'issue' and the "
                "file name has no issue number (name it issue-<number>-events.json)",
                source,
            )
            continue
        key = f"{repo}#{number}" if repo else f"#{number}"
        try:
            change = _change(event)
        except ValueError as problem:
            yield RowError(position, "created_at", str(problem), source, key)
            continue
        if change is not None:
            changes[number].append((repo, change))


def _number_in_file_name(name: str) -> int | None:
    match = NUMBER_IN_EVENT_FILE.search(name)
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def _change(event: dict) -> ChangeRecord | None:
    """The change an event records, in normalized fields; None for events we do not track."""
    kind = _text(event.get("event"))
    label = event.get("label")
    label_name = _text(label.get("name")) if isinstance(label, dict) else ""
    milestone = event.get("milestone")
    milestone_title = _text(milestone.get("title")) if isinstance(milestone, dict) else ""
    assignee = _login(event.get("assignee"))
    field_and_values = {
        "labeled": ("labels", "", label_name),
        "unlabeled": ("labels", label_name, ""),
        "milestoned": ("fix_version", "", milestone_title),
        "demilestoned": ("fix_version", milestone_title, ""),
        "closed": ("status", "open", "closed"),
        "reopened": ("status", "closed", "open"),
        "assigned": ("assignee", "", assignee),
        "unassigned": ("assignee", assignee, ""),
    }.get(kind)
    if field_and_values is None:
        return None
    at = values.parse_datetime(_text(event.get("created_at")))
    if at is None:
        raise ValueError("the event has no date")
    field, from_value, to_value = field_and_values
    author = _login(event.get("actor"))
    if author in NO_AUTHOR:
        author = ""  # a deleted account
    event_id = event.get("id")
    change_id = (
        str(event_id)
        if isinstance(event_id, int | str) and str(event_id)
        else f"{kind}:{at.isoformat()}:{author}:{from_value}{to_value}"
    )
    return ChangeRecord(
        change_id=change_id,
        author=author,
        at=at,
        field=field,
        from_value=from_value,
        to_value=to_value,
    )
