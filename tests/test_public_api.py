"""Bidra's own code uses only the public API of Django and of every library it builds on.

A name beginning with one underscore is another project's inside: it changes without notice
between releases, and code leaning on it breaks on an upgrade that the release notes say nothing
about.  Walking Bidra's Python files (``ast``), this fails on

- an import of such a name from a library (``from psycopg import _queries``) or of a library's
  private module (``from psycopg._queries import …``);
- an attribute read or written by such a name (``obj._state``, ``getattr(obj, "_x")``) unless
  Bidra itself defines it: in one of its classes, on one of its objects, or in one of its modules
  (a module's own helper, ``services._submit``).  ``_meta``, Django's documented model API, is
  allowed; dunders are Python's own;

and, importing Bidra's modules, on a class of Bidra's that defines a private name of a library
class it inherits from (an override of an inside, such as ``_get_FIELD_display``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: every package of Bidra's own: the import contract's root packages (pyproject.toml), so a new
#: app is walked as soon as it is in the contract
PACKAGES = tuple(
    tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"][
        "root_packages"
    ]
)
#: Django's documented model metadata (``Model._meta``)
ALLOWED = {"_meta"}
#: the settings that refuse to start without production values; read as text only
NOT_IMPORTED = {"config.production", "config.wsgi", "config.asgi"}
ACCESSORS = {"getattr", "setattr", "hasattr", "delattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _python_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                files.append(path)
    return files


FILES = _python_files()
TREES = {path: ast.parse(path.read_text(encoding="utf-8"), filename=str(path)) for path in FILES}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_bidras(module: str | None, level: int = 0) -> bool:
    return level > 0 or (module or "").split(".")[0] in PACKAGES


def _accessed_name(node: ast.Call) -> str | None:
    """The attribute name of ``getattr(obj, "_x")`` and its kin, when it is written out."""
    if isinstance(node.func, ast.Name) and node.func.id in ACCESSORS and len(node.args) >= 2:
        name = node.args[1]
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            return name.value
    return None


def _own_names() -> tuple[set[str], set[str]]:
    """The private names Bidra defines: as members (in a class body, set on an object) and at the
    top of a module."""
    members, module_level = set(), set()
    for tree in TREES.values():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                module_level.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    module_level |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                        members.add(item.name)
                    elif isinstance(item, ast.Assign | ast.AnnAssign):
                        for target in item.targets if isinstance(item, ast.Assign) else [item.target]:
                            members |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                members.add(node.attr)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                members.add(_accessed_name(node) or "")
    return {n for n in members if _private(n)}, {n for n in module_level if _private(n)}


MEMBERS, MODULE_LEVEL = _own_names()


def _bidra_bound_names(tree: ast.Module) -> set[str]:
    """Names a file binds to something of Bidra's by importing it (a module, class or function)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _is_bidras(node.module, node.level):
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_bidras(alias.name):
                    names.add(alias.asname or alias.name.split(".")[0])
    return names


def _findings(path: Path, tree: ast.Module) -> list[str]:
    where = path.relative_to(ROOT)
    found = []
    bidras = _bidra_bound_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not _is_bidras(node.module, node.level):
            module = node.module or ""
            if any(_private(part) for part in module.split(".")):
                found.append(f"{where}:{node.lineno}: imports from the private module {module}")
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{where}:{node.lineno}: imports {module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if not _is_bidras(alias.name) and any(_private(p) for p in alias.name.split(".")):
                    found.append(f"{where}:{node.lineno}: imports the private module {alias.name}")
        elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in ALLOWED:
            on_bidras = isinstance(node.value, ast.Name) and node.value.id in bidras
            if node.attr not in MEMBERS and not (on_bidras and node.attr in MODULE_LEVEL):
                found.append(f"{where}:{node.lineno}: uses .{node.attr}, which Bidra does not define")
        elif isinstance(node, ast.Call):
            name = _accessed_name(node)
            if name and _private(name) and name not in ALLOWED and name not in MEMBERS:
                found.append(
                    f"{where}:{node.lineno}: {node.func.id}(…, {name!r}), which Bidra does not define"
                )
    return found


def test_bidra_uses_no_private_name_of_another_library():
    found = [finding for path, tree in TREES.items() for finding in _findings(path, tree)]
    assert not found, "private names of other libraries:\n" + "\n".join(found)


def _class_bodies() -> dict[tuple[str, str], set[str]]:
    """(module, qualified class name) -> the private names its body defines in Bidra's source
    (not those a library's metaclass adds, such as an enum's or a serializer's bookkeeping)."""
    bodies = {}

    def visit(node, module, prefix):
        for item in node.body:
            if isinstance(item, ast.ClassDef):
                qualname = f"{prefix}{item.name}"
                names = set()
                for member in item.body:
                    if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                        names.add(member.name)
                    elif isinstance(member, ast.Assign | ast.AnnAssign):
                        for target in member.targets if isinstance(member, ast.Assign) else [member.target]:
                            names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
                bodies[(module, qualname)] = {n for n in names if _private(n)}
                visit(item, module, f"{qualname}.")

    for path, tree in TREES.items():
        visit(tree, _module_name(path), "")
    return bodies


def _is_bidra_class(cls: type) -> bool:
    return _is_bidras(cls.__module__)


def _overrides(cls: type, body, is_own) -> set[str]:
    """The private names that a class of ``cls``'s ancestry for which ``is_own`` holds defines
    in its ``body`` and a library class of that ancestry defines too."""
    libraries = [base for base in cls.__mro__ if not is_own(base)]
    return {
        f"{own.__module__}.{own.__qualname__}.{attr} overrides {library.__module__}.{library.__qualname__}.{attr}"
        for own in cls.__mro__
        if is_own(own)
        for attr in body(own)
        if attr not in ALLOWED
        for library in libraries
        if attr in vars(library)
    }


def test_no_class_of_bidras_overrides_a_private_name_of_a_library_class():
    bodies = _class_bodies()
    found = set()
    for path in FILES:
        name = _module_name(path)
        if name in NOT_IMPORTED:
            continue
        for cls in vars(importlib.import_module(name)).values():
            if inspect.isclass(cls) and cls.__module__ == name:
                found |= _overrides(
                    cls, lambda c: bodies.get((c.__module__, c.__qualname__), ()), _is_bidra_class
                )
    assert not found, "overrides of library insides:\n" + "\n".join(sorted(found))


def test_the_override_check_finds_an_override_also_through_a_mixin():
    from django.core.paginator import Paginator

    class PageHook:
        def _get_page(self, *args):
            return None

    class OwnPaginator(PageHook, Paginator):
        pass

    def own(cls):
        return cls in (PageHook, OwnPaginator)

    def body(cls):
        return [name for name in vars(cls) if _private(name)]

    found = _overrides(OwnPaginator, body, own)
    assert any("PageHook._get_page overrides django.core.paginator.Paginator._get_page" in f for f in found)


@pytest.mark.parametrize(
    "source, finding",
    [
        ("from psycopg import _queries\n", "imports psycopg._queries"),
        ("from psycopg._queries import query2pg\n", "private module psycopg._queries"),
        ("def f(obj):\n    obj._state.adding = False\n", "uses ._state"),
        ("def f(obj):\n    return getattr(obj, '_django_fsm', None)\n", "'_django_fsm'"),
        (
            "def f(qs):\n    return qs.query.get_compiler('default').klass_info, qs._known_related_objects\n",
            "uses ._known",
        ),
    ],
)
def test_the_check_finds_what_it_is_meant_to(source, finding):
    found = _findings(ROOT / "workflows" / "example.py", ast.parse(source))
    assert any(finding in line for line in found), found


@pytest.mark.parametrize(
    "source",
    [
        "def f(application):\n    return application._meta.get_field('state')\n",
        "from . import services\n\ndef f():\n    return services._submit\n",
        "def f(application):\n    application._attachment_facts = None\n    return application._attachment_facts\n",
        "def f(obj):\n    return obj.__class__.__name__\n",
    ],
)
def test_the_check_lets_bidras_own_names_and_the_model_api_through(source):
    assert _findings(ROOT / "workflows" / "example.py", ast.parse(source)) == []
