"""Every write of the expert library: keyword-only verbs, one transaction, one audit event each.
After a commit the search index is brought in line through the job queue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.crypto import blind_index
from kexie.core.services import audit_batch, record_event, snapshot
from kexie.core.validators import is_valid_email, is_valid_id_number, is_valid_mobile
from kexie.experts import references as expert_references
from kexie.experts import rules
from kexie.experts.conflicts import Conflict, ReviewItem, conflicts, must_recuse
from kexie.experts.duplicates import references, references_by_relation
from kexie.experts.enums import SearchKind, VerificationState
from kexie.experts.models import Affiliation, Discipline, DistinctPair, Expert, Mentorship, Work
from kexie.search.tasks import update_search_index

__all__ = [
    "Conflict",
    "ReviewItem",
    "add_affiliation",
    "add_mentorship",
    "add_work",
    "conflicts",
    "create_expert",
    "create_experts",
    "delete_expert",
    "mark_distinct",
    "merge_experts",
    "must_recuse",
    "reject_expert",
    "remove_affiliation",
    "remove_mentorship",
    "remove_work",
    "update_expert",
    "verify_expert",
]

# Fields a profile form may set; contact fields are validated here as well as in forms.
PROFILE_FIELDS = [
    "name",
    "sex",
    "birth_year",
    "organization",
    "organization_name",
    "organization_kind",
    "title",
    "honours",
    "keywords",
    "research_areas",
    "biography",
    "district",
    "overseas",
    "availability",
    "channel",
    "mobile",
    "id_number",
    "email",
]
# What the audit trail keeps of a profile: personal data only as "changed", never the values.
AUDITED_FIELDS = [f for f in PROFILE_FIELDS if f not in {"mobile", "id_number", "email"}] + ["state"]


def reindex_later(ids: Iterable[int]) -> None:
    wanted = [str(i) for i in ids]
    transaction.on_commit(lambda: update_search_index(SearchKind.EXPERT, wanted))


def _check_contact(expert: Expert, *, in_database: bool = True) -> None:
    errors: dict[str, str] = {}
    if expert.mobile and not is_valid_mobile(expert.mobile):
        errors["mobile"] = _("The mobile number is not a valid mainland mobile number.")
    if expert.id_number and not is_valid_id_number(expert.id_number):
        errors["id_number"] = _("The ID number is not a valid citizen ID number (check digit).")
    if expert.email and not is_valid_email(expert.email):
        errors["email"] = _("The e-mail address is not valid.")
    if expert.id_number and in_database:
        same = Expert.objects.filter(id_number_index=blind_index(expert.id_number)).exclude(pk=expert.pk)
        if same.exists():
            errors["id_number"] = _("An expert with this ID number is already in the library.")
    if errors:
        raise ValidationError(errors)


def _apply(expert: Expert, data: dict[str, Any]) -> list[str]:
    changed = []
    for name, given in data.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"{name!r} is not a profile field")
        value = given
        if name == "mobile":
            value = (given or "").strip()
        elif name == "id_number":
            value = (given or "").strip().upper()
        if getattr(expert, name) != value:
            setattr(expert, name, value)
            changed.append(name)
    if expert.organization_id and not expert.organization_name:
        expert.organization_name = expert.organization.name
        expert.organization_kind = expert.organization_kind or expert.organization.kind
    expert.id_number_index = blind_index(expert.id_number)
    return changed


def _disciplines(codes: Sequence[str] | None) -> list[Discipline] | None:
    if codes is None:
        return None
    wanted = [str(c).strip().upper() for c in codes if str(c).strip()]
    found = list(Discipline.objects.filter(code__in=wanted))
    missing = sorted(set(wanted) - {d.code for d in found})
    if missing:
        raise ValidationError(
            {"disciplines": _("Unknown discipline codes: %(codes)s.") % {"codes": "、".join(missing)}}
        )
    return found


@transaction.atomic
def create_expert(
    *,
    by,
    disciplines: Sequence[str] = (),
    user=None,
    state: str = VerificationState.UNVERIFIED,
    **data: Any,
) -> Expert:
    """A new profile. Staff create verified or unverified ones; an expert's own starts unverified."""
    expert = _create(by=by, disciplines=disciplines, user=user, state=state, data=data)
    reindex_later([expert.pk])
    return expert


@transaction.atomic
def create_experts(*, by, rows: Sequence[tuple[dict[str, Any], Sequence[str]]]) -> list[Expert]:
    """Several verified profiles in one transaction (an import): (fields, discipline codes) per row.
    The same checks as one by one, but the rows are written in bulk, their audit events chained as
    one batch and indexed by one job: 5,000 rows in a few seconds."""
    chosen_by_code = {d.code: d for d in _disciplines([c for _data, codes in rows for c in codes]) or []}
    now = timezone.now()
    experts: list[Expert] = []
    chosen: list[list[Discipline]] = []
    for data, codes in rows:
        expert = Expert(user=None, state=VerificationState.VERIFIED, verified_at=now, verified_by=by)
        _apply(expert, data)
        if not expert.name.strip():
            raise ValidationError({"name": _("The name is required.")})
        _check_contact(expert, in_database=False)
        experts.append(expert)
        chosen.append([chosen_by_code[str(c).strip().upper()] for c in codes if str(c).strip()])
    indexes = [e.id_number_index for e in experts if e.id_number_index]
    if len(set(indexes)) != len(indexes) or Expert.objects.filter(id_number_index__in=indexes).exists():
        raise ValidationError({"id_number": _("An expert with this ID number is already in the library.")})
    Expert.objects.bulk_create(experts, batch_size=500)
    through = Expert.disciplines.through
    through.objects.bulk_create(
        [
            through(expert_id=e.pk, discipline_id=d.pk)
            for e, ds in zip(experts, chosen, strict=True)
            for d in ds
        ],
        batch_size=1000,
    )
    with audit_batch():
        for expert, ds in zip(experts, chosen, strict=True):
            record_event(
                expert,
                "experts.expert.create",
                actor=by,
                after={**snapshot(expert, AUDITED_FIELDS), "disciplines": [d.code for d in ds]},
            )
    reindex_later([expert.pk for expert in experts])
    return experts


def _create(*, by, disciplines: Sequence[str], user, state: str, data: dict[str, Any]) -> Expert:
    if user is not None and Expert.objects.filter(user=user).exists():
        raise ValidationError(_("This account already has an expert profile."))
    chosen = _disciplines(disciplines)
    expert = Expert(user=user, state=state)
    _apply(expert, data)
    if not expert.name.strip():
        raise ValidationError({"name": _("The name is required.")})
    _check_contact(expert)
    if state == VerificationState.VERIFIED:
        expert.verified_at, expert.verified_by = timezone.now(), by
    expert.save()
    expert.disciplines.set(chosen)
    record_event(
        expert,
        "experts.expert.create",
        actor=by,
        after={**snapshot(expert, AUDITED_FIELDS), "disciplines": [d.code for d in chosen]},
    )
    return expert


@transaction.atomic
def update_expert(*, expert: Expert, by, disciplines: Sequence[str] | None = None, **data: Any) -> Expert:
    """Edit a profile. A verified profile stays verified (the change is audited); a rejected one that
    its expert edits goes back to the queue."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    before = snapshot(expert, AUDITED_FIELDS)
    before_codes = sorted(expert.disciplines.values_list("code", flat=True))
    chosen = _disciplines(disciplines)
    changed = _apply(expert, data)
    if not expert.name.strip():
        raise ValidationError({"name": _("The name is required.")})
    _check_contact(expert)
    codes = sorted(d.code for d in chosen) if chosen is not None else before_codes
    if not changed and codes == before_codes:
        return expert
    own = expert.user_id is not None and getattr(by, "pk", None) == expert.user_id
    if own and expert.state == VerificationState.REJECTED:
        expert.state, expert.rejection_reason = VerificationState.UNVERIFIED, ""
        changed += ["state", "rejection_reason"]
    expert.save()
    if chosen is not None:
        expert.disciplines.set(chosen)
    after = snapshot(expert, AUDITED_FIELDS)
    for secret in ("mobile", "id_number", "email"):
        if secret in changed:
            after[secret] = "changed"
    record_event(
        expert,
        "experts.expert.update",
        actor=by,
        before={**before, "disciplines": before_codes},
        after={**after, "disciplines": codes},
        detail=_("edited by the expert") if own else "",
    )
    reindex_later([expert.pk])
    return expert


@transaction.atomic
def verify_expert(*, expert: Expert, by) -> Expert:
    updated = Expert.objects.filter(pk=expert.pk).exclude(state=VerificationState.VERIFIED)
    now = timezone.now()
    if not updated.update(
        state=VerificationState.VERIFIED, verified_at=now, verified_by=by, rejection_reason=""
    ):
        raise ValidationError(_("This profile is already verified."))
    expert.refresh_from_db()
    record_event(expert, "experts.expert.verify", actor=by, after={"state": expert.state})
    reindex_later([expert.pk])
    return expert


@transaction.atomic
def reject_expert(*, expert: Expert, by, reason: str) -> Expert:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the rejection.")})
    updated = Expert.objects.filter(pk=expert.pk, state=VerificationState.UNVERIFIED)
    if not updated.update(state=VerificationState.REJECTED, rejection_reason=reason, verified_at=None):
        raise ValidationError(_("Only a profile awaiting verification can be rejected."))
    expert.refresh_from_db()
    record_event(expert, "experts.expert.reject", actor=by, after={"state": expert.state, "reason": reason})
    reindex_later([expert.pk])
    return expert


@transaction.atomic
def delete_expert(*, expert: Expert, by) -> None:
    """Refused — nothing changed — while records of other modules name the expert by id (a
    docking's match, a team member: expert references) or point at them with a protecting foreign
    key (a review assignment): those would dangle or block. Other foreign keys let go (a nomination
    keeps its text without the link)."""
    named = expert_references.held_by(expert.pk)
    protected = [
        (str(relation.related_model._meta.verbose_name_plural), count)
        for relation, count in references_by_relation(expert)
        if relation.on_delete is models.PROTECT
    ]
    held = [(str(kind.label), count) for kind, count in named] + protected
    if held:
        raise ValidationError(
            _(
                "%(name)s is still named in %(records)s; remove them there first, "
                "or merge the profile into another."
            )
            % {"name": expert.name, "records": "、".join(f"{what} {count}" for what, count in held)}
        )
    pk = expert.pk
    record_event(expert, "experts.expert.delete", actor=by, before=snapshot(expert, AUDITED_FIELDS))
    expert.delete()
    reindex_later([pk])


@transaction.atomic
def add_work(
    *, expert: Expert, by, kind: str, title: str, year: int | None = None, role: str = "", coauthors=()
) -> Work:
    if not (title or "").strip():
        raise ValidationError({"title": _("The title is required.")})
    work = Work.objects.create(
        expert=expert,
        kind=kind,
        title=title.strip(),
        year=year,
        role=role,
        coauthors=[c.strip() for c in coauthors if c.strip()],
    )
    record_event(
        work,
        "experts.work.add",
        actor=by,
        after={"expert": expert.pk, **snapshot(work, ["kind", "title", "year", "role", "coauthors"])},
    )
    reindex_later([expert.pk])
    return work


@transaction.atomic
def remove_work(*, work: Work, by) -> None:
    expert_id = work.expert_id
    record_event(work, "experts.work.remove", actor=by, before={"expert": expert_id, "title": work.title})
    work.delete()
    reindex_later([expert_id])


@transaction.atomic
def add_affiliation(
    *, expert: Expert, by, organization_name: str, organization=None, start_year=None, end_year=None
) -> Affiliation:
    name = (organization_name or (organization.name if organization else "")).strip()
    if not name:
        raise ValidationError({"organization_name": _("The organization is required.")})
    if start_year and end_year and end_year < start_year:
        raise ValidationError({"end_year": _("The end year is before the start year.")})
    this_year = timezone.localdate().year
    for field, year in (("start_year", start_year), ("end_year", end_year)):
        if year and not 1900 <= year <= this_year:
            raise ValidationError({field: _("Enter a year between 1900 and this year.")})
    affiliation = Affiliation.objects.create(
        expert=expert,
        organization=organization,
        organization_name=name,
        start_year=start_year,
        end_year=end_year,
    )
    record_event(
        affiliation,
        "experts.affiliation.add",
        actor=by,
        after={"expert": expert.pk, "organization": name, "from": start_year, "until": end_year},
    )
    return affiliation


@transaction.atomic
def add_mentorship(
    *,
    by,
    advisor: Expert | None = None,
    advisor_name: str = "",
    student: Expert | None = None,
    student_name: str = "",
) -> Mentorship:
    if advisor is None and student is None:
        raise ValidationError(
            _("At least one side of an advisor–student link must be an expert of the library.")
        )
    if not (advisor or advisor_name.strip()) or not (student or student_name.strip()):
        raise ValidationError(_("Both the advisor and the student are required."))
    if advisor is not None and advisor == student:
        raise ValidationError(_("An expert cannot be their own advisor."))
    same = Mentorship.objects.filter(advisor=advisor, student=student)
    if advisor is None:
        same = same.filter(advisor_name=advisor_name.strip())
    if student is None:
        same = same.filter(student_name=student_name.strip())
    if same.exists():
        raise ValidationError(_("This advisor–student link is already recorded."))
    link = Mentorship.objects.create(
        advisor=advisor, advisor_name=advisor_name.strip(), student=student, student_name=student_name.strip()
    )
    record_event(
        link,
        "experts.mentorship.add",
        actor=by,
        after={"advisor": link.advisor_display, "student": link.student_display},
    )
    return link


@transaction.atomic
def remove_affiliation(*, affiliation: Affiliation, by) -> None:
    record_event(
        affiliation,
        "experts.affiliation.remove",
        actor=by,
        before={
            "expert": affiliation.expert_id,
            "organization": affiliation.organization_name,
            "from": affiliation.start_year,
            "until": affiliation.end_year,
        },
    )
    affiliation.delete()


@transaction.atomic
def remove_mentorship(*, link: Mentorship, by) -> None:
    record_event(
        link,
        "experts.mentorship.remove",
        actor=by,
        before={"advisor": link.advisor_display, "student": link.student_display},
    )
    link.delete()


# What a merge copies from the removed profile where the kept one is empty (the organization and
# its name go together: _fill_from).
MERGE_FILLED_FIELDS = [
    "sex",
    "birth_year",
    "organization_kind",
    "research_areas",
    "biography",
    "district",
    "channel",
    "mobile",
    "id_number",
    "email",
]


def work_key(work: Work) -> tuple:
    """What makes two works one when two profiles are merged: kind, title and year."""
    return (work.kind, work.title.strip(), work.year)


def _move_works(keep: Expert, drop: Expert) -> int:
    """``drop``'s works that ``keep`` does not hold already (same kind, title and year); of one it
    holds, the co-authors join the kept work's (the conflict-of-interest check reads them) and its
    role fills an empty one."""
    held = {work_key(w): w for w in keep.works.all()}
    moved = 0
    for work in list(drop.works.all()):
        key = work_key(work)
        same = held.get(key)
        if same is None:
            held[key] = work
            work.expert = keep
            work.save(update_fields=["expert"])
            moved += 1
            continue
        coauthors = list(dict.fromkeys([*same.coauthors, *work.coauthors]))
        role = same.role or work.role
        if (coauthors, role) != (same.coauthors, same.role):
            same.coauthors, same.role = coauthors, role
            same.save(update_fields=["coauthors", "role"])
    return moved


def _move_affiliations(keep: Expert, drop: Expert) -> int:
    """``drop``'s affiliations, and its organization when spelt otherwise (北京大学哲学系 beside 北京大学)."""
    held = {(a.organization_name, a.start_year, a.end_year) for a in keep.affiliations.all()}
    moved = 0
    for affiliation in list(drop.affiliations.all()):
        key = (affiliation.organization_name, affiliation.start_year, affiliation.end_year)
        if key not in held:
            held.add(key)
            affiliation.expert = keep
            affiliation.save(update_fields=["expert"])
            moved += 1
    spelling = drop.organization_display.strip()[:120]
    names = {name for name, _start, _end in held}
    if spelling and spelling != keep.organization_display.strip() and spelling not in names:
        Affiliation.objects.create(expert=keep, organization_name=spelling)
        moved += 1
    return moved


def _move_mentorships(keep: Expert, drop: Expert) -> int:
    """``drop``'s advisor–student links; one that would link ``keep`` to themselves or repeat a link
    ``keep`` has is dropped."""
    moved = 0
    for link in [*Mentorship.objects.filter(advisor=drop), *Mentorship.objects.filter(student=drop)]:
        advisor = keep if link.advisor_id == drop.pk else link.advisor
        student = keep if link.student_id == drop.pk else link.student
        same = Mentorship.objects.filter(
            advisor=advisor, student=student, advisor_name=link.advisor_name, student_name=link.student_name
        ).exclude(pk=link.pk)
        if (advisor is not None and advisor == student) or same.exists():
            link.delete()
            continue
        link.advisor, link.student = advisor, student
        link.save(update_fields=["advisor", "student"])
        moved += 1
    return moved


def _fill_from(keep: Expert, drop: Expert) -> list[str]:
    """Lists joined, empty fields of ``keep`` filled from ``drop``, the account moved; the names
    of the fields filled."""
    keep.keywords = list(dict.fromkeys([*keep.keywords, *drop.keywords]))
    keep.honours = list(dict.fromkeys([*keep.honours, *drop.honours]))
    filled = []
    if drop.overseas and not keep.overseas:
        keep.overseas = True
        filled.append("overseas")
    if (
        not keep.organization_id
        and not keep.organization_name
        and (drop.organization_id or drop.organization_name)
    ):
        keep.organization, keep.organization_name = drop.organization, drop.organization_name
        filled += ["organization", "organization_name"]
    for name in MERGE_FILLED_FIELDS:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
            filled.append(name)
    if "id_number" in filled:
        keep.id_number_index = blind_index(keep.id_number)
    if drop.user_id and not keep.user_id:
        account = drop.user
        drop.user = None
        drop.save(update_fields=["user"])
        keep.user = account
        filled.append("user")
    return filled


@transaction.atomic
def merge_experts(*, keep: Expert, drop: Expert, by) -> Expert:
    """One person entered twice: ``drop``'s works, affiliations, advisor links, disciplines,
    keywords and honours go to ``keep``, its empty fields are filled from ``drop``, its account
    moves over if ``keep`` has none, and ``drop`` is deleted. ``drop``'s organization, when spelt
    otherwise, is kept as an affiliation. Refused — nothing changed — when ``drop`` is referred to
    outside the library (nominations, reviews …) or both profiles have an account."""
    if keep.pk == drop.pk:
        raise ValidationError(_("An expert cannot be merged with themselves."))
    if rules.is_own_profile(by, keep) or rules.is_own_profile(by, drop):
        # Nobody verifies their own profile; merging it into a verified one would.
        raise ValidationError(_("Nobody merges their own profile; ask another curator."))
    # Both rows locked in one statement, in id order (no join: PostgreSQL locks no outer join's
    # nullable side), so two merges of the same pair wait for each other instead of deadlocking.
    list(
        Expert.objects.select_for_update().filter(pk__in=[keep.pk, drop.pk]).order_by("pk").values_list("pk")
    )
    keep = Expert.objects.select_related("organization").get(pk=keep.pk)
    drop = Expert.objects.select_related("organization", "user").get(pk=drop.pk)
    held = references(drop)
    if held:
        raise ValidationError(
            _("%(name)s (%(organization)s) is referred to by %(records)s; keep that profile instead.")
            % {
                "name": drop.name,
                "organization": drop.organization_display or "-",
                "records": "、".join(f"{what} {count}" for what, count in held),
            }
        )
    if keep.user_id and drop.user_id:
        raise ValidationError(
            _("Both profiles have an account; one person has one account. Ask an administrator.")
        )
    before = {"kept": keep.pk, "removed": drop.pk, "removed_profile": snapshot(drop, AUDITED_FIELDS)}
    moved = {
        "works": _move_works(keep, drop),
        "affiliations": _move_affiliations(keep, drop),
        "mentorships": _move_mentorships(keep, drop),
    }
    # Other modules' records naming the removed profile by id follow the kept one (a clash
    # refuses the whole merge: this transaction rolls back).
    for kind, _count in expert_references.held_by(drop.pk):
        moved[kind.key] = kind.move(drop.pk, keep.pk)
    keep.disciplines.add(*drop.disciplines.all())
    filled = _fill_from(keep, drop)
    keep.save()
    record_event(
        keep,
        "experts.expert.merge",
        actor=by,
        before=before,
        # Personal data only as "filled", never its values.
        after={**moved, "filled": filled},
    )
    removed = drop.pk
    drop.delete()
    reindex_later([keep.pk, removed])
    return keep


@transaction.atomic
def mark_distinct(*, first: Expert, second: Expert, by) -> DistinctPair:
    """Two profiles of one name are different people: the duplicates list stops offering them."""
    if first.pk == second.pk:
        raise ValidationError(_("An expert cannot be merged with themselves."))
    low, high = sorted((first, second), key=lambda expert: expert.pk)
    pair, created = DistinctPair.objects.get_or_create(first=low, second=high, defaults={"created_by": by})
    if not created:
        return pair
    record_event(
        pair,
        "experts.expert.distinct",
        actor=by,
        after={"first": low.pk, "second": high.pk, "name": low.name},
    )
    return pair
