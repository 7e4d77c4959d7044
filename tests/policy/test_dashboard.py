"""The leaders' dashboard, the measure pages and the home summary: content, lights, filters, scoping,
query counts."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.accounts.models import Organization
from kexie.policy import dashboard_queries as dq
from kexie.policy import services
from kexie.policy.enums import Light, TaskState
from kexie.policy.models import Measure, Task
from tests.conftest import PASSWORD

# 科学技术普及部 leads measures 4, 9, 10, 11 and cooperates on 12; 战略发展部 leads 13–16, cooperates on 5.
KEPU_MEASURES = {4, 9, 10, 11, 12}
ZHANLUE_MEASURES = {5, 13, 14, 15, 16}


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def task_of(notice, number: int) -> Task:
    """The task the notice's confirmation created for the measure."""
    return Task.objects.filter(measure__notice=notice, measure__number=number).order_by("pk").first()


def measure_of(notice, number: int) -> Measure:
    return Measure.objects.get(notice=notice, number=number)


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def rows(content: str) -> dict[int, str]:
    """Measure number → light, as the dashboard renders its rows."""
    found = re.findall(r'data-testid="measure-row" data-measure="(\d+)" data-light="(\w+)"', content)
    return {int(number): light for number, light in found}


def make_red(task: Task, *, by) -> Task:
    """Due yesterday: the light rule turns it red."""
    return services.update_task(task=task, due_date=timezone.localdate() - timedelta(days=1), by=by)


def make_amber(task: Task, *, by) -> Task:
    services.update_task(task=task, due_date=timezone.localdate() + timedelta(days=3), by=by)
    return services.start_task(task=task, by=by)


def dashboard(client, query: str = "") -> str:
    response = client.get(reverse("policy:dashboard") + query)
    assert response.status_code == 200
    return response.content.decode()


# --- content -------------------------------------------------------------------------------------------


def test_dashboard_for_leader_shows_16_measures_in_4_sections(notice, leader, login):
    response = english(login(leader)).get(reverse("policy:dashboard"))

    content = response.content.decode()
    assert set(rows(content)) == set(range(1, 17))
    assert re.findall(r'data-testid="section" data-section="(\d)"', content) == ["1", "2", "3", "4"]
    groups = response.context["board"].groups
    assert [[row.measure.number for row in group.rows] for group in groups] == [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
        [13, 14, 15, 16],
    ]
    assert [group.label for group in groups] == [
        "一、助推科技成果转移转化",
        "二、推动科技人才成长提高",
        "三、厚植科技创新社会土壤",
        "四、提升科技智库咨政能力",
    ]
    assert "渝科协发〔2022〕84号" in content
    assert "关于改进为创新驱动发展服务的若干举措" in content
    assert "9. 牵头深入实施全民科学素质行动" in content
    assert response.context["board"].totals["tasks"] == 16
    assert 'data-testid="scope-note"' not in content


def test_dashboard_red_task_makes_its_measure_and_section_red(notice, supervisor, leader, login):
    make_red(task_of(notice, 4), by=supervisor)
    make_amber(task_of(notice, 2), by=supervisor)
    services.start_task(task=task_of(notice, 1), by=supervisor)

    response = login(leader).get(reverse("policy:dashboard"))

    lights = rows(response.content.decode())
    assert (lights[4], lights[2], lights[1], lights[3]) == (Light.RED, Light.AMBER, Light.GREEN, Light.GREY)
    assert response.context["board"].groups[0].light == Light.RED
    assert response.context["board"].groups[1].light == Light.GREY
    assert response.context["board"].totals["lights"][Light.RED] == 1
    assert [task.measure.number for task in response.context["board"].attention] == [4, 2]


def test_dashboard_measure_with_a_red_and_a_completed_task_is_red(
    notice, supervisor, leader, kepu_staff, login
):
    first = task_of(notice, 9)
    services.record_progress(task=first, text="完成", percent=100, by=kepu_staff)
    services.request_completion(task=first, by=kepu_staff)
    services.approve_completion(task=first, by=leader)
    second = services.create_task(
        title="年度公民科学素质调查", lead=org("科学技术普及部"), measure=first.measure, by=supervisor
    )

    assert rows(dashboard(login(leader)))[9] == Light.GREY  # completed + not started: not yet done
    make_red(second, by=supervisor)
    assert rows(dashboard(login(leader)))[9] == Light.RED


def test_measure_light_is_worst_of_tasks_ignoring_cancelled():
    def tasks(*pairs):
        return [Task(light=light, state=state) for light, state in pairs]

    assert dq.measure_light(
        tasks((Light.GREEN, TaskState.IN_PROGRESS), (Light.AMBER, TaskState.IN_PROGRESS))
    ) == (Light.AMBER)
    assert (
        dq.measure_light(tasks((Light.DONE, TaskState.COMPLETED), (Light.DONE, TaskState.COMPLETED)))
        == Light.DONE
    )
    assert (
        dq.measure_light(tasks((Light.DONE, TaskState.COMPLETED), (Light.GREY, TaskState.CANCELLED)))
        == Light.DONE
    )
    assert dq.measure_light(
        tasks((Light.DONE, TaskState.COMPLETED), (Light.GREEN, TaskState.IN_PROGRESS))
    ) == (Light.GREEN)
    assert dq.measure_light([]) == Light.GREY
    assert (
        dq.mean_percent(
            [
                Task(percent=40, state=TaskState.IN_PROGRESS),
                Task(percent=100, state=TaskState.COMPLETED),
                Task(percent=0, state=TaskState.CANCELLED),
            ]
        )
        == 70
    )


def test_dashboard_shows_progress_and_latest_report(notice, leader, kepu_staff, login):
    task = task_of(notice, 9)
    services.record_progress(task=task, text="完成年度调查抽样设计", percent=20, by=kepu_staff)
    services.record_progress(
        task=task, text="2026 年公民科学素质大赛已启动，第一阶段参赛 12.6 万人次", percent=40, by=kepu_staff
    )

    response = login(leader).get(reverse("policy:dashboard"))

    row = next(r for r in response.context["board"].rows if r.measure.number == 9)
    assert (row.percent, row.latest.text, row.latest.organization.name) == (
        40,
        "2026 年公民科学素质大赛已启动，第一阶段参赛 12.6 万人次",
        "科学技术普及部",
    )
    content = response.content.decode()
    assert "2026 年公民科学素质大赛已启动，第一阶段参赛 12.6 万人次" in content
    assert "完成年度调查抽样设计" not in content
    assert timezone.localdate().isoformat() in content


def test_dashboard_target_summary_on_measure_row(notice, leader, supervisor, login):
    target = measure_of(notice, 9).targets.get()
    services.record_indicator_value(target=target, value="12.3", as_of=date(2022, 12, 31), by=supervisor)

    content = dashboard(english(login(leader)))

    assert "Target &gt; 15%</span>\n                latest 12.3% (2022)" in content


def test_dashboard_scorecard_counts_per_department(notice, supervisor, leader, kepu_staff, login):
    on_time = task_of(notice, 4)
    services.record_progress(task=on_time, text="九个一全部落实", percent=100, by=kepu_staff)
    services.request_completion(task=on_time, by=kepu_staff)
    services.approve_completion(task=on_time, by=leader)
    services.start_task(task=make_red(task_of(notice, 9), by=supervisor), by=kepu_staff)
    silent = services.start_task(task=task_of(notice, 10), by=kepu_staff)
    Task.objects.filter(pk=silent.pk).update(started_at=timezone.now() - timedelta(days=40))

    board = login(leader).get(reverse("policy:dashboard")).context["board"]

    kepu = next(row for row in board.scorecard if row.organization.name == "科学技术普及部")
    assert (kepu.total, kepu.completed, kepu.on_time, kepu.overdue, kepu.report_missing) == (4, 1, 1, 1, 1)
    zhanlue = next(row for row in board.scorecard if row.organization.name == "战略发展部")
    assert (zhanlue.total, zhanlue.completed, zhanlue.overdue, zhanlue.report_missing) == (4, 0, 0, 0)
    assert {row.organization.name for row in board.scorecard} == {
        "科学技术创新部",
        "宣传文化部",
        "科学技术普及部",
        "组织人事部",
        "国际合作部",
        "战略发展部",
    }


def test_dashboard_chart_data_matches_the_tasks(notice, supervisor, leader, login):
    make_red(task_of(notice, 14), by=supervisor)

    response = login(leader).get(reverse("policy:dashboard"))

    content = response.content.decode()
    charts = json.loads(
        re.search(
            r'<script id="dashboard-charts" type="application/json">(.*?)</script>', content, re.S
        ).group(1)
    )
    lights = {series["key"]: series["data"] for series in charts["lights"]["series"]}
    assert lights["red"] == [0, 0, 0, 1]
    assert lights["grey"] == [4, 4, 4, 3]
    assert charts["progress"]["categories"] == [str(n) for n in range(1, 17)]
    assert charts["progress"]["lights"][13] == "red"
    assert charts["progress"]["urls"][8] == reverse("policy:measure_detail", args=[measure_of(notice, 9).pk])
    assert sum(sum(series["data"]) for series in charts["scorecard"]["series"]) == 16
    assert 'src="/static/kexie/dashboard.js"' in content
    assert "<script>" not in content  # CSP: no inline script


# --- filters -------------------------------------------------------------------------------------------


def test_dashboard_filters_narrow_the_rows(notice, supervisor, leader, login):
    make_red(task_of(notice, 4), by=supervisor)
    client = login(leader)
    kepu = org("科学技术普及部").pk

    assert set(rows(dashboard(client, "?section=3"))) == {9, 10, 11, 12}
    assert set(rows(dashboard(client, f"?lead={kepu}"))) == {4, 9, 10, 11}
    assert set(rows(dashboard(client, "?light=red"))) == {4}
    assert set(rows(dashboard(client, f"?section=1&lead={kepu}"))) == {4}
    assert set(rows(dashboard(client, "?section=2&light=red"))) == set()


def test_dashboard_filters_narrow_totals_scorecard_and_attention(notice, supervisor, leader, login):
    make_red(task_of(notice, 4), by=supervisor)
    make_red(task_of(notice, 13), by=supervisor)

    board = login(leader).get(reverse("policy:dashboard") + f"?lead={org('战略发展部').pk}").context["board"]

    assert board.totals["tasks"] == 4
    assert [row.organization.name for row in board.scorecard] == ["战略发展部"]
    assert [task.measure.number for task in board.attention] == [13]


def test_dashboard_invalid_filters_are_ignored(notice, leader, login):
    response = login(leader).get(reverse("policy:dashboard") + "?section=99&light=purple&lead=abc&notice=x")

    assert set(rows(response.content.decode())) == set(range(1, 17))
    assert response.context["filters"] == dq.DashboardFilters()


def test_dashboard_notice_selector_when_several_confirmed(notice, supervisor, leader, login, seed_text):
    other_text = seed_text.replace("渝科协发〔2022〕84号", "渝科协发〔2023〕12号", 1)
    draft = services.create_notice_draft(text=other_text, source_name="other.txt", by=supervisor)
    newer = services.confirm_notice(
        notice=draft,
        by=supervisor,
        mapping=services.match_organizations(services.draft_unit_names(draft.draft)),
    )
    client = login(leader)

    default = client.get(reverse("policy:dashboard"))
    chosen = client.get(reverse("policy:dashboard") + f"?notice={notice.pk}")

    assert default.context["notice"] == newer
    assert chosen.context["notice"] == notice
    assert {row.measure.notice_id for row in chosen.context["board"].rows} == {notice.pk}
    content = chosen.content.decode()
    assert f'<option value="{notice.pk}" selected>渝科协发〔2022〕84号' in content
    assert f'<option value="{newer.pk}">渝科协发〔2023〕12号' in content


def test_dashboard_without_confirmed_notice_explains_and_offers_import(supervisor, login):
    content = dashboard(english(login(supervisor)))

    assert 'data-testid="no-notice"' in content
    assert "No notice has been confirmed yet." in content
    assert f'href="{reverse("policy:notice_import")}">Import a notice</a>' in content


# --- permissions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "measures", "department"),
    [
        ("kepu_staff", KEPU_MEASURES, "科学技术普及部"),
        ("zhanlue_staff", ZHANLUE_MEASURES, "战略发展部"),
    ],
)
def test_department_staff_see_only_their_tasks(request, notice, login, fixture, measures, department):
    user = request.getfixturevalue(fixture)

    response = english(login(user)).get(reverse("policy:dashboard"))

    content = response.content.decode()
    assert set(rows(content)) == measures
    board = response.context["board"]
    assert board.totals["tasks"] == 5
    assert [row.organization.name for row in board.scorecard] == [department]
    assert 'data-testid="scope-note"' in content


def test_department_staff_dashboard_red_task_of_another_department_not_shown(
    notice, supervisor, kepu_staff, login
):
    make_red(task_of(notice, 13), by=supervisor)

    board = login(kepu_staff).get(reverse("policy:dashboard")).context["board"]

    assert board.attention == []
    assert board.totals["lights"][Light.RED] == 0


@pytest.mark.parametrize("role", [Role.LEADER, Role.SUPERVISOR, Role.AUDITOR])
def test_oversight_roles_see_all_measures(notice, make_user, login, role):
    assert set(rows(dashboard(login(make_user("overseer", role=role))))) == set(range(1, 17))


@pytest.mark.parametrize(
    "role", [Role.EXPERT, Role.ENTERPRISE, Role.VOLUNTEER, Role.ADMIN, Role.SECURITY_ADMIN]
)
def test_users_without_a_part_in_supervision_refused(notice, make_user, login, role):
    client = login(make_user("outsider", role=role))

    assert client.get(reverse("policy:dashboard")).status_code == 403
    assert client.get(reverse("policy:measure_detail", args=[measure_of(notice, 9).pk])).status_code == 403


def test_dashboard_requires_login(client, notice):
    response = client.get(reverse("policy:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- measure page --------------------------------------------------------------------------------------


def test_measure_page_shows_clause_departments_tasks_ledger_and_cases(notice, leader, kepu_staff, login):
    task = task_of(notice, 10)
    services.record_progress(
        task=task,
        text="社区科普大学新增教学点 42 个",
        percent=30,
        by=kepu_staff,
        files=[SimpleUploadedFile("教学点名单.pdf", b"%PDF-1.4 list")],
    )
    services.write_case(
        task=task, title="社区科普大学进楼栋", body="在渝中区试点。", by=kepu_staff, submit=True
    )
    measure = measure_of(notice, 10)

    response = english(login(leader)).get(reverse("policy:measure_detail", args=[measure.pk]))

    content = response.content.decode()
    assert measure.text in content.replace("<br>", "\n")
    assert "三、厚植科技创新社会土壤" in content
    departments = re.search(r'data-testid="departments">(.*?)</ul>', content, re.S).group(1)
    assert re.findall(
        r"<li class=\"mb-1\">(\S+?) <span class=\"badge [^\"]+\">(\w+)</span>", departments
    ) == [
        ("科学技术普及部", "lead"),
        ("宣传文化部", "cooperating"),
        ("组织人事部", "cooperating"),
        ("市科协科技服务中心", "cooperating"),
        ("市反邪教协会办公室", "cooperating"),
    ]
    assert [t.pk for t in response.context["tasks"]] == [task.pk]
    assert "宣传部、组织部、反邪教协会办、科技服务中心" in content  # organization order
    assert [r.text for r in response.context["ledger"]] == ["社区科普大学新增教学点 42 个"]
    assert "教学点名单.pdf" in content
    assert '<span class="badge text-bg-primary">30%</span>' in content
    assert "社区科普大学进楼栋" in content
    assert [c.title for c in response.context["cases"]] == ["社区科普大学进楼栋"]


def test_measure_page_links_to_the_clause_in_the_notice(notice, leader, login):
    measure = measure_of(notice, 9)

    content = login(leader).get(reverse("policy:measure_detail", args=[measure.pk])).content.decode()

    notice_url = reverse("policy:notice_detail", args=[notice.pk])
    assert f'href="{notice_url}#clause-9" data-testid="clause-link"' in content


def test_measure_page_ledger_newest_first(notice, leader, kepu_staff, login):
    task = task_of(notice, 9)
    for text in ("第一次", "第二次", "第三次"):
        services.record_progress(task=task, text=text, by=kepu_staff)

    ledger = (
        login(leader).get(reverse("policy:measure_detail", args=[measure_of(notice, 9).pk])).context["ledger"]
    )

    assert [report.text for report in ledger] == ["第三次", "第二次", "第一次"]


def test_measure_page_for_department_staff_shows_only_their_tasks_and_reports(
    notice, supervisor, make_user, kepu_staff, login
):
    guoji = make_user("guoji", role=Role.DEPARTMENT_STAFF, org_name="国际合作部")
    shared = task_of(notice, 12)  # 国际合作部 leads, 科学技术普及部 cooperates
    services.record_progress(task=shared, text="引进国外优秀科普展品 3 件", percent=20, by=guoji)
    own = services.create_task(
        title="海智工作站对接海外人才", lead=org("国际合作部"), measure=shared.measure, by=supervisor
    )
    services.record_progress(task=own, text="对接海外人才 12 名", percent=10, by=guoji)
    measure = measure_of(notice, 12)

    mine = login(kepu_staff).get(reverse("policy:measure_detail", args=[measure.pk]))
    everything = login(supervisor).get(reverse("policy:measure_detail", args=[measure.pk]))

    assert [t.pk for t in mine.context["tasks"]] == [shared.pk]
    assert [r.text for r in mine.context["ledger"]] == ["引进国外优秀科普展品 3 件"]
    assert "对接海外人才 12 名" not in mine.content.decode()
    assert "海智工作站对接海外人才" not in mine.content.decode()
    assert [t.pk for t in everything.context["tasks"]] == [shared.pk, own.pk]
    assert [r.text for r in everything.context["ledger"]] == [
        "对接海外人才 12 名",
        "引进国外优秀科普展品 3 件",
    ]


def test_measure_page_unknown_measure_is_404(notice, leader, login):
    assert login(leader).get(reverse("policy:measure_detail", args=[99999])).status_code == 404


# --- query counts --------------------------------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_tasks_with_reports(notice, n: int, *, supervisor, reporter, start: int = 0) -> None:
    measure = measure_of(notice, 9)
    for i in range(start, start + n):
        task = services.create_task(
            title=f"分解任务 {i}",
            lead=org("科学技术普及部"),
            measure=measure,
            cooperating=[org("宣传文化部")],
            by=supervisor,
        )
        services.record_progress(
            task=task,
            text=f"进展 {i}",
            percent=10 * i,
            by=reporter,
            files=[SimpleUploadedFile(f"佐证{i}.pdf", b"%PDF-1.4")],
        )


@pytest.mark.parametrize("who", ["leader", "kepu_staff"])
def test_dashboard_query_count_constant_over_1_and_3_tasks(
    request, notice, supervisor, kepu_staff, login, who
):
    client = login(request.getfixturevalue(who))
    _add_tasks_with_reports(notice, 1, supervisor=supervisor, reporter=kepu_staff)
    make_red(task_of(notice, 4), by=supervisor)
    one = _count(client, reverse("policy:dashboard"))

    _add_tasks_with_reports(notice, 2, supervisor=supervisor, reporter=kepu_staff, start=1)
    make_red(task_of(notice, 11), by=supervisor)
    three = _count(client, reverse("policy:dashboard"))

    assert one == three


@pytest.mark.parametrize("who", ["leader", "kepu_staff"])
def test_measure_page_query_count_constant_over_1_and_3_tasks(
    request, notice, supervisor, kepu_staff, login, who
):
    client = login(request.getfixturevalue(who))
    url = reverse("policy:measure_detail", args=[measure_of(notice, 9).pk])
    target = measure_of(notice, 9).targets.get()
    services.record_indicator_value(target=target, value="4.74", as_of=date(2015, 12, 31), by=supervisor)
    _add_tasks_with_reports(notice, 1, supervisor=supervisor, reporter=kepu_staff)
    services.write_case(task=task_of(notice, 9), title="案例 1", body="正文", by=kepu_staff)
    one = _count(client, url)

    _add_tasks_with_reports(notice, 2, supervisor=supervisor, reporter=kepu_staff, start=1)
    for as_of, value in [(date(2018, 12, 31), "8.01"), (date(2020, 12, 31), "10.20")]:
        services.record_indicator_value(target=target, value=value, as_of=as_of, by=supervisor)
    services.write_case(task=task_of(notice, 9), title="案例 2", body="正文", by=kepu_staff)
    three = _count(client, url)

    assert one == three


# --- home summary --------------------------------------------------------------------------------------


def test_home_summary_for_leader_lists_every_measure_with_its_light(notice, supervisor, leader):
    make_red(task_of(notice, 6), by=supervisor)

    summary = dq.home_summary(leader)

    assert summary["notice"] == notice
    assert [[row.measure.number for row in group.rows] for group in summary["groups"]] == [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
        [13, 14, 15, 16],
    ]
    assert summary["groups"][1].rows[1].light == Light.RED
    assert [(light, count) for light, _label, count in summary["lights"]] == [
        ("red", 1),
        ("amber", 0),
        ("green", 0),
    ]
    html = render_to_string("policy/_home_summary.html", {"summary": summary})
    assert len(re.findall(r'data-measure="\d+" data-light="\w+"', html)) == 16
    assert 'data-measure="6" data-light="red"' in html
    assert f'href="{reverse("policy:measure_detail", args=[measure_of(notice, 6).pk])}"' in html


def test_home_summary_for_department_lists_its_measures(notice, kepu_staff):
    summary = dq.home_summary(kepu_staff)

    assert {row.measure.number for group in summary["groups"] for row in group.rows} == KEPU_MEASURES


def test_home_summary_none_without_a_part_or_a_notice(make_user, leader, orgs):
    assert dq.home_summary(leader) is None  # no notice confirmed yet
    assert dq.home_summary(make_user("expert", role=Role.EXPERT)) is None
    assert render_to_string("policy/_home_summary.html", {"summary": None}).strip() == ""


def test_home_summary_query_count(notice, leader):
    leader._kexie_memberships = None  # as on a fresh request

    with CaptureQueriesContext(connection) as ctx:
        dq.home_summary(leader)

    # memberships, notice, tasks, measures with sections, their departments
    assert len(ctx.captured_queries) == 5


# --- in a browser ------------------------------------------------------------------------------------


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_dashboard_charts_render_under_csp_on_desktop_and_phone(
    request, device, live_server, notice, supervisor, leader, settings
):
    settings.STAFF_SECOND_FACTOR = "optional"
    page = request.getfixturevalue(device)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    target = measure_of(notice, 9).targets.get()
    for as_of, value in [(date(2015, 12, 31), "4.74"), (date(2022, 12, 31), "12.3")]:
        services.record_indicator_value(target=target, value=value, as_of=as_of, by=supervisor)
    _sign_in(page, live_server.url, "leader")

    page.goto(f"{live_server.url}{reverse('policy:dashboard')}")
    page.wait_for_selector("[data-kx-chart='scorecard'][data-kx-ready='1']")
    ready = page.locator("[data-kx-ready='1'] canvas").count()
    no_sideways_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("[data-testid=measure-row][data-measure='9'] a").click()
    page.wait_for_selector("[data-kx-chart='history'][data-kx-ready='1']")

    assert ready == 3
    assert no_sideways_scroll
    assert page.locator("[data-testid=latest-value]").first.inner_text() == "12.3%"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []
