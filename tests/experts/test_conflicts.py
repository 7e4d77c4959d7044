from __future__ import annotations

from django.utils import translation

from kexie.experts import services
from kexie.experts.conflicts import ReviewItem, conflicts, must_recuse, normalise
from kexie.experts.enums import ConflictKind


def kinds(found) -> list[tuple[str, str]]:
    return [(c.kind, c.subject) for c in found]


def test_normalise_ignores_width_space_and_punctuation():
    assert normalise(" 重庆大学（机械学院） ") == normalise("重庆大学机械学院")
    assert normalise("ＡＢＣ Lab") == "abclab"


def test_current_organization_by_name_conflicts(expert):
    item = ReviewItem(organization_names=["重庆 大学"])

    found = conflicts(expert=expert, item=item)

    assert kinds(found) == [(ConflictKind.ORGANIZATION, "重庆 大学")]
    with translation.override("en"):
        assert conflicts(expert=expert, item=item)[0].reason == (
            "Works at 重庆 大学, an organization of the item."
        )
    assert must_recuse(expert=expert, item=item) is True


def test_current_organization_by_id_and_alias_conflicts(make_expert, orgs, curator):
    kepu_org = orgs["科学技术普及部"]
    member = make_expert("王强", organization=kepu_org, organization_name="")

    by_id = conflicts(expert=member, item=ReviewItem(organization_ids=[kepu_org.pk]))
    by_alias = conflicts(expert=member, item=ReviewItem(organization_names=["科普部"]))

    assert kinds(by_id) == [(ConflictKind.ORGANIZATION, "科学技术普及部")]
    assert kinds(by_alias) == [(ConflictKind.ORGANIZATION, "科普部")]


def test_past_affiliation_conflicts_with_its_own_reason(expert, curator):
    services.add_affiliation(
        expert=expert, by=curator, organization_name="西南大学", start_year=2005, end_year=2012
    )

    with translation.override("en"):
        found = conflicts(expert=expert, item=ReviewItem(organization_names=["西南大学"]))

    assert [c.reason for c in found] == ["Formerly worked at 西南大学, an organization of the item."]


def test_other_organization_does_not_conflict(expert, curator):
    services.add_affiliation(expert=expert, by=curator, organization_name="西南大学")

    assert (
        conflicts(expert=expert, item=ReviewItem(organization_names=["重庆邮电大学"], person_names=["赵六"]))
        == []
    )
    assert must_recuse(expert=expert, item=ReviewItem()) is False


def test_coauthor_in_own_works_conflicts(expert, curator):
    services.add_work(
        expert=expert, by=curator, kind="project", title="智能装备项目", coauthors=["王强", "赵六"]
    )

    with translation.override("en"):
        found = conflicts(expert=expert, item=ReviewItem(person_names=["赵六"]))

    assert kinds(found) == [(ConflictKind.COAUTHOR, "赵六")]
    assert found[0].reason == "赵六 is a co-author or co-investigator of “智能装备项目”."


def test_coauthor_other_direction_conflicts(expert, make_expert, curator):
    other = make_expert("王强")
    services.add_work(expert=other, by=curator, kind="paper", title="联合论文", coauthors=["李明"])

    found = conflicts(expert=expert, item=ReviewItem(person_names=["王强"]))

    assert kinds(found) == [(ConflictKind.COAUTHOR, "王强")]


def test_coauthor_of_someone_else_does_not_conflict(expert, make_expert, curator):
    other = make_expert("王强")
    services.add_work(expert=other, by=curator, kind="paper", title="联合论文", coauthors=["周七"])

    assert conflicts(expert=expert, item=ReviewItem(person_names=["王强"])) == []


def test_advisor_and_student_conflict_both_directions(expert, make_expert, curator):
    student = make_expert("孙八")
    services.add_mentorship(by=curator, advisor=expert, student=student)
    services.add_mentorship(by=curator, advisor_name="钱九", student=expert)

    with translation.override("en"):
        as_advisor = conflicts(expert=expert, item=ReviewItem(person_names=["孙八"]))
        as_student = conflicts(expert=expert, item=ReviewItem(person_names=["钱九"]))
        from_student_side = conflicts(expert=student, item=ReviewItem(person_names=["李明"]))

    assert [(c.kind, c.reason) for c in as_advisor] == [
        (ConflictKind.MENTORSHIP, "孙八 is a student of this expert.")
    ]
    assert [c.reason for c in as_student] == ["钱九 is the advisor of this expert."]
    assert [c.reason for c in from_student_side] == ["李明 is the advisor of this expert."]


def test_same_channel_conflicts_and_other_channel_does_not(make_expert):
    nominated = make_expert("王强", channel="重庆市机械工程学会")

    assert kinds(conflicts(expert=nominated, item=ReviewItem(channel="重庆市机械工程学会"))) == [
        (ConflictKind.CHANNEL, "重庆市机械工程学会")
    ]
    assert conflicts(expert=nominated, item=ReviewItem(channel="渝中区科协")) == []
    assert conflicts(expert=make_expert("赵六"), item=ReviewItem(channel="重庆市机械工程学会")) == []


def test_several_reasons_are_all_listed(expert, curator):
    services.add_work(expert=expert, by=curator, kind="paper", title="论文", coauthors=["赵六"])

    found = conflicts(expert=expert, item=ReviewItem(organization_names=["重庆大学"], person_names=["赵六"]))

    assert kinds(found) == [(ConflictKind.ORGANIZATION, "重庆大学"), (ConflictKind.COAUTHOR, "赵六")]
