"""Loads the plain facts `gaps.py` works on, in a number of queries that does not grow
with the number of people.

One person (`load_person_gaps`) or a group (`load_group_gaps`: a team, the org, a
manager's chain) costs the same handful of queries: the people, the competencies of the
cycle's model version, the submitted ratings, the ladder levels and expectations of the
model, and (when asked) the previous cycle of each person with its ratings.

Only submitted requests are read, and peer answers only once they are released
(`visibility.peer_releases`): every loader leaves unreleased peer answers out unless the
caller passes `live=True`, which only a viewer for whom `visibility.sees_peer_results_live`
holds (admins) may ask for. Results say which they hold (`PersonGaps.peer_results`), and
counts are exact only with `live=True`. Who sees whom is not decided here: callers pass
people the user may see, and `visibility.visible_group_gaps` trims a group's result per
role.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Q, QuerySet

from productops.competencies import gaps
from productops.competencies.models import (
    AssessmentCycle,
    AssessmentRequest,
    Competency,
    CompetencyModel,
    Expectation,
    LadderLevel,
    Rating,
)
from productops.competencies.visibility import (
    PEER_ANONYMITY_THRESHOLD,
    PeerRelease,
    peer_releases,
)
from productops.org.models import Person

SUBMITTED = AssessmentRequest.Status.SUBMITTED


@dataclass(frozen=True)
class LevelMatch:
    ladder: str
    level: str
    expectations: dict[str, int]

    @property
    def label(self) -> str:
        return f"{self.level} ({self.ladder})"


@dataclass(frozen=True)
class GroupGaps:
    """Everyone assessed in one cycle within a scope (team, org, chain), before privacy."""

    cycle: AssessmentCycle
    competencies: list[gaps.CompetencyFact]
    steps: list[int]
    results: list[gaps.PersonGaps]  # in name order
    distribution: list[gaps.CompetencyDistribution]

    @property
    def person_ids(self) -> set[int]:
        return {result.person.id for result in self.results}


# ---------------------------------------------------------------------------------------
# Cycles
# ---------------------------------------------------------------------------------------


def _newest_first(cycles: QuerySet[AssessmentCycle]) -> QuerySet[AssessmentCycle]:
    return cycles.select_related("version__model").order_by("-opened_at", "-pk")


def cycles_for_person(person: Person) -> list[AssessmentCycle]:
    """Cycles with submitted answers about the person, newest first (one query)."""
    return list(
        _newest_first(
            AssessmentCycle.objects.filter(
                pk__in=AssessmentRequest.objects.filter(subject=person, status=SUBMITTED).values(
                    "cycle_id"
                )
            )
        )
    )


def cycles_with_answers(
    people: QuerySet[Person] | None = None, model: CompetencyModel | None = None
) -> list[AssessmentCycle]:
    """Cycles with submitted answers about anyone in `people` (everyone when None)."""
    answered = AssessmentRequest.objects.filter(status=SUBMITTED)
    if people is not None:
        answered = answered.filter(subject__in=people.values("pk"))
    cycles = AssessmentCycle.objects.filter(pk__in=answered.values("cycle_id"))
    if model is not None:
        cycles = cycles.filter(version__model=model)
    return list(_newest_first(cycles))


def models_with_answers() -> list[CompetencyModel]:
    """Competency models that have a cycle with submitted answers, by name."""
    answered = AssessmentRequest.objects.filter(status=SUBMITTED).values("cycle__version__model_id")
    return list(CompetencyModel.objects.filter(pk__in=answered).order_by("name"))


def scale_steps(cycle: AssessmentCycle) -> list[int]:
    return sorted(int(entry["step"]) for entry in cycle.version.scale)


def cycle_fact(cycle: AssessmentCycle | None) -> gaps.CycleFact | None:
    if cycle is None:
        return None
    return gaps.CycleFact(
        id=cycle.pk,
        name=cycle.name,
        model=cycle.version.model.name,
        version=cycle.version.number,
    )


# ---------------------------------------------------------------------------------------
# Competencies, people, expectations
# ---------------------------------------------------------------------------------------


def competency_facts(version_id: int) -> list[gaps.CompetencyFact]:
    """The competencies of a model version in model order (one query)."""
    return [
        gaps.CompetencyFact(key=key, name=name, area=area)
        for key, name, area in Competency.objects.filter(version_id=version_id)
        .order_by("area__position", "position", "pk")
        .values_list("key", "name", "area__name")
    ]


def _person_facts(people: QuerySet[Person]) -> list[gaps.PersonFact]:
    return [
        gaps.PersonFact(
            id=pk,
            name=name,
            level=level,
            discipline=discipline,
            manager_id=manager_id,
            manager_name=manager_name or "",
        )
        for pk, name, level, discipline, manager_id, manager_name in people.order_by(
            "name", "pk"
        ).values_list("pk", "name", "level", "discipline", "manager_id", "manager__name")
    ]


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def match_levels(people: Iterable[Any], model: CompetencyModel | int) -> dict[int, LevelMatch]:
    """The ladder level of each person for a model, in two queries.

    A person's `level` matches a level of a ladder for this model and the person's
    discipline by the level's key, name or any alias, ignoring case and extra spaces.
    With several such ladders, the first by name that has a match wins. People without a
    match are left out.
    """
    model_id = model if isinstance(model, int) else model.pk
    levels = list(
        LadderLevel.objects.filter(ladder__model_id=model_id)
        .select_related("ladder")
        .order_by("ladder__name", "ladder_id", "position", "pk")
    )
    expected: dict[int, dict[str, int]] = defaultdict(dict)
    for level_id, key, step in (
        Expectation.objects.filter(level__ladder__model_id=model_id)
        .order_by()
        .values_list("level_id", "competency_key", "step")
    ):
        expected[level_id][key] = step
    by_discipline: dict[str, dict[str, LadderLevel]] = defaultdict(dict)
    for level in levels:
        names = [level.key, level.name, *(str(alias) for alias in level.aliases or [])]
        for name in names:
            # setdefault: the first ladder by name keeps a spelling both ladders use
            by_discipline[level.ladder.discipline].setdefault(_normal(name), level)
    matches = {}
    for person in people:
        pk = getattr(person, "pk", None) or person.id
        found = by_discipline.get(person.discipline, {}).get(_normal(person.level or ""))
        if found is not None and person.level.strip():
            matches[pk] = LevelMatch(
                ladder=found.ladder.name, level=found.name, expectations=dict(expected[found.pk])
            )
    return matches


def expectations_for_people(
    people: Iterable[Any], model: CompetencyModel | int
) -> dict[int, dict[str, int]]:
    """Person id -> competency key -> expected step, for everyone given ({} when unmatched).

    `people` are `Person` rows or `gaps.PersonFact`s: anything with an id, a level and a
    discipline.
    """
    people = list(people)
    matches = match_levels(people, model)
    result = {}
    for person in people:
        pk = getattr(person, "pk", None) or person.id
        match = matches.get(pk)
        result[pk] = dict(match.expectations) if match else {}
    return result


# ---------------------------------------------------------------------------------------
# Answers
# ---------------------------------------------------------------------------------------


def _add(sheet: dict[str, dict[str, list[int]]], kind: str, key: str, score: int) -> None:
    by_kind = sheet.get(key)
    if by_kind is None:
        by_kind = sheet[key] = {}
    scores = by_kind.get(kind)
    if scores is None:
        by_kind[kind] = [score]
    else:
        scores.append(score)


def score_sheets(
    cycle_id: int, person_ids: list[int], *, released: set[int] | None = None
) -> dict[int, gaps.ScoreSheet]:
    """Person id -> their submitted scores in a cycle by competency and kind (one query).

    "Not observed" answers are left out in the query. No object per rating: an org of
    300 people holds some 18,000 of them. `released`: the people whose peer answers are
    released; the peer answers of everyone else are left out (None: keep every answer).
    """
    sheets: dict[int, dict[str, dict[str, list[int]]]] = {}
    # No order: the default (request, then subject name) would join people and sort.
    rows = (
        Rating.objects.filter(
            request__cycle_id=cycle_id,
            request__status=SUBMITTED,
            request__subject_id__in=person_ids,
            not_observed=False,
            score__isnull=False,
        )
        .order_by()
        .values_list("request__subject_id", "request__kind", "competency_key", "score")
    )
    for subject_id, kind, key, score in rows:
        if released is not None and kind == gaps.PEER and subject_id not in released:
            continue
        sheet = sheets.get(subject_id)
        if sheet is None:
            sheet = sheets[subject_id] = {}
        if score is not None:  # the query leaves unscored answers out; this tells mypy
            _add(sheet, kind, key, score)
    return cast(dict[int, gaps.ScoreSheet], sheets)


def latest_rating_sheets(
    person_ids: Iterable[int],
    *,
    model_id: int | None = None,
    before: AssessmentCycle | None = None,
    live: bool = False,
) -> tuple[dict[int, AssessmentCycle], dict[int, gaps.ScoreSheet]]:
    """Each person's latest cycle with a submitted request, and the submitted ratings in it.

    `model_id` keeps only cycles of that competency model; `before` keeps only cycles
    opened before that one (ties broken by id). Returns (cycle per person, score sheet per
    person: competency key -> request kind -> scores); people without such a cycle are
    absent, and a person whose latest cycle has no scored answer has no sheet. Peer
    answers not yet released are left out unless `live` (admins only). 3 queries at most.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return {}, {}
    requests = AssessmentRequest.objects.filter(subject_id__in=ids, status=SUBMITTED)
    if before is not None:
        requests = requests.filter(
            Q(cycle__opened_at__lt=before.opened_at)
            | Q(cycle__opened_at=before.opened_at, cycle_id__lt=before.pk)
        )
    if model_id is not None:
        requests = requests.filter(cycle__version__model_id=model_id)
    latest: dict[int, AssessmentCycle] = {}
    for request in requests.select_related("cycle__version__model").order_by(
        "subject_id", "-cycle__opened_at", "-cycle_id"
    ):
        latest.setdefault(request.subject_id, request.cycle)
    sheets: dict[int, dict[str, dict[str, list[int]]]] = {}
    if not latest:
        return latest, {}
    rows = (
        Rating.objects.filter(
            request__cycle_id__in={c.pk for c in latest.values()},
            request__status=SUBMITTED,
            request__subject_id__in=list(latest),
            not_observed=False,
            score__isnull=False,
        )
        .order_by()
        .values_list(
            "request__subject_id", "request__cycle_id", "request__kind", "competency_key", "score"
        )
    )
    kept = [
        (subject_id, kind, key, score)
        for subject_id, cycle_id, kind, key, score in rows
        if latest[subject_id].pk == cycle_id and score is not None
    ]
    held_back: set[int] = set()
    # Only peer answers in open cycles wait for a release: ask the rule about those only.
    waiting = {s for s, kind, _, _ in kept if kind == gaps.PEER and latest[s].is_open}
    if waiting and not live:
        releases = peer_releases((latest[subject_id], subject_id) for subject_id in waiting)
        held_back = {s for (_, s), release in releases.items() if not release.released}
    for subject_id, kind, key, score in kept:
        if kind == gaps.PEER and subject_id in held_back:
            continue
        _add(sheets.setdefault(subject_id, {}), kind, key, score)
    return latest, cast(dict[int, gaps.ScoreSheet], sheets)


def _previous(
    cycle: AssessmentCycle, person_ids: list[int], live: bool
) -> tuple[dict[int, AssessmentCycle], dict[int, gaps.ScoreSheet]]:
    """Each person's previous cycle with the same model, and their answers in it."""
    return latest_rating_sheets(
        person_ids, model_id=cycle.version.model_id, before=cycle, live=live
    )


def releases_in(cycle: AssessmentCycle, person_ids: Iterable[int]) -> dict[int, PeerRelease]:
    """Person id -> the release of their peer results in the cycle (`visibility`'s rule)."""
    return {
        subject_id: release
        for (_, subject_id), release in peer_releases(
            (cycle, subject_id) for subject_id in person_ids
        ).items()
    }


def _results(
    cycle: AssessmentCycle,
    people: list[gaps.PersonFact],
    competencies: list[gaps.CompetencyFact],
    with_previous: bool,
    live: bool,
) -> list[gaps.PersonGaps]:
    ids = [person.id for person in people]
    releases = releases_in(cycle, ids)
    released = {pk for pk, release in releases.items() if release.released}
    sheets = score_sheets(cycle.pk, ids, released=None if live else released)
    levels = match_levels(people, cycle.version.model_id)
    previous_cycles: dict[int, AssessmentCycle] = {}
    previous_sheets: dict[int, gaps.ScoreSheet] = {}
    if with_previous:
        previous_cycles, previous_sheets = _previous(cycle, ids, live)
    this_cycle = cycle_fact(cycle)
    steps = scale_steps(cycle)
    results = []
    for person in people:
        match = levels.get(person.id)
        before = previous_cycles.get(person.id)
        release = releases[person.id]
        if live:
            peer_results = gaps.PEERS_LIVE
        elif release.released or not release.asks_peers:
            peer_results = gaps.PEERS_RELEASED
        else:
            peer_results = gaps.PEERS_PENDING
        results.append(
            gaps.person_gaps(
                person,
                competencies,
                sheets.get(person.id, {}),
                match.expectations if match else {},
                previous_sheets.get(person.id, {}) if before else None,
                cycle=this_cycle,
                previous_cycle=cycle_fact(before),
                expected_for=match.label if match else "",
                peer_threshold=PEER_ANONYMITY_THRESHOLD,
                steps=steps,
                peer_results=peer_results,
                peers_released=release.released,
                exact_peer_counts=live,
            )
        )
    return results


def load_person_gaps(
    person: Person, cycle: AssessmentCycle | None = None, *, live: bool = False
) -> gaps.PersonGaps | None:
    """One person's gaps in a cycle; by default the latest cycle with answers about them.

    None when the person has no submitted answers in any cycle. Peer answers count only
    once released, unless `live` (for `visibility.sees_peer_results_live` viewers).
    """
    if cycle is None:
        found = cycles_for_person(person)
        if not found:
            return None
        cycle = found[0]
    facts = _person_facts(Person.objects.filter(pk=person.pk))
    competencies = competency_facts(cycle.version_id)
    return _results(cycle, facts, competencies, with_previous=True, live=live)[0]


def load_group_gaps(
    people: QuerySet[Person],
    cycle: AssessmentCycle,
    with_previous: bool = False,
    *,
    live: bool = False,
) -> GroupGaps:
    """Gaps of everyone in `people` with submitted answers about them in the cycle.

    The distribution covers all of them; trimming per viewer is the visibility module's
    job. Peer answers count only once released, unless `live`. The query count does not
    depend on how many people there are.
    """
    assessed = people.filter(
        pk__in=AssessmentRequest.objects.filter(cycle=cycle, status=SUBMITTED).values("subject_id")
    )
    facts = _person_facts(assessed)
    competencies = competency_facts(cycle.version_id)
    steps = scale_steps(cycle)
    results = _results(cycle, facts, competencies, with_previous, live) if facts else []
    return GroupGaps(
        cycle=cycle,
        competencies=competencies,
        steps=steps,
        results=results,
        distribution=gaps.distribution(results, competencies, steps),
    )


# ---------------------------------------------------------------------------------------
# What a page, the API or the command asked for
# ---------------------------------------------------------------------------------------


def choose_cycle(cycles: list[AssessmentCycle], wanted: int | str | None) -> AssessmentCycle | None:
    """The cycle with id `wanted` among `cycles`, or the newest when nothing is asked.

    Raises LookupError when `wanted` is not one of them (pages answer 404).
    """
    if wanted in (None, ""):
        return cycles[0] if cycles else None
    try:
        wanted_id = int(wanted)
    except (TypeError, ValueError):
        raise LookupError(f"no cycle {wanted!r}") from None
    for cycle in cycles:
        if cycle.pk == wanted_id:
            return cycle
    raise LookupError(f"no cycle {wanted!r}")


@dataclass(frozen=True)
class GroupChoice:
    """A team's or the org's gaps for the model and cycle asked for, with the options."""

    models: list[CompetencyModel]
    model: CompetencyModel | None
    cycles: list[AssessmentCycle]
    cycle: AssessmentCycle | None
    group: GroupGaps | None


def load_group_choice(
    people: QuerySet[Person],
    *,
    cycle: int | str | None = None,
    model: str | None = None,
    live: bool = False,
) -> GroupChoice:
    """Options and gaps for a group: `model` is a model's slug, `cycle` a cycle id.

    Defaults: the latest cycle with submitted answers about anyone in the group (of the
    chosen model, when one is given). Raises LookupError for an unknown model or cycle.
    """
    models = models_with_answers()
    chosen_model = None
    if model:
        chosen_model = next((m for m in models if m.slug == model), None)
        if chosen_model is None:
            raise LookupError(f"no model {model!r} with submitted assessments")
    cycles = cycles_with_answers(people, chosen_model)
    chosen = choose_cycle(cycles, cycle)
    group = load_group_gaps(people, chosen, live=live) if chosen is not None else None
    return GroupChoice(models=models, model=chosen_model, cycles=cycles, cycle=chosen, group=group)
