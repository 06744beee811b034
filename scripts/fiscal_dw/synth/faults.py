"""Injections: realistic faults in the tables and the prose, and harmless 0.01 rounding
adjustments, each returned as an answer-key Injection naming the rule that must report it.
A rule's family is read from the registry (seeds/reference/rule_registry.csv)."""
from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from functools import cache

from fiscal_dw import PROJECT_DIR
from fiscal_dw.synth.amounts import fmt, fmt_pct, transpose_digits
from fiscal_dw.synth.answer_key import FAULT, NARRATIVE_FAMILY, ROUNDING, Injection
from fiscal_dw.synth.catalogue import ECONOMIC_CLASSES, PERSONNEL_CLASSES
from fiscal_dw.synth.departments import SUBJECTS
from fiscal_dw.synth.footing import THREE_PUBLIC_ECONOMIC
from fiscal_dw.synth.narrative import Facts
from fiscal_dw.synth.printed import CODE_TABLE_COLUMNS, TOTAL_KEY, Printed, economic_codes
from fiscal_dw.synth.template_identities import ROW_RULES


MIN_FAULT = 5  # a fault leaves its identity off by at least 0.05 万元

RULE_REGISTRY = PROJECT_DIR / "seeds" / "reference" / "rule_registry.csv"


@cache
def registry_families() -> dict[str, str]:
    """rule_id → rule_family, as the rule registry (the warehouse's seed) gives them."""
    with RULE_REGISTRY.open(encoding="utf-8", newline="") as registry:
        return {row["rule_id"]: row["rule_family"] for row in csv.DictReader(registry)}


def _fault_value(before: int, drift: int, rng: random.Random) -> int:
    """A wrong printed value for a cell whose identity is off by `drift` from rounding alone."""
    for _ in range(20):
        style = rng.random()
        if style < 0.35:
            after = transpose_digits(before, rng)
            if after is None:
                continue
        elif style < 0.6:
            after = before + rng.choice((-1, 1)) * rng.randint(MIN_FAULT, 99)
        elif style < 0.85:
            after = before + rng.choice((-1, 1)) * rng.randint(100, max(101, min(before, 200_000)))
        else:
            after = before + rng.choice((-1, 1)) * max(MIN_FAULT, int(before * rng.uniform(0.01, 0.3)))
        if after >= 0 and abs(drift + after - before) >= MIN_FAULT:
            return after
    return before + 100 if drift >= 0 else before + 100 + abs(drift)


def _base(kind: str, severity: str, rule_id: str | None, table: str, scope: Sequence[str],
          description: str, **extra) -> Injection:
    """An injection expected to fail `rule_id`, of the family the registry gives it; None: any
    rule of the narrative family."""
    return Injection(file="", department="", fiscal_year=0, kind=kind, severity=severity,
                     rule_family=registry_families()[rule_id] if rule_id else NARRATIVE_FAMILY,
                     rule_id=rule_id, table=table, scope=list(scope), description=description, **extra)


def inject_function_parent_off(p: Printed, rng: random.Random) -> Injection | None:
    number = rng.choice((2, 3, 5))
    rows = p.code_tables[number]
    table = f"公开{number:02d}"
    parents = [c for c in rows if len(c) == 5 and any(len(k) == 7 and k.startswith(c) for k in rows)]
    if not parents:
        return None
    code = rng.choice(parents)
    columns = CODE_TABLE_COLUMNS[number]
    column = rng.choice([i for i, v in enumerate(rows[code]) if v] or [0])
    kids = [k for k in rows if len(k) == 7 and k.startswith(code)]
    before = rows[code][column]
    drift = before - sum(rows[k][column] for k in kids)
    after = _fault_value(before, drift, rng)
    rows[code][column] = after
    also = ["hier_function_parent_children", ROW_RULES[number]]
    if number in (3, 5):
        also.append("cross_03_05_general_budget_codes")
    return _base("function_parent_off", FAULT, "hier_function_parent_children", table,
                 (table, code, columns[column]),
                 f"{table} {code} {SUBJECTS[code].name} [{columns[column]}] printed off the sum of its 项",
                 printed_before=fmt(before), printed_after=fmt(after),
                 difference=fmt(drift + after - before), also_rules=also)


def inject_row_total_off(p: Printed, rng: random.Random) -> Injection | None:
    number = rng.choice((3, 5))
    rows = p.code_tables[number]
    table = f"公开{number:02d}"
    code = TOTAL_KEY if rng.random() < 0.4 else rng.choice([c for c in rows if c != TOTAL_KEY])
    before = rows[code][0]
    drift = before - sum(rows[code][1:])
    after = _fault_value(before, drift, rng)
    rows[code][0] = after
    if number == 3:
        also = ["hier_function_parent_children", "hier_function_total_classes",
                "cross_01_expenditure_total_03", "cross_01_classes_03", "cross_03_05_general_budget_codes"]
    else:
        also = ["hier_function_parent_children", "hier_function_total_classes",
                "cross_04_expenditure_total_05", "cross_04_classes_05", "cross_03_05_general_budget_codes"]
    name = TOTAL_KEY if code == TOTAL_KEY else f"{code} {SUBJECTS[code].name}"
    return _base("row_total_off", FAULT, "row_expenditure_components", table,
                 (table, code), f"{table} {name}: 合计 column ≠ 基本支出 + 项目支出",
                 printed_before=fmt(before), printed_after=fmt(after),
                 difference=fmt(drift + after - before), also_rules=also, also_families=[NARRATIVE_FAMILY])


def inject_basic_05_vs_06(p: Printed, rng: random.Random) -> Injection | None:
    items = [code for _, _, its in ECONOMIC_CLASSES for code, _ in its
             if code not in THREE_PUBLIC_ECONOMIC and p.economic[code]]
    if not items:
        return None
    code = rng.choice(items)
    before = p.economic[code]
    lhs = p.code_tables[5][TOTAL_KEY][1]
    drift = lhs - sum(p.economic_totals.values())
    after = _fault_value(before, -drift, rng)  # the 公开06 side moves: difference = drift − δ
    delta = after - before
    category = "personnel" if code[:3] in PERSONNEL_CLASSES else "public"
    p.economic[code] = after
    p.economic[code[:3]] += delta
    p.economic_totals[category] += delta
    return _base("basic_05_vs_06", FAULT, "cross_05_basic_06_totals", "公开06",
                 ("公开05", "公开06", "basic"),
                 f"公开06 computed on another basis: {code} off by {fmt(delta)} with its class and "
                 f"{'人员' if category == 'personnel' else '公用'}经费合计 (table consistent in itself)",
                 printed_before=fmt(before), printed_after=fmt(after), difference=fmt(drift - delta),
                 also_families=[NARRATIVE_FAMILY])


def inject_three_public_subtotal_off(p: Printed, rng: random.Random) -> Injection | None:
    phase = rng.choice(("budget", "actual"))
    values = p.three_public[phase]
    target = "vehicles" if rng.random() < 0.6 else "total"
    before = values[target]
    if target == "vehicles":
        drift = before - values["vehicle_purchase"] - values["vehicle_operation"]
        rule, also = "three_public_vehicles_parts", ["three_public_total_items"]
    else:
        drift = before - values["overseas_travel"] - values["vehicles"] - values["official_reception"]
        rule, also = "three_public_total_items", []
    after = _fault_value(before, drift, rng)
    values[target] = after
    label = "公务用车购置及运行维护费 小计" if target == "vehicles" else "合计"
    return _base("three_public_subtotal_off", FAULT, rule, "公开09", ("公开09", phase),
                 f"公开09 {'预算数' if phase == 'budget' else '决算数'} {label} off its items",
                 printed_before=fmt(before), printed_after=fmt(after),
                 difference=fmt(drift + after - before), also_rules=also, also_families=[NARRATIVE_FAMILY])


def _figures(*values: int) -> int:
    """Printed figures of an identity that carry rounding (a zero is printed exact)."""
    return sum(1 for value in values if value)


def within_envelope(difference: int, figures: int) -> bool:
    """|difference| within the rounding envelope of `figures` printed figures at 0.01 万元:
    half a display unit each (the checks' tolerance, README "Rounding envelope")."""
    return 2 * abs(difference) <= figures


def _best_adjustment(p: Printed, apply, affected) -> int | None:
    """The ±0.01 adjustment keeping every affected identity (difference, printed figures)
    within its rounding envelope, if any; the smaller worst difference wins."""
    best: tuple[int, int] | None = None
    for sign in (1, -1):
        trial = p.copy()
        if not apply(trial, sign):
            continue
        pairs = affected(trial)
        worst = max(abs(d) for d, _ in pairs)
        if all(within_envelope(d, n) for d, n in pairs) and (best is None or worst < best[1]):
            best = (sign, worst)
    return best[0] if best else None


def inject_rounding_function_child(p: Printed, rng: random.Random) -> Injection | None:
    number = rng.choice((3, 5))
    rows = p.code_tables[number]
    table = f"公开{number:02d}"
    candidates = []
    for code in rows:
        if len(code) != 7:
            continue
        kids = [k for k in rows if len(k) == 7 and k.startswith(code[:5])]
        for column in (1, 2):
            if rows[code][column] and rows[code[:5]][column] == sum(rows[k][column] for k in kids):
                candidates.append((code, column))
    rng.shuffle(candidates)
    other = p.code_tables[5 if number == 3 else 3]
    for code, column in candidates[:6]:
        kids = [k for k in rows if len(k) == 7 and k.startswith(code[:5])]

        def apply(trial: Printed, sign: int, code=code, column=column) -> bool:
            cells = trial.code_tables[number][code]
            cells[column] += sign
            return cells[column] >= 0

        def affected(trial: Printed, code=code, column=column, kids=kids) -> list[tuple[int, int]]:
            t = trial.code_tables[number]
            diffs = [(t[code[:5]][column] - sum(t[k][column] for k in kids),
                      _figures(t[code[:5]][column], *(t[k][column] for k in kids))),
                     (t[code][0] - sum(t[code][1:]), _figures(*t[code]))]
            if code in other and other[code][:3] == rows[code][:3]:
                diffs.append((t[code][column] - other[code][column],
                              _figures(t[code][column], other[code][column])))
            return diffs

        sign = _best_adjustment(p, apply, affected)
        if sign is None:
            continue
        before = rows[code][column]
        rows[code][column] += sign
        column_name = CODE_TABLE_COLUMNS[number][column]
        return _base("rounding_function_child", ROUNDING, "hier_function_parent_children",
                     table, (table, code[:5], column_name),
                     f"{table} {code} [{column_name}] adjusted by {fmt(sign)} (尾数调整): "
                     f"款 {code[:5]} off its 项 by 0.01",
                     printed_before=fmt(before), printed_after=fmt(before + sign),
                     difference=fmt(-sign),
                     also_rules=["row_expenditure_components", "cross_03_05_general_budget_codes"])
    return None


def inject_rounding_economic_total(p: Printed, rng: random.Random) -> Injection | None:
    categories = ["personnel", "public"]
    rng.shuffle(categories)
    for category in categories:
        classes, items = economic_codes(category)
        if p.economic_totals[category] != sum(p.economic[c] for c in classes):
            continue

        def apply(trial: Printed, sign: int, category=category) -> bool:
            trial.economic_totals[category] += sign
            return True

        def affected(trial: Printed, classes=classes, items=items, category=category) -> list[tuple[int, int]]:
            total = trial.economic_totals[category]
            basic = trial.code_tables[5][TOTAL_KEY][1]
            return [(total - sum(trial.economic[c] for c in classes),
                     _figures(total, *(trial.economic[c] for c in classes))),
                    (total - sum(trial.economic[c] for c in items),
                     _figures(total, *(trial.economic[c] for c in items))),
                    (basic - sum(trial.economic_totals.values()), _figures(basic, *trial.economic_totals.values()))]

        sign = _best_adjustment(p, apply, affected)
        if sign is None:
            continue
        before = p.economic_totals[category]
        p.economic_totals[category] += sign
        label = "人员经费合计" if category == "personnel" else "公用经费合计"
        return _base("rounding_economic_total", ROUNDING, f"econ_{category}_total_classes", "公开06",
                     ("公开06", category, "classes"),
                     f"公开06 {label} adjusted by {fmt(sign)} (尾数调整)",
                     printed_before=fmt(before), printed_after=fmt(before + sign), difference=fmt(sign),
                     also_rules=[f"econ_{category}_total_items", "cross_05_basic_06_totals"])
    return None


def inject_rounding_three_public(p: Printed, rng: random.Random) -> Injection | None:
    phases = ["budget", "actual"]
    rng.shuffle(phases)
    for phase in phases:
        v = p.three_public[phase]
        if v["total"] == 0 or v["total"] != v["overseas_travel"] + v["vehicles"] + v["official_reception"]:
            continue
        sign = rng.choice((1, -1))
        before = v["total"]
        v["total"] += sign
        return _base("rounding_three_public", ROUNDING, "three_public_total_items",
                     "公开09", ("公开09", phase),
                     f"公开09 {'预算数' if phase == 'budget' else '决算数'} 合计 adjusted by {fmt(sign)} (尾数调整)",
                     printed_before=fmt(before), printed_after=fmt(before + sign), difference=fmt(sign))
    return None


def inject_income_02_vs_04(p: Printed, rng: random.Random) -> Injection | None:
    """公开02 合计 counts 财政拨款 on another basis: its 财政拨款 and 本年收入合计 move together
    (the row still adds up), away from 公开04 本年收入合计."""
    row = p.code_tables[2][TOTAL_KEY]
    before = row[1]
    drift = p.summary04["income_total"][0] - before
    after = _fault_value(before, -drift, rng)  # the 公开02 side moves: difference = drift − δ
    delta = after - before
    row[1] = after
    row[0] += delta
    return _base("income_02_vs_04", FAULT, "cross_04_income_total_02", "公开02", ("公开04", "公开02"),
                 f"公开02 合计 财政拨款收入 and 本年收入合计 off by {fmt(delta)} (row consistent) "
                 f"against 公开04 本年收入合计",
                 printed_before=fmt(before), printed_after=fmt(after), difference=fmt(drift - delta),
                 also_rules=["hier_function_total_classes", "cross_01_income_total_02"],
                 also_families=[NARRATIVE_FAMILY])


def inject_fund_rollforward_off(p: Printed, rng: random.Random) -> Injection | None:
    """公开04: the 一般公共预算 sub-line of 年初财政拨款结转和结余 miscopied, so that fund no
    longer rolls forward (收入 + 年初 ≠ 支出 + 年末); no other identity reads the sub-line."""
    s4 = p.summary04
    before = s4["carryover_begin_gb"][0]
    drift = (s4["income_gb"][0] + before) - (s4["expenditure_total"][1] + s4["carryover_end"][1])
    after = _fault_value(before, drift, rng)
    s4["carryover_begin_gb"][0] = after
    return _base("fund_rollforward_off", FAULT, "sum_04_fund_rollforward", "公开04", ("公开04", "general_budget"),
                 "公开04 年初财政拨款结转和结余 一般公共预算财政拨款 sub-line miscopied: "
                 "收入 + 年初 ≠ 支出 + 年末 for the general budget",
                 printed_before=fmt(before), printed_after=fmt(after), difference=fmt(drift + after - before))


def inject_empty_table_note_missing(p: Printed, rng: random.Random) -> Injection | None:
    """The empty 公开08 printed with the template's usual note instead of its 无数据 note (no
    identity moves: only the note rule can see it)."""
    p.empty_note = False
    return _base("empty_table_note_missing", FAULT, "narr_empty_table_note", "公开08", ("公开08",),
                 "公开08 printed empty without its 无数据 note")


def inject_table_left_out(p: Printed, rng: random.Random) -> Injection | None:
    """One of the nine tables left out of the document, title and rows (the contents still
    list it): its identities cannot be checked, so only the inventory rule can see it."""
    number = rng.randint(1, 9)
    p.left_out = number
    return _base("table_left_out", FAULT, "table_printed", f"公开{number:02d}", (f"公开{number:02d}",),
                 f"公开{number:02d} not printed")


TABLE_INJECTORS = {
    "function_parent_off": inject_function_parent_off,
    "row_total_off": inject_row_total_off,
    "basic_05_vs_06": inject_basic_05_vs_06,
    "three_public_subtotal_off": inject_three_public_subtotal_off,
    "income_02_vs_04": inject_income_02_vs_04,
    "fund_rollforward_off": inject_fund_rollforward_off,
    "empty_table_note_missing": inject_empty_table_note_missing,
    "table_left_out": inject_table_left_out,
    "rounding_function_child": inject_rounding_function_child,
    "rounding_economic_total": inject_rounding_economic_total,
    "rounding_three_public": inject_rounding_three_public,
}


def _wrong_value(value: int, rng: random.Random, least: int, most: int, fallback: int) -> int:
    """A wrong restatement of `value`, at least `least` off: a digit transposition or a change
    of `least` to `most`."""
    for _ in range(20):
        if rng.random() < 0.5:
            wrong = transpose_digits(value, rng)
        else:
            wrong = value + rng.choice((-1, 1)) * rng.randint(least, most)
        if wrong is not None and wrong >= 0 and abs(wrong - value) >= least:
            return wrong
    return value + fallback


def _wrong_amount(value: int, rng: random.Random) -> int:
    return _wrong_value(value, rng, MIN_FAULT * 2, max(MIN_FAULT * 3, value // 10), 1000)


def _wrong_percent(value: int, rng: random.Random) -> int:
    return _wrong_value(value, rng, 20, 600, 100)


def inject_narrative(kind: str, facts: Facts, rng: random.Random) -> Injection | None:
    if kind == "narrative_total_off":
        target = rng.choice(("grand_total", "expenditure_total", "three_public"))
        if target == "three_public" and facts.three_public["actual"]["total"] == 0:
            target = "grand_total"
        if target == "three_public":
            before = facts.three_public["actual"]["total"]
            after = _wrong_amount(before, rng)
            facts.three_public["actual"]["total"] = after
            metric, label = "three_public.total.actual", "“三公”经费支出决算"
        else:
            before = getattr(facts, target)
            after = _wrong_amount(before, rng)
            setattr(facts, target, after)
            metric, label = (("total.income_expenditure.amount", "收、支总计") if target == "grand_total"
                             else ("expenditure.total.amount", "本年支出合计"))
        return _base(kind, FAULT, None, "情况说明", (metric,),
                     f"情况说明 states {label} {fmt(after)} instead of the table's {fmt(before)}",
                     printed_before=fmt(before), printed_after=fmt(after), difference=fmt(after - before))
    if kind == "narrative_share_wrong":
        options = ["basic_share", "project_share"] + [f"class:{c}" for c, _, _ in facts.classes]
        target = rng.choice(options)
        if target.startswith("class:"):
            code = target[6:]
            index = next(i for i, c in enumerate(facts.classes) if c[0] == code)
            before = facts.classes[index][2]
            after = _wrong_percent(before, rng)
            facts.classes[index] = (code, facts.classes[index][1], after)
            metric = f"general_budget.class.{code}.share"
        else:
            before = getattr(facts, target)
            after = _wrong_percent(before, rng)
            setattr(facts, target, after)
            metric = f"expenditure.{target.split('_')[0]}.share"
        return _base(kind, FAULT, None, "情况说明", (metric,),
                     f"情况说明 share {metric} printed {fmt_pct(after)}% instead of {fmt_pct(before)}%",
                     printed_before=fmt_pct(before, True), printed_after=fmt_pct(after, True),
                     difference=fmt(after - before))
    if kind == "narrative_rate_wrong":
        rated = [leaf for leaf in facts.leaves if leaf.rate is not None]
        if not rated:
            return None
        leaf = rng.choice(rated)
        before = leaf.rate
        leaf.rate = _wrong_percent(before, rng)
        return _base(kind, FAULT, None, "情况说明", (f"function.{leaf.code}.completion_rate",),
                     f"情况说明 completion rate of {leaf.code} printed {fmt_pct(leaf.rate)}% "
                     f"instead of {fmt_pct(before)}%",
                     printed_before=fmt_pct(before, True), printed_after=fmt_pct(leaf.rate, True),
                     difference=fmt(leaf.rate - before))
    return _inject_peer_narrative(kind, facts, rng)


def _inject_peer_narrative(kind: str, facts: Facts, rng: random.Random) -> Injection | None:
    """Faults only the peer checker's narrative rules see (int_recon_narrative_peer)."""
    actual = facts.three_public["actual"]
    if kind == "narrative_restated_amount_differs":
        before = facts.general_budget_total
        after = _wrong_amount(before, rng)
        facts.restated_general_budget = after
        return _base(kind, FAULT, "narr_repeated_amount", "情况说明", ("general_budget.total.amount",),
                     f"情况说明 五(二) restates 一般公共预算财政拨款支出 as {fmt(after)}, 五(一) as {fmt(before)}",
                     printed_before=fmt(before), printed_after=fmt(after), difference=fmt(after - before))
    if kind == "narrative_three_public_item_missing":
        spent = [item for item in ("vehicle_purchase", "vehicle_operation") if actual[item] > 0]
        if not spent:
            return None
        item = rng.choice(spent)
        facts.omitted = (*facts.omitted, item)
        return _base(kind, FAULT, "narr_three_public_item_stated", "情况说明", ("三公", item),
                     f"情况说明 states no amount of {item} (公开09 决算数 {fmt(actual[item])})",
                     printed_before=fmt(actual[item]), printed_after="")
    if kind == "narrative_reception_counts_missing":
        if actual["official_reception"] <= 0:
            return None
        facts.omitted = (*facts.omitted, "reception_counts")
        return _base(kind, FAULT, "narr_reception_counts", "情况说明", ("三公", "reception"),
                     f"情况说明 states 公务接待费 {fmt(actual['official_reception'])} without its 批次 and 人次")
    if kind in _PATH_AND_PRIOR_FAULTS:
        return _PATH_AND_PRIOR_FAULTS[kind](kind, facts, rng)
    if kind in _STATEMENT_FAULTS:  # statements without a figure (int_recon_narrative_statements)
        return _STATEMENT_FAULTS[kind](kind, facts, rng)
    raise ValueError(kind)


def _fund_amount_off(kind: str, facts: Facts, rng: random.Random) -> Injection | None:
    """A 政府性基金 项's amount in the fund section ≠ its 公开07 本年支出."""
    if not facts.gov_fund_total or not facts.gov_fund_leaves:
        return None
    code = rng.choice(facts.gov_fund_leaves)
    before = facts.gov_fund_amounts.get(code, 0)
    after = _wrong_amount(before, rng)
    facts.gov_fund_amounts = {**facts.gov_fund_amounts, code: after}
    return _base(kind, FAULT, "narr_fund_amounts", "情况说明", (f"gov_fund.function.{code}.final_amount",),
                 f"情况说明 政府性基金 {code} {SUBJECTS[code].name} stated {fmt(after)}, 公开07 本年支出 {fmt(before)}",
                 printed_before=fmt(before), printed_after=fmt(after), difference=fmt(after - before))


def _prior_change_inconsistent(kind: str, facts: Facts, rng: random.Random) -> Injection | None:
    """The prior year's amount printed beside the current one is off the stated change
    (current − prior ≠ the change; the change and its % still agree with the current)."""
    options = [(label, key, previous) for label, key, current, previous in (
        ("收、支总计各", "total.income_expenditure", facts.grand_total, facts.prev_grand_total),
        ("财政拨款收、支总计各", "fiscal.income_expenditure", facts.fiscal_grand_total, facts.prev_fiscal_grand_total),
        ("一般公共预算财政拨款支出", "general_budget.total", facts.general_budget_total,
         facts.prev_general_budget_total)) if current != previous]
    if not options:
        return None
    label, key, before = rng.choice(options)
    after = _wrong_amount(before, rng)
    facts.prior_misprint = (label, after)
    return _base(kind, FAULT, "narr_yoy_explicit_prior_change", "情况说明", (f"{key}.prior_amount",),
                 f"情况说明 prints the prior year's {key} as {fmt(after)}; the stated change implies {fmt(before)}",
                 printed_before=fmt(before), printed_after=fmt(after), difference=fmt(after - before))


def _name_differs(kind: str, facts: Facts, rng: random.Random) -> Injection | None:
    """A 项 path whose 类 name differs from 公开05's (一般公共预算服务支出 for 一般公共服务支出);
    its 款 and 项 names still bind it to its code."""
    pairs = [(SUBJECTS[leaf.code[:5]].name, SUBJECTS[leaf.code].name) for leaf in facts.leaves]
    unique = [leaf for leaf, pair in zip(facts.leaves, pairs) if pairs.count(pair) == 1]
    if not unique:
        return None
    leaf = rng.choice(unique)
    facts.misnamed_leaf = leaf.code
    name = SUBJECTS[leaf.code[:3]].name
    return _base(kind, FAULT, "narr_function_names_match", "情况说明", (f"function.{leaf.code}",),
                 f"情况说明 names the 类 of {leaf.code} {name[:2]}预算{name[2:]}; 公开05 prints {name}",
                 printed_before=name, printed_after=f"{name[:2]}预算{name[2:]}")


_PATH_AND_PRIOR_FAULTS = {
    "narrative_fund_amount_off": _fund_amount_off,
    "narrative_prior_change_inconsistent": _prior_change_inconsistent,
    "narrative_name_differs": _name_differs,
}


def _direction_word_wrong(kind: str, facts: Facts, rng: random.Random) -> Injection | None:
    """A 项 said to be 大于 its 年初预算 where it is less (or the reverse), its figures more than
    1 万元 apart so that no rounding of the printed figures explains the word."""
    apart = [leaf for leaf in facts.leaves if leaf.rate is not None and abs(leaf.actual - leaf.budget) > 100]
    if not apart:
        return None
    leaf = rng.choice(apart)
    facts.direction_flipped = leaf.code
    said = "小于" if leaf.actual > leaf.budget else "大于"
    return _base(kind, FAULT, "narr_direction_words", "情况说明", (f"function.{leaf.code}",),
                 f"情况说明 {leaf.code}: 决算数{said}年初预算数 with 年初预算 {fmt(leaf.budget)} and "
                 f"支出决算 {fmt(leaf.actual)}", printed_before="大于" if said == "小于" else "小于",
                 printed_after=said)


def _reason_dropped(kind: str, facts: Facts, rng: random.Random) -> Injection | None:
    """A 项 whose completion rate is more than 1 pp off 100 % stated without a reason."""
    off = [leaf for leaf in facts.leaves if leaf.rate is not None and abs(leaf.rate - 10000) > 100]
    if not off:
        return None
    leaf = rng.choice(off)
    facts.reason_dropped = leaf.code
    return _base(kind, FAULT, "narr_rate_reason_given", "情况说明", (f"function.{leaf.code}",),
                 f"情况说明 {leaf.code}: 完成年初预算的 {fmt_pct(leaf.rate)}% with no reason given")


def _fund_none_despite_spending(kind: str, facts: Facts, rng: random.Random) -> Injection | None:
    """本部门没有政府性基金…收支 (or another wording of it) where 公开07 spends."""
    if not facts.gov_fund_total:
        return None
    facts.fund_none_despite_spending = True
    return _base(kind, FAULT, "narr_fund_none_stated", "情况说明", ("government_fund",),
                 f"情况说明 says the 政府性基金 had nothing; 公开07 合计 本年支出 {fmt(facts.gov_fund_total)}",
                 printed_before=fmt(facts.gov_fund_total), printed_after="无")


_STATEMENT_FAULTS = {
    "narrative_direction_word_wrong": _direction_word_wrong,
    "narrative_reason_dropped": _reason_dropped,
    "narrative_fund_none_despite_spending": _fund_none_despite_spending,
}
