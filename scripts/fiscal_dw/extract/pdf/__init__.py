"""PDF input: a PDF's pages as characters with boxes and ruling lines (pypdfium2), its text
as lines for the readers that work on text, and its nine standard tables read from their
ruled grids (``tables``), or from the text's positions where no vertical rules are drawn
(``unruled``). A PDF that cannot be read (encrypted, corrupt or truncated, or
without a text layer) raises ``DocumentError`` with a message naming the file."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from fiscal_dw.extract.documents import DocumentError, SourceDocument
from fiscal_dw.extract.pdf.geometry import Page, read_page

PDF_SUFFIX = ".pdf"
PDF_ENCODING = "pdf"  # SourceDocument.encoding of a PDF (its text comes from the text layer)


@dataclass(frozen=True)
class PdfSource(SourceDocument):
    """A PDF as a document: ``lines`` is its text (pages separated by a form feed, as page
    text exports have it), ``pages`` its geometry."""

    pages: tuple[Page, ...] = field(default=(), repr=False, compare=False)


def load_pdf(path: Path) -> PdfSource:
    raw = path.read_bytes()
    name = path.name
    if not raw.strip():
        raise DocumentError(f"{name}: empty file")
    if not raw.lstrip()[:5] == b"%PDF-":
        raise DocumentError(f"{name}: not a PDF (no %PDF header)")
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as error:
        text = str(error).lower()
        if "password" in text or "security" in text:
            raise DocumentError(f"{name}: encrypted PDF (a password is needed to open it); not loaded") from None
        raise DocumentError(f"{name}: corrupt or truncated PDF, cannot be opened ({error}); not loaded") from None
    try:
        pages = []
        for index in range(len(pdf)):
            try:
                pages.append(read_page(pdf, index))
            except Exception as error:  # noqa: BLE001 - a broken page object: name the page
                raise DocumentError(f"{name}: page {index + 1} cannot be read ({error}); not loaded") from None
    finally:
        pdf.close()
    if not pages:
        raise DocumentError(f"{name}: PDF without pages; not loaded")
    if sum(page.char_count for page in pages) == 0:
        raise DocumentError(f"{name}: PDF without a text layer ({len(pages)} pages of images, a scan?); "
                            "OCR is not done, not loaded")
    lines: list[str] = []
    for number, page in enumerate(pages):
        page_lines = _page_lines(page) or [""]
        if number:
            page_lines[0] = "\f" + page_lines[0]
        lines.extend(page_lines)
    return PdfSource(path, hashlib.sha256(raw).hexdigest(), PDF_ENCODING, tuple(lines), tuple(pages))


def _page_lines(page: Page) -> list[str]:
    """The page's text top to bottom: lines outside grids, and one line per grid row with
    its cells separated by tabs."""
    items: list[tuple[float, str]] = list(page.lines)
    for grid in page.grids:
        for band in grid.bands:
            if not band.empty:
                items.append((band.top, "\t".join(band.texts())))
    items.sort(key=lambda item: item[0])
    return [text for _, text in items]
