"""Every template of Bidra, whatever it renders (a page, an e-mail, a PDF): Django's ``{# #}``
comment is one line only, so a comment that goes on over a line break reaches the reader."""

from pathlib import Path

from django.conf import settings
from django.template import engines

ROOT = Path(settings.BASE_DIR)


def template_files() -> list[Path]:
    folders = {Path(d) for d in engines["django"].engine.dirs}
    folders |= {p for p in ROOT.glob("*/templates") if p.is_dir()}
    folders |= {p for p in ROOT.glob("*/*/templates") if p.is_dir() and ".venv" not in p.parts}
    return sorted(f for folder in folders for f in folder.rglob("*") if f.is_file())


def test_the_templates_are_found():
    names = {f.name for f in template_files()}
    assert {"base.html", "grant_decision_letter.html", "minutes.html"} <= names


def test_no_template_has_a_comment_that_goes_over_a_line_break():
    unclosed = []
    for path in template_files():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue  # an image or a font beside the templates
        for number, line in enumerate(lines, start=1):
            rest = line
            while "{#" in rest:
                rest = rest[rest.index("{#") + 2 :]
                if "#}" not in rest:
                    unclosed.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
                    break
                rest = rest[rest.index("#}") + 2 :]
    assert not unclosed, "Use {% comment %} for a comment of more than one line:\n" + "\n".join(unclosed)
