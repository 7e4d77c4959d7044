"""Work waiting in the expert library (kexie.core.todos)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kexie.core import todos
from kexie.experts import duplicates, rules
from kexie.experts.queries import user_expert, verification_queue


@todos.register("experts.queue", label=_("Experts to verify"), order=50)
def experts_to_verify(user):
    if not rules.can_curate(user):
        return []
    return [
        todos.TodoItem(
            label=_("Expert registrations waiting for verification"),
            count=verification_queue().count(),
            url=reverse("experts:queue"),
        )
    ]


@todos.register("experts.duplicates", label=_("Possible duplicate experts"), order=52)
def possible_duplicates(user):
    if not rules.can_curate(user):
        return []
    return [
        todos.TodoItem(
            label=_("Profiles that may be one person entered twice"),
            count=len(duplicates.possible_duplicate_ids()),
            url=reverse("experts:duplicates"),
        )
    ]


@todos.register("experts.own_profile", label=_("My expert profile"), order=51)
def own_profile(user):
    if not rules.can_keep_own_profile(user) or rules.can_view_library(user):
        return []
    if user_expert(user) is None:
        return [
            todos.TodoItem(
                label=_("Fill in your expert profile"),
                count=1,
                url=reverse("experts:my_profile"),
                urgent=True,
            )
        ]
    return []
