"""Forms of the practice library pages: the filter and a practice."""

from __future__ import annotations

from typing import Any

from django import forms

from productops.coaching.models import Effort, PracticeKind
from productops.coaching.practices import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    CompetencyCatalog,
)

STATUS_CHOICES = [
    ("active", "Active"),
    ("inactive", "Deactivated"),
    ("all", "Active and deactivated"),
]


def competency_choices(catalog: CompetencyCatalog, extra_keys: list[str]) -> list[tuple[str, str]]:
    choices = [(item.key, f"{item.name} ({item.key})") for item in catalog.competencies]
    return choices + [(key, key) for key in extra_keys]


class PracticeFilterForm(forms.Form):
    competency = forms.ChoiceField(required=False, label="Competency")
    model = forms.ChoiceField(required=False, label="Model")
    kind = forms.ChoiceField(
        required=False, label="Kind", choices=[("", "Any kind"), *PracticeKind.choices]
    )
    effort = forms.ChoiceField(
        required=False, label="Effort", choices=[("", "Any effort"), *Effort.choices]
    )
    status = forms.ChoiceField(required=False, label="Status", choices=STATUS_CHOICES)

    def __init__(
        self,
        *args: Any,
        catalog: CompetencyCatalog,
        extra_keys: list[str],
        admin: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [  # type: ignore[attr-defined]
            ("", "Any competency"),
            *competency_choices(catalog, extra_keys),
        ]
        self.fields["model"].choices = [  # type: ignore[attr-defined]
            ("", "Any model"),
            *[(model.slug, model.name) for model in catalog.models],
        ]
        if not admin:
            del self.fields["status"]


class PracticeForm(forms.Form):
    competency_key = forms.ChoiceField(
        label="Competency",
        help_text="Practices follow the competency key, so a key several models share "
        "shows the practice in all of them.",
    )
    title = forms.CharField(
        max_length=TITLE_MAX,
        help_text="What to do, as an instruction: “Run one customer interview a week "
        "with your trio”.",
    )
    description = forms.CharField(
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One to three sentences: how to do it, how often, and what good looks like.",
    )
    kind = forms.ChoiceField(choices=PracticeKind.choices)
    effort = forms.ChoiceField(choices=Effort.choices, initial=Effort.MEDIUM)

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], built_in: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["competency_key"]
        field.choices = [("", "Choose a competency"), *choices]  # type: ignore[attr-defined]
        if built_in:
            field.disabled = True
            field.help_text = "A practice that ships with productops stays with its competency."
