"""典型人物 linked to an outreach volunteer: exactly one of expert / volunteer, consent before review, and
only public facts on the public page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from kexie.experts.models import Expert
from kexie.news import people, services
from kexie.news.enums import Column, VersionState
from kexie.news.forms import ItemForm
from kexie.news.models import NewsItem
from kexie.outreach.models import Team, TeamMember
from tests.outreach.conftest import make_volunteer  # noqa: F401 - fixture

BOTH = "典型人物只能关联专家或志愿者中的一个"
NONE = "典型人物须关联一位专家或一位科普志愿者"


@pytest.fixture
def volunteer(make_volunteer, orgs):  # noqa: F811
    v = make_volunteer("刘桂兰", district="500103")
    team = Team.objects.create(name="渝中区科普讲师团", organization=orgs["科学技术普及部"])
    TeamMember.objects.create(team=team, volunteer=v)
    return v


def _form(writer, orgs, **extra):
    data = {
        "column": Column.PERSON,
        "organization": orgs["科学技术普及部"].pk,
        "title": "刘桂兰：社区里的科普大姐",
        "body": "十年如一日在社区开展科普讲座。",
    }
    data.update(extra)
    return ItemForm(data, user=writer)


def test_form_wants_exactly_one_of_expert_and_volunteer(writer, orgs, volunteer):
    expert = Expert.objects.create(name="张三", title="professor")
    form = _form(writer, orgs, expert=expert.pk, volunteer=volunteer.pk)
    assert not form.is_valid()
    assert BOTH in " ".join(form.errors["volunteer"])
    form = _form(writer, orgs)
    assert not form.is_valid()
    assert NONE in " ".join(form.errors["expert"])
    assert _form(writer, orgs, volunteer=volunteer.pk).is_valid()
    # A news item needs neither.
    assert _form(writer, orgs, column=Column.NEWS).is_valid()


def test_service_and_constraint_refuse_both_or_none(writer, volunteer):
    expert = Expert.objects.create(name="张三", title="professor")
    kwargs = {"column": Column.PERSON, "title": "刘桂兰", "body": "事迹"}
    with pytest.raises(ValidationError) as exc:
        services.create_item(writer, expert=expert, volunteer=volunteer, **kwargs)
    assert BOTH in " ".join(exc.value.message_dict["volunteer"])
    with pytest.raises(ValidationError) as exc:
        services.create_item(writer, **kwargs)
    assert NONE in " ".join(exc.value.message_dict["expert"])
    assert not NewsItem.objects.exists()
    item = services.create_item(writer, volunteer=volunteer, **kwargs)
    item.expert = expert
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_volunteer_outside_the_writers_view_is_refused(writer, volunteer, monkeypatch):
    assert people.volunteers_visible_to(writer).filter(pk=volunteer.pk).exists()  # outreach's rule
    monkeypatch.setitem(people._visible, "volunteer", lambda user: type(volunteer).objects.none())
    with pytest.raises(ValidationError) as exc:
        services.create_item(writer, column=Column.PERSON, title="刘桂兰", body="事迹", volunteer=volunteer)
    assert "volunteer" in exc.value.message_dict
    assert not NewsItem.objects.exists()


def test_published_volunteer_shows_public_facts_only(client, writer, editor, head, leader, volunteer):
    item = services.create_item(
        writer,
        column=Column.PERSON,
        title="刘桂兰：社区里的科普大姐",
        body="十年如一日。",
        volunteer=volunteer,
    )
    with pytest.raises(ValidationError) as exc:
        services.submit(writer, item.latest_version)
    assert "consent_note" in exc.value.message_dict
    assert item.latest_version.state == VersionState.DRAFT
    services.record_consent(writer, item, note="本人签署《典型人物宣传同意书》")
    version = services.submit(writer, item.latest_version)
    for user in (editor, head, leader):
        services.review(user, version, decision="pass")
    client.logout()
    page = client.get(reverse("news:item", args=[item.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    facts = text[text.index('data-testid="person-facts"') :]
    facts = facts[: facts.index("</dl>")]
    assert "刘桂兰" in facts and "渝中区" in facts and "渝中区科普讲师团" in facts
    volunteer.refresh_from_db()
    assert volunteer.mobile not in text and volunteer.id_number not in text
    assert volunteer.mobile[-4:] not in facts
