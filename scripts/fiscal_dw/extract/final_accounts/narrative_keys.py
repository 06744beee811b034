"""A narrative figure's ``metric_key``: the section family from the heading path, the
subject named before the figure (the document's own 公开05 subject names included; in the
政府性基金 / 国有资本经营 sections, that fund table's) and the measure named right before it
(share, completion rate, signed change, the prior year's amount, …). A figure keyed by a
printed 类/款/项 path also keeps the path as printed (`subject_printed`), so the names can
be compared with the table's for the code it resolved to."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.final_accounts.narrative_text import PARENS, SENTINEL, Figure, Heading, Item, Stream
from fiscal_dw.extract.final_accounts.narrative_vocabulary import (
    FAMILIES,
    GRADE_NAMES,
    SUBJECTS,
    UNKEYED,
    Subject,
    class_subject,
    function_subject,
    fund_function_subject,
    project_subject,
    unresolved_function_subject,
)
from fiscal_dw.extract.final_accounts.standard_tables import extract_standard_tables
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.text import squeeze

SENTENCE_END = "。；;！？!?"
_CLAUSE_END = "。；;，,：:"
_MONEY_UNITS = {"万元", "亿元", "元"}
_PERCENT_UNITS = {"%", "％"}
_DECREASE = ("减少", "下降", "降低")
_INCREASE = ("增加", "增长", "上升")
_YOY = re.compile(r"与(\d{4}年度?|上年度?)相比|[比较](\d{4}年度?|上年度?)|同比")
# the prior year's amount printed beside the current one: 比2023年度的 Y 万元, 与上年的 Y 万元
# 相比, 上年为 Y 万元, 上年决算数为 Y 万元, 2023年度为 Y 万元 (a year before one the sentence
# printed earlier)
_PRIOR = re.compile(r"(?:[比较与](?:\d{4}年度?|上年度?)(?:同期)?(?:决算数?|支出)?的"
                    r"|上年度?(?:同期)?(?:决算数?|支出)?(?:为|是)"
                    r"|(?P<year>\d{4})年度?(?:决算数?|支出)?为)$")
_YEAR = re.compile(r"(\d{4})年")
# a rate of the budget without 完成: 决算数为年初预算的 102.89%
_RATE_OF_BUDGET = re.compile(r"为(年初|全年|调整)?预算(数)?的$")
# a budget or actual named at the clause's end without 为: 年初预算 182.32 万元, 支出决算 201.46 万元
# (the whole clause: 基本支出决算 2,654.39 万元 is an amount)
_BUDGET_NAMED = re.compile(r"^(年初|全年|调整)预算(数)?(为|是)?$")
_ACTUAL_NAMED = re.compile(r"^(支出)?决算(数)?(为|是)?$")
_VS_BUDGET = re.compile(r"[比较](年初|全年)?预算")
_ASIDE = re.compile(r"（不?含[^（）]*）")
_GRADE = re.compile(r"^项目(自评)?等级(全部)?为[“\"]?([优良中差])")
# the grade named before the count: 绩效评级为“优”的项目28个 (Shanghai template)
# (合格 / 不合格 are grades of another scale: a count no rule reads)
_GRADE_BEFORE = re.compile(r"(评级|等级)为[“\"]?([^“”\"的]{1,3})[”\"]?的项目$")
_FUNCTION_PATH = re.compile(r"(?P<cls>[^（）]*?)（类）(?P<kuan>.*?)（款）(?P<xiang>.*?)（项）")
# a 项 path anywhere in the prose (Shanghai prints several per numbered item, in quotes:
# 1.“一般公共服务（类）统计信息事务（款）统计信息事务（项）”20.04 万元 … “…（项）”3.39 万元)
_PROSE_PATH = re.compile(r"(?P<cls>[^（）“”\"：:，,。；;、.．\d\x00]*)（类）(?P<kuan>.*?)（款）(?P<xiang>.*?)（项）")
_QUOTED_NAME = re.compile(r"[“\"](?P<name>[^“”\"（）。，；：]{2,20})[”\"]")
_CLASS_NAME = re.compile(rf"(?P<name>[^{SENTINEL}，,；;：:、。（）]+)（类）(?P<tail>支出)?")


@dataclass
class _State:
    path: list[str] = field(default_factory=lambda: ["", ""])
    family: str = ""
    default: Subject | None = None
    current: Subject | None = None
    locked: Subject | None = None
    item_start: int = 0
    scope_start: int = 0
    printed: str = ""  # the 类/款/项 path, as printed, of the locked subject
    prior_sentence: int = -1  # start of the sentence whose prior-year amount was keyed last


class SubjectNames:
    """Functional subject codes and their names from the document's own tables (the
    general-budget table, the 支出决算表 and the 收入决算表, chosen by table_kind whatever the
    template labels them). A code keeps every name printed for it: page text can garble a
    wrapped name in one table and print it whole in another."""

    def __init__(self, pairs: Iterable[tuple[str, str]],
                 funds: dict[str, SubjectNames] | None = None):
        self.names: dict[str, set[str]] = {}
        for code, name in pairs:
            if code and name:
                self.names.setdefault(code, set()).add(_name_key(name))
        # the 政府性基金 / 国有资本经营 tables' own subjects, by section family: a fund
        # section's paths resolve against its own table, never against 公开05
        self.funds = funds or {}
        # the 项 codes the narrative's paths name (set by assign_keys before keying)
        self.named: set[str] = set()

    def for_family(self, family: str) -> SubjectNames | None:
        return self if family == "general_budget" else self.funds.get(family)

    def class_code(self, name: str) -> str:
        wanted = _name_key(name).removesuffix("支出")
        classes = {code: {n.removesuffix("支出") for n in names}
                   for code, names in self.names.items() if len(code) == 3}
        exact = [code for code, names in classes.items() if wanted in names]
        if len(exact) == 1:
            return exact[0]
        # a misprinted class name (一般公共预算服务 for 一般公共服务): the one table name
        # whose characters all appear in order in the printed name
        loose = [code for code, names in classes.items()
                 if any(n and _is_subsequence(n, wanted) for n in names)]
        if not loose and len(wanted) >= 4:  # a word dropped (文化体育与传媒 for 文化旅游体育与传媒)
            loose = [code for code, names in classes.items()
                     if any(_is_subsequence(wanted, n) for n in names)]
        return loose[0] if len(loose) == 1 else ""

    def function_code(self, class_name: str, kuan: str, xiang: str) -> str:
        candidates = [code for code, names in self.names.items()
                      if len(code) == 7 and _name_key(xiang) in names]
        if len(candidates) > 1:
            candidates = [c for c in candidates if _name_key(kuan) in self.names.get(c[:5], set())]
        if len(candidates) > 1:
            class_code = self.class_code(class_name)
            candidates = [c for c in candidates if c[:3] == class_code]
        if not candidates:
            # the narrative names the 项 in full (归口管理的行政单位离退休) where the table
            # abbreviates it (行政单位离退休): the one 项 of the named 款 whose table name
            # appears, character by character in order, in the printed name
            parents = [code for code, names in self.names.items()
                       if len(code) == 5 and _name_key(kuan) in names]
            candidates = [code for code, names in self.names.items()
                          if len(code) == 7 and code[:5] in parents
                          and any(n and _is_subsequence(n, _name_key(xiang)) for n in names)]
            if not candidates:
                candidates = self._misnamed_xiang(parents, kuan, xiang)
        return candidates[0] if len(candidates) == 1 else ""

    def _misnamed_xiang(self, parents: list[str], kuan: str, xiang: str) -> list[str]:
        """A 项 of the named 款 printed under a slip of its name, still bound by name and
        never by amount: its words transposed (其他社区城乡管理事务支出 for 其他城乡社区管理事务支出,
        the same characters), or the 款's own name copied into the 项 slot (统计信息事务（款）
        统计信息事务（项）), which leaves the one 项 of that 款 no other path names."""
        wanted = _name_key(xiang)
        children = [code for code in self.names if len(code) == 7 and code[:5] in parents]
        transposed = [code for code in children if any(sorted(n) == sorted(wanted) for n in self.names[code])]
        if transposed or wanted != _name_key(kuan):
            return transposed
        return [code for code in children if code not in self.named]


def _name_key(name: str) -> str:
    return squeeze(name).translate(PARENS)


def _is_subsequence(short: str, long: str) -> bool:
    characters = iter(long)
    return all(char in characters for char in short)


_KIND_OF_LABEL = {"公开05": "general_budget_expenditure", "公开03": "expenditure_by_function"}
# a fund table by table_kind, or by its label when read without one (Jinan numbering)
_FUND_KINDS = {"gov_fund": ("government_fund", "公开07"), "state_capital": ("state_capital", "公开08")}


def subject_names(document: SourceDocument, tables: Extracted | None) -> SubjectNames:
    if tables is None:
        tables = extract_standard_tables(document)
    rows = tables.rows.get("raw_expenditure_by_function", [])
    # by table_kind; rows extracted without it (公开0N text read on its own) by their label
    pairs = [(r["subject_code"], r["subject_name"])
             for kind in ("general_budget_expenditure", "expenditure_by_function")
             for r in rows if (r.get("table_kind") or _KIND_OF_LABEL.get(r["source_table"])) == kind]
    pairs += [(r["subject_code"], r["subject_name"]) for r in tables.rows.get("raw_income_by_function", [])]
    fund_rows = tables.rows.get("raw_government_fund_by_function", []) + rows
    funds = {family: SubjectNames((r["subject_code"], r["subject_name"]) for r in fund_rows
                                  if (r.get("table_kind") or "") == kind
                                  or (not r.get("table_kind") and r["source_table"] == label))
             for family, (kind, label) in _FUND_KINDS.items()}
    return SubjectNames(pairs, funds)


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
        for match in _QUOTED_NAME.finditer(text):  # 1.“一般公共服务”306.90 万元 (a 类 in quotes)
            code = names.class_code(match.group("name"))
            candidate = (match.end(), len(match.group()), class_subject(code))
            if code and (best is None or candidate[:2] > best[:2]):
                best = candidate
        for match in _CLASS_NAME.finditer(text):
            code = names.class_code(match.group("name") + (match.group("tail") or ""))
            candidate = (match.end(), len(match.group()), class_subject(code) if code else UNKEYED)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return (best[0], best[2]) if best else None


def _clause_tail(gap: str) -> str:
    cut = max(gap.rfind(char) for char in _CLAUSE_END + SENTINEL)
    return gap[cut + 1:]


def _first_clause(text: str) -> str:
    """Text up to the first clause end or opening parenthesis (an aside starts there)."""
    ends = [i for i in (text.find(char) for char in _CLAUSE_END + SENTINEL + "（") if i >= 0]
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
        if "完成" in tail or _RATE_OF_BUDGET.search(tail):
            return "completion_rate", 0
        sign = _direction(tail)
        if sign:
            return _change_base(sentence_before, "pct"), sign
        return "pct", 0
    if unit == "分":
        return "score", 0
    if unit in _MONEY_UNITS:
        prior = _PRIOR.search(tail)
        if prior and (not prior.group("year") or int(prior.group("year")) < max(
                (int(y) for y in _YEAR.findall(sentence_before[:len(sentence_before) - len(tail)])),
                default=0)):
            return "prior_amount", 0
        sign = _direction(tail)
        if sign:
            return _change_base(sentence_before, "change"), sign
        if "执行数" in tail:
            return "executed", 0
        if re.search(r"决算(数)?为", tail) or _ACTUAL_NAMED.search(tail):
            return "actual", 0
        if re.search(r"预算(数)?为", tail) or _BUDGET_NAMED.search(tail):
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
            return f"grade_{GRADE_NAMES[grade.group(3)]}_count", 0
        grade = _GRADE_BEFORE.search(tail)
        if grade:
            name = GRADE_NAMES.get(grade.group(2))
            return (f"grade_{name}_count", 0) if name else ("count", 0)
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


def assign_keys(stream: Stream, figures: list[Figure], names: SubjectNames) -> list[str]:
    """Sets each figure's metric_key; returns, per figure, the 类/款/项 path as printed
    (whitespace-free, brackets full-width) where a path keyed it, else ''."""
    text = "".join(stream.chars).translate(PARENS)
    names.named = {code for path in _PROSE_PATH.finditer(text)
                   if (code := names.function_code(*path.group("cls", "kuan", "xiang")))}
    state = _State()
    printed = [""] * len(figures)
    figure_index = 0
    previous_end = 0
    for position in range(len(text) + 1):
        if position in stream.events or (position < len(text) and text[position] == SENTINEL):
            _enter(state, stream.events.get(position), position, text, names)
            previous_end = position + 1
        while figure_index < len(figures) and figures[figure_index].start == position:
            figure = figures[figure_index]
            printed[figure_index] = _key_figure(state, figure, text, previous_end, names)
            previous_end = figure.unit_end
            figure_index += 1
    return printed


def _path_subject(family: str, parts: tuple[str, str, str], names: SubjectNames) -> Subject:
    """The subject of a printed 类/款/项 path, resolved against the section's own table."""
    table = names.for_family(family)
    code = table.function_code(*parts) if table else ""
    if family == "general_budget":
        return function_subject(code) if code else unresolved_function_subject(*parts)
    return fund_function_subject(family, code) if code else fund_function_subject(family, "", parts)


def _printed_path(parts: tuple[str, str, str]) -> str:
    """X（类）Y（款）Z（项） as printed, without the quotes a title may open with (1.“…（项）”)."""
    return "".join(f"{name.strip(_QUOTES)}（{level}）" for name, level in zip(parts, ("类", "款", "项")))


_QUOTES = "“”\"‘’'"


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
        state.printed = ""
        title = _item_title(text, position + 1)
        if state.family == "performance" and "综述" in title:
            state.locked = project_subject(event.ordinal)
        elif state.family in _PATH_FAMILIES:
            path = _FUNCTION_PATH.search(title)
            if path:
                parts = path.group("cls", "kuan", "xiang")
                state.locked = _path_subject(state.family, parts, names)
                state.printed = _printed_path(parts)
    if isinstance(event, Heading):
        state.printed = ""


def _item_title(text: str, start: int) -> str:
    """An item's text up to its first 。 or ： (a 项 path, or '…项目绩效自评综述')."""
    ends = [i for i in (text.find(char, start) for char in "。：:" + SENTINEL) if i >= 0]
    return text[start:min(ends) if ends else len(text)]


_PATH_FAMILIES = ("general_budget", "gov_fund", "state_capital")
# a fund section's amount printed right after its path (“…（项）”2.80 万元, …（项）支出 2.80 万元)
_RIGHT_AFTER_PATH = re.compile(r"[”\"’：:]*(支出)?(为|是)?")


def _key_figure(state: _State, figure: Figure, text: str, previous_end: int,
                names: SubjectNames) -> str:
    gap = text[max(previous_end, state.scope_start):figure.start]
    tail = _clause_tail(gap)
    sentence_start = max(text.rfind(char, 0, figure.start) for char in SENTENCE_END + SENTINEL) + 1
    sentence_before = text[sentence_start:figure.start]
    next_start = text.find(SENTINEL, figure.unit_end)
    after = text[figure.unit_end:next_start if next_start >= 0 else len(text)]
    digit = re.search(r"\d", after)
    if digit:
        after = after[:digit.start()]
    after = _first_clause(_ASIDE.sub("", after))
    measure, sign = _measure(figure, tail, after, sentence_before)
    if measure == "prior_amount":
        state.prior_sentence = sentence_start
    elif measure in ("change", "change_pct") and state.prior_sentence == sentence_start:
        # a change after the prior year's amount (上年为 Y 万元，增加 Z 万元) is year-on-year
        measure = "yoy_change" if measure == "change" else "yoy_pct"
    if sign < 0:
        figure.value = f"-{figure.value}"
    if state.family in _PATH_FAMILIES:
        paths = list(_PROSE_PATH.finditer(gap))
        if paths:  # a 项 named since the figure before: its figures follow
            path = paths[-1]
            parts = path.group("cls", "kuan", "xiang")
            state.locked = _path_subject(state.family, parts, names)
            state.printed = _printed_path(parts)
            state.item_start = max(previous_end, state.scope_start) + path.start()
            if (state.family != "general_budget" and measure == "amount"
                    and _RIGHT_AFTER_PATH.fullmatch(gap[path.end():])):
                measure = "actual"
    if state.locked is not None:
        if measure == "amount" and re.search(r"决算数?$", tail):
            measure = "actual"  # an item's 支出决算 2349.56 万元 (no 为)
        in_outcomes = "完成情况" in text[state.item_start:figure.start]
        figure.metric_key = "" if in_outcomes else state.locked.key(measure)
        return state.printed if figure.metric_key else ""
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
        return ""
    else:
        subject = state.current
    figure.metric_key = subject.key(measure) if subject else ""
    return ""
