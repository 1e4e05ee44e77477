"""The demo organization: a realistic SaaS company with four planted problems.

The demo is the product's shop window. A head of product who loads it should recognise
their own company: a CEO, a CPO with group product managers, stream-aligned product
teams with a trio each, engineering and design orgs, and the business functions around
them. Four problems are planted for the org audit to find, at every size:

1. the head of customer support manages about 40 support agents directly;
2. the Reporting team has a PM and engineers but no designer at all;
3. the PM of Enterprise Deals reports to the Director of Sales Engineering;
4. one PM is the product manager of three teams at once.

The same seed always gives the same company. Planning happens in memory first; the plan
is then written with a handful of bulk inserts, one per level of the reporting tree, so
2,000 people cost about as many queries as 200 (SQLite still splits each insert into
batches of its variable limit).

Planted people and teams are found again by their fixed titles and team names, so the
demo command can report them for a database the demo filled earlier.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from productops.org.models import Discipline, Person, Team, TeamMembership, TeamRole

DEFAULT_PEOPLE = 150
DEFAULT_SEED = 7
MIN_PEOPLE = 60
EMAIL_DOMAIN = "demo.example"

# The titles and team names the planted problems hang on; read_demo_org finds them again.
CEO_TITLE = "Chief Executive Officer"
CPO_TITLE = "Chief Product Officer"
GPM_TITLE = "Group Product Manager"
SUPPORT_HEAD_TITLE = "Head of Customer Support"
SALES_LEADER_TITLE = "Director of Sales Engineering"
ENTERPRISE_TEAM = "Enterprise Deals"
NO_DESIGNER_TEAM = "Reporting"
SPREAD_PM_TEAMS = ("Onboarding", "Notifications", "Localization")

# The head of support's direct reports: about 40, never fewer than 17 (the audit calls a
# span above 15 critical).
SUPPORT_SPAN = 40
MIN_SUPPORT_SPAN = 17
# Every other manager keeps a span the audit finds healthy.
MANAGER_SPAN = 6
INACTIVE_SHARE = 0.02
YEARS_OF_HISTORY = 6

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoOrg:
    """What the demo holds: counts, the login people and the planted problems."""

    people: int
    active_people: int
    teams: int  # every team, the groups included
    product_teams: int
    groups: int
    memberships: int
    ceo_id: int
    ceo_name: str
    head_of_product_id: int
    head_of_product_name: str
    # The group product manager behind the `manager` login, and one of their PMs behind
    # the `member` login.
    group_pm_id: int
    group_pm_name: str
    member_pm_id: int
    member_pm_name: str
    # Planted 1: a span of control nobody can hold 1:1s for.
    support_head_id: int
    support_head_name: str
    support_head_reports: int
    # Planted 2: a product team without a designer.
    no_designer_team_id: int
    no_designer_team_name: str
    # Planted 3: a PM managed from sales, on a team named for deals.
    sales_led_pm_id: int
    sales_led_pm_name: str
    sales_leader_id: int
    sales_leader_name: str
    enterprise_team_id: int
    enterprise_team_name: str
    # Planted 4: a PM spread over three teams.
    spread_pm_id: int
    spread_pm_name: str
    spread_pm_team_ids: tuple[int, ...]
    spread_pm_team_names: tuple[str, ...]

    def planted_problems(self) -> list[str]:
        """One sentence per planted problem, in the words the audit uses."""
        return [
            f"{self.support_head_name} ({SUPPORT_HEAD_TITLE}) manages "
            f"{self.support_head_reports} people directly: span of control and 1:1 load.",
            f"{self.no_designer_team_name} has a product manager and engineers but no "
            "designer: an incomplete trio.",
            f"{self.sales_led_pm_name}, product manager of {self.enterprise_team_name}, "
            f"reports to {self.sales_leader_name} ({SALES_LEADER_TITLE}): a PM managed "
            "outside product.",
            f"{self.spread_pm_name} is the product manager of "
            f"{_join(self.spread_pm_team_names)}: one PM spread over three teams.",
        ]


def build_demo_org(
    people: int = DEFAULT_PEOPLE, seed: int = DEFAULT_SEED, *, progress: Progress | None = None
) -> DemoOrg:
    """Create the demo company in an empty organization and return what was planted."""
    if people < MIN_PEOPLE:
        raise ValueError(f"The demo organization needs at least {MIN_PEOPLE} people.")
    report = progress or (lambda message: None)
    report(f"Planning {people} people")
    plan = _fit_plan(people, seed, timezone.localdate())
    with transaction.atomic():
        _save_plan(plan, report)
    demo = read_demo_org()
    if demo is None:  # pragma: no cover - the plan always holds the planted problems
        raise RuntimeError("The demo organization was saved without its planted problems.")
    return demo


def read_demo_org() -> DemoOrg | None:
    """The demo's facts read back from the database; None when it is not the demo."""
    active = Person.objects.filter(active=True)
    ceo = active.filter(title=CEO_TITLE).order_by("pk").first()
    head = active.filter(title=CPO_TITLE).order_by("pk").first()
    support_head = (
        active.filter(title=SUPPORT_HEAD_TITLE)
        .annotate(reports=Count("direct_reports", filter=Q(direct_reports__active=True)))
        .order_by("pk")
        .first()
    )
    teams = {team.name: team for team in Team.objects.filter(name__in=_planted_team_names())}
    if ceo is None or head is None or support_head is None or len(teams) != 5:
        return None
    pms = _product_managers_of(list(teams.values()))
    sales_led_pm = pms.get(teams[ENTERPRISE_TEAM].pk, [None])[0]
    spread = [pms.get(teams[name].pk, []) for name in SPREAD_PM_TEAMS]
    shared = set.intersection(*({pm.pk for pm in team_pms} for team_pms in spread))
    if sales_led_pm is None or sales_led_pm.manager is None or not shared:
        return None
    spread_pm = next(pm for pm in spread[0] if pm.pk in shared)
    group_pm, member_pm = _login_product_people()
    if group_pm is None or member_pm is None:
        return None
    all_teams = Team.objects.all()
    return DemoOrg(
        people=Person.objects.count(),
        active_people=active.count(),
        teams=all_teams.count(),
        product_teams=all_teams.filter(parent__isnull=False).count(),
        groups=all_teams.filter(parent__isnull=True).count(),
        memberships=TeamMembership.objects.count(),
        ceo_id=ceo.pk,
        ceo_name=ceo.name,
        head_of_product_id=head.pk,
        head_of_product_name=head.name,
        group_pm_id=group_pm.pk,
        group_pm_name=group_pm.name,
        member_pm_id=member_pm.pk,
        member_pm_name=member_pm.name,
        support_head_id=support_head.pk,
        support_head_name=support_head.name,
        support_head_reports=support_head.reports,
        no_designer_team_id=teams[NO_DESIGNER_TEAM].pk,
        no_designer_team_name=NO_DESIGNER_TEAM,
        sales_led_pm_id=sales_led_pm.pk,
        sales_led_pm_name=sales_led_pm.name,
        sales_leader_id=sales_led_pm.manager.pk,
        sales_leader_name=sales_led_pm.manager.name,
        enterprise_team_id=teams[ENTERPRISE_TEAM].pk,
        enterprise_team_name=ENTERPRISE_TEAM,
        spread_pm_id=spread_pm.pk,
        spread_pm_name=spread_pm.name,
        spread_pm_team_ids=tuple(teams[name].pk for name in SPREAD_PM_TEAMS),
        spread_pm_team_names=SPREAD_PM_TEAMS,
    )


def _planted_team_names() -> list[str]:
    return [ENTERPRISE_TEAM, NO_DESIGNER_TEAM, *SPREAD_PM_TEAMS]


def _product_managers_of(teams: list[Team]) -> dict[int, list[Person]]:
    pms: dict[int, list[Person]] = {}
    memberships = (
        TeamMembership.objects.filter(team__in=teams, role=TeamRole.PRODUCT_MANAGER)
        .select_related("person__manager")
        .order_by("person__pk")
    )
    for membership in memberships:
        pms.setdefault(membership.team_id, []).append(membership.person)
    return pms


def _login_product_people() -> tuple[Person | None, Person | None]:
    """The first group product manager, by name, with a PM reporting to them, and that PM."""
    leads_a_team = Q(memberships__role=TeamRole.PRODUCT_MANAGER)
    reports = Person.objects.filter(
        leads_a_team, active=True, discipline=Discipline.PRODUCT, manager__title=GPM_TITLE
    ).select_related("manager")
    first = (
        reports.filter(manager__active=True)
        .order_by("manager__name", "manager__pk", "name", "pk")
        .first()
    )
    if first is None:
        return None, None
    return first.manager, first


def _join(names: Sequence[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


# --- Names -----------------------------------------------------------------------------

FIRST_NAMES = (
    "Aisha", "Akira", "Alejandro", "Amara", "Ana", "Anders", "Ania", "Arjun", "Astrid",
    "Ayodele", "Bea", "Bilal", "Camille", "Carlos", "Chen", "Chiara", "Chidi", "Dalia",
    "Daniel", "Darius", "Deepa", "Diego", "Dmitri", "Elena", "Elif", "Emeka", "Emma",
    "Esra", "Fatima", "Felix", "Freya", "Gabriel", "Hana", "Hiroshi", "Ines", "Ingrid",
    "Isabel", "Ivan", "Jamal", "Javier", "Jin", "Joao", "Jonas", "José", "Julia", "Kai",
    "Kavya", "Keanu", "Kenji", "Kofi", "Lara", "Leila", "Lena", "Liam", "Lucía", "Luis",
    "Maya", "Mei", "Mateo", "Mehmet", "Mina", "Nadia", "Naledi", "Nikhil", "Noah", "Nora",
    "Olga", "Omar", "Oskar", "Paulo", "Priya", "Rafael", "Rania", "Ravi", "Rosa", "Sakura",
    "Samir", "Sara", "Sebastian", "Sofia", "Tariq", "Thandiwe", "Tomás", "Valentina",
    "Wei", "Yara", "Yusuf", "Zanele", "Zoë", "Zainab",
)  # fmt: skip

LAST_NAMES = (
    "Abebe", "Adeyemi", "Ahmed", "Alvarez", "Andersen", "Bakker", "Banerjee", "Becker",
    "Bianchi", "Castillo", "Chen", "Costa", "Dubois", "Dlamini", "Eriksson", "Fernandes",
    "Fischer", "Garcia", "Gonzalez", "Gupta", "Haddad", "Hansen", "Hernandez", "Horvath",
    "Ibrahim", "Ito", "Iyer", "Jansen", "Kaur", "Kim", "Kowalski", "Kruger", "Larsen",
    "Lee", "Lindqvist", "Lopez", "Mahlangu", "Martin", "Mendoza", "Moreau", "Müller",
    "Murphy", "Nakamura", "Nguyen", "Novak", "Nowak", "Okafor", "Okonkwo", "O'Brien",
    "Oliveira", "Owusu", "Park", "Patel", "Pereira", "Petrov", "Popescu", "Rahman",
    "Reddy", "Rossi", "Santos", "Sato", "Schmidt", "Silva", "Singh", "Sokolova", "Suzuki",
    "Tanaka", "Taylor", "Tran", "Van der Berg", "Varga", "Walker", "Wang", "Yamamoto",
    "Yilmaz", "Zhang", "Zulu",
)  # fmt: skip


class _Names:
    """Full names from our lists, with unique first.last emails."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def next(self) -> tuple[str, str]:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        base = f"{_email_part(first)}.{_email_part(last)}"
        local, suffix = base, 1
        while local in self.used:
            suffix += 1
            local = f"{base}{suffix}"
        self.used.add(local)
        return f"{first} {last}", f"{local}@{EMAIL_DOMAIN}"


def _email_part(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(char for char in plain.lower() if char.isalnum())


# --- Titles and levels -------------------------------------------------------------------

# (title, career level) steps an individual contributor can be at, with how common each is.
Ladder = tuple[tuple[str, str, int], ...]

ENGINEER_LADDER: Ladder = (
    ("Software Engineer", "L3", 3),
    ("Software Engineer", "L4", 4),
    ("Senior Software Engineer", "L5", 4),
    ("Staff Engineer", "L6", 1),
)
TECH_LEAD_LADDER: Ladder = (("Senior Software Engineer", "L5", 3), ("Staff Engineer", "L6", 1))
PM_LADDER: Ladder = (
    ("Associate Product Manager", "L3", 1),
    ("Product Manager", "L4", 4),
    ("Senior Product Manager", "L5", 4),
    ("Principal Product Manager", "L6", 1),
)
DESIGNER_LADDER: Ladder = (
    ("Product Designer", "L3", 2),
    ("Product Designer", "L4", 3),
    ("Senior Product Designer", "L5", 3),
    ("Lead Product Designer", "L6", 1),
)
SUPPORT_LADDER: Ladder = (
    ("Customer Support Specialist", "L2", 4),
    ("Customer Support Specialist", "L3", 3),
    ("Senior Customer Support Specialist", "L4", 2),
)
SALES_LADDER: Ladder = (
    ("Sales Development Representative", "L3", 3),
    ("Account Executive", "L4", 4),
    ("Senior Account Executive", "L5", 2),
    ("Enterprise Account Executive", "L6", 1),
)
SALES_ENGINEER_LADDER: Ladder = (("Sales Engineer", "L4", 2), ("Senior Sales Engineer", "L5", 1))
MARKETING_LADDER: Ladder = (
    ("Marketing Operations Specialist", "L3", 1),
    ("Content Marketing Manager", "L4", 2),
    ("Product Marketing Manager", "L5", 3),
    ("Growth Marketing Manager", "L5", 2),
)
DATA_LADDER: Ladder = (
    ("Data Analyst", "L4", 3),
    ("Analytics Engineer", "L4", 1),
    ("Senior Data Analyst", "L5", 2),
    ("Data Scientist", "L5", 2),
)

LADDERS: dict[str, Ladder] = {
    Discipline.ENGINEERING: ENGINEER_LADDER,
    Discipline.PRODUCT: PM_LADDER,
    Discipline.DESIGN: DESIGNER_LADDER,
    Discipline.SUPPORT: SUPPORT_LADDER,
    Discipline.SALES: SALES_LADDER,
    Discipline.MARKETING: MARKETING_LADDER,
    Discipline.DATA: DATA_LADDER,
}

# The executives under the CEO: (discipline, title).
EXECUTIVES = (
    (Discipline.PRODUCT, CPO_TITLE),
    (Discipline.ENGINEERING, "Chief Technology Officer"),
    (Discipline.DESIGN, "Head of Design"),
    (Discipline.SALES, "VP Sales"),
    (Discipline.MARKETING, "VP Marketing"),
    (Discipline.SUPPORT, SUPPORT_HEAD_TITLE),
    (Discipline.DATA, "Head of Data"),
)


# --- Teams -------------------------------------------------------------------------------

GROUPS = (
    ("Growth", "Turn visitors into customers who stay."),
    ("Core Platform", "The product every customer uses every day, fast and dependable."),
    ("Enterprise", "Win and keep the largest customers without forking the product."),
    ("Customer Experience", "Customers solve their own problems and tell us what hurts."),
    ("Data & Insights", "Customers understand their own data and act on it."),
)
# Where a team of a group the company is too small to have goes instead.
GROUP_FALLBACK = {"Customer Experience": "Growth", "Data & Insights": "Enterprise"}

# (name, product area, mission, group)
TEAM_CATALOGUE = (
    ("Onboarding", "Activation", "New accounts reach their first success in one sitting.", "Growth"),
    ("Checkout", "Revenue", "Paying is effortless, in every currency we sell in.", "Growth"),
    ("Pricing & Packaging", "Revenue", "Plans customers understand and upgrade through.", "Growth"),
    ("Trials", "Activation", "Trial users see the value before the trial ends.", "Growth"),
    ("Referrals", "Acquisition", "Happy customers bring their peers with one click.", "Growth"),
    ("Lifecycle Messaging", "Retention", "The right nudge at the right moment, never spam.", "Growth"),
    ("Growth Experiments", "Acquisition", "Learn weekly what moves sign-up and activation.", "Growth"),
    ("Notifications", "Engagement", "People hear about what matters to them, and only that.", "Core Platform"),
    ("Localization", "Internationalization", "The product feels native in every language we sell in.", "Core Platform"),
    ("Search & Discovery", "Findability", "Anything in an account is found in seconds.", "Core Platform"),
    ("Identity", "Accounts", "Signing in is safe and never in the way.", "Core Platform"),
    ("Integrations", "Ecosystem", "The product fits into the tools customers already use.", "Core Platform"),
    ("Mobile App", "Mobile", "Everything urgent can be done from a phone.", "Core Platform"),
    ("Public API", "Ecosystem", "Developers build on us without asking us.", "Core Platform"),
    ("Workflow Automation", "Productivity", "Repetitive work runs by itself.", "Core Platform"),
    ("Admin Console", "Administration", "Admins manage hundreds of users without a ticket.", "Core Platform"),
    ("Performance", "Reliability", "Every page answers in under a second.", "Core Platform"),
    ("Enterprise Deals", "Enterprise", "Close large deals with what the product already does.", "Enterprise"),
    ("Billing", "Revenue", "Invoices are right the first time, every time.", "Enterprise"),
    ("Permissions & Roles", "Administration", "Each person sees exactly what they should.", "Enterprise"),
    ("SSO & Provisioning", "Accounts", "Large customers onboard thousands of seats in a day.", "Enterprise"),
    ("Compliance", "Trust", "Security reviews pass without a custom build.", "Enterprise"),
    ("Audit Trail", "Trust", "Every change can be traced to a person and a moment.", "Enterprise"),
    ("Help Center", "Self-service", "Customers find the answer before they open a ticket.", "Customer Experience"),
    ("Customer Portal", "Self-service", "Customers manage their account on their own.", "Customer Experience"),
    ("In-app Guidance", "Adoption", "People discover the features they pay for.", "Customer Experience"),
    ("Feedback Loop", "Voice of the customer", "Every piece of feedback reaches the team that can act.", "Customer Experience"),
    ("Accessibility", "Inclusion", "Everyone can use the product, whatever their abilities.", "Customer Experience"),
    ("Reporting", "Analytics", "Customers answer their own questions with their data.", "Data & Insights"),
    ("Dashboards", "Analytics", "The state of the business at a glance.", "Data & Insights"),
    ("Data Exports", "Analytics", "Customers take their data anywhere, on a schedule.", "Data & Insights"),
    ("Forecasting", "Planning", "Customers see next quarter before it happens.", "Data & Insights"),
    ("Usage Insights", "Analytics", "Customers see who uses what, and what to do next.", "Data & Insights"),
)  # fmt: skip

# Names for the extra teams a large company needs: a subject and an aspect of it.
TEAM_SUBJECTS = (
    "Account", "Approval", "Asset", "Calendar", "Catalog", "Contract", "Document", "Field",
    "Import", "Inventory", "Invoice", "Order", "Partner", "Project", "Survey", "Template",
    "Workspace", "Payment", "Schedule", "Ticket",
)  # fmt: skip
TEAM_ASPECTS = (
    "Automation", "Alerts", "History", "Insights", "Search", "Settings", "Sharing", "Sync",
    "Timeline", "Workflows", "Health", "Exports",
)  # fmt: skip


@dataclass
class _PlannedTeam:
    name: str
    product_area: str
    mission: str
    group: int  # index into the plan's groups
    members: list[tuple[int, str]] = field(default_factory=list)  # (seat, TeamRole)

    def seat_with(self, role: str) -> int | None:
        return next((seat for seat, seat_role in self.members if seat_role == role), None)


@dataclass
class _Seat:
    name: str
    email: str
    discipline: str
    title: str
    level: str
    start_date: date
    manager: int | None = None
    active: bool = True


@dataclass
class _Plan:
    seats: list[_Seat]
    groups: list[_PlannedTeam]
    teams: list[_PlannedTeam]


@dataclass(frozen=True)
class _Growth:
    """How the people beyond the company's minimum shape are spread."""

    engineers: int = 0
    sales: int = 0
    marketing: int = 0
    data: int = 0
    support: int = 0

    @classmethod
    def split(cls, extra: int, engineer_room: int, support_room: int) -> _Growth:
        engineers = min(engineer_room, extra * 2 // 5)
        rest = extra - engineers
        support = min(support_room, rest // 5)
        data = rest // 5
        marketing = rest // 4
        return cls(engineers, rest - support - data - marketing, marketing, data, support)


def _fit_plan(people: int, seed: int, today: date) -> _Plan:
    """The plan for exactly `people` people: as many teams as fit, then grown to size."""
    support_span = _support_span(people)
    alumni = max(1, round(people * INACTIVE_SHARE))
    teams = max(5, round(people / 15))
    while True:
        minimum = _Planner(seed, today, teams, support_span, alumni, _Growth()).plan()
        if len(minimum.seats) <= people or teams == 5:
            break
        teams -= 1
    if len(minimum.seats) > people:  # pragma: no cover - MIN_PEOPLE keeps this away
        raise ValueError(f"The demo organization needs at least {len(minimum.seats)} people.")
    engineer_room = teams * (_MAX_TEAM_ENGINEERS - _min_team_engineers(support_span))
    support_room = support_span * MANAGER_SPAN
    growth = _Growth.split(people - len(minimum.seats), engineer_room, support_room)
    plan = _Planner(seed, today, teams, support_span, alumni, growth).plan()
    assert len(plan.seats) == people, (len(plan.seats), people)
    return plan


def _support_span(people: int) -> int:
    if people >= 100:
        return SUPPORT_SPAN
    # Scaled down for small companies, still far above the critical threshold.
    return max(MIN_SUPPORT_SPAN, MIN_SUPPORT_SPAN + (people - MIN_PEOPLE) * 23 // 40)


_MAX_TEAM_ENGINEERS = 6  # besides the tech lead


def _min_team_engineers(support_span: int) -> int:
    # A small company runs leaner teams: a tech lead and two engineers.
    return 3 if support_span >= SUPPORT_SPAN else 2


class _Planner:
    """Lays out one company in memory: seats (people) and teams, by index."""

    def __init__(
        self,
        seed: int,
        today: date,
        team_count: int,
        support_span: int,
        alumni: int,
        growth: _Growth,
    ) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.team_count = team_count
        self.support_span = support_span
        self.alumni = alumni
        self.growth = growth
        self.names = _Names(self.rng)
        self.seats: list[_Seat] = []
        self.gpms: list[int] = []

    def plan(self) -> _Plan:
        ceo = self._add(Discipline.LEADERSHIP, CEO_TITLE, "L9", years=(5, 6))
        heads = {
            discipline: self._add(discipline, title, "L8", manager=ceo, years=(3, 6))
            for discipline, title in EXECUTIVES
        }
        groups, teams = self._plan_teams()
        self._plan_product(heads[Discipline.PRODUCT], heads[Discipline.SALES], teams)
        self._plan_design(heads[Discipline.DESIGN], teams)
        self._plan_engineering(heads[Discipline.ENGINEERING], teams)
        self._plan_data(heads[Discipline.DATA], teams)
        self._plan_marketing(heads[Discipline.MARKETING])
        self._plan_support(heads[Discipline.SUPPORT])
        self._plan_group_leads(groups, teams, heads)
        self._plan_alumni()
        return _Plan(self.seats, groups, teams)

    # People

    def _add(
        self,
        discipline: str,
        title: str,
        level: str,
        *,
        manager: int | None = None,
        years: tuple[float, float] = (0.05, YEARS_OF_HISTORY),
        active: bool = True,
    ) -> int:
        name, email = self.names.next()
        days = self.rng.randint(int(years[0] * 365), int(years[1] * 365))
        self.seats.append(
            _Seat(
                name=name,
                email=email,
                discipline=discipline,
                title=title,
                level=level,
                start_date=self.today - timedelta(days=days),
                manager=manager,
                active=active,
            )
        )
        return len(self.seats) - 1

    def _add_contributor(
        self, discipline: str, ladder: Ladder, manager: int | None = None, active: bool = True
    ) -> int:
        title, level, _ = self.rng.choices(ladder, weights=[step[2] for step in ladder])[0]
        return self._add(discipline, title, level, manager=manager, active=active)

    def _manage_in_layers(
        self,
        top: int,
        reports: list[int],
        layers: Sequence[tuple[str, str]],
        *,
        min_layers: int = 0,
    ) -> None:
        """Put `reports` under `top`, adding layers of managers while a span is too wide."""
        discipline = self.seats[top].discipline
        depth = 0
        while len(reports) > MANAGER_SPAN or depth < min_layers:
            title, level = layers[min(depth, len(layers) - 1)]
            managers = []
            for chunk in _even_chunks(reports, math.ceil(len(reports) / MANAGER_SPAN)):
                manager = self._add(discipline, title, level, years=(1, YEARS_OF_HISTORY))
                for seat in chunk:
                    self.seats[seat].manager = manager
                managers.append(manager)
            reports, depth = managers, depth + 1
        for seat in reports:
            self.seats[seat].manager = top

    def _department(self, head: int, size: int, ladder: Ladder, manager_title: str) -> list[int]:
        """`size` people under `head` in a full tree of spans; returns the contributors."""
        discipline = self.seats[head].discipline
        seats = [self._add_contributor(discipline, ladder) for _ in range(size)]
        contributors = []
        for position, seat in enumerate(seats):
            parent = position // MANAGER_SPAN - 1
            self.seats[seat].manager = head if parent < 0 else seats[parent]
            if position * MANAGER_SPAN + MANAGER_SPAN < size:
                self.seats[seat].title, self.seats[seat].level = manager_title, "L6"
            else:
                contributors.append(seat)
        return contributors

    # Teams

    def _plan_teams(self) -> tuple[list[_PlannedTeam], list[_PlannedTeam]]:
        group_count = 3 if self.team_count < 30 else 4 if self.team_count < 80 else 5
        groups = [
            _PlannedTeam(name, product_area=name, mission=mission, group=-1)
            for name, mission in GROUPS[:group_count]
        ]
        group_index = {group.name: position for position, group in enumerate(groups)}

        def group_of(name: str) -> int:
            return group_index.get(name, group_index.get(GROUP_FALLBACK.get(name, ""), 0))

        by_name = {entry[0]: entry for entry in TEAM_CATALOGUE}
        planted = _planted_team_names()
        others = [entry for entry in TEAM_CATALOGUE if entry[0] not in planted]
        self.rng.shuffle(others)
        chosen = [by_name[name] for name in planted] + others
        teams = [
            _PlannedTeam(name, area, mission, group_of(group))
            for name, area, mission, group in chosen[: self.team_count]
        ]
        for position, name in enumerate(self._extra_team_names(self.team_count - len(teams))):
            subject, aspect = name.rsplit(" ", 1)
            group = position % group_count
            mission = f"{subject} {aspect.lower()} customers rely on every week."
            teams.append(_PlannedTeam(name, groups[group].name, mission, group))
        # Ordered by group so product, design and engineering managers follow the groups.
        teams.sort(key=lambda team: (team.group, team.name))
        return groups, teams

    def _extra_team_names(self, count: int) -> list[str]:
        if count <= 0:
            return []
        names = [f"{subject} {aspect}" for subject in TEAM_SUBJECTS for aspect in TEAM_ASPECTS]
        self.rng.shuffle(names)
        rounds = math.ceil(count / len(names))
        numbered = [
            name if round_ == 0 else f"{name} {round_ + 1}"
            for round_ in range(rounds)
            for name in names
        ]
        return numbered[:count]

    def _plan_product(self, cpo: int, vp_sales: int, teams: list[_PlannedTeam]) -> None:
        spread_pm = None
        pms: list[int] = []
        for team in teams:
            if team.name == ENTERPRISE_TEAM:
                continue
            if team.name in SPREAD_PM_TEAMS:
                if spread_pm is None:
                    spread_pm = self._add(Discipline.PRODUCT, "Senior Product Manager", "L5")
                    pms.append(spread_pm)
                team.members.append((spread_pm, TeamRole.PRODUCT_MANAGER))
                continue
            pm = self._add_contributor(Discipline.PRODUCT, PM_LADDER)
            pms.append(pm)
            team.members.append((pm, TeamRole.PRODUCT_MANAGER))
        gpm_count = max(2, math.ceil(len(pms) / 5))
        gpms = self.gpms
        for chunk in _even_chunks(pms, gpm_count):
            gpm = self._add(Discipline.PRODUCT, GPM_TITLE, "L7", years=(1, YEARS_OF_HISTORY))
            for pm in chunk:
                self.seats[pm].manager = gpm
            gpms.append(gpm)
        self._manage_in_layers(cpo, gpms, [("Director of Product", "L8"), ("VP Product", "L8")])
        # Planted: the Enterprise Deals PM reports into sales, not product.
        sales_leader = self._add(Discipline.SALES, SALES_LEADER_TITLE, "L7", manager=vp_sales)
        enterprise = next(team for team in teams if team.name == ENTERPRISE_TEAM)
        sales_led_pm = self._add(Discipline.PRODUCT, "Product Manager", "L4", manager=sales_leader)
        enterprise.members.append((sales_led_pm, TeamRole.PRODUCT_MANAGER))
        sales_engineers = min(MANAGER_SPAN - 1, self.growth.sales // 8)
        for _ in range(sales_engineers):
            self._add_contributor(Discipline.SALES, SALES_ENGINEER_LADDER, sales_leader)
        # Sales grows by `growth.sales` beyond one account executive.
        account_team = self.growth.sales + 1 - sales_engineers
        self._department(vp_sales, account_team, SALES_LADDER, "Sales Manager")

    def _plan_design(self, head_of_design: int, teams: list[_PlannedTeam]) -> None:
        designers = []
        for team in teams:
            if team.name == NO_DESIGNER_TEAM:  # Planted: this team never got a designer.
                continue
            designer = self._add_contributor(Discipline.DESIGN, DESIGNER_LADDER)
            team.members.append((designer, TeamRole.DESIGN_LEAD))
            designers.append(designer)
        layers = [("Design Manager", "L6"), ("Director of Design", "L7")]
        # Even a small design team has a design manager, so that design has a seat among
        # the leaders (the people who manage managers) as product and engineering do.
        self._manage_in_layers(head_of_design, designers, layers, min_layers=1)

    def _plan_engineering(self, cto: int, teams: list[_PlannedTeam]) -> None:
        extra = self._extra_engineers_per_team(len(teams))
        managers = []
        for team, more in zip(teams, extra, strict=True):
            manager = self._add(
                Discipline.ENGINEERING, "Engineering Manager", "L6", years=(1, YEARS_OF_HISTORY)
            )
            managers.append(manager)
            tech_lead = self._add_contributor(Discipline.ENGINEERING, TECH_LEAD_LADDER, manager)
            team.members.append((tech_lead, TeamRole.TECH_LEAD))
            for _ in range(_min_team_engineers(self.support_span) + more):
                engineer = self._add_contributor(Discipline.ENGINEERING, ENGINEER_LADDER, manager)
                team.members.append((engineer, TeamRole.ENGINEER))
        layers = [("Director of Engineering", "L7"), ("VP Engineering", "L8")]
        self._manage_in_layers(cto, managers, layers)

    def _extra_engineers_per_team(self, team_count: int) -> list[int]:
        room = _MAX_TEAM_ENGINEERS - _min_team_engineers(self.support_span)
        slots = [team for team in range(team_count) for _ in range(room)]
        self.rng.shuffle(slots)
        extra = [0] * team_count
        for team in slots[: self.growth.engineers]:
            extra[team] += 1
        return extra

    def _plan_data(self, head_of_data: int, teams: list[_PlannedTeam]) -> None:
        analysts = self._department(
            head_of_data, 1 + self.growth.data, DATA_LADDER, "Analytics Manager"
        )
        # Some teams work with an embedded analyst; most share the central data team.
        embedded = self.rng.sample(teams, min(len(analysts), max(1, len(teams) // 3)))
        for team, analyst in zip(embedded, analysts, strict=False):
            team.members.append((analyst, TeamRole.ANALYST))

    def _plan_marketing(self, vp_marketing: int) -> None:
        self._department(
            vp_marketing, 1 + self.growth.marketing, MARKETING_LADDER, "Marketing Manager"
        )

    def _plan_support(self, support_head: int) -> None:
        # Planted: everyone in support reports to its head directly, or through one of
        # the agents who also leads a few others.
        agents = [
            self._add_contributor(Discipline.SUPPORT, SUPPORT_LADDER, support_head)
            for _ in range(self.support_span)
        ]
        more = self.growth.support
        leads = agents[: math.ceil(more / MANAGER_SPAN)]
        for lead in leads:
            self.seats[lead].title, self.seats[lead].level = "Support Team Lead", "L4"
        for position in range(more):
            self._add_contributor(Discipline.SUPPORT, SUPPORT_LADDER, leads[position % len(leads)])

    def _plan_group_leads(
        self,
        groups: list[_PlannedTeam],
        teams: list[_PlannedTeam],
        heads: dict[Discipline, int],
    ) -> None:
        """Each group is led by a trio: the product, design and engineering leads above it."""
        groups_led: Counter[int] = Counter()
        for position, group in enumerate(groups):
            members = [team for team in teams if team.group == position]
            for role in (TeamRole.PRODUCT_MANAGER, TeamRole.DESIGN_LEAD, TeamRole.TECH_LEAD):
                candidates = self._leads_above(members, role)
                if role == TeamRole.PRODUCT_MANAGER:
                    # A group product manager leading a third group would be one more PM
                    # spread thin, on top of the planted one.
                    candidates = [seat for seat in candidates + self.gpms if groups_led[seat] < 2]
                lead = candidates[0] if candidates else heads[_ROLE_DISCIPLINE[role]]
                groups_led[lead] += 1
                group.members.append((lead, role))

    def _leads_above(self, teams: list[_PlannedTeam], role: str) -> list[int]:
        """Managers of the teams' `role` holders, most common first (skip-level for tech)."""
        found: Counter[int] = Counter()
        for team in teams:
            seat = team.seat_with(role)
            if seat is None:
                continue
            manager = self.seats[seat].manager
            if role == TeamRole.TECH_LEAD and manager is not None:
                manager = self.seats[manager].manager  # above the engineering manager
            if (
                manager is not None
                and self.seats[manager].discipline == self.seats[seat].discipline
            ):
                found[manager] += 1
        return [manager for manager, _ in found.most_common()]

    def _plan_alumni(self) -> None:
        """People who left: still on record under their last manager, on no team."""
        reports = Counter(seat.manager for seat in self.seats if seat.manager is not None)
        candidates = [
            manager
            for manager, count in reports.items()
            if count < MANAGER_SPAN
            and self.seats[manager].discipline in LADDERS
            and self.seats[manager].title not in (SUPPORT_HEAD_TITLE, SALES_LEADER_TITLE)
        ]
        candidates.sort()
        chosen = self.rng.sample(candidates, min(self.alumni, len(candidates)))
        # A company with more leavers than quiet managers gives some managers two.
        chosen += self.rng.choices(candidates, k=self.alumni - len(chosen))
        for manager in chosen:
            discipline = self.seats[manager].discipline
            seat = self._add_contributor(discipline, LADDERS[discipline], manager, active=False)
            self.seats[seat].start_date = self.today - timedelta(
                days=self.rng.randint(2 * 365, YEARS_OF_HISTORY * 365)
            )


_ROLE_DISCIPLINE = {
    TeamRole.PRODUCT_MANAGER: Discipline.PRODUCT,
    TeamRole.DESIGN_LEAD: Discipline.DESIGN,
    TeamRole.TECH_LEAD: Discipline.ENGINEERING,
}


def _even_chunks(items: list[int], parts: int) -> list[list[int]]:
    size, remainder = divmod(len(items), parts)
    chunks, start = [], 0
    for part in range(parts):
        end = start + size + (1 if part < remainder else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


# --- Saving ------------------------------------------------------------------------------


def _save_plan(plan: _Plan, report: Progress) -> None:
    pks = _save_people(plan.seats, report)
    report(f"Saving {len(plan.groups) + len(plan.teams)} teams")
    # Direct: no action creates teams; `do_import_people` takes CSV rows, not a planned tree.
    groups = Team.objects.bulk_create(
        Team(name=group.name, mission=group.mission, product_area=group.product_area)
        for group in plan.groups
    )
    teams = Team.objects.bulk_create(
        Team(
            name=team.name,
            mission=team.mission,
            product_area=team.product_area,
            parent_id=groups[team.group].pk,
        )
        for team in plan.teams
    )
    report("Saving team memberships")
    TeamMembership.objects.bulk_create(
        TeamMembership(team_id=saved.pk, person_id=pks[seat], role=role)
        for planned, saved in zip(plan.groups + plan.teams, groups + teams, strict=True)
        for seat, role in planned.members
    )


def _pk_of(pks: list[int], index: int | None) -> int | None:
    """The saved pk of the seat at `index`; None for no seat."""
    return None if index is None else pks[index]


def _save_people(seats: list[_Seat], report: Progress) -> list[int]:
    """Insert people level by level down the tree, so each level knows its managers' ids."""
    depth: list[int] = []
    for seat in seats:
        # Managers may be planned after their reports, so walk up instead of looking back.
        steps, manager = 0, seat.manager
        while manager is not None:
            steps, manager = steps + 1, seats[manager].manager
        depth.append(steps)
    pks = [0] * len(seats)
    levels = max(depth) + 1
    for level in range(levels):
        report(f"Saving people: level {level + 1} of {levels} of the reporting tree")
        indexes = [index for index, seat_depth in enumerate(depth) if seat_depth == level]
        # Direct, by tree level so each manager has a pk: thousands of people, one insert a level.
        created = Person.objects.bulk_create(
            Person(
                name=seats[index].name,
                email=seats[index].email,
                discipline=seats[index].discipline,
                title=seats[index].title,
                level=seats[index].level,
                start_date=seats[index].start_date,
                active=seats[index].active,
                manager_id=_pk_of(pks, seats[index].manager),
            )
            for index in indexes
        )
        for index, person in zip(indexes, created, strict=True):
            pks[index] = person.pk
    return pks
