"""Library API: competency models, their versions and documents, ladders and level diffs.

The same calls as the library pages. Every authenticated user reads; importing a model is
for admins (`visibility.can_edit_library`). No `from __future__ import annotations`:
django-ninja reads the annotations of route parameters at import time.

Schemas live here rather than in a shared schemas module: each area of the app keeps its
routes and their shapes together.
"""

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Body, Query, Router
from ninja.pagination import paginate

from productops.competencies import visibility
from productops.competencies.actions import ModelImportStatus, import_model_document
from productops.competencies.ladders import load_ladder
from productops.competencies.models import CompetencyModel, Ladder, ModelVersion
from productops.competencies.schemas.library import (
    DiffParams,
    DocumentOut,
    ImportedOut,
    ImportRejectedOut,
    LadderDetailOut,
    LadderOut,
    LevelDiffOut,
    ModelOut,
    VersionOut,
)

router = Router(tags=["competencies: library"])

EDIT_REFUSED = "Only an admin can change the competency library."


@router.get("/models", response=list[ModelOut], summary="Competency models")
@paginate
def list_models(request: HttpRequest):
    models = CompetencyModel.objects.annotate(
        latest_version=Max("versions__number"), version_count=Count("versions")
    ).order_by("name")
    return [
        {
            "slug": model.slug,
            "name": model.name,
            "discipline": model.discipline,
            "description": model.description,
            "built_in": model.built_in,
            "latest_version": model.latest_version,
            "versions": model.version_count,
        }
        for model in models
    ]


@router.get("/models/{slug}/versions", response=list[VersionOut], summary="A model's versions")
def list_versions(request: HttpRequest, slug: str):
    model = get_object_or_404(CompetencyModel, slug=slug)
    return list(model.versions.order_by("-number").only("number", "created_at", "note"))


@router.get(
    "/models/{slug}/versions/{number}",
    response=DocumentOut,
    summary="One version's full document, as export-model writes it",
)
def get_version(request: HttpRequest, slug: str, number: int):
    version = get_object_or_404(ModelVersion, model__slug=slug, number=number)
    return {
        "slug": slug,
        "number": version.number,
        "created_at": version.created_at,
        "note": version.note,
        "document": version.document,
    }


@router.post(
    "/models",
    response={200: ImportedOut, 201: ImportedOut, 422: ImportRejectedOut},
    summary="Import a model document (admins)",
    description=(
        "The JSON body is a model document in the format of docs/competency-model-format.md. "
        "A new model answers 201 with v1, a changed one 201 with the next version, and a "
        "document identical to the latest version 200 with that version. A document with "
        "problems answers 422 with every problem and writes nothing."
    ),
)
def import_model(request: HttpRequest, document: Body[dict[str, Any]], note: str = ""):
    if not visibility.can_edit_library(request.user):
        raise PermissionDenied(EDIT_REFUSED)
    report = import_model_document(document, user=request.user, note=note)
    if not report.ok or report.version is None:
        return 422, {
            "detail": report.summary(),
            "errors": [error.as_dict() for error in report.errors],
        }
    status = 200 if report.status == ModelImportStatus.UNCHANGED else 201
    return status, {
        "status": report.status,
        "slug": report.version.model.slug,
        "number": report.version.number,
        "summary": report.summary(),
    }


@router.get("/ladders", response=list[LadderOut], summary="Career ladders")
@paginate
def list_ladders(request: HttpRequest):
    ladders = (
        Ladder.objects.select_related("model")
        .annotate(level_count=Count("levels"))
        .order_by("discipline", "name")
    )
    return [
        {
            "id": ladder.pk,
            "name": ladder.name,
            "discipline": ladder.discipline,
            "model": ladder.model.slug,
            "levels": ladder.level_count,
        }
        for ladder in ladders
    ]


def _ladder(ladder_id: int) -> Ladder:
    return get_object_or_404(Ladder.objects.select_related("model"), pk=ladder_id)


@router.get(
    "/ladders/{ladder_id}",
    response=LadderDetailOut,
    summary="A ladder with its levels and expectations",
)
def get_ladder(request: HttpRequest, ladder_id: int):
    view = load_ladder(_ladder(ladder_id))
    return {
        "id": view.ladder.pk,
        "name": view.ladder.name,
        "discipline": view.ladder.discipline,
        "model": view.ladder.model.slug,
        "version": view.version.number if view.version else None,
        "scale": view.scale,
        "levels": [
            {
                "key": level.key,
                "name": level.name,
                "position": level.position,
                "aliases": level.aliases,
                "expectations": view.expected[level.key],
            }
            for level in view.levels
        ],
    }


@router.get(
    "/ladders/{ladder_id}/diff",
    response=LevelDiffOut,
    summary="What changes between two levels, competency by competency",
)
def level_diff(request: HttpRequest, ladder_id: int, params: Query[DiffParams]):
    view = load_ladder(_ladder(ladder_id))
    for key in (params.from_level, params.to_level):
        if view.level(key) is None:
            raise Http404(f'No level "{key}" on this ladder')
    return {
        "ladder": view.ladder.pk,
        "version": view.version.number if view.version else None,
        "from_level": params.from_level,
        "to_level": params.to_level,
        "changes": [
            {**asdict(change), "change": change.change}
            for change in view.diff(params.from_level, params.to_level)
        ],
    }
