"""Possible duplicates in the library (one person entered twice) and merging them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kexie.accounts.services import ROOT_NAME
from kexie.core import todos
from kexie.core.models import AuditEvent
from kexie.experts import duplicates, services
from kexie.experts.conflicts import ReviewItem, conflicts
from kexie.experts.enums import VerificationState, WorkKind
from kexie.experts.models import Affiliation, DistinctPair, Expert, Mentorship, Work

from .conftest import ID_A, MOBILE_A

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("北京大学", "北京大学哲学系", True),
        ("重庆大学", "重庆大学", True),
        ("重 庆 大 学", "重庆大学机械学院", True),  # spaces do not count
        ("南京", "南京大学", False),  # too short to be a parent
        ("重庆大学", "西南大学", False),
        ("复旦大学法学院", "复旦大学经济学院", False),  # siblings: nothing says one person
        ("", "重庆大学", False),
    ],
)
def test_same_organization(first, second, same):
    assert duplicates.same_organization(first, second) is same
    assert duplicates.same_organization(second, first) is same


def test_possible_duplicates_pairs_one_name_under_an_organization_and_a_part_of_it(make_expert):
    a = make_expert("王健", organization_name="重庆大学")
    b = make_expert("王健", organization_name="重庆大学机械与运载工程学院")
    make_expert("王健", organization_name="西南大学")  # a namesake elsewhere: never offered
    make_expert("李明", organization_name="重庆大学")
    pairs = duplicates.possible_duplicates()
    assert [(p.first, p.second) for p in pairs] == [(a, b)]


def test_a_pair_marked_as_different_people_is_no_longer_offered(make_expert, curator):
    a = make_expert("王健", organization_name="重庆大学")
    b = make_expert("王健", organization_name="重庆大学")
    services.mark_distinct(first=b, second=a, by=curator)
    assert duplicates.possible_duplicates() == []
    pair = DistinctPair.objects.get()
    assert (pair.first, pair.second) == (a, b)
    event = AuditEvent.objects.get(action="experts.expert.distinct")
    assert event.after["first"] == a.pk
    # Marking it again changes nothing.
    services.mark_distinct(first=a, second=b, by=curator)
    assert DistinctPair.objects.count() == 1


def test_merge_moves_the_works_links_and_fills_the_gaps(make_expert, curator, expert):
    other = make_expert(
        "李明",
        organization_name="重庆大学机械与运载工程学院",
        disciplines=("E05",),
        keywords=["焊接", "人工智能"],
        honours=["other"],
        mobile="",
        id_number="",
        email="",
        state=VerificationState.UNVERIFIED,
    )
    bare = make_expert("李明", organization_name="重庆大学", disciplines=(), mobile="", email="")
    services.add_work(expert=expert, by=curator, kind=WorkKind.PAPER, title="焊缝跟踪研究", year=2020)
    services.add_work(expert=other, by=curator, kind=WorkKind.PAPER, title="焊缝跟踪研究 ", year=2020)
    services.add_work(expert=other, by=curator, kind=WorkKind.PROJECT, title="焊接机器人视觉引导", year=2022)
    services.add_affiliation(expert=other, by=curator, organization_name="重庆理工大学", start_year=2005)
    student = make_expert("赵学生", organization_name="重庆大学")
    services.add_mentorship(by=curator, advisor=other, student=student)
    services.add_mentorship(by=curator, advisor=other, student=expert)  # would link 李明 to himself

    kept = services.merge_experts(keep=expert, drop=other, by=curator)

    assert not Expert.objects.filter(pk=other.pk).exists()
    assert sorted(Work.objects.filter(expert=kept).values_list("title", flat=True)) == [
        "焊接机器人视觉引导",
        "焊缝跟踪研究",
    ]
    assert set(kept.disciplines.values_list("code", flat=True)) == {"F0201", "E05"}
    assert kept.keywords == ["人工智能", "机器视觉", "焊接"]
    assert set(Affiliation.objects.filter(expert=kept).values_list("organization_name", flat=True)) == {
        "重庆理工大学",
        "重庆大学机械与运载工程学院",
    }
    assert list(Mentorship.objects.values_list("advisor", "student")) == [(kept.pk, student.pk)]
    # The kept profile's own values win; its contact details were not overwritten.
    kept.refresh_from_db()
    assert (kept.mobile, kept.id_number, kept.state) == (MOBILE_A, ID_A, VerificationState.VERIFIED)
    event = AuditEvent.objects.get(action="experts.expert.merge")
    assert event.object_id == str(kept.pk)
    assert event.before["removed"] == other.pk
    assert event.after["works"] == 1
    assert "mobile" not in str(event.before["removed_profile"])
    # A profile with empty fields is filled from the other; personal data is logged by name only.
    services.merge_experts(keep=bare, drop=kept, by=curator)
    bare.refresh_from_db()
    assert (bare.mobile, bare.id_number) == (MOBILE_A, ID_A)
    assert bare.id_number_index
    filled = AuditEvent.objects.filter(action="experts.expert.merge").latest("pk").after["filled"]
    assert "mobile" in filled
    assert MOBILE_A not in str(filled)


def test_merge_moves_the_account_when_only_the_other_has_one(make_expert, curator, expert_user):
    own = make_expert("张伟", user=expert_user)
    entered = make_expert("张伟", organization_name="重庆大学计算机学院")
    services.merge_experts(keep=entered, drop=own, by=curator)
    entered.refresh_from_db()
    assert entered.user == expert_user


def test_merge_refuses_when_both_have_an_account_or_the_other_is_referred_to(
    make_expert, make_user, curator, expert_user
):
    own = make_expert("张伟", user=expert_user)
    other_account = make_user("zhangwei2", full_name="张伟")
    second = make_expert("张伟", organization_name="重庆大学计算机学院", user=other_account)
    with pytest.raises(ValidationError, match="账号"):
        services.merge_experts(keep=own, drop=second, by=curator)

    third = make_expert("张伟", organization_name="重庆大学")
    speaker = apps.get_model("workers", "SpiritSpeaker")
    speaker.objects.create(name="张伟", expert=third, topics="科学家精神", created_by=curator)
    services.add_work(expert=third, by=curator, kind=WorkKind.PAPER, title="一篇论文", year=2020)
    with pytest.raises(ValidationError) as refused:
        services.merge_experts(keep=own, drop=third, by=curator)
    assert "1" in refused.value.messages[0]
    # Nothing half-done: the other profile and its work are where they were.
    assert Work.objects.get(title="一篇论文").expert_id == third.pk
    assert not AuditEvent.objects.filter(action="experts.expert.merge").exists()
    # The other direction is allowed: the referred-to profile is kept (and takes the account).
    services.merge_experts(keep=third, drop=own, by=curator)
    third.refresh_from_db()
    assert third.user == expert_user
    assert speaker.objects.get().expert == third


def test_merge_with_oneself_is_refused(expert, curator):
    with pytest.raises(ValidationError):
        services.merge_experts(keep=expert, drop=expert, by=curator)


def test_duplicates_page_and_merge_flow(login, curator, make_expert):
    a = make_expert("王健", organization_name="重庆大学")
    b = make_expert("王健", organization_name="重庆大学计算机学院")
    services.add_work(expert=b, by=curator, kind=WorkKind.PAPER, title="图神经网络", year=2023)
    client = login(curator)
    page = client.get(reverse("experts:duplicates"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "重庆大学计算机学院" in html
    assert reverse("experts:merge", args=[a.pk, b.pk]) in html
    confirm = client.get(reverse("experts:merge", args=[a.pk, b.pk]))
    assert "图神经网络" in confirm.content.decode()
    done = client.post(reverse("experts:merge", args=[a.pk, b.pk]))
    assert done.status_code == 302
    assert done["Location"] == reverse("experts:detail", args=[a.pk])
    assert not Expert.objects.filter(pk=b.pk).exists()
    assert client.get(reverse("experts:duplicates")).context["total"] == 0


def test_merge_page_explains_a_refusal(login, curator, make_expert):
    a = make_expert("王健", organization_name="重庆大学")
    b = make_expert("王健", organization_name="重庆大学计算机学院")
    speaker = apps.get_model("workers", "SpiritSpeaker")
    speaker.objects.create(name="王健", expert=b, topics="科学家精神", created_by=curator)
    client = login(curator)
    page = client.get(reverse("experts:merge", args=[a.pk, b.pk]))
    assert page.context["references"]
    assert b'data-testid="merge-confirm"' not in page.content
    posted = client.post(reverse("experts:merge", args=[a.pk, b.pk]))
    assert posted.status_code == 400
    assert Expert.objects.filter(pk=b.pk).exists()


def test_distinct_view(login, curator, make_expert):
    a = make_expert("王健", organization_name="重庆大学")
    b = make_expert("王健", organization_name="重庆大学")
    client = login(curator)
    assert client.get(reverse("experts:distinct", args=[a.pk, b.pk])).status_code == 405
    response = client.post(reverse("experts:distinct", args=[a.pk, b.pk]))
    assert response.status_code == 302
    assert DistinctPair.objects.filter(first=a, second=b).exists()


@pytest.mark.parametrize("who", ["kepu_staff", "expert_user", "enterprise_user"])
def test_only_curators_see_duplicates_and_merge(request, login, who, make_expert):
    a = make_expert("王健", organization_name="重庆大学")
    b = make_expert("王健", organization_name="重庆大学计算机学院")
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("experts:duplicates")).status_code in (403, 404)
    assert client.post(reverse("experts:merge", args=[a.pk, b.pk])).status_code in (403, 404)
    assert client.post(reverse("experts:distinct", args=[a.pk, b.pk])).status_code in (403, 404)
    assert Expert.objects.count() == 2
    assert not DistinctPair.objects.exists()


def test_curators_get_a_todo(curator, kepu_staff, make_expert):
    make_expert("王健", organization_name="重庆大学")
    make_expert("王健", organization_name="重庆大学计算机学院")
    todos.clear_cache()
    url = reverse("experts:duplicates")
    item = next(i for i in todos.items_for(curator) if i.url == url)
    assert item.count == 1
    assert not any(i.url == url for i in todos.items_for(kepu_staff))


def test_a_work_held_by_both_keeps_the_co_authors_of_both(make_expert, curator):
    keep = make_expert("王健", organization_name="重庆大学")
    drop = make_expert("王健", organization_name="重庆大学计算机学院")
    services.add_work(
        expert=keep, by=curator, kind=WorkKind.PAPER, title="图神经网络", year=2023, coauthors=["钱七"]
    )
    services.add_work(
        expert=drop,
        by=curator,
        kind=WorkKind.PAPER,
        title="图神经网络",
        year=2023,
        role="first",
        coauthors=["赵六"],
    )
    item = ReviewItem(person_names=["赵六"])
    assert conflicts(expert=drop, item=item)
    services.merge_experts(keep=keep, drop=drop, by=curator)
    work = Work.objects.get(expert=keep)
    assert (work.coauthors, work.role) == (["钱七", "赵六"], "first")
    assert conflicts(expert=keep, item=item)  # the co-author conflict survives the merge


def test_merge_keeps_the_overseas_flag_and_the_organization_with_its_name(make_expert, curator, orgs):
    keep = make_expert("王健", organization_name="")
    drop = make_expert("王健", organization_name="重庆大学", overseas=True, organization=orgs[ROOT_NAME])
    services.merge_experts(keep=keep, drop=drop, by=curator)
    keep.refresh_from_db()
    assert keep.overseas
    assert (keep.organization, keep.organization_name) == (orgs[ROOT_NAME], "重庆大学")


def test_nobody_merges_their_own_profile(make_expert, curator):
    own = make_expert("张伟", user=curator, state=VerificationState.UNVERIFIED)
    entered = make_expert("张伟", organization_name="重庆大学计算机学院")
    for keep, drop in ((entered, own), (own, entered)):
        with pytest.raises(ValidationError):
            services.merge_experts(keep=keep, drop=drop, by=curator)
    own.refresh_from_db()
    assert own.state == VerificationState.UNVERIFIED


def test_marking_a_pair_twice_leaves_one_audit_event(make_expert, curator):
    a = make_expert("王健", organization_name="重庆大学")
    b = make_expert("王健", organization_name="重庆大学")
    services.mark_distinct(first=a, second=b, by=curator)
    services.mark_distinct(first=b, second=a, by=curator)
    assert AuditEvent.objects.filter(action="experts.expert.distinct").count() == 1


def test_a_research_base_membership_is_named_once_in_the_refusal(make_expert, curator):
    kept = make_expert("王健", organization_name="重庆大学")
    member = make_expert("王健", organization_name="重庆大学计算机学院")
    base = apps.get_model("thinktank", "ResearchBase").objects.create(
        name="重庆发展研究基地", kind="research_centre"
    )
    base.members.add(member)
    found = duplicates.references(member)
    assert len(found) == 1 and found[0][1] == 1
    with translation.override("zh-hans"):
        label = str(duplicates.references(member)[0][0])
    assert label != "家" and "relationship" not in label.lower()
    with pytest.raises(ValidationError):
        services.merge_experts(keep=kept, drop=member, by=curator)


def test_the_pairs_are_kept_until_the_library_changes(settings, make_expert, curator, monkeypatch):
    monkeypatch.setattr("kexie.core.versioned.DEFAULT_TIMEOUT", 60)
    duplicates._kept.clear()
    a = make_expert("王健", organization_name="重庆大学")
    b = make_expert("王健", organization_name="重庆大学计算机学院")
    assert duplicates.possible_duplicate_ids() == [(a.pk, b.pk)]
    calls = []
    real = duplicates._find_pairs
    monkeypatch.setattr(duplicates, "_find_pairs", lambda: calls.append(1) or real())
    assert duplicates.possible_duplicate_ids() == [(a.pk, b.pk)]
    assert calls == []  # nothing changed: kept
    services.mark_distinct(first=a, second=b, by=curator)
    assert duplicates.possible_duplicate_ids() == []
    c = make_expert("王健", organization_name="重庆大学")
    assert duplicates.possible_duplicate_ids() == [(a.pk, c.pk), (b.pk, c.pk)]
    assert len(calls) == 2
    duplicates._kept.clear()
