"""The kits this work added to core: notifications with e-mail preferences, audit labels, numbers for
people, one ``page`` in page links, readable empty choices, search treating punctuation as text, and
the forgot-password flow (audited, rate-limited)."""

from __future__ import annotations

import pytest
from django import forms
from django.core import mail
from django.db import transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from kexie.accounts.enums import Role
from kexie.core import audit_labels, notifications
from kexie.core.models import AuditEvent, Notification
from kexie.core.numbers import human_number, meaningful_margin
from kexie.search import index as search
from kexie.search.backends.tantivy_backend import TantivyBackend
from kexie.search.documents import SearchDocument


@pytest.fixture
def event():
    registered = notifications.register("tests.thing_done", kind=notifications.APPROVED, label="Thing done")
    yield registered
    notifications.unregister("tests.thing_done")


@pytest.mark.django_db(transaction=True)
def test_send_creates_messages_and_mails_after_commit_by_preference(make_user, event, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    alice = make_user("alice", email="alice@example.cn")
    bob = make_user("bob", email="bob@example.cn")
    notifications.set_email_preferences(user=bob, choices={event.key: False})
    with transaction.atomic():
        notes = notifications.send(event, users=[alice, bob, alice], title="已批准", url="/x/")
        assert mail.outbox == []  # nothing leaves before the write commits
    assert len(notes) == 2
    assert {n.event for n in notes} == {event.key}
    assert [m.to for m in mail.outbox] == [["alice@example.cn"]]
    assert "/x/" in mail.outbox[0].body
    assert Notification.objects.get(user=alice).emailed_at is not None
    assert AuditEvent.objects.filter(action="core.notifications.preferences", actor_id=bob.pk).exists()


@pytest.mark.django_db
def test_preferences_page_saves_choices(client, login, make_user, event):
    user = make_user("carol", role=Role.EXPERT, email="c@example.cn")
    client = login(user)
    assert client.get(reverse("notification_preferences")).status_code == 200
    client.post(reverse("notification_preferences"), {"email": []})
    rows = {e.key: on for e, on in notifications.email_preferences(user)}
    assert rows[event.key] is False


def test_audit_labels_name_every_action_in_words():
    assert str(audit_labels.label_for("transfer.demand.publish")) == "审核发布需求"
    # Unlabelled: the verb and the model's name.
    assert str(audit_labels.label_for("policy.milestone.unheard_of_delete", "policy.task")) == "删除任务"
    assert "." not in str(audit_labels.label_for("somewhere.else.frobnicate"))


def test_numbers_for_people():
    assert human_number(5.64e-11) == "0.00"
    assert human_number(1234567) == "1,234,567"
    assert human_number(50.7) == "50.70"
    assert not meaningful_margin(0.0001)
    assert meaningful_margin(0.5)


def test_page_links_keep_one_page():
    request = RequestFactory().get("/x/?q=a&page=2&page=3&light=red")
    html = Template("{% load kexie_tags %}{% page_query 4 %}").render(Context({"request": request}))
    assert html.count("page=") == 1 and "page=4" in html and "q=a" in html and "light=red" in html


def test_empty_choices_read_please_choose():
    from kexie.accounts.models import Organization

    class Form(forms.Form):
        a = forms.ChoiceField(choices=[("", "---------"), ("x", "X")])
        b = forms.ModelChoiceField(queryset=Organization.objects.none())

    html = str(Form())
    assert "---------" not in html
    assert "请选择" in html


def test_search_treats_punctuation_as_text(tmp_path):
    backend = TantivyBackend(tmp_path / "search", lock_timeout=0.5)
    search.set_backend(backend)
    try:
        search.index_documents(
            [SearchDocument(kind="demand", id="1", title="减速器", body="齿轮", keywords=[])]
        )
        assert search.query("%'\"", count=True).hits == []
        assert len(search.query("", count=True).hits) == 1
    finally:
        search.set_backend(None)


@pytest.mark.django_db
def test_forgot_password_is_audited_rate_limited_and_silent(client, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("dave", email="dave@example.cn")
    url = reverse("accounts:password_reset")
    for _ in range(5):
        response = client.post(url, {"email": "dave@example.cn"})
        assert response.status_code == 302
    assert len(mail.outbox) == 3  # the limit per address and hour
    events = AuditEvent.objects.filter(action="accounts.password_reset.request")
    assert events.count() == 5 and events.filter(success=False).count() == 2
    assert "dave@example.cn" not in "".join(events.values_list("actor_name", flat=True))
    # An unknown address is answered exactly alike.
    assert client.post(url, {"email": "nobody@example.cn"}).status_code == 302
    login = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login and reverse("transfer:register") in login
