"""The small kits of core: conditional transitions, rank-ordered rows, the two view helpers and the
authored abstract model."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from kexie.core.models import AuthoredModel, TimeStampedModel
from kexie.core.queries import rows_in_rank_order
from kexie.core.transitions import transition
from kexie.core.views import run_transition, submit_form
from kexie.experts.enums import VerificationState
from kexie.experts.models import Expert


def make_expert(name: str, state=VerificationState.UNVERIFIED) -> Expert:
    return Expert.objects.create(name=name, organization_name="重庆大学", title="professor", state=state)


@pytest.mark.django_db
def test_transition_applies_only_from_an_expected_state():
    expert = make_expert("张明")

    moved = transition(
        expert, expected=[VerificationState.UNVERIFIED], values={"state": VerificationState.VERIFIED}
    )

    assert moved.state == VerificationState.VERIFIED
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        transition(
            expert, expected=VerificationState.UNVERIFIED, values={"state": VerificationState.REJECTED}
        )
    assert caught.value.code == "stale_state"
    assert caught.value.messages == ["This item has changed in the meantime; reload the page and try again."]
    expert.refresh_from_db()
    assert expert.state == VerificationState.VERIFIED  # the refused transition changed nothing


@pytest.mark.django_db
def test_transition_message_can_be_the_callers():
    expert = make_expert("张明", state=VerificationState.VERIFIED)

    with pytest.raises(ValidationError, match="already decided"):
        transition(expert, expected=["unverified"], values={"state": "rejected"}, message="already decided")


@pytest.mark.django_db
def test_rows_in_rank_order_keeps_the_ranking_and_drops_what_the_queryset_hides(django_assert_num_queries):
    a, b, c = make_expert("甲"), make_expert("乙"), make_expert("丙")
    hits = [
        SimpleNamespace(id=str(c.pk), snippet_html="<mark>丙</mark>"),
        SimpleNamespace(id="not-a-row", snippet_html=""),
        SimpleNamespace(id=str(a.pk), snippet_html="甲"),
        SimpleNamespace(id=str(b.pk), snippet_html="乙"),
    ]

    with django_assert_num_queries(1):
        rows = rows_in_rank_order(Expert.objects.exclude(pk=b.pk), hits)

    assert rows == [c, a]
    assert [r.snippet_html for r in rows] == ["<mark>丙</mark>", "甲"]
    assert rows_in_rank_order(Expert.objects.all(), [b.pk, a.pk]) == [b, a]


class NameForm(forms.Form):
    name = forms.CharField()


def _request(method: str, data=None):
    request = getattr(RequestFactory(), method)("/x", data or {})
    request._messages = CookieStorage(request)
    return request


def test_submit_form_success_message_and_redirect():
    request = _request("post", {"name": "张明"})

    response = submit_form(
        request,
        NameForm(request.POST),
        lambda data: SimpleNamespace(pk=7, name=data["name"]),
        success_message="saved",
        success_url=lambda obj: f"/things/{obj.pk}/",
        render_form=lambda form: HttpResponse("form", status=400),
    )

    assert (response.status_code, response["Location"]) == (302, "/things/7/")
    assert [str(m) for m in get_messages(request)] == ["saved"]


def test_submit_form_puts_service_errors_on_the_form():
    request = _request("post", {"name": "张明"})
    shown = {}

    def refuse(data):
        raise ValidationError({"name": "taken", "other": "on top"})

    def render_form(form):
        shown["errors"] = form.errors
        return HttpResponse("form", status=400)

    response = submit_form(
        request,
        NameForm(request.POST),
        refuse,
        success_message="saved",
        success_url="/",
        render_form=render_form,
    )

    assert response.status_code == 400
    assert dict(shown["errors"]) == {"name": ["taken"], "__all__": ["on top"]}
    assert list(get_messages(request)) == []


def test_submit_form_get_and_invalid_post_render_the_form():
    called = []
    for request in (_request("get"), _request("post", {})):
        response = submit_form(
            request,
            NameForm(request.POST or None),
            called.append,
            success_message="saved",
            success_url="/",
            render_form=lambda form: HttpResponse("form"),
        )
        assert response.content == b"form"
    assert called == []


def test_run_transition_shows_a_refusal_as_messages():
    done, refused = _request("post"), _request("post")

    def refuse():
        raise ValidationError(["first", "second"])

    ok = run_transition(done, lambda: None, success_message="moved", redirect_to="/t/1/")
    no = run_transition(refused, refuse, success_message="moved", redirect_to="/t/1/")

    assert (ok.status_code, ok["Location"], no["Location"]) == (302, "/t/1/", "/t/1/")
    assert [str(m) for m in get_messages(done)] == ["moved"]
    assert [(str(m), m.level_tag) for m in get_messages(refused)] == [("first", "error"), ("second", "error")]


def test_authored_model_is_abstract_with_who_and_when():
    assert AuthoredModel._meta.abstract
    assert issubclass(AuthoredModel, TimeStampedModel)
    names = {f.name for f in AuthoredModel._meta.fields}
    assert {"created_at", "updated_at", "created_by", "updated_by"} <= names
