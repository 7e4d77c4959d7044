"""Reusable reads of the expert library."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from kexie.core import access as access_rules
from kexie.core import reference
from kexie.core.access import access
from kexie.core.masking import mask_email, mask_id_number, mask_mobile
from kexie.core.queries import rows_in_rank_order
from kexie.experts import rules
from kexie.experts.enums import VerificationState
from kexie.experts.models import Discipline, Expert


def experts_visible_to(user) -> QuerySet[Expert]:
    """Staff see the library; an expert sees their own profile; everyone else nothing."""
    if rules.can_view_library(user):
        return Expert.objects.all()
    if getattr(user, "is_authenticated", False):
        return Expert.objects.filter(user=user)
    return Expert.objects.none()


def with_lists(queryset: QuerySet[Expert]) -> QuerySet[Expert]:
    """What a list row shows, in a fixed number of queries whatever the number of rows."""
    return queryset.select_related("organization").prefetch_related(
        Prefetch("disciplines", queryset=Discipline.objects.only("code", "name"))
    )


def verification_queue() -> QuerySet[Expert]:
    return Expert.objects.filter(state=VerificationState.UNVERIFIED).order_by("created_at", "pk")


in_rank_order = rows_in_rank_order


district_choices = reference.district_choices
district_names = reference.districts


def user_expert(user) -> Expert | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.filter(user=user).first()


def shown_contact(expert: Expert, *, unmasked: bool) -> dict[str, str]:
    """Mobile, ID number and e-mail as this reader may see them."""
    if unmasked:
        return {"mobile": expert.mobile, "id_number": expert.id_number, "email": expert.email}
    return {
        "mobile": mask_mobile(expert.mobile) if expert.mobile else "",
        "id_number": mask_id_number(expert.id_number) if expert.id_number else "",
        "email": mask_email(expert.email) if expert.email else "",
    }


def access_expert(user, pk) -> Expert:
    """One expert, fetched and checked at once (kexie.core.access): 404 when not visible."""
    return access(with_lists(experts_visible_to(user)).select_related("user"), pk)


access_rules.register(
    "experts.expert", visible=experts_visible_to, access=access_expert, can_view=rules.can_view_expert
)
