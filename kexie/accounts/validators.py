from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    """At least `min_classes` of: lower case, upper case, digits, other characters (等保 2.0)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(count)d of: lower-case letters, upper-case letters, "
                    "digits and symbols."
                ),
                code="password_classes",
                params={"count": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _("Use at least %(count)d of: lower-case letters, upper-case letters, digits and symbols.") % {
            "count": self.min_classes
        }
