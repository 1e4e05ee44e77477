"""What a record lacks is a warning, not a refusal; every record is accounted for, per file.

A real export has issues with empty summaries, changes by deleted users, statuses it
does not describe, fields a restricted search left out and custom fields of every shape.
They import, each with a warning that says what productops did instead; the command, the
upload page and the API show the warnings. With `--skip-invalid` every record that was
not written is counted in its file's line, and a file that could not be read to its end
says so.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from productops.accounts.actions import do_create_token
from productops.backlog.actions import import_tracker
from productops.backlog.models import Change, Item
from productops.imports import RowWarning
from productops.ops.models import Job
from tests.cast import build_cast

pytestmark = pytest.mark.django_db


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    text = data if isinstance(data, str) else json.dumps(data)
    path.write_text(text, encoding="utf-8")
    return path


def full(key: str, **fields: object) -> dict:
    """An issue as an unrestricted search gives it."""
    base = {
        "summary": f"Issue {key}",
        "issuetype": {"name": "Story"},
        "status": {"name": "To Do", "statusCategory": {"key": "new"}},
        "created": "2024-03-01T10:00:00.000+0000",
    }
    return {"key": key, "fields": {**base, **fields}}


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_tracker", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_what_a_record_lacks_is_a_warning_and_the_record_is_written(tmp_path: Path) -> None:
    lacking = full("A-2", summary="   ")
    lacking["changelog"] = {
        "histories": [
            {
                "id": "9",
                "created": "2024-03-02T10:00:00.000+0000",
                "items": [{"field": "status", "fromString": "To Do", "toString": "Doing"}],
            },
            {"id": "10", "items": [{"field": "status", "toString": "Done"}]},  # no date
        ]
    }
    page = {
        "names": {"customfield_1": "Story Points", "customfield_2": "Epic Link"},
        "issues": [
            full("A-1", customfield_1={"value": 3}, customfield_2={"key": "A-9"}),
            lacking,
            {"key": "A-3", "fields": {"summary": "Only the summary was asked for"}},
            full("A-4", status={"name": "Parked"}, customfield_1=[2, 5], customfield_3=None),
            full("A-5", customfield_1=None, customfield_9=[{"a": 1}, 7, None, "x"]),
        ],
    }
    report = import_tracker([write(tmp_path, "page.json", page)], format="jira-json")

    assert report.written and report.errors == []
    assert (report.created, report.skipped) == (5, 0)
    said = {(w.key, w.column): w.reason for w in report.warnings}
    assert all(isinstance(w, RowWarning) for w in report.warnings)
    assert "its key A-2 is shown as its title" in said[("A-2", "summary")]
    assert "has no date; it was left out" in said[("A-2", "changelog")]
    assert "1 changelog entry has no author" in said[("A-2", "changelog.author")]
    assert "left out issuetype, status, created" in said[("A-3", "issuetype, status, created")]
    assert "'Parked'" in said[("A-4", "status")] and "taken as to do" in said[("A-4", "status")]
    assert "the first, 2, is used" in said[("A-4", "customfield_1")]
    assert report.warning_count == len(report.warnings) == 6
    items = {item.key: item for item in Item.objects.all()}
    assert items["A-2"].title == "A-2"
    assert (items["A-1"].story_points, items["A-1"].epic_key) == (3.0, "A-9")
    assert (items["A-3"].created, items["A-3"].type) == (None, "other")
    assert items["A-4"].story_points == 2.0
    assert Change.objects.get(item=items["A-2"]).author == ""
    [summary] = report.files
    assert (summary.name, summary.read, summary.created, summary.warnings) == ("page.json", 5, 5, 6)


def test_the_command_prints_a_count_and_the_first_twenty_warnings(tmp_path: Path) -> None:
    page = {"issues": [full(f"W-{n}", summary="") for n in range(30)]}
    out, err = run("--format", "jira-json", str(write(tmp_path, "page.json", page)))

    assert "30 created" in out
    assert "page.json: 30 read, 30 written (30 created), 30 warnings" in out
    assert "30 warning(s): these records were imported" in err
    assert err.count("warning: page.json, position") == 20
    assert "… and 10 more warning(s)" in err


def test_skip_invalid_accounts_for_every_record_of_every_file(tmp_path: Path) -> None:
    pages = tmp_path / "export"
    pages.mkdir()
    write(pages, "1.json", {"issues": [full("B-1"), "not an issue", full("B-2", created="soon")]})
    write(pages, "2.json", {"issues": [full("B-3"), full("B-1", summary="B-1 again")]})
    # broken after the first issue: what came before is written, the rest cannot be read
    text = json.dumps({"issues": [full("B-4"), full("B-5")]})
    write(pages, "3.json", text[: text.index('{"key": "B-5"')] + '{"key": "B-5",, }]}')

    out, err = run("--format", "jira-json", "--skip-invalid", str(pages))

    # B-1 comes again in 2.json, in the same batch: the later one is written
    assert (
        "1.json: 3 read, 0 written, 1 replaced by a later record with the same key, "
        "2 skipped because of errors" in out
    )
    assert "2.json: 2 read, 2 written (2 created)" in out
    assert "3.json: 1 read, 1 written (1 created); broken JSON at line 1" in out
    assert "the 1 issue(s) before it were read, the rest of the file could not be" in out
    assert "1.json, position 2: this entry of the issues is not an issue object" in err
    assert "1.json, position 3, key B-2, field created: cannot read the date 'soon'" in err
    assert sorted(Item.objects.values_list("key", flat=True)) == ["B-1", "B-3", "B-4"]
    assert Item.objects.get(key="B-1").title == "B-1 again"


def test_a_key_twice_in_one_batch_is_counted_as_replaced(tmp_path: Path) -> None:
    first = write(tmp_path, "a.json", {"issues": [full("C-1")]})
    second = write(tmp_path, "b.json", {"issues": [full("C-1", summary="newer")]})

    report = import_tracker([first, second], format="jira-json")

    files = {f.name: f for f in report.files}
    assert (files["a.json"].read, files["a.json"].replaced, files["a.json"].written) == (1, 1, 0)
    assert (files["b.json"].read, files["b.json"].created) == (1, 1)
    assert "replaced by a later record with the same key" in files["a.json"].sentence(written=True)


def test_a_csv_cell_over_128_kib_with_skip_invalid_loses_no_row(tmp_path: Path) -> None:
    """The review's case: one pasted log over the csv module's limit dropped the rest of
    the file while the summary said "1 row skipped"."""
    log = "ERROR at Checkout.pay(Checkout.java:42)\n" * 6_000  # about 240 KiB
    rows = ["Issue key,Summary,Created,Description"]
    rows += [f"L-{n},Row {n},12/Mar/24 3:04 PM," for n in range(1, 4)]
    rows += [f'L-4,The one with logs,12/Mar/24 3:04 PM,"{log}"']
    rows += [f"L-{n},Row {n},12/Mar/24 3:04 PM," for n in range(5, 9)]
    rows += ["L-9,Bad date,someday,"]
    path = write(tmp_path, "issues.csv", "\n".join(rows) + "\n")

    out, err = run("--format", "jira-csv", "--skip-invalid", str(path))

    assert "8 created, 0 updated, 0 unchanged, 1 row(s) skipped because of errors" in out
    assert "issues.csv: 9 read, 8 written (8 created), 1 skipped because of errors" in out
    assert "issues.csv, row 10, key L-9, field Created" in err
    assert len(Item.objects.get(key="L-4").description) == len(log.strip())
    assert Item.objects.count() == 8


# Jobs run where they start (the conftest sets it; set here too so a task backend resolved
# at start-up is replaced for these tests).
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE)
def test_the_upload_page_and_the_api_show_the_warnings_and_the_files(tmp_path: Path) -> None:
    cast = build_cast()
    page = json.dumps({"issues": [full(f"P-{n}", summary="") for n in range(120)]}).encode()

    client = Client()
    client.force_login(cast.hana_user)
    response = client.post(
        reverse("backlog:import"),
        {"format": "jira-json", "files": [SimpleUploadedFile("page.json", page)]},
    )
    job = Job.objects.get()  # the upload ran as a job; its result page shows the outcome
    assert response["Location"] == f"/jobs/{job.pk}/"
    html = client.get(job.result_url).content.decode()
    assert "120 warnings (these items were imported)" in html
    report_part = html.split('class="timp-recent"')[0]  # the log below names the first
    assert report_part.count("its key P-") == 100  # capped, with the count said
    assert "The first 100 of 120 warnings are listed" in html
    assert '<td>page.json</td><td class="num">120</td>' in html

    # the API, with other issues (a file imported before unchanged is not read again)
    page = json.dumps({"issues": [full(f"Q-{n}", summary="") for n in range(120)]}).encode()
    token = do_create_token(cast.hana_user, "script")[1]
    started = client.post(
        "/api/backlog/imports",
        {"format": "jira-json", "files": [SimpleUploadedFile("page.json", page)]},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert started.status_code == 202
    body = Job.objects.get(pk=started.json()["job_id"]).result
    assert body["errors"] == [] and body["created"] == 120
    assert body["warning_count"] == 120 and len(body["warnings"]) == 120
    assert body["warnings"][0] == {
        "source": "page.json",
        "row": 1,
        "key": "Q-0",
        "column": "summary",
        "reason": "the issue has an empty summary; its key Q-0 is shown as its title",
    }
    assert body["files"] == [
        {
            "name": "page.json",
            "read": 120,
            "created": 120,
            "updated": 0,
            "unchanged": 0,
            "replaced": 0,
            "skipped": 0,
            "warnings": 120,
            "problems": [],
        }
    ]


def test_a_csv_without_its_key_column_is_a_problem_of_the_file_not_a_skipped_row(
    tmp_path: Path,
) -> None:
    good = write(tmp_path, "good.csv", "Issue key,Summary\nK-1,One\n")
    headless = write(tmp_path, "other.csv", "Title,Status\nSomething,Done\n")

    report = import_tracker([good, headless], format="jira-csv", skip_invalid=True)

    files = {f.name: f for f in report.files}
    assert (report.created, report.skipped) == (1, 0)
    assert (files["other.csv"].read, files["other.csv"].skipped) == (0, 0)
    assert files["other.csv"].problems[0].startswith("row 1, ")
    assert "other.csv: 0 read, 0 written; row 1, " in files["other.csv"].sentence(written=True)


def test_the_import_log_keeps_the_warnings_for_the_imports_page_and_api(tmp_path: Path) -> None:
    """Days later, the imports page and `GET /api/backlog/imports` still say how many
    warnings a run had, and what the first ones were."""
    from productops.backlog.models import TrackerImport

    cast = build_cast()
    export = write(tmp_path, "search.json", {"issues": [full("L-1"), full("L-2", summary="")]})
    run("--format", "jira-json", str(export))
    logged = TrackerImport.objects.get()
    assert logged.warning_count >= 1
    assert any("L-2" in warning["key"] for warning in logged.warnings)

    client = Client()
    client.force_login(cast.hana_user)
    page = client.get(reverse("backlog:import")).content.decode()
    assert '<th class="num">Warnings</th>' in page
    raw = do_create_token(cast.hana_user, "log")[1]
    listed = client.get("/api/backlog/imports", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    first = listed["items"][0]
    assert first["warning_count"] == logged.warning_count
    assert first["warnings"][0]["key"] == "L-2"
