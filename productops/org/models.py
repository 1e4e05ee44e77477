"""People, teams and the reporting lines between them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from productops.accounts.roles import Login


class Discipline(models.TextChoices):
    PRODUCT = "product", "Product"
    DESIGN = "design", "Design"
    ENGINEERING = "engineering", "Engineering"
    DATA = "data", "Data"
    RESEARCH = "research", "Research"
    MARKETING = "marketing", "Marketing"
    SALES = "sales", "Sales"
    SUPPORT = "support", "Support"
    QUALITY = "quality", "Quality"
    COMPLIANCE = "compliance", "Compliance"
    LEADERSHIP = "leadership", "Leadership"
    OTHER = "other", "Other"


# The disciplines that build the product together: the trio.
BUILDER_DISCIPLINES = (Discipline.PRODUCT, Discipline.DESIGN, Discipline.ENGINEERING)


class TeamRole(models.TextChoices):
    PRODUCT_MANAGER = "product_manager", "Product manager"
    DESIGN_LEAD = "design_lead", "Design lead"
    TECH_LEAD = "tech_lead", "Tech lead"
    ENGINEER = "engineer", "Engineer"
    DESIGNER = "designer", "Designer"
    ANALYST = "analyst", "Analyst"
    OTHER = "other", "Other"


class Person(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    discipline = models.CharField(max_length=20, choices=Discipline.choices)
    title = models.CharField(max_length=200, blank=True)
    level = models.CharField("career level", max_length=100, blank=True)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    start_date = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The login linked to this person, if they use productops.",
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["discipline"]), models.Index(fields=["active", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("org:person", args=[self.pk])

    def clean(self) -> None:
        self.email = self.email.strip().lower()
        if self.manager_id is not None and self.manager_id == self.pk:
            raise ValidationError({"manager": "A person cannot be their own manager."})
        if self.pk is not None and self.manager_id is not None:
            seen = {self.pk}
            current = self.manager
            while current is not None:
                if current.pk in seen:
                    raise ValidationError(
                        {"manager": "This manager would create a reporting cycle."}
                    )
                seen.add(current.pk)
                current = current.manager


def person_id_for_login(user: Login) -> int | None:
    """The id of the person a login is linked to, or None (registered with accounts.roles)."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).values_list("pk", flat=True).first()


class Team(models.Model):
    name = models.CharField(max_length=200, unique=True)
    mission = models.TextField(blank=True)
    product_area = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subteams",
        help_text="The group this team belongs to.",
    )
    members = models.ManyToManyField(Person, through="TeamMembership", related_name="teams")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("org:team", args=[self.pk])

    def clean(self) -> None:
        seen = {self.pk}
        current = self.parent
        while current is not None:
            if current.pk in seen:
                raise ValidationError({"parent": "This parent group would create a cycle."})
            seen.add(current.pk)
            current = current.parent


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=TeamRole.choices, default=TeamRole.OTHER)

    class Meta:
        ordering = ["team__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="one_membership_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} in {self.team}"


def builds_product() -> models.Q:
    """A filter for teams that build: members of their own and no team under them.

    A group that holds other teams (its members are the group's leads) is left out of
    what product teams are measured on: discovery cadence, trees, delegation levels.
    """
    return models.Exists(
        TeamMembership.objects.filter(team=models.OuterRef("pk"))
    ) & ~models.Exists(Team.objects.filter(parent=models.OuterRef("pk")))
