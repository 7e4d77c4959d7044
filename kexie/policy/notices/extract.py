"""Turn an uploaded notice file (.txt, .docx, .pdf, .doc, .wps or .ofd) into normalised plain text.

The text returned here is what `kexie.policy.notices.parser.parse_notice` reads and what the character
offsets of parsed measures point into, so it must be stored as-is next to the parse result.

Every refusal raises `NoticeFileError` with a translated, user-facing message that names the file.
"""

import io
import os
import posixpath
import re
import resource
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pdfplumber
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from kexie.core.uploads import check_archive

__all__ = [
    "NoticeFileError",
    "OcrNeeded",
    "OcrResult",
    "extract_text",
    "normalize_text",
    "ocr_low_confidence",
    "ocr_max_pages",
    "recognise_scan",
]

BYTES_PER_MB = 1024 * 1024

# An OLE compound file. Word stores a password-protected .docx inside one (the OOXML package is
# encrypted in an "EncryptedPackage" stream); a legacy .doc renamed to .docx looks the same.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
OLE_FULL_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The directory entry of the stream that holds a Word document's text (names are UTF-16LE).
_WORD_STREAM_NAME = "WordDocument".encode("utf-16-le")
ZIP_SIGNATURE = b"PK"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Characters that are whitespace in a notice but not always to str.split(): the ideographic
# (full-width) space, no-break spaces, and the zero-width characters Word and web pages leave behind.
_WIDE_SPACES = re.compile(r"[\u3000\u00a0\u2000-\u200a\u202f\u205f\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_SPACE_RUN = re.compile(r" {2,}")
# Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ). Punctuation stays full-width: （）：，
# carry meaning in Chinese typography and the parser reads both widths.
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A title typeset with letter spacing ("通 知", "关 于 印 发") extracts as CJK characters separated
# by single spaces; such a line is re-joined when most of its characters are spaced this way.
_SPACED_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")

# A page number line in a PDF footer: "— 3 —", "-3-", "－ 3 －", "3", "第3页", "第 3 页 共 10 页", "3/10".
_PAGE_NUMBER_LINE = re.compile(
    r"^(?:[—–\-－~～]*\s*\d{1,4}\s*[—–\-－~～]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$"
)
# Lines that always begin a new paragraph in a notice, even when the PDF line above them is full:
# 一、 （一） 1. 1、 （1）. Joining across them would hide a measure from the parser.
_NUMBERED_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+\s*、|[（(]\s*[一二三四五六七八九十百\d]+\s*[）)]|\d{1,3}\s*[.．、](?!\d))"
)

# A PDF line ending within this many character widths of the text's right edge was wrapped by
# the typesetter; Chinese line-breaking rules (no line may end with “ or start with 。，） etc.)
# leave up to three characters of slack at the end of a wrapped line.
_WRAP_SLACK_CHARS = 3.5
# A line starting more than this many character widths right of the left edge is indented:
# the first line of a paragraph in GB/T 9704 layout, or a centred title or signature.
_INDENT_CHARS = 0.5
# Paragraphs indented by two characters (GB/T 9704) mark every paragraph start, which is a surer
# sign than a short last line; a layout uses them when at least this many lines are so indented.
_PARAGRAPH_INDENT_CHARS = 2
_MIN_PARAGRAPH_INDENTS = 3


class NoticeFileError(Exception):
    """The uploaded file cannot be read as a notice; `message` is translated, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def extract_text(data: bytes, filename: str, *, max_bytes: int, defer_ocr: bool = False) -> str:
    """Return the normalised text of a notice file, or raise `NoticeFileError`.

    A scan (a PDF without a text layer, an image) is recognised here, page after page, unless
    `defer_ocr`: then `OcrNeeded` is raised with its page count once the file has been checked (page
    limit included), and the caller runs `recognise_scan` in a background job."""
    name, extension = _name_and_extension(filename)
    reader = _READERS.get(extension)
    if reader is None:
        raise NoticeFileError(_unsupported_message(name, extension))
    _check_size(data, name, max_bytes)
    try:
        text = normalize_text(reader(data, name))
    except _ScanFound:
        pages = _check_scan(data, name, extension)
        if defer_ocr:
            raise OcrNeeded(pages) from None
        text = recognise_scan(data, filename, max_bytes=max_bytes).text
    if not text:
        raise NoticeFileError(_("The file “%(name)s” contains no text.") % {"name": name})
    return text


def _name_and_extension(filename: str) -> tuple[str, str]:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name, name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _check_size(data: bytes, name: str, max_bytes: int) -> None:
    if not data:
        raise NoticeFileError(_("The file “%(name)s” is empty.") % {"name": name})
    if len(data) > max_bytes:
        raise NoticeFileError(
            _("The file “%(name)s” is larger than %(limit)s MB. Please upload a smaller file.")
            % {"name": name, "limit": _format_megabytes(max_bytes)}
        )


def normalize_text(text: str) -> str:
    """Unify line breaks and spaces, strip every line and drop blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", _WIDE_SPACES.sub(" ", text))
    text = _FULLWIDTH_ALNUM.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)
    lines = (_normalize_line(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _normalize_line(line: str) -> str:
    line = _SPACE_RUN.sub(" ", line.strip())
    cjk_count = sum(1 for char in line if "\u3400" <= char <= "\u9fff")
    spaced = len(_SPACED_CJK.findall(line))
    if spaced >= 2 and spaced * 2 >= cjk_count - 1:
        line = _SPACED_CJK.sub("", line)
    return line


def _unsupported_message(name: str, extension: str) -> str:
    return _(
        "The file type of “%(name)s” is not supported. Please upload a .txt, .docx, .doc, .wps, .ofd "
        "or .pdf file."
    ) % {"name": name}


def _format_megabytes(size: int) -> str:
    megabytes = size / BYTES_PER_MB
    return f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}"


# --- .txt -------------------------------------------------------------------------------------


def _read_txt(data: bytes, name: str) -> str:
    if data.startswith(UTF16_BOMS):
        # Windows Notepad's "Unicode" is UTF-16 with a BOM; its ASCII characters contain NUL bytes,
        # so it must be recognised before the binary check below.
        text = _decode(data, "utf-16")
    elif b"\x00" in data:
        raise NoticeFileError(_binary_message(name))
    else:
        text = _decode(data, "utf-8-sig") or _decode(data, "gb18030")
    if text is None:
        raise NoticeFileError(
            _(
                "The text file “%(name)s” could not be decoded. Please save it as UTF-8 or GBK "
                "and upload it again."
            )
            % {"name": name}
        )
    if _looks_binary(text):
        raise NoticeFileError(_binary_message(name))
    return text


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    # GB18030 decodes many byte sequences, so random bytes can decode "successfully"; control
    # characters (other than layout whitespace) give them away.
    controls = sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f\v")
    return controls > max(2, len(text) // 100)


def _binary_message(name: str) -> str:
    return _("The file “%(name)s” is not a text file: it contains binary data.") % {"name": name}


# --- .docx ------------------------------------------------------------------------------------


def _read_docx(data: bytes, name: str) -> str:
    if data.startswith(OLE_SIGNATURE):
        raise NoticeFileError(
            _(
                "The Word file “%(name)s” is encrypted or password-protected, or is an old .doc file. "
                "Please remove the password, save it as .docx and upload it again."
            )
            % {"name": name}
        )
    corrupt = NoticeFileError(_("The Word file “%(name)s” is damaged and cannot be opened.") % {"name": name})
    if not data.startswith(ZIP_SIGNATURE):
        raise corrupt
    try:
        check_archive(data, name=name)
    except ValidationError as exc:
        raise NoticeFileError(exc.messages[0]) from None
    try:
        document = Document(io.BytesIO(data))
        return "\n".join(_docx_blocks(document.element.body))
    except Exception as exc:
        # A damaged package fails in many ways (BadZipFile, PackageNotFoundError, KeyError, lxml's
        # XMLSyntaxError, zlib.error, EOFError…); to the user they all mean the same thing.
        raise corrupt from exc


def _docx_blocks(container) -> Iterator[str]:
    """Paragraph texts of a body or table cell in document order, descending into tables."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, None).text
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                # A vertically merged cell repeats as an empty <w:tc>, so nothing is read twice.
                for cell in row.iterchildren(qn("w:tc")):
                    yield from _docx_blocks(cell)
        elif child.tag == qn("w:sdt"):
            # Content controls (form fields in 红头 templates) wrap ordinary paragraphs.
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _docx_blocks(content)


# --- .doc / .wps (OLE Word binary) -----------------------------------------------------------

# Seconds a converter may run, and bytes of text it may write, before it is stopped: catdoc loops
# forever on some truncated files, writing the same text again and again.
DEFAULT_CONVERTER_SECONDS = 30
DEFAULT_CONVERTER_OUTPUT_BYTES = 20 * BYTES_PER_MB


@dataclass(frozen=True)
class _ConverterResult:
    returncode: int
    stdout: bytes
    stderr: str
    timed_out: bool = False
    too_long: bool = False


def _read_word_binary(data: bytes, name: str) -> str:
    """A Word 97–2003 .doc or a WPS Office .wps (WPS writes the same OLE Word binary), through
    Debian's `antiword`, falling back to `catdoc` for files antiword does not read (Word 6/95)."""
    if data.startswith(ZIP_SIGNATURE):
        # A .docx saved under an old extension: read it as what it is.
        return _read_docx(data, name)
    if data.lstrip()[:5] == b"{\\rtf":
        raise NoticeFileError(
            _(
                "The file “%(name)s” is an RTF document saved with a Word extension. Please open it "
                "and save it as .docx, then upload it again."
            )
            % {"name": name}
        )
    if not data.startswith(OLE_FULL_SIGNATURE) or _WORD_STREAM_NAME not in data:
        # catdoc prints any other file as if it were text, so only a compound file with a Word
        # text stream reaches the converters (Microsoft Works .wps files have none).
        raise NoticeFileError(_word_corrupt_message(name))
    tools = [tool for tool in ("antiword", "catdoc") if shutil.which(tool)]
    if not tools:
        raise NoticeFileError(
            _(
                "The server cannot read old Word files (.doc, .wps) yet: the “antiword” program is "
                "not installed. Please save the file as .docx and upload it again, or ask the "
                "administrator to run “make sysdeps”."
            )
        )
    with tempfile.TemporaryDirectory(prefix="kexie-notice-") as folder:
        path = os.path.join(folder, "notice.doc")
        with open(path, "wb") as handle:
            handle.write(data)
        for tool in tools:
            if tool == "antiword":
                result = _run_converter(["antiword", "-m", "UTF-8.txt", "-w", "0", path], folder)
            else:
                result = _run_converter(["catdoc", "-d", "utf-8", "-w", path], folder)
            if "ncrypted" in result.stderr or b"[File is encrypted" in result.stdout[:200]:
                raise NoticeFileError(
                    _(
                        "The Word file “%(name)s” is password-protected. Please open it in Word or WPS, "
                        "remove the password, save it and upload it again."
                    )
                    % {"name": name}
                )
            if result.returncode == 0 and not result.timed_out and not result.too_long:
                text = _decode(result.stdout, "utf-8")
                if text is not None and text.strip():
                    return text
    raise NoticeFileError(_word_corrupt_message(name))


def _word_corrupt_message(name: str) -> str:
    return _(
        "The Word file “%(name)s” is damaged or not a Word document and cannot be read. Please open it "
        "in Word or WPS, save it as .docx and upload it again."
    ) % {"name": name}


def _converter_seconds() -> int:
    return int(getattr(settings, "NOTICE_CONVERTER_SECONDS", DEFAULT_CONVERTER_SECONDS))


def _run_converter(
    command: list[str], folder: str, *, seconds: int | None = None, environment: dict | None = None
) -> _ConverterResult:
    """Run a text converter on a file in `folder` with a time limit and a cap on what it writes."""
    limit = int(getattr(settings, "NOTICE_CONVERTER_OUTPUT_BYTES", DEFAULT_CONVERTER_OUTPUT_BYTES))
    seconds = seconds or _converter_seconds()
    extra = environment or {}

    def limits() -> None:  # pragma: no cover - runs in the child process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))

    out_path = os.path.join(folder, "out.txt")
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LC_ALL": "C.UTF-8",
        "HOME": folder,
        **extra,
    }
    with open(out_path, "wb") as out:
        try:
            completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                command,
                stdout=out,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                cwd=folder,
                env=environment,
                timeout=seconds,
                preexec_fn=limits,  # noqa: PLW1509 - only sets resource limits
                check=False,
            )
        except subprocess.TimeoutExpired:
            return _ConverterResult(returncode=-1, stdout=b"", stderr="", timed_out=True)
    size = os.path.getsize(out_path)
    if size >= limit:
        return _ConverterResult(returncode=completed.returncode, stdout=b"", stderr="", too_long=True)
    with open(out_path, "rb") as handle:
        stdout = handle.read()
    stderr = completed.stderr[:4000].decode("utf-8", "replace")
    return _ConverterResult(returncode=completed.returncode, stdout=stdout, stderr=stderr)


# --- .ofd (GB/T 33190) ----------------------------------------------------------------------

# A notice has a few dozen pages; an OFD package declaring more pages than this is not one.
MAX_OFD_PAGES = 500
_OFD_XML_BYTES = 20 * BYTES_PER_MB


def _read_ofd(data: bytes, name: str) -> str:
    """The text layer of an OFD document (GB/T 33190): OFD.xml → DocBody/DocRoot → Document.xml →
    Pages/Page/@BaseLoc → Content.xml, whose TextObjects carry the text in TextCode elements. Each
    page's text objects are put in reading order (top to bottom, then left to right), grouped into
    lines and re-joined into paragraphs as for a PDF."""
    corrupt = NoticeFileError(
        _(
            "The OFD file “%(name)s” is damaged or not an OFD document and cannot be read. Please "
            "export it again from the issuing system, or upload the PDF or Word version."
        )
        % {"name": name}
    )
    if not data.startswith(ZIP_SIGNATURE):
        raise corrupt
    try:
        check_archive(data, name=name)
    except ValidationError as exc:
        raise NoticeFileError(exc.messages[0]) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            lines = list(_ofd_lines(archive))
    except NoticeFileError:
        raise
    except Exception as exc:
        # BadZipFile, KeyError (a missing part), lxml's XMLSyntaxError, ValueError (a bad number):
        # to the user they all mean the same thing.
        raise corrupt from exc
    if not lines:
        raise NoticeFileError(
            _(
                "The OFD file “%(name)s” contains no text layer; it looks like a scanned image. Please "
                "upload a version with text, or the Word or PDF version."
            )
            % {"name": name}
        )
    return "\n".join(_join_wrapped_lines(lines))


_OFD_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _ofd_xml(archive: zipfile.ZipFile, path: str):
    info = archive.getinfo(path.lstrip("/"))
    if info.file_size > _OFD_XML_BYTES:
        raise ValueError(f"{path} is too large")
    return etree.fromstring(archive.read(info), parser=_OFD_PARSER)


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child_text(root, name: str) -> str | None:
    for element in root.iter():
        if _local(element) == name and element.text and element.text.strip():
            return element.text.strip()
    return None


def _ofd_path(base: str, location: str) -> str:
    """Resolve a location inside the package: absolute ("/Doc_0/…") or relative to `base`'s folder."""
    location = location.strip().replace("\\", "/")
    if location.startswith("/"):
        return posixpath.normpath(location.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), location))


def _ofd_lines(archive: zipfile.ZipFile) -> Iterator["_PdfLine"]:
    root = _ofd_xml(archive, "OFD.xml")
    if _local(root) != "OFD":
        raise ValueError("not an OFD package")
    document_path = _ofd_path("OFD.xml", _child_text(root, "DocRoot") or "")
    document = _ofd_xml(archive, document_path)
    pages = [element for element in document.iter() if _local(element) == "Page"]
    if len(pages) > MAX_OFD_PAGES:
        raise ValueError("too many pages")
    for page in pages:
        content = _ofd_xml(archive, _ofd_path(document_path, page.get("BaseLoc", "")))
        yield from _ofd_page_lines(content)


@dataclass(frozen=True)
class _OfdRun:
    text: str
    x0: float
    x1: float
    y: float
    size: float


def _ofd_page_lines(content) -> Iterator["_PdfLine"]:
    runs = []
    for text_object in content.iter():
        if _local(text_object) != "TextObject":
            continue
        box = [float(value) for value in (text_object.get("Boundary") or "0 0 0 0").split()]
        size = float(text_object.get("Size") or 0) or (box[3] if len(box) > 3 else 0) or 1.0
        for code in text_object:
            if _local(code) != "TextCode" or not code.text:
                continue
            x = box[0] + float(code.get("X") or 0)
            y = box[1] + float(code.get("Y") or 0)
            advance = sum(_ofd_deltas(code.get("DeltaX"))) if code.get("DeltaX") else 0.0
            if not advance:
                advance = size * (len(code.text) - 1)
            runs.append(_OfdRun(text=code.text, x0=x, x1=x + advance + size, y=y, size=size))
    runs.sort(key=lambda run: (run.y, run.x0))
    line: list[_OfdRun] = []
    for run in runs:
        # Runs whose baselines are within half a character of each other make one line.
        if line and abs(run.y - line[0].y) > line[0].size / 2:
            yield from _ofd_line(line)
            line = []
        line.append(run)
    yield from _ofd_line(line)


def _ofd_line(runs: list) -> Iterator["_PdfLine"]:
    if not runs:
        return
    runs = sorted(runs, key=lambda run: run.x0)
    text = ""
    for previous, run in zip([None, *runs], runs, strict=False):
        if previous is not None and run.x0 - previous.x1 > run.size * 0.8:
            text += " "
        text += run.text
    text = text.strip()
    if not text or _PAGE_NUMBER_LINE.match(text):
        return
    yield _PdfLine(text=text, x0=runs[0].x0, x1=max(run.x1 for run in runs), char_width=runs[0].size)


def _ofd_deltas(value: str) -> list[float]:
    """DeltaX of a TextCode: numbers, where "g N d" stands for N times d."""
    tokens = value.split()
    deltas: list[float] = []
    index = 0
    while index < len(tokens):
        if tokens[index] == "g":
            deltas.extend([float(tokens[index + 2])] * min(int(tokens[index + 1]), 100_000))
            index += 3
        else:
            deltas.append(float(tokens[index]))
            index += 1
    return deltas


# --- OCR: scanned PDFs and images (Debian's tesseract-ocr with tesseract-ocr-chi-sim) -------------

DEFAULT_OCR_MAX_PAGES = 20
OCR_DPI = 200
# Pixels an uploaded image may have (an A4 page at 400 dpi is 15.5 million).
MAX_OCR_PIXELS = 40_000_000
# Skew angles tried when straightening a page, in degrees.
_SKEW_ANGLES = [step / 10 for step in range(-30, 31)]
# A recognised line whose mean word confidence (0–100) is below this is marked for the person
# confirming; the setting NOTICE_OCR_LOW_CONFIDENCE or KEXIE_NOTICE_OCR_LOW_CONFIDENCE overrides it.
# On two scanned notices (288 lines) 88 marks 16% of the lines and 18 of the 29 lines with an error
# (docs/benchmarks.md); 80 would mark 4 of them, 90 would mark 23% of all lines.
DEFAULT_LOW_CONFIDENCE = 88
_SCAN_EXTENSIONS = ("pdf", "png", "jpg", "jpeg")


class OcrNeeded(Exception):  # noqa: N818 - a signal, not an error
    """`extract_text(..., defer_ocr=True)` met a scan: `pages` pages to recognise, already checked
    against the page limit. The caller runs `recognise_scan` (in a background job)."""

    def __init__(self, pages: int) -> None:
        super().__init__(pages)
        self.pages = pages


class _ScanFound(Exception):  # noqa: N818 - internal signal of the readers
    pass


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float


@dataclass(frozen=True)
class OcrPage:
    number: int
    # Mean word confidence of the page (0–100), each word weighted by its characters.
    confidence: float
    lines: tuple[OcrLine, ...]


@dataclass(frozen=True)
class OcrResult:
    text: str
    pages: tuple[OcrPage, ...]

    def quality(self, threshold: float | None = None) -> dict:
        """What the draft page shows: each page's confidence and its lines below `threshold`."""
        threshold = ocr_low_confidence() if threshold is None else threshold
        return {
            "engine": "tesseract chi_sim",
            "threshold": threshold,
            "pages": [
                {
                    "number": page.number,
                    "confidence": round(page.confidence, 1),
                    "lines": len(page.lines),
                    "low_lines": [
                        {"text": line.text, "confidence": round(line.confidence, 1)}
                        for line in page.lines
                        if line.confidence < threshold
                    ],
                }
                for page in self.pages
            ],
        }


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None and os.path.exists(_chi_sim_model())


def _chi_sim_model() -> str:
    return "/usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata"


def ocr_max_pages() -> int:
    """The largest scan recognised: the setting NOTICE_OCR_MAX_PAGES, else the environment variable
    KEXIE_NOTICE_OCR_MAX_PAGES, else 20 (a background job, 3–5 s a page on two cores)."""
    configured = getattr(settings, "NOTICE_OCR_MAX_PAGES", None)
    if configured is None:
        configured = os.environ.get("KEXIE_NOTICE_OCR_MAX_PAGES") or DEFAULT_OCR_MAX_PAGES
    return int(configured)


def ocr_low_confidence() -> float:
    configured = getattr(settings, "NOTICE_OCR_LOW_CONFIDENCE", None)
    if configured is None:
        configured = os.environ.get("KEXIE_NOTICE_OCR_LOW_CONFIDENCE") or DEFAULT_LOW_CONFIDENCE
    return float(configured)


def _check_scan(data: bytes, name: str, extension: str) -> int:
    """The number of pages of a scan, or NoticeFileError before any page is recognised: OCR not
    installed, a damaged file, an image too large, more pages than the limit."""
    if extension == "pdf":
        if not ocr_available():
            raise NoticeFileError(
                _(
                    "The PDF file “%(name)s” contains no extractable text; it looks like a scanned "
                    "image. Please run OCR (text recognition) on it first, or upload the Word or text "
                    "version."
                )
                % {"name": name}
            )
        with _open_pdf(data, name) as document:
            pages = len(document)
        limit = ocr_max_pages()
        if pages > limit:
            raise NoticeFileError(
                _(
                    "The PDF file “%(name)s” is a scan of %(pages)d pages; text recognition takes at "
                    "most %(limit)d pages. Please upload the Word or text version, or split the scan."
                )
                % {"name": name, "pages": pages, "limit": limit}
            )
        if not pages:
            raise NoticeFileError(_pdf_corrupt_message(name))
        return pages
    if not ocr_available():
        raise NoticeFileError(
            _(
                "The server cannot recognise text in images yet: the “tesseract-ocr-chi-sim” package "
                "is not installed. Please upload the Word or text version of the notice."
            )
        )
    _open_image(data, name)
    return 1


class _open_pdf:  # noqa: N801 - used as a context manager like open()
    def __init__(self, data: bytes, name: str) -> None:
        import pypdfium2

        try:
            self.document = pypdfium2.PdfDocument(data)
        except Exception as exc:
            raise NoticeFileError(_pdf_corrupt_message(name)) from exc

    def __enter__(self):
        return self.document

    def __exit__(self, *exc_info) -> None:
        self.document.close()


def _open_image(data: bytes, name: str):
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_OCR_PIXELS:
            raise NoticeFileError(
                _("The image “%(name)s” is too large. Please scan it at 300 dpi or less.") % {"name": name}
            )
        image.load()
    except NoticeFileError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise NoticeFileError(
            _("The image “%(name)s” is damaged or not a PNG or JPEG image.") % {"name": name}
        ) from exc
    return image


def recognise_scan(
    data: bytes,
    filename: str,
    *,
    max_bytes: int,
    progress: Callable[[int, int], None] | None = None,
) -> OcrResult:
    """Recognise a scanned PDF or an image page by page; `progress(done, total)` is called after each
    page. Returns the normalised text (as `extract_text` would) with each page's confidence; raises
    NoticeFileError (the page limit is checked before the first page is rendered)."""
    name, extension = _name_and_extension(filename)
    _check_size(data, name, max_bytes)
    if extension not in _SCAN_EXTENSIONS:
        raise NoticeFileError(_unsupported_message(name, extension))
    total = _check_scan(data, name, extension)
    pages: list[list[_PdfLine]] = []
    with tempfile.TemporaryDirectory(prefix="kexie-ocr-") as folder:
        for image in _scan_images(data, name, extension):
            pages.append(_ocr_page(_prepare_page(image), folder))
            if progress is not None:
                progress(len(pages), total)
    lines = [line for page in pages for line in page]
    if not lines:
        raise NoticeFileError(
            _(
                "No text was recognised in “%(name)s”. Please check that the scan shows the notice "
                "clearly (upright, at least 200 dpi), or upload the Word or text version."
            )
            % {"name": name}
        )
    text = normalize_text(fix_ocr_text("\n".join(_join_wrapped_lines(lines))))
    return OcrResult(
        text=text,
        pages=tuple(
            OcrPage(
                number=number,
                confidence=_mean_confidence(page),
                lines=tuple(OcrLine(text=line.text, confidence=line.confidence or 0.0) for line in page),
            )
            for number, page in enumerate(pages, start=1)
        ),
    )


def _mean_confidence(lines: list["_PdfLine"]) -> float:
    weights = sum(len(line.text) for line in lines)
    if not weights:
        return 0.0
    return sum((line.confidence or 0.0) * len(line.text) for line in lines) / weights


def _scan_images(data: bytes, name: str, extension: str) -> Iterator:
    """The pages as Pillow images, rendered one at a time (a 20-page scan is not held whole)."""
    if extension != "pdf":
        yield _open_image(data, name)
        return
    with _open_pdf(data, name) as document:
        for index in range(len(document)):
            yield _render_page(document[index])


def _render_page(page):
    """A page as a Pillow image at OCR_DPI, or smaller if that would exceed MAX_OCR_PIXELS (a page
    declared 5 m wide must not allocate gigabytes)."""
    width, height = page.get_size()
    scale = OCR_DPI / 72
    if width * height * scale * scale > MAX_OCR_PIXELS:
        scale = 0.99 * (MAX_OCR_PIXELS / max(1.0, width * height)) ** 0.5  # pdfium rounds up
    return page.render(scale=scale).to_pil()


def _read_image(data: bytes, name: str) -> str:
    raise _ScanFound


def _prepare_page(image):
    """Grey scale, scanner dust removed (median filter), straightened by the angle at which the rows
    of text line up best (the variance of the horizontal projection is highest)."""
    from PIL import Image, ImageFilter, ImageOps

    page = ImageOps.grayscale(image.convert("RGB")).filter(ImageFilter.MedianFilter(3))
    small = ImageOps.invert(page.resize((max(1, page.width // 4), max(1, page.height // 4))))
    best_angle, best_score = 0.0, -1.0
    for angle in _SKEW_ANGLES:
        rotated = small.rotate(angle, resample=Image.NEAREST, fillcolor=0)
        rows = list(rotated.resize((1, rotated.height), Image.BOX).tobytes())  # mean ink per row
        mean = sum(rows) / len(rows)
        score = sum((row - mean) ** 2 for row in rows)
        if score > best_score:
            best_angle, best_score = angle, score
    if best_angle:
        page = page.rotate(best_angle, resample=Image.BICUBIC, fillcolor=255)
    return page


def _ocr_page(page, folder: str) -> list["_PdfLine"]:
    path = os.path.join(folder, "page.png")
    page.save(path)
    result = _run_converter(
        ["tesseract", path, "stdout", "-l", "chi_sim", "--psm", "6", "tsv"],
        folder,
        seconds=int(getattr(settings, "NOTICE_OCR_PAGE_SECONDS", 60)),
        environment={"OMP_THREAD_LIMIT": "1"},
    )
    if result.timed_out or result.returncode != 0:
        raise NoticeFileError(_("Text recognition failed on a page of the scan. Please try again later."))
    return _tsv_lines(result.stdout.decode("utf-8", "replace"))


def _tsv_lines(tsv: str) -> list["_PdfLine"]:
    """Lines of tesseract's TSV (level 5 rows are words), each with the mean confidence of its words
    weighted by their characters."""
    words: dict[tuple[str, str, str], list[tuple[int, int, int, float, str]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        left, width, height = int(cells[6]), int(cells[8]), int(cells[9])
        words.setdefault((cells[2], cells[3], cells[4]), []).append(
            (left, left + width, height, max(0.0, float(cells[10])), cells[11].strip())
        )
    lines = []
    for entries in words.values():
        entries.sort()
        text = ""
        for word in entries:
            text += _joiner(text, word[4]) + word[4] if text else word[4]
        text = _fix_ocr_line(_SPACED_CJK.sub("", text).strip())
        if not text or _PAGE_NUMBER_LINE.match(text) or _looks_like_noise(text):
            continue
        heights = sorted(word[2] for word in entries)
        characters = sum(len(word[4]) for word in entries)
        lines.append(
            _PdfLine(
                text=text,
                x0=entries[0][0],
                x1=max(w[1] for w in entries),
                char_width=heights[len(heights) // 2],
                confidence=sum(word[3] * len(word[4]) for word in entries) / characters,
            )
        )
    return lines


# Tesseract's Chinese model reads the hexagonal brackets of a document number (〔2022〕) as 【 ] [ 】
# ( ) or 〈 〉 and sometimes adds a stray letter after them; an abbreviation, a year in brackets and a
# number with 号 is a document number wherever it stands (GB/T 9704), written back with 〔〕.
_OCR_DOC_NUMBER = re.compile(
    rf"(?<=[{_CJK}])\s*[【\[〔(（〈{{|]\s*((?:19|20)\d{{2}})\s*[】\]〕)）〉}}|][A-Za-z|]?\s*(\d{{1,4}})\s*号"
)


# It also reads an opening parenthesis as 《 or 〈 (a book-title mark); one closed by ) or ） rather
# than by 》 or 〉 was a parenthesis — "《四)打通供应链条" is item (四), "〈商务部……负责)" its lead units.
# Applied to whole paragraphs, after wrapped lines are joined: the ) is often on a later line.
_OCR_FALSE_TITLE_MARK = re.compile(r"[《〈]([^《〈》〉()（）\n]{0,300}[)）])")

# Punctuation tesseract returns half-width whatever the glyph's width — ( ) : ; ? ! — and its
# full-width counterpart. Commas it tells apart well (， is a wide glyph with the mark low left).
_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！", ",": "，"})
_FULL_TO_HALF = str.maketrans({full: half for half, full in zip("():;?!,", "（）：；？！，", strict=True)})
# A mark between two ASCII letters or digits (10:30, 1,000, f(x)) is Latin text and stays as read.
_CONVERTIBLE_HALF = re.compile(r"[():;?!,]")
_CONVERTIBLE_FULL = re.compile(r"[（）：；？！，]")
# Share of one comma width above which a document is taken to use that width throughout.
_DOMINANT_WIDTH = 0.85
_MIN_COMMAS = 5


def fix_ocr_text(text: str) -> str:
    """The general corrections of recognised text, applied to joined paragraphs: false book-title
    marks, then punctuation of one width as the document's commas show it (GB/T 15834: a Chinese
    document uses full-width marks; some notices are typed with half-width ones throughout)."""
    return _unify_punctuation(_OCR_FALSE_TITLE_MARK.sub(r"(\1", text))


def _unify_punctuation(text: str) -> str:
    full = text.count("，")
    half = sum(1 for match in re.finditer(",", text) if not _between_latin(text, match))
    if full + half < _MIN_COMMAS:
        return text
    if full >= _DOMINANT_WIDTH * (full + half):
        pattern, table = _CONVERTIBLE_HALF, _HALF_TO_FULL
    elif half >= _DOMINANT_WIDTH * (full + half):
        pattern, table = _CONVERTIBLE_FULL, _FULL_TO_HALF
    else:
        return text

    def convert(match: re.Match) -> str:
        return match.group() if _between_latin(text, match) else match.group().translate(table)

    return pattern.sub(convert, text)


def _between_latin(text: str, match: re.Match) -> bool:
    before = text[match.start() - 1 : match.start()]
    after = text[match.end() : match.end() + 1]
    return all(char.isascii() and char.isalnum() for char in (before, after)) and bool(before and after)


def _fix_ocr_paragraphs(text: str) -> str:
    return _OCR_FALSE_TITLE_MARK.sub(r"(\1", text)


def _fix_ocr_line(text: str) -> str:
    text = _OCR_DOC_NUMBER.sub(r"〔\1〕\2号", text)
    return _OCR_FALSE_TITLE_MARK.sub(r"(\1", text)


# A page number as OCR reads it: the dashes of "— 3 —" often come back as 一 (one) or _.
_OCR_PAGE_NUMBER = re.compile(r"^[一—–\-－~～_=一\s]*\d{1,4}[一—–\-－~～_=\s]*$")


def _looks_like_noise(text: str) -> bool:
    # Specks recognised as a quote mark or a dash (no letter, digit or CJK character at all), or a
    # page number.
    return not any(char.isalnum() for char in text) or bool(_OCR_PAGE_NUMBER.match(text))


# --- .pdf -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PdfLine:
    text: str
    x0: float
    x1: float
    char_width: float
    # Recognised lines only: the mean word confidence of tesseract (0–100).
    confidence: float | None = None


def _read_pdf(data: bytes, name: str) -> str:
    try:
        lines = _pdf_lines(data)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise NoticeFileError(
                _(
                    "The PDF file “%(name)s” is encrypted or password-protected. "
                    "Please remove the password and upload it again."
                )
                % {"name": name}
            ) from exc
        raise NoticeFileError(_pdf_corrupt_message(name)) from exc
    except Exception as exc:
        # pdfminer raises a wide range of exception types (struct, zlib, KeyError, …) on damaged
        # content streams; to the user they all mean the same thing.
        raise NoticeFileError(_pdf_corrupt_message(name)) from exc
    if not lines:
        raise _ScanFound
    return "\n".join(_join_wrapped_lines(lines))


def _pdf_corrupt_message(name: str) -> str:
    return _("The PDF file “%(name)s” is damaged and cannot be opened.") % {"name": name}


def _pdf_lines(data: bytes) -> list[_PdfLine]:
    lines = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines(strip=True):
                text = line["text"].strip()
                if not text or _PAGE_NUMBER_LINE.match(text):
                    continue
                chars = line.get("chars") or []
                width = max((c["x1"] - c["x0"] for c in chars), default=0.0) or 10.0
                lines.append(_PdfLine(text=text, x0=line["x0"], x1=line["x1"], char_width=width))
    return lines


def _join_wrapped_lines(lines: list[_PdfLine]) -> Iterator[str]:
    """Rebuild paragraphs from PDF lines: the parser reads one paragraph per line."""
    right = max(line.x1 for line in lines)
    left = min(line.x0 for line in lines)
    indents = sum(1 for line in lines if _is_paragraph_indent(line, left))
    indented_layout = indents >= _MIN_PARAGRAPH_INDENTS
    paragraph = lines[0].text
    for previous, line in zip(lines, lines[1:], strict=False):
        if _continues(previous, line, left=left, right=right, indented_layout=indented_layout):
            paragraph += _joiner(paragraph, line.text) + line.text
        else:
            yield paragraph
            paragraph = line.text
    yield paragraph


def _joiner(before: str, after: str) -> str:
    # Chinese wraps between characters; only a Latin word or number broken over lines needs a space.
    return " " if before[-1:].isascii() and before[-1:].isalnum() and after[:1].isascii() else ""


def _is_paragraph_indent(line: _PdfLine, left: float) -> bool:
    return abs(line.x0 - left - _PARAGRAPH_INDENT_CHARS * line.char_width) <= _INDENT_CHARS * line.char_width


def _continues(
    previous: _PdfLine, line: _PdfLine, *, left: float, right: float, indented_layout: bool
) -> bool:
    """Whether `line` continues the paragraph `previous` belongs to."""
    if line.x0 > left + _INDENT_CHARS * line.char_width or _NUMBERED_START.match(line.text):
        return False
    if indented_layout:
        # Every paragraph starts indented, so an unindented line continues one, however short
        # the line above it is.
        return True
    return previous.x1 >= right - _WRAP_SLACK_CHARS * previous.char_width


_READERS: dict[str, Callable[[bytes, str], str]] = {
    "txt": _read_txt,
    "docx": _read_docx,
    "pdf": _read_pdf,
    "doc": _read_word_binary,
    "wps": _read_word_binary,
    "ofd": _read_ofd,
    "png": _read_image,
    "jpg": _read_image,
    "jpeg": _read_image,
}
