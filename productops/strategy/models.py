"""Strategy: objectives and the work that traces to them, the CEO/CPO check, delegation.

- Objectives (company or product) for a period, with an owner. Backlog items and epics
  are mapped to objectives by hand (`ObjectiveLink`) or by a rule (`AlignmentRule`: a
  label, or an epic key whose items all trace to the objective). Alignment is computed
  (`strategy.alignment`), never stored.
- A priority check: two or more leaders (the CEO and the head of product, typically)
  each rank the same list of priorities privately. Rank correlation and disagreements
  are computed (`strategy.priority_check`). A ranking is seen by its author and admins
  only, and nobody sees anything of the others' rankings before submitting their own.
- The delegation board: decision areas with a difficulty, and per team and area the
  level of delegation the leader chose (1 = the leader decides and tells, 7 = the team
  decides alone). The recommended level and the findings are computed
  (`strategy.delegation`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from productops.backlog.models import Item
from productops.org.models import Person, Team


class ObjectiveLevel(models.TextChoices):
    COMPANY = "company", "Company objective"
    PRODUCT = "product", "Product objective"


class Objective(models.Model):
    level = models.CharField(max_length=10, choices=ObjectiveLevel.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="objectives"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The company objective a product objective serves.",
    )
    items = models.ManyToManyField(
        Item, through="ObjectiveLink", blank=True, related_name="objectives"
    )

    class Meta:
        ordering = ["-period_start", "level", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="objective_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ObjectiveLink(models.Model):
    """An item or epic mapped to an objective by hand."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="links")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="objective_links")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "item"], name="one_link_per_objective_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.objective_id}"


class AlignmentRule(models.Model):
    """Items with a label, or under an epic, trace to an objective."""

    class Kind(models.TextChoices):
        LABEL = "label", "Label"
        EPIC = "epic", "Epic"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=200, help_text="The label, or the epic's key.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "kind", "value"], name="one_rule_per_objective_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} → {self.objective}"


class PriorityCheck(models.Model):
    """The same priorities, ranked privately by each of two or more leaders."""

    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="priority_checks")
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The earlier check this one is compared with.",
    )
    closed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Priority(models.Model):
    priority_check = models.ForeignKey(
        PriorityCheck, on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title


class Ranking(models.Model):
    """One leader's ranking of a check's priorities: private to its author (and admins)."""

    priority_check = models.ForeignKey(
        PriorityCheck, on_delete=models.CASCADE, related_name="rankings"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="priority_rankings"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["priority_check", "author"], name="one_ranking_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"ranking {self.pk} of check {self.priority_check_id}"


class RankEntry(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(validators=[MinValueValidator(1)])  # 1 = most important

    class Meta:
        ordering = ["rank", "priority__position"]
        constraints = [
            models.UniqueConstraint(fields=["ranking", "priority"], name="one_rank_per_priority")
        ]

    def __str__(self) -> str:
        return f"{self.priority_id}: {self.rank}"


class Difficulty(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class DecisionArea(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    difficulty = models.CharField(
        max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# The seven steps from "the leader decides" to "the team decides", in our words.
DELEGATION_LEVELS = {
    1: ("Tell", "The leader decides and explains the decision."),
    2: ("Sell", "The leader decides and works to win the team over."),
    3: ("Consult", "The leader hears the team first, then decides."),
    4: ("Agree", "The leader and the team decide together."),
    5: ("Advise", "The team decides, after hearing the leader's view."),
    6: ("Inquire", "The team decides, then tells the leader what and why."),
    7: ("Delegate", "The team decides; the leader does not take part."),
}


class Delegation(models.Model):
    """How far a team decides in one decision area, as its leader chose."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="delegations")
    area = models.ForeignKey(DecisionArea, on_delete=models.CASCADE, related_name="delegations")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    note = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team__name", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "area"], name="one_level_per_team_area"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=7), name="delegation_level_1_to_7"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} / {self.area}: {self.level}"
