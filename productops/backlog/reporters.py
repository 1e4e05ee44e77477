"""Who files the backlog: the reporters of the imported items, their count and share, and
whether each is a person of the org.

An import matches a reporter to a person by email, then by name (`writer.ReporterMatcher`);
the origin of an item follows its reporter's discipline. A reporter nobody matched (no
people CSV, a contractor, someone who left) leaves the origin to labels and text, often
"unknown". A `ReporterAssignment` is the org's own answer for such a reporter: a person
or only a discipline. `apply_assignments` writes it onto the reporter's items (the
person, or `Item.reporter_discipline`), and `backlog.actions.do_reclassify` applies it
before it classifies, so the items of a later import follow it too.

A reporter is known within a source by `reporter_key`: their email, else their account
id, else their name (emails and names compared without case).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from productops.backlog.models import Item, ReporterAssignment
from productops.org.models import Discipline

EMAIL, ACCOUNT, NAME = "email", "account", "name"
MATCHED, ASSIGNED, UNMATCHED, NOBODY = "matched", "assigned", "unmatched", "none"
STATUS_TEXT = {
    MATCHED: "matched to a person by the import",
    ASSIGNED: "assigned here",
    UNMATCHED: "not matched",
    NOBODY: "no reporter in the export",
}
CHUNK = 500  # ids per IN (...) list of an UPDATE
READ_CHUNK = 2000  # items read per query, as `actions.do_reclassify` reads them


def reporter_key(email: str, account: str, name: str) -> str:
    """A reporter's key within a source: 'email:…', else 'account:…', else 'name:…'."""
    if email and email.strip():
        return f"{EMAIL}:{email.strip().casefold()}"
    if account and account.strip():
        return f"{ACCOUNT}:{account.strip()}"
    if name and name.strip():
        return f"{NAME}:{' '.join(name.split()).casefold()}"
    return ""


@dataclass
class ReporterRow:
    source: str
    key: str  # "" for the items without a reporter
    name: str  # the most frequent spelling, or the email
    email: str
    items: int = 0
    share: float = 0.0
    matched_items: int = 0  # items the import matched to a person
    person_id: int | None = None
    person_name: str = ""
    discipline: str = ""  # the discipline that counts for the origin, "" when none
    assignment: ReporterAssignment | None = None
    _names: Counter[str] = field(default_factory=Counter, repr=False)

    @property
    def status(self) -> str:
        if not self.key:
            return NOBODY
        if self.assignment is not None:
            return ASSIGNED
        return MATCHED if self.matched_items else UNMATCHED

    @property
    def assignable(self) -> bool:
        return bool(self.key)

    def as_dict(self) -> dict[str, Any]:
        assignment = self.assignment
        return {
            "source": self.source,
            "key": self.key,
            "name": self.name,
            "email": self.email,
            "items": self.items,
            "share": round(self.share, 4),
            "status": self.status,
            "person_id": self.person_id,
            "person": self.person_name,
            "discipline": self.discipline,
            "assigned_person_id": assignment.person_id if assignment else None,
            "assigned_discipline": assignment.discipline if assignment else "",
        }


@dataclass
class ReporterSummary:
    """The counts anyone who sees the report may see: no names."""

    items: int = 0
    reporters: int = 0
    matched: int = 0
    assigned: int = 0
    unmatched: int = 0
    items_matched: int = 0  # items whose reporter is matched or assigned
    items_unmatched: int = 0  # items whose reporter nobody matched
    items_without_reporter: int = 0

    def share(self, count: int) -> float:
        return count / self.items if self.items else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "reporters": self.reporters,
            "reporters_matched": self.matched,
            "reporters_assigned": self.assigned,
            "reporters_unmatched": self.unmatched,
            "items_from_matched_reporters": self.items_matched,
            "items_from_unmatched_reporters": self.items_unmatched,
            "items_without_reporter": self.items_without_reporter,
            "share_unmatched": round(self.share(self.items_unmatched), 4),
        }


@dataclass
class Reporters:
    rows: list[ReporterRow]
    summary: ReporterSummary


def reporters(source: str | None = None) -> Reporters:
    """Every reporter of the imported items, most items first. Two queries."""
    items = Item.objects.order_by()
    if source:
        items = items.filter(source=source)
    grouped = items.values_list(
        "source",
        "reporter",
        "reporter_email",
        "reporter_account",
        "reporter_person_id",
        "reporter_person__name",
        "reporter_person__discipline",
        "reporter_discipline",
    ).annotate(n=Count("pk"))
    assignments = {
        (a.source, a.reporter_key): a for a in ReporterAssignment.objects.select_related("person")
    }
    rows: dict[tuple[str, str], ReporterRow] = {}
    total = 0
    for src, name, email, account, person_id, person_name, discipline, assigned, n in grouped:
        total += n
        key = reporter_key(email, account, name)
        row = rows.get((src, key))
        if row is None:
            row = rows[(src, key)] = ReporterRow(source=src, key=key, name="", email=email or "")
        row.items += n
        row._names[name or email or account] += n
        if person_id:
            row.matched_items += n
            row.person_id, row.person_name = person_id, person_name or ""
            row.discipline = discipline or row.discipline
        elif assigned:
            row.discipline = assigned
    summary = ReporterSummary(items=total)
    for (src, key), row in rows.items():
        row.name = row._names.most_common(1)[0][0] if row._names else ""
        row.share = row.items / total if total else 0.0
        row.assignment = assignments.get((src, key))
        if row.assignment is not None:
            # the items hold what the assignment says once it was applied; say it anyway
            if row.assignment.person is not None:
                row.person_id = row.assignment.person_id
                row.person_name = row.assignment.person.name
                row.discipline = row.assignment.person.discipline
            else:
                row.discipline = row.assignment.discipline
        status = row.status
        if status == NOBODY:
            summary.items_without_reporter += row.items
            continue
        summary.reporters += 1
        if status == MATCHED:
            summary.matched += 1
            summary.items_matched += row.items
        elif status == ASSIGNED:
            summary.assigned += 1
            summary.items_matched += row.items
        else:
            summary.unmatched += 1
            summary.items_unmatched += row.items
    ordered = sorted(rows.values(), key=lambda r: (not r.key, -r.items, r.name.casefold()))
    return Reporters(ordered, summary)


def discipline_label(value: str) -> str:
    return str(Discipline(value).label) if value in Discipline.values else value


# ---------------------------------------------------------------------------------------
# Assignments onto items
# ---------------------------------------------------------------------------------------


def items_of(source: str, key: str) -> QuerySet[Item]:
    """The items one reporter filed (a first filter in SQL; `item_ids_of` checks the key)."""
    kind, _, value = key.partition(":")
    items = Item.objects.filter(source=source)
    if kind == EMAIL:
        return items.filter(reporter_email__iexact=value)
    if kind == ACCOUNT:
        return items.filter(reporter_email="", reporter_account=value)
    return items.filter(reporter_email="", reporter_account="")


def item_ids_of(source: str, key: str) -> list[int]:
    rows = items_of(source, key).values_list("pk", "reporter_email", "reporter_account", "reporter")
    return [pk for pk, email, account, name in rows if reporter_key(email, account, name) == key]


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _where(chunk: list[int]) -> dict[str, Any]:
    """A run of sorted ids: by range when contiguous (an import's new items), else IN."""
    if chunk[-1] - chunk[0] == len(chunk) - 1:
        return {"pk__gte": chunk[0], "pk__lte": chunk[-1]}
    return {"pk__in": chunk}


def apply_assignments(item_ids: Iterable[int] | None = None) -> list[int]:
    """Write each reporter assignment onto the items (all, or those of `item_ids`) that
    do not hold it yet: the assigned person, or the assigned discipline. Returns the ids
    written. One query when the org has no assignment."""
    assignments = dict(
        ((source, key), (person_id, discipline))
        for source, key, person_id, discipline in ReporterAssignment.objects.values_list(
            "source", "reporter_key", "person_id", "discipline"
        )
    )
    if not assignments:
        return []
    fields = ("pk", "source", "reporter_email", "reporter_account", "reporter")
    state = ("reporter_person_id", "reporter_discipline")
    if item_ids is None:
        batches: Iterable[Any] = [Item.objects.values_list(*fields, *state).iterator()]
    else:
        ids = sorted({int(pk) for pk in item_ids})
        batches = (
            Item.objects.filter(**_where(chunk)).values_list(*fields, *state)
            for chunk in _chunks(ids, READ_CHUNK)
        )
    wanted: dict[tuple[int | None, str], list[int]] = {}
    for batch in batches:
        for pk, source, email, account, name, person_id, discipline in batch:
            assigned = assignments.get((source, reporter_key(email, account, name)))
            if assigned is None:
                continue
            to_person, to_discipline = assigned
            target = (to_person, "") if to_person else (person_id, to_discipline)
            if (person_id, discipline) != target:
                wanted.setdefault(target, []).append(pk)
    written = []
    for (person_id, discipline), pks in wanted.items():
        for chunk in _chunks(pks):
            Item.objects.filter(pk__in=chunk).update(
                reporter_person_id=person_id, reporter_discipline=discipline
            )
        written += pks
    return written


def forget_assignment(source: str, key: str) -> list[int]:
    """Give the reporter's items back what the import matched: the person found by email
    or name (none for an unmatched reporter) and no assigned discipline. Returns the ids."""
    from productops.backlog.writer import ReporterMatcher

    matcher = ReporterMatcher()
    ids = item_ids_of(source, key)
    by_person: dict[int | None, list[int]] = {}
    for chunk in _chunks(ids):
        rows = Item.objects.filter(pk__in=chunk).values_list("pk", "reporter_email", "reporter")
        for pk, email, name in rows:
            found = matcher.by_email.get(email.casefold()) if email else None
            if not found and name:
                found = matcher.by_name.get(name.casefold())
            by_person.setdefault(found, []).append(pk)
    for person_id, pks in by_person.items():
        for chunk in _chunks(pks):
            Item.objects.filter(pk__in=chunk).update(
                reporter_person_id=person_id, reporter_discipline=""
            )
    return ids
