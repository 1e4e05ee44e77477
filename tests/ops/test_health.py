"""/health/ tells a load balancer whether this node can serve: database, disk, and the
worker's heartbeat reported beside them (counted only when asked)."""

from __future__ import annotations

import datetime as dt
import json

from django.test import TestCase, override_settings
from django.utils import timezone

from productops.ops.models import WorkerHeartbeat


def beat(seconds_ago: int) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=f"w{seconds_ago}",
        host="node-7.internal",
        pid=4242,
        started_at=now - dt.timedelta(hours=1),
        seen_at=now - dt.timedelta(seconds=seconds_ago),
    )


class Health(TestCase):
    def get(self, path: str = "/health/") -> tuple[int, dict]:
        response = self.client.get(path)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("no-cache", response["Cache-Control"])
        return response.status_code, json.loads(response.content)

    def test_all_well_answers_200_without_a_login(self) -> None:
        beat(5)
        status, body = self.get()
        self.assertEqual(status, 200)
        self.assertEqual(body["status"], "ok")
        self.assertEqual(body["failing"], [])
        self.assertTrue(body["checks"]["database"]["ok"])
        self.assertTrue(body["checks"]["disk"]["ok"])
        self.assertEqual(
            body["checks"]["worker"], {"ok": True, "seen_seconds_ago": 5, "counted": False}
        )

    def test_a_missing_worker_is_reported_but_does_not_pull_the_node(self) -> None:
        status, body = self.get()
        self.assertEqual(status, 200)
        self.assertFalse(body["checks"]["worker"]["ok"])
        self.assertIsNone(body["checks"]["worker"]["seen_seconds_ago"])

    def test_a_stale_worker_counts_when_asked_for(self) -> None:
        beat(600)
        status, body = self.get("/health/?worker=1")
        self.assertEqual(status, 503)
        self.assertEqual(body["failing"], ["worker"])
        self.assertEqual(body["checks"]["worker"]["seen_seconds_ago"], 600)

    @override_settings(PRODUCTOPS_HEALTH_REQUIRE_WORKER=True)
    def test_the_setting_makes_the_worker_count_and_worker_0_overrides_it(self) -> None:
        self.assertEqual(self.get()[0], 503)
        self.assertEqual(self.get("/health/?worker=0")[0], 200)
        beat(3)
        self.assertEqual(self.get()[0], 200)

    @override_settings(PRODUCTOPS_HEALTH_MIN_FREE_MB=10**12)
    def test_too_little_free_space_is_503_naming_the_disk(self) -> None:
        beat(1)
        status, body = self.get()
        self.assertEqual(status, 503)
        self.assertEqual(body["status"], "failing")
        self.assertEqual(body["failing"], ["disk"])
        self.assertFalse(body["checks"]["disk"]["ok"])
        self.assertEqual(body["checks"]["disk"]["min_free_mb"], 10**12)

    def test_the_body_names_no_host_path_or_secret_and_costs_two_queries(self) -> None:
        beat(2)
        with self.assertNumQueries(2):
            response = self.client.get("/health/")
        text = response.content.decode()
        for secret in ("node-7", "4242", "sqlite3", "/", "secret"):
            self.assertNotIn(secret, text.replace("/health/", ""))

    def test_only_reads_are_allowed(self) -> None:
        self.assertEqual(self.client.post("/health/").status_code, 405)
