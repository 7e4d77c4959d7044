"""Demo data of the supervision ledger: the seed notice confirmed, tasks in every state, reports with
evidence, a change request, reminders, typical cases and the measure-9 indicator history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kexie.accounts.models import User
from kexie.policy import services
from kexie.policy.enums import ChangeKind, NoticeState, TaskSource
from kexie.policy.models import Notice, ProgressReport, Target, Task

SEED_NOTICE = Path(settings.BASE_DIR) / "seed" / "notice-yukexiefa-2022-84.txt"
DOC_NUMBER = "渝科协发〔2022〕84号"

# Published Chongqing citizen science-literacy rates (重庆市科协 releases), the measure-9 history.
LITERACY_HISTORY = [
    (date(2015, 12, 31), "4.74"),
    (date(2018, 12, 31), "8.01"),
    (date(2020, 12, 31), "10.20"),
    (date(2022, 12, 31), "12.3"),
]


def _task(notice: Notice, number: int) -> Task:
    return Task.objects.get(measure__notice=notice, measure__number=number, source=TaskSource.NOTICE)


def _evidence(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


@transaction.atomic
def load_demo_policy(users: dict[str, User]) -> Notice | None:  # noqa: PLR0915 - a linear demo script
    """`users` maps demo user names to users: duban (supervisor), leader, and lead departments' staff."""
    if Notice.objects.filter(doc_number=DOC_NUMBER, state=NoticeState.CONFIRMED).exists():
        return None
    duban, leader = users["duban"], users["leader"]
    draft = services.create_notice_draft(
        text=SEED_NOTICE.read_text(encoding="utf-8"), source_name=SEED_NOTICE.name, by=duban
    )
    mapping = services.match_organizations(services.draft_unit_names(draft.draft))
    today = timezone.localdate()
    notice = services.confirm_notice(
        notice=draft, mapping=mapping, by=duban, due_date=date(today.year, 12, 31)
    )
    kechuang, kepu, zhanlue = users["kechuang_staff"], users["kepu_head"], users["zhanlue_staff"]
    xuanchuan, zuzhi, guoji = users["xuanchuan_staff"], users["zuzhi_staff"], users["guoji_staff"]

    # 1: under way, on track, with evidence; a milestone ahead.
    t1 = _task(notice, 1)
    services.add_milestone(task=t1, title="组建科技服务团", due_date=today + timedelta(days=40), by=duban)
    services.record_progress(
        task=t1,
        text="已联系中国机械工程学会等 6 个全国学会，拟组建 3 个科技服务团服务西部（重庆）科学城。",
        percent=45,
        files=[_evidence("服务团组建方案.txt", "科技服务团组建方案（征求意见稿）")],
        by=kechuang,
    )
    # 2: completion requested.
    t2 = _task(notice, 2)
    services.record_progress(
        task=t2, text="“科创中国”@重庆双月论坛已举办 6 期，组建青年创新创业联合体。", percent=100, by=kechuang
    )
    services.request_completion(task=t2, by=kechuang)
    # 3: completed, with a published typical case.
    t3 = _task(notice, 3)
    services.record_progress(
        task=t3,
        text="新成立重庆市人工智能学会等 3 个科技社团，发布重庆科技期刊目录。",
        percent=100,
        by=kechuang,
    )
    services.request_completion(task=t3, by=kechuang)
    services.approve_completion(task=t3, by=leader)
    case = services.write_case(
        task=t3,
        title="“会企协作”助推智能网联汽车产业",
        submit=True,
        by=kechuang,
        body="市汽车工程学会联合 12 家整车及零部件企业举办集会展赛商于一体的学术会议，"
        "促成 5 项技术合作，签约金额 3200 万元。",
    )
    services.publish_case(case=case, by=leader)
    # 4: overdue (red) and reminded.
    t4 = _task(notice, 4)
    services.record_progress(task=t4, text="恒合乡“九个一”措施已落实 6 项。", percent=60, by=kepu)
    Task.objects.filter(pk=t4.pk).update(due_date=today - timedelta(days=12))
    t4.refresh_from_db()
    services.refresh_light(task=t4)
    services.send_reminder(task=t4, by=duban, message="请于本周内报送恒合乡帮扶工作最新进展及佐证材料。")
    # 5: due soon (amber).
    t5 = _task(notice, 5)
    services.record_progress(
        task=t5, text="科学家精神报告团已组建，完成宣讲 18 场。", percent=70, by=xuanchuan
    )
    Task.objects.filter(pk=t5.pk).update(due_date=today + timedelta(days=5))
    t5.refresh_from_db()
    services.refresh_light(task=t5)
    # 6: still a draft (not started).
    # 7: a pending due-date change.
    t7 = _task(notice, 7)
    services.record_progress(task=t7, text="青年科技人才托举工程第一批 30 人已遴选。", percent=40, by=zuzhi)
    services.request_change(
        task=t7,
        kind=ChangeKind.DUE_DATE,
        new_due_date=date(today.year + 1, 6, 30),
        reason="第二批遴选需待中国科协名额下达后开展。",
        by=zuzhi,
    )
    # 9: under way; the literacy history as manual indicator values.
    t9 = _task(notice, 9)
    services.record_progress(
        task=t9, text="2026 年公民科学素质大赛已启动，第一阶段参赛 12.6 万人次。", percent=55, by=kepu
    )
    target = Target.objects.get(measure__notice=notice, measure__number=9)
    for as_of, value in LITERACY_HISTORY:
        services.record_indicator_value(
            target=target, value=Decimal(value), as_of=as_of, by=duban, note="重庆市公民科学素质调查"
        )
    # 10: returned with a reason.
    t10 = _task(notice, 10)
    services.record_progress(task=t10, text="社区科普大学新增教学点 42 个。", percent=100, by=kepu)
    services.request_completion(task=t10, by=kepu)
    services.return_task(task=t10, reason="请补充科技志愿服务管理制度文件作为佐证材料。", by=leader)
    # 12 and 13–16: under way; a report missing for a long time on 12 (red).
    t12 = _task(notice, 12)
    services.start_task(task=t12, by=guoji)
    Task.objects.filter(pk=t12.pk).update(started_at=timezone.now() - timedelta(days=45))
    t12.refresh_from_db()
    services.refresh_light(task=t12)
    for number, text, percent in [
        (13, "与西南大学共建柔性智库平台，签署合作协议。", 50),
        (14, "《院士专家建议》本年度已编发 8 期，3 期获市领导批示。", 65),
        (15, "在重庆科技报开设“智库视点”专栏。", 80),
        (16, "选题库收录问题 126 个，专家库入库 860 人。", 60),
    ]:
        services.record_progress(task=_task(notice, number), text=text, percent=percent, by=zhanlue)
    # A split measure and a task from a leader's instruction.
    services.create_task(
        title="筹建重庆市科技伦理学会",
        lead=users["xuanchuan_staff"].memberships.first().organization,
        measure=t5.measure,
        due_date=date(today.year + 1, 3, 31),
        by=duban,
    )
    # A split task cancelled with a leader's approval.
    merged = services.create_task(
        title="编印科学家精神宣传册",
        lead=users["xuanchuan_staff"].memberships.first().organization,
        measure=t5.measure,
        by=duban,
    )
    cancellation = services.request_change(
        task=merged, kind=ChangeKind.CANCEL, reason="并入科学家精神报告团工作统筹推进。", by=xuanchuan
    )
    services.decide_change(change=cancellation, approve=True, note="同意。", by=leader)
    services.create_task(
        title="落实市领导关于《院士专家建议》第 5 期的批示",
        source=TaskSource.INSTRUCTION,
        source_ref="批示〔2026〕5号",
        lead=users["zhanlue_staff"].memberships.first().organization,
        due_date=today + timedelta(days=20),
        by=duban,
    )
    # District associations carry measures into their districts: 渝中区科协 leads two tasks, so that a
    # district user's home and dashboard show its own work (one under way, one not yet started).
    if "yuzhong" in users:
        yuzhong = users["yuzhong"]
        district = yuzhong.memberships.first().organization
        literacy = services.create_task(
            title="渝中区全民科学素质行动年度任务",
            lead=district,
            measure=_task(notice, 9).measure,
            due_date=date(today.year, 12, 31),
            by=duban,
        )
        services.start_task(task=literacy, by=yuzhong)
        services.record_progress(
            task=literacy,
            text="开展社区科普大学课程 24 期，组织居民参加科学素质竞赛。",
            percent=40,
            by=yuzhong,
        )
        services.create_task(
            title="渝中区科技志愿服务队伍建设",
            lead=district,
            measure=_task(notice, 10).measure,
            due_date=today + timedelta(days=10),
            by=duban,
        )
    # Spread the reports over the past weeks so that the ledger reads like one.
    for offset, report in enumerate(ProgressReport.objects.order_by("pk")):
        ProgressReport.objects.filter(pk=report.pk).update(
            created_at=timezone.now() - timedelta(days=20 - offset)
        )
    return notice
