"""The society registry, the yearly inspection (年检) and founding requests (策划发起成立)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.enums import OrganizationKind, Role
from kexie.accounts.models import Membership, Organization, User
from kexie.accounts.services import ROOT_NAME, create_organization
from kexie.core.services import notify, record_event, snapshot
from kexie.core.transitions import transition
from kexie.societies import rules
from kexie.societies.enums import (
    FoundingState,
    InspectionRating,
    InspectionState,
    SearchKind,
    SocietyGrade,
)
from kexie.societies.models import FoundingRequest, Inspection, Society
from kexie.societies.services.common import reindex, require

# What a society's secretaries may change themselves; staff may change the rest too.
SECRETARY_FIELDS = (
    "discipline",
    "address",
    "president",
    "secretary_general",
    "council",
    "secretariat_staff",
    "individual_members",
    "unit_members",
    "student_members",
)
STAFF_FIELDS = (*SECRETARY_FIELDS, "kind", "supervising_unit", "party_office", "credit_code", "registered_on")
# The yearly report's fields, and those a report must have before it is submitted.
INSPECTION_FIELDS = (
    "individual_members",
    "unit_members",
    "council_meetings",
    "academic_events",
    "income",
    "expense",
    "party_activities",
    "summary",
    "problems",
)
INSPECTION_REQUIRED = (
    "individual_members",
    "unit_members",
    "council_meetings",
    "academic_events",
    "income",
    "expense",
    "summary",
)


def secretaries_of(society: Society) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            organization_id=society.organization_id, role=Role.SOCIETY_STAFF, is_active=True
        ).select_related("user")
    ]


def _check_council(council) -> list[dict]:
    rows = []
    for number, row in enumerate(council or [], start=1):
        name = str(row.get("name", "")).strip()
        if not name:
            raise ValidationError({"council": _("Council row %(n)s needs a name.") % {"n": number}})
        rows.append({"name": name, "post": str(row.get("post", "")).strip()})
    return rows


@transaction.atomic
def register_society(
    *,
    by: User | None,
    name: str,
    supervising_unit: Organization,
    organization: Organization | None = None,
    short_name: str = "",
    **values,
) -> Society:
    """A society in the registry, with its organization (created here unless it exists)."""
    if by is not None:
        require(rules.can_manage_societies(by))
    if organization is None:
        root = Organization.objects.get(name=ROOT_NAME)
        organization = create_organization(
            name=name, short_name=short_name, kind=OrganizationKind.SOCIETY, parent=root, by=by
        )
    elif Society.objects.filter(organization=organization).exists():
        raise ValidationError(
            {"name": _("%(name)s is already in the registry.") % {"name": organization.name}}
        )
    unknown = set(values) - set(STAFF_FIELDS) - {"grade", "grade_year"}
    if unknown:
        raise ValueError(f"unknown society fields {sorted(unknown)}")
    if "council" in values:
        values["council"] = _check_council(values["council"])
    society = Society.objects.create(
        organization=organization, supervising_unit=supervising_unit, created_by=by, updated_by=by, **values
    )
    record_event(
        society,
        "societies.society.register",
        actor=by,
        actor_name="system" if by is None else "",
        after=snapshot(society, ["organization", "kind", "supervising_unit", "registered_on"]),
        organization_id=organization.pk,
    )
    reindex(SearchKind.SOCIETY, society.pk)
    return society


@transaction.atomic
def update_society(*, society: Society, by: User, **changes) -> Society:
    require(rules.can_edit_society(by, society))
    allowed = STAFF_FIELDS if rules.is_manager(by) else SECRETARY_FIELDS
    refused = set(changes) - set(allowed)
    if refused:
        raise ValidationError(_("You may not change: %(fields)s.") % {"fields": ", ".join(sorted(refused))})
    if "council" in changes:
        changes["council"] = _check_council(changes["council"])
    society = Society.objects.select_for_update().get(pk=society.pk)
    before = snapshot(society, sorted(changes))
    for field, value in changes.items():
        setattr(society, field, value)
    society.updated_by = by
    society.save(update_fields=[*sorted(changes), "updated_by", "updated_at"])
    record_event(
        society,
        "societies.society.update",
        actor=by,
        before=before,
        after=snapshot(society, sorted(changes)),
        organization_id=society.organization_id,
    )
    reindex(SearchKind.SOCIETY, society.pk)
    return society


@transaction.atomic
def set_society_grade(*, society: Society, grade: str, year: int, by: User) -> Society:
    require(rules.can_grade_society(by))
    if grade and grade not in SocietyGrade.values:
        raise ValidationError({"grade": _("Choose one of the evaluation grades.")})
    before = snapshot(society, ["grade", "grade_year"])
    Society.objects.filter(pk=society.pk).update(
        grade=grade, grade_year=year if grade else None, updated_by=by
    )
    society.refresh_from_db()
    record_event(
        society,
        "societies.society.grade",
        actor=by,
        before=before,
        after=snapshot(society, ["grade", "grade_year"]),
        organization_id=society.organization_id,
    )
    return society


# --- yearly inspection -------------------------------------------------------------------------------


@transaction.atomic
def save_inspection(
    *, society: Society, year: int, by: User, inspection: Inspection | None = None, **values
) -> Inspection:
    """Create or change the society's report of ``year`` while it is a draft or returned; a draft may
    be incomplete (the completeness check is at submission)."""
    unknown = set(values) - set(INSPECTION_FIELDS)
    if unknown:
        raise ValueError(f"unknown inspection fields {sorted(unknown)}")
    current_year = timezone.localdate().year
    if not 2000 <= int(year) <= current_year:
        raise ValidationError(
            {"year": _("The report year must be between 2000 and %(y)s.") % {"y": current_year}}
        )
    if inspection is None:
        inspection = Inspection.objects.filter(society=society, year=year).first()
    if inspection is None:
        require(rules.can_edit_society(by, society))
        inspection = Inspection.objects.create(
            society=society, year=year, created_by=by, updated_by=by, **values
        )
        record_event(
            inspection,
            "societies.inspection.create",
            actor=by,
            after=snapshot(inspection, ["society", "year"]),
            organization_id=society.organization_id,
        )
        return inspection
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not rules.can_edit_inspection(by, inspection):
        if inspection.state not in rules.EDITABLE_INSPECTION:
            raise ValidationError(
                _("The %(year)s report was already submitted; it can be changed only if staff return it.")
                % {"year": inspection.year}
            )
        require(False)
    for field, value in values.items():
        setattr(inspection, field, value)
    inspection.updated_by = by
    inspection.save(update_fields=[*values, "updated_by", "updated_at"])
    record_event(
        inspection,
        "societies.inspection.update",
        actor=by,
        after=snapshot(inspection, list(values)),
        organization_id=society.organization_id,
    )
    return inspection


def missing_inspection_fields(inspection: Inspection) -> dict[str, str]:
    missing = {}
    for name in INSPECTION_REQUIRED:
        value = getattr(inspection, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            label = Inspection._meta.get_field(name).verbose_name
            missing[name] = _("%(field)s is required before the report is submitted.") % {"field": label}
    return missing


@transaction.atomic
def submit_inspection(*, inspection: Inspection, by: User) -> Inspection:
    require(rules.can_edit_society(by, inspection.society))
    missing = missing_inspection_fields(inspection)
    if missing:
        raise ValidationError(missing)
    if inspection.expense is not None and inspection.expense < Decimal(0):
        raise ValidationError({"expense": _("Expense cannot be negative.")})
    transition(
        inspection,
        expected=rules.EDITABLE_INSPECTION,
        values={"state": InspectionState.SUBMITTED, "submitted_at": timezone.now(), "updated_by": by},
        message=_("Only a draft or returned report can be submitted."),
    )
    record_event(
        inspection,
        "societies.inspection.submit",
        actor=by,
        after={"state": inspection.state},
        organization_id=inspection.society.organization_id,
    )
    return inspection


@transaction.atomic
def review_inspection(
    *,
    inspection: Inspection,
    by: User,
    approve: bool,
    rating: str = "",
    score: Decimal | None = None,
    comment: str = "",
    grade: str = "",
) -> Inspection:
    """Staff review: approve with a rating (and optionally the society's evaluation grade), or return
    with a reason."""
    require(rules.is_manager(by))
    comment = (comment or "").strip()
    if approve:
        if rating not in InspectionRating.values:
            raise ValidationError({"rating": _("Choose a rating for the report.")})
        if score is not None and not Decimal(0) <= score <= Decimal(100):
            raise ValidationError({"score": _("The score is between 0 and 100.")})
        if grade and grade not in SocietyGrade.values:
            raise ValidationError({"grade": _("Choose one of the evaluation grades.")})
        values = {"state": InspectionState.APPROVED, "rating": rating, "score": score}
    else:
        if not comment:
            raise ValidationError({"comment": _("Say what the society should revise.")})
        values = {"state": InspectionState.RETURNED}
    values |= {"review_comment": comment, "reviewed_at": timezone.now(), "reviewed_by": by}
    transition(
        inspection,
        expected=(InspectionState.SUBMITTED,),
        values=values,
        message=_("Only a submitted report can be reviewed."),
    )
    society = inspection.society
    if approve:
        # The reviewed report is the registry's figure for the members from now on.
        Society.objects.filter(pk=society.pk).update(
            individual_members=inspection.individual_members, unit_members=inspection.unit_members
        )
        if grade:
            Society.objects.filter(pk=society.pk).update(grade=grade, grade_year=inspection.year)
    record_event(
        inspection,
        "societies.inspection.review",
        actor=by,
        after={"state": inspection.state, "rating": inspection.rating, "grade": grade, "comment": comment},
        organization_id=society.organization_id,
    )
    url = reverse("societies:inspection_detail", args=[inspection.pk])
    title = (
        _("Your %(year)s yearly report was reviewed")
        if approve
        else _("Your %(year)s yearly report was returned")
    ) % {"year": inspection.year}
    for user in secretaries_of(society):
        notify(user=user, title=title, body=comment, url=url)
    return inspection


# --- founding requests -------------------------------------------------------------------------------

FOUNDING_FIELDS = (
    "name",
    "kind",
    "discipline",
    "supervising_unit",
    "initiators",
    "founding_members",
    "rationale",
)


@transaction.atomic
def save_founding_request(*, by: User, request: FoundingRequest | None = None, **values) -> FoundingRequest:
    unknown = set(values) - set(FOUNDING_FIELDS)
    if unknown:
        raise ValueError(f"unknown founding request fields {sorted(unknown)}")
    name = (values.get("name") or "").strip()
    if "name" in values:
        if not name:
            raise ValidationError({"name": _("The new society needs a name.")})
        if Organization.objects.filter(name=name).exists():
            raise ValidationError(
                {"name": _("An organization named “%(name)s” already exists.") % {"name": name}}
            )
        values["name"] = name
    if request is None:
        require(rules.can_request_founding(by))
        request = FoundingRequest.objects.create(created_by=by, updated_by=by, **values)
        action = "societies.founding.create"
    else:
        request = FoundingRequest.objects.select_for_update().get(pk=request.pk)
        require(rules.can_edit_founding(by, request))
        for field, value in values.items():
            setattr(request, field, value)
        request.updated_by = by
        request.save(update_fields=[*values, "updated_by", "updated_at"])
        action = "societies.founding.update"
    record_event(request, action, actor=by, after=snapshot(request, ["name", "discipline", "state"]))
    return request


@transaction.atomic
def submit_founding_request(*, request: FoundingRequest, by: User) -> FoundingRequest:
    require(rules.can_edit_founding(by, request))
    if request.founding_members < 50:
        raise ValidationError(
            {"founding_members": _("A new society needs at least 50 founding individual members.")}
        )
    transition(
        request,
        expected=rules.EDITABLE_FOUNDING,
        values={"state": FoundingState.SUBMITTED, "submitted_at": timezone.now()},
        message=_("Only a draft or returned request can be submitted."),
    )
    record_event(request, "societies.founding.submit", actor=by, after={"state": request.state})
    return request


@transaction.atomic
def decide_founding_request(
    *, request: FoundingRequest, by: User, decision: str, comment: str = ""
) -> FoundingRequest:
    """``decision`` is "approve" (the society is registered), "return" or "reject" (both need a reason)."""
    require(rules.is_manager(by))
    comment = (comment or "").strip()
    states = {
        "approve": FoundingState.APPROVED,
        "return": FoundingState.RETURNED,
        "reject": FoundingState.REJECTED,
    }
    if decision not in states:
        raise ValidationError(_("Unknown decision."))
    if decision != "approve" and not comment:
        raise ValidationError({"comment": _("Give the reason for the decision.")})
    transition(
        request,
        expected=(FoundingState.SUBMITTED,),
        values={"state": states[decision], "review_comment": comment, "decided_at": timezone.now()},
        message=_("Only a submitted request can be decided."),
    )
    if decision == "approve":
        society = register_society(
            by=by,
            name=request.name,
            supervising_unit=request.supervising_unit,
            kind=request.kind,
            discipline=request.discipline,
            registered_on=timezone.localdate(),
        )
        FoundingRequest.objects.filter(pk=request.pk).update(society=society)
        request.refresh_from_db()
    record_event(
        request, "societies.founding.decide", actor=by, after={"state": request.state, "comment": comment}
    )
    if request.created_by_id and request.created_by_id != by.pk:
        notify(
            user=request.created_by,
            title=_("Your request to found %(name)s was decided: %(state)s")
            % {"name": request.name, "state": request.get_state_display()},
            body=comment,
            url=reverse("societies:founding_detail", args=[request.pk]),
        )
    return request


@transaction.atomic
def save_and_submit_inspection(*, inspection: Inspection, by: User, **values) -> Inspection:
    """The form's "submit" button: save the fields and submit, in one transaction, so a submission
    refused for missing fields leaves the stored report as it was."""
    save_inspection(society=inspection.society, year=inspection.year, by=by, inspection=inspection, **values)
    return submit_inspection(inspection=Inspection.objects.get(pk=inspection.pk), by=by)
