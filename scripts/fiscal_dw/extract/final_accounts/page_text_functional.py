"""Tables by functional code (收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表,
政府性基金 / 国有资本经营 tables) from page text: rows, wrapped names, placement (page_text.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from fiscal_dw.extract.final_accounts import table_titles as tt
from fiscal_dw.extract.final_accounts.page_text_common import (
    CODE_PART, COLUMN_WORDS, FUNCTION_CODE, HEADER_WORDS, INFO, NUMBERED_ITEM, TOTAL_LABELS,
    Message, PageTextTables, RepeatedHeader, TableRegion, amount_of, cells_row, emit, is_amount,
    WARNING, join_parts, place_rows, say_unplaced, tokens_of,
)
from fiscal_dw.extract.text import squeeze
from fiscal_dw.extract.final_accounts.placement import RowIdentity, TableIdentity, Term
from fiscal_dw.extract.rows import Reject

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
        return join_parts(self.head + self.inline + self.inside + self.tail)


def leading_code(tokens: list[str], code_re: re.Pattern) -> tuple[str, int]:
    """A code at the start of the line, joined when printed split ('201 06 01', '301 01')."""
    if not tokens or not code_re.match(tokens[0]):
        return "", 0
    code, used = tokens[0], 1
    if len(code) == 3:
        while used < len(tokens) and len(code) < 7 and CODE_PART.match(tokens[used]):
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
    repeated = RepeatedHeader(region)
    for seg in region.body:
        tokens = tokens_of(seg.text)
        code, used = leading_code(tokens, FUNCTION_CODE)
        label_at = next((i for i, t in enumerate(tokens) if t in TOTAL_LABELS), None)
        is_total = not code and label_at is not None and all(
            t in HEADER_WORDS for t in tokens[:label_at]) and (
            rows or any(is_amount(t) for t in tokens))
        if rows and repeated.skip(seg, bool(code or any(is_amount(t) for t in tokens))):
            continue
        if code or is_total:
            rest = tokens[used:] if code else tokens[label_at + 1:]
            before, numbers, after = _split_numbers(rest)
            row = Row(code, "" if code else tokens[label_at], before if code else [], numbers,
                      seg.line, seg.page)
            if is_total and (before or after):
                region.header_words.extend(tokens[:label_at] + before + after)
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
            repeated.learn(seg)
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
        gaps[-1].append(join_parts(tokens))
    if rows and region.header and not (rows[0].inline or rows[0].label):
        last = region.header[-1]
        if not all(t in COLUMN_WORDS for t in tokens_of(last.text)):
            region.header.pop()
            gaps[0].append(join_parts(tokens_of(last.text)))
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
        after_below = rows[index + 1] if index + 1 < len(rows) else None
        # lines after `below` that the row after it will not take as the start of its name
        left_after = len(following) - (1 if after_below is not None and not named(after_below) else 0)
        if not named(below):
            above.tail.extend(gap[:-1])
            below.head.append(gap[-1])
        elif above.head or not named(above):
            above.tail.append(gap[0])
            below.head.extend(gap[1:])
        elif left_after > 0:
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
                            general: dict[str, dict[str, Decimal]],
                            appropriation_total: Decimal | None) -> list[TableIdentity]:
    """Figures of the 支出决算表 known from the appropriation tables. Appropriation spending is
    part of each cell of the 支出决算表 (amounts are not negative) and has only 基本 and 项目
    支出, so when the 支出决算表's 合计 equals all appropriation spending (财政拨款收入支出决算
    总表's 本年支出合计), 上缴上级 / 经营 / 对附属单位补助 are blank in every row; when it equals
    the general budget's 合计, each row is also the general-budget table's row."""
    total_row = next((i for i, row in enumerate(rows) if row.label == "合计"), None)
    if total_row is None or not rows[total_row].numbers:
        return []
    printed = amount_of(rows[total_row].numbers[0])
    general_total = general.get("合计", {}).get("total")
    same_as_general = general_total is not None and abs(printed - general_total) <= Decimal("0.02")
    all_appropriation = same_as_general or (
        appropriation_total is not None and abs(printed - appropriation_total) <= Decimal("0.02"))
    if not all_appropriation:
        return []
    identities = []
    for index, row in enumerate(rows):
        cells = general.get(row.code or row.label) if same_as_general else None
        if cells is not None and (not row.numbers or "total" not in cells
                                  or abs(amount_of(row.numbers[0]) - cells["total"]) > Decimal("0.02")):
            cells = None  # the two tables do not print the same total for this row
        for position, column in enumerate(columns):
            if position == 0:
                continue
            if column in ("basic", "project"):
                if cells is None or column not in cells:
                    continue
                value, source = cells[column], "一般公共预算财政拨款支出决算表 (equal 合计)"
            else:
                value, source = Decimal(0), "blank: all spending is appropriation spending"
            identities.append(TableIdentity(
                (Term(index, position),), -value, f"{row.code or row.label} {column} = {source}"))
    return identities


def _part_of_spending(rows: list[Row], columns: tuple[str, ...],
                      spending: dict[str, dict[str, Decimal]], same_total: bool) -> list[TableIdentity]:
    """An appropriation table's 基本 / 项目 spending on a code is part of the 支出决算表's
    (amounts are not negative): where the 支出决算表 row's cell is blank for certain, this
    table's is blank. Used only where the row agrees with the 支出决算表's: the same total
    (general-budget table), or no number above that total (fund tables)."""
    basic, project = (("expenditure_basic", "expenditure_project") if "expenditure_basic" in columns
                      else ("basic", "project"))
    identities = []
    for index, row in enumerate(rows):
        cells = spending.get(row.code or row.label, {})
        if "total" not in cells or not row.numbers:
            continue
        if same_total and abs(amount_of(row.numbers[0]) - cells["total"]) > Decimal("0.02"):
            continue
        if any(amount_of(n) > cells["total"] + Decimal("0.02") for n in row.numbers):
            continue
        for mine, theirs in ((basic, "basic"), (project, "project")):
            if cells.get(theirs) == 0:
                identities.append(TableIdentity(
                    (Term(index, columns.index(mine)),), Decimal(0),
                    f"{row.code or row.label} {mine} blank: blank in 支出决算表"))
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
                   and (column == "total" or NUMBERED_ITEM.match(name))]
        if not matched:
            continue
        identities.append(TableIdentity(
            (Term(total, columns.index(column)),), -sum(matched, Decimal(0)),
            f"合计 {column} = 收入支出决算总表 {'+'.join(words)}"))
    return identities


# Words the header prints for each column (wrapped lines joined, so short words).
_COLUMN_MARKS = {
    "total": ("合计", "小计"), "fiscal_appropriation": ("财政拨款",), "superior_subsidy": ("上级补助",),
    "business_income": ("事业收入",), "operating_income": ("经营收入",),
    "affiliate_remittance": ("附属单位",), "other_income": ("其他收入",),
    "basic": ("基本支出",), "project": ("项目支出",), "remit_to_superior": ("上缴上级",),
    "operating": ("经营支出",), "subsidy_to_affiliates": ("附属单位",),
    "carryover_begin": ("年初结转",), "income": ("本年收入",), "expenditure_total": ("本年支出", "合计"),
    "expenditure_basic": ("基本支出",), "expenditure_project": ("项目支出",),
    "carryover_end": ("年末结转",),
}


def _columns_not_in_header(region: TableRegion, columns: tuple[str, ...]) -> list[str]:
    header = squeeze("".join([seg.text for seg in region.header] + region.header_words))
    return [c for c in columns if not any(mark in header for mark in _COLUMN_MARKS[c])]


def _emit_unplaced(region: TableRegion, raw_table: str, columns: tuple[str, ...], rows: list[Row],
                   result: PageTextTables) -> tuple[int, int]:
    for row in rows:
        say_unplaced(result, region.title.kind, row, row.numbers, list(columns))
        emit(result, raw_table, region, row.line, row.page, {
            "subject_code": row.code, "subject_name": row.name, **{c: "" for c in columns},
            "missing_cells": ";".join(columns), "unplaced_values": ";".join(row.numbers)})
    return len(rows), len(rows)


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
    values = [[amount_of(n) for n in row.numbers] for row in usable]
    unnamed = _columns_not_in_header(region, columns)
    if usable and unnamed:
        result.messages.append(Message(
            WARNING, f"the header does not name the template's columns {', '.join(unnamed)}: "
            "no number of this table is placed", kind, region.title.page, region.title.line_index + 1))
        return _emit_unplaced(region, raw_table, columns, usable, result)
    identities = _function_table_identities(usable, columns)
    if kind == tt.INCOME_BY_FUNCTION:
        identities += _income_anchors(usable, columns, result.summary_income)
    if kind == tt.EXPENDITURE_BY_FUNCTION:
        identities += _general_budget_anchors(usable, columns, result.general_budget,
                                              result.appropriation_total)
    if "expenditure_basic" in columns or kind == tt.GENERAL_BUDGET_EXPENDITURE:
        identities += _part_of_spending(usable, columns, result.all_expenditure,
                                        same_total=kind == tt.GENERAL_BUDGET_EXPENDITURE)
    domains, notes = place_rows(values, len(columns), _row_identities(kind, columns), identities)
    for note in notes:
        result.messages.append(Message(INFO, note, kind, region.title.page, region.title.line_index + 1))
    unplaced_rows = 0
    for row, domain in zip(usable, domains):
        cells, missing, unplaced = cells_row(columns, row.numbers, domain)
        if kind in (tt.GENERAL_BUDGET_EXPENDITURE, tt.EXPENDITURE_BY_FUNCTION):
            known = result.general_budget if kind == tt.GENERAL_BUDGET_EXPENDITURE else result.all_expenditure
            known[row.code or row.label] = {
                column: amount_of(text) if text else Decimal(0)
                for column, text in cells.items() if column not in missing}
        if unplaced or missing:
            unplaced_rows += 1
            say_unplaced(result, kind, row, unplaced, missing)
        emit(result, raw_table, region, row.line, row.page, {
            "subject_code": row.code, "subject_name": row.name, **cells,
            "missing_cells": ";".join(missing), "unplaced_values": ";".join(unplaced)})
    return len(usable), unplaced_rows
