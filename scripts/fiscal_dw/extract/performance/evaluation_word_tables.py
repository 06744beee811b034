"""Tables of a Word document exported with one cell per line (evaluation reports).

Layout, recognised by structure only:

- a table starts at the first line that begins with a TAB after a caption line (the nearest
  non-blank line before it, e.g. `表1-2 项目资金投入和使用情况表`); its `source_table` is
  the caption's code (`表1-2`, dashes normalised), or the whitespace-free caption when it
  has no code;
- every cell is one line `TAB + text` (a blank or merged cell is a TAB-only line); rows are
  separated by blank lines (one or more: a double blank line can occur inside a table), and
  the table ends at the next non-blank line that does not start with a TAB;
- the first row is the header; what each column holds comes from the header text.

Two kinds of table are read; a table whose header is neither is not extracted (e.g. a
work-task table 序号/支出领域/子项目名称/…/完成情况, which has no raw table in the spec):

- budget execution (header with 预算 and 支出/执行, and a name column) →
  `raw_budget_execution_lines`. A row with as many cells as the header and an integer
  序号 is an `item`; a row with fewer cells is a summary row whose first cell spans the
  leading label columns (序号/处室/名称) and whose remaining cells are the right-most
  columns: `合计`/`总计` → `total` (line_name `合计`, whitespace removed), `（一）…` →
  `subtotal` (line_name as printed, `area` = the label without its ordinal), `小计` →
  `subtotal` of the current area. Items carry the area of the last subtotal above them.
  `amount_unit` comes from the caption or header when printed there (`（万元）`,
  `单位：万元`); otherwise from the prose: when both the 合计 row's budget and its
  executed figure are printed in the prose (outside any table) with one same unit, that
  unit is taken; otherwise it is left empty.
- indicators (header with 一级指标 and 三级指标/指标名称) → `raw_performance_indicators`,
  `project_seq` = the ordinal of the indicator table in the document (1 for a single
  report), `indicator_seq` 1-based within the table, 一级/二级 forward-filled. A
  placeholder row printed as `——` / `——` is kept as printed (it is a printed row: it
  records a 二级 category declared without an indicator); staging can tell it by
  `indicator_name = '——'`.

`source_line` is the line of the row's first value cell (预算 for a budget row, the 指标值
for an indicator row), i.e. the line holding the row's figures.

Rejected: a row whose cell count does not fit the header, a summary row whose label is not
a total/area/小计, a line holding more than one cell, a non-blank cell under a header
column that has no raw column, an indicator row without a name. An all-blank row holds
nothing and is skipped. This layout has no scores, so no `raw_self_evaluations` row is
produced.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.performance.self_evaluation_reports import (
    INDICATOR_ROLES,
    INDICATORS,
    amount_unit_of,
    indicator_rows,
)
from fiscal_dw.extract.rows import Extracted, RawRow, Reject
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.text import column_roles, is_integer, is_total_label, squeeze, to_decimal

BUDGET_LINES = "raw_budget_execution_lines"
BUDGET_LINE_COLUMNS = RAW_TABLES[BUDGET_LINES]
_CAPTION_CODE = re.compile(r"^表\s*(\d+(?:\s*[-－—–]\s*\d+)*)")
_AREA_LABEL = re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*")
_PROSE_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(万元|元)")
_VALUE_ROLES = ("initial_budget", "budget", "executed", "execution_rate")
_LABEL_ROLES = ("printed_seq", "unit_name", "line_name")


@dataclass
class Cell:
    line_no: int
    text: str
    raw: str


@dataclass
class WordTable:
    caption_line: int
    caption: str
    rows: list[list[Cell]] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)

    @property
    def source_table(self) -> str:
        match = _CAPTION_CODE.match(self.caption.strip())
        if match is None:
            return squeeze(self.caption)
        return "表" + re.sub(r"[－—–]", "-", squeeze(match.group(1)))

    @property
    def header(self) -> list[str]:
        return [cell.text for cell in self.rows[0]] if self.rows else []


def _is_blank(text: str) -> bool:
    return "\t" not in text and not text.strip()


def _word_tables(document: SourceDocument) -> list[WordTable]:
    tables: list[WordTable] = []
    current: WordTable | None = None
    row: list[Cell] = []
    caption_line, caption = 0, ""
    for line_no, text in enumerate(document.lines, start=1):
        if text.startswith("\t"):
            if current is None:
                current = WordTable(caption_line, caption)
                tables.append(current)
            row.append(Cell(line_no, text[1:].strip(), text))
            current.lines.add(line_no)
        elif _is_blank(text):
            if current is not None:
                current.lines.add(line_no)
                if row:
                    current.rows.append(row)
                    row = []
        else:
            if current is not None and row:
                current.rows.append(row)
            current, row = None, []
            caption_line, caption = line_no, text
    if current is not None and row:
        current.rows.append(row)
    return tables


def _table_kind(header: list[str]) -> str | None:
    flat = squeeze("".join(header))
    if "一级指标" in flat and ("三级指标" in flat or "指标名称" in flat):
        return "indicators"
    if "预算" in flat and ("支出" in flat or "执行" in flat) and "名称" in flat:
        return "budget"
    return None


# What a budget-execution column holds, by the first marker its header contains.
_BUDGET_ROLES = (
    (("序号",), "printed_seq"), (("执行率", "完成率"), "execution_rate"), (("备注", "说明"), "note"),
    (("年初",), "initial_budget"), (("预算",), "budget"), (("支出", "执行"), "executed"),
    (("名称",), "line_name"), (("处室", "单位", "部门"), "unit_name"),
)


def _row_text(row: list[Cell]) -> str:
    return " | ".join(cell.text for cell in row)


def _reject_row(table: WordTable, row: list[Cell], reason: str, rejects: list[Reject]) -> None:
    rejects.extend(Reject(table.source_table, cell.line_no, reason, cell.raw) for cell in row)


def _multi_cell_lines(table: WordTable, row: list[Cell], rejects: list[Reject]) -> bool:
    bad = [cell for cell in row if "\t" in cell.raw[1:]]
    if bad:
        _reject_row(table, row, "a line of a one-cell-per-line table holds more than one cell", rejects)
    return bool(bad)


# --------------------------------------------------------------------------- budget table


def _decimal(printed: str) -> Decimal | None:
    try:
        return to_decimal(printed)
    except InvalidOperation:
        return None


def _prose_unit(document: SourceDocument, table_lines: set[int], total: RawRow | None) -> str:
    """The unit of the prose amounts equal to both the 合计 budget and executed figures."""
    if total is None:
        return ""
    wanted = [_decimal(total["budget"]), _decimal(total["executed"])]
    if any(value is None for value in wanted):
        return ""
    units_by_value: dict[Decimal, set[str]] = {}
    for line_no, text in enumerate(document.lines, start=1):
        if line_no in table_lines:
            continue
        for match in _PROSE_AMOUNT.finditer(squeeze(text)):
            value = _decimal(match.group(1))
            if value is not None:
                units_by_value.setdefault(value, set()).add(match.group(2))
    common = set.intersection(*(units_by_value.get(value, set()) for value in wanted))
    return common.pop() if len(common) == 1 else ""


def _summary(first: str) -> tuple[str, str, str | None] | None:
    """(row_kind, line_name, new area or None to keep the current one) of a summary label."""
    label = squeeze(first)
    if is_total_label(label):
        return "total", label, ""
    if _AREA_LABEL.match(first):
        return "subtotal", first, _AREA_LABEL.sub("", first).strip()
    if label == "小计":
        return "subtotal", label, None
    return None


def _budget_rows(table: WordTable, document: SourceDocument, all_table_lines: set[int],
                 rejects: list[Reject]) -> list[RawRow]:
    header = table.header
    roles = column_roles(header, _BUDGET_ROLES)
    leading = 0
    while leading < len(roles) and roles[leading] in _LABEL_ROLES:
        leading += 1
    rows: list[RawRow] = []
    area = ""
    for row in table.rows[1:]:
        if _multi_cell_lines(table, row, rejects) or not any(cell.text for cell in row):
            continue
        width = len(row)
        if width > len(header) or width < len(header) - leading + 1:
            _reject_row(table, row, f"row has {width} cells, header has {len(header)}", rejects)
            continue
        offset = len(header) - width  # columns spanned by the first cell beyond the first
        values, by_role, unplaced = _place_cells(row, header, roles, offset)
        classified = _classify(values, row[0].text, roles[:leading], "printed_seq" in roles, offset)
        if classified is None:
            reason = ("summary row label is neither a total nor an area" if offset > 0
                      else "row has no 序号 and no summary label")
            _reject_row(table, row, reason, rejects)
            continue
        kind, new_area = classified
        area = area if new_area is None else new_area
        for cell, label in unplaced:
            rejects.append(Reject(table.source_table, cell.line_no,
                                  f"no raw column for header '{label}'", cell.raw))
        value_cell = next((by_role[role] for role in _VALUE_ROLES if role in by_role), row[0])
        values.update(source_table=table.source_table, source_line=str(value_cell.line_no),
                      row_seq=str(len(rows) + 1), row_kind=kind,
                      area=area if kind != "total" else "")
        rows.append(values)
    unit = amount_unit_of([table.caption, *header])
    if not unit:
        total = next((row for row in rows if row["row_kind"] == "total"), None)
        unit = _prose_unit(document, all_table_lines, total)
    for values in rows:
        values["amount_unit"] = unit
    return rows


def _place_cells(row: list[Cell], header: list[str], roles: list[str | None],
                 offset: int) -> tuple[RawRow, dict[str, Cell], list[tuple[Cell, str]]]:
    """A row's cells under their header columns (the first cell may span ``offset`` more):
    the values by role, the cell of each role, and the non-blank cells of columns without one."""
    columns = [0] + list(range(1 + offset, len(header)))
    values = {role: "" for role in BUDGET_LINE_COLUMNS}
    by_role: dict[str, Cell] = {}
    unplaced = []
    for cell, column in zip(row, columns):
        role = roles[column]
        if role is None:
            if cell.text:
                unplaced.append((cell, header[column]))
            continue
        values[role] = cell.text
        by_role[role] = cell
    return values, by_role, unplaced


def _classify(values: RawRow, first: str, label_roles: list[str | None], has_seq: bool,
              offset: int) -> tuple[str, str | None] | None:
    """(row kind, the area it opens or None); None when the row is neither an item nor a
    summary row. A summary row's label becomes its line_name."""
    other_labels = [values[role] for role in _LABEL_ROLES[1:] if role in label_roles]
    summary = _summary(first)
    if offset == 0 and is_integer(values["printed_seq"]):
        return "item", None
    if summary is not None and (offset > 0 or not any(other_labels)):
        kind, values["line_name"], new_area = summary
        values["printed_seq"] = values["unit_name"] = ""
        return kind, new_area
    if offset == 0 and not has_seq and values["line_name"]:
        return "item", None  # a table without a 序号 column
    return None


# --------------------------------------------------------------------------- indicator table


def _indicator_rows(table: WordTable, project_seq: int, document_id: str,
                    rejects: list[Reject]) -> list[RawRow]:
    header = table.header
    roles = column_roles(header, INDICATOR_ROLES)
    value_column = next((i for i, role in enumerate(roles) if role in (
        "target_text", "adjusted_target_text", "actual_text", "weight", "score")), 0)
    aligned = []
    for row in table.rows[1:]:
        if _multi_cell_lines(table, row, rejects):
            continue
        if not any(cell.text for cell in row):
            continue
        if len(row) != len(header):
            _reject_row(table, row, f"row has {len(row)} cells, header has {len(header)}", rejects)
            continue
        value_cell = row[value_column]
        aligned.append((value_cell.line_no, [cell.text for cell in row], _row_text(row)))
    base = {"document_id": document_id, "source_table": table.source_table,
            "project_seq": str(project_seq)}
    return indicator_rows(aligned, header, roles, base, table.source_table, rejects)


# --------------------------------------------------------------------------- entry point


def extract_word_export_tables(document: SourceDocument) -> Extracted:
    result = Extracted()
    tables = _word_tables(document)
    all_table_lines = set().union(*(table.lines for table in tables)) if tables else set()
    indicator_tables = 0
    for table in tables:
        kind = _table_kind(table.header)
        if kind == "budget":
            for values in _budget_rows(table, document, all_table_lines, result.rejects):
                result.add(BUDGET_LINES, {"document_id": document.document_id,
                                          **{column: values[column] for column in BUDGET_LINE_COLUMNS[1:]}})
        elif kind == "indicators":
            indicator_tables += 1
            for values in _indicator_rows(table, indicator_tables, document.document_id, result.rejects):
                result.add(INDICATORS, values)
    return result
