"""The upload page and the API: admins and managers start an import job, everyone else
is refused. The suite runs jobs at once (immediate backend): a POST answers with the
job, which is already done, and its result page shows the outcome."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from productops.accounts.actions import do_create_token
from productops.backlog import tasks
from productops.backlog.models import Item, TrackerImport
from productops.imports.uploads import upload_folder
from productops.ops.jobs import start_job
from productops.ops.models import Job, JobStatus
from tests.cast import build_cast

# Jobs run where they start (the conftest sets it too; set here so the backend a task
# module resolved at start-up is replaced for these tests).
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backlog" / "jira_json"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/json")


def leftover_uploads() -> list[Path]:
    folder = upload_folder()
    return sorted(folder.glob("productops-import-*")) if folder else []


@override_settings(TASKS=IMMEDIATE)
class ImportPage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.url = reverse("backlog:import")

    def test_hana_uploads_several_pages_and_sees_the_result(self) -> None:
        self.client.force_login(self.cast.hana_user)
        page = self.client.get(self.url)
        self.assertContains(page, "No imports yet")
        before = leftover_uploads()
        response = self.client.post(
            self.url,
            {
                "format": "jira-json",
                "files": [upload("search_jql_page1.json"), upload("search_jql_page2.json")],
            },
        )
        job = Job.objects.get()
        self.assertRedirects(
            response, reverse("ops:job", args=[job.pk]), fetch_redirect_response=False
        )
        self.assertEqual(job.kind, "tracker-import")
        self.assertEqual(job.title, "Import of search_jql_page1.json, search_jql_page2.json")
        self.assertEqual(job.owner, self.cast.hana_user)
        self.assertEqual(job.status, JobStatus.DONE)
        run = TrackerImport.objects.get()
        self.assertEqual(run.files, ["search_jql_page1.json", "search_jql_page2.json"])
        self.assertEqual(job.result["tracker_import_id"], run.pk)
        self.assertEqual(job.result["created"], 5)
        self.assertIn("5 created, 0 updated, 0 unchanged", job.result["summary"])
        self.assertEqual(job.done, 5)  # records read, as the import reported them
        self.assertEqual(job.result_url, f"/backlog/import/?run={run.pk}")
        self.assertEqual(leftover_uploads(), before)  # the saved uploads are gone
        self.assertEqual(Item.objects.count(), 5)
        outcome = self.client.get(job.result_url)
        self.assertContains(outcome, "5 created, 0 updated, 0 unchanged")
        self.assertContains(outcome, "2 files read")
        self.assertContains(outcome, "Recent imports")

    def test_a_fields_file_can_be_uploaded_with_the_export(self) -> None:
        self.client.force_login(self.cast.marco_user)
        self.client.post(
            self.url,
            {
                "format": "jira-json",
                "files": [upload("old_search_v2.json")],
                "fields": upload("fields.json"),
            },
        )
        self.assertEqual(Item.objects.get(key="OPS-1").epic_key, "OPS-9")

    def test_problems_are_shown_in_a_table_and_nothing_is_written(self) -> None:
        self.client.force_login(self.cast.hana_user)
        broken = upload(
            "export.json",
            b'{"issues": [{"key": "A-1", "fields": {"summary": "x", "created": "Monday"}}]}',
        )
        self.client.post(self.url, {"format": "jira-json", "files": [broken]})
        # a refused file is the import's outcome, not a failed job
        job = Job.objects.get()
        self.assertEqual(job.status, JobStatus.DONE)
        self.assertFalse(job.result["written"])
        response = self.client.get(job.result_url)
        self.assertContains(response, "nothing was written")
        self.assertContains(response, '<td>export.json</td><td class="num">1</td>', html=False)
        self.assertContains(response, "cannot read the date")
        self.assertContains(response, '<th class="num">Position</th>', html=False)
        self.assertFalse(Item.objects.exists())

    def test_an_exception_inside_the_task_fails_the_job_and_keeps_its_error(self) -> None:
        folder = Path(upload_folder() or "/tmp") / "productops-import-test-broken"
        folder.mkdir(exist_ok=True)
        (folder / "a.json").write_text("{}")
        job = start_job(
            tasks.IMPORT_KIND, "Import of a.json", tasks.import_uploads, str(folder),
            [str(folder / "a.json")], format="jira-json", mapping=None,
            fields=str(folder / "missing-fields.json"), skip_invalid=False, skip_hint=None,
            owner=self.cast.hana_user,
        )  # fmt: skip
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertIn("unexpected problem", job.error)
        self.assertIsNone(job.result)
        self.assertFalse(folder.exists())  # removed on failure too

    def test_a_stored_run_reopens_with_its_problems(self) -> None:
        self.client.force_login(self.cast.hana_user)
        broken = upload("p.json", b'{"issues": [{"fields": {"summary": "x"}}]}')
        self.client.post(self.url, {"format": "jira-json", "files": [broken]})
        run = TrackerImport.objects.get()
        again = self.client.get(self.url, {"run": run.pk})
        self.assertContains(again, "issue has no key")
        self.assertContains(again, "p.json")
        self.assertEqual(self.client.get(self.url, {"run": run.pk + 99}).status_code, 404)
        self.client.force_login(self.cast.priya_user)
        self.assertEqual(self.client.get(self.url, {"run": run.pk}).status_code, 403)

    def test_members_and_viewers_are_refused(self) -> None:
        for user in (self.cast.priya_user, self.cast.vera_user):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(
                self.client.post(
                    self.url, {"format": "jira-json", "files": [upload("search_jql_page2.json")]}
                ).status_code,
                403,
            )
        self.assertFalse(Item.objects.exists())
        self.assertFalse(Job.objects.exists())  # refused before any job started


@override_settings(TASKS=IMMEDIATE)
class ImportApi(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.tokens = {
            name: do_create_token(getattr(cls.cast, f"{name}_user"), "script")[1]
            for name in ("hana", "priya")
        }

    def post(self, who: str, data: dict):
        return self.client.post(
            "/api/backlog/imports", data, HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}"
        )

    def test_an_admin_imports_through_the_api_and_lists_the_imports(self) -> None:
        answer = self.post(
            "hana", {"format": "jira-json", "files": [upload("search_jql_page1.json")]}
        )
        self.assertEqual(answer.status_code, 202)
        started = answer.json()
        job = Job.objects.get()
        self.assertEqual(started["job_id"], job.pk)
        self.assertEqual(started["status_url"], f"/api/jobs/{job.pk}")
        self.assertEqual(started["job_url"], reverse("ops:job", args=[job.pk]))
        self.assertEqual(job.status, JobStatus.DONE)
        body = job.result
        self.assertTrue(body["written"])
        self.assertEqual((body["created"], body["changes_added"]), (3, 8))
        listed = self.client.get(
            "/api/backlog/imports", HTTP_AUTHORIZATION=f"Bearer {self.tokens['hana']}"
        ).json()
        self.assertEqual(listed["items"][0]["id"], body["id"])
        self.assertEqual(listed["items"][0]["items_created"], 3)

    def test_errors_come_back_with_file_position_key_and_field(self) -> None:
        broken = upload("p.json", b'{"issues": [{"fields": {"summary": "x"}}]}')
        self.assertEqual(
            self.post("hana", {"format": "jira-json", "files": [broken]}).status_code, 202
        )
        body = Job.objects.get().result
        self.assertFalse(body["written"])
        self.assertEqual(
            body["errors"],
            [
                {
                    "source": "p.json",
                    "row": 1,
                    "key": "",
                    "column": "key",
                    "reason": "issue has no key",
                }
            ],
        )

    def test_an_unknown_format_is_a_422_and_a_member_is_a_403(self) -> None:
        self.assertEqual(
            self.post("hana", {"format": "trello", "files": [upload("fields.json")]}).status_code,
            422,
        )
        self.assertEqual(
            self.post(
                "priya", {"format": "jira-json", "files": [upload("fields.json")]}
            ).status_code,
            403,
        )
        self.assertEqual(
            self.client.get(
                "/api/backlog/imports", HTTP_AUTHORIZATION=f"Bearer {self.tokens['priya']}"
            ).status_code,
            403,
        )
        self.assertFalse(Job.objects.exists())
