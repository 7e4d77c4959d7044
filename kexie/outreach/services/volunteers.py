"""Volunteers: registration, teams, sign-up, QR check-in and out, confirmation of hours."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization
from kexie.accounts.services import add_membership
from kexie.core.qr import read_signed_code, signed_code
from kexie.core.reference import districts
from kexie.core.services import record_event
from kexie.core.validators import validate_id_number, validate_mobile
from kexie.outreach import rules
from kexie.outreach.enums import ActivityState, Direction, SignUpState
from kexie.outreach.models import Activity, SignUp, Team, TeamMember, Volunteer

CHECKIN_SALT = "kexie.outreach.checkin"
# A QR code shown at the activity is valid this long; the page showing it renews it before then.
TOKEN_MAX_AGE = timedelta(minutes=10)
# Check-in opens this long before the start and check-out closes this long after the end.
CHECKIN_MARGIN = timedelta(hours=2)
HOURS_STEP = Decimal("0.5")


def _validate_id_number(value: str) -> str:
    value = (value or "").strip().upper()
    try:
        validate_id_number(value)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    return value


@transaction.atomic
def register_volunteer(
    *, user, real_name: str, id_number: str, mobile: str, district: str, skills: list[str], organization=None
) -> Volunteer:
    if not rules.is_authenticated(user):
        raise PermissionDenied
    if Volunteer.objects.filter(user=user).exists():
        raise ValidationError(_("You are already registered as a volunteer."))
    if not (real_name or "").strip():
        raise ValidationError({"real_name": _("Give your real name.")})
    id_number = _validate_id_number(id_number)
    try:
        validate_mobile(mobile)
    except ValidationError as exc:
        raise ValidationError({"mobile": exc.messages}) from None
    if district not in districts():
        raise ValidationError({"district": _("Choose one of Chongqing's 38 districts and counties.")})
    volunteer = Volunteer.objects.create(
        user=user,
        real_name=real_name.strip(),
        id_number=id_number,
        mobile=mobile.strip(),
        district=district,
        skills=[s.strip() for s in skills if s.strip()][:20],
        organization=organization,
        created_by=user,
        updated_by=user,
    )
    district_org = Organization.objects.filter(code=district).first()
    if district_org is not None and not user.memberships.filter(role=Role.VOLUNTEER).exists():
        add_membership(user=user, organization=district_org, role=Role.VOLUNTEER)
    record_event(volunteer, "outreach.volunteer.register", actor=user, after={"district": district})
    return volunteer


@transaction.atomic
def join_team(*, team: Team, volunteer: Volunteer, by) -> TeamMember:
    if not (by.pk == volunteer.user_id or rules.can_manage_teams(by)):
        raise PermissionDenied
    member, created = TeamMember.objects.get_or_create(team=team, volunteer=volunteer)
    if not created:
        raise ValidationError(_("%(name)s is already a member of this team.") % {"name": volunteer.real_name})
    record_event(team, "outreach.team.join", actor=by, after={"volunteer": volunteer.pk})
    return member


def _open_for_volunteers(activity: Activity, now) -> None:
    if activity.state == ActivityState.CANCELLED:
        raise ValidationError(_("This activity is cancelled."))
    if activity.state == ActivityState.DRAFT:
        raise ValidationError(_("This activity is not published yet."))
    if activity.ends_at + CHECKIN_MARGIN < now:
        raise ValidationError(_("This activity is over."))


@transaction.atomic
def sign_up(*, activity: Activity, volunteer: Volunteer, by, now=None) -> SignUp:
    if by.pk != volunteer.user_id:
        raise PermissionDenied
    now = now or timezone.now()
    _open_for_volunteers(activity, now)
    if activity.starts_at <= now:
        raise ValidationError(_("Sign-up closes when the activity starts; you may still check in on site."))
    existing = SignUp.objects.filter(activity=activity, volunteer=volunteer).first()
    if existing and existing.state != SignUpState.CANCELLED:
        raise ValidationError(_("You have already signed up for this activity."))
    taken = activity.signups.exclude(state=SignUpState.CANCELLED).count()
    if activity.volunteers_needed and taken >= activity.volunteers_needed:
        raise ValidationError(_("All volunteer places of this activity are taken."))
    if existing:
        existing.state = SignUpState.SIGNED_UP
        existing.save(update_fields=["state"])
        signup = existing
    else:
        signup = SignUp.objects.create(activity=activity, volunteer=volunteer)
    record_event(signup, "outreach.signup.create", actor=by, after={"activity": activity.pk})
    return signup


@transaction.atomic
def cancel_sign_up(*, signup: SignUp, by) -> SignUp:
    if by.pk != signup.volunteer.user_id:
        raise PermissionDenied
    if not SignUp.objects.filter(pk=signup.pk, state=SignUpState.SIGNED_UP).update(
        state=SignUpState.CANCELLED
    ):
        raise ValidationError(_("Only a sign-up not yet checked in can be cancelled."))
    signup.refresh_from_db()
    record_event(signup, "outreach.signup.cancel", actor=by)
    return signup


# --- QR tokens --------------------------------------------------------------------------------------


def checkin_token(activity: Activity, direction: str) -> str:
    """A signed token for the QR code shown at the activity; it carries the activity and direction and
    expires after TOKEN_MAX_AGE."""
    return signed_code({"a": activity.pk, "d": direction}, salt=CHECKIN_SALT)


def read_token(token: str, *, now=None) -> tuple[int, str]:
    """(activity id, direction), or a ValidationError saying whether the code is forged or expired."""
    data = read_signed_code(
        token,
        salt=CHECKIN_SALT,
        max_age=TOKEN_MAX_AGE,
        expired=_("This QR code has expired. Please scan the current code shown at the activity."),
        invalid=_("This QR code is not valid for check-in."),
    )
    if data.get("d") not in Direction.values or not isinstance(data.get("a"), int):
        raise ValidationError(_("This QR code is not valid for check-in."), code="forged")
    return data["a"], data["d"]


def _hours_between(start, end) -> Decimal:
    hours = Decimal((end - start).total_seconds()) / Decimal(3600)
    return (hours / HOURS_STEP).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * HOURS_STEP


def scan(*, token: str, volunteer: Volunteer, now=None) -> SignUp:
    """A volunteer scanned the code: check in or out, exactly once (conditional updates on the state;
    a walk-in volunteer without a sign-up gets one, the unique constraint deciding between two scans)."""
    activity_id, direction = read_token(token)
    now = now or timezone.now()
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:
        raise ValidationError(_("This QR code is not valid for check-in."), code="forged")
    _open_for_volunteers(activity, now)
    if now < activity.starts_at - CHECKIN_MARGIN:
        raise ValidationError(_("Check-in opens two hours before the activity starts."))
    with transaction.atomic():
        if direction == Direction.IN:
            updated = SignUp.objects.filter(
                activity=activity, volunteer=volunteer, state=SignUpState.SIGNED_UP
            ).update(state=SignUpState.CHECKED_IN, checked_in_at=now)
            if not updated:
                signup = SignUp.objects.filter(activity=activity, volunteer=volunteer).first()
                if signup is not None and signup.state != SignUpState.CANCELLED:
                    raise ValidationError(_("You have already checked in."), code="duplicate")
                if signup is None:
                    try:
                        with transaction.atomic():
                            SignUp.objects.create(
                                activity=activity,
                                volunteer=volunteer,
                                state=SignUpState.CHECKED_IN,
                                checked_in_at=now,
                            )
                    except IntegrityError:
                        raise ValidationError(_("You have already checked in."), code="duplicate") from None
                else:
                    SignUp.objects.filter(pk=signup.pk, state=SignUpState.CANCELLED).update(
                        state=SignUpState.CHECKED_IN, checked_in_at=now
                    )
            signup = SignUp.objects.get(activity=activity, volunteer=volunteer)
            record_event(signup, "outreach.signup.check_in", actor=volunteer.user)
            return signup
        signup = SignUp.objects.filter(activity=activity, volunteer=volunteer).first()
        if signup is None or signup.checked_in_at is None:
            raise ValidationError(_("Please check in before checking out."))
        end = min(now, activity.ends_at + CHECKIN_MARGIN)
        hours = _hours_between(signup.checked_in_at, end)
        if not SignUp.objects.filter(pk=signup.pk, state=SignUpState.CHECKED_IN).update(
            state=SignUpState.CHECKED_OUT, checked_out_at=now, hours=hours
        ):
            raise ValidationError(_("You have already checked out."), code="duplicate")
        signup.refresh_from_db()
        record_event(signup, "outreach.signup.check_out", actor=volunteer.user, after={"hours": str(hours)})
        return signup


@transaction.atomic
def confirm_hours(*, signup: SignUp, by, hours: Decimal | None = None, now=None) -> SignUp:
    """The organiser confirms the hours (the recorded ones unless corrected); once only."""
    if not rules.can_confirm_hours(by, signup.activity):
        raise PermissionDenied
    hours = signup.hours if hours is None else Decimal(hours)
    if signup.state == SignUpState.CONFIRMED:
        raise ValidationError(
            _("The hours of %(name)s are already confirmed.") % {"name": signup.volunteer.real_name},
            code="duplicate",
        )
    if hours is None or hours <= 0 or hours > Decimal(24):
        raise ValidationError({"hours": _("Hours must be more than 0 and at most 24.")})
    updated = SignUp.objects.filter(pk=signup.pk, state=SignUpState.CHECKED_OUT).update(
        state=SignUpState.CONFIRMED,
        confirmed_hours=hours,
        confirmed_by=by,
        confirmed_at=now or timezone.now(),
    )
    if not updated:
        signup.refresh_from_db()
        if signup.state == SignUpState.CONFIRMED:
            raise ValidationError(
                _("The hours of %(name)s are already confirmed.") % {"name": signup.volunteer.real_name},
                code="duplicate",
            )
        raise ValidationError(_("Hours can be confirmed after the volunteer has checked out."))
    signup.refresh_from_db()
    record_event(
        signup,
        "outreach.signup.confirm",
        actor=by,
        after={"hours": str(hours), "recorded": str(signup.hours)},
    )
    return signup


def confirm_all(*, activity: Activity, by) -> int:
    """Confirm every checked-out volunteer's recorded hours at once; returns how many."""
    if not rules.can_confirm_hours(by, activity):
        raise PermissionDenied
    count = 0
    for signup in activity.signups.filter(state=SignUpState.CHECKED_OUT).select_related(
        "volunteer", "activity"
    ):
        confirm_hours(signup=signup, by=by)
        count += 1
    return count
