"""Academician and engineer services of measure 7: 院士带培 pairs, the confidential 院士增选
service ledger, the 百名顶尖人才 registry with engagements, the 重庆工程师联合体 and 卓越工程师.

The 增选 ledger is confidential: its audit events carry ids and states, never names or notes."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.reference import districts
from kexie.core.services import record_event
from kexie.core.transitions import transition
from kexie.experts.enums import Honour
from kexie.experts.models import Expert
from kexie.talent.enums import (
    Academy,
    CandidateState,
    EngagementKind,
    EngineerField,
    PairActivityKind,
    PairState,
    ServiceKind,
)
from kexie.talent.models import (
    AcademicianPair,
    Candidate,
    CandidateEvent,
    Engagement,
    Engineer,
    PairActivity,
    PairSummary,
    TopTalent,
    UnionMember,
)

ACADEMICIAN_HONOURS = {Honour.CAS_ACADEMICIAN, Honour.CAE_ACADEMICIAN}


def _required(errors: dict, **values) -> None:
    for field, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[field] = _("This field is required.")


# --- 院士带培计划 ------------------------------------------------------------------------------


@transaction.atomic
def create_pair(
    *, academician: Expert, scientist: Expert, topic: str, starts_on: date, ends_on: date, by
) -> AcademicianPair:
    errors: dict = {}
    _required(errors, topic=topic, starts_on=starts_on, ends_on=ends_on)
    if not ACADEMICIAN_HONOURS & set(academician.honours):
        errors["academician"] = _("%(name)s is not recorded as an academician in the expert library.") % {
            "name": academician.name
        }
    if academician.pk == scientist.pk:
        errors["scientist"] = _("An academician cannot guide themselves.")
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = _("The end is before the start.")
    if AcademicianPair.objects.filter(
        academician=academician, scientist=scientist, state=PairState.ACTIVE
    ).exists():
        errors["scientist"] = _("This pair is already active.")
    if errors:
        raise ValidationError(errors)
    pair = AcademicianPair.objects.create(
        academician=academician,
        scientist=scientist,
        topic=topic.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
        updated_by=by,
    )
    record_event(
        pair, "talent.pair.create", actor=by, after={"academician": academician.pk, "scientist": scientist.pk}
    )
    return pair


@transaction.atomic
def end_pair(*, pair: AcademicianPair, by) -> AcademicianPair:
    transition(pair, expected=PairState.ACTIVE, values={"state": PairState.ENDED, "updated_by": by})
    record_event(pair, "talent.pair.end", actor=by, after={"state": PairState.ENDED})
    return pair


@transaction.atomic
def add_pair_activity(
    *, pair: AcademicianPair, by, kind: str, held_on: date, title: str, description: str = ""
) -> PairActivity:
    errors: dict = {}
    _required(errors, title=title, held_on=held_on)
    if kind not in PairActivityKind.values:
        errors["kind"] = _("Choose the kind of activity.")
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = _("An activity is recorded after it took place.")
    if pair.state != PairState.ACTIVE:
        errors[None] = _("This pair has ended.")
    if errors:
        raise ValidationError(errors)
    activity = PairActivity.objects.create(
        pair=pair,
        kind=kind,
        held_on=held_on,
        title=title.strip(),
        description=description.strip(),
        created_by=by,
    )
    record_event(
        activity, "talent.pair.activity", actor=by, after={"pair": pair.pk, "kind": kind, "held_on": held_on}
    )
    return activity


@transaction.atomic
def save_pair_summary(*, pair: AcademicianPair, year: int, text: str, by) -> PairSummary:
    if not (text or "").strip():
        raise ValidationError({"text": _("The summary is empty.")})
    summary, created = PairSummary.objects.update_or_create(
        pair=pair, year=year, defaults={"text": text.strip(), "updated_by": by}
    )
    if created:
        PairSummary.objects.filter(pk=summary.pk).update(created_by=by)
    record_event(
        summary, "talent.pair.summary", actor=by, after={"pair": pair.pk, "year": year, "created": created}
    )
    return summary


# --- 院士增选服务 (confidential) ------------------------------------------------------------------


@transaction.atomic
def create_candidate(
    *,
    by,
    name: str,
    organization_name: str,
    academy: str,
    division: str,
    election_year: int,
    materials: list[str] = (),
    expert: Expert | None = None,
) -> Candidate:
    errors: dict = {}
    _required(errors, name=name, organization_name=organization_name, division=division)
    if academy not in Academy.values:
        errors["academy"] = _("Choose the academy.")
    if errors:
        raise ValidationError(errors)
    candidate = Candidate.objects.create(
        name=name.strip(),
        organization_name=organization_name.strip(),
        academy=academy,
        division=division.strip(),
        election_year=election_year,
        expert=expert,
        materials=[{"item": m.strip(), "done": False, "on": None} for m in materials if m.strip()],
        created_by=by,
        updated_by=by,
    )
    record_event(candidate, "talent.candidate.create", actor=by, after={"election_year": election_year})
    return candidate


@transaction.atomic
def check_material(*, candidate: Candidate, item: str, done: bool, by, on: date | None = None) -> Candidate:
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    materials = list(locked.materials)
    for row in materials:
        if row["item"] == item:
            row["done"] = bool(done)
            row["on"] = (on or timezone.localdate()).isoformat() if done else None
            break
    else:
        raise ValidationError(_("No such item in the checklist."))
    Candidate.objects.filter(pk=candidate.pk).update(materials=materials, updated_by=by)
    candidate.refresh_from_db()
    record_event(candidate, "talent.candidate.material", actor=by, after={"done": bool(done)})
    return candidate


@transaction.atomic
def add_candidate_event(
    *, candidate: Candidate, by, happened_on: date, kind: str, description: str
) -> CandidateEvent:
    errors: dict = {}
    _required(errors, happened_on=happened_on, description=description)
    if kind not in ServiceKind.values:
        errors["kind"] = _("Choose the kind of service.")
    if errors:
        raise ValidationError(errors)
    event = CandidateEvent.objects.create(
        candidate=candidate,
        happened_on=happened_on,
        kind=kind,
        description=description.strip(),
        created_by=by,
    )
    record_event(event, "talent.candidate.event", actor=by, after={"candidate": candidate.pk, "kind": kind})
    return event


CANDIDATE_NEXT = {
    CandidateState.PREPARING: (CandidateState.NOMINATED,),
    CandidateState.NOMINATED: (CandidateState.FIRST_ROUND, CandidateState.NOT_ELECTED),
    CandidateState.FIRST_ROUND: (CandidateState.ELECTED, CandidateState.NOT_ELECTED),
}


@transaction.atomic
def set_candidate_state(*, candidate: Candidate, state: str, by) -> Candidate:
    allowed = CANDIDATE_NEXT.get(candidate.state, ())
    if state not in allowed:
        raise ValidationError(_("This step does not follow from the candidate's current stage."))
    before = candidate.state
    transition(candidate, expected=before, values={"state": state, "updated_by": by})
    record_event(
        candidate, "talent.candidate.state", actor=by, before={"state": before}, after={"state": state}
    )
    return candidate


# --- 百名顶尖人才智汇重庆 ----------------------------------------------------------------------------


@transaction.atomic
def add_top_talent(
    *, by, name: str, organization_name: str, field: str, joined_year: int, honours: str = "", expert=None
) -> TopTalent:
    errors: dict = {}
    _required(errors, name=name, organization_name=organization_name, field=field)
    if errors:
        raise ValidationError(errors)
    talent = TopTalent.objects.create(
        name=name.strip(),
        organization_name=organization_name.strip(),
        field=field.strip(),
        honours=honours.strip(),
        joined_year=joined_year,
        expert=expert,
        created_by=by,
        updated_by=by,
    )
    record_event(talent, "talent.top_talent.add", actor=by, after={"name": talent.name})
    return talent


@transaction.atomic
def add_engagement(
    *,
    talent: TopTalent,
    by,
    organization_name: str,
    kind: str,
    title: str,
    starts_on: date,
    district: str = "",
    ends_on: date | None = None,
    organization=None,
) -> Engagement:
    errors: dict = {}
    _required(errors, organization_name=organization_name, title=title, starts_on=starts_on)
    if kind not in EngagementKind.values:
        errors["kind"] = _("Choose the kind of engagement.")
    if district and district not in districts():
        errors["district"] = _("Unknown district code %(code)s.") % {"code": district}
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The end is before the start.")
    if errors:
        raise ValidationError(errors)
    engagement = Engagement.objects.create(
        talent=talent,
        organization=organization,
        organization_name=organization_name.strip(),
        district=district,
        kind=kind,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
        updated_by=by,
    )
    record_event(engagement, "talent.engagement.add", actor=by, after={"talent": talent.pk, "kind": kind})
    return engagement


# --- 重庆工程师联合体 ------------------------------------------------------------------------------


@transaction.atomic
def add_union_member(*, by, organization_name: str, joined_on: date, district: str = "") -> UnionMember:
    name = (organization_name or "").strip()
    if not name:
        raise ValidationError({"organization_name": _("The organization is required.")})
    if UnionMember.objects.filter(organization_name=name).exists():
        raise ValidationError({"organization_name": _("%(name)s is already a member.") % {"name": name}})
    if district and district not in districts():
        raise ValidationError({"district": _("Unknown district code %(code)s.") % {"code": district}})
    member = UnionMember.objects.create(
        organization_name=name, joined_on=joined_on, district=district, created_by=by, updated_by=by
    )
    record_event(member, "talent.union.join", actor=by, after={"organization": name})
    return member


@transaction.atomic
def add_engineer(
    *,
    member: UnionMember,
    by,
    name: str,
    field: str,
    title: str = "",
    excellent_year: int | None = None,
    expert=None,
) -> Engineer:
    errors: dict = {}
    _required(errors, name=name)
    if field not in EngineerField.values:
        errors["field"] = _("Choose the field.")
    if errors:
        raise ValidationError(errors)
    engineer = Engineer.objects.create(
        member=member,
        name=name.strip(),
        field=field,
        title=title.strip(),
        excellent_year=excellent_year,
        expert=expert,
        created_by=by,
        updated_by=by,
    )
    record_event(
        engineer,
        "talent.engineer.add",
        actor=by,
        after={"member": member.pk, "excellent_year": excellent_year},
    )
    return engineer


@transaction.atomic
def mark_excellent(*, engineer: Engineer, year: int, by) -> Engineer:
    if engineer.excellent_year:
        raise ValidationError(
            _("%(name)s is already listed as an excellent engineer.") % {"name": engineer.name}
        )
    Engineer.objects.filter(pk=engineer.pk).update(excellent_year=year, updated_by=by)
    engineer.refresh_from_db()
    record_event(engineer, "talent.engineer.excellent", actor=by, after={"year": year})
    return engineer
