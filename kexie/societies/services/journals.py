"""The journal registry (CN/ISSN checked, duplicates refused), impact by year, and the journal
directory (目录发布): graded entries by discipline, published."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.accounts.models import User
from kexie.core.services import record_event, snapshot
from kexie.core.transitions import transition
from kexie.societies import rules
from kexie.societies.enums import DirectoryState, SearchKind
from kexie.societies.models import Directory, DirectoryEntry, Journal, JournalImpact
from kexie.societies.services.common import reindex, require
from kexie.societies.validators import normalize_cn, normalize_issn

JOURNAL_FIELDS = (
    "title",
    "title_en",
    "cn",
    "issn",
    "publisher",
    "society",
    "discipline",
    "frequency",
    "founded_year",
    "description",
)


def _check_journal(values: dict, *, journal: Journal | None = None) -> dict:  # noqa: PLR0912 - one branch per field, all errors at once
    """Normalise CN and ISSN and refuse duplicates, every problem at once."""
    errors: dict[str, list] = {}
    others = Journal.objects.exclude(pk=journal.pk) if journal else Journal.objects.all()
    if "title" in values:
        values["title"] = (values.get("title") or "").strip()
        if not values["title"]:
            errors["title"] = [_("The journal needs a title.")]
    if "cn" in values:
        try:
            values["cn"] = normalize_cn(values["cn"])
        except ValidationError as exc:
            errors["cn"] = exc.messages
        else:
            clash = others.filter(cn=values["cn"]).first()
            if clash:
                errors["cn"] = [
                    _("CN %(cn)s is already registered for 《%(title)s》.")
                    % {"cn": values["cn"], "title": clash.title}
                ]
    if values.get("issn"):
        try:
            values["issn"] = normalize_issn(values["issn"])
        except ValidationError as exc:
            errors["issn"] = exc.messages
        else:
            clash = others.filter(issn=values["issn"]).first()
            if clash:
                errors["issn"] = [
                    _("ISSN %(issn)s is already registered for 《%(title)s》.")
                    % {"issn": values["issn"], "title": clash.title}
                ]
    elif "issn" in values:
        values["issn"] = None
    if "publisher" in values and not (values.get("publisher") or "").strip():
        errors["publisher"] = [_("The publisher is required.")]
    if "discipline" in values and not (values.get("discipline") or "").strip():
        errors["discipline"] = [_("The discipline is required.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def register_journal(*, by: User, indexing=(), **values) -> Journal:
    require(rules.can_manage_journals(by))
    unknown = set(values) - set(JOURNAL_FIELDS)
    if unknown:
        raise ValueError(f"unknown journal fields {sorted(unknown)}")
    values = _check_journal(values)
    try:
        with transaction.atomic():
            journal = Journal.objects.create(created_by=by, updated_by=by, **values)
    except IntegrityError:  # a concurrent registration of the same CN/ISSN
        raise ValidationError({"cn": _("This CN or ISSN was registered in the meantime.")}) from None
    journal.indexing.set(indexing)
    record_event(
        journal,
        "societies.journal.register",
        actor=by,
        after=snapshot(journal, ["title", "cn", "issn", "publisher"]),
    )
    reindex(SearchKind.JOURNAL, journal.pk)
    return journal


@transaction.atomic
def update_journal(*, journal: Journal, by: User, indexing=None, **values) -> Journal:
    require(rules.can_edit_journal(by, journal))
    unknown = set(values) - set(JOURNAL_FIELDS)
    if unknown:
        raise ValueError(f"unknown journal fields {sorted(unknown)}")
    values = _check_journal(values, journal=journal)
    journal = Journal.objects.select_for_update().get(pk=journal.pk)
    before = snapshot(journal, sorted(values))
    for field, value in values.items():
        setattr(journal, field, value)
    journal.updated_by = by
    journal.save(update_fields=[*values, "updated_by", "updated_at"])
    if indexing is not None:
        journal.indexing.set(indexing)
    record_event(
        journal, "societies.journal.update", actor=by, before=before, after=snapshot(journal, sorted(values))
    )
    reindex(SearchKind.JOURNAL, journal.pk)
    return journal


@transaction.atomic
def record_impact(
    *, journal: Journal, year: int, impact_factor: Decimal, citations: int = 0, by: User
) -> JournalImpact:
    require(rules.can_edit_journal(by, journal))
    if impact_factor is None or impact_factor < 0:
        raise ValidationError({"impact_factor": _("The impact factor cannot be negative.")})
    if not 1950 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Enter a past year.")})
    impact, _created = JournalImpact.objects.update_or_create(
        journal=journal, year=year, defaults={"impact_factor": impact_factor, "citations": citations}
    )
    record_event(
        journal, "societies.journal.impact", actor=by, after={"year": year, "impact_factor": impact_factor}
    )
    return impact


# --- the directory ------------------------------------------------------------------------------------


def parse_tiers(text) -> list[str]:
    parts = (
        text
        if isinstance(text, list | tuple)
        else str(text or "").replace("，", ",").replace("、", ",").split(",")
    )
    tiers = [p.strip() for p in parts if str(p).strip()]
    if not tiers:
        raise ValidationError({"tiers": _("Name at least one tier, e.g. T1、T2、T3.")})
    if len(set(tiers)) != len(tiers):
        raise ValidationError({"tiers": _("Each tier is named once.")})
    return tiers


@transaction.atomic
def create_directory(*, by: User, title: str, year: int, tiers, note: str = "") -> Directory:
    require(rules.can_manage_directory(by))
    if not (title or "").strip():
        raise ValidationError({"title": _("The directory needs a title.")})
    directory = Directory.objects.create(
        title=title.strip(), year=year, tiers=parse_tiers(tiers), note=note, created_by=by, updated_by=by
    )
    record_event(
        directory,
        "societies.directory.create",
        actor=by,
        after=snapshot(directory, ["title", "year", "tiers"]),
    )
    return directory


@transaction.atomic
def add_directory_entry(
    *, directory: Directory, journal: Journal, tier: str, by: User, discipline: str = ""
) -> DirectoryEntry:
    require(rules.can_manage_directory(by))
    directory = Directory.objects.select_for_update().get(pk=directory.pk)
    if directory.state != DirectoryState.DRAFT:
        raise ValidationError(_("A published directory cannot change; compose a new edition."))
    if tier not in directory.tiers:
        raise ValidationError(
            {
                "tier": _("Choose one of this directory's tiers: %(tiers)s.")
                % {"tiers": "、".join(directory.tiers)}
            }
        )
    if directory.entries.filter(journal=journal).exists():
        raise ValidationError(
            {"journal": _("《%(title)s》 is already in the directory.") % {"title": journal.title}}
        )
    entry = DirectoryEntry.objects.create(
        directory=directory,
        journal=journal,
        tier=tier,
        tier_rank=directory.tiers.index(tier),
        discipline=(discipline or journal.discipline).strip(),
    )
    record_event(directory, "societies.directory.add", actor=by, after={"journal": journal.pk, "tier": tier})
    return entry


@transaction.atomic
def remove_directory_entry(*, entry: DirectoryEntry, by: User) -> None:
    require(rules.can_manage_directory(by))
    if entry.directory.state != DirectoryState.DRAFT:
        raise ValidationError(_("A published directory cannot change; compose a new edition."))
    record_event(entry.directory, "societies.directory.remove", actor=by, after={"journal": entry.journal_id})
    entry.delete()


@transaction.atomic
def publish_directory(*, directory: Directory, by: User) -> Directory:
    require(rules.can_manage_directory(by))
    if not directory.entries.exists():
        raise ValidationError(_("An empty directory cannot be published."))
    transition(
        directory,
        expected=(DirectoryState.DRAFT,),
        values={"state": DirectoryState.PUBLISHED, "published_at": timezone.now(), "updated_by": by},
        message=_("The directory is already published."),
    )
    record_event(
        directory, "societies.directory.publish", actor=by, after={"entries": directory.entries.count()}
    )
    return directory
