"""`productops cadence`: the table, the JSON, and sentences for bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from productops.discovery.models import Touchpoint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def secret_touchpoint(cast):
    """Checkout's trio interview, whose notes no output of the command may show."""
    touchpoint = Touchpoint.objects.create(
        team=cast.checkout, date=date(2020, 12, 31), kind="interview", notes="Secret remark"
    )
    touchpoint.participants.add(cast.priya, cast.dana, cast.tariq)
    return touchpoint


PERIOD = ["--start", "2020-12-21", "--end", "2021-01-10"]


def test_the_table(cast, capsys):
    call_command("cadence", *PERIOD)
    out = capsys.readouterr().out
    assert "from 2020-12-21 to 2021-01-10 (3 ISO weeks)" in out
    assert "Checkout" in out and "Search" in out
    assert ".#." in out and "1/3" in out and "33%" in out and "100%" in out
    assert "Secret" not in out


def test_json_for_one_team(cast, capsys):
    call_command("cadence", "--team", "checkout", *PERIOD, "--json")
    body = json.loads(capsys.readouterr().out)
    assert [team["team_name"] for team in body] == ["Checkout"]
    assert [week["iso_week"] for week in body[0]["weeks"]] == ["2020-W52", "2020-W53", "2021-W01"]
    assert body[0]["weekly_share"] == pytest.approx(1 / 3)
    assert body[0]["trio_share"] == 1.0 and body[0]["last_date"] == "2020-12-31"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--team", "Nowhere"], "No team is named 'Nowhere'"),
        (["--start", "31/12/2020"], "not a date written YYYY-MM-DD"),
        (["--start", "2021-01-10", "--end", "2020-12-21"], "after its end"),
    ],
)
def test_bad_input_is_a_sentence(cast, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("cadence", *arguments)
