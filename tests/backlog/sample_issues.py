"""Seeded, realistic-looking issue reports: bug reports, feature requests, support questions.

No public labelled set of tracker issues is available offline, so the learned model is
measured on reports written from these phrase banks (bench/bench_classifier.py) and
tested on a few hundred of them. They are made to be hard in the ways real trackers are:
the three kinds share the product's vocabulary, the item type is often wrong (bugs filed
as tasks, questions filed as bugs), wording varies, typos creep in, some reports are a
bare title and some ramble, and a few use another kind's words ("the error message is
confusing, could you add a hint").
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

AREAS = [
    "invoice list",
    "dashboard",
    "CSV export",
    "checkout",
    "search",
    "login page",
    "monthly report",
    "email notifications",
    "calendar sync",
    "bulk import",
    "API tokens",
    "user profile",
    "billing page",
    "mobile app",
    "team settings",
    "SSO",
    "webhooks",
    "password reset",
    "file upload",
    "permissions",
    "audit log",
    "onboarding flow",
    "pricing page",
    "tags",
    "comments",
    "sidebar",
    "time tracking",
    "PDF download",
    "Slack integration",
    "filters",
]
VERBS = [
    "export",
    "filter",
    "share",
    "archive",
    "rename",
    "duplicate",
    "delete",
    "sort",
    "print",
    "schedule",
    "invite people to",
    "connect",
    "restore",
    "reorder",
    "bulk edit",
    "search in",
]
THINGS = [
    "totals",
    "dates",
    "currency",
    "column order",
    "avatars",
    "time zone",
    "page count",
    "status badge",
    "due dates",
    "counts",
    "labels",
    "the owner",
    "the preview",
    "the icons",
]
ROLES = [
    "user",
    "admin",
    "team lead",
    "accountant",
    "customer",
    "new user",
    "manager",
    "freelancer",
]
BROWSERS = [
    "Chrome 126",
    "Safari 17",
    "Firefox",
    "Edge",
    "the iOS app",
    "Android 14",
    "IE11 (sigh)",
]
CUSTOMERS = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "a big account",
    "one of our customers",
]
TOOLS = ["Google Drive", "Jira", "Zapier", "Salesforce", "Teams", "Dropbox", "QuickBooks", "Okta"]

BUG_TITLES = [
    "{area} {fails} when I {verb} it",
    "Error {code} on {area}",
    "{area} crashes after {verb_ing}",
    "Cannot {verb} from {area} since {version}",
    "{area} shows wrong {thing}",
    "Blank screen on {area}",
    "{area} broken in {browser}",
    "Timeout while {verb_ing} {area}",
    "{thing} in {area} are off by one",
    "{area}: {thing} missing after update",
    "Regression: {area} no longer {verbs}",
    "{area} spinner never stops",
    "Duplicate entries in {area}",
    "{area} is super slow and then fails",
    "Clicking save in {area} does nothing",
    "{area} {fails} intermittently",
    "NullPointerException in {area}",
    "{thing} wrong on {area} for {role}s",
]
BUG_BODIES = [
    "Steps to reproduce:\n1. Open {area}\n2. Try to {verb} it\n3. See error\n\nExpected: it works.\nActual: {fails_sentence}",
    "Since {version} the {area} {fails}. Happens on {browser}. Console says `{error}`.",
    "Reported by {customer}: {fails_sentence} Tried clearing cache, no change.",
    "{fails_sentence} Stack trace:\n{error}\n  at {module}.render ({module}.js:{line})",
    "Repro rate ~{pct}%. Only on {browser}. {fails_sentence}",
    "",
    "See screenshot. {thing} are clearly wrong here.",
    "Worked last week. Now {fails_sentence}",
]
FEATURE_TITLES = [
    "Add {thing} to {area}",
    "Support {tool} in {area}",
    "Allow {role}s to {verb} {area}",
    "It would be great if {area} could {verb} automatically",
    "Integrate {area} with {tool}",
    "As a {role} I want to {verb} {area}",
    "Feature request: {verb} {area} in bulk",
    "New {area} view for {role}s",
    "Let us {verb} {area} from the mobile app",
    "Dark mode for {area}",
    "Custom {thing} in {area}",
    "Scheduled {area} emails",
    "{area}: option to {verb} by {thing}",
    "Request: keyboard shortcuts in {area}",
    "Make {area} {verb}able via the API",
    "Templates for {area}",
    "Ability to {verb} {area} per team",
]
FEATURE_BODIES = [
    "As a {role} I want to {verb} the {area} so that I can save time every week.",
    "{customer} asked whether we plan this. Today they {verb} it by hand in a spreadsheet.",
    "Proposal: a toggle in {area} settings. {role}s could then {verb} without asking an admin.",
    "Competitors have this. Would help us with {customer}.",
    "",
    "Nice to have: show {thing} next to each row, and let people {verb} from there.",
    "Ideally this would sync with {tool} every hour.",
    "Context: lots of {role}s {verb} {area} every Monday; doing it one by one takes ages.",
]
SUPPORT_TITLES = [
    "How do I {verb} {area}?",
    "Is it possible to {verb} {area}?",
    "Customer asking about {area}",
    "Where can I find {thing} in {area}?",
    "Question about {area} {thing}",
    "Can't find the {area} setting",
    "Help with {area}",
    "{customer} wants to know how to {verb} {area}",
    "Why does {area} show {thing} like this?",
    "Need help: {area} and {tool}",
    "{role} locked out, how to reset",
    "Is {area} included in our plan?",
    "what does {thing} mean in {area}",
    "Clarification on {area} limits",
    "{customer}: {area} access for a new {role}",
    "How to {verb} {area} for another {role}",
]
SUPPORT_BODIES = [
    "{customer} emailed support: they want to {verb} the {area} but don't see where. Is there a guide?",
    "Hi team, a {role} asked how {thing} are calculated in {area}. Can someone explain?",
    "Ticket from {customer}. They are on the old plan. Do they have {area}?",
    "Not sure if this is a bug or expected. {role} says {thing} look odd in {area}.",
    "",
    "Could you point me to the docs for {area}? Customer is waiting.",
    "They tried the help center article but it shows an older screen.",
    "Asked on chat: can they {verb} {area} with {tool}? What should I answer?",
]
# Titles any kind can have: only the description (when there is one) tells them apart.
SHARED_TITLES = [
    "Can't {verb} {area}",
    "Problem with {area}",
    "{area} not working for {customer}",
    "Issue with {thing} in {area}",
    "{area} doesn't let me {verb}",
    "Is there a way to {verb} {area}?",
    "{customer} unhappy with {area}",
    "{area} and {tool}",
    "{area}",
    "Urgent: {area}",
]
# Titles written in another kind's voice: a bug asked as a question, a request voiced
# as a complaint, a question reported as a failure.
BORROWED_TITLES = {
    "quality": ["Why does {area} {fail}?", "Is {area} down?", "{area} should not {fail}"],
    "new_value": [
        "It's annoying that {area} can't {verb}",
        "Could you make {area} {verb} faster",
        "Why can't I {verb} {area}?",
    ],
    "support": [
        "{area} broken for {customer}?",
        "{area} error, what should I tell them",
        "Request: explain {thing}",
    ],
}
FAILS = [
    "fails",
    "breaks",
    "errors out",
    "hangs",
    "freezes",
    "crashes",
    "does not load",
    "goes blank",
]
FAILS_SENTENCES = [
    "The page throws a 500.",
    "Nothing happens and the button stays grey.",
    "It hangs for a minute then shows an error.",
    "Data is lost after refresh.",
    "The numbers do not add up.",
    "App closes without warning.",
]
ERRORS = [
    "TypeError: cannot read properties of undefined",
    "HTTP 500",
    "ERR_TIMED_OUT",
    "KeyError: 'total'",
]
TYPES = {
    # how each kind is filed: real trackers get the type wrong often
    "quality": [("bug", 55), ("task", 30), ("feature", 5), ("other", 10)],
    "new_value": [("feature", 55), ("task", 30), ("epic", 5), ("bug", 5), ("other", 5)],
    "support": [("task", 45), ("bug", 25), ("other", 25), ("feature", 5)],
}
LABELS = [
    "mobile",
    "web",
    "backend",
    "frontend",
    "customer",
    "p2",
    "team-a",
    "team-b",
    "billing",
    "ux",
]
KIND_LABELS = {"quality": "bug", "new_value": "feature-request", "support": "question"}
KINDS = ("quality", "new_value", "support")


@dataclass(frozen=True)
class SampleIssue:
    title: str
    description: str
    type: str
    kind: str  # the true label: quality, new_value or support
    labels: tuple[str, ...] = field(default=())


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    change = rng.random()
    if change < 0.4:  # swap two letters
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if change < 0.7:  # drop one
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # double one


def _roughen(text: str, rng: random.Random, typo_rate: float) -> str:
    words = [(_typo(w, rng) if rng.random() < typo_rate else w) for w in text.split(" ")]
    text = " ".join(words)
    style = rng.random()
    if style < 0.15:
        text = text.lower()
    elif style < 0.18:
        text = text.upper()
    return text


def _fill(template: str, rng: random.Random) -> str:
    verb = rng.choice(VERBS)
    return template.format(
        area=rng.choice(AREAS),
        verb=verb,
        verb_ing=verb.split(" ")[0].rstrip("e") + "ing",
        verbs=verb.split(" ")[0] + "s",
        thing=rng.choice(THINGS),
        role=rng.choice(ROLES),
        browser=rng.choice(BROWSERS),
        customer=rng.choice(CUSTOMERS),
        tool=rng.choice(TOOLS),
        fails=rng.choice(FAILS),
        fail=rng.choice(["fail", "break", "hang", "freeze", "crash", "time out"]),
        fails_sentence=rng.choice(FAILS_SENTENCES),
        error=rng.choice(ERRORS),
        code=rng.choice(["500", "403", "404", "502", "E1042"]),
        version=f"v{rng.randint(2, 5)}.{rng.randint(0, 20)}",
        module=rng.choice(["grid", "modal", "exporter", "sync"]),
        line=rng.randint(10, 900),
        pct=rng.choice([10, 20, 50, 90]),
    )


def _weighted(choices: list[tuple[str, int]], rng: random.Random) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


BANKS = {
    "quality": (BUG_TITLES, BUG_BODIES),
    "new_value": (FEATURE_TITLES, FEATURE_BODIES),
    "support": (SUPPORT_TITLES, SUPPORT_BODIES),
}


def sample_issue(kind: str, rng: random.Random) -> SampleIssue:
    titles, bodies = BANKS[kind]
    voice = rng.random()
    if voice < 0.2:
        titles = SHARED_TITLES
    elif voice < 0.3:
        titles = BORROWED_TITLES[kind]
    title = _fill(rng.choice(titles), rng)
    paragraphs = rng.choices(bodies, k=rng.choice([0, 0, 1, 1, 1, 2, 3]))
    if rng.random() < 0.1:  # another kind's words: real reports wander
        other = rng.choice([k for k in KINDS if k != kind])
        paragraphs.append(rng.choice(BANKS[other][1]))
    description = "\n\n".join(_fill(p, rng) for p in paragraphs if p)
    labels = rng.sample(LABELS, k=rng.choice([0, 0, 1, 2]))
    if rng.random() < 0.1:
        labels.append(KIND_LABELS[kind])
    return SampleIssue(
        title=_roughen(title, rng, 0.05),
        description=_roughen(description, rng, 0.03),
        type=_weighted(TYPES[kind], rng),
        kind=kind,
        labels=tuple(labels),
    )


def sample_issues(count: int, *, seed: int = 7) -> list[SampleIssue]:
    """`count` issues in a realistic mix: 45% bugs, 35% feature requests, 20% questions."""
    rng = random.Random(seed)
    kinds = rng.choices(KINDS, weights=[45, 35, 20], k=count)
    return [sample_issue(kind, rng) for kind in kinds]
