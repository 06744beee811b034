"""项目支出绩效自评表, 自评情况汇总表 and 预算执行明细表 of a document printed in the space layout.

Four raw tables (see docs/raw_tables_performance.md): ``raw_self_evaluations``,
``raw_performance_indicators``, ``raw_self_evaluation_summaries`` and
``raw_budget_execution_lines``.

In the space layout a PDF table comes out as a stream of text fragments: cells on one line
are separated by spaces, a cell that wraps continues on the next line(s), blank lines
carry no meaning, a line starting with one space is a page start, and header cells break
mid-token (``全年执行数（`` / ``B）``). Nothing here uses positions, line numbers or names
of a particular document; every table is read from its own structure:

- **Tables** are found by their title line (``…项目支出绩效自评表``, ``…绩效自评情况汇总表``,
  ``表N …预算执行明细表``) followed by the table's own first structure (项目名称 / 序号). A
  table runs to the next table (or the ``附件N`` line above it).
- **自评表**: 项目名称 / 主管部门 / 项目实施单位 / 联系电话 are key–value tokens; the funding
  header is read as text and gives the column order of the 年度资金总额 row; the four
  funding rows are label-anchored token runs (``其中：当年财政拨款 800 800 800 - -``: the
  amounts, then the two ``-`` placeholders of the 分值/执行率/得分 cells, which are not
  amounts and are not stored). 年度总体目标 and its two free-text cells are skipped (not part
  of the raw schema), then the indicator header, then the indicator block up to 小计 and
  总分. The closing ``总分在80分以下…说明：`` box and the 注 lines are skipped; a text written
  inside that box is rejected (not stored).
- **Indicator rows** are anchored on the right: a line whose last two tokens are numbers is
  a *value line* (分值, 得分). The tokens left of them are, from the right, 实际完成值,
  年度指标值 and the 三级指标 name; the cells a value line lacks were printed on the lines
  above it (a wrapped name, a target that drifted up) and are taken from the pending
  fragments. When those fragments must be split into several cells (a multi-line name
  followed by a multi-line target…), a space on a line is a cell boundary and the remaining
  boundaries are chosen so that every cell reads as wrapped text: all its lines but the
  last equally wide (a column's wrap width), the last one shorter, and no cell ending in
  the middle of a clause (on '、', '，', an opening bracket…).
- **Hierarchy labels** (一级/二级) are the national template's labels, possibly printed
  one character per line (``产``/``出``/``指``/``标``) or wrapped (``社会效益``/``指标``), with
  the embedded points stripped (``成本指标（10分）`` → ``成本指标``); they are forward-filled.
- **偏差原因分析** is what follows a value line in the narrow last column: one-line
  fragments no wider than that column's header (plus slack), up to the fragment that ends a
  sentence (``。``). A sentence end fused with the next label (``指标值。满意度``) or with the
  next name on a value line is split there. Text after the note's sentence end that no
  value line takes before the next label continues the note. When a value line lacks cells
  and the note is still open, the split between the note and the new row's cells is chosen
  by the wrapped-text rule, preferring the new row on a tie.
- A row printed as ``指标1： 无`` (an empty indicator slot: no name, no values) is not an
  indicator and is not stored; any other text under a label without a 分值 · 得分 pair is
  rejected. The indicator header (or the vertical 年度绩效指标 label) reprinted after a
  page break is skipped.
- A value line whose only text cell holds the target inside the name
  (``…响应时间≤2秒 2秒 3.63 3.63``) keeps the printed text as the name and the part from the
  comparison operator on as ``target_text``.
- **汇总表**: the column order is read from the header (附件3 and 附件7 differ), a row
  starts at its 序号 and ends at its value run (3 amounts, 得分, 等级, 发现问题, and an
  unlabelled trailing ``%`` = execution_rate); the wrapped text cells in front are split by
  the same wrapped-text rule, anchored on the 项目类别 value when the header lists the
  categories (``项目类别（特定目标类/其他运转类）``).
- **预算执行明细表**: 序号, unit name (wrapped, with the 序号 alone on its line), then the
  amounts and the rate in header order; the 合计 row (which carries a 序号 too) is the
  ``total`` row and ends the table. The amounts' unit is never printed in that table: it
  is set to ``元`` only when the document's own text states one of the total row's amounts
  in 万元 (``…25,001.358 万元`` = 250,013,581.20 / 10,000 at the stated precision), to
  ``万元`` when the text states it as is, and left empty otherwise.

Every line inside a recognised table either becomes part of a raw row, is structure that
is read but not stored (listed above), or becomes a Reject.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import combinations

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.rows import Extracted, RawRow, Reject
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.performance.self_evaluation_tables.tab import TEMPLATE_LEVEL1, TEMPLATE_LEVEL2
from fiscal_dw.extract.text import is_total_label, round_half_up, squeeze

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
_SECTION_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
_PAGE_FOOTER = re.compile(r"^(-\s*\d+\s*-|\d+\s*/\s*\d+)$")
_YEAR_LINE = re.compile(r"^[（(]?20\d{2}年度?[)）]?$")
_UNIT = re.compile(r"单位[：:](万元|元|千元|亿元)")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")
_DASHES = {"-", "—", "－", "/", "--"}
_POINTS = re.compile(r"^[（(]\d+(\.\d+)?分[)）]$")
_EMBEDDED_POINTS = re.compile(r"[（(]\d+(\.\d+)?分[)）]")
_OPERATOR = re.compile(r"[≥≤><=＞＜＝]")
_PLACEHOLDER_INDICATOR = re.compile(r"^(指标\d*[：:])?无$")
_STATED_WAN = re.compile(r"(\d[\d,]*(?:\.\d+)?)万元")

_LEVEL_LABELS = {**{label: 1 for label in TEMPLATE_LEVEL1}, **{label: 2 for label in TEMPLATE_LEVEL2}}
_LABEL_PREFIXES = {label[:n] for label in _LEVEL_LABELS for n in range(1, len(label))}

# Key labels of a 自评表's top block: label → column (None: read, not stored).
_KEYS = (
    ("项目实施单位", "implementing_unit"), ("实施单位", "implementing_unit"),
    ("项目名称", "project_name"), ("主管部门", "supervising_department"),
    ("联系电话", None),
)
# Funding rows: label → column prefix.
_FUNDING_ROWS = (
    ("年度资金总额", "total"), ("当年财政拨款", "current_year"), ("上年结转资金", "carryover"),
    ("上年结转", "carryover"), ("其他资金", "other"),
)
# Funding header columns: field → markers (first found wins), ordered by their position.
_FUNDING_HEADER = (
    ("initial", ("年初",)), ("adjusted", ("调整后预算", "全年预算")), ("executed", ("执行数",)),
    ("weight", ("分值",)), ("rate", ("执行率",)), ("score", ("得分",)),
)
_TOTAL_FIELDS = {
    "initial": "total_initial", "adjusted": "total_adjusted", "executed": "total_executed",
    "weight": "budget_weight", "rate": "execution_rate", "score": "budget_score",
}
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
# 预算执行明细表 header columns.
_EXECUTION_HEADER = (
    ("initial_budget", ("年初预算",)), ("budget", ("调整后预算", "预算金额", "全年预算")),
    ("executed", ("执行金额", "执行数")), ("execution_rate", ("执行率",)),
)
_OUTER_LABEL = "年度绩效指标"
# Text a cell does not end with (the clause goes on in the next line of the same cell).
_OPEN_ENDINGS = ("、", "，", ",", "：", ":", "；", ";", "（", "(", "“", "《", "‘")
_OPEN_ENDING_PENALTY = 10_000
# Slack over the width of the deviation column's header fragment (two CJK characters).
_NOTE_SLACK = 4


def extract_space_self_evaluations(document: SourceDocument) -> Extracted:
    """Self-evaluation tables, indicator rows, summary tables and 预算执行明细表 of a space-layout document.

    Returns raw rows for ``raw_self_evaluations``, ``raw_performance_indicators``,
    ``raw_self_evaluation_summaries`` and ``raw_budget_execution_lines`` (every value as
    printed; ``project_seq`` / ``indicator_seq`` / ``row_seq`` are ordinals in document
    order) and a Reject for every line inside these tables that could not be placed.
    Tables whose lines are tab-separated are left to the tab-layout extractor.
    """
    result = Extracted()
    project_seq = summary_seq = execution_seq = 0
    for table in _locate_tables(document):
        if table.kind == "evaluation":
            project_seq += 1
            _EvaluationParser(document, table, project_seq, result).parse()
        elif table.kind == "summary":
            summary_seq = _parse_summary(document, table, summary_seq, result)
        else:
            execution_seq = _parse_execution(document, table, execution_seq, result)
    return result


# --------------------------------------------------------------------------- text helpers


@dataclass(frozen=True)
class _Line:
    number: int
    text: str

    @property
    def tokens(self) -> list[str]:
        return self.text.replace("\u3000", " ").split()

    @property
    def key(self) -> str:
        return squeeze(self.text)


@dataclass
class _Fragment:
    """One space-separated token of a line inside a table."""

    text: str
    line: _Line
    after_space: bool = False  # a space before it on the same line: a cell boundary
    alone: bool = True  # the only token of its line


def _width(text: str) -> int:
    """Display width: CJK and fullwidth characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WFA" else 1 for char in text)


def _is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


def _is_amount(token: str) -> bool:
    return bool(_AMOUNT.match(token))


def _join(fragments: list[_Fragment]) -> str:
    """A cell's text: wrapped lines joined without a break, same-line tokens with a space."""
    text = ""
    for index, fragment in enumerate(fragments):
        text += (" " if index and fragment.after_space else "") + fragment.text
    return text


def _fragments(line: _Line, tokens: list[str] | None = None) -> list[_Fragment]:
    tokens = line.tokens if tokens is None else tokens
    alone = len(line.tokens) == 1
    return [_Fragment(token, line, after_space=index > 0, alone=alone)
            for index, token in enumerate(tokens)]


def _raggedness(widths: list[int]) -> int:
    """How little a run of lines looks like one wrapped cell: all lines but the last should
    be as wide as the widest one (the column's wrap width)."""
    if len(widths) < 2:
        return 0
    wrap = max(widths)
    return sum((wrap - width) ** 2 for width in widths[:-1])


def _cell_cost(part: list[_Fragment]) -> int:
    """_raggedness, plus a penalty when the cell would end in the middle of a clause
    (a cell does not end with '、', '，', '：', an opening bracket or quote)."""
    cost = _raggedness([_width(fragment.text) for fragment in part])
    if part and part[-1].text.endswith(_OPEN_ENDINGS):
        cost += _OPEN_ENDING_PENALTY
    return cost


def _segment(fragments: list[_Fragment], cells: int) -> list[list[_Fragment]]:
    """Split consecutive fragments into at most `cells` cells.

    A space between two fragments is always a cell boundary, and so is a fragment that
    starts with a comparison operator (a target such as '≥95%'); the other boundaries are the
    ones that make every cell read best as wrapped text (see _raggedness). Surplus
    space-separated pieces are merged into the first cell.
    """
    if not fragments or cells <= 0:
        return []
    forced = [i for i in range(1, len(fragments))
              if fragments[i].after_space or _OPERATOR.match(fragments[i].text)]
    if len(forced) >= cells - 1:
        cuts = forced[len(forced) - (cells - 1):] if cells > 1 else []
        return _cut(fragments, cuts)
    free = [i for i in range(1, len(fragments)) if i not in forced]
    extra = min(cells - 1 - len(forced), len(free))
    best: tuple[int, list[int]] | None = None
    for chosen in combinations(free, extra):
        cuts = sorted([*forced, *chosen])
        cost = sum(_cell_cost(part) for part in _cut(fragments, cuts))
        if best is None or cost < best[0]:
            best = (cost, cuts)
    return _cut(fragments, best[1] if best else forced)


def _cut(fragments: list[_Fragment], cuts: list[int]) -> list[list[_Fragment]]:
    bounds = [0, *cuts, len(fragments)]
    return [fragments[bounds[i]:bounds[i + 1]] for i in range(len(bounds) - 1)]


def _ordered_fields(header: str, markers: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    """Fields found in a squeezed header, in the order their markers appear."""
    found = []
    for name, keys in markers:
        positions = [header.find(key) for key in keys if key in header]
        if positions:
            found.append((min(positions), name))
    return [name for _, name in sorted(found)]


# --------------------------------------------------------------------------- locating


@dataclass
class _Table:
    kind: str  # evaluation, summary, execution
    title: _Line
    source_table: str
    lines: list[_Line] = field(default_factory=list)  # non-blank lines after the title


def _non_blank(document: SourceDocument, start: int, stop: int) -> list[_Line]:
    return [_Line(n, document.line(n)) for n in range(start, stop) if document.line(n).strip()]


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


def _locate_tables(document: SourceDocument) -> list[_Table]:
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
            if _SECTION_HEADING.match(line.key):
                break
            lines.append(line)
        tables.append(_Table(kind, _Line(title, document.line(title)), source_table, lines))
    return tables


# --------------------------------------------------------------------------- 自评表


@dataclass
class _Label:
    level: int
    text: str
    line: _Line
    inline: bool = False  # printed at the start of a line that carries more


@dataclass
class _Values:
    cells: list[_Fragment]  # the tokens left of 分值 on the value line
    weight: str
    score: str
    line: _Line
    inline_labels: list[str] = field(default_factory=list)


@dataclass
class _Pending:
    row: RawRow
    note: list[_Fragment] = field(default_factory=list)


class _EvaluationParser:
    def __init__(self, document: SourceDocument, table: _Table, project_seq: int,
                 result: Extracted) -> None:
        self.document = document
        self.table = table
        self.result = result
        self.lines = table.lines
        self.position = 0
        self.evaluation: RawRow = {column: "" for column in COLUMNS[SELF_EVALUATIONS]}
        self.evaluation.update(document_id=document.document_id, source_table=EVALUATION_TABLE,
                               source_line=str(table.title.number), project_seq=str(project_seq))
        self.project_seq = project_seq
        self.value_fields: tuple[str, ...] = ("target_text", "actual_text")
        self.funding_fields: tuple[str, ...] = tuple(name for name, _ in _FUNDING_HEADER)
        self.note_width = 0
        self.indicators: list[RawRow] = []

    # ----------------------------------------------------------------- plumbing

    def reject(self, line: _Line, reason: str, text: str | None = None) -> None:
        self.result.rejects.append(Reject(EVALUATION_TABLE, line.number, reason,
                                          line.text if text is None else text))

    def reject_rest(self, reason: str) -> None:
        for line in self.lines[self.position:]:
            self.reject(line, reason)
        self.position = len(self.lines)

    def find(self, predicate, start: int | None = None) -> int | None:
        for index in range(self.position if start is None else start, len(self.lines)):
            if predicate(self.lines[index]):
                return index
        return None

    def parse(self) -> None:
        steps = (self.parse_head, self.parse_funding, self.skip_objectives,
                 self.parse_indicator_header, self.parse_indicators, self.parse_totals)
        for step in steps:
            if not step():
                break
        self.skip_closing()
        self.result.add(SELF_EVALUATIONS, self.evaluation)
        for row in self.indicators:
            self.result.add(INDICATORS, row)

    # ----------------------------------------------------------------- top block

    def parse_head(self) -> bool:
        """Year and unit lines, then 项目名称 … 联系电话 key–value tokens."""
        funding_start = self.find(lambda line: _funding_label(line.tokens[0]) is not None)
        if funding_start is None:
            self.reject_rest("自评表 without a 年度资金总额 row")
            return False
        key_lines: list[_Line] = []
        header_lines: list[_Line] = []
        phase = "top"
        for line in self.lines[:funding_start]:
            if phase == "top":
                unit = _UNIT.search(line.key)
                if _YEAR_LINE.match(line.key):
                    continue
                if unit:
                    self.evaluation["amount_unit"] = self.evaluation["amount_unit"] or unit.group(1)
                    continue
                if any(line.key.startswith(key) for key, _ in _KEYS):
                    phase = "keys"
                elif _is_funding_header_start(line.key):
                    phase = "header"
                else:
                    self.reject(line, "text between the title and 项目名称")
                    continue
            elif phase == "keys" and (_is_funding_header_start(line.key) or (
                    "联系电话" in key_lines[-1].key and not line.key.startswith(tuple(k for k, _ in _KEYS)))):
                phase = "header"  # the key block ends with the 联系电话 line
            (key_lines if phase == "keys" else header_lines).append(line)
        self.read_keys(key_lines)
        self.read_funding_header(header_lines)
        self.position = funding_start
        return True

    def read_keys(self, lines: list[_Line]) -> None:
        current: str | None = None
        seen: set[str] = set()
        values: dict[str, list[_Fragment]] = {}
        for line in lines:
            for fragment in _fragments(line):
                key = next((k for k, _ in _KEYS if fragment.text.startswith(k)), None)
                if key is not None:
                    current = dict(_KEYS)[key] or "phone"
                    if current in seen:
                        self.reject(line, f"{key} printed twice in one table")
                    seen.add(current)
                    rest = fragment.text[len(key):].lstrip("：:")
                    values.setdefault(current, [])
                    if rest:
                        values[current].append(_Fragment(rest, line, after_space=False))
                    continue
                if current is None:
                    self.reject(line, "text before 项目名称", fragment.text)
                    continue
                values[current].append(fragment)
        for column, fragments in values.items():
            if column != "phone":
                self.evaluation[column] = _join(fragments)

    def read_funding_header(self, lines: list[_Line]) -> None:
        header = "".join(line.key for line in lines)
        fields = _ordered_fields(header, _FUNDING_HEADER)
        if len(fields) == len(_FUNDING_HEADER):
            self.funding_fields = tuple(fields)
        else:
            self.funding_fields = tuple(name for name, _ in _FUNDING_HEADER)
            for line in lines:
                self.reject(line, "funding header not recognised (template column order assumed)")

    def parse_funding(self) -> bool:
        """Label-anchored token runs from 年度资金总额 to 年度总体目标 (or the indicator header)."""
        rows: list[tuple[str, _Line, list[_Fragment]]] = []
        while self.position < len(self.lines):
            line = self.lines[self.position]
            if line.key.startswith("年度总体目标") or _starts_indicator_header(self.lines, self.position):
                break
            tokens = line.tokens
            for index, token in enumerate(tokens):
                label = _funding_label(token)
                if label is not None:
                    rows.append((label, line, []))
                elif rows:
                    rows[-1][2].append(_Fragment(token, line, after_space=index > 0))
                else:
                    self.reject(line, "text before the funding rows", token)
            self.position += 1
        seen: set[str] = set()
        for prefix, line, values in rows:
            if prefix in seen:
                self.reject(line, "funding row printed twice in one table")
                continue
            seen.add(prefix)
            texts = [fragment.text for fragment in values]
            if prefix == "total":
                for name, value in zip(self.funding_fields, texts):
                    self.evaluation[_TOTAL_FIELDS[name]] = value
                if len(texts) > len(self.funding_fields):
                    self.reject(line, "年度资金总额 row with more values than columns")
                continue
            amounts = texts
            if len(texts) >= 2 and all(text in _DASHES for text in texts[-2:]):
                amounts = texts[:-2]  # the 分值/执行率/得分 placeholders of a sub-row
            if len(amounts) > 3 or not all(_is_amount(t) or t in _DASHES for t in amounts):
                self.reject(line, "funding sub-row not read as 年初 / 调整后 / 执行 amounts")
                continue
            for name, value in zip(("initial", "adjusted", "executed"), amounts):
                self.evaluation[f"{prefix}_{name}"] = value
        return True

    def skip_objectives(self) -> bool:
        """年度总体目标 and its two free-text cells: read, not stored."""
        start = next((index for index in range(self.position, len(self.lines))
                      if _starts_indicator_header(self.lines, index)), None)
        if start is None:
            self.reject_rest("自评表 without an indicator header")
            return False
        self.position = start
        return True

    def parse_indicator_header(self) -> bool:
        end = _indicator_header_end(self.lines, self.position)
        if end is None:
            self.reject_rest("indicator header not recognised")
            return False
        header = self.lines[self.position:end]
        deviation = next((line for line in header if "偏差" in line.key), None)
        if deviation is not None:
            token = next((t for t in deviation.tokens if "偏差" in t), deviation.key)
            self.note_width = _width(token) + _NOTE_SLACK
        self.value_fields = _value_fields("".join(line.key for line in header))
        self.position = end
        return True

    # ----------------------------------------------------------------- indicators

    def parse_indicators(self) -> bool:
        end = self.find(lambda line: line.tokens[0] in ("小计", "合计"))
        if end is None:
            self.reject_rest("indicator block without a 小计 row")
            return False
        events = self.events(self.lines[self.position:end])
        self.position = end
        self.place(events)
        return True

    def events(self, lines: list[_Line]) -> list:
        """Labels, value lines and text fragments, in order."""
        events: list = []
        index = 0
        while index < len(lines):
            line = lines[index]
            tokens = line.tokens
            if _POINTS.match(line.key):
                index += 1  # the points of a 一级 label printed on their own line
                continue
            if _starts_indicator_header(lines, index):
                end = _indicator_header_end(lines, index)
                if end is not None:  # the header reprinted after a page break
                    index = end
                    continue
            outer = _outer_label_end(lines, index)
            if outer is not None:  # the vertical 年度绩效指标 label reprinted after a page break
                index = outer
                continue
            if len(tokens) == 1 or line.key in _LEVEL_LABELS:
                match = _match_label(lines, index, line.key)
                if match:
                    events.append(_Label(match[0], match[1], line))
                    index = match[2]
                    continue
                cut = line.key.rfind("。") + 1
                if len(tokens) == 1 and 0 < cut < len(line.key):
                    match = _match_label(lines, index, line.key[cut:])
                    if match:  # '指标值。满意度': a note's last sentence fused with a label
                        events.append(_Fragment(line.key[:cut], line))
                        events.append(_Label(match[0], match[1], line))
                        index = match[2]
                        continue
            start, levels, inline = 0, 0, []
            while start < len(tokens) - 1:
                level = _label_level(tokens[start])
                if level is None or level <= levels:
                    break
                levels = level
                label = _EMBEDDED_POINTS.sub("", tokens[start])
                events.append(_Label(level, label, line, inline=True))
                inline.append(label)
                start += 1
                if start < len(tokens) and _POINTS.match(tokens[start]):
                    start += 1
            rest = tokens[start:]
            if len(rest) >= 2 and _is_number(rest[-1]) and _is_number(rest[-2]):
                cells = [_Fragment(token, line, after_space=i > 0, alone=False)
                         for i, token in enumerate(rest[:-2])]
                events.append(_Values(cells, rest[-2], rest[-1], line, inline))
            else:
                alone = len(rest) == 1
                events.extend(_Fragment(token, line, after_space=i > 0, alone=alone)
                              for i, token in enumerate(rest))
            index += 1
        return events

    def place(self, events: list) -> None:
        level1 = level2 = ""
        pending: list[_Fragment] = []
        last: _Pending | None = None
        note_open = False
        label_since_value = True

        def close_group() -> None:
            """Before a label or 小计: text after the last value line continues its note."""
            nonlocal pending
            if pending:
                if last is not None and not label_since_value:
                    last.note.extend(pending)
                else:
                    self.orphans(pending)
            pending = []

        for event in events:
            if isinstance(event, _Label):
                close_group()
                note_open = False
                if event.level == 1:
                    level1, level2 = event.text, ""
                else:
                    level2 = event.text
                label_since_value = True
            elif isinstance(event, _Fragment):
                if (note_open and event.alone and not pending
                        and _width(event.text) <= self.note_width):
                    last.note.append(event)
                    if event.text.endswith("。"):
                        note_open = False
                else:
                    note_open = False
                    pending.append(event)
            else:
                fields = ("indicator_name", *self.value_fields)
                cells = list(event.cells)
                if note_open and cells and 0 < cells[0].text.find("。") < len(cells[0].text) - 1:
                    # '…指标值。系统稳定性 ≥99% 100% 8 8': the open note ends inside the name cell
                    cut = cells[0].text.rfind("。") + 1
                    last.note.append(_Fragment(cells[0].text[:cut], event.line))
                    cells[0] = _Fragment(cells[0].text[cut:], event.line)
                    note_open = False
                if len(cells) > len(fields):
                    surplus = len(cells) - len(fields) + 1
                    cells = [_Fragment(_join(cells[:surplus]), event.line), *cells[surplus:]]
                missing = len(fields) - len(cells)
                parts: list[list[_Fragment]] = []
                if note_open and last is not None and missing > 0 and last.note:
                    last.note, parts = _split_note(last.note, missing)
                elif pending and missing > 0:
                    parts = _segment(pending, missing)
                elif pending:
                    if last is not None and not label_since_value:
                        last.note.extend(pending)
                    else:
                        cells[0] = _Fragment(_join(pending) + cells[0].text, event.line)
                pending = []
                if last is not None:
                    self.finish(last)
                texts = [_join(part) for part in parts]
                if len(texts) < missing and texts and missing > 1 and _OPERATOR.match(texts[0]):
                    texts = [""] * (missing - len(texts)) + texts  # the name was never printed
                texts += [""] * (missing - len(texts))
                values = dict(zip(fields, [*texts, *(c.text for c in cells)]))
                name = values["indicator_name"]
                target = values.get("target_text", "")
                if not name and event.inline_labels:
                    name = event.inline_labels[-1]  # the label was the name all along
                if not name and target:
                    operator = _OPERATOR.search(target)
                    if operator and operator.start() > 0:  # '…响应时间≤2秒': the name holds the target
                        name, target = target, target[operator.start():]
                row: RawRow = {column: "" for column in COLUMNS[INDICATORS]}
                row.update(document_id=self.document.document_id, source_table=EVALUATION_TABLE,
                           source_line=str(event.line.number), project_seq=str(self.project_seq),
                           indicator_seq=str(len(self.indicators) + 1), level1=level1,
                           level2=level2, weight=event.weight, score=event.score)
                row.update(values)
                row.update(indicator_name=name, target_text=target)
                self.indicators.append(row)
                last = _Pending(row)
                note_open = self.note_width > 0
                label_since_value = False
        close_group()
        if last is not None:
            self.finish(last)

    def finish(self, pending: _Pending) -> None:
        pending.row["deviation_note"] = "".join(fragment.text for fragment in pending.note)

    def orphans(self, fragments: list[_Fragment]) -> None:
        """Text under a label without a value line: an empty slot ('指标1： 无') or a reject."""
        if _PLACEHOLDER_INDICATOR.match(squeeze("".join(f.text for f in fragments))):
            return
        seen: set[int] = set()
        for fragment in fragments:
            if fragment.line.number not in seen:
                seen.add(fragment.line.number)
                self.reject(fragment.line, "indicator text without a 分值 · 得分 pair")

    # ----------------------------------------------------------------- closing rows

    def parse_totals(self) -> bool:
        """小计 <分值> <得分>, then 总分 <得分> (values may drift to the next line)."""
        tokens: list[tuple[_Line, str]] = []
        index = self.position
        while index < len(self.lines) and len(tokens) < 6:
            line = self.lines[index]
            if tokens and not any(_is_number(t) or t == "总分" for t in line.tokens):
                break
            tokens.extend((line, token) for token in line.tokens)
            index += 1
        texts = [token for _, token in tokens]
        subtotal = texts[1:3] if len(texts) >= 3 and all(_is_number(t) for t in texts[1:3]) else None
        total_at = texts.index("总分") if "总分" in texts else None
        if subtotal is None or total_at != 3 or len(texts) < 5 or not _is_number(texts[4]):
            for line in dict.fromkeys(line for line, _ in tokens):
                self.reject(line, "小计 / 总分 rows not read")
            self.position = index
            return False
        self.evaluation["indicator_weight_subtotal"], self.evaluation["indicator_score_subtotal"] = subtotal
        self.evaluation["total_score"] = texts[4]
        for line, token in tokens[5:]:
            self.reject(line, "text after the 总分 value", token)
        self.position = index
        return True

    def skip_closing(self) -> None:
        """The '总分在80分以下…说明：' box and the 注 lines: read, not stored; an explanation
        written into the box is rejected."""
        box = ""
        in_box = False
        for line in self.lines[self.position:]:
            if line.key.startswith("总分在"):
                in_box, box = True, ""
            if line.key.startswith("注") or _PAGE_FOOTER.match(line.key):
                in_box = False
            if not in_box:
                continue
            if box.endswith(("说明：", "说明:")):
                self.reject(line, "explanation under the 总分在80分以下 box is not stored")
            else:
                box += line.key
        self.position = len(self.lines)


def _funding_label(token: str) -> str | None:
    key = squeeze(token).removeprefix("其中").lstrip("：:")
    for label, prefix in _FUNDING_ROWS:
        if key == label:
            return prefix
    return None


def _is_funding_header_start(key: str) -> bool:
    return key.startswith(("项目预算", "预算执行", "年初"))


def _starts_indicator_header(lines: list[_Line], index: int) -> bool:
    """The vertical 年度绩效指标 label or the 一级指标 cell, possibly one fragment per line."""
    text = ""
    for line in lines[index:index + 10]:
        text += line.key
        if len(text) >= 10:
            break
    return text.startswith(("年度绩效指标", "一级指标", "绩效指标一级指标"))


def _indicator_header_end(lines: list[_Line], start: int) -> int | None:
    """Index after the indicator header that starts at lines[start]: it is complete once
    三级指标, 分值 and 得分 are read and a 偏差原因分析及改进措施 cell, if any, is whole."""
    text = ""
    for index in range(start, min(start + 30, len(lines))):
        text += lines[index].key
        if not all(marker in text for marker in ("三级指标", "分值", "得分")):
            continue
        if "偏差" in text and "措施" not in text:
            continue
        following = lines[index + 1].key if index + 1 < len(lines) else ""
        if "偏差" in text or not following.startswith("偏差"):
            return index + 1
    return None


def _value_fields(header: str) -> tuple[str, ...]:
    """The value columns between 三级指标 and 分值."""
    middle = header[header.find("三级指标") + 4: header.find("分值")]
    if "调整" in middle:
        return ("target_text", "adjusted_target_text", "actual_text")
    return ("target_text", "actual_text")


def _outer_label_end(lines: list[_Line], index: int) -> int | None:
    """Index after an outer '年度绩效指标' label printed one fragment per line, if one starts here."""
    text = ""
    for position in range(index, min(index + len(_OUTER_LABEL), len(lines))):
        if len(lines[position].tokens) != 1:
            return None
        text += lines[position].key
        if text == _OUTER_LABEL:
            return position + 1
        if not _OUTER_LABEL.startswith(text):
            return None
    return None


def _label_level(text: str) -> int | None:
    return _LEVEL_LABELS.get(_EMBEDDED_POINTS.sub("", squeeze(text)))


def _match_label(lines: list[_Line], index: int, first: str) -> tuple[int, str, int] | None:
    """A hierarchy label starting with `first` on lines[index], continued one fragment per
    line ('产'/'出'/'指'/'标', '社会效益'/'指标'); returns (level, label, next index)."""
    text = first
    position = index
    while True:
        label = _EMBEDDED_POINTS.sub("", text)
        level = _LEVEL_LABELS.get(label)
        if level is not None:
            following = position + 1
            if following < len(lines) and _POINTS.match(lines[following].key):
                following += 1
            return level, label, following
        if label not in _LABEL_PREFIXES or position + 1 >= len(lines):
            return None
        tokens = lines[position + 1].tokens
        if len(tokens) != 1:
            return None
        position += 1
        text += tokens[0]


def _split_note(note: list[_Fragment], cells: int) -> tuple[list[_Fragment], list[list[_Fragment]]]:
    """Fragments after a value line, before a value line that lacks `cells` cells: the
    first ones may still be the previous row's note; prefer giving them to the new row."""
    best: tuple[int, int, list[_Fragment], list[list[_Fragment]]] | None = None
    for keep in range(0, len(note)):
        parts = _segment(note[keep:], cells)
        cost = _cell_cost(note[:keep]) + sum(_cell_cost(part) for part in parts)
        if best is None or (cost, -len(parts)) < (best[0], best[1]):
            best = (cost, -len(parts), note[:keep], parts)
    return best[2], best[3]


# --------------------------------------------------------------------------- 汇总表


class _HeaderRepeat:
    """A table header reprinted after a page break: from its first line to its last."""

    def __init__(self, header: list[_Line]) -> None:
        self.first = header[0].key if header else None
        self.last = header[-1].key if header else None
        self.inside = False

    def skips(self, line: _Line) -> bool:
        if self.first is None:
            return False
        if line.key == self.first:
            self.inside = True
        if self.inside:
            if line.key == self.last:
                self.inside = False
            return True
        return False


def _parse_summary(document: SourceDocument, table: _Table, row_seq: int, result: Extracted) -> int:
    def reject(line: _Line, reason: str) -> None:
        result.rejects.append(Reject(table.source_table, line.number, reason, line.text))

    lines = table.lines
    header_start = next((i for i, line in enumerate(lines) if line.key.startswith("序号")), None)
    first_row = next((i for i, line in enumerate(lines)
                      if header_start is not None and i > header_start and line.tokens[0] == "1"), None)
    if header_start is None or first_row is None:
        for line in lines:
            reject(line, "summary table header or first row not found")
        return row_seq
    for line in lines[:header_start]:
        if not _UNIT.search(line.key) and not line.key.startswith("部门名称"):
            reject(line, "text between the title and the summary header")
    header = "".join(line.key for line in lines[header_start:first_row])
    fields = _ordered_fields(header, _SUMMARY_HEADER)
    if "initial_budget" not in fields or "printed_seq" not in fields:
        for line in lines[header_start:]:
            reject(line, "summary header not recognised")
        return row_seq
    first_value = fields.index("initial_budget")
    text_fields = [name for name in fields[:first_value] if name in _SUMMARY_TEXT_FIELDS]
    value_fields = fields[first_value:]
    categories = re.search(r"项目类别[（(]([^）)]+)[）)]", header)
    options = tuple(categories.group(1).split("/")) if categories else ()

    rows: list[tuple[_Line, list[_Line]]] = []
    expected = 1
    repeat = _HeaderRepeat(lines[header_start:first_row])
    for line in lines[first_row:]:
        if line.key.startswith(("说明", "注：", "注:")):
            break
        if _PAGE_FOOTER.match(line.key) or repeat.skips(line):
            continue
        if line.tokens[0] == str(expected):
            rows.append((line, [line]))
            expected += 1
        elif rows:
            rows[-1][1].append(line)
        else:
            reject(line, "summary text before the first row")
    for start, row_lines in rows:
        fragments: list[_Fragment] = []
        values: list[str] = []
        value_line: _Line | None = None
        for line in row_lines:
            tokens = line.tokens[1:] if line is start else line.tokens
            if value_line is not None:
                reject(line, "text after the summary row's values")
                continue
            at = next((i for i in range(len(tokens) - 2)
                       if all(_is_amount(t) for t in tokens[i:i + 3])), None)
            if at is None:
                fragments.extend(_fragments(line, tokens) if line is not start else
                                 [_Fragment(t, line, after_space=True, alone=False) for t in tokens])
                continue
            # text printed on the value line is a cell of its own (the last text column)
            fragments.extend(_Fragment(t, line, after_space=True, alone=False) for t in tokens[:at])
            values = tokens[at:]
            value_line = line
        if value_line is None:
            for line in row_lines:
                reject(line, "summary row without its amounts")
            continue
        if fragments:
            fragments[0].after_space = False
        row: RawRow = {column: "" for column in COLUMNS[SUMMARIES]}
        row.update(document_id=document.document_id, source_table=table.source_table,
                   source_line=str(value_line.number), printed_seq=start.tokens[0])
        cells, leftover = _summary_text_cells(fragments, text_fields, options)
        if leftover:
            reject(start, "summary text cells not placed: " + _join(leftover))
        row.update(cells)
        trailing = ""
        if "execution_rate" not in value_fields and values and _PERCENT.match(values[-1]):
            trailing = values.pop()  # the unlabelled trailing % column
        placed = dict(zip(value_fields, values))
        if "findings" in value_fields and len(values) > len(value_fields):
            placed["findings"] = " ".join(values[value_fields.index("findings"):])
        elif len(values) > len(value_fields):
            reject(value_line, "more values than the summary header has columns")
            continue
        bad = [name for name in _SUMMARY_AMOUNT_FIELDS
               if placed.get(name) and not _is_amount(placed[name])]
        if bad:
            reject(value_line, "summary amounts not where the header puts them: " + ", ".join(bad))
            continue
        row.update(placed)
        if trailing:
            row["execution_rate"] = trailing
        row_seq += 1
        row["row_seq"] = str(row_seq)
        result.add(SUMMARIES, row)
    return row_seq


def _summary_text_cells(fragments: list[_Fragment], text_fields: list[str],
                        options: tuple[str, ...]) -> tuple[dict[str, str], list[_Fragment]]:
    """Split a summary row's wrapped text into its text columns (header order); also
    return the fragments that no column can take."""
    cells: dict[str, str] = {}
    leftover: list[_Fragment] = []
    anchor = None
    if "project_category" in text_fields and options:
        anchor = next((i for i, f in enumerate(fragments) if f.text in options), None)
    if anchor is None:
        parts = _segment(fragments, len(text_fields))
        names = text_fields[:len(parts)]
    else:
        at = text_fields.index("project_category")
        if at == 0:
            leftover = fragments[:anchor]
        before = _segment(fragments[:anchor], at)
        after_fragments = fragments[anchor + 1:]
        if after_fragments:
            after_fragments[0] = _Fragment(after_fragments[0].text, after_fragments[0].line)
        after = _segment(after_fragments, len(text_fields) - at - 1)
        parts = [*before, [fragments[anchor]], *after]
        names = [*text_fields[at - len(before):at], "project_category",
                 *text_fields[at + 1:at + 1 + len(after)]]
    for name, part in zip(names, parts):
        cells[name] = _join(part)
    if not text_fields:
        leftover = fragments
    return cells, leftover


# --------------------------------------------------------------------------- 预算执行明细表


def _parse_execution(document: SourceDocument, table: _Table, row_seq: int, result: Extracted) -> int:
    def reject(line: _Line, reason: str, text: str | None = None) -> None:
        result.rejects.append(Reject(table.source_table, line.number, reason,
                                     line.text if text is None else text))

    lines = table.lines
    first_row = next((i for i, line in enumerate(lines) if line.tokens[0] == "1"), None)
    header = "".join(line.key for line in lines[:first_row or 0])
    fields = _ordered_fields(header, _EXECUTION_HEADER)
    if first_row is None or len(fields) != len(_EXECUTION_HEADER):
        for line in lines[:first_row or 8]:
            reject(line, "预算执行明细表 header not recognised")
        return row_seq

    rows: list[dict] = []
    current: dict | None = None
    expected = 1
    ended = False
    repeat = _HeaderRepeat(lines[:first_row])
    for line in lines[first_row:]:
        if _PAGE_FOOTER.match(line.key) or repeat.skips(line):
            continue
        tokens = line.tokens
        if ended:
            if sum(_is_amount(t) or _PERCENT.match(t) is not None for t in tokens) >= 3:
                reject(line, "row after the table's 合计 row")
                continue
            break
        if current is None:
            if tokens[0] != str(expected):
                if rows:
                    ended = True
                    if sum(_is_amount(t) or _PERCENT.match(t) is not None for t in tokens) >= 3:
                        reject(line, "row without the expected 序号")
                        continue
                    break
                reject(line, "text before the first row")
                continue
            current = {"seq": tokens[0], "name": [], "values": [], "line": line}
            expected += 1
            tokens = tokens[1:]
        for index, token in enumerate(tokens):
            if _is_amount(token) or _PERCENT.match(token):
                current["values"].append(token)
                current["line"] = line
            elif current["values"]:
                reject(line, "text between a row's amounts", token)
            else:
                current["name"].append(_Fragment(token, line, after_space=index > 0))
        if len(current["values"]) >= len(fields):
            rows.append(current)
            if len(current["values"]) > len(fields):
                reject(line, "more values than the table has columns")
            if is_total_label(_join(current["name"])):
                ended = True
            current = None
    if current is not None:
        rows.append(current)

    unit = _stated_unit(document, [row for row in rows if is_total_label(_join(row["name"]))], fields)
    for row in rows:
        name = _join(row["name"])
        record: RawRow = {column: "" for column in BUDGET_COLUMNS}
        row_seq += 1
        record.update(document_id=document.document_id, source_table=table.source_table,
                      source_line=str(row["line"].number), row_seq=str(row_seq),
                      printed_seq=row["seq"], row_kind="total" if is_total_label(name) else "item",
                      unit_name=name, amount_unit=unit)
        record.update(zip(fields, row["values"]))
        result.add(BUDGET_LINES, record)
    return row_seq


def _stated_unit(document: SourceDocument, totals: list[dict], fields: list[str]) -> str:
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
        for name, value in zip(fields, row["values"]):
            if name == "execution_rate" or not _is_amount(value):
                continue
            amount = Decimal(value.replace(",", ""))
            for figure in stated:
                places = -figure.as_tuple().exponent
                if round_half_up(amount / 10000, places) == figure:
                    return "元"
                if amount == figure:
                    return "万元"
    return ""
