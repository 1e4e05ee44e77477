"""Every write in the competencies app: `check_*` validates and authorizes, `do_*` writes.

Sections: the model library (import, new versions, ladders) and assessments (cycles,
requests, ratings, reopening, ratings import). Add to your section only.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from productops.accounts.models import Role
from productops.accounts.roles import Login, person_id_of, role_of
from productops.accounts.roles import author_of as _author
from productops.competencies import visibility
from productops.competencies.career_path_import import CareerPath, parse_career_path_file
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
    AssessmentCycle,
    AssessmentRequest,
    Competency,
    CompetencyModel,
    Expectation,
    Ladder,
    LadderLevel,
    ModelVersion,
    RaterKind,
    Rating,
    Reopening,
)
from productops.imports import ImportRejected, ImportReport, ParseResult, RowError
from productops.org.models import Person

if TYPE_CHECKING:
    from productops.competencies.ratings_import import RatingRow

# ---------------------------------------------------------------------------------------
# Model library and ladders
# ---------------------------------------------------------------------------------------

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
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

# ---------------------------------------------------------------------------------------
# Assessments
# ---------------------------------------------------------------------------------------

# What a rater gives for one competency: a step of the scale or None, whether they marked
# it "not observed", and the evidence note.
RatingInput = tuple[int | None, bool, str]

EVIDENCE_MAX_CHARS = 10_000  # a long paragraph of examples; stops a pasted document


def _only_admins_and_managers(user: Login) -> None:
    if role_of(user) not in (Role.ADMIN, Role.MANAGER):
        raise PermissionDenied(
            "Only admins and managers open assessment cycles. Ask your manager to include "
            "you in one."
        )


def check_open_cycle(
    user: Login,
    *,
    name: str,
    version: ModelVersion,
    subjects: list[Person],
    due_date: datetime.date,
    rater_kinds: list[str],
) -> None:
    """Who may open this cycle, and whether it is complete enough to open."""
    _only_admins_and_managers(user)
    if not visibility.can_open_cycle_for(user, subjects):
        # Counted, not named: the people outside the chain may be people you cannot see.
        chain = visibility.managed_subject_ids(user) or set()
        outside = sum(person.pk not in chain for person in subjects)
        raise PermissionDenied(
            "You can open a cycle only for people in your reporting chain, and "
            f"{outside} of the {len(subjects)} chosen {'is' if outside == 1 else 'are'} not. "
            "Leave them out, or ask an admin to open the cycle."
        )
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = "Give the cycle a name people will recognize, such as 'H2 review'."
    if not subjects:
        problems["subjects"] = "Choose at least one person to assess."
    left = [person.name for person in subjects if not person.active]
    if left:
        problems["subjects"] = f"{', '.join(left)} left the organization; leave them out."
    kinds = set(rater_kinds)
    if not kinds or kinds - set(RaterKind.values):
        problems["rater_kinds"] = "Choose at least one rater kind: self, manager or peer."
    if due_date < timezone.localdate():
        problems["due_date"] = (
            f"The due date {due_date:%Y-%m-%d} is in the past; pick a date raters can still meet."
        )
    if not version.competencies.exists():
        problems["version"] = (
            f"{version} has no competencies to rate; import a complete model version first."
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def do_open_cycle(
    user: Login,
    *,
    name: str,
    version: ModelVersion,
    subjects: list[Person],
    due_date: datetime.date,
    rater_kinds: list[str],
) -> AssessmentCycle:
    """Open a cycle and ask each subject for a self rating and their manager for theirs.

    Peers are not asked here: the subject or their manager nominates them afterwards.
    The cycle comes back with `notes`: sentences about the requests that could not be
    made (a subject without a manager), for the page or command to show.
    """
    subjects = list(
        Person.objects.select_related("manager")
        .filter(pk__in={person.pk for person in subjects})
        .order_by("name")
    )
    check_open_cycle(
        user,
        name=name,
        version=version,
        subjects=subjects,
        due_date=due_date,
        rater_kinds=rater_kinds,
    )
    kinds = [kind for kind in RaterKind.values if kind in set(rater_kinds)]
    cycle = AssessmentCycle.objects.create(
        name=name.strip(),
        version=version,
        due_date=due_date,
        rater_kinds=kinds,
        opened_by=_author(user),
    )
    cycle.subjects.set(subjects)
    requests = []
    notes = []
    for subject in subjects:
        if RaterKind.SELF in kinds:
            requests.append(
                AssessmentRequest(cycle=cycle, subject=subject, rater=subject, kind=RaterKind.SELF)
            )
        if RaterKind.MANAGER not in kinds:
            continue
        manager = subject.manager
        if manager is None or not manager.active:
            why = (
                f"{subject.name} has no manager in productops"
                if manager is None
                else f"{subject.name}'s manager {manager.name} has left"
            )
            notes.append(
                f"{why}, so no one was asked for a manager rating. Set their manager with the "
                "people import to ask one in the next cycle."
            )
            continue
        requests.append(
            AssessmentRequest(cycle=cycle, subject=subject, rater=manager, kind=RaterKind.MANAGER)
        )
    AssessmentRequest.objects.bulk_create(requests)
    if RaterKind.PEER in kinds:
        notes.append(
            "Peers are nominated on the cycle page, by each subject or their manager; "
            "the manager approves nominations made by the subject."
        )
    cycle.notes = notes  # type: ignore[attr-defined]
    return cycle


def check_close_cycle(user: Login, cycle: AssessmentCycle) -> None:
    if not visibility.can_close_cycle(user, cycle):
        raise PermissionDenied(
            "Only an admin, or a manager whose reporting chain holds everyone in the cycle, "
            "can close it."
        )
    if not cycle.is_open:
        raise ValidationError("This cycle is already closed.")


@transaction.atomic
def do_close_cycle(user: Login, cycle: AssessmentCycle) -> AssessmentCycle:
    """Close a cycle: nothing more is rated, nominated or reopened in it."""
    check_close_cycle(user, cycle)
    cycle.status = AssessmentCycle.Status.CLOSED
    cycle.closed_at = timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    return cycle


def _require_open(cycle: AssessmentCycle, what: str) -> None:
    if not cycle.is_open:
        raise ValidationError(f"The cycle {cycle.name} is closed; {what}.")


def check_nominate_peer(
    user: Login, cycle: AssessmentCycle, subject: Person, peer: Person
) -> AssessmentRequest.Status:
    """Whether this peer may be asked about this subject; returns the status to start in."""
    if not visibility.can_nominate_for(user, subject):
        raise PermissionDenied(
            "You can nominate peers only for yourself, or as a manager for people in your "
            "reporting chain."
        )
    _require_open(cycle, "nominations are no longer taken")
    if RaterKind.PEER not in cycle.rater_kinds:
        raise ValidationError("This cycle does not ask for peer ratings.")
    if not cycle.subjects.filter(pk=subject.pk).exists():
        raise ValidationError(f"{subject.name} is not assessed in this cycle.")
    if peer.pk == subject.pk:
        raise ValidationError(
            f"{subject.name} cannot be their own peer: the self-assessment already asks them. "
            "Nominate a colleague who works with them."
        )
    if peer.pk == subject.manager_id:
        raise ValidationError(
            f"{peer.name} is {subject.name}'s manager and gives the manager rating; nominate "
            "a colleague who works with them instead."
        )
    if not peer.active:
        raise ValidationError(f"{peer.name} has left the organization; nominate someone else.")
    existing = AssessmentRequest.objects.filter(
        cycle=cycle, subject=subject, rater=peer, kind=RaterKind.PEER
    ).first()
    if existing is not None and existing.status == AssessmentRequest.Status.DECLINED:
        raise ValidationError(
            f"{peer.name}'s nomination for {subject.name} was declined; nominate someone else."
        )
    if existing is not None:
        raise ValidationError(f"{peer.name} is already nominated as a peer for {subject.name}.")
    if visibility.can_manage_subject(user, subject):
        return AssessmentRequest.Status.PENDING
    return AssessmentRequest.Status.NOMINATED


@transaction.atomic
def do_nominate_peer(
    user: Login, cycle: AssessmentCycle, subject: Person, peer: Person
) -> AssessmentRequest:
    """Ask a peer to rate a subject. A subject's own nomination waits for their manager."""
    status = check_nominate_peer(user, cycle, subject, peer)
    me = person_id_of(user)
    return AssessmentRequest.objects.create(
        cycle=cycle,
        subject=subject,
        rater=peer,
        kind=RaterKind.PEER,
        status=status,
        nominated_by_id=me,
    )


def check_decide_nomination(user: Login, request: AssessmentRequest) -> None:
    if request.kind != RaterKind.PEER or request.status != AssessmentRequest.Status.NOMINATED:
        raise ValidationError(
            f"There is no nomination to decide here: this request is "
            f"{request.get_status_display().lower()}."
        )
    if not visibility.can_manage_subject(user, request.subject):
        raise PermissionDenied(
            f"Only {request.subject.name}'s manager or an admin approves or declines their "
            "peer nominations."
        )
    _require_open(request.cycle, "nominations are no longer decided")


@transaction.atomic
def do_decide_nomination(
    user: Login, request: AssessmentRequest, approve: bool
) -> AssessmentRequest:
    """Approve a peer nomination (the peer is asked) or decline it (nobody is asked)."""
    check_decide_nomination(user, request)
    request.status = (
        AssessmentRequest.Status.PENDING if approve else AssessmentRequest.Status.DECLINED
    )
    request.save(update_fields=["status", "updated_at"])
    return request


def check_answer_request(user: Login, request: AssessmentRequest) -> None:
    """Whether this user may change the answers of a request now."""
    if not visibility.can_rate(user, request):
        raise PermissionDenied(f"Only {request.rater.name} answers this request.")
    _require_open(request.cycle, "its ratings can no longer change")
    status = AssessmentRequest.Status
    if request.status == status.SUBMITTED:
        when = f" on {request.submitted_at:%Y-%m-%d}" if request.submitted_at else ""
        raise ValidationError(
            f"These ratings were submitted{when} and are locked. If something needs to "
            f"change, ask {request.subject.name}'s manager to reopen them with a reason."
        )
    if request.status == status.NOMINATED:
        raise ValidationError(
            f"This nomination awaits the approval of {request.subject.name}'s manager; you "
            "can rate once it is approved."
        )
    if request.status == status.DECLINED:
        raise ValidationError("This nomination was declined, so there is nothing to rate.")


def _competencies_of(version: ModelVersion) -> dict[str, Competency]:
    return {c.key: c for c in version.competencies.order_by("area__position", "position")}


def check_ratings(
    version: ModelVersion,
    ratings: Mapping[str, RatingInput],
    competencies: Mapping[str, Competency] | None = None,
) -> None:
    """Each rating names a competency of the version and a step of its scale."""
    competencies = _competencies_of(version) if competencies is None else competencies
    steps = version.steps
    problems: dict[str, str] = {}
    for key, (score, not_observed, evidence) in ratings.items():
        competency = competencies.get(key)
        if competency is None:
            problems[key] = f"'{key}' is not a competency of {version}; rate only those shown."
        elif score is not None and not_observed:
            problems[key] = f"{competency.name}: choose a score or 'not observed', not both."
        elif score is not None and score not in steps:
            problems[key] = (
                f"{competency.name}: {score} is not on the scale; choose one of "
                f"{', '.join(map(str, steps))}."
            )
        elif len(evidence) > EVIDENCE_MAX_CHARS:
            problems[key] = (
                f"{competency.name}: the evidence is {len(evidence):,} characters long; keep "
                f"it under {EVIDENCE_MAX_CHARS:,} (a few concrete examples)."
            )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def do_save_ratings(
    user: Login, request: AssessmentRequest, ratings: Mapping[str, RatingInput]
) -> AssessmentRequest:
    """Save a draft: the competencies given change, the others stay as they were."""
    check_answer_request(user, request)
    check_ratings(request.cycle.version, ratings)
    existing = {rating.competency_key: rating for rating in request.ratings.all()}
    new, changed = [], []
    for key, (score, not_observed, evidence) in ratings.items():
        values = {"score": score, "not_observed": not_observed, "evidence": evidence.strip()}
        rating = existing.get(key)
        if rating is None:
            if score is not None or not_observed or values["evidence"]:
                new.append(Rating(request=request, competency_key=key, **values))
        elif any(getattr(rating, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(rating, field, value)
            changed.append(rating)
    Rating.objects.bulk_create(new)
    Rating.objects.bulk_update(changed, ["score", "not_observed", "evidence"])
    request.status = AssessmentRequest.Status.DRAFT
    request.save(update_fields=["status", "updated_at"])
    return request


def check_submit_request(user: Login, request: AssessmentRequest) -> None:
    """Every competency rated or marked not observed, every score on the scale."""
    check_answer_request(user, request)
    competencies = _competencies_of(request.cycle.version)
    given = {
        rating.competency_key: (rating.score, rating.not_observed, rating.evidence)
        for rating in request.ratings.all()
    }
    check_ratings(request.cycle.version, given, competencies)
    missing = [
        competency.name
        for key, competency in competencies.items()
        if key not in given or (given[key][0] is None and not given[key][1])
    ]
    if missing:
        raise ValidationError(
            "Rate every competency or mark it not observed before submitting. Still open: "
            f"{', '.join(missing)}. Your answers are saved as a draft."
        )


@transaction.atomic
def do_submit_request(user: Login, request: AssessmentRequest) -> AssessmentRequest:
    """Submit and lock the ratings; only a reopening by a manager unlocks them."""
    check_submit_request(user, request)
    request.status = AssessmentRequest.Status.SUBMITTED
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "submitted_at", "updated_at"])
    return request


def check_reopen_request(user: Login, request: AssessmentRequest, reason: str) -> None:
    if not visibility.can_manage_subject(user, request.subject):
        raise PermissionDenied(
            f"Only {request.subject.name}'s manager or an admin can reopen submitted ratings."
        )
    if request.status != AssessmentRequest.Status.SUBMITTED:
        raise ValidationError(
            "Only submitted ratings can be reopened; these are "
            f"{request.get_status_display().lower()}."
        )
    _require_open(request.cycle, "its submitted ratings stay as they are")
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say why the ratings are reopened: the rater sees it, and it is kept."}
        )


@transaction.atomic
def do_reopen_request(user: Login, request: AssessmentRequest, reason: str) -> Reopening:
    """Unlock submitted ratings as a draft for the rater, recording who reopened them and why."""
    check_reopen_request(user, request, reason)
    reopening = Reopening.objects.create(request=request, by=_author(user), reason=reason.strip())
    request.status = AssessmentRequest.Status.DRAFT
    request.submitted_at = None
    request.save(update_fields=["status", "submitted_at", "updated_at"])
    return reopening


# -- ratings import -----------------------------------------------------------------------


def do_import_ratings(
    result: ParseResult[RatingRow],
    *,
    cycle: AssessmentCycle | None,
    version: ModelVersion,
    new_cycle_name: str = "",
    skip_invalid: bool = False,
) -> ImportReport:
    """Write parsed ratings in one transaction: all rows, or with skip_invalid the good ones.

    Each (subject, rater, kind) becomes a submitted request in the cycle, created when
    missing; each row one rating, matched by competency key, so importing the same file
    again changes nothing. Without `cycle`, a closed cycle named `new_cycle_name` is
    created on `version` (imported ratings are past assessments). Writes are in bulk.
    """
    # No row, or the header row: the file as a whole is unusable, even with skip_invalid.
    file_problems = [error for error in result.errors if (error.row or 0) <= 1]
    if file_problems or (result.errors and not skip_invalid):
        return ImportReport(errors=list(result.errors), written=False)
    if not result.records:
        reason = "no row could be imported, so nothing was written"
        errors = [*result.errors, RowError(None, None, reason)]
        return ImportReport(errors=errors, skipped=len(result.bad_rows), written=False)
    try:
        with transaction.atomic():
            return _write_ratings(result, cycle=cycle, version=version, name=new_cycle_name)
    except ImportRejected as rejected:
        return rejected.report
    except IntegrityError as problem:
        reason = (
            f"productops changed while importing ({problem}); nothing was written. "
            "Import the file again."
        )
        return ImportReport(errors=[RowError(None, None, reason)], written=False)


def _write_ratings(
    result: ParseResult[RatingRow],
    *,
    cycle: AssessmentCycle | None,
    version: ModelVersion,
    name: str,
) -> ImportReport:
    rows = result.records
    kinds = {row.kind for row in rows}
    now = timezone.now()
    if cycle is None:
        cycle = AssessmentCycle.objects.create(
            name=name,
            version=version,
            due_date=timezone.localdate(),
            rater_kinds=[kind for kind in RaterKind.values if kind in kinds],
            status=AssessmentCycle.Status.CLOSED,
            closed_at=now,
        )
    elif not kinds <= set(cycle.rater_kinds):
        cycle.rater_kinds = [k for k in RaterKind.values if k in kinds | set(cycle.rater_kinds)]
        cycle.save(update_fields=["rater_kinds"])
    people = dict(Person.objects.values_list("email", "pk"))
    people = {email.lower(): pk for email, pk in people.items()}
    cycle.subjects.add(*{people[row.subject_email] for row in rows})
    requests = _submitted_requests(cycle, rows, people, now)
    existing = {
        (rating.request_id, rating.competency_key): rating
        for rating in Rating.objects.filter(request__cycle=cycle)
    }
    new, changed = [], []
    created = updated = unchanged = 0
    for row in rows:
        request, was_submitted = requests[row.request_key]
        values = {
            "score": row.score,
            "not_observed": row.not_observed,
            "evidence": row.evidence,
        }
        rating = existing.get((request.pk, row.competency_key))
        if rating is None:
            new.append(Rating(request=request, competency_key=row.competency_key, **values))
            created += 1
        elif any(getattr(rating, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(rating, field, value)
            changed.append(rating)
            updated += 1
        elif not was_submitted:
            updated += 1
        else:
            unchanged += 1
    Rating.objects.bulk_create(new)
    Rating.objects.bulk_update(changed, ["score", "not_observed", "evidence"])
    return ImportReport(
        created=created,
        updated=updated,
        unchanged=unchanged,
        skipped=len(result.bad_rows),
        errors=list(result.errors),
        written=True,
    )


def _submitted_requests(
    cycle: AssessmentCycle,
    rows: list[RatingRow],
    people: Mapping[str, int],
    now: datetime.datetime,
) -> dict[tuple[str, str, str], tuple[AssessmentRequest, bool]]:
    """The cycle's request for each (subject, rater, kind) of the file, submitted.

    Returns each request with whether it was already submitted before this import.
    """
    wanted = {row.request_key for row in rows}
    by_ids = {
        (people[subject], people[rater], kind): (subject, rater, kind)
        for subject, rater, kind in wanted
    }
    found: dict[tuple[str, str, str], tuple[AssessmentRequest, bool]] = {}
    for request in cycle.requests.all():
        key = by_ids.get((request.subject_id, request.rater_id, request.kind))
        if key is not None:
            found[key] = (request, request.status == AssessmentRequest.Status.SUBMITTED)
    answered_now = [request for request, submitted in found.values() if not submitted]
    for request in answered_now:
        request.status = AssessmentRequest.Status.SUBMITTED
        request.submitted_at = now
    AssessmentRequest.objects.bulk_update(answered_now, ["status", "submitted_at"])
    missing = [
        AssessmentRequest(
            cycle=cycle,
            subject_id=ids[0],
            rater_id=ids[1],
            kind=ids[2],
            status=AssessmentRequest.Status.SUBMITTED,
            submitted_at=now,
        )
        for ids, key in by_ids.items()
        if key not in found
    ]
    AssessmentRequest.objects.bulk_create(missing)
    if any(request.pk is None for request in missing):  # a database that returns no ids
        return _submitted_requests(cycle, rows, people, now)
    for request in missing:
        found[by_ids[(request.subject_id, request.rater_id, request.kind)]] = (request, False)
    return found


# (end of assessments section)
