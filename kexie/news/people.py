"""Who may be a 典型人物 besides an expert: the app that keeps outreach volunteers says, in its own
``<app>/news.py``, which volunteers a user may choose (``register_volunteers(visible=)``), so the
publishing app never imports it. Without a registration no volunteer is offered.

The public page reads only public facts through the foreign key (``public_facts``): name, district and
teams for a volunteer; never the mobile or the ID number.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kexie.news.models import NewsItem
from kexie.news.sources import autodiscover

_visible: dict[str, Callable] = {}


def register_volunteers(*, visible: Callable[[object], QuerySet]) -> None:
    """``visible(user)``: the volunteers the user may see (the owning app's access rule)."""
    _visible["volunteer"] = visible


def volunteer_model():
    return NewsItem._meta.get_field("volunteer").related_model


def volunteers_visible_to(user) -> QuerySet:
    autodiscover()
    visible = _visible.get("volunteer")
    if visible is None:
        return volunteer_model().objects.none()
    return visible(user)


def public_facts(item: NewsItem) -> list[tuple[str, str]]:
    """(label, value) pairs the public page may show about the typical person."""
    if item.expert_id:
        return [(_("Expert"), item.expert.name)]
    v = item.volunteer
    if v is None:
        return []
    facts = [(_("Science volunteer"), v.real_name)]
    if v.district:
        facts.append((_("District"), v.district_name))
    teams = "、".join(t.name for t in v.teams.order_by("name"))
    if teams:
        facts.append((_("Volunteer team"), teams))
    return facts
