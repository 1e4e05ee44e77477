"""Two models, or two versions of one, lined up by competency key: the differences found."""

from __future__ import annotations

import copy
from pathlib import Path

from django.test import SimpleTestCase

from productops.competencies.model_compare import compare_documents
from productops.competencies.model_format import parse_model_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "competencies" / "library"


def fixture() -> dict:
    document, errors = parse_model_text(
        (FIXTURES / "discovery-model.yaml").read_text(), filename="discovery-model.yaml"
    )
    assert document is not None, errors
    return document


class ComparingDocuments(SimpleTestCase):
    def test_identical_documents(self) -> None:
        comparison = compare_documents(fixture(), fixture())
        self.assertTrue(comparison.identical)
        self.assertEqual(
            comparison.counts, {"same": 4, "changed": 0, "only_left": 0, "only_right": 0}
        )

    def test_each_kind_of_difference_is_marked(self) -> None:
        left = fixture()
        right = copy.deepcopy(left)
        interviewing = right["areas"][0]["competencies"][0]
        interviewing["levels"][1] = "Runs an interview every week."
        interviewing["behaviours"] = []
        moved = right["areas"][0]["competencies"].pop(1)  # assumption-testing
        right["areas"][1]["competencies"].append(moved)
        right["areas"][1]["competencies"].pop(0)  # opportunity-mapping
        right["areas"][1]["competencies"].append(
            {
                "key": "storytelling",
                "name": "Storytelling",
                "description": "",
                "levels": ["a", "b", "c", "d"],
                "behaviours": [],
            }
        )
        right["scale"][3]["label"] = "Teaching"

        comparison = compare_documents(left, right)
        pairs = {pair.key: pair for pair in comparison.competencies}
        self.assertEqual(
            [(pair.key, pair.status) for pair in comparison.competencies],
            [
                ("interviewing", "changed"),
                ("assumption-testing", "changed"),
                ("opportunity-mapping", "only left"),
                ("outcome-focus", "same"),
                ("storytelling", "only right"),
            ],
        )
        self.assertEqual(pairs["interviewing"].differences, ["behaviours", "levels"])
        self.assertEqual(
            [step.differs for step in pairs["interviewing"].steps], [False, True, False, False]
        )
        self.assertEqual(pairs["assumption-testing"].differences, ["area"])
        self.assertEqual(comparison.header_differences, ["scale"])
        self.assertEqual([pair.differs for pair in comparison.scale], [False, False, False, True])
        self.assertFalse(comparison.identical)

    def test_scales_of_different_lengths_line_up_by_step(self) -> None:
        left = fixture()
        right = copy.deepcopy(left)
        right["scale"].append({"step": 5, "label": "Shaping", "meaning": ""})
        for area in right["areas"]:
            for competency in area["competencies"]:
                competency["levels"].append("More")
        comparison = compare_documents(left, right)
        last = comparison.scale[-1]
        self.assertEqual((last.step, last.left, last.right), (5, None, "Shaping"))
        interviewing = comparison.competencies[0]
        self.assertEqual(
            (interviewing.steps[-1].left, interviewing.steps[-1].right), (None, "More")
        )
        self.assertEqual(interviewing.status, "changed")
