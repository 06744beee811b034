"""What a PDF page holds, as geometry: characters with their boxes, ruling lines, and the ruled
grids they form (pypdfium2, the PDFium library; no rendering).

Coordinates are PDF points with y growing *downwards* from the top of the page (so rows sort
top to bottom). A ruling line is a thin filled rectangle or a stroked line segment; a stroked
rectangle gives its four edges. A grid is a set of ruling lines that touch one another; its
rows are the bands between consecutive horizontal lines and, within a band, its cells are the
intervals between the vertical lines that cross that band. Each character is placed in the
cell holding its centre, so a value sits in its own column and an empty cell is known to be
empty."""
from __future__ import annotations

import bisect
import ctypes
import re
from dataclasses import dataclass, field
from functools import cached_property

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

THIN = 2.6          # a rectangle no thicker than this (pt) is a ruling line
MIN_RULE = 4.0      # shorter segments are glyph-like marks, not rules
SNAP = 2.0          # lines closer than this are one line
TOUCH = 3.0         # segments closer than this touch (one grid)


class Char:
    """One character and its box (PDFium's loose box: the font's height, so a comma or a 、
    stands on its line)."""

    __slots__ = ("text", "x0", "x1", "top", "bottom", "cx", "cy", "spaced")

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float,
                 spaced: bool = False) -> None:
        self.text, self.x0, self.x1, self.top, self.bottom = text, x0, x1, top, bottom
        self.cx, self.cy = (x0 + x1) / 2, (top + bottom) / 2
        self.spaced = spaced  # the text layer has a space before it

    def __repr__(self) -> str:
        return f"Char({self.text!r}, {self.x0:.1f}, {self.x1:.1f}, {self.top:.1f}, {self.bottom:.1f})"


@dataclass
class Segment:
    horizontal: bool
    at: float       # y of a horizontal, x of a vertical line
    start: float    # x0 (horizontal) or top (vertical)
    end: float


@dataclass
class Cell:
    x0: float
    x1: float
    chars: list[Char] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        """Read once all characters are placed (``read_page``)."""
        return join_chars(self.chars)


@dataclass
class Band:
    """One ruled row of a grid: its cells left to right."""

    top: float
    bottom: float
    cells: list[Cell]
    # a row read without vertical rules (``unruled``): its row on the page, and the values
    # whose column is not certain (text, x0, x1), kept out of the cells
    row: int = 0
    unplaced: list[tuple[str, float, float]] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

    @property
    def empty(self) -> bool:
        return not any(cell.chars for cell in self.cells)


@dataclass
class Grid:
    x0: float
    x1: float
    top: float
    bottom: float
    bands: list[Band]
    verticals: list[float]  # every vertical line x of the grid, sorted
    first_row: int = 0      # the row on the page of its first band (set by the table reader)
    header_bands: int = -1  # built from an unruled table's text: its header's bands, known


@dataclass
class Page:
    number: int             # 1-based
    width: float
    height: float
    chars: list[Char]       # outside any grid
    grids: list[Grid]
    char_count: int         # all characters of the page, grids included
    image_count: int = 0

    @cached_property
    def char_lines(self) -> list[tuple[float, float, list[Char]]]:
        """The visual lines outside grids, top to bottom, as characters."""
        return text_lines(self.chars)

    @cached_property
    def lines(self) -> list[tuple[float, str]]:
        """The visual lines outside grids, top to bottom: (top, text)."""
        return [(top, line_text(chars)) for top, _, chars in self.char_lines]


def read_page(pdf: pdfium.PdfDocument, index: int) -> Page:
    page = pdf[index]
    try:
        # user space (the media box, before /Rotate): characters and paths are given in it
        left, bottom, right, top = page.get_mediabox()
        width, height = right - left, top - bottom
        chars = _chars(page, top)
        segments, images = _segments(page, top)
        rotation = page.get_rotation() % 360
    finally:
        page.close()
    if left:
        chars = [Char(c.text, c.x0 - left, c.x1 - left, c.top, c.bottom, c.spaced) for c in chars]
        segments = [Segment(g.horizontal, g.at - left if not g.horizontal else g.at,
                            g.start - left if g.horizontal else g.start,
                            g.end - left if g.horizontal else g.end) for g in segments]
    if rotation in (90, 180, 270):  # read the page as it is displayed
        chars, segments = _rotated(chars, segments, rotation, width, height)
        if rotation != 180:
            width, height = height, width
    grids = _grids(segments)
    outside = _place_chars(chars, grids)
    for grid in grids:
        grid.bands = [part for band in grid.bands for part in _split_stacked(band)]
    return Page(index + 1, width, height, outside, grids, len(chars), images)


_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def _split_stacked(band: Band) -> list[Band]:
    """A ruled band holding several printed rows (a table whose body rows are not separated
    by rules): numbers never wrap, so a cell with several lines of numbers gives the rows;
    the band is cut halfway between them, and each character goes to the row holding its
    centre (a name wrapped over two lines of one row stays whole)."""
    centres: list[float] = []
    for cell in band.cells:
        lines = text_lines(cell.chars)
        if len(lines) < 2:
            continue
        texts = ["".join(c.text for c in members) for _, _, members in lines]
        if all(_NUMBER.match(text) for text in texts):
            centres.extend((top + bottom) / 2 for top, bottom, _ in lines)
    if not centres:
        return [band]
    rows: list[float] = []
    for centre in sorted(centres):
        if not rows or centre - rows[-1] > 2.0:
            rows.append(centre)
    if len(rows) < 2:
        return [band]
    cuts = [band.top] + [(a + b) / 2 for a, b in zip(rows, rows[1:])] + [band.bottom]
    parts = []
    last = len(cuts) - 2
    for index, (top, bottom) in enumerate(zip(cuts, cuts[1:])):
        cells = [Cell(cell.x0, cell.x1, [c for c in cell.chars
                                         if top <= c.cy < bottom or (index == last and c.cy == bottom)])
                 for cell in band.cells]
        parts.append(Band(top, bottom, cells))
    return parts


def _rotated(chars: list[Char], segments: list[Segment], rotation: int, width: float,
             height: float) -> tuple[list[Char], list[Segment]]:
    """Characters and rules of a page with /Rotate (clockwise) in the coordinates of the page
    as displayed: x from the left, top from the top of the displayed page."""
    w, h = width, height
    if rotation == 90:
        def box(c): return Char(c.text, h - c.bottom, h - c.top, c.x0, c.x1, c.spaced)
        def rule(g): return (Segment(False, h - g.at, g.start, g.end) if g.horizontal
                             else Segment(True, g.at, h - g.end, h - g.start))
    elif rotation == 180:
        def box(c): return Char(c.text, w - c.x1, w - c.x0, h - c.bottom, h - c.top, c.spaced)
        def rule(g): return (Segment(True, h - g.at, w - g.end, w - g.start) if g.horizontal
                             else Segment(False, w - g.at, h - g.end, h - g.start))
    else:
        def box(c): return Char(c.text, c.top, c.bottom, w - c.x1, w - c.x0, c.spaced)
        def rule(g): return (Segment(False, g.at, w - g.end, w - g.start) if g.horizontal
                             else Segment(True, w - g.at, g.start, g.end))
    return [box(c) for c in chars], [rule(g) for g in segments]


def _chars(page, height: float) -> list[Char]:
    textpage = page.get_textpage()
    try:
        count = pdfium_c.FPDFText_CountChars(textpage)
        if count <= 0:
            return []
        # the page's text in one call (one UTF-16 unit per character index), boxes one by one
        buffer = (ctypes.c_ushort * (count + 1))()
        written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
        units = list(buffer[: max(written - 1, 0)])
        if len(units) != count:  # a character outside the BMP: read them one by one
            units = [pdfium_c.FPDFText_GetUnicode(textpage, index) for index in range(count)]
        rect = pdfium_c.FS_RECTF()
        rect_ref = ctypes.byref(rect)
        get_box = pdfium_c.FPDFText_GetLooseCharBox
        chars = []
        spaced = False
        for index, code in enumerate(units):
            if code <= 32 or code in _SKIPPED or 0xD800 <= code <= 0xDFFF:
                spaced = spaced or code in (32, 0xA0, 0x3000)
                continue
            if not get_box(textpage, index, rect_ref):
                continue
            chars.append(Char(chr(code), rect.left, rect.right, height - rect.top, height - rect.bottom,
                              spaced))
            spaced = False
        return chars
    finally:
        textpage.close()


_SKIPPED = frozenset((0xA0, 0x3000, 0xFFFE, 0xFFFF))


def _segments(page, height: float) -> tuple[list[Segment], int]:
    """The page's ruling lines (also those inside form XObjects) and its number of images."""
    segments: list[Segment] = []
    images = _walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject,
                   (1, 0, 0, 1, 0, 0), height, segments, 0)
    return segments, images


def _walk(parent, count_objects, get_object, matrix, height: float, segments: list[Segment],
          depth: int) -> int:
    get_type, get_bounds = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDFPageObj_GetBounds
    bounds = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(b) for b in bounds]
    identity = matrix == (1, 0, 0, 1, 0, 0)
    images = 0
    for index in range(count_objects(parent)):
        obj = get_object(parent, index)
        kind = get_type(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
            continue
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4:
            form = pdfium_c.FS_MATRIX()
            if pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(form)):
                inner = _compose((form.a, form.b, form.c, form.d, form.e, form.f), matrix)
                images += _walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                                inner, height, segments, depth + 1)
            continue
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH or not get_bounds(obj, *refs):
            continue
        left, bottom, right, top = (b.value for b in bounds)
        if not identity:  # a path inside a form: its box in page space
            xs, ys = zip(*(_apply(matrix, x, y) for x in (left, right) for y in (bottom, top)))
            left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
        w, h = right - left, top - bottom
        if w <= THIN and h >= MIN_RULE:
            segments.append(Segment(False, (left + right) / 2, height - top, height - bottom))
        elif h <= THIN and w >= MIN_RULE:
            segments.append(Segment(True, height - (top + bottom) / 2, left, right))
        elif w >= MIN_RULE and h >= MIN_RULE:
            segments.extend(_path_edges(obj, height, matrix))
    return images


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying ``inner`` then ``outer`` (PDF order a b c d e f)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _apply(matrix: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _path_edges(obj, height: float, outer: tuple = (1, 0, 0, 1, 0, 0)) -> list[Segment]:
    """The axis-parallel straight pieces of a path that is not itself a thin line (a stroked
    rectangle, or many rules drawn as one path)."""
    own = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(own)):
        return []
    matrix = _compose((own.a, own.b, own.c, own.d, own.e, own.f), outer)
    count = pdfium_c.FPDFPath_CountSegments(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float, int, bool]] = []
    for index in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        px, py = _apply(matrix, x.value, y.value)
        points.append((px, height - py, pdfium_c.FPDFPathSegment_GetType(segment),
                       bool(pdfium_c.FPDFPathSegment_GetClose(segment))))
    edges: list[Segment] = []
    start = None
    previous = None
    for px, py, kind, closes in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or previous is None:
            start = previous = (px, py)
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO:
            _add_edge(edges, previous, (px, py))
        previous = (px, py)
        if closes and start is not None:
            _add_edge(edges, previous, start)
            previous = start
    return edges


def _add_edge(edges: list[Segment], a: tuple[float, float], b: tuple[float, float]) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) <= 0.5 and abs(ax - bx) >= MIN_RULE:
        edges.append(Segment(True, (ay + by) / 2, min(ax, bx), max(ax, bx)))
    elif abs(ax - bx) <= 0.5 and abs(ay - by) >= MIN_RULE:
        edges.append(Segment(False, (ax + bx) / 2, min(ay, by), max(ay, by)))


# --- grids ---------------------------------------------------------------------------------

def _touch(a: Segment, b: Segment) -> bool:
    if a.horizontal == b.horizontal:
        return abs(a.at - b.at) <= SNAP and a.start <= b.end + TOUCH and b.start <= a.end + TOUCH
    h, v = (a, b) if a.horizontal else (b, a)
    return (h.start - TOUCH <= v.at <= h.end + TOUCH) and (v.start - TOUCH <= h.at <= v.end + TOUCH)


def _grids(segments: list[Segment]) -> list[Grid]:
    if not segments:
        return []
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # sweep by vertical extent so only segments that can touch are compared
    boxes = []
    for i, s in enumerate(segments):
        if s.horizontal:
            boxes.append((s.at - TOUCH, s.at + TOUCH, s.start - TOUCH, s.end + TOUCH, i))
        else:
            boxes.append((s.start - TOUCH, s.end + TOUCH, s.at - TOUCH, s.at + TOUCH, i))
    boxes.sort()
    active: list[tuple[float, float, float, float, int]] = []
    for box in boxes:
        top, bottom, x0, x1, i = box
        active = [a for a in active if a[1] >= top]
        for a in active:
            if a[2] <= x1 and x0 <= a[3] and _touch(segments[a[4]], segments[i]):
                ra, rb = find(a[4]), find(i)
                if ra != rb:
                    parent[ra] = rb
        active.append(box)
    groups: dict[int, list[Segment]] = {}
    for i, s in enumerate(segments):
        groups.setdefault(find(i), []).append(s)
    grids = []
    for members in groups.values():
        grid = _grid(members)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: (g.top, g.x0))
    return grids


def _snap(values: list[float]) -> list[float]:
    snapped: list[float] = []
    for value in sorted(values):
        if snapped and value - snapped[-1] <= SNAP:
            continue
        snapped.append(value)
    return snapped


def _merge_collinear(segments: list[Segment]) -> list[Segment]:
    """Rules drawn in pieces (one per cell edge) joined into whole lines."""
    merged: list[Segment] = []
    for segment in sorted(segments, key=lambda s: (s.at, s.start)):
        for other in reversed(merged[-8:]):
            if abs(other.at - segment.at) <= SNAP and segment.start <= other.end + TOUCH:
                other.end = max(other.end, segment.end)
                break
        else:
            merged.append(Segment(segment.horizontal, segment.at, segment.start, segment.end))
    return merged


def _grid(members: list[Segment]) -> Grid | None:
    horizontals = _merge_collinear([s for s in members if s.horizontal])
    verticals = _merge_collinear([s for s in members if not s.horizontal])
    if len(horizontals) < 2 or len(verticals) < 2:
        return None  # an underline or a frame, not a table
    rows = _snap([s.at for s in horizontals])
    columns = _snap([s.at for s in verticals])
    bands = []
    for top, bottom in zip(rows, rows[1:]):
        if bottom - top <= SNAP:
            continue
        middle_top, middle_bottom = top + (bottom - top) * 0.3, bottom - (bottom - top) * 0.3
        crossing = _snap([v.at for v in verticals if v.start <= middle_top and v.end >= middle_bottom])
        if len(crossing) < 2:
            continue
        bands.append(Band(top, bottom, [Cell(a, b) for a, b in zip(crossing, crossing[1:])]))
    if not bands:
        return None
    return Grid(min(s.start for s in horizontals), max(s.end for s in horizontals),
                rows[0], rows[-1], bands, columns)


def _place_chars(chars: list[Char], grids: list[Grid]) -> list[Char]:
    """Put each character into the grid cell holding its centre; return the others."""
    outside = []
    for char in chars:
        cx, cy = char.cx, char.cy
        for grid in grids:
            if grid.x0 - 1 <= cx <= grid.x1 + 1 and grid.top - 1 <= cy <= grid.bottom + 1:
                cell = _cell_at(grid, cx, cy)
                if cell is not None:
                    cell.chars.append(char)
                    break
        else:
            outside.append(char)
    return outside


def _cell_at(grid: Grid, cx: float, cy: float) -> Cell | None:
    tops = [band.top for band in grid.bands]
    index = bisect.bisect_right(tops, cy) - 1
    if index < 0 or cy > grid.bands[index].bottom:
        return None
    cells = grid.bands[index].cells
    starts = [cell.x0 for cell in cells]
    position = bisect.bisect_right(starts, cx) - 1
    if position < 0 or cx > cells[position].x1:
        return None
    return cells[position]


# --- text ----------------------------------------------------------------------------------

def text_lines(chars: list[Char]) -> list[tuple[float, float, list[Char]]]:
    """Characters grouped into visual lines, top to bottom: (top, bottom, chars left to right)."""
    lines: list[list] = []
    for char in sorted(chars, key=lambda c: (c.cy, c.x0)):
        height = max(char.bottom - char.top, 1.0)
        if lines and abs(char.cy - lines[-1][3]) <= max(height, lines[-1][4]) * 0.5:
            line = lines[-1]
            line[2].append(char)
            line[0], line[1] = min(line[0], char.top), max(line[1], char.bottom)
        else:
            lines.append([char.top, char.bottom, [char], char.cy, height])
    return [(top, bottom, sorted(members, key=lambda c: c.x0)) for top, bottom, members, _, _ in lines]


def join_chars(chars: list[Char]) -> str:
    """A cell's text: its visual lines joined without a separator (a wrapped name continues
    on the next line), a space where characters on one line stand apart by more than a
    character's width (between words, not letter-spacing)."""
    if not chars:
        return ""
    parts = []
    for _, _, members in text_lines(chars):
        line = []
        previous = None
        for char in members:
            if previous is not None:
                width = max(previous.x1 - previous.x0, char.x1 - char.x0, 1.0)
                if char.x0 - previous.x1 > width * 1.5 and (char.text.isascii() or previous.text.isascii()):
                    line.append(" ")
            line.append(char.text)
            previous = char
        parts.append("".join(line))
    return "".join(parts)


def line_text(chars: list[Char]) -> str:
    """A visual line outside a grid, with a space where characters stand apart (PDFium's
    loose boxes touch between neighbouring characters of a word or a number)."""
    out = []
    previous = None
    for char in chars:
        if previous is not None:
            width = min(previous.x1 - previous.x0, char.x1 - char.x0)
            if char.spaced or char.x0 - previous.x1 > max(1.5, width * 0.3):
                out.append(" ")
        out.append(char.text)
        previous = char
    return "".join(out)
