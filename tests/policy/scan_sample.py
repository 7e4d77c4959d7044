"""Scanned-looking notices for the OCR tests and the bench: the text typeset as GB/T 9704 prints a
notice (WeasyPrint), each page rasterised at 200 dpi (pypdfium2), turned by a small angle and sprinkled
with scanner specks (Pillow, seeded so every run draws the same pages), saved as an image-only PDF."""

import html
import io
import random

GBT9704_CSS = """
@page { size: A4; margin: 2cm; @bottom-center { content: "— " counter(page) " —"; } }
body { font-family: "Noto Serif CJK SC"; font-size: 16pt; }
p { margin: 0; text-indent: 2em; text-align: justify; }
"""
DPI = 200


def scanned_pages(text: str, *, seed: int = 18, max_angle: float = 1.0, specks: int = 200) -> list:
    """Pillow images of the pages; `specks`: one noise pixel per this many pixels."""
    import pypdfium2
    from PIL import Image
    from weasyprint import HTML

    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    pdf = HTML(
        string=f"<html><head><style>{GBT9704_CSS}</style></head><body>{body}</body></html>"
    ).write_pdf()
    document = pypdfium2.PdfDocument(pdf)
    random_ = random.Random(seed)
    pages = []
    try:
        for index in range(len(document)):
            page = document[index].render(scale=DPI / 72).to_pil().convert("L")
            angle = random_.uniform(-max_angle, max_angle)
            page = page.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            pixels = page.load()
            for _ in range(page.width * page.height // specks):
                x, y = random_.randrange(page.width), random_.randrange(page.height)
                pixels[x, y] = random_.choice((0, 90, 160))
            pages.append(page)
    finally:
        document.close()
    return pages


def scanned_pdf(text: str, **options) -> bytes:
    return images_pdf(scanned_pages(text, **options))


def images_pdf(pages: list) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return buffer.getvalue()


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def character_error_rate(expected: str, recognised: str) -> float:
    """Edit operations (from difflib's alignment) per character of `expected`, line breaks ignored."""
    import difflib

    a, b = expected.replace("\n", ""), recognised.replace("\n", "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    errors = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")
    return errors / max(1, len(a))
