"""The communities API, called with personal access tokens by each role."""

from __future__ import annotations

import json
from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.accounts.actions import do_create_token
from productops.coaching.actions import do_add_session, do_set_attendance
from productops.org.models import Discipline, Person
from tests.cast import build_cast
from tests.coaching.communities_story import BOOK, build_communities


class CommunitiesApiByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)
        cls.tokens = {
            name: do_create_token(getattr(cls.cast, f"{name}_user"), f"{name} script")[1]
            for name in ["hana", "marco", "priya", "paul", "vera"]
        }

    def call(self, who: str, path: str, **query):
        return self.client.get(
            f"/api/coaching{path}", query, HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}"
        )

    def send(self, who: str, method: str, path: str, body):
        return getattr(self.client, method)(
            f"/api/coaching{path}",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}",
        )

    def test_without_a_token_the_api_says_401(self) -> None:
        self.assertEqual(self.client.get("/api/coaching/communities").status_code, 401)
        self.assertEqual(self.client.get("/api/coaching/participation").status_code, 401)

    def test_every_role_lists_communities_viewers_without_names(self) -> None:
        body = self.call("paul", "/communities").json()
        self.assertEqual(body["count"], 2)
        guild, club = body["items"]
        self.assertEqual(
            (guild["name"], guild["sessions"], guild["people"], guild["organizer"]["name"]),
            ("Discovery guild", 3, 5, "Priya PM"),
        )
        self.assertEqual((club["kind"], club["book"]), ("book_club", BOOK))
        for item in self.call("vera", "/communities").json()["items"]:
            self.assertIsNone(item["organizer"])

    def test_a_session_with_its_people_by_role(self) -> None:
        path = f"/communities/sessions/{self.story.first.pk}"
        body = self.call("paul", path).json()
        self.assertEqual(body["attendees"], 4)
        self.assertEqual(body["facilitator"]["name"], "Paul PM")
        self.assertEqual(
            body["by_discipline"], {"design": 1, "engineering": 1, "product": 1, "sales": 1}
        )
        self.assertEqual(len(body["people"]), 4)
        hidden = self.call("vera", path).json()
        self.assertEqual(
            (hidden["attendees"], hidden["people"], hidden["facilitator"]), (4, [], None)
        )
        self.assertEqual(self.call("vera", "/communities/sessions/999999").status_code, 404)

    def test_sessions_of_a_community_newest_first(self) -> None:
        body = self.call("priya", f"/communities/{self.story.guild.pk}/sessions").json()
        self.assertEqual(
            [(s["topic"], s["attendees"]) for s in body["items"]],
            [("Opportunity trees", 0), ("Assumption tests", 3), ("Interview snapshots", 4)],
        )
        self.assertEqual(self.call("priya", "/communities/999999/sessions").status_code, 404)

    def test_a_manager_creates_a_community_and_a_session(self) -> None:
        response = self.send(
            "marco",
            "post",
            "/communities",
            {
                "name": "Metrics circle",
                "description": "Reading our own numbers.",
                "organizer_id": self.cast.tariq.pk,
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        made = response.json()
        self.assertEqual(
            (made["kind"], made["sessions"], made["organizer"]["name"]),
            ("community", 0, "Tariq Tech"),
        )
        response = self.send(
            "marco",
            "post",
            f"/communities/{made['id']}/sessions",
            {
                "date": self.story.today.isoformat(),
                "topic": "North-star metrics",
                "facilitator_id": self.cast.dana.pk,
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["facilitator"]["name"], "Dana Designer")

    def test_refusals_and_bad_input(self) -> None:
        for who in ("priya", "vera"):
            response = self.send(who, "post", "/communities", {"name": "Writers"})
            self.assertEqual(response.status_code, 403, who)
            self.assertIn("Only admins and managers", response.json()["detail"])
        response = self.send(
            "hana", "post", "/communities", {"name": "Readers", "kind": "book_club"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("book cannot be empty", response.json()["detail"])
        response = self.send("hana", "post", "/communities", {"name": "X", "organizer_id": 999999})
        self.assertEqual(response.status_code, 422)
        self.assertIn("No person has the id 999999", response.json()["detail"])
        response = self.send(
            "hana",
            "post",
            f"/communities/{self.story.guild.pk}/sessions",
            {"date": "not a date", "topic": "x"},
        )
        self.assertEqual(response.status_code, 422)

    def test_setting_attendance_replaces_the_list(self) -> None:
        path = f"/communities/sessions/{self.story.second.pk}/attendance"
        wanted = [self.cast.otto.pk, self.cast.dana.pk]
        response = self.send("priya", "put", path, {"person_ids": wanted})  # the organizer
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            {p["name"] for p in response.json()["people"]}, {"Otto Outsider", "Dana Designer"}
        )
        self.assertEqual(self.send("paul", "put", path, {"person_ids": []}).status_code, 403)
        self.assertEqual(self.send("vera", "put", path, {"person_ids": []}).status_code, 403)
        response = self.send("hana", "put", path, {"person_ids": [self.cast.paul.pk, 999999]})
        self.assertEqual(response.status_code, 422)
        self.assertIn("999999", response.json()["detail"])
        planned = f"/communities/sessions/{self.story.planned.pk}/attendance"
        response = self.send("hana", "put", planned, {"person_ids": [self.cast.paul.pk]})
        self.assertEqual(response.status_code, 422)
        self.assertIn("once it has taken place", response.json()["detail"])
        self.assertEqual(self.story.second.attendees.count(), 2)

    def test_the_participation_report_for_every_role(self) -> None:
        for who in self.tokens:
            body = self.call(who, "/participation").json()
            self.assertEqual((body["sessions"], body["participants"]), (3, 6), who)
        body = self.call("vera", "/participation", days=15).json()
        self.assertEqual((body["sessions"], body["participants"]), (1, 3))  # the second session
        self.assertEqual(body["outside_product"], 1)
        engineering = next(d for d in body["disciplines"] if d["discipline"] == "engineering")
        self.assertEqual(engineering["by_community"], {str(self.story.guild.pk): 1})
        self.assertIn("compliance", [d["discipline"] for d in body["disciplines"]])

    def test_the_report_refuses_a_backwards_period(self) -> None:
        response = self.call("hana", "/participation", start="2026-03-01", end="2026-02-01")
        self.assertEqual(response.status_code, 422)
        self.assertIn("after it ends", response.json()["detail"])
        self.assertEqual(self.call("hana", "/participation", days=0).status_code, 422)
        self.assertEqual(self.call("hana", "/participation", start="March").status_code, 422)


class ApiCost(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)
        cls.token = do_create_token(cls.cast.hana_user, "script")[1]

    def grow(self, sessions: int, people: int) -> None:
        crowd = Person.objects.bulk_create(
            Person(name=f"Guest {i}", email=f"g{sessions}-{i}@x.test", discipline=Discipline.DATA)
            for i in range(people)
        )
        for day in range(sessions):
            session = do_add_session(
                self.cast.hana_user,
                self.story.club,
                date=self.story.today - timedelta(days=day + 1),
                topic=f"Chapter {sessions}-{day}",
            )
            do_set_attendance(self.cast.hana_user, session, crowd)

    def cost(self, path: str) -> int:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        self.client.get(f"/api/coaching{path}", **auth)  # the token's last use is written once
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(f"/api/coaching{path}", **auth)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_counts_do_not_grow_with_the_data(self) -> None:
        paths = [
            "/communities",
            f"/communities/{self.story.club.pk}/sessions",
            f"/communities/sessions/{self.story.first.pk}",
            "/participation",
        ]
        self.grow(3, 10)
        small = [self.cost(path) for path in paths]
        self.grow(30, 100)
        large = [self.cost(path) for path in paths]
        self.assertEqual(small, large)
