"""Activities: register (or save as a draft and publish later), edit, report, cancel, and the
districts' .xlsx import."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import Organization
from kexie.accounts.queries import district_associations
from kexie.core.reference import district_code, districts
from kexie.core.services import record_event, snapshot
from kexie.core.spreadsheets import Column, ImportRefused, RowError, open_workbook, read_table
from kexie.core.transitions import transition
from kexie.core.uploads import check_upload
from kexie.outreach import rules
from kexie.outreach.enums import ActivityKind, ActivityState, Audience
from kexie.outreach.models import Activity, ActivityPhoto, Campaign

ACTIVITY_FIELDS = [
    "campaign",
    "title",
    "kind",
    "audience",
    "district",
    "organizer",
    "co_organizers",
    "place",
    "latitude",
    "longitude",
    "starts_at",
    "ends_at",
    "volunteers_needed",
    "description",
]

PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")

# Chongqing lies within these bounds: a coordinate outside is a typing error.
LATITUDE_RANGE = (Decimal("28.1"), Decimal("32.3"))
LONGITUDE_RANGE = (Decimal("105.2"), Decimal("110.3"))


def _check_values(values: dict) -> None:
    errors = {}
    if values.get("district") not in districts():
        errors["district"] = _("Choose one of Chongqing's 38 districts and counties.")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The end must be after the start.")
    lat, lon = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lon is None):
        errors["longitude"] = _("Give both latitude and longitude, or neither.")
    elif lat is not None and not (
        LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1] and LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]
    ):
        errors["latitude"] = _("The coordinates are not in Chongqing.")
    if errors:
        raise ValidationError(errors)


def _may_register(by, values: dict) -> bool:
    if rules.is_manager(by):
        return True
    organizer = values.get("organizer")
    return values.get("district") in rules.district_codes(by) or (
        organizer is not None and organizer.pk in rules.staff_organization_ids(by)
    )


@transaction.atomic
def register_activity(*, by, draft: bool = False, **values) -> Activity:
    """Register an activity: public at once, or with ``draft`` kept to its organisers until
    :func:`publish_activity` (no sign-ups, calendar, search or figures before)."""
    if not rules.can_register_activities(by) or not _may_register(by, values):
        raise PermissionDenied
    _check_values(values)
    activity = Activity(
        **{k: v for k, v in values.items() if k in ACTIVITY_FIELDS},
        state=ActivityState.DRAFT if draft else ActivityState.REGISTERED,
        created_by=by,
        updated_by=by,
    )
    activity.full_clean()
    activity.save()
    record_event(
        activity,
        "outreach.activity.draft" if draft else "outreach.activity.register",
        actor=by,
        after=snapshot(activity, ACTIVITY_FIELDS),
    )
    _reindex([activity.pk])
    return activity


@transaction.atomic
def publish_activity(*, activity: Activity, by) -> Activity:
    """A draft becomes a registered activity: public, open to volunteers, counted."""
    if not rules.can_manage_activity(by, activity):
        raise PermissionDenied
    transition(
        activity,
        expected=ActivityState.DRAFT,
        values={"state": ActivityState.REGISTERED, "updated_by": by},
        message=_("Only a draft can be published."),
    )
    record_event(activity, "outreach.activity.publish", actor=by)
    _reindex([activity.pk])
    return activity


def _reindex(ids) -> None:
    """The search index follows the calendar once the transaction commits."""
    from kexie.outreach.search import reindex_activities_later  # noqa: PLC0415 - search imports models

    reindex_activities_later(ids)


@transaction.atomic
def update_activity(*, activity: Activity, by, **values) -> Activity:
    if not rules.can_manage_activity(by, activity) or not _may_register(by, values):
        raise PermissionDenied
    if activity.state == ActivityState.CANCELLED:
        raise ValidationError(_("A cancelled activity cannot be changed."))
    _check_values(values)
    before = snapshot(activity, ACTIVITY_FIELDS)
    for name in ACTIVITY_FIELDS:
        if name in values:
            setattr(activity, name, values[name])
    activity.updated_by = by
    activity.full_clean()
    activity.save()
    record_event(
        activity,
        "outreach.activity.update",
        actor=by,
        before=before,
        after=snapshot(activity, ACTIVITY_FIELDS),
    )
    _reindex([activity.pk])
    return activity


@transaction.atomic
def report_activity(
    *, activity: Activity, by, attendance: int, summary: str, photos=(), now=None
) -> Activity:
    """The organiser's report after the activity: attendance, summary and photos (may be corrected
    by reporting again)."""
    if not rules.can_manage_activity(by, activity):
        raise PermissionDenied
    now = now or timezone.now()
    if activity.state == ActivityState.CANCELLED:
        raise ValidationError(_("A cancelled activity cannot be reported."))
    if activity.state == ActivityState.DRAFT:
        raise ValidationError(_("A draft cannot be reported: publish the activity first."))
    if activity.starts_at > now:
        raise ValidationError(_("An activity can be reported once it has started."))
    if attendance is None or attendance < 0:
        raise ValidationError({"attendance": _("Give the number of participants.")})
    if not (summary or "").strip():
        raise ValidationError({"summary": _("Write a short summary of the activity.")})
    for photo in photos:
        if Path(photo.name).suffix.lower() not in PHOTO_EXTENSIONS:
            raise ValidationError(
                {"photos": _("“%(name)s”: photos must be .jpg or .png files.") % {"name": photo.name}}
            )
        check_upload(photo)
    activity.attendance = attendance
    activity.summary = summary.strip()
    activity.state = ActivityState.REPORTED
    activity.reported_at = now
    activity.updated_by = by
    activity.save(update_fields=["attendance", "summary", "state", "reported_at", "updated_by", "updated_at"])
    for photo in photos:
        ActivityPhoto.objects.create(activity=activity, image=photo, caption=photo.name[:120])
    record_event(
        activity,
        "outreach.activity.report",
        actor=by,
        after={"attendance": attendance, "photos": len(photos)},
    )
    _reindex([activity.pk])
    return activity


@transaction.atomic
def cancel_activity(*, activity: Activity, by) -> Activity:
    if not rules.can_manage_activity(by, activity):
        raise PermissionDenied
    transition(
        activity,
        expected=(ActivityState.DRAFT, ActivityState.REGISTERED),
        values={"state": ActivityState.CANCELLED},
        message=_("Only a registered, unreported activity can be cancelled."),
    )
    record_event(activity, "outreach.activity.cancel", actor=by)
    _reindex([activity.pk])
    return activity


# --- the districts' workbook ------------------------------------------------------------------------

IMPORT_COLUMNS = [
    Column("title", "活动名称", ("名称", "title"), required=True),
    Column("kind", "活动类型", ("类型", "type"), required=True),
    Column("audience", "面向人群", ("人群", "audience"), required=True),
    Column("district", "区县", ("所在区县", "district"), required=True),
    Column("place", "活动地点", ("地点", "place"), required=True),
    Column("starts_at", "开始时间", ("start",), required=True),
    Column("ends_at", "结束时间", ("end",), required=True),
    Column("longitude", "经度", ("longitude",)),
    Column("latitude", "纬度", ("latitude",)),
    Column("co_organizers", "协办单位", ("co-organizers",)),
    Column("volunteers_needed", "志愿者需求人数", ("志愿者人数",)),
]

DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d")


def _choice(value: str, choices) -> str | None:
    value = value.strip()
    for key, label in choices:
        if value in (key, str(label)):
            return key
    return None


def _datetime(raw, text: str) -> datetime | None:
    if isinstance(raw, datetime):
        return timezone.make_aware(raw) if timezone.is_naive(raw) else raw
    for fmt in DATETIME_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(text, fmt))  # noqa: DTZ007 - made aware at once
        except ValueError:
            continue
    return None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


HEADERS = {c.key: c.header for c in IMPORT_COLUMNS}


class _RowCheck:
    """The problems of one row, each naming its column."""

    def __init__(self, row):
        self.row, self.cells, self.problems = row, row.cells, []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(RowError(self.row.number, HEADERS[key], message))


def _row_district(check: _RowCheck, *, by, own: set[str], organizers: dict) -> str:
    value = check.cells["district"]
    code = district_code(value) if value else ""
    if value and not code:
        check.problem(
            "district", _("“%(value)s” is not a district or county of Chongqing.") % {"value": value}
        )
    elif code and not rules.is_manager(by) and code not in own:
        check.problem("district", _("you may import activities of your own district only."))
    elif code and code not in organizers:
        check.problem("district", _("the district association of this district is missing."))
    return code


def _row_choices(check: _RowCheck) -> tuple[str | None, str | None]:
    kind = _choice(check.cells["kind"], ActivityKind.choices) if check.cells["kind"] else None
    if check.cells["kind"] and kind is None:
        check.problem("kind", _("unknown activity type “%(value)s”.") % {"value": check.cells["kind"]})
    audience = _choice(check.cells["audience"], Audience.choices) if check.cells["audience"] else None
    if check.cells["audience"] and audience is None:
        check.problem("audience", _("unknown audience “%(value)s”.") % {"value": check.cells["audience"]})
    return kind, audience


def _row_times(check: _RowCheck, campaign: Campaign | None):
    found = {}
    for key in ("starts_at", "ends_at"):
        text = check.cells[key]
        found[key] = _datetime(check.row.values[key], text) if text else None
        if text and found[key] is None:
            check.problem(
                key, _("“%(value)s” is not a date and time (use 2025-09-20 09:00).") % {"value": text}
            )
    starts, ends = found["starts_at"], found["ends_at"]
    if starts and ends and ends <= starts:
        check.problem("ends_at", _("the end must be after the start."))
    if (
        campaign
        and starts
        and not (campaign.starts_on <= timezone.localtime(starts).date() <= campaign.ends_on)
    ):
        check.problem(
            "starts_at",
            _("the date is outside the campaign (%(start)s to %(end)s).")
            % {"start": campaign.starts_on, "end": campaign.ends_on},
        )
    return starts, ends


def _row_coordinates(check: _RowCheck):
    lat_text, lon_text = check.cells["latitude"], check.cells["longitude"]
    lat = _decimal(lat_text) if lat_text else None
    lon = _decimal(lon_text) if lon_text else None
    if (lat_text and lat is None) or (lon_text and lon is None):
        check.problem("longitude", _("coordinates must be decimal degrees."))
    elif (lat is None) != (lon is None):
        check.problem("longitude", _("give both longitude and latitude, or neither."))
    elif lat is not None and not (
        LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1] and LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]
    ):
        check.problem("latitude", _("the coordinates are not in Chongqing."))
    return lat, lon


def _check_row(row, *, by, own, organizers, campaign) -> tuple[list[RowError], dict]:
    check = _RowCheck(row)
    code = _row_district(check, by=by, own=own, organizers=organizers)
    kind, audience = _row_choices(check)
    starts, ends = _row_times(check, campaign)
    lat, lon = _row_coordinates(check)
    needed = check.cells["volunteers_needed"] or "0"
    if not needed.isdigit():
        check.problem("volunteers_needed", _("must be a whole number."))
    if len(check.cells["title"]) > 200:
        check.problem("title", _("at most 200 characters."))
    values = {
        "campaign": campaign,
        "title": check.cells["title"],
        "kind": kind,
        "audience": audience,
        "district": code,
        "organizer": organizers.get(code),
        "place": check.cells["place"][:200],
        "starts_at": starts,
        "ends_at": ends,
        "latitude": lat,
        "longitude": lon,
        "co_organizers": check.cells["co_organizers"][:300],
        "volunteers_needed": int(needed) if needed.isdigit() else 0,
    }
    return check.problems, values


def import_activities(*, file, by, campaign: Campaign | None = None, name: str = "") -> list[Activity]:
    """Read the workbook, check every row (district, dates, types, coordinates, the importer's own
    district), and register all rows in one transaction — or none, with every problem listed."""
    if not rules.can_import_activities(by):
        raise PermissionDenied
    workbook = open_workbook(file, name=name)
    table = read_table(workbook.worksheets[0].iter_rows(values_only=True), IMPORT_COLUMNS, search_rows=3)
    errors: list[RowError] = list(table.errors)
    own = rules.district_codes(by)
    organizers = {o.code: o for o in district_associations()}
    prepared = []
    for row in table.rows:
        problems, values = _check_row(row, by=by, own=own, organizers=organizers, campaign=campaign)
        errors.extend(problems)
        prepared.append(values)
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.row or 0))
    with transaction.atomic():
        created = Activity.objects.bulk_create(
            Activity(**values, created_by=by, updated_by=by) for values in prepared
        )
        record_event(
            None,
            "outreach.activity.import",
            actor=by,
            after={"rows": len(created), "file": name, "campaign": campaign.pk if campaign else None},
        )
        _reindex([a.pk for a in created if a.pk])
    return created


def import_template_rows() -> list[list[str]]:
    return [
        [c.header for c in IMPORT_COLUMNS],
        [
            "社区科普讲座：防范电信诈骗",
            "讲座",
            "老年人",
            "渝中区",
            "解放碑街道社区活动中心",
            "2025-09-20 09:00",
            "2025-09-20 11:00",
            "106.577",
            "29.557",
            "渝中区老科协",
            "6",
        ],
    ]


def organizers_for(user):
    """Organizations a user may register activities for."""
    if rules.is_manager(user):
        return Organization.objects.filter(is_active=True)
    return Organization.objects.filter(
        pk__in=rules.staff_organization_ids(user)
        | set(
            district_associations().filter(code__in=rules.district_codes(user)).values_list("pk", flat=True)
        )
    )
