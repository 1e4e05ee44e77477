"""The model library: importing models and new versions, built-in models, ladders, expectations
and career paths. `check_*` validates and authorizes, `do_*` writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from productops.accounts.roles import Login
from productops.accounts.roles import author_of as _author
from productops.competencies.importers.career_path_csv import CareerPath, parse_career_path_file
from productops.competencies.model_format import (
    Document,
    FormatError,
    Lines,
    check_ladder_document,
    check_model_document,
    parse_model_text,
    read_document_text,
    same_content,
    slug_for_name,
    with_version,
)
from productops.competencies.models import (
    Area,
    Competency,
    CompetencyModel,
    Expectation,
    Ladder,
    LadderLevel,
    ModelVersion,
)
from productops.imports import ParseResult, RowError

if TYPE_CHECKING:
    pass


BUILTIN_DIR = Path(__file__).resolve().parent.parent / "builtin"
BUILTIN_MODEL_FILES = (
    "pm-wheel.yaml",
    "pm-toolkit.yaml",
    "product-design.yaml",
    "engineering-lead.yaml",
)
BUILTIN_LADDER_FILES = (
    "ladders/product.yaml",
    "ladders/design.yaml",
    "ladders/engineering-lead.yaml",
)
BUILTIN_NOTE = "Built into productops"


class InvalidDocument(ValueError):
    """A model or ladder document with problems; nothing was written."""

    def __init__(self, errors: list[FormatError]) -> None:
        shown = "; ".join(str(error) for error in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        super().__init__(f"{len(errors)} problem(s): {shown}{more}")
        self.errors = errors


class ModelImportStatus:
    CREATED = "created"  # a model productops did not have
    NEW_VERSION = "new version"
    UNCHANGED = "unchanged"  # identical to the latest version: nothing written


@dataclass
class ModelImportReport:
    version: ModelVersion | None = None
    status: str = ""  # a ModelImportStatus; "" when the document was rejected
    errors: list[FormatError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.version is not None and not self.errors

    def summary(self) -> str:
        if not self.ok or self.version is None:
            return f"Nothing was written: {len(self.errors)} problem(s) found."
        name = self.version.model.name
        number = self.version.number
        if self.status == ModelImportStatus.UNCHANGED:
            return f"{name} v{number} unchanged: the document is identical to the latest version."
        if self.status == ModelImportStatus.CREATED:
            return f"Created the model {name}, v{number}."
        return f"Created {name} v{number}."


def import_model_text(
    text: str, *, filename: str = "", user: Login | None = None, note: str = ""
) -> ModelImportReport:
    """Check and import a model file's text (YAML or JSON): the upload page and command."""
    document, errors = parse_model_text(text, filename=filename)
    if document is None:
        return ModelImportReport(errors=errors)
    return _import_checked_model(document, user=user, note=note, source=filename)


def import_model_document(
    data: Any, *, user: Login | None = None, note: str = "", built_in: bool = False
) -> ModelImportReport:
    """Check and import raw model data, such as an API body."""
    document, errors = check_model_document(data)
    if document is None:
        return ModelImportReport(errors=errors)
    return _import_checked_model(document, user=user, note=note, built_in=built_in)


def do_import_model(
    document: Document, *, user: Login | None = None, note: str = "", built_in: bool = False
) -> ModelVersion:
    """Import a model document: v1 of a new model, the next version of a changed one.

    A document identical to the model's latest version returns that version and writes
    nothing, so importing the same file twice is harmless. Raises `InvalidDocument`.
    """
    report = import_model_document(document, user=user, note=note, built_in=built_in)
    if report.version is None:
        raise InvalidDocument(report.errors)
    return report.version


def do_load_builtin_models() -> list[ModelVersion]:
    """Load the models shipped in `builtin/`; returns the latest version of each.

    A shipped model whose content equals any version productops already has is left
    alone, so loading again writes nothing and never undoes an admin's edit; a newer
    release of productops that changes a built-in adds a version.
    """
    versions = []
    with transaction.atomic():
        for name in BUILTIN_MODEL_FILES:
            path = BUILTIN_DIR / name
            document, errors = parse_model_text(path.read_text("utf-8"), filename=path.name)
            if document is None:
                raise InvalidDocument(errors)
            report = _import_checked_model(
                document, user=None, note=BUILTIN_NOTE, built_in=True, keep_edits=True
            )
            if report.version is None:
                raise InvalidDocument(report.errors)
            versions.append(report.version)
    return versions


class _Rejected(Exception):
    def __init__(self, errors: list[Any]) -> None:
        super().__init__(str(errors))
        self.errors = errors


def _import_checked_model(
    document: Document,
    *,
    user: Login | None,
    note: str,
    built_in: bool = False,
    keep_edits: bool = False,
    source: str = "",
) -> ModelImportReport:
    try:
        with transaction.atomic():
            return _write_model(
                document,
                user=user,
                note=note,
                built_in=built_in,
                keep_edits=keep_edits,
                source=source,
            )
    except _Rejected as rejected:
        return ModelImportReport(errors=rejected.errors)
    except IntegrityError as problem:
        reason = (
            f"productops changed while importing ({problem}); nothing was written. Import again."
        )
        return ModelImportReport(errors=[FormatError.at("", reason, source=source)])


def _write_model(
    document: Document,
    *,
    user: Login | None,
    note: str,
    built_in: bool,
    keep_edits: bool,
    source: str,
) -> ModelImportReport:
    model = _model_for(document, source)
    if model is None:
        model = CompetencyModel.objects.create(
            name=document["name"],
            slug=document["slug"],
            discipline=document["discipline"],
            description=document["description"],
            built_in=built_in,
        )
        version = _write_version(model, document, 1, user=user, note=note)
        return ModelImportReport(version=version, status=ModelImportStatus.CREATED)
    versions = list(model.versions.order_by("-number"))
    # A model is matched by slug, or else by name; either way it keeps its own slug.
    document = {**document, "slug": model.slug}
    known = versions[:1] if not keep_edits else versions
    if any(same_content(version.document, document) for version in known):
        return ModelImportReport(version=versions[0], status=ModelImportStatus.UNCHANGED)
    model.name = document["name"]
    model.discipline = document["discipline"]
    model.description = document["description"]
    model.built_in = model.built_in or built_in
    model.save()
    number = versions[0].number + 1 if versions else 1
    version = _write_version(model, document, number, user=user, note=note)
    return ModelImportReport(version=version, status=ModelImportStatus.NEW_VERSION)


def _model_for(document: Document, source: str) -> CompetencyModel | None:
    """The model a document is a version of (locked for the import), or None for a new one."""
    models = CompetencyModel.objects.select_for_update()
    model = models.filter(slug=document["slug"]).first()
    named = models.filter(name__iexact=document["name"]).first()
    if named is None or named == model:
        return model
    # A file without a slug gets one made from its name; such a file means the model of
    # that name. A slug the file gives, with another model's name, is a clash.
    if model is None and document["slug"] == slug_for_name(document["name"]):
        return named
    reason = (
        f'"{named.name}" is the name of another model ({named.slug}); choose another name, '
        "or import with that model's slug to add a version to it"
    )
    raise _Rejected([FormatError.at("name", reason, source=source)])


def _write_version(
    model: CompetencyModel, document: Document, number: int, *, user: Login | None, note: str
) -> ModelVersion:
    version = ModelVersion.objects.create(
        model=model,
        number=number,
        scale=document["scale"],
        document=with_version(document, number),
        created_by=_author(user),
        note=note[: ModelVersion._meta.get_field("note").max_length],
    )
    areas = Area.objects.bulk_create(
        Area(version=version, key=area["key"], name=area["name"], position=position)
        for position, area in enumerate(document["areas"])
    )
    Competency.objects.bulk_create(
        Competency(
            version=version,
            area=area,
            key=competency["key"],
            name=competency["name"],
            description=competency["description"],
            position=position,
            levels=competency["levels"],
            behaviours=competency["behaviours"],
        )
        for area, area_document in zip(areas, document["areas"], strict=True)
        for position, competency in enumerate(area_document["competencies"])
    )
    return version


def do_import_ladder(
    document: Any, *, lines: Lines | None = None, source: str = "", keep_existing: bool = False
) -> Ladder:
    """Create or replace a ladder from a ladder document (see the format docs).

    A ladder is matched by name; the document is the truth for its levels (levels it
    does not list are removed) and their expectations, which are checked against the
    latest version of its model. With `keep_existing`, an existing ladder is returned
    untouched. Raises `InvalidDocument`.
    """
    with transaction.atomic():
        checked, model, errors = check_ladder(document, lines=lines, source=source)
        if checked is None or model is None:
            raise InvalidDocument(errors)
        existing = Ladder.objects.select_for_update().filter(name=checked["name"]).first()
        if existing is not None and keep_existing:
            return existing
        if existing is not None and existing.model_id != model.pk:
            reason = (
                f'the ladder "{existing.name}" is on the model {existing.model.slug}; a ladder keeps '
                "its model, so give this one another name"
            )
            raise InvalidDocument([FormatError.at("model", reason, source=source)])
        return _write_ladder(checked, model, existing)


def check_ladder(
    document: Any, *, lines: Lines | None = None, source: str = ""
) -> tuple[Document | None, CompetencyModel | None, list[FormatError]]:
    """Check a ladder document against the latest version of the model it names."""
    slug = document.get("model") if isinstance(document, dict) else None
    model = CompetencyModel.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    version = model.latest if model is not None else None
    keys = set(version.competencies.values_list("key", flat=True)) if version else None
    steps = version.steps if version else None
    checked, errors = check_ladder_document(
        document, competency_keys=keys, steps=steps, lines=lines, source=source
    )
    if isinstance(slug, str) and version is None:
        reason = f'productops has no competency model "{slug}"; import the model first'
        errors = [FormatError.at("model", reason, source=source), *errors]
        checked = None
    return checked, model, errors


def _write_ladder(document: Document, model: CompetencyModel, ladder: Ladder | None) -> Ladder:
    if ladder is None:
        ladder = Ladder.objects.create(
            name=document["name"], discipline=document["discipline"], model=model
        )
    else:
        ladder.discipline = document["discipline"]
        ladder.save(update_fields=["discipline"])
    wanted = {level["key"]: level for level in document["levels"]}
    ladder.levels.exclude(key__in=list(wanted)).delete()
    existing = {level.key: level for level in ladder.levels.all()}
    levels = []
    for position, (key, level_document) in enumerate(wanted.items()):
        level = existing.get(key) or LadderLevel(ladder=ladder, key=key)
        level.name = level_document["name"]
        level.position = position
        level.aliases = level_document["aliases"]
        levels.append(level)
    LadderLevel.objects.bulk_update(
        [level for level in levels if level.pk], ["name", "position", "aliases"]
    )
    LadderLevel.objects.bulk_create([level for level in levels if not level.pk])
    Expectation.objects.filter(level__ladder=ladder).delete()
    Expectation.objects.bulk_create(
        Expectation(level=level, competency_key=key, step=step)
        for level in levels
        for key, step in wanted[level.key]["expectations"].items()
    )
    return ladder


def do_load_builtin_ladders() -> list[Ladder]:
    """Create the ladders shipped in `builtin/ladders/`, loading the models they need.

    A built-in ladder is created once; after that it belongs to the organization, so
    loading again leaves an existing ladder (and every edit made to it) alone.
    """
    ladders = []
    with transaction.atomic():
        do_load_builtin_models()
        for name in BUILTIN_LADDER_FILES:
            path = BUILTIN_DIR / name
            data, lines, errors = read_document_text(path.read_text("utf-8"), filename=path.name)
            if errors:
                raise InvalidDocument(errors)
            ladders.append(
                do_import_ladder(data, lines=lines, source=path.name, keep_existing=True)
            )
    return ladders


def check_expectation(level: LadderLevel, competency_key: str, step: int | None) -> ModelVersion:
    """An expectation must name a competency and a step of the model's latest version."""
    version = level.ladder.model.latest
    if version is None:
        raise ValidationError(f"The model {level.ladder.model.name} has no version yet.")
    if not version.competencies.filter(key=competency_key).exists():
        raise ValidationError(
            f'{version} has no competency "{competency_key}".', code="unknown_competency"
        )
    if step is not None and step not in version.steps:
        steps = ", ".join(str(s) for s in version.steps)
        raise ValidationError(
            f"{step} is not a step of the scale of {version} ({steps}).", code="unknown_step"
        )
    return version


def do_set_expectation(
    level: LadderLevel, competency_key: str, step: int | None
) -> Expectation | None:
    """Set the step a level expects for one competency; None removes the expectation."""
    check_expectation(level, competency_key, step)
    if step is None:
        Expectation.objects.filter(level=level, competency_key=competency_key).delete()
        return None
    expectation, _ = Expectation.objects.update_or_create(
        level=level, competency_key=competency_key, defaults={"step": step}
    )
    return expectation


@dataclass
class CareerPathReport:
    models: list[ModelImportReport] = field(default_factory=list)
    ladders: list[Ladder] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    def summary(self) -> str:
        if not self.written:
            return f"Nothing was written: {len(self.errors)} problem(s) found."
        lines = [report.summary() for report in self.models]
        lines += [
            f"Ladder {ladder.name}: {ladder.levels.count()} levels." for ladder in self.ladders
        ]
        return " ".join(lines)


def import_career_path_file(
    file: Any,
    *,
    model_name: str | None = None,
    discipline: str | None = None,
    source: str = "",
    user: Login | None = None,
) -> CareerPathReport:
    """Check and import a career-path CSV (a path or an open file) as models and ladders."""
    result = parse_career_path_file(
        file, model_name=model_name, discipline=discipline, source=source
    )
    return do_import_career_paths(result, user=user, source=source)


def do_import_career_paths(
    result: ParseResult[CareerPath], *, user: Login | None = None, source: str = ""
) -> CareerPathReport:
    """Write every path of a parsed career-path file in one transaction, or nothing."""
    if result.errors or not result.records:
        return CareerPathReport(errors=list(result.errors))
    note = f"Imported from the career-path file {source}" if source else "Imported career path"
    try:
        with transaction.atomic():
            report = CareerPathReport(written=True)
            for path in result.records:
                model_report = _import_checked_model(path.model, user=user, note=note)
                if not model_report.ok:
                    raise _Rejected(_on_row(path.first_row, model_report.errors, source))
                report.models.append(model_report)
                try:
                    report.ladders.append(do_import_ladder(path.ladder))
                except InvalidDocument as invalid:
                    raise _Rejected(_on_row(path.first_row, invalid.errors, source)) from None
            return report
    except _Rejected as rejected:
        return CareerPathReport(errors=rejected.errors)


def _on_row(row: int, errors: list[FormatError], source: str) -> list[RowError]:
    """Problems found with a path's model or ladder, placed on the path's first row."""
    return [RowError(row, error.path or None, error.reason, source=source) for error in errors]


# (end of model library section)
