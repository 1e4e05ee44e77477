"""The organization API, called with personal access tokens by each role."""

from __future__ import annotations

from django.test import TestCase

from productops.accounts.actions import do_create_token, do_revoke_token
from tests.cast import build_cast


class OrgApiByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.tokens = {
            name: do_create_token(getattr(cls.cast, f"{name}_user"), f"{name} script")[1]
            for name in ["hana", "marco", "priya", "vera"]
        }

    def call(self, who: str, path: str, **query):
        return self.client.get(
            f"/api/org{path}", query, HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}"
        )

    def test_without_a_token_the_api_says_401(self) -> None:
        self.assertEqual(self.client.get("/api/org/people").status_code, 401)
        response = self.client.get("/api/org/people", HTTP_AUTHORIZATION="Bearer pops_wrong")
        self.assertEqual(response.status_code, 401)

    def test_admin_lists_everyone_paginated(self) -> None:
        body = self.call("hana", "/people").json()
        self.assertEqual(body["count"], 7)
        self.assertEqual({p["name"] for p in body["items"]} >= {"Otto Outsider"}, True)

    def test_lists_page_by_fifty(self) -> None:
        from productops.org.models import Person

        Person.objects.bulk_create(
            Person(name=f"Extra {n}", email=f"extra{n}@example.com") for n in range(60)
        )
        first = self.call("hana", "/people").json()
        self.assertEqual((first["count"], len(first["items"])), (67, 50))
        second = self.call("hana", "/people", page=2).json()
        self.assertEqual(len(second["items"]), 17)

    def test_people_filters_match_the_page(self) -> None:
        body = self.call("hana", "/people", discipline="design").json()
        self.assertEqual([p["name"] for p in body["items"]], ["Dana Designer"])
        body = self.call("hana", "/people", q="marco").json()
        self.assertEqual([p["email"] for p in body["items"]], ["marco@example.com"])

    def test_manager_lists_their_chain(self) -> None:
        names = {p["name"] for p in self.call("marco", "/people").json()["items"]}
        self.assertIn("Paul PM", names)
        self.assertNotIn("Otto Outsider", names)

    def test_member_cannot_read_a_peer(self) -> None:
        self.assertEqual(self.call("priya", f"/people/{self.cast.paul.pk}").status_code, 404)
        me = self.call("priya", f"/people/{self.cast.priya.pk}").json()
        self.assertEqual(me["manager"]["name"], "Marco Manager")

    def test_viewer_is_refused_named_lists(self) -> None:
        response = self.call("vera", "/people")
        self.assertEqual(response.status_code, 403)
        self.assertIn("aggregates only", response.json()["detail"])
        self.assertEqual(self.call("vera", "/teams").status_code, 403)

    def test_team_detail_lists_members_with_roles(self) -> None:
        body = self.call("hana", f"/teams/{self.cast.checkout.pk}").json()
        roles = {m["person"]["name"]: m["role"] for m in body["members"]}
        self.assertEqual(roles["Dana Designer"], "design_lead")
        self.assertEqual(self.call("priya", f"/teams/{self.cast.search.pk}").status_code, 404)

    def test_audit_per_role(self) -> None:
        admin = self.call("hana", "/audit").json()
        self.assertEqual(admin["scope"], "all")
        rules = {f["rule"] for f in admin["findings"]}
        self.assertIn("trio_incomplete", rules)
        self.assertIn("no_manager", rules)
        viewer = self.call("vera", "/audit").json()
        self.assertEqual(viewer["scope"], "summary")
        self.assertEqual(viewer["findings"], [])
        self.assertIn("trio_incomplete", viewer["counts"])

    def test_audit_thresholds_from_the_query(self) -> None:
        body = self.call("hana", "/audit", span_warn=2, span_critical=10).json()
        self.assertEqual(body["thresholds"]["span_warn"], 2)
        spans = [f for f in body["findings"] if f["rule"] == "span_of_control"]
        self.assertEqual([f["subject_name"] for f in spans], ["Hana Head"])
        bad = self.call("hana", "/audit", span_warn=10, span_critical=2)
        self.assertEqual(bad.status_code, 422)

    def test_a_revoked_token_stops_working(self) -> None:
        from productops.accounts.models import AccessToken

        token, raw = do_create_token(self.cast.hana_user, "temporary")
        ok = self.client.get("/api/org/teams", HTTP_AUTHORIZATION=f"Bearer {raw}")
        self.assertEqual(ok.status_code, 200)
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)
        do_revoke_token(self.cast.hana_user, AccessToken.objects.get(pk=token.pk))
        gone = self.client.get("/api/org/teams", HTTP_AUTHORIZATION=f"Bearer {raw}")
        self.assertEqual(gone.status_code, 401)

    def test_openapi_schema_lists_the_org_routes(self) -> None:
        # Only for those signed in or holding a token, as every other page.
        self.assertEqual(self.client.get("/api/openapi.json").status_code, 401)
        self.assertEqual(self.client.get("/api/docs").status_code, 302)
        _, raw = do_create_token(self.cast.vera_user, "schema")
        schema = self.client.get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
        self.assertIn("/api/org/people", schema["paths"])
        self.assertIn("/api/org/audit", schema["paths"])
        wrong = self.client.get("/api/openapi.json", HTTP_AUTHORIZATION="Bearer pops_wrong")
        self.assertEqual(wrong.status_code, 401)
        self.client.force_login(self.cast.hana_user)
        self.assertEqual(self.client.get("/api/docs").status_code, 200)
