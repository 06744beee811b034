"""The fields of a 绩效评价报告: project, evaluator, budget, overall score and grade.

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
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fiscal_dw.extract.performance.evaluation_report_locating import (
    DATE_LINE,
    ORDINAL_HEADING,
    TITLE_SUFFIX,
    Report,
)
from fiscal_dw.extract.text import squeeze

_GENERIC_NAME = re.compile(r"^(?:(?:市|省|区|县|部门)级?)?(?:项目)?$")
_YEAR_PREFIX = re.compile(r"^20\d{2}年度?")
MARKUP = re.compile(r"\*+|</?[a-z]+[^>]*>")
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
OVERALL_SCORE = re.compile(r"(?:总得分|综合得分|评价得分)(?:评价|为|是|[：:])*" + _NUMBER + r"(分|%)?"
                            + _NOT_A_THRESHOLD)
SELF_SCORE = re.compile(r"自评得分(?:为|是|[：:])*" + _NUMBER + r"(分|%)?" + _NOT_A_THRESHOLD)
_GRADE = re.compile(
    r"(?:等级|结论|结果)(?:结果)?(?:为|是|[：:])*[“”\"'‘’「]?"
    r"(优秀|良好|优|良|中等|中|合格|较差|差|不合格)")
_CHINESE = re.compile(r"[\u4e00-\u9fa5]")
_BUDGET = re.compile(
    r"(?:预算(?:资金|总金额|金额|安排|总额|数)?|财政资金)\s*(?:[（(]\s*万?元\s*[)）])?\s*"
    r"(?:共|为|是|总计|合计|[：:])?\s*(\d[\d,]*(?:\.\d+)?\s*万?元)")


def project_name_of(report: Report) -> str:
    base = report.title[: len(report.title) - len(report.subtitle)]
    match = TITLE_SUFFIX.search(base)
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
        if "\t" in text or ORDINAL_HEADING.match(squeezed) or TITLE_SUFFIX.search(squeezed):
            break
        if DATE_LINE.match(squeezed):
            break
        cover.append((line_no, text))
    return cover


def evaluator_of(report: Report) -> str:
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
            lines.append((line_no, MARKUP.sub("", squeeze(first)), False))
        elif text.strip():
            lines.append((line_no, MARKUP.sub("", squeeze(text)), True))
    for index, (line_no, text, joinable) in enumerate(lines):
        following = lines[index + 1] if joinable and index + 1 < len(lines) else (line_no, "", False)
        yield [(0, line_no), (len(text), following[0])], text + following[1]


def _line_at(offsets: list[tuple[int, int]], position: int) -> int:
    return offsets[1][1] if position >= offsets[1][0] and offsets[1][0] > 0 else offsets[0][1]


@dataclass
class ScoreStatement:
    score: str
    score_line: int
    grade: str = ""
    grade_line: int | None = None


def score_statement(report: Report) -> ScoreStatement | None:
    for pattern in (OVERALL_SCORE, SELF_SCORE):
        for offsets, text in _windows(report):
            for match in pattern.finditer(text):
                if match.start() >= offsets[1][0]:
                    break
                statement = ScoreStatement(match.group(1), _line_at(offsets, match.start(1)))
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


def stated_budget(report: Report) -> str:
    lines = [(n, text.replace("\t", " ").strip()) for n, text in report.lines if text.strip()]
    for index, (_, text) in enumerate(lines):
        joined = text + (lines[index + 1][1] if index + 1 < len(lines) else "")
        for match in _BUDGET.finditer(joined):
            if match.start() < len(text):
                return match.group(1).strip()
    return ""
