"""The 1:1 API with personal access tokens: each role, each route, and private notes."""

from __future__ import annotations

import json
from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from productops.accounts.actions import do_create_token
from productops.coaching.models import ActionItem, OneOnOne, OneOnOneSeries, PrivateNote
from productops.org.models import Discipline, Person
from tests.cast import build_cast
from tests.coaching.cadence_cast import build_cadence_story

PRIYA_SECRET = "Priya, privately: the reorg worries me"


class OneOnOneApi(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.today = timezone.localdate()
        cls.story = build_cadence_story(cls.cast, cls.today)
        cls.tokens = {
            name: do_create_token(getattr(cls.cast, f"{name}_user"), f"{name} script")[1]
            for name in ["hana", "marco", "priya", "paul", "vera"]
        }
        cls.last = OneOnOne.objects.get(
            series=cls.story.marco_priya, date=cls.today - timedelta(days=7)
        )
        cls.carried = ActionItem.objects.create(
            series=cls.story.marco_priya,
            raised_in=cls.last,
            owner=cls.cast.priya,
            text="Interview three customers",
            due_date=cls.today + timedelta(days=3),
        )
        PrivateNote.objects.create(
            meeting=cls.story.priya_next, author=cls.cast.priya_user, text=PRIYA_SECRET
        )

    def call(self, who: str, method: str, path: str, body=None, **query):
        send = getattr(self.client, method)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[who]}"}
        if body is None:
            return send(f"/api/coaching{path}", query, **headers)
        return send(
            f"/api/coaching{path}", json.dumps(body), content_type="application/json", **headers
        )

    def get(self, who: str, path: str, **query):
        return self.call(who, "get", path, **query)

    # -- series ----------------------------------------------------------------------------

    def test_without_a_token_the_api_says_401(self) -> None:
        self.assertEqual(self.client.get("/api/coaching/series").status_code, 401)

    def test_each_role_lists_the_series_it_may_see_neediest_first(self) -> None:
        pairs = lambda who: [  # noqa: E731
            f"{s['lead']['name']} & {s['report']['name']}"
            for s in self.get(who, "/series").json()["items"]
        ]
        self.assertEqual(
            pairs("hana"),
            [
                "Marco Manager & Paul PM",
                "Hana Head & Dana Designer",
                "Hana Head & Marco Manager",
                "Marco Manager & Priya PM",
            ],
        )
        self.assertEqual(
            set(pairs("marco")),
            {"Marco Manager & Paul PM", "Hana Head & Marco Manager", "Marco Manager & Priya PM"},
        )
        self.assertEqual(pairs("priya"), ["Marco Manager & Priya PM"])
        refused = self.get("vera", "/series")
        self.assertEqual(refused.status_code, 403)
        self.assertIn("counts only", refused.json()["detail"])

    def test_series_detail_carries_its_health_and_open_actions(self) -> None:
        body = self.get("marco", f"/series/{self.story.marco_paul.pk}").json()
        self.assertEqual(body["health"]["health"], "lapsed")
        self.assertEqual((body["health"]["expected"], body["health"]["missed"]), (9, 7))
        self.assertTrue(body["calendar_url"].endswith("/calendar.ics"))
        priya = self.get("priya", f"/series/{self.story.marco_priya.pk}").json()
        self.assertEqual(priya["health"]["next_planned"], f"{self.today:%Y-%m-%d}")
        self.assertEqual([a["text"] for a in priya["open_actions"]], ["Interview three customers"])
        self.assertEqual(self.get("paul", f"/series/{self.story.marco_priya.pk}").status_code, 404)

    def test_an_admin_starts_a_series_and_its_health_comes_back(self) -> None:
        response = self.call(
            "hana",
            "post",
            "/series",
            {"report_id": self.cast.tariq.pk, "cadence": "fortnightly", "duration_minutes": 45},
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(
            (body["lead"]["name"], body["report"]["name"]), ("Hana Head", "Tariq Tech")
        )
        self.assertEqual(body["health"]["health"], "healthy")
        again = self.call("hana", "post", "/series", {"report_id": self.cast.tariq.pk})
        self.assertEqual(again.status_code, 422)
        self.assertIn("already have a 1:1 series", again.json()["detail"])

    def test_a_manager_cannot_start_a_series_for_someone_else(self) -> None:
        response = self.call(
            "marco",
            "post",
            "/series",
            {"lead_id": self.cast.hana.pk, "report_id": self.cast.marco.pk, "kind": "coach"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("that you lead yourself", response.json()["detail"])
        hidden = self.call("marco", "post", "/series", {"report_id": self.cast.otto.pk})
        self.assertEqual(hidden.status_code, 404)

    # -- 1:1s ------------------------------------------------------------------------------

    def test_list_and_plan_1on1s_in_a_series(self) -> None:
        items = self.get("priya", f"/series/{self.story.marco_priya.pk}/one-on-ones").json()
        self.assertEqual(items["count"], 9)
        self.assertEqual(items["items"][0]["status"], "planned")  # newest first
        logged = self.call(
            "priya",
            "post",
            f"/series/{self.story.marco_priya.pk}/one-on-ones",
            {"date": f"{self.today - timedelta(days=2):%Y-%m-%d}"},
        )
        self.assertEqual(logged.status_code, 201, logged.content)  # the past is fine
        taken = self.call(
            "priya",
            "post",
            f"/series/{self.story.marco_priya.pk}/one-on-ones",
            {"date": f"{self.today:%Y-%m-%d}"},
        )
        self.assertEqual(taken.status_code, 422)
        forbidden = self.call(
            "paul",
            "post",
            f"/series/{self.story.marco_priya.pk}/one-on-ones",
            {"date": f"{self.today:%Y-%m-%d}"},
        )
        self.assertEqual(forbidden.status_code, 404)

    def test_1on1_detail_has_the_agenda_with_carried_actions_and_talking_points(self) -> None:
        next_id = self.story.priya_next.pk
        added = self.call(
            "priya", "post", f"/one-on-ones/{next_id}/talking-points", {"text": "My next role"}
        )
        self.assertEqual(added.status_code, 201, added.content)
        self.assertEqual(added.json()["author"], "Priya PM")
        body = self.get("marco", f"/one-on-ones/{next_id}").json()
        agenda = body["agenda"]
        self.assertEqual(
            [a["text"] for a in agenda["carried_actions"]], ["Interview three customers"]
        )
        self.assertEqual([p["text"] for p in agenda["talking_points"]], ["My next role"])
        self.assertEqual(agenda["since"], f"{self.last.date:%Y-%m-%d}")
        self.assertEqual(body["series"]["id"], self.story.marco_priya.pk)
        self.assertEqual(self.get("paul", f"/one-on-ones/{next_id}").status_code, 404)

    def test_marking_held_updates_the_cadence(self) -> None:
        held = self.call("marco", "post", f"/one-on-ones/{self.story.priya_next.pk}/held")
        self.assertEqual(held.json()["status"], "held")
        health = self.get("marco", f"/series/{self.story.marco_priya.pk}").json()["health"]
        self.assertEqual((health["last_held"], health["days_since_last"]), (f"{self.today}", 0))

    def test_shared_notes_refuse_a_stale_revision_with_the_current_text(self) -> None:
        path = f"/one-on-ones/{self.story.priya_next.pk}/shared-notes"
        first = self.call("priya", "put", path, {"text": "Priya's draft", "revision": 0})
        self.assertEqual(first.json(), {"text": "Priya's draft", "revision": 1})
        stale = self.call("marco", "put", path, {"text": "Marco's version", "revision": 0})
        self.assertEqual(stale.status_code, 409)
        self.assertEqual(stale.json()["current_text"], "Priya's draft")
        self.assertEqual(stale.json()["current_revision"], 1)
        self.assertIn("Someone else saved", stale.json()["detail"])
        merged = self.call("marco", "put", path, {"text": "Both", "revision": 1})
        self.assertEqual(merged.json()["revision"], 2)

    def test_actions_added_closed_and_listed_as_mine(self) -> None:
        path = f"/one-on-ones/{self.story.priya_next.pk}/actions"
        due = f"{self.today + timedelta(days=14):%Y-%m-%d}"
        added = self.call(
            "marco",
            "post",
            path,
            {"owner_id": self.cast.priya.pk, "text": "Pitch", "due_date": due},
        )
        self.assertEqual(added.status_code, 201, added.content)
        outsider = self.call("marco", "post", path, {"owner_id": self.cast.paul.pk, "text": "x"})
        self.assertEqual(outsider.status_code, 422)
        mine = [a["text"] for a in self.get("priya", "/actions/mine").json()["items"]]
        self.assertEqual(mine, ["Interview three customers", "Pitch"])
        done = self.call("priya", "post", f"/actions/{self.carried.pk}/status", {"status": "done"})
        self.assertEqual(done.json()["status"], "done")
        mine = [a["text"] for a in self.get("priya", "/actions/mine").json()["items"]]
        self.assertEqual(mine, ["Pitch"])
        bad = self.call("priya", "post", f"/actions/{self.carried.pk}/status", {"status": "later"})
        self.assertEqual(bad.status_code, 422)
        hidden = self.call("paul", "post", f"/actions/{self.carried.pk}/status", {"status": "done"})
        self.assertEqual(hidden.status_code, 404)

    # -- private notes ---------------------------------------------------------------------

    def test_private_notes_are_their_authors_alone(self) -> None:
        path = f"/one-on-ones/{self.story.priya_next.pk}/private-note"
        self.assertEqual(self.get("priya", path).json()["text"], PRIYA_SECRET)
        # Marco is in the 1:1: he reads his own (empty) note, never hers
        marco = self.get("marco", path)
        self.assertEqual(
            marco.json(), {"text": "", "updated_at": None, "visible_to": "Visible to you only."}
        )
        # Hana is an admin and sees the 1:1, but not its private notes
        admin = self.get("hana", path)
        self.assertEqual(admin.status_code, 404)
        self.assertNotIn(PRIYA_SECRET, admin.content.decode())
        self.assertNotIn(
            PRIYA_SECRET,
            self.get("hana", f"/one-on-ones/{self.story.priya_next.pk}").content.decode(),
        )
        self.assertEqual(self.call("hana", "put", path, {"text": "mine"}).status_code, 403)
        self.assertEqual(self.get("paul", path).status_code, 404)
        self.assertEqual(self.get("vera", path).status_code, 404)

    def test_saving_a_private_note_touches_only_the_callers(self) -> None:
        path = f"/one-on-ones/{self.story.priya_next.pk}/private-note"
        saved = self.call("marco", "put", path, {"text": "Ask about the offer"})
        self.assertEqual(saved.json()["text"], "Ask about the offer")
        self.assertEqual(self.get("marco", path).json()["text"], "Ask about the offer")
        self.assertEqual(self.get("priya", path).json()["text"], PRIYA_SECRET)

    # -- cadence ---------------------------------------------------------------------------

    def test_cadence_report_by_role(self) -> None:
        admin = self.get("hana", "/cadence").json()
        self.assertEqual(admin["counts"], {"lapsed": 1, "overdue": 1, "healthy": 2, "ended": 0})
        self.assertEqual(
            {load["manager"]["name"] for load in admin["loads"]}, {"Hana Head", "Marco Manager"}
        )
        hana = next(load for load in admin["loads"] if load["manager"]["name"] == "Hana Head")
        self.assertEqual([p["name"] for p in hana["reports_without_series"]], ["Tariq Tech"])
        self.assertEqual(hana["budget_hours"], 8.0)
        marco = self.get("marco", "/cadence").json()
        self.assertEqual([load["manager"]["name"] for load in marco["loads"]], ["Marco Manager"])
        self.assertEqual(len(marco["series"]), 3)
        priya = self.get("priya", "/cadence").json()
        self.assertEqual((len(priya["series"]), priya["loads"]), (1, []))
        viewer = self.get("vera", "/cadence")
        self.assertEqual(viewer.json()["counts"], admin["counts"])
        self.assertEqual((viewer.json()["series"], viewer.json()["loads"]), ([], []))
        self.assertEqual(viewer.json()["scope"], "counts")
        for name in ["Priya", "Marco", "Hana", "Dana", "Paul"]:
            self.assertNotIn(name, viewer.content.decode())

    def test_cadence_report_counts_from_a_chosen_date(self) -> None:
        since = self.today - timedelta(days=30)
        body = self.get("hana", "/cadence", since=f"{since:%Y-%m-%d}").json()
        paul = next(s for s in body["series"] if s["series_id"] == self.story.marco_paul.pk)
        self.assertEqual(
            (paul["expected"], paul["missed"], paul["period_start"]), (2, 2, f"{since}")
        )
        self.assertEqual(self.get("hana", "/cadence", since="soon").status_code, 422)


class OneOnOneApiCost(TestCase):
    """Lists cost the same queries for 5 series as for 50."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.tokens = {
            name: do_create_token(getattr(cls.cast, f"{name}_user"), f"{name} script")[1]
            for name in ["hana", "marco"]
        }

    def grow(self, count: int) -> None:
        today = timezone.localdate()
        first = Person.objects.count()
        people = Person.objects.bulk_create(
            Person(
                name=f"Report {first + i:04}",
                email=f"report{first + i}@x.test",
                discipline=Discipline.PRODUCT,
                manager=self.cast.marco,
            )
            for i in range(count)
        )
        series = OneOnOneSeries.objects.bulk_create(
            OneOnOneSeries(lead=self.cast.marco, report=p, start_date=today - timedelta(days=30))
            for p in people
        )
        meetings = OneOnOne.objects.bulk_create(
            OneOnOne(series=s, date=today - timedelta(days=7), status="held") for s in series
        )
        ActionItem.objects.bulk_create(
            ActionItem(series=m.series, raised_in=m, owner=self.cast.marco, text="follow up")
            for m in meetings
        )

    def cost(self, who: str, path: str) -> int:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[who]}"}
        self.client.get(f"/api/coaching{path}", **headers)  # records the token's last use
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(f"/api/coaching{path}", **headers)
        self.assertEqual(response.status_code, 200, response.content)
        return len(queries)

    def test_lists_do_not_grow_with_the_series(self) -> None:
        paths = ["/series", "/cadence", "/actions/mine"]
        for who in ["hana", "marco"]:
            self.grow(5)
            small = {path: self.cost(who, path) for path in paths}
            self.grow(45)
            self.assertEqual({path: self.cost(who, path) for path in paths}, small, who)

    def test_the_1on1s_of_a_series_do_not_grow_with_its_history(self) -> None:
        series = OneOnOneSeries.objects.create(lead=self.cast.marco, report=self.cast.priya)
        today = timezone.localdate()
        OneOnOne.objects.bulk_create(
            OneOnOne(series=series, date=today - timedelta(days=7 * i)) for i in range(1, 4)
        )
        small = self.cost("marco", f"/series/{series.pk}/one-on-ones")
        OneOnOne.objects.bulk_create(
            OneOnOne(series=series, date=today - timedelta(days=7 * i)) for i in range(4, 40)
        )
        self.assertEqual(self.cost("marco", f"/series/{series.pk}/one-on-ones"), small)
