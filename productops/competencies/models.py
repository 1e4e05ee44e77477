"""Competency models as versioned data, career ladders, assessment cycles and ratings.

A `CompetencyModel` is a name and a discipline; its content lives in immutable
`ModelVersion`s. Editing a model creates a new version, and every assessment cycle keeps
the version it was made with, so old assessments still render as they were rated.
Competencies are addressed by their `key` (stable across versions), which is what ladder
expectations and ratings refer to.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from productops.org.models import Discipline, Person


class CompetencyModel(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    discipline = models.CharField(max_length=20, choices=Discipline.choices)
    description = models.TextField(blank=True)
    built_in = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def latest(self) -> ModelVersion | None:
        return self.versions.order_by("-number").first()


class ModelVersion(models.Model):
    model = models.ForeignKey(CompetencyModel, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # The ordered rating scale: [{"step": 1, "label": "...", "meaning": "..."}, ...]
    scale = models.JSONField()
    # The whole validated document, exactly as export-model writes it back out.
    document = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["model__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="one_number_per_model")
        ]

    def __str__(self) -> str:
        return f"{self.model.name} v{self.number}"

    @property
    def steps(self) -> list[int]:
        return [entry["step"] for entry in self.scale]

    @property
    def top_step(self) -> int:
        return max(self.steps)


class Area(models.Model):
    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_area_key_per_version")
        ]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="competencies")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="competencies")
    key = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField()
    # One short descriptor per scale step, in scale order.
    levels = models.JSONField()
    # Optional observable behaviours: [{"text": "...", "evidence": "artifact|peer|self"}]
    behaviours = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["version", "area__position", "position"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="one_competency_key_per_version"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Ladder(models.Model):
    """Role levels for one discipline, with the expected step per competency of a model."""

    name = models.CharField(max_length=200)
    discipline = models.CharField(max_length=20, choices=Discipline.choices)
    model = models.ForeignKey(CompetencyModel, on_delete=models.CASCADE, related_name="ladders")

    class Meta:
        ordering = ["discipline", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="unique_ladder_name")]

    def __str__(self) -> str:
        return self.name


class LadderLevel(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="levels")
    key = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField()
    # Other spellings of this level in HR data ("L5", "Senior"), matched to Person.level.
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["ladder", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "key"], name="one_level_key_per_ladder")
        ]

    def __str__(self) -> str:
        return f"{self.ladder.name}: {self.name}"


class Expectation(models.Model):
    level = models.ForeignKey(LadderLevel, on_delete=models.CASCADE, related_name="expectations")
    competency_key = models.SlugField(max_length=100)
    step = models.PositiveIntegerField()

    class Meta:
        ordering = ["level", "competency_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "competency_key"], name="one_expectation_per_competency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.competency_key} ≥ {self.step}"


class RaterKind(models.TextChoices):
    SELF = "self", "Self"
    MANAGER = "manager", "Manager"
    PEER = "peer", "Peer"


class AssessmentCycle(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="cycles")
    due_date = models.DateField()
    # Which rater kinds this cycle asks for: a list of RaterKind values.
    rater_kinds = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    subjects = models.ManyToManyField(Person, related_name="assessment_cycles", blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = set(self.rater_kinds) - set(RaterKind.values)
        if unknown or not self.rater_kinds:
            raise ValidationError(
                {"rater_kinds": f"Choose at least one of {', '.join(RaterKind.values)}."}
            )

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class AssessmentRequest(models.Model):
    """One rater asked to rate one subject in one cycle."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", "Nominated, awaiting the manager's approval"
        PENDING = "pending", "Not started"
        DRAFT = "draft", "Draft saved"
        SUBMITTED = "submitted", "Submitted"
        DECLINED = "declined", "Nomination declined"

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="requests")
    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessed_in")
    rater = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rating_requests")
    kind = models.CharField(max_length=10, choices=RaterKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    nominated_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "subject__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "subject", "rater", "kind"], name="one_request_per_rater"
            )
        ]
        indexes = [models.Index(fields=["rater", "status"])]

    def __str__(self) -> str:
        return f"{self.rater} rates {self.subject} ({self.kind}) in {self.cycle}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_overdue(self) -> bool:
        return (
            self.status in (self.Status.PENDING, self.Status.DRAFT)
            and self.cycle.is_open
            and self.cycle.due_date < timezone.localdate()
        )


class Rating(models.Model):
    request = models.ForeignKey(AssessmentRequest, on_delete=models.CASCADE, related_name="ratings")
    competency_key = models.SlugField(max_length=100)
    score = models.PositiveIntegerField(null=True, blank=True)
    not_observed = models.BooleanField(default=False)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["request", "competency_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "competency_key"], name="one_rating_per_competency"
            ),
            models.CheckConstraint(
                condition=models.Q(not_observed=False) | models.Q(score__isnull=True),
                name="not_observed_has_no_score",
            ),
        ]

    def __str__(self) -> str:
        shown = "not observed" if self.not_observed else self.score
        return f"{self.competency_key}: {shown}"


class Reopening(models.Model):
    """A submitted request reopened by a manager, with the reason: the audit trail."""

    request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="reopenings"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Reopened {self.request} on {self.at:%Y-%m-%d}"
