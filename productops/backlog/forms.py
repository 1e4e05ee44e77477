"""The backlog's forms: the tracker import upload."""

from __future__ import annotations

from typing import Any

from django import forms

FORMAT_CHOICES = [
    ("jira-json", "Jira JSON (REST API search pages, issues, changelogs)"),
    ("jira-csv", "Jira CSV export"),
    ("github-json", "GitHub Issues JSON"),
    ("linear-csv", "Linear CSV export"),
    ("csv", "Other CSV, with a mapping file"),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: Django's documented recipe."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class TrackerImportForm(forms.Form):
    format = forms.ChoiceField(choices=FORMAT_CHOICES, label="Export format")
    # The stubs type BaseForm.files and .fields, which these declared fields (the names
    # the page posts) do not replace at run time: the form's metaclass collects them.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Export files",
        help_text="Choose every page of the export at once (a search page per file is fine).",
    )
    mapping = forms.FileField(
        required=False,
        label="Column mapping (other CSV only)",
        help_text="JSON or YAML naming which column is which.",
    )
    fields = forms.FileField(  # type: ignore[assignment]
        required=False,
        label="Jira field list (optional)",
        help_text="The output of /rest/api/3/field, to find Sprint and Story Points.",
    )
    skip_invalid = forms.BooleanField(
        required=False,
        label="Write the good items even if some are bad",
        help_text="By default nothing is written when any item has a problem.",
    )
