"""Bidra reads well in Swedish: every message of every catalogue is translated."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/sv/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_there_is_a_swedish_catalogue_for_the_project_and_each_app_with_text():
    names = {p.relative_to(ROOT).parts[0] for p in CATALOGUES}
    assert {"locale", "organizations", "workflows"} <= names


@pytest.mark.parametrize("path", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_every_message_has_a_swedish_translation(path):
    catalogue = polib.pofile(str(path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path.name}: {untranslated}"
    assert not fuzzy, f"fuzzy (unchecked) in {path.name}: {fuzzy}"


# What makemessages would extract, read without gettext's tools: the calls in Python and the
# {% translate %} / {% blocktranslate %} tags of templates (as Django's templatize renders them).
SINGULAR = {"_", "gettext", "gettext_lazy"}
WITH_CONTEXT = {"pgettext", "pgettext_lazy"}
PLURAL = {"ngettext", "ngettext_lazy"}
TEMPLATE_CALL = re.compile(
    r"\b(gettext|pgettext|ngettext|npgettext)\((u?'(?:[^'\\]|\\.)*'(?:,\s*u?'(?:[^'\\]|\\.)*')*)"
)


def _python_messages(source):
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Name)):
            continue
        strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if node.func.id in SINGULAR | PLURAL and strings:
            yield (None, strings[0])
        elif node.func.id in WITH_CONTEXT and len(strings) >= 2:
            yield (strings[0], strings[1])


def _template_messages(source, name):
    for match in TEMPLATE_CALL.finditer(templatize(source, origin=name)):
        strings = ast.literal_eval(f"({match.group(2)},)")
        yield (strings[0], strings[1]) if match.group(1) in {"pgettext", "npgettext"} else (None, strings[0])


def _messages_of(directory):
    """(context, msgid) → the first file using it, for the sources that belong to `directory`'s catalogue."""
    found = {}
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(ROOT)
        if (
            relative.parts[0] in {".venv", "tests", "bench", "var", "node_modules"}
            or "locale" in relative.parts
        ):
            continue
        if (
            directory == ROOT
            and (ROOT / relative.parts[0] / "locale").is_dir()
            and relative.parts[0] != "locale"
        ):
            continue  # an app's own catalogue holds its messages
        if path.suffix == ".py":
            messages = _python_messages(path.read_text(encoding="utf-8"))
        elif path.suffix in {".html", ".txt"}:
            messages = _template_messages(path.read_text(encoding="utf-8"), str(relative))
        else:
            continue
        for key in messages:
            found.setdefault(key, str(relative))
    return found


@pytest.mark.parametrize("path", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_every_text_in_the_source_is_in_its_catalogue_in_swedish(path):
    """A text moved to another app keeps its Swedish: `make messages` then shows nothing untranslated."""
    directory = path.parents[3]  # <app>/locale/sv/LC_MESSAGES/django.po, or the project's locale/…
    translated = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if e.translated() and "fuzzy" not in e.flags
    }
    missing = {key: where for key, where in _messages_of(directory).items() if key not in translated}
    assert not missing, f"no Swedish in {path.relative_to(ROOT)} for: {missing}"
