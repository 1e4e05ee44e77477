"""Report snapshots: every generated health report, kept so a later one shows the trend
and a past one reopens exactly as it was. The table is also the record of who generated
which report, for whom (the reader's role and scope)."""

from __future__ import annotations

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
