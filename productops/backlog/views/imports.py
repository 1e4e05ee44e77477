"""The tracker import page: upload exports, see what changed and every problem, by file.

Thin: check `visibility.can_import`, hand the uploads to
`actions.import_uploaded_tracker_files` (the same import the command and the API run) and
render its report with the recent imports.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from productops.backlog import actions, visibility
from productops.backlog.models import TrackerImport

FORMAT_CHOICES = [
    ("jira-json", "Jira JSON (REST API search pages, issues, changelogs)"),
    ("jira-csv", "Jira CSV export"),
    ("github-json", "GitHub Issues JSON"),
    ("linear-csv", "Linear CSV export"),
    ("csv", "Other CSV, with a mapping file"),
]
RECENT_PAGE_SIZE = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: Django's documented recipe."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class TrackerImportForm(forms.Form):
    format = forms.ChoiceField(choices=FORMAT_CHOICES, label="Export format")
    files = MultipleFileField(
        label="Export files",
        help_text="Choose every page of the export at once (a search page per file is fine).",
    )
    mapping = forms.FileField(
        required=False,
        label="Column mapping (other CSV only)",
        help_text="JSON or YAML naming which column is which.",
    )
    fields = forms.FileField(
        required=False,
        label="Jira field list (optional)",
        help_text="The output of /rest/api/3/field, to find Sprint and Story Points.",
    )
    skip_invalid = forms.BooleanField(
        required=False,
        label="Write the good items even if some are bad",
        help_text="By default nothing is written when any item has a problem.",
    )


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not visibility.can_import(request.user):
        raise PermissionDenied("Only admins and managers can import tracker exports.")
    report = None
    if request.method == "POST":
        form = TrackerImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            report = actions.import_uploaded_tracker_files(
                data["files"],
                format=data["format"],
                mapping_upload=data["mapping"],
                fields_upload=data["fields"],
                skip_invalid=data["skip_invalid"],
                user=request.user,
            )
            if report.written:
                messages.success(request, report.summary())
            else:
                messages.error(request, report.summary())
    else:
        form = TrackerImportForm()
    recent = Paginator(
        TrackerImport.objects.select_related("by").order_by("-started_at", "-pk"),
        RECENT_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "backlog/import_page.html",
        {
            "form": form,
            "report": report,
            "page": recent,
            "position_word": "position" if str(form["format"].value()).endswith("json") else "row",
            "max_upload_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20,
        },
    )


urlpatterns = [path("import/", import_page, name="import")]
