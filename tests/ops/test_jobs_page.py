"""A job's page and its polled fragment: progress while it waits or runs, then its result
or its error; seen by its owner and admins only."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

import productops.urls  # noqa: F401  (the site registers how ops tells an admin)
from productops.ops.jobs import start_job
from productops.ops.models import Job, JobStatus, WorkerHeartbeat
from tests.cast import Cast, build_cast
from tests.ops import worker_tasks


class JobPageStory(TestCase):
    cast: Cast
    done: Job

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.done = start_job(
            "selftest", "Count to three", worker_tasks.count_to, 3,
            owner=cls.cast.priya_user, result_url="/backlog/",
        )  # fmt: skip

    def page(self, job: Job, user: object = None, fragment: bool = False) -> str:
        self.client.force_login(user or self.cast.priya_user)  # type: ignore[arg-type]
        name = "ops:job_status" if fragment else "ops:job"
        response = self.client.get(reverse(name, args=[job.pk]))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_done_job_shows_its_summary_and_a_link_and_stops_polling(self) -> None:
        self.assertEqual(self.done.status, JobStatus.DONE)
        html = self.page(self.done)
        self.assertIn("Counted to 3.", html)
        self.assertIn('<a href="/backlog/">See the result</a>', html)
        self.assertNotIn("hx-trigger", html)
        self.assertNotIn("hx-trigger", self.page(self.done, fragment=True))

    def test_a_running_job_polls_every_second_with_its_progress(self) -> None:
        job = Job.objects.create(
            kind="selftest", title="Big import", owner=self.cast.priya_user,
            status=JobStatus.RUNNING, done=250, total=1000, message="Reading jira.json",
        )  # fmt: skip
        fragment = self.page(job, fragment=True)
        self.assertTrue(fragment.lstrip().startswith("<section"), fragment[:80])
        self.assertIn('hx-trigger="every 1s"', fragment)
        self.assertIn('hx-swap="outerHTML"', fragment)
        self.assertIn(f'hx-get="{reverse("ops:job_status", args=[job.pk])}"', fragment)
        self.assertIn('<progress value="250" max="1000"', fragment)
        self.assertIn("250 of 1000 (25%)", fragment)
        self.assertIn("Reading jira.json", fragment)
        self.assertNotIn("<html", fragment)
        self.assertIn("<html", self.page(job))

    def test_an_unknown_total_gives_an_indeterminate_bar_with_the_count(self) -> None:
        job = Job.objects.create(
            kind="selftest", title="Stream", owner=self.cast.priya_user,
            status=JobStatus.RUNNING, done=4200,
        )  # fmt: skip
        fragment = self.page(job, fragment=True)
        self.assertIn('<progress aria-label="Progress"></progress>', fragment)
        self.assertIn("4200 so far", fragment)

    def test_a_job_waiting_long_with_no_worker_says_to_start_one(self) -> None:
        job = Job.objects.create(kind="selftest", title="Waits", owner=self.cast.priya_user)
        self.assertNotIn("No worker is running", self.page(job, fragment=True))  # just queued
        Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=45))
        self.assertIn("No worker is running: start <code>productops worker</code>",
                      self.page(job, fragment=True))  # fmt: skip
        now = timezone.now()
        beat = WorkerHeartbeat.objects.create(
            worker_id="w1", host="h", pid=1, started_at=now, seen_at=now
        )
        self.assertNotIn("No worker is running", self.page(job, fragment=True))
        WorkerHeartbeat.objects.filter(pk=beat.pk).update(seen_at=now - timedelta(minutes=5))
        self.assertIn("No worker is running", self.page(job, fragment=True))

    def test_a_failed_job_keeps_the_sentence_for_the_person(self) -> None:
        job = start_job(
            "selftest", "Refused", worker_tasks.refuse,
            "Column 'Key' is missing: add it and import again.", owner=self.cast.priya_user,
        )  # fmt: skip
        html = self.page(job)
        self.assertIn("Failed", html)
        self.assertIn("Column &#x27;Key&#x27; is missing: add it and import again.", html)
        self.assertNotIn("hx-trigger", html)

    def test_an_unexpected_error_fails_with_a_sentence_not_a_traceback(self) -> None:
        with self.assertLogs("productops.tasks", "ERROR"):
            job = start_job(
                "selftest", "Broken", worker_tasks.break_down, owner=self.cast.priya_user
            )
        html = self.page(job)
        self.assertIn("stopped on an unexpected problem", html)
        self.assertNotIn("ValueError", html)
        self.assertNotIn("Traceback", html)


class WhoSeesAJob(TestCase):
    cast: Cast
    job: Job

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.job = start_job(
            "selftest", "Priya's", worker_tasks.count_to, 1, owner=cls.cast.priya_user
        )

    def status_for(self, user: object, name: str = "ops:job") -> int:
        self.client.force_login(user)  # type: ignore[arg-type]
        return self.client.get(reverse(name, args=[self.job.pk])).status_code

    def test_the_owner_and_admins_see_it(self) -> None:
        for user in (self.cast.priya_user, self.cast.hana_user):
            for name in ("ops:job", "ops:job_status"):
                with self.subTest(user=user.username, page=name):
                    self.assertEqual(self.status_for(user, name), 200)

    def test_anyone_else_gets_404(self) -> None:
        for user in (self.cast.marco_user, self.cast.paul_user, self.cast.vera_user):
            for name in ("ops:job", "ops:job_status"):
                with self.subTest(user=user.username, page=name):
                    self.assertEqual(self.status_for(user, name), 404)

    def test_a_job_that_does_not_exist_is_404(self) -> None:
        self.client.force_login(self.cast.hana_user)
        self.assertEqual(self.client.get("/jobs/999999/").status_code, 404)
        self.assertEqual(self.client.get("/jobs/99999999999999999999/").status_code, 404)

    def test_signing_in_comes_first(self) -> None:
        response = self.client.get(reverse("ops:job_status", args=[self.job.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
