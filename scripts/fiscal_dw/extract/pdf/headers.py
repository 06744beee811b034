"""The header of a ruled table: which top bands are header (bands of header words only), the
table's columns (the finest partition by its vertical rules), and each column named by every
header cell above it, then mapped onto a raw-table column by its label (``columns``)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from fiscal_dw.extract.final_accounts import table_titles as tt
from fiscal_dw.extract.pdf import columns as col
from fiscal_dw.extract.pdf.geometry import Band, Grid
from fiscal_dw.extract.text import is_decimal_amount, squeeze

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_TOTAL_WORDS = {"合计", "总计"}
# words a header cell is made of (a band of only these, before any body band, is header)
_HEADER_WORDS = sorted({
    "财政拨款三公经费", "三公经费", "因公出国（境）费", "因公出国(境)费", "公务用车购置及运行维护费",
    "公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费", "公务用车运行费", "公务接待费",
    "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "一般公共预算",
    "政府性基金预算", "国有资本经营预算", "政府性基金", "国有资本经营",
    "支出功能分类科目编码", "支出经济分类科目编码", "经济分类科目编码", "功能分类科目编码",
    "支出功能分类", "支出经济分类", "经济分类", "功能分类", "科目编码", "科目名称", "科目", "编码",
    "名称", "代码", "本年收入合计", "本年支出合计", "年初结转和结余", "年末结转和结余", "结转和结余",
    "本年收入", "本年支出", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出",
    "财政拨款收入", "财政拨款", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入",
    "人员经费", "公用经费", "决算数", "预算数", "决算", "预算", "金额", "合计", "小计", "项目", "收入",
    "支出", "行次", "栏次", "类", "款", "项", "单位：万元", "万元", "数", "甲", "乙", "丙", "丁",
}, key=len, reverse=True)
_HEADER_RE = re.compile("(?:" + "|".join(re.escape(w) for w in _HEADER_WORDS) + r"|\d{1,2}|[、，,。:：()（）])+")


def is_header_text(text: str) -> bool:
    """Header words, or a piece of one (a header cell wraps over lines that a rule between
    bands of a neighbouring column splits: 附属单 / 位上 / 缴收入)."""
    cleaned = col.clean(text)
    if not cleaned or _HEADER_RE.fullmatch(cleaned):
        return True
    return not any(ch.isdigit() for ch in cleaned) and any(cleaned in word for word in _HEADER_WORDS)


@dataclass
class Leaf:
    x0: float
    x1: float
    pieces: list[str] = field(default_factory=list)
    field: str | None = None
    side: str = ""

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


def split_header(grid: Grid, first: bool = False, any_words: bool = False) -> tuple[list[Band], list[Band]]:
    """(header bands, body bands). Header: the top bands made of header words only, up to
    the first band with an amount, a code, a lone 合计/总计 or other text. Blank bands do not
    decide; a header of blank bands only is no header (a continued table)."""
    header: list[Band] = []
    for index, band in enumerate(grid.bands):
        texts = [squeeze(t) for t in band.texts()]
        filled = [t for t in texts if t]
        if not filled:
            header.append(band)
            continue
        lone_total = len(filled) == 1 and filled[0] in _TOTAL_WORDS and len(texts) >= 3
        numbers = any(is_decimal_amount(t) or _CODE.match(t) for t in filled)
        # the first printed band of a table's first grid is its header whatever its words
        # (then its columns may be unrecognised, and are reported)
        opening = first and not any(not b.empty for b in header)
        if lone_total or numbers or not (opening or any_words or all(is_header_text(t) for t in filled)):
            break
        header.append(band)
    else:
        index = len(grid.bands)
    if not any(not band.empty for band in header):
        return [], grid.bands  # no header printed: every band is body (blank ones are skipped)
    printed = [squeeze(t) for band in header for t in band.texts() if squeeze(t)]
    if not first and all(t.isdigit() for t in printed):
        # a continued page starting with a row of 行次 numbers only (收入支出决算总表's empty
        # line 30 / 61): numbers alone name no column, so it is the table's first body row
        return [], grid.bands
    while header[-1].empty:  # blank rows under the header are the table's (blank) body
        header.pop()
        index -= 1
    return header, grid.bands[index:]


def column_leaves(bands: list[Band]) -> list[Leaf]:
    """The table's columns: the finest partition of the grid by its vertical rules."""
    edges: list[float] = []
    for band in bands:
        for cell in band.cells:
            for x in (cell.x0, cell.x1):
                if not any(abs(x - e) <= 2.0 for e in edges):
                    edges.append(x)
    edges.sort()
    return [Leaf(a, b) for a, b in zip(edges, edges[1:]) if b - a > 2.0]


def covered_leaves(leaves: list[Leaf], x0: float, x1: float) -> list[int]:
    return [i for i, leaf in enumerate(leaves) if x0 - 1 <= leaf.cx <= x1 + 1]


def name_leaves(header: list[Band], body: list[Band], leaves: list[Leaf]) -> None:
    for band in header:
        for cell in band.cells:
            text = cell.text
            if not squeeze(text):
                continue
            for i in covered_leaves(leaves, cell.x0, cell.x1):
                leaves[i].pieces.append(text)
    # a template prints 类/款/项 in the first body band, beside the 合计 row
    if body:
        for cell in body[0].cells:
            if squeeze(cell.text) in ("类", "款", "项"):
                for i in covered_leaves(leaves, cell.x0, cell.x1):
                    leaves[i].pieces.append(squeeze(cell.text))


def assign_fields(kind: str, leaves: list[Leaf]) -> None:
    if kind in (tt.INCOME_EXPENDITURE_SUMMARY, tt.APPROPRIATION_SUMMARY):
        side = ""
        for leaf in leaves:  # a column without 收入/支出 above it belongs to the side on its left
            side = col.summary_side(leaf.pieces) or side
            leaf.side = side
            leaf.field = col.summary_field(kind, side, leaf.pieces) if side else None
        return
    if kind == tt.THREE_PUBLIC:
        for leaf in leaves:
            found = col.three_public_column(leaf.pieces)
            leaf.field = f"{found[0]}:{found[1]}" if found else None
        return
    fund_layout = col.is_fund_layout([leaf.pieces for leaf in leaves])
    group = 0
    previous_was_label = False
    for leaf in leaves:
        label = col.label_field(leaf.pieces)
        if label is not None:
            if label in (col.CODE, col.CODE_CLASS) and not previous_was_label and leaf is not leaves[0]:
                group += 1  # another side of a two- or three-sided table
            leaf.field = label
            previous_was_label = True
        else:
            leaf.field = col.amount_field(kind, leaf.pieces, fund_layout)
            previous_was_label = False
        leaf.side = str(group)
    # a 科目编码 header spanning two or three columns without 类/款/项 under it: the parts in order
    index = 0
    while index < len(leaves):
        run = index
        while run < len(leaves) and leaves[run].field == col.CODE and leaves[run].side == leaves[index].side:
            run += 1
        if run - index in (2, 3):
            for leaf, part in zip(leaves[index:run], (col.CODE_CLASS, col.CODE_KUAN, col.CODE_XIANG)):
                leaf.field = part
        index = max(run, index + 1)


def required_columns(kind: str, leaves: list[Leaf]) -> list[str]:
    """What a table of this kind cannot be read without, or two columns with one name (a
    value would not know its column); empty when all is there."""
    fields = {leaf.field for leaf in leaves if leaf.field}
    seen: dict[tuple[str, str], int] = {}
    for leaf in leaves:
        if leaf.field and leaf.field not in col.LABEL_FIELDS and leaf.field != "item_name":
            seen[(leaf.side, leaf.field)] = seen.get((leaf.side, leaf.field), 0) + 1
    twice = sorted(field for (_, field), count in seen.items() if count > 1)
    if twice:
        return [f"two columns named {field}" for field in twice]
    if kind in (tt.INCOME_EXPENDITURE_SUMMARY, tt.APPROPRIATION_SUMMARY):
        needed = []
        for side in ("income", "expenditure"):
            own = {leaf.field for leaf in leaves if leaf.side == side}
            if "item_name" not in own or "amount" not in own:
                needed.append(f"{side} item and amount")
        return needed
    if kind == tt.THREE_PUBLIC:
        return [] if len(fields) == 12 else ["twelve budget/actual columns"]
    needed = []
    if not fields & {col.CODE, col.CODE_CLASS} and kind != tt.BASIC_EXPENDITURE_BY_ECONOMIC:
        needed.append("code")
    if col.NAME not in fields:
        needed.append("name")
    if not fields - col.LABEL_FIELDS:
        needed.append("amounts")
    return needed


def matching_leaf(leaf: Leaf, known: list[Leaf]) -> Leaf | None:
    """The column of the page before with the same rules as this one, if any."""
    return next((k for k in known if abs(k.x0 - leaf.x0) <= 3 and abs(k.x1 - leaf.x1) <= 3), None)
