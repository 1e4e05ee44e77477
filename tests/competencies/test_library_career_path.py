"""Hana brings the company's career framework in from the HR tool's CSV export."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from productops.competencies.actions import (
    ModelImportStatus,
    do_load_builtin_ladders,
    import_career_path_file,
)
from productops.competencies.importers.career_path_csv import (
    guess_discipline,
    parse_career_path_file,
    parse_career_path_text,
)
from productops.competencies.ladders import load_ladder
from productops.competencies.models import CompetencyModel, Ladder, ModelVersion

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "competencies" / "library"
GOOD = FIXTURES / "career-path.csv"
BAD = FIXTURES / "career-path-bad.csv"
TWO_PATHS = FIXTURES / "career-path-two-paths.csv"


class ReadingTheFile(SimpleTestCase):
    def test_a_path_becomes_a_model_whose_scale_is_the_job_titles(self) -> None:
        result = parse_career_path_file(GOOD)
        self.assertEqual(result.errors, [])
        [path] = result.records
        model = path.model
        self.assertEqual(
            (model["name"], model["slug"], model["discipline"]),
            ("Product Management", "product-management", "product"),
        )
        self.assertEqual(
            [entry["label"] for entry in model["scale"]],
            [
                "Associate Product Manager",
                "Product Manager",
                "Senior Product Manager",
                "Group Product Manager",
            ],
        )
        self.assertEqual(
            [(area["key"], [c["key"] for c in area["competencies"]]) for area in model["areas"]],
            [
                ("product-execution", ["feature-specification", "product-delivery"]),
                ("customer-insight", ["customer-discovery"]),
                ("influencing", ["stakeholder-management"]),
            ],
        )

    def test_behaviours_become_the_descriptors_of_their_title(self) -> None:
        [path] = parse_career_path_file(GOOD).records
        levels = {
            competency["key"]: competency["levels"]
            for area in path.model["areas"]
            for competency in area["competencies"]
        }
        self.assertEqual(
            levels["feature-specification"],
            [
                "Writes user stories the team can estimate, with help from their manager.",
                "Writes specs that start from the customer problem.",
                "No new behaviour for Senior Product Manager; as for Product Manager.",
                "No new behaviour for Group Product Manager; as for Product Manager.",
            ],
        )
        self.assertEqual(
            levels["stakeholder-management"][0], "Not expected before Product Manager."
        )
        self.assertEqual(
            levels["product-delivery"][2],
            "Delivers a multi-quarter initiative across teams.\nManages the dependencies without escalation.",
        )

    def test_each_level_expects_the_step_of_the_latest_behaviour_described_for_it(self) -> None:
        [path] = parse_career_path_file(GOOD).records
        expected = {level["key"]: level["expectations"] for level in path.ladder["levels"]}
        self.assertEqual(
            expected,
            {
                "associate-product-manager": {
                    "feature-specification": 1,
                    "product-delivery": 1,
                    "customer-discovery": 1,
                },
                "product-manager": {
                    "feature-specification": 2,
                    "product-delivery": 1,
                    "customer-discovery": 2,
                    "stakeholder-management": 2,
                },
                "senior-product-manager": {
                    "feature-specification": 2,
                    "product-delivery": 3,
                    "customer-discovery": 3,
                    "stakeholder-management": 3,
                },
                "group-product-manager": {
                    "feature-specification": 2,
                    "product-delivery": 3,
                    "customer-discovery": 4,
                    "stakeholder-management": 4,
                },
            },
        )
        self.assertEqual(path.ladder["name"], "Product Management ladder")

    def test_bad_rows_are_each_reported_by_row_and_column(self) -> None:
        result = parse_career_path_file(BAD)
        self.assertEqual(result.records, [])
        self.assertEqual(
            [(error.row, error.column) for error in result.errors],
            [(3, "job title"), (4, "key behavior"), (5, "competency"), (6, "competency")],
        )
        self.assertIn(
            'the skill "Feature Specification" is under the competency "Product Execution" on row 2',
            result.errors[2].reason,
        )
        self.assertEqual(
            str(result.errors[0]), "career-path-bad.csv, row 3, column job title: is empty"
        )

    def test_semicolons_other_column_names_and_several_paths(self) -> None:
        result = parse_career_path_file(TWO_PATHS)
        self.assertEqual(result.errors, [])
        self.assertEqual(
            [(p.name, p.model["discipline"], len(p.model["scale"])) for p in result.records],
            [("Product Design", "design", 2), ("Product Management", "product", 2)],
        )

    def test_model_name_needs_a_single_path(self) -> None:
        result = parse_career_path_file(TWO_PATHS, model_name="Our framework")
        [error] = result.errors
        self.assertIn("--model-name needs a file with one path", error.reason)
        [path] = parse_career_path_file(GOOD, model_name="Our PM framework").records
        self.assertEqual(path.model["name"], "Our PM framework")
        self.assertEqual(path.ladder["name"], "Our PM framework ladder")

    def test_missing_columns_are_reported_on_the_header_row(self) -> None:
        result = parse_career_path_text("Path,Title,Skill\nPM,PM,Discovery\n", source="x.csv")
        [error] = result.errors
        self.assertEqual(error.row, 1)
        self.assertIn("missing column(s) key behavior, competency", error.reason)

    def test_a_path_with_one_job_title_is_not_a_ladder(self) -> None:
        text = "Job Title,Key Behavior,Competency\nPM,Talks to customers.,Discovery\n"
        [error] = parse_career_path_text(text, source="short.csv").errors
        self.assertIn("a ladder needs at least 2", error.reason)

    def test_without_a_path_column_the_file_name_names_the_model(self) -> None:
        text = "Job Title,Key Behavior,Competency\nPM,Talks to customers.,Discovery\nSenior PM,Coaches.,Discovery\n"
        [path] = parse_career_path_text(text, source="acme_pm_framework.csv").records
        self.assertEqual(path.model["name"], "acme pm framework")
        self.assertEqual(path.model["areas"][0]["competencies"][0]["key"], "discovery")

    def test_unreadable_files(self) -> None:
        for data, phrase in [
            (b"\xff\xfeP\x00a\x00", "UTF-16"),
            (b"PK\x03\x04rest", "Excel workbook"),
            (b"Path,Job Title\ncaf\xe9", "not UTF-8"),
        ]:
            [error] = parse_career_path_file(io.BytesIO(data), source="f.csv").errors
            self.assertIn(phrase, error.reason)

    def test_disciplines_are_guessed_from_the_path(self) -> None:
        for name, discipline in [
            ("Product Design", "design"),
            ("Product Marketing", "marketing"),
            ("Software Engineering", "engineering"),
            ("Product Management", "product"),
            ("Something else", "product"),
        ]:
            self.assertEqual(guess_discipline(name), discipline, name)

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        text=st.lists(
            st.sampled_from(
                ["path", "job title", "key behavior", "competency", "skill", ",", ";", "\n",
                 '"', "PM", "Senior PM", "Discovery", "x", " ", "\r\n", "é"]
            ),
            max_size=60,
        ).map("".join)
    )  # fmt: skip
    def test_random_files_give_errors_never_an_exception(self, text: str) -> None:
        result = parse_career_path_text(text, source="random.csv")
        self.assertTrue(result.errors or result.records)


class ImportingTheFile(TestCase):
    def test_the_file_becomes_a_model_and_a_ladder_and_importing_again_changes_nothing(
        self,
    ) -> None:
        report = import_career_path_file(GOOD, source=GOOD.name)
        self.assertTrue(report.written)
        [model_report] = report.models
        self.assertEqual(model_report.status, ModelImportStatus.CREATED)
        [ladder] = report.ladders
        view = load_ladder(ladder)
        self.assertEqual(len(view.levels), 4)
        self.assertEqual(view.expected["senior-product-manager"]["product-delivery"], 3)
        assert model_report.version is not None
        self.assertEqual(
            model_report.version.note, "Imported from the career-path file career-path.csv"
        )

        again = import_career_path_file(GOOD, source=GOOD.name)
        self.assertEqual(again.models[0].status, ModelImportStatus.UNCHANGED)
        self.assertEqual(ModelVersion.objects.count(), 1)
        self.assertEqual(Ladder.objects.count(), 1)

    def test_bad_rows_write_nothing(self) -> None:
        report = import_career_path_file(BAD, source=BAD.name)
        self.assertFalse(report.written)
        self.assertEqual(len(report.errors), 4)
        self.assertEqual(CompetencyModel.objects.count(), 0)

    def test_a_clash_with_an_existing_ladder_writes_nothing(self) -> None:
        do_load_builtin_ladders()
        models_before = CompetencyModel.objects.count()
        report = import_career_path_file(GOOD, model_name="Product management", source=GOOD.name)
        self.assertFalse(report.written)
        [error] = report.errors
        self.assertEqual(error.row, 2)
        self.assertIn("a ladder keeps its model", error.reason)
        self.assertEqual(CompetencyModel.objects.count(), models_before)

    def test_the_command(self) -> None:
        out = io.StringIO()
        call_command("import_career_path", str(TWO_PATHS), stdout=out)
        self.assertIn("Created the model Product Design, v1.", out.getvalue())
        self.assertIn("Ladder Product Management ladder: 2 levels.", out.getvalue())
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "Nothing was written: 4 problem(s) found."):
            call_command("import_career_path", str(BAD), stderr=err)
        self.assertEqual(len(err.getvalue().strip().splitlines()), 4)

    def test_the_command_takes_a_model_name_and_a_discipline(self) -> None:
        call_command(
            "import_career_path", str(GOOD), "--model-name", "Acme PM", "--discipline", "leadership",
            stdout=io.StringIO(),
        )  # fmt: skip
        model = CompetencyModel.objects.get(name="Acme PM")
        self.assertEqual(model.discipline, "leadership")
        self.assertEqual(Ladder.objects.get(model=model).name, "Acme PM ladder")
