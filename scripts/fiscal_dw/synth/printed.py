"""The nine tables as printed: each cell of a year's money rounded half-up to 0.01 万元 on its
own, parents and totals summed in 元 (公开06 footed by footing.foot_economic)."""
from __future__ import annotations

from dataclasses import dataclass

from fiscal_dw.synth.amounts import wan
from fiscal_dw.synth.catalogue import ECONOMIC_CLASSES, PERSONNEL_CLASSES
from fiscal_dw.synth.footing import foot_economic
from fiscal_dw.synth.money import YearMoney


CODE_TABLE_COLUMNS = {
    2: ("total", "fiscal_appropriation", "superior_subsidy", "business_income",
        "operating_income", "affiliate_remittance", "other_income"),
    3: ("total", "basic", "project", "remit_to_superior", "operating", "subsidy_to_affiliates"),
    5: ("total", "basic", "project"),
    7: ("carryover_begin", "income", "expenditure_total", "expenditure_basic",
        "expenditure_project", "carryover_end"),
    8: ("total", "basic", "project"),
}
TOTAL_KEY = "合计"
SUMMARY01_CLASS_FIRST_LINE = 32  # 行次 of 一、一般公共服务支出 in 公开01 (income 1–31)
SUMMARY04_CLASS_FIRST_LINE = 33  # in 公开04 (income 1–32)
THREE_PUBLIC_ITEMS = ("total", "overseas_travel", "vehicles", "vehicle_purchase",
                      "vehicle_operation", "official_reception")



def economic_codes(category: str) -> tuple[list[str], list[str]]:
    """The 公开06 class codes and item codes of 人员经费 ('personnel') or 公用经费 ('public')."""
    classes = [c for c, _, _ in ECONOMIC_CLASSES if (c in PERSONNEL_CLASSES) == (category == "personnel")]
    items = [code for c, _, its in ECONOMIC_CLASSES if c in classes for code, _ in its]
    return classes, items


@dataclass
class Printed:
    """Every printed amount of the nine tables, in hundredths of 万元."""

    code_tables: dict[int, dict[str, list[int]]]   # table → code ('合计') → column values
    economic: dict[str, int]                       # 3- and 5-digit codes → amount
    economic_totals: dict[str, int]                # 'personnel' / 'public'
    three_public: dict[str, dict[str, int]]        # phase → item → amount
    summary01: dict[str, int]
    summary04: dict[str, list[int]]
    class_rows: dict[str, int]                     # 公开01 class lines (公开03 类 totals)
    class_rows04: dict[str, list[int]]
    empty_note: bool = True                        # an empty 公开07/08 prints its 无数据 note
    left_out: int = 0                              # a table (公开0N) not printed at all; 0: none

    def copy(self) -> Printed:
        return Printed(
            code_tables={t: {c: list(v) for c, v in rows.items()} for t, rows in self.code_tables.items()},
            economic=dict(self.economic), economic_totals=dict(self.economic_totals),
            three_public={p: dict(v) for p, v in self.three_public.items()},
            summary01=dict(self.summary01), summary04={k: list(v) for k, v in self.summary04.items()},
            class_rows=dict(self.class_rows), class_rows04={k: list(v) for k, v in self.class_rows04.items()},
            empty_note=self.empty_note, left_out=self.left_out)


def _tree(leaf_values: dict[str, list[int]]) -> dict[str, list[int]]:
    """项 vectors in 元 → printed vectors of 合计, 类, 款 and 项 (each cell rounded on its own)."""
    yuan: dict[str, list[int]] = {}
    width = len(next(iter(leaf_values.values()))) if leaf_values else 0
    total = [0] * width
    for code, values in leaf_values.items():
        for key in (code[:3], code[:5], code):
            sums = yuan.setdefault(key, [0] * width)
            for i, v in enumerate(values):
                sums[i] += v
        for i, v in enumerate(values):
            total[i] += v
    printed = {TOTAL_KEY: [wan(v) for v in total]}
    for code in sorted(yuan):
        printed[code] = [wan(v) for v in yuan[code]]
    return printed


def print_year(money: YearMoney) -> Printed:
    leaves = money.leaves
    business = money.other_income_kind == "business"
    t02, t03, t05, t07 = {}, {}, {}, {}
    for code, m in leaves.items():
        if m.expenditure == 0 and m.inc_gb + m.inc_gf + m.inc_oth == 0:
            continue
        fiscal = m.inc_gb + m.inc_gf
        t02[code] = [fiscal + m.inc_oth, fiscal, 0, m.inc_oth if business else 0, 0, 0,
                     0 if business else m.inc_oth]
        t03[code] = [m.expenditure, m.gb_basic + m.oth_basic, m.gb_project + m.gf_project + m.oth_project,
                     0, 0, 0]
        if m.gb:
            t05[code] = [m.gb, m.gb_basic, m.gb_project]
        if m.gf_project:
            t07[code] = [m.cb_gf, m.inc_gf, m.gf_project, 0, m.gf_project, m.ce_gf]
    code_tables = {2: _tree(t02), 3: _tree(t03), 5: _tree(t05),
                   7: _tree(t07) if t07 else {TOTAL_KEY: [0] * 6}, 8: {TOTAL_KEY: [0, 0, 0]}}

    economic: dict[str, int] = {}
    totals = {"personnel": 0, "public": 0}
    for class_code, _, items in ECONOMIC_CLASSES:
        class_yuan = sum(money.economic.get(code, 0) for code, _ in items)
        economic[class_code] = wan(class_yuan)
        for code, _ in items:
            economic[code] = wan(money.economic.get(code, 0))
        totals["personnel" if class_code in PERSONNEL_CLASSES else "public"] += class_yuan
    economic_totals = {k: wan(v) for k, v in totals.items()}
    foot_economic(economic, economic_totals)

    three_public = {}
    for phase, values in (("budget", money.three_public_budget), ("actual", money.three_public_actual)):
        vehicles = values["vehicle_purchase"] + values["vehicle_operation"]
        three_public[phase] = {
            "total": wan(values["overseas_travel"] + vehicles + values["official_reception"]),
            "overseas_travel": wan(values["overseas_travel"]), "vehicles": wan(vehicles),
            "vehicle_purchase": wan(values["vehicle_purchase"]),
            "vehicle_operation": wan(values["vehicle_operation"]),
            "official_reception": wan(values["official_reception"])}

    inc_gb = sum(m.inc_gb for m in leaves.values())
    inc_gf = sum(m.inc_gf for m in leaves.values())
    inc_oth = sum(m.inc_oth for m in leaves.values())
    cb_gb = sum(m.cb_gb for m in leaves.values())
    cb_gf = sum(m.cb_gf for m in leaves.values())
    ce_gb = sum(m.ce_gb for m in leaves.values())
    ce_gf = sum(m.ce_gf for m in leaves.values())
    ce_oth = sum(m.ce_oth for m in leaves.values())
    exp_gb = sum(m.gb for m in leaves.values())
    exp_gf = sum(m.gf_project for m in leaves.values())
    exp_all = sum(m.expenditure for m in leaves.values())
    summary01 = {
        "income_gb": wan(inc_gb), "income_gf": wan(inc_gf),
        "business": wan(inc_oth) if business else 0, "other": 0 if business else wan(inc_oth),
        "income_total": wan(inc_gb + inc_gf + inc_oth), "non_fiscal_used": 0,
        "carryover_begin": wan(cb_gb + cb_gf), "income_grand": wan(inc_gb + inc_gf + inc_oth + cb_gb + cb_gf),
        "expenditure_total": wan(exp_all), "distribution": 0,
        "carryover_end": wan(ce_gb + ce_gf + ce_oth), "expenditure_grand": wan(exp_all + ce_gb + ce_gf + ce_oth),
    }
    summary04 = {
        "income_gb": [wan(inc_gb)], "income_gf": [wan(inc_gf)], "income_sc": [0],
        "income_total": [wan(inc_gb + inc_gf)], "carryover_begin": [wan(cb_gb + cb_gf)],
        "carryover_begin_gb": [wan(cb_gb)], "carryover_begin_gf": [wan(cb_gf)], "carryover_begin_sc": [0],
        "income_grand": [wan(inc_gb + inc_gf + cb_gb + cb_gf)],
        "expenditure_total": [wan(exp_gb + exp_gf), wan(exp_gb), wan(exp_gf), 0],
        "carryover_end": [wan(ce_gb + ce_gf), wan(ce_gb), wan(ce_gf), 0],
        "expenditure_grand": [wan(exp_gb + exp_gf + ce_gb + ce_gf), wan(exp_gb + ce_gb), wan(exp_gf + ce_gf), 0],
    }
    class_yuan: dict[str, list[int]] = {}
    for code, m in leaves.items():
        sums = class_yuan.setdefault(code[:3], [0, 0, 0])
        sums[0] += m.expenditure
        sums[1] += m.gb
        sums[2] += m.gf_project
    class_rows = {c: wan(v[0]) for c, v in class_yuan.items()}
    class_rows04 = {c: [wan(v[1] + v[2]), wan(v[1]), wan(v[2]), 0] for c, v in class_yuan.items()
                    if v[1] + v[2]}
    return Printed(code_tables, economic, economic_totals, three_public, summary01, summary04,
                   class_rows, class_rows04)
