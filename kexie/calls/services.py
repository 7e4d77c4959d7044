"""Every write of the calls engine: keyword-only verbs, atomic, audited, state changes as conditional
updates (``kexie.core.transitions``). Other apps (talent, thinktank, outreach, societies) call these
functions by name; the names and keyword arguments are the engine's stable API.

Refusals are ``ValidationError`` with a Chinese message naming the field; permission refusals are
``PermissionDenied``. Nothing is half-written: each function is one transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.calls import aggregation as agg
from kexie.calls import eligibility as elig
from kexie.calls import kinds, rules
from kexie.calls import schema as form_schema
from kexie.calls.enums import (
    EDITABLE_STATES,
    QUOTA_STATES,
    WITHDRAWABLE_STATES,
    Aggregation,
    AssignmentSource,
    CallState,
    ConstraintKind,
    Decision,
    FormalOutcome,
    ObjectionState,
    ReviewerState,
    RoundKind,
    RoundState,
    SubmissionState,
    Vote,
)
from kexie.calls.models import (
    Assignment,
    Attachment,
    Call,
    Channel,
    Endorsement,
    Exclusion,
    FormalCheck,
    NominationCode,
    Objection,
    PairConstraint,
    Reviewer,
    ReviewRound,
    RoundResult,
    Submission,
)
from kexie.core import workdays
from kexie.core.services import notify, record_event, snapshot
from kexie.core.transitions import transition

CHAIN_STEPS = ("unit", "channel", "organiser")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
MAX_CODES_PER_BATCH = 500


def _require(condition: bool, message: str | None = None) -> None:
    if not condition:
        raise PermissionDenied(message or _("You may not do this."))


def _staff(call: Call, by) -> None:
    _require(by is None or rules.is_call_staff(by, call), _("Only the staff running this call may do this."))


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# --------------------------------------------------------------------------------------------- calls


def validate_chain(chain) -> list[str]:
    if not isinstance(chain, list | tuple) or any(step not in CHAIN_STEPS for step in chain):
        raise ValidationError(
            {
                "endorsement_chain": _("The endorsement chain may only use the steps %(steps)s.")
                % {"steps": "、".join(CHAIN_STEPS)}
            }
        )
    if len(set(chain)) != len(chain):
        raise ValidationError({"endorsement_chain": _("A step appears twice in the endorsement chain.")})
    return list(chain)


def _check_call_data(
    *, kind, form_schema_data, eligibility, chain, opens_at, closes_at, publicity_days
) -> None:
    errors: dict[str, list[str]] = {}
    try:
        kinds.get(kind)
    except KeyError:
        errors["kind"] = [_("Unknown kind of call “%(kind)s”.") % {"kind": kind}]
    if form_schema_data:
        try:
            form_schema.validate_schema(form_schema_data)
        except ValidationError as exc:
            errors["form_schema"] = exc.messages
    try:
        elig.validate_rules(eligibility)
    except ValidationError as exc:
        errors["eligibility"] = exc.messages
    try:
        validate_chain(chain)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = [_("The closing time must be after the opening time.")]
    if not 1 <= int(publicity_days or 0) <= 30:
        errors["publicity_days"] = [_("The publicity window must be between 1 and 30 working days.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_call(
    *,
    kind: str,
    title: str,
    organiser,
    year: int,
    by,
    form_schema: dict | None = None,
    eligibility: list | None = None,
    endorsement_chain: list | None = None,
    opens_at=None,
    closes_at=None,
    check_until=None,
    result_due=None,
    needs_code: bool | None = None,
    publicity_days: int = 5,
    description: str = "",
    decision_rule: dict | None = None,
    extra: dict | None = None,
) -> Call:
    """A call in draft. The form, eligibility and chain are validated now; opening checks the rest."""
    if by is not None:
        _require(
            any(organiser.path.startswith(o.path) for o in rules.staff_organizations(by)),
            _("You may create calls only for your own department."),
        )
    info = kinds.get(kind) if kind in {k.key for k in kinds.all_kinds()} else None
    chain = list(endorsement_chain if endorsement_chain is not None else (info.default_chain if info else ()))
    eligibility = eligibility or []
    _check_call_data(
        kind=kind,
        form_schema_data=form_schema or {},
        eligibility=eligibility,
        chain=chain,
        opens_at=opens_at,
        closes_at=closes_at,
        publicity_days=publicity_days,
    )
    if not (title or "").strip():
        raise ValidationError({"title": _("The call needs a title.")})
    call = Call.objects.create(
        kind=kind,
        title=title.strip(),
        organiser=organiser,
        year=year,
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        check_until=check_until,
        result_due=result_due,
        form_schema=form_schema or {},
        eligibility=eligibility,
        endorsement_chain=chain,
        needs_code=info.needs_code if needs_code is None and info else bool(needs_code),
        publicity_days=publicity_days,
        decision_rule=decision_rule or {},
        extra=extra or {},
        created_by=by,
        updated_by=by,
    )
    record_event(
        call,
        "calls.call.create",
        actor=by,
        after=snapshot(call, ["kind", "title", "year", "state"]),
        organization_id=organiser.pk,
    )
    return call


EDITABLE_CALL_FIELDS = (
    "title",
    "description",
    "opens_at",
    "closes_at",
    "check_until",
    "result_due",
    "form_schema",
    "eligibility",
    "endorsement_chain",
    "needs_code",
    "publicity_days",
    "decision_rule",
    "extra",
)


@transaction.atomic
def update_call(call: Call, *, by, **values) -> Call:
    """Change a call's settings. The form and chain are frozen once the call is open (answers
    already given refer to them); dates and texts may still change."""
    call = _locked(Call, call.pk)
    _staff(call, by)
    unknown = set(values) - set(EDITABLE_CALL_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown call settings: %(names)s") % {"names": ", ".join(sorted(unknown))})
    frozen = {"form_schema", "endorsement_chain", "eligibility", "needs_code"} & set(values)
    if call.state != CallState.DRAFT and any(values[f] != getattr(call, f) for f in frozen):
        raise ValidationError(
            _("The form, eligibility and endorsement chain cannot change once the call is open.")
        )
    merged = {f: values.get(f, getattr(call, f)) for f in EDITABLE_CALL_FIELDS}
    _check_call_data(
        kind=call.kind,
        form_schema_data=merged["form_schema"],
        eligibility=merged["eligibility"],
        chain=merged["endorsement_chain"],
        opens_at=merged["opens_at"],
        closes_at=merged["closes_at"],
        publicity_days=merged["publicity_days"],
    )
    before = snapshot(call, list(values))
    for name, value in values.items():
        setattr(call, name, value.strip() if isinstance(value, str) and name == "title" else value)
    call.updated_by = by
    call.save()
    record_event(
        call,
        "calls.call.update",
        actor=by,
        before=before,
        after=snapshot(call, list(values)),
        organization_id=call.organiser_id,
    )
    return call


@transaction.atomic
def open_call(call: Call, *, by) -> Call:
    _staff(call, by)
    errors = {}
    try:
        form_schema.validate_schema(call.form_schema)
    except ValidationError as exc:
        errors["form_schema"] = exc.messages
    if not call.closes_at:
        errors["closes_at"] = [_("Set the closing time before opening the call.")]
    elif call.closes_at <= timezone.now():
        errors["closes_at"] = [_("The closing time is already past.")]
    if call.needs_code and not call.channels.exists():
        errors["channels"] = [_("This call takes nominations by code: add at least one channel first.")]
    if errors:
        raise ValidationError(errors)
    values = {"state": CallState.OPEN}
    if not call.opens_at:
        values["opens_at"] = timezone.now()
    call = transition(call, expected=CallState.DRAFT, values=values)
    record_event(
        call, "calls.call.open", actor=by, after={"state": call.state}, organization_id=call.organiser_id
    )
    return call


@transaction.atomic
def close_call(call: Call, *, by) -> Call:
    _staff(call, by)
    call = transition(call, expected=CallState.OPEN, values={"state": CallState.CLOSED})
    record_event(
        call, "calls.call.close", actor=by, after={"state": call.state}, organization_id=call.organiser_id
    )
    return call


@transaction.atomic
def cancel_call(call: Call, *, by, reason: str) -> Call:
    _staff(call, by)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    call = transition(
        call,
        expected=[CallState.DRAFT, CallState.OPEN, CallState.CLOSED, CallState.REVIEW],
        values={"state": CallState.CANCELLED},
    )
    record_event(call, "calls.call.cancel", actor=by, detail=reason, organization_id=call.organiser_id)
    return call


# ------------------------------------------------------------------------------- channels and codes


@transaction.atomic
def add_channel(call: Call, organization, quota: int, *, by, admins=()) -> Channel:
    _staff(call, by)
    if call.state in (CallState.FINAL, CallState.CANCELLED):
        raise ValidationError(_("This call is closed for changes."))
    if quota is None or int(quota) < 1:
        raise ValidationError({"quota": _("The quota must be at least 1.")})
    if Channel.objects.filter(call=call, organization=organization).exists():
        raise ValidationError(
            {"organization": _("%(org)s is already a channel of this call.") % {"org": organization.name}}
        )
    channel = Channel.objects.create(
        call=call, organization=organization, quota=int(quota), created_by=by, updated_by=by
    )
    if admins:
        channel.admins.set(admins)
    record_event(
        channel,
        "calls.channel.add",
        actor=by,
        after={"organization": organization.name, "quota": channel.quota},
        organization_id=organization.pk,
    )
    return channel


def channel_used(channel: Channel) -> int:
    return channel.submissions.filter(state__in=QUOTA_STATES).count()


@transaction.atomic
def set_quota(channel: Channel, quota: int, *, by) -> Channel:
    channel = _locked(Channel, channel.pk)
    _staff(channel.call, by)
    used = channel_used(channel)
    if int(quota) < max(1, used):
        raise ValidationError(
            {
                "quota": _("The quota cannot be below the %(n)s nominations already made (and at least 1).")
                % {"n": used}
            }
        )
    before = channel.quota
    channel.quota = int(quota)
    channel.updated_by = by
    channel.save(update_fields=["quota", "updated_by", "updated_at"])
    record_event(
        channel,
        "calls.channel.quota",
        actor=by,
        before={"quota": before},
        after={"quota": channel.quota},
        organization_id=channel.organization_id,
    )
    return channel


@transaction.atomic
def set_channel_admins(channel: Channel, admins, *, by) -> Channel:
    _staff(channel.call, by)
    channel.admins.set(admins)
    record_event(
        channel,
        "calls.channel.admins",
        actor=by,
        after={"admins": [u.username for u in admins]},
        organization_id=channel.organization_id,
    )
    return channel


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(10))


@transaction.atomic
def issue_codes(channel: Channel, count: int, *, by) -> list[NominationCode]:
    """A batch of single-use nomination codes (推荐码) for a channel."""
    channel = _locked(Channel, channel.pk)
    _require(
        by is None or rules.is_channel_admin(by, channel) or rules.is_call_staff(by, channel.call),
        _("Only the channel's administrators or the call's staff may issue codes."),
    )
    if channel.call.state not in (CallState.DRAFT, CallState.OPEN):
        raise ValidationError(_("Codes can be issued only before the call closes."))
    if not 1 <= int(count) <= MAX_CODES_PER_BATCH:
        raise ValidationError(
            {"count": _("Issue between 1 and %(max)s codes at a time.") % {"max": MAX_CODES_PER_BATCH}}
        )
    batch = (channel.codes.order_by("-batch").values_list("batch", flat=True).first() or 0) + 1
    codes = []
    for _i in range(int(count)):
        for _attempt in range(5):
            candidate = _new_code()
            if not NominationCode.objects.filter(code=candidate).exists():
                break
        codes.append(NominationCode(channel=channel, code=candidate, batch=batch, created_by=by))
    NominationCode.objects.bulk_create(codes)
    record_event(
        channel,
        "calls.codes.issue",
        actor=by,
        after={"batch": batch, "count": len(codes)},
        organization_id=channel.organization_id,
    )
    return list(channel.codes.filter(batch=batch))


@transaction.atomic
def revoke_code(code: NominationCode, *, by) -> NominationCode:
    code = _locked(NominationCode, code.pk)
    _require(
        by is None or rules.is_channel_admin(by, code.channel) or rules.is_call_staff(by, code.channel.call)
    )
    if code.used_at:
        raise ValidationError(_("This code has already been used."))
    code.revoked = True
    code.save(update_fields=["revoked"])
    record_event(code.channel, "calls.codes.revoke", actor=by, after={"code": code.code})
    return code


# ------------------------------------------------------------------------------------- submissions


def _check_open(call: Call, *, at=None) -> None:
    at = at or timezone.now()
    if call.state != CallState.OPEN:
        raise ValidationError(_("This call is not open for applications."))
    if call.opens_at and at < call.opens_at:
        raise ValidationError(
            _("This call opens on %(when)s.")
            % {"when": timezone.localtime(call.opens_at).strftime("%Y-%m-%d %H:%M")}
        )
    if call.closes_at and at > call.closes_at:
        raise ValidationError(
            _("The deadline has passed: applications closed on %(when)s.")
            % {"when": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")}
        )


@transaction.atomic
def create_submission(
    *,
    call: Call,
    applicant,
    title: str = "",
    code: str | None = None,
    channel: Channel | None = None,
    organization=None,
    organization_name: str = "",
    data: dict | None = None,
    by=None,
) -> Submission:
    """Start a dossier (a draft). With a nomination code, the code is checked (known, unused, of this
    call) and spent now, binding the dossier to the code's channel."""
    call = _locked(Call, call.pk)
    _check_open(call)
    code_row = None
    if code:
        code_row = (
            NominationCode.objects.select_for_update()
            .select_related("channel")
            .filter(code=code.strip().upper(), channel__call=call)
            .first()
        )
        if code_row is None or code_row.revoked:
            raise ValidationError(
                {"code": _("The nomination code “%(code)s” is not valid for this call.") % {"code": code}}
            )
        if code_row.used_at:
            raise ValidationError(
                {"code": _("The nomination code “%(code)s” has already been used.") % {"code": code}}
            )
        channel = code_row.channel
    elif call.needs_code:
        raise ValidationError(
            {"code": _("This call takes nominations only with a nomination code from a channel.")}
        )
    if channel is not None and channel.call_id != call.pk:
        raise ValidationError({"channel": _("This channel does not belong to this call.")})
    if organization is None and (organization_name or "").strip():
        from kexie.accounts.models import Organization

        name = organization_name.strip()
        organization = (
            Organization.objects.filter(is_active=True)
            .filter(Q(name=name) | Q(aliases__contains=[name]))
            .first()
            if connection_supports_json_contains()
            else Organization.objects.filter(is_active=True, name=name).first()
        )
    submission = Submission.objects.create(
        call=call,
        applicant=applicant,
        channel=channel,
        code=code_row,
        organization=organization,
        organization_name=organization_name or (organization.name if organization else ""),
        title=(title or "").strip()[:200] or _("(untitled)"),
        data={},
        created_by=by or applicant,
        updated_by=by or applicant,
    )
    if code_row is not None:
        code_row.used_at = timezone.now()
        code_row.save(update_fields=["used_at"])
    if data:
        _store_answers(submission, data)
        submission.save(update_fields=["data", "person_name"])
    record_event(
        submission,
        "calls.submission.create",
        actor=by or applicant,
        after={
            "call": call.pk,
            "channel": channel.pk if channel else None,
            "code": code_row.code if code_row else "",
        },
    )
    return submission


def connection_supports_json_contains() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


def _file_names(submission: Submission) -> dict[str, list[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    for attachment in submission.attachments.all():
        names[attachment.field_key].append(attachment.name)
    return names


def _store_answers(submission: Submission, data: dict) -> None:
    schema = submission.call.form_schema
    merged = {**submission.data, **{k: v for k, v in data.items() if k in form_schema.field_map(schema)}}
    cleaned, errors = form_schema.clean_answers(schema, merged, final=False, files=_file_names(submission))
    if errors:
        raise ValidationError(errors)
    submission.data = cleaned
    submission.person_name = str(cleaned.get("name", "") or submission.person_name)[:60]


@transaction.atomic
def save_draft(
    submission: Submission,
    *,
    by,
    data: dict,
    title: str | None = None,
    organization=None,
    organization_name: str | None = None,
) -> Submission:
    submission = _locked(Submission, submission.pk)
    _require(rules.is_applicant(by, submission), _("Only the nominee may edit this dossier."))
    if submission.state not in EDITABLE_STATES:
        raise ValidationError(_("This dossier can no longer be edited."))
    if submission.state == SubmissionState.DRAFT:
        _check_open(submission.call)
    _store_answers(submission, data)
    if title is not None:
        if not title.strip():
            raise ValidationError({"title": _("The dossier needs a title.")})
        submission.title = title.strip()[:200]
    if organization is not None:
        submission.organization = organization
        submission.organization_name = organization.name
    elif organization_name is not None:
        submission.organization_name = organization_name.strip()[:120]
    submission.updated_by = by
    submission.save()
    record_event(submission, "calls.submission.save", actor=by, after={"fields": sorted(data)})
    return submission


@transaction.atomic
def attach_file(submission: Submission, *, field_key: str, upload, by) -> Attachment:
    submission = _locked(Submission, submission.pk)
    _require(rules.is_applicant(by, submission), _("Only the nominee may edit this dossier."))
    if submission.state not in EDITABLE_STATES:
        raise ValidationError(_("This dossier can no longer be edited."))
    field = form_schema.field_map(submission.call.form_schema).get(field_key)
    if field is None or field["type"] != "file":
        raise ValidationError({field_key: _("This form has no file field “%(key)s”.") % {"key": field_key}})
    try:
        form_schema.check_file(field, upload)
    except ValidationError as exc:
        raise ValidationError({field_key: exc.messages}) from None
    if not field.get("multiple"):
        for old in submission.attachments.filter(field_key=field_key):
            old.file.delete(save=False)
            old.delete()
    attachment = Attachment(
        submission=submission, field_key=field_key, name=upload.name[:200], size=upload.size
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    record_event(
        submission,
        "calls.submission.attach",
        actor=by,
        after={"field": field_key, "name": attachment.name, "size": attachment.size},
    )
    return attachment


def _final_checks(submission: Submission) -> None:
    call = submission.call
    cleaned, errors = form_schema.clean_answers(
        call.form_schema, submission.data, final=True, files=_file_names(submission)
    )
    if errors:
        raise ValidationError(errors)
    problems = elig.check(
        call,
        submission.data,
        applicant=submission.applicant,
        person_name=submission.person_name,
        exclude_submission=submission,
    )
    if problems:
        raise ValidationError({"__all__": problems})


def _check_quota(submission: Submission) -> None:
    if submission.channel_id is None:
        return
    channel = _locked(Channel, submission.channel_id)  # serialises concurrent nominations of a channel
    used = channel.submissions.filter(state__in=QUOTA_STATES).exclude(pk=submission.pk).count()
    if used >= channel.quota:
        raise ValidationError(
            _(
                "%(channel)s has used its quota of %(quota)s nominations for this call; "
                "no more can be submitted."
            )
            % {"channel": channel.organization.name, "quota": channel.quota}
        )


def _after_chain_state(submission: Submission) -> str:
    return (
        SubmissionState.ENDORSED
        if submission.endorsed_levels >= len(submission.call.endorsement_chain)
        else SubmissionState.SUBMITTED
    )


@transaction.atomic
def submit(submission: Submission, *, by) -> Submission:
    submission = _locked(Submission, submission.pk)
    _require(rules.is_applicant(by, submission), _("Only the nominee may submit this dossier."))
    if submission.state != SubmissionState.DRAFT:
        raise ValidationError(_("This dossier has already been submitted."))
    _check_open(submission.call)
    _final_checks(submission)
    _check_quota(submission)
    state = SubmissionState.ENDORSED if not submission.call.endorsement_chain else SubmissionState.SUBMITTED
    submission = transition(
        submission,
        expected=SubmissionState.DRAFT,
        values={"state": state, "submitted_at": timezone.now(), "endorsed_levels": 0},
    )
    record_event(submission, "calls.submission.submit", actor=by, after={"state": submission.state})
    _notify_next_endorsers(submission)
    return submission


def next_step(submission: Submission) -> str | None:
    chain = submission.call.endorsement_chain
    if submission.state != SubmissionState.SUBMITTED or submission.endorsed_levels >= len(chain):
        return None
    return chain[submission.endorsed_levels]


def _notify_next_endorsers(submission: Submission) -> None:
    step = next_step(submission)
    if step == "channel" and submission.channel_id:
        for admin in submission.channel.admins.all():
            notify(
                user=admin,
                title=_("A dossier waits for your endorsement: %(title)s") % {"title": submission.title},
            )


@transaction.atomic
def endorse(submission: Submission, *, by, comment: str = "") -> Submission:
    """Endorse at the next step of the call's chain (本人 → 所在单位 → 推荐渠道 → 市科协 …)."""
    submission = _locked(Submission, submission.pk)
    step = next_step(submission)
    if step is None:
        raise ValidationError(_("This dossier is not waiting for an endorsement."))
    _require(
        rules.can_endorse_step(by, submission, step),
        _("You may not endorse this dossier at the “%(step)s” step.") % {"step": step_label(step)},
    )
    level = submission.endorsed_levels
    try:
        with transaction.atomic():
            Endorsement.objects.create(
                submission=submission,
                level=level,
                step=step,
                by=by,
                comment=comment[:2000],
                organization=submission.organization
                if step == "unit"
                else (
                    submission.channel.organization
                    if step == "channel" and submission.channel_id
                    else submission.call.organiser
                ),
            )
    except IntegrityError:
        raise ValidationError(
            _("This item has changed in the meantime; reload the page and try again.")
        ) from None
    done = level + 1
    state = (
        SubmissionState.ENDORSED
        if done >= len(submission.call.endorsement_chain)
        else SubmissionState.SUBMITTED
    )
    submission = transition(
        submission, expected=SubmissionState.SUBMITTED, values={"endorsed_levels": done, "state": state}
    )
    record_event(
        submission,
        "calls.submission.endorse",
        actor=by,
        after={"step": step, "level": done, "state": state},
        detail=comment[:500],
    )
    _notify_next_endorsers(submission)
    return submission


@transaction.atomic
def refuse_endorsement(submission: Submission, *, by, reason: str) -> Submission:
    """An endorser sends the dossier back to the nominee (it returns to draft, the code stays bound)."""
    submission = _locked(Submission, submission.pk)
    step = next_step(submission)
    if step is None:
        raise ValidationError(_("This dossier is not waiting for an endorsement."))
    _require(rules.can_endorse_step(by, submission, step))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for sending the dossier back.")})
    submission.endorsements.all().delete()
    submission = transition(
        submission,
        expected=SubmissionState.SUBMITTED,
        values={
            "state": SubmissionState.DRAFT,
            "endorsed_levels": 0,
            "returned_reasons": {"__all__": reason.strip()},
        },
    )
    record_event(
        submission, "calls.submission.endorsement_refused", actor=by, detail=reason, after={"step": step}
    )
    notify(
        user=submission.applicant,
        title=_("Your dossier was sent back: %(title)s") % {"title": submission.title},
        body=reason,
    )
    return submission


STEP_LABELS = {"unit": "所在单位", "channel": "推荐渠道", "organiser": "主办部门"}


def step_label(step: str) -> str:
    return STEP_LABELS.get(step, step)


@transaction.atomic
def formal_check(submission: Submission, *, by, outcome: str, reasons: dict | None = None) -> Submission:
    """形式审查: pass, or return with a reason per field (keys: form field keys, or ``__all__``)."""
    submission = _locked(Submission, submission.pk)
    _staff(submission.call, by)
    if submission.state != SubmissionState.ENDORSED:
        raise ValidationError(_("This dossier is not waiting for the formal check."))
    reasons = {k: str(v).strip() for k, v in (reasons or {}).items() if str(v).strip()}
    if outcome == FormalOutcome.RETURN:
        if not reasons:
            raise ValidationError(
                {"reasons": _("Say what must be corrected (a reason for at least one field).")}
            )
        known = set(form_schema.field_map(submission.call.form_schema)) | {"__all__", "title"}
        unknown = set(reasons) - known
        if unknown:
            raise ValidationError(
                {"reasons": _("Unknown fields: %(keys)s") % {"keys": "、".join(sorted(unknown))}}
            )
        values = {"state": SubmissionState.RETURNED, "returned_reasons": reasons}
    elif outcome == FormalOutcome.PASS:
        values = {"state": SubmissionState.ACCEPTED, "returned_reasons": {}}
    else:
        raise ValidationError({"outcome": _("Choose pass or return.")})
    submission = transition(submission, expected=SubmissionState.ENDORSED, values=values)
    FormalCheck.objects.create(submission=submission, outcome=outcome, reasons=reasons, by=by)
    record_event(
        submission, "calls.submission.formal_check", actor=by, after={"outcome": outcome, "reasons": reasons}
    )
    if outcome == FormalOutcome.RETURN:
        notify(
            user=submission.applicant,
            title=_("Your dossier was returned for correction: %(title)s") % {"title": submission.title},
            body="\n".join(f"{k}: {v}" for k, v in reasons.items()),
        )
    return submission


@transaction.atomic
def resubmit(submission: Submission, *, by) -> Submission:
    """A returned dossier, corrected, goes back to the formal check (endorsements stand)."""
    submission = _locked(Submission, submission.pk)
    _require(rules.is_applicant(by, submission), _("Only the nominee may resubmit this dossier."))
    if submission.state != SubmissionState.RETURNED:
        raise ValidationError(_("This dossier was not returned for correction."))
    call = submission.call
    if call.check_until and timezone.localdate() > call.check_until:
        raise ValidationError(
            _("The formal check ended on %(day)s; the dossier can no longer be resubmitted.")
            % {"day": call.check_until}
        )
    _final_checks(submission)
    submission = transition(
        submission, expected=SubmissionState.RETURNED, values={"state": _after_chain_state(submission)}
    )
    record_event(submission, "calls.submission.resubmit", actor=by, after={"state": submission.state})
    return submission


@transaction.atomic
def withdraw(submission: Submission, *, by, reason: str = "") -> Submission:
    submission = _locked(Submission, submission.pk)
    _require(rules.is_applicant(by, submission) or rules.is_call_staff(by, submission.call))
    if submission.state not in WITHDRAWABLE_STATES:
        raise ValidationError(_("This dossier can no longer be withdrawn."))
    submission = transition(
        submission,
        expected=WITHDRAWABLE_STATES,
        values={"state": SubmissionState.WITHDRAWN, "withdrawn_reason": (reason or "").strip()},
    )
    submission.assignments.filter(scored_at__isnull=True).update(active=False)
    record_event(submission, "calls.submission.withdraw", actor=by, detail=reason or "")
    return submission


# ---------------------------------------------------------------------------------------- rounds


def validate_rubric(rubric, kind: str) -> list[dict]:
    if kind == RoundKind.PANEL and not rubric:
        return []
    if not isinstance(rubric, list) or not rubric:
        raise ValidationError({"rubric": _("A scoring round needs at least one criterion.")})
    errors, keys = [], set()
    for n, criterion in enumerate(rubric, start=1):
        if not isinstance(criterion, dict) or not criterion.get("key") or not criterion.get("label"):
            errors.append(_("Criterion %(n)s needs a key and a label.") % {"n": n})
            continue
        label = criterion["label"]
        if criterion["key"] in keys:
            errors.append(_("Criterion “%(c)s”: the key is used twice.") % {"c": label})
        keys.add(criterion["key"])
        try:
            low, high, weight = (
                float(criterion.get("min", 0)),
                float(criterion["max"]),
                float(criterion.get("weight", 1)),
            )
        except (KeyError, TypeError, ValueError):
            errors.append(_("Criterion “%(c)s”: min, max and weight must be numbers.") % {"c": label})
            continue
        if low >= high or weight <= 0:
            errors.append(
                _("Criterion “%(c)s”: the maximum must exceed the minimum and the weight be positive.")
                % {"c": label}
            )
    if errors:
        raise ValidationError({"rubric": errors})
    return rubric


@transaction.atomic
def add_round(
    call: Call,
    *,
    by,
    kind: str = RoundKind.REMOTE,
    name: str = "",
    rubric: list | None = None,
    blind: bool = True,
    reviewers_per_submission: int = 3,
    max_load: int = 10,
    comment_below: float | None = None,
    pass_rule: dict | None = None,
    disciplines: list | None = None,
    aggregation: str = Aggregation.ZSCORE,
    due=None,
) -> ReviewRound:
    _staff(call, by)
    if call.state in (CallState.PUBLICITY, CallState.FINAL, CallState.CANCELLED):
        raise ValidationError(_("Review rounds can no longer be added to this call."))
    if kind not in RoundKind.values:
        raise ValidationError({"kind": _("Choose remote scoring or a panel meeting.")})
    rubric = validate_rubric(rubric or [], kind)
    if not 1 <= int(reviewers_per_submission) <= 50:
        raise ValidationError({"reviewers_per_submission": _("Between 1 and 50 reviewers per submission.")})
    if int(max_load) < 1:
        raise ValidationError({"max_load": _("A reviewer must be able to take at least one submission.")})
    if aggregation not in Aggregation.values:
        raise ValidationError({"aggregation": _("Unknown aggregation method.")})
    pass_rule = pass_rule or ({"fraction": [2, 3]} if kind == RoundKind.PANEL else {})
    number = (call.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    review_round = ReviewRound.objects.create(
        call=call,
        number=number,
        name=(name or "").strip() or _("Round %(n)s") % {"n": number},
        kind=kind,
        rubric=rubric,
        blind=blind,
        reviewers_per_submission=int(reviewers_per_submission),
        max_load=int(max_load),
        comment_below=comment_below,
        pass_rule=pass_rule,
        disciplines=list(disciplines or []),
        aggregation=aggregation,
        due=due,
        created_by=by,
        updated_by=by,
    )
    record_event(
        review_round,
        "calls.round.add",
        actor=by,
        organization_id=call.organiser_id,
        after=snapshot(
            review_round, ["name", "kind", "blind", "reviewers_per_submission", "max_load", "rubric"]
        ),
    )
    return review_round


def pool_candidates(review_round: ReviewRound):
    """The expert library filtered by the round's disciplines (verified, available experts)."""
    from kexie.experts.enums import Availability, VerificationState
    from kexie.experts.models import Expert

    experts = Expert.objects.filter(state=VerificationState.VERIFIED).exclude(
        availability=Availability.UNAVAILABLE
    )
    if review_round.disciplines:
        condition = Q()
        for code in review_round.disciplines:
            condition |= Q(disciplines__code__startswith=code)
        experts = experts.filter(condition)
    return experts.distinct().order_by("pk")


@transaction.atomic
def invite_reviewers(review_round: ReviewRound, experts, *, by) -> list[Reviewer]:
    _staff(review_round.call, by)
    if review_round.state == RoundState.CLOSED:
        raise ValidationError(_("This round is closed."))
    created = []
    for expert in experts:
        reviewer, new = Reviewer.objects.get_or_create(round=review_round, expert=expert)
        if new:
            created.append(reviewer)
            if expert.user_id:
                notify(
                    user=expert.user,
                    title=_("Invitation to review: %(round)s") % {"round": str(review_round)},
                )
    record_event(
        review_round,
        "calls.round.invite",
        actor=by,
        after={"experts": [r.expert_id for r in created]},
        organization_id=review_round.call.organiser_id,
    )
    return created


def _respond(reviewer: Reviewer, *, by, state: str, reason: str = "") -> Reviewer:
    reviewer = _locked(Reviewer, reviewer.pk)
    _require(rules.is_reviewer_user(by, reviewer) or rules.is_call_staff(by, reviewer.round.call))
    reviewer = transition(
        reviewer,
        expected=[ReviewerState.INVITED]
        if state == ReviewerState.ACCEPTED
        else [ReviewerState.INVITED, ReviewerState.ACCEPTED],
        values={"state": state, "responded_at": timezone.now(), "reason": reason[:200]},
    )
    record_event(
        reviewer.round,
        f"calls.reviewer.{state}",
        actor=by,
        after={"expert": reviewer.expert_id},
        detail=reason,
    )
    return reviewer


@transaction.atomic
def accept(reviewer: Reviewer, *, by) -> Reviewer:
    return _respond(reviewer, by=by, state=ReviewerState.ACCEPTED)


@transaction.atomic
def decline(reviewer: Reviewer, *, by, reason: str = "") -> Reviewer:
    reviewer = _respond(reviewer, by=by, state=ReviewerState.DECLINED, reason=reason)
    reviewer.assignments.filter(scored_at__isnull=True).update(active=False)
    return reviewer


@transaction.atomic
def replace(reviewer: Reviewer, new_expert, *, by) -> Reviewer:
    """Replace a reviewer who declined or dropped out: their unscored assignments move to the new
    expert where the new expert has no conflict (else they are left for the next assignment run)."""
    from kexie.experts.conflicts import conflicts

    reviewer = _locked(Reviewer, reviewer.pk)
    review_round = reviewer.round
    _staff(review_round.call, by)
    if reviewer.state == ReviewerState.REPLACED:
        raise ValidationError(_("This reviewer has already been replaced."))
    new, _created = Reviewer.objects.get_or_create(
        round=review_round,
        expert=new_expert,
        defaults={"state": ReviewerState.ACCEPTED, "responded_at": timezone.now()},
    )
    transition(
        reviewer,
        expected=[ReviewerState.INVITED, ReviewerState.ACCEPTED, ReviewerState.DECLINED],
        values={"state": ReviewerState.REPLACED, "replaced_by": new},
    )
    moved, skipped = 0, []
    for assignment in reviewer.assignments.filter(scored_at__isnull=True).select_related("submission"):
        found = conflicts(expert=new_expert, item=review_item(assignment.submission))
        taken = Assignment.objects.filter(
            round=review_round, submission=assignment.submission, reviewer=new
        ).exists()
        assignment.active = False
        assignment.save(update_fields=["active"])
        if found or taken:
            skipped.append(assignment.submission_id)
            for c in found:
                Exclusion.objects.get_or_create(
                    round=review_round,
                    submission=assignment.submission,
                    expert=new_expert,
                    kind=c.kind,
                    defaults={"reason": c.reason[:300]},
                )
            continue
        Assignment.objects.create(
            round=review_round,
            submission=assignment.submission,
            reviewer=new,
            affinity=assignment.affinity,
            source=AssignmentSource.REPLACEMENT,
            why=_("Replaces %(name)s") % {"name": reviewer.expert.name},
        )
        moved += 1
    record_event(
        review_round,
        "calls.reviewer.replace",
        actor=by,
        after={"from": reviewer.expert_id, "to": new_expert.pk, "moved": moved, "skipped": skipped},
    )
    return new


@transaction.atomic
def set_pair(
    review_round: ReviewRound, *, submission: Submission, expert, kind: str | None, by, note: str = ""
) -> None:
    """Pin or forbid a submission–expert pair before solving (``kind=None`` removes it)."""
    _staff(review_round.call, by)
    PairConstraint.objects.filter(round=review_round, submission=submission, expert=expert).delete()
    if kind:
        if kind not in ConstraintKind.values:
            raise ValidationError({"kind": _("Choose pin or forbid.")})
        PairConstraint.objects.create(
            round=review_round, submission=submission, expert=expert, kind=kind, note=note[:200]
        )
    record_event(
        review_round,
        "calls.round.pair",
        actor=by,
        after={"submission": submission.pk, "expert": expert.pk, "kind": kind},
    )


def review_item(submission: Submission):
    """What kexie.experts.conflicts compares: the nominee, people on the dossier, units, channel."""
    from kexie.experts.conflicts import ReviewItem

    persons = [submission.person_name] if submission.person_name else []
    organizations = [submission.organization_name] if submission.organization_name else []
    for field in form_schema.fields_of(submission.call.form_schema):
        value = submission.data.get(field["key"])
        if field["type"] == "persons" and isinstance(value, list):
            for row in value:
                if row.get("name"):
                    persons.append(row["name"])
                for key in ("organization", "unit"):
                    if row.get(key):
                        organizations.append(row[key])
    return ReviewItem(
        organization_names=organizations,
        person_names=persons,
        channel=submission.channel.organization.name if submission.channel_id else None,
        organization_ids=[submission.organization_id] if submission.organization_id else [],
        label=submission.title,
    )


def round_submissions(review_round: ReviewRound):
    states = [SubmissionState.ACCEPTED, SubmissionState.IN_REVIEW]
    queryset = review_round.call.submissions.filter(state__in=states)
    previous = review_round.call.rounds.filter(number__lt=review_round.number).order_by("-number").first()
    if previous is not None and previous.results.exists():
        passed = previous.results.filter(Q(passed=True) | Q(passed__isnull=True, rank__isnull=False))
        if review_round.call.decision_rule.get("advance_top"):
            passed = previous.results.filter(rank__lte=int(review_round.call.decision_rule["advance_top"]))
        queryset = queryset.filter(pk__in=passed.values("submission"))
    return queryset.select_related("call", "channel__organization", "organization").order_by("pk")


@transaction.atomic
def assign(review_round: ReviewRound, *, by, method: str = "auto") -> dict:  # noqa: PLR0912, PLR0915
    """Assign reviewers: conflicts (kexie.experts.conflicts) are hard exclusions with their reason,
    pins kept, forbids respected, affinity maximised by min-cost flow (``method="greedy"`` forces
    the fallback). Unscored assignments of an earlier run are replaced; scored ones stay."""
    from kexie.calls import assignment as solver
    from kexie.calls.affinity import affinity_matrix
    from kexie.experts.conflicts import conflicts

    review_round = _locked(ReviewRound, review_round.pk)
    call = review_round.call
    _staff(call, by)
    if review_round.state == RoundState.CLOSED:
        raise ValidationError(_("This round is closed."))
    submissions = list(round_submissions(review_round))
    reviewers = list(
        review_round.reviewers.filter(state__in=[ReviewerState.INVITED, ReviewerState.ACCEPTED])
        .select_related("expert", "expert__organization")
        .order_by("pk")
    )
    if not submissions:
        raise ValidationError(_("No dossier has passed the formal check yet: nothing to assign."))
    if not reviewers:
        raise ValidationError(_("Invite reviewers to the round first."))
    experts = [r.expert for r in reviewers]
    sub_index = {s.pk: i for i, s in enumerate(submissions)}
    exp_index = {e.pk: j for j, e in enumerate(experts)}
    review_round.exclusions.all().delete()
    banned, exclusions = set(), []
    for i, submission in enumerate(submissions):
        item = review_item(submission)
        for j, expert in enumerate(experts):
            for c in conflicts(expert=expert, item=item):
                banned.add((i, j))
                exclusions.append(
                    Exclusion(
                        round=review_round,
                        submission=submission,
                        expert=expert,
                        kind=c.kind,
                        reason=c.reason[:300],
                    )
                )
    Exclusion.objects.bulk_create(exclusions)
    pins = []
    for constraint in review_round.constraints.all():
        i, j = sub_index.get(constraint.submission_id), exp_index.get(constraint.expert_id)
        if i is None or j is None:
            continue
        if constraint.kind == ConstraintKind.FORBID:
            banned.add((i, j))
        elif (i, j) in banned:
            raise ValidationError(
                _("A pinned pair has a conflict of interest: %(sub)s — %(expert)s.")
                % {"sub": submissions[i].title, "expert": experts[j].name}
            )
        else:
            pins.append((i, j))
    # Scored assignments stay: they count as pins.
    kept = list(review_round.assignments.filter(active=True, scored_at__isnull=False))
    for a in kept:
        i, j = sub_index.get(a.submission_id), exp_index.get(a.reviewer.expert_id)
        if i is not None and j is not None and (i, j) not in pins:
            pins.append((i, j))
    review_round.assignments.filter(scored_at__isnull=True).delete()
    matrix, why = affinity_matrix(submissions, experts)
    k, load = review_round.reviewers_per_submission, review_round.max_load
    greedy = solver.greedy(matrix, k=k, max_load=load, banned=banned, pins=pins)
    solution = (
        greedy if method == "greedy" else solver.solve(matrix, k=k, max_load=load, banned=banned, pins=pins)
    )
    kept_pairs = {
        (sub_index[a.submission_id], exp_index[a.reviewer.expert_id])
        for a in kept
        if a.submission_id in sub_index and a.reviewer.expert_id in exp_index
    }
    pinned = set(pins) - kept_pairs
    source = AssignmentSource.SOLVER if solution.method == "min_cost_flow" else AssignmentSource.GREEDY
    rows = []
    for i, j in solution.pairs:
        if (i, j) in kept_pairs:
            continue
        rows.append(
            Assignment(
                round=review_round,
                submission=submissions[i],
                reviewer=reviewers[j],
                affinity=float(matrix[i, j]),
                source=AssignmentSource.PIN if (i, j) in pinned else source,
                why=why.get((i, j), "")[:300],
            )
        )
    Assignment.objects.bulk_create(rows)
    loads = defaultdict(int)
    for _i, j in solution.pairs:
        loads[j] += 1
    report = {
        "method": solution.method,
        "submissions": len(submissions),
        "reviewers": len(reviewers),
        "k": k,
        "max_load": load,
        "assigned": len(solution.pairs),
        "affinity": round(solution.affinity, 4),
        "upper_bound": round(solution.upper_bound, 4) if solution.upper_bound is not None else None,
        "gap": round(solution.gap, 6) if solution.gap is not None else None,
        "greedy_affinity": round(greedy.affinity, 4),
        "seconds": round(solution.seconds, 3),
        "exclusions": len(exclusions),
        "pins": len(pinned),
        "forbids": review_round.constraints.filter(kind=ConstraintKind.FORBID).count(),
        "max_assigned": max(loads.values(), default=0),
        "short": {str(submissions[i].pk): n for i, n in solution.short.items()},
        "at": timezone.now().isoformat(),
    }
    review_round.report = report
    review_round.save(update_fields=["report", "updated_at"])
    if review_round.state == RoundState.SETUP:
        transition(review_round, expected=RoundState.SETUP, values={"state": RoundState.SCORING})
    Submission.objects.filter(pk__in=[s.pk for s in submissions], state=SubmissionState.ACCEPTED).update(
        state=SubmissionState.IN_REVIEW, updated_at=timezone.now()
    )
    if call.state in (CallState.OPEN, CallState.CLOSED):
        transition(call, expected=[CallState.OPEN, CallState.CLOSED], values={"state": CallState.REVIEW})
    record_event(
        review_round, "calls.round.assign", actor=by, after=report, organization_id=call.organiser_id
    )
    for reviewer in {reviewers[j] for _i, j in solution.pairs}:
        if reviewer.expert.user_id:
            notify(
                user=reviewer.expert.user,
                title=_("Dossiers to review: %(round)s") % {"round": str(review_round)},
            )
    return report


# ----------------------------------------------------------------------------------- scores, votes


def _open_assignment(assignment: Assignment, by) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("round", "reviewer__expert")
        .get(pk=assignment.pk)
    )
    _require(
        rules.is_reviewer_user(by, assignment.reviewer),
        _("Only the assigned reviewer may score this dossier."),
    )
    if not assignment.active or assignment.round.state != RoundState.SCORING:
        raise ValidationError(_("Scoring is closed for this dossier."))
    if assignment.reviewer.state not in (ReviewerState.INVITED, ReviewerState.ACCEPTED):
        raise ValidationError(_("You are no longer a reviewer of this round."))
    return assignment


@transaction.atomic
def score(assignment: Assignment, *, by, scores: dict, comment: str = "") -> Assignment:
    assignment = _open_assignment(assignment, by)
    review_round = assignment.round
    if review_round.kind != RoundKind.REMOTE:
        raise ValidationError(_("This is a panel round: cast a vote instead."))
    errors, clean, total = {}, {}, 0.0
    for criterion in review_round.rubric:
        key, label = criterion["key"], criterion["label"]
        raw = scores.get(key)
        try:
            value = float(str(raw).strip())
        except (TypeError, ValueError):
            errors[key] = _("“%(c)s”: enter a score.") % {"c": label}
            continue
        low, high = float(criterion.get("min", 0)), float(criterion["max"])
        if not low <= value <= high:
            errors[key] = _("“%(c)s”: the score must be between %(min)s and %(max)s.") % {
                "c": label,
                "min": f"{low:g}",
                "max": f"{high:g}",
            }
            continue
        clean[key] = value
        total += value * float(criterion.get("weight", 1))
    if (
        not errors
        and review_round.comment_below is not None
        and total < review_round.comment_below
        and not comment.strip()
    ):
        errors["comment"] = _("A total below %(n)s needs a comment explaining it.") % {
            "n": f"{review_round.comment_below:g}"
        }
    if errors:
        raise ValidationError(errors)
    before = {"scores": assignment.scores, "total": assignment.total}
    assignment.scores, assignment.total, assignment.comment = clean, round(total, 4), comment.strip()
    assignment.scored_at = timezone.now()
    assignment.save(update_fields=["scores", "total", "comment", "scored_at"])
    if assignment.reviewer.state == ReviewerState.INVITED:
        Reviewer.objects.filter(pk=assignment.reviewer_id).update(
            state=ReviewerState.ACCEPTED, responded_at=timezone.now()
        )
    record_event(
        assignment.submission,
        "calls.review.score",
        actor=by,
        before=before,
        after={"round": review_round.pk, "scores": clean, "total": assignment.total},
    )
    return assignment


@transaction.atomic
def vote(assignment: Assignment, *, by, vote: str, comment: str = "") -> Assignment:
    assignment = _open_assignment(assignment, by)
    if assignment.round.kind != RoundKind.PANEL:
        raise ValidationError(_("This round is scored, not voted."))
    if vote not in Vote.values:
        raise ValidationError({"vote": _("Choose in favour, against or abstain.")})
    assignment.vote, assignment.comment, assignment.scored_at = vote, comment.strip(), timezone.now()
    assignment.save(update_fields=["vote", "comment", "scored_at"])
    record_event(
        assignment.submission,
        "calls.review.vote",
        actor=by,
        after={"round": assignment.round_id, "vote": vote},
    )
    return assignment


@transaction.atomic
def close_round(review_round: ReviewRound, *, by) -> ReviewRound:
    _staff(review_round.call, by)
    aggregate(review_round, by=by)
    review_round = transition(review_round, expected=RoundState.SCORING, values={"state": RoundState.CLOSED})
    record_event(review_round, "calls.round.close", actor=by, organization_id=review_round.call.organiser_id)
    return review_round


@transaction.atomic
def aggregate(review_round: ReviewRound, *, by) -> list[RoundResult]:
    """Compute mean, trimmed mean, z-score normalised score (or panel votes), ranks and ties; the
    round's chosen method gives each dossier's score and its rank on the call."""
    review_round = _locked(ReviewRound, review_round.pk)
    _staff(review_round.call, by)
    done = review_round.assignments.filter(active=True, scored_at__isnull=False).select_related("reviewer")
    review_round.results.all().delete()
    results = []
    if review_round.kind == RoundKind.REMOTE:
        aggregates = agg.aggregate((a.submission_id, a.reviewer_id, a.total) for a in done)
        chosen = {
            Aggregation.MEAN: lambda a: a.mean,
            Aggregation.TRIMMED: lambda a: a.trimmed,
            Aggregation.ZSCORE: lambda a: a.normalised,
        }[review_round.aggregation]
        scores = {pk: chosen(a) for pk, a in aggregates.items()}
        ranks = agg.rank(scores)
        for pk, a in aggregates.items():
            position, tied = ranks.get(pk, (None, False))
            results.append(
                RoundResult(
                    round=review_round,
                    submission_id=pk,
                    n=a.n,
                    mean=a.mean,
                    trimmed=a.trimmed,
                    normalised=a.normalised,
                    score=scores[pk],
                    rank=position,
                    tied=tied,
                )
            )
    else:
        counts = defaultdict(lambda: [0, 0])
        for a in done:
            if a.vote == Vote.ABSTAIN:
                continue
            counts[a.submission_id][1] += 1
            if a.vote == Vote.YES:
                counts[a.submission_id][0] += 1
        share = {pk: (yes / total if total else 0.0) for pk, (yes, total) in counts.items()}
        ranks = agg.rank(share)
        for pk, (yes, total) in counts.items():
            position, tied = ranks.get(pk, (None, False))
            results.append(
                RoundResult(
                    round=review_round,
                    submission_id=pk,
                    n=total,
                    votes_yes=yes,
                    votes_total=total,
                    score=round(100 * share[pk], 2),
                    passed=agg.passes_vote(yes, total, review_round.pass_rule),
                    rank=position,
                    tied=tied,
                )
            )
    RoundResult.objects.bulk_create(results)
    last = review_round.call.rounds.order_by("-number").first()
    if last is not None and last.pk == review_round.pk:
        for r in results:
            Submission.objects.filter(pk=r.submission_id).update(final_score=r.score, rank=r.rank)
    record_event(
        review_round,
        "calls.round.aggregate",
        actor=by,
        organization_id=review_round.call.organiser_id,
        after={"method": review_round.aggregation, "results": len(results)},
    )
    return list(review_round.results.select_related("submission").order_by("rank", "pk"))


# ---------------------------------------------------------------------------- decisions, 公示, end


def _rule_text(rule: dict) -> str:
    if "top_n" in rule:
        return _("the top %(n)s of the final ranking") % {"n": rule["top_n"]}
    if "min_score" in rule:
        return _("a final score of at least %(n)s") % {"n": rule["min_score"]}
    if rule.get("panel_pass"):
        return _("the panel's pass rule of the last round")
    return ""


@transaction.atomic
def decide(  # noqa: PLR0912 - rule kinds and individual decisions
    call: Call, *, by, rule: dict | None = None, selections: dict | None = None, note: str = ""
) -> list[Submission]:
    """Record decisions with the rule applied. ``rule`` as data (``{"top_n": 10}``,
    ``{"min_score": 80}``, ``{"panel_pass": true}``) decides every dossier in review; ``selections``
    ({submission id: (decision, level)}) records individual decisions, ``note`` says why."""
    call = _locked(Call, call.pk)
    _staff(call, by)
    if call.state not in (CallState.REVIEW, CallState.CLOSED):
        raise ValidationError(_("Decisions are recorded after review and before publicity."))
    rule = rule if rule is not None else call.decision_rule
    candidates = list(
        call.submissions.filter(state__in=[SubmissionState.IN_REVIEW, SubmissionState.DECIDED]).order_by(
            "rank", "pk"
        )
    )
    if not candidates:
        raise ValidationError(_("No dossier is in review."))
    decided = {}
    text = _rule_text(rule or {})
    if selections:
        for pk, choice in selections.items():
            decision, level = choice if isinstance(choice, list | tuple) else (choice, "")
            if decision not in Decision.values:
                raise ValidationError({"decision": _("Unknown decision “%(d)s”.") % {"d": decision}})
            decided[int(pk)] = (decision, level, note.strip() or _("individual decision by the call staff"))
    elif rule:
        last = call.rounds.order_by("-number").first()
        if ("top_n" in rule or "min_score" in rule) and any(s.final_score is None for s in candidates):
            raise ValidationError(_("Some dossiers have no final score yet: aggregate the last round first."))
        for s in candidates:
            if "top_n" in rule:
                ok = s.rank is not None and s.rank <= int(rule["top_n"])
            elif "min_score" in rule:
                ok = s.final_score >= float(rule["min_score"])
            elif rule.get("panel_pass"):
                result = last.results.filter(submission=s).first() if last else None
                ok = bool(result and result.passed)
            else:
                raise ValidationError({"rule": _("Unknown decision rule.")})
            decided[s.pk] = (
                Decision.SELECTED if ok else Decision.NOT_SELECTED,
                rule.get("level", "") if ok else "",
                text,
            )
    else:
        raise ValidationError({"rule": _("Give a decision rule or individual decisions.")})
    by_pk = {s.pk: s for s in candidates}
    unknown = set(decided) - set(by_pk)
    if unknown:
        raise ValidationError(
            _("Some dossiers are not in review: %(ids)s") % {"ids": ", ".join(map(str, sorted(unknown)))}
        )
    out = []
    for pk, (decision, level, applied) in decided.items():
        s = transition(
            by_pk[pk],
            expected=[SubmissionState.IN_REVIEW, SubmissionState.DECIDED],
            values={
                "state": SubmissionState.DECIDED,
                "decision": decision,
                "decision_level": level,
                "decision_rule": str(applied)[:300],
                "decided_at": timezone.now(),
                "decided_by": by,
            },
        )
        record_event(
            s,
            "calls.submission.decide",
            actor=by,
            after={"decision": decision, "level": level, "rule": str(applied)},
        )
        kinds.run_decision_hook(s)
        out.append(s)
    return out


@transaction.atomic
def open_publicity(call: Call, *, by, start: dt.date | None = None) -> Call:
    """公示: the window of ``call.publicity_days`` working days (Chinese calendar with 调休)."""
    call = _locked(Call, call.pk)
    _staff(call, by)
    if call.submissions.filter(state=SubmissionState.IN_REVIEW).exists():
        raise ValidationError(_("Some dossiers in review have no decision yet."))
    if not call.submissions.filter(state=SubmissionState.DECIDED).exists():
        raise ValidationError(_("Record the decisions before publicity."))
    first, last, known = workdays.window(start or timezone.localdate(), call.publicity_days)
    note = "" if known else _("Computed without the holiday calendar for that year (weekends only).")
    call = transition(
        call,
        expected=[CallState.REVIEW, CallState.CLOSED],
        values={
            "state": CallState.PUBLICITY,
            "publicity_start": first,
            "publicity_end": last,
            "publicity_note": note,
        },
    )
    record_event(
        call,
        "calls.call.publicity",
        actor=by,
        organization_id=call.organiser_id,
        after={"from": first.isoformat(), "until": last.isoformat(), "working_days": call.publicity_days},
    )
    return call


def in_publicity(call: Call, day: dt.date | None = None) -> bool:
    day = day or timezone.localdate()
    return (
        call.state == CallState.PUBLICITY
        and call.publicity_start is not None
        and call.publicity_start <= day <= call.publicity_end
    )


@transaction.atomic
def object(submission: Submission, *, by, real_name: str, contact: str, body: str) -> Objection:  # noqa: A001 - the API's verb
    """A real-name objection (异议) during the publicity window."""
    _require(rules.can_object(by), _("Sign in to raise an objection under your real name."))
    if not in_publicity(submission.call):
        raise ValidationError(_("Objections are received only during the publicity window."))
    if submission.state != SubmissionState.DECIDED or submission.decision != Decision.SELECTED:
        raise ValidationError(_("Objections concern the dossiers shown in the publicity list."))
    errors = {}
    if len((real_name or "").strip()) < 2:
        errors["real_name"] = _("Give your real name: anonymous objections are not accepted.")
    if len((contact or "").strip()) < 5:
        errors["contact"] = _("Give a telephone number or address where we can reach you.")
    if len((body or "").strip()) < 10:
        errors["body"] = _("Describe the objection and the facts behind it (at least 10 characters).")
    if errors:
        raise ValidationError(errors)
    objection = Objection.objects.create(
        submission=submission,
        by=by,
        real_name=real_name.strip()[:60],
        contact=contact.strip()[:60],
        body=body.strip()[:5000],
    )
    record_event(submission, "calls.objection.receive", actor=by, after={"objection": objection.pk})
    for staff in submission.call.organiser.memberships.filter(
        is_active=True, role__in=rules.CALL_STAFF_ROLES
    ):
        notify(user=staff.user, title=_("An objection was raised: %(title)s") % {"title": submission.title})
    return objection


@transaction.atomic
def handle_objection(objection: Objection, *, by, outcome: str, handling: str, result: str) -> Objection:
    objection = _locked(Objection, objection.pk)
    _staff(objection.submission.call, by)
    if outcome not in (ObjectionState.UPHELD, ObjectionState.DISMISSED):
        raise ValidationError({"outcome": _("Choose upheld or dismissed.")})
    if len((handling or "").strip()) < 5:
        raise ValidationError({"handling": _("Record how the objection was looked into.")})
    if not (result or "").strip():
        raise ValidationError({"result": _("Record the outcome given to the person who objected.")})
    objection = transition(
        objection,
        expected=ObjectionState.RECEIVED,
        values={
            "state": outcome,
            "handling": handling.strip(),
            "outcome": result.strip(),
            "handled_by": by,
            "handled_at": timezone.now(),
        },
    )
    record_event(
        objection.submission,
        "calls.objection.handle",
        actor=by,
        after={"objection": objection.pk, "outcome": outcome},
    )
    notify(user=objection.by, title=_("Your objection has been handled"), body=result.strip())
    return objection


@transaction.atomic
def revise_decision(submission: Submission, *, by, decision: str, reason: str) -> Submission:
    """After an upheld objection, staff change a decision during publicity (the reason is kept)."""
    submission = _locked(Submission, submission.pk)
    _staff(submission.call, by)
    if submission.state != SubmissionState.DECIDED:
        raise ValidationError(_("Only decided dossiers can be revised."))
    if decision not in Decision.values or not (reason or "").strip():
        raise ValidationError({"reason": _("Give the new decision and the reason.")})
    before = {"decision": submission.decision}
    submission = transition(
        submission,
        expected=SubmissionState.DECIDED,
        values={
            "decision": decision,
            "decision_rule": reason.strip()[:300],
            "decided_by": by,
            "decided_at": timezone.now(),
        },
    )
    record_event(
        submission,
        "calls.submission.revise",
        actor=by,
        before=before,
        after={"decision": decision},
        detail=reason,
    )
    kinds.run_decision_hook(submission)
    return submission


@transaction.atomic
def finalise(call: Call, *, by, today: dt.date | None = None) -> Call:
    """Publish the results: the publicity window is over and every objection handled. Review rounds
    still open are closed (as they stand: no new aggregation)."""
    call = _locked(Call, call.pk)
    _staff(call, by)
    today = today or timezone.localdate()
    if call.state != CallState.PUBLICITY:
        raise ValidationError(_("The results can be published only after publicity."))
    if call.publicity_end and today <= call.publicity_end:
        raise ValidationError(
            _("The publicity window runs until %(day)s.") % {"day": call.publicity_end.isoformat()}
        )
    open_objections = Objection.objects.filter(submission__call=call, state=ObjectionState.RECEIVED).count()
    if open_objections:
        raise ValidationError(_("%(n)s objection(s) still wait for handling.") % {"n": open_objections})
    # Publishing ends the review: rounds still open are closed here, without aggregating again, so
    # that no score changes after publication and the ranking shown in 公示 is the one published.
    open_rounds = list(call.rounds.exclude(state=RoundState.CLOSED).select_for_update())
    for review_round in open_rounds:
        closed = transition(review_round, expected=review_round.state, values={"state": RoundState.CLOSED})
        record_event(
            closed,
            "calls.round.close",
            actor=by,
            organization_id=call.organiser_id,
            detail="closed when the results were published",
        )
    for decided in call.submissions.filter(state=SubmissionState.DECIDED):
        kinds.run_decision_hook(
            transition(decided, expected=SubmissionState.DECIDED, values={"state": SubmissionState.FINAL})
        )
    call = transition(call, expected=CallState.PUBLICITY, values={"state": CallState.FINAL})
    record_event(
        call,
        "calls.call.finalise",
        actor=by,
        organization_id=call.organiser_id,
        after={"selected": call.submissions.filter(decision=Decision.SELECTED).count()},
    )
    for s in call.submissions.filter(state=SubmissionState.FINAL).select_related("applicant"):
        notify(user=s.applicant, title=_("Results published: %(call)s") % {"call": call.title})
    return call


def channel_usage(call: Call) -> list[tuple[Channel, int]]:
    channels = call.channels.select_related("organization").annotate(
        used=Count("submissions", filter=Q(submissions__state__in=QUOTA_STATES))
    )
    return [(c, c.used) for c in channels]
