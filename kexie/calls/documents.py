"""Result letters (.docx and PDF) and the results table (.xlsx, through core.exports)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.calls.enums import Decision, SubmissionState
from kexie.core.exports import table_xlsx

FONT = "SimSun"


def letter_lines(submission) -> dict:
    call = submission.call
    selected = submission.decision == Decision.SELECTED
    info = call.kind_info
    word = str(info.selected_label) if info else "入选"
    if selected:
        body = "经推荐、形式审查、专家评审、公示等程序，您申报的《{}》{}{}。特此通知。".format(
            submission.title, word, f"（{submission.decision_level}）" if submission.decision_level else ""
        )
    else:
        body = f"经推荐、形式审查、专家评审等程序，您申报的《{submission.title}》本次未入选。感谢您的参与。"
    return {
        "heading": f"{call.title}结果通知书",
        "to": f"{submission.person_name or submission.applicant.display_name}：",
        "body": body,
        "reference": f"编号：{submission.reference}",
        "signature": call.organiser.name,
        "date": timezone.localdate().strftime("%Y年%m月%d日"),
        "selected": selected,
    }


def _check_final(submission) -> None:
    from django.core.exceptions import ValidationError

    if submission.state not in (SubmissionState.FINAL, SubmissionState.DECIDED) or not submission.decision:
        raise ValidationError(_("The result letter exists once a decision has been recorded."))


def result_letter_docx(submission) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    _check_final(submission)
    lines = letter_lines(submission)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(lines["heading"])
    run.bold = True
    run.font.size = Pt(20)
    document.add_paragraph(lines["reference"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(lines["to"])
    body = document.add_paragraph(lines["body"])
    body.paragraph_format.first_line_indent = Pt(28)
    for text in (lines["signature"], lines["date"]):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def result_letter_pdf(submission) -> bytes:
    import weasyprint

    _check_final(submission)
    html = render_to_string("calls/letter_pdf.html", {"lines": letter_lines(submission)})
    return weasyprint.HTML(string=html).write_pdf()


def results_xlsx(call, submissions) -> bytes:
    header = [
        "编号",
        "名称",
        "被推荐人/申报人",
        "单位",
        "推荐渠道",
        "最终得分",
        "排名",
        "结果",
        "等次",
        "依据",
    ]
    labels = dict(Decision.choices)
    rows = [
        [
            s.reference,
            s.title,
            s.person_name,
            s.organization_name,
            s.channel.organization.name if s.channel_id else "",
            round(s.final_score, 2) if s.final_score is not None else "",
            s.rank or "",
            str(labels.get(s.decision, "")),
            s.decision_level,
            s.decision_rule,
        ]
        for s in submissions
    ]
    return table_xlsx(header, rows, title="评审结果")
