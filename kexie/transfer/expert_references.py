"""The records of 成果转化 that name an expert by id (kexie.experts.references): dockings with an
expert match, achievements an expert owns, members of service teams and workstations. When two
profiles of one person are merged, they follow the kept profile."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kexie.experts import references
from kexie.transfer.enums import TargetKind
from kexie.transfer.models import Achievement, Docking, ServiceTeam, Workstation


def _dockings(expert_id: int):
    return Docking.objects.filter(target_kind=TargetKind.EXPERT, target_id=str(expert_id))


def move_dockings(old: int, new: int) -> int:
    both = _dockings(new).filter(demand_id__in=_dockings(old).values("demand_id")).select_related("demand")
    clash = both.first()
    if clash is not None:
        raise ValidationError(
            _("Both profiles were docked with the demand “%(demand)s”; settle one of the two dockings first.")
            % {"demand": clash.demand.title}
        )
    return _dockings(old).update(target_id=str(new))


def move_owned_achievements(old: int, new: int) -> int:
    return Achievement.objects.filter(owner_expert_id=str(old)).update(owner_expert_id=str(new))


def _with_member(expert_id: int):
    # JSON containment is not portable (SQLite); teams and workstations are few.
    for model in (ServiceTeam, Workstation):
        for record in model.objects.only("pk", "members"):
            if any(str(member.get("expert_id") or "") == str(expert_id) for member in record.members):
                yield record


def count_memberships(expert_id: int) -> int:
    return sum(1 for _record in _with_member(expert_id))


def move_memberships(old: int, new: int) -> int:
    changed = 0
    for record in list(_with_member(old)):
        members, seen = [], False
        already = any(str(member.get("expert_id") or "") == str(new) for member in record.members)
        for member in record.members:
            if str(member.get("expert_id") or "") != str(old):
                members.append(member)
            elif not (already or seen):  # the kept profile a member already: one row, one person
                members.append({**member, "expert_id": new})
                seen = True
        record.members = members
        record.save(update_fields=["members"])
        changed += 1
    return changed


def register() -> None:
    references.register(
        "transfer.dockings",
        label=gettext_lazy("dockings"),
        count=lambda expert_id: _dockings(expert_id).count(),
        move=move_dockings,
    )
    references.register(
        "transfer.achievement_owners",
        label=gettext_lazy("achievements owned"),
        count=lambda expert_id: Achievement.objects.filter(owner_expert_id=str(expert_id)).count(),
        move=move_owned_achievements,
    )
    references.register(
        "transfer.members",
        label=gettext_lazy("memberships of service teams and workstations"),
        count=count_memberships,
        move=move_memberships,
    )
