"""Statements of the 情况说明 that carry no figure of their own: the direction word comparing
a 支出决算 with its 年初预算, the reason given for a completion rate, a fund said to have
had nothing (无 / 没有 / 未使用 …), and a 三公 item said to have changed and stayed level at
once. One `raw_narrative_statements` row each (docs/raw_tables_narrative.md).

The prose stream, its figures and their keys are those of `raw_narrative_figures`
(narrative_text / narrative_keys, same numbering), so a statement names the figures it is
about by `figure_seq`. A budget paragraph is found by its figures, never by its layout: it
opens with a figure named as a budget (年初预算为 / 全年预算 / 预算数为 …) and holds the
first actual named after it (支出决算为 / 决算数 …) and the first completion rate after that;
it runs to the next budget figure's sentence or the next heading or numbered item. A direction
word or reason inside it belongs to it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.final_accounts.narrative import _printed, _section
from fiscal_dw.extract.final_accounts.narrative_keys import SENTENCE_END, assign_keys, subject_names
from fiscal_dw.extract.final_accounts.narrative_text import (
    PARENS,
    SENTINEL,
    SOURCE_TABLE,
    Figure,
    Stream,
    build_stream,
    find_figures,
    locate_narrative,
)
from fiscal_dw.extract.final_accounts.narrative_vocabulary import unresolved_function_subject
from fiscal_dw.extract.rows import Extracted

NARRATIVE_STATEMENTS = "raw_narrative_statements"
DIRECTION, REASON, FUND_NONE, THREE_PUBLIC_CHANGE = "direction", "reason", "fund_none", "three_public_change"

_MONEY = {"万元", "元", "亿元"}
_PERCENT = {"%", "％"}
_CLAUSE_END = "。；;，,：:" + SENTINEL
# a figure's role from the words right before it (its clause up to the figure)
_BUDGET_BEFORE = re.compile(r"(年初|全年|调整)?预算(数)?(为|是)?$")
_ACTUAL_BEFORE = re.compile(r"决算(数)?(为|是)?$")
_RATE_BEFORE = re.compile(r"完成|为(年初|全年|调整)?预算(数)?的$")
# 决算数大于年初预算数 / 决算数小于预算数 / 决算数大小于预算数 (a garbled word, kept as printed)
_COMPARED = re.compile(r"决算数?(?P<word>大小于|大于|小于|高于|低于|超过|多于|少于|等于)(?P<kind>年初|全年|调整)?预算")
# 决算数与预算数持平 / 与年初预算基本持平 / 与 2023 年预算基本持平 (a budget, not the year before)
_LEVEL = re.compile(r"与(?P<kind>年初|全年|调整|\d{4}年度?)?预算数?(基本)?(?P<word>持平|相当|一致)")
# the peer's reason markers (主要原因 / 原因是 / 由于 / 系 / 受…影响 / 主要是), 系 only where it
# cannot be part of 系统 / 体系 / 关系 …
_REASON = re.compile(r"原因|由于|因为|主要系|系因|均系|受[^。；;]{0,20}影响")
# 无政府性基金预算财政拨款收入和支出 / 没有国有资本经营预算财政拨款支出 / 未使用…安排的支出
_FUND_NONE = re.compile(
    r"(?P<word>无|没有|未使用|未发生|不涉及)(使用)?[^。；;，,]{0,8}?(?P<fund>政府性基金|国有资本经营)"
    r"[^。；;]{0,30}?(收入|支出|收支)")
_FUNDS = {"政府性基金": "government_fund", "国有资本经营": "state_capital"}
# a 三公 item named in a clause (longest first: 公务用车购置及运行维护费 before 公务用车购置)
_THREE_PUBLIC_ITEMS = (
    ("公务用车购置及运行维护费", "vehicles"), ("公务用车购置费", "vehicle_purchase"),
    ("公务用车购置", "vehicle_purchase"), ("公务用车运行维护费", "vehicle_operation"),
    ("公务用车运行维护", "vehicle_operation"), ("因公出国", "overseas_travel"),
    ("公务接待费", "reception"), ("公务接待", "reception"), ("“三公”经费", "total"), ("三公经费", "total"),
)
_ITEM_WORD = re.compile("|".join(re.escape(word) for word, _ in _THREE_PUBLIC_ITEMS))
_CHANGE = re.compile(r"增加|减少|增长|下降|上升|降低")
_FLAT = re.compile(r"持平")
_FUNCTION_PATH = re.compile(r"(?P<cls>[^（）“”\"：:，,。；;、.．\d\x00]*)（类）(?P<kuan>.*?)（款）(?P<xiang>.*?)（项）")


@dataclass
class _Paragraph:
    start: int  # stream index of the paragraph's first sentence
    end: int = -1
    budget: Figure | None = None
    actual: Figure | None = None
    rate: Figure | None = None
    seq: dict[int, int] = field(default_factory=dict)  # id(figure) -> figure_seq
    # every budget the paragraph states, by the word naming it (年初 / 全年 / 调整 / '')
    budgets: list[tuple[str, Figure]] = field(default_factory=list)

    def budget_named(self, kind: str) -> Figure | None:
        """The budget a direction word compares with: the one of the kind it names; an
        unqualified 预算数 beside several budgets (年初预算为 0，全年预算为 321.02) is the last
        stated, the budget the year ended with."""
        if kind:
            return next((figure for named, figure in self.budgets if named == kind), self.budget)
        return self.budgets[-1][1] if self.budgets else self.budget


def _role(text: str, figure: Figure, previous_end: int) -> str:
    before = text[previous_end:figure.start]
    cut = max(before.rfind(char) for char in _CLAUSE_END)
    tail = before[cut + 1:]
    if figure.unit in _PERCENT:
        return "rate" if _RATE_BEFORE.search(tail) else ""
    if figure.unit not in _MONEY and not (figure.unit == "" and figure.value == "0"):
        return ""  # a bare 0 is 0 in any unit (年初预算为 0，支出决算为 150 万元)
    if _ACTUAL_BEFORE.search(tail):
        return "actual"
    if _BUDGET_BEFORE.search(tail):
        return "budget"
    return ""


def _sentence_start(text: str, position: int) -> int:
    return max(text.rfind(char, 0, position) for char in SENTENCE_END + SENTINEL) + 1


def _sentence_end(text: str, position: int) -> int:
    ends = [i for i in (text.find(char, position) for char in SENTENCE_END + SENTINEL) if i >= 0]
    end = min(ends) if ends else len(text)
    return end + 1 if end < len(text) and text[end] != SENTINEL else end


def _paragraphs(text: str, figures: list[Figure]) -> list[tuple[_Paragraph, dict[int, int]]]:
    """Budget paragraphs, each with the figure_seq of its figures."""
    found: list[_Paragraph] = []
    current: _Paragraph | None = None
    previous_end = 0
    for seq, figure in enumerate(figures, start=1):
        if SENTINEL in text[previous_end:figure.start]:
            if current is not None:
                current.end = previous_end + text[previous_end:figure.start].find(SENTINEL)
            current = None
        role = _role(text, figure, previous_end)
        previous_start, previous_end = previous_end, figure.unit_end
        # an actual stated first takes the budget of its own sentence only; a second budget in
        # the budget's sentence (年初预算为 A，调整预算为 B，支出决算为 C) opens no paragraph
        pairs_back = (current is not None and current.budget is None and current.actual is not None
                      and not any(char in SENTENCE_END for char in text[current.actual.unit_end:figure.start]))
        same_sentence = (current is not None and current.budget is not None and current.actual is None
                         and not any(char in SENTENCE_END for char in text[current.budget.unit_end:figure.start]))
        if role == "budget" and not pairs_back and not same_sentence:
            if current is not None:
                current.end = _sentence_start(text, figure.start)
            current = _Paragraph(_sentence_start(text, figure.start))
            found.append(current)
        elif role == "actual" and current is None:
            current = _Paragraph(_sentence_start(text, figure.start))
            found.append(current)
        if current is None:
            continue
        if role == "budget":
            kind = _BUDGET_BEFORE.search(text[previous_start:figure.start])
            current.budgets.append((kind.group(1) or "" if kind else "", figure))
        if role == "budget" and current.budget is None:
            current.budget = figure
        elif role == "actual" and current.actual is None:
            current.actual = figure
        elif role == "rate" and current.rate is None and current.actual is not None:
            current.rate = figure
        current.seq[id(figure)] = seq
    for paragraph in found:
        if paragraph.end < 0:
            following = text.find(SENTINEL, paragraph.start)
            paragraph.end = following if following >= 0 else len(text)
    return [(p, p.seq) for p in found if p.budget is not None and p.actual is not None]


def _subject(paragraph: _Paragraph, text: str, names_path: Callable[[str, str, str], str]) -> str:
    """The paragraph's subject as the figure keys name it (function.<code>, three_public.<item>,
    general_budget.total); else the 类/款/项 path printed before it; else empty."""
    for figure in (paragraph.actual, paragraph.budget):
        key = figure.metric_key if figure else ""
        if key.startswith("general_budget.") and key.endswith(".total"):
            return "general_budget.total"
        if key:
            return key.rsplit(".", 1)[0]
    heading = text.rfind(SENTINEL, 0, paragraph.start) + 1
    paths = list(_FUNCTION_PATH.finditer(text, heading, paragraph.start + 1))
    if paths:
        return names_path(*paths[-1].group("cls", "kuan", "xiang"))
    return ""


def extract_narrative_statements(document: SourceDocument, *, tables: Extracted | None = None) -> Extracted:
    """One `raw_narrative_statements` row per statement of the 情况说明 part (module doc)."""
    result = Extracted()
    span = locate_narrative(document)
    if span is None:
        return result
    stream = build_stream(document, span)
    figures = find_figures(stream, [], document)
    names = subject_names(document, tables)
    assign_keys(stream, figures, names)
    text = "".join(stream.chars).translate(PARENS)

    def path_key(cls: str, kuan: str, xiang: str) -> str:
        code = names.function_code(cls, kuan, xiang)
        return f"function.{code}" if code else unresolved_function_subject(cls, kuan, xiang).prefix

    rows: list[tuple[int, dict[str, str]]] = []

    def add(position: int, kind: str, subject: str, word: str,
            paragraph: _Paragraph | None = None, seqs: dict[int, int] | None = None,
            budget: Figure | None = None) -> None:
        start, end = _sentence_start(text, position), _sentence_end(text, position)
        end = max(end, start + 1)

        def seq(figure: Figure | None) -> str:
            return str(seqs[id(figure)]) if figure is not None and seqs else ""

        rows.append((position, {
            "document_id": document.document_id,
            "source_table": SOURCE_TABLE,
            "source_line": str(stream.where[position][0]),
            "section": _section(stream, position),
            "statement_kind": kind,
            "subject_key": subject,
            "word": word,
            "sentence": _printed(document, stream, start, min(end, len(text)), ""),
            "budget_figure_seq": seq(budget or (paragraph.budget if paragraph else None)),
            "actual_figure_seq": seq(paragraph.actual if paragraph else None),
            "rate_figure_seq": seq(paragraph.rate if paragraph else None),
        }))

    paragraphs = _paragraphs(text, figures)

    def paragraph_at(position: int) -> tuple[_Paragraph, dict[int, int]] | tuple[None, None]:
        for paragraph, seqs in paragraphs:
            if paragraph.start <= position < paragraph.end:
                return paragraph, seqs
        return None, None

    for match in list(_COMPARED.finditer(text)) + list(_LEVEL.finditer(text)):
        paragraph, seqs = paragraph_at(match.start())
        subject = _subject(paragraph, text, path_key) if paragraph else ""
        kind = match.group("kind") or ""
        named = kind if kind in ("年初", "全年", "调整") else ""  # 与 2023 年预算持平 names no kind
        budget = paragraph.budget_named(named) if paragraph else None
        add(match.start("word"), DIRECTION, subject, match.group("word"), paragraph, seqs, budget)
    for paragraph, seqs in paragraphs:
        after = paragraph.actual.unit_end
        reason = _REASON.search(text, after, paragraph.end)
        add(reason.start() if reason else paragraph.actual.start, REASON,
            _subject(paragraph, text, path_key), reason.group() if reason else "", paragraph, seqs)
    for match in _FUND_NONE.finditer(text):
        add(match.start(), FUND_NONE, _FUNDS[match.group("fund")], match.group("word"))
    _three_public_changes(text, stream, add)

    rows.sort(key=lambda pair: pair[0])
    for number, (_, row) in enumerate(rows, start=1):
        result.add(NARRATIVE_STATEMENTS, {**row, "statement_seq": str(number)})
    return result


def _three_public_changes(text: str, stream: Stream, add) -> None:
    """Clauses of the 三公 sections naming one item and saying 持平: the change words beside it."""
    for start, end in _three_public_spans(text, stream):
        clause_start = start
        for index in range(start, end + 1):
            if index < end and text[index] not in "。；;":
                continue
            clause = text[clause_start:index]
            items = list(_ITEM_WORD.finditer(clause))
            cuts = [m.start() for m in items[1:]] + [len(clause)]
            for item, cut in zip(items, cuts):
                part = clause[item.start():cut]
                if _FLAT.search(part):
                    changes = [m.group() for m in _CHANGE.finditer(part)]
                    word = "+".join(dict.fromkeys(changes + ["持平"]))
                    key = dict(_THREE_PUBLIC_ITEMS)[item.group()]
                    add(clause_start + item.start(), THREE_PUBLIC_CHANGE, f"three_public.{key}", word)
            clause_start = index + 1


def _three_public_spans(text: str, stream: Stream) -> list[tuple[int, int]]:
    """(start, end) of the stream under a heading whose path names 三公."""
    spans: list[tuple[int, int]] = []
    positions = sorted(stream.events)
    for number, position in enumerate(positions):
        if "三公" in _section(stream, position + 1):
            end = positions[number + 1] if number + 1 < len(positions) else len(text)
            spans.append((position + 1, end))
    return spans
