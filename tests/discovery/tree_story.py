"""A small opportunity solution tree for Checkout, shared by the tree tests.

Outcome "More first orders complete" → Payment fails (opportunity) → Card declined
(sub-opportunity) → Retry button (solution) → "Users notice the retry" (test, running);
and a second top-level opportunity, Shipping costs surprise, with no children.
"""

from __future__ import annotations

from dataclasses import dataclass

from productops.backlog.models import Item
from productops.discovery.models import AssumptionTest, Opportunity, Outcome, Solution


@dataclass
class Tree:
    outcome: Outcome
    payment: Opportunity
    declined: Opportunity
    shipping: Opportunity
    retry: Solution
    noticed: AssumptionTest


def build_tree(team) -> Tree:
    outcome = Outcome.objects.create(
        team=team,
        title="More first orders complete",
        metric="Checkout completion",
        baseline=61,
        target=70,
        unit="%",
    )
    payment = Opportunity.objects.create(outcome=outcome, title="Payment fails")
    declined = Opportunity.objects.create(outcome=outcome, parent=payment, title="Card declined")
    shipping = Opportunity.objects.create(outcome=outcome, title="Shipping costs surprise")
    retry = Solution.objects.create(opportunity=declined, title="Retry button")
    noticed = AssumptionTest.objects.create(
        solution=retry, assumption="Users notice the retry", status="running"
    )
    return Tree(outcome, payment, declined, shipping, retry, noticed)


def item(key: str, *, status_category: str = "in_progress", **fields) -> Item:
    fields.setdefault("title", f"Work {key}")
    fields.setdefault("source", "jira")
    return Item.objects.create(key=key, status_category=status_category, **fields)
