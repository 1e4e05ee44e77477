"""Every productops app has the one shape ARCHITECTURE.md describes ("Layout and layers").

Walks the productops apps in INSTALLED_APPS (the demo app builds data and is not a domain
app, so it is left out) and asserts, per app:

- the files and packages: models.py, actions.py or actions/, visibility.py, a views/
  package, urls.py, admin.py, templates/<label>/; api/ and schemas/ packages where the
  app has an API (all but accounts); management/commands/ (all but accounts);
- by an AST walk of every module: no `urlpatterns` in a views module; no `forms.Form` or
  `forms.ModelForm` subclass outside a forms module; no ninja `Schema` subclass outside a
  schemas module;

and, over the whole package: no module but `<app>/urls.py` imports a views module
(function-level imports included), and no module is named utils, helpers, common or misc.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps

import productops

PACKAGE = Path(productops.__file__).resolve().parent
NOT_DOMAIN_APPS = {"demo"}
WITHOUT_API = {"accounts"}
WITHOUT_COMMANDS = {"accounts"}
# Parts an app may lack, and why (issue 14's two apps of plumbing):
EXEMPT = {
    # ops writes only job records and the worker's bookkeeping, through ops.jobs and
    # ops.worker: no person acts on a domain record there, so there is no check_*/do_* pair
    "ops": {"actions.py or actions/"},
    # notify shows a login only its own choices, and what a reminder says is decided by the
    # visibility helper of the app that registered the kind; nothing of it is registered
    # on the admin site (what someone turned off, and what they were sent, is theirs)
    "notify": {"visibility.py", "admin.py"},
}
VAGUE_NAMES = {"utils", "helpers", "common", "misc"}


def domain_apps() -> list[str]:
    found = []
    for config in apps.get_app_configs():
        if config.name.startswith("productops.") and config.label not in NOT_DOMAIN_APPS:
            found.append(config.name.removeprefix("productops."))
    return found


APPS = domain_apps()


def modules(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.relative_to(PACKAGE).parts:
            yield path


def dotted(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def is_in(path: Path, name: str) -> bool:
    """True for `<app>/<name>.py` and anything inside `<app>/<name>/`."""
    relative = path.relative_to(PACKAGE).with_suffix("").parts
    return len(relative) >= 2 and relative[1] == name


def classes(tree: ast.Module) -> Iterator[ast.ClassDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            yield node


def imported_names(tree: ast.Module, module: str) -> dict[str, str]:
    """Local name → what it is bound to, for `from x import y [as z]` and `import x`."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = resolve(module, node)
            for alias in node.names:
                names[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = alias.name
    return names


def resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    # A package's own name counts as its first level; a module's parent is one up.
    package = base if is_package(module) else base[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def is_package(module: str) -> bool:
    return (PACKAGE.parent / module.replace(".", "/") / "__init__.py").is_file()


def imports(tree: ast.Module, module: str) -> Iterator[str]:
    """Every module this one imports, at any depth of the code (function level too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            source = resolve(module, node)
            yield source
            for alias in node.names:
                yield f"{source}.{alias.name}"


def is_views_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "productops" and "views" in parts[1:]


# --- files and packages --------------------------------------------------------------


def test_the_apps_are_found() -> None:
    assert APPS == [
        "ops",
        "accounts",
        "org",
        "notify",
        "competencies",
        "coaching",
        "backlog",
        "discovery",
        "strategy",
        "reports",
    ]


def required_paths(app: str) -> list[tuple[str, list[str]]]:
    """(what, the paths any of which satisfies it)."""
    required = [
        ("models.py", ["models.py"]),
        ("actions.py or actions/", ["actions.py", "actions/__init__.py"]),
        ("visibility.py", ["visibility.py"]),
        ("a views/ package", ["views/__init__.py"]),
        ("urls.py", ["urls.py"]),
        ("admin.py", ["admin.py"]),
        (f"templates/{app}/", [f"templates/{app}"]),
    ]
    if app not in WITHOUT_API:
        required += [
            ("an api/ package", ["api/__init__.py"]),
            ("a schemas/ package", ["schemas/__init__.py"]),
        ]
    if app not in WITHOUT_COMMANDS:
        required.append(("management/commands/", ["management/commands/__init__.py"]))
    return required


@pytest.mark.parametrize("app", APPS)
def test_the_app_has_every_part(app: str) -> None:
    root = PACKAGE / app
    missing = [
        what
        for what, candidates in required_paths(app)
        if not any((root / candidate).exists() for candidate in candidates)
        and what not in EXEMPT.get(app, set())
    ]
    assert missing == [], f"productops/{app}/ lacks: {', '.join(missing)}"


def subclasses_of(tree: ast.Module, module: str, roots: set[str], home: str) -> list[ast.ClassDef]:
    """Classes of this module that derive from one of `roots` (dotted names such as
    `ninja.Schema`), directly, through an alias, through another class of the module, or
    through a class imported from an app's `home` module (`schemas`, `forms`)."""
    names = imported_names(tree, module)

    def inherits(dotted_base: str) -> bool:
        parts = dotted_base.split(".")
        return parts[0] == "productops" and home in parts[2:-1]

    def target(base: ast.expr) -> str:
        if isinstance(base, ast.Name):
            return names.get(base.id, f"{module}.{base.id}")
        if isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name):
            return f"{names.get(base.value.id, base.value.id)}.{base.attr}"
        return ""

    found: list[ast.ClassDef] = []
    known = set(roots)
    changed = True
    while changed:  # a local base may be defined after its use in the walk order
        changed = False
        for node in classes(tree):
            if node in found:
                continue
            if any(target(base) in known or inherits(target(base)) for base in node.bases):
                found.append(node)
                known.add(f"{module}.{node.name}")
                changed = True
    return found


FORM_BASES = {
    "django.forms.Form",
    "django.forms.ModelForm",
    "django.forms.forms.Form",
    "django.forms.models.ModelForm",
}
SCHEMA_BASES = {"ninja.Schema", "ninja.ModelSchema", "ninja.FilterSchema", "ninja.schema.Schema"}


def misplaced(app: str, home: str, roots: set[str]) -> list[str]:
    found = []
    for path in modules(PACKAGE / app):
        if is_in(path, home):
            continue
        for node in subclasses_of(parse(path), dotted(path), roots, home):
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_forms_live_in_forms_modules(app: str) -> None:
    found = misplaced(app, "forms", FORM_BASES)
    assert found == [], "forms outside forms.py / forms/:\n" + "\n".join(found)


@pytest.mark.parametrize("app", APPS)
def test_schemas_live_in_schemas_modules(app: str) -> None:
    found = misplaced(app, "schemas", SCHEMA_BASES)
    assert found == [], "ninja Schemas outside schemas/:\n" + "\n".join(found)


@pytest.mark.parametrize("app", APPS)
def test_no_url_list_in_a_views_module(app: str) -> None:
    found = []
    for path in modules(PACKAGE / app):
        if not is_in(path, "views"):
            continue
        for node in ast.walk(parse(path)):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign | ast.AugAssign):
                targets = [node.target]
            if any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in targets):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == [], "urlpatterns belong in urls.py:\n" + "\n".join(found)


# --- the whole package ----------------------------------------------------------------


def may_import_views(path: Path) -> bool:
    relative = path.relative_to(PACKAGE)
    # An app's urls.py composes its views; the site's urls.py imports the home view.
    return relative.name == "urls.py" and len(relative.parts) <= 2


def view_importers() -> list[str]:
    found = []
    for path in modules(PACKAGE):
        if may_import_views(path):
            continue
        module = dotted(path)
        for name in sorted(set(imports(parse(path), module))):
            if is_views_module(name) and not name.startswith("django."):
                found.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return found


def test_only_urls_modules_import_views() -> None:
    found = view_importers()
    assert found == [], "only <app>/urls.py imports a views module:\n" + "\n".join(found)


def test_no_vaguely_named_module() -> None:
    vague = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*")
        if (path.stem if path.is_file() and path.suffix == ".py" else path.name) in VAGUE_NAMES
    ]
    assert vague == [], "name modules for what they compute, not " + ", ".join(vague)
