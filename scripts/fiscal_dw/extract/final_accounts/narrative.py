"""Figures stated in the narrative part (第三部分 …情况说明) of a final-accounts document.

The narrative restates and explains the standard tables in prose. Every number printed in
it becomes one row of `raw_narrative_figures` (docs/raw_tables_narrative.md), with the
figure as printed, its normalised value and unit, the sentence it belongs to and a
`metric_key` saying what it is. Everything is found by structure and wording, never by
line numbers or document names:

- the section runs from the 第N部分 heading whose title says 情况说明 (on the heading line
  or the next non-blank line; a 目录 entry is skipped because it holds no sentence) to
  the next 第N部分 heading;
- inside it, lines are headings (一、 / （一）), chart captions (图1：…, (单位：万元)),
  numbered items (1、 / 1. / 10. at the start of a line that follows a finished sentence
  or a heading) or prose. Prose is read as one stream with all whitespace removed, so a
  number broken by stray spaces (``12,92 7 . 3 5``), a sentence split by a blank line, a
  share split from its 占 or a unit printed on the next line read as printed;
- a figure is a run of digits (with ``,`` and ``.``) and the unit after it. Years, dates,
  ordinals, ranks (第1位) and chart numbers are not figures (rule in
  docs/raw_tables_narrative.md); a number that is not a well-formed decimal is returned as
  a Reject with its line;
- the key comes from the section family (from the heading path), the subject named before
  the figure (keyword tables; 类 names and 类/款/项 paths are looked up in the document's
  own 公开05 subject list) and the measure named right before it (占 → share, 完成…的 →
  completion rate, 减少/增加 → signed change against the year before or the budget, …).
  A figure whose subject or measure is not recognised is kept with an empty key.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.rows import Extracted, Reject
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.final_accounts.standard_tables import extract_standard_tables
from fiscal_dw.extract.text import squeeze

NARRATIVE_FIGURES = "raw_narrative_figures"
COLUMNS = RAW_TABLES[NARRATIVE_FIGURES]
SOURCE_TABLE = "情况说明"

# --------------------------------------------------------------------------- patterns

_CN_NUMERAL = "一二三四五六七八九十"
_PART_HEADING = re.compile(rf"^第[{_CN_NUMERAL}]+部分")
_LEVEL1 = re.compile(rf"^[\s\u3000]*[{_CN_NUMERAL}]+、")
_LEVEL2 = re.compile(rf"^[\s\u3000]*[（(]\s*[{_CN_NUMERAL}]+\s*[）)]")
_CAPTION = re.compile(r"^(图\d+|[（(]单位[：:])")
_ITEM = re.compile(r"^[\s\u3000]*(\d{1,2})\s*([、.．])\s*")
_NUMBER_UNIT_AFTER_DOT = re.compile(r"^\d[\d,]*(\.\d+)?(%|％|万|元|分|个)")
_SENTENCE_END = "。；;！？!?"
_LINE_DONE = "。；;！？!?：:"
_CLAUSE_END = "。；;，,：:"
_SENTINEL = "\x00"
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
_MONEY_UNITS = {"万元", "亿元", "元"}
_PERCENT_UNITS = {"%", "％"}
_PARENS = str.maketrans({"(": "（", ")": "）"})

_DECREASE = ("减少", "下降", "降低")
_INCREASE = ("增加", "增长", "上升")
_YOY = re.compile(r"与(\d{4}年度?|上年度?)相比|比上年|较上年|同比")
_VS_BUDGET = re.compile(r"[比较](年初|全年)?预算")
_ASIDE = re.compile(r"（不?含[^（）]*）")
_GRADE = re.compile(r"^项目(自评)?等级(全部)?为[“\"]?([优良中差])")
_GRADE_NAMES = {"优": "excellent", "良": "good", "中": "fair", "差": "poor"}
_FUNCTION_PATH = re.compile(r"(?P<cls>[^（）]*?)（类）(?P<kuan>.*?)（款）(?P<xiang>.*?)（项）")
_CLASS_NAME = re.compile(rf"(?P<name>[^{_SENTINEL}，,；;：:、。（）]+)（类）(?P<tail>支出)?")


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Subject:
    """What a figure is about: `prefix` plus a measure suffix gives the key.

    `keys` renames a measure (``{p}`` is the prefix); `only`, when given, lists the measures
    that are keyed for this subject (the others are kept unkeyed).
    """

    prefix: str
    keys: Mapping[str, str] = field(default_factory=dict)
    only: frozenset[str] | None = None

    def key(self, measure: str) -> str:
        if not self.prefix or (self.only is not None and measure not in self.only):
            return ""
        if measure in self.keys:
            return self.keys[measure].replace("{p}", self.prefix)
        if measure == "pct":  # a percentage that is no share, rate or change
            return ""
        return f"{self.prefix}.{measure}"


def _s(prefix: str, only: Iterable[str] | None = None, **keys: str) -> Subject:
    return Subject(prefix, keys, frozenset(only) if only is not None else None)


def _three_public(item: str) -> Subject:
    return _s(f"three_public.{item}", amount="{p}.actual")


_ITEM_MEASURES = ("budget", "actual", "completion_rate")
_PROJECT_MEASURES = ("score", "budget", "executed", "completion_rate")
_SELF_EVALUATION_MEASURES = (
    "amount", "share", "project_count", "table_count",
    *(f"grade_{name}_count" for name in _GRADE_NAMES.values()))

# Section families, tried in this order against the heading path.
FAMILIES: tuple[tuple[str, str], ...] = (
    ("三公", "three_public"),
    ("机关运行经费", "operating_cost"),
    ("政府采购", "procurement"),
    ("国有资产", "assets"),
    ("绩效", "performance"),
    ("基本支出", "basic"),
    ("政府性基金", "gov_fund"),
    ("国有资本经营", "state_capital"),
    ("一般公共预算", "general_budget"),
    ("财政拨款收入支出", "fiscal"),
    ("收入支出决算总体", "total"),
    ("收入决算", "income"),
    ("支出决算", "expenditure"),
)

# Subject keywords per family (matched on whitespace-free text, ASCII parentheses read as
# full-width). The keyword ending nearest before the figure wins; at the same end, the longer.
SUBJECTS: dict[str, dict[str, Subject]] = {
    "total": {"收、支总计": _s("total.income_expenditure"),
              "收支总计": _s("total.income_expenditure")},
    "fiscal": {"收、支总计": _s("fiscal.income_expenditure"),
               "收支总计": _s("fiscal.income_expenditure")},
    "income": {
        "收入合计": _s("income.total"),
        "财政拨款收入": _s("income.fiscal_appropriation"),
        "上级补助收入": _s("income.superior_subsidy"),
        "事业收入": _s("income.business_income"),
        "经营收入": _s("income.operating_income"),
        "附属单位上缴收入": _s("income.affiliate_remittance"),
        "其他收入": _s("income.other_income"),
    },
    "expenditure": {
        "支出合计": _s("expenditure.total"),
        "基本支出": _s("expenditure.basic"),
        "项目支出": _s("expenditure.project"),
        "上缴上级支出": _s("expenditure.remit_to_superior"),
        "经营支出": _s("expenditure.operating"),
        "对附属单位补助支出": _s("expenditure.subsidy_to_affiliates"),
    },
    "general_budget": {
        "一般公共预算财政拨款支出": _s(
            "general_budget.total", budget="general_budget.initial_budget.total",
            actual="general_budget.final_amount.total",
            completion_rate="general_budget.completion_rate.total"),
    },
    "basic": {
        "基本支出": _s("basic.total"),
        "人员经费": _s("basic.personnel"),
        "公用经费": _s("basic.public"),
    },
    "three_public": {
        "三公": _three_public("total"),
        "因公出国": _three_public("overseas_travel"),
        "公务用车购置及运行维护费": _three_public("vehicles"),
        "公务用车购置费": _three_public("vehicle_purchase"),
        "购置公务用车": _three_public("vehicle_purchase"),
        "公务用车运行维护费": _three_public("vehicle_operation"),
        "运行维护费": _three_public("vehicle_operation"),
        "保有量": _s("three_public.vehicles", only=("count",), count="{p}.fleet_count"),
        "公务接待费": _three_public("reception"),
        "国内接待": _three_public("reception_domestic"),
        "外事接待": _three_public("reception_foreign_affairs"),
        "国（境）外接待": _three_public("reception_overseas"),
    },
    "operating_cost": {"机关运行经费": _s("operating_cost")},
    "procurement": {
        "政府采购支出总额": _s("procurement.total", amount="procurement.total"),
        "政府采购货物支出": _s("procurement.goods", amount="procurement.goods"),
        "政府采购工程支出": _s("procurement.works", amount="procurement.works"),
        "政府采购服务支出": _s("procurement.services", amount="procurement.services"),
        "授予中小企业": _s("procurement.sme"),
        "授予小微企业": _s("procurement.micro"),
        "货物采购授予中小企业": _s("procurement.goods", only=("share",), share="{p}.sme_share"),
        "工程采购授予中小企业": _s("procurement.works", only=("share",), share="{p}.sme_share"),
        "服务采购授予中小企业": _s("procurement.services", only=("share",),
                                 share="{p}.sme_share"),
    },
    "assets": {
        "车辆": _s("vehicles.fleet", only=("count",)),
        "领导干部用车": _s("vehicles.leader", only=("count",)),
        "机要通信用车": _s("vehicles.confidential_comms", only=("count",)),
        "应急保障用车": _s("vehicles.emergency", only=("count",)),
        "执法执勤用车": _s("vehicles.law_enforcement", only=("count",)),
        "特种专业技术用车": _s("vehicles.special_technical", only=("count",)),
        "离退休干部用车": _s("vehicles.retired_cadre", only=("count",)),
        "离退休干部服务用车": _s("vehicles.retired_cadre", only=("count",)),
        "其他用车": _s("vehicles.other", only=("count",)),
        "设备": _s("assets.large_equipment", only=("count", "threshold")),
    },
    "performance": {
        "绩效自评": _s("performance.self_evaluation", only=_SELF_EVALUATION_MEASURES,
                       amount="{p}.budget", share="{p}.coverage_share"),
        "部门重点评价": _s("performance.key_evaluation",
                           only=("amount", "project_count", "score"), amount="{p}.budget"),
        "部门评价": _s("performance.key_evaluation",
                       only=("amount", "project_count", "score"), amount="{p}.budget"),
        "财政重点评价": _s("performance.fiscal_evaluation",
                           only=("amount", "project_count", "score"), amount="{p}.budget"),
        "财政评价": _s("performance.fiscal_evaluation",
                       only=("amount", "project_count", "score"), amount="{p}.budget"),
    },
}

UNKEYED = Subject("")  # a locked scope whose subject could not be resolved


def _function_subject(code: str) -> Subject:
    return _s(f"function.{code}", only=_ITEM_MEASURES, budget="{p}.initial_budget",
              actual="{p}.final_amount")


def _class_subject(code: str) -> Subject:
    return _s(f"general_budget.class.{code}", only=("amount", "share"))


def _project_subject(ordinal: int) -> Subject:
    return _s(f"performance.project.{ordinal}", only=_PROJECT_MEASURES,
              completion_rate="{p}.rate")


# --------------------------------------------------------------------------- locating


@dataclass(frozen=True)
class NarrativeSpan:
    heading_line: int  # the 第N部分 line
    title_line: int  # the line holding …情况说明 (the heading line or the next one)
    first_line: int  # first body line
    last_line: int  # last body line (the line before the next 第N部分 heading)


def locate_narrative(document: SourceDocument) -> NarrativeSpan | None:
    parts = [number for number, line in enumerate(document.lines, start=1)
             if _PART_HEADING.match(squeeze(line)) and len(squeeze(line)) <= _HEADING_MAX]
    for index, heading in enumerate(parts):
        last = parts[index + 1] - 1 if index + 1 < len(parts) else len(document.lines)
        title = heading
        if "情况说明" not in squeeze(document.line(heading)):
            title = next((n for n in range(heading + 1, last + 1)
                          if document.line(n).strip()), 0)
            if not title or "情况说明" not in squeeze(document.line(title)):
                continue
        body = range(title + 1, last + 1)
        if any("。" in document.line(n) for n in body):  # a 目录 entry has no sentences
            return NarrativeSpan(heading, title, title + 1, last)
    return None


# --------------------------------------------------------------------------- the stream


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
        self.chars.append(_SENTINEL)
        self.where.append((line_no, -1))


def build_stream(document: SourceDocument, span: NarrativeSpan) -> Stream:
    stream = Stream()
    line_done = True  # the previous non-blank line ended a sentence (or was a heading)
    for line_no in range(span.first_line, span.last_line + 1):
        raw = document.line(line_no)
        compact = squeeze(raw)
        if not compact:
            continue
        if _CAPTION.match(compact):
            stream.add_sentinel(line_no, None)
            line_done = True
            continue
        heading = _LEVEL1.match(raw) or _LEVEL2.match(raw)
        if heading:
            level = 1 if _LEVEL1.match(raw) else 2
            stop = raw.find("。", heading.end())
            if stop >= 0 and len(squeeze(raw[:stop])) <= _HEADING_MAX and squeeze(raw[stop + 1:]):
                text, body_from = raw[:stop], stop + 1
            else:
                text, body_from = raw, len(raw)
            stream.add_sentinel(line_no, Heading(level, _heading_text(text)))
            stream.add_text(line_no, raw, body_from)
            rest = squeeze(raw[body_from:])
            line_done = not rest or rest[-1] in _LINE_DONE
            continue
        item = _ITEM.match(raw)
        if item and line_done and not (
                item.group(2) != "、" and _NUMBER_UNIT_AFTER_DOT.match(raw[item.end():])):
            stream.add_sentinel(line_no, Item(int(item.group(1))))
            stream.add_text(line_no, raw, item.end())
        else:
            stream.add_text(line_no, raw)
        line_done = compact[-1] in _LINE_DONE
    return stream


def _heading_text(text: str) -> str:
    compact = squeeze(text)
    marker = re.match(rf"^[（(]([{_CN_NUMERAL}]+)[）)]", compact)
    if marker:
        compact = f"（{marker.group(1)}）{compact[marker.end():]}"
    return compact.rstrip("。")


# --------------------------------------------------------------------------- figures


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
    text = "".join(stream.chars).translate(_PARENS)
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


# --------------------------------------------------------------------------- keys


@dataclass
class _State:
    path: list[str] = field(default_factory=lambda: ["", ""])
    family: str = ""
    default: Subject | None = None
    current: Subject | None = None
    locked: Subject | None = None
    item_start: int = 0
    scope_start: int = 0


class SubjectNames:
    """Functional subject codes and names from the document's own tables (公开05 first)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self.names: dict[str, str] = {}
        for code, name in pairs:
            if code and name and code not in self.names:
                self.names[code] = _name_key(name)

    def class_code(self, name: str) -> str:
        wanted = _name_key(name).removesuffix("支出")
        classes = {code: n.removesuffix("支出") for code, n in self.names.items() if len(code) == 3}
        exact = [code for code, n in classes.items() if n == wanted]
        if len(exact) == 1:
            return exact[0]
        # a misprinted class name (一般公共预算服务 for 一般公共服务): the one table name
        # whose characters all appear in order in the printed name
        loose = [code for code, n in classes.items() if n and _is_subsequence(n, wanted)]
        return loose[0] if len(loose) == 1 else ""

    def function_code(self, class_name: str, kuan: str, xiang: str) -> str:
        candidates = [code for code, n in self.names.items()
                      if len(code) == 7 and n == _name_key(xiang)]
        if len(candidates) > 1:
            candidates = [c for c in candidates if self.names.get(c[:5]) == _name_key(kuan)]
        if len(candidates) > 1:
            class_code = self.class_code(class_name)
            candidates = [c for c in candidates if c[:3] == class_code]
        return candidates[0] if len(candidates) == 1 else ""


def _name_key(name: str) -> str:
    return squeeze(name).translate(_PARENS)


def _is_subsequence(short: str, long: str) -> bool:
    characters = iter(long)
    return all(char in characters for char in short)


def _subject_names(document: SourceDocument, tables: Extracted | None) -> SubjectNames:
    if tables is None:
        tables = extract_standard_tables(document)
    rows = tables.rows.get("raw_expenditure_by_function", [])
    for source in ("公开05", "公开03"):
        pairs = [(r["subject_code"], r["subject_name"]) for r in rows if r["source_table"] == source]
        if pairs:
            return SubjectNames(pairs)
    return SubjectNames((r["subject_code"], r["subject_name"])
                        for r in tables.rows.get("raw_income_by_function", []))


def _family(path: list[str]) -> str:
    text = "".join(path)
    return next((family for word, family in FAMILIES if word in text), "")


def _find_subject(text: str, family: str, names: SubjectNames) -> tuple[int, Subject] | None:
    """The subject named last in `text`: (end position, subject)."""
    best: tuple[int, int, Subject] | None = None
    for word, subject in SUBJECTS.get(family, {}).items():
        position = text.rfind(word)
        if position >= 0:
            candidate = (position + len(word), len(word), subject)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    if family == "general_budget":
        for match in _CLASS_NAME.finditer(text):
            code = names.class_code(match.group("name") + (match.group("tail") or ""))
            candidate = (match.end(), len(match.group()), _class_subject(code) if code else UNKEYED)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return (best[0], best[2]) if best else None


def _clause_tail(gap: str) -> str:
    cut = max(gap.rfind(char) for char in _CLAUSE_END + _SENTINEL)
    return gap[cut + 1:]


def _first_clause(text: str) -> str:
    """Text up to the first clause end or opening parenthesis (an aside starts there)."""
    ends = [i for i in (text.find(char) for char in _CLAUSE_END + _SENTINEL + "（") if i >= 0]
    return text[:min(ends)] if ends else text


def _direction(tail: str) -> int:
    found = [(tail.rfind(word), -1) for word in _DECREASE] + [(tail.rfind(word), 1) for word in _INCREASE]
    position, sign = max(found)
    return sign if position >= 0 else 0


def _measure(figure: Figure, tail: str, after: str, sentence_before: str) -> tuple[str, int]:
    """(measure, sign) for a figure from the clause before it and the words after it."""
    unit = figure.unit
    if unit in _PERCENT_UNITS:
        if "占" in tail:
            return "share", 0
        if "完成" in tail:
            return "completion_rate", 0
        sign = _direction(tail)
        if sign:
            return _change_base(sentence_before, "pct"), sign
        return "pct", 0
    if unit == "分":
        return "score", 0
    if unit in _MONEY_UNITS:
        sign = _direction(tail)
        if sign:
            return _change_base(sentence_before, "change"), sign
        if "执行数" in tail:
            return "executed", 0
        if re.search(r"决算(数)?为", tail):
            return "actual", 0
        if re.search(r"预算(数)?为", tail):
            return "budget", 0
        if "单价" in tail or "单位价值" in tail:
            return "threshold", 0
        return "amount", 0
    if unit == "批次":
        return "batches", 0
    if unit == "人次":
        return "persons", 0
    if unit == "个" and "团组" in tail:
        return "groups", 0
    if unit == "个":
        grade = _GRADE.match(after)
        if grade:
            return f"grade_{_GRADE_NAMES[grade.group(3)]}_count", 0
        if after.startswith("项目") and "自评表" in after:
            return "table_count", 0
        if after.startswith("项目") or tail.endswith("项目"):
            return "project_count", 0
    return "count", 0


def _change_base(sentence_before: str, kind: str) -> str:
    yoy = [m.end() for m in _YOY.finditer(sentence_before)]
    budget = [m.end() for m in _VS_BUDGET.finditer(sentence_before)]
    if not yoy and not budget:
        return "change" if kind == "change" else "change_pct"
    if max(yoy, default=-1) > max(budget, default=-1):
        return "yoy_change" if kind == "change" else "yoy_pct"
    return "budget_change" if kind == "change" else "budget_change_pct"


def assign_keys(stream: Stream, figures: list[Figure], names: SubjectNames) -> None:
    text = "".join(stream.chars).translate(_PARENS)
    state = _State()
    figure_index = 0
    previous_end = 0
    for position in range(len(text) + 1):
        if position in stream.events or (position < len(text) and text[position] == _SENTINEL):
            _enter(state, stream.events.get(position), position, text, names)
            previous_end = position + 1
        while figure_index < len(figures) and figures[figure_index].start == position:
            figure = figures[figure_index]
            _key_figure(state, figure, text, previous_end, names)
            previous_end = figure.unit_end
            figure_index += 1


def _enter(state: _State, event: Heading | Item | None, position: int, text: str,
           names: SubjectNames) -> None:
    state.scope_start = position + 1
    if isinstance(event, Heading):
        state.path = [event.text, ""] if event.level == 1 else [state.path[0], event.text]
        state.family = _family(state.path)
        found = _find_subject(state.path[1] or state.path[0], state.family, names)
        if found is None and state.path[1]:
            found = _find_subject(state.path[0], state.family, names)
        state.default = found[1] if found else None
        state.current, state.locked = state.default, None
    elif isinstance(event, Item):
        state.current, state.locked, state.item_start = state.default, None, position + 1
        title = _item_title(text, position + 1)
        if state.family == "performance" and "综述" in title:
            state.locked = _project_subject(event.ordinal)
        elif state.family == "general_budget":
            path = _FUNCTION_PATH.search(title)
            if path:
                code = names.function_code(path.group("cls"), path.group("kuan"), path.group("xiang"))
                state.locked = _function_subject(code) if code else UNKEYED


def _item_title(text: str, start: int) -> str:
    """An item's text up to its first 。 or ： (a 项 path, or '…项目绩效自评综述')."""
    ends = [i for i in (text.find(char, start) for char in "。：:" + _SENTINEL) if i >= 0]
    return text[start:min(ends) if ends else len(text)]


def _key_figure(state: _State, figure: Figure, text: str, previous_end: int,
                names: SubjectNames) -> None:
    gap = text[max(previous_end, state.scope_start):figure.start]
    tail = _clause_tail(gap)
    sentence_start = max(text.rfind(char, 0, figure.start) for char in _SENTENCE_END + _SENTINEL) + 1
    sentence_before = text[sentence_start:figure.start]
    next_start = text.find(_SENTINEL, figure.unit_end)
    after = text[figure.unit_end:next_start if next_start >= 0 else len(text)]
    digit = re.search(r"\d", after)
    if digit:
        after = after[:digit.start()]
    after = _first_clause(_ASIDE.sub("", after))
    measure, sign = _measure(figure, tail, after, sentence_before)
    if sign < 0:
        figure.value = f"-{figure.value}"
    if state.locked is not None:
        in_outcomes = "完成情况" in text[state.item_start:figure.start]
        figure.metric_key = "" if in_outcomes else state.locked.key(measure)
        return
    search = gap
    if "占" in tail:  # what follows 占 is the base of the share, not its subject
        search = gap[:len(gap) - len(tail) + tail.rfind("占")]
    found = _find_subject(_ASIDE.sub(lambda m: "\x01" * len(m.group()), search),
                          state.family, names)
    subject = found[1] if found else None
    if subject is None:
        ahead = _find_subject(after, state.family, names)
        subject = ahead[1] if ahead else None
    if subject is not None:
        state.current = subject
    elif "其中" in gap and measure == "amount":
        figure.metric_key = ""  # a part of the figure before it, not named by a keyword
        return
    else:
        subject = state.current
    figure.metric_key = subject.key(measure) if subject else ""


# --------------------------------------------------------------------------- rows


def _printed(document: SourceDocument, stream: Stream, start: int, end: int, join: str) -> str:
    """Source text from stream char `start` to char `end - 1`; lines joined by `join`."""
    (first_line, first_col), (last_line, last_col) = stream.where[start], stream.where[end - 1]
    if first_line == last_line:
        return document.line(first_line)[first_col:last_col + 1]
    pieces = [document.line(first_line)[first_col:]]
    pieces += [document.line(n) for n in range(first_line + 1, last_line)]
    pieces.append(document.line(last_line)[:last_col + 1])
    if join:
        return join.join(pieces)
    return "".join(piece.strip() for piece in pieces)


def _sentence_bounds(stream: Stream, figure: Figure) -> tuple[int, int]:
    chars = stream.chars
    start = figure.start
    while start > 0 and chars[start - 1] not in _SENTENCE_END + _SENTINEL:
        start -= 1
    end = figure.unit_end
    while end < len(chars) and chars[end] != _SENTINEL:
        end += 1
        if chars[end - 1] in _SENTENCE_END:
            break
    return start, end


def _section(stream: Stream, position: int) -> str:
    path = ["", ""]
    for index in sorted(i for i in stream.events if i < position):
        event = stream.events[index]
        if isinstance(event, Heading):
            path = [event.text, ""] if event.level == 1 else [path[0], event.text]
    return "/".join(part for part in path if part)


def extract_narrative_figures(document: SourceDocument, *, tables: Extracted | None = None) -> Extracted:
    """One `raw_narrative_figures` row per number stated in the 情况说明 part.

    `tables` may pass the document's already extracted standard tables (their 公开05
    subject names key the 类 and 项 figures); without it they are extracted here.
    """
    result = Extracted()
    span = locate_narrative(document)
    if span is None:
        return result
    stream = build_stream(document, span)
    figures = find_figures(stream, result.rejects, document)
    assign_keys(stream, figures, _subject_names(document, tables))
    for sequence, figure in enumerate(figures, start=1):
        sentence_start, sentence_end = _sentence_bounds(stream, figure)
        result.add(NARRATIVE_FIGURES, {
            "document_id": document.document_id,
            "source_table": SOURCE_TABLE,
            "source_line": str(stream.where[figure.start][0]),
            "figure_seq": str(sequence),
            "section": _section(stream, figure.start),
            "metric_key": figure.metric_key,
            "value": figure.value,
            "unit": figure.unit,
            "value_text": _printed(document, stream, figure.start, figure.unit_end, "\n"),
            "sentence": _printed(document, stream, sentence_start, sentence_end, ""),
        })
    return result

