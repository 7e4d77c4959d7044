"""Journal identifiers: ISSN (with its check digit) and the domestic CN serial number."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ISSN_PATTERN = re.compile(r"^(\d{4})-?(\d{3})([\dX])$")
CN_PATTERN = re.compile(r"^(?:CN)?\s*(\d{2})\s*-\s*(\d{4})\s*/\s*([A-Z][A-Z0-9.]{0,7})$")


def issn_check_digit(first7: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first7, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def normalize_issn(value: str) -> str:
    """``"1672-6987"`` from ``"16726987"``, ``"1672-6987"`` or ``"issn 1672-6987"``; ValidationError
    when the format or the check digit is wrong."""
    text = (value or "").strip().upper().removeprefix("ISSN").strip()
    match = ISSN_PATTERN.match(text)
    if not match:
        raise ValidationError(_("An ISSN has eight characters, e.g. 1672-6987."), code="issn_format")
    first7 = match.group(1) + match.group(2)
    if issn_check_digit(first7) != match.group(3):
        raise ValidationError(
            _("The ISSN %(issn)s has a wrong check digit: please check it against the journal's cover.")
            % {"issn": f"{match.group(1)}-{match.group(2)}{match.group(3)}"},
            code="issn_check",
        )
    return f"{match.group(1)}-{match.group(2)}{match.group(3)}"


def normalize_cn(value: str) -> str:
    """``"50-1044/N"`` from ``"CN 50-1044/N"``; ValidationError when it is not a CN number."""
    text = (value or "").strip().upper()
    match = CN_PATTERN.match(text)
    if not match:
        raise ValidationError(
            _("A CN number looks like CN 50-1044/N (region, serial number, classification)."),
            code="cn_format",
        )
    return f"{match.group(1)}-{match.group(2)}/{match.group(3)}"
