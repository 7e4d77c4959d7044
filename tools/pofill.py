#!/usr/bin/env python3
"""Fill empty msgstr entries of a .po catalogue from translation files.

Usage: tools/pofill.py CATALOGUE.po SOURCE [SOURCE ...]
A SOURCE is a JSON object {msgid: msgstr} or another .po file. Existing translations are kept unless
the source has a different one; fuzzy flags on filled entries are removed. Prints what is still
untranslated. Developer tool; the test suite checks the catalogue with msgfmt.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_ENTRY = re.compile(
    r'^(?P<head>(?:#.*\n)*)(?:msgctxt (?P<ctx>(?:".*"\n)+))?'
    r'msgid (?P<id>(?:".*"\n)+)msgstr (?P<str>(?:".*"\n?)+)',
    re.M,
)


_PLURAL = re.compile(
    r'^(?P<head>(?:#.*\n)*)msgid (?P<id>(?:".*"\n)+)'
    r'msgid_plural (?P<plural>(?:".*"\n)+)msgstr\[0\] (?P<str>(?:".*"\n?)+)',
    re.M,
)


def _unquote(block: str) -> str:
    return "".join(json.loads(line) for line in re.findall(r'^(".*")$', block, re.M))


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def read_po(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {_key(m): _unquote(m["str"]) for m in _ENTRY.finditer(text) if _unquote(m["id"])}


def _key(match: re.Match) -> str:
    """A message's key in the translation files: the msgid, or "context\\u0004msgid" under pgettext."""
    msgid = _unquote(match["id"])
    return f"{_unquote(match['ctx'])}\x04{msgid}" if match["ctx"] else msgid


def main(argv: list[str]) -> int:
    catalogue = Path(argv[1])
    translations: dict[str, str] = {}
    for source in argv[2:]:
        path = Path(source)
        data = read_po(path) if path.suffix == ".po" else json.loads(path.read_text(encoding="utf-8"))
        translations.update({k: v for k, v in data.items() if v})
    text = catalogue.read_text(encoding="utf-8")
    missing: list[str] = []

    def fill(match: re.Match) -> str:
        msgid = _unquote(match["id"])
        current = _unquote(match["str"])
        head = match["head"]
        if not msgid:
            return match.group(0)
        fuzzy = "fuzzy" in head
        # msgmerge's fuzzy guesses borrow another message's translation: never keep one.
        key = _key(match)
        new = translations.get(key) or ("" if fuzzy else current)
        if not new and match["ctx"]:
            new = translations.get(msgid, "")
        head = re.sub(r"^#\| .*\n", "", head, flags=re.M)
        head = re.sub(r"^#, fuzzy\n", "", head, flags=re.M).replace(", fuzzy", "")
        if not new:
            missing.append(msgid)
        ctx = f"msgctxt {match['ctx']}" if match["ctx"] else ""
        return f"{head}{ctx}msgid {match['id']}msgstr {_quote(new)}\n"

    def fill_plural(match: re.Match) -> str:
        # Chinese has one plural form: msgstr[0] takes the translation of the singular msgid.
        msgid = _unquote(match["id"])
        head = re.sub(r"^#\| .*\n", "", match["head"], flags=re.M)
        fuzzy = "fuzzy" in head
        head = re.sub(r"^#, fuzzy\n", "", head, flags=re.M).replace(", fuzzy", "")
        current = "" if fuzzy else _unquote(match["str"])
        new = translations.get(msgid, current)
        if not new:
            missing.append(msgid)
        return f"{head}msgid {match['id']}msgid_plural {match['plural']}msgstr[0] {_quote(new)}\n"

    text = _PLURAL.sub(fill_plural, text)
    text = _ENTRY.sub(fill, text)
    catalogue.write_text(text, encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
