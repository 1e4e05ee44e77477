"""Organization pages. Thin: parse the request, ask the domain and visibility, render."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from productops.org import visibility
from productops.org.actions import import_people_file
from productops.org.audit import RULES, AuditThresholds, run_org_audit
from productops.org.chart import build_chart
from productops.org.directory import filter_people
from productops.org.forms import AuditThresholdsForm, ImportPeopleForm, PeopleFilterForm
from productops.org.models import Person, Team, TeamMembership, TeamRole
from productops.org.team_page import team_sections

PAGE_SIZE = 50
AGGREGATES_ONLY = (
    "Your role sees aggregates only. Ask an admin for a member or manager login to see people."
)


def _require_names(request: HttpRequest) -> None:
    if not visibility.sees_names(request.user):
        raise PermissionDenied(AGGREGATES_ONLY)


def _people_filters(form: PeopleFilterForm) -> dict:
    data = form.cleaned_data if form.is_valid() else {}
    team = data.get("team")
    return {
        "q": data.get("q") or "",
        "discipline": data.get("discipline") or "",
        "team_id": team.pk if team else None,
        "status": data.get("status") or "active",
    }


def _filtered_people(request: HttpRequest):
    """The people this user may see, narrowed by the list's filters (page and export)."""
    teams = visibility.visible_teams(request.user).order_by("name")
    form = PeopleFilterForm(request.GET or None, teams=teams)
    people = filter_people(visibility.visible_people(request.user), **_people_filters(form))
    people = people.select_related("manager").prefetch_related(
        Prefetch("memberships", queryset=TeamMembership.objects.select_related("team"))
    )
    return form, people


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    _require_names(request)
    form, people = _filtered_people(request)
    page = Paginator(people.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "org/people_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


EXPORT_COLUMNS = [
    "name",
    "email",
    "title",
    "discipline",
    "level",
    "manager_email",
    "team",
    "team_role",
]


@login_required
def people_export(request: HttpRequest) -> HttpResponse:
    """The people list as a CSV in the import's own columns, so it can be re-imported."""
    _require_names(request)
    _form, people = _filtered_people(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for person in people.order_by("name", "pk").iterator(chunk_size=500):
        memberships = list(person.memberships.all())
        writer.writerow(
            [
                person.name,
                person.email,
                person.title,
                person.discipline,
                person.level,
                person.manager.email if person.manager else "",
                "; ".join(m.team.name for m in memberships),
                "; ".join(m.role for m in memberships),
            ]
        )
    return response


def _findings_about(request: HttpRequest, kind: str, pk: int) -> list:
    """The audit findings about one person or team that this user may read."""
    if visibility.audit_scope(request.user)[0] == "summary":
        return []
    audit = visibility.visible_audit(request.user, run_org_audit())
    return [f for f in audit["findings"] if f.subject_kind == kind and f.subject_id == pk]


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("manager"), pk=pk)
    # 404 rather than 403: do not confirm that someone you may not see exists
    if not visibility.can_see_person(request.user, person):
        raise Http404("No such person")
    visible_ids = visibility.visible_person_ids(request.user)

    def shown(qs):
        return qs if visible_ids is None else qs.filter(pk__in=visible_ids)

    chain_ids = visibility.management_chain_ids(person.pk)
    chain = {p.pk: p for p in shown(Person.objects.filter(pk__in=chain_ids))}
    memberships = person.memberships.select_related("team").order_by("team__name")
    findings = _findings_about(request, "person", person.pk)
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


def _trio(memberships) -> dict[str, list[Person]]:
    trio: dict[str, list[Person]] = {"pm": [], "design": [], "tech": []}
    for membership in memberships:
        if membership.role == TeamRole.PRODUCT_MANAGER:
            trio["pm"].append(membership.person)
        elif membership.role == TeamRole.DESIGN_LEAD:
            trio["design"].append(membership.person)
        elif membership.role == TeamRole.TECH_LEAD:
            trio["tech"].append(membership.person)
    return trio


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    _require_names(request)
    teams = (
        visibility.visible_teams(request.user)
        .select_related("parent")
        .annotate(size=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("person"))
        )
        .order_by("parent__name", "name")
    )
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"team": team, "trio": _trio(team.memberships.all())} for team in page]
    return render(request, "org/team_list.html", {"page": page, "rows": rows})


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("parent"), pk=pk)
    if not visibility.can_see_team(request.user, team):
        raise Http404("No such team")
    memberships = list(
        team.memberships.select_related("person", "person__manager").order_by(
            "role", "person__name"
        )
    )
    visible_ids = visibility.visible_person_ids(request.user)
    findings = _findings_about(request, "team", team.pk)
    return render(
        request,
        "org/team_detail.html",
        {
            "team": team,
            "memberships": memberships,
            "visible_ids": visible_ids,
            "trio": _trio(memberships),
            "subteams": visibility.visible_teams(request.user).filter(parent=team),
            "findings": findings,
            "rules": RULES,
            **team_sections(request.user, team),
        },
    )


@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    _require_names(request)
    rows = list(
        visibility.visible_people(request.user)
        .filter(active=True)
        .values_list("pk", "name", "title", "discipline", "manager_id")
    )
    thresholds = AuditThresholds.from_settings()
    return render(
        request,
        "org/chart.html",
        {"trees": build_chart(rows), "thresholds": thresholds, "people_count": len(rows)},
    )


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditThresholdsForm(request.GET or None)
    overrides = form.cleaned_data if form.is_valid() else {}
    try:
        thresholds = AuditThresholds.from_settings(**overrides)
    except ValueError as error:
        form.add_error(None, f"{error}. The defaults were used instead.")
        thresholds = AuditThresholds.from_settings()
    result = visibility.visible_audit(request.user, run_org_audit(thresholds))
    severities = {"critical": 0, "warning": 0, "info": 0}
    for by_severity in result["counts"].values():
        for severity, count in by_severity.items():
            severities[severity] = severities.get(severity, 0) + count
    counts = [
        {"rule": rule, "title": RULES.get(rule, rule), **result["counts"][rule]}
        for rule in RULES
        if rule in result["counts"]
    ]
    return render(
        request,
        "org/audit.html",
        {
            "form": form,
            "thresholds": thresholds,
            "scope": result["scope"],
            "findings": result["findings"],
            "spans": result["spans"][:25],
            "counts": counts,
            "severities": severities,
            "rules": RULES,
        },
    )


@login_required
def import_people(request: HttpRequest) -> HttpResponse:
    if not visibility.can_manage_org(request.user):
        raise PermissionDenied("Only an admin can import people.")
    report = None
    if request.method == "POST":
        form = ImportPeopleForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_people_file(
                upload, skip_invalid=form.cleaned_data["skip_invalid"], source=upload.name
            )
            if report.written:
                messages.success(request, f"Imported {upload.name}: {report.summary()}")
            else:
                messages.error(request, report.summary())
    else:
        form = ImportPeopleForm()
    return render(
        request,
        "org/import_people.html",
        {
            "form": form,
            "report": report,
            "max_upload_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20,
        },
    )
