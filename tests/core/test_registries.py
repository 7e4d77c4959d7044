"""The to-do and menu registries that apps plug into."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from kexie.core import menus, todos


@pytest.fixture
def clean_todo():
    yield
    todos.unregister("test.waiting")
    todos.unregister("test.none")


def test_todo_items_for_user_skips_empty_and_puts_urgent_first(clean_todo, make_user):
    user = make_user("todo_user")
    todos.register(
        "test.waiting",
        label="waiting",
        provider=lambda u: [
            todos.TodoItem(label="plain", count=2, url="/a/"),
            todos.TodoItem(label="late", count=1, url="/b/", urgent=True),
            todos.TodoItem(label="empty", count=0, url="/c/"),
        ],
    )
    todos.register("test.none", label="none", provider=lambda u: [])
    labels = [item.label for item in todos.items_for(user)]
    assert labels[:2] == ["late", "plain"]
    assert "empty" not in labels
    assert todos.items_for(AnonymousUser()) == []


def test_todo_key_registered_twice_is_refused(clean_todo):
    todos.register("test.waiting", label="x", provider=lambda u: [])
    with pytest.raises(ImproperlyConfigured):
        todos.register("test.waiting", label="x", provider=lambda u: [])


def test_menu_entries_for_user_follow_visibility(db):
    menus.register("test.public", section="public", label="p", url_name="home")
    menus.register("test.hidden", section="talent", label="h", url_name="home", visible=lambda u: False)
    try:
        keys = {e.key for e in menus.entries_for(AnonymousUser())}
        assert "test.public" in keys
        assert "test.hidden" not in keys
        with pytest.raises(ImproperlyConfigured):
            menus.register("test.bad", section="nowhere", label="b", url_name="home")
    finally:
        menus.unregister("test.public")
        menus.unregister("test.hidden")
