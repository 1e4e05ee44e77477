"""The practice library that ships with productops: complete, varied, and safe to reload."""

from __future__ import annotations

import io
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.coaching.actions import (
    do_load_builtin_practices,
    do_save_practice,
    do_set_practice_active,
)
from productops.coaching.models import Practice
from productops.coaching.practices import (
    builtin_competencies,
    builtin_library,
    library_files,
)
from productops.competencies.actions import do_load_builtin_models
from tests.cast import build_cast

DISCOVERY_INTERVIEWS = "Run one customer interview a week with your trio and share the notes"


class ShippedLibrary(TestCase):
    """Every competency of every built-in model has practices worth picking."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.added = do_load_builtin_practices()

    def active_by_key(self) -> dict[str, list[Practice]]:
        found: dict[str, list[Practice]] = defaultdict(list)
        for practice in Practice.objects.filter(active=True):
            found[practice.competency_key].append(practice)
        return found

    def test_the_four_built_in_models_are_covered(self) -> None:
        self.assertEqual(
            sorted(builtin_competencies()),
            ["engineering-lead", "pm-toolkit", "pm-wheel", "product-design"],
        )

    def test_every_competency_of_every_model_has_three_practices_of_two_kinds(self) -> None:
        found = self.active_by_key()
        for slug, competencies in builtin_competencies().items():
            for key, name in competencies:
                practices = found.get(key, [])
                self.assertGreaterEqual(len(practices), 3, f"{slug}: {name} ({key})")
                kinds = {practice.kind for practice in practices}
                self.assertGreaterEqual(len(kinds), 2, f"{slug}: {name} ({key}) has only {kinds}")

    def test_shared_keys_serve_every_model_that_has_them(self) -> None:
        models_of: dict[str, set[str]] = defaultdict(set)
        for slug, competencies in builtin_competencies().items():
            for key, _name in competencies:
                models_of[key].add(slug)
        shared = {key for key, slugs in models_of.items() if len(slugs) > 1}
        self.assertEqual(shared, {"communication", "delivery", "discovery", "team-leadership"})
        self.assertEqual(
            sorted(models_of["discovery"]), ["engineering-lead", "pm-toolkit", "product-design"]
        )
        self.assertGreaterEqual(len(self.active_by_key()["discovery"]), 5)

    def test_the_issues_own_example_is_in_the_library(self) -> None:
        practice = Practice.objects.get(competency_key="discovery", title=DISCOVERY_INTERVIEWS)
        self.assertEqual((practice.kind, practice.effort), ("on_the_job", "medium"))
        self.assertIn("summary", practice.description)
        self.assertTrue(practice.built_in)
        self.assertEqual(practice.shipped_title, DISCOVERY_INTERVIEWS)

    def test_every_kind_and_effort_is_used_and_every_practice_is_described(self) -> None:
        library = builtin_library()
        self.assertEqual(self.added, len(library))
        self.assertEqual(
            {entry.kind for entry in library},
            {"on_the_job", "shadowing", "reading", "course", "mentoring"},
        )
        self.assertEqual({entry.effort for entry in library}, {"low", "medium", "high"})
        for entry in library:
            self.assertTrue(entry.description.endswith("."), entry.title)
            self.assertGreater(len(entry.description), 60, entry.title)

    def test_the_files_ship_inside_the_package(self) -> None:
        names = [path.name for path in library_files()]
        self.assertIn("shared.yaml", names)
        self.assertEqual(len(names), 5)


class ReloadingTheLibrary(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        do_load_builtin_models()
        do_load_builtin_practices()

    def snapshot(self) -> list[tuple]:
        return list(
            Practice.objects.order_by("pk").values_list(
                "pk", "competency_key", "title", "description", "kind", "effort", "active"
            )
        )

    def test_loading_twice_changes_nothing_and_costs_two_queries(self) -> None:
        before = self.snapshot()
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(do_load_builtin_practices(), 0)
        self.assertEqual(self.snapshot(), before)
        writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
        self.assertEqual(writes, [], "a reload with nothing new must not write")
        self.assertLessEqual(len(queries), 2)

    def test_hanas_edit_survives_a_reload(self) -> None:
        practice = Practice.objects.get(competency_key="discovery", title=DISCOVERY_INTERVIEWS)
        do_save_practice(
            self.cast.hana_user,
            practice,
            description="Every Tuesday at 10, with whoever of the trio is free.",
            effort="low",
            kind="mentoring",
        )
        count = Practice.objects.count()
        do_load_builtin_practices()
        practice.refresh_from_db()
        self.assertEqual(
            practice.description, "Every Tuesday at 10, with whoever of the trio is free."
        )
        self.assertEqual((practice.kind, practice.effort), ("mentoring", "low"))
        self.assertEqual(Practice.objects.count(), count)

    def test_a_renamed_built_in_is_not_added_back(self) -> None:
        practice = Practice.objects.get(competency_key="discovery", title=DISCOVERY_INTERVIEWS)
        do_save_practice(
            self.cast.hana_user, practice, title="Interview a customer every week as a trio"
        )
        self.assertEqual(do_load_builtin_practices(), 0)
        self.assertFalse(
            Practice.objects.filter(competency_key="discovery", title=DISCOVERY_INTERVIEWS).exists()
        )
        practice.refresh_from_db()
        self.assertEqual(practice.title, "Interview a customer every week as a trio")
        self.assertEqual(practice.shipped_title, DISCOVERY_INTERVIEWS)

    def test_a_deactivated_built_in_stays_deactivated(self) -> None:
        practice = Practice.objects.filter(competency_key="accessibility").first()
        assert practice is not None
        do_set_practice_active(self.cast.hana_user, practice, False)
        do_load_builtin_practices()
        practice.refresh_from_db()
        self.assertFalse(practice.active)

    def test_a_practice_of_the_orgs_own_with_a_shipped_title_is_left_alone(self) -> None:
        # Hana wrote her own version of a shipped practice, under the same title.
        Practice.objects.filter(title="Mentor a newer colleague for a quarter").delete()
        own = do_save_practice(
            self.cast.hana_user,
            None,
            competency_key="team-leadership",
            title="mentor a newer colleague for a  quarter",
            kind="course",
        )
        self.assertEqual(do_load_builtin_practices(), 0)
        own.refresh_from_db()
        self.assertEqual((own.kind, own.built_in, own.shipped_title), ("course", False, ""))
        self.assertEqual(
            Practice.objects.filter(title__iexact="mentor a newer colleague for a quarter").count(),
            1,
        )

    def test_a_built_in_stays_with_its_competency_so_a_reload_recognizes_it(self) -> None:
        practice = Practice.objects.get(competency_key="discovery", title=DISCOVERY_INTERVIEWS)
        with self.assertRaises(ValidationError) as refused:
            do_save_practice(self.cast.hana_user, practice, competency_key="customer-discovery")
        self.assertIn(
            "stays with its competency", refused.exception.message_dict["competency_key"][0]
        )
        own = do_save_practice(
            self.cast.hana_user, None, competency_key="discovery", title="Our own", kind="reading"
        )
        moved = do_save_practice(self.cast.hana_user, own, competency_key="customer-discovery")
        self.assertEqual(moved.competency_key, "customer-discovery")

    def test_only_admins_change_the_library(self) -> None:
        practice = Practice.objects.first()
        assert practice is not None
        for user in (self.cast.marco_user, self.cast.priya_user, self.cast.vera_user):
            with self.assertRaises(PermissionDenied):
                do_save_practice(user, practice, title="Mine now")
            with self.assertRaises(PermissionDenied):
                do_set_practice_active(user, practice, False)


class LoadCommand(TestCase):
    def test_the_command_loads_once_and_then_reports_nothing_to_add(self) -> None:
        out = io.StringIO()
        call_command("load_builtin_practices", stdout=out)
        self.assertIn(f"Added {len(builtin_library())} practice(s)", out.getvalue())
        out = io.StringIO()
        call_command("load_builtin_practices", stdout=out)
        self.assertIn("Nothing to add", out.getvalue())
