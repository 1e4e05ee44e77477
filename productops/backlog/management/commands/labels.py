"""`labels`: the label vocabulary, every label and component with its count and reading,
and mapping a name as the org's own.

    productops labels [--json] [--unmapped]
    productops labels --map VALUE --dimension {origin,kind,framing} --label LABEL --as USERNAME
    productops labels --unmap VALUE --dimension {origin,kind,framing} --as USERNAME

The rows come from `label_vocabulary.vocabulary()`, the same call the page and the API
make. `--map` and `--unmap` call `actions.do_map_label` and `do_clear_label_mapping`, as
the page (/backlog/labels/) and the API (`POST /api/backlog/labels/mappings`) do: the
items that carry the name are reclassified. The actions authorize a user, so a write
names the admin or manager login it acts as with `--as`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.backlog import actions
from productops.backlog.classification import DIMENSIONS, LABEL_NAMES, labels_for
from productops.backlog.label_vocabulary import (
    FROM_ORG,
    VocabularyRow,
    file_reading,
    normalized,
    vocabulary,
)
from productops.backlog.management.commands._acting import (
    acting_login,
    add_as_option,
    changes_text,
    listed,
    plural,
    problem_text,
)
from productops.backlog.models import Framing, Item, LabelMapping, Origin, WorkKind
from productops.backlog.visibility import can_map_labels

CHOICES = {"origin": Origin, "kind": WorkKind, "framing": Framing}


def said(label: str) -> str:
    return LABEL_NAMES.get(label, label)


class Command(BaseCommand):
    help = (
        "List the labels and components of the imported tracker items with their counts, "
        "and what the mapping reads in each (origin, kind of work, framing), or nothing. "
        "With --map or --unmap, set or forget the org's own reading of a name: the items "
        "that carry it are reclassified."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the list as JSON.")
        parser.add_argument(
            "--unmapped", action="store_true", help="Only the names the mapping does not read."
        )
        write = parser.add_mutually_exclusive_group()
        write.add_argument(
            "--map",
            metavar="VALUE",
            help="Map this label or component (any case) for --dimension to --label.",
        )
        write.add_argument(
            "--unmap",
            metavar="VALUE",
            help="Forget the org's mapping of this name for --dimension: the mapping file "
            "decides again.",
        )
        parser.add_argument("--dimension", choices=list(DIMENSIONS), help="With --map or --unmap.")
        parser.add_argument(
            "--label",
            help="With --map: what the name says, e.g. "
            + "; ".join(f"{d}: {listed(allowed(d))}" for d in DIMENSIONS),
        )
        add_as_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["map"] is not None or options["unmap"] is not None:
            if options["json"] or options["unmapped"]:
                raise CommandError(
                    "--json and --unmapped are for the list: leave them out with --map or --unmap."
                )
            self.write_mapping(options)
            return
        if options["dimension"] or options["label"]:
            raise CommandError(
                "--dimension and --label say how to read a name: add --map VALUE (or "
                "--unmap VALUE). Run `productops labels` to see the names."
            )
        self.list_labels(options)

    # -- the list ------------------------------------------------------------------------

    def list_labels(self, options: dict[str, Any]) -> None:
        found = vocabulary()
        rows = found.not_understood if options["unmapped"] else found.rows
        if options["json"]:
            data = {**found.as_dict(), "rows": [row.as_dict() for row in rows]}
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        if not found.items:
            raise CommandError(
                "No tracker items yet: import an export with `productops import-tracker` first."
            )
        self.stdout.write(
            f"{len(found.rows)} labels and components on {found.items} items; "
            f"{len(found.understood)} understood by the mapping, {len(found.not_understood)} not."
        )
        width = max([len(row.shown) for row in rows] + [8])
        for row in rows:
            readings = ", ".join(
                f"{dimension} {r.said}" + (" (the org's)" if r.by == FROM_ORG else "")
                for dimension, r in row.readings.items()
            )
            self.stdout.write(
                f"{row.shown:<{width}}  {row.items:>6}  {readings or 'not understood'}"
            )
        if found.not_understood:
            self.stdout.write(
                "Map the names not understood to an origin, kind or framing on the label "
                "vocabulary page (/backlog/labels/), or with `productops labels --map NAME "
                "--dimension kind --label LABEL --as USERNAME`: their items are reclassified."
            )

    # -- mapping -------------------------------------------------------------------------

    def write_mapping(self, options: dict[str, Any]) -> None:
        mapping = options["map"] is not None
        value = options["map"] if mapping else options["unmap"]
        dimension = options["dimension"]
        if not dimension:
            raise CommandError(
                f"Say which reading of '{value}' to {'set' if mapping else 'forget'}: add "
                f"--dimension ({listed(DIMENSIONS)})."
            )
        if mapping and not options["label"]:
            raise CommandError(
                f"Say what '{value}' means for {dimension}: add --label, one of "
                f"{listed(allowed(dimension))}."
            )
        if not mapping and options["label"]:
            raise CommandError("--unmap forgets the org's mapping: leave out --label.")
        user = acting_login(
            options["as_login"],
            doing="map labels" if mapping else "unmap labels",
            allowed=can_map_labels,
        )
        stored = normalized(value)
        if not stored:
            raise CommandError("Name the label or component: the name given is blank.")
        row = next((row for row in vocabulary().rows if row.value == stored), None)
        shown = f"'{row.shown if row else value.strip()}'"
        before = labels_now(dimension)
        try:
            if mapping:
                label = find_label(dimension, options["label"])
                actions.do_map_label(user, value, dimension, label)
                head = f"Mapped {shown} ({carried(row)}) to {dimension} {said(label)}"
            else:
                kept = LabelMapping.objects.filter(value=stored, dimension=dimension).first()
                if kept is None:
                    self.stdout.write(
                        f"{shown} has no mapping of the org's own for {dimension}: nothing "
                        "changed. Run `productops labels` to see what each name reads."
                    )
                    return
                actions.do_clear_label_mapping(user, value, dimension)
                back = file_reading(stored, dimension)
                now = f"the mapping file reads {said(back)}" if back else "no mapping reads it"
                head = (
                    f"Unmapped {shown} ({carried(row)}) from {dimension} {said(kept.label)}; {now}"
                )
        except ValidationError as problem:
            raise CommandError(problem_text(problem)) from None
        except PermissionDenied as problem:
            raise CommandError(str(problem)) from None
        if row is None:
            self.stdout.write(
                f"{head}. No imported item carries it yet: it applies to the items of "
                "later imports."
            )
            return
        change = changes_text(dimension, before, labels_now(dimension), LABEL_NAMES)
        self.stdout.write(f"{head}; its items were reclassified, {change}.")


def allowed(dimension: str) -> list[str]:
    """The labels a name may map to for `dimension` (as `actions.check_label_mapping`)."""
    return [label for label in labels_for(dimension) if label != "unknown"]


def find_label(dimension: str, typed: str) -> str:
    """A label of `dimension` by its value or its name, in any case ('ktlo',
    'Keep the lights on', 'keep-the-lights-on')."""
    folded = typed.strip().casefold()
    for value, name in CHOICES[dimension].choices:
        if value in allowed(dimension) and folded in (
            value,
            str(name).casefold(),
            said(value).casefold(),
        ):
            return str(value)
    raise CommandError(
        f"'{typed}' is not a label for {dimension}: use one of {listed(allowed(dimension))}."
    )


def carried(row: VocabularyRow | None) -> str:
    if row is None:
        return "on no item yet"
    if row.labels and row.components:
        return f"{row.labels} as a label, {row.components} as a component"
    return f"{plural(row.items)}"


def labels_now(dimension: str) -> dict[int, str]:
    """Every item's label for `dimension`, to say afterwards what changed."""
    return dict(Item.objects.values_list("pk", dimension).iterator(chunk_size=5000))
