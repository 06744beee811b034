"""Tables printed without vertical rules (horizontal rules only, or none), read from the text's
geometry and handed to the table reader as a grid of their own (``virtual_grids``).

Rows are baselines: characters on one baseline are a line, and lines closer than a text line's
height are one printed row (a name wrapped in its cell). A line is cut into chunks where the
characters stand apart by more than a column gap. The header is the run of lines of header words
just above the first row with an amount or a code. Columns come from the body and the header:
body chunks whose extents overlap from row to row are one column; its cell follows from its
alignment and the header cell printed over it, centred in the cell (amounts are right-aligned:
the cell ends at their right edge and is as wide again to the left of the header's centre;
names are left-aligned; split code parts are centred). A header over a column that prints no
value makes a column of its own. A header chunk names the columns its extent overlaps; a line of
group headers (收入 / 支出, 预算数 / 决算数) whose midpoints split the columns into runs each
centred under its chunk names those runs. A value is placed only when its box overlaps exactly
one column; otherwise the row keeps it apart as unplaced (``Band.unplaced``), and the reader
reports it. A blank cell is a column without a chunk in the row: blank, not missing."""
from __future__ import annotations

import re
from dataclasses import dataclass

from fiscal_dw.extract.pdf.geometry import Band, Cell, Char, Grid, Page
from fiscal_dw.extract.pdf.headers import is_header_text
from fiscal_dw.extract.text import is_decimal_amount, squeeze

GAP = 3.0        # pt between two characters that separates two printed values
PAD = 1.5        # a cell's margin around what it prints
ALIGNED = 1.5    # edges this close are one alignment
_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_UNIT = re.compile(r"^[（(]?(?:金额)?单位[:：]")
_TOTAL = re.compile(r"(?:合计|总计)$")


@dataclass
class Chunk:
    chars: list[Char]
    line: int = 0       # the header line it is printed on, top = 0
    last_line: int = 0  # the line of its last part (a header cell's text wrapped)

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def number(self) -> bool:
        return bool(_NUMBER.match(self.text))


@dataclass
class Line:
    row: int                  # the row on the page of the text line it starts
    baseline: float
    height: float
    chunks: list[Chunk]

    @property
    def kind(self) -> str:
        texts = [squeeze(c.text) for c in self.chunks]
        # a lone 合计 is the total row of a table printed without figures
        if any(is_decimal_amount(t) or _CODE.match(t) for t in texts) or texts in (["合计"], ["总计"]):
            return "body"
        if all(is_header_text(t) for t in texts):
            return "header"
        return "other"


@dataclass
class Column:
    x0: float
    x1: float
    kind: str = ""            # what its body prints: "number", "code" or "text"; "" if nothing
    reliable: bool = False    # the cell follows from values printed in it

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def _chunks(chars: list[Char]) -> list[Chunk]:
    out: list[Chunk] = []
    for char in sorted(chars, key=lambda c: c.x0):
        if out and char.x0 - out[-1].x1 <= GAP and not char.spaced:
            out[-1].chars.append(char)
        else:
            out.append(Chunk([char]))
    return out


def page_lines(page: Page, entries: list[tuple[int, int]]) -> list[Line]:
    """The lines (by baseline) of the given text lines of a page: (row on page, char_lines index)."""
    row_of: dict[int, int] = {}
    chars: list[Char] = []
    for row, index in entries:
        for char in page.char_lines[index][2]:
            row_of[id(char)] = row
            chars.append(char)
    lines: list[Line] = []
    group: list[Char] = []
    for char in sorted(chars, key=lambda c: (c.bottom, c.x0)):
        if group and abs(char.bottom - group[0].bottom) > 1.0:
            lines.append(_line(group, row_of))
            group = []
        group.append(char)
    if group:
        lines.append(_line(group, row_of))
    return lines


def _line(chars: list[Char], row_of: dict[int, int]) -> Line:
    height = max(c.bottom - c.top for c in chars)
    return Line(min(row_of[id(c)] for c in chars), chars[0].bottom, height, _chunks(chars))


def split_lines(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """(header, body): the header is the last run of header lines above the first line with an
    amount or a code (rows printed without either may stand between them); what stands above
    it (label, unit, department) is neither. Without a header every line is body (a page
    continuing the table)."""
    kinds = [line.kind for line in lines]
    first = next((i for i, kind in enumerate(kinds) if kind == "body"), None)
    if first is None:
        return [], []
    end = first
    while end > 0 and kinds[end - 1] == "other":
        end -= 1
    start = end
    while start > 0 and kinds[start - 1] == "header":
        start -= 1
    # numbers alone name no column: a line of 行次 only under the header (a blank line of a
    # summary) is body, unless it numbers the columns 1, 2, 3, … (a 栏次 row)
    while end > start and not _numbering(lines[end - 1]) and all(
            squeeze(c.text).isdigit() for c in lines[end - 1].chunks):
        end -= 1
    header = [line for line in lines[start:end]
              if not all(_UNIT.match(squeeze(c.text)) or squeeze(c.text) == "万元" for c in line.chunks)]
    if not header:
        return [], lines
    return header, lines[end:]


def _numbering(line: Line) -> bool:
    numbers = [squeeze(c.text) for c in line.chunks]
    return numbers == [str(i + 1) for i in range(len(numbers))]


def line_key(line: Line) -> str:
    return "|".join(squeeze(c.text) for c in line.chunks)


def body_rows(lines: list[Line]) -> list[list[Line]]:
    """Lines closer than a text line's height are one row (a cell's text wrapped)."""
    rows: list[list[Line]] = []
    for line in lines:
        if rows and line.baseline - rows[-1][-1].baseline <= 1.3 * max(line.height, rows[-1][-1].height):
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _header_chunks(header: list[Line]) -> list[Chunk]:
    """Header chunks with their line; a header cell's text wrapped over two lines (centred on
    one another, a line apart) joined into one chunk."""
    out: list[Chunk] = []
    for number, line in enumerate(header):
        for chunk in line.chunks:
            if _UNIT.match(squeeze(chunk.text)):
                continue
            # the line above it in its cell may be further up than the line before (a header
            # line of the other cells' centres can stand between the two)
            above = next((c for c in out if abs(c.cx - chunk.cx) <= 2.0
                          and 0 < line.baseline - c.chars[-1].bottom <= 1.3 * line.height), None)
            if above is not None:
                above.chars.extend(chunk.chars)
                above.last_line = number
                continue
            chunk.line = chunk.last_line = number
            out.append(chunk)
    return out


def _clusters(rows: list[list[Line]]) -> list[list[Chunk]]:
    """Body chunks whose extents overlap from row to row: one column each (total labels, printed
    across the label columns, are left out)."""
    chunks = [c for row in rows for line in row for c in line.chunks if not _TOTAL.search(c.text)]
    by_edge = sorted(chunks, key=_edge)
    aligned = {id(c) for a, b in zip(by_edge, by_edge[1:]) if _edge(b) - _edge(a) <= ALIGNED for c in (a, b)}
    chunks = [c for c in chunks if not _stray(c, chunks, aligned)]
    chunks.sort(key=lambda c: c.x0)
    clusters: list[list[Chunk]] = []
    right = float("-inf")
    for chunk in chunks:
        if clusters and chunk.x0 <= right + 0.5:
            clusters[-1].append(chunk)
            right = max(right, chunk.x1)
        else:
            clusters.append([chunk])
            right = chunk.x1
    return clusters


def _edge(chunk: Chunk) -> float:
    """Where a chunk is aligned: an amount by its right edge, other text by its left."""
    return chunk.x1 if chunk.number and not _CODE.match(chunk.text) else chunk.x0


def _stray(chunk: Chunk, chunks: list[Chunk], aligned: set[int]) -> bool:
    """A value aligned with no other but standing over values that are aligned: it does not
    shape their column (it is placed or not later, by its own box)."""
    return id(chunk) not in aligned and any(
        id(o) in aligned and o.x0 < chunk.x1 and chunk.x0 < o.x1 for o in chunks)


def _kind(cluster: list[Chunk]) -> str:
    if all(_CODE.match(c.text) for c in cluster):
        return "code"
    return "number" if all(c.number for c in cluster) else "text"


def _cell(cluster: list[Chunk], headers: list[Chunk], used: set[int],
          others: list[tuple[float, float]]) -> Column:
    """The cell of one body column, from its alignment and the header centred over it: of the
    headers whose centred cell would hold the column's values and no other column's, the one
    on the lowest header line (the column's own, under its group), then the nearest."""
    x0s, x1s = [c.x0 for c in cluster], [c.x1 for c in cluster]
    left, right = min(x0s), max(x1s)
    kind = _kind(cluster)
    # amounts are right-aligned; codes and names left-aligned or centred (codes of one length
    # line up on both edges: the header over them decides)
    alignments = ["right", "centre", "left"] if kind == "number" else ["left", "centre", "right"]
    if kind == "number" and all(c.text.isdigit() for c in cluster):
        alignments = ["centre", "right", "left"]  # 行次 numbers: centred under their header
    centres = [(c.x0 + c.x1) / 2 for c in cluster]
    middle = sum(centres) / len(centres)

    def free(x0: float, x1: float) -> bool:
        return not any(a < x1 - 0.5 and x0 + 0.5 < b for a, b in others)

    for alignment in alignments:
        found: list[tuple[Chunk, float, float]] = []
        if alignment == "right" and max(x1s) - min(x1s) <= ALIGNED:
            found = [(h, 2 * h.cx - right, right) for h in headers
                     if h.cx < right and 2 * h.cx - right <= left + 1.0]
            nearest = lambda h: -h.cx  # noqa: E731
        elif alignment == "left" and max(x0s) - min(x0s) <= ALIGNED:
            found = [(h, left, 2 * h.cx - left) for h in headers
                     if h.cx > left and 2 * h.cx - left >= right - 1.0]
            nearest = lambda h: h.cx  # noqa: E731
        elif alignment == "centre" and max(centres) - min(centres) <= ALIGNED:
            found = [(h, min(left, 2 * middle - h.x1), max(right, 2 * middle - h.x0)) for h in headers
                     if abs(h.cx - middle) <= 3.0]
            nearest = lambda h: abs(h.cx - middle)  # noqa: E731
        # a column's own header is the only one of its line or a lower line in its cell
        found = [(h, a, b) for h, a, b in found if free(a, b) and not any(
            o is not h and o.line >= h.line and a < o.cx < b for o in headers)]
        if found:
            chosen, a, b = min(found, key=lambda item: (-item[0].last_line, nearest(item[0])))
            used.add(id(chosen))
            return Column(a - PAD, b + PAD, kind, True)
    over = [h for h in headers if h.x0 < right and h.x1 > left]
    if over:
        used.add(id(max(over, key=lambda h: h.last_line)))
    return Column(left - PAD, right + PAD, kind, True)


def _over_lower(chunk: Chunk, headers: list[Chunk]) -> bool:
    """Headers of lower lines stand under the chunk, or on both sides of it within its share of
    its own line (up to halfway to its neighbours there): it is a group header over them."""
    same = [h.cx for h in headers if h.line == chunk.line and h is not chunk]
    left = max((c for c in same if c < chunk.cx), default=float("-inf"))
    right = min((c for c in same if c > chunk.cx), default=float("inf"))
    low, high = (left + chunk.cx) / 2, (right + chunk.cx) / 2
    lower = [h for h in headers if h.line > chunk.last_line and low < h.cx < high]
    return any(h.x0 < chunk.x1 and chunk.x0 < h.x1 for h in lower) or (
        any(h.cx < chunk.cx for h in lower) and any(h.cx > chunk.cx for h in lower))


def _straddles(chunk: Chunk, headers: list[Chunk]) -> bool:
    """A header centred between two headers of a lower line: it spans their columns."""
    lower = [h for h in headers if h.line > chunk.last_line]
    before = max((h for h in lower if h.cx < chunk.cx), key=lambda h: h.cx, default=None)
    after = min((h for h in lower if h.cx > chunk.cx), key=lambda h: h.cx, default=None)
    return before is not None and after is not None and abs((before.cx + after.cx) / 2 - chunk.cx) <= 3.0


def _tile(columns: list[Column]) -> list[Column]:
    """Columns left to right, each ending where the next begins."""
    columns.sort(key=lambda c: c.cx)
    for a, b in zip(columns, columns[1:]):
        if a.x1 >= b.x0 or a.reliable == b.reliable:
            edge = (a.x1 + b.x0) / 2
        else:
            edge = a.x1 if a.reliable else b.x0
        a.x1 = b.x0 = edge
    return [c for c in columns if c.x1 - c.x0 > 0.5]


def columns_of(header: list[Line], rows: list[list[Line]]) -> tuple[list[Column], list[Chunk]]:
    headers = _header_chunks(header)
    used: set[int] = set()
    clusters = _clusters(rows)
    extents = [(min(c.x0 for c in cluster), max(c.x1 for c in cluster)) for cluster in clusters]
    columns = [_cell(cluster, headers, used, extents[:i] + extents[i + 1:])
               for i, cluster in enumerate(clusters)]
    # a header over a column that prints nothing: a column of its own, when it is on the
    # lowest header line, beside a column's own header or over nothing printed lower (a group
    # header is none of these)
    lines_used = {n for h in headers if id(h) in used for n in range(h.line, h.last_line + 1)}
    lines_used.add(max((h.last_line for h in headers), default=0))
    for chunk in sorted(headers, key=lambda h: -h.last_line):
        if id(chunk) in used or _straddles(chunk, headers):
            continue
        if not lines_used & set(range(chunk.line, chunk.last_line + 1)) and _over_lower(chunk, headers):
            continue
        if any(c.x0 < chunk.x1 and chunk.x0 < c.x1 for c in columns):
            continue
        columns.append(Column(chunk.x0 - PAD, chunk.x1 + PAD))
        used.add(id(chunk))
    for chunk in headers:  # an empty column is as wide as the headers over it alone
        over = [c for c in columns if c.x0 < chunk.x1 and chunk.x0 < c.x1]
        if len(over) == 1 and not over[0].reliable:
            over[0].x0, over[0].x1 = min(over[0].x0, chunk.x0 - PAD), max(over[0].x1, chunk.x1 + PAD)
    return _tile(columns), headers


def _over(columns: list[Column], x0: float, x1: float) -> list[int]:
    return [i for i, c in enumerate(columns) if c.x0 < x1 - 0.5 and x0 + 0.5 < c.x1]


def _runs(columns: list[Column], chunks: list[Chunk]) -> list[list[int]]:
    """The columns each header chunk of one line names: those it overlaps, or, when the line's
    midpoints split the columns into runs each centred under its chunk, those runs."""
    direct = [_over(columns, c.x0, c.x1) for c in chunks]
    if len(chunks) < 2:
        return direct
    ordered = sorted(range(len(chunks)), key=lambda i: chunks[i].cx)
    cuts = [(chunks[a].cx + chunks[b].cx) / 2 for a, b in zip(ordered, ordered[1:])]
    bounds = [float("-inf"), *cuts, float("inf")]
    runs: list[list[int]] = [[] for _ in chunks]
    for position, i in enumerate(ordered):
        run = [j for j, c in enumerate(columns) if bounds[position] <= c.cx < bounds[position + 1]]
        if not run or not set(direct[i]) <= set(run):
            return direct
        first, last = columns[run[0]], columns[run[-1]]
        tolerance = 0.25 * min(first.x1 - first.x0, last.x1 - last.x0) + 1.0
        if abs((first.x0 + last.x1) / 2 - chunks[i].cx) > tolerance:
            return direct
        runs[i] = run
    return runs


def _band(columns: list[Column], pieces: list[tuple[list[int], list[Chunk]]], row: int,
          unplaced: list[tuple[str, float, float]] | None = None) -> Band:
    """A band whose cells tile the columns: one cell per run of columns named by chunks."""
    taken: dict[int, tuple[list[int], list[Chunk]]] = {}
    for run, chunks in pieces:
        if not run:
            continue
        merged = (sorted(set(run)), list(chunks))
        for i in run:
            if i in taken and taken[i] is not merged:
                other = taken[i]
                merged = (sorted(set(merged[0]) | set(other[0])), other[1] + merged[1])
        for i in merged[0]:
            taken[i] = merged
    cells: list[Cell] = []
    chars = [ch for _, chunks in pieces for c in chunks for ch in c.chars]
    index = 0
    while index < len(columns):
        if index in taken:
            run, chunks = taken[index]
            last = run[-1]
            cell_chars = [ch for c in chunks for ch in c.chars]
            cells.append(Cell(columns[index].x0, columns[last].x1, cell_chars))
            index = last + 1
        else:
            cells.append(Cell(columns[index].x0, columns[index].x1))
            index += 1
    top = min((c.top for c in chars), default=0.0)
    bottom = max((c.bottom for c in chars), default=0.0)
    return Band(top, bottom, cells, row=row, unplaced=unplaced or [])


def body_band(columns: list[Column], row: list[Line]) -> Band:
    spanning: list[tuple[list[int], Chunk]] = []
    unplaced: list[tuple[str, float, float]] = []
    single: dict[int, list[Chunk]] = {}
    for line in row:
        for chunk in line.chunks:
            over = _over(columns, chunk.x0, chunk.x1)
            if not over and columns:
                # beyond the table's outer edge (an outer column that printed nothing where the
                # header was read is only as wide as its header): nothing but that column is there
                if chunk.x1 <= columns[0].x0:
                    over = [0]
                elif chunk.x0 >= columns[-1].x1:
                    over = [len(columns) - 1]
            if len(over) == 1 and not (not chunk.number and columns[over[0]].kind == "number"):
                single.setdefault(over[0], []).append(chunk)
            elif chunk.number or not over:
                unplaced.append((chunk.text, chunk.x0, chunk.x1))
            else:
                # a label printed across columns, or over the amount column of one group and
                # into the next group's label (公用经费合计): it reaches the next text column
                last = over[-1]
                if columns[last].kind == "number":
                    last = next((j for j in range(last + 1, len(columns)) if columns[j].kind == "text"), last)
                spanning.append((list(range(over[0], last + 1)), chunk))
    for i, chunks in list(single.items()):  # two numbers side by side in one column: neither is certain
        numbers = [c for c in chunks if c.number]
        if len({round(c.chars[0].bottom) for c in numbers}) < len(numbers):
            unplaced.extend((c.text, c.x0, c.x1) for c in numbers)
            single[i] = [c for c in chunks if not c.number]
            if not single[i]:
                del single[i]
    pieces: list[tuple[list[int], list[Chunk]]] = []
    for run, chunk in spanning:  # a label spans only columns the row prints nothing else in
        free = [i for i in run if i not in single]
        kept = [i for i in free if i - free[0] == free.index(i)] if free else []
        if kept:
            pieces.append((kept, [chunk]))
        else:
            single.setdefault(run[0], []).append(chunk)
    for i, chunks in single.items():
        pieces.append(([i], sorted(chunks, key=lambda c: (c.chars[0].bottom, c.x0))))
    return _band(columns, pieces, row[0].row, unplaced)


def _widen(run: list[int], chunk: Chunk, runs: dict[int, list[int]], headers: list[Chunk],
           taken: set[int]) -> list[int]:
    """A group header centred over its sub-headers: its run grows by the sub-headers of the line
    under it standing pairwise left and right of it, as wide as each other (基本支出 over 小计 /
    人员经费 / 公用经费), up to a column another header of its line names."""
    below = [h for h in headers if h.line > chunk.last_line and runs[id(h)] and set(runs[id(h)]) <= set(run)]
    if not run or not below:
        return run
    line = min(h.line for h in below)
    siblings = [h for h in headers if h.line == line and runs[id(h)]]
    while True:
        left = next((h for h in siblings if runs[id(h)][-1] == run[0] - 1), None)
        right = next((h for h in siblings if runs[id(h)][0] == run[-1] + 1), None)
        if left is None or right is None or len(runs[id(left)]) != len(runs[id(right)]):
            return run
        grown = [*runs[id(left)], *run, *runs[id(right)]]
        added = set(grown) - set(run)
        between = {i for h in headers if chunk.last_line < h.line < line for i in runs[id(h)]}
        if taken & added or between & added:  # another header names them, or stands over them
            return run
        run = grown


def header_bands(columns: list[Column], header: list[Line], headers: list[Chunk]) -> list[Band]:
    runs: dict[int, list[int]] = {}
    tiled: set[int] = set()
    for number in range(len(header)):
        chunks = [h for h in headers if h.line == number]
        line_runs = _runs(columns, chunks)
        direct = [_over(columns, c.x0, c.x1) for c in chunks]
        for chunk, run in zip(chunks, line_runs):
            runs[id(chunk)] = run
        if line_runs != direct:
            tiled.update(id(c) for c in chunks)
    bands = []
    for number, line in enumerate(header):
        chunks = [h for h in headers if h.line == number]
        if not chunks:
            continue
        named = []
        for chunk in chunks:
            run = runs[id(chunk)]
            if id(chunk) not in tiled:
                taken = {i for other in headers if other is not chunk and other.line <= chunk.last_line
                         and chunk.line <= other.last_line for i in runs[id(other)]}
                run = _widen(run, chunk, runs, headers, taken)
            named.append((run, [chunk]))
        bands.append(_band(columns, named, line.row))
    return bands


def virtual_grids(entries: list[tuple[Page, int, int]]) -> list[tuple[Page, Grid]]:
    """One grid per page of an unruled table's lines (page, row on the page, char_lines index).
    The first page with a header gives the columns; a page continuing the table keeps them,
    its header printed again (the same lines) or not: what else it prints is body."""
    by_page: dict[int, tuple[Page, list[tuple[int, int]]]] = {}
    for page, row, index in entries:
        by_page.setdefault(page.number, (page, []))[1].append((row, index))
    carried: list[Column] = []
    printed_header: set[str] = set()
    out = []
    for page, page_entries in by_page.values():
        lines = page_lines(page, page_entries)
        if carried:
            first = next((i for i, line in enumerate(lines) if line_key(line) in printed_header), None)
            if first is not None and all(line.kind != "body" for line in lines[:first]):
                end = first
                while end < len(lines) and line_key(lines[end]) in printed_header:
                    end += 1
                header, body = lines[first:end], lines[end:]
            else:
                header, body = [], lines
        else:
            header, body = split_lines(lines)
        if not body:
            continue
        rows = body_rows(body)
        headers: list[Chunk] | None = None
        if not carried:
            if header:
                printed_header = {line_key(line) for line in header}  # before wrapped parts are joined
                carried, headers = columns_of(header, rows)
            else:
                # no header: the body's own columns, unnamed (the reader reports the table)
                carried = _tile([_cell(cluster, [], set(), []) for cluster in _clusters(rows)])
        columns = [Column(c.x0, c.x1, c.kind, c.reliable) for c in carried]
        if not columns:
            continue
        bands = header_bands(columns, header, headers if headers is not None else _header_chunks(header)) \
            if header else []
        body_bands = [body_band(columns, row) for row in rows]
        everything = bands + body_bands
        grid = Grid(columns[0].x0, columns[-1].x1, min(b.top for b in everything),
                    max(b.bottom for b in everything), everything, [c.x0 for c in columns] + [columns[-1].x1],
                    first_row=everything[0].row, header_bands=len(bands))
        out.append((page, grid))
    return out
