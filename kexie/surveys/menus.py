"""Rapid surveys in the navigation (kexie.core.menus)."""

from django.utils.translation import gettext_lazy as _

from kexie.accounts.queries import is_staff_member
from kexie.core import menus

menus.register(
    "surveys.list",
    section="talent",
    label=_("Rapid surveys"),
    url_name="surveys:list",
    visible=is_staff_member,
    order=30,
    measures=(6, 16),
    description=_("Questionnaires to sci-tech workers: distribution, answers, weighted results"),
)
