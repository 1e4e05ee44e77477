"""Library pages: competency models, their versions, comparisons, ladders and level diffs.

Thin: parse the request, ask the library modules and actions, render. Every logged-in
user reads the library; uploading a model and changing an expectation are for admins
(`visibility.can_edit_library`), who get the edit links. Each page costs a fixed number
of queries whatever the size of the model or ladder.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from productops.competencies import library_rows, visibility
from productops.competencies.actions import (
    ModelImportStatus,
    check_expectation,
    do_set_expectation,
    import_model_text,
)
from productops.competencies.forms import ExpectationForm, ModelUploadForm
from productops.competencies.ladders import descriptor_for, load_ladder
from productops.competencies.model_compare import compare_documents
from productops.competencies.model_format import (
    FORMATS,
    MAX_FILE_BYTES,
    read_model_bytes,
    render_document,
)
from productops.competencies.models import (
    Competency,
    CompetencyModel,
    Ladder,
    LadderLevel,
    ModelVersion,
)
from productops.imports.tables import requested_format, table_download

EDIT_REFUSED = "Only an admin can change the competency library."


def _require_editor(request: HttpRequest) -> None:
    if not visibility.can_edit_library(request.user):
        raise PermissionDenied(EDIT_REFUSED)


# --- Models -----------------------------------------------------------------------------


@login_required
def library(request: HttpRequest) -> HttpResponse:
    latest = ModelVersion.objects.filter(model=OuterRef(OuterRef("pk"))).order_by("-number")
    competency_count = (
        Competency.objects.filter(version=Subquery(latest.values("pk")[:1]))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    models = CompetencyModel.objects.annotate(
        latest_number=Max("versions__number"),
        version_count=Count("versions"),
        competency_count=Subquery(competency_count),
    ).order_by("-built_in", "name")
    ladders = (
        Ladder.objects.select_related("model")
        .annotate(level_count=Count("levels"))
        .order_by("discipline", "name")
    )
    return render(
        request,
        "competencies/library_index.html",
        {
            "models": models,
            "ladders": ladders,
            "can_edit": visibility.can_edit_library(request.user),
        },
    )


def _version_of(slug: str, number: int | None) -> tuple[CompetencyModel, ModelVersion]:
    model = get_object_or_404(CompetencyModel, slug=slug)
    versions = ModelVersion.objects.filter(model=model)
    version = (
        versions.filter(number=number).first()
        if number is not None
        else versions.order_by("-number").first()
    )
    if version is None:
        raise Http404("No such version")
    return model, version


@login_required
def model_detail(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponseBase:
    model, version = _version_of(slug, number)
    versions = list(
        model.versions.order_by("-number").only("number", "created_at", "note", "model_id")
    )
    document = version.document
    scale = document.get("scale", [])
    areas = [
        {
            "area": area,
            "competencies": [
                {
                    "competency": competency,
                    "cells": list(zip(scale, competency["levels"], strict=False)),
                }
                for competency in area.get("competencies", [])
            ],
        }
        for area in document.get("areas", [])
    ]
    download = requested_format(request)
    if download:
        return _model_download(download, request.GET.get("table", ""), version, versions)
    previous = next((v for v in versions if v.number < version.number), None)
    return render(
        request,
        "competencies/library_model.html",
        {
            "model": model,
            "version": version,
            "versions": versions,
            "is_latest": versions[0].number == version.number,
            "previous": previous,
            "document": document,
            "scale": scale,
            "areas": areas,
            "ladders": model.ladders.order_by("name"),
            "formats": FORMATS,
            "can_edit": visibility.can_edit_library(request.user),
        },
    )


def _model_download(
    format: str, table: str, version: ModelVersion, versions: list[ModelVersion]
) -> HttpResponseBase:
    """One table of a version's page: its rating scale, its versions, or (by default)
    its competency matrix, every area in one sheet."""
    name = f"{version.model.slug}-v{version.number}"
    document = version.document
    if table == "scale":
        rows = library_rows.scale_rows(document.get("scale", []))
        return table_download(format, f"{name}-scale", library_rows.SCALE_COLUMNS, rows)
    if table == "versions":
        rows = library_rows.version_rows(versions)
        name = f"{version.model.slug}-versions"
        return table_download(format, name, library_rows.VERSION_COLUMNS, rows)
    matrix = library_rows.matrix_header(document.get("scale", []))
    return table_download(format, f"{name}-matrix", matrix, library_rows.matrix_rows(document))


@login_required
def model_export(request: HttpRequest, slug: str, number: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format")
    model, version = _version_of(slug, number)
    content_type = "application/json" if fmt == "json" else "application/yaml"
    response = HttpResponse(
        render_document(version.document, fmt), content_type=f"{content_type}; charset=utf-8"
    )
    filename = f"{model.slug}-v{version.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def model_upload(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    errors: list = []
    if request.method == "POST":
        form = ModelUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            text, errors = read_model_bytes(upload.read(MAX_FILE_BYTES + 1), filename=upload.name)
            if text is not None:
                report = import_model_text(
                    text, filename=upload.name, user=request.user, note=form.cleaned_data["note"]
                )
                errors = report.errors
                if report.ok and report.version is not None:
                    level = (
                        messages.INFO
                        if report.status == ModelImportStatus.UNCHANGED
                        else messages.SUCCESS
                    )
                    messages.add_message(request, level, report.summary())
                    return redirect(
                        "competencies:model_detail",
                        slug=report.version.model.slug,
                        number=report.version.number,
                    )
            messages.error(request, f"Nothing was written: {len(errors)} problem(s) found.")
    else:
        form = ModelUploadForm()
    return render(request, "competencies/library_upload.html", {"form": form, "errors": errors})


_REFERENCE = re.compile(r"^(?P<slug>[a-z0-9-]+)(?:@v?(?P<number>\d+))?$")


def _resolve(reference: str) -> ModelVersion | None:
    """The version a reference names: slug@3, slug@v3, or slug alone for the latest."""
    match = _REFERENCE.match(reference.strip().lower())
    if match is None:
        return None
    versions = ModelVersion.objects.filter(model__slug=match["slug"]).select_related("model")
    if match["number"]:
        return versions.filter(number=int(match["number"])).first()
    return versions.order_by("-number").first()


@login_required
def model_compare(request: HttpRequest) -> HttpResponseBase:
    options = list(
        ModelVersion.objects.select_related("model")
        .order_by("model__name", "-number")
        .values_list("model__slug", "model__name", "number")
    )
    left_ref = request.GET.get("left", "")
    right_ref = request.GET.get("right", "")
    problems = []
    left = _resolve(left_ref) if left_ref else None
    right = _resolve(right_ref) if right_ref else None
    for side, reference, version in (("left", left_ref, left), ("right", right_ref, right)):
        if reference and version is None:
            problems.append(f'No model version "{reference}" for the {side} side.')
    comparison = compare_documents(left.document, right.document) if left and right else None
    download = requested_format(request)
    if download:
        if comparison is None:
            raise Http404("Pick two model versions to compare before downloading.")
        rows = library_rows.compare_rows(comparison)
        name = f"compare-{left_ref}-{right_ref}"
        return table_download(download, name, library_rows.COMPARE_COLUMNS, rows)
    return render(
        request,
        "competencies/library_compare.html",
        {
            "options": [
                {"value": f"{slug}@{number}", "label": f"{name} v{number}"}
                for slug, name, number in options
            ],
            "left_ref": left_ref,
            "right_ref": right_ref,
            "left": left,
            "right": right,
            "comparison": comparison,
            "problems": problems,
        },
    )


# --- Ladders ----------------------------------------------------------------------------


def _ladder(pk: int) -> Ladder:
    return get_object_or_404(Ladder.objects.select_related("model"), pk=pk)


@login_required
def ladder_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    view = load_ladder(_ladder(pk))
    download = requested_format(request)
    if download and request.GET.get("table") == "levels":
        levels = library_rows.level_rows(view.levels if view.version else [])
        name = f"ladder-{view.ladder.name}-levels"
        return table_download(download, name, library_rows.LEVEL_COLUMNS, levels)
    if download:
        # the expected step per competency and level, as the page's last table
        header = ["Area", "Competency", *(level.name for level in view.levels)]
        rows = (
            [
                row["competency"].area,
                row["competency"].name,
                *(cell["step"] for cell in row["cells"]),
            ]  # fmt: skip
            for row in (view.rows() if view.version else [])
        )
        return table_download(download, f"ladder-{view.ladder.name}", header, rows)
    steps = {entry["step"]: entry["label"] for entry in view.scale}
    pairs = list(zip(view.levels, view.levels[1:], strict=False))
    return render(
        request,
        "competencies/library_ladder.html",
        {
            "view": view,
            "ladder": view.ladder,
            "rows": view.rows(),
            "steps": steps,
            "pairs": pairs,
            "can_edit": visibility.can_edit_library(request.user),
        },
    )


@login_required
def level_diff(request: HttpRequest, pk: int) -> HttpResponseBase:
    view = load_ladder(_ladder(pk))
    download = requested_format(request)
    if download and len(view.levels) < 2:
        raise Http404("This ladder needs at least two levels to compare.")
    if len(view.levels) < 2:
        return render(
            request,
            "competencies/library_level_diff.html",
            {"view": view, "ladder": view.ladder, "rows": [], "too_short": True},
        )
    keys = [level.key for level in view.levels]
    from_key = request.GET.get("from") or keys[0]
    if from_key not in keys:
        raise Http404("No such level on this ladder")
    to_key = request.GET.get("to") or keys[min(keys.index(from_key) + 1, len(keys) - 1)]
    from_level, to_level = view.level(from_key), view.level(to_key)
    if from_level is None or to_level is None:
        raise Http404("No such level on this ladder")
    rows = view.diff(from_key, to_key)
    if download:
        name = f"ladder-{view.ladder.name}-{from_key}-to-{to_key}"
        if request.GET.get("table") == "unchanged":
            unchanged = library_rows.unchanged_rows(row for row in rows if not row.changed)
            header = library_rows.UNCHANGED_COLUMNS
            return table_download(download, f"{name}-unchanged", header, unchanged)
        changed = library_rows.changed_rows(row for row in rows if row.changed)
        return table_download(download, name, library_rows.CHANGED_COLUMNS, changed)
    return render(
        request,
        "competencies/library_level_diff.html",
        {
            "view": view,
            "ladder": view.ladder,
            "from_level": from_level,
            "to_level": to_level,
            "rows": rows,
            "changed": [row for row in rows if row.changed],
            "unchanged": [row for row in rows if not row.changed],
        },
    )


@login_required
def expectation_edit(
    request: HttpRequest, pk: int, level_key: str, competency_key: str
) -> HttpResponse:
    _require_editor(request)
    ladder = _ladder(pk)
    level = get_object_or_404(LadderLevel, ladder=ladder, key=level_key)
    try:
        version = check_expectation(level, competency_key, None)
    except ValidationError as problem:
        raise Http404(problem.messages[0]) from None
    competency = get_object_or_404(Competency, version=version, key=competency_key)
    current = level.expectations.filter(competency_key=competency_key).first()
    choices: list[tuple[Any, str]] = [("", "No expectation at this level")]
    for entry in version.scale:
        label, text = descriptor_for(competency.levels, version.scale, entry["step"])
        choices.append((entry["step"], f"{entry['step']} · {label}: {text}"))
    if request.method == "POST":
        form = ExpectationForm(request.POST, choices=choices)
        if form.is_valid():
            step = form.cleaned_data["step"]
            try:
                do_set_expectation(level, competency_key, step)
            except ValidationError as problem:
                form.add_error("step", problem)
            else:
                shown = f"step {step}" if step is not None else "no expectation"
                messages.success(request, f"{level.name} now expects {shown} in {competency.name}.")
                return redirect(reverse("competencies:ladder_detail", args=[ladder.pk]))
    else:
        form = ExpectationForm(initial={"step": current.step if current else ""}, choices=choices)
    return render(
        request,
        "competencies/library_expectation.html",
        {
            "ladder": ladder,
            "level": level,
            "competency": competency,
            "version": version,
            "current": current,
            "form": form,
        },
    )
