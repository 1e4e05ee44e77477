"""Career ladders: the level diff, editing expectations, importing ladder documents."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase

from productops.competencies.actions import (
    InvalidDocument,
    do_import_ladder,
    do_load_builtin_ladders,
    do_set_expectation,
)
from productops.competencies.ladders import (
    CompetencyLine,
    descriptor_for,
    level_diff,
    load_ladder,
)
from productops.competencies.models import Expectation, Ladder, LadderLevel
from tests.competencies.factories import make_model_version

SCALE = [
    {"step": 0, "label": "None", "meaning": ""},
    {"step": 2, "label": "Some", "meaning": ""},
    {"step": 4, "label": "Lots", "meaning": ""},
]
COMPETENCIES = [
    CompetencyLine("discovery", "Discovery", "Insight", ("d0", "d2", "d4")),
    CompetencyLine("delivery", "Delivery", "Execution", ("v0", "v2", "v4")),
    CompetencyLine("strategy", "Strategy", "Strategy", ("s0", "s2", "s4")),
    CompetencyLine("vision", "Vision", "Strategy", ("x0", "x2", "x4")),
    CompetencyLine("craft", "Craft", "Execution", ("c0", "c2", "c4")),
]


class LevelDiffArithmetic(SimpleTestCase):
    def test_each_competency_is_raised_lowered_kept_added_or_dropped(self) -> None:
        rows = level_diff(
            COMPETENCIES,
            SCALE,
            {"discovery": 0, "delivery": 4, "strategy": 2, "craft": 2, "retired": 2},
            {"discovery": 2, "delivery": 2, "strategy": 2, "vision": 4},
        )
        by_key = {row.key: row for row in rows}
        self.assertEqual(
            [(row.key, row.change) for row in rows],
            [
                ("discovery", "raised"),
                ("delivery", "lowered"),
                ("strategy", "same"),
                ("vision", "new"),
                ("craft", "dropped"),
                ("retired", "dropped"),
            ],
        )
        discovery = by_key["discovery"]
        self.assertEqual((discovery.from_label, discovery.from_text), ("None", "d0"))
        self.assertEqual((discovery.to_label, discovery.to_text), ("Some", "d2"))
        self.assertEqual(by_key["vision"].from_text, "")
        self.assertEqual(by_key["vision"].to_text, "x4")
        self.assertFalse(by_key["retired"].in_model)
        self.assertTrue(discovery.changed)
        self.assertFalse(by_key["strategy"].changed)

    def test_descriptors_follow_the_step_numbers_not_their_positions(self) -> None:
        self.assertEqual(descriptor_for(["a", "b", "c"], SCALE, 4), ("Lots", "c"))
        self.assertEqual(descriptor_for(["a", "b", "c"], SCALE, 3), ("", ""))
        self.assertEqual(descriptor_for(["a", "b", "c"], SCALE, None), ("", ""))

    def test_no_expectation_on_either_side(self) -> None:
        [row] = level_diff(COMPETENCIES[:1], SCALE, {}, {})
        self.assertEqual(row.change, "none")
        self.assertFalse(row.changed)


class BuiltInLadderDiff(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        do_load_builtin_ladders()
        cls.ladder = Ladder.objects.get(name="Product management ladder")

    def test_pm_to_senior_pm_shows_the_old_and_new_descriptor(self) -> None:
        view = load_ladder(self.ladder)
        rows = {row.key: row for row in view.diff("pm", "senior-pm")}
        prioritization = rows["prioritization"]
        self.assertEqual((prioritization.from_step, prioritization.to_step), (2, 3))
        self.assertEqual(prioritization.change, "raised")
        self.assertEqual(
            (prioritization.from_label, prioritization.to_label), ("Practising", "Proficient")
        )
        self.assertTrue(prioritization.from_text.startswith("Uses a simple, stated method"))
        self.assertTrue(prioritization.to_text.startswith("Says no with reasons people accept"))
        self.assertEqual(rows["discovery"].change, "same")
        self.assertEqual(len(rows), 12)

    def test_the_diff_reads_against_the_latest_version(self) -> None:
        view = load_ladder(self.ladder)
        self.assertEqual(view.version, self.ladder.model.latest)


class EditingExpectations(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        do_load_builtin_ladders()
        cls.level = LadderLevel.objects.get(ladder__name="Product management ladder", key="pm")

    def test_an_admin_moves_an_expectation(self) -> None:
        expectation = do_set_expectation(self.level, "discovery", 4)
        assert expectation is not None
        self.assertEqual(expectation.step, 4)
        self.assertEqual(self.level.expectations.get(competency_key="discovery").step, 4)

    def test_a_step_outside_the_scale_is_refused(self) -> None:
        for step in (0, 6, 99):
            with self.assertRaises(ValidationError) as raised:
                do_set_expectation(self.level, "discovery", step)
            self.assertIn("is not a step of the scale", raised.exception.messages[0])
        self.assertEqual(self.level.expectations.get(competency_key="discovery").step, 3)

    def test_an_unknown_competency_is_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, 'no competency "astrology"'):
            do_set_expectation(self.level, "astrology", 2)

    def test_none_removes_the_expectation(self) -> None:
        self.assertIsNone(do_set_expectation(self.level, "discovery", None))
        self.assertFalse(self.level.expectations.filter(competency_key="discovery").exists())


def ladder_document(**changes: Any) -> dict[str, Any]:
    document = {
        "name": "Small ladder",
        "discipline": "product",
        "model": "test-pm-model",
        "levels": [
            {
                "key": "junior",
                "name": "Junior",
                "aliases": ["L1"],
                "expectations": {"discovery": 1},
            },
            {
                "key": "senior",
                "name": "Senior",
                "aliases": ["L2", "Sr."],
                "expectations": {"discovery": 3, "delivery": 2},
            },
        ],
    }
    document.update(changes)
    return document


class ImportingLadders(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.version = make_model_version(steps=4)

    def test_a_ladder_is_created_and_imported_again_unchanged(self) -> None:
        ladder = do_import_ladder(ladder_document())
        again = do_import_ladder(ladder_document())
        self.assertEqual(again, ladder)
        view = load_ladder(ladder)
        self.assertEqual([level.key for level in view.levels], ["junior", "senior"])
        self.assertEqual(view.expected["senior"], {"discovery": 3, "delivery": 2})
        self.assertEqual(Expectation.objects.count(), 3)

    def test_the_document_is_the_truth_for_levels_and_expectations(self) -> None:
        do_import_ladder(ladder_document())
        document = ladder_document()
        document["levels"] = [
            {"key": "senior", "name": "Senior PM", "expectations": {"strategy": 4}},
            {"key": "lead", "name": "Lead", "expectations": {}},
        ]
        ladder = do_import_ladder(document)
        view = load_ladder(ladder)
        self.assertEqual(
            [(level.key, level.position) for level in view.levels], [("senior", 0), ("lead", 1)]
        )
        self.assertEqual(view.expected, {"senior": {"strategy": 4}, "lead": {}})
        self.assertEqual(view.levels[0].name, "Senior PM")

    def test_problems_are_all_reported_with_their_place(self) -> None:
        document = copy.deepcopy(ladder_document())
        document["levels"][0]["expectations"] = {"astrology": 2, "discovery": 9, "delivery": "two"}
        document["levels"][1]["key"] = "junior"
        document["levels"][1]["aliases"] = ["l1"]
        with self.assertRaises(InvalidDocument) as raised:
            do_import_ladder(document)
        found = {error.path: error.reason for error in raised.exception.errors}
        self.assertEqual(
            set(found),
            {
                "levels[0].expectations.astrology",
                "levels[0].expectations.discovery",
                "levels[0].expectations.delivery",
                "levels[1].key",
                "levels[1].aliases[0]",
            },
        )
        self.assertIn(
            "is not a step of the model's scale (1, 2, 3, 4)",
            found["levels[0].expectations.discovery"],
        )
        self.assertIn("HR data could not tell them apart", found["levels[1].aliases[0]"])
        self.assertEqual(Ladder.objects.count(), 0)

    def test_an_unknown_model_is_named(self) -> None:
        with self.assertRaises(InvalidDocument) as raised:
            do_import_ladder(ladder_document(model="no-such-model"))
        self.assertEqual(raised.exception.errors[0].path, "model")
        self.assertIn('no competency model "no-such-model"', raised.exception.errors[0].reason)

    def test_a_ladder_keeps_its_model(self) -> None:
        do_import_ladder(ladder_document())
        make_model_version(name="Other model", keys=("discovery", "delivery"), steps=4)
        with self.assertRaisesMessage(InvalidDocument, "a ladder keeps its model"):
            do_import_ladder(ladder_document(model="other-model"))
