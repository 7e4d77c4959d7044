"""Academic events: applications to host, review, programme, registration with capacity and deadline,
QR check-in, the post-event report, and the support a call grants."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kexie.accounts.models import User
from kexie.core.crypto import blind_index
from kexie.core.masking import mask_mobile
from kexie.core.services import notify, record_event, snapshot
from kexie.core.transitions import transition
from kexie.core.validators import is_valid_mobile
from kexie.societies import rules
from kexie.societies.countries import COUNTRIES
from kexie.societies.enums import EventKind, EventState, RegistrationState
from kexie.societies.models import Event, EventReport, ProgrammeItem, Registration, Society
from kexie.societies.services.common import require
from kexie.societies.services.societies import secretaries_of

EVENT_FIELDS = (
    "kind",
    "title",
    "parent",
    "starts_on",
    "ends_on",
    "venue",
    "description",
    "expected_attendance",
    "capacity",
    "registration_deadline",
    "countries",
)
TICKET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _check_event(values: dict, *, society: Society | None) -> dict:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("The event needs a title.")
    if values.get("starts_on") and values.get("ends_on") and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("The end date is before the start date.")
    deadline = values.get("registration_deadline")
    if deadline and values.get("ends_on") and timezone.localdate(deadline) > values["ends_on"]:
        errors["registration_deadline"] = _("Registration must close before the event ends.")
    kind = values.get("kind")
    parent = values.get("parent")
    if kind == EventKind.SUB_FORUM and (parent is None or parent.kind != EventKind.ANNUAL_MEETING):
        errors["parent"] = _("A sub-forum belongs to an annual meeting.")
    if kind != EventKind.SUB_FORUM and parent is not None:
        errors["parent"] = _("Only a sub-forum belongs to an annual meeting.")
    if kind not in (EventKind.ANNUAL_MEETING, EventKind.SUB_FORUM) and society is None:
        errors["society"] = _("A society hosts this kind of event.")
    countries = [str(c).strip().upper() for c in values.get("countries") or []]
    unknown = [c for c in countries if c not in COUNTRIES]
    if unknown:
        errors["countries"] = _("Unknown country or region: %(codes)s.") % {"codes": ", ".join(unknown)}
    if kind == EventKind.INTERNATIONAL_CONFERENCE and not countries:
        errors["countries"] = _("An international conference names the participating countries.")
    if errors:
        raise ValidationError(errors)
    values["countries"] = countries
    values["title"] = values["title"].strip()
    return values


@transaction.atomic
def create_event(*, by: User, society: Society | None, **values) -> Event:
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown event fields {sorted(unknown)}")
    require(rules.is_manager(by) or rules.keeps(by, society))
    values = _check_event(values, society=society)
    event = Event.objects.create(society=society, created_by=by, updated_by=by, **values)
    record_event(
        event,
        "societies.event.create",
        actor=by,
        after=snapshot(event, ["kind", "title", "society", "starts_on", "capacity"]),
        organization_id=society.organization_id if society else None,
    )
    return event


@transaction.atomic
def update_event(*, event: Event, by: User, **values) -> Event:
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown event fields {sorted(unknown)}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    require(rules.can_manage_event(by, event))
    # Once applied or approved, only the registration settings may change (capacity, deadline).
    if event.state not in rules.EDITABLE_EVENT and set(values) - {"capacity", "registration_deadline"}:
        raise ValidationError(_("An application under review or approved cannot be changed."))
    merged = {field: getattr(event, field) for field in EVENT_FIELDS} | values
    merged = _check_event(merged, society=event.society)
    before = snapshot(event, sorted(values))
    for field in values:
        setattr(event, field, merged[field])
    event.updated_by = by
    event.save(update_fields=[*values, "updated_by", "updated_at"])
    record_event(
        event, "societies.event.update", actor=by, before=before, after=snapshot(event, sorted(values))
    )
    return event


@transaction.atomic
def apply_event(*, event: Event, by: User) -> Event:
    require(rules.can_manage_event(by, event))
    if event.starts_on < timezone.localdate():
        raise ValidationError({"starts_on": _("The event's start date has passed.")})
    transition(
        event,
        expected=rules.EDITABLE_EVENT,
        values={"state": EventState.APPLIED, "applied_at": timezone.now(), "updated_by": by},
        message=_("Only a draft or returned application can be submitted."),
    )
    record_event(event, "societies.event.apply", actor=by, after={"state": event.state})
    return event


@transaction.atomic
def decide_event(*, event: Event, by: User, approve: bool, comment: str = "") -> Event:
    require(rules.is_manager(by))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say what the society should revise.")})
    values = {"review_comment": comment, "updated_by": by}
    values |= (
        {"state": EventState.APPROVED, "approved_at": timezone.now()}
        if approve
        else {"state": EventState.RETURNED}
    )
    transition(
        event,
        expected=(EventState.APPLIED,),
        values=values,
        message=_("Only a submitted application can be decided."),
    )
    record_event(event, "societies.event.decide", actor=by, after={"state": event.state, "comment": comment})
    if event.society_id:
        url = reverse("societies:event_detail", args=[event.pk])
        title = (
            _("The application to hold %(title)s is approved")
            if approve
            else _("The application to hold %(title)s was returned")
        ) % {"title": event.title}
        for user in secretaries_of(event.society):
            notify(user=user, title=title, body=comment, url=url)
    return event


@transaction.atomic
def add_programme_item(*, event: Event, by: User, starts_at, title: str, speaker: str = "") -> ProgrammeItem:
    require(rules.can_manage_event(by, event))
    if event.state in (EventState.REPORTED, EventState.CANCELLED):
        raise ValidationError(_("The programme of a past event cannot change."))
    if not (title or "").strip():
        raise ValidationError({"title": _("The session needs a title.")})
    day = timezone.localdate(starts_at)
    if not event.starts_on <= day <= event.ends_on:
        raise ValidationError({"starts_at": _("The session must take place during the event.")})
    item = ProgrammeItem.objects.create(
        event=event, starts_at=starts_at, title=title.strip(), speaker=speaker.strip()
    )
    record_event(
        event, "societies.event.programme", actor=by, after={"title": item.title, "starts_at": starts_at}
    )
    return item


def _ticket() -> str:
    return "".join(secrets.choice(TICKET_ALPHABET) for _i in range(10))


@transaction.atomic
def register_attendee(
    *, event: Event, name: str, organization: str, mobile: str, by: User | None = None
) -> Registration:
    """A sign-up, confirmed at once: refused after the deadline, when the event is full, or when the
    mobile number is already registered. The event row is locked so the last seat is taken once."""
    name, organization, mobile = (name or "").strip(), (organization or "").strip(), (mobile or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Please enter your name.")
    if not organization:
        errors["organization"] = _("Please enter your organization.")
    if not is_valid_mobile(mobile):
        errors["mobile"] = _("Enter an 11-digit mainland mobile number.")
    if errors:
        raise ValidationError(errors)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.state != EventState.APPROVED:
        raise ValidationError(_("This event does not take registrations."))
    now = timezone.now()
    if event.registration_deadline and now > event.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(when)s.")
            % {"when": date_format(timezone.localtime(event.registration_deadline), "DATETIME_FORMAT")}
        )
    if event.ends_on < timezone.localdate():
        raise ValidationError(_("The event is over."))
    index = blind_index(mobile)
    if event.registrations.filter(mobile_index=index, state=RegistrationState.CONFIRMED).exists():
        raise ValidationError({"mobile": _("This mobile number is already registered for the event.")})
    taken = event.registrations.filter(state=RegistrationState.CONFIRMED).count()
    if event.capacity and taken >= event.capacity:
        raise ValidationError(_("The event is full: all %(n)s places are taken.") % {"n": event.capacity})
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                name=name,
                organization=organization,
                mobile=mobile,
                mobile_index=index,
                code=_ticket(),
            )
    except IntegrityError:
        raise ValidationError(
            {"mobile": _("This mobile number is already registered for the event.")}
        ) from None
    record_event(
        registration,
        "societies.registration.create",
        actor=by,
        actor_name="" if by else "public",
        after={"event": event.pk, "name": name, "mobile": mask_mobile(mobile)},
    )
    return registration


@transaction.atomic
def check_in(*, event: Event, code: str, by: User) -> Registration:
    require(rules.can_manage_event(by, event))
    if event.state != EventState.APPROVED:
        raise ValidationError(_("Check-in is open only for an approved event."))
    code = (code or "").strip().upper()
    registration = event.registrations.filter(code=code).first()
    if registration is None or registration.state != RegistrationState.CONFIRMED:
        raise ValidationError(
            {"code": _("No confirmed registration for this event has the code %(code)s.") % {"code": code}}
        )
    if registration.checked_in_at:
        raise ValidationError(
            {
                "code": _("%(name)s already checked in at %(time)s.")
                % {
                    "name": registration.name,
                    "time": date_format(timezone.localtime(registration.checked_in_at), "H:i"),
                }
            }
        )
    updated = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
        checked_in_at=timezone.now(), checked_in_by=by
    )
    if not updated:
        raise ValidationError({"code": _("%(name)s already checked in.") % {"name": registration.name}})
    registration.refresh_from_db()
    record_event(registration, "societies.registration.check_in", actor=by, after={"event": event.pk})
    return registration


@transaction.atomic
def file_event_report(
    *,
    event: Event,
    by: User,
    attendance: int | None,
    papers: int | None,
    outcomes: str,
    international_attendees: int = 0,
) -> EventReport:
    require(rules.can_manage_event(by, event))
    errors = {}
    if attendance is None:
        errors["attendance"] = _("Attendance is required.")
    if papers is None:
        errors["papers"] = _("The number of papers is required (0 if none).")
    if not (outcomes or "").strip():
        errors["outcomes"] = _("Describe the event's outcomes.")
    if errors:
        raise ValidationError(errors)
    if event.starts_on > timezone.localdate():
        raise ValidationError(_("The report is filed after the event has started."))
    if international_attendees and international_attendees > attendance:
        raise ValidationError(
            {"international_attendees": _("More attendees from abroad than attendees in all.")}
        )
    transition(
        event,
        expected=(EventState.APPROVED,),
        values={"state": EventState.REPORTED, "updated_by": by},
        message=_("A report is filed once, for an approved event."),
    )
    report = EventReport.objects.create(
        event=event,
        attendance=attendance,
        papers=papers,
        international_attendees=international_attendees or 0,
        outcomes=outcomes.strip(),
        filed_by=by,
    )
    record_event(
        event, "societies.event.report", actor=by, after={"attendance": attendance, "papers": papers}
    )
    return report


@transaction.atomic
def grant_event_support(*, event: Event, amount: Decimal, reference: str, by: User | None = None) -> Event:
    """Conference support decided through a call (kexie.calls): the event records the amount."""
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("The support amount cannot be negative.")})
    before = snapshot(event, ["support_amount", "support_reference"])
    Event.objects.filter(pk=event.pk).update(support_amount=amount, support_reference=reference[:120])
    event.refresh_from_db()
    record_event(
        event,
        "societies.event.support",
        actor=by,
        actor_name="" if by else "calls",
        before=before,
        after=snapshot(event, ["support_amount", "support_reference"]),
    )
    return event
