"""Error messages fit where the person is, cut what they echo, and never show Python's
internals (finding L8)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from productops.backlog.actions import import_tracker, import_uploaded_tracker_files
from productops.backlog.forms import TrackerImportForm
from productops.competencies.actions import import_model_text
from productops.competencies.importers.ratings_csv import RatingsContext, parse_ratings_text
from productops.imports import RowError, shown
from productops.ops.models import Job
from productops.org.forms import ImportPeopleForm
from tests.cast import build_cast

pytestmark = pytest.mark.django_db

BAD_PEOPLE = "name,email,discipline\nAnn,not-an-email,design\n"
DEEP = "[" * 100_000 + "]" * 100_000


def test_the_command_advises_skip_invalid_only_to_a_run_without_it(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(BAD_PEOPLE)
    with pytest.raises(CommandError) as without:
        call_command("import_people", str(people), stderr=io.StringIO())
    assert "run it again with --skip-invalid" in str(without.value)

    with pytest.raises(CommandError) as with_it:
        call_command("import_people", str(people), "--skip-invalid", stderr=io.StringIO())
    assert "skip-invalid" not in str(with_it.value)
    assert "Fix them and import again." in str(with_it.value)


def test_the_upload_page_names_its_checkbox_not_a_command_option() -> None:
    client = Client()
    client.force_login(build_cast().hana_user)
    label = str(ImportPeopleForm.base_fields["skip_invalid"].label)

    def upload(**extra: str) -> str:
        file = SimpleUploadedFile("people.csv", BAD_PEOPLE.encode(), content_type="text/csv")
        response = client.post(reverse("org:import_people"), {"file": file, **extra})
        return response.content.decode().replace("&ldquo;", "\u201c").replace("&rdquo;", "\u201d")

    page = upload()
    assert f"\u201c{label}\u201d ticked" in page
    assert "skip-invalid" not in page
    ticked = upload(skip_invalid="on")
    assert label + "\u201d ticked" not in ticked and "skip-invalid" not in ticked


def test_the_tracker_page_and_api_give_their_own_advice() -> None:
    cast = build_cast()
    client = Client()
    client.force_login(cast.hana_user)
    bad = SimpleUploadedFile("jira.csv", b"Issue key,Summary\n,No key\n", content_type="text/csv")
    page = client.post(reverse("backlog:import"), {"files": [bad], "format": "jira-csv"})
    # the import ran as a job (immediately in tests); its outcome is on the run's page
    job = Job.objects.latest("pk")
    assert page.status_code == 302 and page["Location"] == reverse("ops:job", args=[job.pk])
    text = client.get(job.result_url).content.decode()
    label = str(TrackerImportForm.base_fields["skip_invalid"].label)
    assert f"\u201c{label}\u201d ticked to write the good rows" in text
    assert "skip-invalid" not in text

    api = Client()
    api.force_login(cast.hana_user)
    bad = SimpleUploadedFile("jira.csv", b"Issue key,Summary\n,No key\n", content_type="text/csv")
    answer = api.post("/api/backlog/imports", {"files": [bad], "format": "jira-csv"})
    assert answer.status_code == 202
    result = Job.objects.get(pk=answer.json()["job_id"]).result
    assert "send skip_invalid=true" in result["summary"]


def test_an_echoed_value_is_cut_to_about_80_characters() -> None:
    context = RatingsContext(
        version_label="PM v1",
        competency_keys=("discovery",),
        steps=(1, 2, 3),
        emails=frozenset({"priya@example.com", "paul@example.com"}),
    )
    key = "k" * 100_000
    text = (
        "subject_email,rater_email,rater_kind,competency_key,score\n"
        f"priya@example.com,paul@example.com,peer,{key},2\n"
    )
    errors = parse_ratings_text(text, context=context).errors
    assert errors and all(len(str(error)) < 400 for error in errors)
    assert any("(100,000 characters)" in error.reason for error in errors)
    assert shown("a" * 200).endswith("… (200 characters)") and len(shown("a" * 200)) < 110
    # The net under it: no reason, key or column carries an uncut value.
    error = RowError(2, "c" * 500, "r" * 50_000, key="k" * 500)
    assert len(str(error)) < 900


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_a_deeply_nested_model_says_so_in_words(suffix: str) -> None:
    text = DEEP if suffix == "json" else "a: " + "[" * 20_000 + "]" * 20_000
    report = import_model_text(text, filename=f"model.{suffix}")
    said = " ".join(str(error) for error in report.errors)
    assert "nested deeper than" in said and "recursion" not in said


@pytest.mark.parametrize("format", ["jira-json", "github-json"])
def test_a_deeply_nested_tracker_file_says_so_in_words(tmp_path: Path, format: str) -> None:
    path = tmp_path / "issues.json"
    path.write_text(DEEP)
    report = import_tracker([path], format=format)
    said = " ".join(str(error) for error in report.errors)
    assert not report.written
    assert "nested deeper than" in said and "recursion" not in said


def test_a_deeply_nested_mapping_upload_is_an_error_not_a_crash() -> None:
    export = SimpleUploadedFile("items.csv", b"id,title\n1,A\n")
    mapping = SimpleUploadedFile("mapping.json", DEEP.encode())
    report = import_uploaded_tracker_files([export], format="csv", mapping_upload=mapping)
    said = " ".join(str(error) for error in report.errors)
    assert "nested deeper than" in said and "recursion" not in said
