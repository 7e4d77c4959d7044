"""Scanned notices recognised in a background job (issue 18): the upload is checked and queued, the
job (Huey runs immediately in tests) writes its progress page by page and creates the draft with each
page's confidence and the low-confidence lines marked; a failing job saves nothing but its error; a
scan over the page limit is refused before any job.

One small page (five lines of the notice, cropped) is recognised by tesseract, once per module; the
other tests replace the per-page recognition with canned lines."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageFilter, ImageOps

from kexie.accounts.enums import Role
from kexie.core.models import AuditEvent
from kexie.policy.enums import ScanState
from kexie.policy.models import Notice, NoticeScan
from kexie.policy.notices import extract
from kexie.policy.notices.extract import NoticeFileError, OcrLine, OcrPage, OcrResult, ocr_available
from kexie.policy.notices.scans import run_scan
from tests.conftest import verify_session
from tests.policy.scan_sample import images_pdf, png, scanned_pages
from tests.policy.test_notice_views import _page, _upload, duban, english  # noqa: F401 - fixtures

SMALL_SCAN_TEXT = """渝科协发〔2023〕12号
关于开展科普示范工作的通知
一、加强科普阵地建设
1.建设科普示范基地。(责任部室:科学技术普及部)
2.开展科普讲座。(责任部室:宣传文化部)"""

needs_ocr = pytest.mark.skipif(not ocr_available(), reason="tesseract-ocr-chi-sim not installed")


@pytest.fixture(scope="module")
def small_scan() -> bytes:
    """The five lines typeset, scanned at 200 dpi with specks and a slight turn, cropped to the text."""
    page = scanned_pages(SMALL_SCAN_TEXT)[0]
    ink = ImageOps.invert(page.filter(ImageFilter.MedianFilter(3)).crop((0, 0, page.width, page.height // 2)))
    left, top, right, bottom = ink.point(lambda v: 255 if v > 128 else 0).getbbox()
    return png(page.crop((left - 40, top - 40, right + 40, bottom + 40)))


def _blank_pdf(pages: int) -> bytes:
    return images_pdf([Image.new("L", (170, 240), 255)] * pages)


def _canned_lines(*lines: tuple[str, float]) -> list:
    return [
        extract._PdfLine(text=text, x0=0, x1=900 if len(text) > 20 else 400, char_width=40, confidence=conf)
        for text, conf in lines
    ]


def _draft_events() -> int:
    return AuditEvent.objects.filter(action="policy.notice.draft").count()


@needs_ocr
def test_scan_job_creates_the_draft_with_page_confidence(
    duban,  # noqa: F811
    small_scan,
    settings,
    django_capture_on_commit_callbacks,
):
    # Every line is below a threshold of 101: all are marked for the person confirming.
    settings.NOTICE_OCR_LOW_CONFIDENCE = 101

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(duban, "第1页.png", small_scan)

    scan = NoticeScan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("policy:notice_scan", args=[scan.pk])
    assert scan.state == ScanState.DONE
    assert (scan.pages, scan.pages_done) == (1, 1)
    assert scan.data == b""  # the file is not kept once read
    notice = scan.notice
    assert notice.doc_number == "渝科协发〔2023〕12号"
    assert [m["number"] for s in notice.draft["sections"] for m in s["measures"]] == [1, 2]
    [page] = scan.quality["pages"]
    assert page["number"] == 1
    assert 50 < page["confidence"] <= 100
    assert len(page["low_lines"]) == page["lines"] >= 4

    progress = duban.get(response["Location"])
    assert progress.status_code == 302
    assert progress["Location"] == reverse("policy:notice_draft", args=[notice.pk])
    polled = duban.get(response["Location"], HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == reverse("policy:notice_draft", args=[notice.pk])

    draft_page = _page(duban.get(progress["Location"]))
    assert f"Page 1: {page['confidence']:.0f}%" in draft_page
    assert draft_page.count('data-testid="low-confidence-line"') == page["lines"]
    assert "科普示范基地" in draft_page.split('data-testid="low-confidence-lines"')[1].split("</ul>")[0]
    # Both measures contain a marked line.
    assert draft_page.count('data-testid="measure-low-confidence"') == 2


@pytest.mark.django_db
def test_scan_progress_is_written_page_by_page_and_shown(
    duban,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    seen: list[int] = []
    pages = iter(
        [
            _canned_lines(("渝科协发〔2023〕12号", 95.0), ("关于开展科普示范工作的通知", 93.0)),
            _canned_lines(("一、加强科普阵地建设", 91.0)),
            _canned_lines(("1.建设科普示范基地。(责任部室:科学技术普及部)", 41.5)),
        ]
    )

    def recognise(page, folder):
        seen.append(NoticeScan.objects.get().pages_done)
        return next(pages)

    monkeypatch.setattr(extract, "_ocr_page", recognise)
    monkeypatch.setattr(extract, "ocr_available", lambda: True)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _upload(duban, "scan.pdf", _blank_pdf(3))
    scan = NoticeScan.objects.get()
    waiting = _page(duban.get(response["Location"]))
    assert "Waiting to start: 3 pages." in waiting
    assert 'hx-trigger="every 2s"' in waiting

    NoticeScan.objects.filter(pk=scan.pk).update(state=ScanState.RUNNING, pages_done=2)
    assert "Pages recognised: 2 of 3." in _page(duban.get(response["Location"], HTTP_HX_REQUEST="true"))
    in_progress = _page(duban.get(reverse("policy:notice_list"))).split('data-testid="scans-in-progress"')[1]
    assert "scan.pdf</a> · Pages recognised: 2 of 3." in in_progress.split("</ul>")[0]
    NoticeScan.objects.filter(pk=scan.pk).update(state=ScanState.QUEUED, pages_done=0)

    for callback in queued:
        callback()

    scan.refresh_from_db()
    assert seen == [0, 1, 2]
    assert scan.state == ScanState.DONE
    assert [p["confidence"] for p in scan.quality["pages"]] == [94.0, 91.0, 41.5]
    assert [line["text"] for p in scan.quality["pages"] for line in p["low_lines"]] == [
        "1.建设科普示范基地。(责任部室:科学技术普及部)"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (NoticeFileError("Text recognition failed on a page of the scan."), "failed on a page of the scan"),
        (RuntimeError("tesseract vanished"), "Text recognition failed. Please try again later"),
    ],
    ids=["page-error", "unexpected"],
)
def test_failing_scan_job_saves_nothing_but_its_error(
    duban,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
    failure,
    message,
):
    calls = []

    def recognise(page, folder):
        calls.append(1)
        if len(calls) == 2:
            raise failure
        return _canned_lines(("一、加强科普阵地建设", 90.0))

    monkeypatch.setattr(extract, "_ocr_page", recognise)
    monkeypatch.setattr(extract, "ocr_available", lambda: True)
    drafts = _draft_events()

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(duban, "scan.pdf", _blank_pdf(3))

    scan = NoticeScan.objects.get()
    assert (scan.state, scan.data, scan.notice) == (ScanState.FAILED, b"", None)
    assert Notice.objects.count() == 0
    assert _draft_events() == drafts
    page = _page(duban.get(response["Location"]))
    assert "The scan could not be read. Nothing has been saved." in page
    assert message in page
    assert "hx-trigger" not in page  # no more polling


@needs_ocr
@pytest.mark.django_db
def test_blank_scan_job_fails_with_a_message(duban, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(duban, "blank.png", png(Image.new("L", (400, 300), 255)))

    assert NoticeScan.objects.get().state == ScanState.FAILED
    assert Notice.objects.count() == 0
    assert "No text was recognised in “blank.png”." in _page(duban.get(response["Location"]))


@pytest.mark.django_db
def test_scan_over_the_page_limit_refused_before_any_job(
    duban,  # noqa: F811
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.NOTICE_OCR_MAX_PAGES = 20
    monkeypatch.setattr(extract, "ocr_available", lambda: True)
    monkeypatch.setattr(extract, "_ocr_page", lambda page, folder: pytest.fail("a page was recognised"))
    duban.cookies.pop("django_language", None)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _upload(duban, "scan.pdf", _blank_pdf(21))

    assert response.status_code == 200
    assert "“scan.pdf”" in _page(response)
    assert "21 页" in _page(response)  # the refusal is in Chinese
    assert NoticeScan.objects.count() == 0
    assert Notice.objects.count() == 0
    assert callbacks == []


@pytest.mark.django_db
def test_scan_page_only_for_its_uploader(duban, make_user, supervisor):  # noqa: F811
    scan = NoticeScan.objects.create(source_name="scan.pdf", pages=2, created_by=supervisor)
    other_supervisor, staff = Client(), Client()
    verify_session(other_supervisor, make_user("duban2", role=Role.SUPERVISOR))
    verify_session(staff, make_user("kepu", role=Role.DEPARTMENT_STAFF, org_name="科学技术普及部"))
    url = reverse("policy:notice_scan", args=[scan.pk])

    assert duban.get(url).status_code == 200
    assert other_supervisor.get(url).status_code == 404
    assert staff.get(url).status_code == 403


@pytest.mark.django_db
def test_a_scan_is_recognised_once(supervisor, monkeypatch):
    scan = NoticeScan.objects.create(source_name="scan.pdf", pages=1, created_by=supervisor, state="done")
    monkeypatch.setattr(extract, "recognise_scan", lambda *a, **k: pytest.fail("recognised again"))

    assert run_scan(scan.pk) is None


def test_low_confidence_threshold_is_a_setting(settings):
    result = OcrResult(
        text="",
        pages=(OcrPage(number=1, confidence=80.0, lines=(OcrLine("甲", 95.0), OcrLine("乙", 61.0))),),
    )

    settings.NOTICE_OCR_LOW_CONFIDENCE = 60
    assert result.quality()["pages"][0]["low_lines"] == []
    settings.NOTICE_OCR_LOW_CONFIDENCE = 70
    assert result.quality()["pages"][0]["low_lines"] == [{"text": "乙", "confidence": 61.0}]


def test_full_width_punctuation_follows_the_documents_commas():
    # Tesseract reads （ ） ： as ( ) : whatever their width, but tells ， from , apart: a document whose
    # commas are nearly all full-width gets full-width marks, one typed half-width keeps half-width
    # ones; between Latin letters or digits (10:30, 1,000) a mark stays as read.
    wide = "发展，开放，协调，共享，绿色，安全，稳定，和谐，进步，繁荣，"
    full = extract.fix_ocr_text(f"一、总则(一)坚持改革，创新:{wide}时间10:30,数量1,000。")
    half = extract.fix_ocr_text("一、总则(一)坚持改革,创新:发展,开放,协调,共享,绿色,安全，稳定。")
    few = extract.fix_ocr_text("责任部室:科普部(牵头)")

    assert full == f"一、总则（一）坚持改革，创新：{wide}时间10:30，数量1,000。"
    assert half == "一、总则(一)坚持改革,创新:发展,开放,协调,共享,绿色,安全,稳定。"
    assert few == "责任部室:科普部(牵头)"
