"""Formal documents of the think tank: a brief (.docx and PDF, laid out as an official internal
publication), the viewpoint collection of a meeting (.docx) and the column's Atom feed.

The wording of the documents is fixed Chinese on purpose: they are issued in Chinese whatever the
interface language.
"""

from __future__ import annotations

import io
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from feedgen.feed import FeedGenerator

from kexie.thinktank.models import Brief, Event, Result

ISSUER = "重庆市科学技术协会"
MASTHEAD = "院士专家建议"
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"
RED = RGBColor(0xFF, 0x00, 0x00)


def chinese_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _run(paragraph, text: str, *, font: str = FONT_BODY, size: int = 16, bold: bool = False, color=None):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if color is not None:
        run.font.color.rgb = color
    return run


def _paragraph(document, text: str = "", *, align=None, indent: bool = False, **font):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.line_spacing = Pt(28)
    paragraph.paragraph_format.space_after = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    if text:
        _run(paragraph, text, **font)
    return paragraph


def _red_rule(paragraph) -> None:
    """A red line under the masthead block, as official publications carry."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "12", "w:space": "4", "w:color": "FF0000"}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    return document


def _docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def brief_issue_line(brief: Brief) -> str:
    return f"{brief.year}年第{brief.number}期" if brief.number else "（送审稿）"


def brief_date(brief: Brief) -> date:
    moment = brief.issued_at or brief.signed_at or brief.updated_at or timezone.now()
    return timezone.localtime(moment).date()


def brief_paragraphs(brief: Brief) -> list[str]:
    return [line.strip() for line in brief.body.splitlines() if line.strip()]


def brief_docx(brief: Brief) -> bytes:
    """《院士专家建议》 as a .docx: red masthead, issue number, issuer and date over a red rule,
    title, authors, editor's note, text, and the distribution line at the foot."""
    document = _document()
    _paragraph(document, MASTHEAD, align=WD_ALIGN_PARAGRAPH.CENTER, font=FONT_TITLE, size=36, color=RED)
    _paragraph(document, brief_issue_line(brief), align=WD_ALIGN_PARAGRAPH.CENTER, size=16)
    line = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(line, f"{ISSUER}编", size=16)
    _run(line, "\u3000" * 6 + chinese_date(brief_date(brief)), size=16)
    _red_rule(line)
    _paragraph(document)
    _paragraph(document, brief.title, align=WD_ALIGN_PARAGRAPH.CENTER, font=FONT_TITLE, size=22)
    _paragraph(document, brief.authors, align=WD_ALIGN_PARAGRAPH.CENTER, font="楷体_GB2312", size=16)
    if brief.summary:
        note = _paragraph(document, indent=True)
        _run(note, "编者按：", font=FONT_HEADING, size=16)
        _run(note, brief.summary, font="楷体_GB2312", size=16)
    for text in brief_paragraphs(brief):
        _paragraph(document, text, indent=True, size=16)
    _paragraph(document)
    foot = _paragraph(document)
    _run(foot, "报送：", font=FONT_HEADING, size=14)
    _run(foot, brief.distribution, size=14)
    _red_rule(foot)
    return _docx_bytes(document)


def brief_pdf(brief: Brief) -> bytes:
    """The same layout as PDF (WeasyPrint, Noto CJK fonts)."""
    from weasyprint import HTML  # noqa: PLC0415 - loads cairo/pango; only when a PDF is asked for

    html = render_to_string(
        "thinktank/brief_print.html",
        {
            "brief": brief,
            "masthead": MASTHEAD,
            "issue_line": brief_issue_line(brief),
            "issuer": ISSUER,
            "date": chinese_date(brief_date(brief)),
            "paragraphs": brief_paragraphs(brief),
        },
    )
    return HTML(string=html).write_pdf()


def compilation_docx(event: Event) -> bytes:
    """观点汇编 of a meeting: every viewpoint with its speaker."""
    document = _document()
    _paragraph(document, event.title, align=WD_ALIGN_PARAGRAPH.CENTER, font=FONT_TITLE, size=22)
    _paragraph(document, "观点汇编", align=WD_ALIGN_PARAGRAPH.CENTER, font=FONT_TITLE, size=18)
    place = f"\u3000{event.place}" if event.place else ""
    _paragraph(document, f"{chinese_date(event.held_on)}{place}", align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    _paragraph(document)
    if event.theme:
        _paragraph(document, f"主题：{event.theme}", indent=True, size=16)
    for number, viewpoint in enumerate(event.viewpoints.all(), start=1):
        heading = _paragraph(document)
        _run(heading, f"{number}. {viewpoint.title}", font=FONT_HEADING, size=16)
        who = viewpoint.speaker + (f"（{viewpoint.affiliation}）" if viewpoint.affiliation else "")
        _paragraph(document, who, font="楷体_GB2312", size=16)
        for text in viewpoint.text.splitlines():
            if text.strip():
                _paragraph(document, text.strip(), indent=True, size=16)
    return _docx_bytes(document)


def column_feed(results: list[Result], *, site_url: str, feed_url: str, column_url: str, url_of) -> bytes:
    """The public column as an Atom feed (feedgen). ``results`` must be the column's rows only."""
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title("重庆科协智库专栏")
    feed.subtitle("重庆市科学技术协会 科技智库成果")
    feed.author({"name": ISSUER})
    feed.link(href=column_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.language("zh-CN")
    latest = None
    for result in results:
        entry = feed.add_entry(order="append")
        url = site_url + url_of(result)
        entry.id(url)
        entry.title(result.title)
        entry.link(href=url)
        entry.author({"name": result.authors})
        entry.summary(result.summary or result.title)
        entry.published(result.column_published_at)
        entry.updated(result.column_published_at)
        latest = max(latest, result.column_published_at) if latest else result.column_published_at
    feed.updated(latest or timezone.now())
    return feed.atom_str(pretty=True)
