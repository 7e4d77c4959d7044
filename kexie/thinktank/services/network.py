"""The think-tank network (measure 13): research bases, their members and yearly output."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.services import record_event, snapshot
from kexie.thinktank import rules
from kexie.thinktank.enums import BaseKind, Field
from kexie.thinktank.models import BaseOutput, ResearchBase
from kexie.thinktank.services.common import require

BASE_FIELDS = ["name", "kind", "district", "areas", "agreement", "agreement_until"]


@transaction.atomic
def save_base(
    *,
    by,
    name: str,
    kind: str,
    base: ResearchBase | None = None,
    organization=None,
    district: str = "",
    areas: list[str] = (),
    description: str = "",
    agreement: str = "",
    agreement_until: date | None = None,
    members=(),
) -> ResearchBase:
    """Create a research base, or update ``base``."""
    require(rules.can_manage(by))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the research base a name.")})
    if kind not in BaseKind.values:
        raise ValidationError({"kind": _("Choose a kind of research base.")})
    unknown = [a for a in areas if a not in Field.values]
    if unknown:
        raise ValidationError({"areas": _("Unknown field: %(f)s.") % {"f": "、".join(unknown)}})
    duplicate = ResearchBase.objects.filter(name=name)
    if base is not None:
        duplicate = duplicate.exclude(pk=base.pk)
    if duplicate.exists():
        raise ValidationError({"name": _("A research base of this name is already registered.")})
    before = snapshot(base, BASE_FIELDS) if base is not None else None
    base = base or ResearchBase(created_by=by)
    base.name, base.kind, base.organization, base.district = name, kind, organization, district
    base.areas, base.description = list(areas), description
    base.agreement, base.agreement_until, base.updated_by = agreement, agreement_until, by
    base.save()
    base.members.set(list(members))
    record_event(base, "thinktank.base.save", actor=by, before=before, after=snapshot(base, BASE_FIELDS))
    return base


@transaction.atomic
def record_output(
    *, base: ResearchBase, by, year: int, reports: int = 0, briefs: int = 0, projects: int = 0, note: str = ""
) -> BaseOutput:
    """A base's output of one year (recording the year again replaces it)."""
    require(rules.can_manage(by))
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("Give a year between 2000 and next year.")})
    if min(reports, briefs, projects) < 0:
        raise ValidationError(_("Counts cannot be negative."))
    output, _created = BaseOutput.objects.update_or_create(
        base=base,
        year=year,
        defaults={"reports": reports, "briefs": briefs, "projects": projects, "note": note},
    )
    record_event(
        base,
        "thinktank.base.output",
        actor=by,
        after={"year": year, "reports": reports, "briefs": briefs, "projects": projects},
    )
    return output
