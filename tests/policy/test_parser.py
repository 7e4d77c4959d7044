import datetime
import json
import re
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie.policy.notices.parser import NoticeParseError, ParsedNotice, parse_notice

SEED = Path(__file__).resolve().parents[2] / "kexie" / "seed" / "notice-yukexiefa-2022-84.txt"
NOTICES = Path(__file__).resolve().parents[1] / "data" / "notices"

SEED_TITLES = [
    "助力重点科创区域建设",
    "推动重庆“科创中国”建设",
    "加强高水平科技社团和高品质科技期刊建设",
    "实施科技助力乡村振兴工程",
    "大力弘扬科学家精神",
    "持续开展“为科技工作者办实事、助科技工作者作贡献”行动",
    "积极服务战略人才力量建设",
    "加大举荐表彰奖励宣传力度",
    "牵头深入实施全民科学素质行动",
    "发挥科普宣传教育的基础作用",
    "提升科普公共服务能力",
    "加强国际科技人文交流",
    "构建柔性智库体系",
    "推动智库赋能增效",
    "加强智库成果传播",
    "建设智库服务平台",
]

SEED_DEPARTMENTS = {
    1: ["科学技术创新部", "国际合作部", "院士工作服务中心"],
    2: ["科学技术创新部"],
    3: ["科学技术创新部", "宣传文化部", "科技社团党委办公室", "重庆市科学技术期刊编辑学会"],
    4: ["科学技术普及部"],
    5: ["宣传文化部", "组织人事部", "科学技术创新部", "战略发展部", "院士工作服务中心"],
    6: ["组织人事部", "院士工作服务中心"],
    7: ["组织人事部", "科学技术创新部", "院士工作服务中心"],
    8: ["组织人事部", "宣传文化部", "科学技术创新部", "市科协科技服务中心", "重庆科技报"],
    9: ["科学技术普及部"],
    10: ["科学技术普及部", "宣传文化部", "组织人事部", "市科协科技服务中心", "市反邪教协会办公室"],
    11: ["科学技术普及部", "重庆科技馆"],
    12: ["国际合作部", "科学技术普及部", "市科协科技服务中心"],
    13: ["战略发展部"],
    14: ["战略发展部"],
    15: ["战略发展部", "宣传文化部", "重庆科技报"],
    16: ["战略发展部"],
}


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> ParsedNotice:
    return parse_notice(seed_text)


def _notice(*body: str, head: tuple[str, ...] = ("测试发〔2023〕1号", "关于测试的通知", "各部室：")) -> str:
    return "\n".join([*head, *body])


def _read(name: str) -> ParsedNotice:
    return parse_notice((NOTICES / name).read_text(encoding="utf-8"))


# --- the seed notice 渝科协发〔2022〕84号 -------------------------------------------------------


def test_parse_notice_seed_header(seed: ParsedNotice) -> None:
    assert seed.doc_number == "渝科协发〔2022〕84号"
    assert seed.issuer == "重庆市科学技术协会"
    assert seed.date == datetime.date(2022, 9, 19)
    assert seed.title == "关于改进为创新驱动发展服务的若干举措"
    assert seed.recipients == [
        "各区县(自治县)科协",
        "两江新区科技创新局",
        "西部科学城重庆高新区科协",
        "万盛经开区科协",
        "市级学会(协会、研究会)",
        "企事业科协",
        "市科协机关各部室和各直属单位",
    ]


def test_parse_notice_seed_sections(seed: ParsedNotice) -> None:
    assert [(s.number, s.title, [m.number for m in s.measures]) for s in seed.sections] == [
        (1, "助推科技成果转移转化", [1, 2, 3, 4]),
        (2, "推动科技人才成长提高", [5, 6, 7, 8]),
        (3, "厚植科技创新社会土壤", [9, 10, 11, 12]),
        (4, "提升科技智库咨政能力", [13, 14, 15, 16]),
    ]


def test_parse_notice_seed_measure_titles(seed: ParsedNotice) -> None:
    assert [m.title for m in seed.measures] == SEED_TITLES


def test_parse_notice_seed_departments(seed: ParsedNotice) -> None:
    assert {m.number: m.departments for m in seed.measures} == SEED_DEPARTMENTS


def test_parse_notice_seed_first_department_leads(seed: ParsedNotice) -> None:
    measure_3 = seed.measures[2]

    assert measure_3.lead == "科学技术创新部"
    assert measure_3.co == ["宣传文化部", "科技社团党委办公室", "重庆市科学技术期刊编辑学会"]
    assert {m.number: (m.lead, m.co) for m in seed.measures} == {
        number: (departments[0], departments[1:]) for number, departments in SEED_DEPARTMENTS.items()
    }


def test_parse_notice_seed_target(seed: ParsedNotice) -> None:
    assert [t.to_dict() for t in seed.targets] == [
        {
            "measure": 9,
            "year": 2025,
            "metric": "公民具备科学素质的比例",
            "comparator": ">",
            "value": 15,
            "unit": "%",
        }
    ]


def test_parse_notice_seed_offsets_point_at_clauses(seed: ParsedNotice, seed_text: str) -> None:
    clauses = [line for line in seed_text.splitlines() if re.match(r"\d+\.", line)]

    assert [seed_text[m.start : m.end] for m in seed.measures] == clauses
    assert all(seed_text[m.end - len(m.text) : m.end] == m.text for m in seed.measures)


def test_parse_notice_seed_closing_paragraph_outside_last_measure(seed: ParsedNotice) -> None:
    last = seed.measures[-1]

    assert last.text.endswith("(责任部室:战略发展部)")
    assert "全市科协系统" not in last.text


def test_parse_notice_seed_to_dict_shape(seed: ParsedNotice) -> None:
    data = json.loads(json.dumps(seed.to_dict(), ensure_ascii=False))

    assert set(data) == {"doc_number", "issuer", "date", "title", "recipients", "sections", "targets"}
    assert data["date"] == "2022-09-19"
    assert set(data["sections"][0]) == {"number", "title", "measures"}
    assert set(data["sections"][0]["measures"][0]) == {
        "number",
        "title",
        "text",
        "departments",
        "lead",
        "co",
        "start",
        "end",
    }
    assert set(data["targets"][0]) == {"measure", "year", "metric", "comparator", "value", "unit"}


# --- header fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("国发〔2019〕3号", "国发〔2019〕3号"),
        ("国办发[2018]129号", "国办发〔2018〕129号"),
        ("发改办财金规［2019］860号", "发改办财金规〔2019〕860号"),
        ("渝科协发 〔2022〕 84 号", "渝科协发〔2022〕84号"),
    ],
)
def test_doc_number_brackets_normalised(written: str, expected: str) -> None:
    notice = parse_notice(_notice("1.做好工作。", head=(written, "关于测试的通知", "各部室：")))

    assert notice.doc_number == expected


def test_doc_number_missing_is_none() -> None:
    notice = parse_notice(_notice("1.做好工作。", head=("关于测试的通知",)))

    assert notice.doc_number is None


def test_doc_number_cited_in_body_is_not_taken() -> None:
    notice = parse_notice(_notice("1.落实《通知》（国发〔2015〕1号）。", head=("关于测试的通知",)))

    assert notice.doc_number is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2022年9月19日", datetime.date(2022, 9, 19)),
        ("二〇二二年九月十九日", datetime.date(2022, 9, 19)),
        ("二○二三年十二月三十一日", datetime.date(2023, 12, 31)),
        ("2019年10月1日", datetime.date(2019, 10, 1)),
    ],
)
def test_date_signature_line_to_iso(line: str, expected: datetime.date) -> None:
    notice = parse_notice(_notice("1.做好工作。", "重庆市科学技术协会", line))

    assert notice.date == expected
    assert notice.to_dict()["date"] == expected.isoformat()


def test_date_inside_sentence_is_not_signature() -> None:
    notice = parse_notice(_notice("1.于2022年9月19日前报送。"))

    assert notice.date is None


def test_title_wrapper_gives_inner_title() -> None:
    notice = parse_notice(
        _notice("1.做好工作。", head=("测试发〔2023〕1号", "印发《关于加强科普工作的意见》的通知"))
    )

    assert notice.title == "关于加强科普工作的意见"


def test_title_broken_over_lines_joined() -> None:
    head = (
        "国务院办公厅关于全面推行",
        "行政执法公示制度执法全过程记录制度",
        "重大执法决定法制审核制度的指导意见",
    )
    notice = parse_notice(_notice("一、总体要求", "（一）做好工作。", head=(*head, "国办发〔2018〕118号")))

    assert (
        notice.title
        == "国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见"
    )
    assert notice.issuer == "国务院办公厅"


def test_issuer_from_red_head_joint_issuers() -> None:
    head = (
        "发展改革委办公厅 文件",
        "税务总局办公厅",
        "发改办财金规〔2019〕860号",
        "关于加强纳税信用建设的通知",
    )

    notice = parse_notice(_notice("一、总体要求", "（一）做好工作。", head=head))

    assert notice.issuer == "发展改革委办公厅、税务总局办公厅"


def test_issuer_from_signature_when_header_silent() -> None:
    notice = parse_notice(
        _notice("1.做好工作。", "重庆市科学技术协会", "2022年9月19日", head=("关于测试的通知",))
    )

    assert notice.issuer == "重庆市科学技术协会"


def test_recipients_split_respecting_parentheses() -> None:
    head = ("关于测试的通知", "各区县（自治县）科协，市级学会（协会、研究会）、市政府各委、办、局：")

    notice = parse_notice(_notice("1.做好工作。", head=head))

    assert notice.recipients == ["各区县（自治县）科协", "市级学会（协会、研究会）", "市政府各委、办、局"]


# --- measures --------------------------------------------------------------------------------------


def test_measures_numbered_through_sections_when_labels_restart() -> None:
    notice = parse_notice(_notice("一、甲", "（一）做好甲。", "（二）做好乙。", "二、乙", "（一）做好丙。"))

    assert [(m.number, m.label, m.title) for m in notice.measures] == [
        (1, "（一）", "做好甲"),
        (2, "（二）", "做好乙"),
        (3, "（一）", "做好丙"),
    ]
    assert [(s.number, s.title) for s in notice.sections] == [(1, "甲"), (2, "乙")]


@pytest.mark.parametrize("separator", [".", "．", "、"])
def test_measures_arabic_label_styles(separator: str) -> None:
    notice = parse_notice(_notice(f"1{separator}做好甲。（甲部负责）", f"2{separator}做好乙。（乙部负责）"))

    assert [(m.title, m.departments) for m in notice.measures] == [("做好甲", ["甲部"]), ("做好乙", ["乙部"])]


def test_measures_top_level_items_without_subitems_are_measures() -> None:
    notice = parse_notice(
        _notice(
            "一、对成效明显的地方给予支持。（商务部负责）", "二、对成效明显的地方予以奖励。（财政部负责）"
        )
    )

    assert [(s.number, s.title) for s in notice.sections] == [(None, None)]
    assert [(m.number, m.departments) for m in notice.measures] == [(1, ["商务部"]), (2, ["财政部"])]


def test_measures_decimal_at_line_start_is_not_a_label() -> None:
    notice = parse_notice(_notice("1.做好甲。", "1.5倍的补贴继续执行。", "2.做好乙。"))

    assert [m.title for m in notice.measures] == ["做好甲", "做好乙"]
    assert notice.measures[0].text == "做好甲。\n1.5倍的补贴继续执行。"


def test_measures_label_followed_by_digits_continues_numbering() -> None:
    notice = parse_notice(_notice("10.甲项目。", "11.121人才梯队项目。"))

    assert [(m.label, m.title) for m in notice.measures] == [("10.", "甲项目"), ("11.", "121人才梯队项目")]


def test_measures_title_only_paragraph_keeps_following_paragraphs() -> None:
    notice = parse_notice(
        _notice("一、甲", "（一）加强诚信教育。", "各地区要做好宣传。", "依托社区开展活动。")
    )

    assert notice.measures[0].text == "加强诚信教育。\n各地区要做好宣传。\n依托社区开展活动。"


def test_measures_closing_exhortation_not_in_last_measure() -> None:
    notice = parse_notice(
        _notice("一、甲", "（一）做好甲。要抓紧。", "各地区、各部门要认真落实。", "国务院", "2018年12月5日")
    )

    assert notice.measures[0].text == "做好甲。要抓紧。"


def test_parse_notice_without_measures_raises() -> None:
    with translation.override("en"), pytest.raises(NoticeParseError) as caught:
        parse_notice("关于测试的通知\n各部室：\n请认真做好工作。")

    assert caught.value.message == (
        "No numbered measures were found in the notice. Each measure must start on its own line "
        "with a number such as “1.”, “（一）” or “一、”."
    )


def test_parse_notice_empty_text_raises() -> None:
    with pytest.raises(NoticeParseError):
        parse_notice("")


# --- responsibility markers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "departments", "lead", "co"),
    [
        ("（甲部、乙部负责）", ["甲部", "乙部"], "甲部", ["乙部"]),
        ("(甲部、乙部负责)", ["甲部", "乙部"], "甲部", ["乙部"]),
        ("（甲部、乙部按职责分工负责）", ["甲部", "乙部"], "甲部", ["乙部"]),
        ("（甲部、乙部负责，排在第一位的部门为牵头部门）", ["甲部", "乙部"], "甲部", ["乙部"]),
        ("（甲部、乙部等负责。列第一位者为牵头单位，下同）", ["甲部", "乙部"], "甲部", ["乙部"]),
        ("（甲部、乙部牵头负责）", ["甲部", "乙部"], "甲部", ["乙部"]),
        ("（责任部室：甲部、乙部）", ["甲部", "乙部"], "甲部", ["乙部"]),
        ("(责任部室:甲部、乙部)", ["甲部", "乙部"], "甲部", ["乙部"]),
        ("（责任单位：甲部，乙部）", ["甲部", "乙部"], "甲部", ["乙部"]),
        ("（负责部门：甲部、乙部；适用范围：所有试验区）", ["甲部", "乙部"], "甲部", ["乙部"]),
        ("（负责部门：甲部，适用范围：浙江试验区）", ["甲部"], "甲部", []),
        ("（牵头单位：乙部，配合单位：甲部、丙部）", ["乙部", "甲部", "丙部"], "乙部", ["甲部", "丙部"]),
        ("（配合单位：甲部，牵头单位：乙部）", ["乙部", "甲部"], "乙部", ["甲部"]),
    ],
)
def test_markers_styles(marker: str, departments: list[str], lead: str, co: list[str]) -> None:
    measure = parse_notice(_notice(f"1.做好工作。{marker}")).measures[0]

    assert (measure.departments, measure.lead, measure.co) == (departments, lead, co)


@pytest.mark.parametrize(
    ("marker", "departments"),
    [
        ("（海关总署、商务部等有关部门负责）", ["海关总署", "商务部"]),
        ("（人民银行等部门，适用范围：浙江）", []),
        ("（负责部门：人民银行等部门，适用范围：浙江）", ["人民银行"]),
        ("（扶贫办、全国总工会等和各省级人民政府负责）", ["扶贫办", "全国总工会", "各省级人民政府"]),
        ("（国家发展改革委会同有关部门负责）", ["国家发展改革委"]),
        ("（各有关部门和单位，各省级人民政府按职责分工负责）", ["各省级人民政府"]),
        ("（文化和旅游部、工业和信息化部负责）", ["文化和旅游部", "工业和信息化部"]),
        (
            "（牵头单位：市委组织部，配合单位：市国资委，各区、县级市）",
            ["市委组织部", "市国资委", "各区、县级市"],
        ),
        ("（技工院校内由人力资源社会保障行政部门负责）", ["人力资源社会保障行政部门"]),
    ],
)
def test_markers_unit_lists(marker: str, departments: list[str]) -> None:
    measure = parse_notice(_notice(f"1.做好工作。{marker}")).measures[0]

    assert measure.departments == departments


def test_markers_ordinary_brackets_are_not_markers() -> None:
    measure = parse_notice(_notice("1.支持西部(重庆)科学城和职业院校（含技工院校）建设。")).measures[0]

    assert (measure.departments, measure.lead, measure.co, measure.marker_count) == ([], None, [], 0)


def test_markers_several_in_one_measure_merged_in_order() -> None:
    text = _notice(
        "（一）推进改革。（市场监管总局负责）加强教育。（体育总局、教育部负责）推广技术。（体育总局、科技部负责）"
    )

    measure = parse_notice(text).measures[0]

    assert measure.marker_count == 3
    assert measure.departments == ["市场监管总局", "体育总局", "教育部", "科技部"]
    assert (measure.lead, measure.co) == ("市场监管总局", ["体育总局", "教育部", "科技部"])


# --- targets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "target"),
    [
        ("确保2025年我市公民具备科学素质的比例超过15%", (2025, "公民具备科学素质的比例", ">", 15, "%")),
        (
            "到2025年，体育竞赛表演产业总规模达到2万亿元",
            (2025, "体育竞赛表演产业总规模", ">=", 2 * 10**12, "元"),
        ),
        ("到2020年，全国农机总动力稳定在10亿千瓦左右", (2020, "农机总动力", "~", 10**9, "千瓦")),
        ("到2022年，全市科技志愿者不少于5万人", (2022, "科技志愿者", ">=", 50000, "人")),
        ("到2022年，全市科普场馆不低于40家", (2022, "科普场馆", ">=", 40, "家")),
        ("到2025年，城镇调查失业率控制在5.5%以内", (2025, "城镇调查失业率", "<=", 5.5, "%")),
        ("到2025年，万元产值能耗低于0.4吨", (2025, "万元产值能耗", "<=", 0.4, "吨")),
        ("到2025年，建设用地规模不超过3万亩", (2025, "建设用地规模", "<=", 30000, "亩")),
        ("到2020年，秸秆综合利用率达到85%以上", (2020, "秸秆综合利用率", ">=", 85, "%")),
        ("2025年底前全省研发投入强度高于2.5%", (2025, "研发投入强度", ">", 2.5, "%")),
    ],
)
def test_targets_comparators_and_units(sentence: str, target: tuple) -> None:
    notice = parse_notice(_notice(f"1.做好工作。{sentence}。"))

    assert [(t.year, t.metric, t.comparator, t.value, t.unit) for t in notice.targets] == [target]
    assert notice.targets[0].measure == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "落实《行动计划(2021-2025年)》，每年举办大赛超过10场",
        "自2019年1月1日起，补贴提高到1500元",
        "可申请最高不超过15万元的贷款",
        "比2015年增长超过20%",
    ],
)
def test_targets_without_target_year_ignored(sentence: str) -> None:
    notice = parse_notice(_notice(f"1.做好工作。{sentence}。"))

    assert notice.targets == []


def test_targets_year_carries_through_paragraph() -> None:
    notice = parse_notice(
        _notice("（一）发展目标。", "到2020年，能力持续提升。农机总动力超过10亿千瓦，综合机械化率达到70%。")
    )

    assert [(t.year, t.metric, t.comparator, t.value) for t in notice.targets] == [
        (2020, "农机总动力", ">", 10**9),
        (2020, "综合机械化率", ">=", 70),
    ]


# --- real notices (tests/data/notices) -------------------------------------------------------------


def test_real_notice_state_council_responsible_suffix() -> None:
    notice = _read("national_guofa_2019_3.txt")

    assert (notice.doc_number, notice.issuer, notice.date) == (
        "国发〔2019〕3号",
        "国务院",
        datetime.date(2019, 1, 12),
    )
    assert notice.title == "国务院关于促进综合保税区高水平开放高质量发展的若干意见"
    assert len(notice.measures) == 21
    assert sum(m.marker_count for m in notice.measures) == 21
    assert [(s.number, s.title) for s in notice.sections] == [(4, "主要任务")]
    measures = {m.number: m for m in notice.measures}
    assert (measures[1].lead, measures[1].co) == ("税务总局", ["财政部", "海关总署"])
    assert measures[6].departments == ["海关总署", "商务部"]
    assert measures[14].departments == ["商务部", "工业和信息化部", "生态环境部", "海关总署"]
    assert measures[21].title == "推广创新制度"


def test_real_notice_responsible_department_label() -> None:
    notice = _read("national_guofa_2018_38.txt")

    assert notice.doc_number == "国发〔2018〕38号"
    assert len(notice.measures) == 53
    assert [(s.number, len(s.measures)) for s in notice.sections] == [(1, 16), (2, 19), (3, 12), (4, 6)]
    measures = {m.number: m for m in notice.measures}
    assert measures[1].departments == ["人力资源社会保障部", "住房城乡建设部", "商务部"]
    assert measures[16].departments == ["发展改革委", "粮食和储备局"]
    assert measures[45].departments == ["人民银行"]
    assert measures[52].departments == [
        "人力资源社会保障部",
        "住房城乡建设部",
        "银保监会",
        "证监会",
        "知识产权局",
    ]
    assert all(m.departments for m in notice.measures)


def test_real_notice_guangzhou_lead_and_cooperating_units() -> None:
    notice = _read("guangzhou_talent_lead_cooperate.txt")

    assert (notice.doc_number, notice.issuer, notice.date) == (None, None, None)
    assert notice.title == "关于推进人才集聚工程的实施意见"
    assert len(notice.measures) == 45
    assert sum(m.marker_count for m in notice.measures) == 44
    measures = {m.number: m for m in notice.measures}
    assert (measures[1].title, measures[1].departments) == ("目标", [])
    assert (measures[2].lead, measures[2].co) == (
        "市发展改革委",
        ["市委组织部", "市人力资源和社会保障局", "各区、县级市"],
    )
    assert (measures[11].label, measures[11].title) == ("11.", "121人才梯队项目")
    assert (measures[29].lead, measures[29].co) == ("市人力资源和社会保障局", [])
    assert (measures[35].lead, measures[35].co) == (
        "市委组织部",
        ["市科技和信息化局", "市人力资源和社会保障局", "市财政局", "越秀区"],
    )


def test_real_notice_without_markers_invents_no_departments() -> None:
    notice = _read("ndrc_2019_860_no_marker.txt")

    assert notice.doc_number == "发改办财金规〔2019〕860号"
    assert notice.issuer == "发展改革委办公厅、税务总局办公厅"
    assert notice.date == datetime.date(2019, 8, 20)
    assert notice.title == "关于加强个人所得税纳税信用建设的通知"
    assert len(notice.measures) == 9
    assert [(s.number, len(s.measures)) for s in notice.sections] == [(2, 3), (3, 2), (4, 2), (5, 2)]
    assert [(m.departments, m.lead, m.co) for m in notice.measures] == [([], None, [])] * 9
    assert notice.targets == []
    assert notice.measures[-1].text.endswith("形成崇尚诚信、践行诚信的良好风尚。")


# --- robustness ------------------------------------------------------------------------------------

# Characters the parser gives meaning to, so random text keeps hitting its rules.
_NOTICE_ALPHABET = (
    "一二十（）()、，,。：:；1234567890.．年月日号〔〕"
    "负责部室牵头配合单位达到超过%万亿元\n \u3000甲乙关于通知"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_NOTICE_ALPHABET, max_size=300))
def test_parse_notice_arbitrary_text_parses_or_refuses(text: str) -> None:
    try:
        notice = parse_notice(text)
    except NoticeParseError:
        return

    assert notice.measures
    for measure in notice.measures:
        assert 0 <= measure.start < measure.end <= len(text)
        assert text[measure.end - len(measure.text) : measure.end] == measure.text
