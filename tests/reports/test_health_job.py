"""Generating the org health report is a background job: the page starts it after the
form's checks and sends the browser to the job; the job's result is the kept snapshot."""

from __future__ import annotations

from django.test import TestCase, override_settings
from django.urls import reverse

from productops.ops.models import Job, JobStatus
from productops.reports.models import ReportSnapshot
from tests.cast import build_cast

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE)
class HealthReportJob(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_posting_the_form_runs_a_job_whose_result_is_the_snapshot(self) -> None:
        self.client.force_login(self.cast.hana_user)
        response = self.client.post(reverse("reports:health"), {"scope": "org"})
        job = Job.objects.get()
        self.assertRedirects(
            response, reverse("ops:job", args=[job.pk]), fetch_redirect_response=False
        )
        self.assertEqual(
            (job.kind, job.status, job.owner),
            ("health-report", JobStatus.DONE, self.cast.hana_user),
        )
        snapshot = ReportSnapshot.objects.get()
        self.assertEqual(job.result["snapshot_id"], snapshot.pk)
        self.assertEqual(job.result_url, reverse("reports:health_snapshot", args=[snapshot.pk]))
        self.assertEqual(self.client.get(job.result_url).status_code, 200)

    def test_a_wrong_form_starts_no_job(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.post(reverse("reports:health"), {"scope": "team:99999"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Job.objects.exists())

    def test_the_htmx_run_step_sends_the_browser_to_the_job(self) -> None:
        self.client.force_login(self.cast.vera_user)
        response = self.client.post(
            reverse("reports:health"), {"scope": "org", "step": "run"}, HTTP_HX_REQUEST="true"
        )
        job = Job.objects.get()
        self.assertEqual(response["HX-Redirect"], reverse("ops:job", args=[job.pk]))
        self.assertEqual(job.status, JobStatus.DONE)
        # the viewer's snapshot is the viewer's to reopen
        self.assertEqual(self.client.get(job.result_url).status_code, 200)
