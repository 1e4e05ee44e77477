"""The competency model file format: every kind of problem is found, named and placed.

Pure checks over text and plain data: no database.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from productops.competencies.model_format import (
    FormatError,
    check_model_document,
    parse_model_text,
    render_document,
    with_version,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "competencies" / "library"


def document(areas: int = 3, steps: int = 4) -> dict[str, Any]:
    """A valid document with `areas` areas of two competencies each."""
    return {
        "name": "Story model",
        "discipline": "product",
        "scale": [
            {"step": s, "label": f"Step {s}", "meaning": f"Means {s}"} for s in range(1, steps + 1)
        ],
        "areas": [
            {
                "key": f"area-{a}",
                "name": f"Area {a}",
                "competencies": [
                    {
                        "key": f"skill-{a}-{c}",
                        "name": f"Skill {a}.{c}",
                        "levels": [f"Descriptor {s}" for s in range(1, steps + 1)],
                    }
                    for c in range(2)
                ],
            }
            for a in range(areas)
        ],
    }


def problems(data: Any) -> list[str]:
    _, errors = check_model_document(data)
    return [str(error) for error in errors]


class ValidDocuments(SimpleTestCase):
    def test_a_valid_document_is_normalized(self) -> None:
        raw = document()
        raw["discipline"] = "Product"  # the label works as well as the value
        raw["areas"][0]["competencies"][0]["name"] = "  Padded name  "
        checked, errors = check_model_document(raw)
        self.assertEqual(errors, [])
        assert checked is not None
        self.assertEqual(checked["discipline"], "product")
        self.assertEqual(checked["slug"], "story-model")
        competency = checked["areas"][0]["competencies"][0]
        self.assertEqual(competency["name"], "Padded name")
        self.assertEqual(competency["behaviours"], [])
        self.assertEqual(competency["description"], "")
        self.assertEqual(
            list(checked), ["name", "slug", "discipline", "description", "scale", "areas"]
        )

    def test_the_yaml_and_json_fixtures_say_the_same_thing(self) -> None:
        from_yaml, errors = parse_model_text(
            (FIXTURES / "discovery-model.yaml").read_text(), filename="discovery-model.yaml"
        )
        self.assertEqual(errors, [])
        from_json, errors = parse_model_text(
            (FIXTURES / "discovery-model.json").read_text(), filename="discovery-model.json"
        )
        self.assertEqual(errors, [])
        assert from_yaml is not None and from_json is not None
        self.assertEqual(from_yaml["areas"], from_json["areas"])
        self.assertEqual(from_yaml["scale"], from_json["scale"])

    def test_version_in_a_file_is_accepted_and_not_kept(self) -> None:
        raw = document()
        raw["version"] = 7
        checked, errors = check_model_document(raw)
        self.assertEqual(errors, [])
        assert checked is not None
        self.assertNotIn("version", checked)
        self.assertEqual(list(with_version(checked, 3))[:3], ["name", "slug", "version"])

    def test_a_file_without_a_known_extension_is_sniffed(self) -> None:
        text = json.dumps(document())
        checked, errors = parse_model_text(text, filename="model.txt")
        self.assertEqual(errors, [])
        self.assertIsNotNone(checked)


class EveryErrorKind(SimpleTestCase):
    def test_levels_must_match_the_scale_and_the_place_is_exact(self) -> None:
        raw = document(areas=3, steps=4)
        raw["areas"][2]["competencies"][0]["levels"] = ["a", "b", "c"]
        self.assertEqual(
            problems(raw),
            ["areas[2].competencies[0].levels: 4 levels expected by the scale, 3 given"],
        )

    def test_unknown_discipline(self) -> None:
        raw = document()
        raw["discipline"] = "astrology"
        [problem] = problems(raw)
        self.assertTrue(problem.startswith('discipline: "astrology" is not a discipline'))
        self.assertIn("product, design, engineering", problem)

    def test_duplicate_competency_key_across_areas(self) -> None:
        raw = document()
        raw["areas"][1]["competencies"][1]["key"] = "skill-0-0"
        self.assertEqual(
            problems(raw),
            [
                'areas[1].competencies[1].key: duplicate key "skill-0-0": '
                "areas[0].competencies[0] has it too"
            ],
        )

    def test_duplicate_area_key(self) -> None:
        raw = document()
        raw["areas"][2]["key"] = "area-0"
        self.assertEqual(
            problems(raw), ['areas[2].key: duplicate key "area-0": areas[0] has it too']
        )

    def test_keys_must_be_slugs(self) -> None:
        raw = document()
        raw["areas"][0]["competencies"][1]["key"] = "Stakeholder Management"
        raw["areas"][1]["key"] = "under_score"
        found = problems(raw)
        self.assertIn(
            'areas[0].competencies[1].key: "Stakeholder Management" is not a key: use lowercase '
            'letters, digits and single hyphens, like "stakeholder-management"',
            found,
        )
        self.assertTrue(any(p.startswith("areas[1].key:") for p in found))

    def test_missing_required_fields(self) -> None:
        raw = document()
        del raw["name"]
        del raw["areas"][0]["competencies"][0]["levels"]
        del raw["scale"][1]["label"]
        self.assertEqual(
            sorted(problems(raw)),
            [
                "areas[0].competencies[0].levels: required, but missing",
                "name: required, but missing",
                "scale[1].label: required, but missing",
            ],
        )

    def test_wrong_types(self) -> None:
        raw = document()
        raw["name"] = 42
        raw["scale"][0]["step"] = "one"
        raw["areas"][1]["competencies"] = {"key": "x"}
        raw["areas"][0]["competencies"][0]["levels"][2] = ["nested"]
        self.assertEqual(
            sorted(problems(raw)),
            [
                "areas[0].competencies[0].levels[2]: expected text, got a list",
                "areas[1].competencies: expected a list of competencies, got a mapping",
                "name: expected text, got a number; put it in quotes",
                "scale[0].step: expected a whole number, got text",
            ],
        )

    def test_true_and_false_are_not_numbers(self) -> None:
        raw = document()
        raw["scale"][0]["step"] = True
        self.assertIn("scale[0].step: expected a whole number, got true/false", problems(raw))

    def test_empty_scale(self) -> None:
        raw = document()
        raw["scale"] = []
        found = problems(raw)
        self.assertIn("scale: is empty: a scale needs at least 2 steps", found)

    def test_a_scale_of_one_step_is_too_short(self) -> None:
        raw = document(steps=1)
        self.assertEqual(problems(raw), ["scale: a scale needs at least 2 steps, 1 given"])

    def test_steps_must_increase(self) -> None:
        raw = document()
        raw["scale"][2]["step"] = 2
        raw["scale"][3]["step"] = 1
        self.assertEqual(
            problems(raw),
            [
                "scale[2].step: steps must increase: 2 comes after 2",
                "scale[3].step: steps must increase: 1 comes after 2",
            ],
        )

    def test_unknown_evidence_kind(self) -> None:
        raw = document()
        raw["areas"][0]["competencies"][0]["behaviours"] = [
            {"text": "Writes it down", "evidence": "artifact"},
            {"text": "Heard it somewhere", "evidence": "rumour"},
        ]
        self.assertEqual(
            problems(raw),
            [
                'areas[0].competencies[0].behaviours[1].evidence: "rumour" is not a kind of '
                "evidence: use artifact, peer, self"
            ],
        )

    def test_unknown_fields_are_errors_with_a_suggestion(self) -> None:
        raw = document()
        raw["decription"] = "typo"
        raw["areas"][0]["competencies"][0]["behaviors"] = []
        raw["areas"][1]["colour"] = "blue"
        self.assertEqual(
            problems(raw),
            [
                "decription: unknown field; did you mean description?",
                "areas[0].competencies[0].behaviors: unknown field; did you mean behaviours?",
                "areas[1].colour: unknown field; the fields here are key, name, competencies",
            ],
        )

    def test_empty_text_and_empty_lists(self) -> None:
        raw = document()
        raw["areas"][0]["competencies"][0]["levels"][0] = "   "
        raw["areas"][1]["competencies"] = []
        self.assertEqual(
            problems(raw),
            [
                "areas[0].competencies[0].levels[0]: is empty",
                "areas[1].competencies: is empty: give at least one of competencies",
            ],
        )

    def test_the_document_must_be_a_mapping(self) -> None:
        [error] = check_model_document(["a", "list"])[1]
        self.assertEqual(error.path, "")
        self.assertEqual(
            error.reason,
            "the document should be a mapping with name, discipline, scale, areas; got a list",
        )

    def test_every_problem_is_reported_at_once(self) -> None:
        text = (FIXTURES / "broken-model.yaml").read_text()
        checked, errors = parse_model_text(text, filename="broken-model.yaml")
        self.assertIsNone(checked)
        paths = [error.path for error in errors]
        self.assertEqual(
            paths,
            [
                "discipline",
                "scale[1].step",
                "areas[0].key",
                "areas[0].competencies[0].levels",
                "areas[0].competencies[0].behaviours[0].evidence",
                "areas[1].competencies[0].key",
                "colour",
            ],
        )


class SyntaxAndLines(SimpleTestCase):
    def test_yaml_syntax_error_names_the_line(self) -> None:
        text = "name: Broken\ndiscipline: product\nscale: [1, 2\nareas: []\n"
        checked, [error] = parse_model_text(text, filename="broken.yaml")
        self.assertIsNone(checked)
        self.assertIsInstance(error, FormatError)
        self.assertIn("not valid YAML", error.reason)
        self.assertEqual(error.line, 4)
        self.assertTrue(str(error).startswith("broken.yaml: line 4: not valid YAML"))

    def test_json_syntax_error_names_the_line(self) -> None:
        text = '{\n  "name": "Broken",\n  "scale": [1, 2,]\n}\n'
        checked, [error] = parse_model_text(text, filename="broken.json")
        self.assertIsNone(checked)
        self.assertEqual(error.line, 3)
        self.assertIn("not valid JSON", error.reason)

    def test_problems_carry_the_line_of_the_value(self) -> None:
        text = (FIXTURES / "broken-model.yaml").read_text()
        _, errors = parse_model_text(text, filename="broken-model.yaml")
        lines = {error.path: error.line for error in errors}
        self.assertEqual(lines["discipline"], 2)
        self.assertEqual(lines["scale[1].step"], 6)
        self.assertEqual(lines["areas[0].competencies[0].levels"], 16)
        self.assertEqual(lines["colour"], 26)

    def test_json_files_get_lines_too(self) -> None:
        raw = document()
        raw["discipline"] = "astrology"
        text = json.dumps(raw, indent=2)
        _, [error] = parse_model_text(text, filename="model.json")
        self.assertEqual(error.line, text.splitlines().index('  "discipline": "astrology",') + 1)

    def test_a_key_given_twice_is_an_error(self) -> None:
        text = yaml.safe_dump(document(), sort_keys=False) + "name: Second name\n"
        _, errors = parse_model_text(text, filename="twice.yaml")
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0].path, "name")
        self.assertIn("given twice (lines 1 and", errors[0].reason)

    def test_empty_files_and_non_documents(self) -> None:
        for text in ["", "   \n", "# only a comment\n"]:
            checked, [error] = parse_model_text(text, filename="empty.yaml")
            self.assertIsNone(checked)
        _, [error] = parse_model_text("just a sentence", filename="model.yaml")
        self.assertIn("should be a mapping", error.reason)

    def test_unsafe_yaml_tags_are_refused(self) -> None:
        _, [error] = parse_model_text("!!python/object:os.system {}", filename="evil.yaml")
        self.assertIn("not valid YAML", error.reason)

    def test_several_documents_in_one_file_are_refused(self) -> None:
        _, [error] = parse_model_text("a: 1\n---\nb: 2\n", filename="two.yaml")
        self.assertIn("not valid YAML", error.reason)

    def test_pathological_input_is_an_error_not_a_crash(self) -> None:
        for text, filename in [
            ("[" * 5000 + "]" * 5000, "deep.json"),
            ("- " * 3000 + "x", "deep.yaml"),
            ("name: 2024-13-45\n", "date.yaml"),
            ("name: " + "9" * 5000 + "\n", "big.yaml"),
            ('{"name": ' + "9" * 5000 + "}", "big.json"),
            ("null", "null.json"),
            ("a: *nowhere\n", "alias.yaml"),
            ("\x00\x01", "binary.yaml"),
        ]:
            checked, errors = parse_model_text(text, filename=filename)
            self.assertIsNone(checked, filename)
            self.assertTrue(errors, filename)


class RoundTrip(SimpleTestCase):
    def test_rendered_documents_read_back_unchanged(self) -> None:
        checked, _ = parse_model_text(
            (FIXTURES / "discovery-model.yaml").read_text(), filename="discovery-model.yaml"
        )
        assert checked is not None
        stored = with_version(checked, 2)
        for fmt in ("yaml", "json"):
            again, errors = parse_model_text(render_document(stored, fmt), filename=f"m.{fmt}")
            self.assertEqual(errors, [], fmt)
            self.assertEqual(again, checked, fmt)


# --- Random input never raises ----------------------------------------------------------

FIELD_NAMES = ["name", "slug", "version", "discipline", "description", "scale", "areas",
               "key", "competencies", "levels", "behaviours", "text", "evidence", "step",
               "label", "meaning", "product", "self", "peer"]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=False),
    st.sampled_from(FIELD_NAMES),
    st.text(max_size=12),
)
data = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), children, max_size=6),
    ),
    max_leaves=40,
)
# Fragments of YAML and JSON syntax, field names and stray characters, glued at random.
yamlish = st.lists(
    st.sampled_from(
        [
            *"abc019 :-_,[]{}\"'#&*!|>%@`\n\t\\",
            "- ",
            ": ",
            "\n  ",
            "---",
            "!!set",
            "2024-13-45",
            *FIELD_NAMES,
        ]
    ),
    max_size=80,
).map("".join)


class RandomInput(SimpleTestCase):
    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=yamlish, filename=st.sampled_from(["m.yaml", "m.json", "m", "m.yml"]))
    def test_random_text_gives_errors_never_an_exception(self, text: str, filename: str) -> None:
        checked, errors = parse_model_text(text, filename=filename)
        self.assertTrue((checked is None) == bool(errors))
        for error in errors:
            str(error)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(value=data)
    def test_random_data_as_yaml_and_json_never_raises(self, value: Any) -> None:
        for text, filename in [
            (yaml.safe_dump(value), "m.yaml"),
            (json.dumps(value), "m.json"),
        ]:
            checked, errors = parse_model_text(text, filename=filename)
            self.assertTrue((checked is None) == bool(errors))

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(value=data, where=st.sampled_from(["name", "scale", "areas", "description"]))
    def test_random_values_inside_a_valid_document_never_raise(
        self, value: Any, where: str
    ) -> None:
        raw = copy.deepcopy(document())
        raw[where] = value
        check_model_document(raw)
        raw = copy.deepcopy(document())
        raw["areas"][0]["competencies"][0][where if where != "scale" else "levels"] = value
        check_model_document(raw)

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        texts=st.lists(
            st.text(
                alphabet=st.characters(blacklist_categories=("Cs", "Cc"))
                | st.sampled_from("\n:#-"),
                min_size=1,
                max_size=30,
            ).filter(lambda t: t.strip()),
            min_size=8,
            max_size=8,
        )
    )
    def test_any_text_round_trips_through_export(self, texts: list[str]) -> None:
        raw = document(areas=1, steps=4)
        raw["description"] = texts[0]
        competency = raw["areas"][0]["competencies"][0]
        competency["levels"] = texts[1:5]
        competency["name"] = texts[5]
        competency["description"] = texts[6]
        competency["behaviours"] = [{"text": texts[7], "evidence": "peer"}]
        checked, errors = check_model_document(raw)
        if checked is None:
            return  # e.g. a name longer than allowed once stripped; covered elsewhere
        for fmt in ("yaml", "json"):
            again, errors = parse_model_text(render_document(checked, fmt), filename=f"m.{fmt}")
            self.assertEqual(errors, [])
            self.assertEqual(again, checked)
