"""GET /api/jobs/{id}: a job's status, progress and result, for its owner and admins."""

from __future__ import annotations

from django.test import TestCase

from productops.ops.jobs import start_job
from productops.ops.models import Job, JobStatus
from tests.cast import Cast, build_cast
from tests.ops import worker_tasks


class JobsApi(TestCase):
    cast: Cast
    job: Job

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.job = start_job(
            "selftest", "Count", worker_tasks.count_to, 2,
            owner=cls.cast.priya_user, result_url="/backlog/",
        )  # fmt: skip

    def get(self, user: object, pk: int) -> tuple[int, dict[str, object]]:
        self.client.force_login(user)  # type: ignore[arg-type]
        response = self.client.get(f"/api/jobs/{pk}")
        return response.status_code, response.json()

    def test_the_owner_reads_status_progress_and_result(self) -> None:
        status, body = self.get(self.cast.priya_user, self.job.pk)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "done")
        self.assertEqual((body["done"], body["total"]), (2, 2))
        self.assertEqual(body["result"], {"summary": "Counted to 2.", "n": 2})
        self.assertEqual(body["result_url"], "/backlog/")
        self.assertEqual(body["error"], "")
        self.assertIsNotNone(body["finished_at"])
        self.assertIsNotNone(body["created_at"])

    def test_an_admin_reads_it_and_others_get_404(self) -> None:
        self.assertEqual(self.get(self.cast.hana_user, self.job.pk)[0], 200)
        for user in (self.cast.marco_user, self.cast.paul_user, self.cast.vera_user):
            with self.subTest(user=user.username):
                status, body = self.get(user, self.job.pk)
                self.assertEqual(status, 404)
                self.assertEqual(body, {"detail": "No such job"})

    def test_a_waiting_job_has_no_result_yet(self) -> None:
        job = Job.objects.create(kind="selftest", title="Waits", owner=self.cast.priya_user)
        status, body = self.get(self.cast.priya_user, job.pk)
        self.assertEqual(
            (status, body["status"], body["result"], body["total"]),
            (200, JobStatus.QUEUED, None, None),
        )
        self.assertIsNone(body["started_at"])

    def test_without_a_login_it_is_401(self) -> None:
        self.assertEqual(self.client.get(f"/api/jobs/{self.job.pk}").status_code, 401)
