"""The nine standard tables (公开01–09) of a final-accounts document, as raw rows.

Tables are found by their code line ('公开0N表') and end at their '注' line. Inside a
table the header block is recognised by structure (it ends at the column-number row, and
a repeat after a page break starts with the same text as the first header line), so the
same code reads both layouts seen so far:

- tab layout: one printed row per line, cells by position, a blank cell is printed blank;
- space layout: cells separated by spaces, long names wrapped over several lines with the
  row's numbers on a later line, so rows are read as a token stream: a row starts at its
  code (or label) and ends when its last amount has been read.

Every non-header line of a table either becomes part of a raw row or is rejected with a
reason; nothing is dropped silently.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from fiscal_dw.extract.documents import SourceDocument, standard_table_lines
from fiscal_dw.extract.rows import Extracted, RawRow, Reject
from fiscal_dw.extract.text import (
    PART_HEADING,
    is_decimal_amount,
    is_economic_code,
    is_function_code,
    is_integer,
    is_total_label,
    squeeze,
)

_NOTE = re.compile(r"^注[：:]")
_METADATA = re.compile(r"^(部门|金额单位|单位)[：:]|^金额单位")

CODE_TABLE_COLUMNS: dict[int, tuple[str, tuple[str, ...]]] = {
    2: ("raw_income_by_function", (
        "total", "fiscal_appropriation", "superior_subsidy", "business_income",
        "operating_income", "affiliate_remittance", "other_income")),
    3: ("raw_expenditure_by_function", (
        "total", "basic", "project", "remit_to_superior", "operating", "subsidy_to_affiliates")),
    5: ("raw_expenditure_by_function", ("total", "basic", "project")),
    7: ("raw_government_fund_by_function", (
        "carryover_begin", "income", "expenditure_total", "expenditure_basic",
        "expenditure_project", "carryover_end")),
    8: ("raw_expenditure_by_function", ("total", "basic", "project")),
}
# 公开01: one amount each side; 公开04: one income amount, four expenditure amounts.
TWO_SIDED_EXPENDITURE_COLUMNS: dict[int, tuple[str, ...]] = {
    1: ("amount",),
    4: ("amount", "general_budget", "gov_fund", "state_capital"),
}
# The national template's 公开09 columns 1–12, in printed order.
THREE_PUBLIC_ITEMS = (
    "total", "overseas_travel", "vehicles", "vehicle_purchase", "vehicle_operation",
    "official_reception",
)
_THREE_PUBLIC_HEADER_MARKERS = ("预算数", "决算数", "因公出国", "购置", "运行维护", "接待")


@dataclass
class TableText:
    """The lines of one standard table, header block removed."""

    number: int
    code_line: int
    layout: str
    body: list[tuple[int, str]] = field(default_factory=list)
    header_text: str = ""

    @property
    def source_table(self) -> str:
        return f"公开{self.number:02d}"


@dataclass
class StandardTables(Extracted):
    layout: str = ""


def extract_standard_tables(document: SourceDocument) -> StandardTables:
    result = StandardTables()
    layouts = set()
    for table in locate_tables(document, result.rejects):
        layouts.add(table.layout)
        parse = _PARSERS.get(table.number)
        if parse is None:
            continue
        for name, row in parse(table, result.rejects):
            result.add(name, {"document_id": document.document_id,
                              "source_table": table.source_table, **row})
    result.layout = "/".join(sorted(layouts))
    return result


# --------------------------------------------------------------------------- locating


def locate_tables(document: SourceDocument, rejects: list[Reject]) -> Iterator[TableText]:
    code_lines = standard_table_lines(document)
    for index, (code_line, number) in enumerate(code_lines):
        next_code = code_lines[index + 1][0] if index + 1 < len(code_lines) else len(document.lines) + 1
        lines: list[tuple[int, str]] = []
        for line_no in range(code_line + 1, next_code):
            text = document.line(line_no)
            stripped = text.strip()
            if _NOTE.match(stripped) or PART_HEADING.match(stripped):
                break
            # a tab-only line is a printed row of blank cells (all zero), not an empty line
            if (stripped or "\t" in text) and not _METADATA.match(stripped):
                lines.append((line_no, text))
        else:
            if next_code > len(document.lines):  # the file stops inside the last table
                rejects.append(Reject(f"公开{number:02d}", len(document.lines),
                                      "document ends inside the table (no 注 line after it)",
                                      document.line(len(document.lines))))
        layout = "tab" if any("\t" in text for _, text in lines) else "space"
        table = TableText(number, code_line, layout)
        _split_header(table, lines, rejects)
        yield table


def _is_column_number_row(text: str) -> bool:
    """'栏次 1 2 3', '栏 次→→1→栏 次→→2' or a bare '1 2 … n' row."""
    tokens = text.split()
    if tokens and squeeze(tokens[0]).startswith("栏"):
        return True
    return len(tokens) >= 3 and tokens == [str(n) for n in range(1, len(tokens) + 1)]


def _header_ends_at(table_number: int, text: str) -> bool:
    if table_number == 6:  # 公开06 has no column-number row; its header ends at 科目名称.
        return "科目名称" in squeeze(text)
    return _is_column_number_row(text)


def _split_header(table: TableText, lines: list[tuple[int, str]], rejects: list[Reject]) -> None:
    header_end = next((i for i, (_, text) in enumerate(lines)
                       if _header_ends_at(table.number, text)), None)
    if header_end is None:
        rejects.extend(Reject(table.source_table, n, "table header not recognised", t)
                       for n, t in lines)
        return
    header = lines[: header_end + 1]
    table.header_text = squeeze("".join(text for _, text in header))
    first_header_line = squeeze(header[0][1])
    in_repeat = False
    for line_no, text in lines[header_end + 1:]:
        if squeeze(text) == first_header_line:
            in_repeat = True  # a header reprinted after a page break
        if in_repeat:
            if _header_ends_at(table.number, text):
                in_repeat = False
            continue
        table.body.append((line_no, text))


# --------------------------------------------------------------------------- cells


def _tab_cells(text: str) -> list[str]:
    return [cell.strip() for cell in text.split("\t")]


def _tokens(table: TableText) -> Iterator[tuple[int, str]]:
    for line_no, text in table.body:
        for token in text.replace("\u3000", " ").split():
            yield line_no, token


def _row_values(columns: tuple[str, ...], cells: list[str]) -> RawRow:
    """Cells by position; columns beyond the printed cells are recorded as missing."""
    row = {column: (cells[i] if i < len(cells) else "") for i, column in enumerate(columns)}
    row["missing_cells"] = ";".join(columns[len(cells):])
    return row


def _reject_line(table: TableText, line_no: int, text: str, reason: str, rejects: list[Reject]) -> None:
    rejects.append(Reject(table.source_table, line_no, reason, text))


# --------------------------------------------------------------------------- code tables


def parse_code_table(table: TableText, rejects: list[Reject]) -> Iterator[tuple[str, RawRow]]:
    """公开02/03/05/07/08: subject code, name, then a fixed number of amounts."""
    raw_table, columns = CODE_TABLE_COLUMNS[table.number]
    rows = _tab_code_rows if table.layout == "tab" else _space_code_rows
    for row in rows(table, columns, rejects):
        if raw_table == "raw_expenditure_by_function":
            row = {name: row.get(name, "") for name in (
                "source_line", "subject_code", "subject_name", *CODE_TABLE_COLUMNS[3][1],
                "missing_cells")}
        yield raw_table, row


def _start_code_row(first: str) -> tuple[str, str] | None:
    if is_function_code(first):
        return first, ""
    if is_total_label(first):
        return "", squeeze(first)
    return None


def _tab_code_rows(table: TableText, columns: tuple[str, ...], rejects: list[Reject]) -> Iterator[RawRow]:
    for line_no, text in table.body:
        cells = _tab_cells(text)
        if not any(cells):
            continue
        start = _start_code_row(cells[0])
        extra = [cell for cell in cells[2 + len(columns):] if cell]
        if start is None or extra:
            reason = "extra cells beyond the table's columns" if start else "row has no subject code"
            _reject_line(table, line_no, text, reason, rejects)
            continue
        code, label = start
        yield {"source_line": str(line_no), "subject_code": code,
               "subject_name": label or cells[1] if len(cells) > 1 else label,
               **_row_values(columns, cells[2:2 + len(columns)])}


def _space_code_rows(table: TableText, columns: tuple[str, ...], rejects: list[Reject]) -> Iterator[RawRow]:
    pending: dict | None = None

    def finish(current: dict) -> RawRow:
        return {"source_line": str(current["line"]), "subject_code": current["code"],
                "subject_name": current["label"] or " ".join(current["name"]),
                **_row_values(columns, current["amounts"])}

    for line_no, token in _tokens(table):
        start = _start_code_row(token)
        if pending is not None and start and pending["amounts"] and is_integer(token):
            yield finish(pending)  # the previous row printed fewer amounts than columns
            pending = None
        if pending is None:
            if start is None:
                _reject_line(table, line_no, token, "token outside any row", rejects)
                continue
            pending = {"code": start[0], "label": start[1], "name": [], "amounts": [], "line": line_no}
            continue
        if is_decimal_amount(token):
            pending["amounts"].append(token)
            pending["line"] = line_no
            if len(pending["amounts"]) == len(columns):
                yield finish(pending)
                pending = None
        elif pending["amounts"]:
            _reject_line(table, line_no, token, "text between a row's amounts", rejects)
        else:
            pending["name"].append(token)
    if pending is not None:
        if pending["amounts"]:
            yield finish(pending)
        else:
            _reject_line(table, pending["line"], " ".join(pending["name"]),
                         "row without amounts at the end of the table", rejects)


# --------------------------------------------------------------------------- 公开01/04


def parse_two_sided(table: TableText, rejects: list[Reject]) -> Iterator[tuple[str, RawRow]]:
    """公开01/04: income (item, 行次, 金额) beside expenditure (item, 行次, amounts)."""
    expenditure_columns = TWO_SIDED_EXPENDITURE_COLUMNS[table.number]
    sides = (_tab_two_sided if table.layout == "tab" else _space_two_sided)(
        table, expenditure_columns, rejects)
    all_columns = ("amount", "general_budget", "gov_fund", "state_capital")
    for side, line_no, item, row_no, values in sides:
        yield "raw_income_expenditure_summary", {
            "source_line": str(line_no), "side": side, "line_no": row_no, "item_name": item,
            **{column: values.get(column, "") for column in all_columns},
            "missing_cells": values.get("missing_cells", ""),
        }


SideRow = tuple[str, int, str, str, RawRow]


def _tab_two_sided(table: TableText, expenditure_columns: tuple[str, ...],
                   rejects: list[Reject]) -> Iterator[SideRow]:
    for line_no, text in table.body:
        cells = _tab_cells(text)
        if not any(cells):
            continue
        income, expenditure = cells[:3], cells[3:]
        if len(income) < 2 or not is_integer(income[1]) or (
                len(expenditure) >= 2 and expenditure[1] and not is_integer(expenditure[1])):
            _reject_line(table, line_no, text, "row without a 行次 number", rejects)
            continue
        yield "income", line_no, income[0], income[1], _row_values(("amount",), income[2:3])
        if len(expenditure) >= 2 and expenditure[1]:
            yield ("expenditure", line_no, expenditure[0], expenditure[1],
                   _row_values(expenditure_columns, expenditure[2:2 + len(expenditure_columns)]))


def _space_two_sided(table: TableText, expenditure_columns: tuple[str, ...],
                     rejects: list[Reject]) -> Iterator[SideRow]:
    """Token stream: [income item] 行次 [金额] [expenditure item] 行次 [amounts…].

    The income 行次 run 1, 2, 3…; an expenditure 行次 is its income 行次 plus a fixed
    offset learnt from the first row. A bare integer is a 行次 only where one is expected.
    """
    offset: int | None = None
    next_income = 1
    state = "income_item"
    item: list[str] = []
    amounts: list[str] = []
    income_no = ""
    line_of_values = 0

    def income_row() -> SideRow:
        return ("income", line_of_values, " ".join(item), income_no,
                _row_values(("amount",), amounts[:1]))

    def expenditure_row() -> SideRow:
        return ("expenditure", line_of_values, " ".join(item), str(int(income_no) + (offset or 0)),
                _row_values(expenditure_columns, amounts))

    for line_no, token in _tokens(table):
        integer = int(token) if is_integer(token) else None
        if state == "expenditure_amounts":
            if is_decimal_amount(token) and len(amounts) < len(expenditure_columns):
                amounts.append(token)
                line_of_values = line_no
                continue
            yield expenditure_row()
            state, item, amounts = "income_item", [], []
        if state == "income_item":
            if integer == next_income:
                income_no, line_of_values = token, line_no
                next_income += 1
                state, amounts = "income_amount", []
            elif is_decimal_amount(token):
                _reject_line(table, line_no, token, "amount before any 行次", rejects)
            else:
                item.append(token)
            continue
        if state == "income_amount":
            if is_decimal_amount(token) and not amounts:
                amounts.append(token)
                line_of_values = line_no
                continue
            yield income_row()
            state, item, amounts = "expenditure_item", [], []
        # state == "expenditure_item"
        expected = int(income_no) + offset if offset is not None else None
        if integer is not None and (expected is None or integer == expected):
            offset = integer - int(income_no)
            line_of_values = line_no
            state = "expenditure_amounts"
        elif is_decimal_amount(token):
            _reject_line(table, line_no, token, "amount before the expenditure 行次", rejects)
        else:
            item.append(token)
    if state == "income_amount":
        yield income_row()
    elif state == "expenditure_amounts":
        yield expenditure_row()
    elif item:
        _reject_line(table, line_of_values, " ".join(item), "item without a 行次", rejects)


# --------------------------------------------------------------------------- 公开06


def parse_economic(table: TableText, rejects: list[Reject]) -> Iterator[tuple[str, RawRow]]:
    """公开06: up to three code/name/amount groups per line, plus the two printed totals."""
    entries = _tab_economic if table.layout == "tab" else _space_economic
    for line_no, code, name, amount, missing in entries(table, rejects):
        yield "raw_basic_expenditure_by_economic", {
            "source_line": str(line_no), "economic_code": code, "economic_name": name,
            "amount": amount, "missing_cells": missing}


EconomicEntry = tuple[int, str, str, str, str]


def _tab_economic(table: TableText, rejects: list[Reject]) -> Iterator[EconomicEntry]:
    for line_no, text in table.body:
        cells = _tab_cells(text)
        if not any(cells):
            continue
        labels = [i for i, cell in enumerate(cells) if squeeze(cell).endswith("合计")]
        if labels:  # totals row: each amount sits somewhere right of its label
            for position, start in enumerate(labels):
                stop = labels[position + 1] if position + 1 < len(labels) else len(cells)
                amounts = [cell for cell in cells[start + 1:stop] if cell]
                yield line_no, "", squeeze(cells[start]), (amounts[-1] if amounts else ""), (
                    "" if amounts else "amount")
            continue
        placed = False
        for start in range(0, len(cells), 3):
            group = cells[start:start + 3]
            if not any(group):
                continue
            if not is_economic_code(group[0]) or len(group) < 2:
                _reject_line(table, line_no, text, "group without an economic code", rejects)
                placed = True
                break
            amount = group[2] if len(group) > 2 else ""
            yield line_no, group[0], group[1], amount, "" if len(group) > 2 else "amount"
            placed = True
        if not placed:
            _reject_line(table, line_no, text, "line without economic codes", rejects)


def _space_economic(table: TableText, rejects: list[Reject]) -> Iterator[EconomicEntry]:
    pending: dict | None = None
    for line_no, token in _tokens(table):
        starts_entry = is_economic_code(token) or squeeze(token).endswith("合计")
        if pending is None or (starts_entry and not is_decimal_amount(token)):
            if pending is not None:
                yield pending["line"], pending["code"], " ".join(pending["name"]), "", "amount"
            if not starts_entry:
                _reject_line(table, line_no, token, "token outside any entry", rejects)
                pending = None
                continue
            is_code = is_economic_code(token)
            pending = {"code": token if is_code else "", "name": [] if is_code else [squeeze(token)],
                       "line": line_no}
            continue
        if is_decimal_amount(token):
            yield line_no, pending["code"], " ".join(pending["name"]), token, ""
            pending = None
        else:
            pending["name"].append(token)
    if pending is not None:
        yield pending["line"], pending["code"], " ".join(pending["name"]), "", "amount"


# --------------------------------------------------------------------------- 公开09


def parse_three_public(table: TableText, rejects: list[Reject]) -> Iterator[tuple[str, RawRow]]:
    """公开09: one data row of 12 figures (budget 1–6, actual 7–12)."""
    if not all(marker in table.header_text for marker in _THREE_PUBLIC_HEADER_MARKERS):
        rejects.extend(Reject(table.source_table, n, "三公 header does not match the template", t)
                       for n, t in table.body)
        return
    figures: list[tuple[int, str]] = []
    for line_no, text in table.body:
        if table.layout == "tab":
            figures.extend((line_no, cell) for cell in _tab_cells(text))
        else:
            for token in text.split():
                if is_decimal_amount(token):
                    figures.append((line_no, token))
                else:
                    _reject_line(table, line_no, token, "non-amount in the 三公 row", rejects)
    if len(figures) != 2 * len(THREE_PUBLIC_ITEMS):
        reason = f"expected 12 三公 figures, found {len(figures)}"
        rejects.extend(Reject(table.source_table, n, reason, t) for n, t in table.body)
        if not table.body:  # a table with no data row at all is a finding too
            rejects.append(Reject(table.source_table, table.code_line, reason, "公开09"))
        return
    for index, (line_no, printed) in enumerate(figures):
        phase = "budget" if index < len(THREE_PUBLIC_ITEMS) else "actual"
        yield "raw_three_public_expenses", {
            "source_line": str(line_no), "column_no": str(index + 1), "phase": phase,
            "expense_item": THREE_PUBLIC_ITEMS[index % len(THREE_PUBLIC_ITEMS)], "amount": printed}


_PARSERS = {
    1: parse_two_sided, 4: parse_two_sided,
    2: parse_code_table, 3: parse_code_table, 5: parse_code_table, 7: parse_code_table,
    8: parse_code_table,
    6: parse_economic,
    9: parse_three_public,
}
