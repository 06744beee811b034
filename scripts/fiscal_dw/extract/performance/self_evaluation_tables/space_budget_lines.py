"""预算执行明细表 in the space layout: 序号, wrapped unit name, amounts and rate in header
order; the 合计 row ends the table. The amounts' unit comes from the document's prose."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.performance.self_evaluation_tables.space_cells import (
    PAGE_FOOTER,
    PERCENT,
    Fragment,
    HeaderRepeat,
    Line,
    cell_text,
    is_amount,
    ordered_fields,
)
from fiscal_dw.extract.performance.self_evaluation_tables.space_tables import BUDGET_COLUMNS, BUDGET_LINES, Table
from fiscal_dw.extract.rows import Extracted, RawRow, Reject
from fiscal_dw.extract.text import is_total_label, round_half_up, squeeze

_STATED_WAN = re.compile(r"(\d[\d,]*(?:\.\d+)?)万元")
# 预算执行明细表 header columns.
_EXECUTION_HEADER = (
    ("initial_budget", ("年初预算",)), ("budget", ("调整后预算", "预算金额", "全年预算")),
    ("executed", ("执行金额", "执行数")), ("execution_rate", ("执行率",)),
)


Rejecter = Callable[..., None]  # (line, reason[, text])


@dataclass
class _Row:
    seq: str  # the printed 序号
    line: Line  # the line of the row's last value
    name: list[Fragment] = field(default_factory=list)
    values: list[str] = field(default_factory=list)

    @property
    def is_total(self) -> bool:
        return is_total_label(cell_text(self.name))


def parse_budget_lines(document: SourceDocument, table: Table, row_seq: int, result: Extracted) -> int:
    """The rows of one 预算执行明细表 (``row_seq`` carried on across tables); returns the last row_seq."""
    def reject(line: Line, reason: str, text: str | None = None) -> None:
        result.rejects.append(Reject(table.source_table, line.number, reason,
                                     line.text if text is None else text))

    lines = table.lines
    first_row = next((i for i, line in enumerate(lines) if line.tokens[0] == "1"), None)
    header = "".join(line.key for line in lines[:first_row or 0])
    fields = ordered_fields(header, _EXECUTION_HEADER)
    if first_row is None or len(fields) != len(_EXECUTION_HEADER):
        for line in lines[:first_row or 8]:
            reject(line, "预算执行明细表 header not recognised")
        return row_seq
    rows = _rows(lines, first_row, fields, reject)
    unit = _stated_unit(document, [row for row in rows if row.is_total], fields)
    for row in rows:
        name = cell_text(row.name)
        record: RawRow = {column: "" for column in BUDGET_COLUMNS}
        row_seq += 1
        record.update(document_id=document.document_id, source_table=table.source_table,
                      source_line=str(row.line.number), row_seq=str(row_seq),
                      printed_seq=row.seq, row_kind="total" if is_total_label(name) else "item",
                      unit_name=name, amount_unit=unit)
        record.update(zip(fields, row.values))
        result.add(BUDGET_LINES, record)
    return row_seq


def _rows(lines: list[Line], first_row: int, fields: list[str], reject: Rejecter) -> list[_Row]:
    """Rows from their 序号 (1, 2, …) to their last value; the 合计 row ends the table."""
    rows: list[_Row] = []
    current: _Row | None = None
    expected = 1
    ended = False
    repeat = HeaderRepeat(lines[:first_row])
    for line in lines[first_row:]:
        if PAGE_FOOTER.match(line.key) or repeat.skips(line):
            continue
        tokens = line.tokens
        if ended:
            if _holds_values(tokens):
                reject(line, "row after the table's 合计 row")
                continue
            break
        if current is None:
            if tokens[0] != str(expected):
                if rows:
                    ended = True
                    if _holds_values(tokens):
                        reject(line, "row without the expected 序号")
                        continue
                    break
                reject(line, "text before the first row")
                continue
            current = _Row(tokens[0], line)
            expected += 1
            tokens = tokens[1:]
        _read_tokens(current, line, tokens, reject)
        if len(current.values) >= len(fields):
            rows.append(current)
            if len(current.values) > len(fields):
                reject(line, "more values than the table has columns")
            if current.is_total:
                ended = True
            current = None
    if current is not None:
        rows.append(current)
    return rows


def _holds_values(tokens: list[str]) -> bool:
    """A line with three or more amounts or rates: a row's figures."""
    return sum(is_amount(t) or PERCENT.match(t) is not None for t in tokens) >= 3


def _read_tokens(row: _Row, line: Line, tokens: list[str], reject: Rejecter) -> None:
    """Name fragments until the first amount, then the amounts and the rate."""
    for index, token in enumerate(tokens):
        if is_amount(token) or PERCENT.match(token):
            row.values.append(token)
            row.line = line
        elif row.values:
            reject(line, "text between a row's amounts", token)
        else:
            row.name.append(Fragment(token, line, after_space=index > 0))


def _stated_unit(document: SourceDocument, totals: list[_Row], fields: list[str]) -> str:
    """元 when the document's text states a total-row amount in 万元 (amount / 10,000 at the
    stated precision), 万元 when it states the amount itself; '' when it states neither.
    Only figures with at least six significant digits count, so a match is no coincidence."""
    text = squeeze("".join(document.lines)) if totals else ""
    stated = []
    for match in _STATED_WAN.finditer(text):
        printed = match.group(1).rstrip(",")
        digits = printed.replace(",", "").replace(".", "").lstrip("0")
        if len(digits) < 6:
            continue
        try:
            stated.append(Decimal(printed.replace(",", "")))
        except InvalidOperation:
            continue
    for row in totals:
        for name, value in zip(fields, row.values):
            if name == "execution_rate" or not is_amount(value):
                continue
            amount = Decimal(value.replace(",", ""))
            for figure in stated:
                places = -figure.as_tuple().exponent
                if round_half_up(amount / 10000, places) == figure:
                    return "元"
                if amount == figure:
                    return "万元"
    return ""
