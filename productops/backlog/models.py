"""Tracker items from every source as one normalized record, with their history.

Every importer (Jira JSON and CSV, GitHub Issues, Linear, generic CSV) yields the same
records (`backlog.records`); they land here. An item is identified by (source, key), so
re-importing the same export changes nothing and a newer export updates in place.
Changes are de-duplicated by the source's own change id. Each item carries its
classification (origin, kind of work, framing), each with the reasons that produced it
and what set it: the rules, the learned model, or a person's correction (which wins).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from productops.org.models import Discipline, Person


class Source(models.TextChoices):
    JIRA = "jira", "Jira"
    GITHUB = "github", "GitHub Issues"
    LINEAR = "linear", "Linear"
    CSV = "csv", "CSV"


class ItemType(models.TextChoices):
    FEATURE = "feature", "Feature / story"
    BUG = "bug", "Bug"
    INCIDENT = "incident", "Incident"
    TASK = "task", "Task"
    EPIC = "epic", "Epic"
    SUBTASK = "subtask", "Sub-task"
    OTHER = "other", "Other"


class StatusCategory(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Origin(models.TextChoices):
    CUSTOMER = "customer", "Customer need"
    SALES = "sales", "Sales"
    MARKETING = "marketing", "Marketing"
    SUPPORT = "support", "Customer support"
    INTERNAL = "internal", "Internal / technical"
    UNKNOWN = "unknown", "Unknown"


class WorkKind(models.TextChoices):
    NEW_VALUE = "new_value", "New value"
    ENHANCEMENT = "enhancement", "Enhancement"
    QUALITY = "quality", "Quality (bugs, incidents)"
    TECH_DEBT = "tech_debt", "Technical debt"
    KTLO = "ktlo", "Keep the lights on"
    SUPPORT = "support", "Support"
    UNKNOWN = "unknown", "Unknown"


class Framing(models.TextChoices):
    PROBLEM = "problem", "Problem-framed"
    SOLUTION = "solution", "Solution-framed"
    UNKNOWN = "unknown", "Unknown"


class SetBy(models.TextChoices):
    RULES = "rules", "Rules"
    MODEL = "model", "Learned model"
    CORRECTION = "correction", "Correction"


class ImportStatus(models.TextChoices):
    RUNNING = "running", "running"
    FINISHED = "finished", "finished"
    # The process stopped before the end (killed, the server restarted): the import's
    # transaction was rolled back, so nothing of it was written.
    UNFINISHED = "unfinished", "did not finish"


class TrackerImport(models.Model):
    """One run of an import: what came in, what it changed, and what was wrong.

    The row is written when the run starts (status running, committed on its own) and
    completed at the end, so a run whose process was killed is still on record; the
    next import or a look at the imports page marks it as one that did not finish.
    """

    format = models.CharField(max_length=20)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.FINISHED
    )
    # Which process runs it, to tell a run still going from one whose process is gone.
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    files = models.JSONField(default=list)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    items_created = models.PositiveIntegerField(default=0)
    items_updated = models.PositiveIntegerField(default=0)
    items_unchanged = models.PositiveIntegerField(default=0)
    changes_added = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # What records lacked that the analysis could live without: how many, and the first
    # of them (the run's report on the page and the command showed them all when it ran).
    warning_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.format} import of {self.started_at:%Y-%m-%d %H:%M}"


class Sprint(models.Model):
    source = models.CharField(max_length=10, choices=Source.choices)
    source_id = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    state = models.CharField(max_length=20, blank=True)
    start = models.DateTimeField(null=True, blank=True)
    planned_end = models.DateTimeField(null=True, blank=True)
    completed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="one_sprint_per_source_id")
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    source = models.CharField(max_length=10, choices=Source.choices)
    key = models.CharField(max_length=100)
    title = models.TextField()
    description = models.TextField(blank=True)
    type = models.CharField(max_length=10, choices=ItemType.choices, default=ItemType.OTHER)
    original_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=100, blank=True)
    status_category = models.CharField(
        max_length=12, choices=StatusCategory.choices, default=StatusCategory.TODO
    )
    resolution = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(null=True, blank=True)
    resolved = models.DateTimeField(null=True, blank=True)
    reporter = models.CharField(max_length=200, blank=True)  # as the source gives it
    reporter_email = models.CharField(max_length=254, blank=True)
    reporter_account = models.CharField(max_length=200, blank=True)
    reporter_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_items"
    )
    # The discipline a reporter assignment gives a reporter who is no person of the org
    # (`ReporterAssignment`); "" otherwise. A matched person's own discipline comes first.
    reporter_discipline = models.CharField(
        max_length=20, choices=Discipline.choices, blank=True, default=""
    )
    assignee = models.CharField(max_length=200, blank=True)
    project = models.CharField(max_length=200, blank=True, help_text="Project or product area")
    labels = models.JSONField(default=list, blank=True)
    components = models.JSONField(default=list, blank=True)
    parent_key = models.CharField(max_length=100, blank=True)
    epic_key = models.CharField(max_length=100, blank=True)
    sprints = models.JSONField(default=list, blank=True)  # sprint source ids, in order
    fix_versions = models.JSONField(default=list, blank=True)
    priority = models.CharField(max_length=50, blank=True)
    story_points = models.FloatField(null=True, blank=True)
    links = models.JSONField(default=list, blank=True)  # [{"type", "key"|"url", "title"}]
    # A fingerprint of the imported fields: an unchanged re-import writes nothing.
    content_hash = models.CharField(max_length=64, blank=True)

    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.UNKNOWN)
    origin_reasons = models.JSONField(default=list, blank=True)
    origin_set_by = models.CharField(max_length=10, choices=SetBy.choices, default=SetBy.RULES)
    kind = models.CharField(max_length=12, choices=WorkKind.choices, default=WorkKind.UNKNOWN)
    kind_reasons = models.JSONField(default=list, blank=True)
    kind_set_by = models.CharField(max_length=10, choices=SetBy.choices, default=SetBy.RULES)
    framing = models.CharField(max_length=10, choices=Framing.choices, default=Framing.UNKNOWN)
    framing_reasons = models.JSONField(default=list, blank=True)
    framing_set_by = models.CharField(max_length=10, choices=SetBy.choices, default=SetBy.RULES)

    class Meta:
        ordering = ["source", "key"]
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="one_item_per_key")]
        indexes = [
            models.Index(fields=["status_category"]),
            models.Index(fields=["origin"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["project"]),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.title[:60]}"


class Change(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="changes")
    change_id = models.CharField(max_length=100)  # the source's id for this change
    author = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()
    field = models.CharField(max_length=100)
    from_value = models.TextField(blank=True)
    to_value = models.TextField(blank=True)

    class Meta:
        ordering = ["item", "at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "change_id", "field"], name="one_change_per_source_id"
            )
        ]
        indexes = [models.Index(fields=["field", "at"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.field}: {self.from_value} → {self.to_value}"


class Correction(models.Model):
    """A person's label for one dimension of one item: always wins over rules and model."""

    class Dimension(models.TextChoices):
        ORIGIN = "origin", "Origin"
        KIND = "kind", "Kind of work"
        FRAMING = "framing", "Framing"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="corrections")
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    label = models.CharField(max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "dimension"], name="one_correction_per_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.dimension} = {self.label}"


class LearnedModel(models.Model):
    """A classifier trained on the org's own corrections, kept with its honest scores."""

    dimension = models.CharField(max_length=10, choices=Correction.Dimension.choices)
    trained_at = models.DateTimeField(default=timezone.now)
    examples = models.PositiveIntegerField()
    cv_macro_f1 = models.FloatField()
    rules_macro_f1 = models.FloatField()
    in_use = models.BooleanField(default=False)
    blob = models.BinaryField()

    class Meta:
        ordering = ["dimension", "-trained_at"]

    def __str__(self) -> str:
        return f"{self.dimension} model of {self.trained_at:%Y-%m-%d} (F1 {self.cv_macro_f1:.2f})"


class ImportedPage(models.Model):
    """A tracker export file imported before, remembered by a fingerprint of its bytes.

    When the same file comes again, the people of the org are the same, and every item it
    held still has the content fingerprint it had then, nothing in it can change anything:
    the importer skips the file without parsing it. Any difference (one byte of the file,
    the importer's own code, a new person a reporter may now match) means it is read.
    """

    source = models.CharField(max_length=10, choices=Source.choices)
    digest = models.CharField(max_length=64)  # the file's bytes and how they were read
    people = models.CharField(max_length=64)  # the org's people when it was imported
    items = models.JSONField(default=list)  # [[key, content_hash], ...]
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "digest"], name="one_page_per_digest")
        ]

    def __str__(self) -> str:
        return f"{self.source} page {self.digest[:12]} ({len(self.items)} items)"


class ReporterAssignment(models.Model):
    """The org's own answer to "who is this reporter?" for a reporter no person matched.

    A reporter is known by a key of the source (`reporters.reporter_key`: their email,
    else their account id, else their name). Either a person of the org (their discipline
    then counts) or only a discipline ("a sales person who left"); everything the
    reporter filed, now and in later imports, is classified with it.
    """

    source = models.CharField(max_length=10, choices=Source.choices)
    reporter_key = models.CharField(max_length=300)
    reporter_name = models.CharField(max_length=200, blank=True)  # as shown when assigned
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    discipline = models.CharField(max_length=20, choices=Discipline.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source", "reporter_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reporter_key"], name="one_assignment_per_reporter"
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, discipline="")
                | models.Q(person__isnull=True) & ~models.Q(discipline=""),
                name="assigned_to_a_person_or_a_discipline",
            ),
        ]

    def __str__(self) -> str:
        to = self.person.name if self.person else self.get_discipline_display()
        return f"{self.reporter_name or self.reporter_key} ({self.source}) is {to}"

    def clean(self) -> None:
        if (self.person_id is None) == (not self.discipline):
            raise ValidationError("Assign the reporter to a person or to a discipline, not both.")


class LabelMapping(models.Model):
    """The org's own reading of a label or component: one dimension, one label.

    Used by the classifier next to `backlog/mapping.yaml` (and wins over it for that
    name): like the file's mappings, it applies to labels and components of that name,
    matched case-insensitively and whole. `value` is stored lowercased.
    """

    class Dimension(models.TextChoices):
        ORIGIN = "origin", "Origin"
        KIND = "kind", "Kind of work"
        FRAMING = "framing", "Framing"

    value = models.CharField(max_length=200)
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    label = models.CharField(max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["value", "dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["value", "dimension"], name="one_label_mapping_per_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"'{self.value}' → {self.dimension} {self.label}"
