"""A team's, or an objective's, weekly status update, written from the data, and the rules
for its health. (An objective's update: `generate_objective_week`, near the end.)

`generate_week(team, monday)` gathers one ISO week of a team that builds from the apps' own
domain functions and returns plain data (the *generated* part of a `StatusUpdate`):

- backlog (`backlog.analysis`, the functions the backlog report runs, over the items of
  the team's project: items whose project is the team's name or its product area):
  items completed in the week (`mix.done_items`), items started (a status change into an
  in-progress status), items shelved (`shelved.shelved_in_progress`), and for the sprints
  that ended in the week (`stability.sprint_stability`): committed, completed, carried
  over, and the scope added mid-sprint by origin. When no sprint ended in the week, the
  sprints that ended the week before stand in (two-week sprints end every other week),
  marked `ended_this_week: false`;
- discovery (`discovery.cadence.load_cadence`): the team's touchpoints in the week, the
  weeks since its last one that counts, and its assumption tests by status (tests carry
  no date, so they are counted as they stand when the update is generated);
- strategy (`strategy.alignment`'s tracing): the objectives the team's in-progress work,
  or its work done in the last two weeks, traces to; an objective *moved* when work traced
  to it was done in those two weeks (this week and the one before: a sprint's length).

Risks are sentences about what could hurt next week ("3 of 8 committed items were
carried over twice or more").

Health rules. Each rule looks at the week's numbers; a rule that fires gives a reason
and a level. The health is *off track* when any rule fires at that level or when three
or more rules fire; *at risk* when any rule fires; else *on track*.

1. carry_over: the items carried over from the week's sprints (committed or added, in the
   sprint at its end and not done), divided by the items committed at the start, is 40% or
   more (at risk); 60% or more (off track). Needs a commitment.
2. sales_scope: at least 2 items were added mid-sprint and half or more of them came from
   sales (at risk).
3. repeat_carry_over: 3 or more of the committed items had been carried over twice or
   more (at risk). An item is carried over by every sprint it was in that ended before it
   was done (or while it is still open), counting the team's sprints up to the week's end.
4. shelved: 2 or more items were put aside after work had started (at risk).
5. no_discovery: no touchpoint that counts as discovery for 3 weeks or more, this week
   included (at risk); 6 weeks or more (off track).
6. objectives_still: the team's work serves objectives and none of them moved in the
   last two weeks (at risk).

The PM may correct the health with a reason; both the computed and the corrected health
are kept. The change since the team's previous update compares with the latest update of
an earlier week (shared if there is one).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import polars as pl
from django.db.models import QuerySet

from productops.backlog.analysis import mix, shelved, stability
from productops.backlog.analysis.membership import current_members
from productops.backlog.analysis.statuses import status_category_expr
from productops.backlog.frames import BacklogFrames, load_frames
from productops.backlog.models import Item, Origin
from productops.backlog.visibility import aggregates_only
from productops.discovery.cadence import iso_monday, iso_week_label, load_cadence
from productops.discovery.models import AssumptionTest, TestStatus
from productops.org.models import Team, builds_product
from productops.reports.models import StatusUpdate
from productops.strategy import alignment
from productops.strategy.models import Objective

ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"
HEALTH_LABELS = {ON_TRACK: "On track", AT_RISK: "At risk", OFF_TRACK: "Off track"}
HEALTH_ORDER = {ON_TRACK: 0, AT_RISK: 1, OFF_TRACK: 2}

CARRY_AT_RISK = 0.4
CARRY_OFF_TRACK = 0.6
SALES_SHARE = 0.5
SALES_MIN_ADDED = 2
REPEAT_CARRIES = 2  # carried over this many times or more counts as "again and again"
REPEAT_ITEMS = 3
SHELVED_ITEMS = 2
QUIET_AT_RISK = 3  # weeks without discovery
QUIET_OFF_TRACK = 6
RULES_FOR_OFF_TRACK = 3
SPRINT_LOOKBACK = timedelta(weeks=1)
MOVEMENT_WEEKS = 2  # objectives move when traced work is done in this many weeks
LISTED = 20  # items listed per group; the counts stay whole

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


# -- weeks --------------------------------------------------------------------------------


def parse_week(text: str) -> date:
    """The Monday of an ISO week written like 2026-W48; ValueError says how to write it."""
    match = _WEEK.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not an ISO week: write it like 2026-W48.")
    year, week = int(match[1]), int(match[2])
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {week}: pick a week from 1 to 52 (or 53).") from None


def week_label(monday: date) -> str:
    return iso_week_label(monday)


def last_complete_week(today: date) -> date:
    """The Monday of the last ISO week that has ended by `today`."""
    return iso_monday(today) - timedelta(weeks=1)


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    """The week as the backlog frames hold times (naive UTC): Monday 00:00 to Sunday's end,
    the bounds `backlog.report.build_report(start=monday, end=sunday)` uses."""
    return datetime.combine(monday, time.min), datetime.combine(monday + timedelta(6), time.max)


# -- the team's projects ------------------------------------------------------------------


def team_projects(team: Team) -> list[str]:
    """The tracker projects a team's work sits in: its name, and its product area if set."""
    names = [team.name]
    if team.product_area and team.product_area != team.name:
        names.append(team.product_area)
    return names


def team_frames(team: Team, every: BacklogFrames | None = None) -> BacklogFrames:
    """The tracker frames of the team's projects: loaded for them, or taken from `every`
    (all the frames, loaded once, when many teams are generated at a time)."""
    if every is not None:
        items = every.items.filter(pl.col("project").is_in(team_projects(team)))
        return BacklogFrames(
            items=items,
            changes=every.changes.filter(pl.col("item_id").is_in(items["id"].implode())),
            sprints=every.sprints,
        )
    loaded = [load_frames(project=name) for name in team_projects(team)]
    if len(loaded) == 1:
        return loaded[0]
    return BacklogFrames(
        items=pl.concat([f.items for f in loaded]).unique("id", maintain_order=True),
        changes=pl.concat([f.changes for f in loaded]).unique(maintain_order=True),
        sprints=loaded[0].sprints,
    )


# -- the numbers the health reads ---------------------------------------------------------


@dataclass
class WeekNumbers:
    """What the health rules read; `generate_week` fills it, tests build it by hand."""

    has_backlog: bool = True
    completed: int = 0
    started: int = 0
    shelved: int = 0
    sprints_ended: int = 0
    committed: int = 0
    carried_over: int = 0
    added: int = 0
    added_sales: int = 0
    carried_repeatedly: int = 0  # committed items carried over REPEAT_CARRIES times or more
    touchpoints: int = 0
    quiet_weeks: int = 0  # weeks without a counting touchpoint, up to and with this week
    quiet_for_longer: bool = False  # no touchpoint in all the weeks read: quiet_weeks or more
    objectives_served: int = 0
    objectives_moved: int = 0

    @property
    def carried_share(self) -> float | None:
        return self.carried_over / self.committed if self.committed else None

    @property
    def sales_share(self) -> float | None:
        return self.added_sales / self.added if self.added else None


@dataclass(frozen=True)
class Reason:
    rule: str
    level: str  # AT_RISK | OFF_TRACK
    sentence: str


def _percent(share: float) -> str:
    return f"{round(100 * share)}%"


def health_reasons(numbers: WeekNumbers) -> list[Reason]:
    """Every rule that fires on the week, in the order of the module docstring."""
    reasons: list[Reason] = []
    share = numbers.carried_share
    if share is not None and share >= CARRY_AT_RISK:
        level = OFF_TRACK if share >= CARRY_OFF_TRACK else AT_RISK
        reasons.append(
            Reason(
                "carry_over",
                level,
                f"{numbers.carried_over} items were carried over into the next sprint, "
                f"against {numbers.committed} committed ({_percent(share)}).",
            )
        )
    sales = numbers.sales_share
    if sales is not None and numbers.added >= SALES_MIN_ADDED and sales >= SALES_SHARE:
        reasons.append(
            Reason(
                "sales_scope",
                AT_RISK,
                f"{numbers.added_sales} of {numbers.added} items added mid-sprint came from sales.",
            )
        )
    if numbers.carried_repeatedly >= REPEAT_ITEMS:
        reasons.append(
            Reason(
                "repeat_carry_over",
                AT_RISK,
                f"{numbers.carried_repeatedly} of {numbers.committed} committed items have "
                f"been carried over {REPEAT_CARRIES} times or more.",
            )
        )
    if numbers.shelved >= SHELVED_ITEMS:
        reasons.append(
            Reason(
                "shelved",
                AT_RISK,
                f"{numbers.shelved} items were put aside after work on them had started.",
            )
        )
    if numbers.quiet_weeks >= QUIET_AT_RISK:
        level = OFF_TRACK if numbers.quiet_weeks >= QUIET_OFF_TRACK else AT_RISK
        reasons.append(
            Reason(
                "no_discovery",
                level,
                f"No discovery touchpoint for {numbers.quiet_weeks} weeks"
                + (" or more." if numbers.quiet_for_longer else "."),
            )
        )
    if numbers.objectives_served and not numbers.objectives_moved:
        reasons.append(
            Reason(
                "objectives_still",
                AT_RISK,
                f"None of the {numbers.objectives_served} objectives the team's work serves "
                f"moved in the last {MOVEMENT_WEEKS} weeks.",
            )
        )
    return reasons


def health_of(reasons: list[Reason]) -> str:
    if any(r.level == OFF_TRACK for r in reasons) or len(reasons) >= RULES_FOR_OFF_TRACK:
        return OFF_TRACK
    return AT_RISK if reasons else ON_TRACK


def risks_of(numbers: WeekNumbers) -> list[str]:
    """What could hurt next: sentences with their numbers (also below the rules' bars)."""
    risks: list[str] = []
    if numbers.carried_repeatedly:
        risks.append(
            f"{numbers.carried_repeatedly} of {numbers.committed} committed items carried "
            f"over {REPEAT_CARRIES} times or more."
        )
    if numbers.added_sales:
        risks.append(
            f"{numbers.added_sales} of {numbers.added} mid-sprint additions came from sales."
        )
    if numbers.quiet_weeks >= 2:
        risks.append(f"{numbers.quiet_weeks} weeks without a discovery touchpoint.")
    if numbers.objectives_served and numbers.objectives_moved < numbers.objectives_served:
        still = numbers.objectives_served - numbers.objectives_moved
        risks.append(f"{still} of {numbers.objectives_served} objectives did not move.")
    return risks


# -- backlog ------------------------------------------------------------------------------


@dataclass
class BacklogWeek:
    item_count: int = 0
    completed: list[int] = field(default_factory=list)
    started: list[int] = field(default_factory=list)
    shelved: list[int] = field(default_factory=list)
    sprints: list[dict[str, Any]] = field(default_factory=list)
    added_by_origin: dict[str, int] = field(default_factory=dict)
    carried: list[int] = field(default_factory=list)  # carried over from the week's sprints
    carried_repeatedly: list[int] = field(default_factory=list)
    traced_ids: set[int] = field(default_factory=set)
    moved_ids: set[int] = field(default_factory=set)  # done in the last MOVEMENT_WEEKS weeks


def started_in(changes: pl.DataFrame, since: datetime, until: datetime) -> list[int]:
    """Items moved into an in-progress status from another category in [since, until]."""
    moves = changes.filter(
        (pl.col("field") == "status") & (pl.col("at") >= since) & (pl.col("at") <= until)
    ).with_columns(
        status_category_expr(pl.col("from_value")).alias("from_category"),
        status_category_expr(pl.col("to_value")).alias("to_category"),
    )
    started = moves.filter(
        (pl.col("to_category") == "in_progress") & (pl.col("from_category") != "in_progress")
    )
    return sorted(set(started["item_id"].to_list()))


def carry_counts(frames: BacklogFrames, until: datetime) -> dict[int, int]:
    """Per item: how many of its sprints ended by `until` before it was done (or while it
    is still open): each such sprint carried it over."""
    lookup = stability.sprint_lookup(frames.sprints)
    ends = frames.sprints.select(
        pl.col("source_id").alias("target"), pl.coalesce("completed", "planned_end").alias("end")
    ).filter(pl.col("end").is_not_null() & (pl.col("end") <= until))
    pairs = (
        current_members(frames.items, "sprints", lookup)
        .join(ends, on="target")
        .join(frames.items.select(pl.col("id").alias("item_id"), "resolved"), on="item_id")
        .filter(pl.col("resolved").is_null() | (pl.col("resolved") > pl.col("end")))
    )
    counts = pairs.group_by("item_id").agg(pl.len().alias("times"))
    return dict(zip(counts["item_id"].to_list(), counts["times"].to_list(), strict=True))


def backlog_week(frames: BacklogFrames, monday: date) -> BacklogWeek:
    since, until = week_bounds(monday)
    items, changes = frames.items, frames.changes
    week = BacklogWeek(item_count=items.height)
    if not items.height:
        return week
    week.completed = mix.done_items(items, start=since, end=until)["id"].to_list()
    week.started = started_in(changes, since, until)
    week.shelved = shelved.shelved_in_progress(items, changes, start=since, end=until)[
        "item_id"
    ].to_list()
    measured = stability.sprint_stability(items, changes, frames.sprints, end=until, as_of=until)
    ended = measured.sprints.filter(pl.col("end") >= since)
    if not ended.height:
        # two-week sprints end every other week: the week reads the one that ended last week
        ended = measured.sprints.filter(pl.col("end") >= since - SPRINT_LOOKBACK)
    ended_ids = set(ended["source_id"].to_list())
    for row in ended.iter_rows(named=True):
        week.sprints.append(
            {
                "name": row["name"],
                "committed": row["committed"],
                "completed": row["completed"],
                "carried_over": row["carried_over"],
                "added": row["added"],
                "removed": row["removed"],
                "end": row["end"].isoformat(),
                "ended_this_week": row["end"] >= since,
            }
        )
    for row in measured.additions.filter(pl.col("source_id").is_in(ended_ids)).iter_rows(
        named=True
    ):
        origin = row["origin"] or Origin.UNKNOWN
        week.added_by_origin[origin] = week.added_by_origin.get(origin, 0) + row["count"]
    week.carried, week.carried_repeatedly = _carried(frames, ended_ids, until)
    window = since - timedelta(weeks=MOVEMENT_WEEKS - 1)
    week.moved_ids = set(mix.done_items(items, start=window, end=until)["id"].to_list())
    in_play = items.filter(
        (pl.col("status_category") == "in_progress") | pl.col("id").is_in(week.moved_ids)
    )
    week.traced_ids = set(in_play["id"].to_list())
    return week


def _carried(
    frames: BacklogFrames, ended: set[str], until: datetime
) -> tuple[list[int], list[int]]:
    """Items in a sprint that ended in the week and not done by its end; those of them
    carried over REPEAT_CARRIES times or more."""
    if not ended:
        return [], []
    lookup = stability.sprint_lookup(frames.sprints)
    ends = frames.sprints.select(
        pl.col("source_id").alias("target"), pl.coalesce("completed", "planned_end").alias("end")
    )
    in_ended = (
        current_members(frames.items, "sprints", lookup)
        .filter(pl.col("target").is_in(ended))
        .join(ends, on="target")
        .join(frames.items.select(pl.col("id").alias("item_id"), "resolved"), on="item_id")
        .filter(pl.col("resolved").is_null() | (pl.col("resolved") > pl.col("end")))
    )
    carried = sorted(set(in_ended["item_id"].to_list()))
    times = carry_counts(frames, until)
    return carried, [pk for pk in carried if times.get(pk, 0) >= REPEAT_CARRIES]


# -- discovery and strategy ---------------------------------------------------------------


def discovery_week(team: Team, monday: date) -> dict[str, Any]:
    sunday = monday + timedelta(6)
    start = monday - timedelta(weeks=QUIET_OFF_TRACK + 6)
    cadence = load_cadence([team.pk], start=start, end=sunday)
    weeks = cadence[0].weeks if cadence else []
    this_week = weeks[-1][1] if weeks else 0
    quiet = 0
    for _, count in reversed(weeks):
        if count:
            break
        quiet += 1
    tests = Counter(
        AssumptionTest.objects.filter(solution__opportunity__outcome__team=team).values_list(
            "status", flat=True
        )
    )
    return {
        "touchpoints": this_week,
        "quiet_weeks": quiet,
        "quiet_for_longer": bool(weeks) and quiet == len(weeks),  # none in the weeks read
        "last_touchpoint": cadence[0].last_counted.isoformat()
        if cadence and cadence[0].last_counted
        else None,
        "assumption_tests": {status: tests.get(status, 0) for status in TestStatus.values},
    }


def strategy_week(week: BacklogWeek, monday: date) -> list[dict[str, Any]]:
    """The objectives (overlapping the week) the team's in-progress work, or its work done
    in the last MOVEMENT_WEEKS weeks, traces to, as `strategy.alignment` traces it; `moved`
    when traced work was done in those weeks."""
    if not week.traced_ids:
        return []
    traced = alignment.objectives_traced(week.traced_ids, monday, monday + timedelta(6))
    completed = week.moved_ids
    served: dict[int, dict[str, Any]] = {}
    for pk, ways in traced.by_item.items():
        for objective_id in ways:
            entry = served.setdefault(
                objective_id,
                {
                    "id": objective_id,
                    "title": traced.objectives[objective_id].title,
                    "done": 0,
                    "open": 0,
                },
            )
            entry["done" if pk in completed else "open"] += 1
    result = sorted(served.values(), key=lambda o: (o["title"], o["id"]))
    for entry in result:
        entry["moved"] = entry["done"] > 0
    return result


# -- the generated update -----------------------------------------------------------------


def _listed(ids: list[int], titles: dict[int, tuple[str, str]]) -> dict[str, Any]:
    return {
        "count": len(ids),
        "items": [
            {"key": titles[pk][0], "title": titles[pk][1]} for pk in ids[:LISTED] if pk in titles
        ],
    }


def numbers_of(generated: dict[str, Any]) -> WeekNumbers:
    """The rules' input, read back from a generated update."""
    backlog = generated["backlog"]
    sprints = backlog["sprints"]
    objectives = generated["strategy"]["objectives"]
    return WeekNumbers(
        has_backlog=backlog["item_count"] > 0,
        completed=backlog["completed"]["count"],
        started=backlog["started"]["count"],
        shelved=backlog["shelved"]["count"],
        sprints_ended=len(sprints),
        committed=sum(s["committed"] for s in sprints),
        carried_over=sum(s["carried_over"] for s in sprints),
        added=sum(s["added"] for s in sprints),
        added_sales=backlog["added_by_origin"].get(Origin.SALES, 0),
        carried_repeatedly=backlog["carried_repeatedly"]["count"],
        touchpoints=generated["discovery"]["touchpoints"],
        quiet_weeks=generated["discovery"]["quiet_weeks"],
        quiet_for_longer=generated["discovery"].get("quiet_for_longer", False),
        objectives_served=len(objectives),
        objectives_moved=sum(1 for o in objectives if o["moved"]),
    )


def generate_week(team: Team, monday: date, frames: BacklogFrames | None = None) -> dict[str, Any]:
    """The generated part of a team's update for the ISO week starting `monday` (from
    `frames`, the team's own, when the caller has them already)."""
    frames = frames if frames is not None else team_frames(team)
    week = backlog_week(frames, monday)
    listed = {
        *week.completed[:LISTED],
        *week.started[:LISTED],
        *week.shelved[:LISTED],
        *week.carried[:LISTED],
        *week.carried_repeatedly[:LISTED],
    }
    titles = {
        pk: (key, title)
        for pk, key, title in Item.objects.filter(pk__in=listed).values_list("pk", "key", "title")
    }
    origins = dict(Origin.choices)
    generated: dict[str, Any] = {
        "team": {"id": team.pk, "name": team.name},
        "week": week_label(monday),
        "week_start": monday.isoformat(),
        "week_end": (monday + timedelta(6)).isoformat(),
        "projects": team_projects(team),
        "backlog": {
            "item_count": week.item_count,
            "completed": _listed(week.completed, titles),
            "started": _listed(week.started, titles),
            "shelved": _listed(week.shelved, titles),
            "carried_over": _listed(week.carried, titles),
            "carried_repeatedly": _listed(week.carried_repeatedly, titles),
            "sprints": week.sprints,
            "added_by_origin": week.added_by_origin,
            "added_by_origin_labels": {k: origins.get(k, k) for k in week.added_by_origin},
        },
        "discovery": discovery_week(team, monday),
        "strategy": {"objectives": strategy_week(week, monday)},
    }
    numbers = numbers_of(generated)
    reasons = health_reasons(numbers)
    generated["health"] = health_of(reasons)
    generated["reasons"] = [asdict(r) for r in reasons]
    generated["risks"] = risks_of(numbers)
    return generated


HEADLINES = (
    ("completed", "Completed"),
    ("started", "Started"),
    ("carried_over", "Carried over"),
    ("shelved", "Shelved"),
    ("added", "Added mid-sprint"),
    ("touchpoints", "Discovery touchpoints"),
    ("objectives_moved", "Objectives moved"),
)


def headline_numbers(generated: dict[str, Any]) -> dict[str, int]:
    numbers = numbers_of(generated)
    return {key: getattr(numbers, key) for key, _ in HEADLINES}


def change_since(generated: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """The change of each headline number and of the health since the previous update."""
    if previous is None:
        return {"previous_week": None, "numbers": {}, "health": None}
    numbers = objective_headline_numbers if is_objective_update(generated) else headline_numbers
    now, before = numbers(generated), numbers(previous["generated"])
    return {
        "previous_week": previous["week"],
        "previous_id": previous["id"],
        "numbers": {key: now[key] - before[key] for key in now},
        "health": {"was": previous["health"], "now": generated["health"]}
        if previous["health"] != generated["health"]
        else None,
    }


# -- one update as plain data, and as Markdown --------------------------------------------


def update_as_dict(update: StatusUpdate, *, with_items: bool) -> dict[str, Any]:
    """A `StatusUpdate` as the page, the API and the command show it. Without `with_items`
    (viewers) no item key or title is in it; the counts stay."""
    generated = update.generated if with_items else aggregates_only(update.generated)
    return {
        "id": update.pk,
        "team": {"id": update.team.pk, "name": update.team.name} if update.team else None,
        "objective": {"id": update.objective.pk, "title": update.objective.title}
        if update.objective
        else None,
        "subject": update.subject_name,
        "week": update.week,
        "week_start": update.week_start.isoformat(),
        "state": update.state,
        "health": update.final_health,
        "health_label": HEALTH_LABELS[update.final_health],
        "generated_health": update.health,
        "corrected": bool(update.corrected_health and update.corrected_health != update.health),
        "correction_reason": update.correction_reason,
        "reasons": update.reasons,
        "note": update.note,
        "written_by": update.written_by,
        "generated_at": update.generated_at.isoformat(),
        "shared_at": update.shared_at.isoformat() if update.shared_at else None,
        "shared_by": update.shared_by,
        "replaces": update.replaces_id,
        "change": update.change,
        "change_lines": change_lines(update.change) if update.change.get("previous_week") else [],
        "generated": generated,
        "with_items": with_items,
    }


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def _item_lines(group: dict[str, Any]) -> list[str]:
    return [f"  - {item['key']} {item['title']}" for item in group.get("items", [])]


def status_markdown(data: dict[str, Any]) -> str:
    """The update as Markdown to paste anywhere; the generated and the written parts apart."""
    generated = data["generated"]
    if is_objective_update(generated):
        return objective_markdown(data)
    backlog, discovery = generated["backlog"], generated["discovery"]
    lines = _markdown_head(data, f"{data['team']['name']}: status for {data['week']}", "PM")
    if data["reasons"]:
        lines += _markdown_reasons(data)
    elif backlog["item_count"]:
        lines += ["No health rule fired this week.", ""]
    if not backlog["item_count"]:
        lines += [
            "No backlog items for this team: import the tracker export with project "
            f"{' or '.join(generated['projects'])}.",
            "",
        ]
    for key, label in (
        ("completed", "Completed this week"),
        ("started", "Started this week"),
        ("carried_over", "Carried over from the sprint"),
        ("shelved", "Shelved after starting"),
    ):
        lines.append(f"- {label}: {backlog[key]['count']}")
        lines += _item_lines(backlog[key])
    for sprint in backlog["sprints"]:
        when = "" if sprint.get("ended_this_week", True) else " the week before"
        lines.append(
            f"- Sprint {sprint['name']} ended{when}: {sprint['completed']} done, "
            f"{sprint['carried_over']} carried over of {sprint['committed']} committed, "
            f"{sprint['added']} added mid-sprint"
        )
    if backlog["added_by_origin"]:
        origins = ", ".join(
            f"{backlog['added_by_origin_labels'].get(origin, origin)} {count}"
            for origin, count in sorted(backlog["added_by_origin"].items(), key=lambda o: -o[1])
        )
        lines.append(f"- Added mid-sprint, by origin: {origins}")
    lines.append(
        f"- Discovery touchpoints: {discovery['touchpoints']}"
        + (f" ({discovery['quiet_weeks']} weeks without one)" if discovery["quiet_weeks"] else "")
    )
    tests = discovery["assumption_tests"]
    if any(tests.values()):
        lines.append(
            "- Assumption tests: "
            + ", ".join(f"{count} {s}" for s, count in tests.items() if count)
        )
    for objective in generated["strategy"]["objectives"]:
        moved = "moved" if objective["moved"] else "did not move"
        lines.append(
            f"- Objective {objective['title']}: {moved} ({objective['done']} done, "
            f"{objective['open']} in progress)"
        )
    if generated["risks"]:
        lines += ["", "Risks:"]
        lines += [f"- {risk}" for risk in generated["risks"]]
    change = data["change"]
    if change and change.get("previous_week"):
        lines += ["", f"Since {change['previous_week']}:"]
        lines += [f"- {line}" for line in change_lines(change)]
    return "\n".join(lines).rstrip() + "\n"


def change_lines(change: dict[str, Any]) -> list[str]:
    """The change since the previous update in words: the health, then each number."""
    lines = []
    if change.get("health"):
        was, now = change["health"]["was"], change["health"]["now"]
        lines.append(f"Health: {HEALTH_LABELS[was]} → {HEALTH_LABELS[now]}")
    labels = {**dict(HEADLINES), **dict(OBJECTIVE_HEADLINES)}
    lines += [
        f"{labels[key]}: {_signed(value)}"
        for key, value in change.get("numbers", {}).items()
        if value
    ]
    return lines or ["No change in the numbers."]


# -- the leader's page --------------------------------------------------------------------


def leader_rows(updates: QuerySet[StatusUpdate], today: date) -> list[dict[str, Any]]:
    """Every team that builds with its latest update among `updates` (a shared one before a
    draft of the same week), flagged stale when it is older than the last complete week."""
    last = last_complete_week(today)
    latest: dict[int, StatusUpdate] = {}
    ordered = (
        updates.filter(team__isnull=False)
        .select_related("team")
        .order_by("team_id", "-week_start", "-state", "-pk")
    )
    for update in ordered:
        assert update.team_id is not None
        latest.setdefault(update.team_id, update)
    rows = []
    for team in Team.objects.filter(builds_product()).order_by("name"):
        found = latest.get(team.pk)
        rows.append(
            {
                "team": team,
                "update": found,
                "health": found.final_health if found else None,
                "health_label": HEALTH_LABELS[found.final_health] if found else "",
                "numbers": headline_numbers(found.generated) if found else {},
                "stale": found is None or found.week_start < last,
            }
        )
    return rows


# -- an objective's weekly update ---------------------------------------------------------
# The subject is a strategy objective instead of a team: the week's work traced to it (by
# `strategy.alignment.objectives_traced`, over every project), the teams it came from, and
# whether the objective moved. Its work in progress is the status at the week's end, read
# back from the status changes (`in_progress_at`), so a past week reads as it stood. Of
# the health rules, those that read items apply to the
# items traced to the objective: 3 (repeat_carry_over: 3 or more of its open items carried
# over twice or more) and 4 (shelved); 6 becomes objective_still (work traced to it is in
# progress and none was done in the last MOVEMENT_WEEKS weeks), and a rule of its own,
# no_work (nothing traced to it is in progress or was done in those weeks), is at risk.
# Rules 1, 2 and 5 read a team's sprints and touchpoints: they do not apply.


OBJECTIVE_HEADLINES = (
    ("completed", "Completed"),
    ("started", "Started"),
    ("shelved", "Shelved"),
    ("open", "In progress"),
    ("teams", "Teams contributing"),
)


def in_progress_at(frames: BacklogFrames, until: datetime) -> set[int]:
    """The items in an in-progress status at `until`, read back from their status changes:
    the last change by then says; an item changed only later had the first later change's
    `from` status; an item never changed has its current status since it was created."""
    items, changes = frames.items, frames.changes
    if not items.height:
        return set()
    moves = changes.filter(pl.col("field") == "status").sort("at")
    before = (
        moves.filter(pl.col("at") <= until)
        .group_by("item_id")
        .agg(pl.col("to_value").last().alias("value"))
    )
    after = (
        moves.filter(pl.col("at") > until)
        .group_by("item_id")
        .agg(pl.col("from_value").first().alias("value"))
        .join(before.select("item_id"), on="item_id", how="anti")
    )
    known = pl.concat([before, after]).with_columns(
        status_category_expr(pl.col("value")).alias("category")
    )
    moving = set(known.filter(pl.col("category") == "in_progress")["item_id"].to_list())
    never = items.filter(
        ~pl.col("id").is_in(known["item_id"].implode())
        & (pl.col("status_category") == "in_progress")
        & (pl.col("created").is_null() | (pl.col("created") <= until))
    )
    return moving | set(never["id"].to_list())


def objective_overlaps(objective: Objective, monday: date) -> bool:
    return objective.period_start <= monday + timedelta(6) and objective.period_end >= monday


def _teams_by_project() -> dict[str, Team]:
    """Each tracker project to the team that builds in it (as `team_projects` reads it)."""
    found: dict[str, Team] = {}
    for team in Team.objects.filter(builds_product()).order_by("name"):
        for name in team_projects(team):
            found.setdefault(name, team)
    return found


def objective_reasons(numbers: dict[str, int]) -> list[Reason]:
    """The health rules that apply to an objective's week (see the note above)."""
    reasons: list[Reason] = []
    if numbers["carried_repeatedly"] >= REPEAT_ITEMS:
        reasons.append(
            Reason(
                "repeat_carry_over",
                AT_RISK,
                f"{numbers['carried_repeatedly']} open items traced to the objective have "
                f"been carried over {REPEAT_CARRIES} times or more.",
            )
        )
    if numbers["shelved"] >= SHELVED_ITEMS:
        reasons.append(
            Reason(
                "shelved",
                AT_RISK,
                f"{numbers['shelved']} items traced to the objective were put aside after "
                "work on them had started.",
            )
        )
    if not numbers["open"] and not numbers["moved"]:
        reasons.append(
            Reason(
                "no_work",
                AT_RISK,
                "No work traced to the objective is in progress or was done in the last "
                f"{MOVEMENT_WEEKS} weeks.",
            )
        )
    elif not numbers["moved"]:
        reasons.append(
            Reason(
                "objective_still",
                AT_RISK,
                f"{numbers['open']} items traced to the objective are in progress and none "
                f"was done in the last {MOVEMENT_WEEKS} weeks.",
            )
        )
    return reasons


def objective_risks(numbers: dict[str, int]) -> list[str]:
    risks: list[str] = []
    if numbers["carried_repeatedly"]:
        risks.append(
            f"{numbers['carried_repeatedly']} open items carried over {REPEAT_CARRIES} "
            "times or more."
        )
    if numbers["shelved"]:
        risks.append(f"{numbers['shelved']} items shelved after starting.")
    if numbers["teams"] == 1:
        risks.append("Only one team works towards it.")
    return risks


def generate_objective_week(
    objective: Objective, monday: date, *, frames: BacklogFrames | None = None
) -> dict[str, Any]:
    """The generated part of an objective's update for the ISO week starting `monday`.
    `frames` (every project's) may be passed in when many updates are generated at once."""
    frames = frames or load_frames()
    since, until = week_bounds(monday)
    items, changes = frames.items, frames.changes
    window = since - timedelta(weeks=MOVEMENT_WEEKS - 1)
    completed: list[int] = []
    started: list[int] = []
    shelved_ids: list[int] = []
    moved: set[int] = set()
    open_ids: set[int] = set()
    if items.height:
        completed = mix.done_items(items, start=since, end=until)["id"].to_list()
        started = started_in(changes, since, until)
        shelved_ids = shelved.shelved_in_progress(items, changes, start=since, end=until)[
            "item_id"
        ].to_list()
        moved = set(mix.done_items(items, start=window, end=until)["id"].to_list())
        open_ids = in_progress_at(frames, until)
    asked = {*completed, *started, *shelved_ids, *moved, *open_ids}
    traced = alignment.objectives_traced(asked, monday, monday + timedelta(6)).items_of(
        objective.pk
    )
    completed = [pk for pk in completed if pk in traced]
    started = [pk for pk in started if pk in traced]
    shelved_ids = [pk for pk in shelved_ids if pk in traced]
    still_open = sorted(pk for pk in open_ids if pk in traced)
    carries = carry_counts(frames, until) if still_open else {}
    repeated = [pk for pk in still_open if carries.get(pk, 0) >= REPEAT_CARRIES]
    done_recently = sorted(pk for pk in moved if pk in traced)
    projects = (
        dict(zip(items["id"].to_list(), items["project"].to_list(), strict=True)) if traced else {}
    )
    by_project = _teams_by_project() if traced else {}
    teams: dict[int, dict[str, Any]] = {}
    for pk in {*completed, *started, *still_open, *done_recently}:
        team = by_project.get(projects.get(pk, ""))
        key = team.pk if team else 0
        entry = teams.setdefault(
            key,
            {
                "id": team.pk if team else None,
                "name": team.name if team else "No team",
                "completed": 0,
                "started": 0,
                "open": 0,
            },
        )
        entry["completed"] += pk in completed
        entry["started"] += pk in started
        entry["open"] += pk in still_open
    listed = {*completed[:LISTED], *started[:LISTED], *shelved_ids[:LISTED], *repeated[:LISTED]}
    titles = {
        pk: (key, title)
        for pk, key, title in Item.objects.filter(pk__in=listed).values_list("pk", "key", "title")
    }
    contributing = sorted(teams.values(), key=lambda t: (t["id"] is None, t["name"]))
    numbers = {
        "completed": len(completed),
        "started": len(started),
        "shelved": len(shelved_ids),
        "open": len(still_open),
        "carried_repeatedly": len(repeated),
        "moved": len(done_recently),
        "teams": sum(1 for t in contributing if t["id"] is not None),
    }
    reasons = objective_reasons(numbers)
    return {
        "kind": "objective",
        "objective": {
            "id": objective.pk,
            "title": objective.title,
            "level": objective.level,
            "period_start": objective.period_start.isoformat(),
            "period_end": objective.period_end.isoformat(),
        },
        "week": week_label(monday),
        "week_start": monday.isoformat(),
        "week_end": (monday + timedelta(6)).isoformat(),
        "backlog": {
            "item_count": len(traced),
            "completed": _listed(completed, titles),
            "started": _listed(started, titles),
            "shelved": _listed(shelved_ids, titles),
            "carried_repeatedly": _listed(repeated, titles),
            "open": len(still_open),
            "done_recently": len(done_recently),
        },
        "teams": contributing,
        "moved": bool(done_recently),
        "numbers": numbers,
        "health": health_of(reasons),
        "reasons": [asdict(r) for r in reasons],
        "risks": objective_risks(numbers),
    }


def is_objective_update(generated: dict[str, Any]) -> bool:
    return generated.get("kind") == "objective"


def objective_headline_numbers(generated: dict[str, Any]) -> dict[str, int]:
    numbers = generated.get("numbers", {})
    return {key: int(numbers.get(key, 0)) for key, _ in OBJECTIVE_HEADLINES}


def objective_rows(
    updates: QuerySet[StatusUpdate], today: date, *, with_owner: bool
) -> list[dict[str, Any]]:
    """Every objective overlapping the last complete week, or having an update among
    `updates`, with its latest update (a shared one before a draft); stale when it is
    older than the last complete week."""
    last = last_complete_week(today)
    latest: dict[int, StatusUpdate] = {}
    ordered = updates.filter(objective__isnull=False).order_by(
        "objective_id", "-week_start", "-state", "-pk"
    )
    for update in ordered:
        assert update.objective_id is not None
        latest.setdefault(update.objective_id, update)
    current = Objective.objects.filter(
        period_start__lte=last + timedelta(6), period_end__gte=last
    ) | Objective.objects.filter(pk__in=list(latest))
    rows = []
    for objective in current.select_related("owner").order_by("-period_start", "level", "title"):
        found = latest.get(objective.pk)
        rows.append(
            {
                "objective": objective,
                "owner": objective.owner.name if with_owner and objective.owner else "",
                "update": found,
                "health": found.final_health if found else None,
                "health_label": HEALTH_LABELS[found.final_health] if found else "",
                "numbers": objective_headline_numbers(found.generated) if found else {},
                "stale": found is None or found.week_start < last,
            }
        )
    return rows


def _markdown_head(data: dict[str, Any], title: str, writer: str) -> list[str]:
    """Title, health (and its correction), draft mark, the writer's paragraph, then the
    heading of the generated part: the same for a team's and an objective's update."""
    corrected = (
        f" (corrected from {HEALTH_LABELS[data['generated_health']]}: {data['correction_reason']})"
        if data["corrected"]
        else ""
    )
    lines = [f"# {title}", "", f"**Health: {data['health_label']}**{corrected}", ""]
    if data["state"] != "shared":
        lines += ["_Draft: not shared yet._", ""]
    lines += [f"## From the {writer}", "", data["note"].strip() or "_No paragraph written._", ""]
    return [*lines, "## From the data", ""]


def _markdown_reasons(data: dict[str, Any]) -> list[str]:
    return [
        "Why this health:",
        *(f"- {reason['sentence']}" for reason in data["reasons"]),
        "",
    ]


def objective_markdown(data: dict[str, Any]) -> str:
    """An objective's update as Markdown; the generated and the written parts apart."""
    generated = data["generated"]
    backlog = generated["backlog"]
    title = f"Objective {generated['objective']['title']}: status for {data['week']}"
    lines = _markdown_head(data, title, "owner")
    if data["reasons"]:
        lines += _markdown_reasons(data)
    else:
        lines += ["No health rule fired this week.", ""]
    moved = "moved" if generated["moved"] else "did not move"
    lines.append(
        f"- The objective {moved} (work done in the last {MOVEMENT_WEEKS} weeks: "
        f"{backlog['done_recently']})"
    )
    for key, label in (
        ("completed", "Completed this week"),
        ("started", "Started this week"),
        ("shelved", "Shelved after starting"),
        ("carried_repeatedly", f"Open, carried over {REPEAT_CARRIES} times or more"),
    ):
        lines.append(f"- {label}: {backlog[key]['count']}")
        lines += _item_lines(backlog[key])
    lines.append(f"- In progress: {backlog['open']}")
    if generated["teams"]:
        lines.append("- Teams contributing:")
        lines += [
            f"  - {team['name']}: {team['completed']} done, {team['started']} started, "
            f"{team['open']} in progress"
            for team in generated["teams"]
        ]
    if generated["risks"]:
        lines += ["", "Risks:"]
        lines += [f"- {risk}" for risk in generated["risks"]]
    change = data["change"]
    if change and change.get("previous_week"):
        lines += ["", f"Since {change['previous_week']}:"]
        lines += [f"- {line}" for line in change_lines(change)]
    return "\n".join(lines).rstrip() + "\n"
