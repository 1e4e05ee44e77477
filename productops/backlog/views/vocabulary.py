"""The label vocabulary page: every label and component seen, and one-click mappings.

Thin: list `label_vocabulary.vocabulary()` (the same call the API and `productops
labels` make) and hand a mapping to `actions.do_map_label` / `do_clear_label_mapping`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from productops.backlog import actions, visibility
from productops.backlog.classification import DIMENSIONS, LABEL_NAMES
from productops.backlog.label_vocabulary import FROM_ORG, file_reading, vocabulary
from productops.backlog.models import Framing, Origin, WorkKind
from productops.imports.tables import requested_format, table_download

PAGE_SIZE = 50
CHOICES = {"origin": Origin, "kind": WorkKind, "framing": Framing}
DIMENSION_NAMES = {"origin": "Origin", "kind": "Kind of work", "framing": "Framing"}


def _said(label: str) -> str:
    return LABEL_NAMES.get(label, label)


@login_required
def labels_page(request: HttpRequest) -> HttpResponseBase:
    if not visibility.sees_vocabulary(request.user):
        raise PermissionDenied("Log in to see the label vocabulary.")
    found = vocabulary()
    show = request.GET.get("show", "")
    rows = found.not_understood if show == "unmapped" else found.rows
    download = requested_format(request)
    if download:
        # every name the filter keeps; per dimension what it reads as and who said so
        header = ["Label or component", "Understood", "As label", "As component"]
        for dimension in DIMENSIONS:
            header += [DIMENSION_NAMES[dimension], f"{DIMENSION_NAMES[dimension]} from"]
        table = []
        for row in rows:
            cells: list[object] = [
                row.shown,
                "yes" if row.understood else "no",
                row.labels,
                row.components,
            ]
            for dimension in DIMENSIONS:
                reading = row.readings.get(dimension)
                by = (
                    ""
                    if reading is None
                    else ("the org's mapping" if reading.by == FROM_ORG else "mapping file")
                )
                cells += [reading.said if reading else "", by]
            table.append(cells)
        return table_download(download, "label-vocabulary", header, table)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    choices = {
        dimension: [
            (value, text) for value, text in CHOICES[dimension].choices if value != "unknown"
        ]
        for dimension in DIMENSIONS
    }
    return render(
        request,
        "backlog/labels.html",
        {
            "vocabulary": found,
            "understood": len(found.understood),
            "share_understood": round(100 * found.items_understood / found.items)
            if found.items
            else 0,
            "page": page,
            "rows": [
                {
                    "row": row,
                    "dimensions": [
                        {
                            "name": dimension,
                            "text": DIMENSION_NAMES[dimension],
                            "reading": row.readings.get(dimension),
                            "by_org": dimension in row.readings
                            and row.readings[dimension].by == FROM_ORG,
                            "file_says": _said(file_reading(row.value, dimension)),
                            "choices": choices[dimension],
                        }
                        for dimension in DIMENSIONS
                    ],
                }
                for row in page
            ],
            "show": show,
            "query": f"show={show}" if show else "",
            "can_map": visibility.can_map_labels(request.user),
            "back": request.get_full_path(),
        },
    )


@login_required
@require_POST
def label_map(request: HttpRequest) -> HttpResponse:
    value = request.POST.get("value", "")
    dimension, label = request.POST.get("dimension", ""), request.POST.get("label", "")
    back = request.POST.get("next", "")
    if not back.startswith(reverse("backlog:labels")):
        back = reverse("backlog:labels")
    try:
        if label:
            actions.do_map_label(request.user, value, dimension, label)
            messages.success(
                request,
                f"'{value}' now maps to {LABEL_NAMES.get(label, label)} for "
                f"{DIMENSION_NAMES.get(dimension, dimension).lower()}; its items were reclassified.",
            )
        else:
            actions.do_clear_label_mapping(request.user, value, dimension)
            messages.success(
                request,
                f"'{value}' is read as the mapping file says again; its items were reclassified.",
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)
