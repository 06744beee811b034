"""The nine standard tables from page text whose empty cells are dropped (Shanghai template).

Input: a document as pdfplumber's ``page.extract_text()`` gives it, pages separated by form
feeds. One visual row per line, cells separated by one space, **empty cells left out**, wrapped
names split over the lines before and after the row's code and numbers, the two-sided tables
(收入支出决算总表, 财政拨款收入支出决算总表, 基本支出决算表) printed left half and right half on
one line, tables running on over the next page without a header.

Tables are found by their titles (``table_titles``), never by number or label, and end at
their ``注：`` line; a note under a table saying it is empty ("…故本表无数据") makes it
*declared empty*; a template instruction left in the document is reported as info.

Numbers keep their printed order, but a row that prints fewer numbers than its table has
columns does not say which columns they are in. Numbers are placed only when that is certain
(``placement``): the row prints every cell, or the printed identities of the row and of its
table leave one placement. What is not certain stays unplaced: the row is kept, the numbers
are listed in ``unplaced_values`` as printed, the columns they may belong to in
``missing_cells``, and a message names document, table, page and line.

Names are kept as printed (fragments joined without spaces, the code line's part in the
middle); in narrow columns pdfplumber may interleave the characters of two wrapped names, and
such a name is kept as printed and reported as info.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.final_accounts import table_titles as tt
from fiscal_dw.extract.final_accounts.placement import (
    RowIdentity,
    TableIdentity,
    Term,
    certain_cells,
    row_domain,
    solve,
)
from fiscal_dw.extract.rows import Extracted, RawRow, Reject
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.text import squeeze, to_decimal

INFO, WARNING = "info", "warning"

_AMOUNT = re.compile(r"^[-－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_FUNCTION_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_ECONOMIC_CODE = re.compile(r"^(?:30\d|31\d|399)(?:\d{2})?$")
_CODE_PART = re.compile(r"^\d{2}$")
_NUMBERED_ITEM = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_NOTE = re.compile(r"^注[：:]")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
_UNIT = re.compile(r"^(?:金额)?单位[：:]")
_TOTAL_LABELS = {"合计", "总计"}
# Header words of the functional tables that may share a line with the 合计 row.
_HEADER_WORDS = {"类", "款", "项", "科目编码", "科目名称", "功能分类", "项目"}

# Words of the functional tables' column headers (as wrapped in print), to tell the header's
# last line from the start of a name wrapped around the first row.
_COLUMN_WORDS = _HEADER_WORDS | {
    "合计", "决算数", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
    "附属单位上缴收入", "附属单位上缴", "附属单位", "上缴收入", "收入", "其他收入", "功能分", "类科目", "编码",
    "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出",
    "对附属单位补助", "对附属单位", "对附属单位补", "补助支出", "助支出", "支出", "功能分类科目编码",
    "年初结转和", "年末结转和", "结余", "本年收入", "本年支出", "年初结转和结余", "年末结转和结余",
    "一般公共预算财政拨款支出决算数", "项 目", "单位：万元"}

# Columns per table kind (raw table, columns in printed order).
FUNCTION_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    tt.INCOME_BY_FUNCTION: ("raw_income_by_function", (
        "total", "fiscal_appropriation", "superior_subsidy", "business_income",
        "operating_income", "affiliate_remittance", "other_income")),
    tt.EXPENDITURE_BY_FUNCTION: ("raw_expenditure_by_function", (
        "total", "basic", "project", "remit_to_superior", "operating", "subsidy_to_affiliates")),
    tt.GENERAL_BUDGET_EXPENDITURE: ("raw_expenditure_by_function", ("total", "basic", "project")),
    tt.GOVERNMENT_FUND: ("raw_government_fund_by_function", (
        "carryover_begin", "income", "expenditure_total", "expenditure_basic",
        "expenditure_project", "carryover_end")),
}
STATE_CAPITAL_WITH_CARRYOVER = FUNCTION_TABLES[tt.GOVERNMENT_FUND]
STATE_CAPITAL_EXPENDITURE = ("raw_expenditure_by_function", ("total", "basic", "project"))
SUMMARY_COLUMNS = ("amount", "general_budget", "gov_fund", "state_capital")
THREE_PUBLIC_ITEMS = ("total", "overseas_travel", "vehicles", "vehicle_purchase",
                      "vehicle_operation", "official_reception")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Message:
    severity: str
    text: str
    table_kind: str = ""
    page: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class FoundTable:
    kind: str
    label: str          # as printed ("" in the Shanghai template)
    title: str
    page: int | None
    line: int
    rows: int
    unplaced_rows: int
    declared_empty: str  # the note, when the table is printed empty with one


@dataclass
class PageTextTables(Extracted):
    layout: str = "page_text"
    messages: list[Message] = field(default_factory=list)
    # 收入支出决算总表's income side (name, amount; blank = 0), for 收入决算表's 合计 row
    summary_income: list[tuple[str, Decimal]] = field(default_factory=list)
    # 一般公共预算财政拨款支出决算表's certain cells by code ('合计' for its total row)
    general_budget: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    tables: list[FoundTable] = field(default_factory=list)


# --------------------------------------------------------------------------- text


@dataclass(frozen=True)
class Segment:
    """A physical line, or the part of it on one page when a form feed falls inside it."""

    line: int   # 1-based physical line of the file
    page: int
    text: str
    last_on_page: bool


def segments(document: SourceDocument) -> list[Segment]:
    pieces: list[tuple[int, int, str]] = []
    page = 1
    for number, text in enumerate(document.lines, start=1):
        parts = text.split("\f")
        for index, part in enumerate(parts):
            if index:
                page += 1
            pieces.append((number, page, part))
    result = []
    for index, (number, page, text) in enumerate(pieces):
        nxt = pieces[index + 1][1] if index + 1 < len(pieces) else page + 1
        result.append(Segment(number, page, text, nxt != page))
    return result


def _tokens(text: str) -> list[str]:
    return text.replace("\u3000", " ").split()


def is_amount(token: str) -> bool:
    return bool(_AMOUNT.match(token))


def _decimal(token: str) -> Decimal:
    return to_decimal(token.replace("－", "-"))


def _join(parts: list[str]) -> str:
    return "".join(parts)


# --------------------------------------------------------------------------- locating


@dataclass
class TableRegion:
    title: tt.TableTitle
    body: list[Segment]
    header: list[Segment] = field(default_factory=list)
    empty_note: str = ""
    note_segment: Segment | None = None


def locate(document: SourceDocument, result: PageTextTables) -> list[TableRegion]:
    segs = segments(document)
    titles = tt.find_titles(document.lines)
    starts = []
    for title in titles:
        line = title.line_index + 1
        candidates = [i for i, s in enumerate(segs) if s.line == line and (
            title.page is None or s.page == title.page)]
        starts.append(candidates[-1] if candidates else None)
    regions = []
    for position, (title, start) in enumerate(zip(titles, starts)):
        if start is None:
            continue
        stop = next((s for s in starts[position + 1:] if s is not None), len(segs))
        region = TableRegion(title, [])
        in_body = True
        for seg in segs[start + 1:stop]:
            text = seg.text.strip()
            normal = squeeze(text)
            if not normal:
                continue
            instruction = tt.is_template_instruction(text)
            note = tt.is_empty_table_note(text)
            if note:
                region.empty_note = note
            if instruction:
                result.messages.append(Message(
                    INFO, f"template instruction left in the document: {instruction}",
                    title.kind, seg.page, seg.line))
            if note or instruction:
                continue
            if _PART_HEADING.match(normal):
                break
            if _NOTE.match(normal):
                region.note_segment = seg
                in_body = False
                continue
            if not in_body or _UNIT.match(normal):
                continue
            if seg.last_on_page and normal.isdigit() and len(normal) <= 3:
                continue  # a page number
            if tt.match_title(text):
                continue  # the title repeated (续表) on a new page
            region.body.append(seg)
        regions.append(region)
    return regions


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    """A printed row: code or label, name fragments, numbers as printed."""

    code: str
    label: str
    inline: list[str]
    numbers: list[str]
    line: int
    page: int
    head: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    inside: list[str] = field(default_factory=list)  # text between a code-only line and its numbers
    awaiting_numbers: bool = False

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return _join(self.head + self.inline + self.inside + self.tail)


def _leading_code(tokens: list[str], code_re: re.Pattern) -> tuple[str, int]:
    """A code at the start of the line, joined when printed split ('201 06 01', '301 01')."""
    if not tokens or not code_re.match(tokens[0]):
        return "", 0
    code, used = tokens[0], 1
    if len(code) == 3:
        while used < len(tokens) and len(code) < 7 and _CODE_PART.match(tokens[used]):
            code += tokens[used]
            used += 1
    return code, used


def _split_numbers(tokens: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(text before the numbers, the numbers, text after them) of a line's tokens."""
    first = next((i for i, t in enumerate(tokens) if is_amount(t)), len(tokens))
    last = max((i for i, t in enumerate(tokens) if is_amount(t)), default=first - 1)
    numbers = [t for t in tokens[first:last + 1] if is_amount(t)]
    between = [t for t in tokens[first:last + 1] if not is_amount(t)]
    return tokens[:first], numbers, between + tokens[last + 1:]


def function_rows(region: TableRegion, result: PageTextTables) -> list[Row]:
    """Rows of a functional-code table; header lines before the first row are set aside."""
    rows: list[Row] = []
    gaps: list[list[str]] = [[]]  # text lines before rows[0], between rows[i-1] and rows[i], …
    kind = region.title.kind
    for seg in region.body:
        tokens = _tokens(seg.text)
        code, used = _leading_code(tokens, _FUNCTION_CODE)
        label_at = next((i for i, t in enumerate(tokens) if t in _TOTAL_LABELS), None)
        is_total = not code and label_at is not None and all(
            t in _HEADER_WORDS for t in tokens[:label_at]) and (
            rows or any(is_amount(t) for t in tokens))
        if code or is_total:
            rest = tokens[used:] if code else tokens[label_at + 1:]
            before, numbers, after = _split_numbers(rest)
            row = Row(code, "" if code else tokens[label_at], before if code else [], numbers,
                      seg.line, seg.page)
            if is_total and (before or after):
                result.messages.append(Message(
                    INFO, f"header words printed on the {row.label} line left out: "
                    f"{' '.join(before + after)}", kind, seg.page, seg.line))
            elif after:
                row.tail.extend(after)
            row.awaiting_numbers = not numbers
            rows.append(row)
            gaps.append([])
            continue
        if not rows:
            region.header.append(seg)
            continue
        if all(is_amount(t) for t in tokens):
            last = rows[-1]
            if last.awaiting_numbers:
                last.numbers, last.line, last.page = tokens, seg.line, seg.page
                last.awaiting_numbers = False
                last.inside.extend(gaps[-1])
                gaps[-1] = []
            else:
                result.rejects.append(Reject(region.title.label, seg.line,
                                             "numbers without a row", seg.text))
            continue
        if any(is_amount(t) for t in tokens):
            result.rejects.append(Reject(region.title.label, seg.line,
                                         "numbers inside a line of text", seg.text))
            continue
        gaps[-1].append(_join(tokens))
    if rows and region.header and not (rows[0].inline or rows[0].label):
        last = region.header[-1]
        if not all(t in _COLUMN_WORDS for t in _tokens(last.text)):
            region.header.pop()
            gaps[0].append(_join(_tokens(last.text)))
    _assign_fragments(rows, gaps)
    for row in rows:
        if row.inside:
            result.messages.append(Message(
                INFO, f"{row.code}: name printed apart from its code and numbers, kept as "
                f"printed (wrapped names may be interleaved): {row.name}", kind, row.page, row.line))
    return rows


def _assign_fragments(rows: list[Row], gaps: list[list[str]]) -> None:
    """Give the text lines between rows to the row above (the rest of a wrapped name) or the
    row below (the start of a name wrapped around its code and numbers)."""
    for index, gap in enumerate(gaps):
        if not gap:
            continue
        above = rows[index - 1] if index > 0 else None
        below = rows[index] if index < len(rows) else None
        if above is None:
            below.head.extend(gap)
            continue
        if below is None:
            above.tail.extend(gap)
            continue
        named = lambda r: bool(r.inline or r.label or r.inside)  # noqa: E731
        following = gaps[index + 1] if index + 1 < len(gaps) else []
        if not named(below):
            above.tail.extend(gap[:-1])
            below.head.append(gap[-1])
        elif above.head or not named(above):
            above.tail.append(gap[0])
            below.head.extend(gap[1:])
        elif following and not (index + 1 < len(rows) and not named(rows[index + 1])):
            below.head.extend(gap)  # wrapped around its code line: a part above, a part below
        else:
            above.tail.extend(gap)


# --------------------------------------------------------------------------- code tables


def _row_identities(kind: str, columns: tuple[str, ...]) -> tuple[RowIdentity, ...]:
    if columns[0] == "total":  # 合计 = Σ the other columns
        return (RowIdentity(((0, 1),) + tuple((i, -1) for i in range(1, len(columns))),
                            "合计 = Σ columns"),)
    # carry-over tables: 支出合计 = 基本 + 项目; 年末 = 年初 + 收入 − 支出
    return (RowIdentity(((2, 1), (3, -1), (4, -1)), "支出合计 = 基本支出 + 项目支出"),
            RowIdentity(((5, 1), (0, -1), (1, -1), (2, 1)), "年末结转 = 年初结转 + 收入 − 支出"))


def _function_table_identities(rows: list[Row], columns: tuple[str, ...]) -> list[TableIdentity]:
    """parent = Σ children per column (by code prefix), 合计 = Σ 类 per column."""
    identities = []
    codes = {row.code: i for i, row in enumerate(rows) if row.code}
    children: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        if len(row.code) in (5, 7):
            parent = codes.get(row.code[: len(row.code) - 2])
            if parent is not None:
                children.setdefault(parent, []).append(i)
    totals = [i for i, row in enumerate(rows) if row.label == "合计"]
    classes = [i for i, row in enumerate(rows) if len(row.code) == 3]
    if totals and classes:
        children[totals[0]] = classes
    for parent, kids in children.items():
        for column, name in enumerate(columns):
            terms = (Term(parent, column, 1),) + tuple(Term(k, column, -1) for k in kids)
            identities.append(TableIdentity(
                terms, label=f"{rows[parent].code or rows[parent].label} = Σ its rows below, {name}"))
    return identities


# 公开02's 合计 row restates 公开01's income by source: (column, words of the 公开01 items).
_INCOME_SOURCES = (
    ("total", ("本年收入合计",)),
    ("fiscal_appropriation", ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")),
    ("superior_subsidy", ("上级补助",)),
    ("business_income", ("事业收入",)),
    ("operating_income", ("经营收入",)),
    ("affiliate_remittance", ("附属单位上缴",)),
    ("other_income", ("其他收入",)),
)


def _general_budget_anchors(rows: list[Row], columns: tuple[str, ...],
                            general: dict[str, dict[str, Decimal]]) -> list[TableIdentity]:
    """支出决算表 = 一般公共预算财政拨款支出决算表 row by row, when the two 合计 totals are
    equal: the general budget's spending is part of each cell of the 支出决算表 (amounts are
    not negative), so equal totals leave nothing for other money, and the 上缴上级 / 经营 /
    对附属单位补助 columns (which the general-budget table does not have) are blank."""
    total_row = next((i for i, row in enumerate(rows) if row.label == "合计"), None)
    general_total = general.get("合计", {}).get("total")
    if total_row is None or general_total is None or not rows[total_row].numbers:
        return []
    if abs(_decimal(rows[total_row].numbers[0]) - general_total) > Decimal("0.02"):
        return []
    identities = []
    for index, row in enumerate(rows):
        cells = general.get(row.code or row.label)
        for position, column in enumerate(columns):
            if position == 0:
                continue
            if column in ("basic", "project"):
                if cells is None or column not in cells:
                    continue
                value = cells[column]
            else:
                value = Decimal(0)
            identities.append(TableIdentity(
                (Term(index, position),), -value,
                f"{row.code or row.label} {column} = 一般公共预算财政拨款支出决算表 (equal 合计)"))
    return identities


def _income_anchors(rows: list[Row], columns: tuple[str, ...],
                    summary_income: list[tuple[str, Decimal]]) -> list[TableIdentity]:
    """收入决算表 合计 = 收入支出决算总表's income by source (each printed there with one
    amount, so certain), one identity per source column."""
    total = next((i for i, row in enumerate(rows) if row.label == "合计"), None)
    if total is None or not summary_income:
        return []
    identities = []
    for column, words in _INCOME_SOURCES:
        if column not in columns:
            continue
        matched = [amount for name, amount in summary_income if any(w in name for w in words)
                   and (column == "total" or _NUMBERED_ITEM.match(name))]
        if not matched:
            continue
        identities.append(TableIdentity(
            (Term(total, columns.index(column)),), -sum(matched, Decimal(0)),
            f"合计 {column} = 收入支出决算总表 {'+'.join(words)}"))
    return identities


def place_rows(rows_values: list[list[Decimal]], n_columns: int,
               row_identities: tuple[RowIdentity, ...],
               table_identities: list[TableIdentity]) -> tuple[list, list[str]]:
    """Domains of every row after the row and table identities, and notes about the table."""
    domains, notes, suspects = [], [], set()
    for index, values in enumerate(rows_values):
        domain, consistent = row_domain(values, n_columns, row_identities)
        domains.append(domain)
        if not consistent and row_identities:
            suspects.add(index)
    solution = solve(rows_values, domains, table_identities, suspects)
    for identity in solution.set_aside:
        notes.append(f"identity not used to place numbers (the printed figures disagree): "
                     f"{identity.label}")
    if solution.contradiction:
        notes.append("the table's identities contradict each other; only what each row "
                     "prints decides its placement")
    if solution.unused:
        notes.append(f"{len(solution.unused)} identities too large to use")
    return solution.domains, notes


def _cells_row(columns: tuple[str, ...], numbers: list[str], domain) -> tuple[dict, list[str], list[str]]:
    cells = certain_cells(len(numbers), len(columns), domain)
    values = {column: "" for column in columns}
    for column, index in cells.placed.items():
        values[columns[column]] = numbers[index]
    missing = [columns[c] for c in sorted(cells.unknown)]
    unplaced = [numbers[i] for i in cells.unplaced]
    return values, missing, unplaced


def parse_function_table(region: TableRegion, raw_table: str, columns: tuple[str, ...],
                         result: PageTextTables) -> int:
    rows = function_rows(region, result)
    kind = region.title.kind
    usable = []
    for row in rows:
        if len(row.numbers) > len(columns):
            result.rejects.append(Reject(region.title.label, row.line,
                                         f"{len(row.numbers)} numbers for {len(columns)} columns",
                                         " ".join([row.code or row.label, *row.numbers])))
            continue
        usable.append(row)
    values = [[_decimal(n) for n in row.numbers] for row in usable]
    identities = _function_table_identities(usable, columns)
    if kind == tt.INCOME_BY_FUNCTION:
        identities += _income_anchors(usable, columns, result.summary_income)
    if kind == tt.EXPENDITURE_BY_FUNCTION:
        identities += _general_budget_anchors(usable, columns, result.general_budget)
    domains, notes = place_rows(values, len(columns), _row_identities(kind, columns), identities)
    for note in notes:
        result.messages.append(Message(INFO, note, kind, region.title.page, region.title.line_index + 1))
    unplaced_rows = 0
    for row, domain in zip(usable, domains):
        cells, missing, unplaced = _cells_row(columns, row.numbers, domain)
        if kind == tt.GENERAL_BUDGET_EXPENDITURE:
            result.general_budget[row.code or row.label] = {
                column: _decimal(text) if text else Decimal(0)
                for column, text in cells.items() if column not in missing}
        if unplaced or missing:
            unplaced_rows += 1
            _say_unplaced(result, kind, row, unplaced, missing)
        _emit(result, raw_table, region, row.line, row.page, {
            "subject_code": row.code, "subject_name": row.name, **cells,
            "missing_cells": ";".join(missing), "unplaced_values": ";".join(unplaced)})
    return len(usable), unplaced_rows


def _say_unplaced(result: PageTextTables, kind: str, row, unplaced: list[str], missing: list[str]) -> None:
    who = getattr(row, "code", "") or getattr(row, "label", "") or getattr(row, "name", "")
    if unplaced:
        text = (f"{who}: {len(unplaced)} of the row's numbers not placed ({'; '.join(unplaced)}): "
                f"they may be in {', '.join(missing)}")
    else:
        text = f"{who}: columns not known: {', '.join(missing)}"
    result.messages.append(Message(WARNING, text, kind, row.page, row.line))


def _emit(result: PageTextTables, raw_table: str, region: TableRegion, line: int, page: int,
          values: RawRow) -> None:
    row = {"source_table": region.title.label or region.title.title, "source_line": str(line),
           "table_kind": region.title.kind, "source_page": str(page), **values}
    result.add(raw_table, row)


# --------------------------------------------------------------------------- 公开01 / 公开04


_INCOME_LABELS = ("本年收入合计", "使用非财政拨款结余", "年初结转和结余", "年初财政拨款结转和结余",
                  "用事业基金弥补收支差额")
_EXPENDITURE_LABELS = ("本年支出合计", "结余分配", "年末结转和结余", "年末财政拨款结转和结余")
_SIDE_LABELS = _INCOME_LABELS + _EXPENDITURE_LABELS + ("总计",)


@dataclass
class SideItem:
    side: str
    name: list[str]
    numbers: list[str]
    line: int
    page: int

    @property
    def label(self) -> str:
        return _join(self.name)


def _is_item_start(token: str) -> bool:
    return bool(_NUMBERED_ITEM.match(token)) or squeeze(token) in _SIDE_LABELS


def _side_of(name: str) -> str:
    if name in _INCOME_LABELS or "收入" in name or name.endswith("财政拨款"):
        return "income"
    return "expenditure"


def summary_items(region: TableRegion, result: PageTextTables) -> list[SideItem]:
    items: list[SideItem] = []
    started = False
    previous_line: list[SideItem] = []
    for seg in region.body:
        tokens = _tokens(seg.text)
        starts = [i for i, t in enumerate(tokens) if _is_item_start(t)]
        if not started:
            if not starts or starts[0] != 0 or not _NUMBERED_ITEM.match(tokens[0]):
                region.header.append(seg)
                continue
            started = True
        if not starts or starts[0] != 0:
            head = tokens[: starts[0]] if starts else tokens
            if all(is_amount(t) for t in head):
                waiting = [item for item in previous_line if not item.numbers]
                if len(waiting) == 1 and head:
                    waiting[0].numbers = head
                    waiting[0].line, waiting[0].page = seg.line, seg.page
                elif head:
                    result.rejects.append(Reject(region.title.label, seg.line,
                                                 "numbers without an item", seg.text))
            elif previous_line:
                previous_line[-1].name.extend(head)  # the rest of a wrapped item name
            else:
                result.rejects.append(Reject(region.title.label, seg.line, "text outside any item",
                                             seg.text))
            if not starts:
                continue
            tokens = tokens[starts[0]:]
            starts = [i - starts[0] for i in starts]
        line_items = []
        for position, start in enumerate(starts):
            stop = starts[position + 1] if position + 1 < len(starts) else len(tokens)
            name = [t for t in tokens[start:stop] if not is_amount(t)]
            numbers = [t for t in tokens[start:stop] if is_amount(t)]
            line_items.append(SideItem("", name, numbers, seg.line, seg.page))
        if len(line_items) >= 2:
            line_items[0].side = "income"
            for item in line_items[1:]:
                item.side = "expenditure"
        else:
            line_items[0].side = _side_of(line_items[0].label)
        items.extend(line_items)
        previous_line = line_items
    return items


def parse_summary(region: TableRegion, result: PageTextTables) -> tuple[int, int]:
    kind = region.title.kind
    items = summary_items(region, result)
    income = [i for i in items if i.side == "income"]
    expenditure = [i for i in items if i.side == "expenditure"]
    width = 4 if kind == tt.APPROPRIATION_SUMMARY else 1
    unplaced_rows = 0
    for item in income:
        if len(item.numbers) > 1:
            result.rejects.append(Reject(region.title.label, item.line,
                                         "more than one amount for an income item",
                                         " ".join(item.name + item.numbers)))
    income = [i for i in income if len(i.numbers) <= 1]
    usable = []
    for item in expenditure:
        if len(item.numbers) > width:
            result.rejects.append(Reject(region.title.label, item.line,
                                         f"{len(item.numbers)} amounts for {width} columns",
                                         " ".join(item.name + item.numbers)))
        else:
            usable.append(item)
    values = [[_decimal(n) for n in item.numbers] for item in usable]
    row_ids = (RowIdentity(((0, 1), (1, -1), (2, -1), (3, -1)), "合计 = Σ funds"),) if width == 4 else ()
    identities = _summary_identities(income, usable, width) if width == 4 else []
    domains, notes = place_rows(values, width, row_ids, identities)
    for note in notes:
        result.messages.append(Message(INFO, note, kind, region.title.page, region.title.line_index + 1))
    if kind == tt.INCOME_EXPENDITURE_SUMMARY and not result.summary_income:
        result.summary_income = [(i.label, _decimal(i.numbers[0]) if i.numbers else Decimal(0))
                                 for i in income]
    for line_no, item in enumerate(income, start=1):
        _emit(result, "raw_income_expenditure_summary", region, item.line, item.page, {
            "side": "income", "line_no": str(line_no), "item_name": item.label,
            "amount": item.numbers[0] if item.numbers else "", "missing_cells": "",
            "unplaced_values": ""})
    columns = SUMMARY_COLUMNS[:width]
    for offset, (item, domain) in enumerate(zip(usable, domains), start=len(income) + 1):
        cells, missing, unplaced = _cells_row(columns, item.numbers, domain)
        if unplaced or missing:
            unplaced_rows += 1
            _say_unplaced(result, kind, item, unplaced, missing)
        _emit(result, "raw_income_expenditure_summary", region, item.line, item.page, {
            "side": "expenditure", "line_no": str(offset), "item_name": item.label, **cells,
            "missing_cells": ";".join(missing), "unplaced_values": ";".join(unplaced)})
    return len(income) + len(usable), unplaced_rows


_FUNDS = (("一般公共预算", 1), ("政府性基金", 2), ("国有资本经营", 3))


def _summary_identities(income: list[SideItem], expenditure: list[SideItem], width: int) -> list[TableIdentity]:
    """公开04: per column 本年支出合计 = Σ 类 and 总计 = 本年支出合计 + 年末; per fund
    本年收入 + 年初结转 = 本年支出合计 + 年末结转 (the income side prints one amount per line)."""
    identities = []
    index = {item.label: i for i, item in enumerate(expenditure)}
    classes = [i for i, item in enumerate(expenditure) if _NUMBERED_ITEM.match(item.label)]
    total = index.get("本年支出合计")
    end = next((i for i, item in enumerate(expenditure) if item.label.startswith("年末")), None)
    grand = index.get("总计")
    for column in range(width):
        if total is not None and classes:
            identities.append(TableIdentity(
                (Term(total, column),) + tuple(Term(c, column, -1) for c in classes),
                label=f"本年支出合计 = Σ 类, column {column + 1}"))
        if grand is not None and total is not None:
            terms = (Term(grand, column), Term(total, column, -1))
            if end is not None:
                terms += (Term(end, column, -1),)
            identities.append(TableIdentity(terms, label=f"总计 = 本年支出合计 + 年末, column {column + 1}"))
    if total is None:
        return identities
    amount = lambda item: _decimal(item.numbers[0]) if item.numbers else Decimal(0)  # noqa: E731
    begin_at = next((i for i, item in enumerate(income) if item.label.startswith("年初")), None)
    current = income[:begin_at] if begin_at is not None else income
    carried = income[begin_at + 1:] if begin_at is not None else []
    for word, column in _FUNDS:
        received = [amount(i) for i in current if word in i.label and _NUMBERED_ITEM.match(i.label)]
        begun = [amount(i) for i in carried if word in i.label]
        if len(received) != 1 or len(begun) > 1:
            continue
        constant = -(received[0] + (begun[0] if begun else Decimal(0)))
        terms = (Term(total, column),) + ((Term(end, column),) if end is not None else ())
        identities.append(TableIdentity(terms, constant, f"{word}: 收入 + 年初 = 支出 + 年末"))
    return identities


# --------------------------------------------------------------------------- 公开06


@dataclass
class EconomicEntry:
    code: str
    label: str
    inline: list[str]
    numbers: list[str]
    line: int
    page: int
    head: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.label or _join(self.head + self.inline + self.tail)


def _economic_groups(tokens: list[str]) -> list[EconomicEntry] | None:
    groups: list[EconomicEntry] = []
    i = 0
    while i < len(tokens):
        code, used = _leading_code(tokens[i:], _ECONOMIC_CODE)
        token = tokens[i]
        if code:
            groups.append(EconomicEntry(code, "", [], [], 0, 0))
            i += used
            continue
        if token.endswith("合计") and not is_amount(token):
            groups.append(EconomicEntry("", token, [], [], 0, 0))
        elif not groups:
            return None
        elif is_amount(token):
            groups[-1].numbers.append(token)
        else:
            groups[-1].inline.append(token)
        i += 1
    return groups


def parse_economic(region: TableRegion, result: PageTextTables) -> tuple[int, int]:
    kind = region.title.kind
    lines: list[tuple[Segment, list[EconomicEntry] | None, list[str]]] = []
    started = False
    for seg in region.body:
        tokens = _tokens(seg.text)
        groups = _economic_groups(tokens)
        if groups is not None and not started:
            started = True
        if not started:
            region.header.append(seg)
            continue
        lines.append((seg, groups, tokens))
    entries: list[EconomicEntry] = []
    previous: list[EconomicEntry] = []
    for seg, groups, tokens in lines:
        if groups is None:
            if all(is_amount(t) for t in tokens):
                waiting = [g for g in previous if not g.numbers]
                if len(waiting) == 1:
                    waiting[0].numbers, waiting[0].line, waiting[0].page = tokens, seg.line, seg.page
                else:
                    result.rejects.append(Reject(region.title.label, seg.line,
                                                 "numbers without an economic code", seg.text))
            continue
        for group in groups:
            group.line, group.page = seg.line, seg.page
        entries.extend(groups)
        previous = groups
    _economic_names(lines)
    unplaced_rows = 0
    for entry in entries:
        missing, unplaced = "", ""
        amount = entry.numbers[0] if len(entry.numbers) == 1 else ""
        if len(entry.numbers) > 1:
            missing, unplaced = "amount", ";".join(entry.numbers)
            unplaced_rows += 1
            result.messages.append(Message(
                WARNING, f"{entry.code or entry.label}: {len(entry.numbers)} numbers for one "
                f"amount, not placed: {'; '.join(entry.numbers)}", kind, entry.page, entry.line))
        _emit(result, "raw_basic_expenditure_by_economic", region, entry.line, entry.page, {
            "economic_code": entry.code, "economic_name": entry.name, "amount": amount,
            "missing_cells": missing, "unplaced_values": unplaced})
    return len(entries), unplaced_rows


def _economic_names(lines) -> None:
    """Name fragments on the text lines around the code lines. First the groups printed
    without a name take the fragment above and below them (a line of as many fragments as
    the code line has groups, or as it has unnamed groups, gives them out by position); then
    what is left continues the name of a group on the code line above, by position again."""
    def is_fragment_line(at: int) -> bool:
        return 0 <= at < len(lines) and lines[at][1] is None and not any(
            is_amount(t) for t in lines[at][2])

    claimed: set[tuple[int, int]] = set()

    def give(at: int, targets: list[EconomicEntry], groups: list[EconomicEntry], where: str) -> None:
        tokens = lines[at][2]
        free = [i for i in range(len(tokens)) if (at, i) not in claimed]
        if len(tokens) == len(groups):
            pairs = [(groups.index(t), t) for t in targets]
        elif len(free) == len(targets):
            pairs = list(zip(free, targets))
        elif len(targets) == 1 and free:
            for i in free:
                claimed.add((at, i))
            getattr(targets[0], where).append(_join([tokens[i] for i in free]))
            return
        else:
            return
        for i, target in pairs:
            if (at, i) not in claimed:
                claimed.add((at, i))
                getattr(target, where).append(tokens[i])

    code_lines = [i for i, (_, groups, _) in enumerate(lines) if groups]
    for index in code_lines:
        groups = [g for g in lines[index][1] if g.code]
        unnamed = [g for g in groups if not g.inline]
        if not unnamed:
            continue
        if is_fragment_line(index - 1):
            give(index - 1, unnamed, groups, "head")
        if is_fragment_line(index + 1):
            give(index + 1, unnamed, groups, "tail")
    for index in code_lines:
        groups = [g for g in lines[index][1] if g.code]
        if groups and is_fragment_line(index + 1):
            give(index + 1, groups if len(lines[index + 1][2]) == len(groups) else groups[-1:],
                 groups, "tail")


# --------------------------------------------------------------------------- 三公


def parse_three_public(region: TableRegion, result: PageTextTables) -> tuple[int, int]:
    kind = region.title.kind
    header_text = squeeze(" ".join(s.text for s in region.body if not all(
        is_amount(t) for t in _tokens(s.text))))
    numbers: list[str] = []
    line = page = 0
    for seg in region.body:
        tokens = _tokens(seg.text)
        if tokens and all(is_amount(t) for t in tokens):
            numbers.extend(tokens)
            line, page = seg.line, seg.page
    if not numbers:
        return 0, 0
    phase_pairs = "预算数决算数预算数决算数" in header_text
    n = 2 * len(THREE_PUBLIC_ITEMS)

    def column(item: int, phase: int) -> int:  # printed position of (item, phase)
        return 2 * item + phase if phase_pairs else phase * len(THREE_PUBLIC_ITEMS) + item

    identities = []
    for phase in (0, 1):
        identities.append(RowIdentity(((column(0, phase), 1), (column(1, phase), -1),
                                       (column(2, phase), -1), (column(5, phase), -1)),
                                      "合计 = 出国 + 车 + 接待"))
        identities.append(RowIdentity(((column(2, phase), 1), (column(3, phase), -1),
                                       (column(4, phase), -1)), "车 = 购置 + 运维"))
    values = [_decimal(t) for t in numbers]
    if len(numbers) > n:
        result.rejects.append(Reject(region.title.label, line, f"{len(numbers)} numbers for {n} cells",
                                     " ".join(numbers)))
        return 0, 0
    domain, consistent = row_domain(values, n, tuple(identities))
    cells = certain_cells(len(values), n, domain)
    by_position = {c: numbers[i] for c, i in cells.placed.items()}
    unplaced = [numbers[i] for i in cells.unplaced]
    names = {}
    for item, name in enumerate(THREE_PUBLIC_ITEMS):
        for phase in (0, 1):
            names[column(item, phase)] = (item, phase)
    missing_names = []
    for position in range(n):
        item, phase = names[position]
        number = phase * len(THREE_PUBLIC_ITEMS) + item + 1
        missing = position in cells.unknown
        if missing:
            missing_names.append(f"{('budget', 'actual')[phase]} {THREE_PUBLIC_ITEMS[item]}")
        _emit(result, "raw_three_public_expenses", region, line, page, {
            "column_no": str(number), "phase": ("budget", "actual")[phase],
            "expense_item": THREE_PUBLIC_ITEMS[item], "amount": by_position.get(position, ""),
            "missing_cells": "amount" if missing else "",
            "unplaced_values": ";".join(unplaced) if missing else ""})
    if len(numbers) < n:
        result.messages.append(Message(
            INFO if not unplaced else WARNING,
            f"三公 row prints {len(numbers)} of {n} cells" + (
                f"; not placed: {'; '.join(unplaced)} (may be in {', '.join(missing_names)})"
                if unplaced else "; the row's identities place every number"),
            kind, page, line))
    return 1, 1 if unplaced else 0


# --------------------------------------------------------------------------- document


def has_page_text_tables(document: SourceDocument) -> bool:
    """Page text of a template known by its titles: form feeds and standard-table titles."""
    return any("\f" in line for line in document.lines) and bool(tt.find_titles(document.lines))


def extract_page_text_tables(document: SourceDocument) -> PageTextTables:
    result = PageTextTables()
    found_kinds = set()
    order = {tt.INCOME_EXPENDITURE_SUMMARY: 0, tt.APPROPRIATION_SUMMARY: 1,
             tt.GENERAL_BUDGET_EXPENDITURE: 2}  # the tables others are anchored to, first
    for region in sorted(locate(document, result), key=lambda r: order.get(r.title.kind, 3)):
        kind = region.title.kind
        found_kinds.add(kind)
        before = len(result.messages)
        if kind in FUNCTION_TABLES or kind == tt.STATE_CAPITAL:
            if kind == tt.STATE_CAPITAL:
                header = squeeze(" ".join(s.text for s in region.body[:12]))
                raw_table, columns = (STATE_CAPITAL_WITH_CARRYOVER if "年初结转" in header
                                      else STATE_CAPITAL_EXPENDITURE)
            else:
                raw_table, columns = FUNCTION_TABLES[kind]
            counts = parse_function_table(region, raw_table, columns, result)
        elif kind in (tt.INCOME_EXPENDITURE_SUMMARY, tt.APPROPRIATION_SUMMARY):
            counts = parse_summary(region, result)
        elif kind == tt.BASIC_EXPENDITURE_BY_ECONOMIC:
            counts = parse_economic(region, result)
        else:
            counts = parse_three_public(region, result)
        rows, unplaced_rows = counts
        if rows and region.empty_note:
            result.messages.append(Message(
                WARNING, f"declared empty ({region.empty_note}) but prints {rows} rows", kind,
                region.title.page, region.title.line_index + 1))
        elif not rows and region.empty_note:
            result.messages.append(Message(
                INFO, f"declared empty: {region.empty_note}", kind, region.title.page,
                region.title.line_index + 1))
        elif not rows:
            result.messages.append(Message(
                WARNING, "table printed without rows and without a note saying it is empty",
                kind, region.title.page, region.title.line_index + 1))
        result.tables.append(FoundTable(kind, region.title.label, region.title.title,
                                        region.title.page, region.title.line_index + 1, rows,
                                        unplaced_rows, region.empty_note if not rows else ""))
        del before
    missing = [k.kind for k in tt.TABLE_KINDS if k.kind not in found_kinds]
    if missing:
        result.messages.append(Message(WARNING, f"standard tables not found: {', '.join(missing)}"))
    _shape_rows(result, document.document_id)
    return result


# Columns this reader fills beyond those of the national layouts' raw tables.
READER_COLUMNS = ("table_kind", "source_page", "missing_cells", "unplaced_values")


def _shape_rows(result: PageTextTables, document_id: str) -> None:
    """Every row with its raw table's columns, in order, then this reader's own columns
    where the raw table does not have them (yet)."""
    for table, rows in result.rows.items():
        columns = RAW_TABLES.get(table, ())
        extra = tuple(c for c in READER_COLUMNS if c not in columns)
        result.rows[table] = [
            {c: row.get(c, "") for c in columns} | {c: row.get(c, "") for c in extra}
            | {"document_id": document_id} for row in rows]
