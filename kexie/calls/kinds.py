"""The registry of call kinds (申报评审的类别): which apps run calls on the engine, and what they do
with a decision.

An app declares its kinds in its own ``calls.py`` module (imported automatically, as ``todos.py``
is)::

    # kexie/thinktank/calls.py
    from kexie.calls import kinds

    def topic_decided(submission):
        # Inside the transaction that records the decision: create the app's own record.
        if submission.decision == "selected":
            Project.objects.get_or_create(submission=submission, defaults={...})

    kinds.register("thinktank.topic", label=_("Think-tank topic"), app_label="thinktank",
                   measures=(14,), on_decision=topic_decided)

``on_decision(submission)`` is called when a decision is recorded (``services.decide``) and again
when the results are finalised (``services.finalise``; ``submission.state`` is then ``final``), in
the same transaction: an exception there rolls the decision back. It must be idempotent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

DecisionHook = Callable[[object], None]
# prior_winners(call, series) -> iterable of {"name", "label", "birth_date"?, "birth_year"?, "user_id"?}:
# people an app knows to have won this series before (e.g. honours recorded in the talent app).
PriorWinners = Callable[[object, str], object]


@dataclass(frozen=True)
class CallKind:
    key: str
    label: object
    app_label: str
    measures: tuple[int, ...] = ()
    on_decision: DecisionHook | None = field(default=None, repr=False)
    # Words the pages use for this kind ("nominee"/"applicant", "selected"/"awarded").
    applicant_label: object = _("applicant")
    selected_label: object = _("selected")
    # Defaults proposed when staff create a call of this kind (all editable per call).
    default_chain: tuple[str, ...] = ("unit", "organiser")
    needs_code: bool = False
    description: object = ""
    prior_winners: PriorWinners | None = field(default=None, repr=False)


_registry: dict[str, CallKind] = {}
_lock = threading.Lock()
_discovered = False


def register(
    key: str,
    *,
    label,
    app_label: str,
    measures=(),
    on_decision: DecisionHook | None = None,
    applicant_label=None,
    selected_label=None,
    default_chain=("unit", "organiser"),
    needs_code: bool = False,
    description="",
    prior_winners: PriorWinners | None = None,
    replace: bool = False,
) -> CallKind:
    """Declare a kind of call. ``replace=True`` lets an app take over a built-in kind's hook (e.g.
    talent registering ``award`` with its own ``on_decision``). ``prior_winners(call, series)``
    feeds the eligibility rule ``not_earlier_winner`` with the winners the app has recorded."""
    if on_decision is not None and not callable(on_decision):
        raise ImproperlyConfigured(f"call kind {key!r}: on_decision must be callable")
    if prior_winners is not None and not callable(prior_winners):
        raise ImproperlyConfigured(f"call kind {key!r}: prior_winners must be callable")
    kind = CallKind(
        key=key,
        label=label,
        app_label=app_label,
        measures=tuple(measures),
        on_decision=on_decision,
        applicant_label=applicant_label or _("applicant"),
        selected_label=selected_label or _("selected"),
        default_chain=tuple(default_chain),
        needs_code=needs_code,
        description=description,
        prior_winners=prior_winners,
    )
    with _lock:
        existing = _registry.get(key)
        if existing is not None and not (replace or existing.app_label == "calls"):
            raise ImproperlyConfigured(f"a call kind is already registered as {key!r}")
        _registry[key] = kind
    return kind


def unregister(key: str) -> None:
    with _lock:
        _registry.pop(key, None)


def autodiscover() -> None:
    global _discovered  # noqa: PLW0603 - the registry is process-wide by design
    if not _discovered:
        _discovered = True
        autodiscover_modules("calls")


def get(key: str) -> CallKind:
    autodiscover()
    with _lock:
        try:
            return _registry[key]
        except KeyError:
            raise KeyError(f"unknown call kind {key!r}") from None


def all_kinds() -> list[CallKind]:
    autodiscover()
    with _lock:
        return sorted(_registry.values(), key=lambda k: k.key)


def choices() -> list[tuple[str, str]]:
    return [(k.key, str(k.label)) for k in all_kinds()]


def run_decision_hook(submission) -> None:
    """Call the owning app's ``on_decision`` for ``submission`` (inside the caller's transaction)."""
    try:
        kind = get(submission.call.kind)
    except KeyError:
        return
    if kind.on_decision is not None:
        kind.on_decision(submission)


def prior_winners(call, series: str) -> list[dict]:
    """Earlier winners of ``series`` known to the app owning ``call``'s kind (empty when it declares
    none)."""
    try:
        kind = get(call.kind)
    except KeyError:
        return []
    if kind.prior_winners is None:
        return []
    return [dict(row) for row in kind.prior_winners(call, series) or []]


# Built-in kinds: generic until an app registers its own hook for them (``replace=True``).
_BUILT_IN = (
    ("award", _("Award"), (8,), _("nominee"), _("awarded"), ("unit", "channel", "organiser"), True),
    (
        "programme",
        _("Programme"),
        (7,),
        _("applicant"),
        _("supported"),
        ("unit", "channel", "organiser"),
        False,
    ),
    ("topic", _("Research topic"), (14,), _("applicant"), _("selected"), ("unit", "organiser"), False),
    ("funding", _("Funding"), (3,), _("applicant"), _("funded"), ("unit", "organiser"), False),
    (
        "evaluation",
        _("Evaluation"),
        (10,),
        _("applicant"),
        _("passed"),
        ("unit", "channel", "organiser"),
        False,
    ),
    (
        "demonstration",
        _("Demonstration site"),
        (10,),
        _("applicant"),
        _("named"),
        ("unit", "channel", "organiser"),
        False,
    ),
    (
        "recommendation",
        _("Recommendation"),
        (),
        _("nominee"),
        _("recommended"),
        ("unit", "channel", "organiser"),
        True,
    ),
)
for _key, _label, _measures, _who, _selected, _chain, _code in _BUILT_IN:
    register(
        _key,
        label=_label,
        app_label="calls",
        measures=_measures,
        applicant_label=_who,
        selected_label=_selected,
        default_chain=_chain,
        needs_code=_code,
    )


# Flags shown beside a dossier on the staff, review and ranking pages, from any app: e.g. the talent
# app flags a 托举 person in a later award review ("在奖项评选、项目支持中予以倾斜").
FlagProvider = Callable[[object], list]
_flags: dict[str, FlagProvider] = {}


def register_flag(key: str, provider: FlagProvider) -> None:
    """``provider(submission) -> [label, …]`` (cheap: called once per dossier shown)."""
    if not callable(provider):
        raise ImproperlyConfigured(f"flag provider {key!r} must be callable")
    with _lock:
        _flags[key] = provider


def unregister_flag(key: str) -> None:
    with _lock:
        _flags.pop(key, None)


def flags_for(submission) -> list[str]:
    autodiscover()
    with _lock:
        providers = list(_flags.values())
    labels: list[str] = []
    for provider in providers:
        labels += [str(label) for label in provider(submission) or []]
    return labels
