"""Write a small but valid OFD document (GB/T 33190-2016) from plain text, for the tests and the bench.

The package is a zip with OFD.xml (DocBody → DocRoot), Doc_0/Document.xml (page area, one Page per
page with its BaseLoc), Doc_0/PublicRes.xml (one font) and Doc_0/Pages/Page_N/Content.xml, whose
layer holds one TextObject per typeset line (Boundary in millimetres, a TextCode with X/Y and DeltaX in
the "g N d" short form), laid out as GB/T 9704 prints a notice: A4, 16 pt characters, 28 to a line,
paragraphs indented by two characters, the page number "— n —" at the foot.

To test reading order the text objects of every page are written in reverse order, and every long
line is split into two text objects, as OFD converters do when a line changes font or spacing.
"""

import io
import zipfile
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
LEFT, TOP = 27.0, 37.0
SIZE = 5.6  # 16 pt in millimetres
PER_LINE = 28
LINE_HEIGHT = SIZE * 1.55
LINES_PER_PAGE = 24


def ofd_document(text: str, *, with_text: bool = True) -> bytes:
    """An OFD whose pages show `text` (one paragraph per line); `with_text=False` leaves the pages
    without a text layer, as a scanned OFD is."""
    lines = _typeset(text.splitlines())
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", _ofd_xml())
        archive.writestr("Doc_0/Document.xml", _document_xml(len(pages)))
        archive.writestr("Doc_0/PublicRes.xml", _public_res())
        for number, page in enumerate(pages):
            archive.writestr(f"Doc_0/Pages/Page_{number}/Content.xml", _content_xml(page, number, with_text))
    return buffer.getvalue()


def _typeset(paragraphs: list[str]) -> list[tuple[float, str]]:
    """(indent in characters, text) per typeset line."""
    lines = []
    for paragraph in paragraphs:
        indent = 2
        rest = paragraph
        while rest:
            room = PER_LINE - indent
            lines.append((indent, rest[:room]))
            rest = rest[room:]
            indent = 0
    return lines


def _ofd_xml() -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo><ofd:DocID>6c1d1e4e0b8c4b6e8f0a2e1d3c4b5a69</ofd:DocID>"
        "<ofd:Creator>kexie tests</ofd:Creator></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )


def _document_xml(pages: int) -> str:
    entries = "".join(
        f'<ofd:Page ID="{10 + number}" BaseLoc="Pages/Page_{number}/Content.xml"/>' for number in range(pages)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{100000}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_WIDTH:g} "
        f"{PAGE_HEIGHT:g}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
        f"</ofd:CommonData><ofd:Pages>{entries}</ofd:Pages></ofd:Document>"
    )


def _public_res() -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )


def _text_object(object_id: int, x: float, y: float, text: str) -> str:
    width = SIZE * len(text)
    delta = f' DeltaX="g {len(text) - 1} {SIZE:g}"' if len(text) > 1 else ""
    return (
        f'<ofd:TextObject ID="{object_id}" Boundary="{x:.2f} {y:.2f} {width:.2f} {SIZE * 1.2:.2f}" '
        f'Font="2" Size="{SIZE:g}"><ofd:FillColor Value="0 0 0"/>'
        f'<ofd:TextCode X="0" Y="{SIZE:g}"{delta}>{escape(text)}</ofd:TextCode></ofd:TextObject>'
    )


def _content_xml(lines: list[tuple[float, str]], number: int, with_text: bool) -> str:
    objects = []
    object_id = 1000 * (number + 1)
    for row, (indent, text) in enumerate(lines):
        y = TOP + row * LINE_HEIGHT
        x = LEFT + indent * SIZE
        parts = [text] if len(text) < 10 else [text[: len(text) // 2], text[len(text) // 2 :]]
        for part in parts:
            object_id += 1
            objects.append(_text_object(object_id, x, y, part))
            x += SIZE * len(part)
    footer = f"— {number + 1} —"
    objects.append(_text_object(object_id + 1, (PAGE_WIDTH - SIZE * len(footer)) / 2, 270.0, footer))
    objects.reverse()
    layer = "".join(objects) if with_text else ""
    if not with_text:
        layer = '<ofd:ImageObject ID="9" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="99"/>'
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
        f'<ofd:Layer ID="{object_id + 2}">{layer}</ofd:Layer></ofd:Content></ofd:Page>'
    )
