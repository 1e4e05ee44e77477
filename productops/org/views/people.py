"""The people directory: the list, its CSV export and one person's page."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render

from productops.imports.csv_cells import safe_row
from productops.imports.tables import requested_format, table_download
from productops.org import visibility
from productops.org.audit import RULES
from productops.org.directory import EXPORT_COLUMNS, PAGE_SIZE, export_row, filter_people
from productops.org.forms import PeopleFilterForm
from productops.org.models import Person, TeamMembership


def _people_filters(form: PeopleFilterForm) -> dict[str, Any]:
    data = form.cleaned_data if form.is_valid() else {}
    team = data.get("team")
    return {
        "q": data.get("q") or "",
        "discipline": data.get("discipline") or "",
        "team_id": team.pk if team else None,
        "status": data.get("status") or "active",
    }


def _filtered_people(request: HttpRequest) -> tuple[PeopleFilterForm, QuerySet[Person]]:
    """The people this user may see, narrowed by the list's filters (page and export)."""
    teams = visibility.visible_teams(request.user).order_by("name")
    form = PeopleFilterForm(request.GET or None, teams=teams)
    people = filter_people(visibility.visible_people(request.user), **_people_filters(form))
    people = people.select_related("manager").prefetch_related(
        Prefetch("memberships", queryset=TeamMembership.objects.select_related("team"))
    )
    return form, people


@login_required
def people_list(request: HttpRequest) -> HttpResponseBase:
    visibility.require_names(request.user)
    form, people = _filtered_people(request)
    download = requested_format(request)
    if download:
        # every filtered person, not one page: the download is the whole list
        rows = (export_row(p) for p in people.order_by("name", "pk").iterator(chunk_size=500))
        return table_download(download, "people", EXPORT_COLUMNS, rows)
    page = Paginator(people.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "org/people_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


@login_required
def people_export(request: HttpRequest) -> HttpResponse:
    """The people list as a CSV in the import's own columns, so it can be re-imported.
    Cells that begin like a formula are written with a leading ' (`safe_row`); the
    people import reads them back as they were."""
    visibility.require_names(request.user)
    _form, people = _filtered_people(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for person in people.order_by("name", "pk").iterator(chunk_size=500):
        writer.writerow(safe_row(export_row(person)))
    return response


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("manager"), pk=pk)
    # 404 rather than 403: do not confirm that someone you may not see exists
    if not visibility.can_see_person(request.user, person):
        raise Http404("No such person")
    visible_ids = visibility.visible_person_ids(request.user)

    def shown(qs: QuerySet[Person]) -> QuerySet[Person]:
        return qs if visible_ids is None else qs.filter(pk__in=visible_ids)

    chain_ids = visibility.management_chain_ids(person.pk)
    chain = {p.pk: p for p in shown(Person.objects.filter(pk__in=chain_ids))}
    memberships = person.memberships.select_related("team").order_by("team__name")
    findings = visibility.audit_findings_about(request.user, "person", person.pk)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "chain": [chain[pk] for pk in reversed(chain_ids) if pk in chain],
            "reports": shown(person.direct_reports.filter(active=True)).order_by("name"),
            "memberships": memberships,
            "findings": findings,
            "rules": RULES,
            "sees_results": visibility.can_see_private_records(request.user, person),
        },
    )
