"""The strategy side of the demo: objectives and their work, the CEO/CPO check, delegation.

Built on top of `org.demo`, `backlog.demo` and `discovery.demo` (whose silent and mature
teams it reuses), with the current quarter a head of product recognizes:

- three company objectives and six product objectives for the quarter, owned by the
  leadership; epics of a few teams are mapped to them by hand and one label rule traces
  customer escalations, so most of the backlog is unaligned and the localization
  objective has no work at all;
- a CEO/CPO priority check for this quarter, both rankings submitted: the CEO ranks the
  sales-driven priorities at the top, the head of product near the bottom (Kendall's
  tau about 0.3); it is compared with last quarter's closed check, where they agreed even
  less;
- a delegation board of seven decision areas: most levels follow the teams' maturity,
  but the least mature team (no designer, no discovery for six weeks) decides its
  architecture alone, and the most mature team is told its sprint scope.

The CEO takes part through the `ceo` login (role manager) the demo command prints; when
the demo has none (the strategy demo built on its own) one is created here without a
usable password (`productops changepassword ceo` gives it one). Deterministic for a given
seed; dates are relative to today. Written in one transaction: objectives, the label rule
and the decision areas through the strategy actions (as the admin login), the back-dated
rest (links, checks, rankings, delegation levels) in bulk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from productops.accounts.models import Account, Role
from productops.backlog.models import Item, ItemType, StatusCategory
from productops.demo.discovery import mature_team_id, silent_team_id
from productops.demo.org import GPM_TITLE, DemoOrg
from productops.discovery.kinds import discovery_kinds
from productops.discovery.models import Touchpoint
from productops.org.models import Person, Team, TeamMembership, TeamRole
from productops.strategy.actions import do_add_rule, do_save_area, do_save_objective
from productops.strategy.models import (
    AlignmentRule,
    DecisionArea,
    Delegation,
    Difficulty,
    Objective,
    ObjectiveLevel,
    ObjectiveLink,
    Priority,
    PriorityCheck,
    RankEntry,
    Ranking,
)

CEO_USERNAME = "ceo"
ADMIN_USERNAME = "admin"
ESCALATION_LABEL = "customer-escalation"
CHECK_TITLE_PATTERN = r"^Q[1-4] [0-9]{4} priorities$"

# --- Objectives ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveSpec:
    key: str
    level: ObjectiveLevel
    title: str
    description: str
    owner: str  # a leadership key: ceo, cpo, sales, gpm1, gpm2
    parent: str = ""


COMPANY, PRODUCT = ObjectiveLevel.COMPANY, ObjectiveLevel.PRODUCT
OBJECTIVES = (
    ObjectiveSpec(
        "retention",
        COMPANY,
        "Grow net revenue retention to 115%",
        "Customers who stay grow with us: fewer downgrades, more seats.",
        "ceo",
    ),
    ObjectiveSpec(
        "enterprise",
        COMPANY,
        "Win enterprise deals without forking the product",
        "Large deals close on what the product does for everyone.",
        "sales",
    ),
    ObjectiveSpec(
        "markets",
        COMPANY,
        "Open Germany and Japan as markets",
        "Customers there buy without a local partner holding their hand.",
        "ceo",
    ),
    ObjectiveSpec(
        "invoice",
        PRODUCT,
        "Shorten time to first invoice",
        "From sign-up to a first invoice sent in three days, not nine and a half.",
        "cpo",
        "retention",
    ),
    ObjectiveSpec(
        "activation",
        PRODUCT,
        "New accounts reach their first success in one sitting",
        "Half of new accounts succeed on their first day.",
        "gpm1",
        "retention",
    ),
    ObjectiveSpec(
        "notifications",
        PRODUCT,
        "People act on the notifications they get",
        "Fewer notifications, twice as many opened.",
        "gpm2",
        "retention",
    ),
    ObjectiveSpec(
        "seats",
        PRODUCT,
        "Enterprise customers onboard thousands of seats in a day",
        "Provisioning from the customer's directory, without our help.",
        "gpm2",
        "enterprise",
    ),
    ObjectiveSpec(
        "escalations",
        PRODUCT,
        "Halve escalations from our largest accounts",
        "Every escalation is traced by its label in the tracker.",
        "cpo",
        "enterprise",
    ),
    ObjectiveSpec(
        "localization",
        PRODUCT,
        "German and Japanese customers feel at home in the product",
        "Formats, help and support in their language.",
        "gpm1",
        "markets",
    ),
)
OBJECTIVE_TITLES = tuple(spec.title for spec in OBJECTIVES)
EMPTY_OBJECTIVE = "localization"  # the objective nobody works on

# The epics mapped by hand: objective -> the teams whose open epics serve it, and how many.
# Most teams' epics are mapped to nothing: the unaligned work.
MAPPED_EPICS = {
    "invoice": (("Billing", 2), ("Reporting", 1)),
    "activation": (("Onboarding", 2),),
    "notifications": (("Notifications", 1),),
    "seats": (("Enterprise Deals", 2),),
    # Localization's work is mapped to the company objective, none to the product one.
    "markets": (("Localization", 1),),
}

# --- The CEO/CPO check -----------------------------------------------------------------------

# (title, sales-driven, the head of product's rank, the CEO's rank)
PRIORITIES = (
    ("Shorten time to first invoice", False, 1, 1),
    ("Activation: first success in one sitting", False, 2, 2),
    ("SSO and SCIM for enterprise customers", True, 6, 4),
    ("Halve support escalations from large accounts", False, 3, 6),
    ("Custom contract terms for the Globex renewal", True, 9, 3),
    ("Close the three largest deals in the pipeline", True, 8, 5),
    ("Pay down the notification pipeline's debt", False, 4, 7),
    ("Launch in German and Japanese", False, 7, 9),
    ("Self-serve reporting for mid-market accounts", False, 5, 8),
)
PREVIOUS_PRIORITIES = (
    ("Shorten time to first invoice", False, 2, 1),
    ("SSO and SCIM for enterprise customers", True, 6, 2),
    ("Custom contract terms for the Globex renewal", True, 8, 4),
    ("Rebuild the reporting engine", False, 1, 5),
    ("Launch in German and Japanese", False, 4, 6),
    ("Close the three largest deals in the pipeline", True, 7, 3),
    ("Activation: first success in one sitting", False, 3, 7),
    ("Mobile app for field teams", False, 5, 8),
)
DEMO_PRIORITY_TITLES = tuple(sorted({title for title, *_ in PRIORITIES + PREVIOUS_PRIORITIES}))

# --- Delegation ------------------------------------------------------------------------------

# (name, difficulty, description)
AREAS = (
    ("Sprint scope", Difficulty.LOW, "What goes into the next sprint, within the quarter's plan."),
    (
        "Which customers to interview",
        Difficulty.LOW,
        "Who the team talks to, and how it recruits them.",
    ),
    (
        "Order of the quarter's roadmap",
        Difficulty.MEDIUM,
        "In which order the team tackles its committed outcomes.",
    ),
    ("Hiring into the team", Difficulty.MEDIUM, "Who joins the team, once a role is approved."),
    (
        "Design system changes",
        Difficulty.MEDIUM,
        "New components and patterns other teams will reuse.",
    ),
    (
        "Architecture and technology choices",
        Difficulty.HIGH,
        "Languages, data stores and services that outlive the team's current work.",
    ),
    (
        "Pricing and packaging",
        Difficulty.HIGH,
        "What customers pay for and which plan includes what.",
    ),
)
AREA_NAMES = tuple(name for name, _, _ in AREAS)
OVER_DELEGATED_AREA = "Architecture and technology choices"
MICROMANAGED_AREA = "Sprint scope"
DIFFICULTY_STEP = {Difficulty.LOW: 1, Difficulty.MEDIUM: 0, Difficulty.HIGH: -1}
CADENCE_WEEKS = 12
PM, WEAK_PM = 0.45, 0.2  # the competence part guessed for a team's product manager
# Which part of the trio a team role fills.
TRIO_PART: dict[str, str] = {
    TeamRole.PRODUCT_MANAGER: "product",
    TeamRole.DESIGN_LEAD: "design",
    TeamRole.DESIGNER: "design",
    TeamRole.TECH_LEAD: "engineering",
    TeamRole.ENGINEER: "engineering",
}


@dataclass
class StrategyDemo:
    objectives: int
    links: int
    check_id: int
    previous_check_id: int
    areas: int
    delegations: int
    stories: list[str] = field(default_factory=list)


def build_strategy_demo(org: DemoOrg, seed: int = 7, today: date | None = None) -> StrategyDemo:
    """Objectives mapped to work, two CEO/CPO checks and a delegation board, for today."""
    rng = random.Random(seed * 6007 + 17)
    today = today or timezone.localdate()
    with transaction.atomic():
        leaders = _leaders(org)
        admin = _login_of(org.head_of_product_id, ADMIN_USERNAME, Role.ADMIN)
        ceo = _login_of(org.ceo_id, CEO_USERNAME, Role.MANAGER)
        objectives, links = _objectives(leaders, admin, today)
        previous, current = _checks(admin, ceo, today)
        delegations = _delegation(org, rng, admin, today)
    return StrategyDemo(
        objectives=len(objectives),
        links=links,
        check_id=current.pk,
        previous_check_id=previous.pk,
        areas=len(AREAS),
        delegations=delegations,
        stories=_stories(org, today, (previous, current), objectives, ceo),
    )


def has_strategy_demo() -> bool:
    return (
        DecisionArea.objects.filter(name__in=AREA_NAMES).exists()
        or Objective.objects.filter(title__in=OBJECTIVE_TITLES).exists()
    )


def clear_strategy_demo() -> None:
    """Remove the demo's objectives, checks and decision areas (their levels go with them)."""
    Objective.objects.filter(title__in=OBJECTIVE_TITLES).delete()
    PriorityCheck.objects.filter(
        title__regex=CHECK_TITLE_PATTERN, priorities__title__in=DEMO_PRIORITY_TITLES
    ).distinct().delete()
    DecisionArea.objects.filter(name__in=AREA_NAMES).delete()


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    start = quarter_start(day)
    following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return following - timedelta(days=1)


def quarter_name(day: date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def _moment(day: date, hour: int = 9) -> datetime:
    """That day at that hour, but never later than now (a check opened this morning)."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), timezone.now())


def _leaders(org: DemoOrg) -> dict[str, int | None]:
    def titled(title: str) -> int | None:
        return (
            Person.objects.filter(active=True, title=title)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )

    gpms = list(
        Person.objects.filter(active=True, title=GPM_TITLE)
        .order_by("name", "pk")
        .values_list("pk", flat=True)[:2]
    )
    return {
        "ceo": org.ceo_id,
        "cpo": org.head_of_product_id,
        "sales": titled("VP Sales") or org.ceo_id,
        "gpm1": gpms[0] if gpms else org.head_of_product_id,
        "gpm2": gpms[-1] if gpms else org.head_of_product_id,
    }


def _login_of(person_id: int, username: str, role: Role) -> Any:
    """The person's login; a new one without a usable password when they have none.

    Not `accounts.actions.do_create_login`: it hashes a password, which costs a good part
    of a second, for a login whose password nobody would know anyway.
    """
    person = Person.objects.select_related("user").get(pk=person_id)
    if person.user is not None:
        return person.user
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": person.email})
    if created:
        user.set_unusable_password()
        user.is_staff = user.is_superuser = role is Role.ADMIN
        user.save()
        Account.objects.update_or_create(user=user, defaults={"role": role})
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
    person.user = user
    person.save(update_fields=["user"])
    return user


# -- objectives ---------------------------------------------------------------------------------


def _objectives(
    leaders: dict[str, int | None], admin: Any, today: date
) -> tuple[list[Objective], int]:
    start, end = quarter_start(today), quarter_end(today)
    by_key: dict[str, Objective] = {}
    people = Person.objects.in_bulk([pk for pk in leaders.values() if pk is not None])
    owners = {key: people.get(pk) if pk is not None else None for key, pk in leaders.items()}
    for level in (COMPANY, PRODUCT):  # company objectives first: they are the parents
        for spec in OBJECTIVES:
            if spec.level != level:
                continue
            by_key[spec.key] = do_save_objective(
                admin,
                None,
                level=spec.level,
                title=spec.title,
                description=spec.description,
                period_start=start,
                period_end=end,
                owner=owners[spec.owner],
                parent=by_key.get(spec.parent),
            )
    epics = _open_epics_by_project([team for mapped in MAPPED_EPICS.values() for team, _ in mapped])
    mapped_at = _moment(min(start + timedelta(days=5), today), 11)
    links = [
        ObjectiveLink(objective=by_key[key], item_id=epic, by=admin, at=mapped_at)
        for key, teams in MAPPED_EPICS.items()
        for team, count in teams
        for epic in epics.get(team, [])[:count]
    ]
    # Direct: `do_link_items` stamps the link now; the demo maps the epics early in the quarter.
    ObjectiveLink.objects.bulk_create(links)
    do_add_rule(admin, by_key["escalations"], kind=AlignmentRule.Kind.LABEL, value=ESCALATION_LABEL)
    return list(by_key.values()), len(links)


def _open_epics_by_project(projects: list[str]) -> dict[str, list[int]]:
    """Each project's epics, the open ones first, then by key."""
    rows = Item.objects.filter(project__in=projects, type=ItemType.EPIC).values_list(
        "pk", "project", "status_category", "key"
    )
    epics: dict[str, list[int]] = {}
    for pk, project, _, _ in sorted(rows, key=lambda row: (row[2] == StatusCategory.DONE, row[3])):
        epics.setdefault(project, []).append(pk)
    return epics


# -- the CEO/CPO check --------------------------------------------------------------------------


def _checks(admin: Any, ceo: Any, today: date) -> tuple[PriorityCheck, PriorityCheck]:
    start = quarter_start(today)
    last_quarter = start - timedelta(days=1)
    previous = _check(
        f"{quarter_name(last_quarter)} priorities",
        PREVIOUS_PRIORITIES,
        admin,
        ceo,
        opened=quarter_start(last_quarter) + timedelta(days=6),
        closed=True,
    )
    current = _check(
        f"{quarter_name(today)} priorities",
        PRIORITIES,
        admin,
        ceo,
        opened=min(start + timedelta(days=6), today),
        closed=False,
        previous=previous,
        today=today,
    )
    return previous, current


def _check(
    title: str,
    priorities: tuple[tuple[str, bool, int, int], ...],
    admin: Any,
    ceo: Any,
    *,
    opened: date,
    closed: bool,
    previous: PriorityCheck | None = None,
    today: date | None = None,
) -> PriorityCheck:
    # Direct, check, priorities and rankings: `do_create_check` and `do_submit_ranking` stamp
    # them now (the demo's checks were opened and ranked days or a quarter ago) and number the
    # priorities from 1 where the demo's are numbered from 0.
    check = PriorityCheck.objects.create(
        title=title, created_by=admin, created_at=_moment(opened), previous=previous, closed=closed
    )
    check.participants.set([admin, ceo])
    rows = Priority.objects.bulk_create(
        Priority(priority_check=check, title=entry[0], position=position)
        for position, entry in enumerate(priorities)
    )
    last_day = today or opened + timedelta(days=7)
    rankings = Ranking.objects.bulk_create(
        [
            Ranking(
                priority_check=check,
                author=admin,
                submitted_at=_moment(min(opened + timedelta(days=1), last_day), 16),
            ),
            Ranking(
                priority_check=check,
                author=ceo,
                submitted_at=_moment(min(opened + timedelta(days=3), last_day), 18),
            ),
        ]
    )
    RankEntry.objects.bulk_create(
        RankEntry(ranking=ranking, priority=priority, rank=entry[column])
        for ranking, column in zip(rankings, (2, 3), strict=True)
        for priority, entry in zip(rows, priorities, strict=True)
    )
    return check


def kendall_tau_of(priorities: tuple[tuple[str, bool, int, int], ...]) -> float:
    """Kendall's tau of the two demo rankings (no ties): (concordant − discordant) / pairs."""
    pairs = score = 0
    for position, first in enumerate(priorities):
        for second in priorities[position + 1 :]:
            pairs += 1
            score += 1 if (first[2] - second[2]) * (first[3] - second[3]) > 0 else -1
    return score / pairs


# -- delegation ---------------------------------------------------------------------------------


def _delegation(org: DemoOrg, rng: random.Random, admin: Any, today: date) -> int:
    areas = [
        do_save_area(admin, None, name=name, description=description, difficulty=difficulty)
        for name, difficulty, description in AREAS
    ]
    teams = list(Team.objects.filter(parent__isnull=False).order_by("name", "pk"))
    least, most = silent_team_id(org), mature_team_id(org)
    maturity = _rough_maturity(org, teams, today)
    rows = []
    for team in teams:
        for area in areas:
            # Leaders follow the team's maturity: off by a step at most from what the board
            # recommends (the competence part is a guess), so only the planted cells stand out.
            suggested = 1 + 6 * maturity[team.pk] + DIFFICULTY_STEP[Difficulty(area.difficulty)]
            level = int(suggested + 0.5)
            note = ""
            if team.pk == least and area.name == OVER_DELEGATED_AREA:
                level = 7
                note = "The tech lead asked to own this while the team has no designer."
            elif team.pk == most and area.name == MICROMANAGED_AREA:
                level = 1
                note = "Set after last year's missed launch; not revisited since."
            rows.append(
                Delegation(
                    team=team,
                    area=area,
                    level=max(1, min(7, level)),
                    note=note,
                    updated_by=admin,
                    updated_at=_moment(today - timedelta(days=rng.randint(3, 60)), 15),
                )
            )
    # Direct: `do_set_delegation` stamps each level now (the board shows weeks-old levels) and
    # costs three queries a cell.
    Delegation.objects.bulk_create(rows)
    return len(rows)


def _rough_maturity(org: DemoOrg, teams: list[Team], today: date) -> dict[int, float]:
    """Each team's maturity in [0, 1], roughly as the board will see it.

    Half from the PM's competence, guessed: the PMs of the sales-led and the silent team
    are the weakest (as the competency demo assesses them); a quarter from the trio; a
    quarter from the weeks with a customer touchpoint among the last twelve complete ones.
    """
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=CADENCE_WEEKS)
    weeks: dict[int, set[int]] = {team.pk: set() for team in teams}
    touchpoints = Touchpoint.objects.filter(
        team__in=teams, date__gte=first, date__lt=monday, kind__in=discovery_kinds()
    )
    for team_id, day in touchpoints.values_list("team_id", "date"):
        weeks[team_id].add((day - first).days // 7)
    roles: dict[int, set[str]] = {team.pk: set() for team in teams}
    for team_id, role in TeamMembership.objects.filter(
        team__in=teams, person__active=True
    ).values_list("team_id", "role"):
        roles[team_id].add(TRIO_PART.get(role, ""))
    maturity = {}
    for team in teams:
        competence = WEAK_PM if team.pk in (org.enterprise_team_id, org.no_designer_team_id) else PM
        trio = len(roles[team.pk] - {""}) / 3
        cadence = len(weeks[team.pk]) / CADENCE_WEEKS
        maturity[team.pk] = 0.5 * competence + 0.25 * trio + 0.25 * cadence
    return maturity


# -- stories ------------------------------------------------------------------------------------


def _stories(
    org: DemoOrg,
    today: date,
    checks: tuple[PriorityCheck, PriorityCheck],
    objectives: list[Objective],
    ceo: Any,
) -> list[str]:
    previous, current = checks
    empty = next(spec.title for spec in OBJECTIVES if spec.key == EMPTY_OBJECTIVE)
    least_id, most_id = silent_team_id(org), mature_team_id(org)
    names = dict(Team.objects.filter(pk__in=[least_id, most_id or 0]).values_list("pk", "name"))
    password = (
        ""
        if ceo.has_usable_password()
        else f" (give it a password first: productops changepassword {ceo.username})"
    )
    stories = [
        f"Strategy: {len(objectives)} objectives for {quarter_name(today)}; most of the "
        f"backlog traces to none of them, and \u201c{empty}\u201d has no work at all. "
        "See strategy alignment.",
        f"Strategy: in \u201c{current.title}\u201d {org.ceo_name} (CEO) ranks the "
        f"sales-driven priorities high and {org.head_of_product_name} low (Kendall's tau "
        f"{kendall_tau_of(PRIORITIES):.2f}, up from {kendall_tau_of(PREVIOUS_PRIORITIES):.2f} "
        f"in \u201c{previous.title}\u201d). The CEO signs in as `{ceo.username}`{password}.",
    ]
    if least_id in names and most_id in names:
        stories.append(
            f"Strategy: on the delegation board {names[least_id]} decides "
            f"{OVER_DELEGATED_AREA.lower()} alone, while {names[most_id]} is told its "
            f"{MICROMANAGED_AREA.lower()}."
        )
    return stories
