"""Forms of the competencies pages: they parse input; the actions decide and write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from productops.competencies.actions import EVIDENCE_MAX_CHARS, RatingInput
from productops.competencies.models import Competency, CompetencyModel, ModelVersion, RaterKind
from productops.org.models import Person

NOT_OBSERVED = "na"


class OpenCycleForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="For example 'H2 2025 review'.")
    model = forms.ModelChoiceField(
        queryset=CompetencyModel.objects.filter(versions__isnull=False).distinct(),
        label="Competency model",
        help_text=(
            "The cycle uses the model's latest version and keeps it: later edits to the model "
            "make new versions and leave this cycle as it was rated."
        ),
    )
    subjects = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="People to assess",
    )
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    rater_kinds = forms.MultipleChoiceField(
        choices=RaterKind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=RaterKind.values,
        label="Who rates",
        help_text="Self and manager requests are made now; peers are nominated afterwards.",
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = people  # type: ignore[attr-defined]

    def clean_model(self) -> CompetencyModel:
        model = self.cleaned_data["model"]
        self.version = model.latest
        return model

    @property
    def action_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "version": self.version,
            "subjects": list(data["subjects"]),
            "due_date": data["due_date"],
            "rater_kinds": list(data["rater_kinds"]),
        }


class RatingsForm(forms.Form):
    """One score (a step, or not observed) and an evidence note per competency.

    The page draws the inputs itself, to put each step's descriptor beside its choice;
    the form parses and checks what comes back. `only` limits it to one competency, for
    the htmx save of a single answer.
    """

    def __init__(
        self,
        *args: Any,
        version: ModelVersion,
        competencies: Iterable[Competency],
        only: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(step), str(step)) for step in version.steps]
        choices.append((NOT_OBSERVED, "Not observed"))
        self.keys = [c.key for c in competencies if only is None or c.key == only]
        for key in self.keys:
            self.fields[f"score-{key}"] = forms.ChoiceField(
                choices=choices, required=False, widget=forms.RadioSelect
            )
            self.fields[f"evidence-{key}"] = forms.CharField(
                required=False, max_length=EVIDENCE_MAX_CHARS, widget=forms.Textarea
            )

    def ratings(self) -> dict[str, RatingInput]:
        """What the rater gave, in the shape `do_save_ratings` takes."""
        ratings: dict[str, RatingInput] = {}
        for key in self.keys:
            choice = self.cleaned_data.get(f"score-{key}") or ""
            evidence = self.cleaned_data.get(f"evidence-{key}") or ""
            if choice == NOT_OBSERVED:
                ratings[key] = (None, True, evidence)
            else:
                ratings[key] = (int(choice) if choice else None, False, evidence)
        return ratings

    def errors_by_key(self) -> dict[str, str]:
        return {
            field.split("-", 1)[1]: " ".join(str(message) for message in messages)
            for field, messages in self.errors.items()
            if "-" in field
        }


class NominationForm(forms.Form):
    subject = forms.ModelChoiceField(queryset=Person.objects.none(), label="Peer for")
    peer = forms.ModelChoiceField(queryset=Person.objects.none(), label="Peer")

    def __init__(
        self, *args: Any, subjects: QuerySet[Person], peers: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects  # type: ignore[attr-defined]
        self.fields["peer"].queryset = peers  # type: ignore[attr-defined]


class ReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with your name and shown to the rater.",
        error_messages={
            "required": "Say why the ratings are reopened: the rater sees it, and it is kept."
        },
    )


# --- Library -----------------------------------------------------------------------------


class ModelUploadForm(forms.Form):
    file = forms.FileField(
        label="Model file",
        help_text="A .yaml, .yml or .json file in the competency model format.",
    )
    note = forms.CharField(
        required=False,
        max_length=ModelVersion._meta.get_field("note").max_length,
        label="Note",
        help_text="Why this version was made, kept with it (optional).",
    )


class ExpectationForm(forms.Form):
    step = forms.TypedChoiceField(
        label="Expected step",
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, choices: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step = self.fields["step"]
        assert isinstance(step, forms.TypedChoiceField)
        step.choices = choices
