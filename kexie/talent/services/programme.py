"""The 青年科技人才托举工程: cohorts, supported people with their mentors, instalments, annual
progress reports and the mid-term evaluation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.reference import districts
from kexie.core.services import record_event, snapshot
from kexie.core.transitions import transition
from kexie.experts.enums import Sex
from kexie.experts.models import Expert
from kexie.talent.enums import (
    CohortState,
    EvaluationResult,
    InstalmentState,
    ReportState,
    SupportState,
)
from kexie.talent.models import (
    Cohort,
    Instalment,
    Mentor,
    MidtermEvaluation,
    ProgressReport,
    SupportedPerson,
)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def create_cohort(
    *,
    name: str,
    year: int,
    starts_on: date,
    by,
    support_years: int = 3,
    annual_amount: Decimal | int = 0,
    call_id: int | None = None,
) -> Cohort:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("The name is required.")
    if Cohort.objects.filter(year=year).exists():
        errors["year"] = _("There is already a cohort of %(year)s.") % {"year": year}
    if not 1 <= support_years <= 10:
        errors["support_years"] = _("The support period is 1 to 10 years.")
    if Decimal(str(annual_amount)) < 0:
        errors["annual_amount"] = _("The amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    cohort = Cohort.objects.create(
        name=name.strip(),
        year=year,
        starts_on=starts_on,
        support_years=support_years,
        annual_amount=Decimal(str(annual_amount)),
        call_id=call_id,
        created_by=by,
        updated_by=by,
    )
    record_event(
        cohort, "talent.cohort.create", actor=by, after=snapshot(cohort, ["name", "year", "support_years"])
    )
    return cohort


@transaction.atomic
def add_supported_person(  # noqa: PLR0912 - one check per field, all reported at once
    *,
    cohort: Cohort,
    by,
    name: str,
    sex: str,
    birth_date: date,
    organization_name: str,
    project_title: str,
    mentors: list[dict],
    expert: Expert | None = None,
    district: str = "",
    discipline: str = "",
    submission_id: int | None = None,
) -> SupportedPerson:
    """A selected young scientist: the support period from the cohort's start, one instalment and
    one progress report per support year, the mentors named (at least one)."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    errors = {}
    if cohort.state == CohortState.FINISHED:
        raise ValidationError(_("This cohort is finished."))
    if not (name or "").strip():
        errors["name"] = _("The name is required.")
    if sex not in Sex.values:
        errors["sex"] = _("Choose the sex.")
    if birth_date is None:
        errors["birth_date"] = _("The date of birth is required.")
    if not (organization_name or "").strip():
        errors["organization_name"] = _("The organization is required.")
    if not (project_title or "").strip():
        errors["project_title"] = _("The supported project is required.")
    if district and district not in districts():
        errors["district"] = _("Unknown district code %(code)s.") % {"code": district}
    named = [m for m in mentors if (m.get("name") or (m.get("expert") and m["expert"].name))]
    if not named:
        errors["mentors"] = _("Name at least one mentor.")
    if expert is not None and cohort.people.filter(expert=expert).exists():
        errors["expert"] = _("This expert is already in the cohort.")
    if errors:
        raise ValidationError(errors)
    ends_on = _years_later(cohort.starts_on, cohort.support_years)
    person = SupportedPerson.objects.create(
        cohort=cohort,
        expert=expert,
        name=name.strip(),
        sex=sex,
        birth_date=birth_date,
        organization_name=organization_name.strip(),
        project_title=project_title.strip(),
        district=district,
        discipline=discipline,
        starts_on=cohort.starts_on,
        ends_on=ends_on,
        submission_id=submission_id,
        created_by=by,
        updated_by=by,
    )
    for m in named:
        mentor_expert = m.get("expert")
        Mentor.objects.create(
            person=person,
            expert=mentor_expert,
            name=(m.get("name") or mentor_expert.name).strip(),
            organization_name=(
                m.get("organization_name") or getattr(mentor_expert, "organization_name", "")
            ).strip(),
        )
    for year in range(1, cohort.support_years + 1):
        Instalment.objects.create(
            person=person,
            number=year,
            due_on=_years_later(cohort.starts_on, year - 1),
            amount=cohort.annual_amount,
        )
        ProgressReport.objects.create(
            person=person, support_year=year, due_on=_years_later(cohort.starts_on, year)
        )
    if cohort.state == CohortState.SELECTING:
        transition(cohort, expected=CohortState.SELECTING, values={"state": CohortState.SUPPORTING})
    record_event(
        person,
        "talent.person.add",
        actor=by,
        after={
            "cohort": cohort.pk,
            "expert": getattr(expert, "pk", None),
            "mentors": [m.name for m in person.mentors.all()],
        },
    )
    return person


@transaction.atomic
def pay_instalment(*, instalment: Instalment, by, paid_on: date | None = None) -> Instalment:
    if instalment.person.state != SupportState.ACTIVE:
        raise ValidationError(_("Support of this person has ended; the instalment cannot be paid."))
    transition(
        instalment,
        expected=InstalmentState.PLANNED,
        values={"state": InstalmentState.PAID, "paid_on": paid_on or timezone.localdate()},
        message=_("This instalment is not waiting for payment."),
    )
    record_event(instalment, "talent.instalment.pay", actor=by, after={"paid_on": instalment.paid_on})
    return instalment


@transaction.atomic
def submit_report(
    *, report: ProgressReport, by, progress: str, outputs: str = "", now=None
) -> ProgressReport:
    """The supported person files the year's report. Whether it was on time is fixed at the first
    submission; a returned report is revised without changing that."""
    now = now or timezone.now()
    if not (progress or "").strip():
        raise ValidationError({"progress": _("Describe the progress of the year.")})
    if report.person.state != SupportState.ACTIVE:
        raise ValidationError(_("Support of this person has ended."))
    values = {
        "state": ReportState.SUBMITTED,
        "progress": progress.strip(),
        "outputs": (outputs or "").strip(),
        "submitted_at": now,
    }
    if report.on_time is None:
        values["on_time"] = timezone.localdate(now) <= report.due_on
    transition(
        report,
        expected=(ReportState.DUE, ReportState.RETURNED),
        values=values,
        message=_("This report is already submitted."),
    )
    record_event(report, "talent.report.submit", actor=by, after={"on_time": report.on_time})
    return report


@transaction.atomic
def review_report(*, report: ProgressReport, by, accept: bool, comment: str = "") -> ProgressReport:
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Say what to revise when returning a report.")})
    state = ReportState.ACCEPTED if accept else ReportState.RETURNED
    transition(
        report,
        expected=ReportState.SUBMITTED,
        values={"state": state, "reviewed_by": by, "review_comment": comment},
        message=_("Only a submitted report can be reviewed."),
    )
    record_event(report, "talent.report.review", actor=by, after={"state": state})
    return report


@transaction.atomic
def record_evaluation(
    *,
    person: SupportedPerson,
    result: str,
    by,
    score: Decimal | None = None,
    comment: str = "",
    decided_on: date | None = None,
    review_round_id: int | None = None,
) -> MidtermEvaluation:
    """The mid-term evaluation. A failed one ends the support: the instalments not yet paid are
    withheld."""
    person = SupportedPerson.objects.select_for_update().get(pk=person.pk)
    if result not in EvaluationResult.values:
        raise ValidationError({"result": _("Choose a result.")})
    if score is not None and not Decimal(0) <= Decimal(str(score)) <= Decimal(100):
        raise ValidationError({"score": _("The score is between 0 and 100.")})
    if MidtermEvaluation.objects.filter(person=person).exists():
        raise ValidationError(_("The mid-term evaluation of this person is already recorded."))
    if person.state != SupportState.ACTIVE:
        raise ValidationError(_("Support of this person has ended."))
    evaluation = MidtermEvaluation.objects.create(
        person=person,
        result=result,
        score=score,
        comment=(comment or "").strip(),
        decided_on=decided_on or timezone.localdate(),
        decided_by=by,
        review_round_id=review_round_id,
    )
    if result == EvaluationResult.FAIL:
        transition(person, expected=SupportState.ACTIVE, values={"state": SupportState.TERMINATED})
        person.instalments.filter(state=InstalmentState.PLANNED).update(
            state=InstalmentState.WITHHELD, note=_("withheld after a failed mid-term evaluation")
        )
    record_event(
        evaluation,
        "talent.evaluation.record",
        actor=by,
        after={"person": person.pk, "result": result, "score": score},
    )
    return evaluation
