"""The template's identities over the printed figures (each with the rule id that checks it),
and a printed year drawn again until every identity is within its rounding envelope."""
from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from fiscal_dw.synth.catalogue import CLASS_LINES, ECONOMIC_CLASSES
from fiscal_dw.synth.departments import Department
from fiscal_dw.synth.money import Carried, YearMoney, make_year
from fiscal_dw.synth.printed import (
    CODE_TABLE_COLUMNS,
    SUMMARY04_CLASS_FIRST_LINE,
    TOTAL_KEY,
    Printed,
    economic_codes,
    print_year,
)


class Identity(NamedTuple):
    rule_id: str
    scope: tuple[str, ...]
    lhs: int
    rhs: int
    summands: int

    @property
    def difference(self) -> int:
        return self.lhs - self.rhs


ROW_RULES = {2: "row_income_sources", 3: "row_expenditure_components", 5: "row_expenditure_components",
             7: "row_gov_fund_expenditure", 8: "row_expenditure_components"}


def identities(p: Printed) -> list[Identity]:
    """The template's identities over the printed figures (domain.md), for the answer key."""
    found: list[Identity] = []
    for number, rows in p.code_tables.items():
        table = f"公开{number:02d}"
        columns = CODE_TABLE_COLUMNS[number]
        children: dict[str, list[list[int]]] = {}
        classes = []
        for code, values in rows.items():
            if len(code) > 3:
                children.setdefault(code[:-2], []).append(values)
            elif code != TOTAL_KEY:
                classes.append(values)
        # a column printed all zero holds no identity worth recording
        active = [(i, column) for i, column in enumerate(columns) if any(v[i] for v in rows.values())]
        for parent, kids in children.items():
            parent_values = rows.get(parent)
            if parent_values is None:
                continue
            sums = [sum(column) for column in zip(*kids)]
            for i, column in active:
                found.append(Identity("hier_function_parent_children", (table, parent, column),
                                      parent_values[i], sums[i], len(kids)))
        sums = [sum(column) for column in zip(*classes)] if classes else [0] * len(columns)
        for i, column in active:
            found.append(Identity("hier_function_total_classes", (table, TOTAL_KEY, column),
                                  rows[TOTAL_KEY][i], sums[i], len(classes)))
        for code, values in rows.items():
            if number == 7:
                found.append(Identity(ROW_RULES[7], (table, code), values[2], values[3] + values[4], 2))
            else:
                found.append(Identity(ROW_RULES[number], (table, code), values[0], sum(values[1:]),
                                      len(values) - 1))
    for class_code, _, items in ECONOMIC_CLASSES:
        found.append(Identity("hier_economic_class_items", ("公开06", class_code),
                              p.economic[class_code], sum(p.economic[c] for c, _ in items),
                              sum(1 for c, _ in items if p.economic[c])))
    for category in ("personnel", "public"):
        classes, items = economic_codes(category)
        found.append(Identity(f"econ_{category}_total_classes", ("公开06", category, "classes"),
                              p.economic_totals[category], sum(p.economic[c] for c in classes), len(classes)))
        found.append(Identity(f"econ_{category}_total_items", ("公开06", category, "items"),
                              p.economic_totals[category], sum(p.economic[c] for c in items),
                              sum(1 for c in items if p.economic[c])))
    found.append(Identity("cross_05_basic_06_totals", ("公开05", "公开06", "basic"),
                          p.code_tables[5][TOTAL_KEY][1], sum(p.economic_totals.values()), 2))
    for phase, v in p.three_public.items():
        found.append(Identity("three_public_total_items", ("公开09", phase), v["total"],
                              v["overseas_travel"] + v["vehicles"] + v["official_reception"], 3))
        found.append(Identity("three_public_vehicles_parts", ("公开09", phase), v["vehicles"],
                              v["vehicle_purchase"] + v["vehicle_operation"], 2))
    s = p.summary01
    found.append(Identity("sum_income_items_total", ("公开01", "income", "amount"), s["income_total"],
                          s["income_gb"] + s["income_gf"] + s["business"] + s["other"], 4))
    found.append(Identity("sum_expenditure_classes_total", ("公开01", "expenditure", "amount"),
                          s["expenditure_total"], sum(p.class_rows.values()), len(p.class_rows)))
    found.append(Identity("sum_income_grand_total", ("公开01", "income", "amount"), s["income_grand"],
                          s["income_total"] + s["non_fiscal_used"] + s["carryover_begin"], 3))
    found.append(Identity("sum_expenditure_grand_total", ("公开01", "expenditure", "amount"),
                          s["expenditure_grand"], s["expenditure_total"] + s["distribution"] + s["carryover_end"], 3))
    s4 = p.summary04
    found.append(Identity("sum_income_items_total", ("公开04", "income", "amount"), s4["income_total"][0],
                          s4["income_gb"][0] + s4["income_gf"][0] + s4["income_sc"][0], 3))
    found.append(Identity("sum_income_grand_total", ("公开04", "income", "amount"), s4["income_grand"][0],
                          s4["income_total"][0] + s4["carryover_begin"][0], 2))
    for i, column in enumerate(("amount", "general_budget", "gov_fund", "state_capital")):
        found.append(Identity("sum_expenditure_classes_total", ("公开04", "expenditure", column),
                              s4["expenditure_total"][i], sum(v[i] for v in p.class_rows04.values()),
                              len(p.class_rows04)))
        found.append(Identity("sum_expenditure_grand_total", ("公开04", "expenditure", column),
                              s4["expenditure_grand"][i], s4["expenditure_total"][i] + s4["carryover_end"][i], 2))
    found.append(Identity("cross_04_income_total_02", ("公开04", "公开02"), s4["income_total"][0],
                          p.code_tables[2][TOTAL_KEY][1], 1))
    for fund, column in (("gb", 1), ("gf", 2), ("sc", 3)):
        # 收入 + 年初 = 支出 + 年末: four printed figures, three "summands" beside the first
        found.append(Identity("sum_04_fund_rollforward",
                              ("公开04", ("general_budget", "gov_fund", "state_capital")[column - 1]),
                              s4[f"income_{fund}"][0] + s4[f"carryover_begin_{fund}"][0],
                              s4["expenditure_total"][column] + s4["carryover_end"][column], 3))
    class_line_no = {code: str(SUMMARY04_CLASS_FIRST_LINE + i) for i, (code, _) in enumerate(CLASS_LINES)}
    for line, values in (("59", s4["expenditure_total"]), ("60", s4["carryover_end"]),
                         ("64", s4["expenditure_grand"]),
                         *((class_line_no[c], v) for c, v in p.class_rows04.items())):
        found.append(Identity("row_summary_fund_split", ("公开04", "expenditure", line), values[0],
                              sum(values[1:]), 3))
    return found


MAX_REDRAWS = 20


def make_printed_year(dept: Department, year_index: int, rng: random.Random,
                      carried: Carried | None = None) -> tuple[YearMoney, Printed]:
    """A year's money and its printed tables, every identity within its envelope. 公开06 is
    footed by 尾差调整 (print_year); in the code tables a cell is printed in up to five tables
    and its row must foot too, so there the rare drift (a 款 over up to eight 项: about one
    document in 50,000) is not patched cell by cell: the year's amounts are drawn again."""
    for _ in range(MAX_REDRAWS):
        money = make_year(dept, year_index, rng, carried)
        printed = print_year(money)
        if all(within_envelope(identity) for identity in identities(printed)):
            break
    return money, printed


def within_envelope(identity: Identity) -> bool:
    """The identity's difference is within its rounding envelope: half a display unit
    (0.005 万元) for each of its printed figures, the total and its summands (the checks'
    tolerance, README "Rounding envelope")."""
    return 2 * abs(identity.difference) <= identity.summands + 1


def find_identity(found: Iterable[Identity], rule_id: str, scope: Sequence[str]) -> Identity | None:
    wanted = set(scope)
    return next((i for i in found if i.rule_id == rule_id and wanted <= set(i.scope)), None)
