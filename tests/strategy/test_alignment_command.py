"""`productops alignment`: the shares, the objectives, and the unaligned items."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from productops.backlog.models import Item
from tests.cast import build_cast
from tests.strategy.alignment_story import build_story

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("alignment", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def story():
    return build_story(build_cast())


def test_it_prints_the_shares_objectives_idle_ones_and_unaligned_items(story) -> None:
    text = run("--start", "2026-01-01", "--end", "2026-03-31")
    assert "Strategy alignment, 2026-01-01 to 2026-03-31" in text
    assert "Work in progress tracing to an objective: 50% (3 of 6)" in text
    assert "Work done in the period tracing to an objective: 75% (3 of 4)" in text
    assert (
        "Faster checkout [product]: 2 in progress, 2 done (3 by hand, 2 by label, 0 by epic)"
        in text
    )
    idle = text.split("Objectives with no work:")[1].split("Unaligned items")[0]
    assert idle.strip() == "Loyalty programme"
    assert "Unaligned items: 4" in text
    assert "SRCH-3  Work on SRCH-3  [Done]  Search" in text


def test_json_holds_everything(story) -> None:
    Item.objects.bulk_create(
        Item(source="jira", key=f"ZZ-{n}", title="more", status_category="in_progress")
        for n in range(30)
    )
    data = json.loads(run("--json", "--start", "2026-01-01", "--end", "2026-03-31"))
    assert data["in_progress"] == {"count": 36, "aligned": 3, "share": 3 / 36}
    assert data["unaligned_count"] == 34 and len(data["unaligned"]) == 34
    assert data["objectives_without_work"] == [story.loyalty.pk]
    assert {o["title"] for o in data["objectives"]} == {
        "Grow repeat purchases",
        "Faster checkout",
        "Better search",
        "Loyalty programme",
    }
    text = run("--start", "2026-01-01", "--end", "2026-03-31")
    assert "… and 14 more (--json lists them all)." in text


def test_no_objective_says_where_to_add_them() -> None:
    assert "No objective covers this period" in run()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--start", "01/02/2026"], "The start “01/02/2026” is not a date: write it as YYYY-MM-DD"),
        (["--end", "2026-02-31"], "The end “2026-02-31” is not a date"),
        (["--start", "2026-03-01", "--end", "2026-01-01"], "before it starts"),
    ],
)
def test_bad_dates_end_in_a_sentence(args, words) -> None:
    with pytest.raises(CommandError, match=words):
        run(*args)
