"""The first-level score breakdown of a 绩效评价报告: a score table, else the prose.

Score breakdown
    A score table is a header row (tab cells, or space-separated words in a space-layout
    document) with a first-level label column (一级指标 / 指标 / 绩效评价指标) and a 得分 /
    评价得分 / 实际得分 column, beside an optional 分值 / 指标分值 / 标准分值 / 满分 / 权重
    column; a header with 三级 / 四级 columns is an indicator table, not a breakdown. Also read:

    - a table with a 二级指标 column: the 一级 label is forward-filled and each 小计 row gives
      that dimension (max and score of the 小计 row); 二级 rows are read and not stored;
    - a transposed table (指标 → 决策 → 过程 → … [→ 得分 total column], then 分值 / 得分 /
      得分率 rows);
    - a table whose only value column prints points with a 分 suffix ("10分") and that ends
      in a 合计 row: those are the scores.

    Table rows run from the header to the 合计 / 总分 row or the result line (评价得分：…,
    which may itself carry tabs), across blank lines; values stay as printed ("14.00%",
    "10分", "11.00"), a label loses its embedded points ("项目决策 (14分)" → 项目决策, the
    points becoming max_score when no max column is printed). The first score table of a
    report that yields a dimension is used (an overview box and the 表3-1 it repeats give the
    same figures). Without one, the prose: "（一）项目决策 20 分，具体得分情况如下：" lines
    (the first run 一, 二, 三 …; the number is the maximum, a score only when stated as 得分 N
    分 on the line) or else unnumbered "决策指标权重分数 15 分，实际得分 14.12 分" lines.

Rejects
    Inside the score table used, a row that is not a dimension, 小计, 二级, total or 得分率 row
    (no label, a value that is not a number, cells that do not fit the header) becomes a
    ``Reject`` with source_table ``评价报告R<report_seq>得分表``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fiscal_dw.extract.performance.evaluation_report_fields import MARKUP, OVERALL_SCORE, SELF_SCORE
from fiscal_dw.extract.performance.evaluation_report_locating import SENTENCE_PUNCTUATION, Report
from fiscal_dw.extract.rows import Reject
from fiscal_dw.extract.text import squeeze

_PROSE_ORDINAL = re.compile(
    r"^[（(]([一二三四五六七八九十]+)[)）](?P<name>[^\d（(，,：:。；]{1,20}?)(?:指标)?"
    r"(?:满分|分值|总分|权重分数|权重)?(?:为)?(?P<max>\d+(?:\.\d+)?)分(?P<rest>.*)$")
_PROSE_STATED_SCORE = re.compile(r"^[，,；;]?(?:实际)?得分(?:为)?(\d+(?:\.\d+)?)分")
_PROSE_WEIGHTED = re.compile(
    r"^(?![该本此其])(?P<name>[^\d（(，,：:。；、.．]{1,12}?)指标(?:权重分数|分值|总分|满分)(?:为)?"
    r"(?P<max>\d+(?:\.\d+)?)分[，,](?:实际)?得分(?:为)?(?P<score>\d+(?:\.\d+)?)分")
_CHINESE_ORDINALS = "一二三四五六七八九十"
_VALUE = re.compile(r"^\d+(?:\.\d+)?(?:%|分)?$")
_POINTS_VALUE = re.compile(r"^\d+(?:\.\d+)?分$")
_EMBEDDED_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]")
_PARENTHETICAL = re.compile(r"[（(][^（()）]*[)）]")
_TOTAL_LABELS = {"合计", "总计", "总分", "综合绩效", "综合得分", "总得分", "得分合计"}
_SUBTOTAL_LABEL = "小计"
_LABEL_HEADERS = {"一级指标", "一级", "指标", "评价指标", "绩效评价指标", "指标名称"}
_LEVEL2_HEADERS = {"二级指标", "二级"}
_DEEPER_HEADERS = {"三级指标", "三级", "四级指标", "四级"}
_MAX_HEADERS = {"分值", "指标分值", "标准分值", "满分", "满分值", "权重", "指标权重", "权重分值",
                "标准分"}
_SCORE_HEADERS = {"得分", "评价得分", "实际得分", "指标得分"}
_RATE_HEADERS = {"得分率", "评价分值占比", "分值占比", "占比"}
_POINTS_COLUMN_HEADERS = {"完成情况", "得分情况", "评分", "评分结果"}
_HEADER_WORDS = (_LABEL_HEADERS | _LEVEL2_HEADERS | _DEEPER_HEADERS | _MAX_HEADERS | _SCORE_HEADERS
                 | _RATE_HEADERS | {"序号"})


@dataclass
class Dimension:
    line_no: int
    name: str
    max_score: str
    score: str
    presentation: str


@dataclass
class _ScoreTable:
    kind: str                      # "columns", "transposed" or "points"
    header_line: int
    header: list[str]
    rows: list[tuple[int, list[str]]]
    label: int = 0
    level2: int | None = None
    max_col: int | None = None
    score_col: int | None = None


def score_breakdown(report: Report, source_table: str, rejects: list[Reject]
               ) -> tuple[list[Dimension], tuple[int, str] | None]:
    """Dimensions from the first score table that yields one, else from the prose."""
    for table in _score_tables(report):
        table_rejects: list[Reject] = []
        dimensions, total = _read_table(table, source_table, table_rejects)
        if dimensions:
            rejects.extend(table_rejects)
            return dimensions, total
    return _prose_dimensions(report), None


def _cells(text: str) -> list[str]:
    """Tab cells, or for a space-layout line its label words followed by its value tokens."""
    if "\t" in text:
        return [cell.strip() for cell in text.split("\t")]
    tokens = text.split()
    split = len(tokens)
    while split > 0 and _VALUE.match(tokens[split - 1]):
        split -= 1
    label = "".join(tokens[:split])
    return ([label] if label else [""]) + tokens[split:]


def _header_word(cell: str) -> str:
    return _PARENTHETICAL.sub("", squeeze(cell)).replace("%", "")


def _is_result_line(text: str) -> bool:
    squeezed = MARKUP.sub("", squeeze(text))
    return bool(OVERALL_SCORE.search(squeezed) or SELF_SCORE.search(squeezed)) and bool(
        re.match(r"^(?:绩效)?(?:评价|综合|总|自评)", squeezed))


def _score_tables(report: Report) -> Iterator[_ScoreTable]:
    lines = report.lines
    for index, (line_no, text) in enumerate(lines):
        if not text.strip():
            continue
        header = _cells(text) if "\t" in text else text.split()
        words = [_header_word(cell) for cell in header]
        if "\t" not in text and not all(word in _HEADER_WORDS for word in words):
            continue
        if any(word in _DEEPER_HEADERS for word in words):
            continue
        label = next((i for i, word in enumerate(words) if word in _LABEL_HEADERS), None)
        if label is None:
            continue
        body = _table_body(lines, index + 1, "\t" in text)
        table = _ScoreTable("columns", line_no, header, body, label=label)
        table.level2 = next((i for i, word in enumerate(words) if word in _LEVEL2_HEADERS), None)
        table.max_col = next((i for i, word in enumerate(words) if word in _MAX_HEADERS), None)
        table.score_col = next((i for i, word in enumerate(words) if word in _SCORE_HEADERS), None)
        if table.max_col is None and _is_transposed(words, label, body):
            table.kind = "transposed"
            yield table
        elif table.score_col is not None:
            yield table
        elif table.max_col is None and _points_column(words, body) is not None:
            table.kind, table.score_col = "points", _points_column(words, body)
            yield table


def _table_body(lines: list[tuple[int, str]], start: int,
                tab_layout: bool) -> list[tuple[int, list[str]]]:
    """Rows after a header, across blank lines, to the total row or the result line.

    In a space-layout table a label wrapped onto a line of its own ("部门履职" / "效能 40 …")
    is joined to the next line; a line without values followed by another ends the table.
    """
    body: list[tuple[int, list[str]]] = []
    fragment = ""
    for line_no, text in lines[start:]:
        if not squeeze(text):
            continue
        if (tab_layout and "\t" not in text) or _is_result_line(text):
            break
        cells = _cells(text)
        if not tab_layout:
            if len(cells) < 2:
                if fragment or SENTENCE_PUNCTUATION.search(cells[0]) or len(cells[0]) > 12:
                    break
                fragment = cells[0]
                continue
            cells = [fragment + cells[0], *cells[1:]]
            fragment = ""
        body.append((line_no, cells))
        if any(squeeze(cell) in _TOTAL_LABELS for cell in cells[:2]):
            break
    return body


def _is_transposed(words: list[str], label: int, body: list[tuple[int, list[str]]]) -> bool:
    firsts = {_header_word(cells[0]) for _, cells in body if cells}
    return label == 0 and len(words) >= 3 and bool(firsts & _MAX_HEADERS or firsts & _SCORE_HEADERS)


def _points_column(words: list[str], body: list[tuple[int, list[str]]]) -> int | None:
    """A value column printed as 'N分' all the way down to a 合计 row (a points-only table)."""
    column = next((i for i, word in enumerate(words) if word in _POINTS_COLUMN_HEADERS), None)
    if column is None or not body:
        return None
    if not any(squeeze(cells[0]) in _TOTAL_LABELS for _, cells in body):
        return None
    values = [squeeze(cells[-1]) for _, cells in body if any(c.strip() for c in cells)]
    return column if values and all(_POINTS_VALUE.match(value) for value in values) else None


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _read_table(table: _ScoreTable, source_table: str, rejects: list[Reject]
                ) -> tuple[list[Dimension], tuple[int, str] | None]:
    if table.kind == "transposed":
        return _read_transposed(table, source_table, rejects)
    value_columns = [i for i in (table.max_col, table.score_col) if i is not None]
    dimensions: list[Dimension] = []
    total: tuple[int, str] | None = None
    level1 = ""
    for line_no, cells in table.rows:
        printed = "\t".join(cells)
        if any(squeeze(cell) in _TOTAL_LABELS for cell in cells[: min(value_columns)]):
            if _cell(cells, table.score_col):
                total = (line_no, re.sub(r"[分%]$", "", squeeze(_cell(cells, table.score_col))))
            continue
        if len(cells) <= max(value_columns):
            rejects.append(Reject(source_table, line_no, "row has fewer cells than the header",
                                  printed))
            continue
        label, max_score, score = (
            _cell(cells, i) for i in (table.label, table.max_col, table.score_col))
        if table.level2 is not None:
            level1 = label or level1  # forward-filled over the merged 一级 cell
        bad = [value for value in (max_score, score) if value and not _VALUE.match(squeeze(value))]
        if bad:
            rejects.append(Reject(source_table, line_no, f"value is not a number: {bad[0]}", printed))
            continue
        if table.level2 is not None:
            level2 = squeeze(_cell(cells, table.level2))
            if level2 == _SUBTOTAL_LABEL and level1:
                dimensions.append(_dimension(line_no, level1, max_score, score, "table"))
            elif not level2 or not level1:
                rejects.append(Reject(source_table, line_no, "row without a 一级/二级 label", printed))
            continue  # a 二级 row: read, not stored (the 小计 row carries the dimension)
        if not label:
            rejects.append(Reject(source_table, line_no, "row without a 一级 label", printed))
        elif not (max_score or score):
            rejects.append(Reject(source_table, line_no, "row without a score", printed))
        else:
            dimensions.append(_dimension(line_no, label, max_score, score, "table"))
    return dimensions, total


def _read_transposed(table: _ScoreTable, source_table: str, rejects: list[Reject]
                     ) -> tuple[list[Dimension], tuple[int, str] | None]:
    names = [cell.strip() for cell in table.header[1:]]
    has_total_column = bool(names) and _header_word(names[-1]) in _SCORE_HEADERS | _TOTAL_LABELS
    if has_total_column:
        names = names[:-1]
    maxima: list[str] = []
    scores: list[str] = []
    score_line = max_line = table.header_line
    total = None
    for line_no, cells in table.rows:
        role = _header_word(cells[0]) if cells else ""
        values = [cell.strip() for cell in cells[1:]]
        if role in _RATE_HEADERS:
            continue
        if role not in _MAX_HEADERS and role not in _SCORE_HEADERS:
            rejects.append(Reject(source_table, line_no, "row is not a 分值/得分/得分率 row",
                                  "\t".join(cells)))
            continue
        if role in _MAX_HEADERS:
            maxima, max_line = values, line_no
        else:
            scores, score_line = values, line_no
            if has_total_column and len(values) > len(names) and values[len(names)]:
                total = (line_no, re.sub(r"[分%]$", "", values[len(names)]))
    if not (maxima or scores):
        return [], None
    dimensions = []
    for index, name in enumerate(names):
        max_score = maxima[index] if index < len(maxima) else ""
        score = scores[index] if index < len(scores) else ""
        line_no = score_line if score else max_line
        dimensions.append(_dimension(line_no, name, max_score, score, "table"))
    return dimensions, total


def _dimension(line_no: int, label: str, max_score: str, score: str, presentation: str) -> Dimension:
    name = squeeze(label)
    embedded = _EMBEDDED_POINTS.search(name)
    if embedded:
        name = _EMBEDDED_POINTS.sub("", name)
        if not max_score:
            max_score = embedded.group(1)
    return Dimension(line_no, name, max_score, score, presentation)


def _prose_dimensions(report: Report) -> list[Dimension]:
    ordinal_run: list[Dimension] = []
    weighted: list[Dimension] = []
    for line_no, text in report.lines:
        squeezed = MARKUP.sub("", squeeze(text))
        if not squeezed or "\t" in text:
            continue
        match = _PROSE_ORDINAL.match(squeezed)
        if match and _continues_heading(match.group("rest")):
            ordinal = _CHINESE_ORDINALS.find(match.group(1)) + 1 if len(match.group(1)) == 1 else 0
            if ordinal == len(ordinal_run) + 1:
                stated = _PROSE_STATED_SCORE.match(match.group("rest"))
                ordinal_run.append(Dimension(line_no, _strip_indicator(match.group("name")),
                                             match.group("max"), stated.group(1) if stated else "",
                                             "prose"))
            elif ordinal_run:
                break  # a second 一、二、三 run is not the first-level breakdown
            continue
        match = _PROSE_WEIGHTED.match(squeezed)
        if match and all(d.name != _strip_indicator(match.group("name")) for d in weighted):
            weighted.append(Dimension(line_no, _strip_indicator(match.group("name")),
                                      match.group("max"), match.group("score"), "prose"))
    return ordinal_run or weighted


def _continues_heading(rest: str) -> bool:
    return not rest or rest[0] in "，,:：；;" or rest.startswith("具体") or rest.startswith("得分")


def _strip_indicator(name: str) -> str:
    return name[: -len("指标")] if name.endswith("指标") else name
