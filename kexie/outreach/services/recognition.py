"""Starting the calls of measure 10 that outreach runs on the calls engine: 科普示范 creation and the
科普专业技术职称 evaluation. Outreach brings the form, the rubric and the wording as data; the call
is then opened, reviewed, decided and published on the calls engine's own pages, and the kinds'
``on_decision`` (``kexie.outreach.calls``) records the demonstration sites and titles here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.accounts.queries import district_associations
from kexie.calls import rules as call_rules
from kexie.calls import services as calls
from kexie.core.services import record_event
from kexie.outreach import rules
from kexie.outreach.calls import DESCRIPTIONS, FORMS, RUBRICS, TITLES

QUOTAS = {"outreach.demonstration": 3, "outreach.title": 10}


@transaction.atomic
def start_recognition_call(*, kind: str, year: int, by, closes_at=None, organiser=None):
    """A draft call of ``kind`` with outreach's form, a recommendation channel per district
    association, and its first review round with the kind's rubric. The organiser is the caller's
    department unless given."""
    if not rules.is_manager(by):
        raise PermissionDenied
    if kind not in FORMS:
        raise ValidationError({"kind": _("Choose a demonstration call or a title evaluation.")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Give a year such as 2026.")})
    departments = call_rules.staff_organizations(by)
    organiser = organiser or (departments[0] if departments else None)
    if organiser is None:
        raise PermissionDenied
    call = calls.create_call(
        kind=kind,
        title=TITLES[kind] % {"year": year},
        organiser=organiser,
        year=int(year),
        by=by,
        form_schema=FORMS[kind](),
        closes_at=closes_at,
        description=DESCRIPTIONS[kind],
    )
    # Every district association recommends through its own channel (推荐码, quota per district);
    # its district staff are the channel's administrators by membership.
    for district in district_associations():
        calls.add_channel(call, district, QUOTAS[kind], by=by)
    calls.add_round(
        call,
        by=by,
        name=_("Expert review"),
        rubric=RUBRICS[kind],
        reviewers_per_submission=3,
        max_load=20,
        comment_below=60,
        blind=False,
    )
    record_event(call, "outreach.recognition.start", actor=by, after={"kind": kind, "year": int(year)})
    return call
