"""Assessment pages: cycles, the rating page, nominations, the requests a user owes.

Thin: parse the request, ask `competencies.visibility` and the actions, render. Objects a
user may not see answer 404 (not confirming they exist); whole pages a role may not use
answer 403 with a sentence.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from productops.accounts.models import Role
from productops.accounts.roles import Login, person_id_of, role_of
from productops.competencies import request_rows, visibility
from productops.competencies.actions import (
    do_close_cycle,
    do_decide_nomination,
    do_nominate_peer,
    do_open_cycle,
    do_reopen_request,
    do_save_ratings,
    do_submit_request,
    reopen_refusal,
)
from productops.competencies.forms import (
    NominationForm,
    OpenCycleForm,
    RatingsForm,
    ReopenForm,
)
from productops.competencies.models import (
    AssessmentCycle,
    AssessmentRequest,
    RaterKind,
)
from productops.competencies.progress import (
    Completion,
    CycleProgress,
    cycle_completions,
    load_cycle_progress,
    overdue_first,
)
from productops.competencies.rating_sheet import answer_for, areas_of
from productops.imports.tables import requested_format, table_download
from productops.org import visibility as org_visibility
from productops.org.models import Person

PAGE_SIZE = 50
DEFAULT_CYCLE_LENGTH = datetime.timedelta(days=14)  # long enough to gather evidence
AGGREGATES_ONLY = (
    "Assessment cycles name the people assessed, and your role sees aggregates only. "
    "Ask an admin for a member or manager login."
)
Status = AssessmentRequest.Status


def _require_names(request: HttpRequest) -> None:
    if visibility.sees_distributions_only(request.user) or role_of(request.user) is None:
        raise PermissionDenied(AGGREGATES_ONLY)


def _sentences(error: ValidationError) -> list[str]:
    return list(error.messages)


# -- cycles -------------------------------------------------------------------------------


CYCLE_COLUMNS = ["Cycle", "Model", "Due", "Status", "Overdue", "Submitted", "Requests"]


def _cycles_download(
    format: str, cycles: list[AssessmentCycle], subject_ids: set[int] | None
) -> HttpResponseBase:
    """Every cycle the list shows, with the same counts (the reader's people only)."""
    completions = cycle_completions([cycle.pk for cycle in cycles], subject_ids=subject_ids)
    today = timezone.localdate()
    rows = []
    for cycle in cycles:
        done = completions.get(cycle.pk, Completion())
        overdue = cycle.is_open and cycle.due_date < today and not done.is_complete
        rows.append(
            [
                cycle.name,
                str(cycle.version),
                cycle.due_date,
                cycle.get_status_display(),
                "overdue" if overdue else "",
                done.submitted if done.total else None,
                done.total if done.total else None,
            ]
        )
    return table_download(format, "assessment-cycles", CYCLE_COLUMNS, rows)


@login_required
def cycle_list(request: HttpRequest) -> HttpResponseBase:
    _require_names(request)
    cycles = (
        visibility.visible_cycles(request.user)
        .select_related("version__model")
        .order_by("-opened_at", "-pk")
    )
    download = requested_format(request)
    if download:
        subject_ids = visibility.result_subject_ids(request.user)
        return _cycles_download(download, list(cycles), subject_ids)
    page = Paginator(cycles, PAGE_SIZE).get_page(request.GET.get("page"))
    completions = cycle_completions(
        [cycle.pk for cycle in page], subject_ids=visibility.result_subject_ids(request.user)
    )
    rows = [{"cycle": c, "completion": completions.get(c.pk, Completion())} for c in page]
    return render(
        request,
        "competencies/cycle_list.html",
        {
            "page": page,
            "rows": rows,
            "can_open": role_of(request.user) in (Role.ADMIN, Role.MANAGER),
            "today": timezone.localdate(),
        },
    )


def _people_to_assess(user: Login):
    ids = visibility.managed_subject_ids(user)
    people = Person.objects.filter(active=True).order_by("name")
    return people if ids is None else people.filter(pk__in=ids)


@login_required
def cycle_new(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in (Role.ADMIN, Role.MANAGER):
        raise PermissionDenied(
            "Only admins and managers open assessment cycles. Ask your manager to include "
            "you in one."
        )
    people = _people_to_assess(request.user)
    form = OpenCycleForm(
        request.POST or None,
        people=people,
        initial={"due_date": timezone.localdate() + DEFAULT_CYCLE_LENGTH},
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = do_open_cycle(request.user, **form.action_arguments)
        except ValidationError as error:
            _add_action_errors(form, error, rename={"version": "model"})
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Opened {cycle.name}: raters were asked.")
            for note in getattr(cycle, "notes", []):
                messages.info(request, note)
            return redirect("competencies:cycle_detail", pk=cycle.pk)
    return render(
        request,
        "competencies/cycle_new.html",
        {"form": form, "has_models": form.fields["model"].queryset.exists()},  # type: ignore[attr-defined]
    )


def _add_action_errors(form: Any, error: ValidationError, rename: dict[str, str]) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            target = rename.get(name, name)
            form.add_error(target if target in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@dataclass
class RequestRow:
    """A request on the cycle page, with what this user may do with it."""

    request: AssessmentRequest
    answers_visible: bool
    reopenable: bool


@dataclass
class SubjectRow:
    progress: Any  # progress.SubjectProgress
    cells: list[Completion | None]
    requests: list[RequestRow] = field(default_factory=list)
    # Peer requests left out of `requests`: the user may not see the subject's peers by
    # name with their status (`visibility.can_see_peer_progress`); a count stands in.
    peers_hidden: int = 0


def _cycle_detail_download(
    format: str,
    table: str,
    cycle: AssessmentCycle,
    progress: CycleProgress,
    overdue: list[AssessmentRequest],
) -> HttpResponseBase:
    """The cycle page's progress per person (the counts its table shows, without the
    list of raters), or its overdue requests."""
    if table == "overdue":
        header = ["Rater", "Rates", "As", "Status"]
        rows: list[list[Any]] = [
            [r.rater.name, r.subject.name, r.get_kind_display(), r.get_status_display()]
            for r in overdue
        ]
        return table_download(format, f"{cycle.name}-overdue", header, rows)
    header = ["Person", "Submitted", "Requests"]
    for kind in progress.kinds:
        label = RaterKind(kind).label
        header += [f"{label} submitted", f"{label} requests"]
    rows = []
    for row in progress.subjects:
        cells: list[Any] = [row.subject.name, row.overall.submitted, row.overall.total]
        for cell in row.kind_cells(progress.kinds):
            cells += [cell.submitted, cell.total] if cell else [None, None]
        rows.append(cells)
    return table_download(format, f"{cycle.name}-progress", header, rows)


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    cycle = get_object_or_404(AssessmentCycle.objects.select_related("version__model"), pk=pk)
    user = request.user
    if not visibility.can_see_cycle(user, cycle):
        raise Http404("No such cycle")
    me = person_id_of(user)
    progress = load_cycle_progress(cycle, subject_ids=visibility.result_subject_ids(user))
    managed = visibility.managed_subject_ids(user)

    def manages(subject_id: int) -> bool:
        return managed is None or subject_id in managed

    mine = list(
        cycle.requests.filter(rater_id=me)
        .exclude(status=Status.DECLINED)
        .select_related("subject")
        .order_by("subject__name", "kind")
    )
    for owed in mine:
        owed.cycle = cycle
    nominations = [r for r in progress.nominations if manages(r.subject_id)]
    download = requested_format(request)
    if download:
        table = request.GET.get("table", "")
        if table == "mine":
            rows = request_rows.mine_rows(mine)
            return table_download(download, f"{cycle.name}-mine", request_rows.MINE_COLUMNS, rows)
        if table == "nominations":
            rows = request_rows.nomination_rows(nominations)
            header = request_rows.NOMINATION_COLUMNS
            return table_download(download, f"{cycle.name}-nominations", header, rows)
        overdue = [r for r in progress.overdue if manages(r.subject_id)]
        return _cycle_detail_download(download, table, cycle, progress, overdue)

    reopenable = visibility.reopen_filter(user)
    answers_visible = visibility.request_answers_filter(user)
    sees_peers_of = visibility.peer_progress_filter(user)
    subjects = []
    for row in progress.subjects:
        shown = row.requests
        if not sees_peers_of(row.subject.pk):
            shown = [r for r in row.requests if r.kind != RaterKind.PEER]
        subjects.append(
            SubjectRow(
                progress=row,
                cells=row.kind_cells(progress.kinds),
                requests=[
                    RequestRow(
                        request=r,
                        answers_visible=answers_visible(r),
                        reopenable=reopenable(r),
                    )
                    for r in shown
                ],
                peers_hidden=len(row.requests) - len(shown),
            )
        )
    nominate_for = [
        row.progress.subject
        for row in subjects
        if row.progress.subject.pk == me or manages(row.progress.subject.pk)
    ]
    nomination_form = None
    if cycle.is_open and RaterKind.PEER in cycle.rater_kinds and nominate_for:
        nomination_form = NominationForm(
            subjects=Person.objects.filter(pk__in=[p.pk for p in nominate_for]).order_by("name"),
            peers=org_visibility.visible_people(user).filter(active=True).order_by("name"),
            initial={"subject": nominate_for[0].pk} if len(nominate_for) == 1 else None,
        )
    return render(
        request,
        "competencies/cycle_detail.html",
        {
            "cycle": cycle,
            "progress": progress,
            "subjects": subjects,
            "kinds": [RaterKind(kind).label for kind in progress.kinds],
            "mine": mine,
            "overdue": [r for r in progress.overdue if manages(r.subject_id)],
            "nominations": nominations,
            "nomination_form": nomination_form,
            "can_close": cycle.is_open and visibility.can_close_cycle(user, cycle),
            "sees_everyone": managed is None,
        },
    )


@login_required
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(AssessmentCycle, pk=pk)
    if not visibility.can_see_cycle(request.user, cycle):
        raise Http404("No such cycle")
    try:
        do_close_cycle(request.user, cycle)
    except ValidationError as error:
        for sentence in _sentences(error):
            messages.error(request, sentence)
    else:
        messages.success(request, f"Closed {cycle.name}. Its ratings stay as they are.")
    return redirect("competencies:cycle_detail", pk=cycle.pk)


# -- nominations --------------------------------------------------------------------------


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(AssessmentCycle, pk=pk)
    if not visibility.can_see_cycle(request.user, cycle):
        raise Http404("No such cycle")
    form = NominationForm(
        request.POST,
        subjects=cycle.subjects.all(),
        peers=org_visibility.visible_people(request.user).filter(active=True),
    )
    if not form.is_valid():
        messages.error(request, "Choose a person of this cycle and a colleague to ask as a peer.")
        return redirect("competencies:cycle_detail", pk=cycle.pk)
    subject, peer = form.cleaned_data["subject"], form.cleaned_data["peer"]
    try:
        nomination = do_nominate_peer(request.user, cycle, subject, peer)
    except ValidationError as error:
        for sentence in _sentences(error):
            messages.error(request, sentence)
    else:
        if nomination.status == Status.NOMINATED:
            messages.success(
                request,
                f"Nominated {peer.name} as a peer for {subject.name}; "
                f"{subject.name}'s manager approves the nomination.",
            )
        else:
            messages.success(request, f"Asked {peer.name} to rate {subject.name} as a peer.")
    return redirect("competencies:cycle_detail", pk=cycle.pk)


def _nomination_or_404(user: Login, pk: int) -> AssessmentRequest:
    nomination = get_object_or_404(
        AssessmentRequest.objects.select_related("cycle", "subject", "rater"), pk=pk
    )
    me = person_id_of(user)
    involved = me is not None and me in (nomination.subject_id, nomination.rater_id)
    if not involved and not visibility.can_manage_subject(user, nomination.subject):
        raise Http404("No such request")
    return nomination


@login_required
@require_POST
def nomination_decide(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_or_404(request.user, pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, "Choose to approve or to decline the nomination.")
    else:
        try:
            do_decide_nomination(request.user, nomination, approve=decision == "approve")
        except ValidationError as error:
            for sentence in _sentences(error):
                messages.error(request, sentence)
        else:
            verb = "Approved" if decision == "approve" else "Declined"
            messages.success(
                request,
                f"{verb} {nomination.rater.name} as a peer for {nomination.subject.name}.",
            )
    if request.POST.get("next") == "cycle":
        return redirect("competencies:cycle_detail", pk=nomination.cycle_id)
    return redirect("competencies:my_requests")


# -- the rating page ----------------------------------------------------------------------


def _posted_answers(request: HttpRequest, keys: list[str]) -> dict[str, tuple[str, str]]:
    return {
        key: (request.POST.get(f"score-{key}", ""), request.POST.get(f"evidence-{key}", ""))
        for key in keys
        if f"score-{key}" in request.POST or f"evidence-{key}" in request.POST
    }


def _request_or_404(user: Login, pk: int) -> AssessmentRequest:
    assessment = get_object_or_404(
        AssessmentRequest.objects.select_related("cycle__version__model", "subject", "rater"),
        pk=pk,
    )
    if not visibility.can_see_request(user, assessment):
        raise Http404("No such request")
    return assessment


def _render_rating_page(
    request: HttpRequest,
    assessment: AssessmentRequest,
    *,
    posted: dict[str, tuple[str, str]] | None = None,
    field_errors: dict[str, str] | None = None,
    page_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    version = assessment.cycle.version
    areas = areas_of(version)
    ratings = {rating.competency_key: rating for rating in assessment.ratings.all()}
    field_errors = field_errors or {}
    sections = []
    all_answers = []
    for area in areas:
        answers = []
        for competency in area.competencies.all():
            answer = answer_for(competency, version.scale, ratings.get(competency.key), posted)
            answer.error = field_errors.get(competency.key, "")
            answers.append(answer)
        sections.append({"area": area, "answers": answers})
        all_answers += answers
    editable = (
        visibility.can_rate(request.user, assessment)
        and assessment.cycle.is_open
        and assessment.status in (Status.PENDING, Status.DRAFT)
    )
    reopenable = visibility.can_reopen(request.user, assessment)
    return render(
        request,
        "competencies/assess_rate.html",
        {
            "assessment": assessment,
            "version": version,
            "sections": sections,
            "editable": editable,
            "is_rater": visibility.can_rate(request.user, assessment),
            "reopenable": reopenable,
            "reopen_form": ReopenForm() if reopenable else None,
            "reopenings": assessment.reopenings.select_related("by"),
            "page_errors": page_errors or [],
            "answered": sum(answer.rated for answer in all_answers),
            "total": len(all_answers),
        },
        status=status,
    )


def _ratings_form(request: HttpRequest, assessment: AssessmentRequest, only: str | None):
    competencies = list(assessment.cycle.version.competencies.all())
    return RatingsForm(
        request.POST, version=assessment.cycle.version, competencies=competencies, only=only
    )


def _save_posted(request: HttpRequest, assessment: AssessmentRequest, only: str | None = None):
    """Save what the page posted as a draft; returns (field errors, page errors)."""
    form = _ratings_form(request, assessment, only)
    if not form.is_valid():
        return form.errors_by_key(), []
    try:
        do_save_ratings(request.user, assessment, form.ratings())
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return {key: " ".join(problems) for key, problems in error.message_dict.items()}, []
        return {}, _sentences(error)
    return {}, []


@login_required
def request_rate(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _request_or_404(request.user, pk)
    if request.method != "POST":
        return _render_rating_page(request, assessment)
    if not visibility.can_rate(request.user, assessment):
        raise PermissionDenied(f"Only {assessment.rater.name} answers this request.")
    only = request.POST.get("competency") or None
    if only is not None and not assessment.cycle.version.competencies.filter(key=only).exists():
        raise Http404("No such competency in this model version")
    field_errors, page_errors = _save_posted(request, assessment, only)
    if request.headers.get("HX-Request") and only:
        return _render_competency_status(request, only, field_errors, page_errors)
    if field_errors or page_errors:
        keys = list(assessment.cycle.version.competencies.values_list("key", flat=True))
        return _render_rating_page(
            request,
            assessment,
            posted=_posted_answers(request, keys),
            field_errors=field_errors,
            page_errors=page_errors or ["Nothing was saved: fix the answers marked below."],
            status=422,
        )
    messages.success(request, "Draft saved. Submit when every competency has an answer.")
    return redirect("competencies:request_rate", pk=assessment.pk)


def _render_competency_status(
    request: HttpRequest, key: str, field_errors: dict[str, str], page_errors: list[str]
) -> HttpResponse:
    """The status line of the one competency htmx saved: saved, or what went wrong.

    Only the line is swapped: the rater's inputs stay as they are in the page, so a
    second change made while the first is saving is not lost.
    """
    error = field_errors.get(key, "") or " ".join(page_errors)
    return render(
        request,
        "competencies/assess_rate.html#competency_status",
        {"answer": {"error": error, "saved": not error}},
    )


@login_required
@require_POST
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _request_or_404(request.user, pk)
    if not visibility.can_rate(request.user, assessment):
        raise PermissionDenied(f"Only {assessment.rater.name} answers this request.")
    keys = list(assessment.cycle.version.competencies.values_list("key", flat=True))
    posted = _posted_answers(request, keys)
    field_errors: dict[str, str] = {}
    page_errors: list[str] = []
    if posted:
        field_errors, page_errors = _save_posted(request, assessment)
    if not field_errors and not page_errors:
        try:
            do_submit_request(request.user, assessment)
        except ValidationError as error:
            page_errors = _sentences(error)
        else:
            messages.success(
                request,
                f"Submitted your ratings of {assessment.subject.name}. They are locked now; "
                f"{assessment.subject.name}'s manager can reopen them if something must change.",
            )
            return redirect("competencies:my_requests")
    assessment.refresh_from_db()
    return _render_rating_page(
        request,
        assessment,
        posted=posted if field_errors else None,
        field_errors=field_errors,
        page_errors=page_errors,
        status=422,
    )


@login_required
def request_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        AssessmentRequest.objects.select_related("cycle__version__model", "subject", "rater"),
        pk=pk,
    )
    if not visibility.can_manage_subject(request.user, assessment.subject):
        if visibility.can_see_request(request.user, assessment):
            raise PermissionDenied(
                f"Only {assessment.subject.name}'s manager or an admin can reopen submitted "
                "ratings."
            )
        raise Http404("No such request")
    if not visibility.can_reopen(request.user, assessment):
        # Draft, pending or in a closed cycle: no form to fill in, only the reason why.
        refusal = reopen_refusal(request.user, assessment)
        reason = refusal.messages if isinstance(refusal, ValidationError) else [str(refusal)]
        messages.error(request, " ".join(reason))
        return redirect("competencies:cycle_detail", pk=assessment.cycle_id)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_reopen_request(request.user, assessment, form.cleaned_data["reason"])
        except ValidationError as error:
            _add_action_errors(form, error, rename={})
        else:
            messages.success(
                request,
                f"Reopened {assessment.rater.name}'s {assessment.get_kind_display().lower()} "
                f"ratings of {assessment.subject.name}; the reason is recorded.",
            )
            return redirect("competencies:cycle_detail", pk=assessment.cycle_id)
    return render(
        request,
        "competencies/assess_reopen.html",
        {"assessment": assessment, "form": form},
        status=422 if form.errors else 200,
    )


# -- what a user owes ---------------------------------------------------------------------


def _rated(request: AssessmentRequest) -> str:
    return "Yourself" if request.kind == RaterKind.SELF else request.subject.name


def _my_requests_download(
    format: str, table: str, owed: list[AssessmentRequest], rows: list[AssessmentRequest]
) -> HttpResponseBase:
    """The reader's own requests: those to answer, or every submitted one
    (`table=submitted`)."""
    if table == "submitted":
        header = ["Rated", "As", "Cycle", "Submitted"]
        done: list[list[Any]] = [
            [
                _rated(r),
                r.get_kind_display(),
                r.cycle.name,
                timezone.localtime(r.submitted_at).date() if r.submitted_at else None,
            ]  # fmt: skip
            for r in rows
            if r.status == AssessmentRequest.Status.SUBMITTED
        ]
        return table_download(format, "assessments-submitted", header, done)
    header = ["Rate", "As", "Cycle", "Due", "Overdue", "Status"]
    to_answer: list[list[Any]] = [
        [
            _rated(r),
            r.get_kind_display(),
            r.cycle.name,
            r.cycle.due_date,
            "overdue" if r.is_overdue else "",
            r.get_status_display(),
        ]  # fmt: skip
        for r in owed
    ]
    return table_download(format, "assessments-to-answer", header, to_answer)


@login_required
def my_requests(request: HttpRequest) -> HttpResponseBase:
    _require_names(request)
    me = person_id_of(request.user)
    today = timezone.localdate()
    rows = (
        list(
            AssessmentRequest.objects.filter(rater_id=me)
            .exclude(status=Status.DECLINED)
            .select_related("cycle__version__model", "subject")
            .order_by("-cycle__opened_at", "subject__name")
        )
        if me is not None
        else []
    )
    open_rows = [r for r in rows if r.cycle.is_open]
    owed = overdue_first(
        [r for r in open_rows if r.status in (Status.PENDING, Status.DRAFT)], today
    )
    nominations = list(
        visibility.nominations_awaiting(request.user)
        .select_related("cycle", "subject", "rater", "nominated_by")
        .order_by("cycle__due_date", "subject__name", "rater__name")
    )
    download = requested_format(request)
    if download:
        table = request.GET.get("table", "")
        if table == "nominations":
            header = request_rows.MY_NOMINATION_COLUMNS
            nominated = request_rows.my_nomination_rows(nominations)
            return table_download(download, "nominations-to-approve", header, nominated)
        return _my_requests_download(download, table, owed, rows)
    return render(
        request,
        "competencies/assess_my_requests.html",
        {
            "linked": me is not None,
            "owed": owed,
            "awaiting": [r for r in open_rows if r.status == Status.NOMINATED],
            "done": [r for r in rows if r.status == Status.SUBMITTED][:PAGE_SIZE],
            "nominations": nominations,
        },
    )
