"""项目支出绩效自评表 in the space layout: the top block (key–value tokens), the funding
header and rows, the indicator header, then the indicator block (``space_indicators``), the
小计 / 总分 rows and the closing box."""
from __future__ import annotations

import re

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.performance.self_evaluation_tables.space_cells import (
    UNIT,
    PAGE_FOOTER,
    Fragment,
    Line,
    cell_text,
    display_width,
    is_amount,
    is_number,
    line_fragments,
    ordered_fields,
)
from fiscal_dw.extract.performance.self_evaluation_tables.space_indicators import (
    NOTE_SLACK,
    IndicatorBlock,
    indicator_header_end,
    starts_indicator_header,
    value_fields_of,
)
from fiscal_dw.extract.performance.self_evaluation_tables.space_tables import (
    COLUMNS,
    EVALUATION_TABLE,
    INDICATORS,
    SELF_EVALUATIONS,
    Table,
)
from fiscal_dw.extract.rows import Extracted, RawRow, Reject
from fiscal_dw.extract.text import squeeze

_YEAR_LINE = re.compile(r"^[（(]?20\d{2}年度?[)）]?$")
_DASHES = {"-", "—", "－", "/", "--"}

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


class EvaluationParser:
    def __init__(self, document: SourceDocument, table: Table, project_seq: int,
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

    def reject(self, line: Line, reason: str, text: str | None = None) -> None:
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
        key_lines: list[Line] = []
        header_lines: list[Line] = []
        phase = "top"
        for line in self.lines[:funding_start]:
            if phase == "top":
                unit = UNIT.search(line.key)
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

    def read_keys(self, lines: list[Line]) -> None:
        current: str | None = None
        seen: set[str] = set()
        values: dict[str, list[Fragment]] = {}
        for line in lines:
            for fragment in line_fragments(line):
                key = next((k for k, _ in _KEYS if fragment.text.startswith(k)), None)
                if key is not None:
                    current = dict(_KEYS)[key] or "phone"
                    if current in seen:
                        self.reject(line, f"{key} printed twice in one table")
                    seen.add(current)
                    rest = fragment.text[len(key):].lstrip("：:")
                    values.setdefault(current, [])
                    if rest:
                        values[current].append(Fragment(rest, line, after_space=False))
                    continue
                if current is None:
                    self.reject(line, "text before 项目名称", fragment.text)
                    continue
                values[current].append(fragment)
        for column, fragments in values.items():
            if column != "phone":
                self.evaluation[column] = cell_text(fragments)

    def read_funding_header(self, lines: list[Line]) -> None:
        header = "".join(line.key for line in lines)
        fields = ordered_fields(header, _FUNDING_HEADER)
        if len(fields) == len(_FUNDING_HEADER):
            self.funding_fields = tuple(fields)
        else:
            self.funding_fields = tuple(name for name, _ in _FUNDING_HEADER)
            for line in lines:
                self.reject(line, "funding header not recognised (template column order assumed)")

    def parse_funding(self) -> bool:
        """Label-anchored token runs from 年度资金总额 to 年度总体目标 (or the indicator header)."""
        rows: list[tuple[str, Line, list[Fragment]]] = []
        while self.position < len(self.lines):
            line = self.lines[self.position]
            if line.key.startswith("年度总体目标") or starts_indicator_header(self.lines, self.position):
                break
            tokens = line.tokens
            for index, token in enumerate(tokens):
                label = _funding_label(token)
                if label is not None:
                    rows.append((label, line, []))
                elif rows:
                    rows[-1][2].append(Fragment(token, line, after_space=index > 0))
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
            if len(amounts) > 3 or not all(is_amount(t) or t in _DASHES for t in amounts):
                self.reject(line, "funding sub-row not read as 年初 / 调整后 / 执行 amounts")
                continue
            for name, value in zip(("initial", "adjusted", "executed"), amounts):
                self.evaluation[f"{prefix}_{name}"] = value
        return True

    def skip_objectives(self) -> bool:
        """年度总体目标 and its two free-text cells: read, not stored."""
        start = next((index for index in range(self.position, len(self.lines))
                      if starts_indicator_header(self.lines, index)), None)
        if start is None:
            self.reject_rest("自评表 without an indicator header")
            return False
        self.position = start
        return True

    def parse_indicator_header(self) -> bool:
        end = indicator_header_end(self.lines, self.position)
        if end is None:
            self.reject_rest("indicator header not recognised")
            return False
        header = self.lines[self.position:end]
        deviation = next((line for line in header if "偏差" in line.key), None)
        if deviation is not None:
            token = next((t for t in deviation.tokens if "偏差" in t), deviation.key)
            self.note_width = display_width(token) + NOTE_SLACK
        self.value_fields = value_fields_of("".join(line.key for line in header))
        self.position = end
        return True

    # ----------------------------------------------------------------- indicators

    def parse_indicators(self) -> bool:
        end = self.find(lambda line: line.tokens[0] in ("小计", "合计"))
        if end is None:
            self.reject_rest("indicator block without a 小计 row")
            return False
        block = IndicatorBlock(self.document, self.project_seq, self.value_fields, self.note_width, self.reject)
        lines = self.lines[self.position:end]
        self.position = end
        self.indicators = block.read(lines)
        return True

    # ----------------------------------------------------------------- closing rows

    def parse_totals(self) -> bool:
        """小计 <分值> <得分>, then 总分 <得分> (values may drift to the next line)."""
        tokens: list[tuple[Line, str]] = []
        index = self.position
        while index < len(self.lines) and len(tokens) < 6:
            line = self.lines[index]
            if tokens and not any(is_number(t) or t == "总分" for t in line.tokens):
                break
            tokens.extend((line, token) for token in line.tokens)
            index += 1
        texts = [token for _, token in tokens]
        subtotal = texts[1:3] if len(texts) >= 3 and all(is_number(t) for t in texts[1:3]) else None
        total_at = texts.index("总分") if "总分" in texts else None
        if subtotal is None or total_at != 3 or len(texts) < 5 or not is_number(texts[4]):
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
            if line.key.startswith("注") or PAGE_FOOTER.match(line.key):
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
