"""Validators for Chinese identifiers, shared by every module that takes personal data."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_number_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    """GB 11643-1999 citizen identity number: 18 characters, a real birth date, the check digit."""
    value = (value or "").strip().upper()
    if not _ID_RE.match(value):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born.year < 1900:
        return False
    return id_number_check_digit(value[:17]) == value[17]


def validate_id_number(value: str) -> None:
    if not is_valid_id_number(value):
        raise ValidationError(
            _("“%(value)s” is not a valid citizen ID number."), params={"value": value}, code="id_number"
        )


def is_valid_mobile(value: str) -> bool:
    return bool(_MOBILE_RE.match((value or "").strip()))


def validate_mobile(value: str) -> None:
    if not is_valid_mobile(value):
        raise ValidationError(
            _("“%(value)s” is not a valid mainland mobile number."), params={"value": value}, code="mobile"
        )


_email_validator = EmailValidator()


def is_valid_email(value: str) -> bool:
    """Django's EmailValidator: what a form's EmailField accepts, for imports and services too."""
    try:
        _email_validator(value)
    except ValidationError:
        return False
    return True
