"""Parse the text of an official notice (红头文件) into structured data.

`parse_notice(text)` reads the header (document number, issuer, title, recipients, signature date),
the numbered measures with their responsible departments, and the quantitative targets. It never
invents a value: whatever is not in the text comes back as None (or an empty list).

The parser works on paragraphs, one per line, as `kexie.policy.notices.extract.extract_text` produces them;
every measure keeps the character offsets of its clause in the text it was given.
"""

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from django.utils.translation import gettext as _

__all__ = ["Measure", "NoticeParseError", "ParsedNotice", "Section", "Target", "parse_notice"]


class NoticeParseError(Exception):
    """The text is not a notice the parser understands; `message` is translated, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- result ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A declared quantitative target, e.g. 2025年公民具备科学素质的比例超过15%.

    `value` is in base units: 2万亿元 is 2_000_000_000_000 with unit 元; percentages stay as written.
    `comparator` is one of > >= < <= = ~ (~ for 左右, "about").
    """

    measure: int
    year: int | None
    metric: str
    comparator: str
    value: int | float
    unit: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "year": self.year,
            "metric": self.metric,
            "comparator": self.comparator,
            "value": self.value,
            "unit": self.unit,
        }


@dataclass
class Measure:
    """A numbered measure. `number` counts measures through the whole notice (1, 2, …) even where
    the notice restarts its own numbering in each section; `label` is the number as printed.

    `text` is the clause after its label, as in the source; `source[start:end]` is the whole clause
    including the label, so the UI can link the measure back to it.
    """

    number: int
    label: str
    title: str
    text: str
    start: int
    end: int
    departments: list[str] = field(default_factory=list)
    lead: str | None = None
    co: list[str] = field(default_factory=list)
    marker_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "departments": list(self.departments),
            "lead": self.lead,
            "co": list(self.co),
            "start": self.start,
            "end": self.end,
        }


@dataclass
class Section:
    """A top-level part (一、二、…) holding measures. A notice whose measures are not grouped has
    one section with number and title None."""

    number: int | None
    title: str | None
    measures: list[Measure] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "measures": [measure.to_dict() for measure in self.measures],
        }


@dataclass
class ParsedNotice:
    doc_number: str | None
    issuer: str | None
    date: datetime.date | None
    title: str | None
    recipients: list[str]
    sections: list[Section]
    targets: list[Target]

    @property
    def measures(self) -> list[Measure]:
        return [measure for section in self.sections for measure in section.measures]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "recipients": list(self.recipients),
            "sections": [section.to_dict() for section in self.sections],
            "targets": [target.to_dict() for target in self.targets],
        }


# --- patterns ----------------------------------------------------------------------------------

_CN_DIGITS = "〇○零一二三四五六七八九"
_CN_DIGIT_VALUES = {"〇": 0, "○": 0, "零": 0, "两": 2} | {
    char: value for value, char in enumerate("零一二三四五六七八九")
}
_CN_NUMERAL = rf"[{_CN_DIGITS}十百两]+"
_OPEN = "（("
_CLOSE = "）)"

# 发文字号: issuer code, year in 〔〕 (or [] ［］ 【】 as typed), serial, 号. E.g. 渝科协发〔2022〕84号.
_DOC_NUMBER = re.compile(
    r"(?P<code>[\u4e00-\u9fff]{1,12})\s*[〔\[［【]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】]\s*"
    r"(?P<serial>\d{1,5})\s*号"
)
# An optional caption before the document number on its line.
_DOC_NUMBER_CAPTION = re.compile(r"^(?:发文字号|文号)\s*[:：]\s*")

# A signature date on a line of its own: 2022年9月19日 or 二〇二二年九月十九日, possibly in brackets.
_DATE_LINE = re.compile(
    rf"^[{_OPEN}]?\s*(?P<year>\d{{4}}|[{_CN_DIGITS}]{{4}})\s*年\s*(?P<month>\d{{1,2}}|{_CN_NUMERAL})\s*月"
    rf"\s*(?P<day>\d{{1,2}}|{_CN_NUMERAL})\s*日\s*[{_CLOSE}]?$"
)


class Level(IntEnum):
    """Numbering levels of a notice, coarsest first."""

    CHAPTER = 1  # 一、
    CLAUSE = 2  # （一）
    ITEM = 3  # 1.  1．  1、
    SUBITEM = 4  # （1）


# The label that opens a numbered paragraph, per level; `num` is the number as printed.
_LABELS: dict[Level, re.Pattern[str]] = {
    Level.CHAPTER: re.compile(rf"^(?P<num>{_CN_NUMERAL})\s*、\s*"),
    Level.CLAUSE: re.compile(rf"^[{_OPEN}]\s*(?P<num>{_CN_NUMERAL})\s*[{_CLOSE}]\s*"),
    # (?!\d) keeps decimals such as "1.5倍" from reading as item 1.
    Level.ITEM: re.compile(r"^(?P<num>\d{1,3})\s*[.．、](?!\d)\s*"),
    Level.SUBITEM: re.compile(rf"^[{_OPEN}]\s*(?P<num>\d{{1,3}})\s*[{_CLOSE}]\s*"),
}

# An item label followed by a digit, "11.121人才梯队项目", reads like a decimal ("1.5倍"); it is a
# label only where it continues the item numbering.
_AMBIGUOUS_ITEM = re.compile(r"^(?P<num>\d{1,3})\s*[.．](?=\d)")

# Responsibility markers, written inside brackets at the end of (or within) a measure:
#   labelled:  （责任部室：A、B）  （负责部门：A；适用范围：…）  （牵头单位：A，配合单位：B、C）
#   负责 form: （A、B负责）  （A、B按职责分工负责）  （A、B负责，排在第一位的部门为牵头部门）
_LEAD_KEYS = frozenset({"牵头单位", "牵头部门", "牵头处室"})
_CO_KEYS = frozenset({"配合单位", "配合部门", "配合处室", "协办单位", "参与单位", "协同单位"})
_RESPONSIBLE_KEYS = frozenset(
    {
        "责任部室",
        "责任单位",
        "责任部门",
        "责任处室",
        "负责部门",
        "负责单位",
        "主责单位",
        "主办单位",
        "承办单位",
    }
)
_MARKER_KEY = re.compile(r"^\s*(?P<key>[\u4e00-\u9fff]{2,6})\s*[:：]\s*")
# Where a labelled marker moves on to its next key: a separator followed by "key：".
_MARKER_PART_BREAK = re.compile(r"[，,；;]\s*(?=[\u4e00-\u9fff]{2,6}\s*[:：])")
_RESPONSIBLE_SUFFIX = re.compile(
    r"^(?P<units>[^。]+?)\s*(?:按照?职责分工|按照?职责|依职责|分别|共同|牵头)?负责"
    r"\s*(?:[，,；;。](?P<note>.*))?$"
)
# Prose such as "技工院校内由人力资源社会保障行政部门负责": the unit follows 由 (but 自由 is a word).
_RESPONSIBLE_BY = re.compile(r"^.*(?<!自)由")

# A bracket ending in 负责 with more text than this is prose, not a list of units.
_MAX_UNIT_LIST_CHARS = 200
# Separators inside a list of units: 、，,；; and the joining words in "A等和各省级人民政府",
# "A会同有关部门", "A以及B", "A和各地". "和" alone is not one: 文化和旅游部 is a single unit.
_UNIT_SEPARATOR = re.compile(r"[、，,；;]|等和|会同|以及|[和及](?=各)")
_UNIT_PREFIX = re.compile(r"^(?:由|请)")
# Trailing qualifiers that name no further unit: "商务部等", "人民银行等部门", "…等有关部门".
_UNIT_QUALIFIER = re.compile(r"等(?:其他|有关|相关)?(?:部门|单位)?(?:和(?:部门|单位))?$")
# Placeholders that name no unit at all: "有关部门", "各有关部门和单位".
_PLACEHOLDER_UNIT = re.compile(r"^(?:各|其他)?(?:有关|相关)?(?:部门|单位)(?:和(?:部门|单位))?$")
# A bare administrative level continuing a "各…" list: 各区、县级市 is one unit, not two.
_BARE_ADMIN_LEVEL = frozenset(
    {"县级市", "县", "区", "市", "旗", "县区", "区县", "自治县", "镇", "街道", "乡镇"}
)

# The end of the notice body: the printed attachment, copy-to and release lines.
_BODY_END_LINE = re.compile(r"^(?:附件\s*[:：\d]|抄送\s*[:：]|[（(]此件(?:公开发布|发至|不公开)|[（(]联系人)")
# Title of a notice: it mentions 关于 or ends in the name of a document type, optionally with a
# bracketed qualifier such as （试行） or （2021-2025年）.
_DOC_TYPE_END = re.compile(
    r"(?:通知|意见|方案|办法|决定|规定|举措|措施|细则|计划|纲要|规划|批复|通报|报告|函|公告|通告|条例|"
    r"指引|要点|规则|决议|纪要)(?:[（(][^）)]*[）)])?$"
)
# A long title is broken over at most this many lines.
_MAX_TITLE_LINES = 4
# An 印发/转发 wrapper whose real subject is the document it publishes.
_WRAPPER_TITLE = re.compile(r"(?:印发|转发)\s*《(?P<inner>[^》]+)》\s*的?通知$")
_TITLE_ISSUER = re.compile(r"^(?P<issuer>[\u4e00-\u9fff ]{2,40}?)\s*关于")
_RED_HEAD_SUFFIX = re.compile(r"\s*文件$")
_ORG_LINE = re.compile(r"^[\u4e00-\u9fff、（）() ]{2,60}$")
_ORG_SUFFIX = re.compile(
    r"(?:委员会|人民政府|政府|办公厅|办公室|协会|学会|联合会|研究会|科协|党委|党组|中央|总局|局|部|厅|委|"
    r"院|署|会|中心|办|司|处|室|社|馆|所|公司|集团|大学|学院|银行|组|团|军区|总队)$"
)

# Target year context: "到2025年", "确保2025年", "2025年底", but not "2021-2025年" (a plan period),
# "2019年1月1日" (a date), "2019年起" (a start), "2021年至2025年" (the start of a period) or
# "比2015年" (a baseline).
_TARGET_YEAR = re.compile(
    r"(?<![\d\-—–~～比较])(?P<year>20\d{2})\s*年(?:底|末)?前?(?!\s*\d{1,2}\s*月|起|以来|以前|度|[-—–~～至到])"
)
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？]")
_TARGET_UNITS = (
    "%|％|‰|人次|场次|千瓦时|千瓦|平方公里|平方米|公里|千米|公顷|元|人|名|个|家|项|所|套|场|次|亩|吨|"
    "小时|篇|部|件|台|辆|座|批|支|户|间|张|册|种|条|处"
)
_TARGET_VALUE = re.compile(
    r"(?P<op>不低于|不少于|不超过|不高于|不大于|超过|高于|大于|多于|达到|达|低于|少于|小于|"
    r"控制在|稳定在|保持在|提高到|提升到|提高至|提升至|增加到|增长到|降低到|降低至|降至|下降到|减少到)"
    r"\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<scale>万亿|亿|万|千)?\s*"
    rf"(?P<unit>{_TARGET_UNITS})?\s*(?P<tail>以上|以内|以下|左右)?"
)
_COMPARATORS = {
    ">": ("超过", "高于", "大于", "多于"),
    ">=": ("达到", "达", "不低于", "不少于", "提高到", "提升到", "提高至", "提升至", "增加到", "增长到"),
    "<": ("少于", "小于"),
    "<=": ("低于", "不超过", "不高于", "不大于", "控制在", "降低到", "降低至", "降至", "下降到", "减少到"),
    "=": ("稳定在", "保持在"),
}
_COMPARATOR_BY_WORD = {word: symbol for symbol, words in _COMPARATORS.items() for word in words}
_TAIL_COMPARATOR = {"以上": ">=", "以内": "<=", "以下": "<=", "左右": "~"}
_SCALE = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3}
# Where the metric starts: the scope words 我市/全市/全国 … and verbs of aim say nothing about it.
_METRIC_LEAD = re.compile(
    r"^(?:(?:使|让|实现|推动|促进|其中|进一步|确保|力争|争取|全面|基本)\s*)*"
    r"(?:我市|全市|本市|我省|全省|本省|我区|全区|我国|全国|我县|全县)?\s*"
)

# Adverbs between the metric and its comparator: "机械化率均达到", "分别达到", "总体达到".
_METRIC_TAIL = re.compile(r"(?:均|分别|总体|平均|累计|要|将|力争|争取)+$")


# --- lines -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """A non-blank line (paragraph) of the source with its offsets; `text` is stripped."""

    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Numbered:
    line: _Line
    level: Level
    label: str
    number: int
    body_start: int  # offset in the source just after the label
    rest: str  # the paragraph after its label


def _split_lines(text: str) -> list[_Line]:
    lines = []
    for match in re.finditer(r"[^\r\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            start = match.start() + (len(raw) - len(raw.lstrip()))
            lines.append(_Line(len(lines), stripped, start, start + len(stripped)))
    return lines


def _label(text: str) -> tuple[Level, re.Match[str]] | None:
    """The numbering label a paragraph opens with, if any."""
    for level, pattern in _LABELS.items():
        match = pattern.match(text)
        if match:
            return level, match
    return None


def _numbered(line: _Line) -> _Numbered | None:
    found = _label(line.text)
    if found is None:
        return None
    level, match = found
    return _Numbered(
        line,
        level,
        match.group().strip(),
        _cn_to_int(match["num"]),
        line.start + match.end(),
        line.text[match.end() :],
    )


def _numbered_lines(lines: list[_Line]) -> list[_Numbered]:
    """The numbered paragraphs, in order."""
    numbered = []
    last_item = 0
    for line in lines:
        item = _numbered(line)
        ambiguous = _AMBIGUOUS_ITEM.match(line.text) if item is None else None
        if ambiguous and int(ambiguous["num"]) == last_item + 1:
            item = _Numbered(
                line,
                Level.ITEM,
                ambiguous.group().strip(),
                last_item + 1,
                line.start + ambiguous.end(),
                line.text[ambiguous.end() :],
            )
        if item is not None:
            last_item = item.number if item.level == Level.ITEM else last_item
            numbered.append(item)
    return numbered


# --- numbers and dates -------------------------------------------------------------------------


def _cn_to_int(numeral: str) -> int:
    """Value of a Chinese (or Arabic) numeral up to 999: 十九 = 19, 二十 = 20, 一百零五 = 105."""
    if numeral.isdigit():
        return int(numeral)
    total, current = 0, 0
    for char in numeral:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGIT_VALUES[char]
    return total + current


def _year_value(year: str) -> int:
    # Years are written digit by digit (二〇二二), not as a quantity.
    return int(year) if year.isdigit() else int("".join(str(_cn_to_int(char)) for char in year))


def _date_from_line(text: str) -> datetime.date | None:
    match = _DATE_LINE.match(text)
    if not match:
        return None
    try:
        return datetime.date(_year_value(match["year"]), _cn_to_int(match["month"]), _cn_to_int(match["day"]))
    except ValueError:
        return None


# --- bracket-aware helpers ---------------------------------------------------------------------


def _bracket_groups(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every outermost bracket group in `text`, brackets included; either width."""
    depth, opened = 0, 0
    for index, char in enumerate(text):
        if char in _OPEN:
            if depth == 0:
                opened = index
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                yield opened, index + 1


def _split_outside_brackets(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split on `separator` only where it is not inside brackets: 市级学会(协会、研究会) stays whole."""
    depth_at = []
    depth = 0
    for char in text:
        if char in _OPEN:
            depth += 1
        depth_at.append(depth)
        if char in _CLOSE and depth:
            depth -= 1
    parts, last = [], 0
    for match in separator.finditer(text):
        if depth_at[match.start()] == 0:
            parts.append(text[last : match.start()])
            last = match.end()
    parts.append(text[last:])
    return [part.strip() for part in parts if part.strip()]


# --- responsibility markers --------------------------------------------------------------------


@dataclass(frozen=True)
class _Marker:
    departments: tuple[str, ...]
    lead: str | None  # only when the marker names it (牵头单位)


def _find_markers(text: str) -> list[_Marker]:
    markers = []
    for start, end in _bracket_groups(text):
        marker = _read_marker(text[start + 1 : end - 1])
        if marker is not None:
            markers.append(marker)
    return markers


def _read_marker(inner: str) -> _Marker | None:
    key_match = _MARKER_KEY.match(inner)
    if key_match and key_match["key"] in _LEAD_KEYS | _CO_KEYS | _RESPONSIBLE_KEYS:
        return _read_labelled_marker(inner)
    responsible = _RESPONSIBLE_SUFFIX.match(inner)
    # A long bracket ending in 负责 is prose that happens to end that way, not a list of units.
    if responsible and len(responsible["units"]) <= _MAX_UNIT_LIST_CHARS:
        # A marker naming only placeholders ("各有关部门和单位负责") is still a marker; it just
        # names no department.
        return _Marker(tuple(_split_units(_RESPONSIBLE_BY.sub("", responsible["units"]))), None)
    return None


def _read_labelled_marker(inner: str) -> _Marker | None:
    leads: list[str] = []
    others: list[str] = []
    for part in _split_outside_brackets(inner, _MARKER_PART_BREAK):
        key_match = _MARKER_KEY.match(part)
        if not key_match:
            continue
        units = _split_units(part[key_match.end() :])
        if key_match["key"] in _LEAD_KEYS:
            leads.extend(units)
        elif key_match["key"] in _CO_KEYS | _RESPONSIBLE_KEYS:
            others.extend(units)
    departments = tuple(_dedupe([*leads, *others]))
    if not departments:
        return None
    return _Marker(departments, leads[0] if leads else None)


def _split_units(text: str) -> list[str]:
    units: list[str] = []
    for part in _split_outside_brackets(text, _UNIT_SEPARATOR):
        unit = _UNIT_QUALIFIER.sub("", _UNIT_PREFIX.sub("", part)).strip()
        if not unit or _PLACEHOLDER_UNIT.match(unit):
            continue
        if unit in _BARE_ADMIN_LEVEL and units and units[-1].startswith("各"):
            units[-1] = f"{units[-1]}、{unit}"
        else:
            units.append(unit)
    return units


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- header ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    doc_number: str | None
    issuer: str | None
    title: str | None
    recipients: list[str]


def _parse_header(lines: list[_Line], head_end: int) -> _Header:
    """Read the head of the notice, the lines before its first numbered paragraph (`head_end`)."""
    head = lines[:head_end]
    doc_number_line = next((line for line in head if _doc_number(line.text)), None)
    title_lines = _title_lines(head)
    title = "".join(line.text for line in title_lines) if title_lines else None
    after_title = title_lines[-1].index + 1 if title_lines else 0
    return _Header(
        doc_number=_doc_number(doc_number_line.text) if doc_number_line else None,
        issuer=_issuer(lines, title_lines, doc_number_line),
        title=_subject_title(title) if title else None,
        recipients=_recipients(head[after_title:]),
    )


def _doc_number(text: str) -> str | None:
    text = _DOC_NUMBER_CAPTION.sub("", text)
    match = _DOC_NUMBER.match(text)
    if not match:
        return None
    return f"{match['code']}〔{match['year']}〕{int(match['serial'])}号"


def _title_lines(lines: list[_Line]) -> list[_Line]:
    """The first title in the header, joined across the lines a long title is broken into.

    The longest run of up to `_MAX_TITLE_LINES` title-like lines that ends in a document type wins,
    so "…记录制度" does not end a title that goes on "…审核制度的指导意见".
    """
    for position, line in enumerate(lines):
        if not _could_start_title(line.text):
            continue
        block = [line]
        for following in lines[position + 1 : position + _MAX_TITLE_LINES]:
            if not _could_continue_title(following.text):
                break
            block.append(following)
        for size in range(len(block), 0, -1):
            if _DOC_TYPE_END.search("".join(part.text for part in block[:size])):
                return block[:size]
    return []


def _could_start_title(text: str) -> bool:
    names_subject = "关于" in text or "印发" in text or _DOC_TYPE_END.search(text) is not None
    return names_subject and _could_continue_title(text)


def _could_continue_title(text: str) -> bool:
    return (
        len(text) <= 80
        and not re.search(r"[。，,：:；;]", text)
        and not _doc_number(text)
        and not _date_from_line(text)
        and _label(text) is None
    )


def _subject_title(title: str) -> str:
    wrapper = _WRAPPER_TITLE.search(title)
    return wrapper["inner"].strip() if wrapper else title


def _issuer(lines: list[_Line], title_lines: list[_Line], doc_number_line: _Line | None) -> str | None:
    """The issuing body, from the most to the least explicit place the notice names it."""
    red_head_end = min(
        title_lines[0].index if title_lines else len(lines),
        doc_number_line.index if doc_number_line else len(lines),
    )
    candidates = (
        _red_head_issuer(lines[:red_head_end]),
        _adjacent_issuer(lines, title_lines),
        _title_prefix_issuer(title_lines),
        _signature_issuer(lines),
    )
    return next((issuer for issuer in candidates if issuer), None)


def _red_head_issuer(head: list[_Line]) -> str | None:
    """Issuers printed above the document number, as in "发展改革委办公厅 文件"."""
    if not any(_RED_HEAD_SUFFIX.search(line.text) for line in head):
        return None
    orgs = [org for line in head for org in _orgs(_RED_HEAD_SUFFIX.sub("", line.text))]
    return "、".join(orgs) or None


def _adjacent_issuer(lines: list[_Line], title_lines: list[_Line]) -> str | None:
    if not title_lines:
        return None
    neighbours = [title_lines[0].index - 1, title_lines[-1].index + 1]
    for index in neighbours:
        if 0 <= index < len(lines):
            orgs = _orgs(lines[index].text)
            if orgs:
                return "、".join(orgs)
    return None


def _title_prefix_issuer(title_lines: list[_Line]) -> str | None:
    if not title_lines:
        return None
    match = _TITLE_ISSUER.match("".join(line.text for line in title_lines))
    if match is None:
        return None
    return "、".join(_orgs(match["issuer"])) or None


def _signature_issuer(lines: list[_Line]) -> str | None:
    """The organisations signing above the first date line."""
    for line in lines:
        if _date_from_line(line.text):
            orgs: list[str] = []
            for above in reversed(lines[max(0, line.index - 3) : line.index]):
                found = _orgs(above.text)
                if not found:
                    break
                orgs[:0] = found
            return "、".join(orgs) or None
    return None


def _orgs(text: str) -> list[str]:
    """The organisation names making up a line, or [] if the line is not just organisations."""
    text = text.strip()
    if not _ORG_LINE.match(text) or "关于" in text:
        return []
    parts = [part for part in re.split(r"[ 、]+", text) if part]
    return parts if all(_ORG_SUFFIX.search(part) for part in parts) else []


def _recipients(lines: list[_Line]) -> list[str]:
    """主送机关: the first line after the title ending in a colon, split into units."""
    for line in lines:
        if line.text.endswith(("：", ":")) and "。" not in line.text and len(line.text) <= 300:
            items = _split_outside_brackets(line.text[:-1], re.compile(r"[、，,]"))
            return _merge_single_characters(items)
        if _label(line.text):
            break
    return []


def _merge_single_characters(items: list[str]) -> list[str]:
    # "市政府各委、办、局": a one-character item cannot name a body; it continues the one before.
    merged: list[str] = []
    for item in items:
        if len(item) == 1 and merged:
            merged[-1] = f"{merged[-1]}、{item}"
        else:
            merged.append(item)
    return merged


# --- body structure ----------------------------------------------------------------------------


def _measure_level(numbered: list[_Numbered], text: str) -> Level | None:
    """The numbering level whose paragraphs are the measures.

    The level carrying the responsibility markers wins; without markers, the level with the most
    paragraphs (so 一、 chapters holding （一） clauses are sections, not measures).
    """
    scores: dict[Level, tuple[int, int, int]] = {}
    for position, item in enumerate(numbered):
        end = numbered[position + 1].line.start if position + 1 < len(numbered) else len(text)
        has_marker = bool(_find_markers(text[item.body_start : end]))
        marked, count, _level = scores.get(item.level, (0, 0, 0))
        scores[item.level] = (marked + has_marker, count + 1, int(item.level))
    if not scores:
        return None
    return max(scores, key=lambda level: scores[level])


def _body_end_indices(lines: list[_Line]) -> set[int]:
    """Lines where the notice body stops: signature, date, attachment and release lines."""
    ends = set()
    for line in lines:
        if _BODY_END_LINE.match(line.text):
            ends.add(line.index)
        elif _date_from_line(line.text):
            ends.add(line.index)
            for above in reversed(lines[max(0, line.index - 3) : line.index]):
                if not _orgs(above.text):
                    break
                ends.add(above.index)
    return ends


def _is_title_only(body: str) -> bool:
    # "（一）全面实施个人所得税申报信用承诺制。" — its content follows in the next paragraphs.
    body = body.strip()
    sentences = [part for part in body.split("。") if part.strip()]
    return len(sentences) == 1 and len(body) <= 60


def _measure_title(first_paragraph: str) -> str:
    """The first clause, up to the first 。 (or the responsibility marker if that comes first)."""
    head = first_paragraph.split("。", 1)[0]
    for start, end in _bracket_groups(head):
        if _read_marker(head[start + 1 : end - 1]) is not None:
            head = head[:start]
            break
    return head.strip().rstrip("：:；;，,")


@dataclass(frozen=True)
class _Span:
    item: _Numbered
    lines: list[_Line]


def _measure_spans(
    lines: list[_Line], numbered: list[_Numbered], level: Level, *, marker_style: bool, text: str
) -> list[_Span]:
    ends = _body_end_indices(lines)
    boundaries = {item.line.index for item in numbered if item.level <= level}
    spans = []
    for item in (item for item in numbered if item.level == level):
        span = [item.line]
        for line in lines[item.line.index + 1 :]:
            if line.index in boundaries or line.index in ends:
                break
            span.append(line)
        spans.append(_Span(item, _trim_span(span, item, lines, ends, marker_style=marker_style, text=text)))
    return spans


def _trim_span(
    span: list[_Line], item: _Numbered, lines: list[_Line], ends: set[int], *, marker_style: bool, text: str
) -> list[_Line]:
    """Drop the closing remarks that follow a measure but are not part of it."""
    if len(span) == 1:
        return span
    if marker_style:
        marked = [position for position, line in enumerate(span) if _find_markers(line.text)]
        if marked:
            return span[: marked[-1] + 1]
    last_in_body = span[-1].index + 1 >= len(lines) or span[-1].index + 1 in ends
    first_body = text[item.body_start : item.line.end]
    if last_in_body and not _is_title_only(first_body):
        # The last measure of the notice: what follows its paragraph is the closing exhortation.
        return span[:1]
    return span


def _build_measure(number: int, span: _Span, text: str) -> Measure:
    item = span.item
    end = span.lines[-1].end
    body = text[item.body_start : end]
    markers = _find_markers(body)
    departments = _dedupe(unit for marker in markers for unit in marker.departments)
    lead = next((marker.lead for marker in markers if marker.lead), None)
    if lead is None and departments:
        lead = departments[0]
    return Measure(
        number=number,
        label=item.label,
        title=_measure_title(text[item.body_start : item.line.end]),
        text=body,
        start=item.line.start,
        end=end,
        departments=departments,
        lead=lead,
        co=[unit for unit in departments if unit != lead],
        marker_count=len(markers),
    )


def _group_sections(spans: list[_Span], measures: list[Measure], numbered: list[_Numbered]) -> list[Section]:
    """Group measures under the coarsest numbering level above theirs that the notice uses."""
    level = spans[0].item.level
    section_level = min((item.level for item in numbered if item.level < level), default=None)
    headings = [item for item in numbered if item.level == section_level]
    sections: dict[int, Section] = {}
    for span, measure in zip(spans, measures, strict=True):
        heading = next((h for h in reversed(headings) if h.line.index < span.item.line.index), None)
        key = heading.line.index if heading else -1
        if key not in sections:
            sections[key] = _section(heading)
        sections[key].measures.append(measure)
    return list(sections.values())


def _section(heading: _Numbered | None) -> Section:
    if heading is None:
        return Section(number=None, title=None)
    return Section(number=heading.number, title=heading.rest.rstrip("。") or None)


# --- targets -----------------------------------------------------------------------------------


def _targets(measure: Measure) -> Iterator[Target]:
    for paragraph in measure.text.split("\n"):
        year: int | None = None
        for clause in (part for part in _CLAUSE_BREAK.split(paragraph) if part.strip()):
            year_match = _TARGET_YEAR.search(clause)
            rest = clause
            if year_match:
                year = int(year_match["year"])
                rest = clause[year_match.end() :]
            if year is None:
                continue
            value_match = _TARGET_VALUE.search(rest)
            if value_match:
                target = _target(measure.number, year, rest[: value_match.start()], value_match)
                if target:
                    yield target


def _target(measure: int, year: int, metric_text: str, match: re.Match[str]) -> Target | None:
    metric = _METRIC_TAIL.sub("", _METRIC_LEAD.sub("", metric_text.strip())).strip()
    if not metric or len(metric) > 40:
        return None
    comparator = _COMPARATOR_BY_WORD[match["op"]]
    tail = match["tail"]
    if tail and not (tail == "以上" and comparator == ">"):
        comparator = _TAIL_COMPARATOR[tail]
    value: float = float(match["value"]) * _SCALE.get(match["scale"] or "", 1)
    unit = match["unit"]
    if unit == "％":
        unit = "%"
    return Target(
        measure=measure,
        year=year,
        metric=metric,
        comparator=comparator,
        value=int(value) if value == int(value) else value,
        unit=unit,
    )


# --- entry point -------------------------------------------------------------------------------


def parse_notice(text: str) -> ParsedNotice:
    """Parse a notice's text; raise `NoticeParseError` when it holds no numbered measures."""
    lines = _split_lines(text)
    numbered = _numbered_lines(lines)
    level = _measure_level(numbered, text)
    if level is None:
        raise NoticeParseError(_no_measures_message())
    header = _parse_header(lines, numbered[0].line.index)
    measure_items = [item for item in numbered if item.level == level]
    marked = sum(bool(_find_markers(text[i.body_start : i.line.end])) for i in measure_items)
    spans = _measure_spans(lines, numbered, level, marker_style=marked * 2 >= len(measure_items), text=text)
    measures = [_build_measure(number, span, text) for number, span in enumerate(spans, start=1)]
    return ParsedNotice(
        doc_number=header.doc_number,
        issuer=header.issuer,
        date=next((date for date in map(_date_from_line, (line.text for line in lines)) if date), None),
        title=header.title,
        recipients=header.recipients,
        sections=_group_sections(spans, measures, numbered),
        targets=[target for measure in measures for target in _targets(measure)],
    )


def _no_measures_message() -> str:
    return _(
        "No numbered measures were found in the notice. Each measure must start on its own line "
        "with a number such as “1.”, “（一）” or “一、”."
    )
