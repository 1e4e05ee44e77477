"""The competency library pages, opened by each member of the cast."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productops.competencies.actions import (
    do_import_model,
    do_load_builtin_ladders,
    import_model_text,
)
from productops.competencies.models import CompetencyModel, Ladder, LadderLevel, ModelVersion
from tests.cast import build_cast
from tests.competencies.factories import make_ladder, make_model_version

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "competencies" / "library"


class LibraryPagesByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        do_load_builtin_ladders()
        cls.ladder = Ladder.objects.get(name="Product management ladder")

    def open(self, user, name, *args, **query):
        self.client.force_login(user)
        return self.client.get(reverse(f"competencies:{name}", args=args), query)

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        for url in [
            reverse("competencies:library"),
            reverse("competencies:model_detail", args=["pm-toolkit"]),
            reverse("competencies:ladder_detail", args=[self.ladder.pk]),
            reverse("competencies:model_upload"),
        ]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("login"), response["Location"])

    def test_everyone_who_logs_in_reads_the_library(self) -> None:
        for user in [
            self.cast.hana_user,
            self.cast.marco_user,
            self.cast.priya_user,
            self.cast.vera_user,
        ]:
            response = self.open(user, "library")
            self.assertContains(response, "Product management toolkit")
            self.assertContains(response, "Engineering lead ladder")
            self.assertEqual(self.open(user, "model_detail", "pm-wheel").status_code, 200)

    def test_only_admins_see_the_upload_link(self) -> None:
        upload = reverse("competencies:model_upload")
        self.assertContains(self.open(self.cast.hana_user, "library"), upload)
        self.assertNotContains(self.open(self.cast.priya_user, "library"), upload)

    def test_the_model_page_shows_scale_descriptors_and_behaviours(self) -> None:
        response = self.open(self.cast.priya_user, "model_detail", "pm-toolkit")
        self.assertContains(response, "Proficient")
        self.assertContains(response, "Customer insight")
        self.assertContains(
            response, "Talks to customers at least weekly together with design and engineering"
        )
        self.assertContains(
            response, '<span class="lib-evidence lib-evidence-artifact">artifact</span>'
        )
        self.assertContains(response, "Product management ladder")

    def test_pages_use_no_inline_styles_or_scripts(self) -> None:
        for name, args in [
            ("library", ()),
            ("model_detail", ("pm-toolkit",)),
            ("ladder_detail", (self.ladder.pk,)),
            ("level_diff", (self.ladder.pk,)),
            ("model_compare", ()),
        ]:
            content = self.open(self.cast.hana_user, name, *args).content.decode()
            self.assertNotIn("style=", content, name)
            self.assertNotIn("<script>", content, name)

    def test_members_may_not_upload_or_edit(self) -> None:
        level = self.ladder.levels.get(key="pm")
        for user in [self.cast.marco_user, self.cast.priya_user, self.cast.vera_user]:
            self.client.force_login(user)
            response = self.client.get(reverse("competencies:model_upload"))
            self.assertEqual(response.status_code, 403)
            self.assertContains(response, "Only an admin", status_code=403)
            upload = SimpleUploadedFile("m.yaml", (FIXTURES / "discovery-model.yaml").read_bytes())
            response = self.client.post(reverse("competencies:model_upload"), {"file": upload})
            self.assertEqual(response.status_code, 403)
            url = reverse("competencies:expectation_edit", args=[self.ladder.pk, "pm", "discovery"])
            self.assertEqual(self.client.get(url).status_code, 403)
            self.assertEqual(self.client.post(url, {"step": "5"}).status_code, 403)
        self.assertFalse(CompetencyModel.objects.filter(slug="trio-discovery").exists())
        self.assertEqual(level.expectations.get(competency_key="discovery").step, 3)

    def test_unknown_models_versions_and_ladders_are_404(self) -> None:
        user = self.cast.priya_user
        self.assertEqual(self.open(user, "model_detail", "no-such-model").status_code, 404)
        self.assertEqual(self.open(user, "model_detail", "pm-toolkit", 9).status_code, 404)
        self.assertEqual(self.open(user, "ladder_detail", 999).status_code, 404)
        self.assertEqual(
            self.open(user, "level_diff", self.ladder.pk, **{"from": "nope"}).status_code, 404
        )


class UploadingAModel(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def upload(self, name: str, data: bytes, note: str = ""):
        self.client.force_login(self.cast.hana_user)
        return self.client.post(
            reverse("competencies:model_upload"),
            {"file": SimpleUploadedFile(name, data), "note": note},
            follow=True,
        )

    def test_hana_uploads_a_model_then_the_same_file_again(self) -> None:
        data = (FIXTURES / "discovery-model.yaml").read_bytes()
        response = self.upload("discovery-model.yaml", data, note="From the offsite")
        self.assertContains(response, "Created the model Trio discovery habits, v1.")
        self.assertContains(response, "Runs weekly interviews and synthesizes them with the trio.")
        self.assertContains(response, "From the offsite")
        response = self.upload("discovery-model.yaml", data)
        self.assertContains(response, "unchanged")
        self.assertEqual(ModelVersion.objects.count(), 1)

    def test_a_broken_file_lists_every_problem_and_writes_nothing(self) -> None:
        response = self.upload("broken.yaml", (FIXTURES / "broken-model.yaml").read_bytes())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "7 problems (nothing was written)")
        self.assertContains(response, "<code>areas[0].competencies[0].levels</code>")
        self.assertContains(response, "3 levels expected by the scale, 2 given")
        self.assertEqual(CompetencyModel.objects.count(), 0)

    def test_a_file_that_is_not_text(self) -> None:
        response = self.upload("model.yaml", b"\xff\xfe\x00n\x00a")
        self.assertContains(response, "UTF-16")

    def test_an_older_version_says_so_and_offers_the_comparison(self) -> None:
        text = (FIXTURES / "discovery-model.yaml").read_text()
        import_model_text(text, filename="a.yaml")
        import_model_text(text.replace("Outcome focus", "Outcomes first"), filename="b.yaml")
        self.client.force_login(self.cast.priya_user)
        response = self.client.get(reverse("competencies:model_detail", args=["trio-discovery", 1]))
        self.assertContains(response, "This is an older version")
        latest = self.client.get(reverse("competencies:model_detail", args=["trio-discovery"]))
        self.assertContains(latest, "Outcomes first")
        self.assertContains(latest, "left=trio-discovery@1&amp;right=trio-discovery@2")

    def test_the_download_imports_back_unchanged(self) -> None:
        import_model_text((FIXTURES / "discovery-model.yaml").read_text(), filename="a.yaml")
        self.client.force_login(self.cast.priya_user)
        for fmt in ("yaml", "json"):
            response = self.client.get(
                reverse("competencies:model_export", args=["trio-discovery", 1, fmt])
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn(f'filename="trio-discovery-v1.{fmt}"', response["Content-Disposition"])
            report = import_model_text(response.content.decode(), filename=f"download.{fmt}")
            self.assertEqual(report.status, "unchanged", fmt)

    def test_the_empty_library_says_how_to_start(self) -> None:
        self.client.force_login(self.cast.hana_user)
        response = self.client.get(reverse("competencies:library"))
        self.assertContains(response, "No competency model yet.")
        self.assertContains(response, "productops load-builtin-models")
        self.assertContains(response, "No career ladder yet.")


class ComparePage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        text = (FIXTURES / "discovery-model.yaml").read_text()
        import_model_text(text, filename="a.yaml")
        changed = text.replace("Runs an interview most weeks.", "Runs an interview every week.")
        changed = changed.replace("  - key: deciding\n", "  - key: deciding-well\n")
        import_model_text(changed, filename="b.yaml")

    def compare(self, **query):
        self.client.force_login(self.cast.paul_user)
        return self.client.get(reverse("competencies:model_compare"), query)

    def test_two_versions_side_by_side_with_differences_marked(self) -> None:
        response = self.compare(left="trio-discovery@1", right="trio-discovery@2")
        self.assertContains(response, "Runs an interview most weeks.")
        self.assertContains(response, "Runs an interview every week.")
        self.assertContains(response, '<td class="lib-changed">Runs an interview most weeks.</td>')
        self.assertContains(response, "1 changed")
        self.assertContains(response, "3 unchanged")

    def test_the_same_version_twice_is_identical(self) -> None:
        response = self.compare(left="trio-discovery@2", right="trio-discovery")
        self.assertContains(response, "The two say exactly the same thing.")

    def test_without_a_choice_and_with_a_wrong_one(self) -> None:
        self.assertContains(self.compare(), "Pick two models")
        response = self.compare(left="trio-discovery@7", right="trio-discovery@1")
        self.assertContains(
            response, "No model version &quot;trio-discovery@7&quot; for the left side."
        )


class LadderPages(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        do_load_builtin_ladders()
        cls.ladder = Ladder.objects.get(name="Product management ladder")

    def test_the_ladder_shows_each_levels_expected_step(self) -> None:
        self.client.force_login(self.cast.marco_user)
        response = self.client.get(reverse("competencies:ladder_detail", args=[self.ladder.pk]))
        self.assertContains(response, "Group / lead product manager")
        self.assertContains(response, "Sr. PM")
        self.assertContains(response, "Stakeholder management")
        self.assertNotContains(response, "/levels/")  # no edit links for a manager

    def test_the_level_diff_shows_old_and_new_descriptors(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.get(
            reverse("competencies:level_diff", args=[self.ladder.pk]),
            {"from": "pm", "to": "senior-pm"},
        )
        self.assertContains(response, "Product manager → Senior product manager")
        self.assertContains(response, "2 · Practising")
        self.assertContains(response, "3 · Proficient")
        self.assertContains(response, "Says no with reasons people accept")
        self.assertContains(response, "raised")

    def test_the_level_diff_defaults_to_the_first_step_up(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.get(reverse("competencies:level_diff", args=[self.ladder.pk]))
        self.assertContains(response, "Associate product manager → Product manager")

    def test_hana_changes_an_expectation(self) -> None:
        self.client.force_login(self.cast.hana_user)
        url = reverse("competencies:expectation_edit", args=[self.ladder.pk, "pm", "discovery"])
        form = self.client.get(url)
        self.assertContains(form, "It is step 3 now.")
        self.assertContains(form, "Talks to customers at least weekly")
        response = self.client.post(url, {"step": "4"}, follow=True)
        self.assertContains(response, "Product manager now expects step 4 in Continuous discovery.")
        level = LadderLevel.objects.get(ladder=self.ladder, key="pm")
        self.assertEqual(level.expectations.get(competency_key="discovery").step, 4)
        self.client.post(url, {"step": ""})
        self.assertFalse(level.expectations.filter(competency_key="discovery").exists())

    def test_a_step_outside_the_scale_is_refused_on_the_page(self) -> None:
        self.client.force_login(self.cast.hana_user)
        url = reverse("competencies:expectation_edit", args=[self.ladder.pk, "pm", "discovery"])
        response = self.client.post(url, {"step": "9"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select a valid choice")
        missing = reverse("competencies:expectation_edit", args=[self.ladder.pk, "pm", "astrology"])
        self.assertEqual(self.client.get(missing).status_code, 404)


class LibraryPageCost(TestCase):
    """A page for a model of 40 competencies costs the same queries as one for 3."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def build(self, size: int) -> dict[str, str]:
        keys = tuple(f"skill-{i}" for i in range(size))
        name = f"Model of {size}"
        version = make_model_version(name=name, keys=keys, steps=5)
        document = dict(version.document)
        document["slug"] = version.model.slug
        do_import_model(
            {k: v for k, v in document.items() if k != "version"} | {"description": "again"}
        )
        for extra in range(size // 3):
            make_model_version(name=f"Extra {size}-{extra}", keys=("a", "b"), steps=3)
        ladder = make_ladder(
            version,
            {f"Level {n}": {key: 1 + (n % 5) for key in keys} for n in range(max(2, size // 5))},
            name=f"Ladder {size}",
        )
        slug = version.model.slug
        return {
            "library": reverse("competencies:library"),
            "model": reverse("competencies:model_detail", args=[slug]),
            "ladder": reverse("competencies:ladder_detail", args=[ladder.pk]),
            "diff": reverse("competencies:level_diff", args=[ladder.pk]),
            "compare": reverse("competencies:model_compare") + f"?left={slug}@1&right={slug}@2",
            "api models": "/api/competencies/models",
            "api ladder": f"/api/competencies/ladders/{ladder.pk}",
        }

    def cost(self, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def test_query_counts_do_not_grow_with_the_size_of_the_model(self) -> None:
        self.client.force_login(self.cast.hana_user)
        small = {page: self.cost(url) for page, url in self.build(3).items()}
        large = {page: self.cost(url) for page, url in self.build(40).items()}
        self.assertEqual(small, large)
