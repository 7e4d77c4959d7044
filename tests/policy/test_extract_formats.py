"""Notices in the other formats an office receives (issue 18): old Word .doc and WPS .wps through
Debian's antiword/catdoc, OFD (GB/T 33190) through kexie's own reader of the text layer.

The .doc samples are written by tests/policy/doc_sample.py (an OLE compound file with a Word 97 FIB
and piece table, built from the specifications: nothing on this machine writes .doc); the OFD samples
by tests/policy/ofd_sample.py. Both are read back through the same `extract_text` the import uses, and
the seed notice must parse to the same measures and departments as its .txt original.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from kexie.core.models import AuditEvent
from kexie.policy.models import Notice
from kexie.policy.notices import extract
from kexie.policy.notices.extract import NoticeFileError, extract_text
from kexie.policy.notices.parser import parse_notice
from tests.policy.doc_sample import word97_document
from tests.policy.ofd_sample import ofd_document
from tests.policy.test_notice_views import _page, _upload, duban, english  # noqa: F401 - fixtures

SEED = Path(__file__).resolve().parents[2] / "kexie" / "seed" / "notice-yukexiefa-2022-84.txt"
LIMIT = 10 * 1024 * 1024

needs_antiword = pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword not installed")
needs_catdoc = pytest.mark.skipif(shutil.which("catdoc") is None, reason="catdoc not installed")


@pytest.fixture(scope="module")
def seed_text() -> str:
    return extract_text(SEED.read_bytes(), "notice.txt", max_bytes=LIMIT)


@pytest.fixture(scope="module")
def seed_doc(seed_text: str) -> bytes:
    return word97_document(seed_text)


def _refusal(data: bytes, name: str) -> str:
    with translation.override("en"), pytest.raises(NoticeFileError) as caught:
        extract_text(data, name, max_bytes=LIMIT)
    return caught.value.message


def _same_parse(text: str, seed_text: str) -> None:
    expected, parsed = parse_notice(seed_text), parse_notice(text)
    assert len(expected.measures) == 16
    assert [m.number for m in parsed.measures] == [m.number for m in expected.measures]
    assert [m.departments for m in parsed.measures] == [m.departments for m in expected.measures]
    assert parsed.doc_number == expected.doc_number == "渝科协发〔2022〕84号"
    assert parsed.title == expected.title


# --- .doc / .wps ---------------------------------------------------------------------------------


@needs_antiword
@pytest.mark.parametrize("name", ["notice.doc", "notice.wps", "通知.DOC"])
def test_word_binary_seed_notice_parses_like_the_text(seed_doc, seed_text, name):
    text = extract_text(seed_doc, name, max_bytes=LIMIT)

    assert text == seed_text
    _same_parse(text, seed_text)


@needs_catdoc
def test_word_binary_falls_back_to_catdoc(seed_doc, seed_text, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(
        extract.shutil, "which", lambda tool: None if tool == "antiword" else real_which(tool)
    )

    text = extract_text(seed_doc, "notice.wps", max_bytes=LIMIT)

    _same_parse(text, seed_text)


@needs_antiword
def test_word_binary_password_protected_refused(seed_text):
    message = _refusal(word97_document(seed_text, encrypted=True), "locked.doc")

    assert message == (
        "The Word file “locked.doc” is password-protected. Please open it in Word or WPS, remove the "
        "password, save it and upload it again."
    )


@needs_antiword
def test_word_binary_password_message_in_chinese(seed_text):
    with translation.override("zh-hans"), pytest.raises(NoticeFileError) as caught:
        extract_text(word97_document(seed_text, encrypted=True), "locked.doc", max_bytes=LIMIT)

    assert "密码" in caught.value.message
    assert "locked.doc" in caught.value.message


@needs_antiword
@pytest.mark.parametrize(
    "data",
    [b"\xd0\xcf\x11\xe0data", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, b"just some bytes"],
    ids=["short", "empty-ole", "not-ole"],
)
def test_word_binary_damaged_refused(data):
    assert _refusal(data, "bad.doc").startswith("The Word file “bad.doc” is damaged or not a Word document")


@needs_catdoc
def test_word_binary_truncated_file_stops_within_the_time_limit(seed_doc, settings):
    # catdoc loops forever on a truncated .doc (found while writing this test); the time limit and
    # the output cap stop it, and the user gets the damaged-file message.
    settings.NOTICE_CONVERTER_SECONDS = 2
    settings.NOTICE_CONVERTER_OUTPUT_BYTES = 1024 * 1024

    message = _refusal(seed_doc[:3000], "cut.doc")

    assert message.startswith("The Word file “cut.doc” is damaged")


def test_word_binary_rtf_under_doc_extension_refused():
    assert _refusal(b"{\\rtf1\\ansi hello}", "notice.doc").startswith(
        "The file “notice.doc” is an RTF document saved with a Word extension."
    )


def test_word_binary_without_tools_says_so(seed_doc, monkeypatch):
    monkeypatch.setattr(extract.shutil, "which", lambda tool: None)

    assert "“antiword” program is not installed" in _refusal(seed_doc, "notice.doc")


@needs_antiword
@pytest.mark.django_db
def test_import_page_reads_a_doc_into_a_draft(duban, seed_doc):  # noqa: F811
    response = _upload(duban, "渝科协发〔2022〕84号.doc", seed_doc)

    assert response.status_code == 302
    notice = Notice.objects.get()
    assert len(notice.draft["sections"]) >= 1
    assert sum(len(section["measures"]) for section in notice.draft["sections"]) == 16


@needs_antiword
@pytest.mark.django_db
def test_import_page_password_protected_doc_saves_nothing(duban, seed_text):  # noqa: F811
    events = AuditEvent.objects.count()

    response = _upload(duban, "locked.doc", word97_document(seed_text, encrypted=True))

    assert response.status_code == 200
    assert "The Word file “locked.doc” is password-protected." in _page(response)
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.count() == events


# --- .ofd ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_ofd(seed_text: str) -> bytes:
    return ofd_document(seed_text)


def _zip(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _replace_member(package: bytes, name: str, content: bytes | str | None) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    if content is None:
        del members[name]
    else:
        members[name] = content
    return _zip(members)


def test_ofd_seed_notice_parses_like_the_text(seed_ofd, seed_text):
    text = extract_text(seed_ofd, "渝科协发〔2022〕84号.ofd", max_bytes=LIMIT)

    # Text objects written in reverse order and split lines come back in reading order, the page
    # numbers are dropped and the wrapped lines re-joined into the original paragraphs.
    assert text == seed_text
    _same_parse(text, seed_text)


def test_ofd_absolute_page_locations_are_read(seed_ofd, seed_text):
    with zipfile.ZipFile(io.BytesIO(seed_ofd)) as archive:
        document = archive.read("Doc_0/Document.xml").decode()
    absolute = document.replace('BaseLoc="Pages/', 'BaseLoc="/Doc_0/Pages/')

    text = extract_text(_replace_member(seed_ofd, "Doc_0/Document.xml", absolute), "n.ofd", max_bytes=LIMIT)

    assert text == seed_text


OFD_CORRUPT = "The OFD file “bad.ofd” is damaged or not an OFD document and cannot be read."


@pytest.mark.parametrize(
    "make",
    [
        lambda ofd: b"not a zip at all",
        lambda ofd: ofd[: len(ofd) // 2],
        lambda ofd: _replace_member(ofd, "OFD.xml", None),
        lambda ofd: _replace_member(ofd, "OFD.xml", "<ofd:OFD xmlns:ofd='x'><unclosed>"),
        lambda ofd: _replace_member(ofd, "Doc_0/Pages/Page_1/Content.xml", None),
        lambda ofd: _replace_member(ofd, "OFD.xml", "<html><body>not OFD</body></html>"),
        lambda ofd: _zip({"word/document.xml": "<w/>"}),
    ],
    ids=["not-zip", "truncated", "no-ofd-xml", "broken-xml", "missing-page", "wrong-root", "other-zip"],
)
def test_ofd_corrupt_refused(seed_ofd, make):
    assert _refusal(make(seed_ofd), "bad.ofd").startswith(OFD_CORRUPT)


def test_ofd_entities_are_not_expanded(seed_ofd):
    # A "billion laughs" OFD.xml: lxml is told not to resolve entities, so it fails as damaged.
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>&b;</ofd:DocRoot>'
        "</ofd:DocBody></ofd:OFD>"
    )

    assert _refusal(_replace_member(seed_ofd, "OFD.xml", laughs), "bad.ofd").startswith(OFD_CORRUPT)


def test_ofd_without_text_layer_refused(seed_text):
    message = _refusal(ofd_document(seed_text, with_text=False), "scan.ofd")

    assert message.startswith(
        "The OFD file “scan.ofd” contains no text layer; it looks like a scanned image."
    )


def test_ofd_zip_bomb_refused(seed_ofd):
    bomb = _replace_member(seed_ofd, "Doc_0/Res/padding.bin", b"\0" * (60 * 1024 * 1024))

    assert "zip bomb" in _refusal(bomb, "bomb.ofd")


def test_ofd_message_in_chinese():
    with translation.override("zh-hans"), pytest.raises(NoticeFileError) as caught:
        extract_text(b"not a zip", "bad.ofd", max_bytes=LIMIT)

    assert "OFD" in caught.value.message
    assert "损坏" in caught.value.message


@pytest.mark.django_db
def test_import_page_reads_an_ofd_into_a_draft(duban, seed_ofd):  # noqa: F811
    response = _upload(duban, "渝科协发〔2022〕84号.ofd", seed_ofd)

    assert response.status_code == 302
    notice = Notice.objects.get()
    assert sum(len(section["measures"]) for section in notice.draft["sections"]) == 16


@pytest.mark.django_db
def test_import_page_corrupt_ofd_saves_nothing(duban):  # noqa: F811
    events = AuditEvent.objects.count()

    response = _upload(duban, "bad.ofd", b"PK\x03\x04 broken")

    assert response.status_code == 200
    assert OFD_CORRUPT in _page(response)
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.count() == events
