"""Coaching plans drafted from gaps, the practice library, 1:1s and communities of practice.

A plan belongs to a person and their manager; a named coach may be given access to one
plan. Goals track a competency from a current to a target step, with check-ins. A 1:1
series joins a lead (manager or coach) and a report; each 1:1 has an agenda built from
open action items, goals due for a check-in, changes since last time and talking points.
Action items belong to the series, so deleting a 1:1 never loses them. Agenda items and
private notes are rows of their own, so two people editing at once never overwrite each
other; shared notes carry a revision number for the same reason.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from productops.competencies.models import AssessmentCycle
from productops.org.models import Person


class PracticeKind(models.TextChoices):
    ON_THE_JOB = "on_the_job", "On the job"
    SHADOWING = "shadowing", "Shadowing"
    READING = "reading", "Reading"
    COURSE = "course", "Course"
    MENTORING = "mentoring", "Mentoring"


class Effort(models.TextChoices):
    LOW = "low", "Low (an hour or two)"
    MEDIUM = "medium", "Medium (a few hours a week)"
    HIGH = "high", "High (a sustained commitment)"


class Practice(models.Model):
    """A concrete way to grow one competency, from the library shipped as data or added here."""

    competency_key = models.SlugField(max_length=100, db_index=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=PracticeKind.choices)
    effort = models.CharField(max_length=8, choices=Effort.choices, default=Effort.MEDIUM)
    built_in = models.BooleanField(default=False)
    # How the shipped library names this practice, kept when an admin renames it, so
    # reloading the library recognizes the row and never adds the original back.
    shipped_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The title in the library shipped with productops; empty for practices added here.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["competency_key", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency_key", "title"], name="one_practice_title_per_competency"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CoachingPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="coaching_plans")
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans_as_manager"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    source_cycle = models.ForeignKey(
        AssessmentCycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    model_slug = models.SlugField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coached_plans",
        help_text="Logins the manager named as coaches: they see this plan only.",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="goals")
    competency_key = models.SlugField(max_length=100)
    competency_name = models.CharField(max_length=200)
    current_step = models.FloatField(null=True, blank=True)
    target_step = models.PositiveIntegerField()
    target_date = models.DateField()
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    practices = models.ManyToManyField(Practice, blank=True, related_name="goals")
    custom_practice = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.competency_name}: reach step {self.target_step}"

    def clean(self) -> None:
        if self.current_step is not None and self.target_step <= self.current_step:
            raise ValidationError(
                {"target_step": "The target step must be above the current step."}
            )

    @property
    def is_closed(self) -> bool:
        return self.status != self.Status.OPEN


class CheckIn(models.Model):
    class Status(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    date = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices)
    note = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    one_on_one = models.ForeignKey(
        "OneOnOne", null=True, blank=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["goal", "-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_status_display()} on {self.date}"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"


CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.MONTHLY: 30}


class OneOnOneSeries(models.Model):
    class Kind(models.TextChoices):
        MANAGER = "manager", "Manager and report"
        COACH = "coach", "Coach and coachee"

    lead = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="series_led")
    report = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="series_attended")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.MANAGER)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.WEEKLY)
    duration_minutes = models.PositiveIntegerField(default=30)
    start_date = models.DateField(default=timezone.localdate)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["lead__name", "report__name"]
        verbose_name_plural = "1:1 series"
        constraints = [
            models.UniqueConstraint(fields=["lead", "report"], name="one_series_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.lead} & {self.report}"

    def clean(self) -> None:
        if self.lead_id and self.lead_id == self.report_id:
            raise ValidationError("A 1:1 needs two different people.")

    @property
    def interval(self) -> timedelta:
        return timedelta(days=CADENCE_DAYS[Cadence(self.cadence)])


class OneOnOne(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    series = models.ForeignKey(OneOnOneSeries, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    shared_notes = models.TextField(blank=True)
    # Bumped on every save of the shared notes: a save from an older revision is refused
    # instead of silently overwriting what the other person wrote.
    notes_revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["series", "-date"]
        verbose_name = "1:1"
        verbose_name_plural = "1:1s"

    def __str__(self) -> str:
        return f"1:1 {self.series} on {self.date}"


class TalkingPoint(models.Model):
    """A free agenda item added by either side before (or during) the meeting."""

    meeting = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="talking_points")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    discussed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class PrivateNote(models.Model):
    """Visible to its author only: not to the other participant, not to admins."""

    meeting = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="one_private_note_per_author"
            )
        ]

    def __str__(self) -> str:
        return f"Private note on {self.meeting}"


class ActionItem(models.Model):
    """Belongs to the series: carried from 1:1 to 1:1 until done or dropped, never lost."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    series = models.ForeignKey(OneOnOneSeries, on_delete=models.CASCADE, related_name="actions")
    raised_in = models.ForeignKey(
        OneOnOne, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions_raised"
    )
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="actions_owned")
    text = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["series", "status", "due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class Community(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "community", "Community of practice"
        BOOK_CLUB = "book_club", "Book club"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMUNITY)
    description = models.TextField(blank=True)
    book = models.CharField(
        max_length=300, blank=True, help_text="For a book club: the book being read."
    )
    organizer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name


class CommunitySession(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    topic = models.CharField(max_length=300, help_text="The topic, or for a book club the chapter.")
    facilitator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendees = models.ManyToManyField(
        Person, through="Attendance", related_name="sessions_attended"
    )

    class Meta:
        ordering = ["community", "-date"]

    def __str__(self) -> str:
        return f"{self.community}: {self.topic} ({self.date})"


class Attendance(models.Model):
    session = models.ForeignKey(
        CommunitySession, on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_attendance_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.session}"
