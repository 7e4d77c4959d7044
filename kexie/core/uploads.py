"""Checks every uploaded file passes: its first bytes match its extension, and a zip package
(.docx, .xlsx, .pptx, .ofd, .zip) does not inflate into a decompression bomb.

An extension is a claim the sender makes; the signature ("magic bytes") is what the file is. A
script renamed to ``report.pdf`` is refused here, before it is stored or parsed. Use
:class:`FileSignatureValidator` on a form's ``FileField`` (``validators=[...]``) or call
:func:`check_upload` in a service.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# An OLE compound file: legacy .doc/.xls/.ppt/.wps, and also an encrypted (password-protected)
# .docx/.xlsx, which Office stores inside one.
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": ZIP + OLE,
    ".xlsx": ZIP + OLE,
    ".pptx": ZIP + OLE,
    ".zip": ZIP,
    ".ofd": ZIP,
    ".doc": OLE,
    ".xls": OLE,
    ".ppt": OLE,
    ".wps": OLE,
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}
TEXT_EXTENSIONS = {".txt", ".csv"}
ZIP_PACKAGES = {".docx", ".xlsx", ".pptx", ".ofd"}
HEAD_BYTES = 8192

# What a genuine office file of the sizes we accept inflates to: a workbook of 5,000 experts is
# about 1 MB zipped and 6 MB inflated.
MAX_INFLATED_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 2000
# A member may inflate this many times its compressed size (beyond the first megabyte): real
# documents reach 10–30, a bomb hundreds or thousands.
MAX_RATIO = 100
_SLACK = 1024 * 1024


def _is_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # the head ends in the middle of a character
                return True
            continue
        return True
    return False


def check_signature(name: str, head: bytes) -> None:
    """Refuse a file whose first bytes do not match its extension (known extensions only)."""
    extension = Path(name).suffix.lower()
    if extension in TEXT_EXTENSIONS:
        matches = _is_text(head)
    elif extension in SIGNATURES:
        matches = head.startswith(SIGNATURES[extension])
    else:
        return
    if not matches:
        raise ValidationError(
            _(
                "The content of “%(name)s” is not a %(ext)s file (its first bytes do not match its "
                "extension). Please upload the original file."
            )
            % {"name": name, "ext": extension},
            code="signature",
        )


def check_archive(
    data: bytes,
    *,
    name: str,
    max_inflated: int = MAX_INFLATED_BYTES,
    max_members: int = MAX_MEMBERS,
    max_ratio: int = MAX_RATIO,
) -> None:
    """Refuse a zip package that would inflate beyond the limits, from the sizes its central directory
    declares, without inflating anything. A crafted archive may declare less than it holds, but
    Python's zipfile (which openpyxl and python-docx read through) stops a member at its declared
    size and then fails its CRC check, so the declared sizes bound what any parser inflates. A file
    that is not a zip archive is left to the caller's own message."""
    bomb = ValidationError(
        _(
            "The file “%(name)s” expands to far more data than a normal document of its size (a "
            "compressed “zip bomb”) and was refused. Please save it again and upload the new file."
        )
        % {"name": name},
        code="zip_bomb",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with archive:
        members = archive.infolist()
        if len(members) > max_members:
            raise bomb
        declared = 0
        for info in members:
            declared += info.file_size
            if declared > max_inflated or info.file_size > max_ratio * info.compress_size + _SLACK:
                raise bomb


def read_upload(upload: Any) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    if hasattr(upload, "seek"):
        upload.seek(0)
    return data


def check_upload(upload: Any, *, name: str | None = None) -> None:
    """The signature check, and for zip packages the decompression check, of an uploaded file."""
    name = name or getattr(upload, "name", "") or ""
    extension = Path(name).suffix.lower()
    if hasattr(upload, "seek"):
        upload.seek(0)
    head = upload.read(HEAD_BYTES)
    if hasattr(upload, "seek"):
        upload.seek(0)
    check_signature(name, head)
    if extension in ZIP_PACKAGES and head.startswith(ZIP):
        check_archive(read_upload(upload), name=name)


@deconstructible
class FileSignatureValidator:
    """A form or model field validator: the upload's extension is one of ``extensions`` (when
    given) and its content matches that extension."""

    def __init__(self, extensions: tuple[str, ...] | list[str] | None = None):
        self.extensions = tuple(e.lower() for e in extensions) if extensions else None

    def __call__(self, upload: Any) -> None:
        name = getattr(upload, "name", "") or ""
        extension = Path(name).suffix.lower()
        if self.extensions is not None and extension not in self.extensions:
            raise ValidationError(
                _("“%(name)s”: only %(allowed)s files are accepted here.")
                % {"name": name, "allowed": "、".join(self.extensions)},
                code="extension",
            )
        check_upload(upload, name=name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileSignatureValidator) and self.extensions == other.extensions

    def __hash__(self) -> int:
        return hash(self.extensions)
