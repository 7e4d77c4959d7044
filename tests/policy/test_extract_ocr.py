"""Scanned notices through OCR (issue 18): Debian's tesseract-ocr with the tesseract-ocr-chi-sim model.

The scans are made here (tests/policy/scan_sample.py): the seed notice typeset, rasterised at 200 dpi,
turned by up to 1° and sprinkled with specks. Recognising its five pages takes about 12 s on this
machine (more when the cores are shared), once per run (module fixture). The background job that runs
recognition for the import page is tested in test_notice_scans.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.utils import translation
from PIL import Image

from kexie.core.models import AuditEvent
from kexie.policy.models import Notice, NoticeScan
from kexie.policy.notices.extract import NoticeFileError, extract_text, ocr_available
from kexie.policy.notices.parser import parse_notice
from tests.policy.scan_sample import character_error_rate, images_pdf, png, scanned_pages
from tests.policy.test_notice_views import _page, _upload, duban, english  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(not ocr_available(), reason="tesseract-ocr-chi-sim not installed")

SEED = Path(__file__).resolve().parents[2] / "kexie" / "seed" / "notice-yukexiefa-2022-84.txt"
LIMIT = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def seed_text() -> str:
    return extract_text(SEED.read_bytes(), "notice.txt", max_bytes=LIMIT)


@pytest.fixture(scope="module")
def seed_pages(seed_text: str) -> list:
    return scanned_pages(seed_text)


@pytest.fixture(scope="module")
def seed_ocr(seed_pages) -> str:
    return extract_text(images_pdf(seed_pages), "scan.pdf", max_bytes=LIMIT)


def _refusal(data: bytes, name: str) -> str:
    with translation.override("en"), pytest.raises(NoticeFileError) as caught:
        extract_text(data, name, max_bytes=LIMIT)
    return caught.value.message


def test_scanned_seed_notice_parses_to_the_same_measures(seed_ocr, seed_text):
    expected, parsed = parse_notice(seed_text), parse_notice(seed_ocr)

    assert character_error_rate(seed_text, seed_ocr) <= 0.02
    assert [m.number for m in parsed.measures] == [m.number for m in expected.measures] == list(range(1, 17))
    assert parsed.doc_number == "渝科协发〔2022〕84号"
    # A misread character in a unit name (反邪教 → 反政教 in measure 10 on this scan) shows up in the
    # draft as an unknown unit for the person confirming; all other measures name the same units.
    same_units = sum(
        a.departments == b.departments for a, b in zip(expected.measures, parsed.measures, strict=True)
    )
    assert same_units >= 15


def test_scanned_page_as_png_is_read(seed_pages):
    text = extract_text(png(seed_pages[0]), "第1页.png", max_bytes=LIMIT)

    assert text.splitlines()[0] == "渝科协发〔2022〕84号"
    assert "重庆市科学技术协会" in text


def test_scan_over_the_page_limit_refused(settings):
    settings.NOTICE_OCR_MAX_PAGES = 10
    blank = Image.new("L", (170, 240), 255)

    message = _refusal(images_pdf([blank] * 200), "scan.pdf")

    assert message == (
        "The PDF file “scan.pdf” is a scan of 200 pages; text recognition takes at most 10 pages. "
        "Please upload the Word or text version, or split the scan."
    )


def test_image_without_text_refused():
    message = _refusal(png(Image.new("L", (1654, 2339), 255)), "blank.png")

    assert message.startswith("No text was recognised in “blank.png”.")


def test_damaged_image_refused():
    assert _refusal(b"\x89PNG\r\n\x1a\nbroken", "broken.png") == (
        "The image “broken.png” is damaged or not a PNG or JPEG image."
    )


def test_refusal_in_chinese(settings):
    settings.NOTICE_OCR_MAX_PAGES = 2
    blank = Image.new("L", (170, 240), 255)

    with translation.override("zh-hans"), pytest.raises(NoticeFileError) as caught:
        extract_text(images_pdf([blank] * 3), "scan.pdf", max_bytes=LIMIT)

    assert "页" in caught.value.message
    assert "scan.pdf" in caught.value.message


@pytest.mark.django_db
def test_import_page_refuses_a_200_page_scan_and_saves_nothing(duban):  # noqa: F811
    events = AuditEvent.objects.count()

    response = _upload(duban, "scan.pdf", images_pdf([Image.new("L", (170, 240), 255)] * 200))

    assert response.status_code == 200
    assert "is a scan of 200 pages" in _page(response)
    assert Notice.objects.count() == 0
    assert NoticeScan.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_huge_scanned_page_is_rendered_within_the_pixel_cap(monkeypatch):
    # A page declared 5 m × 5 m would be 1.5 billion pixels at 200 dpi; it is rendered smaller.
    from kexie.policy.notices import extract

    seen = []
    prepare = extract._prepare_page
    monkeypatch.setattr(extract, "_prepare_page", lambda image: seen.append(image) or prepare(image))
    buffer = io.BytesIO()
    # 1000 pixels at 5 dpi: a page 200 inches (5 m) square.
    Image.new("L", (1000, 1000), 255).save(buffer, format="PDF", resolution=5)
    huge = buffer.getvalue()

    with pytest.raises(NoticeFileError):
        extract_text(huge, "huge.pdf", max_bytes=LIMIT)

    assert seen
    assert seen[0].width * seen[0].height <= extract.MAX_OCR_PIXELS


@pytest.mark.parametrize(
    ("recognised", "fixed"),
    [
        ("渝科协发【2022]j 84号", "渝科协发〔2022〕84号"),
        ("国发[2018] 38号", "国发〔2018〕38号"),
        ("《四)打通供应链条。", "(四)打通供应链条。"),
        ("联动。〈商务部、发展改革委等负责)", "联动。(商务部、发展改革委等负责)"),
        ("落实《关于加强(试行)的意见》《通知》", "落实《关于加强(试行)的意见》《通知》"),
    ],
)
def test_known_ocr_misreadings_are_corrected(recognised, fixed):
    from kexie.policy.notices.extract import _fix_ocr_line

    assert _fix_ocr_line(recognised) == fixed


def test_false_title_mark_corrected_across_a_joined_paragraph_only():
    from kexie.policy.notices.extract import _fix_ocr_paragraphs

    joined = "形成全链条联动。〈商务部、发展改革委、农业农村部等和各有关省级人民政府负责)"
    two_paragraphs = "推进《乡村振兴\n(一)加强"

    assert _fix_ocr_paragraphs(joined).endswith(
        "。(商务部、发展改革委、农业农村部等和各有关省级人民政府负责)"
    )
    assert _fix_ocr_paragraphs(two_paragraphs) == two_paragraphs
