"""Synthetic Jira exports: pages of `POST /rest/api/3/search/jql` with their changelogs.

The benchmark and the demo both need a tracker export that looks like a real one without
being anyone's data. `write_export` writes one JSON file per page of issues, exactly in
the shape Jira Cloud returns with `expand=names,changelog`:

    {"issues": [{"id", "key", "self", "fields": {...}, "changelog": {"histories": [...]}}],
     "nextPageToken": "...", "isLast": false, "names": {"customfield_10020": "Sprint", ...}}

plus, with `write_fields_file`, the instance's field list (`GET /rest/api/3/field`) that
names the custom fields: Sprint (customfield_10020), Story Points (customfield_10016),
Epic Link (customfield_10014) and Rank (customfield_10019).

The mix is meant to exercise the analysis: stories, bugs, tasks, epics, incidents and
sub-tasks; reporters whose discipline (sales, support, marketing, product, engineering)
matches what they ask for; labels, components, CRM and helpdesk links, and wording that
ranges from "As a buyer I want ..." to "Add SSO for the ACME deal"; two-week sprints of
about ten items, with items added after the start and removed before the end; work
that goes back from in progress to to-do or is closed as won't do; rank, priority,
assignee and label changes. Everything comes from one seeded random generator, so the
same spec always writes the same bytes. Issues are generated and written one page at a
time: memory does not grow with the size of the export.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

SPRINT_FIELD = "customfield_10020"
STORY_POINTS_FIELD = "customfield_10016"
EPIC_LINK_FIELD = "customfield_10014"
RANK_FIELD = "customfield_10019"
BASE_URL = "https://example.atlassian.net"
PAGE_PREFIX = "jira-search-"
FIELDS_FILE = "jira-fields.json"
# Jira returns at most this many histories inline with `expand=changelog`.
MAX_HISTORIES = 100

ORIGINS = ("customer", "sales", "marketing", "support", "internal")
# Who asks for what: the discipline of the reporter behind each origin.
REPORTER_DISCIPLINE = {
    "customer": "product",
    "sales": "sales",
    "marketing": "marketing",
    "support": "support",
    "internal": "engineering",
}

# Jira's statuses: (id, name, category id, category key, category name).
TODO = ("10000", "To Do", 2, "new", "To Do")
IN_PROGRESS = ("3", "In Progress", 4, "indeterminate", "In Progress")
IN_REVIEW = ("10002", "In Review", 4, "indeterminate", "In Progress")
DONE = ("10001", "Done", 3, "done", "Done")
CLOSED = ("6", "Closed", 3, "done", "Done")
RESOLUTIONS = {"Done": "10000", "Won't Do": "10001", "Duplicate": "10002"}
PRIORITIES = (("1", "Highest"), ("2", "High"), ("3", "Medium"), ("4", "Low"), ("5", "Lowest"))
ISSUE_TYPES = {
    "Story": ("10001", False, 0),
    "Bug": ("10004", False, 0),
    "Task": ("10002", False, 0),
    "Epic": ("10000", False, 1),
    "Incident": ("10006", False, 0),
    "Sub-task": ("10003", True, -1),
}


@dataclass(frozen=True)
class Reporter:
    """A person who files or works on issues; `discipline` uses org.Discipline values."""

    name: str
    email: str
    account_id: str
    discipline: str


@dataclass(frozen=True)
class ProductArea:
    """One Jira project: a product area with its own mix of asks and its own sprint habits."""

    key: str  # the project key, e.g. "ENT"
    name: str  # the project name, e.g. "Enterprise Deals"
    origins: dict[str, float]  # weight of each origin in ORIGINS
    weight: float = 1.0  # share of all issues
    sprint_churn: float = 0.1  # how often sprint scope changes after the start
    shelving: float = 0.04  # how often started work goes back to to-do or is dropped
    people: tuple[Reporter, ...] = ()  # the team: its PMs report, its engineers work
    components: tuple[str, ...] = ("Web app", "API", "Mobile", "Reporting")


@dataclass(frozen=True)
class TrackerSpec:
    issues: int
    changes: int  # changelog items to aim for; the export never has fewer than it needs
    areas: tuple[ProductArea, ...]
    reporters: tuple[Reporter, ...]  # everyone outside the teams: sales, support, ...
    end: datetime  # "now" for the export: sprints after it are future, nothing happens later
    days: int = 730
    seed: int = 7
    page_size: int = 1000
    sprint_days: int = 14
    sprint_size: int = 10
    file_prefix: str = PAGE_PREFIX
    # Real Jira sprint ids are small numbers: a demo starts far above them.
    sprint_id_base: int = 1


@dataclass
class ExportSummary:
    issues: int = 0
    changes: int = 0  # changelog items (a history may hold several)
    histories: int = 0
    sprints: int = 0
    pages: int = 0
    files: list[Path] = field(default_factory=list)
    by_origin: dict[str, int] = field(default_factory=dict)


# --- Public entry points -----------------------------------------------------------------


def write_export(spec: TrackerSpec, folder: Path) -> ExportSummary:
    """Write the export as page files in `folder`; returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary()
    generator = _Generator(spec)
    pages = max(1, math.ceil(spec.issues / spec.page_size))
    names = field_names()
    for number in range(pages):
        count = min(spec.page_size, spec.issues - number * spec.page_size)
        issues = [generator.issue() for _ in range(count)]
        is_last = number == pages - 1
        page: dict = {"issues": issues}
        if not is_last:
            page["nextPageToken"] = _page_token(spec.seed, number + 1)
        page["isLast"] = is_last
        page["names"] = names
        path = folder / f"{spec.file_prefix}{number + 1:04d}.json"
        # json.dumps runs the C encoder; json.dump to a file falls back to pure Python.
        path.write_text(json.dumps(page, ensure_ascii=False, separators=(",", ":")), "utf-8")
        summary.files.append(path)
        summary.pages += 1
    summary.issues = generator.issue_count
    summary.changes = generator.change_count
    summary.histories = generator.history_count
    summary.sprints = sum(len(sprints) for sprints in generator.sprints.values())
    summary.by_origin = dict(generator.by_origin)
    return summary


def iter_issues(spec: TrackerSpec) -> Iterator[dict]:
    """The same issues `write_export` writes, one at a time (for tests and tools)."""
    generator = _Generator(spec)
    for _ in range(spec.issues):
        yield generator.issue()


def write_fields_file(folder: Path) -> Path:
    """Write the `GET /rest/api/3/field` answer naming the export's custom fields."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FIELDS_FILE
    path.write_text(json.dumps(jira_fields(), indent=1), encoding="utf-8")
    return path


def field_names() -> dict[str, str]:
    """The `names` expand of a search page: field id -> display name."""
    return {entry["id"]: entry["name"] for entry in jira_fields()}


def jira_fields() -> list[dict]:
    system = [
        ("summary", "Summary", "string"),
        ("issuetype", "Issue Type", "issuetype"),
        ("project", "Project", "project"),
        ("status", "Status", "status"),
        ("resolution", "Resolution", "resolution"),
        ("resolutiondate", "Resolved", "datetime"),
        ("created", "Created", "datetime"),
        ("updated", "Updated", "datetime"),
        ("reporter", "Reporter", "user"),
        ("assignee", "Assignee", "user"),
        ("priority", "Priority", "priority"),
        ("labels", "Labels", "array"),
        ("components", "Component/s", "array"),
        ("fixVersions", "Fix Version/s", "array"),
        ("description", "Description", "string"),
        ("parent", "Parent", "issuelink"),
        ("issuelinks", "Linked Issues", "array"),
    ]
    custom = [
        (SPRINT_FIELD, "Sprint", "array", "com.pyxis.greenhopper.jira:gh-sprint"),
        (
            STORY_POINTS_FIELD,
            "Story Points",
            "number",
            "com.atlassian.jira.plugin.system.customfieldtypes:float",
        ),
        (EPIC_LINK_FIELD, "Epic Link", "any", "com.pyxis.greenhopper.jira:gh-epic-link"),
        (RANK_FIELD, "Rank", "any", "com.pyxis.greenhopper.jira:gh-lexo-rank"),
    ]
    fields = [
        {
            "id": key,
            "key": key,
            "name": name,
            "custom": False,
            "orderable": True,
            "navigable": True,
            "searchable": True,
            "clauseNames": [key],
            "schema": {"type": kind, "system": key},
        }
        for key, name, kind in system
    ]
    for key, name, kind, custom_type in custom:
        number = int(key.rsplit("_", 1)[1])
        fields.append(
            {
                "id": key,
                "key": key,
                "name": name,
                "untranslatedName": name,
                "custom": True,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [f"cf[{number}]", name],
                "schema": {"type": kind, "custom": custom_type, "customId": number},
            }
        )
    return fields


def benchmark_spec(issues: int, changes: int, seed: int = 7, days: int = 730) -> TrackerSpec:
    """A large company's tracker: twenty product areas, one of them sales-led."""
    rng = random.Random(seed * 7919 + 3)
    reporters = tuple(
        _invented_person(rng, discipline, index)
        for index, discipline in enumerate(
            ["sales"] * 30 + ["support"] * 30 + ["marketing"] * 15 + ["leadership"] * 5
        )
    )
    healthy = {"customer": 0.4, "sales": 0.08, "marketing": 0.07, "support": 0.17, "internal": 0.28}
    sales_led = {
        "customer": 0.1,
        "sales": 0.55,
        "marketing": 0.05,
        "support": 0.12,
        "internal": 0.18,
    }
    areas: list[ProductArea] = []
    for index, name in enumerate(AREA_NAMES):
        people = tuple(
            _invented_person(rng, discipline, 1000 + index * 10 + number)
            for number, discipline in enumerate(["product", "product"] + ["engineering"] * 6)
        )
        led_by_sales = index == 0
        areas.append(
            ProductArea(
                key=_project_key(name, [area.key for area in areas]),
                name=name,
                origins=sales_led if led_by_sales else healthy,
                sprint_churn=0.35 if led_by_sales else 0.08,
                shelving=0.15 if led_by_sales else 0.03,
                people=people,
            )
        )
    return TrackerSpec(
        issues=issues,
        changes=changes,
        areas=tuple(areas),
        reporters=reporters,
        end=datetime(2026, 6, 30, 17, 0, tzinfo=UTC),
        days=days,
        seed=seed,
    )


def project_key(name: str, taken: Sequence[str] = ()) -> str:
    """A Jira-like project key for a team name, unique among `taken`."""
    return _project_key(name, taken)


# --- Vocabulary ------------------------------------------------------------------------

AREA_NAMES = (
    "Enterprise Deals", "Checkout", "Search", "Onboarding", "Billing", "Mobile App",
    "Reporting", "Integrations", "Notifications", "Identity", "Catalog", "Payments",
    "Growth", "Admin Console", "Data Platform", "Messaging", "Scheduling", "Marketplace",
    "Analytics", "Help Center",
)  # fmt: skip
FIRST = (
    "Ada", "Bo", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hal", "Ida", "Jo", "Kit", "Lou",
    "Mo", "Ned", "Ona", "Pia", "Quin", "Rex", "Sol", "Tea", "Uma", "Vic", "Wes", "Xia",
)  # fmt: skip
LAST = (
    "Abara", "Berg", "Costa", "Dahl", "Eze", "Frey", "Gupta", "Horvat", "Ito", "Jensen",
    "Kowal", "Lind", "Mensah", "Novak", "Okafor", "Park", "Quist", "Rossi", "Sato", "Toth",
)  # fmt: skip
COMPANIES = (
    "ACME", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises",
    "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Vandelay", "Pied Piper", "Massive Dynamic",
)  # fmt: skip
PERSONAS = (
    "buyer", "store manager", "finance admin", "new user", "team lead", "support agent",
    "returning customer", "account owner", "warehouse clerk", "mobile user",
)  # fmt: skip
GOALS = (
    ("find last month's invoices", "I can close the books on time"),
    ("reorder what I bought before", "I don't rebuild my cart every week"),
    ("see why a payment failed", "I can fix it without calling support"),
    ("invite my team", "we can share one account"),
    ("know when my order ships", "I can plan the delivery"),
    ("export my data", "I can report to my manager"),
    ("undo a bulk change", "a mistake doesn't cost me an afternoon"),
    ("set up the account without help", "I can start the trial on day one"),
    ("search by customer reference", "I find the right record at once"),
    ("get notified about failed syncs", "nothing gets lost silently"),
)  # fmt: skip
PROBLEMS = (
    "abandon the setup at the bank details step",
    "cannot tell which invoices are still open",
    "lose their filters every time they come back",
    "call support to find a failed payment",
    "give up on search after two empty results",
    "miss the renewal reminder and churn",
    "export to spreadsheets to compare two periods",
    "re-enter the same address on every order",
)  # fmt: skip
FEATURES = (
    "SSO with Okta", "an Excel export", "custom fields on orders", "a white-label login page",
    "SAML group mapping", "an audit log export", "a bulk import API", "per-region pricing",
    "a Salesforce sync", "a dedicated sandbox", "custom approval workflows", "IP allow-lists",
    "a PDF quote template", "SCIM provisioning", "a 99.99% uptime dashboard",
)  # fmt: skip
SYMPTOMS = (
    "checkout times out for carts over 50 lines",
    "invoices show the wrong tax rate",
    "password reset emails arrive hours late",
    "the dashboard shows yesterday's numbers",
    "CSV export drops accented characters",
    "search returns archived products",
    "mobile app crashes when opening an order",
    "duplicate notifications after every sync",
    "users are logged out every few minutes",
)  # fmt: skip
CAMPAIGNS = (
    "spring",
    "Black Friday",
    "partner summit",
    "v5 launch",
    "Q3 webinar",
    "EMEA expansion",
)
TECH = (
    ("Upgrade PostgreSQL to", "16"), ("Upgrade Django to", "5.2"), ("Move CI to", "arm runners"),
    ("Replace the legacy queue with", "Redis streams"), ("Upgrade React to", "19"),
)  # fmt: skip
MODULES = ("billing", "search indexer", "order service", "auth", "notifications", "reporting jobs")
EXTRA_LABELS = ("triaged", "needs-design", "q-candidate", "blocked", "quick-win")


def _invented_person(rng: random.Random, discipline: str, index: int) -> Reporter:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return Reporter(
        name=f"{first} {last}",
        email=f"{first}.{last}.{index}@example.com".lower(),
        account_id=f"5b10ac8d82e05b22cc7d{index:04d}",
        discipline=discipline,
    )


def _project_key(name: str, taken: Sequence[str]) -> str:
    words = [word for word in "".join(c if c.isalnum() else " " for c in name).split() if word]
    base = "".join(word[0] for word in words).upper() if len(words) > 1 else name[:3].upper()
    base = base if len(base) >= 2 else (name[:3].upper() or "PRJ")
    if not base[0].isalpha():
        base = "P" + base
    key, number = base, 2
    while key in taken:
        key, number = f"{base}{number}", number + 1
    return key


def _page_token(seed: int, page: int) -> str:
    return f"CAEaAggD{seed:04x}{page:06x}"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


# --- The generator ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Sprint:
    id: int
    name: str
    start: datetime
    end: datetime
    state: str
    completed: datetime | None

    def as_jira(self, board: int) -> dict:
        value: dict = {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "boardId": board,
            "goal": "",
            "startDate": _stamp(self.start),
            "endDate": _stamp(self.end),
        }
        if self.completed is not None:
            value["completeDate"] = _stamp(self.completed)
        return value


@dataclass
class _Event:
    at: datetime
    field: str
    from_id: str | None
    from_string: str | None
    to_id: str | None
    to_string: str | None
    fieldtype: str = "jira"
    field_id: str = ""
    author: Reporter | None = None
    with_next: bool = False  # written in the same history as the following event


class _Generator:
    def __init__(self, spec: TrackerSpec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.end = spec.end
        self.start = spec.end - timedelta(days=spec.days)
        self.issue_count = 0
        self.change_count = 0
        self.history_count = 0
        self.history_id = 10000
        self.by_origin: dict[str, int] = {origin: 0 for origin in ORIGINS}
        total = sum(area.weight for area in spec.areas)
        self.area_cumulative = []
        running = 0.0
        for area in spec.areas:
            running += area.weight / total
            self.area_cumulative.append(running)
        self.area_index = {area.key: index for index, area in enumerate(spec.areas)}
        self.numbers = {area.key: 0 for area in spec.areas}
        self.epics: dict[str, list[str]] = {area.key: [] for area in spec.areas}
        self.parents: dict[str, list[str]] = {area.key: [] for area in spec.areas}
        self.sprints = {
            area.key: self._sprints_of(area, index) for index, area in enumerate(spec.areas)
        }
        commit_chance: dict[str, float] = {}
        sprints_per_span = max(1, spec.days / spec.sprint_days)
        for area in spec.areas:
            share = area.weight / total
            per_sprint = spec.issues * share / sprints_per_span
            commit_chance[area.key] = min(0.95, spec.sprint_size / max(per_sprint, 1))
        self.lifecycles = _Lifecycles(self.rng, self.end, self.sprints, commit_chance)
        self.by_discipline: dict[str, list[Reporter]] = {}
        for person in spec.reporters:
            self.by_discipline.setdefault(person.discipline, []).append(person)

    # --- one issue --------------------------------------------------------------------

    def issue(self) -> dict:
        rng, spec = self.rng, self.spec
        index = self.issue_count
        self.issue_count += 1
        area = self._pick_area()
        self.numbers[area.key] += 1
        key = f"{area.key}-{self.numbers[area.key]}"
        created = self.start + timedelta(
            seconds=(index + rng.random()) / max(spec.issues, 1) * spec.days * 86400
        )
        created = min(_working_hours(created), self.end - timedelta(hours=1))
        origin = _weighted(rng, area.origins)
        self.by_origin[origin] = self.by_origin.get(origin, 0) + 1
        issue_type = self._issue_type(origin, area)
        reporter = self._reporter(origin, area)
        assignee = self._worker(area)
        texts = _Wording(rng, origin, issue_type, area)
        title, description, links = texts.title, texts.description, texts.remote_links
        labels = _labels(rng, origin, texts.tech_debt)
        components = [rng.choice(area.components)] if rng.random() < 0.6 else []
        priority = PRIORITIES[_weighted_index(rng, (0.04, 0.2, 0.55, 0.16, 0.05))]
        if origin == "sales" and rng.random() < 0.5:
            priority = PRIORITIES[1]
        points = rng.choice((1, 2, 3, 5, 8, 13)) if issue_type in ("Story", "Task", "Bug") else None

        life = self.lifecycles.plan(area, origin, issue_type, created, reporter, assignee)
        state = _State(priority=priority, assignee=assignee, labels=list(labels), points=points)
        if issue_type != "Epic":
            life.events += _release_plan(area, life, state)
        parent_key = ""
        if issue_type == "Sub-task" and self.parents[area.key]:
            parent_key = rng.choice(self.parents[area.key][-20:])
        elif issue_type != "Epic" and self.epics[area.key] and rng.random() < 0.55:
            parent_key = rng.choice(self.epics[area.key][-6:])
        if issue_type == "Epic":
            self.epics[area.key].append(key)
        elif issue_type in ("Story", "Task", "Bug"):
            self.parents[area.key].append(key)
            del self.parents[area.key][:-40]

        essentials = len(life.events) + sum(1 for event in life.events if event.with_next)
        wanted = (index + 1) * spec.changes // max(spec.issues, 1) - self.change_count
        filler = max(0, min(wanted - essentials, MAX_HISTORIES - len(life.events)))
        events = life.events + self._filler(filler, area, created, life, state, reporter)
        events.sort(key=lambda event: event.at)
        histories = self._histories(events, reporter)
        updated = max([created] + [event.at for event in events])

        fields: dict = {
            "summary": title,
            "issuetype": _issue_type_json(issue_type),
            "project": {
                "id": str(10000 + self.area_index[area.key]),
                "key": area.key,
                "name": area.name,
                "projectTypeKey": "software",
            },
            "status": _status_json(life.status),
            "resolution": (
                {"id": RESOLUTIONS[life.resolution], "name": life.resolution}
                if life.resolution
                else None
            ),
            "resolutiondate": _stamp(life.resolved) if life.resolved else None,
            "created": _stamp(created),
            "updated": _stamp(updated),
            "reporter": _user_json(reporter),
            "assignee": _user_json(state.assignee) if state.assignee else None,
            "priority": {"id": state.priority[0], "name": state.priority[1]},
            "labels": state.labels,
            "components": [
                {"id": str(20000 + area.components.index(name)), "name": name}
                for name in components
            ],
            "fixVersions": [
                {
                    "id": _version_id(version),
                    "name": version,
                    "released": _release_date(version) < self.end,
                    "releaseDate": _release_date(version).date().isoformat(),
                }
                for version in state.fix_versions
            ],
            "description": _adf(description, links),
            "issuelinks": [],
            # Jira serves remote links at /issue/{key}/remotelink; exports made with our
            # script fold them into the issue, in that endpoint's shape.
            "remoteLinks": [
                {"id": 10000 + number, "object": {"url": url, "title": title}}
                for number, (url, title) in enumerate(links)
            ],
            SPRINT_FIELD: (
                [sprint.as_jira(100 + self.area_index[area.key]) for sprint in life.sprints] or None
            ),
            STORY_POINTS_FIELD: state.points,
            EPIC_LINK_FIELD: None,
            RANK_FIELD: f"0|i{index:05x}:",
        }
        if parent_key:
            parent_type = "Epic" if parent_key in self.epics[area.key] else "Story"
            fields["parent"] = {
                "id": str(100000 + _stable_hash(parent_key) % 800000),
                "key": parent_key,
                "self": f"{BASE_URL}/rest/api/3/issue/{parent_key}",
                "fields": {"issuetype": _issue_type_json(parent_type)},
            }
            if parent_type == "Epic":
                fields[EPIC_LINK_FIELD] = parent_key
        return {
            "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
            "id": str(100000 + index),
            "self": f"{BASE_URL}/rest/api/3/issue/{100000 + index}",
            "key": key,
            "fields": fields,
            "changelog": {
                "startAt": 0,
                "maxResults": len(histories),
                "total": len(histories),
                "histories": histories,
            },
        }

    # --- choices ----------------------------------------------------------------------

    def _pick_area(self) -> ProductArea:
        roll = self.rng.random()
        for area, bound in zip(self.spec.areas, self.area_cumulative, strict=True):
            if roll < bound:
                return area
        return self.spec.areas[-1]

    def _issue_type(self, origin: str, area: ProductArea) -> str:
        roll = self.rng.random()
        if roll < 0.03:
            return "Epic"
        if roll < 0.07 and self.parents[area.key]:
            return "Sub-task"
        weights = {
            "customer": {"Story": 0.85, "Task": 0.1, "Bug": 0.05},
            "sales": {"Story": 0.75, "Task": 0.2, "Bug": 0.05},
            "marketing": {"Story": 0.5, "Task": 0.5},
            "support": {"Bug": 0.6, "Incident": 0.15, "Task": 0.15, "Story": 0.1},
            "internal": {"Task": 0.55, "Bug": 0.25, "Story": 0.15, "Incident": 0.05},
        }[origin]
        return _weighted(self.rng, weights)

    def _reporter(self, origin: str, area: ProductArea) -> Reporter:
        discipline = REPORTER_DISCIPLINE[origin]
        team = [person for person in area.people if person.discipline == discipline]
        pool = team or self.by_discipline.get(discipline) or list(area.people) or None
        if pool is None:
            return Reporter("Jira Automation", "", "557058:automation", "other")
        return self.rng.choice(pool)

    def _worker(self, area: ProductArea) -> Reporter | None:
        engineers = [person for person in area.people if person.discipline == "engineering"]
        if not engineers or self.rng.random() < 0.15:
            return None
        return self.rng.choice(engineers)

    def _sprints_of(self, area: ProductArea, index: int) -> list[_Sprint]:
        spec = self.spec
        first = self.start - timedelta(days=self.start.weekday())  # a Monday
        first = first.replace(hour=9, minute=0, second=0, microsecond=0)
        sprints = []
        number = 0
        while True:
            start = first + timedelta(days=number * spec.sprint_days)
            end = start + timedelta(days=spec.sprint_days - 3, hours=8)  # Friday evening
            if start > self.end + timedelta(days=spec.sprint_days):
                break
            if end <= self.end:
                state, completed = "closed", end + timedelta(hours=2)
            elif start <= self.end:
                state, completed = "active", None
            else:
                state, completed = "future", None
            sprints.append(
                _Sprint(
                    id=spec.sprint_id_base + index * 1000 + number,
                    name=f"{area.key} Sprint {number + 1}",
                    start=start,
                    end=end,
                    state=state,
                    completed=completed,
                )
            )
            number += 1
        return sprints

    # --- changes that don't change the plan -------------------------------------------

    def _filler(
        self,
        count: int,
        area: ProductArea,
        created: datetime,
        life: _Life,
        state: _State,
        reporter: Reporter,
    ) -> list[_Event]:
        if count <= 0:
            return []
        rng = self.rng
        last = life.resolved or self.end
        span = max((last - created).total_seconds(), 3600.0)
        moments = sorted(created + timedelta(seconds=rng.uniform(60, span)) for _ in range(count))
        events = []
        for moment in moments:
            kind = _weighted_index(rng, (0.42, 0.15, 0.15, 0.12, 0.08, 0.08))
            if kind == 0:
                higher = rng.random() < 0.5
                events.append(
                    _Event(
                        moment,
                        "Rank",
                        None,
                        "",
                        None,
                        "Ranked higher" if higher else "Ranked lower",
                        "custom",
                        RANK_FIELD,
                    )
                )
            elif kind == 1:
                new = rng.choice([p for p in PRIORITIES if p != state.priority])
                events.append(
                    _Event(
                        moment,
                        "priority",
                        state.priority[0],
                        state.priority[1],
                        new[0],
                        new[1],
                        field_id="priority",
                    )
                )
                state.priority = new
            elif kind == 2:
                new_worker = self._worker(area)
                if new_worker == state.assignee:
                    new_worker = None if state.assignee else (area.people or (reporter,))[-1]
                events.append(
                    _Event(
                        moment,
                        "assignee",
                        state.assignee.account_id if state.assignee else None,
                        state.assignee.name if state.assignee else None,
                        new_worker.account_id if new_worker else None,
                        new_worker.name if new_worker else None,
                        field_id="assignee",
                    )
                )
                state.assignee = new_worker
            elif kind == 3:
                before = " ".join(state.labels)
                label = rng.choice(EXTRA_LABELS)
                if label in state.labels:
                    state.labels.remove(label)
                else:
                    state.labels.append(label)
                events.append(
                    _Event(
                        moment,
                        "labels",
                        None,
                        before,
                        None,
                        " ".join(state.labels),
                        field_id="labels",
                    )
                )
            elif kind == 4:
                new_points = rng.choice((1, 2, 3, 5, 8, 13))
                events.append(
                    _Event(
                        moment,
                        "Story Points",
                        None,
                        "" if state.points is None else str(state.points),
                        None,
                        str(new_points),
                        "custom",
                        STORY_POINTS_FIELD,
                    )
                )
                state.points = new_points
            else:
                events.append(
                    _Event(moment, "Rank", None, "", None, "Ranked higher", "custom", RANK_FIELD)
                )
        return events

    def _histories(self, events: list[_Event], reporter: Reporter) -> list[dict]:
        histories = []
        pending: list[dict] = []
        for event in events:
            pending.append(
                {
                    "field": event.field,
                    "fieldtype": event.fieldtype,
                    "fieldId": event.field_id or event.field,
                    "from": event.from_id,
                    "fromString": event.from_string,
                    "to": event.to_id,
                    "toString": event.to_string,
                }
            )
            if event.with_next:
                continue
            author = event.author or reporter
            self.history_id += 1
            histories.append(
                {
                    "id": str(self.history_id),
                    "author": _user_json(author),
                    "created": _stamp(event.at),
                    "items": pending,
                }
            )
            self.change_count += len(pending)
            pending = []
        self.history_count += len(histories)
        return histories


class _Lifecycles:
    """What happens to an issue: a sprint it is committed to, or the backlog, and how it
    moves through them until it is done, shelved or still open at the export's end."""

    def __init__(
        self,
        rng: random.Random,
        end: datetime,
        sprints: dict[str, list[_Sprint]],
        commit_chance: dict[str, float],
    ) -> None:
        # the generator's own random generator: the same draws in the same order
        self.rng, self.end, self.sprints, self.commit_chance = rng, end, sprints, commit_chance

    def plan(
        self,
        area: ProductArea,
        origin: str,
        issue_type: str,
        created: datetime,
        reporter: Reporter,
        assignee: Reporter | None,
    ) -> _Life:
        rng = self.rng
        life = _Life(created=created, worker=assignee or reporter)
        if issue_type == "Epic":
            self._epic_life(life)
            return life
        pushy = origin in ("sales", "support")
        midsprint = min(0.9, area.sprint_churn * (2.2 if pushy else 0.6))
        if issue_type != "Sub-task" and rng.random() < self.commit_chance[area.key]:
            sprint, added = self._sprint_for(area, created, rng.random() < midsprint)
            if sprint is not None and added < self.end:
                self._sprint_life(life, area, sprint, added)
                return life
        self._backlog_life(life, area)
        return life

    def _sprint_for(
        self, area: ProductArea, created: datetime, midsprint: bool
    ) -> tuple[_Sprint | None, datetime]:
        rng = self.rng
        for sprint in self.sprints[area.key]:
            if midsprint and sprint.start <= created < sprint.end - timedelta(days=1):
                added = created + timedelta(hours=rng.uniform(1, 30))
                return sprint, min(added, sprint.end - timedelta(hours=2))
            if sprint.start > created:
                planning = sprint.start - timedelta(hours=rng.uniform(0.5, 20))
                return sprint, max(planning, created + timedelta(minutes=30))
        return None, created

    def _sprint_life(
        self, life: _Life, area: ProductArea, sprint: _Sprint, added: datetime
    ) -> None:
        rng = self.rng
        sprints = self.sprints[area.key]
        life.sprint_change(added, [], [sprint])
        current, members = sprint, [sprint]
        done_rate = 0.72 - area.sprint_churn * 0.6
        for carry in range(4):
            begin = max(added, current.start) if carry == 0 else current.start + timedelta(hours=1)
            started = begin + timedelta(hours=rng.uniform(1, 24 * 6))
            started = min(
                started, max(begin, current.end - timedelta(hours=2)) + timedelta(minutes=1)
            )
            if started >= self.end:
                break
            if life.status != IN_PROGRESS:
                life.move(started, IN_PROGRESS)
            roll = rng.random()
            finished = started + timedelta(hours=rng.uniform(6, 24 * 7))
            if roll < area.sprint_churn * 0.5 and carry == 0:
                removed = started + (current.end - started) * rng.uniform(0.2, 0.9)
                if removed < self.end:
                    life.sprint_change(removed, members, members[:-1])
                    members = members[:-1]
                    life.move(removed + timedelta(minutes=1), TODO)
                    if rng.random() < 0.3:
                        life.close(
                            removed + timedelta(days=rng.uniform(3, 40)), "Won't Do", self.end
                        )
                break
            if roll < area.sprint_churn * 0.5 + area.shelving:
                shelved = started + timedelta(days=rng.uniform(1, 12))
                if shelved < self.end:
                    if rng.random() < 0.4:
                        life.close(shelved, "Won't Do", self.end)
                    else:
                        life.move(shelved, TODO)
                break
            if (
                roll < area.sprint_churn * 0.5 + area.shelving + done_rate
                and finished < current.end
            ):
                if finished < self.end:
                    life.finish(finished, rng.random() < 0.3, self.end)
                break
            # Not done by the end of the sprint: carried over to the next one.
            position = sprints.index(current)
            if position + 1 >= len(sprints) or current.completed is None:
                break
            following = sprints[position + 1]
            if current.completed >= self.end:
                break
            life.sprint_change(current.completed, members, members + [following])
            members = members + [following]
            current = following
        life.sprints = members

    def _backlog_life(self, life: _Life, area: ProductArea) -> None:
        rng = self.rng
        age_days = (self.end - life.created).total_seconds() / 86400
        roll = rng.random()
        if roll < min(0.75, age_days / 150):
            started = life.created + timedelta(days=rng.uniform(0.5, max(1.0, age_days * 0.5)))
            if started >= self.end:
                return
            life.move(started, IN_PROGRESS)
            if rng.random() < area.shelving:
                life.move(started + timedelta(days=rng.uniform(1, 20)), TODO, limit=self.end)
                return
            life.finish(
                started + timedelta(days=rng.uniform(0.3, 15)), rng.random() < 0.25, self.end
            )
        elif roll < min(0.75, age_days / 150) + 0.06:
            life.close(life.created + timedelta(days=rng.uniform(5, 60)), "Won't Do", self.end)

    def _epic_life(self, life: _Life) -> None:
        rng = self.rng
        started = life.created + timedelta(days=rng.uniform(1, 20))
        if started < self.end:
            life.move(started, IN_PROGRESS)
            life.finish(started + timedelta(days=rng.uniform(20, 120)), False, self.end)


@dataclass
class _State:
    priority: tuple[str, str]
    assignee: Reporter | None
    labels: list[str]
    points: int | None
    fix_versions: list[str] = field(default_factory=list)


@dataclass
class _Life:
    """The plan-relevant history of one issue: status, resolution and sprints."""

    created: datetime
    worker: Reporter
    status: tuple = TODO
    resolution: str = ""
    resolved: datetime | None = None
    events: list[_Event] = field(default_factory=list)
    sprints: list[_Sprint] = field(default_factory=list)

    def move(self, at: datetime, status: tuple, limit: datetime | None = None) -> None:
        if limit is not None and at >= limit:
            return
        self.events.append(
            _Event(
                at,
                "status",
                self.status[0],
                self.status[1],
                status[0],
                status[1],
                field_id="status",
                author=self.worker,
            )
        )
        self.status = status

    def finish(self, at: datetime, reviewed: bool, limit: datetime) -> None:
        if reviewed:
            review = at - (at - self.events[-1].at) * 0.3 if self.events else at
            self.move(review, IN_REVIEW, limit)
        if at >= limit:
            return
        self._resolve(at, DONE, "Done")

    def close(self, at: datetime, resolution: str, limit: datetime) -> None:
        if at >= limit:
            return
        self._resolve(at, CLOSED, resolution)

    def _resolve(self, at: datetime, status: tuple, resolution: str) -> None:
        self.events.append(
            _Event(
                at,
                "resolution",
                None,
                None,
                RESOLUTIONS[resolution],
                resolution,
                field_id="resolution",
                author=self.worker,
                with_next=True,
            )
        )
        self.move(at, status)
        self.resolution, self.resolved = resolution, at

    def sprint_change(self, at: datetime, before: list[_Sprint], after: list[_Sprint]) -> None:
        self.events.append(
            _Event(
                at,
                "Sprint",
                ", ".join(str(sprint.id) for sprint in before) or None,
                ", ".join(sprint.name for sprint in before),
                ", ".join(str(sprint.id) for sprint in after) or None,
                ", ".join(sprint.name for sprint in after),
                "custom",
                SPRINT_FIELD,
            )
        )


class _Wording:
    """A title and description in the voice of whoever asks, with links when they'd add one."""

    def __init__(self, rng: random.Random, origin: str, issue_type: str, area: ProductArea) -> None:
        self.rng = rng
        self.tech_debt = False
        self.remote_links: list[tuple[str, str]] = []
        if issue_type == "Epic":
            self.title = (
                f"{area.name}: {rng.choice(('rethink', 'scale', 'simplify', 'open up'))} "
                f"{rng.choice(MODULES)} ({rng.choice(('H1', 'H2', 'Q1', 'Q3'))})"
            )
            self.description = f"Everything we need to {self.title.split(': ', 1)[1]}."
            return
        self.title, self.description = getattr(self, f"_{origin}")(issue_type)

    def _customer(self, issue_type: str) -> tuple[str, str]:
        rng = self.rng
        persona = rng.choice(PERSONAS)
        goal, benefit = rng.choice(GOALS)
        style = rng.random()
        if style < 0.5:
            title = f"As a {persona}, I want to {goal} so that {benefit}"
        elif style < 0.8:
            title = f"{persona.capitalize()}s {rng.choice(PROBLEMS)}"
        else:
            title = f"Add a way to {goal}"  # a solution, even from product
        body = (
            f"Problem: {persona}s {rng.choice(PROBLEMS)}. In user interviews {rng.randint(3, 9)} of "
            f"{rng.randint(10, 14)} said so. Outcome: they {goal} without help."
        )
        return title, body

    def _sales(self, issue_type: str) -> tuple[str, str]:
        rng = self.rng
        company, feature = rng.choice(COMPANIES), rng.choice(FEATURES)
        title = rng.choice(
            (
                f"Add {feature} for the {company} deal",
                f"{company} needs {feature} before signing",
                f"Build {feature} (blocker for the {company} renewal)",
                f"{feature[0].upper()}{feature[1:]} - requested by {company}",
                f"Custom {feature.removeprefix('a ').removeprefix('an ')} for {company}",
            )
        )
        deal = f"https://example.my.salesforce.com/lightning/r/Opportunity/006{rng.randint(10**8, 10**9 - 1)}/view"
        if rng.random() < 0.6:
            self.remote_links.append((deal, f"Opportunity: {company}"))
        body = (
            f"{company} is a {rng.choice(('$120k', '$250k', '$400k', '$80k'))} ARR opportunity "
            f"closing this quarter. They need {feature}; the competitor already has it."
        )
        return title, body

    def _marketing(self, issue_type: str) -> tuple[str, str]:
        rng = self.rng
        campaign = rng.choice(CAMPAIGNS)
        title = rng.choice(
            (
                f"Landing page for the {campaign} campaign launch",
                f"Add a 'new' badge to {rng.choice(FEATURES)} for the {campaign} announcement",
                f"Tracking pixels for the {campaign} campaign",
                f"In-app banner for the {campaign} launch",
            )
        )
        return title, f"Needed for the {campaign} campaign; the launch date is fixed."

    def _support(self, issue_type: str) -> tuple[str, str]:
        rng = self.rng
        symptom, company = rng.choice(SYMPTOMS), rng.choice(COMPANIES)
        title = rng.choice(
            (
                f"Customer escalation: {symptom}",
                f"{company} reports {symptom}",
                f"{symptom[0].upper()}{symptom[1:]}",
                f"How do I {rng.choice(GOALS)[0]}? (ticket from {company})",
            )
        )
        ticket = f"https://example.zendesk.com/agent/tickets/{rng.randint(10000, 99999)}"
        if rng.random() < 0.7:
            self.remote_links.append((ticket, "Zendesk ticket"))
        return title, f"Reported by {company} through support. Steps: open the page; {symptom}."

    def _internal(self, issue_type: str) -> tuple[str, str]:
        rng = self.rng
        module = rng.choice(MODULES)
        style = rng.random()
        if style < 0.3:
            action, target = rng.choice(TECH)
            title = f"{action} {target}"
            self.tech_debt = True
        elif style < 0.55:
            title = f"Refactor the {module} to remove duplicated retry logic"
            self.tech_debt = True
        elif style < 0.75:
            title = f"Flaky test in {module}"
        elif style < 0.9:
            title = f"Add monitoring and alerts for the {module} queue"
        else:
            title = f"Rotate the {module} credentials"
        return title, f"Engineering: {title.lower()}. No user-visible change."


def _labels(rng: random.Random, origin: str, tech_debt: bool) -> list[str]:
    labels = []
    if origin == "sales":
        if rng.random() < 0.65:
            labels.append("sales-request")
        if rng.random() < 0.3:
            labels.append("enterprise")
    elif origin == "support":
        if rng.random() < 0.6:
            labels.append("from-support")
        if rng.random() < 0.2:
            labels.append("customer-escalation")
    elif origin == "customer":
        if rng.random() < 0.3:
            labels.append("customer-request")
        if rng.random() < 0.2:
            labels.append("discovery")
    elif origin == "marketing":
        if rng.random() < 0.6:
            labels.append("marketing")
    elif tech_debt and rng.random() < 0.7:
        labels.append("tech-debt")
    elif rng.random() < 0.2:
        labels.append("ops")
    return labels


def _release_plan(area: ProductArea, life: _Life, state: _State) -> list[_Event]:
    """Monthly releases: planned when work starts, moved when it ships late, dropped if shelved."""
    started = next((e.at for e in life.events if e.to_string == IN_PROGRESS[1]), None)
    if started is None:
        return []
    finished = life.resolved if life.resolution == "Done" and life.resolved else started
    planned = _version_name(area, finished)
    # Release planning, ten days before the release month, takes in what already exists;
    # what comes later joins when work starts. A churning area lets some of its plan
    # slip: those items were planned a release earlier and moved when they shipped.
    if life.resolved and area.sprint_churn > 0.2 and life.created.second % 10 < 4:
        planned = _version_name(area, finished - timedelta(days=31))
    planning = _release_date(planned).replace(day=1, hour=10) - timedelta(days=10)
    planning += timedelta(minutes=life.created.minute * 3)
    planned_at = planning if life.created < planning else started
    events = [_version_change(planned_at + timedelta(minutes=2), None, planned)]
    state.fix_versions = [planned]
    if life.resolution == "Done" and life.resolved:
        shipped = _version_name(area, life.resolved)
        if shipped != planned:
            events.append(_version_change(life.resolved + timedelta(minutes=5), planned, shipped))
            state.fix_versions = [shipped]
    elif life.status != IN_PROGRESS and life.status != IN_REVIEW:
        last = max(event.at for event in life.events)
        events.append(_version_change(last + timedelta(minutes=2), planned, None))
        state.fix_versions = []
    return events


def _version_change(at: datetime, removed: str | None, added: str | None) -> _Event:
    return _Event(
        at,
        "Fix Version",
        _version_id(removed) if removed else None,
        removed,
        _version_id(added) if added else None,
        added,
        field_id="fixVersions",
    )


def _adf(text: str, links: list[tuple[str, str]]) -> dict:
    content: list[dict] = [{"type": "paragraph", "content": [{"type": "text", "text": text}]}]
    for url, title in links:
        content.append(
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": f"{title}: "},
                    {
                        "type": "text",
                        "text": url,
                        "marks": [{"type": "link", "attrs": {"href": url}}],
                    },
                ],
            }
        )
    return {"type": "doc", "version": 1, "content": content}


def _status_json(status: tuple) -> dict:
    status_id, name, category_id, category_key, category_name = status
    return {
        "self": f"{BASE_URL}/rest/api/3/status/{status_id}",
        "id": status_id,
        "name": name,
        "statusCategory": {"id": category_id, "key": category_key, "name": category_name},
    }


def _issue_type_json(name: str) -> dict:
    type_id, subtask, level = ISSUE_TYPES[name]
    return {"id": type_id, "name": name, "subtask": subtask, "hierarchyLevel": level}


def _user_json(person: Reporter) -> dict:
    user = {
        "accountId": person.account_id,
        "displayName": person.name,
        "active": True,
        "accountType": "atlassian",
    }
    if person.email:
        user["emailAddress"] = person.email
    return user


def _version_name(area: ProductArea, moment: datetime) -> str:
    return f"{area.key} {moment.year}.{moment.month:02d}"


def _release_date(version: str) -> datetime:
    """The last day of the version's month: `ENT 2026.03` ships on 31 March 2026."""
    year, month = (int(part) for part in version.rsplit(" ", 1)[1].split("."))
    following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return following - timedelta(days=1)


def _version_id(version: str) -> str:
    return str(30000 + _stable_hash(version) % 9000)


def _working_hours(moment: datetime) -> datetime:
    return moment.replace(hour=8 + moment.hour % 10)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    names = list(weights)
    return names[_weighted_index(rng, [weights[name] for name in names])]


def _weighted_index(rng: random.Random, weights: Sequence[float]) -> int:
    roll = rng.random() * sum(weights)
    for index, weight in enumerate(weights):
        roll -= weight
        if roll < 0:
            return index
    return len(weights) - 1


def _stable_hash(text: str) -> int:
    """A hash that does not change between runs (str.__hash__ does)."""
    value = 2166136261
    for char in text.encode():
        value = ((value ^ char) * 16777619) & 0xFFFFFFFF
    return value
