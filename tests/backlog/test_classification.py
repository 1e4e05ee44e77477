"""The rules read an item like a head of product would, and always say why."""

from __future__ import annotations

import pytest

from productops.backlog.classification import (
    ItemFacts,
    MappingError,
    classify,
    decide,
    load_mapping,
    parse_mapping,
    reason,
)


def texts(decision) -> list[str]:
    return [r["text"] for r in decision.reasons]


def test_a_sales_reporter_makes_it_a_sales_item() -> None:
    facts = ItemFacts(title="Export to PDF", reporter="Otto Outsider", reporter_discipline="sales")
    origin = classify(facts).origin
    assert origin.label == "sales"
    assert "reporter Otto Outsider is in sales" in texts(origin)


@pytest.mark.parametrize(
    ("discipline", "origin"),
    [
        ("marketing", "marketing"),
        ("support", "support"),
        ("engineering", "internal"),
        ("data", "internal"),
    ],
)
def test_each_reporting_discipline_maps_to_its_origin(discipline: str, origin: str) -> None:
    facts = ItemFacts(title="Something", reporter="Sam", reporter_discipline=discipline)
    assert classify(facts).origin.label == origin


def test_a_product_reporter_alone_decides_nothing() -> None:
    origin = classify(
        ItemFacts(title="Export", reporter="Priya PM", reporter_discipline="product")
    ).origin
    assert origin.label == "unknown"
    assert origin.reasons[0]["weight"] == 0
    assert "reporter Priya PM is in product (alone, a weak signal)" in texts(origin)


def test_a_product_reporter_supports_other_customer_evidence() -> None:
    facts = ItemFacts(
        title="Export",
        labels=("customer-request",),
        reporter="Priya PM",
        reporter_discipline="product",
    )
    origin = classify(facts).origin
    assert origin.label == "customer"
    assert "label 'customer-request' maps to customer need" in texts(origin)
    assert "reporter Priya PM is in product, next to other customer evidence" in texts(origin)
    assert sum(r["weight"] for r in origin.reasons) == 4.0


def test_components_map_like_labels() -> None:
    origin = classify(ItemFacts(title="x", components=("Marketing",))).origin
    assert origin.label == "marketing"
    assert texts(origin) == ["component 'Marketing' maps to marketing"]


@pytest.mark.parametrize(
    ("url", "origin", "says"),
    [
        (
            "https://acme.zendesk.com/agent/tickets/42",
            "support",
            "remote link to a helpdesk ticket (zendesk.com)",
        ),
        (
            "https://help.freshdesk.com/a/tickets/7",
            "support",
            "remote link to a helpdesk ticket (freshdesk.com)",
        ),
        (
            "https://acme.my.salesforce.com/006xx",
            "sales",
            "remote link to a CRM record (salesforce.com)",
        ),
        (
            "https://app.hubspot.com/contacts/1/deal/2",
            "sales",
            "remote link to a CRM record (hubspot.com)",
        ),
    ],
)
def test_remote_links_to_helpdesks_and_crms(url: str, origin: str, says: str) -> None:
    decision = classify(ItemFacts(title="x", links=({"type": "remote", "url": url},))).origin
    assert decision.label == origin
    assert texts(decision) == [says]


def test_a_lookalike_host_is_not_a_helpdesk() -> None:
    link = {"type": "remote", "url": "https://notzendesk.com.evil.example/1"}
    assert classify(ItemFacts(title="x", links=(link,))).origin.label == "unknown"


def test_text_cues_quote_the_words_as_written() -> None:
    origin = classify(ItemFacts(title="SSO for the ACME deal")).origin
    assert origin.label == "sales"
    assert texts(origin) == ["text mentions 'for the ACME deal'"]


def test_a_user_story_counts_as_customer_need() -> None:
    origin = classify(ItemFacts(title="As a user I want to save my cart")).origin
    assert origin.label == "customer"
    assert texts(origin) == ["written as a user story ('As a user I …')"]


def test_a_cue_must_start_a_word() -> None:
    # "bump" inside "speedbump" and "campaign" inside "nocampaign" say nothing
    facts = ItemFacts(title="Speedbump on nocampaigns page")
    result = classify(facts)
    assert result.kind.label == "unknown"
    assert result.origin.label == "unknown"


def test_signals_add_up_and_the_strongest_total_wins() -> None:
    facts = ItemFacts(
        title="Campaign banner for the ACME deal",
        labels=("sales-request",),
        reporter="Mia",
        reporter_discipline="marketing",
    )
    origin = classify(facts).origin
    # sales: label 3 + text 2 = 5; marketing: reporter 3 + text 2 = 5 → a tie
    assert origin.label == "unknown"
    facts = ItemFacts(
        title=facts.title, labels=("sales-request", "deal"), reporter_discipline="marketing"
    )
    assert classify(facts).origin.label == "sales"


def test_no_evidence_is_unknown_with_no_reasons() -> None:
    result = classify(ItemFacts(title="Misc"))
    assert (result.origin.label, result.kind.label, result.framing.label) == ("unknown",) * 3
    assert result.origin.reasons == ()


def test_reasons_come_strongest_first_with_their_weights() -> None:
    decision = decide([reason("a", 1, "weak"), reason("b", 3, "strong"), reason("a", 1, "weak 2")])
    assert decision.label == "b"
    assert [r["weight"] for r in decision.reasons] == [3.0, 1.0, 1.0]


@pytest.mark.parametrize(
    ("facts", "kind", "says"),
    [
        (ItemFacts(title="Checkout fails", type="bug"), "quality", "type 'bug' is quality"),
        (ItemFacts(title="Pager storm", type="incident"), "quality", "type 'incident' is quality"),
        (
            ItemFacts(title="Refactor the billing module", type="task"),
            "tech_debt",
            "text mentions 'Refactor'",
        ),
        (ItemFacts(title="Upgrade Postgres to 16", type="task"), "ktlo", "text mentions 'Upgrade'"),
        (ItemFacts(title="Flaky test in CI", type="task"), "quality", "text mentions 'Flaky'"),
        (
            ItemFacts(title="How do I reset a password?", type="task"),
            "support",
            "text mentions 'How do I'",
        ),
        (
            ItemFacts(title="x", labels=("improvement",)),
            "enhancement",
            "label 'improvement' maps to enhancement",
        ),
        (
            ItemFacts(title="Wishlists", type="feature"),
            "new_value",
            "type 'feature' suggests new value",
        ),
    ],
)
def test_kind_of_work_by_type_labels_and_text(facts: ItemFacts, kind: str, says: str) -> None:
    decision = classify(facts).kind
    assert decision.label == kind
    assert says in texts(decision)


def test_a_refactor_filed_as_a_feature_is_tech_debt() -> None:
    decision = classify(ItemFacts(title="Refactor tech debt in search", type="feature")).kind
    assert decision.label == "tech_debt"


def test_problem_framing() -> None:
    decision = classify(ItemFacts(title="Customers can't find their invoices")).framing
    assert decision.label == "problem"
    assert texts(decision) == ["text states a problem or outcome: 'Customers can't'"]


def test_solution_framing() -> None:
    decision = classify(ItemFacts(title="Add a button to export invoices")).framing
    assert decision.label == "solution"
    assert texts(decision) == ["text prescribes an output: 'Add a button'"]


def test_a_story_with_both_cues_is_a_tie() -> None:
    decision = classify(ItemFacts(title="Implement export so that finance can close")).framing
    assert decision.label == "unknown"
    assert len(decision.reasons) == 2


def test_an_override_file_replaces_only_its_sections(tmp_path, monkeypatch) -> None:
    override = tmp_path / "mapping.yaml"
    override.write_text("origin_labels:\n  growth: marketing\nweights:\n  label: 5\n")
    monkeypatch.setenv("PRODUCTOPS_BACKLOG_MAPPING", str(override))
    mapping = load_mapping()
    origin = classify(ItemFacts(title="x", labels=("growth", "sales")), mapping).origin
    # "sales" is no longer a label mapping; kind cues still come from the defaults
    assert origin.label == "marketing"
    assert origin.reasons[0]["weight"] == 5.0
    assert classify(ItemFacts(title="Refactor"), mapping).kind.label == "tech_debt"


def test_a_bad_mapping_names_the_problem(tmp_path) -> None:
    with pytest.raises(
        MappingError, match="origin_labels.growth: 'growthhacking' is not a label for origin"
    ):
        parse_mapping({"origin_labels": {"growth": "growthhacking"}})
    with pytest.raises(MappingError, match="unknown section"):
        parse_mapping({"origins": {}})
    with pytest.raises(MappingError, match="not valid"):
        parse_mapping({"kind_text": [{"pattern": "(unclosed", "label": "quality"}]})
    bad = tmp_path / "m.yaml"
    bad.write_text("origin_labels: [unclosed")
    with pytest.raises(MappingError, match="not valid YAML"):
        load_mapping(bad)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Invoices show the wrong tax rate", "problem"),
        ("Stark Industries reports CSV export drops accented characters", "problem"),
        ("How do I know when my order ships?", "problem"),
        ("Password reset emails arrive hours late", "problem"),
        ("Hooli needs a 99.99% uptime dashboard before signing", "solution"),
        ("Custom Salesforce sync for Hooli", "solution"),
        ("Upgrade PostgreSQL to 16", "solution"),
        ("Add IP allow-lists for the Hooli deal", "solution"),
        ("Billing: simplify auth (Q3)", "unknown"),
    ],
)
def test_framing_cues_cover_defects_and_prescribed_outputs(title: str, label: str) -> None:
    assert classify(ItemFacts(title=title)).framing.label == label


def test_a_helpdesk_or_crm_url_in_the_description_counts_as_a_remote_link() -> None:
    facts = ItemFacts(
        title="Export is slow",
        description="See https://acme.zendesk.com/agent/tickets/4411 and "
        "(https://eu2.salesforce.com/006Q000000abc), not http://example.com/x",
    )
    texts = [r["text"] for r in classify(facts).origin.reasons]
    assert "link in the description to a helpdesk ticket (zendesk.com)" in texts
    assert "link in the description to a CRM record (salesforce.com)" in texts
    assert not any("example.com" in text for text in texts)


def test_a_url_already_given_as_a_remote_link_is_counted_once() -> None:
    facts = ItemFacts(
        title="Refund fails",
        description="From https://acme.zendesk.com/agent/tickets/4411",
        links=({"type": "remote", "url": "https://acme.zendesk.com/agent/tickets/4411"},),
    )
    decision = classify(facts).origin
    assert decision.label == "support"
    assert [r["text"] for r in decision.reasons if "zendesk" in r["text"]] == [
        "remote link to a helpdesk ticket (zendesk.com)"
    ]
