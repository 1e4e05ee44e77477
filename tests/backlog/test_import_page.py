"""The upload page and the API: admins and managers import, everyone else is refused."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from productops.accounts.actions import do_create_token
from productops.backlog.models import Item, TrackerImport
from tests.cast import build_cast

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backlog" / "jira_json"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/json")


class ImportPage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.url = reverse("backlog:import")

    def test_hana_uploads_several_pages_and_sees_the_result(self) -> None:
        self.client.force_login(self.cast.hana_user)
        page = self.client.get(self.url)
        self.assertContains(page, "No imports yet")
        response = self.client.post(
            self.url,
            {
                "format": "jira-json",
                "files": [upload("search_jql_page1.json"), upload("search_jql_page2.json")],
            },
        )
        self.assertContains(response, "5 created, 0 updated, 0 unchanged")
        self.assertEqual(Item.objects.count(), 5)
        self.assertContains(response, "Recent imports")
        self.assertEqual(
            TrackerImport.objects.get().files, ["search_jql_page1.json", "search_jql_page2.json"]
        )

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
        response = self.client.post(self.url, {"format": "jira-json", "files": [broken]})
        self.assertContains(response, "nothing was written")
        self.assertContains(response, "export.json")
        self.assertContains(response, "cannot read the date")
        self.assertFalse(Item.objects.exists())

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
        body = self.post(
            "hana", {"format": "jira-json", "files": [upload("search_jql_page1.json")]}
        ).json()
        self.assertTrue(body["written"])
        self.assertEqual((body["created"], body["changes_added"]), (3, 8))
        listed = self.client.get(
            "/api/backlog/imports", HTTP_AUTHORIZATION=f"Bearer {self.tokens['hana']}"
        ).json()
        self.assertEqual(listed["items"][0]["id"], body["id"])
        self.assertEqual(listed["items"][0]["items_created"], 3)

    def test_errors_come_back_with_file_position_key_and_field(self) -> None:
        broken = upload("p.json", b'{"issues": [{"fields": {"summary": "x"}}]}')
        body = self.post("hana", {"format": "jira-json", "files": [broken]}).json()
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
