"""The label vocabulary: the labels and components seen with their counts, which the
mapping understands (and as what) and which it does not; one click maps a name as the
org's own mapping, and the items carrying it are reclassified. Labels that state a
customer problem are understood out of the box."""

from __future__ import annotations

import json
from io import StringIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import TestCase

from productops.backlog.actions import do_clear_label_mapping, do_map_label, do_reclassify
from productops.backlog.classification import ItemFacts, classify, load_mapping
from productops.backlog.label_vocabulary import FROM_FILE, FROM_ORG, org_mapping, vocabulary
from productops.backlog.models import Item, LabelMapping
from tests.api import ApiClient
from tests.cast import PASSWORD, build_cast

URL = "/backlog/labels/"
MAP = "/backlog/labels/map/"


def build_story() -> None:
    """Five items: 'ops' (not understood) on three, 'Pain-Point' on one, the component
    'Billing' (not understood) on two, 'enhancement' on one."""
    item = Item.objects.create
    item(source="jira", key="OPS-1", title="Nightly job", labels=["ops"])
    item(source="jira", key="OPS-2", title="Disk alerts", labels=["ops"], components=["Billing"])
    item(source="jira", key="OPS-3", title="Log rotation", labels=["OPS"])
    item(
        source="jira", key="CHK-1", title="Checkout", labels=["Pain-Point"], components=["Billing"]
    )
    item(source="jira", key="CHK-2", title="Saved carts", labels=["enhancement"])
    do_reclassify()


def test_customer_problem_labels_are_understood_out_of_the_box() -> None:
    mapping = load_mapping()
    for label in ("customer-problem", "user-need", "pain-point", "Customer-Pain", "ux-issue"):
        decided = classify(ItemFacts(title="Checkout", labels=(label,)), mapping)
        assert decided.framing.label == "problem", label
        assert f"label '{label}' maps to problem-framed" in [
            r["text"] for r in decided.framing.reasons
        ]
    assert (
        classify(ItemFacts(title="x", labels=("pain-point",)), mapping).origin.label == "customer"
    )


class Vocabulary(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_story()

    def test_every_name_with_its_counts_and_reading(self) -> None:
        found = vocabulary()
        rows = {row.value: row for row in found.rows}
        self.assertEqual([row.value for row in found.rows][:2], ["ops", "billing"])
        ops = rows["ops"]
        self.assertEqual((ops.labels, ops.components, ops.understood), (3, 0, False))
        self.assertEqual(ops.shown, "ops")  # the most frequent spelling
        billing = rows["billing"]
        self.assertEqual((billing.labels, billing.components, billing.shown), (0, 2, "Billing"))
        pain = rows["pain-point"].readings
        self.assertEqual((pain["framing"].label, pain["framing"].by), ("problem", FROM_FILE))
        self.assertEqual(pain["origin"].label, "customer")
        self.assertEqual(rows["enhancement"].readings["kind"].label, "enhancement")
        self.assertEqual({row.value for row in found.not_understood}, {"ops", "billing"})
        self.assertEqual((found.items, found.items_with_tags, found.items_understood), (5, 5, 2))

    def test_one_mapping_reclassifies_the_items_that_carry_it(self) -> None:
        self.assertEqual(Item.objects.get(key="OPS-1").kind, "unknown")
        do_map_label(self.cast.hana_user, "Ops", "kind", "ktlo")
        stored = LabelMapping.objects.get()
        self.assertEqual((stored.value, stored.dimension, stored.label), ("ops", "kind", "ktlo"))
        for key in ("OPS-1", "OPS-2", "OPS-3"):
            item = Item.objects.get(key=key)
            self.assertEqual(item.kind, "ktlo", key)
        item = Item.objects.get(key="OPS-3")
        self.assertIn(
            "label 'OPS' maps to keep-the-lights-on", [r["text"] for r in item.kind_reasons]
        )
        reading = {row.value: row for row in vocabulary().rows}["ops"].readings["kind"]
        self.assertEqual((reading.label, reading.by), ("ktlo", FROM_ORG))
        # a full reclassification keeps it: the classifier reads the org's rows
        Item.objects.update(kind="unknown", kind_reasons=[])
        do_reclassify()
        self.assertEqual(Item.objects.get(key="OPS-1").kind, "ktlo")

    def test_a_component_maps_like_a_label(self) -> None:
        do_map_label(self.cast.marco_user, "billing", "origin", "internal")
        self.assertEqual(Item.objects.get(key="OPS-2").origin, "internal")

    def test_the_org_mapping_wins_over_the_file_and_forgetting_it_restores_the_file(self) -> None:
        do_map_label(self.cast.hana_user, "enhancement", "kind", "new_value")
        self.assertEqual(org_mapping().kind_labels["enhancement"], "new_value")
        self.assertEqual(Item.objects.get(key="CHK-2").kind, "new_value")
        do_clear_label_mapping(self.cast.hana_user, "enhancement", "kind")
        self.assertFalse(LabelMapping.objects.exists())
        self.assertEqual(Item.objects.get(key="CHK-2").kind, "enhancement")

    def test_members_and_viewers_cannot_map(self) -> None:
        for user in (self.cast.priya_user, self.cast.vera_user):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                do_map_label(user, "ops", "kind", "ktlo")
        self.assertFalse(LabelMapping.objects.exists())

    def test_bad_mappings_say_what_to_do(self) -> None:
        cases = [
            (("  ", "kind", "ktlo"), "Name the label"),
            (("ops", "colour", "ktlo"), "not a dimension"),
            (("ops", "kind", "sales"), "not a label for kind"),
            (("ops", "kind", "unknown"), "not a label for kind"),
            (("x" * 201, "kind", "ktlo"), "at most 200"),
        ]
        for args, said in cases:
            with self.subTest(said=said), self.assertRaises(ValidationError) as raised:
                do_map_label(self.cast.hana_user, *args)
            self.assertIn(said, " ".join(raised.exception.messages))


class VocabularyByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_story()
        cls.api = ApiClient()

    def open(self, who: str, **query):
        self.client.login(username=who, password=PASSWORD)
        return self.client.get(URL, query)

    def test_every_role_sees_the_names_only_admins_and_managers_map(self) -> None:
        for who, maps in (("hana", True), ("marco", True), ("priya", False), ("vera", False)):
            with self.subTest(who=who):
                page = self.open(who)
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, "Billing")
                self.assertContains(page, "(not understood)")
                self.assertContains(page, "<strong>2</strong> of 5 items (40%)")
                if maps:
                    self.assertContains(page, 'aria-label="Kind of work of ops"')
                else:
                    self.assertNotContains(page, 'name="dimension"')

    def test_only_the_names_not_understood(self) -> None:
        page = self.open("priya", show="unmapped")
        self.assertContains(page, "Billing")
        self.assertNotContains(page, "Pain-Point")

    def test_one_click_maps_and_a_member_is_refused(self) -> None:
        self.client.login(username="priya", password=PASSWORD)
        refused = self.client.post(MAP, {"value": "ops", "dimension": "kind", "label": "ktlo"})
        self.assertEqual(refused.status_code, 403)
        self.client.login(username="hana", password=PASSWORD)
        answer = self.client.post(
            MAP, {"value": "ops", "dimension": "kind", "label": "ktlo"}, follow=True
        )
        self.assertContains(answer, "&#x27;ops&#x27; now maps to keep-the-lights-on")
        self.assertEqual(Item.objects.get(key="OPS-1").kind, "ktlo")
        wrong = self.client.post(
            MAP, {"value": "ops", "dimension": "kind", "label": "sales"}, follow=True
        )
        self.assertContains(wrong, "is not a label for kind")

    def test_the_api_lists_for_every_role_and_maps_for_admins_and_managers(self) -> None:
        for who in ("hana", "marco", "priya", "vera"):
            with self.subTest(who=who):
                answer = self.api.get(who, "/backlog/labels", query={"unmapped": "true"})
                self.assertEqual(answer.status_code, 200)
                values = [row["value"] for row in answer.json()["items"]]
                self.assertEqual(values, ["ops", "billing"])
        body = {"value": "ops", "dimension": "kind", "label": "ktlo"}
        for who in ("priya", "vera"):
            with self.subTest(who=who):
                answer = self.api.post(who, "/backlog/labels/mappings", json=body)
                self.assertEqual(answer.status_code, 403)
        answer = self.api.post("marco", "/backlog/labels/mappings", json=body)
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(answer.json(), {"value": "ops", "dimension": "kind", "label": "ktlo"})
        self.assertEqual(Item.objects.get(key="OPS-3").kind, "ktlo")
        bad = self.api.post("hana", "/backlog/labels/mappings", json={**body, "label": "sales"})
        self.assertEqual(bad.status_code, 422)
        cleared = self.api.post("hana", "/backlog/labels/mappings", json={**body, "label": ""})
        self.assertEqual(cleared.json()["label"], "")
        self.assertEqual(Item.objects.get(key="OPS-3").kind, "unknown")


class LabelsCommand(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        build_story()

    def test_the_table_and_the_json(self) -> None:
        out = StringIO()
        call_command("labels", stdout=out)
        text = out.getvalue()
        self.assertIn(
            "4 labels and components on 5 items; 2 understood by the mapping, 2 not.", text
        )
        self.assertIn("not understood", text)
        self.assertIn("framing problem-framed", text)
        out = StringIO()
        call_command("labels", "--json", "--unmapped", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual([row["value"] for row in data["rows"]], ["ops", "billing"])
        self.assertEqual(data["items_with_a_mapped_label"], 2)


class LabelsCommandWrites(TestCase):
    """`productops labels --map/--unmap`: the same actions as the page and the API, as an
    admin or manager login named with --as."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_story()

    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("labels", *args, stdout=out)
        return out.getvalue()

    def refused(self, *args: str) -> str:
        with self.assertRaises(CommandError) as raised:
            self.run_command(*args)
        return str(raised.exception)

    def kinds(self) -> dict[str, str]:
        return dict(Item.objects.values_list("key", "kind"))

    def test_mapping_a_label_reclassifies_the_items_that_carry_it(self) -> None:
        self.assertEqual(self.kinds()["OPS-1"], "unknown")
        said = self.run_command(
            "--map", "OPS", "--dimension", "kind", "--label", "ktlo", "--as", "hana"
        )
        self.assertEqual(
            said.strip(),
            "Mapped 'ops' (3 items) to kind keep-the-lights-on; its items were reclassified, "
            "kind changed on 3 (unknown → keep-the-lights-on: 3).",
        )
        stored = LabelMapping.objects.get()
        self.assertEqual(
            (stored.value, stored.dimension, stored.label, stored.by),
            ("ops", "kind", "ktlo", self.cast.hana_user),
        )
        kinds = self.kinds()
        self.assertEqual([kinds[key] for key in ("OPS-1", "OPS-2", "OPS-3")], ["ktlo"] * 3)
        self.assertEqual(kinds["CHK-2"], "enhancement")  # does not carry it: untouched
        self.assertIn(
            "label 'OPS' maps to keep-the-lights-on",
            [r["text"] for r in Item.objects.get(key="OPS-3").kind_reasons],
        )
        self.assertIn("kind keep-the-lights-on (the org's)", self.run_command())

    def test_a_label_by_its_name_and_a_component(self) -> None:
        said = self.run_command(
            "--map", "Billing", "--dimension", "origin", "--label", "Internal / technical",
            "--as", "marco",
        )  # fmt: skip
        self.assertIn("Mapped 'Billing' (2 items) to origin internal work", said)
        self.assertEqual(LabelMapping.objects.get().label, "internal")
        self.assertEqual(Item.objects.get(key="OPS-2").origin, "internal")

    def test_a_name_both_as_label_and_component_says_so(self) -> None:
        Item.objects.create(source="jira", key="OPS-9", title="Jobs", components=["ops"])
        said = self.run_command(
            "--map", "ops", "--dimension", "kind", "--label", "ktlo", "--as", "hana"
        )
        self.assertIn("Mapped 'ops' (3 as a label, 1 as a component)", said)
        self.assertIn("kind changed on 4", said)

    def test_unmapping_gives_the_name_back_to_the_mapping_file(self) -> None:
        self.run_command(
            "--map", "enhancement", "--dimension", "kind", "--label", "new_value", "--as", "hana"
        )
        self.assertEqual(self.kinds()["CHK-2"], "new_value")
        said = self.run_command("--unmap", "Enhancement", "--dimension", "kind", "--as", "hana")
        self.assertEqual(
            said.strip(),
            "Unmapped 'enhancement' (1 item) from kind new value; the mapping file reads "
            "enhancement; its items were reclassified, kind changed on 1 "
            "(new value → enhancement: 1).",
        )
        self.assertFalse(LabelMapping.objects.exists())
        self.assertEqual(self.kinds()["CHK-2"], "enhancement")
        again = self.run_command("--unmap", "enhancement", "--dimension", "kind", "--as", "hana")
        self.assertIn("has no mapping of the org's own for kind: nothing changed", again)

    def test_a_name_no_item_carries_yet_applies_to_later_imports(self) -> None:
        said = self.run_command(
            "--map", "Toil", "--dimension", "kind", "--label", "ktlo", "--as", "hana"
        )
        self.assertIn("Mapped 'Toil' (on no item yet) to kind keep-the-lights-on.", said)
        self.assertIn("applies to the items of later imports", said)
        self.assertEqual(LabelMapping.objects.get().value, "toil")
        item = Item.objects.create(source="jira", key="OPS-7", title="Cron", labels=["toil"])
        do_reclassify([item.pk])
        self.assertEqual(Item.objects.get(key="OPS-7").kind, "ktlo")

    def test_only_an_admin_or_manager_login_may_write(self) -> None:
        cases = [
            ((), "Say who does this with --as USERNAME: only an admin or a manager may map"),
            (("--as", "nobody"), "The login 'nobody' does not exist"),
            (("--as", "priya"), "'priya' is a member login"),
            (("--as", "vera"), "'vera' is a viewer login"),
        ]
        for extra, said in cases:
            with self.subTest(said=said):
                self.assertIn(
                    said,
                    self.refused("--map", "ops", "--dimension", "kind", "--label", "ktlo", *extra),
                )
        self.assertFalse(LabelMapping.objects.exists())
        self.assertEqual(self.kinds()["OPS-1"], "unknown")

    def test_bad_inputs_say_what_to_do_and_change_nothing(self) -> None:
        cases = [
            (("--map", "ops", "--label", "ktlo"), "add --dimension (origin, kind, framing)"),
            (("--map", "ops", "--dimension", "kind"), "add --label, one of new_value"),
            (
                ("--map", "ops", "--dimension", "kind", "--label", "sales"),
                "'sales' is not a label for kind: use one of new_value, enhancement, quality, "
                "tech_debt, ktlo, support.",
            ),
            (
                ("--map", "ops", "--dimension", "kind", "--label", "unknown"),
                "not a label for kind",
            ),
            (("--map", "  ", "--dimension", "kind", "--label", "ktlo"), "the name given is blank"),
            (
                ("--map", "x" * 201, "--dimension", "kind", "--label", "ktlo"),
                "at most 200 characters",
            ),
            (("--unmap", "ops", "--dimension", "kind", "--label", "ktlo"), "leave out --label"),
            (("--dimension", "kind", "--label", "ktlo"), "add --map VALUE"),
            (("--map", "ops", "--dimension", "kind", "--label", "ktlo", "--json"), "--json"),
        ]
        for args, said in cases:
            with self.subTest(said=said):
                self.assertIn(said, self.refused(*args, "--as", "hana"))
        with self.assertRaises(CommandError) as raised:
            self.run_command("--map", "ops", "--dimension", "colour", "--label", "ktlo")
        self.assertIn("invalid choice: 'colour'", str(raised.exception))
        self.assertFalse(LabelMapping.objects.exists())
        self.assertEqual(self.kinds()["OPS-1"], "unknown")
