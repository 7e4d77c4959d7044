"""The supervision bulletin (督办通报, .docx laid out per GB/T 9704).

Its wording is fixed Chinese on purpose: the bulletin is an official document issued in Chinese
whatever the interface language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from kexie.core.models import AuditEvent
from kexie.core.services import record_event
from kexie.policy import rules
from kexie.policy.enums import Light, TaskState
from kexie.policy.models import Notice, SupervisionSettings, Task
from kexie.policy.services import (
    LightInputs,
    compute_light,
)

# --- supervision bulletin ------------------------------------------------------------------------------

ISSUER = "重庆市科学技术协会"
BULLETIN_PREFIX = "渝科协督"
RECIPIENTS = "市科协机关各部室、各直属单位："
DEFAULT_CLOSING = (
    "请各牵头部门对照任务分解表，对逾期事项逐项分析原因，于5个工作日内报送书面说明和整改措施；"
    "对需关注事项倒排工期、挂图作战，确保按期完成；各配合部门要主动对接、形成合力。"
    "已办结事项要及时总结经验做法，报送典型案例。"
)
# GB/T 9704 typefaces, each with the substitute named for machines without the Founder fonts.
FONT_HEADER = ("方正小标宋简体", "华文中宋")
FONT_BODY = ("仿宋_GB2312", "仿宋")
FONT_HEADING = ("黑体", "SimHei")
FONT_PAGE = ("宋体", "SimSun")
RED = "FF0000"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
HEADER_PT = 42
PAGE_PT = 14  # 四号
LINE_PT = 28


def chinese_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def default_bulletin_number(*, on: date) -> str:
    """渝科协督〔year〕N号, N following the bulletins already exported that year."""
    issued = AuditEvent.objects.filter(action="policy.bulletin.export", created_at__year=on.year).count()
    return f"{BULLETIN_PREFIX}〔{on.year}〕{issued + 1}号"


@dataclass
class Bulletin:
    notice: Notice
    number: str
    as_of: date
    closing: str
    counts: dict[str, int]
    completed: list[tuple[Task, str]]
    overdue: list[tuple[Task, str]]
    attention: list[tuple[Task, str]]

    @property
    def title(self) -> str:
        subject = self.notice.doc_number or f"《{self.notice.title}》"
        return f"关于{subject}落实情况的督办通报"

    @property
    def overview(self) -> str:
        c = self.counts
        subject = f"{self.notice.doc_number}《{self.notice.title}》"
        return (
            f"截至{chinese_date(self.as_of)}，{subject}共分解任务{c['total']}项，其中已办结{c['completed']}项，"
            f"正在推进{c['in_progress']}项（含申请办结{c['completion_requested']}项），尚未启动{c['draft']}项；"
            f"逾期{c['overdue']}项；亮红灯{c['red']}项、亮黄灯{c['amber']}项。现将有关情况通报如下。"
        )

    def blocks(self) -> list[tuple[str, str]]:
        """The document as (kind, text) blocks in order: what both the .docx and the preview lay out."""
        blocks = [
            ("header", ISSUER),
            ("number", self.number),
            ("title", self.title),
            ("recipients", RECIPIENTS),
            ("body", self.overview),
        ]
        sections = (
            ("一、已办结事项", self.completed, "截至通报日，暂无已办结事项。"),
            ("二、逾期事项", self.overdue, "截至通报日，无逾期事项。"),
            ("三、需关注事项", self.attention, "截至通报日，无临近完成时限的事项。"),
        )
        for heading, items, empty in sections:
            blocks.append(("heading", heading))
            blocks.extend(("item", f"{i}. {text}") for i, (_task, text) in enumerate(items, start=1))
            if not items:
                blocks.append(("body", empty))
        blocks.append(("heading", "四、下一步要求"))
        blocks.extend(("body", line.strip()) for line in self.closing.splitlines() if line.strip())
        return [*blocks, ("signature", ISSUER), ("date", chinese_date(self.as_of))]


def _light_on(task: Task, day: date, config: SupervisionSettings) -> str:
    def local(value):
        return timezone.localtime(value).date() if value else None

    open_milestones = [m.due_date for m in task.milestones.all() if m.done_at is None]
    return compute_light(
        LightInputs(
            state=task.state,
            due_date=task.due_date,
            started=local(task.started_at),
            last_report=local(task.last_report_at),
            next_milestone=min((d for d in open_milestones if d >= day), default=None),
            overdue_milestone=any(d < day for d in open_milestones),
        ),
        today=day,
        amber_days=config.amber_days,
        report_interval_days=config.report_interval_days,
    )


def _item(task: Task, detail: str) -> str:
    return f"{task.title}（举措{task.measure.number}，牵头部门：{task.lead.display_name}，{detail}）。"


def compose_bulletin(*, notice: Notice, number: str, as_of: date, closing: str = "") -> Bulletin:
    """What the bulletin says about `notice` on `as_of`: counts, completed items, overdue items with
    days overdue, and items needing attention (amber) — lights computed for that day. Four queries."""
    config = SupervisionSettings.current()
    tasks = (
        Task.objects.filter(measure__notice=notice)
        .exclude(state=TaskState.CANCELLED)
        .select_related("lead", "measure")
        .prefetch_related("milestones")
        .order_by("measure__number", "pk")
    )
    counts = dict.fromkeys(
        ("total", "completed", "in_progress", "completion_requested", "draft", "overdue", "red", "amber"), 0
    )
    completed, overdue, attention = [], [], []
    for task in tasks:
        counts["total"] += 1
        if task.state == TaskState.COMPLETED:
            counts["completed"] += 1
            done = timezone.localtime(task.completed_at).date() if task.completed_at else as_of
            completed.append(
                ((done, task.measure.number, task.pk), task, _item(task, f"{chinese_date(done)}办结"))
            )
            continue
        counts["draft" if task.state == TaskState.DRAFT else "in_progress"] += 1
        counts["completion_requested"] += task.state == TaskState.COMPLETION_REQUESTED
        light = _light_on(task, as_of, config)
        counts["red"] += light == Light.RED
        counts["amber"] += light == Light.AMBER
        if task.due_date and task.due_date < as_of:
            counts["overdue"] += 1
            days = (as_of - task.due_date).days
            overdue.append(
                (
                    (-days, task.measure.number, task.pk),
                    task,
                    _item(task, f"完成时限{chinese_date(task.due_date)}，已逾期{days}天"),
                )
            )
        elif light == Light.AMBER:
            detail = f"完成时限{chinese_date(task.due_date)}" if task.due_date else "节点时限临近"
            attention.append(
                ((task.due_date or as_of, task.measure.number, task.pk), task, _item(task, detail))
            )

    def ordered(items: list[tuple]) -> list[tuple[Task, str]]:
        return [(task, text) for _key, task, text in sorted(items, key=lambda item: item[0])]

    return Bulletin(
        notice=notice,
        number=number.strip(),
        as_of=as_of,
        closing=closing.strip() or DEFAULT_CLOSING,
        counts=counts,
        completed=ordered(completed),
        overdue=ordered(overdue),
        attention=ordered(attention),
    )


def _set_run_font(
    run, fonts: tuple[str, str], size_pt: float, *, bold: bool = False, color: str | None = None
) -> None:
    run.font.name = fonts[0]
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attribute), fonts[0])
    r_fonts.set(qn("w:hint"), "eastAsia")


@dataclass(frozen=True)
class _Layout:
    fonts: tuple[str, str] = FONT_BODY
    size: float = BODY_PT
    align: int | None = None
    line: float | None = LINE_PT
    first_indent: float = 0  # in characters
    right_indent: float = 0  # in characters
    color: str | None = None
    space_after: float = 0


LAYOUTS = {
    "header": _Layout(
        fonts=FONT_HEADER,
        size=HEADER_PT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=None,
        color=RED,
        space_after=LINE_PT,
    ),
    "number": _Layout(align=WD_ALIGN_PARAGRAPH.CENTER),
    "title": _Layout(fonts=FONT_HEADER, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, line=36),
    "recipients": _Layout(),
    "heading": _Layout(fonts=FONT_HEADING, first_indent=2),
    "body": _Layout(first_indent=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY),
    "item": _Layout(first_indent=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY),
    "signature": _Layout(align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=4),
    "date": _Layout(align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=4),
    "blank": _Layout(),
}


def _paragraph(document, text: str, layout: _Layout):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    if layout.align is not None:
        paragraph.alignment = layout.align
    if layout.line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(layout.line)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(layout.space_after)
    if layout.first_indent:
        fmt.first_line_indent = Pt(layout.size * layout.first_indent)
    if layout.right_indent:
        fmt.right_indent = Pt(layout.size * layout.right_indent)
    if text:
        _set_run_font(paragraph.add_run(text), layout.fonts, layout.size, color=layout.color)
    return paragraph


PPR_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _red_rule(paragraph) -> None:
    """The red separator under the document number: a bottom border as wide as the text block."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "12", "w:space": "8", "w:color": RED}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    # w:pPr children have a fixed order in the schema; Word refuses a document that breaks it.
    paragraph._element.get_or_add_pPr().insert_element_before(borders, *PPR_AFTER_BORDER)


def _page_number(paragraph) -> None:
    """“— 1 —”: a dash each side of a PAGE field."""

    def run(text: str = ""):
        added = paragraph.add_run(text)
        _set_run_font(added, FONT_PAGE, PAGE_PT)
        return added

    run("— ")
    begin, instruction, separate, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    run()._element.append(begin)
    run()._element.append(instruction)
    run()._element.append(separate)
    run("1")
    run()._element.append(end)
    run(" —")


def _register_font_substitutes(document) -> None:
    """Name each typeface's substitute in the font table (w:altName), as Word uses for fonts it lacks."""
    part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(part.blob)  # noqa: S320 - python-docx's own template, not user input
    known = {font.get(f"{w}name") for font in root.findall(f"{w}font")}
    for name, substitute in (FONT_HEADER, FONT_BODY, FONT_HEADING, FONT_PAGE):
        if name in known:
            continue
        font = etree.SubElement(root, f"{w}font", {f"{w}name": name})
        for tag, value in (
            ("altName", substitute),
            ("charset", "86"),
            ("family", "roman"),
            ("pitch", "variable"),
        ):
            etree.SubElement(font, f"{w}{tag}", {f"{w}val": value})
    # python-docx keeps the parts it does not model as bytes: replace them.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_up_document(document, bulletin: Bulletin) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = FONT_BODY[0]
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_BODY[0])
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(LINE_PT)
    normal.paragraph_format.space_after = Pt(0)
    _register_font_substitutes(document)
    document.core_properties.title = bulletin.title
    document.core_properties.author = ISSUER
    # Page numbers per GB/T 9704: 4号 digits between dashes, odd pages right and even pages left,
    # one character in from the edge of the text block.
    document.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(PAGE_PT)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(PAGE_PT)
    _page_number(even)


def build_bulletin_docx(bulletin: Bulletin) -> bytes:
    document = Document()
    _set_up_document(document, bulletin)
    for kind, text in bulletin.blocks():
        if kind == "signature":  # two blank lines between the body and the signature
            _paragraph(document, "", LAYOUTS["blank"])
            _paragraph(document, "", LAYOUTS["blank"])
        paragraph = _paragraph(document, text, LAYOUTS[kind])
        if kind == "number":
            _red_rule(paragraph)
        if kind in ("number", "title"):
            _paragraph(document, "", LAYOUTS["blank"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def export_bulletin(
    *, notice: Notice, number: str, as_of: date, by, closing: str = ""
) -> tuple[Bulletin, bytes]:
    """The supervision bulletin as .docx, for supervisors and leaders; the export is audited."""
    if not rules.can_remind(by):
        raise PermissionDenied
    bulletin = compose_bulletin(notice=notice, number=number, as_of=as_of, closing=closing)
    content = build_bulletin_docx(bulletin)
    record_event(
        notice,
        "policy.bulletin.export",
        actor=by,
        after={"number": bulletin.number, "as_of": as_of.isoformat(), **bulletin.counts},
    )
    return bulletin, content
