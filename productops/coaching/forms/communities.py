"""Forms of the communities pages: a community, a session, the attendee filter, the period."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from productops.coaching.models import Community
from productops.coaching.participation import (
    DEFAULT_DAYS,
    Period,
    choose_period,
)
from productops.org.models import Discipline, Person

PERIOD_CHOICES = [
    (30, "Last 30 days"),
    (90, "Last 90 days"),
    (180, "Last 6 months"),
    (365, "Last year"),
]


def _active_people() -> Any:
    return Person.objects.filter(active=True).order_by("name", "pk")


class CommunityForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="For example “Discovery guild”.")
    kind = forms.ChoiceField(choices=Community.Kind.choices, initial=Community.Kind.COMMUNITY)
    book = forms.CharField(
        max_length=300, required=False, help_text="For a book club: the book it reads."
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the community is for and who is welcome.",
    )
    organizer = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        help_text="The organizer may record attendance at every session.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = _active_people()  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A past date logs a session after the fact.",
    )
    topic = forms.CharField(max_length=300, help_text="The topic, or for a book club the chapter.")
    facilitator = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        help_text="The facilitator may record who came to this session.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = _active_people()  # type: ignore[attr-defined]


class AttendeeFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Name")
    discipline = forms.ChoiceField(
        required=False, choices=[("", "Every discipline"), *Discipline.choices]
    )


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[("", "Dates below"), *PERIOD_CHOICES]
    )
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self, today: datetime.date) -> Period:
        """The chosen period; the default (last 90 days) when the form is not usable."""
        if not self.is_valid():
            return Period.last(DEFAULT_DAYS, today)
        data = self.cleaned_data
        try:
            return choose_period(today, days=data["days"], start=data["start"], end=data["end"])
        except ValueError as problem:
            self.add_error(None, f"{problem} The last {DEFAULT_DAYS} days are shown instead.")
            return Period.last(DEFAULT_DAYS, today)
