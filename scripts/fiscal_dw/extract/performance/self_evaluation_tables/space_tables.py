"""Where the space layout's tables are: a title line (自评表, 汇总表, 预算执行明细表) followed
by the table's own first structure; a table runs to the next one. Also the raw tables they fill."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.performance.self_evaluation_tables.space_cells import Line
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.text import PART_HEADING, squeeze

EVALUATION_TABLE = "项目支出绩效自评表"
SELF_EVALUATIONS = "raw_self_evaluations"
INDICATORS = "raw_performance_indicators"
SUMMARIES = "raw_self_evaluation_summaries"
BUDGET_LINES = "raw_budget_execution_lines"
COLUMNS = {name: RAW_TABLES[name] for name in (SELF_EVALUATIONS, INDICATORS, SUMMARIES, BUDGET_LINES)}
BUDGET_COLUMNS = COLUMNS[BUDGET_LINES]

_EVALUATION_TITLE = re.compile(r"^(?:附件\d+[：:]?)?.{0,24}?项目支出绩效自评表(?:[（(]20\d{2}年度?[)）])?$")
_SUMMARY_TITLE = re.compile(r"^(?:附件\d+[：:]?)?(.{0,30}?绩效自评情况汇总表)$")
_EXECUTION_TITLE = re.compile(r"^(表\d+(?:-\d+)?)(.{0,30}?预算执行明细表)$")
_ATTACHMENT_LINE = re.compile(r"^附件\d+$")


@dataclass
class Table:
    kind: str  # evaluation, summary, execution
    title: Line
    source_table: str
    lines: list[Line] = field(default_factory=list)  # non-blank lines after the title


def _non_blank(document: SourceDocument, start: int, stop: int) -> list[Line]:
    return [Line(n, document.line(n)) for n in range(start, stop) if document.line(n).strip()]


def _title_kind(document: SourceDocument, number: int) -> tuple[str, str] | None:
    key = squeeze(document.line(number))
    if not (_EVALUATION_TITLE.match(key) or _SUMMARY_TITLE.match(key) or _EXECUTION_TITLE.match(key)):
        return None
    following = _non_blank(document, number + 1, min(number + 12, len(document.lines) + 1))
    if any("\t" in line.text for line in following[:4]):
        return None  # a tab-layout table: read by the tab-layout extractor
    keys = [line.key for line in following[:6]]
    if _EVALUATION_TITLE.match(key):
        if any(k.startswith("项目名称") for k in keys):
            return "evaluation", EVALUATION_TABLE
        return None
    summary = _SUMMARY_TITLE.match(key)
    if summary:
        if any(k.startswith("序号") for k in keys):
            return "summary", re.sub(r"^20\d{2}年度?", "", summary.group(1))
        return None
    execution = _EXECUTION_TITLE.match(key)
    if execution and keys and keys[0].startswith("序号"):
        return "execution", execution.group(1)
    return None


def locate_tables(document: SourceDocument) -> list[Table]:
    starts: list[tuple[int, int, str, str]] = []  # (first line, title line, kind, source_table)
    previous_text = 0
    for number, text in enumerate(document.lines, start=1):
        if not text.strip():
            continue
        found = _title_kind(document, number)
        if found:
            first = number
            if previous_text and _ATTACHMENT_LINE.match(squeeze(document.line(previous_text))):
                first = previous_text
            starts.append((first, number, *found))
        previous_text = number
    tables = []
    for index, (_, title, kind, source_table) in enumerate(starts):
        stop = starts[index + 1][0] if index + 1 < len(starts) else len(document.lines) + 1
        lines = []
        for line in _non_blank(document, title + 1, stop):
            if PART_HEADING.match(line.key):
                break
            lines.append(line)
        tables.append(Table(kind, Line(title, document.line(title)), source_table, lines))
    return tables
