"""Boxes that apps above the org put on the org team page.

The team page belongs to the org, which cannot import the apps built on it. An app that
has something to show about a team (discovery: the team's touchpoint cadence) registers
a section when the apps load; the page asks every section for its context, and a section
that returns None (the role may not see it) is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from productops.accounts.roles import Login
from productops.org.models import Team

TeamSection = Callable[[Login, Team], dict[str, Any] | None]

_sections: dict[str, TeamSection] = {}


def register_team_section(name: str, section: TeamSection) -> None:
    """`name` is the key the team page's template reads the section's context under."""
    _sections[name] = section


def team_sections(user: Login, team: Team) -> dict[str, dict[str, Any] | None]:
    return {name: section(user, team) for name, section in _sections.items()}
