"""The backlog demo: six months of Jira for the demo company's teams, through the real importer.

Each product team of the demo org becomes a Jira project named after it. The demo's own
people file the issues, by email, so origin follows who asks: sales people file sales
asks ("Add SSO for the Globex deal"), support files bugs and escalations, marketing
files launches, product managers write problem-framed stories and engineers write
technical work. The export is written as Jira search pages to a temporary folder and
imported with `import_tracker`, so the demo exercises the same path as a real export.

The story it tells: one product area — the demo org's sales-led team, Enterprise Deals —
has a backlog dominated by sales requests, sprints whose scope churns as sales asks are
added after the start, and work shelved half-done; every other area looks healthy.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from productops.backlog.actions import import_tracker
from productops.backlog.label_vocabulary import vocabulary
from productops.backlog.models import Item, Origin, Source, Sprint, StatusCategory, TrackerImport
from productops.backlog.reporters import UNMATCHED, reporters
from productops.demo.org import EMAIL_DOMAIN, DemoOrg
from productops.demo.tracker_export import (
    ProductArea,
    Reporter,
    TrackerSpec,
    project_key,
    write_export,
)
from productops.org.models import Discipline, Person, Team, TeamMembership, TeamRole

DEMO_FILE_PREFIX = "productops-demo-jira-"
DEMO_SPRINT_ID_BASE = 900_000  # far above a real Jira's sprint ids
DEMO_DAYS = 182
ITEMS_PER_TEAM = 170
CHANGES_PER_ITEM = 6
OUTSIDE_ASKERS = 25  # per discipline: the sales, support and marketing people who file issues
# People who file issues but are not in the org's people list: a sales rep who has left
# and a contractor of the outsourced helpdesk. The import matches nobody, so the
# reporters page (/backlog/reporters/) has someone to assign, and the items they filed
# without a telling label show as "Unknown" until then.
UNLISTED_REPORTERS = (
    ("Quinn Harlow", "quinn.harlow", Discipline.SALES),
    ("Rowan Pike", "rowan.pike", Discipline.SUPPORT),
)

HEALTHY_MIX = {
    "customer": 0.46,
    "sales": 0.06,
    "marketing": 0.06,
    "support": 0.16,
    "internal": 0.26,
}
SALES_LED_MIX = {
    "customer": 0.08,
    "sales": 0.62,
    "marketing": 0.05,
    "support": 0.1,
    "internal": 0.15,
}
WORKER_ROLES = (TeamRole.ENGINEER, TeamRole.TECH_LEAD)


@dataclass
class BacklogDemo:
    items: int
    changes: int
    sprints: int
    projects: int
    focus_area: str
    stories: list[str] = field(default_factory=list)


def build_backlog_demo(org: DemoOrg, seed: int = 7, today: date | None = None) -> BacklogDemo:
    """Generate and import the demo teams' tracker export; raise if the import refuses it."""
    today = today or timezone.localdate()
    spec = demo_spec(org, seed, today)
    with tempfile.TemporaryDirectory(prefix="productops-backlog-demo-") as folder:
        summary = write_export(spec, Path(folder))
        report = import_tracker(summary.files, format="jira-json")
    if report.errors:
        raise RuntimeError(f"The backlog demo did not import: {report.errors[0]}")
    return BacklogDemo(
        items=summary.issues,
        changes=summary.changes,
        sprints=summary.sprints,
        projects=len(spec.areas),
        focus_area=org.enterprise_team_name,
        stories=_stories(org.enterprise_team_name),
    )


def has_backlog_demo() -> bool:
    return _demo_items().exists()


def clear_backlog_demo() -> None:
    """Remove the demo's items (their changes and corrections go with them), sprints and runs."""
    sprint_ids: set[str] = set()
    for sprints in _demo_items().values_list("sprints", flat=True).iterator():
        sprint_ids.update(str(sprint) for sprint in sprints or ())
    _demo_items().delete()
    Sprint.objects.filter(source=Source.JIRA, source_id__in=sorted(sprint_ids)).delete()
    demo_runs = [
        run.pk
        for run in TrackerImport.objects.only("pk", "files")
        if any(str(name).startswith(DEMO_FILE_PREFIX) for name in run.files or ())
    ]
    TrackerImport.objects.filter(pk__in=demo_runs).delete()


def demo_spec(org: DemoOrg, seed: int, today: date) -> TrackerSpec:
    """The export to generate: one project per product team, the demo's people as reporters."""
    teams = list(Team.objects.filter(parent__isnull=False).order_by("name"))
    people_by_team = _team_people(teams)
    areas: list[ProductArea] = []
    for team in teams:
        sales_led = team.pk == org.enterprise_team_id
        areas.append(
            ProductArea(
                key=project_key(team.name, [area.key for area in areas]),
                name=team.name,
                origins=SALES_LED_MIX if sales_led else HEALTHY_MIX,
                # The sales-led area gets more asks, and its plans don't hold.
                weight=1.6 if sales_led else 1.0,
                sprint_churn=0.4 if sales_led else 0.06,
                shelving=0.2 if sales_led else 0.03,
                people=people_by_team.get(team.pk, ()),
            )
        )
    askers: list[Reporter] = []
    for discipline in (Discipline.SALES, Discipline.SUPPORT, Discipline.MARKETING):
        people = Person.objects.filter(active=True, discipline=discipline).order_by("email")
        askers += [_reporter(person) for person in people[:OUTSIDE_ASKERS]]
    listed = set(Person.objects.values_list("email", flat=True))
    askers += [
        Reporter(name, f"{local}@{EMAIL_DOMAIN}", f"demo:{local}", discipline)
        for name, local, discipline in UNLISTED_REPORTERS
        if f"{local}@{EMAIL_DOMAIN}" not in listed
    ]
    issues = ITEMS_PER_TEAM * len(areas)
    return TrackerSpec(
        issues=issues,
        changes=issues * CHANGES_PER_ITEM,
        areas=tuple(areas),
        reporters=tuple(askers),
        end=datetime.combine(today, time(17, 0), tzinfo=UTC),
        days=DEMO_DAYS,
        seed=seed,
        page_size=500,
        file_prefix=DEMO_FILE_PREFIX,
        sprint_id_base=DEMO_SPRINT_ID_BASE,
    )


def origin_shares(focus_area: str) -> tuple[float, float]:
    """The share of open items from sales in the focus area, and everywhere else."""
    open_items = Item.objects.filter(source=Source.JIRA).exclude(
        status_category=StatusCategory.DONE
    )
    counts = open_items.aggregate(
        focus=Count("pk", filter=Q(project=focus_area)),
        focus_sales=Count("pk", filter=Q(project=focus_area, origin=Origin.SALES)),
        rest=Count("pk", filter=~Q(project=focus_area)),
        rest_sales=Count("pk", filter=~Q(project=focus_area) & Q(origin=Origin.SALES)),
    )
    return (
        counts["focus_sales"] / counts["focus"] if counts["focus"] else 0.0,
        counts["rest_sales"] / counts["rest"] if counts["rest"] else 0.0,
    )


def _demo_items() -> QuerySet[Item]:
    return Item.objects.filter(source=Source.JIRA, reporter_email__endswith=f"@{EMAIL_DOMAIN}")


def _team_people(teams: list[Team]) -> dict[int, tuple[Reporter, ...]]:
    """Each team's product managers (who write stories) and engineers (who do the work)."""
    memberships = (
        TeamMembership.objects.filter(
            team__in=teams, role__in=(TeamRole.PRODUCT_MANAGER, *WORKER_ROLES)
        )
        .select_related("person")
        .order_by("team__name", "person__email")
    )
    people: dict[int, list[Reporter]] = {}
    for membership in memberships:
        person = _reporter(membership.person)
        if membership.role == TeamRole.PRODUCT_MANAGER:
            # A PM writes the team's own stories whatever ladder they sit on.
            person = Reporter(person.name, person.email, person.account_id, "product")
        people.setdefault(membership.team_id, []).append(person)
    return {team: tuple(members) for team, members in people.items()}


def _reporter(person: Person) -> Reporter:
    return Reporter(
        name=person.name,
        email=person.email,
        account_id=f"demo:{person.email.split('@', 1)[0]}",
        discipline=person.discipline,
    )


def _stories(focus_area: str) -> list[str]:
    focus, rest = origin_shares(focus_area)
    found = reporters()
    unmatched = [row for row in found.rows if row.status == UNMATCHED]
    names = vocabulary()
    not_understood = names.not_understood
    stories = [
        f"Backlog: {_percent(focus)} of {focus_area}'s open items come from sales "
        f"({_percent(rest)} in the other product areas); its sprints take in sales asks "
        "after they start and shelve work half-done. See the backlog health report."
    ]
    if unmatched:
        stories.append(
            f"Reporters: {len(unmatched)} people who filed "
            f"{sum(row.items for row in unmatched)} items are not in the people list "
            f"({', '.join(row.name for row in unmatched)}); assign them to a person or a "
            "discipline on the reporters page and their items are reclassified."
        )
    if not_understood:
        stories.append(
            f"Labels: {len(not_understood)} labels and components the mapping does not "
            f"understand ({', '.join(row.shown for row in not_understood[:4])} …); map them "
            "on the label vocabulary page."
        )
    return stories


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"
