"""Importing people through the upload page: the same import as the command."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from productops.org.models import Person
from tests.cast import build_cast

FIXTURES = Path(__file__).parent.parent / "fixtures" / "people"


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), content_type="text/csv")


class ImportPage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def setUp(self) -> None:
        self.client.force_login(self.cast.hana_user)

    def test_a_good_file_is_imported_and_the_page_says_how_many(self) -> None:
        before = Person.objects.count()
        response = self.client.post(
            reverse("org:import_people"), {"file": upload("org.csv")}, follow=True
        )
        self.assertContains(response, "Imported org.csv")
        self.assertGreater(Person.objects.count(), before)
        self.assertTrue(Person.objects.filter(email="ines@acme.test").exists())

    def test_bad_rows_are_listed_with_row_and_column_and_nothing_is_written(self) -> None:
        before = Person.objects.count()
        response = self.client.post(reverse("org:import_people"), {"file": upload("bad_rows.csv")})
        self.assertContains(response, "nothing was written")
        self.assertContains(response, "discipline")
        self.assertContains(response, "Dezign")
        self.assertContains(response, '<td class="num">3</td>', html=False)
        self.assertEqual(Person.objects.count(), before)

    def test_skip_invalid_from_the_page_writes_the_good_rows(self) -> None:
        response = self.client.post(
            reverse("org:import_people"), {"file": upload("bad_rows.csv"), "skip_invalid": "on"}
        )
        self.assertContains(response, "these rows were skipped")
        self.assertFalse(Person.objects.filter(email="bob@acme.test").exists())

    def test_a_file_that_is_not_utf8_gets_a_clear_message(self) -> None:
        response = self.client.post(reverse("org:import_people"), {"file": upload("latin1.csv")})
        self.assertContains(response, "UTF-8")
        self.assertEqual(response.status_code, 200)

    def test_a_manager_cannot_post_an_import(self) -> None:
        self.client.force_login(self.cast.marco_user)
        response = self.client.post(reverse("org:import_people"), {"file": upload("org.csv")})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Person.objects.filter(email="ines@acme.test").exists())
