"""Who sees what of coaching: the one place that decides it.

- A coaching plan is a private record of its person: the person, their management chain
  and admins see it; so does a coach the manager named on that plan (that plan only).
  Changing a plan's goals is for the person's managers, admins and the plan's coaches;
  check-ins may also be recorded by the person themselves. The plan's status (draft,
  active, closed) and who coaches it are for the person's managers and admins only
  (`can_manage_plan`): a coach cannot name further coaches.
- A 1:1 series and its meetings, shared notes, talking points and action items are seen
  by the two participants, the report's management chain and admins. The participants
  and admins change meetings, notes, talking points and actions (`can_edit_series`);
  the lead and admins change the series itself: cadence, duration, ending it
  (`can_manage_series`).
- A private note is seen by its author only. Not the other participant, not a manager,
  not an admin: no role opens it. While the author's password is one someone else set
  (`accounts.password_notices`), not even the author's login reads or writes it, so an
  admin who sets it cannot read the notes with it.
- Each note says who reads it (`shared_note_readers`, `private_note_readers`), computed
  from the rules above: the page and the API print that sentence, and a test checks
  that everyone it names can read and no one else can.
- Cadence health follows the series: each user sees the health of the series they may
  see. How many hours a week a manager's 1:1s take (`cadence_load_scope`) is for admins
  (every manager) and managers (themselves and the managers in their chain). Viewers
  see only how many series are on cadence, overdue, lapsed or ended
  (`sees_series_names` is False for them).
- Communities, their sessions and attendance counts are visible to every logged-in
  user. Who attended is a directory-level fact: admins, managers and members see the
  names (`sees_attendee_names`); viewers see counts and the discipline mix only. The
  participation report is an aggregate, so every role sees it.
- Admins and managers create communities and sessions (`can_manage_communities`);
  attendance is recorded by them, by the community's organizer, and for one session by
  its facilitator (`can_record_attendance`).
- The practice library is read by every logged-in user, viewers included: it holds no
  one's records. Deactivated practices are seen only by admins, who alone add, edit and
  deactivate practices (`can_edit_practices`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, Q, QuerySet

from productops.accounts.models import Role
from productops.accounts.password_notices import pending_notices
from productops.accounts.roles import Login, person_id_of, role_of
from productops.accounts.visibility import visible_or_404
from productops.coaching.models import (
    ActionItem,
    CoachingPlan,
    Community,
    CommunitySession,
    Goal,
    OneOnOne,
    OneOnOneSeries,
    Practice,
    PrivateNote,
)
from productops.org.models import Person
from productops.org.visibility import (
    can_see_private_records,
    management_chain_ids,
    reporting_chain_ids,
)


def _chain_people(user: Login) -> set[int] | None:
    """People whose private records this user sees through their role: None = everyone."""
    role = role_of(user)
    if role is Role.ADMIN:
        return None
    me = person_id_of(user)
    if me is None or role not in (Role.MANAGER, Role.MEMBER):
        return set()
    return (reporting_chain_ids(me) | {me}) if role is Role.MANAGER else {me}


def visible_plans(user: Login) -> QuerySet[CoachingPlan]:
    people = _chain_people(user)
    if people is None:
        return CoachingPlan.objects.all()
    if not getattr(user, "is_authenticated", False):
        return CoachingPlan.objects.none()
    return CoachingPlan.objects.filter(Q(person_id__in=people) | Q(coaches=user)).distinct()


def plan_or_404(user: Login, pk: int) -> CoachingPlan:
    """A plan this user may see, or 404 (not 403: do not confirm that it exists)."""
    plans = visible_plans(user).select_related(
        "person", "manager", "source_cycle__version__model", "created_by"
    )
    return visible_or_404(plans, "No such plan", pk=pk)


def goal_or_404(user: Login, pk: int) -> Goal:
    goals = Goal.objects.filter(plan__in=visible_plans(user)).select_related("plan__person")
    return visible_or_404(goals, "No such goal", pk=pk)


def can_see_plan(user: Login, plan: CoachingPlan) -> bool:
    if can_see_private_records(user, plan.person):
        return True
    return user.pk is not None and plan.coaches.filter(pk=user.pk).exists()


def can_edit_plan(user: Login, plan: CoachingPlan) -> bool:
    """Goals, coaches, status: the person's managers, admins and the plan's coaches."""
    if role_of(user) is Role.ADMIN:
        return True
    me = person_id_of(user)
    if me is not None and me != plan.person_id and can_see_private_records(user, plan.person):
        return True
    return user.pk is not None and plan.coaches.filter(pk=user.pk).exists()


def can_check_in(user: Login, plan: CoachingPlan) -> bool:
    """Check-ins: everyone who may edit the plan, and the person themselves."""
    return person_id_of(user) == plan.person_id or can_edit_plan(user, plan)


def can_manage_plan(user: Login, plan: CoachingPlan) -> bool:
    """Status and coaches: the person's managers and admins (not coaches, not the person)."""
    if role_of(user) is Role.ADMIN:
        return True
    me = person_id_of(user)
    return me is not None and me != plan.person_id and can_see_private_records(user, plan.person)


def can_draft_plan_for(user: Login, person: Any) -> bool:
    """Admins, and managers for people in their reporting chain."""
    role = role_of(user)
    if role is Role.ADMIN:
        return True
    me = person_id_of(user)
    return role is Role.MANAGER and me is not None and person.pk in reporting_chain_ids(me)


def people_to_draft_for(user: Login) -> QuerySet[Person]:
    """Active people this user may draft a plan for (`can_draft_plan_for`), by name."""
    people = Person.objects.filter(active=True).order_by("name", "pk")
    role = role_of(user)
    if role is Role.ADMIN:
        return people
    me = person_id_of(user)
    if role is not Role.MANAGER or me is None:
        return people.none()
    return people.filter(pk__in=reporting_chain_ids(me))


def visible_series(user: Login) -> QuerySet[OneOnOneSeries]:
    people = _chain_people(user)
    if people is None:
        return OneOnOneSeries.objects.all()
    me = person_id_of(user)
    if me is None:
        return OneOnOneSeries.objects.none()
    return OneOnOneSeries.objects.filter(Q(lead_id=me) | Q(report_id=me) | Q(report_id__in=people))


def series_or_404(user: Login, pk: int) -> OneOnOneSeries:
    """A 1:1 series this user may see, or 404 (not 403: do not confirm that it exists)."""
    series = visible_series(user).select_related("lead", "report")
    return visible_or_404(series, "No such 1:1 series", pk=pk)


def meeting_or_404(user: Login, pk: int) -> OneOnOne:
    meetings = visible_meetings(user).select_related("series__lead", "series__report")
    return visible_or_404(meetings, "No such 1:1", pk=pk)


def can_see_series(user: Login, series: OneOnOneSeries) -> bool:
    me = person_id_of(user)
    if me is not None and me in (series.lead_id, series.report_id):
        return True
    return can_see_private_records(user, series.report)


def is_participant(user: Login, series: OneOnOneSeries) -> bool:
    return person_id_of(user) in (series.lead_id, series.report_id)


def can_edit_series(user: Login, series: OneOnOneSeries) -> bool:
    """Notes, talking points, actions and meetings: the participants and admins."""
    return is_participant(user, series) or role_of(user) is Role.ADMIN


def can_start_series(user: Login, lead: Person | None = None) -> bool:
    """Who may start a 1:1 series: admins for anyone; a manager or member linked to a
    person for a series they lead themselves. Without `lead`: may start one at all (the
    "Start 1:1s" button); `check_create_series` asks the same with the series' lead."""
    if role_of(user) is Role.ADMIN:
        return True
    me = person_id_of(user)
    if me is None or role_of(user) not in (Role.MANAGER, Role.MEMBER):
        return False
    return lead is None or lead.pk == me


def can_manage_series(user: Login, series: OneOnOneSeries) -> bool:
    """Cadence, duration, kind, ending and restarting: the lead and admins."""
    return role_of(user) is Role.ADMIN or person_id_of(user) == series.lead_id


def visible_meetings(user: Login) -> QuerySet[OneOnOne]:
    return OneOnOne.objects.filter(series__in=visible_series(user))


def visible_actions(user: Login) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(series__in=visible_series(user))


def own_private_notes(user: Login) -> QuerySet[PrivateNote]:
    """The only way to read private notes: the author's own, for everyone, admins included.

    None at all while the login's password is one someone else set: whoever set it knows
    it, so it opens no private note until the login has chosen its own (one query still).
    """
    if user.pk is None:  # the anonymous visitor
        return PrivateNote.objects.none()
    return PrivateNote.objects.filter(author_id=user.pk).filter(~Exists(pending_notices(user)))


def private_notes_locked(user: Login) -> bool:
    """True while the login may not read or write its private notes (see above)."""
    return user.pk is not None and pending_notices(user).exists()


PRIVATE_NOTE_READERS = "Visible to you only"


def private_note_readers() -> str:
    """Who reads a private note: its author, whoever the author is."""
    return f"{PRIVATE_NOTE_READERS}."


def _and(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _can_log_in(user: User | None) -> bool:
    return user is not None and user.is_active


@dataclass(frozen=True)
class NoteReaders:
    """Who reads a series' shared notes (and everything else of it), by the rules above.

    `participants`: the lead and the report; `chain`: the report's managers, nearest
    first, whose login has the manager or admin role (a manager whose login is a member,
    or who has none, does not read it); `admins`: every other active admin login, as
    (login id, name). The participants' logins read it whatever their role.
    """

    report: Person
    participants: tuple[Person, ...]
    chain: tuple[Person, ...]
    admins: tuple[tuple[int, str], ...]

    def login_ids(self) -> set[int]:
        """The logins that read the notes today."""
        people = self.participants + self.chain
        ids = {p.user_id for p in people if p.user_id is not None and _can_log_in(p.user)}
        return ids | {pk for pk, _ in self.admins}

    def sentence_for(self, user: Login) -> str:
        """The sentence for `user`, e.g. "Visible to you, Priya PM, Priya's management chain
        (Hana Head) and the admin (root)." """
        me = person_id_of(user)
        you = user.pk is not None and user.pk in self.login_ids()
        parts: list[str] = []
        for person in self.participants:
            if person.pk == me:
                continue
            no_login = "" if _can_log_in(person.user) else " (no active login)"
            parts.append(f"{person.name}{no_login}")
        chain = [p.name for p in self.chain if p.pk != me]
        if chain:
            first = self.report.name.split()[0]
            parts.append(f"{first}'s management chain ({', '.join(chain)})")
        admins = [name for pk, name in self.admins if pk != user.pk]
        if admins:
            parts.append(f"{'admins' if len(admins) > 1 else 'the admin'} ({', '.join(admins)})")
        if you:
            parts.insert(0, "you")
        return f"Visible to {_and(parts)}." if parts else f"{PRIVATE_NOTE_READERS}."


def shared_note_readers(series: OneOnOneSeries) -> NoteReaders:
    """Everyone who reads a series' shared notes, from `visible_series`' own rule.

    Four queries whatever the size of the org (one more per chain manager whose login has
    no account row)."""
    people = Person.objects.filter(pk__in=[series.lead_id, series.report_id])
    # The lead first, then the report.
    participants = tuple(
        sorted(people.select_related("user__account"), key=lambda p: p.pk != series.lead_id)
    )
    report = next(p for p in participants if p.pk == series.report_id)
    order = [pk for pk in management_chain_ids(series.report_id) if pk != series.lead_id]
    managers = {
        p.pk: p
        for p in Person.objects.filter(pk__in=order).select_related("user__account")
        if _can_log_in(p.user) and role_of(p.user) in (Role.MANAGER, Role.ADMIN)
    }
    chain = tuple(managers[pk] for pk in order if pk in managers)
    named = {p.user_id for p in participants + chain if p.user_id is not None}
    admin_logins = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(account__role=Role.ADMIN))
        .exclude(pk__in=named)
        .select_related("person")
        .order_by("username")
    )
    admins = tuple(
        (login.pk, login.person.name if hasattr(login, "person") else login.get_username())
        for login in admin_logins
    )
    return NoteReaders(report=report, participants=participants, chain=chain, admins=admins)


def actions_owed_by(user: Login) -> QuerySet[ActionItem]:
    me = person_id_of(user)
    if me is None:
        return ActionItem.objects.none()
    return ActionItem.objects.filter(owner_id=me, status=ActionItem.Status.OPEN)


def can_manage_communities(user: Login) -> bool:
    """Creating communities and sessions: admins and managers; attendance by organizers too."""
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def can_record_attendance(user: Login, community_or_session: Community | CommunitySession) -> bool:
    """Attendance: admins and managers, the community's organizer, a session's facilitator.

    Given a community, the answer holds for all its sessions (a facilitator of one session
    is not enough); given a session, its facilitator may record that session too.
    """
    if role_of(user) is None:
        return False
    if can_manage_communities(user):
        return True
    me = person_id_of(user)
    if me is None:
        return False
    if isinstance(community_or_session, CommunitySession):
        if community_or_session.facilitator_id == me:
            return True
        community = community_or_session.community
    else:
        community = community_or_session
    return community.organizer_id == me


def sees_attendee_names(user: Login) -> bool:
    """Who attended (and who organizes or facilitates): every role but viewers."""
    return role_of(user) in (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def sees_series_names(user: Login) -> bool:
    """Who is in which 1:1 series: every role but viewers, who get counts only."""
    return role_of(user) in (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def cadence_load_scope(user: Login) -> set[int] | None:
    """Whose 1:1 load (hours a week against the budget) a user sees: None = every manager.

    Admins see everyone's; managers their own and their reporting chain's; members and
    viewers no one's.
    """
    role = role_of(user)
    if role is Role.ADMIN:
        return None
    me = person_id_of(user)
    if role is not Role.MANAGER or me is None:
        return set()
    return reporting_chain_ids(me) | {me}


def can_edit_practices(user: Login) -> bool:
    """Adding, editing and deactivating practices in the library: admins only."""
    return role_of(user) is Role.ADMIN


def visible_practices(user: Login) -> QuerySet[Practice]:
    """Every practice for admins; the active ones for everyone else who is logged in."""
    if not getattr(user, "is_authenticated", False):
        return Practice.objects.none()
    if can_edit_practices(user):
        return Practice.objects.all()
    return Practice.objects.filter(active=True)
