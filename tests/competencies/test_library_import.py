"""Hana imports competency models: versions, idempotent re-imports, export round trips."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import yaml
from django.core.management import CommandError, call_command
from django.test import TestCase

from productops.competencies.actions import (
    InvalidDocument,
    ModelImportStatus,
    do_import_model,
    import_model_document,
    import_model_text,
)
from productops.competencies.model_format import parse_model_text
from productops.competencies.models import Area, Competency, CompetencyModel, ModelVersion
from tests.cast import build_cast

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "competencies" / "library"
MODEL_FILE = FIXTURES / "discovery-model.yaml"


def model_text() -> str:
    return MODEL_FILE.read_text()


def edited(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


class ImportingAModel(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_first_import_creates_version_one_with_its_rows(self) -> None:
        report = import_model_text(
            model_text(), filename=MODEL_FILE.name, user=self.cast.hana_user, note="first draft"
        )
        self.assertEqual(report.errors, [])
        self.assertEqual(report.status, ModelImportStatus.CREATED)
        version = report.version
        assert version is not None
        self.assertEqual((version.model.slug, version.number), ("trio-discovery", 1))
        self.assertEqual(version.created_by, self.cast.hana_user)
        self.assertEqual(version.note, "first draft")
        self.assertEqual(version.steps, [1, 2, 3, 4])
        self.assertEqual(version.document["version"], 1)
        self.assertEqual(
            list(version.areas.values_list("key", "position")), [("learning", 0), ("deciding", 1)]
        )
        competencies = list(version.competencies.order_by("area__position", "position"))
        self.assertEqual(
            [c.key for c in competencies],
            ["interviewing", "assumption-testing", "opportunity-mapping", "outcome-focus"],
        )
        self.assertEqual(competencies[0].area.key, "learning")
        self.assertEqual(
            competencies[0].levels[2], "Runs weekly interviews and synthesizes them with the trio."
        )
        self.assertEqual(
            competencies[0].behaviours[1],
            {"text": "The designer and engineer join interviews.", "evidence": "peer"},
        )

    def test_importing_the_same_file_again_changes_nothing(self) -> None:
        first = import_model_text(model_text(), filename=MODEL_FILE.name)
        again = import_model_text(model_text(), filename=MODEL_FILE.name)
        self.assertEqual(again.status, ModelImportStatus.UNCHANGED)
        self.assertEqual(again.version, first.version)
        self.assertEqual(ModelVersion.objects.count(), 1)
        self.assertEqual(Competency.objects.count(), 4)
        self.assertIn("unchanged", again.summary())

    def test_an_edit_creates_the_next_version_and_the_old_one_stays_readable(self) -> None:
        v1 = import_model_text(model_text(), filename=MODEL_FILE.name).version
        text = edited(
            model_text(), "Runs an interview most weeks.", "Runs an interview every other week."
        )
        report = import_model_text(text, filename=MODEL_FILE.name, note="softer step 2")
        self.assertEqual(report.status, ModelImportStatus.NEW_VERSION)
        v2 = report.version
        assert v1 is not None and v2 is not None
        self.assertEqual((v2.model_id, v2.number), (v1.model_id, 2))
        self.assertEqual(v2.model.latest, v2)
        v1.refresh_from_db()
        self.assertEqual(
            v1.document["areas"][0]["competencies"][0]["levels"][1], "Runs an interview most weeks."
        )
        self.assertEqual(
            v1.competencies.get(key="interviewing").levels[1], "Runs an interview most weeks."
        )
        self.assertEqual(
            v2.competencies.get(key="interviewing").levels[1], "Runs an interview every other week."
        )
        self.assertEqual(Area.objects.filter(version=v1).count(), 2)

    def test_yaml_and_json_of_the_same_content_are_the_same_version(self) -> None:
        version = import_model_text(model_text(), filename=MODEL_FILE.name).version
        assert version is not None
        as_json = json.dumps(version.document)
        report = import_model_text(as_json, filename="same.json")
        self.assertEqual(report.status, ModelImportStatus.UNCHANGED)

    def test_a_model_is_found_by_name_when_the_file_has_no_slug(self) -> None:
        import_model_text(model_text(), filename=MODEL_FILE.name)
        text = edited(model_text(), "slug: trio-discovery\n", "")
        text = edited(text, "Kept short on purpose.", "Kept short, on purpose.")
        report = import_model_text(text, filename="no-slug.yaml")
        self.assertEqual(report.status, ModelImportStatus.NEW_VERSION)
        assert report.version is not None
        self.assertEqual(report.version.document["slug"], "trio-discovery")
        self.assertEqual(CompetencyModel.objects.count(), 1)

    def test_renaming_a_model_is_a_new_version(self) -> None:
        import_model_text(model_text(), filename=MODEL_FILE.name)
        text = edited(model_text(), "name: Trio discovery habits", "name: Discovery habits")
        report = import_model_text(text, filename=MODEL_FILE.name)
        assert report.version is not None
        self.assertEqual(report.version.model.name, "Discovery habits")
        self.assertEqual(report.version.number, 2)

    def test_a_name_that_belongs_to_another_model_is_refused(self) -> None:
        import_model_text(model_text(), filename=MODEL_FILE.name)
        other = edited(model_text(), "slug: trio-discovery", "slug: another-model")
        other = edited(other, "name: Trio discovery habits", "name: Another model")
        self.assertTrue(import_model_text(other, filename="other.yaml").ok)
        for text in [
            edited(model_text(), "slug: trio-discovery", "slug: third-model"),
            edited(other, "name: Another model", "name: trio DISCOVERY habits"),
        ]:
            report = import_model_text(text, filename="clash.yaml")
            self.assertFalse(report.ok)
            [error] = report.errors
            self.assertEqual(error.path, "name")
            self.assertIn("is the name of another model (trio-discovery)", error.reason)
        self.assertEqual(CompetencyModel.objects.count(), 2)
        self.assertEqual(ModelVersion.objects.count(), 2)

    def test_an_invalid_file_writes_nothing(self) -> None:
        report = import_model_text(
            (FIXTURES / "broken-model.yaml").read_text(), filename="broken.yaml"
        )
        self.assertFalse(report.ok)
        self.assertEqual(len(report.errors), 7)
        self.assertEqual(CompetencyModel.objects.count(), 0)
        self.assertIn("Nothing was written: 7 problem(s)", report.summary())


class TheActionTeammatesCall(TestCase):
    def test_do_import_model_takes_a_document_and_returns_the_version(self) -> None:
        document = yaml.safe_load(model_text())
        v1 = do_import_model(document, note="from code")
        self.assertEqual(do_import_model(document), v1)
        document["areas"][1]["competencies"][1]["name"] = "Outcomes first"
        v2 = do_import_model(document)
        self.assertEqual(v2.number, 2)
        self.assertEqual(v2.competencies.get(key="outcome-focus").name, "Outcomes first")

    def test_do_import_model_raises_with_every_problem(self) -> None:
        document = yaml.safe_load((FIXTURES / "broken-model.yaml").read_text())
        with self.assertRaises(InvalidDocument) as raised:
            do_import_model(document)
        self.assertEqual(len(raised.exception.errors), 7)
        self.assertEqual(CompetencyModel.objects.count(), 0)

    def test_the_built_in_flag(self) -> None:
        document = yaml.safe_load(model_text())
        version = do_import_model(document, built_in=True)
        self.assertTrue(version.model.built_in)

    def test_api_bodies_are_checked_the_same_way(self) -> None:
        report = import_model_document({"name": "Nearly nothing"})
        self.assertEqual(
            sorted(error.path for error in report.errors), ["areas", "discipline", "scale"]
        )


class ImportAndExportCommands(TestCase):
    def run_command(self, *args: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command(*args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def write(self, text: str, suffix: str) -> str:
        handle = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8")
        handle.write(text)
        handle.close()
        self.addCleanup(Path(handle.name).unlink)
        return handle.name

    def test_export_then_import_is_unchanged_in_both_formats(self) -> None:
        out, _ = self.run_command("import_model", str(MODEL_FILE))
        self.assertIn("Created the model Trio discovery habits, v1.", out)
        for fmt, suffix in [("yaml", ".yaml"), ("json", ".json")]:
            exported, _ = self.run_command("export_model", "trio-discovery", "--format", fmt)
            out, _ = self.run_command("import_model", self.write(exported, suffix))
            self.assertIn("v1 unchanged", out, fmt)
        self.assertEqual(ModelVersion.objects.count(), 1)

    def test_export_by_name_and_version(self) -> None:
        self.run_command("import_model", str(MODEL_FILE))
        changed = edited(
            model_text(), "Joins interviews run by others.", "Listens in on interviews."
        )
        out, _ = self.run_command("import_model", self.write(changed, ".yml"), "--note", "v2")
        self.assertIn("Created Trio discovery habits v2.", out)
        v1_text, _ = self.run_command("export_model", "Trio discovery habits", "--version", "1")
        v1, errors = parse_model_text(v1_text, filename="v1.yaml")
        self.assertEqual(errors, [])
        assert v1 is not None
        self.assertEqual(
            v1["areas"][0]["competencies"][0]["levels"][0], "Joins interviews run by others."
        )
        self.assertIn("version: 1\n", v1_text)
        latest, _ = self.run_command("export_model", "trio-discovery")
        self.assertIn("version: 2\n", latest)

    def test_export_of_something_unknown_says_what_exists(self) -> None:
        self.run_command("import_model", str(MODEL_FILE))
        with self.assertRaisesMessage(
            CommandError, 'No competency model "nope". Models: trio-discovery.'
        ):
            self.run_command("export_model", "nope")
        with self.assertRaisesMessage(CommandError, "has no version 4. Versions: v1."):
            self.run_command("export_model", "trio-discovery", "--version", "4")

    def test_import_prints_every_problem_one_per_line_and_fails(self) -> None:
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "Nothing was written: 7 problem(s) found."):
            call_command("import_model", str(FIXTURES / "broken-model.yaml"), stderr=err)
        lines = err.getvalue().strip().splitlines()
        self.assertEqual(len(lines), 7)
        self.assertTrue(lines[0].startswith("broken-model.yaml: line 2: discipline:"))
        self.assertEqual(CompetencyModel.objects.count(), 0)

    def test_unreadable_files(self) -> None:
        with self.assertRaisesMessage(CommandError, "cannot read"):
            self.run_command("import_model", "/nonexistent/model.yaml")
        path = self.write("", ".yaml")
        Path(path).write_bytes(b"name: caf\xe9\n")
        err = io.StringIO()
        with self.assertRaises(CommandError):
            call_command("import_model", path, stderr=err)
        self.assertIn("not UTF-8", err.getvalue())
