"""Header labels -> raw-table columns, per table kind.

A column is known by the words printed above it (every header cell covering it, top to
bottom), never by its position: the same table is printed with or without 行次, with the code
in one column or split into 类/款/项, with two or three sides."""
from __future__ import annotations

import re

from fiscal_dw.extract.final_accounts import table_titles as tt

# the generic columns every kind may have
CODE, CODE_CLASS, CODE_KUAN, CODE_XIANG, NAME, LINE_NO = (
    "code", "code:class", "code:kuan", "code:xiang", "name", "line_no")
LABEL_FIELDS = {CODE, CODE_CLASS, CODE_KUAN, CODE_XIANG, NAME, LINE_NO}

_QUOTES = re.compile(r"[\"'“”‘’「」『』]")


def clean(piece: str) -> str:
    return _QUOTES.sub("", re.sub(r"\s+", "", piece))


def _named(pieces: list[str]) -> list[str]:
    """The header pieces that name a column: a column-number row (栏次 1 2 3 …) names none."""
    return [p for p in pieces if clean(p) and not clean(p).isdigit() and clean(p) != "栏次"
            and clean(p) not in _COLUMN_LETTERS]


_COLUMN_LETTERS = set("甲乙丙丁戊己庚辛壬癸")


def label_field(pieces: list[str]) -> str | None:
    """The label columns: code (whole or split), name, 行次."""
    # a 合计/总计 under a label column is the total row's label printed in a header band
    pieces = _named(pieces)
    while pieces and clean(pieces[-1]) in ("合计", "总计"):
        pieces = pieces[:-1]
    if not pieces:
        return None
    last = clean(pieces[-1])
    if last == "类":
        return CODE_CLASS
    if last == "款":
        return CODE_KUAN
    if last == "项":
        return CODE_XIANG
    if last in ("行次", "栏次"):
        return LINE_NO
    if "编码" in last or "代码" in last:
        return CODE
    if "名称" in last or last == "项目":
        return NAME
    return None


_INCOME = (("财政拨款", "fiscal_appropriation"), ("上级补助", "superior_subsidy"),
           ("事业收入", "business_income"), ("经营收入", "operating_income"),
           ("附属单位上缴", "affiliate_remittance"), ("其他收入", "other_income"),
           ("合计", "total"), ("小计", "total"))
# 人员经费 / 公用经费 under 基本支出 before 基本支出 itself (its 小计 or 合计 is the basic column)
_EXPENDITURE = (("人员经费", "basic_personnel"), ("公用经费", "basic_public"),
                ("基本支出", "basic"), ("项目支出", "project"), ("上缴上级", "remit_to_superior"),
                ("经营支出", "operating"), ("附属单位补助", "subsidy_to_affiliates"),
                ("合计", "total"), ("小计", "total"))
_FUND = (("年初结转", "carryover_begin"), ("年末结转", "carryover_end"),
         ("基本支出", "expenditure_basic"), ("项目支出", "expenditure_project"),
         ("本年收入", "income"), ("小计", "expenditure_total"), ("合计", "expenditure_total"),
         ("本年支出", "expenditure_total"))
_ECONOMIC = (("决算数", "amount"), ("金额", "amount"), ("合计", "amount"), ("数", "amount"))
_SUMMARY_INCOME = (("决算数", "amount"), ("金额", "amount"), ("合计", "amount"))
_SUMMARY_EXPENDITURE = (("一般公共预算", "general_budget"), ("政府性基金", "gov_fund"),
                        ("国有资本经营", "state_capital"), ("决算数", "amount"), ("金额", "amount"),
                        ("合计", "amount"))


def _first(joined: str, rules) -> str | None:
    for word, field in rules:
        if word in joined:
            return field
    return None


def is_fund_layout(leaf_pieces: list[list[str]]) -> bool:
    """A government-fund / state-capital table printed with carry-overs and income."""
    return any(any(w in clean("".join(p)) for w in ("年初结转", "本年收入", "年末结转")) for p in leaf_pieces)


def amount_field(kind: str, pieces: list[str], fund_layout: bool = False) -> str | None:
    joined = clean("".join(_named(pieces)))
    if kind == tt.INCOME_BY_FUNCTION:
        return _first(joined, _INCOME)
    if kind in (tt.EXPENDITURE_BY_FUNCTION, tt.GENERAL_BUDGET_EXPENDITURE):
        return _first(joined, _EXPENDITURE)
    if kind in (tt.GOVERNMENT_FUND, tt.STATE_CAPITAL):
        if kind == tt.GOVERNMENT_FUND or fund_layout:
            return _first(joined, _FUND)
        return _first(joined, _EXPENDITURE)
    if kind == tt.BASIC_EXPENDITURE_BY_ECONOMIC:
        return _first(joined, _ECONOMIC)
    return None


def summary_side(pieces: list[str]) -> str | None:
    first = clean(pieces[0]) if pieces else ""
    if first.startswith("收入"):
        return "income"
    if first.startswith("支出"):
        return "expenditure"
    return None


def summary_field(kind: str, side: str, pieces: list[str]) -> str | None:
    """The column of one side: 项目 (or 收入项目 / 支出项目), 行次, the amounts."""
    named = [clean(p) for p in _named(pieces)]
    if named and summary_side(named[:1]):
        rest = named[0][2:]  # 收入项目 -> 项目; 收入 alone -> the pieces under it
        named = ([rest] if rest else []) + named[1:]
    own = named or [""]
    label = label_field(own)
    if label == NAME:
        return "item_name"
    if label == LINE_NO:
        return "line_no"
    joined = "".join(own)
    if kind == tt.INCOME_EXPENDITURE_SUMMARY or side == "income":
        return _first(joined, _SUMMARY_INCOME)
    return _first(joined, _SUMMARY_EXPENDITURE)


THREE_PUBLIC_ITEMS = ("total", "overseas_travel", "vehicles", "vehicle_purchase",
                      "vehicle_operation", "official_reception")


def three_public_column(pieces: list[str]) -> tuple[str, str] | None:
    """(phase, item) of a 三公 column, from its own header cell upwards."""
    cleaned = [clean(p) for p in pieces if clean(p)]
    phase = None
    item = None
    for piece in reversed(cleaned):
        if phase is None and piece in ("预算数", "预算"):
            phase = "budget"
            continue
        if phase is None and piece in ("决算数", "决算", "实际数"):
            phase = "actual"
            continue
        if item is None:
            if "购置及运行" in piece or piece == "小计":
                item = "vehicles"
            elif "购置" in piece:
                item = "vehicle_purchase"
            elif "运行" in piece:
                item = "vehicle_operation"
            elif "出国" in piece:
                item = "overseas_travel"
            elif "接待" in piece:
                item = "official_reception"
            elif piece == "合计" or piece.endswith("合计"):
                item = "total"
    if phase and item:
        return phase, item
    return None
