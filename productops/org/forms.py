"""Every form of the org's pages: the people filter, the people upload, audit thresholds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from productops.org.models import Discipline, Team

ACTIVE_CHOICES = [("active", "Active"), ("inactive", "Left"), ("all", "Everyone")]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    discipline = forms.ChoiceField(
        required=False, choices=[("", "Any discipline"), *Discipline.choices]
    )
    team = forms.ModelChoiceField(
        required=False, queryset=Team.objects.none(), empty_label="Any team"
    )
    status = forms.ChoiceField(required=False, choices=ACTIVE_CHOICES, initial="active")

    def __init__(self, *args: Any, teams: QuerySet[Team] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if teams is not None:
            team = self.fields["team"]
            assert isinstance(team, forms.ModelChoiceField)  # declared just above
            team.queryset = teams


class ImportPeopleForm(forms.Form):
    file = forms.FileField(
        label="People CSV",
        help_text="Columns: name, email, title, discipline, level, manager_email, team, team_role.",
    )
    skip_invalid = forms.BooleanField(
        required=False,
        label="Write the good rows even if some rows are bad",
        help_text="By default nothing is written when any row has a problem.",
    )


class AuditThresholdsForm(forms.Form):
    span_warn = forms.IntegerField(required=False, min_value=1, max_value=500, label="Warn above")
    span_critical = forms.IntegerField(
        required=False, min_value=1, max_value=500, label="Critical above"
    )
    max_chain_depth = forms.IntegerField(
        required=False, min_value=1, max_value=50, label="Deepest chain"
    )
    max_teams_per_pm = forms.IntegerField(
        required=False, min_value=1, max_value=20, label="Teams per PM"
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        warn, critical = data.get("span_warn"), data.get("span_critical")
        if warn and critical and critical < warn:
            raise forms.ValidationError(
                "The critical span must be at least the warning span; the defaults were used instead."
            )
        return data
