"""Chinese names of audited actions: each app says what its action codes mean.

An app declares labels in its own ``audit_labels.py`` (imported automatically)::

    # kexie/transfer/audit_labels.py
    from kexie.core import audit_labels

    audit_labels.register_many({
        "transfer.demand.publish": _("Published a demand"),
        ...
    })

An action nobody labelled is still shown in words: its verb (the last part of the code) from a
common list, and the object's model name, so the audit page never shows a raw code.
"""

from __future__ import annotations

import threading

from django.apps import apps
from django.utils.module_loading import autodiscover_modules
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_registry: dict[str, object] = {}
_lock = threading.Lock()
_discovered = False

# The verbs action codes end with, for actions without a label of their own.
VERBS = {
    "create": pgettext_lazy("audit verb", "created"),
    "add": pgettext_lazy("audit verb", "added"),
    "update": pgettext_lazy("audit verb", "changed"),
    "edit": pgettext_lazy("audit verb", "changed"),
    "delete": pgettext_lazy("audit verb", "deleted"),
    "remove": pgettext_lazy("audit verb", "removed"),
    "submit": pgettext_lazy("audit verb", "submitted"),
    "publish": pgettext_lazy("audit verb", "published"),
    "return": pgettext_lazy("audit verb", "returned"),
    "approve": pgettext_lazy("audit verb", "approved"),
    "reject": pgettext_lazy("audit verb", "rejected"),
    "close": pgettext_lazy("audit verb", "closed"),
    "start": pgettext_lazy("audit verb", "started"),
    "cancel": pgettext_lazy("audit verb", "cancelled"),
    "import": pgettext_lazy("audit verb", "imported"),
    "export": pgettext_lazy("audit verb", "exported"),
    "verify": pgettext_lazy("audit verb", "verified"),
    "assign": pgettext_lazy("audit verb", "assigned"),
    "review": pgettext_lazy("audit verb", "reviewed"),
    "register": pgettext_lazy("audit verb", "registered"),
    "confirm": pgettext_lazy("audit verb", "confirmed"),
    "record": pgettext_lazy("audit verb", "recorded"),
    "report": pgettext_lazy("audit verb", "reported"),
    "decide": pgettext_lazy("audit verb", "decided"),
    "remind": pgettext_lazy("audit verb", "reminded"),
    "revoke": pgettext_lazy("audit verb", "revoked"),
    "sign": pgettext_lazy("audit verb", "signed"),
    "answer": pgettext_lazy("audit verb", "answered"),
    "score": pgettext_lazy("audit verb", "scored"),
    "run": pgettext_lazy("audit verb", "ran"),
    "upload": pgettext_lazy("audit verb", "uploaded"),
    "download": pgettext_lazy("audit verb", "downloaded"),
    "view": pgettext_lazy("audit verb", "viewed"),
    "move": pgettext_lazy("audit verb", "moved"),
    "revise": pgettext_lazy("audit verb", "revised"),
    "withdraw": pgettext_lazy("audit verb", "withdrew"),
    "invite": pgettext_lazy("audit verb", "invited"),
    "accept": pgettext_lazy("audit verb", "accepted"),
    "decline": pgettext_lazy("audit verb", "declined"),
    "complete": pgettext_lazy("audit verb", "completed"),
    "evaluate": pgettext_lazy("audit verb", "evaluated"),
}


def register(code: str, label) -> None:
    with _lock:
        _registry[code] = label


def register_many(labels: dict) -> None:
    for code, label in labels.items():
        register(code, label)


def autodiscover() -> None:
    global _discovered  # noqa: PLW0603 - the registry is process-wide by design
    if not _discovered:
        autodiscover_modules("audit_labels")
        _discovered = True


def labels() -> dict[str, object]:
    autodiscover()
    with _lock:
        return dict(_registry)


def _model_name(object_type: str):
    if "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        return None


def label_for(action: str, object_type: str = "") -> object:
    """The action in words: its registered label, else verb + object, else the verb alone."""
    autodiscover()
    label = _registry.get(action)
    if label is not None:
        return label
    verb_code = action.rsplit(".", 1)[-1].replace("-", "_")
    verb = (
        VERBS.get(verb_code)
        or VERBS.get(verb_code.split("_", 1)[0])
        or VERBS.get(verb_code.rsplit("_", 1)[-1])
    )
    noun = _model_name(object_type)
    if verb is not None and noun is not None:
        return format_lazy("{}{}", verb, noun)
    if verb is not None:
        return verb
    if noun is not None:
        return format_lazy("{}: {}", _("Other action"), noun)
    return _("Other action")


def choices() -> list[tuple[str, str]]:
    """(code, label) for the audit page's action filter, labels sorted."""
    return sorted(((code, str(label)) for code, label in labels().items()), key=lambda row: row[1])
