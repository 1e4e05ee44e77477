"""The people import page: upload an HR export, see what was written and what was not."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from productops.imports import ImportReport, form_skip_hint
from productops.org import visibility
from productops.org.actions import import_people_file
from productops.org.forms import ImportPeopleForm


@login_required
def import_people(request: HttpRequest) -> HttpResponse:
    if not visibility.can_manage_org(request.user):
        raise PermissionDenied("Only an admin can import people.")
    report: ImportReport | None = None
    if request.method == "POST":
        form = ImportPeopleForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            skip_invalid = form.cleaned_data["skip_invalid"]
            report = import_people_file(upload, skip_invalid=skip_invalid, source=upload.name)
            if report.written:
                messages.success(request, f"Imported {upload.name}: {report.summary()}")
            else:
                label = form.fields["skip_invalid"].label
                messages.error(request, report.summary(form_skip_hint(label, used=skip_invalid)))
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
