"""Gap analysis pages: one person, a team, the org or one manager's chain.

Thin: find the subject, ask `visibility` who may see it, load with `gap_data`, draw with
`gap_charts`. The API (`api/gaps.py`) and the `gaps` command make the same calls.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from productops.accounts.roles import role_of
from productops.competencies import gap_charts, gap_data, gap_rows, gaps, visibility
from productops.imports.tables import requested_format, table_download
from productops.org import visibility as org_visibility
from productops.org.models import Person, Team

EMPTY = "No submitted assessments yet — open a cycle under Assessments."
SUPPORT_SHOWN = 5  # per manager on the page; the API lists everyone


def _formula() -> str:
    return gaps.CONSENSUS_FORMULA.format(
        threshold=visibility.PEER_ANONYMITY_THRESHOLD, signal=gaps.shown(gaps.SIGNAL_STEPS)
    )


def _callouts(rows: Any) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "gap": gaps.shown(row.gap, signed=True),
            "expected": gaps.shown(row.expected),
            "consensus": gaps.shown(row.consensus),
            "self": gaps.shown(row.self_score),
            "others": gaps.shown(row.others),
        }
        for row in rows
    ]


@login_required
def person_gaps(request: HttpRequest, pk: int) -> HttpResponseBase:
    person = get_object_or_404(Person, pk=pk)
    # 404 rather than 403: do not confirm that someone you may not see exists
    if not visibility.can_see_results(request.user, person):
        raise Http404("No such person")
    cycles = gap_data.cycles_for_person(person)
    try:
        cycle = gap_data.choose_cycle(cycles, request.GET.get("cycle"))
    except LookupError:
        raise Http404("No such cycle for this person") from None
    live = visibility.sees_peer_results_live(request.user)
    result = gap_data.load_person_gaps(person, cycle, live=live) if cycle is not None else None
    download = requested_format(request)
    if download:
        return _person_gaps_download(download, person, result)
    return render(
        request,
        "competencies/gaps_person.html",
        {
            "person": person,
            "cycles": cycles,
            "cycle": cycle,
            "result": result,
            "columns": gaps.TABLE_COLUMNS,
            "table": list(zip(result.rows, result.table(), strict=True)) if result else [],
            "radar": gap_charts.person_radar(result) if result and result.has_answers else None,
            "top": _callouts(result.top_gaps if result else []),
            "blind_spots": _callouts(result.blind_spots if result else []),
            "hidden_strengths": _callouts(result.hidden_strengths if result else []),
            "formula": _formula(),
            "peer_note": peer_note(result, person),
            "empty": EMPTY,
        },
    )


def _person_gaps_download(
    format: str, person: Person, result: gaps.PersonGaps | None
) -> HttpResponseBase:
    """The page's per-competency table (the same cells, numbers as numbers)."""
    rows = gap_rows.person_gap_rows(result)
    return table_download(format, f"gaps-{person.name}", gap_rows.PERSON_GAP_COLUMNS, rows)


def peer_note(result: gaps.PersonGaps | None, person: Person) -> str:
    """Why peer results are not (or not yet for others) in the numbers; "" when they are."""
    if result is None or result.cycle is None:
        return ""
    threshold = visibility.PEER_ANONYMITY_THRESHOLD
    if result.peer_results == gaps.PEERS_PENDING:
        return gaps.PEERS_PENDING_NOTE.format(cycle=result.cycle.name, threshold=threshold)
    if result.peer_results == gaps.PEERS_LIVE and not result.peers_released:
        return gaps.PEERS_LIVE_NOTE.format(person=person.name, threshold=threshold)
    return ""


def _group_download(
    format: str, table: str, title: str, group: gap_data.GroupGaps, seen: dict[str, Any]
) -> HttpResponseBase:
    """One of the group page's tables, cut exactly as `visibility.visible_group_gaps` cut
    it for the page: a viewer gets the distribution whatever `table` asks for, a withheld
    competency has empty cells and says why, a withheld median is left out."""
    name = f"gaps-{title}"
    if seen["scope"] != "aggregates" and table == "people":
        header = ["Person", *(competency.name for competency in group.competencies)]
        rows = []
        for result in seen["rows"]:
            by_key = {row.key: row for row in result.rows}
            cells: list[Any] = [result.person.name]
            for competency in group.competencies:
                row = by_key.get(competency.key)
                cells.append(gaps.rounded(row.gap) if row is not None else None)
            rows.append(cells)
        return table_download(format, name, header, rows)
    if seen["scope"] != "aggregates" and table == "support":
        header = ["Manager", "Person", "Total gap", "Below expectation", "Top gaps"]
        support = [
            [
                entry.manager_name,
                person.name,
                gaps.rounded(person.total_gap),
                person.below,
                ", ".join(person.top),
            ]  # fmt: skip
            for entry in seen["support"]
            for person in entry.people
        ]
        return table_download(format, name, header, support)
    minimum = visibility.min_group_size()
    header = [
        "Competency",
        "People",
        *(f"At step {step}" for step in group.steps),
        "Median",
        "Note",
    ]
    distribution = []
    for entry in seen["distribution"]:
        if entry.hidden:
            note = f"withheld: fewer than {minimum} other people"
            distribution.append([entry.name, None, *(None for _ in group.steps), None, note])
            continue
        note = (
            "median withheld: it would be a known person's own score"
            if (entry.median_withheld)
            else ""
        )
        distribution.append(
            [entry.name, entry.people, *entry.counts, gaps.rounded(entry.median), note]
        )
    return table_download(format, name, header, distribution)


@login_required
def team_gaps(request: HttpRequest, pk: int) -> HttpResponseBase:
    team = get_object_or_404(Team, pk=pk)
    if not org_visibility.can_see_team(request.user, team):
        raise Http404("No such team")
    people = Person.objects.filter(active=True, memberships__team=team)
    return _group_page(request, people, title=f"Gaps in {team.name}", scope_query={})


@login_required
def org_gaps(request: HttpRequest) -> HttpResponseBase:
    people = Person.objects.filter(active=True)
    title, scope_query = "Gaps across the organization", {}
    manager_id = request.GET.get("manager")
    if manager_id:
        manager = Person.objects.filter(pk=manager_id if manager_id.isdigit() else 0).first()
        if manager is None or not org_visibility.can_see_person(request.user, manager):
            raise Http404("No such person")
        people = people.filter(pk__in=org_visibility.reporting_chain_ids(manager.pk))
        title, scope_query = f"Gaps in {manager.name}'s reporting chain", {"manager": manager.pk}
    return _group_page(request, people, title=title, scope_query=scope_query)


def _group_page(
    request: HttpRequest, people: QuerySet[Person], *, title: str, scope_query: dict[str, Any]
) -> HttpResponseBase:
    try:
        choice = gap_data.load_group_choice(
            people,
            cycle=request.GET.get("cycle"),
            model=request.GET.get("model"),
            live=visibility.sees_peer_results_live(request.user),
        )
    except LookupError:
        raise Http404("No such model or cycle") from None
    context: dict[str, Any] = {
        "title": title,
        "choice": choice,
        "scope_query": scope_query,
        "role": str(role_of(request.user) or ""),
        "formula": _formula(),
        "min_people": visibility.min_group_size(),
        "empty": EMPTY,
    }
    download = requested_format(request)
    if download and choice.group is None:
        # no cycle yet: the page shows nothing to download either
        return table_download(download, f"gaps-{title}", ["Competency"], [])
    if choice.group is not None:
        group = choice.group
        seen = visibility.visible_group_gaps(request.user, group)
        if download:
            return _group_download(download, request.GET.get("table", ""), title, group, seen)

        def person_url(person_id: int) -> str:
            url = reverse("competencies:person_gaps", args=[person_id])
            return f"{url}?cycle={group.cycle.pk}"

        context.update(
            seen=seen,
            people_count=len(group.results),
            heatmap=gap_charts.group_heatmap(
                seen["rows"],
                group.competencies,
                title=f"{title}: gap per person and competency",
                href=person_url,
            )
            if seen["rows"]
            else None,
            distribution=gap_charts.group_distribution(
                seen["distribution"],
                group.steps,
                title=f"{title}: consensus per competency",
                min_people=visibility.min_group_size(),
            ),
            median_withheld=any(entry.median_withheld for entry in seen["distribution"]),
            limited=len(seen["rows"]) < len(group.results),
            support=[
                {
                    "group": entry,
                    "people": [
                        {
                            "entry": person,
                            "total": gaps.shown(person.total_gap),
                            "url": person_url(person.person_id),
                        }
                        for person in entry.people[:SUPPORT_SHOWN]
                    ],
                    "more": max(len(entry.people) - SUPPORT_SHOWN, 0),
                }
                for entry in seen["support"]
            ],
        )
    return render(request, "competencies/gaps_group.html", context)
