from __future__ import annotations

import io

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kexie.core.models import AuditEvent
from kexie.experts import services
from kexie.experts.enums import VerificationState
from kexie.experts.models import Expert, Work
from kexie.experts.spreadsheets import HEADERS
from tests.experts.conftest import ID_A, MOBILE_A


def english(client):
    """Pages render in the request's language: the cookie asks for English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_list_shows_masked_mobile_to_staff(login, kepu_staff, expert):
    response = english(login(kepu_staff)).get(reverse("experts:list"))

    html = response.content.decode()
    assert "李明" in html
    assert "138****8000" in html
    assert MOBILE_A not in html
    assert "Contact details are masked for your role." in html


def test_list_shows_full_mobile_to_curating_head(login, curator_head, expert):
    html = login(curator_head).get(reverse("experts:list")).content.decode()

    assert MOBILE_A in html


def test_list_search_uses_index_and_filters(
    login, kepu_staff, make_expert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        gas = make_expert("王强", keywords=["页岩气"], biography="从事页岩气开发研究。", district="500112")
        make_expert("赵六", keywords=["氢能"], district="500103")

    client = login(kepu_staff)
    found = client.get(reverse("experts:list"), {"q": "页岩气"})
    other_district = client.get(reverse("experts:list"), {"q": "页岩气", "district": "500103"})

    assert list(found.context["page"]) == [gas]
    assert "<mark>" in found.content.decode()
    assert list(other_district.context["page"]) == []
    assert found.context["facets"]["districts"][0]["label"] == "渝北区"


def test_list_filters_by_title_and_discipline_prefix(login, kepu_staff, make_expert):
    wang = make_expert("王强", title="senior_engineer", disciplines=["E0510"])
    make_expert("赵六", disciplines=["F0201"])
    client = login(kepu_staff)

    assert list(client.get(reverse("experts:list"), {"title": "senior_engineer"}).context["page"]) == [wang]
    assert list(client.get(reverse("experts:list"), {"discipline": "e05"}).context["page"]) == [wang]


def _list_queries(client) -> tuple[int, int]:
    client.get(reverse("experts:list"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("experts:list"))
    return len(response.context["page"]), len(queries)


def test_list_query_count_is_the_same_for_1_and_3_rows(login, kepu_staff, make_expert):
    client = login(kepu_staff)
    make_expert("专家甲", disciplines=["F0201", "E0510"])
    one = _list_queries(client)
    make_expert("专家乙", disciplines=["F0201"])
    make_expert("专家丙", disciplines=["E0510", "A01"])

    three = _list_queries(client)

    # session, user, 2FA device, memberships, districts, count, experts, disciplines, notifications,
    # and the session save: the same number whatever the number of rows (no query per row)
    assert one[0] == 1 and three[0] == 3
    assert one[1] == three[1]


def test_detail_masks_id_number_and_shows_works(login, kepu_staff, expert, curator):
    services.add_work(
        expert=expert, by=curator, kind="paper", title="焊缝检测", year=2022, coauthors=["王强"]
    )

    html = login(kepu_staff).get(reverse("experts:detail", args=[expert.pk])).content.decode()

    assert "5001**********0016" in html
    assert ID_A not in html
    assert "焊缝检测" in html


def test_detail_conflict_check_lists_reasons(login, kepu_staff, expert):
    response = english(login(kepu_staff)).get(
        reverse("experts:detail", args=[expert.pk]), {"check": "1", "organizations": "重庆大学"}
    )

    assert "Works at 重庆大学, an organization of the item." in response.content.decode()


def test_create_by_curator_saves_and_redirects(login, curator, orgs):
    response = login(curator).post(
        reverse("experts:create"),
        {
            "name": "王强",
            "organization_name": "西南大学",
            "title": "professor",
            "disciplines": "F0201 E05",
            "keywords": "氢能、储能",
            "availability": "available",
            "district": "500103",
            "mobile": "13912345678",
            "state": "verified",
        },
    )

    created = Expert.objects.get(name="王强")
    assert response.url == reverse("experts:detail", args=[created.pk])
    assert (created.state, created.keywords, created.mobile) == ("verified", ["氢能", "储能"], "13912345678")
    assert sorted(created.disciplines.values_list("code", flat=True)) == ["E05", "F0201"]


def test_create_shows_field_errors_and_writes_nothing(login, curator, orgs):
    response = english(login(curator)).post(
        reverse("experts:create"),
        {
            "name": "王强",
            "organization_name": "西南大学",
            "title": "professor",
            "availability": "available",
            "disciplines": "Z99",
            "id_number": "500103198001010017",
            "state": "verified",
        },
    )

    html = response.content.decode()
    assert "Unknown discipline codes: Z99." in html
    assert "The ID number is not valid (length, birth date or check digit)." in html
    assert Expert.objects.count() == 0


def test_expert_creates_own_profile_unverified(login, expert_user, orgs):
    client = login(expert_user)
    assert client.get(reverse("experts:list")).url == reverse("experts:my_profile")

    response = client.post(
        reverse("experts:my_profile"),
        {
            "name": "张伟",
            "organization_name": "重庆邮电大学",
            "title": "associate_professor",
            "availability": "available",
            "state": "verified",
            "channel": "自荐",
        },
    )

    mine = Expert.objects.get(user=expert_user)
    assert response.url == reverse("experts:detail", args=[mine.pk])
    assert (mine.state, mine.channel) == (VerificationState.UNVERIFIED, "")
    assert client.get(reverse("experts:my_profile")).url == reverse("experts:detail", args=[mine.pk])


def test_expert_edits_own_verified_profile(login, expert_user, make_expert):
    mine = make_expert("张伟", user=expert_user)

    response = login(expert_user).post(
        reverse("experts:edit", args=[mine.pk]),
        {
            "name": "张伟",
            "organization_name": "重庆大学",
            "title": "professor",
            "availability": "busy",
            "biography": "更新的简介",
        },
    )

    mine.refresh_from_db()
    assert response.status_code == 302
    assert (mine.state, mine.availability, mine.biography) == ("verified", "busy", "更新的简介")


def test_award_honour_survives_an_edit_of_the_profile(login, expert_user, make_expert):
    # An award's winners are recorded by its name, outside the fixed list of honours.
    mine = make_expert("张伟", user=expert_user)
    Expert.objects.filter(pk=mine.pk).update(honours=["重庆市十佳科技青年奖"])
    client = login(expert_user)

    page = client.get(reverse("experts:edit", args=[mine.pk])).content.decode()
    response = client.post(
        reverse("experts:edit", args=[mine.pk]),
        {
            "name": "张伟",
            "organization_name": "重庆大学",
            "title": "professor",
            "availability": "busy",
            "honours": ["重庆市十佳科技青年奖"],
        },
    )

    mine.refresh_from_db()
    assert 'value="重庆市十佳科技青年奖"' in page and "checked" in page
    assert response.status_code == 302
    assert mine.honours == ["重庆市十佳科技青年奖"]


def test_expert_cannot_open_or_edit_another_profile(login, expert_user, expert):
    client = login(expert_user)

    assert client.get(reverse("experts:detail", args=[expert.pk])).status_code == 404
    assert client.post(reverse("experts:edit", args=[expert.pk]), {"name": "x"}).status_code == 404
    expert.refresh_from_db()
    assert expert.name == "李明"


def test_queue_verify_and_reject(login, curator, make_expert):
    pending = make_expert("王强", state=VerificationState.UNVERIFIED)
    other = make_expert("赵六", state=VerificationState.UNVERIFIED)
    client = login(curator)

    assert [e.name for e in client.get(reverse("experts:queue")).context["page"]] == ["王强", "赵六"]
    client.post(reverse("experts:verify", args=[pending.pk]))
    client.post(reverse("experts:reject", args=[other.pk]), {"reason": "信息不实"})

    pending.refresh_from_db()
    other.refresh_from_db()
    assert (pending.state, other.state, other.rejection_reason) == ("verified", "rejected", "信息不实")
    assert list(client.get(reverse("experts:queue")).context["page"]) == []


def test_reject_without_reason_changes_nothing(login, curator, make_expert):
    pending = make_expert("王强", state=VerificationState.UNVERIFIED)

    response = login(curator).post(reverse("experts:reject", args=[pending.pk]), {"reason": ""})

    pending.refresh_from_db()
    assert response.status_code == 400
    assert pending.state == VerificationState.UNVERIFIED


def test_work_add_and_remove_through_pages(login, curator, expert):
    client = login(curator)
    client.post(
        reverse("experts:work_add", args=[expert.pk]), {"kind": "patent", "title": "夹具", "year": "2024"}
    )
    work = Work.objects.get(expert=expert)
    assert (work.kind, work.year) == ("patent", 2024)

    client.post(reverse("experts:work_remove", args=[work.pk]))

    assert Work.objects.count() == 0


def test_delete_by_curator(login, curator, expert):
    response = login(curator).post(reverse("experts:delete", args=[expert.pk]))

    assert response.url == reverse("experts:list")
    assert Expert.objects.count() == 0


def _book(*rows) -> io.BytesIO:
    book = Workbook()
    book.active.append(HEADERS)
    for r in rows:
        book.active.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "experts.xlsx"
    return buffer


def test_import_page_lists_errors_by_row_and_column(login, curator, orgs):
    bad = ["王强", "", "", "西南大学", "professor", "", "Z99", "", "", "", "", "否", "", "", "123", "", ""]

    response = english(login(curator)).post(reverse("experts:import"), {"file": _book(bad)})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Problems found: 2; nothing was imported." in html
    assert "unknown discipline codes: Z99." in html
    assert Expert.objects.count() == 0


def test_import_page_imports_clean_file(login, curator, orgs):
    good = [
        "王强",
        "",
        "",
        "西南大学",
        "professor",
        "",
        "F0201",
        "",
        "",
        "",
        "渝中区",
        "否",
        "",
        "",
        "",
        "",
        "",
    ]

    response = login(curator).post(reverse("experts:import"), {"file": _book(good)})

    assert response.url == reverse("experts:list")
    assert Expert.objects.get().district == "500103"


def test_template_download(login, curator, orgs):
    response = login(curator).get(reverse("experts:import_template"))

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["专家", "可选值"]


def test_export_masks_for_curating_staff_and_not_for_the_head(
    login, curator, curator_head, admin_user, expert, client
):
    masked = load_workbook(io.BytesIO(login(curator).get(reverse("experts:export")).content)).active
    assert masked.cell(row=2, column=15).value == "138****8000"
    client.logout()
    full = load_workbook(io.BytesIO(login(curator_head).get(reverse("experts:export")).content)).active
    assert full.cell(row=2, column=15).value == MOBILE_A
    assert AuditEvent.objects.filter(action="experts.expert.export").count() == 2
    client.logout()
    # 三员分立: the administrator manages accounts, not the expert library.
    assert login(admin_user).get(reverse("experts:export")).status_code == 403


def test_curator_edit_can_verify_pending_profile(login, curator, make_expert):
    pending = make_expert("王强", state=VerificationState.UNVERIFIED)
    data = {
        "name": "王强",
        "organization_name": "西南大学",
        "title": "professor",
        "availability": "available",
    }

    login(curator).post(reverse("experts:edit", args=[pending.pk]), data | {"state": "verified"})

    pending.refresh_from_db()
    assert (pending.state, pending.organization_name) == (VerificationState.VERIFIED, "西南大学")


def test_curator_edit_of_verified_profile_has_no_state_field(login, curator_head, expert):
    response = login(curator_head).get(reverse("experts:edit", args=[expert.pk]))

    assert "state" not in response.context["form"].fields
    assert response.context["form"].initial["mobile"] == MOBILE_A


def test_edit_by_masked_curator_hides_and_keeps_contact(login, curator, expert):
    client = english(login(curator))
    html = client.get(reverse("experts:edit", args=[expert.pk])).content.decode()
    assert MOBILE_A not in html and ID_A not in html
    assert "Recorded: 138****8000. Leave empty to keep it." in html
    data = {"name": "李明", "organization_name": "重庆大学", "title": "professor", "availability": "busy"}

    client.post(reverse("experts:edit", args=[expert.pk]), data | {"mobile": ""})

    expert.refresh_from_db()
    assert (expert.availability, expert.mobile, expert.id_number) == ("busy", MOBILE_A, ID_A)


def _exported_names(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_export_holds_exactly_the_rows_of_the_list_keyword_and_filters(
    login, curator, make_expert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_expert("王强", keywords=["页岩气"], biography="从事页岩气开发研究。", district="500112")
        make_expert("李明", keywords=["页岩气", "压裂"], district="500103")
        make_expert("赵六", keywords=["氢能"], district="500112")
    client = login(curator)
    query = {"q": "页岩气", "district": "500112"}

    listed = client.get(reverse("experts:list"), query)
    href = f"{reverse('experts:export')}?q=%E9%A1%B5%E5%B2%A9%E6%B0%94&amp;district=500112"
    exported = client.get(reverse("experts:export"), query)
    keyword_only = client.get(reverse("experts:export"), {"q": "页岩气"})

    assert [e.name for e in listed.context["page"]] == ["王强"]
    assert href in listed.content.decode()
    assert _exported_names(exported) == ["王强"]
    assert sorted(_exported_names(keyword_only)) == ["李明", "王强"]
    assert sorted(_exported_names(client.get(reverse("experts:export")))) == ["李明", "王强", "赵六"]


def test_import_warns_of_possible_duplicates(login, curator, orgs, make_expert):
    make_expert("王强", organization_name="西南大学")
    college = "西南大学计算机与信息科学学院"
    row = ["王强", "", "", college, "professor", "", "F0201", "", "", "", "渝中区", "否"]
    row += [""] * (len(HEADERS) - len(row))

    response = english(login(curator)).post(reverse("experts:import"), {"file": _book(row)}, follow=True)

    assert Expert.objects.count() == 2
    html = response.content.decode()
    assert "1 of them may be a person the library already holds" in html
    assert reverse("experts:duplicates") in html
