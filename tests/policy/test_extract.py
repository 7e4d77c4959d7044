import html
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from docx import Document
from weasyprint import HTML

from kexie.policy.notices.extract import NoticeFileError, extract_text, normalize_text, ocr_available
from kexie.policy.notices.parser import ParsedNotice, parse_notice

SEED = Path(__file__).resolve().parents[2] / "kexie" / "seed" / "notice-yukexiefa-2022-84.txt"
MB = 1024 * 1024
LIMIT = 10 * MB

# GB/T 9704 layout as kexie prints notices: A4, 2-character first-line indent, page numbers "— n —".
GBT9704_CSS = """
@page { size: A4; margin: 2cm; @bottom-center { content: "— " counter(page) " —"; } }
body { font-family: "Noto Serif CJK SC"; font-size: 14pt; }
p { margin: 0; text-indent: 2em; text-align: justify; }
"""


@pytest.fixture(scope="module")
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="module")
def seed_text(seed_bytes: bytes) -> str:
    return extract_text(seed_bytes, "notice.txt", max_bytes=LIMIT)


@pytest.fixture(scope="module")
def seed_pdf(seed_text: str) -> bytes:
    return _render_pdf(seed_text.splitlines())


@pytest.fixture(scope="module")
def seed_docx(seed_text: str) -> bytes:
    return _docx_with_header_table(seed_text.splitlines())


def _render_pdf(paragraphs: list[str], css: str = GBT9704_CSS) -> bytes:
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return HTML(string=f"<html><head><style>{css}</style></head><body>{body}</body></html>").write_pdf()


def _docx_with_header_table(paragraphs: list[str]) -> bytes:
    # 红头 templates often lay out the document number and issuer in a table: read in cell order.
    document = Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = paragraphs[0]
    table.cell(0, 1).text = paragraphs[1]
    for paragraph in paragraphs[2:]:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _summary(notice: ParsedNotice) -> tuple:
    return (
        notice.doc_number,
        notice.issuer,
        notice.date,
        notice.title,
        len(notice.measures),
        [(m.title, m.departments, m.lead) for m in notice.measures],
        notice.targets,
    )


def _encrypted_pdf() -> bytes:
    """A minimal PDF protected by a user password (standard security handler, revision 2)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    file_id = b"<00112233445566778899aabbccddeeff>"
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [%s %s] >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, file_id, file_id, xref)
    )
    return out.getvalue()


def _refusal(data: bytes, filename: str, *, max_bytes: int = LIMIT) -> str:
    with translation.override("en"), pytest.raises(NoticeFileError) as caught:
        extract_text(data, filename, max_bytes=max_bytes)
    return caught.value.message


# --- reading ----------------------------------------------------------------------------------


def test_extract_text_txt_utf8_unchanged(seed_bytes: bytes, seed_text: str) -> None:
    assert seed_text == seed_bytes.decode("utf-8").strip()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_extract_text_txt_encodings(encoding: str) -> None:
    text = "渝科协发〔2022〕84号\n关于改进为创新驱动发展服务的若干举措"

    assert extract_text(text.encode(encoding), "notice.TXT", max_bytes=LIMIT) == text


def test_normalize_text_spaces_line_endings_and_widths() -> None:
    raw = (
        "\u3000\u3000一、总体要求\r\n\r\n"
        "１．做好\u00a0 工作\u200b。\r（甲部负责）\n"
        "通  知\n关 于 印 发 的 通 知\n"
    )

    assert normalize_text(raw) == "一、总体要求\n1．做好 工作。\n（甲部负责）\n通 知\n关于印发的通知"


def test_extract_text_docx_paragraphs_and_tables_in_order(seed_docx: bytes, seed_text: str) -> None:
    assert extract_text(seed_docx, "notice.docx", max_bytes=LIMIT) == seed_text


def test_extract_text_docx_parses_like_txt(seed_docx: bytes, seed_text: str) -> None:
    from_docx = parse_notice(extract_text(seed_docx, "notice.docx", max_bytes=LIMIT))

    assert _summary(from_docx) == _summary(parse_notice(seed_text))


def test_extract_text_pdf_rebuilds_paragraphs_and_drops_page_numbers(seed_pdf: bytes, seed_text: str) -> None:
    text = extract_text(seed_pdf, "notice.pdf", max_bytes=LIMIT)

    assert "— 1 —" not in text
    assert text == seed_text


def test_extract_text_pdf_parses_like_txt(seed_pdf: bytes, seed_text: str) -> None:
    from_pdf = parse_notice(extract_text(seed_pdf, "notice.pdf", max_bytes=LIMIT))

    assert _summary(from_pdf) == _summary(parse_notice(seed_text))
    assert from_pdf.doc_number == "渝科协发〔2022〕84号"
    assert len(from_pdf.measures) == 16
    assert from_pdf.measures[2].departments == [
        "科学技术创新部",
        "宣传文化部",
        "科技社团党委办公室",
        "重庆市科学技术期刊编辑学会",
    ]


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["notice.txt", "notice.docx", "notice.pdf"])
def test_extract_text_empty_file_refused(filename: str) -> None:
    assert _refusal(b"", filename) == f"The file “{filename}” is empty."


def test_extract_text_whitespace_only_refused() -> None:
    assert _refusal("\u3000 \r\n\n".encode(), "blank.txt") == "The file “blank.txt” contains no text."


def test_extract_text_over_size_refused() -> None:
    message = _refusal(b"a" * (MB + 1), "big.txt", max_bytes=MB)

    assert message == "The file “big.txt” is larger than 1 MB. Please upload a smaller file."


def test_extract_text_over_fractional_size_refused() -> None:
    message = _refusal(b"a" * (MB // 2 + 1), "big.txt", max_bytes=MB // 2)

    assert message == "The file “big.txt” is larger than 0.5 MB. Please upload a smaller file."


@pytest.mark.parametrize("filename", ["notice.xlsx", "notice", "C:\\上传\\notice.exe"])
def test_extract_text_unsupported_extension_refused(filename: str) -> None:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]

    assert _refusal(b"data", filename) == (
        f"The file type of “{name}” is not supported. Please upload a .txt, .docx, .doc, .wps, .ofd "
        "or .pdf file."
    )


def test_extract_text_damaged_old_word_file_refused() -> None:
    # Old Word files are read since issue 18 (tests/policy/test_extract_formats.py); a few bytes
    # with the OLE signature are not one.
    assert _refusal(b"\xd0\xcf\x11\xe0data", "notice.doc").startswith(
        "The Word file “notice.doc” is damaged or not a Word document"
    )


def test_extract_text_binary_posing_as_txt_refused() -> None:
    assert _refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "notice.txt") == (
        "The file “notice.txt” is not a text file: it contains binary data."
    )


def test_extract_text_control_characters_posing_as_txt_refused() -> None:
    assert _refusal(bytes(range(1, 32)) * 4, "notice.txt") == (
        "The file “notice.txt” is not a text file: it contains binary data."
    )


def test_extract_text_undecodable_txt_refused() -> None:
    assert _refusal(b"\xff\xff\xff\xfa\xfb", "notice.txt") == (
        "The text file “notice.txt” could not be decoded. Please save it as UTF-8 or GBK and upload it again."
    )


@pytest.mark.parametrize("data", [b"PK\x03\x04 this is not a zip archive", b"plain text, not a document"])
def test_extract_text_corrupt_docx_refused(data: bytes) -> None:
    assert _refusal(data, "notice.docx") == "The Word file “notice.docx” is damaged and cannot be opened."


def test_extract_text_docx_zip_without_document_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")

    assert _refusal(buffer.getvalue(), "notice.docx") == (
        "The Word file “notice.docx” is damaged and cannot be opened."
    )


def test_extract_text_encrypted_docx_refused() -> None:
    ole_header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

    assert _refusal(ole_header, "notice.docx") == (
        "The Word file “notice.docx” is encrypted or password-protected, or is an old .doc file. "
        "Please remove the password, save it as .docx and upload it again."
    )


def test_extract_text_corrupt_pdf_refused(seed_pdf: bytes) -> None:
    assert _refusal(b"%PDF-1.7\nnot really a pdf", "notice.pdf") == (
        "The PDF file “notice.pdf” is damaged and cannot be opened."
    )


def test_extract_text_encrypted_pdf_refused() -> None:
    assert _refusal(_encrypted_pdf(), "notice.pdf") == (
        "The PDF file “notice.pdf” is encrypted or password-protected. "
        "Please remove the password and upload it again."
    )


# Without a text layer a PDF goes to OCR when tesseract is installed (tests/policy/test_extract_ocr.py),
# which finds nothing on a blank page; without tesseract it is refused as a scan.
NO_TEXT_PDF = (
    "No text was recognised in “scan.pdf”."
    if ocr_available()
    else "The PDF file “scan.pdf” contains no extractable text; it looks like a scanned image. "
    "Please run OCR (text recognition) on it first, or upload the Word or text version."
)


@pytest.mark.parametrize("paragraphs", [[], [""]])
def test_extract_text_pdf_without_text_refused(paragraphs: list[str]) -> None:
    blank = _render_pdf(paragraphs, css="@page { size: A4; }")

    assert _refusal(blank, "scan.pdf").startswith(NO_TEXT_PDF)


def test_extract_text_pdf_with_only_page_numbers_refused() -> None:
    numbered_blank_page = _render_pdf([], css='@page { size: A4; @bottom-center { content: "— 1 —"; } }')

    assert _refusal(numbered_blank_page, "scan.pdf").startswith(NO_TEXT_PDF)
