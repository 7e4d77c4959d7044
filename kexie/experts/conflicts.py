"""Conflict of interest (回避): must an expert stand aside from an item under review, and why?

Later modules (award review, topic review, matching) describe what is reviewed as a ``ReviewItem``
of plain names and ids, so they need not be imported here. Rules:

- same organization: the expert's current organization or any past affiliation equals one of the
  item's organizations (by organization id, or by normalised name / alias);
- co-authors and co-PIs: a person of the item appears among the co-authors of the expert's works,
  or an expert of that name lists this expert among their co-authors;
- advisor–student: a person of the item is the expert's advisor or student (either direction);
- same nominating channel: the expert was put forward by the channel that nominates the item.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kexie.accounts.models import Organization
from kexie.experts.enums import ConflictKind
from kexie.experts.models import Expert, Mentorship, Work

_NOISE = re.compile(r"[\s·・.,，、()（）\[\]【】\"'“”‘’-]+")


def normalise(name: str) -> str:
    """Compare names regardless of width, spaces, case and punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name or "")).lower()


@dataclass(frozen=True)
class ReviewItem:
    """What an expert reviews: the organizations and people behind it and the channel nominating it."""

    organization_names: Sequence[str] = ()
    person_names: Sequence[str] = ()
    channel: str | None = None
    organization_ids: Sequence[int] = ()
    label: str = ""


@dataclass(frozen=True)
class Conflict:
    kind: str
    # The organization, person or channel the conflict is about.
    subject: str
    reason: str = field(compare=False)


def _organization_names(org: Organization | None) -> set[str]:
    if org is None:
        return set()
    return {normalise(n) for n in [org.name, org.short_name, *(org.aliases or [])] if n}


def _org_conflicts(expert: Expert, item: ReviewItem) -> list[Conflict]:
    item_ids = {int(i) for i in item.organization_ids}
    item_names = {normalise(n): n for n in item.organization_names if normalise(n)}
    for org in Organization.objects.filter(pk__in=item_ids):
        for alias in _organization_names(org):
            item_names.setdefault(alias, org.name)
    held: list[tuple[int | None, str, Organization | None, bool]] = [
        (expert.organization_id, expert.organization_display, expert.organization, True)
    ]
    held += [
        (a.organization_id, a.organization_name, a.organization, False)
        for a in expert.affiliations.select_related("organization")
    ]
    found: dict[str, Conflict] = {}
    for org_id, name, org, current in held:
        names = {normalise(name)} | _organization_names(org)
        names.discard("")
        hit = None
        if org_id is not None and org_id in item_ids:
            hit = org.name if org else name
        else:
            common = names & set(item_names)
            if common:
                hit = item_names[sorted(common)[0]]
        if hit and hit not in found:
            reason = (
                _("Works at %(organization)s, an organization of the item.")
                if current
                else _("Formerly worked at %(organization)s, an organization of the item.")
            ) % {"organization": hit}
            found[hit] = Conflict(kind=ConflictKind.ORGANIZATION, subject=hit, reason=reason)
    return list(found.values())


def _coauthor_conflicts(expert: Expert, item: ReviewItem, persons: dict[str, str]) -> list[Conflict]:
    found: dict[str, Conflict] = {}
    for work in expert.works.all():
        for coauthor in work.coauthors or []:
            key = normalise(coauthor)
            if key in persons and persons[key] not in found:
                found[persons[key]] = Conflict(
                    kind=ConflictKind.COAUTHOR,
                    subject=persons[key],
                    reason=_("%(person)s is a co-author or co-investigator of “%(work)s”.")
                    % {"person": persons[key], "work": work.title},
                )
    # The other direction: an expert of the library with that name lists this expert.
    own = normalise(expert.name)
    others = Work.objects.filter(expert__name__in=list(persons.values())).exclude(expert=expert)
    for work in others.select_related("expert"):
        person = persons.get(normalise(work.expert.name))
        if person and person not in found and own in {normalise(c) for c in work.coauthors or []}:
            found[person] = Conflict(
                kind=ConflictKind.COAUTHOR,
                subject=person,
                reason=_("%(person)s is a co-author or co-investigator of “%(work)s”.")
                % {"person": person, "work": work.title},
            )
    return list(found.values())


def _mentorship_conflicts(expert: Expert, item: ReviewItem, persons: dict[str, str]) -> list[Conflict]:
    found: dict[str, Conflict] = {}
    links = Mentorship.objects.filter(advisor=expert) | Mentorship.objects.filter(student=expert)
    for link in links.select_related("advisor", "student"):
        if link.advisor_id == expert.pk:
            other, reason = link.student_display, _("%(person)s is a student of this expert.")
        else:
            other, reason = link.advisor_display, _("%(person)s is the advisor of this expert.")
        person = persons.get(normalise(other))
        if person and person not in found:
            found[person] = Conflict(
                kind=ConflictKind.MENTORSHIP, subject=person, reason=reason % {"person": person}
            )
    return list(found.values())


def conflicts(*, expert: Expert, item: ReviewItem) -> list[Conflict]:
    """Every reason ``expert`` must stand aside from ``item``; empty when there is none."""
    persons = {normalise(p): p for p in item.person_names if normalise(p)}
    result: list[Conflict] = []
    result += _org_conflicts(expert, item)
    if persons:
        result += _coauthor_conflicts(expert, item, persons)
        result += _mentorship_conflicts(expert, item, persons)
    if item.channel and expert.channel and normalise(item.channel) == normalise(expert.channel):
        result.append(
            Conflict(
                kind=ConflictKind.CHANNEL,
                subject=item.channel,
                reason=_("Nominated through the same channel, %(channel)s.") % {"channel": item.channel},
            )
        )
    return result


def must_recuse(*, expert: Expert, item: ReviewItem) -> bool:
    return bool(conflicts(expert=expert, item=item))
