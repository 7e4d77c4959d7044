"""Run the notice parser over the real notices in ../shared/eval/notices and compare with INDEX.csv.

    .venv/bin/python bench/parse_notices.py [NOTICES_DIR] [--quick] [--pdf] [--formats]

Prints one row per file (measures found, responsibility markers found against INDEX.csv's
marker_count, document number, title and issuer checks) and, as the last line, one JSON object
summarising the run. With --pdf every notice is also typeset as a GB/T 9704 PDF (WeasyPrint) and
read back through extract_text, and the row says whether that parse equals the plain-text parse.

With --formats the run is instead a formats table (issue 18): the seed notice and the first two real
notices are written as .docx, .pdf, .doc (Word 97, tests/policy/doc_sample.py), .ofd
(tests/policy/ofd_sample.py) and a scanned PDF (200 dpi, up to 1° of rotation, specks:
tests/policy/scan_sample.py), each read back through extract_text and parsed; a row gives the measures
found against the .txt parse, lead units right (measures naming the same units as in the .txt parse),
the character error rate against the .txt text and the seconds taken. --quick: the seed notice only.
"""

import argparse
import csv
import html
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kexie.policy.notices.parser import ParsedNotice

REPO = Path(__file__).resolve().parents[1]
# /work/main/.. or, in a helper's worktree, /work/wt/<name>/../..
DEFAULT_NOTICES = next(
    (
        folder / "shared" / "eval" / "notices"
        for folder in (REPO.parent, REPO.parent.parent)
        if (folder / "shared" / "eval" / "notices").is_dir()
    ),
    REPO.parent / "shared" / "eval" / "notices",
)
MAX_BYTES = 10 * 1024 * 1024
# The layout kexie prints notices in: A4, two-character first-line indent, page numbers "— n —".
GBT9704_CSS = """
@page { size: A4; margin: 2cm; @bottom-center { content: "— " counter(page) " —"; } }
body { font-family: "Noto Serif CJK SC"; font-size: 16pt; }
p { margin: 0; text-indent: 2em; text-align: justify; }
"""


@dataclass(frozen=True)
class Expected:
    title: str
    doc_number: str | None
    issuer: str | None
    marker_count: int


@dataclass(frozen=True)
class Row:
    file: str
    measures: int
    markers: int
    expected_markers: int | None
    measures_with_units: int
    doc_number: str | None
    expected_doc_number: str | None
    title_match: bool
    issuer_match: bool
    targets: int
    pdf_same: bool | None = None
    error: str | None = None

    @property
    def doc_number_match(self) -> bool:
        return self.doc_number == self.expected_doc_number

    @property
    def marker_match(self) -> bool:
        return self.markers == self.expected_markers


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(argv)
    _setup_django()
    if arguments.formats:
        return _formats_main(arguments)
    from kexie.policy.notices.extract import NoticeFileError, extract_text
    from kexie.policy.notices.parser import NoticeParseError, parse_notice

    index = _read_index(arguments.notices / "INDEX.csv")
    rows = []
    started = time.perf_counter()
    for path in sorted(arguments.notices.glob("*.txt")):
        expected = index.get(path.name)
        try:
            text = extract_text(path.read_bytes(), path.name, max_bytes=MAX_BYTES)
            notice = parse_notice(text)
            pdf_same = _pdf_parse_matches(text, notice) if arguments.pdf else None
        except (NoticeFileError, NoticeParseError) as exc:
            rows.append(_failed_row(path.name, expected, exc.message))
            continue
        rows.append(_row(path.name, notice, expected, pdf_same))
    elapsed = time.perf_counter() - started
    _print_table(rows)
    print(json.dumps(_summary(rows, elapsed), ensure_ascii=False))
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "notices", nargs="?", type=Path, default=DEFAULT_NOTICES, help="folder with INDEX.csv"
    )
    # The full run takes well under a second; --quick exists so every bench script takes it.
    parser.add_argument("--quick", action="store_true", help="same run (the parser is fast anyway)")
    parser.add_argument("--pdf", action="store_true", help="also round-trip every notice through a PDF")
    parser.add_argument("--formats", action="store_true", help="formats table: .docx .pdf .doc .ofd scan")
    parser.add_argument(
        "--rapidocr",
        metavar="PYTHON",
        help="with --formats: also recognise the scans with RapidOCR, run by this interpreter "
        "(a scratch virtualenv with rapidocr-onnxruntime; the project does not depend on it)",
    )
    return parser.parse_args(argv)


SEED = REPO / "kexie" / "seed" / "notice-yukexiefa-2022-84.txt"


def _formats_main(arguments: argparse.Namespace) -> int:
    import io

    from docx import Document

    from kexie.policy.notices.extract import NoticeFileError, extract_text
    from kexie.policy.notices.parser import NoticeParseError, parse_notice
    from tests.policy.doc_sample import word97_document
    from tests.policy.ofd_sample import ofd_document
    from tests.policy.scan_sample import images_pdf, scanned_pages

    def docx(text: str) -> bytes:
        document = Document()
        for line in text.splitlines():
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    def pdf(text: str) -> bytes:
        from weasyprint import HTML

        body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines())
        return HTML(
            string=f"<html><head><style>{GBT9704_CSS}</style></head><body>{body}</body></html>"
        ).write_pdf()

    pages_of: dict[str, list] = {}

    def scan(text: str) -> bytes:
        pages_of[text] = scanned_pages(text)
        return images_pdf(pages_of[text])

    writers = {
        "docx": docx,
        "pdf": pdf,
        "doc": word97_document,
        "ofd": ofd_document,
        "scan.pdf": scan,
    }
    paths = [SEED] + ([] if arguments.quick else sorted(arguments.notices.glob("*.txt"))[:2])
    rows = []
    for path in paths:
        text = extract_text(path.read_bytes(), path.name, max_bytes=MAX_BYTES)
        expected = parse_notice(text)
        for extension, write in writers.items():
            data = write(text)
            started, cpu = time.perf_counter(), _cpu_seconds()
            try:
                read = extract_text(data, f"notice.{extension}", max_bytes=MAX_BYTES)
                parsed = parse_notice(read)
            except (NoticeFileError, NoticeParseError) as exc:
                rows.append({"format": extension, "notice": path.name, "error": exc.message})
                continue
            seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
            pages = _pdf_pages(data) if extension.endswith("pdf") else None
            rows.append(
                _format_row(
                    extension,
                    path.name,
                    text=text,
                    read=read,
                    expected=expected,
                    parsed=parsed,
                    seconds=seconds,
                    cpu=cpu,
                    pages=pages,
                )
            )
        if arguments.rapidocr:
            rows.append(_rapidocr_row(arguments.rapidocr, path.name, text, expected, pages_of[text]))
    print(
        "format | notice | measures (txt) | lead units right (txt) | all units right | doc# | CER | "
        "seconds | pages | s/page | CPU s/page"
    )
    for row in rows:
        if "error" in row:
            print(f"{row['format']} | {row['notice'][:30]} | ERROR {row['error']}")
            continue
        print(
            f"{row['format']} | {row['notice'][:30]} | {row['measures']} ({row['measures_txt']}) | "
            f"{row['lead_units_right']} ({row['lead_units_txt']}) | {row['all_units_right']} | "
            f"{_mark(row['doc_number_same'])} | "
            f"{row['cer']:.2%} | {row['seconds']:.2f} | {row['pages'] or '-'} | "
            f"{_per_page(row, 'seconds_per_page')} | {_per_page(row, 'cpu_seconds_per_page')}"
        )
    print(json.dumps({"formats": rows}, ensure_ascii=False))
    return 0


def _format_row(
    extension: str,
    notice: str,
    *,
    text: str,
    read: str,
    expected,
    parsed,
    seconds: float,
    cpu: float,
    pages: int | None,
) -> dict:
    from tests.policy.scan_sample import character_error_rate

    pairs = list(zip(expected.measures, parsed.measures, strict=False))
    # The lead unit is the first one named (牵头单位); "all units" compares the whole list.
    return {
        "format": extension,
        "notice": notice,
        "measures": len(parsed.measures),
        "measures_txt": len(expected.measures),
        "lead_units_right": sum(
            1 for a, b in pairs if a.departments and b.departments[:1] == a.departments[:1]
        ),
        "lead_units_txt": sum(1 for measure in expected.measures if measure.departments),
        "all_units_right": sum(1 for a, b in pairs if a.departments and a.departments == b.departments),
        "doc_number_same": parsed.doc_number == expected.doc_number,
        "cer": round(character_error_rate(text, read), 4),
        "seconds": round(seconds, 2),
        "pages": pages,
        "seconds_per_page": round(seconds / pages, 2) if pages else None,
        "cpu_seconds_per_page": round(cpu / pages, 2) if pages else None,
    }


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (tesseract): a fairer figure than wall time
    when other sessions share the two cores."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _per_page(row: dict, key: str) -> str:
    return "-" if row.get(key) is None else f"{row[key]:.2f}"


def _rapidocr_row(python: str, notice: str, text: str, expected, pages: list) -> dict:
    """The same scanned pages through RapidOCR (in `python`), its lines put in reading order and through
    the same line joining and general corrections as tesseract's, then parsed."""
    import subprocess
    import tempfile

    from kexie.policy.notices import extract
    from kexie.policy.notices.parser import NoticeParseError, parse_notice

    with tempfile.TemporaryDirectory(prefix="kexie-rapidocr-") as folder:
        paths = []
        for number, page in enumerate(pages, start=1):
            paths.append(f"{folder}/page-{number}.png")
            page.save(paths[-1])
        started = time.perf_counter()
        completed = subprocess.run(  # noqa: S603 - the interpreter the person running the bench named
            [python, str(REPO / "bench" / "_rapidocr_pages.py"), *paths],
            capture_output=True,
            check=True,
        )
        seconds = time.perf_counter() - started
    recognised = json.loads(completed.stdout)
    lines = [line for page in recognised for line in _rapidocr_lines(page["boxes"])]
    read = extract.normalize_text(extract.fix_ocr_text("\n".join(extract._join_wrapped_lines(lines))))
    try:
        parsed = parse_notice(read)
    except NoticeParseError as exc:
        return {"format": "scan (rapidocr)", "notice": notice, "error": exc.message}
    cpu = sum(page["cpu_seconds"] for page in recognised)
    row = _format_row(
        "scan (rapidocr)",
        notice,
        text=text,
        read=read,
        expected=expected,
        parsed=parsed,
        seconds=seconds,
        cpu=cpu,
        pages=len(pages),
    )
    # Recognition only (the interpreter's start and model loading excluded), as for tesseract per page.
    row["seconds_per_page"] = round(sum(page["seconds"] for page in recognised) / len(pages), 2)
    return row


def _rapidocr_lines(boxes: list) -> list:
    """RapidOCR's text boxes grouped into lines (centres within half a box height), left to right."""
    from kexie.policy.notices import extract

    items = []
    for corners, text, _score in boxes:
        xs, ys = [point[0] for point in corners], [point[1] for point in corners]
        items.append((sum(ys) / 4, min(xs), max(xs), max(ys) - min(ys), text))
    items.sort()
    groups: list[list] = []
    for item in items:
        if groups and abs(item[0] - groups[-1][0][0]) < groups[-1][0][3] / 2:
            groups[-1].append(item)
        else:
            groups.append([item])
    lines = []
    for group in groups:
        group.sort(key=lambda item: item[1])
        line = extract._fix_ocr_line(extract._SPACED_CJK.sub("", "".join(item[4] for item in group)).strip())
        if not line or extract._PAGE_NUMBER_LINE.match(line) or extract._looks_like_noise(line):
            continue
        heights = sorted(item[3] for item in group)
        lines.append(
            extract._PdfLine(
                text=line,
                x0=group[0][1],
                x1=max(item[2] for item in group),
                char_width=heights[len(heights) // 2],
            )
        )
    return lines


def _pdf_parse_matches(text: str, notice: "ParsedNotice") -> bool:
    from weasyprint import HTML

    from kexie.policy.notices.extract import extract_text
    from kexie.policy.notices.parser import parse_notice

    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines())
    pdf = HTML(
        string=f"<html><head><style>{GBT9704_CSS}</style></head><body>{body}</body></html>"
    ).write_pdf()
    return parse_notice(extract_text(pdf, "notice.pdf", max_bytes=MAX_BYTES)).to_dict() == notice.to_dict()


def _pdf_pages(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def _setup_django() -> None:
    # The parser translates its messages, so gettext needs settings; the parser needs no app or
    # database, so the bench does not load the project's settings (and every app with them).
    sys.path.insert(0, str(REPO))
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


def _read_index(path: Path) -> dict[str, Expected]:
    with path.open(encoding="utf-8") as handle:
        return {
            row["file"]: Expected(
                title=row["title"],
                doc_number=None if row["doc_number"].startswith("(") else row["doc_number"],
                # "中共广州市委、广州市人民政府 (per text)": the issuer named in the text, not a signature.
                issuer=row["issuer"].split(" (")[0] or None,
                marker_count=int(row["marker_count"]),
            )
            for row in csv.DictReader(handle)
        }


def _row(name: str, notice: "ParsedNotice", expected: Expected | None, pdf_same: bool | None) -> Row:
    measures = notice.measures
    return Row(
        file=name,
        measures=len(measures),
        markers=sum(measure.marker_count for measure in measures),
        expected_markers=expected.marker_count if expected else None,
        measures_with_units=sum(1 for measure in measures if measure.departments),
        doc_number=notice.doc_number,
        expected_doc_number=expected.doc_number if expected else None,
        title_match=bool(expected) and notice.title == expected.title,
        issuer_match=bool(expected) and notice.issuer == expected.issuer,
        targets=len(notice.targets),
        pdf_same=pdf_same,
    )


def _failed_row(name: str, expected: Expected | None, error: str) -> Row:
    return Row(
        file=name,
        measures=0,
        markers=0,
        expected_markers=expected.marker_count if expected else None,
        measures_with_units=0,
        doc_number=None,
        expected_doc_number=expected.doc_number if expected else None,
        title_match=False,
        issuer_match=False,
        targets=0,
        error=error,
    )


def _print_table(rows: list[Row]) -> None:
    header = (
        "file",
        "measures",
        "markers",
        "expected",
        "with units",
        "targets",
        "doc number",
        "doc#",
        "title",
        "issuer",
        "pdf",
    )
    print(" | ".join(header))
    for row in rows:
        cells = (
            row.file[:40],
            row.measures,
            row.markers,
            row.expected_markers,
            row.measures_with_units,
            row.targets,
            row.doc_number or "-",
            _mark(row.doc_number_match),
            _mark(row.title_match),
            _mark(row.issuer_match),
            "-" if row.pdf_same is None else _mark(row.pdf_same),
        )
        print(" | ".join(str(cell) for cell in cells) + (f" | ERROR {row.error}" if row.error else ""))


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


def _summary(rows: list[Row], elapsed: float) -> dict[str, object]:
    return {
        "files": len(rows),
        "parsed": sum(1 for row in rows if row.error is None),
        "doc_number_matches": sum(row.doc_number_match for row in rows),
        "marker_count_matches": sum(row.marker_match for row in rows),
        "title_matches": sum(row.title_match for row in rows),
        "issuer_matches": sum(row.issuer_match for row in rows),
        "measures": sum(row.measures for row in rows),
        "markers_found": sum(row.markers for row in rows),
        "markers_expected": sum(row.expected_markers or 0 for row in rows),
        "measures_with_units": sum(row.measures_with_units for row in rows),
        "targets": sum(row.targets for row in rows),
        "pdf_roundtrip_matches": None
        if any(row.pdf_same is None for row in rows)
        else sum(bool(row.pdf_same) for row in rows),
        "seconds": round(elapsed, 3),
    }


if __name__ == "__main__":
    sys.exit(main())
