"""Bidra reads well in Swedish: every message of every catalogue is translated."""

from pathlib import Path

import polib
import pytest

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
