"""The reports forms: the PM's part of a team status update, and the week to generate."""

from __future__ import annotations

from typing import Any

from django import forms

from productops.reports.models import StatusHealth
from productops.reports.status import parse_week


class StatusNoteForm(forms.Form):
    note = forms.CharField(
        label="Your paragraph",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the numbers do not say: context, decisions, asks.",
    )
    corrected_health = forms.ChoiceField(
        label="Health",
        required=False,
        choices=[("", "Keep the computed health"), *StatusHealth.choices],
    )
    correction_reason = forms.CharField(
        label="Why you correct it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the update and shown next to the corrected health.",
    )


class StatusWeekForm(forms.Form):
    week = forms.CharField(
        label="ISO week",
        required=False,
        help_text="Like 2026-W48; empty for the last complete week.",
    )

    def clean_week(self) -> Any:
        text = self.cleaned_data["week"].strip()
        if not text:
            return None
        try:
            return parse_week(text)
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None
