"""Performance-evaluation reports (绩效评价报告 / 绩效评估报告) inside a document.

Two raw tables (see docs/raw_tables_performance.md):

- ``raw_evaluation_reports``: one row per report: title, project, evaluator, budget, the
  stated overall score and grade;
- ``raw_evaluation_scores``: the report's first-level score breakdown (决策 / 过程 / 产出 /
  效益, 项目决策 / 项目管理 / 项目绩效, 财政资源配置 / 预算管理 / …), from a score table
  when one is printed, otherwise from the prose.

Everything is found by structure; line numbers, section numbering and names are never
used (numbering restarts, repeats and continues across reports in real documents).

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

Report fields
    ``title`` is the title lines joined without whitespace; ``project_name`` is the name
    taken from the title, or for a generic title (市级项目支出绩效评价报告) its subtitle, or a
    ``项目名称：`` field, else empty. ``evaluator`` is the firm or unit on the cover (the lines between
    the title and the date line): a 评价机构 / 评价单位 / 实施单位 / 项目单位 field, else an
    organisation name standing alone (山东鲁财云管理咨询有限公司（盖章）); failing that, the
    organisation on the closing seal line (…（盖章）, the lines after a 机构盖章 heading),
    empty when none is printed. ``budget_text`` is the amount of the first budget statement
    (预算安排（万元）→3120 万元, 预算资金为25万元, 共涉及财政资金 6770 万元), as printed.
    ``total_score`` is the number of the first overall-score statement (…总得分为98.57分,
    绩效评价得分：94.10分, 综合得分评价 96.5%, 评价得分：89.62; a 自评得分 statement only when
    there is no other), read over a line and the next non-blank one because hard-wrapped prose
    splits "得分为" / "89.62 分"; failing a statement, the 合计 / 总分 row of the score table.
    ``grade`` is the grade word stated after the score in the same sentence (评价等级为“优”,
    评价结论为优秀, 评价结果等级：良), empty when none is stated. ``*_line`` are the lines holding the number
    and the grade word.

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
from dataclasses import dataclass, field

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.rows import Extracted, Reject
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.text import squeeze

REPORTS = "raw_evaluation_reports"
SCORES = "raw_evaluation_scores"
COLUMNS = {name: RAW_TABLES[name] for name in (REPORTS, SCORES)}

# --------------------------------------------------------------------------- patterns

_TITLE_SUFFIX = re.compile(r"(?:财政)?绩效(?:评价|评估)(?:报告|总览表)$")
_SENTENCE_PUNCTUATION = re.compile(r"[，,。；;：:！？!?、]")
_TITLE_FRAGMENT = re.compile(r"^(?:项目)?(?:支出)?(?:财?政)?$")  # what is left of a title's last line
_TRAILING_PROJECT = re.compile(r"(?:项目)?(?:支出)?$")
_GENERIC_NAME = re.compile(r"^(?:(?:市|省|区|县|部门)级?)?(?:项目)?$")
_YEAR_PREFIX = re.compile(r"^20\d{2}年度?")
_SUBTITLE = re.compile(r"^[（(][^（()）]{2,60}[)）]$")
_HEADING_ONE = re.compile(r"^一[、.．]")
_ORDINAL_HEADING = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_NUMBERED = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
_DATE_LINE = re.compile(
    r"^(?:\d{4}年\d{1,2}月(?:\d{1,2}日)?|[〇○零一二三四五六七八九十]{4}年[一二三四五六七八九十]{1,2}月"
    r"(?:[一二三四五六七八九十]{1,3}日)?)$")
_REPORT_END = re.compile(r"(?:绩效自评表|自评情况汇总表)$")
_PART_HEADING = re.compile(r"^第([一二三四五六七八九十]+)部分")
_ATTACHMENT_LABEL = re.compile(r"^附\s*件")
_TOC_TITLE = "目录"
_TOC_ENTRY = re.compile(r"^[^\t]*\S[^\t]*(?:\t\s*|[.…·]{3,}\s*)(?:\d+|错误.{0,12}书签.?)\s*$")
_MARKUP = re.compile(r"\*+|</?[a-z]+[^>]*>")

_LABELLED_EVALUATOR = re.compile(r"(评价机构|评价单位|实施单位|项目单位|评价主体)\s*[：:]\s*([^\s：:，。；\t]+)")
_EVALUATOR_PRIORITY = ("评价机构", "评价单位", "评价主体", "实施单位", "项目单位")
_ORGANISATION = re.compile(
    r"^([\u4e00-\u9fa5（）()]{2,40}?(?:公司|事务所|研究院|研究所|中心|局|委员会|学院|大学))"
    r"(?:[（(]盖章[)）])?[：:]?$")
_SEAL = re.compile(r"盖章|签章")
_SEAL_FRAGMENT = re.compile(r"^(事务所|有限公司|公司|中心)[（(]盖章[)）]$")
_PROJECT_FIELD = re.compile(r"项目名称\s*[：:]\s*([^\s\t，。；]+)")

_NUMBER = r"(\d+(?:\.\d+)?)"
_NOT_A_THRESHOLD = r"(?!分?(?:[（(]含|以上|以下|及以上|至|[-－~～—]))"
_OVERALL_SCORE = re.compile(r"(?:总得分|综合得分|评价得分)(?:评价|为|是|[：:])*" + _NUMBER + r"(分|%)?"
                            + _NOT_A_THRESHOLD)
_SELF_SCORE = re.compile(r"自评得分(?:为|是|[：:])*" + _NUMBER + r"(分|%)?" + _NOT_A_THRESHOLD)
_GRADE = re.compile(
    r"(?:等级|结论|结果)(?:结果)?(?:为|是|[：:])*[“”\"'‘’「]?"
    r"(优秀|良好|优|良|中等|中|合格|较差|差|不合格)")
_CHINESE = re.compile(r"[\u4e00-\u9fa5]")
_BUDGET = re.compile(
    r"(?:预算(?:资金|总金额|金额|安排|总额|数)?|财政资金)\s*(?:[（(]\s*万?元\s*[)）])?\s*"
    r"(?:共|为|是|总计|合计|[：:])?\s*(\d[\d,]*(?:\.\d+)?\s*万?元)")

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


# --------------------------------------------------------------------------- entry point


def extract_evaluation_reports(document: SourceDocument) -> Extracted:
    result = Extracted(rows={REPORTS: [], SCORES: []})
    for report in locate_reports(document):
        source_table = f"评价报告R{report.seq}得分表"
        dimensions, table_total = _breakdown(report, source_table, result.rejects)
        statement = _score_statement(report)
        if statement is None and table_total is not None:
            statement = _Statement(table_total[1], table_total[0])
        result.add(REPORTS, {
            "document_id": document.document_id,
            "source_line": str(report.title_line),
            "report_seq": str(report.seq),
            "title": report.title,
            "project_name": _project_name(report),
            "evaluator": _evaluator(report),
            "budget_text": _budget(report),
            "total_score": statement.score if statement else "",
            "total_score_line": str(statement.score_line) if statement else "",
            "grade": statement.grade if statement else "",
            "grade_line": str(statement.grade_line) if statement and statement.grade else "",
        })
        for dimension_seq, dimension in enumerate(dimensions, start=1):
            result.add(SCORES, {
                "document_id": document.document_id,
                "source_line": str(dimension.line_no),
                "report_seq": str(report.seq),
                "dimension_seq": str(dimension_seq),
                "dimension": dimension.name,
                "max_score": dimension.max_score,
                "score": dimension.score,
                "presentation": dimension.presentation,
            })
    return result


# --------------------------------------------------------------------------- locating


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
        part = _PART_HEADING.match(squeezed)
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
        match = _TITLE_SUFFIX.search(squeezed)
        if not match or len(squeezed) > 100 or _SENTENCE_PUNCTUATION.search(squeezed):
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
        _SENTENCE_PUNCTUATION.search(squeezed) or _ORDINAL_HEADING.match(squeezed)
        or _NUMBERED.match(squeezed)
        or _DATE_LINE.match(squeezed) or _ATTACHMENT_LABEL.match(squeezed)
        or _REPORT_END.search(squeezed) or _PART_HEADING.match(squeezed) or squeezed.isdigit())


def _name_key(title: str, subtitle: str) -> str:
    """Title without suffix and trailing 项目/支出, subtitle kept: how a reprint is told."""
    base = _TITLE_SUFFIX.sub("", title[: len(title) - len(subtitle)])
    return re.sub(r"[《》“”\"]", "", _TRAILING_PROJECT.sub("", base)) + subtitle


def _body_started(document: SourceDocument, toc: set[int], start: int, end: int) -> bool:
    return any(
        line_no not in toc and "\t" not in document.line(line_no)
        and _HEADING_ONE.match(squeeze(document.line(line_no)))
        for line_no in range(start, end))


# --------------------------------------------------------------------------- report fields


def _project_name(report: Report) -> str:
    base = report.title[: len(report.title) - len(report.subtitle)]
    match = _TITLE_SUFFIX.search(base)
    name = base[: match.start()] if match else base
    if name.endswith("项目支出"):
        name = name[: -len("支出")]
    if not _GENERIC_NAME.match(_YEAR_PREFIX.sub("", name)):
        return name
    if report.subtitle:
        return report.subtitle[1:-1]
    for _, text in report.lines:
        field_match = _PROJECT_FIELD.search(text)
        if field_match:
            return field_match.group(1)
    return ""


def _cover(report: Report) -> list[tuple[int, str]]:
    """Lines between the title and the cover's date line (or the first heading / table / 目录)."""
    cover = []
    for line_no, text in report.lines[:12]:
        squeezed = squeeze(text)
        if not squeezed:
            continue
        if "\t" in text or _ORDINAL_HEADING.match(squeezed) or _TITLE_SUFFIX.search(squeezed):
            break
        if _DATE_LINE.match(squeezed):
            break
        cover.append((line_no, text))
    return cover


def _evaluator(report: Report) -> str:
    cover = _cover(report)
    labelled = {}
    for _, text in cover:
        for match in _LABELLED_EVALUATOR.finditer(text):
            labelled.setdefault(match.group(1), match.group(2))
    for label in _EVALUATOR_PRIORITY:
        if label in labelled:
            return labelled[label]
    for _, text in cover:
        match = _ORGANISATION.match(squeeze(text))
        if match:
            return match.group(1)
    return _sealed_organisation(report)


def _sealed_organisation(report: Report) -> str:
    """The organisation on the closing seal block (…（盖章）, or the lines after 机构盖章)."""
    lines = [text for _, text in report.lines if text.strip() and "\t" not in text]
    seals = [index for index, text in enumerate(lines) if _SEAL.search(text)]
    if not seals:
        return ""
    window = lines[max(0, seals[-1] - 2): seals[-1] + 5]
    for position, text in enumerate(window):
        for token in text.split():
            squeezed = squeeze(token)
            fragment = _SEAL_FRAGMENT.match(squeezed)
            if fragment:
                if position > 0:  # "山东大明有限责任会计师 项目负责人：" / "事务所（盖章）"
                    return squeeze(window[position - 1].split()[0]) + fragment.group(1)
                continue
            match = _ORGANISATION.match(squeezed)
            if match:
                return match.group(1)
    return ""


def _windows(report: Report) -> Iterator[tuple[list[tuple[int, int]], str]]:
    """Each non-blank line joined (markup and whitespace removed) with the next non-blank one.

    Yields the offsets at which each of the two lines starts in the joined text, so a match
    can be traced back to its line; only matches starting in the first line count. A line
    of a tab table contributes its first cell only, and is never joined: a statement printed
    in a table (the result line of an overview box) sits in one cell.
    """
    lines = []
    for line_no, text in report.lines:
        if "\t" in text:
            first = next((cell for cell in text.split("\t") if cell.strip()), "")
            lines.append((line_no, _MARKUP.sub("", squeeze(first)), False))
        elif text.strip():
            lines.append((line_no, _MARKUP.sub("", squeeze(text)), True))
    for index, (line_no, text, joinable) in enumerate(lines):
        following = lines[index + 1] if joinable and index + 1 < len(lines) else (line_no, "", False)
        yield [(0, line_no), (len(text), following[0])], text + following[1]


def _line_at(offsets: list[tuple[int, int]], position: int) -> int:
    return offsets[1][1] if position >= offsets[1][0] and offsets[1][0] > 0 else offsets[0][1]


@dataclass
class _Statement:
    score: str
    score_line: int
    grade: str = ""
    grade_line: int | None = None


def _score_statement(report: Report) -> _Statement | None:
    for pattern in (_OVERALL_SCORE, _SELF_SCORE):
        for offsets, text in _windows(report):
            for match in pattern.finditer(text):
                if match.start() >= offsets[1][0]:
                    break
                statement = _Statement(match.group(1), _line_at(offsets, match.start(1)))
                grade = _grade_after(text, match.end(), offsets[1][0])
                if grade:
                    statement.grade = grade.group(1)
                    statement.grade_line = _line_at(offsets, grade.start(1))
                return statement
    return None


def _grade_after(text: str, start: int, boundary: int) -> re.Match[str] | None:
    """The first grade word after the score, in the same sentence, that is a word of its own
    (优 in 优化 is not)."""
    stop = text.find("。", start)
    if stop >= 0:
        text = text[:stop]
    for match in _GRADE.finditer(text, start):
        end = match.end()
        if end == boundary or end == len(text) or not _CHINESE.match(text[end]):
            return match
    return None


def _budget(report: Report) -> str:
    lines = [(n, text.replace("\t", " ").strip()) for n, text in report.lines if text.strip()]
    for index, (_, text) in enumerate(lines):
        joined = text + (lines[index + 1][1] if index + 1 < len(lines) else "")
        for match in _BUDGET.finditer(joined):
            if match.start() < len(text):
                return match.group(1).strip()
    return ""


# --------------------------------------------------------------------------- score breakdown


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


def _breakdown(report: Report, source_table: str, rejects: list[Reject]
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
    squeezed = _MARKUP.sub("", squeeze(text))
    return bool(_OVERALL_SCORE.search(squeezed) or _SELF_SCORE.search(squeezed)) and bool(
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
                if fragment or _SENTENCE_PUNCTUATION.search(cells[0]) or len(cells[0]) > 12:
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
        squeezed = _MARKUP.sub("", squeeze(text))
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
