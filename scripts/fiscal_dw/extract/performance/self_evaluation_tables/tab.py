"""项目支出绩效自评表 and 自评情况汇总表 of a document whose tables are tab-separated.

Three raw tables (see docs/raw_tables_performance.md):

- ``raw_self_evaluations``: one row per printed 项目支出绩效自评表 (a table printed twice
  gives two rows: duplicates are the caller's business, not the extractor's);
- ``raw_performance_indicators``: one row per printed indicator row (duplicated rows kept);
- ``raw_self_evaluation_summaries``: the rows of a 自评情况汇总表.

Tables are found by their title line (a line with a single cell whose text contains the
title) followed, after at most a few unit / year lines, by tab-separated rows: the first
row of a 自评表 holds 项目名称, the first row of a 汇总表 is its header (序号, 项目名称 …).
A title not followed by tab rows (a space-layout table, a table of contents, prose) is
not read here.

Column positions are not reliable in these tables (merged cells, rows shifted one column
left, headers off by one against their data), so every row is read from its own anchors:

- top block: the labels 项目名称 / 主管部门 / 实施单位 (value = next non-empty cell) and the
  four funding-row labels (年度资金总额, 当年财政拨款, 上年结转, 其他资金), whose values are
  the cells right after the label, in the order of the funding header's columns;
- indicator rows: anchored on the right. The last pair of adjacent numeric cells is
  分值 · 得分, whatever follows is the 偏差原因 note, the cells just left of 分值 are the
  value columns of the indicator header (年度指标值 · 实际完成指标值, or 年初 · 调整后 ·
  实际), the nearest non-empty cell left of them is the 三级指标 name, and the non-empty
  cells left of the name are hierarchy labels (一级 / 二级, forward-filled; the outer
  "年度绩效指标" label reprinted after a page break is skipped);
- a single hierarchy label is placed by what it is: a label seen as 一级 (the national
  template's 成本/产出/效益/满意度指标, or printed as the first of a label pair in this
  document) is 一级, one seen as 二级 is 二级, an unknown one is 二级 when it sits right
  next to the name and 一级 otherwise.

Structure that is read but not stored: the title, unit and year lines, the funding
header, the indicator header (and its reprints), the 年度总体目标 row and the objective
text rows under it, blank and tab-only lines, and the closing "总分在80分以下…" line when
it carries no explanation. Every other line inside a table becomes a raw row or a Reject.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.rows import Extracted, RawRow, Reject
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.text import squeeze

EVALUATION_TITLE = "项目支出绩效自评表"
SUMMARY_TITLE = "自评情况汇总表"

SELF_EVALUATIONS = "raw_self_evaluations"
INDICATORS = "raw_performance_indicators"
SUMMARIES = "raw_self_evaluation_summaries"

COLUMNS = {name: RAW_TABLES[name] for name in (SELF_EVALUATIONS, INDICATORS, SUMMARIES)}

# How far below a title the first tab row may start (unit line, year line, blank lines).
_HEAD_LINES = 4
_TITLE_MAX_CHARS = 40

_UNIT = re.compile(r"单位[：:]\s*(\S+)")
_YEAR_LINE = re.compile(r"^[（(]?20\d{2}年度?[)）]?$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_EMBEDDED_POINTS = re.compile(r"[（(]\s*\d+(\.\d+)?\s*分?\s*[)）]")
_BLANK_MARKS = {"", "-", "—", "－", "/"}

# Top block: label → field (value = next non-empty cell).
_KEY_FIELDS = (
    ("项目名称", "project_name"),
    ("主管部门", "supervising_department"),
    ("项目实施单位", "implementing_unit"),
    ("实施单位", "implementing_unit"),
)
# Funding rows: label fragment → column prefix.
_FUNDING_ROWS = (
    ("资金总额", "total"),
    ("当年财政拨款", "current_year"),
    ("上年结转", "carryover"),
    ("其他资金", "other"),
)
# Funding header cells, checked in this order (执行率 before 执行数, 年初 before 预算).
_FUNDING_HEADER = (
    ("执行率", "rate"), ("执行数", "executed"), ("年初", "initial"), ("预算", "adjusted"),
    ("分值", "weight"), ("得分", "score"),
)
_DEFAULT_FUNDING = ("initial", "adjusted", "executed", "weight", "rate", "score")
_TOTAL_FIELDS = {
    "initial": "total_initial", "adjusted": "total_adjusted", "executed": "total_executed",
    "weight": "budget_weight", "rate": "execution_rate", "score": "budget_score",
}
# Summary header cells, checked in this order.
_SUMMARY_HEADER = (
    ("序号", "printed_seq"), ("项目名称", "project_name"), ("资金名称", "fund_name"),
    ("类别", "project_category"), ("单位", "implementing_unit"), ("执行率", "execution_rate"),
    ("年初", "initial_budget"), ("执行数", "executed"), ("支出数", "executed"),
    ("预算", "adjusted_budget"), ("得分", "score"), ("分数", "score"), ("等级", "grade"),
    ("问题", "findings"), ("发现", "findings"),
)

# The national template's 一级 and 二级 indicator labels (2021 onwards); labels printed in
# a document as a 一级 · 二级 pair are learnt on top of these.
TEMPLATE_LEVEL1 = frozenset({"成本指标", "产出指标", "效益指标", "满意度指标"})
TEMPLATE_LEVEL2 = frozenset({
    "经济成本指标", "社会成本指标", "生态环境成本指标", "数量指标", "质量指标", "时效指标",
    "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "可持续发展影响指标",
    "服务对象满意度指标",
})


def extract_tab_self_evaluations(document: SourceDocument) -> Extracted:
    """Self-evaluation tables, their indicator rows and the summary table(s) of a tab-layout document."""
    result = Extracted()
    labels = _LabelRoles()
    project_seq = row_seq = 0
    for block in _locate_tables(document, result.rejects):
        if block.kind == EVALUATION_TITLE:
            project_seq += 1
            _parse_evaluation(document, block, project_seq, labels, result)
        else:
            row_seq = _parse_summary(document, block, row_seq, result)
    return result


# --------------------------------------------------------------------------- locating


@dataclass
class _Block:
    kind: str  # EVALUATION_TITLE or SUMMARY_TITLE
    title_line: int
    title: str
    unit: str = ""
    grid: list[tuple[int, str]] = field(default_factory=list)


def _cells(text: str) -> list[str]:
    return [cell.strip() for cell in text.split("\t")]


def _filled(text: str) -> list[tuple[int, str]]:
    return [(index, cell) for index, cell in enumerate(_cells(text)) if cell]


def _title_kind(text: str) -> str | None:
    filled = _filled(text)
    if len(filled) != 1:
        return None
    title = squeeze(filled[0][1])
    if len(title) > _TITLE_MAX_CHARS:
        return None  # prose mentioning the table
    if EVALUATION_TITLE in title:
        return EVALUATION_TITLE
    if SUMMARY_TITLE in title:
        return SUMMARY_TITLE
    return None


def _summary_source_table(title: str) -> str:
    """The title as printed, without 附件 numbering, year prefix or a trailing parenthesis."""
    name = squeeze(title)
    name = re.sub(r"^附[件表]\d*[：:、.]?", "", name)
    name = re.sub(r"^20\d{2}年度?", "", name)
    name = re.sub(r"[（(][^()（）]*[)）]$", "", name)
    return name


def _is_closing(first_cell: str) -> bool:
    """'总分在80分以下的项目未实现绩效目标的原因分析及拟采取的措施说明：'."""
    return first_cell.startswith("总分在") or "未实现绩效目标" in first_cell


def _locate_tables(document: SourceDocument, rejects: list[Reject]) -> Iterator[_Block]:
    lines = document.lines
    number = 1
    while number <= len(lines):
        kind = _title_kind(lines[number - 1])
        if kind is None:
            number += 1
            continue
        block = _Block(kind, number, squeeze(lines[number - 1]))
        head: list[tuple[int, str]] = []
        start = number + 1
        while start <= len(lines) and len(head) <= _HEAD_LINES:
            text = lines[start - 1]
            if "\t" in text and _filled(text):
                break
            if text.strip():
                head.append((start, text))
            start += 1
        else:
            number += 1  # no tab rows below the title: not a tab-layout table
            continue
        first_row = squeeze(lines[start - 1])
        expected = ("项目名称",) if kind == EVALUATION_TITLE else ("序号", "项目名称")
        if not any(marker in first_row for marker in expected):
            number += 1
            continue
        source_table = kind if kind == EVALUATION_TITLE else _summary_source_table(block.title)
        for line_no, text in head:
            unit = _UNIT.search(squeeze(text))
            if unit and not block.unit:
                block.unit = unit.group(1)
            elif not _YEAR_LINE.match(squeeze(text)):
                rejects.append(Reject(source_table, line_no, "text between the title and the table", text))
        number = _collect_grid(lines, start, block)
        yield block


def _collect_grid(lines: tuple[str, ...], start: int, block: _Block) -> int:
    """Append the table's lines to block.grid; return the first line after the table."""
    number = start
    total_seen = False
    while number <= len(lines):
        text = lines[number - 1]
        filled = _filled(text)
        if not filled:
            number += 1
            continue
        if _title_kind(text) is not None:
            return number  # the next table's title
        if "\t" not in text:
            # A tab-less line ends the table if it is followed by more prose (or ends the
            # 汇总表, which has no closing line); a lone one inside the grid is kept (rejected).
            if block.kind == SUMMARY_TITLE or total_seen or not _next_line_has_tabs(lines, number):
                return number
        block.grid.append((number, text))
        first = squeeze(filled[0][1])
        if block.kind == EVALUATION_TITLE:
            if first == "总分":
                total_seen = True
            if _is_closing(first):
                return number + 1
        number += 1
    return number


def _next_line_has_tabs(lines: tuple[str, ...], number: int) -> bool:
    for text in lines[number:]:
        if text.strip():
            return "\t" in text and _title_kind(text) is None
    return False


# --------------------------------------------------------------------------- 自评表


class _LabelRoles:
    """Which hierarchy labels are 一级 and which 二级: template, then learnt from label pairs."""

    def __init__(self) -> None:
        self.level1 = set(TEMPLATE_LEVEL1)
        self.level2 = set(TEMPLATE_LEVEL2)

    def learn(self, level1: str, level2: str) -> None:
        self.level1.add(level1)
        self.level2.add(level2)

    def role(self, label: str, next_to_name: bool) -> int:
        if label in self.level1 and label not in self.level2:
            return 1
        if label in self.level2 and label not in self.level1:
            return 2
        return 2 if next_to_name else 1


def _label(text: str) -> str:
    return _EMBEDDED_POINTS.sub("", squeeze(text))


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


@dataclass
class _EvaluationState:
    evaluation: RawRow
    phase: str = "head"  # head → objective → indicators → done
    funding_fields: tuple[str, ...] = _DEFAULT_FUNDING
    funding_seen: set[str] = field(default_factory=set)
    value_fields: tuple[str, ...] = ("target_text", "actual_text")
    level1: str = ""
    level2: str = ""
    indicators: list[RawRow] = field(default_factory=list)


def _parse_evaluation(document: SourceDocument, block: _Block, project_seq: int,
                      labels: _LabelRoles, result: Extracted) -> None:
    evaluation: RawRow = {column: "" for column in COLUMNS[SELF_EVALUATIONS]}
    evaluation.update(document_id=document.document_id, source_table=EVALUATION_TITLE,
                      source_line=str(block.title_line), project_seq=str(project_seq),
                      amount_unit=block.unit)
    state = _EvaluationState(evaluation)

    def reject(line_no: int, text: str, reason: str) -> None:
        result.rejects.append(Reject(EVALUATION_TITLE, line_no, reason, text))

    for line_no, text in block.grid:
        cells = _cells(text)
        filled = _filled(text)
        first = squeeze(filled[0][1])
        if "\t" not in text:
            reject(line_no, text, "text line without cells inside the table")
        elif _is_closing(first):
            if len(filled) > 1:
                reject(line_no, text, "explanation under the 总分在80分以下 line is not stored")
            state.phase = "done"
        elif state.phase == "done":
            reject(line_no, text, "row after the 总分 row")
        elif first == "总分":
            if len(filled) == 2 and not evaluation["total_score"]:
                evaluation["total_score"] = filled[1][1]
            else:
                reject(line_no, text, "总分 row without exactly one value")
            state.phase = "done"
        elif _is_indicator_header(text):
            if state.phase != "indicators":
                state.value_fields = _value_fields(cells)
            state.phase = "indicators"
        elif state.phase == "head" and _head_row(line_no, text, cells, filled, state, reject):
            continue
        elif state.phase != "indicators" and _right_anchor(cells) is None:
            if state.phase == "head":
                reject(line_no, text, "row not recognised in the table's top block")
            # else: objective text under 年度总体目标 (structure, not stored)
        else:  # an indicator row (also when the indicator header was not printed)
            state.phase = "indicators"
            _indicator_row(document, line_no, text, cells, project_seq, state, labels, reject)

    result.add(SELF_EVALUATIONS, evaluation)
    for row in state.indicators:
        result.add(INDICATORS, row)


def _head_row(line_no: int, text: str, cells: list[str], filled: list[tuple[int, str]],
              state: _EvaluationState, reject) -> bool:
    """A row of the top block (placed or rejected here): True; anything else: False."""
    first = squeeze(filled[0][1])
    if first.startswith("年度总体目标"):
        state.phase = "objective"
        return True
    funding = _funding_label(cells)
    if funding is not None:
        _funding_row(line_no, text, cells, funding, state, reject)
        return True
    if any(squeeze(cell).startswith(key) for _, cell in filled for key, _ in _KEY_FIELDS):
        _key_value_row(line_no, text, filled, state, reject)
        return True
    if any(marker in squeeze(text) for marker in ("年初预算", "全年预算", "调整后预算", "执行数")):
        _funding_header(line_no, text, filled, state, reject)
        return True
    return False


def _key_value_row(line_no: int, text: str, filled: list[tuple[int, str]],
                   state: _EvaluationState, reject) -> None:
    unplaced: list[str] = []
    index = 0
    while index < len(filled):
        cell = squeeze(filled[index][1])
        column = next((name for key, name in _KEY_FIELDS if cell.startswith(key)), None)
        if column is None:
            unplaced.append(filled[index][1])
            index += 1
            continue
        value = ""
        if index + 1 < len(filled) and not any(
                squeeze(filled[index + 1][1]).startswith(key) for key, _ in _KEY_FIELDS):
            value = filled[index + 1][1]
            index += 1
        if state.evaluation[column]:
            unplaced.append(f"{filled[index][1]} (second {cell})")
        else:
            state.evaluation[column] = value
        index += 1
    if unplaced:
        reject(line_no, text, "cells not placed: " + " | ".join(unplaced))


def _funding_header(line_no: int, text: str, filled: list[tuple[int, str]],
                    state: _EvaluationState, reject) -> None:
    fields: list[str] = []
    for _, cell in filled:
        name = squeeze(cell)
        if "预算执行情况" in name:
            continue
        field_name = next((f for key, f in _FUNDING_HEADER if key in name), None)
        if field_name is None or field_name in fields:
            reject(line_no, text, f"funding header column not recognised: {cell}")
            return
        fields.append(field_name)
    state.funding_fields = tuple(fields)


def _funding_label(cells: list[str]) -> tuple[int, str] | None:
    for index, cell in enumerate(cells):
        name = squeeze(cell)
        for key, prefix in _FUNDING_ROWS:
            if key in name and len(name) <= len(key) + 4:  # "其中：当年财政拨款"
                return index, prefix
    return None


def _funding_row(line_no: int, text: str, cells: list[str], funding: tuple[int, str],
                 state: _EvaluationState, reject) -> None:
    index, prefix = funding
    leading = [cell for cell in cells[:index] if cell and "预算执行情况" not in squeeze(cell)]
    width = len(state.funding_fields)
    values = cells[index + 1:index + 1 + width]
    values += [""] * (width - len(values))
    extra = [cell for cell in cells[index + 1 + width:] if cell]
    if leading or extra:
        reject(line_no, text, "funding row with cells outside its columns")
        return
    if prefix in state.funding_seen:
        reject(line_no, text, "funding row printed twice in one table")
        return
    by_field = dict(zip(state.funding_fields, values))
    if prefix == "total":
        for name, value in by_field.items():
            state.evaluation[_TOTAL_FIELDS[name]] = value
    else:
        stray = [value for name, value in by_field.items()
                 if name not in ("initial", "adjusted", "executed") and value not in _BLANK_MARKS]
        if stray:
            reject(line_no, text, "funding sub-row with a 分值/执行率/得分 value")
            return
        for name in ("initial", "adjusted", "executed"):
            state.evaluation[f"{prefix}_{name}"] = by_field.get(name, "")
    state.funding_seen.add(prefix)


def _is_indicator_header(text: str) -> bool:
    joined = squeeze(text)
    return "三级指标" in joined and ("分值" in joined or "得分" in joined or "指标值" in joined)


def _value_fields(cells: list[str]) -> tuple[str, ...]:
    """The value columns between 三级指标 and 分值, as raw column names."""
    names = [squeeze(cell) for cell in cells if cell]
    start = next((i for i, name in enumerate(names) if "三级指标" in name), None)
    end = next((i for i, name in enumerate(names) if name in ("分值", "权重") or "分值" in name), None)
    if start is None or end is None or end - start < 2:
        return ("target_text", "actual_text")
    fields = []
    for name in names[start + 1:end]:
        if "调整" in name:
            fields.append("adjusted_target_text")
        elif "实际" in name or "完成" in name:
            fields.append("actual_text")
        else:
            fields.append("target_text")
    if len(set(fields)) != len(fields) or "actual_text" not in fields:
        return ("target_text", "actual_text")
    return tuple(fields)


def _right_anchor(cells: list[str]) -> int | None:
    """Index of the 分值 cell: the left one of the last pair of adjacent numeric cells."""
    for index in range(len(cells) - 1, 0, -1):
        if _is_number(cells[index]) and _is_number(cells[index - 1]):
            return index - 1
    return None


def _indicator_row(document: SourceDocument, line_no: int, text: str, cells: list[str],
                   project_seq: int, state: _EvaluationState, labels: _LabelRoles,
                   reject) -> None:
    weight_at = _right_anchor(cells)
    if weight_at is None:
        reject(line_no, text, "indicator row without a 分值 · 得分 pair")
        return
    values_at = weight_at - len(state.value_fields)
    name_at = next((i for i in range(values_at - 1, -1, -1) if cells[i]), None) if values_at > 0 else None
    if name_at is None:
        reject(line_no, text, "indicator row without a 三级指标 name")
        return
    hierarchy = [(i, _label(cell)) for i, cell in enumerate(cells[:name_at]) if cell]
    hierarchy = [(i, label) for i, label in hierarchy if not label.endswith("绩效指标")]
    if len(hierarchy) > 2:
        reject(line_no, text, "more than two hierarchy labels before the indicator name")
        return
    name = squeeze(cells[name_at])
    if name in ("小计", "合计"):
        _subtotal_row(line_no, text, cells, weight_at, state, reject)
        return
    if len(hierarchy) == 2:
        state.level1, state.level2 = hierarchy[0][1], hierarchy[1][1]
        labels.learn(state.level1, state.level2)
    elif len(hierarchy) == 1:
        index, label = hierarchy[0]
        if labels.role(label, next_to_name=index == name_at - 1) == 1:
            if label != state.level1:
                state.level2 = ""  # a merged 二级 cell cannot span two 一级 groups
            state.level1 = label
        else:
            state.level2 = label
    row: RawRow = {column: "" for column in COLUMNS[INDICATORS]}
    row.update(document_id=document.document_id, source_table=EVALUATION_TITLE,
               source_line=str(line_no), project_seq=str(project_seq),
               indicator_seq=str(len(state.indicators) + 1), level1=state.level1,
               level2=state.level2, indicator_name=cells[name_at],
               weight=cells[weight_at], score=cells[weight_at + 1],
               deviation_note="".join(cell for cell in cells[weight_at + 2:] if cell))
    for offset, column in enumerate(state.value_fields):
        row[column] = cells[values_at + offset]
    state.indicators.append(row)


def _subtotal_row(line_no: int, text: str, cells: list[str], weight_at: int,
                  state: _EvaluationState, reject) -> None:
    evaluation = state.evaluation
    if evaluation["indicator_weight_subtotal"] or any(cells[weight_at + 2:]):
        reject(line_no, text, "second or annotated 小计 row")
        return
    evaluation["indicator_weight_subtotal"] = cells[weight_at]
    evaluation["indicator_score_subtotal"] = cells[weight_at + 1]


# --------------------------------------------------------------------------- 汇总表


def _parse_summary(document: SourceDocument, block: _Block, row_seq: int, result: Extracted) -> int:
    source_table = _summary_source_table(block.title)

    def reject(line_no: int, text: str, reason: str) -> None:
        result.rejects.append(Reject(source_table, line_no, reason, text))

    header_line, header_text = block.grid[0]
    header = _cells(header_text)
    columns: list[str | None] = []
    for cell in header:
        name = squeeze(cell)
        column = next((c for key, c in _SUMMARY_HEADER if key in name), None) if name else None
        if column in columns:
            column = None
        columns.append(column)
    unknown = [cell for cell, column in zip(header, columns) if cell and column is None]
    if unknown:
        reject(header_line, header_text, "summary header columns not recognised: " + " | ".join(unknown))
    header_key = squeeze(header_text)
    for line_no, text in block.grid[1:]:
        if squeeze(text) == header_key:
            continue  # header reprinted after a page break
        cells = _cells(text)
        unplaced = [cell for index, cell in enumerate(cells)
                    if cell and (index >= len(columns) or columns[index] is None)]
        row: RawRow = {column: "" for column in COLUMNS[SUMMARIES]}
        for index, column in enumerate(columns):
            if column is not None and index < len(cells):
                row[column] = cells[index]
        if "\t" not in text or unplaced:
            reject(line_no, text, "cells outside the summary table's columns")
            continue
        if "printed_seq" in columns and not row["printed_seq"].isdigit():
            reject(line_no, text, "summary row without a 序号")
            continue
        row_seq += 1
        row.update(document_id=document.document_id, source_table=source_table,
                   source_line=str(line_no), row_seq=str(row_seq))
        result.add(SUMMARIES, row)
    return row_seq
