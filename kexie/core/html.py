"""HTML built from data: the only way text from the database or a search backend reaches a page as
markup. Templates never use ``|safe`` on data (tests/security/test_html_injection.py checks it)."""

from __future__ import annotations

import html
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_MARK = re.compile(r"(</?mark>)")


def marked(highlighted: str) -> SafeString:
    """A backend's highlighted text made safe whatever it is: every piece between <mark> tags is
    unescaped and escaped again (idempotent on escaped text, neutral on raw text), so the only
    markup that reaches the page is <mark> itself."""
    parts = _MARK.split(str(highlighted or ""))
    balanced = parts.count("<mark>") == parts.count("</mark>")
    pieces = []
    for part in parts:
        if _MARK.fullmatch(part):
            if balanced:
                pieces.append(part)
        else:
            pieces.append(escape(html.unescape(part)))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text above went through escape()
