"""The indicator block of a space-layout 自评表: hierarchy labels, value lines anchored on
their 分值 · 得分 pair, wrapped names and targets, and the 偏差原因 notes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.performance.self_evaluation_tables.space_cells import (
    OPERATOR,
    Fragment,
    Line,
    cell_cost,
    cell_text,
    display_width,
    is_number,
    segment,
)
from fiscal_dw.extract.performance.self_evaluation_tables.space_tables import COLUMNS, EVALUATION_TABLE, INDICATORS
from fiscal_dw.extract.performance.self_evaluation_tables.tab import TEMPLATE_LEVEL1, TEMPLATE_LEVEL2
from fiscal_dw.extract.rows import RawRow
from fiscal_dw.extract.text import squeeze

_POINTS = re.compile(r"^[（(]\d+(\.\d+)?分[)）]$")
_EMBEDDED_POINTS = re.compile(r"[（(]\d+(\.\d+)?分[)）]")
_PLACEHOLDER_INDICATOR = re.compile(r"^(指标\d*[：:])?无$")

LEVEL_LABELS = {**{label: 1 for label in TEMPLATE_LEVEL1}, **{label: 2 for label in TEMPLATE_LEVEL2}}
_LABEL_PREFIXES = {label[:n] for label in LEVEL_LABELS for n in range(1, len(label))}
_OUTER_LABEL = "年度绩效指标"
# Slack over the width of the deviation column's header fragment (two CJK characters).
NOTE_SLACK = 4


@dataclass
class _Label:
    level: int
    text: str
    line: Line
    inline: bool = False  # printed at the start of a line that carries more


@dataclass
class _Values:
    cells: list[Fragment]  # the tokens left of 分值 on the value line
    weight: str
    score: str
    line: Line
    inline_labels: list[str] = field(default_factory=list)


@dataclass
class _Pending:
    row: RawRow
    note: list[Fragment] = field(default_factory=list)


class IndicatorBlock:
    """The indicator rows of one 自评表, read from the lines between its indicator header and
    小计: labels, value lines and text fragments (``events``), then placed into rows with
    the hierarchy forward-filled and each row's note collected after it."""

    def __init__(self, document: SourceDocument, project_seq: int, value_fields: tuple[str, ...],
                 note_width: int, reject: Callable[[Line, str], None]) -> None:
        self.document = document
        self.project_seq = project_seq
        self.fields = ("indicator_name", *value_fields)
        self.note_width = note_width
        self.reject = reject
        self.indicators: list[RawRow] = []
        self.level1 = self.level2 = ""
        self.pending: list[Fragment] = []  # text not yet given to a row
        self.last: _Pending | None = None  # the latest row, whose note may still grow
        self.note_open = False
        self.label_since_value = True

    def read(self, lines: list[Line]) -> list[RawRow]:
        for event in self.events(lines):
            if isinstance(event, _Label):
                self.on_label(event)
            elif isinstance(event, Fragment):
                self.on_fragment(event)
            else:
                self.on_values(event)
        self.close_group()
        if self.last is not None:
            self.finish(self.last)
        return self.indicators

    @staticmethod
    def events(lines: list[Line]) -> list[_Label | _Values | Fragment]:
        """Labels, value lines and text fragments, in order."""
        events: list[_Label | _Values | Fragment] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            tokens = line.tokens
            if _POINTS.match(line.key):
                index += 1  # the points of a 一级 label printed on their own line
                continue
            if starts_indicator_header(lines, index):
                end = indicator_header_end(lines, index)
                if end is not None:  # the header reprinted after a page break
                    index = end
                    continue
            outer = _outer_label_end(lines, index)
            if outer is not None:  # the vertical 年度绩效指标 label reprinted after a page break
                index = outer
                continue
            if len(tokens) == 1 or line.key in LEVEL_LABELS:
                match = _match_label(lines, index, line.key)
                if match:
                    events.append(_Label(match[0], match[1], line))
                    index = match[2]
                    continue
                cut = line.key.rfind("。") + 1
                if len(tokens) == 1 and 0 < cut < len(line.key):
                    match = _match_label(lines, index, line.key[cut:])
                    if match:  # '指标值。满意度': a note's last sentence fused with a label
                        events.append(Fragment(line.key[:cut], line))
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
            if len(rest) >= 2 and is_number(rest[-1]) and is_number(rest[-2]):
                cells = [Fragment(token, line, after_space=i > 0, alone=False)
                         for i, token in enumerate(rest[:-2])]
                events.append(_Values(cells, rest[-2], rest[-1], line, inline))
            else:
                alone = len(rest) == 1
                events.extend(Fragment(token, line, after_space=i > 0, alone=alone)
                              for i, token in enumerate(rest))
            index += 1
        return events

    def close_group(self) -> None:
        """Before a label or 小计: text after the last value line continues its note."""
        if self.pending:
            if self.last is not None and not self.label_since_value:
                self.last.note.extend(self.pending)
            else:
                self.orphans(self.pending)
        self.pending = []

    def on_label(self, event: _Label) -> None:
        self.close_group()
        self.note_open = False
        if event.level == 1:
            self.level1, self.level2 = event.text, ""
        else:
            self.level2 = event.text
        self.label_since_value = True

    def on_fragment(self, event: Fragment) -> None:
        if (self.note_open and event.alone and not self.pending
                and display_width(event.text) <= self.note_width):
            assert self.last is not None
            self.last.note.append(event)
            if event.text.endswith("。"):
                self.note_open = False
        else:
            self.note_open = False
            self.pending.append(event)

    def on_values(self, event: _Values) -> None:
        """A value line: its own cells, the cells it lacks from the text above, a new row."""
        cells = self.own_cells(event)
        missing = len(self.fields) - len(cells)
        texts = self.lacking_cells(event, cells, missing)
        if self.last is not None:
            self.finish(self.last)
        row = self.row(event, [*texts, *(c.text for c in cells)])
        self.indicators.append(row)
        self.last = _Pending(row)
        self.note_open = self.note_width > 0
        self.label_since_value = False

    def own_cells(self, event: _Values) -> list[Fragment]:
        """The cells printed on the value line, at most one per field."""
        cells = list(event.cells)
        if self.note_open and cells and 0 < cells[0].text.find("。") < len(cells[0].text) - 1:
            # '…指标值。系统稳定性 ≥99% 100% 8 8': the open note ends inside the name cell
            assert self.last is not None
            cut = cells[0].text.rfind("。") + 1
            self.last.note.append(Fragment(cells[0].text[:cut], event.line))
            cells[0] = Fragment(cells[0].text[cut:], event.line)
            self.note_open = False
        if len(cells) > len(self.fields):
            surplus = len(cells) - len(self.fields) + 1
            cells = [Fragment(cell_text(cells[:surplus]), event.line), *cells[surplus:]]
        return cells

    def lacking_cells(self, event: _Values, cells: list[Fragment], missing: int) -> list[str]:
        """The ``missing`` leading cells, from the pending text (or the open note) above."""
        parts: list[list[Fragment]] = []
        last = self.last
        if self.note_open and last is not None and missing > 0 and last.note:
            last.note, parts = _split_note(last.note, missing)
        elif self.pending and missing > 0:
            parts = segment(self.pending, missing)
        elif self.pending:
            if last is not None and not self.label_since_value:
                last.note.extend(self.pending)
            else:
                cells[0] = Fragment(cell_text(self.pending) + cells[0].text, event.line)
        self.pending = []
        texts = [cell_text(part) for part in parts]
        if len(texts) < missing and texts and missing > 1 and OPERATOR.match(texts[0]):
            texts = [""] * (missing - len(texts)) + texts  # the name was never printed
        return texts + [""] * (missing - len(texts))

    def row(self, event: _Values, texts: list[str]) -> RawRow:
        values = dict(zip(self.fields, texts))
        name = values["indicator_name"]
        target = values.get("target_text", "")
        if not name and event.inline_labels:
            name = event.inline_labels[-1]  # the label was the name all along
        if not name and target:
            operator = OPERATOR.search(target)
            if operator and operator.start() > 0:  # '…响应时间≤2秒': the name holds the target
                name, target = target, target[operator.start():]
        row: RawRow = {column: "" for column in COLUMNS[INDICATORS]}
        row.update(document_id=self.document.document_id, source_table=EVALUATION_TABLE,
                   source_line=str(event.line.number), project_seq=str(self.project_seq),
                   indicator_seq=str(len(self.indicators) + 1), level1=self.level1,
                   level2=self.level2, weight=event.weight, score=event.score)
        row.update(values)
        row.update(indicator_name=name, target_text=target)
        return row

    def finish(self, pending: _Pending) -> None:
        pending.row["deviation_note"] = "".join(fragment.text for fragment in pending.note)

    def orphans(self, fragments: list[Fragment]) -> None:
        """Text under a label without a value line: an empty slot ('指标1： 无') or a reject."""
        if _PLACEHOLDER_INDICATOR.match(squeeze("".join(f.text for f in fragments))):
            return
        seen: set[int] = set()
        for fragment in fragments:
            if fragment.line.number not in seen:
                seen.add(fragment.line.number)
                self.reject(fragment.line, "indicator text without a 分值 · 得分 pair")


def starts_indicator_header(lines: list[Line], index: int) -> bool:
    """The vertical 年度绩效指标 label or the 一级指标 cell, possibly one fragment per line."""
    text = ""
    for line in lines[index:index + 10]:
        text += line.key
        if len(text) >= 10:
            break
    return text.startswith(("年度绩效指标", "一级指标", "绩效指标一级指标"))


def indicator_header_end(lines: list[Line], start: int) -> int | None:
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


def value_fields_of(header: str) -> tuple[str, ...]:
    """The value columns between 三级指标 and 分值."""
    middle = header[header.find("三级指标") + 4: header.find("分值")]
    if "调整" in middle:
        return ("target_text", "adjusted_target_text", "actual_text")
    return ("target_text", "actual_text")


def _outer_label_end(lines: list[Line], index: int) -> int | None:
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
    return LEVEL_LABELS.get(_EMBEDDED_POINTS.sub("", squeeze(text)))


def _match_label(lines: list[Line], index: int, first: str) -> tuple[int, str, int] | None:
    """A hierarchy label starting with `first` on lines[index], continued one fragment per
    line ('产'/'出'/'指'/'标', '社会效益'/'指标'); returns (level, label, next index)."""
    text = first
    position = index
    while True:
        label = _EMBEDDED_POINTS.sub("", text)
        level = LEVEL_LABELS.get(label)
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


def _split_note(note: list[Fragment], cells: int) -> tuple[list[Fragment], list[list[Fragment]]]:
    """Fragments after a value line, before a value line that lacks `cells` cells: the
    first ones may still be the previous row's note; prefer giving them to the new row."""
    best: tuple[int, int, list[Fragment], list[list[Fragment]]] | None = None
    for keep in range(0, len(note)):
        parts = segment(note[keep:], cells)
        cost = cell_cost(note[:keep]) + sum(cell_cost(part) for part in parts)
        if best is None or (cost, -len(parts)) < (best[0], best[1]):
            best = (cost, -len(parts), note[:keep], parts)
    return best[2], best[3]
