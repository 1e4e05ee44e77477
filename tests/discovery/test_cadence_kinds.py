"""Cadence counts discovery: shadowing apart, the kind mix, and the trio finding.

The arithmetic first (pure: facts in, cadence out), then the setting that names the kinds
that count, then the page, the API and the command giving the same numbers.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from productops.discovery.cadence import TouchpointFact, load_cadence, team_cadence
from productops.discovery.kinds import check_discovery_kinds, discovery_kinds, parse_kinds
from productops.discovery.models import Touchpoint
from tests.api import ApiClient

PM, DESIGN, TECH = "product_manager", "design_lead", "tech_lead"
TRIO = frozenset({PM, DESIGN, TECH})
MON, WED = date(2025, 1, 6), date(2025, 1, 8)  # ISO week 2025-W02
NEXT_MON = date(2025, 1, 13)
END = date(2025, 1, 19)  # two ISO weeks


def fact(day: date, kind: str, roles: frozenset[str] = frozenset({PM})) -> TouchpointFact:
    return TouchpointFact(date=day, kind=kind, member_roles=roles)


def cadence(facts, *, kinds=None, team_roles=TRIO, start=MON, end=END):
    return team_cadence(
        1,
        "Checkout",
        facts,
        start=start,
        end=end,
        today=end,
        discovery_kinds=kinds,
        team_roles=team_roles,
    )


# -- shadowing apart ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sales_call", "support_call"])
def test_a_week_with_only_shadowing_is_not_a_discovery_week(kind):
    result = cadence([fact(MON, kind, TRIO), fact(WED, kind, TRIO)])
    assert result.weeks == [(MON, 0), (NEXT_MON, 0)]
    assert result.weekly_share == 0 and result.counted_weeks == 0
    assert result.shadowing == 2 and result.week_shadowing(MON) == 2
    assert result.shadowing_only_weeks == 1
    assert result.silent  # shadowing alone keeps a team silent
    assert result.touchpoints == 2  # still touchpoints: they show in the mix


def test_an_interview_makes_the_week_count_and_the_shadowing_is_still_shown():
    result = cadence(
        [fact(MON, "sales_call"), fact(WED, "interview"), fact(NEXT_MON, "sales_call")]
    )
    assert result.weeks == [(MON, 1), (NEXT_MON, 0)]
    assert result.shadowing == 2 and result.shadowing_only_weeks == 1
    weeks = result.as_dict()["weeks"]
    assert [(w["count"], w["shadowing"]) for w in weeks] == [(1, 1), (0, 1)]


def test_naming_a_shadowing_kind_makes_it_count():
    facts = [fact(MON, "sales_call"), fact(NEXT_MON, "support_call")]
    result = cadence(facts, kinds={"interview", "sales_call"})
    assert result.weeks == [(MON, 1), (NEXT_MON, 0)]
    assert result.shadowing == 2 and result.shadowing_only_weeks == 1
    assert result.as_dict()["discovery_kinds"] == ["interview", "sales_call"]


def test_reviews_never_count_and_are_not_shadowing():
    result = cadence([fact(MON, "survey_review"), fact(WED, "data_review")])
    assert result.counted_weeks == 0 and result.shadowing == 0 and result.shadowing_only_weeks == 0


# -- the kind mix --------------------------------------------------------------------------


def test_the_kind_mix_counts_every_kind_in_the_period_with_its_share():
    facts = [
        fact(MON, "sales_call"),
        fact(MON, "sales_call"),
        fact(WED, "sales_call", frozenset()),  # nobody of the team: still in the mix
        fact(WED, "interview"),
        fact(date(2024, 12, 30), "interview"),  # before the period
    ]
    result = cadence(facts)
    rows = {row.kind: row for row in result.kind_rows()}
    assert list(rows)[:2] == ["interview", "usability_test"]  # the model's order, every kind
    assert rows["sales_call"].count == 3 and rows["sales_call"].percent == 75
    assert rows["interview"].count == 1 and rows["interview"].share == 0.25
    assert rows["usability_test"].count == 0
    assert rows["sales_call"].shadowing and not rows["sales_call"].counts_as_discovery
    assert rows["interview"].counts_as_discovery
    assert sum(row.count for row in rows.values()) == result.touchpoints == 4


def test_no_touchpoints_no_shares():
    result = cadence([])
    assert all(row.share is None for row in result.kind_rows())
    assert result.trio_finding is None


# -- the trio finding ----------------------------------------------------------------------


def test_a_team_whose_designer_and_engineers_never_join_is_a_finding():
    result = cadence([fact(MON, "interview"), fact(NEXT_MON, "usability_test")])
    finding = result.trio_finding
    assert finding is not None and finding.key == "never_joined"
    assert finding.absent == ("design", "engineering")
    assert "No designer or engineer of Checkout took part in any of its 2 touchpoints" in (
        finding.sentence
    )
    assert "Only the product manager took part." in finding.sentence
    assert finding.try_next.startswith("Invite the designer and an engineer")
    assert result.trio_parts == {"product": 2, "design": 0, "engineering": 0}


def test_a_team_without_a_designer_cannot_have_its_trio():
    result = cadence(
        [fact(MON, "interview", frozenset({PM, TECH}))], team_roles=frozenset({PM, TECH})
    )
    assert result.trio_finding is not None
    assert result.trio_finding.key == "incomplete"
    assert result.trio_finding.missing == ("design",)
    assert "has no designer" in result.trio_finding.sentence


def test_each_joined_but_never_all_three_together():
    result = cadence(
        [
            fact(MON, "interview", frozenset({PM, DESIGN})),
            fact(WED, "interview", frozenset({TECH})),
        ]
    )
    assert result.trio_finding is not None and result.trio_finding.key == "never_together"
    assert "never all three in the same one" in result.trio_finding.sentence


def test_one_touchpoint_with_the_whole_trio_is_no_finding():
    result = cadence([fact(MON, "interview", TRIO), fact(WED, "interview")])
    assert result.trio_finding is None
    assert result.as_dict()["trio_finding"] is None


# -- the setting -----------------------------------------------------------------------------


def test_the_default_kinds_are_the_conversations_of_the_team_itself():
    assert discovery_kinds() == {"interview", "usability_test", "prototype_test"}


@pytest.mark.parametrize(
    "value", ["interview, Sales_Call", ["interview", "sales_call"], ("sales_call", "interview")]
)
def test_the_setting_takes_a_comma_separated_text_or_a_list(value):
    with override_settings(PRODUCTOPS_DISCOVERY_KINDS=value):
        assert discovery_kinds() == {"interview", "sales_call"}


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("interview,coffee_chat", "'coffee_chat', which is not a touchpoint kind"),
        (" , ", "no kind"),
    ],
)
def test_a_wrong_setting_is_refused_with_a_sentence_and_by_the_system_check(value, said):
    with override_settings(PRODUCTOPS_DISCOVERY_KINDS=value):
        with pytest.raises(ImproperlyConfigured, match=said):
            discovery_kinds()
        errors = check_discovery_kinds()
    assert [error.id for error in errors] == ["discovery.E001"]
    assert "PRODUCTOPS_DISCOVERY_KINDS" in errors[0].hint
    assert check_discovery_kinds() == []


def test_parse_kinds_lists_the_known_kinds_when_one_is_unknown():
    with pytest.raises(ValueError, match="the kinds are interview, usability_test"):
        parse_kinds("demo")


# -- against the database: the loader, the page, the API and the command agree ----------------


def touch(team, day, kind, people):
    made = Touchpoint.objects.create(team=team, date=day, kind=kind)
    made.participants.add(*people)
    return made


@pytest.fixture
def shadowing_story(cast):
    """Checkout: two weeks of sales-call shadowing by its PM, one interview in the second."""
    touch(cast.checkout, MON, "sales_call", [cast.priya])
    touch(cast.checkout, WED, "sales_call", [cast.priya])
    touch(cast.checkout, NEXT_MON, "sales_call", [cast.priya])
    touch(cast.checkout, NEXT_MON, "interview", [cast.priya])
    return cast


PERIOD = {"start": MON.isoformat(), "end": END.isoformat()}


def _page(client, cast):
    client.force_login(cast.vera_user)
    return client.get(reverse("discovery:cadence"), PERIOD)


def _api(cast):
    return ApiClient().get("vera", "/discovery/cadence", query=PERIOD).json()


def _command():
    out = StringIO()
    call_command(
        "cadence", "--start", PERIOD["start"], "--end", PERIOD["end"], "--json", stdout=out
    )
    return json.loads(out.getvalue())


def _numbers(rows, name):
    row = next(row for row in rows if row["team_name"] == name)
    mix = {entry["kind"]: entry["count"] for entry in row["kind_mix"] if entry["count"]}
    return (
        row["counted_weeks"],
        row["shadowing"],
        row["shadowing_only_weeks"],
        mix,
        (row["trio_finding"] or {}).get("key"),
    )


def test_page_api_and_command_agree_and_sales_calls_do_not_count(client, shadowing_story):
    cast = shadowing_story
    expected = (1, 3, 1, {"interview": 1, "sales_call": 3}, "never_joined")
    assert _numbers(_api(cast), "Checkout") == expected
    assert _numbers(_command(), "Checkout") == expected
    response = _page(client, cast)
    row = next(
        r["cadence"] for r in response.context["rows"] if r["cadence"].team_name == "Checkout"
    )
    assert _numbers([json.loads(json.dumps(row.as_dict(), default=str))], "Checkout") == expected
    html = response.content.decode()
    assert "Sales-call shadowing and support-call shadowing are shown apart" in html
    assert "Kinds of touchpoint per team" in html and 'class="chart chart-shares"' in html
    assert "No designer or engineer of Checkout took part in any of its 4 touchpoints" in html
    assert "What to try: Invite the designer and an engineer" in html


def test_the_setting_changes_the_page_the_api_and_the_command_alike(client, shadowing_story):
    cast = shadowing_story
    with override_settings(PRODUCTOPS_DISCOVERY_KINDS="interview,usability_test,sales_call"):
        expected = (2, 3, 0, {"interview": 1, "sales_call": 3}, "never_joined")
        assert _numbers(_api(cast), "Checkout") == expected
        assert _numbers(_command(), "Checkout") == expected
        response = _page(client, cast)
        checkout = next(
            r["cadence"] for r in response.context["rows"] if r["cadence"].team_name == "Checkout"
        )
        assert checkout.counted_weeks == 2
        assert "this installation counts customer interview, usability test, sales-call" in (
            response.content.decode()
        )
        [checkout_only] = load_cadence([cast.checkout.pk], start=MON, end=END)
        assert checkout_only.weeks == [(MON, 2), (NEXT_MON, 2)]


def test_the_command_prints_shadowing_the_mix_and_the_finding(shadowing_story, capsys):
    call_command("cadence", "--start", PERIOD["start"], "--end", PERIOD["end"])
    out = capsys.readouterr().out
    assert "Shadowing" in out and "s#" in out  # a shadowing-only week, then a counted one
    assert "Checkout: Customer interview 1 (25%), Sales-call shadowing 3 (75%)" in out
    assert "Trio findings:" in out and "No designer or engineer of Checkout" in out
    assert "Search: no touchpoint" in out


def test_the_team_page_shows_the_kind_table_and_the_finding(client, shadowing_story):
    cast = shadowing_story
    client.force_login(cast.vera_user)
    response = client.get(reverse("discovery:team_cadence", args=[cast.checkout.pk]), PERIOD)
    html = response.content.decode()
    assert [(row.kind, row.count, row.percent) for row in response.context["kind_rows"]] == [
        ("interview", 1, 25),
        ("sales_call", 3, 75),
    ]
    assert "no: shadowing, shown apart" in html
    assert "1 week with shadowing only" in html
    assert "No designer or engineer of Checkout" in html
    assert "cad-shadowing" in html  # the grid draws the shadowing-only week apart
