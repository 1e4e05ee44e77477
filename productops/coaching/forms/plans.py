"""Forms of the coaching plan pages: filter, draft, goals, check-ins, plan status."""

from __future__ import annotations

from typing import Any

from django import forms

from productops.coaching.models import CheckIn, CoachingPlan, Goal
from productops.org.models import Person


def step_choices(steps: tuple[int, ...] | list[int], above: float | None) -> list[tuple[int, str]]:
    return [(step, str(step)) for step in steps if above is None or step > above]


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *CoachingPlan.Status.choices], required=False
    )


class DraftPlanForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Draft a plan for")

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(choices=CheckIn.Status.choices)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="What happened"
    )
    evidence_url = forms.CharField(required=False, max_length=200, label="Evidence link")


class GoalAddForm(forms.Form):
    competency = forms.ChoiceField(label="Competency")
    target_step = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="Target step"
    )
    target_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Target date"
    )

    def __init__(
        self, *args: Any, competencies: list[tuple[str, str]], steps: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = competencies  # type: ignore[attr-defined]
        self.fields["target_step"].choices = [  # type: ignore[attr-defined]
            ("", "Default"),
            *step_choices(steps, None),
        ]


class GoalSwapForm(forms.Form):
    competency = forms.ChoiceField(label="Swap for")

    def __init__(self, *args: Any, competencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = competencies  # type: ignore[attr-defined]


class GoalUpdateForm(forms.Form):
    target_step = forms.TypedChoiceField(coerce=int, label="Target step")
    target_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    custom_practice = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="A practice of your own",
    )

    def __init__(self, *args: Any, steps: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_step"].choices = steps  # type: ignore[attr-defined]


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Goal.Status.ACHIEVED, "achieved"),
            (Goal.Status.DROPPED, "dropped"),
            ("reopen", "reopen"),
        ]
    )


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CoachingPlan.Status.choices)
