"""自评情况汇总表 in the space layout: column order from the header, a row from its 序号 to
its value run, the wrapped text cells in front split by the wrapped-text rule."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.performance.self_evaluation_tables.space_cells import (
    UNIT,
    PAGE_FOOTER,
    PERCENT,
    Fragment,
    HeaderRepeat,
    Line,
    cell_text,
    is_amount,
    line_fragments,
    ordered_fields,
    segment,
)
from fiscal_dw.extract.performance.self_evaluation_tables.space_tables import COLUMNS, SUMMARIES, Table
from fiscal_dw.extract.rows import Extracted, RawRow, Reject

# Summary header columns: field → markers, ordered by their position in the header.
_SUMMARY_HEADER = (
    ("printed_seq", ("序号",)), ("implementing_unit", ("项目实施单位", "实施单位")),
    ("project_category", ("项目类别",)), ("fund_name", ("资金名称",)),
    ("project_name", ("项目名称",)), ("initial_budget", ("年初预算",)),
    ("adjusted_budget", ("预算调整数", "调整后预算", "全年预算")),
    ("executed", ("执行数", "支出数")), ("execution_rate", ("执行率",)),
    ("score", ("评价得分", "得分")), ("grade", ("评价等级", "等级")),
    ("findings", ("评价发现问题", "发现问题")),
)
_SUMMARY_TEXT_FIELDS = ("implementing_unit", "project_category", "fund_name", "project_name")
_SUMMARY_AMOUNT_FIELDS = ("initial_budget", "adjusted_budget", "executed", "score")


Rejecter = Callable[[Line, str], None]


@dataclass(frozen=True)
class _Layout:
    """What a summary table's header says: where it starts, where the rows start, the text
    columns before the first amount, the value columns from it on, the 项目类别 options."""

    header_start: int
    first_row: int
    text_fields: list[str]
    value_fields: list[str]
    options: tuple[str, ...]


def parse_summary(document: SourceDocument, table: Table, row_seq: int, result: Extracted) -> int:
    """The rows of one 汇总表 (``row_seq`` carried on across tables); returns the last row_seq."""
    def reject(line: Line, reason: str) -> None:
        result.rejects.append(Reject(table.source_table, line.number, reason, line.text))

    layout = _layout(table.lines, reject)
    if layout is None:
        return row_seq
    for start, row_lines in _row_lines(table.lines, layout, reject):
        row = _summary_row(document, table, start, row_lines, layout, reject)
        if row is not None:
            row_seq += 1
            row["row_seq"] = str(row_seq)
            result.add(SUMMARIES, row)
    return row_seq


def _layout(lines: list[Line], reject: Rejecter) -> _Layout | None:
    """The header (from its 序号 line to the first row) read into a layout; None (and the
    table's lines rejected) when it is not recognised."""
    header_start = next((i for i, line in enumerate(lines) if line.key.startswith("序号")), None)
    first_row = next((i for i, line in enumerate(lines)
                      if header_start is not None and i > header_start and line.tokens[0] == "1"), None)
    if header_start is None or first_row is None:
        for line in lines:
            reject(line, "summary table header or first row not found")
        return None
    for line in lines[:header_start]:
        if not UNIT.search(line.key) and not line.key.startswith("部门名称"):
            reject(line, "text between the title and the summary header")
    header = "".join(line.key for line in lines[header_start:first_row])
    fields = ordered_fields(header, _SUMMARY_HEADER)
    if "initial_budget" not in fields or "printed_seq" not in fields:
        for line in lines[header_start:]:
            reject(line, "summary header not recognised")
        return None
    first_value = fields.index("initial_budget")
    text_fields = [name for name in fields[:first_value] if name in _SUMMARY_TEXT_FIELDS]
    value_fields = fields[first_value:]
    categories = re.search(r"项目类别[（(]([^）)]+)[）)]", header)
    options = tuple(categories.group(1).split("/")) if categories else ()
    return _Layout(header_start, first_row, text_fields, value_fields, options)


def _row_lines(lines: list[Line], layout: _Layout, reject: Rejecter) -> list[tuple[Line, list[Line]]]:
    """Each row's lines, from the line starting with its 序号 (1, 2, …) to the next row."""
    rows: list[tuple[Line, list[Line]]] = []
    expected = 1
    repeat = HeaderRepeat(lines[layout.header_start:layout.first_row])
    for line in lines[layout.first_row:]:
        if line.key.startswith(("说明", "注：", "注:")):
            break
        if PAGE_FOOTER.match(line.key) or repeat.skips(line):
            continue
        if line.tokens[0] == str(expected):
            rows.append((line, [line]))
            expected += 1
        elif rows:
            rows[-1][1].append(line)
        else:
            reject(line, "summary text before the first row")
    return rows


def _summary_row(document: SourceDocument, table: Table, start: Line, row_lines: list[Line], layout: _Layout,
                 reject: Rejecter) -> RawRow | None:
    """One row: its text cells (wrapped, before the value run) and its values; None when rejected."""
    text_fields, value_fields, options = layout.text_fields, layout.value_fields, layout.options
    fragments: list[Fragment] = []
    values: list[str] = []
    value_line: Line | None = None
    for line in row_lines:
        tokens = line.tokens[1:] if line is start else line.tokens
        if value_line is not None:
            reject(line, "text after the summary row's values")
            continue
        at = next((i for i in range(len(tokens) - 2)
                   if all(is_amount(t) for t in tokens[i:i + 3])), None)
        if at is None:
            fragments.extend(line_fragments(line, tokens) if line is not start else
                             [Fragment(t, line, after_space=True, alone=False) for t in tokens])
            continue
        # text printed on the value line is a cell of its own (the last text column)
        fragments.extend(Fragment(t, line, after_space=True, alone=False) for t in tokens[:at])
        values = tokens[at:]
        value_line = line
    if value_line is None:
        for line in row_lines:
            reject(line, "summary row without its amounts")
        return None
    if fragments:
        fragments[0].after_space = False
    row: RawRow = {column: "" for column in COLUMNS[SUMMARIES]}
    row.update(document_id=document.document_id, source_table=table.source_table,
               source_line=str(value_line.number), printed_seq=start.tokens[0])
    cells, leftover = _summary_text_cells(fragments, text_fields, options)
    if leftover:
        reject(start, "summary text cells not placed: " + cell_text(leftover))
    row.update(cells)
    trailing = ""
    if "execution_rate" not in value_fields and values and PERCENT.match(values[-1]):
        trailing = values.pop()  # the unlabelled trailing % column
    placed = dict(zip(value_fields, values))
    if "findings" in value_fields and len(values) > len(value_fields):
        placed["findings"] = " ".join(values[value_fields.index("findings"):])
    elif len(values) > len(value_fields):
        reject(value_line, "more values than the summary header has columns")
        return None
    bad = [name for name in _SUMMARY_AMOUNT_FIELDS
           if placed.get(name) and not is_amount(placed[name])]
    if bad:
        reject(value_line, "summary amounts not where the header puts them: " + ", ".join(bad))
        return None
    row.update(placed)
    if trailing:
        row["execution_rate"] = trailing
    return row


def _summary_text_cells(fragments: list[Fragment], text_fields: list[str],
                        options: tuple[str, ...]) -> tuple[dict[str, str], list[Fragment]]:
    """Split a summary row's wrapped text into its text columns (header order); also
    return the fragments that no column can take."""
    cells: dict[str, str] = {}
    leftover: list[Fragment] = []
    anchor = None
    if "project_category" in text_fields and options:
        anchor = next((i for i, f in enumerate(fragments) if f.text in options), None)
    if anchor is None:
        parts = segment(fragments, len(text_fields))
        names = text_fields[:len(parts)]
    else:
        at = text_fields.index("project_category")
        if at == 0:
            leftover = fragments[:anchor]
        before = segment(fragments[:anchor], at)
        after_fragments = fragments[anchor + 1:]
        if after_fragments:
            after_fragments[0] = Fragment(after_fragments[0].text, after_fragments[0].line)
        after = segment(after_fragments, len(text_fields) - at - 1)
        parts = [*before, [fragments[anchor]], *after]
        names = [*text_fields[at - len(before):at], "project_category",
                 *text_fields[at + 1:at + 1 + len(after)]]
    for name, part in zip(names, parts):
        cells[name] = cell_text(part)
    if not text_fields:
        leftover = fragments
    return cells, leftover
