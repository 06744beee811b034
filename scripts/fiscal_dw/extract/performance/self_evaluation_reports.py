"""项目支出绩效自评分析报告 (one or more per document) as raw rows.

A document of this kind is a run of reports, each starting at its title line
(`…项目支出绩效自评分析报告`, alone on its line). Inside a report everything is found by
structure, never by line number or project name:

- the metadata lines `项目名称：`, `项目单位：`, `主管部门：` (value kept as printed, code
  prefix included: `102-晋城市大数据应用局`);
- tab-delimited blocks (one printed row per line, cells separated by single TABs). A block
  runs until the next non-blank line without a TAB, so blank lines inside a table (page
  breaks) do not end it. Inside a block a table starts at its header line:
  * budget table: a header naming 资金来源 / 预算 / 执行 (no figures);
  * indicator table: a header naming 一级指标 and 指标名称 (or 三级指标).
  Further header lines (the second row of a two-row header) are the following lines whose
  first cell is empty and that hold no digit. Column meanings come from the header text
  (a spanning label is carried into the empty cell beside it when the second header row
  has a label there), not from positions.
  A table of contents (`heading.....→page` lines) is recognised and skipped; a
  markdown separator row (`----→----`) and an all-blank row hold nothing and are skipped;
- the prose: the score sentence (`…指标完成情况得分 90 分…总得分 100 分，属于“优”`) and
  the execution-rate sentence (`预算执行率为 60%`), searched on whitespace-free text, with
  the next non-blank line joined on so that a sentence split by a page break is read.

Output:
- `raw_self_evaluations`: one row per report (`source_line` = the report's title line,
  `project_seq` = the report's ordinal). The budget table's 合计 row gives `total_*`, a
  single fiscal-funds row (`…财政资金` / `…财政拨款`) gives `current_year_*`,
  `上年结转…` gives `carryover_*`, `其他资金` gives `other_*`. 年初预算数 is read from its
  预算编制 sub-column (目标申报 when that is the only one). `stated_*` come from the prose;
  `stated_source_line` is the line of the score sentence (the rate sentence is on another
  line that the schema has no column for).
- `raw_performance_indicators`: every indicator row (`indicator_seq` 1-based within its
  report, `source_table` as above), 一级/二级 forward-filled, whitespace and embedded points
  stripped (as the tab-layout 自评表 extractor does); a new 一级 resets 二级.

Lines before the first report title belong to no report and are not read.

Rejected (`Reject`, the row is still emitted where it exists): a budget row whose label has
no column (e.g. a second fiscal-funds row), a 目标申报 figure that differs from 预算编制
(only one fits `total_initial`), a non-blank cell under a header column the schema has no
place for, an indicator row without a name, cells beyond the header, a second table of
the same kind in one report, and every line of a tab block that is neither a table of
contents nor one of the two tables. Not carried, by design: the 资金结(转)余 column
(no column in the spec; it is 全年预算数 − 全年执行数 in the template).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.rows import Extracted, RawRow, Reject
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.text import column_roles, is_total_label, squeeze

SOURCE_TABLE = "项目支出绩效自评分析报告"
SELF_EVALUATIONS = "raw_self_evaluations"
INDICATORS = "raw_performance_indicators"

SELF_EVALUATION_COLUMNS = RAW_TABLES[SELF_EVALUATIONS]
INDICATOR_COLUMNS = RAW_TABLES[INDICATORS]

_REPORT_TITLE = re.compile(r"^.{0,60}项目支出绩效自评(?:分析)?报告$")
_METADATA = {
    "project_name": re.compile(r"^\s*项目名称\s*[：:]\s*(.*?)\s*$"),
    "implementing_unit": re.compile(r"^\s*项目(?:实施)?单位\s*[：:]\s*(.*?)\s*$"),
    "supervising_department": re.compile(r"^\s*主管部门\s*[：:]\s*(.*?)\s*$"),
}
_TOC_LINE = re.compile(r"^[^\t]*(?:\.{3,}|…{2,}|·{3,})\s*\t\s*\d+\s*$")
_DASHES = re.compile(r"^[-—–:|\s]*$")
_DIGIT = re.compile(r"\d")
_POINTS = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分?\s*[）)]")
_NUMBER = r"(-?\d+(?:\.\d+)?)"
_STATED_RATE = re.compile(r"(?:预算|资金)?执行率(?:为|是|达到|达|[：:])?" + _NUMBER + r"(%|％)")
_STATED_INDICATOR_SCORE = re.compile(r"指标(?:完成情况)?得分(?:为|[：:])?" + _NUMBER)
_STATED_TOTAL_SCORE = re.compile(r"(?:总得分|综合得分|总分)(?:为|[：:])?" + _NUMBER)
_GRADE = re.compile(
    r"(?:属于|等级为|等级[：:]|评级为|等次为|评定为)[“\"'‘「]?(优秀|良好|中等|不合格|合格|优|良|中|差)")
_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[)）]|单位\s*[：:]\s*(万元|元)")


# --------------------------------------------------------------------------- shared helpers


def cells_of(text: str) -> list[str]:
    """TAB-separated cells, each stripped (a line ending in TAB keeps its empty last cell)."""
    return [cell.strip() for cell in text.split("\t")]


def level_label(printed: str) -> str:
    """一级/二级 label without wrap spaces and embedded points: `成本指标（10分）` → `成本指标`
    (the same normalisation as the tab-layout 自评表 extractor, so labels join)."""
    return _POINTS.sub("", squeeze(printed))


# What an indicator-table column holds, by the first marker its (combined) header contains.
INDICATOR_ROLES = (
    (("一级指标",), "level1"), (("二级指标",), "level2"), (("三级指标", "指标名称"), "indicator_name"),
    (("偏差",), "deviation_note"), (("调整后",), "adjusted_target_text"), (("实际",), "actual_text"),
    (("年初指标", "指标值", "年度指标", "目标值"), "target_text"), (("权重", "分值"), "weight"),
    (("得分",), "score"),
)


def header_labels(rows: list[list[str]]) -> list[str]:
    """Combine a one- or two-row header into one label per column.

    A cell left empty beside a label in the first row is that label's span when a lower
    header row has a label under it (`年初预算数→→…` over `目标申报→预算编制`).
    """
    width = max(len(row) for row in rows)
    grid = [row + [""] * (width - len(row)) for row in rows]
    labels = []
    for column in range(width):
        parts = []
        for depth, row in enumerate(grid):
            cell = row[column]
            if not cell and depth + 1 < len(grid) and any(lower[column] for lower in grid[depth + 1:]):
                back = column - 1
                while back >= 0 and not row[back]:
                    back -= 1
                cell = row[back] if back >= 0 else ""
            if cell:
                parts.append(cell)
        labels.append("/".join(parts))
    return labels


def amount_unit_of(labels: Iterable[str]) -> str:
    units = {match.group(1) or match.group(2) for label in labels for match in _UNIT.finditer(label)}
    return units.pop() if len(units) == 1 else ""


# --------------------------------------------------------------------------- structure


@dataclass
class TabTable:
    kind: str  # "budget" | "indicators" | "toc" | "unknown"
    lines: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Report:
    seq: int
    title_line: int
    lines: list[tuple[int, str]]


def _reports(document: SourceDocument) -> list[Report]:
    titles = [number for number, text in enumerate(document.lines, start=1)
              if "\t" not in text and _REPORT_TITLE.match(squeeze(text))]
    reports = []
    for index, title_line in enumerate(titles):
        stop = titles[index + 1] if index + 1 < len(titles) else len(document.lines) + 1
        reports.append(Report(index + 1, title_line,
                              [(n, document.line(n)) for n in range(title_line + 1, stop)]))
    return reports


def _header_kind(text: str) -> str | None:
    flat = squeeze(text)
    if _DIGIT.search(flat):
        return None
    if "一级指标" in flat and ("指标名称" in flat or "三级指标" in flat):
        return "indicators"
    if "资金来源" in flat or ("预算" in flat and "执行" in flat):
        return "budget"
    return None


def _tab_tables(lines: list[tuple[int, str]]) -> list[TabTable]:
    """Tab blocks (blank lines inside do not end them), cut into tables at header lines."""
    tables: list[TabTable] = []
    current: TabTable | None = None
    for line_no, text in lines:
        if "\t" not in text:
            if text.strip():
                current = None  # prose ends a block
            continue
        if _TOC_LINE.match(text):
            if current is None or current.kind != "toc":
                current = TabTable("toc")
                tables.append(current)
            current.lines.append((line_no, text))
            continue
        kind = _header_kind(text)
        if kind is not None and cells_of(text)[0]:
            current = TabTable(kind)
            tables.append(current)
        elif current is None or current.kind == "toc":
            current = TabTable("unknown")
            tables.append(current)
        current.lines.append((line_no, text))
    return tables


def _split_header(table: TabTable) -> tuple[list[list[str]], list[tuple[int, str]]]:
    header = [cells_of(table.lines[0][1])]
    index = 1
    while index < len(table.lines):
        cells = cells_of(table.lines[index][1])
        if cells[0] or any(_DIGIT.search(cell) for cell in cells) or not any(cells):
            break
        header.append(cells)
        index += 1
    return header, table.lines[index:]


def _is_filler(cells: list[str]) -> bool:
    """An all-blank row or a markdown separator row (`-----→----`): nothing to place."""
    return all(_DASHES.match(cell) for cell in cells)


# --------------------------------------------------------------------------- budget table

_BUDGET_ROLES = (
    # (role, test on the squeezed combined label); first match wins.
    ("rate", lambda t: "执行率" in t),
    ("score", lambda t: "得分" in t),
    ("weight", lambda t: "分值" in t or "权重" in t),
    ("balance", lambda t: "余" in t and "结" in t),
    ("declared", lambda t: "年初" in t and "申报" in t),
    ("initial", lambda t: "年初" in t),
    ("executed", lambda t: "执行" in t or "支出" in t),
    ("adjusted", lambda t: "全年预算" in t or "调整后" in t or "预算" in t),
)


def _budget_roles(labels: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for column, label in enumerate(labels):
        text = squeeze(label)
        if column == 0:
            roles.setdefault("label", 0)
            continue
        role = next((role for role, test in _BUDGET_ROLES if test(text)), None)
        if role is not None and role not in roles:
            roles[role] = column
    if "initial" not in roles and "declared" in roles:
        roles["initial"] = roles.pop("declared")
    return roles


def _funding_prefix(label: str) -> str | None:
    text = squeeze(label)
    if is_total_label(text) or "资金总额" in text:
        return "total"
    if "结转" in text:
        return "carryover"
    if "其他" in text:
        return "other"
    if "财政拨款" in text or text.endswith("财政资金") or text.endswith("财政"):
        return "current_year"
    return None


def _read_budget(table: TabTable, row: RawRow, rejects: list[Reject]) -> None:
    header, body = _split_header(table)
    labels = header_labels(header)
    roles = _budget_roles(labels)
    row["amount_unit"] = amount_unit_of(labels)
    known_columns = set(roles.values())
    filled: set[str] = set()
    for line_no, text in body:
        cells = cells_of(text)
        if _is_filler(cells):
            continue
        if any(cells[len(labels):]):
            rejects.append(Reject(SOURCE_TABLE, line_no, "cells beyond the budget table's header", text))
            continue
        prefix = _funding_prefix(cells[0])
        if prefix is None or prefix in filled:
            reason = ("second row for the same funding kind" if prefix
                      else "funding source has no column in raw_self_evaluations")
            rejects.append(Reject(SOURCE_TABLE, line_no, reason, text))
            continue
        filled.add(prefix)

        def cell(role: str) -> str:
            column = roles.get(role)
            return cells[column] if column is not None and column < len(cells) else ""

        for figure in ("initial", "adjusted", "executed"):
            row[f"{prefix}_{figure}"] = cell(figure)
        if prefix == "total":
            row["execution_rate"] = cell("rate")
            row["budget_score"] = cell("score")
            row["budget_weight"] = cell("weight")
        elif any(cell(role) for role in ("rate", "score", "weight")):
            rejects.append(Reject(SOURCE_TABLE, line_no,
                                  "rate/score/weight printed on a non-total budget row", text))
        declared = cell("declared")
        if declared and declared != cell("initial"):
            rejects.append(Reject(SOURCE_TABLE, line_no,
                                  "年初预算数 目标申报 differs from 预算编制 (kept 预算编制)", text))
        for column, value in enumerate(cells[:len(labels)]):
            if value and column not in known_columns:
                rejects.append(Reject(SOURCE_TABLE, line_no,
                                      f"no raw column for header '{labels[column]}'", text))


# --------------------------------------------------------------------------- indicator table


def _read_indicators(table: TabTable, base: RawRow, rejects: list[Reject]) -> list[RawRow]:
    header, body = _split_header(table)
    labels = header_labels(header)
    roles = column_roles(labels, INDICATOR_ROLES)
    return indicator_rows(((line_no, cells_of(text), text) for line_no, text in body),
                          labels, roles, base, SOURCE_TABLE, rejects)


def indicator_rows(rows: Iterable[tuple[int, list[str], str]], labels: list[str],
                   roles: list[str | None], base: RawRow, source_table: str,
                   rejects: list[Reject]) -> list[RawRow]:
    """Indicator rows from (source_line, cells, line_text), cells aligned with `labels`.

    一级/二级 are forward-filled (a new 一级 resets 二级); an all-blank or separator row is
    skipped; a row without an indicator name, or with cells beyond the header, is rejected;
    a non-blank cell under a column with no role is rejected (the row is still emitted).
    """
    found: list[RawRow] = []
    level1 = level2 = ""
    for line_no, cells, text in rows:
        if _is_filler(cells):
            continue
        if any(cells[len(labels):]):
            rejects.append(Reject(source_table, line_no, "cells beyond the indicator table's header", text))
            continue
        values = {role: "" for role in INDICATOR_COLUMNS}
        for column, role in enumerate(roles):
            value = cells[column] if column < len(cells) else ""
            if role is None:
                if value:
                    rejects.append(Reject(source_table, line_no,
                                          f"no raw column for header '{labels[column]}'", text))
                continue
            values[role] = value
        if values["level1"]:
            level1, level2 = level_label(values["level1"]), ""
        if values["level2"]:
            level2 = level_label(values["level2"])
        if not values["indicator_name"]:
            rejects.append(Reject(source_table, line_no, "indicator row without an indicator name", text))
            continue
        found.append({
            **{column: "" for column in INDICATOR_COLUMNS},
            **base,
            "source_line": str(line_no),
            "indicator_seq": str(len(found) + 1),
            "level1": level1,
            "level2": level2,
            **{role: values[role] for role in (
                "indicator_name", "target_text", "adjusted_target_text", "actual_text", "weight",
                "score", "deviation_note")},
        })
    return found


# --------------------------------------------------------------------------- prose


def _prose_matches(lines: list[tuple[int, str]]) -> Iterable[tuple[int, str, str]]:
    """(line, whitespace-free text of the line + the next non-blank prose line)."""
    prose = [(n, squeeze(text)) for n, text in lines if "\t" not in text and text.strip()]
    for index, (line_no, text) in enumerate(prose):
        following = prose[index + 1][1] if index + 1 < len(prose) else ""
        yield line_no, text, text + following


def _first(pattern: re.Pattern[str], lines: list[tuple[int, str]]) -> tuple[int, re.Match[str]] | None:
    for line_no, own, joined in _prose_matches(lines):
        match = pattern.search(joined)
        if match and match.start() < len(own):
            return line_no, match
    return None


def _read_prose(lines: list[tuple[int, str]], row: RawRow) -> None:
    """stated_*: the first rate sentence; the score sentence (total score, indicator score
    and grade read from it, or failing that from anywhere in the report)."""
    rate = _first(_STATED_RATE, lines)
    if rate:
        row["stated_execution_rate"] = rate[1].group(1) + rate[1].group(2)
    total = _first(_STATED_TOTAL_SCORE, lines)
    sentence = lines
    if total:
        line_no, match = total
        row["stated_total_score"] = match.group(1)
        row["stated_source_line"] = str(line_no)
        sentence = [(n, text) for n, text in lines if n >= line_no]
    indicator = _first(_STATED_INDICATOR_SCORE, sentence) or _first(_STATED_INDICATOR_SCORE, lines)
    if indicator:
        row["stated_indicator_score"] = indicator[1].group(1)
        row["stated_source_line"] = row["stated_source_line"] or str(indicator[0])
    grade = _first(_GRADE, sentence) or _first(_GRADE, lines)
    if grade:
        row["stated_grade"] = grade[1].group(1)


# --------------------------------------------------------------------------- entry point


def extract_self_evaluation_reports(document: SourceDocument) -> Extracted:
    result = Extracted()
    for report in _reports(document):
        row: RawRow = {column: "" for column in SELF_EVALUATION_COLUMNS}
        row.update(document_id=document.document_id, source_table=SOURCE_TABLE,
                   source_line=str(report.title_line), project_seq=str(report.seq))
        for line_no, text in report.lines:
            if "\t" in text:
                continue
            for column, pattern in _METADATA.items():
                match = pattern.match(text)
                if match and not row[column]:
                    row[column] = match.group(1)
        indicators: list[RawRow] = []
        seen: set[str] = set()
        for table in _tab_tables(report.lines):
            if table.kind == "toc":
                continue
            if table.kind == "unknown" or table.kind in seen:
                reason = ("tab-delimited block is neither a budget nor an indicator table"
                          if table.kind == "unknown" else f"second {table.kind} table in one report")
                result.rejects.extend(Reject(SOURCE_TABLE, n, reason, t) for n, t in table.lines)
                continue
            seen.add(table.kind)
            if table.kind == "budget":
                _read_budget(table, row, result.rejects)
            else:
                base = {"document_id": document.document_id, "source_table": SOURCE_TABLE,
                        "project_seq": str(report.seq)}
                indicators = _read_indicators(table, base, result.rejects)
        _read_prose(report.lines, row)
        result.add(SELF_EVALUATIONS, row)
        for indicator in indicators:
            result.add(INDICATORS, indicator)
    return result
