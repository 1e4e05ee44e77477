"""The tree pages, per role: the list of every team's tree, one team's tree, and its forms.

Hana (admin), Marco (manager) and Priya (Checkout member) edit Checkout's tree; Paul
(Search member) reads it but may not edit it (403); Vera (viewer) sees no tree (404 on a
tree, 403 on the list). Forms work as plain POST + redirect and, with htmx, as fragments.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from productops.discovery.models import Opportunity, Outcome, Solution, Touchpoint
from productops.org.models import Team
from tests.cast import build_cast
from tests.discovery.tree_story import build_tree, item

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tree(cast):
    return build_tree(cast.checkout)


def tree_url(cast):
    return reverse("discovery:tree", args=[cast.checkout.pk])


def edit_url(cast, kind, pk):
    return reverse("discovery:tree_node_edit", args=[cast.checkout.pk, kind, pk])


# -- the list ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["hana_user", "marco_user", "priya_user", "paul_user"])
def test_every_role_but_viewers_sees_the_list_with_counts(client, cast, tree, who) -> None:
    client.force_login(getattr(cast, who))
    page = client.get(reverse("discovery:trees")).content.decode()
    assert "More first orders complete" in page
    row = page.split(f'data-team="{cast.checkout.pk}"')[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in row.split('class="num">')[1:]] == ["3", "1", "1"]
    assert "Running 1" in row
    search = page.split(f'data-team="{cast.search.pk}"')[1].split("</tr>")[0]
    assert "No outcome set yet" in search


def test_groups_without_members_or_a_tree_are_not_listed(client, cast, tree) -> None:
    group = Team.objects.create(name="Commerce group")
    drawn = Team.objects.create(name="Group with a tree")
    Outcome.objects.create(team=drawn, title="Fewer abandoned carts")
    client.force_login(cast.hana_user)
    page = client.get(reverse("discovery:trees")).content.decode()
    assert f'data-team="{group.pk}"' not in page
    assert f'data-team="{drawn.pk}"' in page


def test_viewers_do_not_see_the_list(client, cast, tree) -> None:
    client.force_login(cast.vera_user)
    assert client.get(reverse("discovery:trees")).status_code == 403


def test_login_is_required(client, cast) -> None:
    response = client.get(reverse("discovery:trees"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_empty_state_without_teams(client) -> None:
    cast = build_cast()
    Team.objects.all().delete()
    client.force_login(cast.hana_user)
    page = client.get(reverse("discovery:trees")).content.decode()
    assert "No teams yet" in page and "<table" not in page


def test_the_list_costs_the_same_for_many_teams(client, cast, tree, django_assert_max_num_queries):
    for n in range(30):
        team = Team.objects.create(name=f"Team {n:02}")
        build_tree(team)
    client.force_login(cast.hana_user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("discovery:trees"))
    assert response.content.decode().count("More first orders complete") == 31


# -- one tree ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,edits",
    [("hana_user", True), ("marco_user", True), ("priya_user", True), ("paul_user", False)],
)
def test_the_tree_is_drawn_for_every_reader(client, cast, tree, who, edits) -> None:
    client.force_login(getattr(cast, who))
    page = client.get(tree_url(cast)).content.decode()
    assert "<svg" in page and "Retry button" in page and "Running" in page
    assert f'href="{edit_url(cast, "solution", tree.retry.pk)}"' in page
    assert ("hx-get" in page) is edits
    assert ("Add an opportunity" in page) is edits


def test_the_tree_page_costs_the_same_for_a_big_tree(
    client, cast, tree, django_assert_max_num_queries
) -> None:
    for n in range(40):
        opportunity = Opportunity.objects.create(outcome=tree.outcome, title=f"Need {n}")
        Solution.objects.create(opportunity=opportunity, title=f"Idea {n}")
    client.force_login(cast.priya_user)
    with django_assert_max_num_queries(14):
        response = client.get(tree_url(cast))
    assert response.content.decode().count("Idea ") >= 40


def test_viewers_get_404_on_a_tree(client, cast, tree) -> None:
    client.force_login(cast.vera_user)
    assert client.get(tree_url(cast)).status_code == 404
    assert client.get(edit_url(cast, "solution", tree.retry.pk)).status_code == 404


def test_a_member_of_another_team_may_not_edit(client, cast, tree) -> None:
    client.force_login(cast.paul_user)
    assert client.get(edit_url(cast, "solution", tree.retry.pk)).status_code == 403
    response = client.post(edit_url(cast, "solution", tree.retry.pk), {"title": "x"})
    assert response.status_code == 403
    tree.retry.refresh_from_db()
    assert tree.retry.title == "Retry button"


def test_without_an_outcome_the_page_offers_to_set_it(client, cast) -> None:
    client.force_login(cast.priya_user)
    page = client.get(tree_url(cast)).content.decode()
    assert "has not set its desired outcome yet" in page
    response = client.post(
        reverse("discovery:tree_outcome", args=[cast.checkout.pk]),
        {"title": "Faster checkout", "metric": "Time to pay", "unit": "s"},
    )
    assert response.status_code == 302
    assert Outcome.objects.get(team=cast.checkout).title == "Faster checkout"


def test_adding_a_child_without_javascript_redirects_to_the_tree(client, cast, tree) -> None:
    client.force_login(cast.priya_user)
    url = reverse("discovery:tree_node_new", args=[cast.checkout.pk, "solution"])
    form = client.get(f"{url}?parent={tree.shipping.pk}").content.decode()
    assert f'<option value="{tree.shipping.pk}" selected>' in form
    response = client.post(url, {"title": "Show costs early", "opportunity": tree.shipping.pk})
    assert response.status_code == 302 and response["Location"] == tree_url(cast)
    assert tree.shipping.solutions.get().title == "Show costs early"


def test_htmx_gets_the_form_as_a_fragment_and_the_redrawn_tree_after_saving(
    client, cast, tree
) -> None:
    client.force_login(cast.priya_user)
    url = edit_url(cast, "opportunity", tree.declined.pk)
    fragment = client.get(url, **HTMX).content.decode()
    assert "<html" not in fragment and 'hx-post="' in fragment
    saved = client.post(url, {"title": "Card declined at pay", "parent": tree.payment.pk}, **HTMX)
    body = saved.content.decode()
    assert saved.status_code == 200 and body.lstrip().startswith('<div id="tree"')
    assert "Card declined at pay" in body and "is saved" in body


def test_an_invalid_move_shows_the_form_again_with_the_reason(client, cast, tree) -> None:
    client.force_login(cast.priya_user)
    url = edit_url(cast, "opportunity", tree.payment.pk)
    form = client.get(url).content.decode()
    # the form does not even offer the opportunity itself or one beneath it
    assert f'value="{tree.declined.pk}"' not in form.split('name="parent"')[1].split("</select>")[0]
    response = client.post(url, {"title": "Payment fails", "parent": tree.declined.pk}, **HTMX)
    assert response["HX-Retarget"] == "#tree-panel"
    assert "Select a valid choice" in response.content.decode()
    tree.payment.refresh_from_db()
    assert tree.payment.parent_id is None


def test_the_opportunity_form_offers_the_teams_recent_touchpoints(client, cast, tree) -> None:
    ours = Touchpoint.objects.create(team=cast.checkout, kind="interview", segment="SMB")
    theirs = Touchpoint.objects.create(team=cast.search, kind="interview", segment="Enterprise")
    client.force_login(cast.priya_user)
    url = edit_url(cast, "opportunity", tree.shipping.pk)
    form = client.get(url).content.decode()
    assert "SMB" in form and "Enterprise" not in form
    client.post(url, {"title": "Shipping costs surprise", "touchpoints": [ours.pk]})
    assert list(tree.shipping.touchpoints.all()) == [ours]
    assert "1 touchpoint cited" in client.get(tree_url(cast)).content.decode()
    client.post(url, {"title": "Shipping costs surprise", "touchpoints": [theirs.pk]})
    assert list(tree.shipping.touchpoints.all()) == [ours]


def test_delete_asks_what_happens_to_the_children(client, cast, tree) -> None:
    client.force_login(cast.priya_user)
    url = reverse(
        "discovery:tree_node_delete", args=[cast.checkout.pk, "opportunity", tree.payment.pk]
    )
    page = client.get(url).content.decode()
    assert "Move them up to the top level." in page
    assert "1 opportunity, 1 solution and 1 assumption test go with it" in page
    response = client.post(url, {})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert Opportunity.objects.filter(pk=tree.payment.pk).exists()
    assert client.post(url, {"children": "lift"}).status_code == 302
    tree.declined.refresh_from_db()
    assert tree.declined.parent_id is None


def test_top_level_solutions_need_a_target_or_the_lift_is_not_offered(client, cast, tree) -> None:
    Solution.objects.create(opportunity=tree.shipping, title="Show costs early")
    tree.payment.delete()
    client.force_login(cast.priya_user)
    url = reverse(
        "discovery:tree_node_delete", args=[cast.checkout.pk, "opportunity", tree.shipping.pk]
    )
    page = client.get(url).content.decode()
    assert "Move them up" not in page and "Delete them too" in page


def test_deleting_a_solution_offers_moving_its_tests(client, cast, tree) -> None:
    other = Solution.objects.create(opportunity=tree.shipping, title="Show costs early")
    client.force_login(cast.priya_user)
    url = reverse("discovery:tree_node_delete", args=[cast.checkout.pk, "solution", tree.retry.pk])
    assert "Move them to another solution" in client.get(url).content.decode()
    response = client.post(url, {"children": "lift", "move_to": other.pk}, **HTMX)
    assert response.status_code == 200 and "is deleted" in response.content.decode()
    assert other.tests.count() == 1


def test_linking_an_item_by_key(client, cast, tree) -> None:
    shop = item("SHOP-12")
    client.force_login(cast.priya_user)
    url = reverse("discovery:tree_link_item", args=[cast.checkout.pk, tree.retry.pk])
    missing = client.post(url, {"key": "SHOP-99"})
    assert missing.status_code == 400 and "No backlog item has the key" in missing.content.decode()
    assert client.post(url, {"key": "shop-12"}).status_code == 302
    assert list(tree.retry.items.all()) == [shop]
    assert "SHOP-12" in client.get(edit_url(cast, "solution", tree.retry.pk)).content.decode()
    unlink = reverse("discovery:tree_unlink_item", args=[cast.checkout.pk, tree.retry.pk, shop.pk])
    assert client.post(unlink).status_code == 302
    assert not tree.retry.items.exists()
