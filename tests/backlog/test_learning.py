"""The learned model: trained on corrections, scored honestly, used only when it beats the rules."""

from __future__ import annotations

import random

import pytest

from productops.backlog import learning
from productops.backlog.actions import do_correct, do_reclassify, do_retrain, do_train_model
from productops.backlog.models import Correction, Item, LearnedModel, SetBy
from productops.org.models import Person
from tests.backlog.sample_issues import sample_issues
from tests.cast import build_cast

pytestmark = pytest.mark.django_db


def corrected_sample(count: int = 300) -> list[Item]:
    """Generated bug reports, feature requests and questions, each corrected by hand."""
    issues = sample_issues(count, seed=11)
    items = Item.objects.bulk_create(
        Item(
            source="jira",
            key=f"SHOP-{n}",
            title=issue.title,
            description=issue.description,
            type=issue.type,
            labels=list(issue.labels),
        )
        for n, issue in enumerate(issues)
    )
    Correction.objects.bulk_create(
        Correction(item=item, dimension="kind", label=issue.kind)
        for item, issue in zip(items, issues, strict=True)
    )
    return items


def test_a_model_trained_on_corrections_beats_chance_and_the_rules() -> None:
    corrected_sample()
    model = do_train_model("kind")
    assert model.examples == 300
    assert model.cv_macro_f1 > 0.6  # three labels: chance is about 0.33
    assert model.cv_macro_f1 > model.rules_macro_f1
    assert model.in_use
    pipeline = learning.loads(model.blob)
    assert list(pipeline.predict(["How do I export the invoice list?"])) == ["support"]


def test_a_model_in_use_labels_uncorrected_items_and_says_how_sure_it_is() -> None:
    corrected_sample()
    do_train_model("kind")
    fresh = Item.objects.create(
        source="jira", key="NEW-1", title="Checkout crashes after saving, error 500", type="task"
    )
    do_reclassify([fresh.pk])
    fresh.refresh_from_db()
    assert (fresh.kind, fresh.kind_set_by) == ("quality", SetBy.MODEL)
    why = fresh.kind_reasons[0]["text"]
    assert why.startswith("learned model says quality (")
    assert "cross-validated macro-F1" in why
    # the rules' reasons are still there, under the model's
    assert "text mentions 'crash'" in [r["text"] for r in fresh.kind_reasons]


def test_corrections_win_over_the_model() -> None:
    items = corrected_sample()
    do_train_model("kind")
    do_reclassify()
    # every training item keeps its person's label
    assert not Item.objects.filter(kind_set_by=SetBy.MODEL, pk__in=[i.pk for i in items]).exists()
    cast = build_cast()
    bug = Item.objects.create(source="jira", key="NEW-2", title="Export crashes with error 500")
    do_reclassify([bug.pk])
    assert Item.objects.get(pk=bug.pk).kind_set_by == SetBy.MODEL
    corrected = do_correct(cast.hana_user, bug, "kind", "support")
    assert (corrected.kind, corrected.kind_set_by) == ("support", SetBy.CORRECTION)


def test_a_model_that_does_not_beat_the_rules_is_kept_but_not_used() -> None:
    # The origin here shows only in who reported each item, which the rules read and
    # the model (text only) cannot: the model scores near chance, the rules perfectly.
    seller = Person.objects.create(name="Sal", email="sal@example.com", discipline="sales")
    builder = Person.objects.create(name="Bo", email="bo@example.com", discipline="engineering")
    rng = random.Random(3)
    words = ["export", "invoice", "speed", "page", "list", "mobile", "filter", "report"]
    for n in range(120):
        reporter = seller if n % 2 else builder
        item = Item.objects.create(
            source="jira",
            key=f"X-{n}",
            title=" ".join(rng.sample(words, 3)),
            reporter_person=reporter,
        )
        Correction.objects.create(
            item=item, dimension="origin", label="sales" if n % 2 else "internal"
        )
    model = do_train_model("origin")
    assert model.rules_macro_f1 == 1.0
    assert model.cv_macro_f1 < model.rules_macro_f1
    assert not model.in_use
    other = Item.objects.create(
        source="jira", key="X-999", title="export page", reporter_person=seller
    )
    do_reclassify([other.pk])
    other.refresh_from_db()
    assert (other.origin, other.origin_set_by) == ("sales", SetBy.RULES)


def test_too_few_corrections_train_nothing() -> None:
    items = corrected_sample(40)
    with pytest.raises(learning.NotEnoughCorrections, match="at least 50 corrections"):
        do_train_model("kind")
    assert do_retrain() == []
    assert not LearnedModel.objects.exists()
    assert len(items) == 40


def test_corrections_all_in_one_label_train_nothing() -> None:
    corrected_sample(60)
    Correction.objects.update(label="quality")
    with pytest.raises(learning.NotEnoughCorrections, match="in 1 label"):
        do_train_model("kind")


def test_retraining_retires_the_previous_model() -> None:
    corrected_sample()
    first = do_train_model("kind")
    [second] = do_retrain("kind")
    first.refresh_from_db()
    assert second.in_use and not first.in_use
    assert LearnedModel.objects.filter(dimension="kind", in_use=True).count() == 1


def test_the_retrain_command_says_what_it_trained_and_whether_it_is_used() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("retrain", stdout=out)
    assert out.getvalue() == (
        "Nothing trained: a dimension needs at least 50 corrections in two labels.\n"
    )
    corrected_sample()
    out = StringIO()
    call_command("retrain", "--dimension", "kind", stdout=out)
    assert out.getvalue().startswith("kind: 300 corrections, cross-validated macro-F1 0.")
    assert out.getvalue().endswith("— in use.\n")
