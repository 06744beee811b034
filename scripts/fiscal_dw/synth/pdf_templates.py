"""The nine tables laid out for a PDF in two templates, from the printed figures.

- ``labelled``: the Jinan/Qingdao print (公开01表 … 公开09表 beside the titles, 07 = 政府性基金,
  08 = 国有资本经营, 09 = 三公; whole subject codes; 行次 in the two summaries; a 栏次 row; 公开06
  in three groups; 三公 as six 预算数 columns, then six 决算数 columns).
- ``shanghai``: the Shanghai district print (no labels; 七 = 三公, 八 = 政府性基金, 九 = 国有资本经营
  with carry-overs; codes split into 类/款/项 columns, ``201 06 01`` and ``301 01``; summaries
  without 行次, 26 or 24 expenditure lines; 基本支出 in two sides; 三公 as 预算数/决算数 pairs; an
  empty table printed as an empty grid with a note, "…故本表无数据").

Each table is a ``TableSpec``: header rows of cells with column and row spans, body rows, the
note under it, and every amount it prints as a ``PrintedCell`` keyed as the extractor's raw rows
are (table kind, subject code / item / phase:item, raw column)."""
from __future__ import annotations

from dataclasses import dataclass, field

from fiscal_dw.synth.amounts import fmt
from fiscal_dw.synth.catalogue import CLASS_LINES, ECONOMIC_CLASSES, PERSONNEL_CLASSES
from fiscal_dw.synth.printed import CODE_TABLE_COLUMNS, THREE_PUBLIC_ITEMS, TOTAL_KEY, Printed
from fiscal_dw.synth.table_rows import (
    EMPTY_TABLE_NOTES,
    TABLE_NOTES,
    TABLE_TITLES,
    code_rows,
    declared_empty,
    economic_grid,
    summary_rows,
)

LABELLED, SHANGHAI = "labelled", "shanghai"
TEMPLATES = (LABELLED, SHANGHAI)
GRID, HORIZONTAL, NO_RULES = "grid", "horizontal", "none"
RULES = (GRID, HORIZONTAL, NO_RULES)
# table kinds (extract/final_accounts/table_titles.py) by national number
KINDS = {1: "income_expenditure_summary", 2: "income_by_function", 3: "expenditure_by_function",
         4: "appropriation_summary", 5: "general_budget_expenditure", 6: "basic_expenditure_by_economic",
         7: "government_fund", 8: "state_capital", 9: "three_public"}
PRINT_ORDER = {LABELLED: (1, 2, 3, 4, 5, 6, 7, 8, 9), SHANGHAI: (1, 2, 3, 4, 5, 6, 9, 7, 8)}
SHANGHAI_TITLES = {**TABLE_TITLES, 8: "国有资本经营预算财政拨款收入支出决算表"}
SPLIT_TABLES = (3, 5)
SPLIT_COLUMNS = ("basic_personnel", "basic_public")
FUND_COLUMNS = ("carryover_begin", "income", "expenditure_total", "expenditure_basic",
                "expenditure_project", "carryover_end")
DEBT_CLASSES = ("230", "232", "234")  # 二十四 … 二十六, left out of a 24-line summary


@dataclass(frozen=True)
class PdfStyle:
    """How one department's PDFs are printed."""

    template: str
    zeros: bool           # blank amounts printed as 0.00 (else left empty)
    separators: bool      # thousands separators (1,234.56)
    repeat_header: bool   # a table continued on the next page prints its header again
    summary_lines: int    # expenditure lines of the summaries (shanghai: 24 or 26)
    row_height: float     # of a one-line body row, pt
    instruction: bool     # the template's instruction left under an empty table (shanghai)
    # the nine tables' ruling: every cell boxed, horizontal rules only, or none (columns
    # aligned by position only, as many published PDFs print them)
    rules: str = "grid"
    # 公开03 / 公开05 print 基本支出 as 小计 / 人员经费 / 公用经费 (shanghai)
    basic_split: bool = False


@dataclass(frozen=True)
class PrintedCell:
    kind: str
    row: str      # subject code, 合计, side:item, economic code or name, phase:item
    column: str   # the raw table's column
    value: str    # as printed


@dataclass
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class TableSpec:
    number: int
    title: str
    label: str
    widths: list[float]
    header: list[list[HeaderCell]]
    body: list[list[tuple[str, int, str]]]   # (text, colspan, align l/r/c)
    note: str = ""
    landscape: bool = False
    cells: list[PrintedCell] = field(default_factory=list)


def H(text: str, colspan: int = 1, rowspan: int = 1) -> HeaderCell:  # noqa: N802 - a table's cell
    return HeaderCell(text, colspan, rowspan)


class _Amounts:
    def __init__(self, style: PdfStyle) -> None:
        self.style = style

    def __call__(self, cents: int) -> str:
        if cents == 0 and not self.style.zeros:
            return ""
        return fmt(cents, self.style.separators)


def split_code(code: str, parts: int) -> list[str]:
    """'2010601' -> ['201', '06', '01']; '30101' -> ['301', '01'] (parts = 3 or 2)."""
    return [code[:3], code[3:5], code[5:7]][:parts]


# --- the code tables (02, 03, 05, 07, 08) --------------------------------------------------

_AMOUNT_HEADERS = {
    2: ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"),
    3: ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"),
}


def _code_header(number: int, style: PdfStyle, fund: bool) -> list[list[HeaderCell]]:
    shanghai = style.template == SHANGHAI
    if shanghai and style.basic_split and number in SPLIT_TABLES:
        return _split_header(number)
    if shanghai:
        top = [H("项目", 4)]
        second = [H("支出功能分类科目编码", 3), H("科目名称", 1, 2)]
        third = [H("类"), H("款"), H("项")]
        span = 3
    else:
        top = [H("项目", 2)]
        second = [H("科目编码"), H("科目名称")]
        third = []
        span = 2
    if number in _AMOUNT_HEADERS:
        top += [H(text, 1, span) for text in _AMOUNT_HEADERS[number]]
        columns = len(_AMOUNT_HEADERS[number])
    elif fund:
        top += [H("年初结转和结余", 1, span), H("本年收入", 1, span), H("本年支出", 3),
                H("年末结转和结余", 1, span)]
        second += [H("小计", 1, span - 1), H("基本支出", 1, span - 1), H("项目支出", 1, span - 1)]
        columns = 6
    else:
        top += [H("本年支出", 3)]
        sub = "合计" if shanghai else "小计"
        second += [H(sub, 1, span - 1), H("基本支出", 1, span - 1), H("项目支出", 1, span - 1)]
        columns = 3
    rows = [top, second] + ([third] if third else [])
    if not shanghai:
        rows.append([H("栏次", 2)] + [H(str(i + 1)) for i in range(columns)])
    return rows


def _split_header(number: int) -> list[list[HeaderCell]]:
    """The Shanghai header with 基本支出 over 小计 / 人员经费 / 公用经费."""
    basic = [H("小计", 1, 2), H("人员经费", 1, 2), H("公用经费", 1, 2)]
    if number == 3:
        top = [H("项目", 4)] + [H(text, 3, 1) if text == "基本支出" else H(text, 1, 3)
                               for text in _AMOUNT_HEADERS[3]]
        return [top, [H("支出功能分类科目编码", 3), H("科目名称", 1, 2)] + basic, [H("类"), H("款"), H("项")]]
    return [[H("项目", 4), H("本年支出", 5)],
            [H("支出功能分类科目编码", 3), H("科目名称", 1, 2), H("合计", 1, 2), H("基本支出", 3), H("项目支出", 1, 2)],
            [H("类"), H("款"), H("项"), H("小计"), H("人员经费"), H("公用经费")]]


def basic_split(rows: list[tuple[str, str, list[int]]], basic: int, personnel: int, public: int
                ) -> dict[str, tuple[int, int]]:
    """Each row's 基本支出 as (人员经费, 公用经费), cents: a 项 row (or a row without children)
    in the proportion of 公开06's two totals, half up; a parent the sum of its children's
    人员经费, its 公用经费 the rest of its own printed 基本支出, so every row's split adds up."""
    codes = [code for code, _, _ in rows]
    own = {code: values[basic] for code, _, values in rows}
    share: dict[str, int] = {}

    def split(code: str) -> int:
        children = [c for c in codes if c and c != code and c.startswith(code)
                    and len(c) == (len(code) + 2 if code else 3)]
        if children:
            share[code] = sum(split(child) for child in children)
        else:
            whole = personnel + public
            share[code] = (2 * own[code] * personnel + whole) // (2 * whole) if whole else 0
        return share[code]

    split("")
    return {code: (share.get(code, 0), own[code] - share.get(code, 0)) for code in codes}


def code_table(number: int, p: Printed, style: PdfStyle, dept: str) -> TableSpec:
    shanghai = style.template == SHANGHAI
    amount = _Amounts(style)
    fund = number == 7 or (number == 8 and shanghai)
    columns = FUND_COLUMNS if fund else CODE_TABLE_COLUMNS[number]
    split = shanghai and style.basic_split and number in SPLIT_TABLES
    if split:
        at = columns.index("basic") + 1
        columns = (*columns[:at], *SPLIT_COLUMNS, *columns[at:])
    values_of = p.code_tables[number]
    empty = number == 8 or (number == 7 and len(values_of) == 1)
    wide = number in (2, 3) or fund
    if shanghai:
        label_widths = [34.0, 30.0, 30.0, 150.0 if wide else 160.0]
    else:
        label_widths = [62.0, 170.0]
    room = (750.0 if wide else 510.0) - sum(label_widths)
    widths = label_widths + [room / len(columns)] * len(columns)
    spec = TableSpec(number, (SHANGHAI_TITLES if shanghai else TABLE_TITLES)[number],
                     "" if shanghai else f"公开{number:02d}表", widths,
                     _code_header(number, style, fund), [], landscape=wide)
    kind = KINDS[number]
    if empty and shanghai:
        blank = [("", 1, "l")] * len(widths)
        spec.body = [list(blank) for _ in range(8)] + [[("合计", len(label_widths), "c")]
                                                      + [("", 1, "r")] * len(columns)]
        money = "政府性基金预算财政拨款" if number == 7 else "国有资本经营预算财政拨款"
        spec.note = f"注：{dept}无{money}支出，故本表无数据。" if p.empty_note else ""
        return spec
    rows = code_rows(p, number)
    if split:
        parts = basic_split(rows, CODE_TABLE_COLUMNS[number].index("basic"),
                            p.economic_totals["personnel"], p.economic_totals["public"])
        rows = [(code, name, [*values[:at], *parts[code], *values[at:]]) for code, name, values in rows]
    if shanghai and number == 5:
        rows = rows[1:] + rows[:1]  # 合计 printed last
    for code, name, values in rows:
        if fund and len(values) == 3:  # 08 in the fund layout: 小计/基本/项目 under 本年支出
            values = [0, 0, values[0], values[1], values[2], 0]
        texts = [amount(v) for v in values]
        if not code:
            cells = [(TOTAL_KEY, len(label_widths), "c")]
        elif shanghai:
            cells = [(part, 1, "c") for part in split_code(code, 3)] + [(name, 1, "l")]
        else:
            cells = [(code, 1, "l"), (name, 1, "l")]
        spec.body.append(cells + [(text, 1, "r") for text in texts])
        for column, text in zip(columns, texts):
            if text:
                spec.cells.append(PrintedCell(kind, code or TOTAL_KEY, column, text))
    if empty and p.empty_note:
        spec.note = TABLE_NOTES[number][:2] + EMPTY_TABLE_NOTES[number]
    elif not shanghai:
        spec.note = TABLE_NOTES[number]
    return spec


# --- the two summaries (01, 04) -------------------------------------------------------------

def summary_table(number: int, p: Printed, style: PdfStyle) -> TableSpec:
    shanghai = style.template == SHANGHAI
    amount = _Amounts(style)
    kind = KINDS[number]
    expenditure_columns = ("amount",) if number == 1 else ("amount", "general_budget", "gov_fund",
                                                           "state_capital")
    fund_heads = [H("合计"), H("一般公共预算财政拨款"), H("政府性基金预算财政拨款"), H("国有资本经营预算财政拨款")]
    if shanghai:
        widths = [170.0, 85.0, 175.0, 85.0] if number == 1 else [160.0, 70.0, 160.0, 90.0, 90.0, 90.0, 90.0]
        header = [[H("收入", 2), H("支出", len(widths) - 2)],
                  [H("项目"), H("决算数"), H("项目")] + ([H("决算数")] if number == 1 else fund_heads)]
    else:
        widths = ([150.0, 30.0, 77.0, 150.0, 30.0, 77.0] if number == 1
                  else [150.0, 30.0, 70.0, 160.0, 30.0, 80.0, 80.0, 80.0, 80.0])
        header = [[H("收入", 3), H("支出", len(widths) - 3)],
                  [H("项目"), H("行次"), H("金额"), H("项目"), H("行次")]
                  + ([H("金额")] if number == 1 else fund_heads),
                  [H("栏次"), H(""), H("1"), H("栏次"), H("")]
                  + [H(str(i + 2)) for i in range(len(widths) - 5)]]
    spec = TableSpec(number, TABLE_TITLES[number], "" if shanghai else f"公开{number:02d}表", widths, header, [],
                     landscape=number == 4, note="" if shanghai else TABLE_NOTES[number])
    lines = summary_rows(p, number)
    skipped = set()
    if shanghai and style.summary_lines == 24 and not any(
            p.class_rows.get(code, 0) or any(p.class_rows04.get(code, [0])) for code in DEBT_CLASSES):
        skipped = {i for i, (code, _) in enumerate(CLASS_LINES) if code in DEBT_CLASSES}
    for index, (inc_item, inc_no, inc_values, exp_item, exp_no, exp_values) in enumerate(lines):
        if index in skipped or (shanghai and not inc_item and not exp_item):
            continue
        inc_texts = [amount(v) for v in inc_values] if inc_values is not None else [""]
        exp_texts = ([amount(v) for v in exp_values] if exp_values is not None
                     else [""] * len(expenditure_columns))
        if shanghai:
            row = [(inc_item, 1, "l"), (inc_texts[0], 1, "r"), (exp_item, 1, "l")]
        else:
            row = [(inc_item, 1, "l"), (inc_no, 1, "c"), (inc_texts[0], 1, "r"), (exp_item, 1, "l"),
                   (exp_no, 1, "c")]
        row += [(text, 1, "r") for text in exp_texts]
        spec.body.append(row)
        if inc_texts[0]:
            spec.cells.append(PrintedCell(kind, f"income:{inc_item}", "amount", inc_texts[0]))
        for column, text in zip(expenditure_columns, exp_texts):
            if text:
                spec.cells.append(PrintedCell(kind, f"expenditure:{exp_item}", column, text))
    return spec


# --- 06: basic expenditure by economic class -------------------------------------------------

def economic_table(p: Printed, style: PdfStyle) -> TableSpec:
    amount = _Amounts(style)
    kind = KINDS[6]
    spec = TableSpec(6, TABLE_TITLES[6], "", [], [], [])
    totals = p.economic_totals
    if style.template == SHANGHAI:
        spec.widths = [34.0, 30.0, 125.0, 66.0] * 2
        side = [H("经济分类科目编码", 2), H("科目名称", 1, 2), H("决算数", 1, 2)]
        spec.header = [side + side, [H("类"), H("款"), H("类"), H("款")]]
        groups: list[list[tuple[str, str, int]]] = [[], []]
        for class_code, class_name, items in ECONOMIC_CLASSES:
            target = groups[0 if class_code in PERSONNEL_CLASSES else 1]
            target.append((class_code, class_name, p.economic[class_code]))
            target.extend((code, name, p.economic[code]) for code, name in items)
        height = max(len(g) for g in groups)
        for index in range(height):
            row: list[tuple[str, int, str]] = []
            for group in groups:
                if index >= len(group):
                    row += [("", 1, "c"), ("", 1, "c"), ("", 1, "l"), ("", 1, "r")]
                    continue
                code, name, value = group[index]
                klass, kuan = split_code(code, 2)
                text = amount(value)
                row += [(klass, 1, "c"), (kuan, 1, "c"), (name, 1, "l"), (text, 1, "r")]
                if text:
                    spec.cells.append(PrintedCell(kind, code, "amount", text))
            spec.body.append(row)
        spec.body.append([("人员经费合计", 3, "c"), (amount(totals["personnel"]), 1, "r"),
                          ("公用经费合计", 3, "c"), (amount(totals["public"]), 1, "r")])
    else:
        spec.label = "公开06表"
        spec.landscape = True
        spec.widths = [48.0, 142.0, 60.0] * 3
        spec.header = [[H("人员经费", 3), H("公用经费", 6)],
                       [H("科目编码"), H("科目名称"), H("金额")] * 3]
        spec.note = TABLE_NOTES[6]
        for groups3 in economic_grid(p):
            row = []
            for group in groups3:
                if group is None:
                    row += [("", 1, "l"), ("", 1, "l"), ("", 1, "r")]
                    continue
                text = amount(group[2])
                row += [(group[0], 1, "l"), (group[1], 1, "l"), (text, 1, "r")]
                if text:
                    spec.cells.append(PrintedCell(kind, group[0], "amount", text))
            spec.body.append(row)
        spec.body.append([("人员经费合计", 2, "c"), (amount(totals["personnel"]), 1, "r"),
                          ("公用经费合计", 5, "c"), (amount(totals["public"]), 1, "r")])
    for name, key in (("人员经费合计", "personnel"), ("公用经费合计", "public")):
        if amount(totals[key]):
            spec.cells.append(PrintedCell(kind, name, "amount", amount(totals[key])))
    return spec


# --- 三公 --------------------------------------------------------------------------------------

def three_public_table(p: Printed, style: PdfStyle, dept: str) -> TableSpec:
    amount = _Amounts(style)
    kind = KINDS[9]
    spec = TableSpec(9, TABLE_TITLES[9], "", [62.0] * 12, [], [], landscape=True)
    if style.template == SHANGHAI:
        spec.header = [[H("财政拨款“三公”经费", 12)],
                       [H("合计", 2, 2), H("因公出国（境）费", 2, 2), H("公务用车购置及运行费", 6),
                        H("公务接待费", 2, 2)],
                       [H("小计", 2), H("公务用车购置费", 2), H("公务用车运行费", 2)],
                       [H("预算数"), H("决算数")] * 6]
        order = [(phase, item) for item in THREE_PUBLIC_ITEMS for phase in ("budget", "actual")]
    else:
        spec.label = "公开09表"
        spec.note = TABLE_NOTES[9]
        side = [H("合计", 1, 2), H("因公出国（境）费", 1, 2), H("公务用车购置及运行维护费", 3),
                H("公务接待费", 1, 2)]
        spec.header = [[H("预算数", 6), H("决算数", 6)], side + side,
                       [H("小计"), H("公务用车购置费"), H("公务用车运行维护费")] * 2,
                       [H(str(i + 1)) for i in range(12)]]
        order = [(phase, item) for phase in ("budget", "actual") for item in THREE_PUBLIC_ITEMS]
    row = []
    for phase, item in order:
        text = amount(p.three_public[phase][item])
        row.append((text, 1, "r"))
        if text:
            spec.cells.append(PrintedCell(kind, f"{phase}:{item}", "amount", text))
    spec.body = [row]
    if declared_empty(p, 9):
        spec.note = (f"注：{dept}无财政拨款“三公”经费支出，故本表无数据。" if style.template == SHANGHAI
                     else TABLE_NOTES[9][:2] + EMPTY_TABLE_NOTES[9])
    return spec


def document_tables(p: Printed, style: PdfStyle, dept: str) -> list[TableSpec]:
    """The nine tables in the template's print order."""
    out = []
    for number in PRINT_ORDER[style.template]:
        if number == p.left_out:
            continue
        if number in (1, 4):
            out.append(summary_table(number, p, style))
        elif number == 6:
            out.append(economic_table(p, style))
        elif number == 9:
            out.append(three_public_table(p, style, dept))
        else:
            out.append(code_table(number, p, style, dept))
    return out
