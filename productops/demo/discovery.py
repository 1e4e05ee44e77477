"""The discovery side of the demo: a quarter of touchpoints and an opportunity tree per team.

Built on top of `org.demo` and `backlog.demo`, it tells a story a head of product
recognizes:

- most product teams meet customers weekly or nearly so over the last 13 weeks
  (interviews, usability and prototype tests, support-call shadowing), with their trio
  taking part: sometimes all three, sometimes the product manager alone; the three teams
  that share one product manager often go without them;
- the team with no designer (the demo org's Reporting) has been silent for six weeks;
- the sales-led team (Enterprise Deals) mostly shadows sales calls and has done only a
  couple of interviews: it looks busy, but shadowing does not count as discovery, so the
  cadence shows two weeks of discovery in thirteen and a row of shadowing-only weeks;
- one team (the second, by name, with a full trio and a PM of its own) meets customers
  as often as the others, but its designer and engineers never join: only its product
  manager goes, and the cadence page flags it as a trio finding;
- one team (the most mature: a full trio, its own product manager) meets customers every
  week, often twice;
- every team has an opportunity solution tree: an outcome with a metric, a baseline and a
  target, opportunities (one nested) that cite the touchpoints they came from, solutions
  and assumption tests in every status; some solutions are linked to the team's backlog
  epics and items, and Enterprise Deals' to a single story only.

Deterministic for a given seed; dates are relative to today. Written in bulk in one
transaction (a dozen queries whatever the number of teams): demo data, not user input.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from productops.backlog.models import Item, ItemType, Origin, StatusCategory
from productops.demo.org import EMAIL_DOMAIN, ENTERPRISE_TEAM, SPREAD_PM_TEAMS, DemoOrg
from productops.discovery.models import (
    AssumptionTest,
    Opportunity,
    Outcome,
    Solution,
    TestStatus,
    Touchpoint,
    TouchpointKind,
)
from productops.org.models import Team, TeamMembership, TeamRole

WEEKS = 13  # the last quarter, the current week included
SILENT_WEEKS = 6  # full ISO weeks without a touchpoint for the silent team, besides this one
TRIO_ROLES = (TeamRole.PRODUCT_MANAGER, TeamRole.DESIGN_LEAD, TeamRole.TECH_LEAD)
MAX_CITED = 3  # touchpoints an opportunity cites

Kind = TouchpointKind

# --- The trees -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AssumptionSpec:
    assumption: str
    test: str
    status: TestStatus
    result: str = ""


@dataclass(frozen=True)
class SolutionSpec:
    title: str
    tests: tuple[AssumptionSpec, ...] = ()


@dataclass(frozen=True)
class OpportunitySpec:
    title: str
    description: str
    # What customers said, word for word: the insights of the touchpoints it cites.
    heard: tuple[str, ...]
    solutions: tuple[SolutionSpec, ...] = ()
    children: tuple[OpportunitySpec, ...] = ()


@dataclass(frozen=True)
class TreeSpec:
    outcome: str
    metric: str
    baseline: float
    target: float
    unit: str
    opportunities: tuple[OpportunitySpec, ...]
    segments: tuple[str, ...]


def _test(assumption: str, test: str, status: TestStatus, result: str = "") -> AssumptionSpec:
    return AssumptionSpec(assumption, test, status, result)


PLANNED, RUNNING = TestStatus.PLANNED, TestStatus.RUNNING
SUPPORTED, REFUTED = TestStatus.SUPPORTED, TestStatus.REFUTED
INCONCLUSIVE = TestStatus.INCONCLUSIVE

TREES: dict[str, TreeSpec] = {
    "Billing": TreeSpec(
        "Shorten time to first invoice",
        "median days from sign-up to the first invoice sent",
        9.5,
        3,
        "days",
        (
            OpportunitySpec(
                "Setting up tax and invoice details takes several sessions",
                "New accounts stop at the tax settings and come back days later, if at all.",
                ("'I stopped at the VAT screen and had to ask our accountant. That took a week.'",),
                children=(
                    OpportunitySpec(
                        "Customers don't have their VAT details at hand when they start",
                        "The person who signs up is rarely the one who knows the tax details.",
                        (
                            "'I'm the office manager. The VAT number lives with our accountant.'",
                            "'I wanted to send one invoice today; the settings could wait.'",
                        ),
                        (
                            SolutionSpec(
                                "Send the first invoice before the tax details are complete",
                                (
                                    _test(
                                        "New accounts will send a draft invoice without VAT details",
                                        "Fake-door button in the setup flow for two weeks",
                                        SUPPORTED,
                                        "31% of new accounts clicked it; 12 asked when it ships.",
                                    ),
                                    _test(
                                        "Their accountants accept a corrected invoice afterwards",
                                        "Five calls with customers' accountants",
                                        RUNNING,
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            OpportunitySpec(
                "The first invoice looks nothing like the ones they sent before",
                "Customers rebuild their old layout by hand before they dare send anything.",
                (
                    "'My clients know my invoices. If it looks different they call me.'",
                    "'I spent an afternoon moving the logo around.'",
                ),
                (
                    SolutionSpec(
                        "Import the layout of an existing invoice from a PDF",
                        (
                            _test(
                                "A PDF import gets the layout right often enough",
                                "Run 40 real invoices through the parser by hand",
                                REFUTED,
                                "Only 14 of 40 came out usable; tables broke most often.",
                            ),
                        ),
                    ),
                    SolutionSpec(
                        "Five templates matched to the most common industries",
                        (
                            _test(
                                "Customers pick a template rather than design their own",
                                "Prototype test with six customers",
                                INCONCLUSIVE,
                                "Three picked a template, three went straight to the editor.",
                            ),
                        ),
                    ),
                ),
            ),
            OpportunitySpec(
                "Customers check every total by hand before sending",
                "Nobody trusts a number they cannot see the working for.",
                ("'I always redo the sum in Excel. Once burned, twice shy.'",),
                (
                    SolutionSpec(
                        "Show the calculation behind each total",
                        (
                            _test(
                                "Seeing the calculation stops the double-checking",
                                "Usability test with five customers on the new invoice view",
                                PLANNED,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        ("Freelancers", "Small agencies", "Mid-market finance teams"),
    ),
    "Onboarding": TreeSpec(
        "New accounts reach their first success in one sitting",
        "new accounts reaching a first success on their first day",
        31,
        50,
        "%",
        (
            OpportunitySpec(
                "Imports fail on customers' own spreadsheets",
                "The first thing new accounts do is bring their data; half of them fail.",
                ("'It said row 212 was wrong and I gave up. I'll try again on Monday.'",),
                children=(
                    OpportunitySpec(
                        "Their column names never match ours",
                        "Every company names its columns differently; ours are not theirs.",
                        (
                            "'We call it Client, you call it Account. How was I to know?'",
                            "'I renamed twelve columns before it took the file.'",
                        ),
                        (
                            SolutionSpec(
                                "Map columns by example, with a live preview",
                                (
                                    _test(
                                        "A preview makes people fix the mapping themselves",
                                        "Prototype test with eight trial accounts",
                                        SUPPORTED,
                                        "7 of 8 mapped every column without help.",
                                    ),
                                    _test(
                                        "Guessing the mapping is right at least 80% of the time",
                                        "Replay 200 failed imports from last month",
                                        RUNNING,
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            OpportunitySpec(
                "New admins don't know what to set up first",
                "The settings page shows everything at once, in no order.",
                (
                    "'There were forty settings. I didn't know which ones mattered.'",
                    "'I waited for someone from sales to call me.'",
                ),
                (
                    SolutionSpec(
                        "A setup checklist built from the plan they bought",
                        (
                            _test(
                                "Admins follow a checklist to the end",
                                "Checklist behind a flag for 10% of new accounts",
                                INCONCLUSIVE,
                                "More started it; no more finished the setup.",
                            ),
                        ),
                    ),
                ),
            ),
            OpportunitySpec(
                "Invited teammates arrive in an empty workspace",
                "The admin's colleagues log in once, see nothing, and do not come back.",
                ("'My team logged in, saw nothing and asked me what it was for.'",),
                (
                    SolutionSpec(
                        "A sample project on the first login",
                        (
                            _test(
                                "Sample data helps rather than confuses",
                                "Five moderated sessions with invited teammates",
                                PLANNED,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        ("Trial accounts", "Self-serve small businesses", "Mid-market operations teams"),
    ),
    "Notifications": TreeSpec(
        "People act on the notifications they get",
        "notifications opened within a day",
        12,
        25,
        "%",
        (
            OpportunitySpec(
                "People mute everything after their first busy week",
                "One busy week of alerts and they switch everything off for good.",
                ("'By Wednesday I had 300 emails from you. I turned it all off.'",),
                children=(
                    OpportunitySpec(
                        "Digest settings are buried three levels deep",
                        "People who would like a digest never find the setting.",
                        (
                            "'A daily summary would be perfect. Is that possible?'",
                            "'I looked for a digest option and found only on or off.'",
                        ),
                        (
                            SolutionSpec(
                                "A daily digest by default for new users",
                                (
                                    _test(
                                        "New users keep the digest on",
                                        "A/B test on new sign-ups for three weeks",
                                        SUPPORTED,
                                        "82% kept it; opens per user doubled.",
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            OpportunitySpec(
                "Urgent alerts drown among routine ones",
                "A failed payment looks exactly like a comment on a task.",
                ("'The one alert that mattered was between two about comments.'",),
                (
                    SolutionSpec(
                        "A priority lane for alerts that need action",
                        (
                            _test(
                                "People agree on what counts as urgent",
                                "Card sort with ten customers",
                                REFUTED,
                                "No two agreed; urgency depends on their role.",
                            ),
                            _test(
                                "Letting each person mark what is urgent works instead",
                                "Prototype test with six admins",
                                PLANNED,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        ("Operations managers", "Team leads", "Field workers on mobile"),
    ),
    "Localization": TreeSpec(
        "The product feels native in German and Japanese",
        "trial-to-paid conversion of German and Japanese accounts",
        6,
        10,
        "%",
        (
            OpportunitySpec(
                "Dates, numbers and addresses look foreign",
                "Translated words, American formats: customers notice at once.",
                ("'The words are German but the dates are American. It looks cheap.'",),
                children=(
                    OpportunitySpec(
                        "Invoices and exports show the wrong address format",
                        "Their own customers receive documents that look wrong.",
                        (
                            "'Our customers in Osaka got addresses in the wrong order.'",
                            "'I fix every export by hand before I send it.'",
                        ),
                        (
                            SolutionSpec(
                                "Locale-aware formats everywhere, from the account's country",
                                (
                                    _test(
                                        "The account's country is the right default",
                                        "Check 300 accounts' country against their users' locales",
                                        SUPPORTED,
                                        "94% match; the rest are subsidiaries abroad.",
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            OpportunitySpec(
                "Help articles exist only in English",
                "Admins in Japan open tickets for what the help center already answers.",
                ("'I read the help with a translator in another tab.'",),
                (
                    SolutionSpec(
                        "Machine-translated help, with a human review of the top 50 articles",
                        (
                            _test(
                                "Machine translation is good enough for how-to articles",
                                "Five Japanese admins rate ten translated articles",
                                RUNNING,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        ("German mid-market customers", "Japanese enterprise admins", "Trial accounts in Japan"),
    ),
    "Reporting": TreeSpec(
        "Customers answer their own questions with their data",
        "report requests sent to support each week",
        40,
        15,
        "requests",
        (
            OpportunitySpec(
                "Customers can't find the report they need among sixty",
                "They ask support for a report that already exists.",
                ("'I'm sure it's in there somewhere. I just ask support.'",),
                children=(
                    OpportunitySpec(
                        "Report names use our words, not theirs",
                        "'Cohort retention' means nothing to an operations manager.",
                        (
                            "'I wanted to know who stopped ordering. Which report is that?'",
                            "'The names are for analysts. I'm not one.'",
                        ),
                        (
                            SolutionSpec(
                                "Search reports by the question they answer",
                                (
                                    _test(
                                        "Customers phrase the question similarly enough to match",
                                        "Collect questions from 100 support tickets",
                                        PLANNED,
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            OpportunitySpec(
                "Exports to Excel lose the formatting",
                "Every board pack is rebuilt by hand in a spreadsheet.",
                ("'I export, then spend an hour making it look like the screen.'",),
                (
                    SolutionSpec(
                        "An export that keeps the formatting and the charts",
                        (
                            _test(
                                "Customers would stop rebuilding the pack by hand",
                                "Prototype test with five finance leads",
                                PLANNED,
                            ),
                            _test(
                                "Excel is what they export to, not Google Sheets",
                                "Count the export formats used last quarter",
                                SUPPORTED,
                                "88% of exports are to Excel.",
                            ),
                        ),
                    ),
                ),
            ),
        ),
        ("Finance leads", "Operations managers", "Mid-market executives"),
    ),
    ENTERPRISE_TEAM: TreeSpec(
        "Close enterprise deals without custom builds",
        "signed deals that needed a custom build",
        6,
        2,
        "per quarter",
        (
            OpportunitySpec(
                "Security reviews stall deals for weeks",
                "Procurement does not start until security has signed off.",
                ("The prospect's security team wants the questionnaire before a pilot.",),
                children=(
                    OpportunitySpec(
                        "The same questionnaire is answered from scratch every time",
                        "Sales engineers rewrite the same 200 answers for each deal.",
                        (
                            "Asked again about data residency and pen-test reports.",
                            "Their IT lead had our answers from another vendor's template.",
                        ),
                        (
                            SolutionSpec(
                                "A trust page and a pre-filled questionnaire",
                                (
                                    _test(
                                        "Prospects accept a pre-filled questionnaire",
                                        "Send it to the next three prospects in review",
                                        RUNNING,
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            OpportunitySpec(
                "IT admins can't provision thousands of seats",
                "Large customers onboard seat by seat, or ask us to do it for them.",
                (
                    "'We have 4,000 people in Azure AD. Nobody is inviting them one by one.'",
                    "The pilot stalled: seats were added by hand for two weeks.",
                ),
                (
                    SolutionSpec(
                        "SCIM provisioning from the customer's directory",
                        (
                            _test(
                                "Most enterprise prospects use a directory we can support",
                                "Ask the last ten prospects which directory they use",
                                SUPPORTED,
                                "Nine use Azure AD or Okta.",
                            ),
                            _test(
                                "Admins would set it up without our help",
                                "Interview three IT admins of current customers",
                                PLANNED,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        ("Financial services prospects", "Logistics prospects", "Enterprise IT admins"),
    ),
}


def generic_tree(team: Team) -> TreeSpec:
    """The tree of a team without a written one: the same shape, in the team's words."""
    name = team.name
    return TreeSpec(
        f"More accounts rely on {name} every week",
        f"active accounts using {name} weekly",
        22,
        35,
        "%",
        (
            OpportunitySpec(
                f"Customers don't know what {name} can do for them",
                "They build workarounds for what the product already does.",
                ("'I had no idea this was in there. I've been doing it in a spreadsheet.'",),
                children=(
                    OpportunitySpec(
                        "It is three clicks away from where they work",
                        "People discover it by accident, months after they start.",
                        (
                            "'I only found it because a colleague showed me.'",
                            "'Why isn't this on the page where I actually work?'",
                        ),
                        (
                            SolutionSpec(
                                "Surface it where the work happens",
                                (
                                    _test(
                                        "People use it once they see it in context",
                                        "Contextual entry point for 10% of accounts, four weeks",
                                        SUPPORTED,
                                        "Weekly use up from 22% to 29% in the test group.",
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            OpportunitySpec(
                "Setting it up takes more than one sitting",
                "They start, get interrupted, and never come back to finish.",
                ("'I got halfway, a meeting came up, and I forgot about it.'",),
                (
                    SolutionSpec(
                        "Start from a template of a common set-up",
                        (
                            _test(
                                "A handful of templates covers most set-ups",
                                "Cluster 200 existing set-ups",
                                INCONCLUSIVE,
                                "Six templates cover 55%; the long tail is long.",
                            ),
                        ),
                    ),
                ),
            ),
            OpportunitySpec(
                "Results are hard to share with colleagues",
                "The person who uses it has to screenshot it for everyone else.",
                ("'I paste screenshots into Slack every Monday.'",),
                (
                    SolutionSpec(
                        "A link anyone in the account can open",
                        (
                            _test(
                                "Colleagues open a shared link rather than ask for a screenshot",
                                "Prototype test with five team leads",
                                PLANNED,
                            ),
                            _test(
                                "Admins are fine with links visible to the whole account",
                                "Ask eight admins in support calls",
                                REFUTED,
                                "Five wanted to choose who sees it.",
                            ),
                        ),
                    ),
                ),
            ),
        ),
        ("Self-serve small businesses", "Mid-market operations teams", "Team leads"),
    )


# --- The touchpoints -------------------------------------------------------------------------

NOTES: dict[str, tuple[str, ...]] = {
    Kind.INTERVIEW: (
        "Forty minutes with a customer. We asked for the last time the problem "
        "came up and let them walk us through it on screen.",
        "Follow-up with a customer we first spoke to last month; they had tried the "
        "workaround we discussed and told us where it broke.",
        "Recruited from the in-app survey. We talked about their week rather than our "
        "features; the useful part came after the half hour.",
        "Two admins from the same account on one call: it became a discussion between "
        "them more than an interview, which was worth it.",
        "Short call, 25 minutes, squeezed in before their month-end close. Mostly listened.",
    ),
    Kind.USABILITY_TEST: (
        "Moderated test of the current flow with {customers} customers; each had "
        "the same three tasks.",
        "{customers} unmoderated sessions with think-aloud recordings; we watched them "
        "together on Friday.",
    ),
    Kind.PROTOTYPE_TEST: (
        "Clickable prototype in front of {customers} customers; we asked them to do a real "
        "task, not to review the design.",
        "Two variants of the prototype, {customers} customers, half saw each one first.",
    ),
    Kind.SUPPORT_CALL: (
        "Listened in on the support queue for ninety minutes; {customers} calls touched our area.",
        "Sat with a support specialist through the afternoon shift and noted every ticket "
        "about us.",
    ),
    Kind.SALES_CALL: (
        "Joined a discovery call with a prospect, led by the account executive; "
        "four people from the buying committee were on.",
        "Shadowed a demo for a prospect; the security questions came before "
        "anything about the workflow.",
        "Late-stage deal review with the prospect's IT team, run by the sales engineer.",
    ),
    Kind.SURVEY_REVIEW: (
        "Read through last month's survey comments that mention our area, {customers} of them.",
    ),
    Kind.DATA_REVIEW: (
        "Went through the last four weeks of the funnel with an analyst before this week's "
        "interviews.",
    ),
}
REVIEW_INSIGHTS = (
    "Drop-off is concentrated in the second step: worth asking about in the next interviews.",
    "The loudest comments come from a handful of large accounts; most people say nothing.",
    "Usage is steady in mid-market accounts and falling in the smallest ones.",
)
CUSTOMERS: dict[str, tuple[int, int]] = {
    Kind.INTERVIEW: (1, 2),
    Kind.USABILITY_TEST: (3, 6),
    Kind.PROTOTYPE_TEST: (4, 6),
    Kind.SUPPORT_CALL: (2, 5),
    Kind.SALES_CALL: (1, 4),
    Kind.SURVEY_REVIEW: (20, 80),
    Kind.DATA_REVIEW: (1, 1),
}
# Kinds each kind of team does, with how often.
HEALTHY_KINDS = (
    (Kind.INTERVIEW, 45),
    (Kind.USABILITY_TEST, 15),
    (Kind.PROTOTYPE_TEST, 15),
    (Kind.SUPPORT_CALL, 17),
    (Kind.SURVEY_REVIEW, 4),
    (Kind.DATA_REVIEW, 4),
)
SALES_LED_KINDS = ((Kind.SALES_CALL, 9), (Kind.SUPPORT_CALL, 1))


@dataclass(frozen=True)
class TeamProfile:
    """How often a team meets customers, and who of its trio takes part."""

    weekly_chance: float  # of at least one touchpoint in a week
    second_chance: float  # of a second one that week
    kinds: tuple[tuple[str, int], ...]
    whole_trio: float  # share of touchpoints the whole trio attends
    pm_alone: float
    pm_misses: float = 0.0  # share the product manager misses (a PM spread thin)
    silent_weeks: int = 0  # the latest weeks without any touchpoint
    # Touchpoints on top of the weekly ones: (weeks ago, kind).
    extra: tuple[tuple[int, str], ...] = ()
    pm_only: bool = False  # the designer and the engineers never take part


STEADY = TeamProfile(0.95, 0.2, HEALTHY_KINDS, whole_trio=0.35, pm_alone=0.25)
MATURE = TeamProfile(1.0, 0.5, HEALTHY_KINDS, whole_trio=0.6, pm_alone=0.1)
SPREAD = TeamProfile(0.85, 0.1, HEALTHY_KINDS, whole_trio=0.15, pm_alone=0.1, pm_misses=0.6)
SALES_LED = TeamProfile(
    0.9,
    0.3,
    SALES_LED_KINDS,
    whole_trio=0.05,
    pm_alone=0.75,
    extra=((10, Kind.INTERVIEW), (3, Kind.INTERVIEW)),  # two interviews in a quarter
)
PM_ALONE = TeamProfile(0.95, 0.2, HEALTHY_KINDS, whole_trio=0.35, pm_alone=0.25, pm_only=True)
SILENT = TeamProfile(
    0.9, 0.1, HEALTHY_KINDS, whole_trio=0.2, pm_alone=0.5, silent_weeks=SILENT_WEEKS + 1
)


@dataclass
class DiscoveryDemo:
    touchpoints: int
    outcomes: int
    opportunities: int
    solutions: int
    tests: int
    linked_items: int
    silent_team: str
    mature_team: str
    pm_alone_team: str = ""
    stories: list[str] = field(default_factory=list)


def build_discovery_demo(org: DemoOrg, seed: int = 7, today: date | None = None) -> DiscoveryDemo:
    """A quarter of touchpoints and one opportunity solution tree for every product team."""
    rng = random.Random(seed * 7919 + 61)
    today = today or timezone.localdate()
    with transaction.atomic():
        demo = _DemoTeams(org, rng, today)
        _TouchpointBuilder(demo).build()
        _TreeBuilder(demo).build()
    return demo.result()


def has_discovery_demo() -> bool:
    """The sales-led team has a tree (the demo's, or one someone edited since)."""
    return Outcome.objects.filter(team__name=ENTERPRISE_TEAM).exists()


def clear_discovery_demo() -> None:
    """Remove the touchpoints and trees of the teams the demo's people are on."""
    demo_teams = Team.objects.filter(
        memberships__person__email__endswith=f"@{EMAIL_DOMAIN}"
    ).values("pk")
    Touchpoint.objects.filter(team__in=demo_teams).delete()
    Outcome.objects.filter(team__in=demo_teams).delete()


def silent_team_id(org: DemoOrg) -> int:
    """The team that stopped meeting customers: the one without a designer."""
    return org.no_designer_team_id


def mature_team_id(org: DemoOrg) -> int | None:
    """The most mature team: the first, by name, with a full trio and a PM of its own.

    A company too small to have such a team falls back to a team sharing its PM.
    """
    teams = list(
        Team.objects.filter(parent__isnull=False)
        .exclude(pk__in=(org.enterprise_team_id, org.no_designer_team_id))
        .order_by("name", "pk")
    )
    trios = _trios(teams)
    full = [team for team in teams if len(trios[team.pk]) == len(TRIO_ROLES)]
    full.sort(key=lambda team: team.pk in org.spread_pm_team_ids)  # stable: by name within
    return full[0].pk if full else None


def pm_alone_team_id(org: DemoOrg) -> int | None:
    """The team whose designer and engineers never join a touchpoint: the second, by name,
    with a full trio and a PM of its own (the first is the mature team).

    None in a company too small to have two such teams.
    """
    teams = list(
        Team.objects.filter(parent__isnull=False)
        .exclude(pk__in=(org.enterprise_team_id, org.no_designer_team_id, *org.spread_pm_team_ids))
        .order_by("name", "pk")
    )
    trios = _trios(teams)
    full = [team.pk for team in teams if len(trios[team.pk]) == len(TRIO_ROLES)]
    mature = mature_team_id(org)
    return next((pk for pk in full if pk != mature), None)


def _trios(teams: Sequence[Team]) -> dict[int, dict[str, int]]:
    """Each team's trio: role -> person, the first active person by email in each role."""
    trios: dict[int, dict[str, int]] = {team.pk: {} for team in teams}
    memberships = TeamMembership.objects.filter(
        team__in=teams, role__in=TRIO_ROLES, person__active=True
    ).order_by("team_id", "person__email")
    for team_id, role, person_id in memberships.values_list("team_id", "role", "person_id"):
        trios[team_id].setdefault(role, person_id)
    return trios


def _moment(day: date, hour: int) -> datetime:
    """That day at that hour, but never later than now (a touchpoint logged this morning)."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), timezone.now())


class _DemoTeams:
    """The product teams the discovery demo builds for, and what both builders share."""

    def __init__(self, org: DemoOrg, rng: random.Random, today: date) -> None:
        self.org, self.rng, self.today = org, rng, today
        # A team that already has a tree (someone drew it by hand) keeps it, untouched.
        self.teams = list(
            Team.objects.filter(parent__isnull=False, outcome__isnull=True).order_by("name", "pk")
        )
        self.trios = _trios(self.teams)
        self.silent_id = silent_team_id(org)
        self.mature_id = mature_team_id(org)
        self.pm_alone_id = pm_alone_team_id(org)
        # team -> the touchpoints that carry each heard line, by line
        self.evidence: dict[int, dict[str, list[Touchpoint]]] = {}
        self.counts: dict[str, int] = {}

    def profile(self, team: Team) -> TeamProfile:
        if team.pk == self.silent_id:
            return SILENT
        if team.pk == self.org.enterprise_team_id:
            return SALES_LED
        if team.pk in self.org.spread_pm_team_ids:
            return SPREAD
        if team.pk == self.mature_id:
            return MATURE
        if team.pk == self.pm_alone_id:
            return PM_ALONE
        return STEADY

    def tree(self, team: Team) -> TreeSpec:
        return TREES.get(team.name) or generic_tree(team)

    def result(self) -> DiscoveryDemo:
        names = {team.pk: team.name for team in self.teams}
        silent = names.get(self.silent_id, "")
        mature = names.get(self.mature_id, "") if self.mature_id else ""
        pm_alone = names.get(self.pm_alone_id, "") if self.pm_alone_id else ""
        demo = DiscoveryDemo(
            touchpoints=self.counts["touchpoints"],
            outcomes=self.counts["outcomes"],
            opportunities=self.counts["opportunities"],
            solutions=self.counts["solutions"],
            tests=self.counts["tests"],
            linked_items=self.counts["linked_items"],
            silent_team=silent,
            mature_team=mature,
            pm_alone_team=pm_alone,
        )
        demo.stories = [
            f"Discovery: {demo.touchpoints} customer touchpoints over the last {WEEKS} weeks; "
            f"{silent} has had none for {SILENT_WEEKS} weeks, {ENTERPRISE_TEAM} mostly "
            "shadows sales calls (busy, but shadowing is not discovery: few of its weeks "
            f"count), {_join(SPREAD_PM_TEAMS)} often go without their product manager"
            + (f", and {pm_alone}'s designer and engineers never join" if pm_alone else "")
            + ". See the discovery cadence: its kinds per team and its trio findings.",
            f"Discovery: every team has an opportunity solution tree ({demo.opportunities} "
            f"opportunities, {demo.tests} assumption tests); {demo.linked_items} backlog "
            "items and epics are backed by a solution.",
        ]
        return demo


class _Builder:
    """One area of the discovery demo; both share the teams, the counts and the random
    generator, and run in a fixed order (touchpoints, then trees) so a seed always builds
    the same history."""

    def __init__(self, demo: _DemoTeams) -> None:
        self.org, self.rng, self.today = demo.org, demo.rng, demo.today
        self.teams, self.trios = demo.teams, demo.trios
        self.evidence, self.counts = demo.evidence, demo.counts
        self.profile, self.tree = demo.profile, demo.tree


class _TouchpointBuilder(_Builder):
    """A quarter of customer touchpoints, each team after its profile."""

    def build(self) -> None:
        planned: list[tuple[Touchpoint, list[int], str]] = []  # row, participants, heard line
        monday = self.today - timedelta(days=self.today.weekday())
        for team in self.teams:
            profile, spec = self.profile(team), self.tree(team)
            heard = [
                line for opportunity in _walk(spec.opportunities) for line in opportunity.heard
            ]
            trio = self.trios[team.pk]
            for weeks_ago in range(WEEKS - 1, -1, -1):
                if weeks_ago < profile.silent_weeks:
                    continue
                start = monday - timedelta(weeks=weeks_ago)
                count = 0
                if self.rng.random() < profile.weekly_chance:
                    count = 2 if self.rng.random() < profile.second_chance else 1
                kinds = [self._kind(profile) for _ in range(count)]
                kinds += [kind for weeks, kind in profile.extra if weeks == weeks_ago]
                for kind in kinds:
                    last = min(start + timedelta(days=4), self.today)
                    day = start + timedelta(days=self.rng.randint(0, (last - start).days))
                    line = self.rng.choice(heard) if kind in _HEARD_KINDS else ""
                    row = self._touchpoint(team, spec, kind, day, line)
                    planned.append((row, self._participants(profile, trio, kind), line))
        planned.sort(key=lambda entry: (entry[0].date, entry[0].team_id))  # stable
        # Direct: `do_log_touchpoint` stamps now and needs a login; these span thirteen weeks.
        saved = Touchpoint.objects.bulk_create(row for row, _, _ in planned)
        Through = Touchpoint.participants.through
        Through.objects.bulk_create(
            Through(touchpoint_id=row.pk, person_id=person)
            for row, (_, people, _) in zip(saved, planned, strict=True)
            for person in people
        )
        for row, (_, _, line) in zip(saved, planned, strict=True):
            if line:
                self.evidence.setdefault(row.team_id, {}).setdefault(line, []).append(row)
        self.counts["touchpoints"] = len(saved)

    def _touchpoint(
        self, team: Team, spec: TreeSpec, kind: str, day: date, line: str
    ) -> Touchpoint:
        low, high = CUSTOMERS[kind]
        customers = self.rng.randint(low, high)
        segment = self.rng.choice(spec.segments)
        notes = self.rng.choice(NOTES[kind]).format(customers=customers)
        return Touchpoint(
            team=team,
            date=day,
            kind=kind,
            segment=segment,
            customers=customers,
            notes=notes,
            insights=line or self.rng.choice(REVIEW_INSIGHTS),
            created_at=_moment(day, 17),
        )

    def _kind(self, profile: TeamProfile) -> str:
        kinds, weights = zip(*profile.kinds, strict=True)
        return self.rng.choices(kinds, weights=weights)[0]

    def _participants(self, profile: TeamProfile, trio: dict[str, int], kind: str) -> list[int]:
        pm = trio.get(TeamRole.PRODUCT_MANAGER)
        others = [trio[role] for role in TRIO_ROLES[1:] if role in trio]
        roll = self.rng.random()
        if pm is None or self.rng.random() < profile.pm_misses:
            chosen = others[:1] if roll < 0.5 or len(others) < 2 else others
        elif roll < profile.whole_trio:
            chosen = [pm, *others]
        elif roll < profile.whole_trio + profile.pm_alone:
            chosen = [pm]
        else:
            chosen = [pm, *self.rng.sample(others, min(1, len(others)))]
        if kind == Kind.SALES_CALL and pm is not None and pm not in chosen:
            chosen = [pm]  # the sales-led team's PM goes to the deals
        if profile.pm_only and pm is not None:
            chosen = [pm]  # drawn as the others are, so the other teams' history stays put
        return chosen


class _TreeBuilder(_Builder):
    """An opportunity solution tree for every team, citing what its touchpoints heard."""

    def build(self) -> None:
        specs = [(team, self.tree(team)) for team in self.teams]
        # Direct, the tree nodes: `do_save_*` need a login, which the demo may be built without.
        outcomes = Outcome.objects.bulk_create(
            Outcome(
                team=team,
                title=spec.outcome,
                metric=spec.metric,
                baseline=spec.baseline,
                target=spec.target,
                unit=spec.unit,
            )
            for team, spec in specs
        )
        tops = self._opportunities(
            [
                (outcome, None, position, opportunity)
                for outcome, (_, spec) in zip(outcomes, specs, strict=True)
                for position, opportunity in enumerate(spec.opportunities)
            ]
        )
        children = self._opportunities(
            [
                (row.outcome, row, position, child)
                for row, spec in tops
                for position, child in enumerate(spec.children)
            ]
        )
        everything = tops + children
        self._cite(everything)
        solutions = Solution.objects.bulk_create(
            Solution(opportunity=row, title=solution.title, position=position)
            for row, spec in everything
            for position, solution in enumerate(spec.solutions)
        )
        specs_of = [solution for _, spec in everything for solution in spec.solutions]
        tests = AssumptionTest.objects.bulk_create(
            AssumptionTest(
                solution=row,
                assumption=test.assumption,
                test=test.test,
                status=test.status,
                result=test.result,
                position=position,
            )
            for row, spec in zip(solutions, specs_of, strict=True)
            for position, test in enumerate(spec.tests)
        )
        self.counts.update(
            outcomes=len(outcomes),
            opportunities=len(everything),
            solutions=len(solutions),
            tests=len(tests),
        )
        self._link_items(solutions)

    def _opportunities(
        self, planned: list[tuple[Outcome, Opportunity | None, int, OpportunitySpec]]
    ) -> list[tuple[Opportunity, OpportunitySpec]]:
        rows = Opportunity.objects.bulk_create(
            Opportunity(
                outcome=outcome,
                parent=parent,
                title=spec.title,
                description=spec.description,
                position=position,
            )
            for outcome, parent, position, spec in planned
        )
        return [(row, spec) for row, (_, _, _, spec) in zip(rows, planned, strict=True)]

    def _cite(self, opportunities: list[tuple[Opportunity, OpportunitySpec]]) -> None:
        """Each opportunity cites the latest touchpoints where customers said its words."""
        Through = Opportunity.touchpoints.through
        cited = []
        for row, spec in opportunities:
            found = self.evidence.get(row.outcome.team_id, {})
            heard = sorted(
                (touchpoint for line in spec.heard for touchpoint in found.get(line, ())),
                key=lambda touchpoint: (touchpoint.date, touchpoint.pk),
                reverse=True,
            )
            cited += [
                Through(opportunity_id=row.pk, touchpoint_id=touchpoint.pk)
                for touchpoint in heard[:MAX_CITED]
            ]
        Through.objects.bulk_create(cited)
        self.counts["citations"] = len(cited)

    def _link_items(self, solutions: list[Solution]) -> None:
        """The first solution of a team gets an epic, the second a few of its stories.

        The sales-led team's tree backs a single story: its backlog is sales asks.
        """
        names = {team.pk: team.name for team in self.teams}
        by_team: dict[int, list[Solution]] = {}
        for solution in solutions:
            by_team.setdefault(solution.opportunity.outcome.team_id, []).append(solution)
        epics, stories = _linkable_items(list(names.values()))
        Through = Solution.items.through
        links = []
        for team_id, team_solutions in by_team.items():
            project = names[team_id]
            if team_id == self.org.enterprise_team_id:
                chosen = [(team_solutions[-1], stories.get(project, [])[:1])]
            else:
                chosen = [
                    (team_solutions[0], epics.get(project, [])[:1]),
                    (team_solutions[1 % len(team_solutions)], stories.get(project, [])[:3]),
                ]
            links += [
                Through(solution_id=solution.pk, item_id=item)
                for solution, items in chosen
                for item in items
            ]
        Through.objects.bulk_create(links, ignore_conflicts=True)
        self.counts["linked_items"] = len(links)


_HEARD_KINDS = frozenset(
    {Kind.INTERVIEW, Kind.USABILITY_TEST, Kind.PROTOTYPE_TEST, Kind.SUPPORT_CALL, Kind.SALES_CALL}
)


def _walk(opportunities: Sequence[OpportunitySpec]) -> list[OpportunitySpec]:
    found: list[OpportunitySpec] = []
    for opportunity in opportunities:
        found += [opportunity, *_walk(opportunity.children)]
    return found


def _linkable_items(projects: list[str]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Per project: its epics, open ones first; its customer stories, open ones first."""
    epics: dict[str, list[int]] = {}
    stories: dict[str, list[int]] = {}
    rows = (
        Item.objects.filter(project__in=projects)
        .filter(type__in=(ItemType.EPIC, ItemType.FEATURE))
        .values_list("pk", "project", "type", "origin", "status_category", "key")
    )
    ordered = sorted(rows, key=lambda row: (row[4] == StatusCategory.DONE, row[5]))
    for pk, project, kind, origin, _, _ in ordered:
        if kind == ItemType.EPIC:
            epics.setdefault(project, []).append(pk)
        elif origin == Origin.CUSTOMER:
            stories.setdefault(project, []).append(pk)
    return epics, stories


def _join(names: Sequence[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
