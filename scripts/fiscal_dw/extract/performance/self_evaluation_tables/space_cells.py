"""The space layout's text: lines and their space-separated fragments, and how wrapped
fragments are cut into cells (a space is a boundary; other cuts make each cell read as
wrapped text)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations

from fiscal_dw.extract.text import squeeze

PAGE_FOOTER = re.compile(r"^(-\s*\d+\s*-|\d+\s*/\s*\d+)$")
UNIT = re.compile(r"单位[：:](万元|元|千元|亿元)")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")
OPERATOR = re.compile(r"[≥≤><=＞＜＝]")
# Text a cell does not end with (the clause goes on in the next line of the same cell).
_OPEN_ENDINGS = ("、", "，", ",", "：", ":", "；", ";", "（", "(", "“", "《", "‘")
_OPEN_ENDING_PENALTY = 10_000


@dataclass(frozen=True)
class Line:
    number: int
    text: str

    @property
    def tokens(self) -> list[str]:
        return self.text.replace("\u3000", " ").split()

    @property
    def key(self) -> str:
        return squeeze(self.text)


@dataclass
class Fragment:
    """One space-separated token of a line inside a table."""

    text: str
    line: Line
    after_space: bool = False  # a space before it on the same line: a cell boundary
    alone: bool = True  # the only token of its line


def display_width(text: str) -> int:
    """Display width: CJK and fullwidth characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WFA" else 1 for char in text)


def is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


def is_amount(token: str) -> bool:
    return bool(_AMOUNT.match(token))


def cell_text(fragments: list[Fragment]) -> str:
    """A cell's text: wrapped lines joined without a break, same-line tokens with a space."""
    text = ""
    for index, fragment in enumerate(fragments):
        text += (" " if index and fragment.after_space else "") + fragment.text
    return text


def line_fragments(line: Line, tokens: list[str] | None = None) -> list[Fragment]:
    tokens = line.tokens if tokens is None else tokens
    alone = len(line.tokens) == 1
    return [Fragment(token, line, after_space=index > 0, alone=alone)
            for index, token in enumerate(tokens)]


def _raggedness(widths: list[int]) -> int:
    """How little a run of lines looks like one wrapped cell: all lines but the last should
    be as wide as the widest one (the column's wrap width)."""
    if len(widths) < 2:
        return 0
    wrap = max(widths)
    return sum((wrap - width) ** 2 for width in widths[:-1])


def cell_cost(part: list[Fragment]) -> int:
    """_raggedness, plus a penalty when the cell would end in the middle of a clause
    (a cell does not end with '、', '，', '：', an opening bracket or quote)."""
    cost = _raggedness([display_width(fragment.text) for fragment in part])
    if part and part[-1].text.endswith(_OPEN_ENDINGS):
        cost += _OPEN_ENDING_PENALTY
    return cost


def segment(fragments: list[Fragment], cells: int) -> list[list[Fragment]]:
    """Split consecutive fragments into at most `cells` cells.

    A space between two fragments is always a cell boundary, and so is a fragment that
    starts with a comparison operator (a target such as '≥95%'); the other boundaries are the
    ones that make every cell read best as wrapped text (see _raggedness). Surplus
    space-separated pieces are merged into the first cell.
    """
    if not fragments or cells <= 0:
        return []
    forced = [i for i in range(1, len(fragments))
              if fragments[i].after_space or OPERATOR.match(fragments[i].text)]
    if len(forced) >= cells - 1:
        cuts = forced[len(forced) - (cells - 1):] if cells > 1 else []
        return cut_at(fragments, cuts)
    free = [i for i in range(1, len(fragments)) if i not in forced]
    extra = min(cells - 1 - len(forced), len(free))
    best: tuple[int, list[int]] | None = None
    for chosen in combinations(free, extra):
        cuts = sorted([*forced, *chosen])
        cost = sum(cell_cost(part) for part in cut_at(fragments, cuts))
        if best is None or cost < best[0]:
            best = (cost, cuts)
    return cut_at(fragments, best[1] if best else forced)


def cut_at(fragments: list[Fragment], cuts: list[int]) -> list[list[Fragment]]:
    bounds = [0, *cuts, len(fragments)]
    return [fragments[bounds[i]:bounds[i + 1]] for i in range(len(bounds) - 1)]


def ordered_fields(header: str, markers: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    """Fields found in a squeezed header, in the order their markers appear."""
    found = []
    for name, keys in markers:
        positions = [header.find(key) for key in keys if key in header]
        if positions:
            found.append((min(positions), name))
    return [name for _, name in sorted(found)]


class HeaderRepeat:
    """A table header reprinted after a page break: from its first line to its last."""

    def __init__(self, header: list[Line]) -> None:
        self.first = header[0].key if header else None
        self.last = header[-1].key if header else None
        self.inside = False

    def skips(self, line: Line) -> bool:
        if self.first is None:
            return False
        if line.key == self.first:
            self.inside = True
        if self.inside:
            if line.key == self.last:
                self.inside = False
            return True
        return False
