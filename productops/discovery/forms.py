"""Every form of the discovery app: touchpoints, the cadence period, the tree's nodes.

Forms parse and check what a page posts; the writes and their rules stay in `actions`
(a tree node is saved by `actions.do_save_node`, which takes a node form's
`cleaned_data` as it is). `node_form` and `node_initial` pick and fill the form of a
tree node's kind.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from productops.accounts.roles import Login
from productops.discovery import trees, visibility
from productops.discovery.actions import TouchpointInput
from productops.discovery.models import (
    AssumptionTest,
    Opportunity,
    Outcome,
    Solution,
    TestStatus,
    Touchpoint,
    TouchpointKind,
)
from productops.org.models import Person, Team

RECENT_TOUCHPOINTS = 30  # the evidence an opportunity form offers, besides what it cites
MAX_PERIOD_DAYS = 3 * 366  # a grid of three years of weeks is still readable
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _choices_of(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A model choice field of the form, to narrow its queryset to the record at hand."""
    return cast(forms.ModelChoiceField, form.fields[name])


def _set_queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    _choices_of(form, name).queryset = queryset


# ---------------------------------------------------------------------------------------
# Touchpoints
# ---------------------------------------------------------------------------------------


class TouchpointForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(choices=TouchpointKind.choices, initial=TouchpointKind.INTERVIEW)
    participants = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who of the team took part.",
    )
    segment = forms.CharField(label="Customer segment", required=False, max_length=200)
    customers = forms.IntegerField(label="Number of customers", min_value=1, initial=1)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    insights = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "participants", team.members.order_by("name"))

    def as_input(self) -> TouchpointInput:
        data = self.cleaned_data
        return TouchpointInput(
            date=data["date"],
            kind=data["kind"],
            participant_ids=frozenset(person.pk for person in data["participants"]),
            segment=data["segment"],
            customers=data["customers"],
            notes=data["notes"],
            insights=data["insights"],
        )


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """An action's refusal on the form: each field's sentence beside its field."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file")
    skip_invalid = forms.BooleanField(
        required=False, label="Write the good rows even when some rows have problems"
    )


# ---------------------------------------------------------------------------------------
# Cadence
# ---------------------------------------------------------------------------------------


class CadencePeriodForm(forms.Form):
    start = forms.DateField(required=False, widget=DATE_INPUT, label="From")
    end = forms.DateField(required=False, widget=DATE_INPUT, label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(
                "The period starts after it ends: pick a start before the end."
            )
        end = end or timezone.localdate()
        if start and (end - start).days > MAX_PERIOD_DAYS:
            raise forms.ValidationError("Pick a period of at most three years.")
        return data


# ---------------------------------------------------------------------------------------
# Opportunity solution trees
# ---------------------------------------------------------------------------------------


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["title", "metric", "baseline", "target", "unit"]
        labels = {"title": "Desired outcome"}


class TouchpointChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        segment = f", {obj.segment}" if obj.segment else ""
        return f"{obj.date:%Y-%m-%d} {obj.get_kind_display()}{segment}"


class OpportunityForm(forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    parent = forms.ModelChoiceField(
        queryset=Opportunity.objects.none(),
        required=False,
        empty_label="(none: a top-level opportunity)",
        help_text="Moving it here keeps its children and solutions with it.",
    )
    touchpoints = TouchpointChoices(
        queryset=Touchpoint.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Evidence",
        help_text="The team's touchpoints that support this opportunity.",
    )

    def __init__(
        self,
        *args: Any,
        outcome: Outcome,
        opportunity: Opportunity | None,
        user: Login,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        allowed = trees.allowed_parents(
            trees.parent_map(outcome), opportunity.pk if opportunity else None
        )
        _set_queryset(self, "parent", Opportunity.objects.filter(pk__in=allowed))
        team_touchpoints = visibility.visible_touchpoints(user).filter(team_id=outcome.team_id)
        recent = list(team_touchpoints.values_list("pk", flat=True)[:RECENT_TOUCHPOINTS])
        cited = list(opportunity.touchpoints.values_list("pk", flat=True)) if opportunity else []
        _set_queryset(self, "touchpoints", team_touchpoints.filter(pk__in=recent + cited))


class SolutionForm(forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opportunity = forms.ModelChoiceField(queryset=Opportunity.objects.none())

    def __init__(self, *args: Any, outcome: Outcome, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _set_queryset(self, "opportunity", Opportunity.objects.filter(outcome=outcome))


class TestForm(forms.Form):
    assumption = forms.CharField(max_length=300)
    test = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="How it is tested"
    )
    result = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    status = forms.ChoiceField(choices=TestStatus.choices)
    solution = forms.ModelChoiceField(queryset=Solution.objects.none())

    def __init__(self, *args: Any, outcome: Outcome, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _set_queryset(
            self,
            "solution",
            Solution.objects.filter(opportunity__outcome=outcome).select_related("opportunity"),
        )


class LinkItemForm(forms.Form):
    key = forms.CharField(
        max_length=120, label="Backlog item or epic", help_text='Its key, e.g. "SHOP-12".'
    )


NodeForm = OpportunityForm | SolutionForm | TestForm


def node_form(
    kind: str, data: Any, outcome: Outcome, node: Any, user: Login, initial: dict[str, Any]
) -> NodeForm:
    """The form of a tree node of `kind` (bound to `data` unless it is None)."""
    if kind == "opportunity":
        return OpportunityForm(data, outcome=outcome, opportunity=node, user=user, initial=initial)
    if kind == "solution":
        return SolutionForm(data, outcome=outcome, initial=initial)
    return TestForm(data, outcome=outcome, initial=initial)


def node_initial(node: Opportunity | Solution | AssumptionTest | None) -> dict[str, Any]:
    """A node's values as its form's initial data (empty for a new node)."""
    if node is None:
        return {}
    if isinstance(node, Opportunity):
        return {
            "title": node.title,
            "description": node.description,
            "parent": node.parent_id,
            "touchpoints": list(node.touchpoints.values_list("pk", flat=True)),
        }
    if isinstance(node, Solution):
        return {
            "title": node.title,
            "description": node.description,
            "opportunity": node.opportunity_id,
        }
    return {
        "assumption": node.assumption,
        "test": node.test,
        "result": node.result,
        "status": node.status,
        "solution": node.solution_id,
    }


class DeleteForm(forms.Form):
    """What happens to the children: offered only when there are any."""

    children = forms.ChoiceField(widget=forms.RadioSelect, label="Its children")
    move_to = forms.ModelChoiceField(queryset=Opportunity.objects.none(), required=False)

    def __init__(
        self, *args: Any, kind: str, node: Any, impact: trees.DeletionImpact, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.kind, self.node = kind, node
        choices = []
        delete_text = (
            f"Delete them too: {impact.opportunities} opportunit"
            f"{'y' if impact.opportunities == 1 else 'ies'}, {impact.solutions} "
            f"solution{'' if impact.solutions == 1 else 's'} and {impact.tests} assumption "
            f"test{'' if impact.tests == 1 else 's'} go with it."
        )
        move_to = _choices_of(self, "move_to")
        if kind == "opportunity":
            targets: QuerySet[Any] = Opportunity.objects.filter(outcome_id=node.outcome_id).exclude(
                pk=node.pk
            )
            needs_target = node.parent_id is None and node.solutions.exists()
            if needs_target:
                move_to.queryset = targets
                move_to.label = "Move its solutions to"
            else:
                del self.fields["move_to"]
            if not needs_target or targets.exists():
                where = "its parent opportunity" if node.parent_id else "the top level"
                solutions = (
                    " (its solutions to the opportunity chosen below)" if needs_target else ""
                )
                choices.append((trees.LIFT, f"Move them up to {where}{solutions}."))
        else:
            targets = Solution.objects.filter(
                opportunity__outcome_id=node.opportunity.outcome_id
            ).exclude(pk=node.pk)
            move_to.queryset = targets
            move_to.label = "Move its assumption tests to"
            if targets.exists():
                choices.append((trees.LIFT, "Move them to another solution of the tree."))
            else:
                del self.fields["move_to"]
        choices.append((trees.DELETE, delete_text))
        cast(forms.ChoiceField, self.fields["children"]).choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("children") == trees.LIFT and "move_to" in self.fields:
            if not data.get("move_to"):
                self.add_error("move_to", "Pick where the children go, or delete them too.")
        return data
