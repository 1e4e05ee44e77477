"""What the overview page needs of the org for one user: whom they manage, which teams are theirs.

- **The people they manage**: their active direct reports, as the org's visibility lets
  them see people (`visibility.visible_people`): a viewer, who sees no one by name, and a
  login with no person get nobody. In name order.
- **Their own teams**: the teams that build (`models.builds_product`) the user is a
  member of, in name order.

One or two queries each (the visibility facts are computed once per request).
"""

from __future__ import annotations

from django.db.models import QuerySet

from productops.accounts.roles import Login, person_id_of
from productops.org import visibility
from productops.org.models import Person, Team, builds_product


def people_managed(user: Login) -> QuerySet[Person]:
    """The user's active direct reports they may see by name, by name."""
    me = person_id_of(user)
    if me is None or not visibility.sees_names(user):
        return Person.objects.none()
    return visibility.visible_people(user).filter(manager_id=me, active=True).order_by("name", "pk")


def own_teams(user: Login) -> list[Team]:
    """The teams that build the user belongs to, by name (one query)."""
    me = person_id_of(user)
    if me is None:
        return []
    return list(
        Team.objects.filter(builds_product(), memberships__person_id=me)
        .distinct()
        .order_by("name", "pk")
    )
