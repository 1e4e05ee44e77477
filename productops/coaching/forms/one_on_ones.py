"""Forms of the 1:1 pages: a series and its settings, scheduling, talking points, notes, actions, check-ins."""

from __future__ import annotations

from typing import Any

from django import forms

from productops.coaching.models import (
    Cadence,
    CheckIn,
    OneOnOneSeries,
)
from productops.org.models import Person

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class SeriesForm(forms.Form):
    lead = forms.ModelChoiceField(
        queryset=Person.objects.none(), help_text="The manager or coach who leads the 1:1s."
    )
    report = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="With",
        help_text="For “manager and report”, someone in the lead's reporting chain.",
    )
    kind = forms.ChoiceField(
        choices=OneOnOneSeries.Kind.choices, initial=OneOnOneSeries.Kind.MANAGER
    )
    cadence = forms.ChoiceField(choices=Cadence.choices, initial=Cadence.WEEKLY)
    duration_minutes = forms.IntegerField(label="Minutes", initial=30, min_value=1)
    start_date = forms.DateField(
        widget=DATE_INPUT, help_text="The first 1:1; the cadence counts from here."
    )

    def __init__(self, *args: Any, leads: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads  # type: ignore[attr-defined]
        self.fields["report"].queryset = people  # type: ignore[attr-defined]


class SeriesSettingsForm(forms.Form):
    kind = forms.ChoiceField(choices=OneOnOneSeries.Kind.choices)
    cadence = forms.ChoiceField(choices=Cadence.choices)
    duration_minutes = forms.IntegerField(label="Minutes", min_value=1)
    start_date = forms.DateField(widget=DATE_INPUT)


class ScheduleForm(forms.Form):
    date = forms.DateField(
        widget=DATE_INPUT, help_text="A past date logs a 1:1 that already took place."
    )


class TalkingPointForm(forms.Form):
    text = forms.CharField(
        label="Talking point",
        widget=forms.TextInput(attrs={"placeholder": "Something you want to talk about"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "point_%s")  # the action form on the page has a text too
        super().__init__(*args, **kwargs)


class NotesForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class PrivateNoteForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ActionForm(forms.Form):
    text = forms.CharField(label="Action", widget=forms.TextInput)
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), empty_label=None)
    due_date = forms.DateField(required=False, widget=DATE_INPUT, label="Due")

    def __init__(self, *args: Any, series: OneOnOneSeries, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            pk__in=[series.lead_id, series.report_id]
        ).order_by("name")
        if "owner" not in self.initial:
            self.initial["owner"] = series.report_id


class CheckInForm(forms.Form):
    status = forms.ChoiceField(choices=CheckIn.Status.choices)
    note = forms.CharField(required=False, widget=forms.TextInput)
    evidence_url = forms.URLField(required=False, label="Evidence link", assume_scheme="https")
