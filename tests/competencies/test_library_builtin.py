"""The models and ladders that ship with productops load, validate and make sense."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import TestCase

from productops.competencies.actions import (
    BUILTIN_DIR,
    BUILTIN_MODEL_FILES,
    do_import_model,
    do_load_builtin_ladders,
    do_load_builtin_models,
    do_set_expectation,
)
from productops.competencies.ladders import find_level, load_ladder
from productops.competencies.model_format import parse_model_text
from productops.competencies.models import (
    Competency,
    CompetencyModel,
    Expectation,
    Ladder,
    ModelVersion,
)

BUILTIN_SLUGS = ["pm-wheel", "pm-toolkit", "product-design", "engineering-lead"]
BUILTIN_LADDERS = ["Product management ladder", "Product design ladder", "Engineering lead ladder"]


class BuiltinFiles(TestCase):
    def test_every_built_in_file_is_valid(self) -> None:
        for name in BUILTIN_MODEL_FILES:
            document, errors = parse_model_text(
                (BUILTIN_DIR / name).read_text("utf-8"), filename=name
            )
            self.assertEqual(errors, [], name)
            assert document is not None
            steps = len(document["scale"])
            for area in document["areas"]:
                for competency in area["competencies"]:
                    self.assertEqual(len(competency["levels"]), steps, competency["key"])


class LoadingBuiltins(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.versions = do_load_builtin_models()
        cls.ladders = do_load_builtin_ladders()

    def test_the_four_models_load_with_their_promised_slugs(self) -> None:
        self.assertEqual([v.model.slug for v in self.versions], BUILTIN_SLUGS)
        self.assertTrue(all(v.model.built_in and v.number == 1 for v in self.versions))

    def test_every_competency_has_one_descriptor_per_step(self) -> None:
        for version in ModelVersion.objects.all():
            for competency in version.competencies.all():
                self.assertEqual(len(competency.levels), len(version.scale), competency.key)
                self.assertTrue(all(text.strip() for text in competency.levels))

    def test_the_wheel_has_eight_activities_on_six_steps(self) -> None:
        wheel = CompetencyModel.objects.get(slug="pm-wheel").latest
        assert wheel is not None
        self.assertEqual(wheel.competencies.count(), 8)
        labels = [entry["label"] for entry in wheel.scale]
        self.assertEqual(len(labels), 6)
        self.assertEqual(labels[0], "Basic knowledge")
        self.assertEqual(labels[-1], "Creates frameworks others use")

    def test_the_toolkit_has_twelve_competencies_in_four_areas(self) -> None:
        toolkit = CompetencyModel.objects.get(slug="pm-toolkit").latest
        assert toolkit is not None
        self.assertEqual(
            list(toolkit.areas.values_list("key", flat=True)),
            ["execution", "customer-insight", "strategy", "influencing-people"],
        )
        self.assertEqual(toolkit.competencies.count(), 12)
        self.assertEqual(toolkit.steps, [1, 2, 3, 4, 5])
        self.assertTrue(
            {"discovery", "stakeholder-management"}
            <= set(toolkit.competencies.values_list("key", flat=True))
        )
        evidence = {
            behaviour["evidence"]
            for behaviours in toolkit.competencies.values_list("behaviours", flat=True)
            for behaviour in behaviours
        }
        self.assertEqual(evidence, {"artifact", "peer", "self"})

    def test_the_trio_is_assessed_on_the_same_footing(self) -> None:
        latest = {
            slug: CompetencyModel.objects.get(slug=slug).latest
            for slug in ("pm-toolkit", "product-design", "engineering-lead")
        }
        scales = {slug: [e["label"] for e in v.scale] for slug, v in latest.items() if v}
        self.assertEqual(len({tuple(labels) for labels in scales.values()}), 1)
        keys = [set(v.competencies.values_list("key", flat=True)) for v in latest.values() if v]
        self.assertTrue(
            {"discovery", "communication", "team-leadership"} <= set.intersection(*keys)
        )
        self.assertEqual(
            {v.model.discipline for v in latest.values() if v}, {"product", "design", "engineering"}
        )

    def test_the_three_ladders_have_the_promised_names(self) -> None:
        self.assertEqual([ladder.name for ladder in self.ladders], BUILTIN_LADDERS)
        product = load_ladder(self.ladders[0])
        self.assertEqual(
            [level.key for level in product.levels],
            ["associate-pm", "pm", "senior-pm", "group-pm", "principal-pm", "director", "vp-cpo"],
        )
        self.assertEqual(product.ladder.model.slug, "pm-toolkit")
        self.assertLess(len(load_ladder(self.ladders[1]).levels), 7)
        self.assertLess(len(load_ladder(self.ladders[2]).levels), 7)

    def test_every_level_expects_every_competency_and_expectations_never_fall(self) -> None:
        for ladder in Ladder.objects.all():
            view = load_ladder(ladder)
            keys = {competency.key for competency in view.competencies}
            steps = set(view.version.steps) if view.version else set()
            previous: dict[str, int] = {}
            for level in view.levels:
                expected = view.expected[level.key]
                self.assertEqual(set(expected), keys, f"{ladder}: {level.key}")
                self.assertTrue(set(expected.values()) <= steps)
                for key, step in expected.items():
                    self.assertGreaterEqual(step, previous.get(key, 0), f"{level.key} {key}")
                previous = expected
            # Each level asks for more than the one below it somewhere.
            for lower, higher in zip(view.levels, view.levels[1:], strict=False):
                self.assertTrue(any(r.change == "raised" for r in view.diff(lower.key, higher.key)))

    def test_levels_are_found_from_hr_spellings(self) -> None:
        levels = load_ladder(Ladder.objects.get(name="Product management ladder")).levels
        for spelling, key in [
            ("Sr. PM", "senior-pm"),
            ("senior", "senior-pm"),
            ("Senior Product Manager", "senior-pm"),
            ("L4", "pm"),
            ("l3", "associate-pm"),
            ("APM", "associate-pm"),
            ("Group PM", "group-pm"),
            ("cpo", "vp-cpo"),
            ("VP Product", "vp-cpo"),
            ("principal-pm", "principal-pm"),
        ]:
            found = find_level(levels, spelling)
            self.assertEqual(found.key if found else None, key, spelling)
        self.assertIsNone(find_level(levels, "Astronaut"))
        self.assertIsNone(find_level(levels, "  "))

    def test_loading_again_writes_nothing(self) -> None:
        counts = (
            ModelVersion.objects.count(),
            Competency.objects.count(),
            Expectation.objects.count(),
        )
        self.assertEqual(do_load_builtin_models(), self.versions)
        self.assertEqual(do_load_builtin_ladders(), self.ladders)
        self.assertEqual(
            (ModelVersion.objects.count(), Competency.objects.count(), Expectation.objects.count()),
            counts,
        )

    def test_loading_again_keeps_an_admins_edits(self) -> None:
        toolkit = CompetencyModel.objects.get(slug="pm-toolkit")
        document = dict(toolkit.latest.document)  # type: ignore[union-attr]
        document["description"] = "Our own words about the toolkit."
        edited = do_import_model(document, note="our description")
        level = self.ladders[0].levels.get(key="pm")
        do_set_expectation(level, "discovery", 4)

        do_load_builtin_models()
        do_load_builtin_ladders()

        self.assertEqual(toolkit.latest, edited)
        self.assertEqual(level.expectations.get(competency_key="discovery").step, 4)

    def test_the_command_loads_and_reports(self) -> None:
        out = io.StringIO()
        call_command("load_builtin_models", stdout=out)
        text = out.getvalue()
        self.assertIn("Product management toolkit (pm-toolkit): v1", text)
        self.assertIn("Product management ladder: 7 levels", text)


class LoadingLaddersAlone(TestCase):
    def test_ladders_load_the_models_they_need(self) -> None:
        ladders = do_load_builtin_ladders()
        self.assertEqual(len(ladders), 3)
        self.assertEqual(CompetencyModel.objects.count(), 4)
