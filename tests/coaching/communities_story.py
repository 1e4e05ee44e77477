"""A discovery guild and a book club around the cast, for the community tests.

Priya organizes the Discovery guild. Its first session (30 days ago) was facilitated
by Paul, with Priya, Dana (design), Tariq (engineering) and Otto (sales) there; the
second (10 days ago), facilitated by Dana, had Priya, Paul and Tariq. A third is
planned a week from now. Hana runs the book club; its one session had Hana and Dana.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from productops.coaching.actions import do_add_session, do_create_community, do_set_attendance
from productops.coaching.models import Community, CommunitySession
from tests.cast import Cast

BOOK = "Continuous Discovery Habits, by Teresa Torres"


@dataclass
class CommunityStory:
    today: date
    guild: Community
    club: Community
    first: CommunitySession
    second: CommunitySession
    planned: CommunitySession
    reading: CommunitySession


def build_communities(cast: Cast) -> CommunityStory:
    hana = cast.hana_user
    today = timezone.localdate()
    guild = do_create_community(
        hana,
        name="Discovery guild",
        description="Product, design and engineering practise discovery together.",
        organizer=cast.priya,
    )
    club = do_create_community(
        hana,
        name="Outcomes book club",
        kind=Community.Kind.BOOK_CLUB,
        book=BOOK,
        organizer=cast.hana,
    )
    first = do_add_session(
        hana,
        guild,
        date=today - timedelta(days=30),
        topic="Interview snapshots",
        facilitator=cast.paul,
    )
    second = do_add_session(
        hana,
        guild,
        date=today - timedelta(days=10),
        topic="Assumption tests",
        facilitator=cast.dana,
    )
    planned = do_add_session(hana, guild, date=today + timedelta(days=7), topic="Opportunity trees")
    reading = do_add_session(hana, club, date=today - timedelta(days=20), topic="Chapters 1 and 2")
    do_set_attendance(hana, first, [cast.priya, cast.dana, cast.tariq, cast.otto])
    do_set_attendance(hana, second, [cast.priya, cast.paul, cast.tariq])
    do_set_attendance(hana, reading, [cast.hana, cast.dana])
    return CommunityStory(today, guild, club, first, second, planned, reading)
