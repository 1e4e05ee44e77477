"""The assessment API, called with personal access tokens by each member of the cast."""

from __future__ import annotations

import json

from django.test import TestCase

from productops.accounts.actions import do_create_token
from productops.competencies.models import AssessmentCycle, AssessmentRequest, Reopening
from tests.competencies.cycle_cast import KEYS, answer_all, build_cycle_cast, in_days

Status = AssessmentRequest.Status


class CyclesApi(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cycle_cast()
        cast = cls.c.cast
        users = {
            "hana": cast.hana_user,
            "marco": cast.marco_user,
            "priya": cast.priya_user,
            "paul": cast.paul_user,
            "dana": cls.c.dana_user,
            "vera": cast.vera_user,
        }
        cls.tokens = {name: do_create_token(user, name)[1] for name, user in users.items()}

    def call(self, who: str, method: str, path: str, body: dict | None = None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[who]}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(f"/api/competencies{path}", **kwargs)

    def test_without_a_token_the_api_says_401(self) -> None:
        self.assertEqual(self.client.get("/api/competencies/cycles").status_code, 401)

    def test_listing_cycles_by_role(self) -> None:
        body = self.call("hana", "get", "/cycles").json()
        self.assertEqual(body["count"], 1)
        cycle = body["items"][0]
        self.assertEqual(cycle["name"], "H1 review")
        self.assertEqual(cycle["version"], 1)
        self.assertEqual(cycle["completion"], {"submitted": 0, "total": 6, "percent": 0})
        self.assertEqual(self.call("dana", "get", "/cycles").json()["count"], 1)
        response = self.call("vera", "get", "/cycles")
        self.assertEqual(response.status_code, 403)
        self.assertIn("aggregates only", response.json()["detail"])

    def test_cycle_detail_with_progress(self) -> None:
        answer_all(self.c.cast.priya_user, self.c.priya_self)
        body = self.call("marco", "get", f"/cycles/{self.c.cycle.pk}").json()
        subjects = {row["subject"]["name"]: row for row in body["subjects"]}
        self.assertEqual(subjects["Priya PM"]["completion"]["submitted"], 1)
        self.assertEqual(subjects["Priya PM"]["completion"]["total"], 4)
        self.assertEqual(subjects["Priya PM"]["by_kind"]["peer"]["total"], 2)
        self.assertEqual(body["by_kind"]["self"], {"submitted": 1, "total": 2, "percent": 50})
        mine = self.call("paul", "get", f"/cycles/{self.c.cycle.pk}").json()
        self.assertEqual([row["subject"]["name"] for row in mine["subjects"]], ["Paul PM"])
        self.assertEqual(mine["nominations"], [])

    def test_opening_a_cycle(self) -> None:
        body = {
            "name": "Design review",
            "model": self.c.version.model.slug,
            "subject_ids": [self.c.cast.dana.pk, self.c.cast.otto.pk],
            "due_date": in_days(20).isoformat(),
        }
        response = self.call("hana", "post", "/cycles", body)
        self.assertEqual(response.status_code, 201, response.content)
        opened = response.json()
        self.assertEqual(opened["rater_kinds"], ["self", "manager", "peer"])
        self.assertEqual(opened["completion"]["total"], 3)
        self.assertIn("Otto Outsider has no manager in productops", opened["notes"][0])

    def test_opening_refusals(self) -> None:
        body = {
            "name": "Review",
            "model": self.c.version.model.slug,
            "subject_ids": [self.c.cast.dana.pk],
            "due_date": in_days(20).isoformat(),
        }
        response = self.call("marco", "post", "/cycles", body)
        self.assertEqual(response.status_code, 403)
        self.assertIn("only for people in your reporting chain", response.json()["detail"])
        self.assertEqual(self.call("priya", "post", "/cycles", body).status_code, 403)
        past = {**body, "due_date": in_days(-1).isoformat()}
        response = self.call("hana", "post", "/cycles", past)
        self.assertEqual(response.status_code, 422)
        self.assertIn("pick a date raters can still meet", response.json()["detail"])
        unknown = {**body, "model": "no-such-model"}
        self.assertEqual(self.call("hana", "post", "/cycles", unknown).status_code, 422)
        missing = {**body, "subject_ids": [999_999]}
        self.assertEqual(self.call("marco", "post", "/cycles", missing).status_code, 403)
        response = self.call("hana", "post", "/cycles", missing)
        self.assertIn("No person has the id(s) 999999", response.json()["detail"])
        self.assertEqual(AssessmentCycle.objects.count(), 1)

    def test_my_requests(self) -> None:
        body = self.call("marco", "get", "/requests/mine").json()
        self.assertEqual(
            {(r["subject"]["name"], r["kind"], r["status"]) for r in body["items"]},
            {("Priya PM", "manager", "pending"), ("Paul PM", "manager", "pending")},
        )
        self.assertEqual(self.call("vera", "get", "/requests/mine").json()["count"], 0)

    def test_draft_submit_lock_and_reopen(self) -> None:
        path = f"/requests/{self.c.priya_self.pk}"
        ratings = [
            {"competency_key": "discovery", "score": 4, "evidence": "Weekly interviews"},
            {"competency_key": "delivery", "not_observed": True},
        ]
        response = self.call("priya", "put", f"{path}/ratings", {"ratings": ratings})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["request"]["status"], "draft")
        response = self.call("priya", "post", f"{path}/submit")
        self.assertEqual(response.status_code, 422)
        self.assertIn("Still open: Strategy", response.json()["detail"])
        self.call(
            "priya",
            "put",
            f"{path}/ratings",
            {"ratings": [{"competency_key": "strategy", "score": 2}]},
        )
        response = self.call("priya", "post", f"{path}/submit")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["request"]["status"], "submitted")
        self.assertEqual({r["competency_key"] for r in response.json()["ratings"]}, set(KEYS))
        locked = self.call("priya", "put", f"{path}/ratings", {"ratings": ratings})
        self.assertEqual(locked.status_code, 422)
        self.assertIn("are locked", locked.json()["detail"])
        self.assertEqual(
            self.call("priya", "post", f"{path}/reopen", {"reason": "x"}).status_code, 403
        )
        blank = self.call("marco", "post", f"{path}/reopen", {"reason": " "})
        self.assertEqual(blank.status_code, 422)
        response = self.call("marco", "post", f"{path}/reopen", {"reason": "More evidence"})
        self.assertEqual(response.json()["status"], "draft")
        self.assertEqual(Reopening.objects.get().reason, "More evidence")

    def test_ratings_are_validated(self) -> None:
        path = f"/requests/{self.c.priya_self.pk}/ratings"
        response = self.call(
            "priya", "put", path, {"ratings": [{"competency_key": "discovery", "score": 9}]}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("9 is not on the scale", response.json()["detail"])

    def test_only_the_rater_writes(self) -> None:
        answer_all(self.c.cast.priya_user, self.c.priya_self, submit=False)
        path = f"/requests/{self.c.priya_self.pk}/ratings"
        body = {"ratings": [{"competency_key": "discovery", "score": 1}]}
        self.assertEqual(self.call("marco", "put", path, body).status_code, 404)  # a draft
        self.assertEqual(self.call("paul", "put", path, body).status_code, 404)
        self.call("priya", "post", f"/requests/{self.c.priya_self.pk}/submit")
        response = self.call("marco", "put", path, body)  # he reads it now, but does not write
        self.assertEqual(response.status_code, 403)
        self.assertIn("Only Priya PM answers this request", response.json()["detail"])

    def test_a_peers_answers_are_not_served_to_the_subject_or_manager(self) -> None:
        answer_all(self.c.cast.paul_user, self.c.paul_on_priya)
        path = f"/requests/{self.c.paul_on_priya.pk}/ratings"
        for who in ("priya", "marco", "dana", "vera"):
            self.assertEqual(self.call(who, "get", path).status_code, 404, who)
        self.assertEqual(len(self.call("hana", "get", path).json()["ratings"]), 3)
        self.assertEqual(len(self.call("paul", "get", path).json()["ratings"]), 3)

    def test_nominating_and_deciding(self) -> None:
        path = f"/cycles/{self.c.cycle.pk}/nominations"
        body = {"subject_id": self.c.cast.paul.pk, "peer_id": self.c.cast.priya.pk}
        response = self.call("paul", "post", path, body)
        self.assertEqual(response.status_code, 404)  # Paul cannot see Priya by name
        response = self.call("marco", "post", path, body)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], "pending")
        own = {"subject_id": self.c.cast.priya.pk, "peer_id": self.c.cast.tariq.pk}
        nomination = self.call("priya", "post", path, own).json()
        self.assertEqual(nomination["status"], "nominated")
        awaiting = self.call("marco", "get", "/nominations/awaiting").json()
        self.assertEqual([n["id"] for n in awaiting], [nomination["id"]])
        decide = f"/requests/{nomination['id']}/decision"
        self.assertEqual(self.call("priya", "post", decide, {"approve": True}).status_code, 403)
        self.assertEqual(self.call("dana", "post", decide, {"approve": True}).status_code, 404)
        response = self.call("marco", "post", decide, {"approve": False})
        self.assertEqual(response.json()["status"], "declined")
        self_peer = {"subject_id": self.c.cast.priya.pk, "peer_id": self.c.cast.priya.pk}
        response = self.call("priya", "post", path, self_peer)
        self.assertEqual(response.status_code, 422)
        self.assertIn("cannot be their own peer", response.json()["detail"])

    def test_closing(self) -> None:
        path = f"/cycles/{self.c.cycle.pk}/close"
        self.assertEqual(self.call("priya", "post", path).status_code, 403)
        response = self.call("marco", "post", path)
        self.assertEqual(response.json()["status"], "closed")
        self.assertEqual(self.call("hana", "post", path).status_code, 422)
