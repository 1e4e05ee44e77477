"""Every write in the discovery app: `check_*` validates and authorizes, `do_*` writes.

Sections: touchpoints; opportunity solution trees. Add to your section only.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from productops.backlog.actions import do_reclassify
from productops.backlog.models import Item
from productops.discovery import trees
from productops.discovery import visibility as discovery_visibility
from productops.discovery.backing import items_to_reclassify
from productops.discovery.models import (
    AssumptionTest,
    Opportunity,
    Outcome,
    Solution,
    TestStatus,
    Touchpoint,
    TouchpointKind,
)
from productops.imports import ImportReport, ParseResult, RowError
from productops.org.models import Person, Team, TeamMembership

if TYPE_CHECKING:
    from productops.discovery.touchpoints_import import TouchpointRow

# ---------------------------------------------------------------------------------------
# Touchpoints
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TouchpointInput:
    """What a person fills in when logging a touchpoint (the form, the API, a CSV row)."""

    date: datetime.date
    kind: str
    participant_ids: frozenset[int] = frozenset()
    segment: str = ""
    customers: int = 1
    notes: str = ""
    insights: str = ""


SEGMENT_MAX_CHARS = Touchpoint._meta.get_field("segment").max_length or 200


def check_log_touchpoint(user: Any, team: Team) -> None:
    if not discovery_visibility.can_log_touchpoint(user, team):
        raise PermissionDenied(
            f"Only the members of {team.name}, managers and admins log its touchpoints. "
            "Ask someone on the team to log it."
        )


def check_touchpoint_input(team: Team, data: TouchpointInput) -> None:
    """Every problem at once, by field: ValidationError({field: sentence})."""
    problems: dict[str, str] = {}
    if data.kind not in TouchpointKind.values:
        problems["kind"] = f"Pick a kind of touchpoint: {', '.join(TouchpointKind.values)}."
    if data.date > timezone.localdate():
        problems["date"] = "A touchpoint is logged once it took place: pick today or a past day."
    if data.customers < 1:
        problems["customers"] = "Give how many customers took part: a whole number, 1 or more."
    if len(data.segment) > SEGMENT_MAX_CHARS:
        problems["segment"] = f"Keep the customer segment under {SEGMENT_MAX_CHARS} characters."
    members = set(TeamMembership.objects.filter(team=team).values_list("person_id", flat=True))
    outsiders = set(data.participant_ids) - members
    if outsiders:
        names = ", ".join(
            Person.objects.filter(pk__in=outsiders).order_by("name").values_list("name", flat=True)
        )
        problems["participants"] = (
            f"Participants are members of {team.name}; {names or 'an unknown person'} is not. "
            "Add them to the team first, or leave them out."
        )
    if problems:
        raise ValidationError(problems)


def _write_touchpoint(touchpoint: Touchpoint, data: TouchpointInput) -> Touchpoint:
    touchpoint.date = data.date
    touchpoint.kind = data.kind
    touchpoint.segment = data.segment.strip()
    touchpoint.customers = data.customers
    touchpoint.notes = data.notes.strip()
    touchpoint.insights = data.insights.strip()
    touchpoint.save()
    touchpoint.participants.set(data.participant_ids)
    return touchpoint


def do_log_touchpoint(user: Any, team: Team, data: TouchpointInput) -> Touchpoint:
    check_log_touchpoint(user, team)
    check_touchpoint_input(team, data)
    created_by = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        return _write_touchpoint(Touchpoint(team=team, created_by=created_by), data)


def do_update_touchpoint(user: Any, touchpoint: Touchpoint, data: TouchpointInput) -> Touchpoint:
    check_log_touchpoint(user, touchpoint.team)
    check_touchpoint_input(touchpoint.team, data)
    with transaction.atomic():
        return _write_touchpoint(touchpoint, data)


def do_delete_touchpoint(user: Any, touchpoint: Touchpoint) -> None:
    check_log_touchpoint(user, touchpoint.team)
    with transaction.atomic():
        touchpoint.delete()


def check_import_touchpoints(user: Any) -> None:
    if not discovery_visibility.can_import_touchpoints(user):
        raise PermissionDenied(
            "Only admins and managers import touchpoints. Log yours from your team's page."
        )


def do_import_touchpoints(
    result: ParseResult[TouchpointRow], *, created_by: Any = None, skip_invalid: bool = False
) -> ImportReport:
    """Write parsed touchpoints in one transaction: all rows, or with skip_invalid the good ones.

    A row that matches a touchpoint already there (same team, date, kind, segment and
    notes) is left unchanged, so importing the same file again writes nothing new.
    """
    file_problems = [error for error in result.errors if (error.row or 0) <= 1]
    if file_problems or (result.errors and not skip_invalid):
        return ImportReport(errors=list(result.errors), written=False)
    if not result.records:
        reason = "no row could be imported, so nothing was written"
        errors = [*result.errors, RowError(None, None, reason)]
        return ImportReport(errors=errors, skipped=len(result.bad_rows), written=False)
    rows = result.records
    existing = Counter(
        Touchpoint.objects.filter(
            team_id__in={row.team_id for row in rows},
            date__gte=min(row.date for row in rows),
            date__lte=max(row.date for row in rows),
        ).values_list("team_id", "date", "kind", "segment", "notes")
    )
    user = created_by if getattr(created_by, "is_authenticated", False) else None
    created = unchanged = 0
    with transaction.atomic():
        new: list[tuple[Touchpoint, frozenset[int]]] = []
        for row in rows:
            key = (row.team_id, row.date, row.kind, row.segment, row.notes)
            if existing[key] > 0:
                existing[key] -= 1
                unchanged += 1
                continue
            touchpoint = Touchpoint(
                team_id=row.team_id,
                date=row.date,
                kind=row.kind,
                segment=row.segment,
                customers=row.customers,
                notes=row.notes,
                insights=row.insights,
                created_by=user,
            )
            new.append((touchpoint, row.participant_ids))
            created += 1
        Touchpoint.objects.bulk_create([touchpoint for touchpoint, _ in new])
        Link = Touchpoint.participants.through
        Link.objects.bulk_create(
            Link(touchpoint_id=touchpoint.pk, person_id=person)
            for touchpoint, people in new
            for person in sorted(people)
        )
    return ImportReport(
        created=created,
        unchanged=unchanged,
        skipped=len(result.bad_rows),
        errors=list(result.errors),
        written=True,
    )


# ---------------------------------------------------------------------------------------
# Opportunity solution trees
# ---------------------------------------------------------------------------------------


class ChildrenChoiceNeeded(ValidationError):
    """A node with children was to be deleted without saying what happens to them."""


def check_edit_tree(user: Any, team: Team) -> None:
    if not discovery_visibility.can_edit_tree(user, team):
        raise PermissionDenied(
            f"Only {team.name}'s members, managers and admins edit its opportunity solution "
            "tree: ask one of them."
        )


def _tree_parents(outcome: Outcome) -> dict[int, int | None]:
    return trees.parent_map(outcome)


def check_opportunity_parent(
    outcome: Outcome, opportunity: Opportunity | None, parent: Opportunity | None
) -> None:
    """The parent must be of the same outcome and not the opportunity or one beneath it."""
    if parent is not None and parent.outcome_id != outcome.pk:
        raise ValidationError(
            "The parent opportunity must belong to the same tree: pick one of this outcome."
        )
    problem = trees.parent_problem(
        _tree_parents(outcome),
        opportunity.pk if opportunity else None,
        parent.pk if parent else None,
    )
    if problem:
        raise ValidationError(problem)


def check_evidence(team: Team, touchpoints: Iterable[Touchpoint]) -> None:
    strangers = [t for t in touchpoints if t.team_id != team.pk]
    if strangers:
        raise ValidationError(
            f"An opportunity cites touchpoints of its own team only: {team.name} did not "
            f"log the touchpoint of {strangers[0].date}."
        )


@transaction.atomic
def do_save_outcome(
    user: Any,
    team: Team,
    *,
    title: str,
    metric: str = "",
    baseline: float | None = None,
    target: float | None = None,
    unit: str = "",
) -> Outcome:
    check_edit_tree(user, team)
    if not title.strip():
        raise ValidationError("Name the desired outcome, e.g. 'More first orders complete'.")
    outcome, _ = Outcome.objects.update_or_create(
        team=team,
        defaults={
            "title": title.strip(),
            "metric": metric,
            "baseline": baseline,
            "target": target,
            "unit": unit,
        },
    )
    return outcome


def _next_position(queryset: Any) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


@transaction.atomic
def do_save_opportunity(
    user: Any,
    outcome: Outcome,
    *,
    opportunity: Opportunity | None = None,
    title: str,
    description: str = "",
    parent: Opportunity | None = None,
    touchpoints: Iterable[Touchpoint] | None = None,
) -> Opportunity:
    """Add an opportunity (`opportunity` None) or change one, its parent included (a move)."""
    check_edit_tree(user, outcome.team)
    if not title.strip():
        raise ValidationError("Name the opportunity: the customer need, pain or desire.")
    check_opportunity_parent(outcome, opportunity, parent)
    if touchpoints is not None:
        touchpoints = list(touchpoints)
        check_evidence(outcome.team, touchpoints)
    if opportunity is None:
        opportunity = Opportunity(
            outcome=outcome,
            position=_next_position(Opportunity.objects.filter(outcome=outcome, parent=parent)),
        )
    opportunity.title, opportunity.description, opportunity.parent = (
        title.strip(),
        description,
        parent,
    )
    opportunity.save()
    if touchpoints is not None:
        opportunity.touchpoints.set(touchpoints)
    return opportunity


def _same_tree(outcome: Outcome, opportunity: Opportunity) -> None:
    if opportunity.outcome_id != outcome.pk:
        raise ValidationError("Pick an opportunity of this team's tree.")


def _linked_items(solution_ids: Iterable[int]) -> list[int]:
    """The items whose backing by discovery follows these solutions' links."""
    linked = list(Item.objects.filter(solutions__in=list(solution_ids)).distinct())
    return items_to_reclassify(linked) if linked else []


@transaction.atomic
def do_save_solution(
    user: Any,
    opportunity: Opportunity,
    *,
    solution: Solution | None = None,
    title: str,
    description: str = "",
) -> Solution:
    """Add a solution under `opportunity`, or change one (moving it to `opportunity`)."""
    check_edit_tree(user, opportunity.outcome.team)
    if not title.strip():
        raise ValidationError("Name the solution: one way to address the opportunity.")
    if solution is not None:
        _same_tree(opportunity.outcome, solution.opportunity)
    renamed = solution is not None and solution.title != title.strip()
    if solution is None:
        solution = Solution(position=_next_position(opportunity.solutions.all()))
    solution.opportunity, solution.title, solution.description = (
        opportunity,
        title.strip(),
        description,
    )
    solution.save()
    if renamed:  # the items' reasons quote the solution's title
        do_reclassify(_linked_items([solution.pk]))
    return solution


@transaction.atomic
def do_save_test(
    user: Any,
    solution: Solution,
    *,
    test: AssumptionTest | None = None,
    assumption: str,
    how: str = "",
    result: str = "",
    status: str = TestStatus.PLANNED,
) -> AssumptionTest:
    """Add an assumption test under `solution`, or change one (moving it to `solution`)."""
    outcome = solution.opportunity.outcome
    check_edit_tree(user, outcome.team)
    if not assumption.strip():
        raise ValidationError("Write the assumption the test checks.")
    if status not in TestStatus.values:
        raise ValidationError(f"Status is one of {', '.join(TestStatus.values)}.")
    if test is not None:
        _same_tree(outcome, test.solution.opportunity)
    if test is None:
        test = AssumptionTest(position=_next_position(solution.tests.all()))
    test.solution, test.assumption, test.test, test.result, test.status = (
        solution,
        assumption.strip(),
        how,
        result,
        status,
    )
    test.save()
    return test


def _children_needed(what: str, impact: trees.DeletionImpact) -> ChildrenChoiceNeeded:
    return ChildrenChoiceNeeded(
        f"This {what} has children ({impact.opportunities} opportunities, {impact.solutions} "
        f"solutions, {impact.tests} assumption tests below it): say whether to move them up "
        "(children=lift) or delete them too (children=delete)."
    )


@transaction.atomic
def do_delete_opportunity(
    user: Any,
    opportunity: Opportunity,
    *,
    children: str | None = None,
    move_solutions_to: Opportunity | None = None,
) -> trees.DeletionImpact:
    """Delete an opportunity; its children are lifted to its parent or deleted with it.

    Lifting: child opportunities move to the deleted one's parent (the top level when it
    had none); its solutions move to its parent, or, at the top level, to
    `move_solutions_to`, another opportunity of the tree. Returns what went with it.
    """
    outcome = opportunity.outcome
    check_edit_tree(user, outcome.team)
    impact = trees.opportunity_impact(opportunity)
    has_solutions = opportunity.solutions.exists()
    has_children = has_solutions or opportunity.children.exists()
    if has_children and children not in trees.CHILDREN_CHOICES:
        raise _children_needed("opportunity", impact)
    solution_ids = list(
        Solution.objects.filter(
            opportunity_id__in={opportunity.pk}
            | trees.descendants(trees.parent_map(outcome), opportunity.pk)
        ).values_list("pk", flat=True)
    )
    if children == trees.LIFT and has_children:
        target = opportunity.parent
        if has_solutions and target is None:
            if move_solutions_to is None or move_solutions_to.pk == opportunity.pk:
                raise ValidationError(
                    "A top-level opportunity's solutions need another opportunity to go to: "
                    "pick one, or delete them too."
                )
            _same_tree(outcome, move_solutions_to)
            target = move_solutions_to
        opportunity.children.update(parent=opportunity.parent)
        if has_solutions:
            opportunity.solutions.update(opportunity=target)
        impact = trees.DeletionImpact(0, 0, 0)
        solution_ids = []
    linked = _linked_items(solution_ids)
    opportunity.delete()
    if linked:  # the linked items lose their backing
        do_reclassify(linked)
    return impact


@transaction.atomic
def do_delete_solution(
    user: Any,
    solution: Solution,
    *,
    children: str | None = None,
    move_tests_to: Solution | None = None,
) -> trees.DeletionImpact:
    """Delete a solution; its assumption tests move to another solution or go with it."""
    outcome = solution.opportunity.outcome
    check_edit_tree(user, outcome.team)
    impact = trees.solution_impact(solution)
    if impact.has_children and children not in trees.CHILDREN_CHOICES:
        raise _children_needed("solution", impact)
    if children == trees.LIFT and impact.has_children:
        if move_tests_to is None or move_tests_to.pk == solution.pk:
            raise ValidationError(
                "Pick another solution of the tree for the assumption tests, or delete them too."
            )
        _same_tree(outcome, move_tests_to.opportunity)
        solution.tests.update(solution=move_tests_to)
        impact = trees.DeletionImpact(0, 0, 0)
    linked = _linked_items([solution.pk])
    solution.delete()
    if linked:
        do_reclassify(linked)
    return impact


@transaction.atomic
def do_delete_test(user: Any, test: AssumptionTest) -> None:
    check_edit_tree(user, test.solution.opportunity.outcome.team)
    test.delete()


def find_item(key: str) -> Item:
    """The backlog item with this key ("SHOP-12", or "jira:SHOP-12" when two sources share it)."""
    key = key.strip()
    source, _, bare = key.rpartition(":") if ":" in key else ("", "", key)
    items = Item.objects.filter(key__iexact=bare)
    if source:
        items = items.filter(source=source.lower())
    found = list(items[:2])
    if not found:
        raise ValidationError(
            f"No backlog item has the key {key!r}: check it in the backlog's item list."
        )
    if len(found) > 1:
        raise ValidationError(
            f"Two sources have an item {bare!r}: write it with its source, e.g. "
            f"'{found[0].source}:{found[0].key}'."
        )
    return found[0]


@transaction.atomic
def do_link_item(user: Any, solution: Solution, key: str) -> Item:
    """Link a backlog item or epic to a solution: it (and an epic's children) are reclassified."""
    check_edit_tree(user, solution.opportunity.outcome.team)
    item = find_item(key)
    solution.items.add(item)
    do_reclassify(items_to_reclassify([item]))
    return item


@transaction.atomic
def do_unlink_item(user: Any, solution: Solution, item: Item) -> None:
    check_edit_tree(user, solution.opportunity.outcome.team)
    solution.items.remove(item)
    do_reclassify(items_to_reclassify([item]))
