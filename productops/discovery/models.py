"""Continuous discovery: the team's touchpoints with customers and its opportunity trees.

A touchpoint is one moment a team learned from customers (an interview, a usability
test, shadowing a support call ...), with the team members who took part. Cadence
(`discovery.cadence`) is computed from touchpoints, never stored.

An opportunity solution tree hangs off a team's desired outcome: opportunities (which may
nest), solutions under an opportunity, assumption tests under a solution. Opportunities
cite the touchpoints that support them; backlog items and epics can be linked to a
solution, which makes them "backed by discovery" in the backlog diagnostics.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from productops.backlog.models import Item
from productops.org.models import Person, Team


class TouchpointKind(models.TextChoices):
    INTERVIEW = "interview", "Customer interview"
    USABILITY_TEST = "usability_test", "Usability test"
    PROTOTYPE_TEST = "prototype_test", "Prototype test"
    SURVEY_REVIEW = "survey_review", "Survey review"
    SALES_CALL = "sales_call", "Sales-call shadowing"
    SUPPORT_CALL = "support_call", "Support-call shadowing"
    DATA_REVIEW = "data_review", "Data review"


# Kinds where the team itself meets or hears customers. Reviewing a survey or usage data is
# useful discovery, but nobody talked to a customer.
CUSTOMER_KINDS = frozenset(
    {
        TouchpointKind.INTERVIEW,
        TouchpointKind.USABILITY_TEST,
        TouchpointKind.PROTOTYPE_TEST,
        TouchpointKind.SALES_CALL,
        TouchpointKind.SUPPORT_CALL,
    }
)

# Sitting in on someone else's call with a customer: the team hears customers, but the
# conversation serves a deal or a ticket, not the team's questions. Cadence shows these
# apart, and by default they do not make a week count (`discovery.kinds`).
SHADOWING_KINDS = frozenset({TouchpointKind.SALES_CALL, TouchpointKind.SUPPORT_CALL})

# The kinds that make a week count for the weekly minimum unless the setting
# PRODUCTOPS_DISCOVERY_KINDS names others (`discovery.kinds.discovery_kinds`): the team
# talks to customers about its own questions.
DEFAULT_DISCOVERY_KINDS = CUSTOMER_KINDS - SHADOWING_KINDS


class Touchpoint(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="touchpoints")
    date = models.DateField(default=timezone.localdate)
    kind = models.CharField(max_length=20, choices=TouchpointKind.choices)
    participants = models.ManyToManyField(
        Person, blank=True, related_name="touchpoints", help_text="Who of the team took part."
    )
    segment = models.CharField("customer segment", max_length=200, blank=True)
    customers = models.PositiveIntegerField("number of customers", default=1)
    notes = models.TextField(blank=True)
    insights = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["team", "date"])]

    def __str__(self) -> str:
        return f"{self.team} {self.get_kind_display()} on {self.date}"


# The longest customer segment a touchpoint stores (the form, the API and a CSV row).
SEGMENT_MAX_CHARS = Touchpoint._meta.get_field("segment").max_length or 200


class Outcome(models.Model):
    """A team's desired outcome: the root of its opportunity solution tree."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="outcome")
    title = models.CharField(max_length=300)
    metric = models.CharField(max_length=200, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True, help_text="%, minutes, € ...")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title


class Opportunity(models.Model):
    """A customer need, pain or desire; may nest under a broader opportunity."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="opportunities")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    touchpoints = models.ManyToManyField(
        Touchpoint, blank=True, related_name="opportunities", help_text="The evidence."
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "opportunities"

    def __str__(self) -> str:
        return self.title


class Solution(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="solutions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    items = models.ManyToManyField(
        Item, blank=True, related_name="solutions", help_text="Backlog items and epics."
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class TestStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    SUPPORTED = "supported", "Supported"
    REFUTED = "refuted", "Refuted"
    INCONCLUSIVE = "inconclusive", "Inconclusive"


class AssumptionTest(models.Model):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="tests")
    assumption = models.CharField(max_length=300)
    test = models.TextField(blank=True, help_text="How the assumption is tested.")
    result = models.TextField(blank=True)
    status = models.CharField(max_length=15, choices=TestStatus.choices, default=TestStatus.PLANNED)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.assumption


class DiscoverySettings(models.Model):
    """The org's choice of the kinds that count as discovery: at most one row.

    No row: the server setting PRODUCTOPS_DISCOVERY_KINDS decides (`discovery.kinds`).
    Written only through `discovery.actions.settings` (admins).
    """

    kinds = models.JSONField(default=list, help_text="Kind values that make a week count.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "discovery settings"

    def __str__(self) -> str:
        return ", ".join(self.kinds)
