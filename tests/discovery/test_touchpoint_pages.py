"""Logging, listing, editing, deleting and importing touchpoints on the pages, per role.

Priya (member, Checkout PM) logs for her team; Paul (member, Search) cannot log for
Checkout nor see its touchpoints; Marco (manager) logs for any team; Hana (admin)
everything; Vera (viewer) never sees touchpoint details.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from productops.discovery.models import Touchpoint

pytestmark = pytest.mark.django_db


def log(client, cast, **changes):
    data = {
        "date": timezone.localdate().isoformat(),
        "kind": "interview",
        "participants": [cast.priya.pk, cast.dana.pk],
        "segment": "SMB",
        "customers": "2",
        "notes": "Card declined twice",
        "insights": "Retry is hidden",
    }
    data.update(changes)
    return client.post(reverse("discovery:touchpoint_new", args=[cast.checkout.pk]), data)


def touchpoint(cast, **fields):
    values = {"team": cast.checkout, "date": date(2025, 1, 6), "kind": "interview"}
    values.update(fields)
    made = Touchpoint.objects.create(**values)
    made.participants.add(cast.priya)
    return made


def test_the_form_presets_today_and_me(client, cast):
    client.force_login(cast.priya_user)
    response = client.get(reverse("discovery:touchpoint_new", args=[cast.checkout.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["participants"] == [cast.priya.pk]
    assert {p.pk for p in form.fields["participants"].queryset} == {
        cast.priya.pk,
        cast.dana.pk,
        cast.tariq.pk,
    }


def test_a_manager_not_in_the_team_gets_no_preselection(client, cast):
    client.force_login(cast.marco_user)
    response = client.get(reverse("discovery:touchpoint_new", args=[cast.checkout.pk]))
    assert response.context["form"].initial["participants"] == []


def test_a_member_logs_a_touchpoint_and_lands_on_the_team_page(client, cast):
    client.force_login(cast.priya_user)
    response = log(client, cast)
    assert response.status_code == 302
    assert response["Location"] == reverse("org:team", args=[cast.checkout.pk])
    made = Touchpoint.objects.get()
    assert made.created_by == cast.priya_user and made.customers == 2
    assert set(made.participants.all()) == {cast.priya, cast.dana}
    page = client.get(response["Location"])
    assert page.context["discovery_cadence"]["cadence"].counted_weeks == 1
    assert b"Logged the customer interview" in page.content


def test_bad_input_is_explained_on_the_form(client, cast):
    client.force_login(cast.priya_user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = log(client, cast, date=tomorrow, customers="0")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "customers" in errors
    response = log(client, cast, date=tomorrow)
    assert "took place" in str(response.context["form"].errors["date"])
    response = log(client, cast, participants=[cast.paul.pk])
    assert "participants" in response.context["form"].errors
    assert Touchpoint.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("hana_user", 302),
        ("marco_user", 302),
        ("priya_user", 302),
        ("paul_user", 403),
        ("vera_user", 403),
    ],
)
def test_who_may_log_for_checkout(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert log(client, cast, participants=[]).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("hana_user", 200),
        ("marco_user", 200),
        ("priya_user", 200),
        ("paul_user", 404),
        ("vera_user", 403),
    ],
)
def test_who_sees_the_list_and_the_notes(client, cast, who, status):
    made = touchpoint(cast, notes="Secret pricing remark")
    client.force_login(getattr(cast, who))
    listing = client.get(reverse("discovery:touchpoints", args=[cast.checkout.pk]))
    detail = client.get(reverse("discovery:touchpoint", args=[made.pk]))
    assert listing.status_code == status
    assert detail.status_code == status
    if status == 200:
        assert b"Secret pricing remark" in detail.content


def test_the_list_is_newest_first_and_paginated(client, cast, django_assert_max_num_queries):
    for n in range(55):
        touchpoint(cast, date=date(2024, 1, 1) + timedelta(days=n))
    client.force_login(cast.priya_user)
    url = reverse("discovery:touchpoints", args=[cast.checkout.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    rows = list(response.context["page"].object_list)
    assert len(rows) == 50 and rows[0].date == date(2024, 2, 24)
    assert len(client.get(url + "?page=2").context["page"].object_list) == 5


def test_an_empty_list_says_what_to_do(client, cast):
    client.force_login(cast.priya_user)
    response = client.get(reverse("discovery:touchpoints", args=[cast.checkout.pk]))
    assert b"No touchpoints logged for Checkout yet" in response.content


def test_edit_and_delete_with_confirmation(client, cast):
    made = touchpoint(cast)
    client.force_login(cast.priya_user)
    url = reverse("discovery:touchpoint", args=[made.pk])
    response = client.post(
        url,
        {
            "date": "2025-01-07",
            "kind": "usability_test",
            "participants": [cast.tariq.pk],
            "customers": "3",
            "segment": "",
            "notes": "",
            "insights": "",
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.date, made.kind, made.customers) == (date(2025, 1, 7), "usability_test", 3)
    assert list(made.participants.all()) == [cast.tariq]
    delete_url = reverse("discovery:touchpoint_delete", args=[made.pk])
    confirm = client.get(delete_url)
    assert b"cannot be undone" in confirm.content and Touchpoint.objects.exists()
    assert client.post(delete_url).status_code == 302
    assert not Touchpoint.objects.exists()


def test_paul_cannot_delete_a_checkout_touchpoint(client, cast):
    made = touchpoint(cast)
    client.force_login(cast.paul_user)
    assert client.post(reverse("discovery:touchpoint_delete", args=[made.pk])).status_code == 404
    assert Touchpoint.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("hana_user", 200), ("marco_user", 200), ("priya_user", 403), ("vera_user", 403)],
)
def test_only_admins_and_managers_import(client, cast, who, status):
    client.force_login(getattr(cast, who))
    upload = SimpleUploadedFile(
        "tp.csv", b"team,date,kind,participants\nCheckout,2025-01-06,interview,priya@example.com\n"
    )
    response = client.post(reverse("discovery:touchpoint_import"), {"file": upload})
    assert response.status_code == status
    assert Touchpoint.objects.count() == (1 if status == 200 else 0)


def test_the_upload_page_lists_row_errors(client, cast):
    client.force_login(cast.hana_user)
    upload = SimpleUploadedFile("tp.csv", b"team,date,kind\nCheckout,2025-13-01,interview\n")
    response = client.post(reverse("discovery:touchpoint_import"), {"file": upload})
    assert b"tp.csv, row 2, column date" in response.content
    assert b"Nothing was written" in response.content
