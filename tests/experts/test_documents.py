"""The search source of kind "expert": what is indexed, and the index following commits."""

from __future__ import annotations

from kexie.experts import services
from kexie.experts.documents import expert_document, expert_documents
from kexie.experts.enums import Availability, ProfessionalTitle, SearchKind, VerificationState
from kexie.search import index as search
from kexie.search.documents import Filters
from tests.experts.conftest import ID_A, MOBILE_A


def hit_ids(text: str, **kwargs) -> list[str]:
    return [hit.id for hit in search.query(text, kinds=[SearchKind.EXPERT], **kwargs).hits]


def test_document_has_profile_fields_and_no_personal_data(expert, curator):
    services.add_work(expert=expert, by=curator, kind="paper", title="焊缝缺陷检测", year=2021)
    services.add_work(expert=expert, by=curator, kind="patent", title="一种机器人夹具", year=2023)

    document = expert_document(expert)

    assert (document.kind, document.id, document.title) == ("expert", expert.pk, "李明")
    assert list(document.keywords) == ["人工智能", "机器视觉", "智能制造", "工业机器人"]
    assert list(document.disciplines) == ["F0201"]
    assert (document.district, document.year, document.activity) == ("500103", 2023, 2)
    assert list(document.flags) == ["verified", "available", "title:senior"]  # a professor: 正高
    # Works are their own field (scored one by one for matching), not part of the biography.
    assert list(document.works) == ["一种机器人夹具", "焊缝缺陷检测"]
    assert "焊缝缺陷检测" not in document.body and "焊缝缺陷检测" in document.body_text
    flat = repr(document)
    assert MOBILE_A not in flat and ID_A not in flat and "liming@example.cn" not in flat


def test_flags_follow_state_overseas_and_availability(make_expert):
    pending = make_expert(
        "王强", state=VerificationState.UNVERIFIED, overseas=True, availability=Availability.BUSY
    )

    assert list(expert_document(pending).flags) == ["overseas", "title:senior"]
    lecturer = make_expert("赵敏", title=ProfessionalTitle.LECTURER, overseas=False)
    assert "title:intermediate" in expert_document(lecturer).flags


def test_loader_skips_missing_ids(expert):
    assert [d.id for d in expert_documents([str(expert.pk), "999999", "x"])] == [expert.pk]


def test_created_expert_is_found_after_commit(django_capture_on_commit_callbacks, make_expert):
    with django_capture_on_commit_callbacks(execute=True):
        created = make_expert("王强", keywords=["页岩气"], biography="页岩气开发。", district="500112")

    assert hit_ids("页岩气") == [str(created.pk)]
    assert hit_ids("页岩气", filters=Filters(districts=["500103"])) == []


def test_nothing_indexed_before_commit(django_capture_on_commit_callbacks, make_expert):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_expert("王强", keywords=["页岩气"])

    assert len(callbacks) == 1
    assert hit_ids("页岩气") == []


def test_updated_and_deleted_expert_follow_in_index(django_capture_on_commit_callbacks, make_expert, curator):
    with django_capture_on_commit_callbacks(execute=True):
        created = make_expert("王强", keywords=["页岩气"])
    with django_capture_on_commit_callbacks(execute=True):
        services.update_expert(expert=created, by=curator, keywords=["氢能"])
    assert hit_ids("页岩气") == []
    assert hit_ids("氢能") == [str(created.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_expert(expert=created, by=curator)

    assert hit_ids("氢能") == []


def test_rebuild_indexes_every_expert(make_expert):
    make_expert("王强", keywords=["氢能"])
    make_expert("赵六", keywords=["氢能"], overseas=True)

    written = search.rebuild(kinds=[SearchKind.EXPERT])

    assert written == 2
    assert len(hit_ids("氢能")) == 2
    assert len(hit_ids("氢能", filters=Filters(flags=["overseas"]))) == 1
