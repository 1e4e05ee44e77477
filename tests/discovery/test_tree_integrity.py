"""Tree integrity: no cycles, parents of the same outcome, and deleting asks about children.

The rules are pure (`trees.parent_problem` over a parent map) and tested with random
trees; the actions apply them, and refuse to delete a node with children until told
whether to lift the children to the parent or delete them too.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from productops.discovery import actions, trees
from productops.discovery.models import AssumptionTest, Opportunity, Outcome, Solution
from tests.discovery.tree_story import build_tree

# -- pure rules --------------------------------------------------------------------------

# 1 ─ 2 ─ 3
#   └ 4
# 5
PARENTS = {1: None, 2: 1, 3: 2, 4: 1, 5: None}


def test_descendants_reach_every_depth() -> None:
    assert trees.descendants(PARENTS, 1) == {2, 3, 4}
    assert trees.descendants(PARENTS, 2) == {3}
    assert trees.descendants(PARENTS, 5) == set()


def test_a_parent_may_not_be_the_opportunity_itself() -> None:
    assert "its own parent" in trees.parent_problem(PARENTS, 2, 2)


def test_a_parent_may_not_be_a_descendant() -> None:
    assert "loop" in trees.parent_problem(PARENTS, 1, 3)
    assert "loop" in trees.parent_problem(PARENTS, 2, 3)


def test_a_parent_must_be_of_the_same_outcome() -> None:
    assert "same tree" in trees.parent_problem(PARENTS, 2, 99)
    assert "same tree" in trees.parent_problem(PARENTS, None, 99)


def test_moves_that_keep_a_tree_are_allowed() -> None:
    assert trees.parent_problem(PARENTS, 3, 5) is None
    assert trees.parent_problem(PARENTS, 1, None) is None
    assert trees.parent_problem(PARENTS, 4, 2) is None
    assert trees.allowed_parents(PARENTS, 2) == {1, 4, 5}
    assert trees.allowed_parents(PARENTS, None) == set(PARENTS)


def test_a_stored_cycle_does_not_hang_the_walk() -> None:
    assert trees.descendants({1: 2, 2: 1}, 1) == {2}


@st.composite
def forests(draw):
    size = draw(st.integers(1, 12))
    parents: dict[int, int | None] = {}
    for node in range(1, size + 1):
        parents[node] = draw(st.one_of(st.none(), st.integers(1, node - 1))) if node > 1 else None
    return parents


def _has_cycle(parents: dict[int, int | None]) -> bool:
    for start in parents:
        seen, node = set(), start
        while node is not None:
            if node in seen:
                return True
            seen.add(node)
            node = parents[node]
    return False


@given(forests(), st.data())
def test_any_allowed_move_keeps_a_forest(parents, data) -> None:
    node = data.draw(st.sampled_from(sorted(parents)))
    target = data.draw(st.one_of(st.none(), st.sampled_from(sorted(parents))))
    problem = trees.parent_problem(parents, node, target)
    moved = {**parents, node: target}
    assert (problem is None) == (not _has_cycle(moved))


# -- the actions -------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def tree(cast):
    return build_tree(cast.checkout)


@pytestmark_db
def test_moving_an_opportunity_under_its_own_child_is_refused(cast, tree) -> None:
    with pytest.raises(ValidationError, match="loop"):
        actions.do_save_opportunity(
            cast.priya_user,
            tree.outcome,
            opportunity=tree.payment,
            title="Payment fails",
            parent=tree.declined,
        )
    tree.payment.refresh_from_db()
    assert tree.payment.parent_id is None


@pytestmark_db
def test_moving_an_opportunity_under_another_tree_is_refused(cast, tree) -> None:
    other = Outcome.objects.create(team=cast.search, title="Find faster")
    stranger = Opportunity.objects.create(outcome=other, title="Typos")
    with pytest.raises(ValidationError, match="same tree"):
        actions.do_save_opportunity(
            cast.priya_user, tree.outcome, opportunity=tree.shipping, title="x", parent=stranger
        )


@pytestmark_db
def test_moving_an_opportunity_keeps_its_subtree(cast, tree) -> None:
    actions.do_save_opportunity(
        cast.priya_user,
        tree.outcome,
        opportunity=tree.payment,
        title="Payment fails",
        parent=tree.shipping,
    )
    tree.payment.refresh_from_db()
    assert tree.payment.parent_id == tree.shipping.pk
    assert trees.descendants(trees.parent_map(tree.outcome), tree.shipping.pk) == {
        tree.payment.pk,
        tree.declined.pk,
    }


@pytestmark_db
def test_cited_touchpoints_must_be_the_teams(cast, tree) -> None:
    from productops.discovery.models import Touchpoint

    theirs = Touchpoint.objects.create(team=cast.search, kind="interview")
    with pytest.raises(ValidationError, match="own team"):
        actions.do_save_opportunity(
            cast.priya_user,
            tree.outcome,
            opportunity=tree.shipping,
            title="x",
            touchpoints=[theirs],
        )


@pytestmark_db
def test_deleting_an_opportunity_with_children_needs_a_choice(cast, tree) -> None:
    with pytest.raises(actions.ChildrenChoiceNeeded, match="children=lift"):
        actions.do_delete_opportunity(cast.priya_user, tree.payment)
    assert Opportunity.objects.filter(pk=tree.payment.pk).exists()


@pytestmark_db
def test_deleting_with_its_children_counts_what_goes(cast, tree) -> None:
    impact = actions.do_delete_opportunity(cast.priya_user, tree.payment, children="delete")
    assert impact == trees.DeletionImpact(opportunities=1, solutions=1, tests=1)
    assert list(Opportunity.objects.values_list("title", flat=True)) == ["Shipping costs surprise"]
    assert not Solution.objects.exists() and not AssumptionTest.objects.exists()


@pytestmark_db
def test_lifting_moves_child_opportunities_and_solutions_to_the_parent(cast, tree) -> None:
    actions.do_delete_opportunity(cast.priya_user, tree.declined, children="lift")
    tree.retry.refresh_from_db()
    assert tree.retry.opportunity_id == tree.payment.pk
    assert AssumptionTest.objects.filter(solution=tree.retry).count() == 1


@pytestmark_db
def test_lifting_a_top_level_opportunity(cast, tree) -> None:
    Solution.objects.create(opportunity=tree.payment, title="Wallets")
    with pytest.raises(ValidationError, match="another opportunity"):
        actions.do_delete_opportunity(cast.priya_user, tree.payment, children="lift")
    actions.do_delete_opportunity(
        cast.priya_user, tree.payment, children="lift", move_solutions_to=tree.shipping
    )
    tree.declined.refresh_from_db()
    assert tree.declined.parent_id is None
    assert list(tree.shipping.solutions.values_list("title", flat=True)) == ["Wallets"]


@pytestmark_db
def test_a_top_level_opportunity_with_only_sub_opportunities_lifts_without_a_target(
    cast, tree
) -> None:
    actions.do_delete_opportunity(cast.priya_user, tree.payment, children="lift")
    tree.declined.refresh_from_db()
    assert tree.declined.parent_id is None


@pytestmark_db
def test_a_leaf_is_deleted_without_a_choice(cast, tree) -> None:
    actions.do_delete_opportunity(cast.priya_user, tree.shipping)
    assert not Opportunity.objects.filter(pk=tree.shipping.pk).exists()


@pytestmark_db
def test_deleting_a_solution_with_tests_asks_and_can_move_them(cast, tree) -> None:
    other = Solution.objects.create(opportunity=tree.shipping, title="Show costs early")
    with pytest.raises(actions.ChildrenChoiceNeeded):
        actions.do_delete_solution(cast.priya_user, tree.retry)
    with pytest.raises(ValidationError, match="another solution"):
        actions.do_delete_solution(cast.priya_user, tree.retry, children="lift")
    actions.do_delete_solution(cast.priya_user, tree.retry, children="lift", move_tests_to=other)
    assert list(other.tests.values_list("assumption", flat=True)) == ["Users notice the retry"]


@pytestmark_db
def test_deleting_a_solution_and_its_tests(cast, tree) -> None:
    impact = actions.do_delete_solution(cast.priya_user, tree.retry, children="delete")
    assert impact.tests == 1
    assert not AssumptionTest.objects.exists()


@pytestmark_db
def test_only_the_team_its_managers_and_admins_edit(cast, tree) -> None:
    with pytest.raises(PermissionDenied, match="Checkout"):
        actions.do_save_solution(cast.paul_user, tree.shipping, title="Free shipping")
    with pytest.raises(PermissionDenied):
        actions.do_delete_test(cast.vera_user, tree.noticed)
    actions.do_save_solution(cast.marco_user, tree.shipping, title="Free shipping")
    actions.do_save_solution(cast.hana_user, tree.shipping, title="Cost calculator")
    assert tree.shipping.solutions.count() == 2


@pytestmark_db
def test_load_tree_nests_and_costs_three_queries(cast, tree, django_assert_num_queries) -> None:
    for n in range(5):
        s = Solution.objects.create(opportunity=tree.shipping, title=f"Idea {n}")
        AssumptionTest.objects.create(solution=s, assumption=f"A{n}", status="supported")
    with django_assert_num_queries(3):
        root = trees.load_tree(tree.outcome)
    assert [c.title for c in root.children] == ["Payment fails", "Shipping costs surprise"]
    assert root.children[0].children[0].children[0].title == "Retry button"
    assert trees.tests_by_status(root)["supported"] == 5
    assert trees.tests_by_status(root)["running"] == 1
