"""Items waiting at a review step this user acts at, for 我的待办 (kexie.core.todos)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kexie.core import todos
from kexie.news import queries


@todos.register("news.reviews", label=_("Items to review"))
def items_to_review(user):
    if not (user and user.is_authenticated):
        return []
    n = queries.waiting_for(user).count()
    return (
        [todos.TodoItem(label=_("Items waiting for my review"), count=n, url=reverse("news:manage"))]
        if n
        else []
    )
