"""A viewer sees no named person anywhere in strategy (security review, L1).

Objectives have owners (Hana, Priya, Paul), checks have a creator (Marco) and participants
(Hana, Priya, Paul) who ranked. Vera, a viewer, reads every strategy page and API route
there is: no person's name appears, and the API's person fields are null. The other roles
still see the names, so the test would notice a page that never showed them.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import TestCase

from productops.org.models import Person
from productops.strategy.actions import do_create_check
from productops.strategy.models import Objective
from tests.api import ApiClient
from tests.cast import build_cast
from tests.strategy.alignment_story import Q1, build_story
from tests.strategy.check_story import rank


class ViewerSeesNoName(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_story(cls.cast)
        cls.api = ApiClient()
        cast = cls.cast
        cls.two = do_create_check(
            cast.marco_user,
            title="Two of us",
            priorities=["Enterprise SSO", "Mobile checkout", "Pricing page"],
            participants=[cast.hana_user, cast.priya_user],
            previous=None,
        )
        rank(cast.hana_user, cls.two, [1, 2, 3])
        rank(cast.priya_user, cls.two, [2, 1, 3])
        cls.three = do_create_check(
            cast.marco_user,
            title="Three of us",
            priorities=["Enterprise SSO", "Mobile checkout", "Pricing page"],
            participants=[cast.hana_user, cast.priya_user, cast.paul_user],
        )
        rank(cast.hana_user, cls.three, [1, 2, 3])
        rank(cast.priya_user, cls.three, [3, 1, 2])
        cls.open = do_create_check(
            cast.marco_user,
            title="Still open",
            priorities=["A", "B", "C"],
            participants=[cast.priya_user, cast.paul_user],
            previous=None,
        )

    def pages(self) -> list[str]:
        start, end = Q1
        paths = ["/strategy/objectives/", "/strategy/checks/", "/strategy/delegation/"]
        paths.append(f"/strategy/alignment/?start={start}&end={end}")
        paths += [
            f"/strategy/objectives/{pk}/" for pk in Objective.objects.values_list("pk", flat=True)
        ]
        paths += [f"/strategy/checks/{c.pk}/" for c in (self.two, self.three, self.open)]
        return paths

    def api_paths(self) -> list[str]:
        start, end = Q1
        paths = ["/strategy/objectives", "/strategy/checks", "/strategy/delegation"]
        paths.append(f"/strategy/alignment?start={start}&end={end}")
        paths += [
            f"/strategy/objectives/{pk}" for pk in Objective.objects.values_list("pk", flat=True)
        ]
        paths += [f"/strategy/checks/{c.pk}" for c in (self.two, self.three, self.open)]
        return paths

    def everything(self, user: User) -> dict[str, str]:
        self.client.force_login(user)
        seen = {}
        for path in self.pages():
            response = self.client.get(path)
            self.assertEqual(response.status_code, 200, path)
            seen[path] = response.content.decode()
        for path in self.api_paths():
            response = self.api.get(user, path)
            self.assertEqual(response.status_code, 200, path)
            seen[f"/api{path}"] = response.content.decode()
        return seen

    def test_the_viewer_sees_no_name(self) -> None:
        names = list(Person.objects.values_list("name", flat=True))
        self.assertGreaterEqual(len(names), 7)
        for path, body in self.everything(self.cast.vera_user).items():
            for name in names:
                self.assertNotIn(name, body, path)

    def test_the_viewers_api_fields_are_null_and_typed(self) -> None:
        vera = self.cast.vera_user
        for objective in self.api.get(vera, "/strategy/objectives").json():
            self.assertEqual((objective["owner"], objective["owner_id"]), (None, None))
        start, end = Q1
        alignment = self.api.get(vera, f"/strategy/alignment?start={start}&end={end}").json()
        self.assertTrue(alignment["objectives"])
        self.assertTrue(all(o["owner"] is None for o in alignment["objectives"]))
        for check in (self.two, self.three):
            data = self.api.get(vera, f"/strategy/checks/{check.pk}").json()
            self.assertIsNone(data["created_by"])
            self.assertEqual(
                data["participants"],
                [
                    {"id": None, "username": None, "name": None, "submitted": s}
                    for s in [p["submitted"] for p in data["participants"]]
                ],
            )
            self.assertEqual(len(data["participants"]), check.participants.count())
            self.assertEqual(data["rankings"], [])
        listed = self.api.get(vera, "/strategy/checks").json()["items"]
        self.assertTrue(all(c["created_by"] is None for c in listed))

    def test_the_other_roles_still_see_the_names(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user, self.cast.paul_user):
            seen = self.everything(user)
            self.assertIn("Priya PM", seen["/strategy/objectives/"], user.username)
            self.assertIn("Priya PM", seen[f"/strategy/checks/{self.two.pk}/"], user.username)
            self.assertIn(
                '"owner": "Hana Head"',
                seen["/api/strategy/objectives"].replace('":"', '": "'),
                user.username,
            )
