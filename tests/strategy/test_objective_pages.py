"""Objective pages: the list by period, writing objectives, mapping work, by role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from productops.strategy.models import AlignmentRule, Objective, ObjectiveLink
from tests.cast import build_cast
from tests.strategy.alignment_story import build_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return build_cast()


@pytest.fixture
def story(cast):
    return build_story(cast)


def get(client, user, url: str):
    client.force_login(user)
    return client.get(url)


def post(client, user, url: str, data: dict):
    client.force_login(user)
    return client.post(url, data)


def detail(objective: Objective) -> str:
    return reverse("strategy:objective_detail", args=[objective.pk])


def test_the_list_has_its_name_and_groups_by_period_then_company_objective(
    client, cast, story
) -> None:
    assert reverse("strategy:objectives") == "/strategy/objectives/"
    html = get(client, cast.priya_user, "/strategy/objectives/").content.decode()
    q1, q4 = html.index("2026-01-01 to 2026-03-31"), html.index("2025-10-01 to 2025-12-31")
    assert q1 < q4  # the newest period first
    company, served = html.index("Grow repeat purchases"), html.index("Faster checkout")
    loose = html.index("serving no company objective of this period")
    assert q1 < company < served < loose < html.index("Better search") < q4
    assert "Add a company objective" not in html  # a member does not write objectives


def test_the_list_costs_the_same_queries_for_more_objectives(
    client, cast, story, django_assert_max_num_queries
) -> None:
    client.force_login(cast.hana_user)
    client.get("/strategy/objectives/")
    for n in range(30):
        Objective.objects.create(
            level="product",
            title=f"More {n}",
            period_start="2026-01-01",
            period_end="2026-03-31",
            owner=cast.paul,
            parent=story.company,
        )
    with django_assert_max_num_queries(6):
        response = client.get("/strategy/objectives/")
    assert "More 29" in response.content.decode()


def test_an_empty_list_says_what_to_do_next(client, cast) -> None:
    assert (
        "Add the company's objectives"
        in get(client, cast.marco_user, "/strategy/objectives/").content.decode()
    )
    assert (
        "An admin or a manager adds"
        in get(client, cast.vera_user, "/strategy/objectives/").content.decode()
    )


@pytest.mark.parametrize("who", ["hana_user", "marco_user"])
def test_admins_and_managers_create_a_product_objective_serving_a_company_one(
    client, cast, story, who
) -> None:
    form = get(client, getattr(cast, who), f"/strategy/objectives/new/?parent={story.company.pk}")
    assert form.status_code == 200
    assert f'<option value="{story.company.pk}" selected>' in form.content.decode()
    response = post(
        client,
        getattr(cast, who),
        "/strategy/objectives/new/",
        {
            "level": "product",
            "title": "Cut cart abandonment",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "owner": cast.priya.pk,
            "parent": story.company.pk,
        },
    )
    objective = Objective.objects.get(title="Cut cart abandonment")
    assert response.status_code == 302 and response["Location"] == detail(objective)
    assert (objective.owner, objective.parent) == (cast.priya, story.company)


@pytest.mark.parametrize("who", ["priya_user", "vera_user"])
def test_members_and_viewers_may_not_write_objectives(client, cast, story, who) -> None:
    user = getattr(cast, who)
    assert get(client, user, "/strategy/objectives/new/").status_code == 403
    edit = reverse("strategy:objective_edit", args=[story.checkout.pk])
    assert post(client, user, edit, {"title": "x"}).status_code == 403
    delete = reverse("strategy:objective_delete", args=[story.checkout.pk])
    assert post(client, user, delete, {}).status_code == 403
    links = reverse("strategy:objective_link_add", args=[story.checkout.pk])
    assert post(client, user, links, {"keys": "SHOP-7"}).status_code == 403
    rules = reverse("strategy:objective_rule_add", args=[story.checkout.pk])
    assert post(client, user, rules, {"kind": "label", "value": "x"}).status_code == 403
    assert Objective.objects.filter(pk=story.checkout.pk, title="Faster checkout").exists()
    assert story.checkout.links.count() == 1 and story.checkout.rules.count() == 1


def test_a_period_ending_before_it_starts_is_refused_with_a_sentence(client, cast) -> None:
    response = post(
        client,
        cast.hana_user,
        "/strategy/objectives/new/",
        {
            "level": "company",
            "title": "Backwards",
            "period_start": "2026-03-01",
            "period_end": "2026-02-01",
        },
    )
    assert response.status_code == 200
    assert "pick an end on or after the start" in response.content.decode()
    assert not Objective.objects.filter(title="Backwards").exists()


def test_editing_keeps_the_form_filled_and_saves(client, cast, story) -> None:
    url = reverse("strategy:objective_edit", args=[story.search.pk])
    assert 'value="Better search"' in get(client, cast.marco_user, url).content.decode()
    post(
        client,
        cast.marco_user,
        url,
        {
            "level": "product",
            "title": "Search that finds",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "parent": story.company.pk,
        },
    )
    story.search.refresh_from_db()
    assert (story.search.title, story.search.parent) == ("Search that finds", story.company)


def test_deleting_asks_first_then_keeps_the_product_objectives(client, cast, story) -> None:
    url = reverse("strategy:objective_delete", args=[story.company.pk])
    html = get(client, cast.hana_user, url).content.decode()
    assert "Faster checkout" in html and "serving no company objective" in html
    assert Objective.objects.filter(pk=story.company.pk).exists()
    assert post(client, cast.hana_user, url, {})["Location"] == "/strategy/objectives/"
    assert not Objective.objects.filter(pk=story.company.pk).exists()
    story.checkout.refresh_from_db()
    assert story.checkout.parent is None


def test_the_detail_shows_the_mapped_work_and_counts(client, cast, story) -> None:
    html = get(client, cast.priya_user, detail(story.checkout)).content.decode()
    assert 'id="obj-in-progress">2<' in html and 'id="obj-done">2<' in html
    assert "<td>SHOP-1</td>" in html and "Work on SHOP-1" in html
    # SHOP-1's children of the same source: SHOP-2 and SHOP-3, not GitHub's SHOP-9
    assert "<td>Work on SHOP-1</td><td>In Progress</td><td>2</td>" in html
    assert "<code>checkout</code>" in html
    assert "Remove" not in html


def test_a_viewer_sees_the_detail_without_item_keys(client, cast, story) -> None:
    html = get(client, cast.vera_user, detail(story.checkout)).content.decode()
    assert 'id="obj-done">2<' in html
    assert "1 item or epic mapped by hand" in html
    assert "SHOP-1" not in html and "Work on" not in html


def test_an_unknown_object_is_404(client, cast) -> None:
    assert get(client, cast.hana_user, "/strategy/objectives/999/").status_code == 404


def test_mapping_by_hand_names_the_unknown_key_and_maps_nothing(client, cast, story) -> None:
    url = reverse("strategy:objective_link_add", args=[story.loyalty.pk])
    response = post(client, cast.marco_user, url, {"keys": "SHOP-7, NOPE-1"})
    assert response["Location"] == detail(story.loyalty)
    html = client.get(detail(story.loyalty)).content.decode()
    assert "No backlog item has the key NOPE-1" in html
    assert story.loyalty.links.count() == 0
    post(client, cast.marco_user, url, {"keys": "SHOP-7 SRCH-3"})
    assert set(story.loyalty.links.values_list("item__key", flat=True)) == {"SHOP-7", "SRCH-3"}
    html = client.get(detail(story.loyalty)).content.decode()
    assert "Mapped 2 items" in html


def test_adding_and_removing_links_and_rules(client, cast, story) -> None:
    rules = reverse("strategy:objective_rule_add", args=[story.loyalty.pk])
    post(client, cast.hana_user, rules, {"kind": "epic", "value": "SHOP-7"})
    rule = AlignmentRule.objects.get(objective=story.loyalty)
    assert (rule.kind, rule.value) == ("epic", "SHOP-7")
    post(client, cast.hana_user, rules, {"kind": "epic", "value": "SHOP-7"})
    assert "already has a rule" in client.get(detail(story.loyalty)).content.decode()
    remove = reverse("strategy:objective_rule_remove", args=[story.loyalty.pk, rule.pk])
    post(client, cast.hana_user, remove, {})
    assert not AlignmentRule.objects.filter(pk=rule.pk).exists()
    link = ObjectiveLink.objects.get(objective=story.checkout)
    unlink = reverse("strategy:objective_link_remove", args=[story.checkout.pk, link.pk])
    # a link removed through another objective's address is not found
    wrong = reverse("strategy:objective_link_remove", args=[story.loyalty.pk, link.pk])
    assert post(client, cast.hana_user, wrong, {}).status_code == 404
    post(client, cast.hana_user, unlink, {})
    assert not ObjectiveLink.objects.filter(pk=link.pk).exists()
