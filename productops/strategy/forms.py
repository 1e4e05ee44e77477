"""Every form of the strategy app: objectives and alignment, priority checks, delegation.

The forms only parse; the actions (`strategy.actions`) check and write. `add_errors`
puts an action's `ValidationError` on a form, and `form_problems` words a form's errors
as sentences for the messages framework.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from productops.org.models import Person
from productops.strategy import priority_check
from productops.strategy.actions import COMPARE_WITH_LATEST, MAX_PRIORITIES, MIN_PRIORITIES
from productops.strategy.models import (
    DELEGATION_LEVELS,
    AlignmentRule,
    Difficulty,
    Objective,
    ObjectiveLevel,
    Priority,
    PriorityCheck,
)

PAGE_SIZE = 50
NO_PREVIOUS = "none"
LEVEL_CHOICES = [("", "Not set")] + [
    (str(number), f"{number} · {name}") for number, (name, _) in DELEGATION_LEVELS.items()
]


def add_errors(form: forms.Form, problem: ValidationError) -> None:
    """An action's refusal on the form: each field's errors on its field, the rest on top."""
    if hasattr(problem, "error_dict"):
        for name, errors in problem.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


def form_problems(form: forms.Form) -> list[str]:
    """The form's errors as sentences, each led by its field's label."""
    return [
        f"{form.fields[name].label or name.replace('_', ' ').capitalize()}: {problem}"
        if name != "__all__"
        else str(problem)
        for name, problems in form.errors.items()
        for problem in problems
    ]


# -- objectives and alignment -------------------------------------------------------------


class ObjectiveForm(forms.Form):
    level = forms.ChoiceField(choices=ObjectiveLevel.choices)
    title = forms.CharField(max_length=300)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    period_start = forms.DateField(
        label="Period starts", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label="Period ends", widget=forms.DateInput(attrs={"type": "date"})
    )
    owner = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)
    parent = forms.ModelChoiceField(
        queryset=Objective.objects.none(),
        required=False,
        label="Serves the company objective",
        help_text="For a product objective: the company objective it serves.",
    )

    def __init__(self, *args: Any, editing: Objective | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        parent = self.fields["parent"]
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(parent, forms.ModelChoiceField)
        owner.queryset = Person.objects.filter(active=True).order_by("name")
        companies = Objective.objects.filter(level=ObjectiveLevel.COMPANY)
        if editing is not None:
            companies = companies.exclude(pk=editing.pk)
        parent.queryset = companies.order_by("-period_start", "title")


class LinkForm(forms.Form):
    keys = forms.CharField(
        max_length=2000,
        label="Item or epic keys",
        help_text="One or more keys, separated by spaces or commas, e.g. SHOP-12, SHOP-14.",
    )


class RuleForm(forms.Form):
    kind = forms.ChoiceField(choices=AlignmentRule.Kind.choices, label="Every item with the")
    value = forms.CharField(max_length=200, label="Label or epic key")


class PeriodForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


# -- priority checks ----------------------------------------------------------------------


class ParticipantChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = priority_check.display_name(obj)
        login = obj.get_username()
        return name if name == login else f"{name} ({login})"


class CheckForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="E.g. “Q3 priorities”.")
    priorities = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"One a line, {MIN_PRIORITIES} to {MAX_PRIORITIES}, each once.",
    )
    participants = ParticipantChoice(
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Two or more people with a login, typically the CEO and the head of product.",
    )
    previous = forms.ChoiceField(label="Compare with", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).select_related("person")
        participants = self.fields["participants"]
        previous = self.fields["previous"]
        assert isinstance(participants, forms.ModelMultipleChoiceField)
        assert isinstance(previous, forms.ChoiceField)
        participants.queryset = users.order_by("username")
        earlier = PriorityCheck.objects.order_by("-created_at")[:PAGE_SIZE]
        previous.choices = [
            (COMPARE_WITH_LATEST, "The most recent check that shares a priority"),
            (NO_PREVIOUS, "Nothing: this is the first check"),
            *[(str(c.pk), f"{c.title} ({c.created_at:%Y-%m-%d})") for c in earlier],
        ]

    def previous_check(self) -> PriorityCheck | str | None:
        chosen = self.cleaned_data.get("previous") or COMPARE_WITH_LATEST
        if chosen == COMPARE_WITH_LATEST:
            return COMPARE_WITH_LATEST
        if chosen == NO_PREVIOUS:
            return None
        return PriorityCheck.objects.filter(pk=int(chosen)).first()


def rank_field(priority_id: int) -> str:
    return f"rank-{priority_id}"


class RankingForm(forms.Form):
    """A number per priority; the action checks them, so every field is optional here."""

    def __init__(self, *args: Any, priorities: list[Priority], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        total = len(priorities)
        for priority in priorities:
            self.fields[rank_field(priority.pk)] = forms.CharField(
                label=priority.title,
                required=False,
                widget=forms.NumberInput(attrs={"min": 1, "max": total, "step": 1}),
            )

    def ranks(self) -> dict[int, str]:
        """What was typed for each priority, as typed: the action says what is wrong."""
        return {
            int(name.removeprefix("rank-")): self.data.get(name, "")
            for name in self.fields
            if name.startswith("rank-")
        }


# -- delegation board ---------------------------------------------------------------------


class LevelForm(forms.Form):
    level = forms.ChoiceField(choices=LEVEL_CHOICES, required=False)


class AreaForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="A kind of decision, such as “Pricing”.")
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One sentence on what the decisions in this area are about.",
    )
    difficulty = forms.ChoiceField(
        choices=Difficulty.choices,
        initial=Difficulty.MEDIUM,
        help_text="How costly a wrong decision is: harder areas get a lower recommended level.",
    )
