"""The upload checks: signatures against extensions, decompression bombs, the form validator."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kexie.core.uploads import FileSignatureValidator, check_archive, check_signature, check_upload
from kexie.policy.notices.extract import NoticeFileError, extract_text

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def bomb(inflated: int = 60 * 1024 * 1024, name: str = "word/document.xml") -> bytes:
    """A zip whose one member inflates from ~180 KiB to ``inflated`` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(name, "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("a.pdf", b"%PDF-1.7\n"),
        ("a.docx", b"PK\x03\x04rest"),
        ("a.xlsx", b"PK\x03\x04rest"),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"),
        ("a.PNG", PNG),
        ("a.jpg", b"\xff\xd8\xff\xe0rest"),
        ("a.txt", "进展情况说明".encode()),
        ("a.txt", "进展情况说明".encode("gb18030")),
        ("a.unknown", b"anything"),
    ],
)
def test_signature_matching_its_extension_passes(name, head):
    check_signature(name, head)


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("report.pdf", b"#!/bin/sh\nrm -rf /"),
        ("report.docx", b"%PDF-1.7"),
        ("photo.png", b"\xff\xd8\xff\xe0"),
        ("photo.jpg", PNG),
        ("old.doc", b"PK\x03\x04"),
        ("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00"),
    ],
)
def test_signature_not_matching_its_extension_is_refused_in_chinese(name, head):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        check_signature(name, head)

    assert caught.value.code == "signature"
    assert f"“{name}”" in caught.value.messages[0]
    assert "扩展名" in caught.value.messages[0]


def test_bomb_docx_is_refused_quickly_by_its_declared_size():
    data = bomb()
    assert len(data) < 200 * 1024

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        check_archive(data, name="通知.docx")

    assert caught.value.code == "zip_bomb"
    assert "“通知.docx”" in caught.value.messages[0]
    assert "压缩炸弹" in caught.value.messages[0]


def test_ordinary_package_and_non_zip_pass():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "专家" * 5000 + "</sst>")
    check_archive(buffer.getvalue(), name="a.xlsx")
    check_archive(b"not a zip", name="a.xlsx")


def test_notice_import_refuses_a_docx_bomb_in_chinese():
    with translation.override("zh-hans"), pytest.raises(NoticeFileError) as caught:
        extract_text(bomb(), "通知.docx", max_bytes=20 * 1024 * 1024)

    assert "“通知.docx”" in str(caught.value)
    assert "压缩炸弹" in str(caught.value)


def test_validator_checks_extension_and_content():
    validator = FileSignatureValidator([".xlsx"])

    with pytest.raises(ValidationError) as wrong_type:
        validator(SimpleUploadedFile("a.pdf", b"%PDF-1.7"))
    with pytest.raises(ValidationError) as wrong_content:
        validator(SimpleUploadedFile("a.xlsx", b"%PDF-1.7"))
    upload = SimpleUploadedFile("a.xlsx", b"PK\x05\x06" + b"\0" * 18)
    validator(upload)

    assert wrong_type.value.code == "extension"
    assert wrong_content.value.code == "signature"
    assert upload.tell() == 0  # the check leaves the file where a reader expects it
    assert validator == FileSignatureValidator([".XLSX"])


def test_check_upload_refuses_a_bomb_package():
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("a.docx", bomb()))

    assert caught.value.code == "zip_bomb"
