"""The backlog health page, the item list with its reasons, and one-click corrections.

Thin: parse the period and filters, ask `visibility` what the role may see, call
`report.build_report` (the same call the API and `productops backlog-report` make) and
`actions.do_correct`, and draw the report's numbers with the shared SVG chart builders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import TextChoices
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from productops import charts
from productops.accounts.roles import Login
from productops.backlog import actions, learning, visibility
from productops.backlog import report as backlog_report
from productops.backlog.items import (
    FILTERS,
    ITEM_LIST_COLUMNS,
    LEAST_SURE_POOL,
    filtered_items,
    item_list_rows,
    least_sure_items,
    projects,
)
from productops.backlog.models import (
    Framing,
    Item,
    Origin,
    SetBy,
    StatusCategory,
    WorkKind,
)
from productops.backlog.report_rows import (
    EMPTY,
    classifier_rows,
    counts,
    fill_period,
    label_of,
    months,
    origin_groups,
    origin_mix_table,
    share_rows,
    shelved_rows,
    sprint_rows,
)
from productops.imports.tables import requested_format, table_download

PAGE_SIZE = 50

# The choices of each dimension a person can correct, in the order the UI offers them.
DIMENSIONS: dict[str, type[TextChoices]] = {"origin": Origin, "kind": WorkKind, "framing": Framing}


# ---------------------------------------------------------------------------------------
# Period, project and the report itself
# ---------------------------------------------------------------------------------------


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _day(moment: dt.date | None) -> dt.date | None:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def period_from(query: Mapping[str, Any]) -> tuple[dt.date | None, dt.date | None, list[str]]:
    """The period asked for; none means the last 90 days of the data (`build_report`'s
    default). A bad date is named and left out, not fatal."""
    problems = []
    start, end = _date(query.get("start")), _date(query.get("end"))
    for name, value in (("start", start), ("end", end)):
        if query.get(name) and value is None:
            problems.append(
                f"“{query.get(name)}” is not a date (YYYY-MM-DD); it was left out of the period."
            )
    start, end = fill_period(start, end, today=timezone.localdate())
    if start and end and start > end:
        problems.append("The start came after the end; the two were swapped.")
        start, end = end, start
    return start, end, problems


def _import_url(user: Login) -> str | None:
    if not visibility.can_import(user):
        return None
    try:
        return reverse("backlog:import")
    except NoReverseMatch:
        return None


# ---------------------------------------------------------------------------------------
# The report's numbers as charts and rows (tolerant of mappings or lists of rows)
# ---------------------------------------------------------------------------------------


def _segments(choices: type[TextChoices], present: set[str]) -> list[charts.Segment]:
    keys = [c.value for c in choices] + sorted(present - {c.value for c in choices})
    return [charts.Segment(k, label_of(choices, k)) for k in keys if k in present]


def report_view_model(data: dict[str, Any], *, title: str) -> dict[str, Any]:
    """Charts and rows for the page from `BacklogReport.as_dict()`."""
    origin_named = origin_groups(data)
    present = {key for _, numbers in origin_named for key in numbers}
    investment = months(data.get("investment_by_month"))
    kinds_present = {k for _, numbers in investment for k, v in numbers.items() if v}
    framing = counts(data.get("framing_share"))
    sprints = sprint_rows(data.get("sprints"))
    shelved = data.get("shelved") or {}
    shelved_months = months(shelved.get("per_month"))
    return {
        "origin_rows": share_rows(Origin, origin_named),
        "origin_chart": charts.share_bars(
            [charts.StackRow(name, numbers) for name, numbers in origin_named],
            _segments(Origin, present),
            title=f"{title}: where the work comes from",
            description="Origin of the open items and of the items done in the period.",
        ),
        "investment_chart": charts.stacked_bars(
            [charts.StackRow(month, numbers) for month, numbers in investment],
            _segments(WorkKind, kinds_present),
            title=f"{title}: investment balance per month",
            description="Items done each month by kind of work.",
        ),
        "framing_rows": share_rows(Framing, [("Open backlog", framing)])[0]["parts"],
        "unknowns": data.get("unknowns") or [],
        "classifier_rows": classifier_rows(data.get("classifier")),
        "doubtful": {s["dimension"] for s in data.get("classifier") or [] if s.get("doubtful")},
        "sprint_notes": data.get("sprint_notes") or [],
        "sprints": sprints,
        "sprint_chart": charts.bar_list(
            [charts.Bar(s.get("name", ""), s.get("accuracy"), s["accuracy_text"]) for s in sprints],
            title=f"{title}: planning accuracy per sprint",
            maximum=1,
            description="Share of the committed items each sprint completed.",
        )
        if sprints
        else None,
        "churn_chart": charts.bar_list(
            [charts.Bar(s.get("name", ""), s.get("churn"), s["churn_text"]) for s in sprints],
            title=f"{title}: scope churn per sprint",
            colour="#b3261e",
            description="(added + removed) / committed, per sprint.",
        )
        if sprints
        else None,
        "releases": data.get("releases") or [],
        "shelved_items": shelved_rows(shelved.get("items") or []),
        "shelved_total": sum(sum(n.values()) for _, n in shelved_months),
        "shelved_chart": charts.bar_list(
            [charts.Bar(month, sum(n.values())) for month, n in shelved_months],
            title=f"{title}: shelved in-progress items per month",
            colour="#a86400",
        )
        if shelved_months
        else None,
    }


# ---------------------------------------------------------------------------------------
# The health page
# ---------------------------------------------------------------------------------------


def _percent(value: Any) -> float | None:
    # the page's rounding (`percent_text`), as a number
    return None if value is None else round(100 * value)


def _days(value: Any) -> int | None:
    return None if value is None else round(value)


def _report_download(
    format: str, table: str, data: dict[str, Any], sees_items: bool
) -> HttpResponseBase:
    """One of the health page's tables, from the same data (aggregated for a reader
    who sees no items): the origin mix, the sprints, the shelved items or the label
    scores."""
    model = report_view_model(data, title="Backlog") if data.get("item_count") else {}
    if table == "sprints":
        header = ["Sprint", "Committed", "Added", "Removed", "Completed", "Carried over",
                  "Churn %", "Accuracy %", "Added mid-sprint by origin"]  # fmt: skip
        sprints: list[list[Any]] = [
            [
                s.get("name", ""),
                s.get("committed"),
                s.get("added"),
                s.get("removed"),
                s.get("completed"),
                s.get("carried_over"),
                _percent(s.get("churn")),
                _percent(s.get("accuracy")),
                s["added_mix"],
            ]  # fmt: skip
            for s in model.get("sprints", [])
        ]
        return table_download(format, "backlog-sprints", header, sprints)
    if table == "shelved":
        header = ["Item", "Title", "Days in progress", "Shelved", "How"]
        shelved: list[list[Any]] = [
            [
                i.get("key", ""),
                i["title"],
                _days(i.get("days_in_progress")),
                i["day"],
                i["how_text"],
            ]
            for i in (model.get("shelved_items", []) if sees_items else [])
        ]
        return table_download(format, "backlog-shelved", header, shelved)
    if table == "trust":
        header = ["Dimension", "Corrections", "Rules macro-F1", "Learned model macro-F1",
                  "Learned model in use", "Chance"]  # fmt: skip
        scores: list[list[Any]] = [
            [
                r["name"],
                r.get("corrections"),
                r.get("rules_macro_f1"),
                r.get("model_macro_f1"),
                ("yes" if r.get("model_in_use") else "no")
                if r.get("model_macro_f1") is not None
                else "",
                r.get("chance"),
            ]  # fmt: skip
            for r in model.get("classifier_rows", [])
        ]
        return table_download(format, "backlog-label-scores", header, scores)
    header, mix = origin_mix_table(model.get("origin_rows", []))
    return table_download(format, "backlog-origin-mix", header, mix)


@login_required
def report_page(request: HttpRequest) -> HttpResponseBase:
    if not visibility.sees_report(request.user):
        raise PermissionDenied("Log in to see the backlog report.")
    start, end, problems = period_from(request.GET)
    project = request.GET.get("project") or None
    report = backlog_report.build_report(start=start, end=end, project=project)
    data = report.as_dict()
    if not visibility.sees_items(request.user):
        data = visibility.aggregates_only(data)
    download = requested_format(request)
    if download:
        table = request.GET.get("table", "")
        return _report_download(download, table, data, visibility.sees_items(request.user))
    title = f"Backlog {project}" if project else "Backlog"
    return render(
        request,
        "backlog/report.html",
        {
            # the period shown, the data's own when none was asked for
            "start": _day(report.start) or start,
            "end": _day(report.end) or end,
            "period_text": data.get("period_text") or "",
            "project": project or "",
            "projects": projects(),
            "problems": problems,
            "data": data,
            "item_count": data.get("item_count") or 0,
            "verdict": data.get("verdict") or [],
            "sees_items": visibility.sees_items(request.user),
            "import_url": _import_url(request.user),
            "empty": EMPTY,
            **(report_view_model(data, title=title) if data.get("item_count") else {}),
        },
    )


# ---------------------------------------------------------------------------------------
# The item list and corrections
# ---------------------------------------------------------------------------------------


def reason_lines(reasons: Any) -> list[dict[str, Any]]:
    """Reasons as (text, weight) whether the classifier stored strings or small mappings."""
    lines = []
    for reason in reasons or []:
        if isinstance(reason, Mapping):
            text = next(
                (
                    str(reason[k])
                    for k in ("text", "reason", "why", "signal", "rule")
                    if reason.get(k)
                ),
                ", ".join(f"{k}: {v}" for k, v in reason.items() if k != "weight"),
            )
            lines.append({"text": text, "weight": reason.get("weight")})
        else:
            lines.append({"text": str(reason), "weight": None})
    return lines


def item_row(item: Item) -> dict[str, Any]:
    return {
        "item": item,
        "dimensions": [
            {
                "name": name,
                "value": getattr(item, name),
                "label": label_of(choices, getattr(item, name)),
                "set_by": getattr(item, f"{name}_set_by"),
                "set_by_label": label_of(SetBy, getattr(item, f"{name}_set_by")),
                "reasons": reason_lines(getattr(item, f"{name}_reasons")),
                "choices": choices.choices,
            }
            for name, choices in DIMENSIONS.items()
        ],
    }


@login_required
def item_list(request: HttpRequest) -> HttpResponseBase:
    if not visibility.sees_items(request.user):
        raise PermissionDenied(visibility.ITEMS_REFUSED)
    chosen = {name: request.GET.get(name, "") for name in FILTERS}
    least_sure = request.GET.get("least_sure", "")
    least_sure = least_sure if least_sure in DIMENSIONS else ""
    unsure = least_sure_items(least_sure, chosen, limit=PAGE_SIZE) if least_sure else []
    notes = {u.item.pk: u.note for u in unsure}
    listed = [u.item for u in unsure] if least_sure else filtered_items(chosen)
    download = requested_format(request)
    if download:
        return table_download(download, "backlog-items", ITEM_LIST_COLUMNS, item_list_rows(listed))
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backlog/items.html",
        {
            "page": page,
            "rows": [item_row(item) | {"unsure": notes.get(item.pk, "")} for item in page],
            "least_sure": least_sure,
            "least_sure_pool": LEAST_SURE_POOL,
            "min_corrections": learning.MIN_CORRECTIONS,
            "refit_every": learning.REFIT_EVERY,
            "chosen": chosen,
            "query": urlencode({k: v for k, v in chosen.items() if v}),
            "filters": [
                {
                    "name": name,
                    "text": text,
                    "options": [(v, label, v == chosen[name]) for v, label in choices.choices],
                }
                for name, text, choices in (
                    ("origin", "Origin", Origin),
                    ("kind", "Kind of work", WorkKind),
                    ("framing", "Framing", Framing),
                    ("status", "Status", StatusCategory),
                )
            ],
            "projects": projects(),
            "can_correct": visibility.can_correct(request.user),
            "back": request.get_full_path(),
            "any_items": page.paginator.count > 0 or Item.objects.exists(),
            "import_url": _import_url(request.user),
            "empty": EMPTY,
        },
    )


@login_required
@require_POST
def item_correct(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item, pk=pk)
    dimension, label = request.POST.get("dimension", ""), request.POST.get("label", "")
    back = request.POST.get("next", "")
    if not back.startswith(reverse("backlog:items")):
        back = reverse("backlog:items")
    problem = ""
    try:
        item = actions.do_correct(request.user, item, dimension, label)
    except ValidationError as error:
        problem = " ".join(error.messages)
    if request.headers.get("HX-Request"):
        item.refresh_from_db()
        # 200 even for a refused label: htmx swaps only successful responses, and the
        # row carries the sentence saying what was wrong.
        return render(
            request,
            "backlog/items.html#item_row",
            {"row": item_row(item), "can_correct": True, "problem": problem, "back": back},
        )
    if problem:
        messages.error(request, problem)
    return redirect(back)
