"""A Jira export file imported before is not parsed again while nothing in it can matter.

The writer remembers each file an import read cleanly (a fingerprint of its bytes, the
org's people, each item's content fingerprint). The same file again is skipped whole;
anything that could change an item (one byte of the file, a new person a reporter now
matches, an item changed or deleted since, a new changelog file for one of its issues)
means the file is read as before.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from django.test import TestCase

from productops.backlog.actions import import_tracker
from productops.backlog.importers import jira_json
from productops.backlog.models import Change, ImportedPage, Item
from productops.org.models import Person
from tests.cast import build_cast

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backlog" / "jira_json"


def page(first: int, count: int, reporter: str = "Nora Newcomer") -> dict:
    return {
        "issues": [
            {
                "key": f"PG-{n}",
                "fields": {
                    "summary": f"Page item {n}",
                    "reporter": {"displayName": reporter},
                    "status": {"name": "To Do", "statusCategory": {"key": "new"}},
                },
                "changelog": {
                    "histories": [
                        {
                            "id": f"{n}01",
                            "created": "2024-05-01T10:00:00.000+0000",
                            "items": [
                                {"field": "status", "fromString": "New", "toString": "To Do"}
                            ],
                        }
                    ]
                },
            }
            for n in range(first, first + count)
        ]
    }


class UnchangedFiles(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)
        self.write("p1.json", page(0, 3))
        self.write("p2.json", page(3, 2))
        self.parsed: list[str] = []
        real_open = jira_json._open_issue_file

        def counting_open(raw, path):  # type: ignore[no-untyped-def]
            self.parsed.append(path.name)
            return real_open(raw, path)

        patcher = pytest.MonkeyPatch()
        patcher.setattr(jira_json, "_open_issue_file", counting_open)
        self.addCleanup(patcher.undo)

    def write(self, name: str, data: dict) -> Path:
        path = self.tmp / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    def reimport(self):  # type: ignore[no-untyped-def]
        self.parsed.clear()
        return import_tracker([self.tmp], format="jira-json")

    def test_the_same_files_again_are_not_parsed_and_change_nothing(self) -> None:
        first = import_tracker([self.tmp], format="jira-json")
        self.assertEqual(first.created, 5)
        self.assertEqual(ImportedPage.objects.count(), 2)
        before = list(Item.objects.values_list("pk", "content_hash").order_by("pk"))
        again = self.reimport()
        self.assertEqual(self.parsed, [])
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 5))
        self.assertEqual(
            list(Item.objects.values_list("pk", "content_hash").order_by("pk")), before
        )
        self.assertEqual(Change.objects.count(), 5)

    def test_a_changed_file_is_read_and_only_it(self) -> None:
        import_tracker([self.tmp], format="jira-json")
        newer = page(3, 2)
        newer["issues"][0]["fields"]["summary"] = "Page item 3, renamed"
        self.write("p2.json", newer)
        again = self.reimport()
        self.assertEqual(self.parsed, ["p2.json"])
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 1, 4))
        self.assertEqual(Item.objects.get(key="PG-3").title, "Page item 3, renamed")
        third = self.reimport()  # the newer file is remembered in its turn
        self.assertEqual((self.parsed, third.unchanged), ([], 5))

    def test_a_new_person_the_reporter_now_matches_means_reading_again(self) -> None:
        import_tracker([self.tmp], format="jira-json")
        self.assertIsNone(Item.objects.get(key="PG-0").reporter_person)
        nora = Person.objects.create(name="Nora Newcomer", email="nora@example.com")
        again = self.reimport()
        self.assertEqual(sorted(self.parsed), ["p1.json", "p2.json"])
        self.assertEqual(again.updated, 5)
        self.assertEqual(Item.objects.get(key="PG-0").reporter_person, nora)

    def test_an_item_deleted_since_is_brought_back(self) -> None:
        import_tracker([self.tmp], format="jira-json")
        Item.objects.filter(key="PG-1").delete()
        again = self.reimport()
        self.assertEqual(self.parsed, ["p1.json"])
        self.assertEqual((again.created, again.unchanged), (1, 4))
        self.assertTrue(Item.objects.filter(key="PG-1").exists())

    def test_a_file_with_a_bad_issue_is_never_remembered(self) -> None:
        bad = page(10, 2)
        bad["issues"][1]["fields"]["created"] = "yesterday-ish"
        self.write("p3.json", bad)
        first = import_tracker([self.tmp], format="jira-json", skip_invalid=True)
        self.assertEqual((first.created, first.skipped), (6, 1))
        self.assertEqual(ImportedPage.objects.count(), 2)  # p1 and p2 only
        again = self.reimport()
        self.assertEqual(self.parsed, ["p3.json"])
        self.assertEqual([error.key for error in again.errors], ["PG-11"])  # still reported
        self.assertFalse(again.written)

    def test_a_rejected_import_remembers_nothing(self) -> None:
        bad = page(10, 1)
        bad["issues"][0]["fields"]["created"] = "not a date"
        self.write("p3.json", bad)
        report = import_tracker([self.tmp], format="jira-json")
        self.assertFalse(report.written)
        self.assertEqual(ImportedPage.objects.count(), 0)

    def test_a_new_changelog_file_for_an_issue_means_its_file_is_read(self) -> None:
        shutil.copy(FIXTURES / "issue_SHOP-7.json", self.tmp / "issue_SHOP-7.json")
        import_tracker([self.tmp], format="jira-json")
        shutil.copy(FIXTURES / "SHOP-7-changelog-page1.json", self.tmp)
        again = self.reimport()
        self.assertIn("issue_SHOP-7.json", self.parsed)
        self.assertNotIn("p1.json", self.parsed)
        self.assertGreater(again.changes_added, 0)
        self.assertEqual(again.updated, 1)
