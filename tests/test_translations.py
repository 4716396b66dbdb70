"""Bidra reads well in Swedish: every message of every catalogue is translated."""

import ast
import re
from html.parser import HTMLParser
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


# -- the English interface ------------------------------------------------------------------------

#: what gives Swedish away: its letters, and short words that English does not have
SWEDISH = re.compile(
    r"[åäöÅÄÖ]|\b(och|att|är|inte|eller|med|som|av|på|om|ni|vi|du|har|kan|alla|ett|den|det|"
    r"stöd\w*|sök\w*|ansök\w*|kommun\w*|förening\w*|omgång\w*|logga)\b",
    re.IGNORECASE,
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    """The text a person reads or hears, without what is marked as Swedish (lang="sv") on purpose."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def _hidden(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        marked_swedish = tag != "html" and (attrs.get("lang") or "").startswith("sv")  # not the page's own
        skip = marked_swedish or tag in {"script", "style", "title"}
        if not skip and not self._hidden():
            for name in ("aria-label", "title", "placeholder", "alt"):
                if attrs.get(name):
                    self.texts.append(attrs[name])
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if data.strip() and not self._hidden():
            self.texts.append(data.strip())


def _swedish_left(html: str, data: list[str]) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    left = []
    for text in parser.texts:
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, "")
        if SWEDISH.search(text):
            left.append(text)
    return left


@pytest.mark.django_db
def test_a_person_who_chooses_english_reads_the_public_pages_and_the_applicants_start_page_in_english(
    client, world
):
    """No text of a template stays Swedish: only the data people wrote and what is marked lang="sv"."""
    from django.urls import reverse

    from .grants.factories import ProgramFactory

    program = ProgramFactory(
        committee=world.committee,
        municipality=world.municipality,
        name="Culture grant",
        description="Money for culture in the municipality.",
        rules_reference="SN 2025:12",
        easy_read="Föreningar kan få pengar till kultur.\nNi söker på webben.",
    )
    data = [
        world.municipality.name,
        world.committee.name,
        world.organisation.name,
        world.users["applicant"].full_name,
    ]
    slug = world.municipality.slug
    swedish = client.get(reverse("portal:start", kwargs={"slug": slug})).content.decode()
    assert _swedish_left(swedish, data), "the test would not see Swedish if it were there"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    pages = {
        "public start page": reverse("portal:start", kwargs={"slug": slug}),
        "public program page": reverse("portal:program", kwargs={"slug": slug, "pk": program.pk}),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response["Content-Language"] == "en", name
        assert not _swedish_left(response.content.decode(), data), f"Swedish on the {name} in English"
    html = client.get(pages["public start page"]).content.decode()
    assert "Read in easy-to-read Swedish" in html
    assert "Easy-to-read Swedish</h2>" in client.get(pages["public program page"]).content.decode()

    client.force_login(world.users["applicant"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for name, url in {
        "applicant's start page": reverse("home"),
        "program page of the grants": reverse("grants:program_detail", args=[program.pk]),
    }.items():
        response = client.get(url)
        assert response["Content-Language"] == "en", name
        assert not _swedish_left(response.content.decode(), data), f"Swedish on the {name} in English"
