"""Waiting work of the sci-tech workers' services for 我的待办 (kexie.core.todos)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kexie.core import todos
from kexie.workers import rules
from kexie.workers.enums import NeedState
from kexie.workers.models import Need


@todos.register("workers.needs_to_triage", label=_("Needs to triage"))
def needs_to_triage(user):
    if not rules.can_triage(user):
        return []
    n = Need.objects.filter(state=NeedState.SUBMITTED).count()
    return [
        todos.TodoItem(
            label=_("Needs waiting for triage"),
            count=n,
            url=reverse("workers:need_list") + "?state=submitted",
        )
    ]


@todos.register("workers.needs_to_answer", label=_("Needs to answer"))
def needs_to_answer(user):
    units = rules.reply_units(user)
    if not units:
        return []
    waiting = Need.objects.filter(routed_to__in=units, state__in=[NeedState.ROUTED, NeedState.REOPENED])
    overdue = waiting.filter(reply_due__lt=timezone.localdate()).count()
    url = reverse("workers:need_list") + "?scope=unit"
    items = [todos.TodoItem(label=_("Needs to answer"), count=waiting.count(), url=url, urgent=overdue > 0)]
    return items


@todos.register("workers.replies_to_rate", label=_("Replies to rate"))
def replies_to_rate(user):
    if not (user and user.is_authenticated):
        return []
    n = Need.objects.filter(filer=user, state=NeedState.REPLIED).count()
    return [
        todos.TodoItem(
            label=_("Replies to your needs waiting for your rating"),
            count=n,
            url=reverse("workers:need_list") + "?scope=mine",
        )
    ]


@todos.register("workers.talks_to_schedule", label=_("Talk requests"))
def talks_to_schedule(user):
    from kexie.workers.enums import TalkState  # noqa: PLC0415
    from kexie.workers.models import SpiritTalk  # noqa: PLC0415

    if not rules.can_manage_spirit(user):
        return []
    n = SpiritTalk.objects.filter(state=TalkState.REQUESTED).count()
    return [todos.TodoItem(label=_("Talk requests to schedule"), count=n, url=reverse("workers:spirit"))]
