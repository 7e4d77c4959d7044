"""The hand-over registry with the apps that plug into it (calls, think tank, outreach): what each
hands over, review or not, and the source's lifecycle (withdrawn there → gone here)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kexie.calls.enums import CallState
from kexie.calls.models import Call
from kexie.core.models import AuditEvent
from kexie.news import queries, services, sources
from kexie.news.enums import Column, Decision, VersionState
from kexie.news.models import NewsItem
from kexie.news.tasks import sync_sources_job
from kexie.outreach.enums import ActivityState, Audience, BulletinAudience, BulletinState
from kexie.outreach.models import Activity, Bulletin, Campaign
from kexie.thinktank.enums import Access
from kexie.thinktank.models import Result

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 9, 10, 10, 0, tzinfo=SHANGHAI)

pytestmark = pytest.mark.django_db


def _public_titles(column=None) -> set[str]:
    return {i.published_version.title for i in queries.public_items(column)}


def _item(kind: str, ref) -> NewsItem:
    return NewsItem.objects.get(source_kind=kind, source_ref=str(ref))


@pytest.fixture
def call(orgs, writer):
    return Call.objects.create(
        kind="test",
        title="2026年度青年人才托举工程申报",
        organiser=orgs["组织人事部"],
        year=2026,
        state=CallState.OPEN,
        opens_at=AT,
        description="面向35岁以下青年科技工作者。",
        created_by=writer,
    )


def test_apps_register_their_kinds_in_their_own_news_modules():
    kinds = {s.kind: s for s in sources.registered()}
    assert {"calls.call", "calls.publicity", "calls.result", "thinktank.column", "outreach.activity"} <= set(
        kinds
    )
    assert kinds["calls.publicity"].pre_approved and kinds["calls.result"].pre_approved
    assert not kinds["calls.call"].pre_approved and not kinds["thinktank.column"].pre_approved
    assert not kinds["outreach.activity"].pre_approved


def test_open_call_goes_through_review_and_publicity_shows_at_once(call, editor, orgs):
    report = sources.sync_sources()
    assert (report.handed_over, report.withdrawn) == (1, 0)
    notice = _item("calls.call", call.pk)
    assert notice.latest_version.state == VersionState.IN_REVIEW
    assert notice.column == Column.NOTICE and notice.external_url == f"/calls/{call.pk}/"
    assert _public_titles() == set()
    assert notice.latest_version in queries.waiting_for(editor)

    Call.objects.filter(pk=call.pk).update(
        state=CallState.PUBLICITY, publicity_start=date(2026, 9, 1), publicity_end=date(2026, 9, 7)
    )
    assert sources.sync_sources().handed_over == 1
    publicity = _item("calls.publicity", call.pk)
    assert publicity.published_version.state == VersionState.PUBLISHED
    assert _public_titles(Column.NOTICE) == {"公示：2026年度青年人才托举工程申报"}
    assert AuditEvent.objects.filter(action="news.handed_over_published").count() == 1
    # Handed over once: a second sync changes nothing.
    assert sources.sync_sources() == sources.SyncReport()


def test_cancelled_call_leaves_list_and_feed_at_once_then_sync_records_it(call, client, editor):
    Call.objects.filter(pk=call.pk).update(
        state=CallState.PUBLICITY, publicity_start=date(2026, 9, 1), publicity_end=date(2026, 9, 7)
    )
    sources.sync_sources()
    item = _item("calls.publicity", call.pk)
    feed = client.get("/news/notice/feed.atom").content.decode()
    assert "公示：2026年度青年人才托举工程申报" in feed
    assert client.get(f"/news/items/{item.pk}/").status_code == 200

    Call.objects.filter(pk=call.pk).update(state=CallState.CANCELLED)
    # Before any sync: the public query asks the source.
    assert _public_titles() == set()
    assert "青年人才托举工程" not in client.get("/news/notice/feed.atom").content.decode()
    assert "青年人才托举工程" not in client.get("/news/notice/").content.decode()
    assert client.get(f"/news/items/{item.pk}/").status_code == 404

    report = sources.sync_sources()
    assert report.withdrawn == 2  # the call notice (in review) and the publicity
    item.refresh_from_db()
    assert item.withdrawn_by_source and item.withdrawn_at is not None
    assert AuditEvent.objects.filter(action="news.source_withdrawn").count() == 2
    # The notice that was waiting in 初审 no longer waits.
    assert not queries.waiting_for(editor).filter(item__source_kind="calls.call").exists()

    Call.objects.filter(pk=call.pk).update(state=CallState.PUBLICITY)
    assert sources.sync_sources().restored == 2
    assert _public_titles() == {"公示：2026年度青年人才托举工程申报"}


def test_editor_withdrawal_stays_while_the_source_still_shows_it(call, leader):
    Call.objects.filter(pk=call.pk).update(
        state=CallState.FINAL, publicity_start=date(2026, 9, 1), publicity_end=date(2026, 9, 7)
    )
    sources.sync_sources()
    result = _item("calls.result", call.pk)
    assert "结果发布：2026年度青年人才托举工程申报" in _public_titles()
    services.withdraw(leader, result, reason="名单有误，核实后重发")
    assert sources.sync_sources().restored == 0
    result.refresh_from_db()
    assert result.withdrawn_at is not None and not result.withdrawn_by_source
    assert "结果发布：2026年度青年人才托举工程申报" not in _public_titles()


def test_think_tank_hands_over_column_items_never_internal_results(orgs, editor, head, leader):
    internal = Result.objects.create(
        title="关于成渝地区科技人才流动的内部研判", authors="课题组", year=2026, access=Access.INTERNAL
    )
    public_not_in_column = Result.objects.create(
        title="重庆科技社团发展报告", authors="课题组", year=2026, access=Access.PUBLIC
    )
    column = Result.objects.create(
        title="以科技小院助推乡村振兴",
        authors="课题组",
        year=2026,
        access=Access.PUBLIC,
        column_published_at=AT,
        summary="智库专栏文章。",
    )
    assert sources.sync_sources(kinds=["thinktank.column"]).handed_over == 1
    refs = set(NewsItem.objects.filter(source_kind="thinktank.column").values_list("source_ref", flat=True))
    assert refs == {str(column.pk)}
    assert str(internal.pk) not in refs and str(public_not_in_column.pk) not in refs
    item = _item("thinktank.column", column.pk)
    assert item.organization == orgs["战略发展部"] and item.column == Column.NEWS
    # Reviewed like any item: the head of 战略发展部 acts at 复审.
    version = item.latest_version
    services.review(editor, version, decision=Decision.PASS)
    version.refresh_from_db()
    assert version.step.code == "second"
    assert not queries.waiting_for(head).filter(pk=version.pk).exists()  # 科普部's head: not theirs

    # Made internal again (out of the column first, as the model requires): never handed over, gone.
    Result.objects.filter(pk=column.pk).update(column_published_at=None, access=Access.INTERNAL)
    assert sources.sync_sources(kinds=["thinktank.column"]).withdrawn == 1
    assert not NewsItem.objects.filter(source_kind="thinktank.column", withdrawn_at__isnull=True).exists()


def test_outreach_hands_over_public_campaign_activities_not_bulletins(orgs, editor, head, leader, client):
    campaign = Campaign.objects.create(
        name="2026年全国科普日",
        kind="science_day",
        year=2026,
        starts_on=date(2026, 9, 15),
        ends_on=date(2026, 9, 29),
    )

    def activity(title, *, audience=Audience.PUBLIC, in_campaign=True):
        return Activity.objects.create(
            campaign=campaign if in_campaign else None,
            title=title,
            kind="fair",
            audience=audience,
            district="500103",
            organizer=orgs["科学技术普及部"],
            place="解放碑",
            starts_at=datetime(2026, 9, 16, 14, 0, tzinfo=SHANGHAI),
            ends_at=datetime(2026, 9, 16, 18, 0, tzinfo=SHANGHAI),
        )

    fair = activity("科学之夜科普集市")
    activity("老年人防诈骗讲座", audience=Audience.ELDERLY)
    activity("社区科普讲座", in_campaign=False)
    Bulletin.objects.create(
        title="防汛应急科普",
        topic="flood",
        content="……",
        audience=BulletinAudience.ALL,
        state=BulletinState.PUBLISHED,
        published_at=AT,
    )
    assert sources.sync_sources().handed_over == 1
    item = _item("outreach.activity", fair.pk)
    assert item.organization == orgs["科学技术普及部"]
    assert not NewsItem.objects.filter(source_kind__startswith="outreach.").exclude(pk=item.pk).exists()

    version = item.latest_version
    services.review(editor, version, decision=Decision.PASS)
    services.review(head, version, decision=Decision.PASS)
    services.review(leader, version, decision=Decision.PASS)
    assert _public_titles(Column.NEWS) == {"科学之夜科普集市"}
    assert "科学之夜科普集市" in client.get("/news/news/feed.atom").content.decode()

    Activity.objects.filter(pk=fair.pk).update(state=ActivityState.CANCELLED)
    assert _public_titles(Column.NEWS) == set()
    assert "科学之夜科普集市" not in client.get("/news/news/feed.atom").content.decode()


def test_site_sitemap_lists_portal_pages_items_and_their_sources(call, client):
    Call.objects.filter(pk=call.pk).update(
        state=CallState.PUBLICITY, publicity_start=date(2026, 9, 1), publicity_end=date(2026, 9, 7)
    )
    sources.sync_sources()
    item = _item("calls.publicity", call.pk)
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    body = response.content.decode()
    assert f"http://testserver/news/items/{item.pk}/</loc>" in body
    assert f"http://testserver/calls/{call.pk}/publicity/</loc>" in body
    assert "http://testserver/news/case/</loc>" in body
    assert "http://testserver/</loc>" in body
    assert "/news/manage/" not in body  # staff pages are not public
    Call.objects.filter(pk=call.pk).update(state=CallState.CANCELLED)
    assert f"/news/items/{item.pk}/" not in client.get("/sitemap.xml").content.decode()


def test_sync_button_for_editors_only_and_the_job(call, client, login, writer, editor):
    assert login(writer).post("/news/manage/sync/").status_code == 403
    assert not NewsItem.objects.filter(source_kind="calls.call").exists()
    page = login(editor).post("/news/manage/sync/", follow=True).content.decode()
    assert "已同步：新接收 1 条，来源已撤回 0 条，恢复 0 条。" in page
    assert "申报通知" in page  # the item's source label in the list
    Call.objects.filter(pk=call.pk).update(state=CallState.CANCELLED)
    assert sync_sources_job.call_local() == {"handed_over": 0, "withdrawn": 1, "restored": 0, "refused": []}
