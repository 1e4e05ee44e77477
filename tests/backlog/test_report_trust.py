"""Every "Unknown" comes with its reasons, and the rules' labels are not stated as findings
where they score near chance on the org's own corrections."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from productops.backlog import actions
from productops.backlog.models import Item, LearnedModel, SetBy
from productops.backlog.report import build_report
from tests.api import ApiClient
from tests.cast import PASSWORD, build_cast

ORIGINS = ["customer", "sales", "marketing", "support", "internal"]


def command(*args: str) -> str:
    out = StringIO()
    call_command("backlog_report", *args, stdout=out)
    return out.getvalue()


def item(key: str, **fields) -> Item:
    fields.setdefault("title", f"{key} title")
    return Item.objects.create(source="jira", key=key, **fields)


class UnknownsHaveReasons(TestCase):
    """Four items without a people CSV: three of unknown origin, for different reasons."""

    @classmethod
    def setUpTestData(cls) -> None:
        build_cast()
        item("U-1", title="Tidy the settings page", kind="enhancement", framing="solution")
        item("U-2", labels=["team-blue"], kind="enhancement", framing="solution")
        # a cue in the text the rules read, tied with a label pointing elsewhere
        item(
            "U-3",
            title="Export for the Globex deal",
            labels=["customer-request"],
            kind="enhancement",
            framing="solution",
        )
        item("K-1", origin="internal", kind="enhancement", framing="solution")
        cls.api = ApiClient()

    def test_the_share_unknown_and_each_missing_signal_are_counted(self) -> None:
        [origin] = build_report().unknowns

        self.assertEqual((origin.dimension, origin.unknown, origin.total), ("origin", 3, 4))
        shares = {r.reason: (r.count, round(r.share, 2)) for r in origin.reasons}
        self.assertEqual(shares, {"reporter": (3, 1.0), "label": (2, 0.67), "text": (2, 0.67)})
        self.assertEqual(origin.text_sample, 3)
        self.assertEqual(
            origin.sentence,
            "Origin is unknown for 75% of the 4 items (3): of these, 100% no reporter matched "
            "to a person, 67% no label or component the mapping understands, 67% no cue in "
            "the text. Next: match reporters to people (import the people CSV); map "
            "the labels you use in the mapping; correct a sample of these items so the "
            "learned model learns your words.",
        )

    def test_a_reporter_matched_to_a_person_is_not_a_missing_signal(self) -> None:
        Item.objects.filter(key="U-1").update(reporter_person=self.cast_person())
        [origin] = build_report().unknowns
        reporter = next(r for r in origin.reasons if r.reason == "reporter")
        self.assertEqual(reporter.count, 2)

    def cast_person(self):
        from productops.org.models import Person

        return Person.objects.order_by("pk").first()

    def test_the_page_api_and_command_show_the_same_sentence(self) -> None:
        sentence = build_report().unknowns[0].sentence
        self.client.login(username="vera", password=PASSWORD)  # viewers see aggregates
        page = self.client.get("/backlog/")
        self.assertContains(page, "How far the labels can be trusted")
        self.assertContains(page, "Origin is unknown for 75% of the 4 items (3)")
        body = self.api.get("vera", "/backlog/report").json()
        self.assertEqual(body["unknowns"][0]["sentence"], sentence)
        self.assertEqual(json.loads(command("--json"))["unknowns"], body["unknowns"])
        self.assertIn("Unknown: Origin is unknown for 75% of the 4 items (3)", command())


class RulesNearChance(TestCase):
    """25 corrections of origin over five labels on items where the rules find nothing."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        for n in range(40):
            item(f"R-{n}", origin=ORIGINS[n % 5], kind="enhancement", framing="problem")
        for n in range(25):
            corrected = item(f"C-{n}", kind="enhancement", framing="problem")
            actions.do_correct(cls.cast.hana_user, corrected, "origin", ORIGINS[n % 5])
        cls.api = ApiClient()

    def origin_score(self, report):
        return next(s for s in report.classifier if s.dimension == "origin")

    def test_the_rules_are_scored_and_found_near_chance(self) -> None:
        report = build_report()
        score = self.origin_score(report)

        self.assertEqual((score.corrections, score.labels, score.chance), (25, 5, 0.2))
        self.assertEqual((score.rules_macro_f1, score.rules_examples), (0.0, 25))
        self.assertIsNone(score.model_macro_f1)
        self.assertTrue(score.near_chance and score.doubtful)
        self.assertEqual(score.needed, 25)
        warning = (
            "The rules' origin labels score 0.00 here, near chance (0.20 with 5 labels): "
            "correct 25 more items (25 so far) and train the model before reading the "
            "origin mix."
        )
        self.assertEqual(report.verdict[0], warning)
        # the origin mix is not stated as a finding; the framing share still is
        self.assertFalse(any("come from sales" in s for s in report.verdict))
        # (the rules read the 25 corrected items again: no framing cue in "C-n title")
        self.assertIn("62% of open items state a customer problem (65 open items).", report.verdict)

    def test_dimensions_without_corrections_say_what_they_need(self) -> None:
        kind = next(s for s in build_report().classifier if s.dimension == "kind")
        self.assertEqual(kind.corrections, 0)
        self.assertFalse(kind.near_chance)
        self.assertTrue(kind.sentence.startswith("Kind of work: no corrections yet"))

    def test_a_trained_model_is_shown_beside_the_rules(self) -> None:
        LearnedModel.objects.create(
            dimension="origin",
            examples=25,
            cv_macro_f1=0.76,
            rules_macro_f1=0.14,
            in_use=True,
            blob=b"",
        )
        # the model in use relabelled the items the rules had labelled
        Item.objects.filter(origin_set_by=SetBy.RULES).update(origin_set_by=SetBy.MODEL)

        report = build_report()
        score = self.origin_score(report)

        self.assertEqual((score.rules_macro_f1, score.model_macro_f1), (0.14, 0.76))
        self.assertTrue(score.near_chance)
        self.assertFalse(score.doubtful)  # the labels are the model's now
        self.assertEqual(
            score.sentence,
            "Origin: the rules score a macro-F1 of 0.14 on 25 corrected items (chance is 0.20 "
            "with 5 labels); the learned model 0.76, cross-validated on 25 corrections (in use).",
        )
        self.assertFalse(any(s.startswith("The rules' origin labels") for s in report.verdict))
        self.assertTrue(any("come from sales" in s for s in report.verdict))

    def test_a_model_in_use_whose_labels_the_items_do_not_carry_yet_is_named(self) -> None:
        LearnedModel.objects.create(
            dimension="origin",
            examples=25,
            cv_macro_f1=0.76,
            rules_macro_f1=0.14,
            in_use=True,
            blob=b"",
        )
        warning = build_report().verdict[0]
        self.assertIn("the learned model scores 0.76, but most items still carry", warning)

    def test_the_page_api_and_command_show_the_scores_side_by_side(self) -> None:
        self.client.login(username="marco", password=PASSWORD)
        html = self.client.get("/backlog/").content.decode()
        self.assertRegex(
            html,
            r'<tr data-score="origin"><th scope="row">Origin</th><td class="num">25</td>'
            r'<td class="num">0.00 — near chance</td><td class="num">—</td>'
            r'<td class="num">0.20</td></tr>',
        )
        self.assertIn("The rules&#x27; origin labels score 0.00 here, near chance", html)
        self.assertIn('class="error bkr-doubtful"', html)

        body = self.api.get("marco", "/backlog/report").json()
        origin = next(s for s in body["classifier"] if s["dimension"] == "origin")
        self.assertEqual(
            (origin["rules_macro_f1"], origin["model_macro_f1"], origin["near_chance"]),
            (0.0, None, True),
        )
        self.assertEqual(json.loads(command("--json"))["classifier"], body["classifier"])
        text = command()
        self.assertRegex(text, r"Origin\s+│\s+25\s+│\s+0.00 — near chance\s+│\s+—\s+│\s+0.20")
        self.assertIn("• The rules' origin labels score 0.00 here, near chance", text)


class TheLearningCurveIsShown(TestCase):
    """With enough corrections to train, the report shows macro-F1 by corrections learned
    from, the same on the page, in the API and in the command."""

    @classmethod
    def setUpTestData(cls) -> None:
        cast = build_cast()
        for n in range(40):
            quality = item(f"Q-{n}", title=f"Crash when saving draft {n}: stack trace attached")
            actions.do_correct(cast.hana_user, quality, "kind", "quality")
            new = item(f"N-{n}", title=f"Add a new export to spreadsheets, idea {n}")
            actions.do_correct(cast.hana_user, new, "kind", "new_value")
        cls.api = ApiClient()

    def test_page_api_and_command_show_the_same_curve(self) -> None:
        kind = next(s for s in build_report().classifier if s.dimension == "kind")
        self.assertGreaterEqual(len(kind.curve), 2)
        sizes = [n for n, _ in kind.curve]
        self.assertEqual(sizes, sorted(sizes))
        self.assertTrue(all(0.0 <= f1 <= 1.0 for _, f1 in kind.curve))
        # two labels this far apart in words: the model learns them
        self.assertGreater(kind.curve[-1][1], 0.8)

        body = self.api.get("marco", "/backlog/report").json()
        api_kind = next(s for s in body["classifier"] if s["dimension"] == "kind")
        self.assertEqual([tuple(point) for point in api_kind["curve"]], list(kind.curve))
        self.client.login(username="marco", password=PASSWORD)
        html = self.client.get("/backlog/").content.decode()
        self.assertIn('data-curve="kind"', html)
        self.assertIn(f"{kind.curve[0][0]} corrections {kind.curve[0][1]:.2f}", html)
        self.assertIn(f"{kind.curve[0][0]} corrections {kind.curve[0][1]:.2f}", command())
