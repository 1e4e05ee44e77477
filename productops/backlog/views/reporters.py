"""Who files the backlog: the reporters page and its one-click assignment.

Thin: ask `visibility` whether the names may be shown, list `reporters.reporters()` (the
same call the API and `productops reporters` make), and hand an assignment to
`actions.do_assign_reporter` / `do_clear_reporter_assignment`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from productops.backlog import actions, visibility
from productops.backlog import reporters as reporters_domain
from productops.imports.tables import requested_format, table_download
from productops.org.models import Discipline, Person
from productops.org.visibility import visible_people

PAGE_SIZE = 50
PERSON_NOT_FOUND = (
    "No person “{}” among the people you can see: pick a name from the list, or assign a "
    "discipline instead."
)


def _person_choice(person: Person) -> str:
    """How the person field offers a person: their name and email, which the post reads."""
    return f"{person.name} <{person.email}>"


def _find_person(request: HttpRequest, typed: str) -> Person | None:
    """The visible person a typed value names: 'Name <email>', an email, or a name."""
    text = typed.strip()
    email = text[text.rfind("<") + 1 : -1] if text.endswith(">") and "<" in text else text
    people = visible_people(request.user)
    found = people.filter(email__iexact=email.strip()).first() if "@" in email else None
    if found is None:
        named = list(people.filter(name__iexact=text)[:2])
        found = named[0] if len(named) == 1 else None
    return found


REPORTER_COLUMNS = [
    "Reporter",
    "Email",
    "Tracker",
    "Items",
    "Share %",
    "Person",
    "Discipline",
    "Status",
]


def _reporters_download(
    format: str,
    found: reporters_domain.Reporters,
    rows: list[reporters_domain.ReporterRow],
    sees_names: bool,
) -> HttpResponseBase:
    """The page's reporters table; a reader who may not see names gets the summary
    counts the page shows them, never a reporter."""
    if not sees_names:
        summary = found.summary
        counts = [
            ["Items", summary.items],
            ["Reporters", summary.reporters],
            ["Matched by the import", summary.matched],
            ["Assigned here", summary.assigned],
            ["Not matched", summary.unmatched],
            ["Items from reporters not matched", summary.items_unmatched],
            ["Items naming no reporter", summary.items_without_reporter],
        ]
        return table_download(format, "backlog-reporters-summary", ["Measure", "Count"], counts)
    table = [
        [
            row.name if row.key else "No reporter",
            row.email if row.email != row.name else "",
            row.source,
            row.items,
            round(100 * row.share),
            row.person_name,
            reporters_domain.discipline_label(row.discipline) if row.discipline else "",
            reporters_domain.STATUS_TEXT[row.status],
        ]
        for row in rows
    ]
    return table_download(format, "backlog-reporters", REPORTER_COLUMNS, table)


@login_required
def reporters_page(request: HttpRequest) -> HttpResponseBase:
    if not visibility.sees_report(request.user):
        raise PermissionDenied("Log in to see who files the backlog.")
    found = reporters_domain.reporters()
    sees_names = visibility.sees_reporter_names(request.user)
    can_assign = visibility.can_assign_reporters(request.user)
    show = request.GET.get("show", "")
    rows = [
        row for row in found.rows if show != "unmatched" or row.status == reporters_domain.UNMATCHED
    ]
    download = requested_format(request)
    if download:
        return _reporters_download(download, found, rows, sees_names)
    page = Paginator(rows if sees_names else [], PAGE_SIZE).get_page(request.GET.get("page"))
    summary = found.summary
    return render(
        request,
        "backlog/reporters.html",
        {
            "summary": summary,
            "share_unmatched": round(100 * summary.share(summary.items_unmatched)),
            "share_matched": round(100 * summary.share(summary.items_matched)),
            "sees_names": sees_names,
            "refused": "" if sees_names else visibility.REPORTERS_REFUSED,
            "can_assign": can_assign,
            "page": page,
            "rows": [
                {
                    "row": row,
                    "status_text": reporters_domain.STATUS_TEXT[row.status],
                    "discipline_text": reporters_domain.discipline_label(row.discipline),
                    "percent": round(100 * row.share),
                    "chosen_person": _person_choice(row.assignment.person)
                    if row.assignment and row.assignment.person
                    else "",
                    "chosen_discipline": row.assignment.discipline if row.assignment else "",
                }
                for row in page
            ],
            "show": show,
            "query": f"show={show}" if show else "",
            # one list of names for every row's person field (a <datalist>), rather than
            # a select of the whole org in each row
            "people": [
                _person_choice(person)
                for person in visible_people(request.user).order_by("name").only("name", "email")
            ]
            if can_assign and page.object_list
            else [],
            "disciplines": Discipline.choices,
            "back": request.get_full_path(),
        },
    )


@login_required
@require_POST
def reporter_assign(request: HttpRequest) -> HttpResponse:
    if not visibility.can_assign_reporters(request.user):
        raise PermissionDenied("Only admins and managers can assign reporters.")
    source, key = request.POST.get("source", ""), request.POST.get("key", "")
    typed, name = request.POST.get("person", "").strip(), request.POST.get("name", "")
    discipline = request.POST.get("discipline", "")
    back = request.POST.get("next", "")
    if not back.startswith(reverse("backlog:reporters")):
        back = reverse("backlog:reporters")
    shown = name or key.partition(":")[2] or "the reporter"
    try:
        if not typed and not discipline:
            count = actions.do_clear_reporter_assignment(request.user, source=source, key=key)
            messages.success(
                request, f"{shown} is no longer assigned: {count} item(s) reclassified."
            )
        elif typed:
            person = _find_person(request, typed)
            if person is None:
                raise ValidationError(PERSON_NOT_FOUND.format(typed))
            actions.do_assign_reporter(
                request.user, source=source, key=key, person=person, name=name
            )
            messages.success(
                request,
                f"{shown} is now {person.name}: everything they filed was reclassified.",
            )
        else:
            actions.do_assign_reporter(
                request.user, source=source, key=key, discipline=discipline, name=name
            )
            messages.success(
                request,
                f"{shown} now counts as {reporters_domain.discipline_label(discipline)}: "
                "everything they filed was reclassified.",
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)
