"""Affiliations and advisor–student links kept on the expert's page, and the platform organization."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kexie.core.models import AuditEvent
from kexie.experts import services
from kexie.experts.conflicts import ReviewItem
from kexie.experts.models import Affiliation, Mentorship


@pytest.fixture
def own_expert(make_expert, expert_user):
    return make_expert("张伟", user=expert_user)


def _detail(expert):
    return reverse("experts:detail", args=[expert.pk])


# --- affiliations -----------------------------------------------------------------------------------


def test_affiliation_add_by_curator_feeds_conflict_check(login, curator, expert, orgs):
    university = orgs["重庆市科学技术协会"]
    response = login(curator).post(
        reverse("experts:affiliation_add", args=[expert.pk]),
        {
            "organization_name": "西南大学",
            "organization": university.pk,
            "start_year": "2001",
            "end_year": "2010",
        },
        follow=True,
    )

    affiliation = Affiliation.objects.get(expert=expert)
    assert (
        affiliation.organization_name,
        affiliation.organization_id,
        affiliation.start_year,
        affiliation.end_year,
    ) == (
        "西南大学",
        university.pk,
        2001,
        2010,
    )
    assert "西南大学" in response.content.decode()
    event = AuditEvent.objects.get(action="experts.affiliation.add")
    assert event.after == {"expert": expert.pk, "organization": "西南大学", "from": 2001, "until": 2010}
    found = services.conflicts(expert=expert, item=ReviewItem(organization_names=["西南大学"]))
    assert [c.subject for c in found] == ["西南大学"]


def test_affiliation_without_end_year_is_current(login, curator, expert):
    response = login(curator).post(
        reverse("experts:affiliation_add", args=[expert.pk]),
        {"organization_name": "重庆邮电大学"},
        follow=True,
    )

    body = response.content.decode()
    assert "至今" in body
    assert Affiliation.objects.get(expert=expert).end_year is None


def test_affiliation_errors_in_chinese_nothing_saved(login, curator, expert):
    client = login(curator)

    empty = client.post(reverse("experts:affiliation_add", args=[expert.pk]), {"organization_name": ""})
    reversed_years = client.post(
        reverse("experts:affiliation_add", args=[expert.pk]),
        {"organization_name": "西南大学", "start_year": "2010", "end_year": "2001"},
    )

    assert empty.status_code == 400
    assert "请填写单位名称，或选择平台中的单位。" in empty.content.decode()
    assert reversed_years.status_code == 400
    assert "结束年份早于开始年份。" in reversed_years.content.decode()
    assert Affiliation.objects.count() == 0
    assert AuditEvent.objects.filter(action="experts.affiliation.add").count() == 0


def test_affiliation_kept_by_the_expert_themselves(login, expert_user, own_expert):
    login(expert_user).post(
        reverse("experts:affiliation_add", args=[own_expert.pk]), {"organization_name": "重庆医科大学"}
    )

    assert list(own_expert.affiliations.values_list("organization_name", flat=True)) == ["重庆医科大学"]


@pytest.mark.parametrize(
    ("who", "status"), [("kepu_staff", 403), ("expert_user", 404), ("enterprise_user", 404)]
)
def test_affiliation_add_refused_to_others(request, login, expert, who, status):
    response = login(request.getfixturevalue(who)).post(
        reverse("experts:affiliation_add", args=[expert.pk]), {"organization_name": "西南大学"}
    )

    assert response.status_code == status
    assert Affiliation.objects.count() == 0


def test_affiliation_remove(login, curator, expert):
    affiliation = services.add_affiliation(expert=expert, by=curator, organization_name="西南大学")

    login(curator).post(reverse("experts:affiliation_remove", args=[affiliation.pk]))

    assert Affiliation.objects.count() == 0
    assert AuditEvent.objects.get(action="experts.affiliation.remove").before["organization"] == "西南大学"


def test_affiliation_remove_by_reader_refused(login, curator, kepu_staff, expert):
    affiliation = services.add_affiliation(expert=expert, by=curator, organization_name="西南大学")

    response = login(kepu_staff).post(reverse("experts:affiliation_remove", args=[affiliation.pk]))

    assert response.status_code == 403
    assert Affiliation.objects.count() == 1


# --- advisor–student links ------------------------------------------------------------------------


def test_mentorship_add_by_name(login, curator, expert):
    response = login(curator).post(
        reverse("experts:mentorship_add", args=[expert.pk]),
        {"side": "advisor", "other_name": "陈晨"},
        follow=True,
    )

    link = Mentorship.objects.get()
    assert (link.advisor, link.student, link.student_name) == (expert, None, "陈晨")
    assert "陈晨" in response.content.decode()
    assert AuditEvent.objects.get(action="experts.mentorship.add").after == {
        "advisor": "李明",
        "student": "陈晨",
    }
    found = services.conflicts(expert=expert, item=ReviewItem(person_names=["陈晨"]))
    assert [c.kind for c in found] == ["mentorship"]


def test_mentorship_add_with_library_expert(login, curator, expert, make_expert):
    advisor = make_expert("王老师")

    login(curator).post(
        reverse("experts:mentorship_add", args=[expert.pk]), {"side": "student", "other_expert": advisor.pk}
    )

    link = Mentorship.objects.get()
    assert (link.advisor, link.student) == (advisor, expert)
    body = login(curator).get(_detail(advisor)).content.decode()
    assert f'href="{_detail(expert)}">李明</a>' in body


def test_mentorship_errors_in_chinese(login, curator, expert):
    client = login(curator)

    missing = client.post(reverse("experts:mentorship_add", args=[expert.pk]), {"side": "advisor"})
    unknown = client.post(
        reverse("experts:mentorship_add", args=[expert.pk]), {"side": "advisor", "other_expert": "999999"}
    )
    itself = client.post(
        reverse("experts:mentorship_add", args=[expert.pk]), {"side": "advisor", "other_expert": expert.pk}
    )

    assert "请填写另一方的姓名。" in missing.content.decode()
    assert "专家库中没有编号为 999999 的专家。" in unknown.content.decode()
    assert "专家不能是自己的导师。" in itself.content.decode()
    assert Mentorship.objects.count() == 0


def test_mentorship_duplicate_refused(login, curator, expert):
    services.add_mentorship(by=curator, advisor=expert, student_name="陈晨")

    response = login(curator).post(
        reverse("experts:mentorship_add", args=[expert.pk]), {"side": "advisor", "other_name": "陈晨"}
    )

    assert "这一师生关系已有记录。" in response.content.decode()
    assert Mentorship.objects.count() == 1


def test_mentorship_form_of_an_expert_has_no_library_ids(login, expert_user, own_expert):
    client = login(expert_user)

    form = client.get(_detail(own_expert)).context["mentorship_form"]
    client.post(
        reverse("experts:mentorship_add", args=[own_expert.pk]),
        {"side": "student", "other_name": "老张", "other_expert": "1"},
    )

    assert "other_expert" not in form.fields
    link = Mentorship.objects.get()
    assert (link.advisor, link.advisor_name, link.student) == (None, "老张", own_expert)


def test_mentorship_remove_from_either_side(login, curator, expert, make_expert):
    other = make_expert("王老师")
    link = services.add_mentorship(by=curator, advisor=other, student=expert)

    response = login(curator).post(
        reverse("experts:mentorship_remove", args=[link.pk]), {"expert": expert.pk}
    )

    assert response["Location"] == _detail(expert)
    assert Mentorship.objects.count() == 0
    assert AuditEvent.objects.get(action="experts.mentorship.remove").before == {
        "advisor": "王老师",
        "student": "李明",
    }


def test_mentorship_remove_by_reader_refused(login, curator, kepu_staff, expert):
    link = services.add_mentorship(by=curator, advisor=expert, student_name="陈晨")

    response = login(kepu_staff).post(
        reverse("experts:mentorship_remove", args=[link.pk]), {"expert": expert.pk}
    )

    assert response.status_code == 403
    assert Mentorship.objects.count() == 1


def test_detail_shows_link_forms_only_to_editors(login, curator, kepu_staff, expert):
    curator_body = login(curator).get(_detail(expert)).content.decode()
    reader_body = login(kepu_staff).get(_detail(expert)).content.decode()

    assert 'data-testid="affiliation-form"' in curator_body
    assert 'data-testid="mentorship-form"' in curator_body
    assert 'data-testid="affiliation-form"' not in reader_body
    assert 'data-testid="mentorship-form"' not in reader_body


# --- platform organization ----------------------------------------------------------------------------


def test_staff_edit_links_platform_organization(login, curator, expert, orgs):
    society = orgs["重庆市科学技术期刊编辑学会"]
    client = login(curator)
    form = client.get(reverse("experts:edit", args=[expert.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, [])}
    data.update(
        {
            "organization": society.pk,
            "honours": [],
            "title": expert.title,
            "availability": expert.availability,
        }
    )
    data.pop("mobile", None)
    data.pop("id_number", None)
    data.pop("email", None)

    client.post(reverse("experts:edit", args=[expert.pk]), data)

    expert.refresh_from_db()
    assert expert.organization_id == society.pk
    found = services.conflicts(expert=expert, item=ReviewItem(organization_ids=[society.pk]))
    assert [c.kind for c in found] == ["organization"]
