"""Fill empty msgstr entries of .po files from a Python mapping file (msgid -> msgstr).

    python tools/fill_translations.py MAPPING.py path/to/django.po [...]

The mapping file defines ``T``; plural entries use tuple keys (msgid, msgid_plural) and tuple values.
Prints every msgid left untranslated.  Existing translations are kept.
"""

import runpy
import sys

import polib


def main(mapping_path, *po_paths):
    mapping = runpy.run_path(mapping_path)["T"]
    missing = 0
    for path in po_paths:
        po = polib.pofile(path)
        for entry in po:
            if entry.msgid_plural:
                value = mapping.get((entry.msgid, entry.msgid_plural))
                if value and not any(entry.msgstr_plural.values()):
                    entry.msgstr_plural = {0: value[0], 1: value[1]}
                if not all(entry.msgstr_plural.values()):
                    print(f"{path}: untranslated plural {entry.msgid!r}")
                    missing += 1
            else:
                if not entry.msgstr and entry.msgid in mapping:
                    entry.msgstr = mapping[entry.msgid]
                if not entry.msgstr:
                    print(f"{path}: untranslated {entry.msgid!r}")
                    missing += 1
            if "fuzzy" in entry.flags and entry.msgstr:
                entry.flags.remove("fuzzy")
        po.metadata["Language"] = "sv"
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
        po.save()
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
