"""Where each 绩效评价报告 of a document starts and ends.

Reports
    A report starts at its title: a line without tabs or sentence punctuation ending in
    绩效评价报告 / 绩效评估报告 (支出绩效评价报告 included) or 绩效评价总览表 (a report that
    opens with its overview box). A title line that holds (almost) nothing but that suffix
    ("绩效评价报告", "政绩效评价总览表") continues the title-like line before it; a fully
    parenthesised line right after the title ("(济南市政府门户网站内容保障评估)") is its
    subtitle. A title whose name (the title without the suffix, year kept, a trailing
    项目 dropped) equals the current report's, met before the current report's body starts
    (its first non-table "一、" heading), is the same report printed again (cover → overview
    box → 目录 → title again) and does not start a new one. A report runs to the next
    report's title, or to the first self-evaluation table title (…绩效自评表, …自评情况汇总表)
    or document part heading (第N部分, unless the report has a 第一部分 of its own) after it.
    Table-of-contents blocks (目录 and the "entry→page" lines under it, a Word "错误! 未定义
    书签。" page included) are skipped everywhere.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.text import PART_HEADING, squeeze

TITLE_SUFFIX = re.compile(r"(?:财政)?绩效(?:评价|评估)(?:报告|总览表)$")
SENTENCE_PUNCTUATION = re.compile(r"[，,。；;：:！？!?、]")
_TITLE_FRAGMENT = re.compile(r"^(?:项目)?(?:支出)?(?:财?政)?$")  # what is left of a title's last line
_TRAILING_PROJECT = re.compile(r"(?:项目)?(?:支出)?$")
_SUBTITLE = re.compile(r"^[（(][^（()）]{2,60}[)）]$")
_HEADING_ONE = re.compile(r"^一[、.．]")
ORDINAL_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_NUMBERED = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
DATE_LINE = re.compile(
    r"^(?:\d{4}年\d{1,2}月(?:\d{1,2}日)?|[〇○零一二三四五六七八九十]{4}年[一二三四五六七八九十]{1,2}月"
    r"(?:[一二三四五六七八九十]{1,3}日)?)$")
_REPORT_END = re.compile(r"(?:绩效自评表|自评情况汇总表)$")
_ATTACHMENT_LABEL = re.compile(r"^附\s*件")
_TOC_TITLE = "目录"
_TOC_ENTRY = re.compile(r"^[^\t]*\S[^\t]*(?:\t\s*|[.…·]{3,}\s*)(?:\d+|错误.{0,12}书签.?)\s*$")


@dataclass
class Report:
    seq: int
    title_line: int
    title: str
    subtitle: str
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text), TOC removed


@dataclass
class _Title:
    first_line: int
    last_line: int
    title: str
    subtitle: str

    @property
    def key(self) -> str:
        return _name_key(self.title, self.subtitle)


def locate_reports(document: SourceDocument) -> list[Report]:
    toc = _toc_lines(document)
    titles = _titles(document, toc)
    starts: list[_Title] = []
    for title in titles:
        if starts and title.key == starts[-1].key and not _body_started(
                document, toc, starts[-1].last_line + 1, title.first_line):
            continue  # the same report printed again after its cover / overview / 目录
        starts.append(title)
    reports = []
    for index, title in enumerate(starts):
        end = starts[index + 1].first_line if index + 1 < len(starts) else len(document.lines) + 1
        end = _report_end(document, title.last_line + 1, end)
        report = Report(index + 1, title.first_line, title.title, title.subtitle)
        report.lines = [(n, document.line(n)) for n in range(title.last_line + 1, end) if n not in toc]
        reports.append(report)
    return reports


def _report_end(document: SourceDocument, start: int, end: int) -> int:
    """First self-evaluation table title or document part heading (第N部分) in [start, end).

    A report that has a 第一部分 of its own is divided into parts: its part headings do not
    end it.
    """
    own_parts = False
    for line_no in range(start, end):
        squeezed = squeeze(document.line(line_no))
        part = PART_HEADING.match(squeezed)
        if part and part.group(1) == "一":
            own_parts = True
        elif (part and not own_parts) or _REPORT_END.search(squeezed):
            return line_no
    return end


def _toc_lines(document: SourceDocument) -> set[int]:
    """Lines of every 目录 block: the 目录 line and the 'entry→page' lines under it."""
    toc: set[int] = set()
    line_no = 1
    total = len(document.lines)
    while line_no <= total:
        if squeeze(document.line(line_no)) != _TOC_TITLE:
            line_no += 1
            continue
        toc.add(line_no)
        line_no += 1
        while line_no <= total:
            text = document.line(line_no)
            if text.strip() and not _TOC_ENTRY.match(text):
                break
            if text.strip():
                toc.add(line_no)
            line_no += 1
    return toc


def _titles(document: SourceDocument, toc: set[int]) -> list[_Title]:
    titles = []
    for line_no, text in enumerate(document.lines, start=1):
        if line_no in toc or "\t" in text:
            continue
        squeezed = squeeze(text)
        match = TITLE_SUFFIX.search(squeezed)
        if not match or len(squeezed) > 100 or SENTENCE_PUNCTUATION.search(squeezed):
            continue
        first_line, title = line_no, squeezed
        if _TITLE_FRAGMENT.match(squeezed[: match.start()]):
            previous = _neighbour(document, line_no, -1)
            if previous and previous[0] not in toc and _title_like(previous[1]):
                first_line, title = previous[0], squeeze(previous[1]) + squeezed
        last_line, subtitle = line_no, ""
        following = _neighbour(document, line_no, +1)
        if following and _SUBTITLE.match(squeeze(following[1])):
            last_line, subtitle = following[0], squeeze(following[1])
            title += subtitle
        titles.append(_Title(first_line, last_line, title, subtitle))
    return titles


def _neighbour(document: SourceDocument, line_no: int, step: int,
               reach: int = 3) -> tuple[int, str] | None:
    """The nearest non-blank line before (step -1) or after (+1), within a few lines."""
    current = line_no + step
    while 1 <= current <= len(document.lines) and abs(current - line_no) <= reach:
        text = document.line(current)
        if text.strip():
            return current, text
        current += step
    return None


def _title_like(text: str) -> bool:
    squeezed = squeeze(text)
    return bool(squeezed) and "\t" not in text and len(squeezed) <= 60 and not (
        SENTENCE_PUNCTUATION.search(squeezed) or ORDINAL_HEADING.match(squeezed)
        or _NUMBERED.match(squeezed)
        or DATE_LINE.match(squeezed) or _ATTACHMENT_LABEL.match(squeezed)
        or _REPORT_END.search(squeezed) or PART_HEADING.match(squeezed) or squeezed.isdigit())


def _name_key(title: str, subtitle: str) -> str:
    """Title without suffix and trailing 项目/支出, subtitle kept: how a reprint is told."""
    base = TITLE_SUFFIX.sub("", title[: len(title) - len(subtitle)])
    return re.sub(r"[《》“”\"]", "", _TRAILING_PROJECT.sub("", base)) + subtitle


def _body_started(document: SourceDocument, toc: set[int], start: int, end: int) -> bool:
    return any(
        line_no not in toc and "\t" not in document.line(line_no)
        and _HEADING_ONE.match(squeeze(document.line(line_no)))
        for line_no in range(start, end))
