"""Forms of the cadence report and the calendar export."""

from __future__ import annotations

from django import forms


class CadencePeriodForm(forms.Form):
    since = forms.DateField(
        required=False,
        label="Count missed 1:1s from",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to count from each series' start.",
    )


class CalendarTimeForm(forms.Form):
    time = forms.TimeField(required=False, input_formats=["%H:%M"])
