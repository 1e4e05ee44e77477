"""Report snapshots: every generated health report, kept so a later one shows the trend
and a past one reopens exactly as it was. The table is also the record of who generated
which report, for whom (the reader's role and scope)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class ReportSnapshot(models.Model):
    generated_at = models.DateTimeField(db_index=True)
    generated_by = models.CharField(max_length=150, help_text="The login that generated it.")
    reader_role = models.CharField(max_length=20)
    scope = models.CharField(max_length=200, default="org")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    # {section key: {headline name: value}}
    numbers = models.JSONField(default=dict)
    inputs = models.JSONField(default=dict)  # the data and caveats: what was there, what not
    summary = models.JSONField(default=list)  # the executive summary's findings
    report = models.JSONField(default=dict)  # the whole report, to reopen it as it was

    class Meta:
        ordering = ["-generated_at", "-pk"]
        indexes = [models.Index(fields=["scope", "reader_role", "generated_at"])]

    def __str__(self) -> str:
        return f"health report {self.pk} by {self.generated_by} ({self.generated_at:%Y-%m-%d})"


class StatusHealth(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class StatusState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared"


class StatusUpdate(models.Model):
    """A team's, or an objective's, update for one ISO week (exactly one of `team` and
    `objective` is set): what the data says (`generated`, `health`,
    `reasons`) kept apart from what the PM wrote (`note`, `corrected_health` with its
    `correction_reason`). A shared update is history: it is never edited again; a later
    draft for the same week, once shared, replaces it (`replaces`) and both are kept."""

    team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="status_updates",
    )
    objective = models.ForeignKey(
        "strategy.Objective",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="status_updates",
        help_text="Set instead of the team for an objective's update.",
    )
    week = models.CharField(max_length=8, help_text="The ISO week, like 2026-W48.")
    week_start = models.DateField(help_text="The Monday of the week.")
    state = models.CharField(max_length=10, choices=StatusState.choices, default=StatusState.DRAFT)
    generated = models.JSONField(default=dict)
    generated_at = models.DateTimeField()
    health = models.CharField(max_length=10, choices=StatusHealth.choices)
    reasons = models.JSONField(default=list)  # the rules that fired: rule, level, sentence
    change = models.JSONField(default=dict)  # since the team's previous update
    note = models.TextField(blank=True, help_text="The PM's paragraph.")
    corrected_health = models.CharField(max_length=10, choices=StatusHealth.choices, blank=True)
    correction_reason = models.TextField(blank=True)
    written_by = models.CharField(max_length=150, blank=True)
    written_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.CharField(max_length=150, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )

    class Meta:
        ordering = ["-week_start", "-pk"]
        indexes = [
            models.Index(fields=["team", "state", "week_start"]),
            models.Index(fields=["objective", "state", "week_start"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "week_start"],
                condition=models.Q(state="draft"),
                name="one_status_draft_per_team_week",
            ),
            models.UniqueConstraint(
                fields=["objective", "week_start"],
                condition=models.Q(state="draft"),
                name="one_status_draft_per_objective_week",
            ),
            models.CheckConstraint(
                condition=models.Q(team__isnull=False, objective__isnull=True)
                | models.Q(team__isnull=True, objective__isnull=False),
                name="status_for_a_team_or_an_objective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.week} ({self.state})"

    @property
    def subject_name(self) -> str:
        """The team's name, or the objective's title."""
        if self.objective_id is not None:
            return self.objective.title if self.objective else ""
        return self.team.name if self.team else ""

    @property
    def final_health(self) -> str:
        return self.corrected_health or self.health

    @property
    def is_shared(self) -> bool:
        return self.state == StatusState.SHARED

    def clean(self) -> None:
        if self.corrected_health and self.corrected_health != self.health:
            if not self.correction_reason.strip():
                raise ValidationError(
                    {"correction_reason": "Say why you correct the health: the reason is kept."}
                )
