"""The items to correct next: the ones the learned model (or, before one, the rules) is
least sure about, on the item list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from bench.real_style_reports import AS_WORK_KIND, real_style_reports
from productops.backlog import learning
from productops.backlog.actions import do_correct, do_reclassify, do_train_model
from productops.backlog.classification import ItemFacts, model_text
from productops.backlog.items import least_sure_items
from productops.backlog.models import Correction, Item, LearnedModel
from tests.backlog.report_story import build_backlog
from tests.cast import PASSWORD, build_cast

URL = "/backlog/items/"


def uncorrected(*titles: str, item_type: str = "task") -> list[Item]:
    start = Item.objects.count()
    items = Item.objects.bulk_create(
        Item(source="jira", key=f"NEW-{start + n}", title=title, type=item_type)
        for n, title in enumerate(titles)
    )
    do_reclassify([i.pk for i in items])
    return items


def corrected_reports(count: int) -> None:
    start = Item.objects.count()
    reports = real_style_reports(count, seed=21 + start)
    items = Item.objects.bulk_create(
        Item(source="github", key=f"acme/tool#{start + n}", title=r.title, description=r.body)
        for n, r in enumerate(reports)
    )
    Correction.objects.bulk_create(
        Correction(item=item, dimension="kind", label=AS_WORK_KIND[r.kind])
        for item, r in zip(items, reports, strict=True)
    )


class BeforeAnyModel(TestCase):
    def test_the_items_that_cover_the_list_come_first_with_the_rules_margin(self) -> None:
        items = uncorrected(
            "Checkout crashes on submit, stack trace attached",
            "How do I stop the export crashing?",  # a support cue against a quality cue
            "Checkout page",  # nothing the rules read
            "Checkout crashes on submit, stack trace attached again",
        )
        found = least_sure_items("kind")
        newest_first = sorted(items, key=lambda i: -i.pk)
        texts = [model_text(ItemFacts(title=i.title, type=i.type)) for i in newest_first]
        order = learning.diverse_order(texts, 50)
        assert [u.item.pk for u in found] == [newest_first[i].pk for i in order]
        assert sorted(order) == [0, 1, 2, 3]
        by_title = {u.item.title: u for u in found}
        assert by_title["Checkout page"].note.endswith("; the rules found no signal")
        assert found[0].note.startswith("the most typical of the list; ")
        assert all(u.note.startswith("least like those above; ") for u in found[1:])
        tie = by_title["How do I stop the export crashing?"]
        assert tie.margin == 0.0 and "against" in tie.note
        assert by_title["Checkout crashes on submit, stack trace attached"].margin > 0

    def test_what_is_like_a_corrected_item_comes_last(self) -> None:
        cast = build_cast()
        crash, again, export, question = uncorrected(
            "Checkout crashes on submit, stack trace attached",
            "Checkout crashes on submit, stack trace attached again",
            "Add an option to export the report as CSV",
            "How do I change my password?",
        )
        do_correct(cast.hana_user, crash, "kind", "quality")
        found = least_sure_items("kind")
        assert [u.item.pk for u in found][-1] == again.pk
        assert {u.item.pk for u in found} == {again.pk, export.pk, question.pk}
        assert all(
            u.note.startswith("least like the 1 corrected so far and those above; ") for u in found
        )

    def test_corrected_items_are_not_offered(self) -> None:
        cast = build_cast()
        first, second = uncorrected("Checkout page", "Search page")
        do_correct(cast.hana_user, first, "kind", "support")
        assert [u.item.pk for u in least_sure_items("kind")] == [second.pk]
        # another dimension of the same item is still open
        assert first.pk in [u.item.pk for u in least_sure_items("origin")]

    def test_an_unknown_dimension_is_refused(self) -> None:
        with self.assertRaisesMessage(ValueError, "use origin, kind or framing"):
            least_sure_items("colour")


class WithAModel(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        corrected_reports(200)
        do_train_model("kind")

    def test_the_least_sure_first_with_the_model_two_likeliest_labels(self) -> None:
        uncorrected(
            "parser crashes when the file is empty\nTraceback (most recent call last):",
            "Config loader\nNot sure if this is a bug or if I'm misusing the API.",
            "Add `--output` to CLI\nPlease add an option to stream large files.",
            "How to export the table as CSV?",
        )
        found = least_sure_items("kind")
        assert len(found) == 4  # the 200 corrected items are not offered
        # the order the model in use gives these items' texts: the largest doubt first
        model = learning.loads(LearnedModel.objects.get(dimension="kind").blob)
        texts = [model_text(ItemFacts(title=u.item.title, type=u.item.type)) for u in found]
        assert learning.least_sure_order(model, texts) == [0, 1, 2, 3]
        doubts = learning.uncertainty(model, texts)
        assert [d.doubt for d in doubts] == sorted((d.doubt for d in doubts), reverse=True)
        assert [u.margin for u in found] == [round(d.margin, 4) for d in doubts]
        assert found[0].note.startswith("learned model: ")
        assert "%" in found[0].note and ", " in found[0].note

    def test_the_queries_do_not_grow_with_the_items(self) -> None:
        uncorrected(*(f"Checkout page {n}" for n in range(5)))
        with CaptureQueriesContext(connection) as few:
            least_sure_items("kind")
        uncorrected(*(f"Search page {n}" for n in range(60)))
        with CaptureQueriesContext(connection) as many:
            found = least_sure_items("kind", limit=10)
        assert len(many) == len(few) <= 4
        assert len(found) == 10


class WhileTheCorrectionsAreFew(TestCase):
    """Between the stored model's trainings, a model refitted every REFIT_EVERY
    corrections orders the list (as the bench measured it)."""

    def test_a_model_refitted_on_the_corrections_orders_before_any_is_trained(self) -> None:
        corrected_reports(64)
        asked = uncorrected(
            "parser crashes when the file is empty\nTraceback (most recent call last):",
            "Config loader\nNot sure if this is a bug or if I'm misusing the API.",
            "How to export the table as CSV?",
        )
        assert not LearnedModel.objects.exists()
        found = least_sure_items("kind")
        texts, labels = [], []
        for c in Correction.objects.order_by("pk").select_related("item")[:60]:
            facts = ItemFacts(
                title=c.item.title, description=c.item.description, type=c.item.type or "other"
            )
            texts.append(model_text(facts))
            labels.append(c.label)
        # the first 60 of 64 (a multiple of 5), remembered
        refitted = learning.ordering_model(texts, labels)
        assert refitted is not None
        newest_first = sorted(asked, key=lambda i: -i.pk)
        asked_texts = [model_text(ItemFacts(title=i.title, type=i.type)) for i in newest_first]
        order = learning.least_sure_order(refitted, asked_texts)
        assert [u.item.pk for u in found] == [newest_first[i].pk for i in order]
        assert all(u.note.startswith("learned model: ") for u in found)

    def test_the_refit_is_remembered_until_five_more_corrections(self) -> None:
        corrected_reports(60)
        uncorrected("How to export the table as CSV?")
        learning._computed.clear()
        least_sure_items("kind")
        least_sure_items("kind")
        assert [what for what, _ in learning._computed] == ["ordering"]

    def test_below_fifty_corrections_no_model_orders(self) -> None:
        corrected_reports(40)
        uncorrected("How to export the table as CSV?")
        found = least_sure_items("kind")
        assert found[0].note.startswith("least like the 40 corrected so far and those above; ")

    def test_a_stored_model_current_within_five_corrections_orders(self) -> None:
        corrected_reports(60)
        do_train_model("kind")
        corrected_reports(4)
        uncorrected("How to export the table as CSV?")
        learning._computed.clear()
        assert least_sure_items("kind")[0].note.startswith("learned model: ")
        assert not [what for what, _ in learning._computed if what == "ordering"]


class OnTheItemList(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_backlog()

    def open(self, who: str, **query):  # type: ignore[no-untyped-def]
        self.client.login(username=who, password=PASSWORD)
        return self.client.get(URL, query)

    def test_admins_and_managers_are_offered_the_least_sure_to_correct_next(self) -> None:
        page = self.open("hana")
        self.assertContains(page, "Correct next: the items least sure of their")
        self.assertContains(page, 'href="?least_sure=kind"')
        page = self.open("hana", least_sure="kind", project="Checkout")
        self.assertContains(page, "The 5 items to correct next for their kind, in order")
        self.assertContains(page, "Least sure: the most typical of the list; the rules", count=1)
        self.assertContains(page, "Least sure: least like those above; the rules", count=4)
        self.assertNotContains(page, "SRCH-1")  # the filters still apply
        self.assertContains(page, 'href="/backlog/items/?project=Checkout">Show all items</a>')

    def test_members_read_the_list_without_the_offer(self) -> None:
        page = self.open("priya")
        self.assertNotContains(page, "least_sure=")
        self.assertEqual(self.open("priya", least_sure="kind").status_code, 200)

    def test_a_viewer_is_still_refused(self) -> None:
        self.assertEqual(self.open("vera", least_sure="kind").status_code, 403)

    def test_an_unknown_dimension_shows_the_whole_list(self) -> None:
        page = self.open("hana", least_sure="colour")
        self.assertContains(page, "6 items.")
        self.assertNotContains(page, "Least sure:")


@pytest.mark.django_db
def test_the_api_offers_the_same_items_to_correct_next() -> None:
    """`GET /api/backlog/items/least-sure` answers what the item list offers, least sure first."""
    from tests.api import ApiClient
    from tests.cast import build_cast

    cast = build_cast()
    for n in range(3):
        Item.objects.create(source="jira", key=f"API-{n}", title=f"Checkout fails {n}")
    api = ApiClient()
    answer = api.get(cast.hana_user, "/backlog/items/least-sure?dimension=kind&limit=2")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert len(body) == 2
    assert all({"item", "margin", "note"} <= set(row) for row in body)
    assert [row["margin"] for row in body] == sorted(row["margin"] for row in body)
    wrong = api.get(cast.hana_user, "/backlog/items/least-sure?dimension=mood")
    assert wrong.status_code == 422
    assert api.get(cast.vera_user, "/backlog/items/least-sure").status_code == 403
