"""Importing Jira exports into the backlog: idempotent, all-or-nothing, fast to repeat.

Hana brings the Checkout team's Jira export. The first import creates every item with
its history; importing the same export again changes nothing; a newer export updates
what changed and adds only the new history. A broken file writes nothing unless she
asks to skip the bad items.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.backlog.actions import import_tracker
from productops.backlog.models import Change, Item, Sprint, TrackerImport
from tests.cast import build_cast

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backlog" / "jira_json"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class TrackerImportStory(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def setUp(self) -> None:
        import tempfile

        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def write(self, name: str, data) -> Path:
        path = self.tmp / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    def test_the_first_import_creates_items_changes_and_sprints(self) -> None:
        report = import_tracker([FIXTURES], format="jira-json", user=self.cast.hana_user)
        self.assertTrue(report.written, report.errors)
        self.assertEqual((report.created, report.updated, report.unchanged), (8, 0, 0))
        self.assertEqual(report.changes_added, 13)
        self.assertEqual(Change.objects.count(), 13)
        story = Item.objects.get(source="jira", key="SHOP-2")
        self.assertEqual(story.sprints, ["1", "2"])
        self.assertEqual(story.story_points, 5.0)
        self.assertEqual(story.links[0], {"type": "blocks", "key": "SHOP-3"})
        self.assertEqual(story.changes.filter(field="status").count(), 2)
        # dates written with plain SQL read back as the same aware moments
        self.assertEqual(story.created, datetime(2024, 2, 1, 7, 30, tzinfo=UTC))
        first = story.changes.get(change_id="30001", field="sprint")
        self.assertEqual((first.at, first.to_value), (datetime(2024, 2, 5, 8, 10, tzinfo=UTC), "1"))
        self.assertEqual(story.labels, ["customer", "payments"])
        self.assertEqual(story.origin_set_by, "rules")  # the classification defaults hold
        sprint = Sprint.objects.get(source="jira", source_id="11")
        self.assertEqual(sprint.name, "OPS Sprint 11, hardening")
        self.assertEqual(Sprint.objects.count(), 4)
        run = TrackerImport.objects.get()
        self.assertEqual(
            (run.items_created, run.changes_added, run.by), (8, 13, self.cast.hana_user)
        )
        self.assertEqual(run.files, ["jira_json"])  # the folder, as given

    def test_reporters_are_matched_to_people_by_email_then_by_name(self) -> None:
        import_tracker([FIXTURES], format="jira-json")
        person = dict(Item.objects.values_list("key", "reporter_person__name"))
        self.assertEqual(person["SHOP-2"], "Priya PM")  # PRIYA@example.com, any case
        self.assertEqual(person["SHOP-3"], "Otto Outsider")  # no email: "otto outsider"
        self.assertEqual(person["SHOP-1"], "Hana Head")
        self.assertIsNone(person["OPS-2"])  # Night Owl is nobody in the org
        self.assertIsNone(person["SHOP-7"])

    def test_importing_the_same_export_again_changes_nothing(self) -> None:
        import_tracker([FIXTURES], format="jira-json")
        before = list(Item.objects.values_list("pk", "content_hash").order_by("pk"))
        with mock.patch("productops.backlog.actions.do_reclassify") as reclassify:
            again = import_tracker([FIXTURES], format="jira-json")
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 8))
        self.assertEqual(again.changes_added, 0)
        self.assertEqual(Change.objects.count(), 13)
        self.assertEqual(
            list(Item.objects.values_list("pk", "content_hash").order_by("pk")), before
        )
        reclassify.assert_not_called()  # nothing changed, nothing to classify again

    def test_a_newer_export_updates_items_and_adds_only_the_new_changes(self) -> None:
        import_tracker([FIXTURES / "search_jql_page1.json"], format="jira-json")
        newer = fixture("search_jql_page1.json")
        story = newer["issues"][1]
        story["fields"]["status"] = {"name": "Done", "statusCategory": {"key": "done"}}
        story["changelog"]["histories"].append(
            {
                "id": "30004",
                "author": {"displayName": "Tariq Tech"},
                "created": "2024-03-08T10:00:00.000+0100",
                "items": [{"field": "status", "fromString": "In Review", "toString": "Done"}],
            }
        )
        for renamed in (newer["issues"][2], story):  # both name sprint 1, the same way
            renamed["fields"]["customfield_10020"][0]["name"] = "SHOP Sprint 1 (renamed)"
        with mock.patch("productops.backlog.actions.do_reclassify") as reclassify:
            report = import_tracker(
                [self.write("search_jql_page1.json", newer)], format="jira-json"
            )
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 1, 2))
        self.assertEqual(report.changes_added, 1)
        done = Item.objects.get(key="SHOP-2")
        self.assertEqual(done.status_category, "done")
        self.assertEqual(done.changes.count(), 7)
        # SHOP-3 names the renamed sprint by the same id, so the item itself is unchanged
        reclassify.assert_called_once_with([done.pk])
        # the sprint is upserted: same row, the newer name
        self.assertEqual(Sprint.objects.get(source_id="1").name, "SHOP Sprint 1 (renamed)")

    def test_a_bad_record_means_nothing_is_written(self) -> None:
        good = FIXTURES / "search_jql_page1.json"
        bad = self.write(
            "z-page.json",
            {"issues": [{"key": "SHOP-99", "fields": {"summary": "x", "created": "soon"}}]},
        )
        report = import_tracker([good, bad], format="jira-json")
        self.assertFalse(report.written)
        self.assertEqual(Item.objects.count(), 0)
        self.assertEqual(Change.objects.count(), 0)
        self.assertEqual(Sprint.objects.count(), 0)
        [error] = report.errors
        self.assertEqual(
            (error.source, error.row, error.column, error.key),
            ("z-page.json", 1, "created", "SHOP-99"),
        )
        run = TrackerImport.objects.get()
        self.assertEqual(run.items_created, 0)
        self.assertEqual(run.errors[0]["key"], "SHOP-99")
        self.assertIn("Nothing was written", report.summary())

    def test_skip_invalid_writes_the_good_items_and_lists_the_bad(self) -> None:
        page = fixture("search_jql_page1.json")
        page["issues"][0]["fields"]["created"] = "1st of May"
        del page["issues"][2]["key"]
        report = import_tracker([self.write("p.json", page)], format="jira-json", skip_invalid=True)
        self.assertTrue(report.written)
        self.assertEqual(report.created, 1)
        self.assertEqual(report.skipped, 2)
        self.assertEqual([(e.row, e.column) for e in report.errors], [(1, "created"), (3, "key")])
        self.assertEqual(list(Item.objects.values_list("key", flat=True)), ["SHOP-2"])
        self.assertIn("2 row(s) skipped", report.summary())

    def test_skip_invalid_with_nothing_good_writes_nothing(self) -> None:
        bad = self.tmp / "broken.json"
        bad.write_text("{", encoding="utf-8")
        report = import_tracker([bad], format="jira-json", skip_invalid=True)
        self.assertFalse(report.written)
        self.assertIn("broken JSON", report.errors[0].reason)

    def test_an_unknown_format_is_a_clear_error(self) -> None:
        report = import_tracker([FIXTURES], format="trello")
        self.assertFalse(report.written)
        self.assertIn("unknown format 'trello'", report.errors[0].reason)

    def test_created_items_are_classified_and_progress_is_reported(self) -> None:
        seen = []
        with mock.patch("productops.backlog.actions.do_reclassify") as reclassify:
            import_tracker(
                [FIXTURES],
                format="jira-json",
                progress=lambda done, total: seen.append((done, total)),
            )
        [ids] = reclassify.call_args.args
        self.assertEqual(sorted(ids), sorted(Item.objects.values_list("pk", flat=True)))
        self.assertEqual(seen[-1], (8, 8))


def big_page(count: int, start: int = 0) -> dict:
    return {
        "names": {"customfield_1": "Sprint"},
        "issues": [
            {
                "key": f"BIG-{n}",
                "fields": {
                    "summary": f"Item {n}",
                    "issuetype": {"name": "Story"},
                    "created": "2024-01-01T10:00:00.000+0000",
                    "reporter": {"displayName": "Priya PM", "emailAddress": "priya@example.com"},
                    "customfield_1": [{"id": 5, "name": "S5", "state": "closed"}],
                },
                "changelog": {
                    "histories": [
                        {
                            "id": str(n),
                            "created": "2024-01-02T10:00:00.000+0000",
                            "items": [
                                {"field": "status", "fromString": "To Do", "toString": "Done"}
                            ],
                        }
                    ]
                },
            }
            for n in range(start, start + count)
        ],
    }


class ReimportCost(TestCase):
    """Re-importing unchanged data costs the same few queries for 20 items or 200."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def reimport_queries(self, folder: Path, count: int) -> int:
        folder.mkdir()
        (folder / "page.json").write_text(json.dumps(big_page(count)), encoding="utf-8")
        import_tracker([folder], format="jira-json")
        with CaptureQueriesContext(connection) as queries:
            report = import_tracker([folder], format="jira-json")
        self.assertEqual(report.unchanged, count)
        return len(queries)

    def test_the_query_count_does_not_grow_with_the_items(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            small = self.reimport_queries(Path(tmp) / "small", 20)
            Item.objects.all().delete()
            large = self.reimport_queries(Path(tmp) / "large", 200)
        self.assertEqual(small, large)
        self.assertLess(large, 15)

    def test_a_first_import_writes_in_batches(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "page.json").write_text(json.dumps(big_page(300)), encoding="utf-8")
            with CaptureQueriesContext(connection) as queries:
                report = import_tracker([tmp], format="jira-json")
        self.assertEqual((report.created, report.changes_added), (300, 300))
        self.assertLess(len(queries), 30)
        self.assertEqual(Item.objects.filter(reporter_person=self.cast.priya).count(), 300)
