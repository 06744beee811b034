"""The 情况说明 section of a final-accounts document as one stream of prose (headings,
numbered items and captions kept apart), and the figures printed in it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.rows import Reject
from fiscal_dw.extract.text import PART_HEADING, squeeze

SOURCE_TABLE = "情况说明"  # the source_table of every narrative figure and reject
_CN_NUMERAL = "一二三四五六七八九十"
_LEVEL1 = re.compile(rf"^[\s\u3000]*[{_CN_NUMERAL}]+、")
_LEVEL2 = re.compile(rf"^[\s\u3000]*[（(]\s*[{_CN_NUMERAL}]+\s*[）)]")
_CAPTION = re.compile(r"^(图\d+|[（(]单位[：:])")
_ITEM = re.compile(r"^[\s\u3000]*(\d{1,2})\s*([、.．])\s*")
_NUMBER_UNIT_AFTER_DOT = re.compile(r"^\d[\d,]*(\.\d+)?(%|％|万|元|分|个)")
_LINE_DONE = "。；;！？!?：:"
SENTINEL = "\x00"
_HEADING_MAX = 40  # a heading followed by prose on its line ends at its first 。
_CANDIDATE = re.compile(r"\d(?:[\d,.]*\d)?")
_WELL_FORMED = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_DOTTED_DATE = re.compile(r"^(19|20)\d{2}\.\d{1,2}\.\d{1,2}$")
_UNITS = (
    "个百分点", "个工作日", "个月", "台（套）", "万元", "亿元", "元", "%", "％", "万人次",
    "人次", "批次", "团组", "件次", "亿条", "亿次", "万次", "万条", "万人", "万架", "万个",
    "万件", "万", "亿", "辆", "个", "项", "篇", "次", "件", "名", "人", "处", "位", "条",
    "家", "所", "户", "份", "类", "张", "台", "套", "年", "小时", "分钟", "秒", "天", "分",
    "倍", "GB", "TB", "G", "T",
)
_UNIT = re.compile(
    r"(?P<quote>[”\"’」]?)(?P<approx>余|多)?(?P<unit>"
    + "|".join(re.escape(unit) for unit in _UNITS) + ")")
PARENS = str.maketrans({"(": "（", ")": "）"})


@dataclass(frozen=True)
class NarrativeSpan:
    heading_line: int  # the 第N部分 line
    title_line: int  # the line holding …情况说明 (the heading line or the next one)
    first_line: int  # first body line
    last_line: int  # last body line (the line before the next 第N部分 heading)


# 第N部分 at the start of a line, after a page number glued to it ("19第三部分") or after a
# finished sentence on the same line (page text runs a part heading on after the last
# sentence of the part before: "…故本表无数据。第三部分 …")
_PART_START = re.compile(r"(?:^\d{0,3}|(?<=[。；！？]))第[一二三四五六七八九十]+部分")
_TITLE_LINES = 3  # a part title wrapped over at most this many lines ("…情况说" / "明")


def _part_headings(document: SourceDocument) -> list[tuple[int, str]]:
    """(line, text from 第N部分 on, squeezed) of every part heading."""
    found = []
    for number, line in enumerate(document.lines, start=1):
        text = squeeze(line)
        match = _PART_START.search(text)
        if match and PART_HEADING.match(text[match.start():].lstrip("0123456789")):
            heading = text[match.start():].lstrip("0123456789")
            if len(heading) <= _HEADING_MAX or match.start() > 0:
                found.append((number, heading))
    return found


def locate_narrative(document: SourceDocument) -> NarrativeSpan | None:
    parts = _part_headings(document)
    for index, (heading, heading_text) in enumerate(parts):
        last = parts[index + 1][0] if index + 1 < len(parts) else len(document.lines)
        if index + 1 < len(parts) and squeeze(document.line(last)).startswith(parts[index + 1][1]):
            last -= 1  # the next heading has its line to itself
        title, text = heading, heading_text
        while "情况说明" not in text and title < min(last, heading + _TITLE_LINES):
            title += 1
            text += squeeze(document.line(title))
        if "情况说明" not in text or len(text) > 2 * _HEADING_MAX:
            continue
        body = range(title + 1, last + 1)
        if any("。" in document.line(n) for n in body):  # a 目录 entry has no sentences
            return NarrativeSpan(heading, title, title + 1, last)
    return None


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Item:
    ordinal: int


@dataclass
class Stream:
    """The section's prose without whitespace; `where[i]` is (line, column) of char i.

    A sentinel char stands for a heading, an item start or a caption line; `events` says
    which (a caption has no event).
    """

    chars: list[str] = field(default_factory=list)
    where: list[tuple[int, int]] = field(default_factory=list)
    events: dict[int, Heading | Item] = field(default_factory=dict)

    def add_text(self, line_no: int, text: str, start: int = 0) -> None:
        for column in range(start, len(text)):
            if not text[column].isspace():
                self.chars.append(text[column])
                self.where.append((line_no, column))

    def add_sentinel(self, line_no: int, event: Heading | Item | None) -> None:
        if event is not None:
            self.events[len(self.chars)] = event
        self.chars.append(SENTINEL)
        self.where.append((line_no, -1))


# A heading or numbered item run on after a finished sentence of the line (page text joins
# lines: "…基本支出增加。（二）一般公共预算…", "…费用节省。13.节能环保支出（类）…")
_MIDLINE_START = re.compile(
    rf"(?<=。)[\s\u3000]*(?=[（(][{_CN_NUMERAL}]+[）)]|[{_CN_NUMERAL}]+、|\d{{1,2}}[、.．](?!\d))")


def _segments(raw: str) -> list[str]:
    """The line, cut before each heading or item that starts after a 。 within it."""
    cuts = [0] + [m.end() for m in _MIDLINE_START.finditer(raw) if m.end() < len(raw)]
    return [raw[start:end] for start, end in zip(cuts, cuts[1:] + [len(raw)])]


def build_stream(document: SourceDocument, span: NarrativeSpan) -> Stream:
    stream = Stream()
    line_done = True  # the previous non-blank line ended a sentence (or was a heading)
    for line_no in range(span.first_line, span.last_line + 1):
        offset = 0
        for segment in _segments(document.line(line_no)):
            line_done = _add_segment(stream, line_no, segment, offset, line_done)
            offset += len(segment)
    return stream


def _add_segment(stream: Stream, line_no: int, raw: str, offset: int, line_done: bool) -> bool:
    """One line (or a part of it starting a heading or item) into the stream; whether it
    ends a sentence. `offset` is the part's column in its line."""
    compact = squeeze(raw)
    if not compact:
        return line_done
    pad = " " * offset  # columns stay those of the whole line
    if _CAPTION.match(compact):
        stream.add_sentinel(line_no, None)
        return True
    heading = _LEVEL1.match(raw) or _LEVEL2.match(raw)
    if heading:
        level = 1 if _LEVEL1.match(raw) else 2
        stop = raw.find("。", heading.end())
        if stop >= 0 and len(squeeze(raw[:stop])) <= _HEADING_MAX and squeeze(raw[stop + 1:]):
            text, body_from = raw[:stop], stop + 1
        else:
            text, body_from = raw, len(raw)
        stream.add_sentinel(line_no, Heading(level, _heading_text(text)))
        stream.add_text(line_no, pad + raw, offset + body_from)
        rest = squeeze(raw[body_from:])
        return not rest or rest[-1] in _LINE_DONE
    item = _ITEM.match(raw)
    if item and line_done and not (
            item.group(2) != "、" and _NUMBER_UNIT_AFTER_DOT.match(raw[item.end():])):
        stream.add_sentinel(line_no, Item(int(item.group(1))))
        stream.add_text(line_no, pad + raw, offset + item.end())
    else:
        stream.add_text(line_no, pad + raw, offset)
    return compact[-1] in _LINE_DONE


def _heading_text(text: str) -> str:
    compact = squeeze(text)
    marker = re.match(rf"^[（(]([{_CN_NUMERAL}]+)[）)]", compact)
    if marker:
        compact = f"（{marker.group(1)}）{compact[marker.end():]}"
    return compact.rstrip("。")


@dataclass
class Figure:
    start: int  # index of the first digit in the stream
    end: int  # index after the last digit
    unit_end: int  # index after the unit (= end when there is none)
    number: str  # digits as read (separators kept)
    unit: str
    value: str = ""
    metric_key: str = ""


def find_figures(stream: Stream, rejects: list[Reject], document: SourceDocument) -> list[Figure]:
    text = "".join(stream.chars).translate(PARENS)
    figures = []
    for match in _CANDIDATE.finditer(text):
        number, start, end = match.group(), match.start(), match.end()
        unit_match = _UNIT.match(text, end)
        unit = unit_match.group("unit") if unit_match else ""
        if _not_a_figure(text, number, start, end, unit):
            continue
        if not _WELL_FORMED.match(number):
            line_no = stream.where[start][0]
            rejects.append(Reject(SOURCE_TABLE, line_no,
                                  f"number could not be normalised: {number!r}",
                                  document.line(line_no)))
            continue
        figures.append(Figure(start, end, unit_match.end() if unit_match else end, number, unit,
                              number.replace(",", "")))
    return figures


def _not_a_figure(text: str, number: str, start: int, end: int, unit: str) -> bool:
    """Years, dates, ordinals, ranks and chart numbers (docs/raw_tables_narrative.md)."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before == "图" or (before == "表" and after in "：:-—"):
        return True  # chart / table number
    if before == "第":
        return True  # rank or ordinal: 第1位, 第2次
    if before and before in "（(" and after in "）)" and len(number) <= 2:
        return True  # (1) / （1） list markers
    if after in "月日" or _DOTTED_DATE.match(number):
        return True  # date parts: 12 月 31 日, 2021.8.9
    if re.fullmatch(r"(19|20)\d{2}", number) and unit in ("", "年"):
        return True  # a year: 2023 年(度), 2012-2013, "2023 政务云服务专项"
    return False
