"""年会 / 研讨会 with their viewpoints, and the yearly survey of science and technology workers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.core.services import record_event
from kexie.thinktank import rules
from kexie.thinktank.enums import EventKind
from kexie.thinktank.models import Event, HeadlineFigure, Viewpoint, WorkerSurvey
from kexie.thinktank.services.common import require


@transaction.atomic
def create_event(*, by, kind: str, title: str, held_on: date, place: str = "", theme: str = "") -> Event:
    require(rules.can_disseminate(by))
    errors = {}
    if kind not in EventKind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    if not title.strip():
        errors["title"] = _("Give the meeting a title.")
    if errors:
        raise ValidationError(errors)
    event = Event.objects.create(
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        theme=theme,
        created_by=by,
        updated_by=by,
    )
    record_event(event, "thinktank.event.create", actor=by, after={"title": event.title, "held_on": held_on})
    return event


@transaction.atomic
def add_viewpoint(
    *, event: Event, by, speaker: str, title: str, text: str, affiliation: str = "", expert=None
) -> Viewpoint:
    require(rules.can_disseminate(by))
    errors = {}
    if not speaker.strip():
        errors["speaker"] = _("Name the speaker.")
    if not title.strip():
        errors["title"] = _("Sum the viewpoint up in a title.")
    if len(text.strip()) < 20:
        errors["text"] = _("Write the viewpoint in at least 20 characters.")
    if errors:
        raise ValidationError(errors)
    viewpoint = Viewpoint.objects.create(
        event=event,
        speaker=speaker.strip(),
        affiliation=affiliation.strip(),
        expert=expert,
        title=title.strip(),
        text=text.strip(),
        position=event.viewpoints.count() + 1,
    )
    record_event(event, "thinktank.event.viewpoint", actor=by, after={"speaker": viewpoint.speaker})
    return viewpoint


@transaction.atomic
def link_worker_survey(*, by, year: int, survey=None, summary: str = "") -> WorkerSurvey:
    """The year's 科技工作者状况调查: the questionnaire run in the surveys app."""
    require(rules.can_manage(by))
    worker_survey, _created = WorkerSurvey.objects.update_or_create(
        year=year, defaults={"survey": survey, "summary": summary, "updated_by": by}
    )
    if _created:
        WorkerSurvey.objects.filter(pk=worker_survey.pk).update(created_by=by)
    record_event(
        worker_survey,
        "thinktank.survey.link",
        actor=by,
        after={"year": year, "survey": survey.pk if survey else None},
    )
    return worker_survey


@transaction.atomic
def set_headline_figures(
    *, worker_survey: WorkerSurvey, by, figures: list[tuple[str, Decimal, str]]
) -> list[HeadlineFigure]:
    """Replace the survey's headline figures (label, value, unit)."""
    require(rules.can_manage(by))
    for index, (label, _value, _unit) in enumerate(figures, start=1):
        if not label.strip():
            raise ValidationError(_("Row %(n)s: the figure needs a label.") % {"n": index})
    worker_survey.figures.all().delete()
    rows = HeadlineFigure.objects.bulk_create(
        HeadlineFigure(worker_survey=worker_survey, label=label.strip(), value=value, unit=unit, position=i)
        for i, (label, value, unit) in enumerate(figures, start=1)
    )
    record_event(
        worker_survey,
        "thinktank.survey.figures",
        actor=by,
        after={label: str(value) for label, value, _unit in figures},
    )
    return rows
