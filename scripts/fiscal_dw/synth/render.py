"""Synthetic corpus of department final accounts, with injected faults and an answer key.

    python -m fiscal_dw.synth --out DIR --departments N --years Y --fault-rate F --seed S

`generate_corpus` writes N departments × Y years of final-accounts documents (`.txt`) in
the two layouts seen in real exports — tab-separated (like Jinan's) and space-separated
with wrapped cells, broken headers, page-start lines, 公开06 groups shifting left and
headers reprinted after page breaks (like Qingdao's) — and `answer_key.json` beside them.
Some departments carry 政府性基金 money (non-empty 公开07), carry-overs (年初/年末结转),
non-appropriation income, and (tab layout) 项目支出绩效自评表 with their 汇总表 in 第五部分
(one or two per 项 with appropriation-funded project spending, so Σ 执行数 = 公开05 + 公开07
项目支出); every document has the 第三部分 情况说明 restating totals, shares, per-项 年初预算 /
决算 / 完成率 and 三公.

How the numbers are made: every amount is generated in 元 (integers) and each printed cell
is rounded half-up to 0.01 万元 on its own, as the publishing systems do. Parents, totals
and cross-table figures are sums in 元, so every identity of the national template holds
exactly or within the rounding of its summands ("尾数误差"). Where many summands would leave
an identity off by more than 0.02 万元 (the rules' tolerance), the generator does what
publishers do (尾差调整): 公开06's largest item absorbs the difference, the largest project
of the self-evaluations absorbs its sum's, and in the code tables, where it is all but
unseen, the year is drawn again. A clean document therefore passes every check. On top of
that, at the chosen rate, realistic faults are injected
(a 款 off its 项 sum, 合计 ≠ 基本 + 项目, 公开05 基本支出 ≠ 公开06 totals, a 三公 subtotal
off, a wrong share / completion rate / total in the prose) and harmless 0.01 rounding
adjustments. Every injection is recorded in the answer key with the rule expected to catch
it; `score_detection` compares a warehouse built from the corpus with the key.

Scope tokens: an injection's `scope` is a list of tokens (table code, subject code, column,
phase …) that the scope of the reconciliation check reporting it must contain once split
on ':' and '>' (e.g. ['公开03', '20103', 'basic'] ⊆ '公开03:20103:basic'). Narrative
injections carry the `metric_key` vocabulary of docs/raw_tables_narrative.md instead.

Deterministic for a given seed: each department draws from its own generator
(seed, department), so the output does not depend on the number of worker processes.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from fiscal_dw.synth_catalogue import (
    CITY_NAMES,
    CLASS_LINES,
    DISTRICT_NAMES,
    ECONOMIC_CLASSES,
    FUNCTION_SUBJECTS,
    PERSONNEL_CLASSES,
    SECTORS,
    THREE_PUBLIC_CODES,
    Sector,
)

ANSWER_KEY_FILE = "answer_key.json"
KEY_VERSION = 1
FIRST_YEAR_DEFAULT_END = 2024  # the last fiscal year of a corpus is 2023

FAULT, ROUNDING = "fault", "rounding"
TABLE_FAULT_KINDS = (
    "function_parent_off",       # a 款 printed off the sum of its 项
    "row_total_off",             # 合计 ≠ 基本支出 + 项目支出 on a row of 公开03/05
    "basic_05_vs_06",            # 公开06 (internally consistent) ≠ 公开05 基本支出
    "three_public_subtotal_off",  # a 公开09 小计 / 合计 off its items
)
NARRATIVE_FAULT_KINDS = (
    "narrative_total_off",       # a total restated in the prose ≠ the table
    "narrative_share_wrong",     # a share (占 %) wrong in the prose
    "narrative_rate_wrong",      # a per-项 completion rate (完成年初预算的 %) wrong
)
ROUNDING_KINDS = (
    "rounding_function_child",   # a 项 cell adjusted by 0.01 (款 vs 项 off by 0.01)
    "rounding_economic_total",   # a 公开06 printed total adjusted by 0.01
    "rounding_three_public",     # the 公开09 合计 adjusted by 0.01
)


# =========================================================================== answer key


@dataclass
class Injection:
    """One injected fault or rounding adjustment, and what must report it."""

    file: str
    department: str
    fiscal_year: int
    kind: str
    severity: str                 # 'fault' or 'rounding'
    rule_family: str
    rule_id: str | None           # None: any rule of the family (narrative)
    table: str
    scope: list[str]
    description: str
    printed_before: str = ""
    printed_after: str = ""
    difference: str | None = None  # lhs − rhs of the target identity after injection (万元)
    also_rules: list[str] = field(default_factory=list)      # other identities the change breaks
    also_families: list[str] = field(default_factory=list)


@dataclass
class DocumentKey:
    file: str
    department: str
    fiscal_year: int
    layout: str
    features: dict[str, bool]
    expected_rows: dict[str, int]
    # identities off by two display steps (the tolerance) from rounding alone, not injected:
    # 尾差调整 keeps clean documents within the tolerance, so never more than two
    rounding_drifts: list[dict] = field(default_factory=list)


@dataclass
class AnswerKey:
    seed: int
    departments: int
    years: int
    fault_rate: float
    documents: list[DocumentKey] = field(default_factory=list)
    injections: list[Injection] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"generator": "fiscal_dw.synth", "version": KEY_VERSION, "seed": self.seed,
                "departments": self.departments, "years": self.years,
                "fault_rate": self.fault_rate,
                "documents": [dict(d.__dict__) for d in self.documents],
                "injections": [dict(i.__dict__) for i in self.injections]}

    @classmethod
    def from_json(cls, data: dict) -> AnswerKey:
        return cls(seed=data["seed"], departments=data["departments"], years=data["years"],
                   fault_rate=data["fault_rate"],
                   documents=[DocumentKey(**d) for d in data["documents"]],
                   injections=[Injection(**i) for i in data["injections"]])

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> AnswerKey:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def faults(self, family: str | None = None) -> list[Injection]:
        return [i for i in self.injections if i.severity == FAULT
                and (family is None or i.rule_family == family)]


# =========================================================================== numbers


def wan(yuan: int) -> int:
    """元 → hundredths of 万元, rounded half-up (yuan ≥ 0)."""
    return (yuan + 50) // 100


def fmt(cents: int, separators: bool = True) -> str:
    # cents / 100 is within 1e-12 of the decimal value for any amount printed here, far
    # from a rounding boundary of the 2-decimal format, so this is exact (and fast)
    return f"{cents / 100:,.2f}" if separators else f"{cents / 100:.2f}"


def fmt_short(cents: int, separators: bool = True) -> str:
    """As prose prints it: trailing zeros dropped ('377.5', '151')."""
    text = fmt(cents, separators)
    return text.rstrip("0").rstrip(".") if "." in text else text


def ratio_hundredths(numerator: int, denominator: int) -> int | None:
    """numerator / denominator as a percentage in hundredths, rounded half-up."""
    if denominator == 0:
        return None
    sign = -1 if (numerator < 0) != (denominator < 0) and numerator != 0 else 1
    n, d = abs(numerator), abs(denominator)
    return sign * ((n * 20000 + d) // (2 * d))


def fmt_pct(hundredths: int, keep_zeros: bool = False, decimals: int = 2) -> str:
    if decimals == 1:
        tenths = (abs(hundredths) + 5) // 10
        text = f"{tenths // 10}.{tenths % 10}"
    else:
        text = f"{abs(hundredths) // 100}.{abs(hundredths) % 100:02d}"
    if not keep_zeros:
        text = text.rstrip("0").rstrip(".")
    return ("-" if hundredths < 0 else "") + text


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """Integer parts of `total` proportional to `weights`, summing exactly to `total`."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    parts = [int(total * w / weight_sum) for w in weights]
    parts[max(range(len(weights)), key=lambda i: weights[i])] += total - sum(parts)
    return parts


def _transpose_digits(cents: int, rng: random.Random) -> int | None:
    """A digit transposition typo (1,234.56 → 1,243.56), or None when none changes the value."""
    digits = list(str(abs(cents)).rjust(3, "0"))
    pairs = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1]]
    if not pairs:
        return None
    i = rng.choice(pairs)
    digits[i], digits[i + 1] = digits[i + 1], digits[i]
    return int("".join(digits))


# =========================================================================== department


SUBJECTS = FUNCTION_SUBJECTS


@dataclass
class Department:
    index: int
    name: str
    sector: Sector
    layout: str
    staff: int
    per_capita: int               # 元 per staff and year
    public_ratio: float
    project_ratio: float
    admin_share: float            # bureau's share of basic vs affiliated institutions
    institutions: tuple[str, ...]
    project_leaves: list[str]
    gov_fund_leaves: list[str]
    other_income: str             # '', 'business' (事业收入) or 'other' (其他收入)
    carryover: bool
    retirees: bool
    vehicles: int
    overseas: bool
    item_weights: dict[str, float]
    self_evaluation: bool = False  # prints 项目支出绩效自评表 in 第五部分 (tab layout, like Jinan)


def sector_of(index: int, seed: int) -> Sector:
    """Sectors dealt in a seeded order, so that a small corpus still mixes kinds of department."""
    order = list(range(len(SECTORS)))
    random.Random(f"{seed}:sectors").shuffle(order)
    return SECTORS[order[index % len(SECTORS)]]


def department_name(index: int, seed: int) -> str:
    cities, sectors = len(CITY_NAMES), len(SECTORS)
    sector = sector_of(index, seed)
    block, city = divmod(index // sectors, cities)
    district = "" if block == 0 else DISTRICT_NAMES[(block - 1) % len(DISTRICT_NAMES)]
    suffix = "" if block <= len(DISTRICT_NAMES) else str((block - 1) // len(DISTRICT_NAMES) + 1)
    return f"{CITY_NAMES[city]}{district}{suffix}{sector.name}"


_PERSONNEL_ITEMS = {  # code: (probability, weight)
    "30101": (1.0, 0.16), "30102": (1.0, 0.22), "30103": (0.85, 0.08), "30106": (0.2, 0.01),
    "30107": (0.7, 0.10), "30108": (1.0, 0.10), "30109": (0.95, 0.05), "30110": (1.0, 0.055),
    "30111": (0.5, 0.012), "30112": (0.8, 0.006), "30113": (1.0, 0.085), "30114": (0.15, 0.01),
    "30199": (0.5, 0.03),
}
_RETIREE_ITEMS = {"30301": (0.1, 0.004), "30302": (1.0, 0.06), "30305": (0.15, 0.004),
                  "30307": (0.35, 0.006), "30309": (0.1, 0.003), "30399": (0.1, 0.002)}
_PUBLIC_ITEMS = {
    "30201": (0.9, 0.08), "30202": (0.4, 0.02), "30203": (0.15, 0.02), "30204": (0.2, 0.002),
    "30205": (0.6, 0.01), "30206": (0.6, 0.04), "30207": (0.7, 0.03), "30208": (0.3, 0.03),
    "30209": (0.6, 0.10), "30211": (0.9, 0.06), "30213": (0.5, 0.04), "30214": (0.2, 0.05),
    "30215": (0.4, 0.02), "30216": (0.5, 0.02), "30218": (0.15, 0.03), "30226": (0.4, 0.04),
    "30227": (0.3, 0.06), "30228": (0.9, 0.12), "30229": (0.7, 0.07), "30239": (0.7, 0.20),
    "30240": (0.1, 0.005), "30299": (0.8, 0.10), "31002": (0.5, 0.04), "31003": (0.15, 0.05),
    "31007": (0.2, 0.05), "39999": (0.05, 0.02),
}


def make_department(index: int, seed: int) -> Department:
    rng = random.Random(f"{seed}:department:{index}")
    sector = sector_of(index, seed)
    institutions = tuple(c for c in sector.institutions if rng.random() < 0.8)
    projects = list(sector.projects)
    rng.shuffle(projects)
    project_leaves = sorted(projects[: rng.randint(2, min(len(projects), 6))])
    gov_fund = list(sector.gov_fund)
    rng.shuffle(gov_fund)
    gov_fund_leaves = sorted(gov_fund[: rng.randint(1, 2)]) if gov_fund and rng.random() < 0.7 else []
    weights: dict[str, float] = {}
    for table in (_PERSONNEL_ITEMS, _RETIREE_ITEMS, _PUBLIC_ITEMS):
        for code, (probability, weight) in table.items():
            if rng.random() < probability:
                weights[code] = weight * rng.uniform(0.6, 1.4)
    if not institutions:
        weights.pop("30107", None)
    staff = int(10 ** rng.uniform(1.2, 2.6))
    return Department(
        index=index, name=department_name(index, seed), sector=sector,
        layout=("tab", "space")[(index + seed) % 2],
        staff=staff, per_capita=rng.randint(140_000, 320_000),
        public_ratio=rng.uniform(0.04, 0.14), project_ratio=10 ** rng.uniform(-0.7, 0.8),
        admin_share=rng.uniform(0.35, 0.8) if institutions else 1.0,
        institutions=institutions, project_leaves=project_leaves,
        gov_fund_leaves=gov_fund_leaves,
        other_income=rng.choice(("", "", "", "business" if institutions else "other", "other")),
        carryover=rng.random() < 0.35, retirees=rng.random() < 0.8,
        vehicles=rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4)), overseas=rng.random() < 0.1,
        item_weights=weights, self_evaluation=(index + seed) % 2 == 0 and rng.random() < 0.5)


# =========================================================================== one year's money


@dataclass
class Leaf:
    """Money of one 项 in 元."""

    code: str
    gb_basic: int = 0
    gb_project: int = 0
    gf_project: int = 0
    oth_basic: int = 0
    oth_project: int = 0
    inc_oth: int = 0
    cb_gb: int = 0
    ce_gb: int = 0
    cb_gf: int = 0
    ce_gf: int = 0
    budget: int = 0  # 年初预算 (general budget)

    @property
    def gb(self) -> int:
        return self.gb_basic + self.gb_project

    @property
    def expenditure(self) -> int:
        return self.gb + self.gf_project + self.oth_basic + self.oth_project

    @property
    def inc_gb(self) -> int:
        return self.gb - self.cb_gb + self.ce_gb

    @property
    def inc_gf(self) -> int:
        return self.gf_project - self.cb_gf + self.ce_gf

    @property
    def ce_oth(self) -> int:
        return self.inc_oth - self.oth_basic - self.oth_project


@dataclass
class YearMoney:
    leaves: dict[str, Leaf]
    economic: dict[str, int]          # 5-digit item → 元
    three_public_budget: dict[str, int]
    three_public_actual: dict[str, int]
    other_income_kind: str
    vehicles: int
    reception_batches: int
    reception_persons: int
    overseas_groups: int
    overseas_persons: int
    purchased_vehicles: int
    operating_cost: int
    operating_budget: int
    procurement: tuple[int, int, int, int, float, float]


Carried = dict[str, tuple[int, int]]  # 项 → 年末结转 (general budget, government fund) in 元


def carried_out(money: YearMoney) -> Carried:
    """The appropriation money each 项 carries into the next year."""
    return {code: (m.ce_gb, m.ce_gf) for code, m in money.leaves.items() if m.ce_gb or m.ce_gf}


def make_year(dept: Department, year_index: int, rng: random.Random,
              carried: Carried | None = None) -> YearMoney:
    """One year's money in 元; `carried`: last year's 年末结转 per 项 (None: the first year)."""
    growth = rng.uniform(0.88, 1.18) ** year_index
    staff = max(5, round(dept.staff * rng.uniform(0.95, 1.05) * (1 + 0.02 * year_index)))
    personnel = int(staff * dept.per_capita * rng.uniform(0.97, 1.06) * (1.03 ** year_index))
    public = int(personnel * dept.public_ratio * rng.uniform(0.85, 1.15))

    # 三公 (basic expenditure share), in 元
    actual = {"overseas_travel": 0, "vehicle_purchase": 0, "vehicle_operation": 0,
              "official_reception": 0}
    if dept.overseas and rng.random() < 0.6:
        actual["overseas_travel"] = rng.randint(15_000, 160_000)
    vehicles = max(0, dept.vehicles + rng.choice((0, 0, 0, -1, 1)))
    purchased = 1 if vehicles and rng.random() < 0.07 else 0
    if purchased:
        actual["vehicle_purchase"] = rng.randint(140_000, 280_000)
    if vehicles:
        actual["vehicle_operation"] = vehicles * rng.randint(6_000, 32_000) + rng.randint(0, 999)
    if rng.random() < 0.85:
        actual["official_reception"] = int(min(staff, 150) * rng.uniform(150, 900))
    budget = {}
    for item, amount in actual.items():
        if amount == 0:
            budget[item] = rng.choice((0, 0, 0, 10_000 * rng.randint(1, 5))) if item != "vehicle_purchase" else 0
        elif rng.random() < 0.3:
            budget[item] = amount  # spent exactly the budget (完成 100%)
        else:
            budget[item] = max(1_000, int(round(amount / rng.uniform(0.55, 1.12), -3)))
    three_public_total = sum(actual.values())
    public = max(public, 3 * three_public_total + 50_000)

    economic: dict[str, int] = {}
    personnel_codes = [c for c in _PERSONNEL_ITEMS if c in dept.item_weights]
    retiree_codes = [c for c in _RETIREE_ITEMS if c in dept.item_weights] if dept.retirees else []
    public_codes = [c for c in _PUBLIC_ITEMS if c in dept.item_weights]
    jitter = [dept.item_weights[c] * rng.uniform(0.85, 1.15) for c in personnel_codes + retiree_codes]
    for code, amount in zip(personnel_codes + retiree_codes, _split(personnel, jitter)):
        economic[code] = amount
    for item, code in THREE_PUBLIC_CODES.items():
        if actual[item]:
            economic[code] = actual[item]
    rest = public - three_public_total
    jitter = [dept.item_weights[c] * rng.uniform(0.7, 1.3) for c in public_codes]
    for code, amount in zip(public_codes, _split(rest, jitter)):
        economic[code] = amount
    economic = {code: amount for code, amount in economic.items() if amount > 0}

    # functional 项: basic expenditure mirrors the economic items it pays for
    leaves: dict[str, Leaf] = {}

    def leaf(code: str) -> Leaf:
        return leaves.setdefault(code, Leaf(code))

    admin = dept.sector.admin
    institutions = dept.institutions
    share = dept.admin_share
    basic_total = sum(economic.values())
    mapped = 0
    for code, target in (("30108", "2080505"), ("30109", "2080506"), ("30113", "2210201")):
        if economic.get(code):
            leaf(target).gb_basic += economic[code]
            mapped += economic[code]
    medical = economic.get("30110", 0) + economic.get("30111", 0)
    retirement = sum(economic.get(c, 0) for c in _RETIREE_ITEMS)
    for amount, admin_code, inst_code in ((medical, "2101101", "2101102"),
                                          (retirement, "2080501", "2080502")):
        if amount:
            admin_part = int(amount * share) if institutions else amount
            if admin_part:
                leaf(admin_code).gb_basic += admin_part
            if amount - admin_part:
                leaf(inst_code).gb_basic += amount - admin_part
            mapped += amount
    remaining = basic_total - mapped
    admin_part = int(remaining * share)
    leaf(admin).gb_basic += admin_part
    if institutions:
        for code, amount in zip(institutions, _split(remaining - admin_part,
                                                     [rng.uniform(0.5, 1.5) for _ in institutions])):
            if amount:
                leaf(code).gb_basic += amount

    # project expenditure
    project_total = int(basic_total * dept.project_ratio * growth * rng.uniform(0.85, 1.15))
    targets = [c for c in dept.project_leaves if rng.random() < 0.9] or dept.project_leaves[:1]
    if rng.random() < 0.3:
        targets.append(rng.choice((admin, *institutions)))
    weights = [rng.paretovariate(1.2) for _ in targets]
    for code, amount in zip(targets, _split(project_total, weights)):
        if amount:
            leaf(code).gb_project += amount
    if dept.gov_fund_leaves:
        gov_total = int(project_total * rng.uniform(0.1, 0.9))
        for code, amount in zip(dept.gov_fund_leaves,
                                _split(gov_total, [rng.uniform(0.5, 1.5) for _ in dept.gov_fund_leaves])):
            if amount:
                leaf(code).gf_project += amount

    # non-appropriation income (事业收入 / 其他收入), spent on the bureau's or an institution's 项
    kind = dept.other_income if rng.random() < 0.85 else ""
    if kind:
        code = institutions[0] if kind == "business" and institutions else admin
        income = max(100, int((basic_total + project_total) * 10 ** rng.uniform(-4, -1.3)))
        spent = income if rng.random() < 0.5 else int(income * rng.uniform(0.5, 0.98))
        basic_part = int(spent * rng.uniform(0, 0.3)) if rng.random() < 0.4 else 0
        target = leaf(code)
        target.inc_oth += income
        target.oth_basic += basic_part
        target.oth_project += spent - basic_part

    # carry-overs of appropriation money (年初 / 年末 结转和结余). After the first year a 项
    # carries in what it carried out of the year before, as a series of documents does (the
    # prose's changes on the prior year then agree with this year's 年初结转)
    if dept.carryover:
        for code, (ce_gb, ce_gf) in (carried or {}).items():
            item = leaf(code)
            item.cb_gb, item.cb_gf = ce_gb, ce_gf
        for item in leaves.values():
            if item.gb_project and rng.random() < 0.5:
                if carried is None:
                    item.cb_gb = int(item.gb_project * rng.uniform(0, 0.25))
                if rng.random() < 0.6:
                    item.ce_gb = int(item.gb_project * rng.uniform(0, 0.2))
            if item.gf_project and rng.random() < 0.5:
                if carried is None:
                    item.cb_gf = int(item.gf_project * rng.uniform(0, 0.3))
                item.ce_gf = int(item.gf_project * rng.uniform(0, 0.3))
            # what is carried in and not spent is carried on (income is never negative)
            item.ce_gb = max(item.ce_gb, item.cb_gb - item.gb)
            item.ce_gf = max(item.ce_gf, item.cb_gf - item.gf_project)

    # 年初预算 per 项 (general budget), for the narrative
    for item in leaves.values():
        if item.gb == 0:
            continue
        kind_of = SUBJECTS[item.code].kind
        if kind_of == "project" and rng.random() < 0.2:
            item.budget = 0  # 年初无预算
        else:
            spread = (0.9, 1.12) if kind_of != "project" else (0.6, 1.45)
            item.budget = int(round(item.gb * rng.uniform(*spread), -2))

    operating_cost = int(public * rng.uniform(0.55, 0.9))
    operating_budget = int(operating_cost * rng.uniform(0.9, 1.15))
    goods = int(public * rng.uniform(0.01, 0.2))
    works = int(project_total * rng.uniform(0, 0.1)) if rng.random() < 0.3 else 0
    services = int(project_total * rng.uniform(0.1, 0.8))
    procurement = (goods, works, services, int((goods + works + services) * rng.uniform(0.05, 0.9)),
                   rng.uniform(0, 1), rng.uniform(0, 1))
    return YearMoney(
        leaves=leaves, economic=economic, three_public_budget=budget, three_public_actual=actual,
        other_income_kind=kind, vehicles=vehicles,
        reception_batches=rng.randint(3, 40) if actual["official_reception"] else 0,
        reception_persons=0, overseas_groups=rng.randint(1, 3) if actual["overseas_travel"] else 0,
        overseas_persons=0, purchased_vehicles=purchased,
        operating_cost=operating_cost, operating_budget=operating_budget, procurement=procurement)


# =========================================================================== printed tables


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

    def copy(self) -> Printed:
        return Printed(
            code_tables={t: {c: list(v) for c, v in rows.items()} for t, rows in self.code_tables.items()},
            economic=dict(self.economic), economic_totals=dict(self.economic_totals),
            three_public={p: dict(v) for p, v in self.three_public.items()},
            summary01=dict(self.summary01), summary04={k: list(v) for k, v in self.summary04.items()},
            class_rows=dict(self.class_rows), class_rows04={k: list(v) for k, v in self.class_rows04.items()})


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


# =========================================================================== 尾差调整

TOLERANCE = 2  # the reconciliation rules' tolerance, 0.02 万元, in hundredths of 万元
_THREE_PUBLIC_ECONOMIC = frozenset(THREE_PUBLIC_CODES.values())


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def foot_economic(economic: dict[str, int], totals: dict[str, int]) -> None:
    """尾差调整 of 公开06, in place: a class or 经费合计 over many separately rounded items
    (up to 20) can miss their printed sum by 0.03 or more, which publishers do not print.
    Where a class misses its items by more than the tolerance, its largest item absorbs the
    difference; where a 经费合计 still misses its items, items of classes leaning the same way
    absorb one step each (each class stays within the tolerance). Classes and totals keep
    their values, so 公开05 vs 公开06 is untouched; 三公 items (30212 …) are never the ones
    adjusted, since 公开09 prints them too."""
    def adjustable(items: Sequence[tuple[str, str]]) -> list[str]:
        codes = [code for code, _ in items if economic[code] and code not in _THREE_PUBLIC_ECONOMIC]
        return sorted(codes, key=lambda code: (-economic[code], code))

    drift: dict[str, int] = {}
    for class_code, _, items in ECONOMIC_CLASSES:
        drift[class_code] = economic[class_code] - sum(economic[code] for code, _ in items)
        candidates = adjustable(items)
        if abs(drift[class_code]) > TOLERANCE and candidates:
            economic[candidates[0]] += drift[class_code]
            drift[class_code] = 0
    for category, total in totals.items():
        classes = [(c, items) for c, _, items in ECONOMIC_CLASSES
                   if (c in PERSONNEL_CLASSES) == (category == "personnel")]
        off = total - sum(economic[code] for _, items in classes for code, _ in items)
        while abs(off) > TOLERANCE:
            step = _sign(off)
            leaning = [(c, adjustable(items)) for c, items in classes if _sign(drift[c]) == step]
            leaning = [(c, codes) for c, codes in leaning if codes]
            if not leaning:
                break  # nothing left that keeps its class within the tolerance (never seen)
            class_code, codes = max(leaning, key=lambda pair: abs(drift[pair[0]]))
            economic[codes[0]] += step
            drift[class_code] -= step
            off -= step


# =========================================================================== identities


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
        classes = [c for c, _, _ in ECONOMIC_CLASSES if (c in PERSONNEL_CLASSES) == (category == "personnel")]
        items = [code for c, _, its in ECONOMIC_CLASSES if c in classes for code, _ in its]
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
    """A year's money and its printed tables, every identity within the tolerance. 公开06 is
    footed by 尾差调整 (print_year); in the code tables a cell is printed in up to five tables
    and its row must foot too, so there the rare drift (a 款 over up to eight 项: about one
    document in 50,000) is not patched cell by cell: the year's amounts are drawn again."""
    for _ in range(MAX_REDRAWS):
        money = make_year(dept, year_index, rng, carried)
        printed = print_year(money)
        if all(abs(identity.difference) <= TOLERANCE for identity in identities(printed)):
            break
    return money, printed


def find_identity(found: Iterable[Identity], rule_id: str, scope: Sequence[str]) -> Identity | None:
    wanted = set(scope)
    return next((i for i in found if i.rule_id == rule_id and wanted <= set(i.scope)), None)


# =========================================================================== injections


MIN_FAULT = 5  # a fault leaves its identity off by at least 0.05 万元


def _fault_value(before: int, drift: int, rng: random.Random) -> int:
    """A wrong printed value for a cell whose identity is off by `drift` from rounding alone."""
    for _ in range(20):
        style = rng.random()
        if style < 0.35:
            after = _transpose_digits(before, rng)
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


def _base(kind: str, severity: str, rule_family: str, rule_id: str | None, table: str,
          scope: Sequence[str], description: str, **extra) -> Injection:
    return Injection(file="", department="", fiscal_year=0, kind=kind, severity=severity,
                     rule_family=rule_family, rule_id=rule_id, table=table, scope=list(scope),
                     description=description, **extra)


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
    return _base("function_parent_off", FAULT, "hierarchy", "hier_function_parent_children", table,
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
    return _base("row_total_off", FAULT, "row_total", "row_expenditure_components", table,
                 (table, code), f"{table} {name}: 合计 column ≠ 基本支出 + 项目支出",
                 printed_before=fmt(before), printed_after=fmt(after),
                 difference=fmt(drift + after - before), also_rules=also, also_families=["narrative"])


def inject_basic_05_vs_06(p: Printed, rng: random.Random) -> Injection | None:
    items = [code for _, _, its in ECONOMIC_CLASSES for code, _ in its
             if code not in _THREE_PUBLIC_ECONOMIC and p.economic[code]]
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
    return _base("basic_05_vs_06", FAULT, "cross_table", "cross_05_basic_06_totals", "公开06",
                 ("公开05", "公开06", "basic"),
                 f"公开06 computed on another basis: {code} off by {fmt(delta)} with its class and "
                 f"{'人员' if category == 'personnel' else '公用'}经费合计 (table consistent in itself)",
                 printed_before=fmt(before), printed_after=fmt(after), difference=fmt(drift - delta),
                 also_families=["narrative"])


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
    return _base("three_public_subtotal_off", FAULT, "three_public", rule, "公开09", ("公开09", phase),
                 f"公开09 {'预算数' if phase == 'budget' else '决算数'} {label} off its items",
                 printed_before=fmt(before), printed_after=fmt(after),
                 difference=fmt(drift + after - before), also_rules=also, also_families=["narrative"])


def _best_adjustment(p: Printed, apply, affected) -> int | None:
    """The ±0.01 adjustment keeping every affected identity within two display steps, if any."""
    best: tuple[int, int] | None = None
    for sign in (1, -1):
        trial = p.copy()
        if not apply(trial, sign):
            continue
        worst = max(abs(d) for d in affected(trial))
        if worst <= 2 and (best is None or worst < best[1]):
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

        def affected(trial: Printed, code=code, column=column, kids=kids) -> list[int]:
            t = trial.code_tables[number]
            diffs = [t[code[:5]][column] - sum(t[k][column] for k in kids), t[code][0] - sum(t[code][1:])]
            if code in other and other[code][:3] == rows[code][:3]:
                diffs.append(t[code][column] - other[code][column])
            return diffs

        sign = _best_adjustment(p, apply, affected)
        if sign is None:
            continue
        before = rows[code][column]
        rows[code][column] += sign
        column_name = CODE_TABLE_COLUMNS[number][column]
        return _base("rounding_function_child", ROUNDING, "hierarchy", "hier_function_parent_children",
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
        classes = [c for c, _, _ in ECONOMIC_CLASSES if (c in PERSONNEL_CLASSES) == (category == "personnel")]
        items = [code for c, _, its in ECONOMIC_CLASSES if c in classes for code, _ in its]
        if p.economic_totals[category] != sum(p.economic[c] for c in classes):
            continue

        def apply(trial: Printed, sign: int, category=category) -> bool:
            trial.economic_totals[category] += sign
            return True

        def affected(trial: Printed, classes=classes, items=items, category=category) -> list[int]:
            total = trial.economic_totals[category]
            return [total - sum(trial.economic[c] for c in classes),
                    total - sum(trial.economic[c] for c in items),
                    trial.code_tables[5][TOTAL_KEY][1] - sum(trial.economic_totals.values())]

        sign = _best_adjustment(p, apply, affected)
        if sign is None:
            continue
        before = p.economic_totals[category]
        p.economic_totals[category] += sign
        label = "人员经费合计" if category == "personnel" else "公用经费合计"
        return _base("rounding_economic_total", ROUNDING, "economic_total",
                     f"econ_{category}_total_classes", "公开06", ("公开06", category, "classes"),
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
        return _base("rounding_three_public", ROUNDING, "three_public", "three_public_total_items",
                     "公开09", ("公开09", phase),
                     f"公开09 {'预算数' if phase == 'budget' else '决算数'} 合计 adjusted by {fmt(sign)} (尾数调整)",
                     printed_before=fmt(before), printed_after=fmt(before + sign), difference=fmt(sign))
    return None


TABLE_INJECTORS = {
    "function_parent_off": inject_function_parent_off,
    "row_total_off": inject_row_total_off,
    "basic_05_vs_06": inject_basic_05_vs_06,
    "three_public_subtotal_off": inject_three_public_subtotal_off,
    "rounding_function_child": inject_rounding_function_child,
    "rounding_economic_total": inject_rounding_economic_total,
    "rounding_three_public": inject_rounding_three_public,
}


# =========================================================================== narrative


@dataclass
class LeafFact:
    code: str
    budget: int
    actual: int
    rate: int | None  # hundredths of a percent; None: 年初无预算


@dataclass
class Facts:
    """What the prose restates, in hundredths of 万元 (rates and shares in hundredths of %)."""

    year: int
    grand_total: int
    prev_grand_total: int
    income_total: int
    income_sources: list[tuple[str, int]]
    expenditure_total: int
    basic: int
    project: int
    basic_share: int
    project_share: int
    fiscal_grand_total: int
    prev_fiscal_grand_total: int
    general_budget_total: int
    general_budget_share: int
    prev_general_budget_total: int
    classes: list[tuple[str, int, int]]       # code, amount, share
    budget_total: int
    budget_rate: int | None
    leaves: list[LeafFact]
    basic_05: int
    personnel: int
    public: int
    gov_fund_total: int
    gov_fund_leaves: list[str]
    three_public: dict[str, dict[str, int]]
    three_public_rates: dict[str, int | None]
    counts: dict[str, int]
    operating_cost: int
    operating_budget: int
    procurement: tuple[int, int, int, int, int, int]
    projects: list[Project] = field(default_factory=list)


def make_facts(year: int, p: Printed, money: YearMoney, previous: Facts | None,
               rng: random.Random) -> Facts:
    t03, t05 = p.code_tables[3], p.code_tables[5]
    s01, s04 = p.summary01, p.summary04
    expenditure_total, basic, project = t03[TOTAL_KEY][0], t03[TOTAL_KEY][1], t03[TOTAL_KEY][2]
    income_total = s01["income_total"]
    sources = [("财政拨款收入", p.code_tables[2][TOTAL_KEY][1])]
    if s01["business"]:
        sources.append(("事业收入", s01["business"]))
    if s01["other"]:
        sources.append(("其他收入", s01["other"]))
    gb_total = t05[TOTAL_KEY][0]
    classes = [(c, v[0], ratio_hundredths(v[0], gb_total) or 0) for c, v in t05.items() if len(c) == 3]
    leaves = []
    budget_yuan = 0
    for code, values in t05.items():
        if len(code) != 7:
            continue
        budget = wan(money.leaves[code].budget)
        budget_yuan += money.leaves[code].budget
        leaves.append(LeafFact(code, budget, values[0], ratio_hundredths(values[0], budget) if budget else None))
    budget_total = wan(budget_yuan)

    # one growth rate for the department's first year: totals that are equal this year
    # (general budget = all fiscal money) were equal the year before too
    growth = rng.uniform(0.8, 1.25)

    def previous_or(value: int, attribute: str) -> int:
        if previous is not None:
            return getattr(previous, attribute)
        return max(1, int(value / growth))

    grand = s01["income_grand"]
    fiscal_grand = s04["income_grand"][0]
    prev_general_budget = previous_or(gb_total, "general_budget_total")
    if previous is None and gb_total == fiscal_grand:
        # the year before spent all of its appropriation through the general budget too, and
        # carried out what this year carries in: its 收、支总计 held that carry-out
        prev_fiscal_grand = prev_general_budget + s04["carryover_begin"][0]
    else:
        prev_fiscal_grand = previous_or(fiscal_grand, "fiscal_grand_total")
    tp = p.three_public
    rates = {item: ratio_hundredths(tp["actual"][item], tp["budget"][item]) if tp["budget"][item] else None
             for item in THREE_PUBLIC_ITEMS}
    goods, works, services, sme, goods_share, services_share = money.procurement
    procurement_total = wan(goods) + wan(works) + wan(services)
    counts = {"vehicles": money.vehicles, "purchased": money.purchased_vehicles,
              "batches": money.reception_batches,
              "persons": money.reception_batches * rng.randint(3, 9),
              "groups": money.overseas_groups, "group_persons": money.overseas_groups * rng.randint(2, 6),
              "equipment": rng.choice((0, 0, 0, 1, 2, 5)), "projects": len(leaves)}
    return Facts(
        year=year, grand_total=grand, prev_grand_total=previous_or(grand, "grand_total"),
        income_total=income_total, income_sources=sources,
        expenditure_total=expenditure_total, basic=basic, project=project,
        basic_share=ratio_hundredths(basic, expenditure_total) or 0,
        project_share=ratio_hundredths(project, expenditure_total) or 0,
        fiscal_grand_total=fiscal_grand,
        prev_fiscal_grand_total=prev_fiscal_grand,
        general_budget_total=gb_total, general_budget_share=ratio_hundredths(gb_total, expenditure_total) or 0,
        prev_general_budget_total=prev_general_budget,
        classes=classes, budget_total=budget_total,
        budget_rate=ratio_hundredths(gb_total, budget_total) if budget_total else None,
        leaves=leaves, basic_05=t05[TOTAL_KEY][1], personnel=p.economic_totals["personnel"],
        public=p.economic_totals["public"], gov_fund_total=p.code_tables[7][TOTAL_KEY][2],
        gov_fund_leaves=[c for c in p.code_tables[7] if len(c) == 7],
        three_public={phase: dict(v) for phase, v in tp.items()}, three_public_rates=rates,
        counts=counts, operating_cost=wan(money.operating_cost),
        operating_budget=wan(money.operating_budget),
        procurement=(procurement_total, wan(goods), wan(works), wan(services), wan(sme),
                     int(goods_share * 10000)))


def _wrong_amount(value: int, rng: random.Random) -> int:
    for _ in range(20):
        if rng.random() < 0.5:
            wrong = _transpose_digits(value, rng)
        else:
            wrong = value + rng.choice((-1, 1)) * rng.randint(MIN_FAULT * 2, max(MIN_FAULT * 3, value // 10))
        if wrong is not None and wrong >= 0 and abs(wrong - value) >= MIN_FAULT * 2:
            return wrong
    return value + 1000


def _wrong_percent(value: int, rng: random.Random) -> int:
    for _ in range(20):
        if rng.random() < 0.5:
            wrong = _transpose_digits(value, rng)
        else:
            wrong = value + rng.choice((-1, 1)) * rng.randint(20, 600)
        if wrong is not None and wrong >= 0 and abs(wrong - value) >= 20:
            return wrong
    return value + 100


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
        return _base(kind, FAULT, "narrative", None, "情况说明", (metric,),
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
        return _base(kind, FAULT, "narrative", None, "情况说明", (metric,),
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
        return _base(kind, FAULT, "narrative", None, "情况说明", (f"function.{leaf.code}.completion_rate",),
                     f"情况说明 completion rate of {leaf.code} printed {fmt_pct(leaf.rate)}% "
                     f"instead of {fmt_pct(before)}%",
                     printed_before=fmt_pct(before, True), printed_after=fmt_pct(leaf.rate, True),
                     difference=fmt(leaf.rate - before))
    raise ValueError(kind)


_REASONS_UP = ("新增项目支出", "人员结构变化，人员经费增加", "业务工作量增加，相关支出增加",
               "年中追加专项资金", "信息化项目建设和运维支出增加")
_REASONS_DOWN = ("落实过紧日子要求，压减一般性支出", "部分项目已完工，支出减少",
                 "人员结构变化，人员经费减少", "项目数量减少，项目支出减少")


@dataclass
class Style:
    """How one document writes its prose."""

    layout: str
    space: str           # ' ' around numbers (tab exports) or ''
    separators: float    # probability of thousands separators in prose
    short: bool          # trailing zeros dropped
    item_mark: str       # '、' or '.'
    paren: tuple[str, str]
    comma: str
    keep_zeros: bool


def _num(value: int, style: Style, rng: random.Random) -> str:
    separators = rng.random() < style.separators
    return fmt_short(value, separators) if style.short else fmt(value, separators)


def narrative_paragraphs(facts: Facts, dept: str, style: Style, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, text) paragraphs of 第三部分; kind 'h' heading, 'p' prose, 'i' numbered item."""
    s, y = style.space, facts.year
    lp, rp = style.paren

    def n(value: int) -> str:
        return f"{s}{_num(value, style, rng)}{s}万元"

    def pct(value: int | None) -> str:
        return f"{s}{fmt_pct(value or 0, style.keep_zeros)}%"

    def change(current: int, previous: int, label: str) -> str:
        delta = current - previous
        rate = ratio_hundredths(abs(delta), previous) or 0
        if delta == 0:
            return f"与{s}{y - 1}{s}年度持平。"
        up = delta > 0
        return (f"与{s}{y - 1}{s}年度相比，{label}{'增加' if up else '减少'}{n(abs(delta))}，"
                f"{'增长' if up else '下降'}{pct(rate)}。主要原因是{rng.choice(_REASONS_UP if up else _REASONS_DOWN)}。")

    out: list[tuple[str, str]] = [("h", "第三部分"), ("h", f"{y}{s}年度部门决算情况说明")]
    out.append(("h", "一、收入支出决算总体情况说明"))
    out.append(("p", f"{y}{s}年度收、支总计均为{n(facts.grand_total)}。"
                     + change(facts.grand_total, facts.prev_grand_total, "收、支总计各")))
    out.append(("h", "二、收入决算情况说明"))
    parts = [f"{label}{n(amount)}，占{pct(ratio_hundredths(amount, facts.income_total))}"
             for label, amount in facts.income_sources]
    out.append(("p", f"{y}{s}年度收入合计{n(facts.income_total)}，其中：" + "；".join(parts) + "。"))
    out.append(("h", "三、支出决算情况说明"))
    out.append(("p", f"{y}{s}年度支出合计{n(facts.expenditure_total)}，其中：基本支出{n(facts.basic)}，"
                     f"占{pct(facts.basic_share)}；项目支出{n(facts.project)}，占{pct(facts.project_share)}。"))
    out.append(("h", "四、财政拨款收入支出决算总体情况说明"))
    out.append(("p", f"{y}{s}年度财政拨款收、支总计均为{n(facts.fiscal_grand_total)}。"
                     + change(facts.fiscal_grand_total, facts.prev_fiscal_grand_total, "财政拨款收、支总计各")))
    out.append(("h", "五、一般公共预算财政拨款支出决算情况说明"))
    out.append(("h", f"{lp}一{rp}一般公共预算财政拨款支出决算总体情况"))
    out.append(("p", f"{y}{s}年度一般公共预算财政拨款支出{n(facts.general_budget_total)}，占本年支出合计的"
                     f"{pct(facts.general_budget_share)}。"
                     + change(facts.general_budget_total, facts.prev_general_budget_total,
                              "一般公共预算财政拨款支出")))
    out.append(("h", f"{lp}二{rp}一般公共预算财政拨款支出决算结构情况"))
    structure = [f"{SUBJECTS[c].name.removesuffix('支出')}{lp}类{rp}支出{n(amount)}，占{pct(share)}"
                 for c, amount, share in facts.classes]
    out.append(("p", f"{y}{s}年度一般公共预算财政拨款支出{n(facts.general_budget_total)}，主要用于以下方面："
                     + "；".join(structure) + "。"))
    out.append(("h", f"{lp}三{rp}一般公共预算财政拨款支出决算具体情况"))
    if facts.budget_total:
        bigger = facts.general_budget_total >= facts.budget_total
        out.append(("p", f"{y}{s}年度一般公共预算财政拨款支出年初预算为{n(facts.budget_total)}，支出决算为"
                         f"{n(facts.general_budget_total)}，完成年初预算的{pct(facts.budget_rate)}。决算数"
                         f"{'大于' if bigger else '小于'}年初预算数的主要原因是"
                         f"{rng.choice(_REASONS_UP if bigger else _REASONS_DOWN)}。其中："))
    for number, leaf in enumerate(facts.leaves, start=1):
        path = (f"{SUBJECTS[leaf.code[:3]].name}{lp}类{rp}{SUBJECTS[leaf.code[:5]].name}{lp}款{rp}"
                f"{SUBJECTS[leaf.code].name}{lp}项{rp}")
        c = style.comma
        if leaf.rate is None:
            text = (f"{path}。年初预算为{s}0{s}万元{c}支出决算为{n(leaf.actual)}{c}年初无预算。"
                    f"决算数大于年初预算数的主要原因是年中追加资金{c}不在年初预算中。")
        else:
            bigger = leaf.actual >= leaf.budget
            text = (f"{path}。年初预算为{n(leaf.budget)}{c}支出决算为{n(leaf.actual)}{c}完成年初预算的"
                    f"{pct(leaf.rate)}。决算数{'大于' if bigger else '小于'}年初预算数的主要原因是"
                    f"{rng.choice(_REASONS_UP if bigger else _REASONS_DOWN)}。")
        out.append(("i", f"{number}{style.item_mark}{text}"))
    out.append(("h", "六、一般公共预算财政拨款基本支出决算情况说明"))
    out.append(("p", f"{y}{s}年度一般公共预算财政拨款基本支出决算{n(facts.basic_05)}，包括人员经费和公用经费，"
                     "支出具体情况如下："))
    out.append(("p", f"人员经费{n(facts.personnel)}，主要包括：基本工资、津贴补贴、奖金、机关事业单位基本养老保险缴费、"
                     "职业年金缴费、职工基本医疗保险缴费、住房公积金、退休费等。"))
    out.append(("p", f"公用经费{n(facts.public)}，主要包括：办公费、邮电费、差旅费、工会经费、福利费、"
                     "其他交通费用、其他商品和服务支出等。"))
    out.append(("h", "七、政府性基金预算财政拨款收入支出决算情况说明"))
    if facts.gov_fund_total:
        names = "、".join(SUBJECTS[c].name for c in facts.gov_fund_leaves)
        out.append(("p", f"{y}{s}年度政府性基金预算财政拨款支出{n(facts.gov_fund_total)}，主要用于{names}。"))
    else:
        out.append(("p", "本部门没有政府性基金财政拨款收支。"))
    out.append(("h", "八、国有资本经营预算财政拨款支出决算情况说明"))
    out.append(("p", "本部门没有国有资本经营预算财政拨款支出。"))
    out.extend(_three_public_paragraphs(facts, dept, style, n, pct))
    out.append(("h", "十、机关运行经费支出情况"))
    delta = facts.operating_cost - facts.operating_budget
    out.append(("p", f"{y}{s}年度机关运行经费支出{n(facts.operating_cost)}，比年初预算数"
                     f"{'增加' if delta > 0 else '减少'}{n(abs(delta))}，{'增长' if delta > 0 else '下降'}"
                     f"{pct(ratio_hundredths(abs(delta), facts.operating_budget))}。"))
    total, goods, works, services, sme, _ = facts.procurement
    out.append(("h", "十一、政府采购支出情况"))
    out.append(("p", f"{y}{s}年度政府采购支出总额{n(total)}，其中：政府采购货物支出{n(goods)}、政府采购工程支出"
                     f"{n(works)}、政府采购服务支出{n(services)}。授予中小企业合同金额{n(sme)}，占政府采购支出总额的"
                     f"{pct(ratio_hundredths(sme, total))}。"))
    out.append(("h", "十二、国有资产占用情况"))
    vehicles = facts.counts["vehicles"]
    out.append(("p", f"截至{s}{y}{s}年{s}12{s}月{s}31{s}日，本部门共有车辆{s}{vehicles}{s}辆，其中，机要通信用车"
                     f"{s}0{s}辆、应急保障用车{s}0{s}辆、其他用车{s}{vehicles}{s}辆；单价{s}100{s}万元（含）以上设备"
                     f"（不含车辆）{s}{facts.counts['equipment']}{s}台（套）。"))
    out.append(("h", "十三、预算绩效情况说明"))
    if not facts.projects:
        out.append(("p", f"{dept}按照预算绩效管理要求，组织对{s}{y}{s}年度部门预算项目开展绩效管理，"
                         "绩效目标执行情况总体良好。"))
        return out
    out.extend(_performance_paragraphs(facts, dept, style, rng))
    return out


def _three_public_paragraphs(facts: Facts, dept: str, style: Style, n, pct) -> list[tuple[str, str]]:
    s, y = style.space, facts.year
    lp, rp = style.paren
    tp, rates, counts = facts.three_public, facts.three_public_rates, facts.counts

    def budget_actual(label: str, item: str) -> str:
        budget, actual = tp["budget"][item], tp["actual"][item]
        text = f"{label}全年预算为{n(budget)}，支出决算为{n(actual)}"
        if budget == 0:
            return text + "，全年无预算。"
        return text + f"，完成全年预算的{pct(rates[item])}。"

    out = [("h", "九、财政拨款“三公”经费支出决算情况说明"),
           ("h", f"{lp}一{rp}“三公”经费支出决算总体情况说明"),
           ("p", budget_actual(f"{y}{s}年度财政拨款“三公”经费支出", "total")),
           ("h", f"{lp}二{rp}“三公”经费支出决算具体情况"),
           ("i", f"1{style.item_mark}" + budget_actual("因公出国（境）费", "overseas_travel")
            + f"全年支出涉及因公出国（境）团组{s}{counts['groups']}{s}个，累计{s}{counts['group_persons']}{s}人次。"),
           ("i", f"2{style.item_mark}" + budget_actual("公务用车购置及运行维护费", "vehicles") + "其中："),
           ("p", f"公务用车购置费支出{n(tp['actual']['vehicle_purchase'])}，{y}{s}年{dept}使用财政拨款购置公务用车"
                 f"{s}{counts['purchased']}{s}辆。"),
           ("p", f"公务用车运行维护费{n(tp['actual']['vehicle_operation'])}，主要是按规定保留的公务用车的燃料费、"
                 f"维修费、保险费等支出。截至{s}{y}{s}年{s}12{s}月{s}31{s}日，{dept}财政拨款开支运行维护费的"
                 f"公务用车保有量为{s}{counts['vehicles']}{s}辆。"),
           ("i", f"3{style.item_mark}" + budget_actual("公务接待费", "official_reception") + "其中："),
           ("p", f"国内接待费{n(tp['actual']['official_reception'])}，主要用于接待上级部门及兄弟单位考察调研等，共计接待"
                 f"{s}{counts['batches']}{s}批次、{counts['persons']}{s}人次（含外事接待{s}0{s}批次、0{s}人次）；"),
           ("p", f"国（境）外接待费{s}0{s}万元，共计接待{s}0{s}批次、0{s}人次。")]
    return out


# =========================================================================== rendering


TABLE_TITLES = {
    1: "收入支出决算总表", 2: "收入决算表", 3: "支出决算表", 4: "财政拨款收入支出决算总表",
    5: "一般公共预算财政拨款支出决算表", 6: "一般公共预算财政拨款基本支出决算明细表",
    7: "政府性基金预算财政拨款收入支出决算表", 8: "国有资本经营预算财政拨款支出决算表",
    9: "财政拨款“三公”经费支出决算表",
}
TABLE_NOTES = {
    1: "注：1. 本表反映部门本年度的总收支和年末结转结余情况。2. 本套报表金额单位转换时可能存在尾数误差。",
    2: "注：本表反映部门本年度取得的各项收入情况。",
    3: "注：本表反映部门本年度各项支出情况。",
    4: "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
    5: "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    6: "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    7: "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    8: "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
    9: "注：本表反映部门本年度财政拨款“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。",
}
EMPTY_TABLE_NOTES = {
    7: "本部门没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。",
    8: "本部门没有使用国有资本经营预算安排的支出，故本表无数据。",
}
INCOME_ITEMS01 = ("一、一般公共预算财政拨款收入", "二、政府性基金预算财政拨款收入", "三、国有资本经营预算财政拨款收入",
                  "四、上级补助收入", "五、事业收入", "六、经营收入", "七、附属单位上缴收入", "八、其他收入")
INCOME_ITEMS04 = ("一、一般公共预算财政拨款", "二、政府性基金预算财政拨款", "三、国有资本经营预算财政拨款")
_CN_ORDINALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
                "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五",
                "二十六")
CLASS_ITEMS = tuple(f"{_CN_ORDINALS[i]}、{name}" for i, (_, name) in enumerate(CLASS_LINES))

# Header blocks as exported. Tab layout (Jinan): cells by tab; the repeat after a page
# break may differ in letter spacing. Space layout (Qingdao): one header cell fragment per
# line where the PDF cell was narrow.
TAB_HEADERS = {
    1: ["收 入\t\t\t支 出\t\t", "项 目\t行次\t金 额\t项 目\t行次\t金 额", "栏 次\t\t1\t栏 次\t\t2"],
    2: ["项目\t\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入",
        "科目编码\t科目名称\t\t\t\t\t\t\t", "栏次\t\t1\t2\t3\t4\t5\t6\t7"],
    3: ["项目\t\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位 补助支出",
        "科目编码\t科目名称\t\t\t\t\t\t", "栏次\t\t1\t2\t3\t4\t5\t6"],
    4: ["收 入\t\t\t支 出\t\t\t\t\t",
        "项目\t行次\t金额\t项目\t行次\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款\t国有资本经营预算财政拨款",
        "栏次\t\t1\t栏次\t\t2\t3\t4\t5"],
    5: ["项 目\t\t本年支出\t\t", "科目编码\t科目名称\t小 计\t基本支出\t项目支出", "栏 次\t\t1\t2\t3"],
    6: ["人员经费\t\t\t公用经费\t\t\t\t\t",
        "科目编码\t科目名称\t金额\t科目编码\t科目名称\t金额\t科目编码\t科目名称\t金额"],
    7: ["项 目\t\t年初结转 和结余\t本年收入\t本年支出\t\t\t年末结转 和结余",
        "科目编码\t科目名称\t\t\t小 计\t基本支出\t项目支出\t", "栏 次\t\t1\t2\t3\t4\t5\t6"],
    8: ["项 目\t\t本年支出\t\t", "科目编码\t科目名称\t小 计\t基本支出\t项目支出", "栏 次\t\t1\t2\t3"],
    9: ["预 算 数\t\t\t\t\t\t决 算 数\t\t\t\t\t",
        "合计\t因公出国 (境) 费\t公务用车购置及运行维护费\t\t\t公务 接待费\t合计\t因公出国 (境) 费\t"
        "公务用车购置及运行维护费\t\t\t公务 接待费",
        "\t\t小计\t公务用车 购置费\t公务用车 运行维护 费\t\t\t\t小计\t公务用车 购置费\t公务用车 运行维护 费\t",
        "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12"],
}
SPACE_HEADERS = {
    1: ["收入 支出", "项目 行次 金额 项目 行次 金额", "栏次 1 栏次 2"],
    2: ["项目", "本年收入合计 财政拨款收入 上级补助收入 事业收入 经营收入 附属单位上缴收入 其他收入",
        "科目代码 科目名称", "栏次 1 2 3 4 5 6 7"],
    3: ["项目", "本年支出合计 基本支出 项目支出 上缴上级支出 经营支出 对附属单位补助支出",
        "科目代码 科目名称", "栏次 1 2 3 4 5 6"],
    4: ["收入 支出", "项目", "行", "次", "金额 项目", "行", "次", "合计", "一般公共预算财政拨", "款",
        "政府性基金预算财政拨", "款", "国有资本经营预算财政拨", "款", "栏次 1 栏次 2 3 4 5"],
    5: ["项目 本年支出", "科目代码 科目名称 小计 基本支出 项目支出", "栏次 1 2 3"],
    6: ["人员经费 公用经费", "科目代码 科目名称 金额 科目代码 科目名称 金额 科目代码 科目名称 金额"],
    7: ["项目", "年初结转和结余 本年收入", "本年支出", "年末结转和结余", "科目代码 科目名称 小计 基本支出 项目支出",
        "栏次 1 2 3 4 5 6"],
    8: ["项目 本年支出", "科目代码 科目名称 小计 基本支出 项目支出", "栏次 1 2 3"],
    9: ["预算数 决算数", "合计 因公出国（境）费", "公务用车购置及运行维护费", "公务接待费 合计 因公出国（境）费",
        "公务用车购置及运行维护费", "公务接待费", "小计 公务用车购置费 公务用车运行维护费 小计 公务用车购置费 公务用车运行维护费",
        "1 2 3 4 5 6 7 8 9 10 11 12"],
}


def _respace(line: str, rng: random.Random) -> str:
    """A reprinted header line with different letter spacing ('项目' ↔ '项 目', '栏次' ↔ '栏 次')."""
    for plain, spaced in (("项目", "项 目"), ("栏次", "栏 次"), ("合计", "合 计")):
        if rng.random() < 0.5:
            line = line.replace(spaced, plain) if spaced in line else line.replace(plain, spaced)
    return line


def _wrap_name(name: str, rng: random.Random, probability: float = 0.15) -> str:
    """A tab-export cell with a wrap space left inside ('…养老保险缴 费支出')."""
    if len(name) > 10 and rng.random() < probability:
        cut = rng.randint(len(name) - 4, len(name) - 1)
        return name[:cut] + " " + name[cut:]
    return name


class Writer:
    """Lines of a document, with the page breaks of the export."""

    def __init__(self, layout: str, rng: random.Random) -> None:
        self.layout = layout
        self.rng = rng
        self.lines: list[str] = []
        self.page_left = rng.randint(20, 30)

    def add(self, text: str = "") -> None:
        self.lines.append(text)

    def prose_line(self, text: str) -> None:
        """A non-blank line; in the space layout the first line of a page starts with a space."""
        if self.layout == "space":
            self.page_left -= 1
            if self.page_left <= 0:
                text = " " + text
                self.page_left = self.rng.randint(22, 30)
        self.lines.append(text)

    def new_page(self) -> None:
        self.page_left = 0


def _cells(values: Sequence[int], layout: str) -> list[str]:
    return [fmt(v) if v or layout == "space" else "" for v in values]


def _code_rows(p: Printed, number: int) -> list[tuple[str, str, list[int]]]:
    rows = p.code_tables[number]
    out = [("", TOTAL_KEY, rows[TOTAL_KEY])]
    out += [(code, SUBJECTS[code].name, rows[code]) for code in rows if code != TOTAL_KEY]
    return out


def _summary_rows(p: Printed, number: int) -> list[tuple[str, str, list[int] | None, str, str, list[int] | None]]:
    """(income item, 行次, amounts, expenditure item, 行次, amounts); None amounts = nothing printed."""
    rows = []
    if number == 1:
        s = p.summary01
        income = [s["income_gb"], s["income_gf"], 0, 0, s["business"], 0, 0, s["other"]]
        for i in range(26):
            item = INCOME_ITEMS01[i] if i < 8 else ""
            rows.append((item, str(i + 1), [income[i]] if i < 8 else None, CLASS_ITEMS[i],
                         str(SUMMARY01_CLASS_FIRST_LINE + i),
                         [p.class_rows.get(CLASS_LINES[i][0], 0)]))
        rows.append(("本年收入合计", "27", [s["income_total"]], "本年支出合计", "58", [s["expenditure_total"]]))
        rows.append(("使用非财政拨款结余（含专用结余）", "28", [s["non_fiscal_used"]], "结余分配", "59",
                     [s["distribution"]]))
        rows.append(("年初结转和结余", "29", [s["carryover_begin"]], "年末结转和结余", "60", [s["carryover_end"]]))
        rows.append(("", "30", None, "", "61", None))
        rows.append(("总计", "31", [s["income_grand"]], "总计", "62", [s["expenditure_grand"]]))
        return rows
    s4 = p.summary04
    income = [s4["income_gb"], s4["income_gf"], s4["income_sc"]]
    for i in range(26):
        rows.append((INCOME_ITEMS04[i] if i < 3 else "", str(i + 1), income[i] if i < 3 else None,
                     CLASS_ITEMS[i], str(SUMMARY04_CLASS_FIRST_LINE + i),
                     p.class_rows04.get(CLASS_LINES[i][0], [0, 0, 0, 0])))
    rows.append(("本年收入合计", "27", s4["income_total"], "本年支出合计", "59", s4["expenditure_total"]))
    rows.append(("年初财政拨款结转和结余", "28", s4["carryover_begin"], "年末财政拨款结转和结余", "60",
                 s4["carryover_end"]))
    for i, (label, key) in enumerate((("一般公共预算财政拨款", "carryover_begin_gb"),
                                      ("政府性基金预算财政拨款", "carryover_begin_gf"),
                                      ("国有资本经营预算财政拨款", "carryover_begin_sc"))):
        rows.append((label, str(29 + i), s4[key], "", str(61 + i), None))
    rows.append(("总计", "32", s4["income_grand"], "总计", "64", s4["expenditure_grand"]))
    return rows


def _economic_grid(p: Printed) -> list[list[tuple[str, str, int] | None]]:
    """34 rows × 3 groups: group 1 人员经费 (301, 303), 2 = 302, 3 = 307, 310, 312, 399."""
    groups: list[list[tuple[str, str, int]]] = [[], [], []]
    for class_code, class_name, items in ECONOMIC_CLASSES:
        target = 0 if class_code in PERSONNEL_CLASSES else (1 if class_code == "302" else 2)
        groups[target].append((class_code, class_name, p.economic[class_code]))
        groups[target].extend((code, name, p.economic[code]) for code, name in items)
    height = max(len(g) for g in groups)
    return [[g[i] if i < len(g) else None for g in groups] for i in range(height)]


def render_tab_table(w: Writer, number: int, p: Printed, dept: str, rng: random.Random,
                     gov_fund_empty: bool) -> None:
    title = TABLE_TITLES[number]
    w.add(title)
    w.add()
    if number == 1:
        w.add(f"公开 {number:02d} 表")
        w.add()
        w.add(f"部门：{dept}")
        w.add()
        w.add("金额单位：万元")
        w.add()
    else:
        w.add(f"部门：{dept}")
        w.add()
        w.add(f"公开 {number:02d} 表")
        w.add("金额单位：万元")
        w.add()
    header = TAB_HEADERS[number]
    body: list[str] = []
    if number in (1, 4):
        for inc_item, inc_no, inc_values, exp_item, exp_no, exp_values in _summary_rows(p, number):
            inc = [inc_item, inc_no, *(_cells(inc_values, "tab") if inc_values is not None else [""])]
            width = 1 if number == 1 else 4
            exp = [exp_item, exp_no, *(_cells(exp_values, "tab") if exp_values is not None else [""] * width)]
            body.append("\t".join(inc + exp))
    elif number == 6:
        for groups in _economic_grid(p):
            cells = []
            for group in groups:
                cells += ["", "", ""] if group is None else [group[0], _wrap_name(group[1], rng, 0.05),
                                                               fmt(group[2]) if group[2] else ""]
            body.append("\t".join(cells))
        totals = p.economic_totals
        body.append("\t".join(["人员经费合计", "", fmt(totals["personnel"]), "公用经费合计", "", "", "", "",
                               fmt(totals["public"])]))
    elif number == 9:
        cells = [fmt(p.three_public[phase][item]) if p.three_public[phase][item] else ""
                 for phase in ("budget", "actual") for item in THREE_PUBLIC_ITEMS]
        body.append("\t".join(cells))
    else:
        spaced_total = rng.random() < 0.5
        for code, name, values in _code_rows(p, number):
            label = ("合 计" if spaced_total else "合计") if not code else code
            body.append("\t".join([label, "" if not code else _wrap_name(name, rng), *_cells(values, "tab")]))
    w.lines.extend(header)
    capacity = rng.randint(10, 26) if number in (2, 3, 4, 5, 6) else 99
    for index, line in enumerate(body):
        if index and index % capacity == 0 and len(body) - index > 1:
            w.add()
            w.lines.extend(_respace(h, rng) for h in header)
        w.add(line)
    w.add()
    w.add(TABLE_NOTES[number] if not (number == 8 or (number == 7 and gov_fund_empty))
          else TABLE_NOTES[number][:2] + EMPTY_TABLE_NOTES[number])
    w.add()


def _space_tokens(parts: Sequence[tuple[str, bool]], width: int) -> list[list[str]]:
    """Physical lines of one printed row: a name longer than the column breaks the row, the
    name's fragments each on a line, the row going on after them (Qingdao's 30108 row)."""
    if not any(wrappable and len(text) > width for text, wrappable in parts):
        return [[text for text, _ in parts]]
    lines: list[list[str]] = [[]]
    for text, wrappable in parts:
        if wrappable and len(text) > width:
            if not lines[-1]:
                lines.pop()
            fragments = [text[i:i + width] for i in range(0, len(text), width)]
            for fragment in fragments:
                lines.append([fragment])
            lines.append([])
        else:
            lines[-1].append(text)
    return [line for line in lines if line]


def _emit_space_row(w: Writer, lines: list[list[str]], rng: random.Random) -> None:
    for i, tokens in enumerate(lines):
        text = " ".join(tokens)
        w.prose_line(text)
        # fragments of a wrapped cell are adjacent or one blank line apart
        last = i == len(lines) - 1
        if last or (len(tokens) == 1 and rng.random() < 0.5 and i + 1 < len(lines) - 1):
            w.add()


def render_space_table(w: Writer, number: int, p: Printed, dept: str, rng: random.Random,
                       gov_fund_empty: bool, widths: dict[str, int]) -> None:
    w.new_page()
    w.prose_line(f"金额单位：万元部门：{dept}")
    w.add()
    w.prose_line(TABLE_TITLES[number])
    w.add()
    w.prose_line(f"公开{number:02d}表")
    w.add()
    header = SPACE_HEADERS[number]

    def emit_header() -> None:
        for line in header:
            w.prose_line(line)
            if rng.random() < 0.7:
                w.add()

    rows: list[list[list[str]]] = []
    if number in (1, 4):
        width = widths["summary01"] if number == 1 else widths["summary04"]
        for inc_item, inc_no, inc_values, exp_item, exp_no, exp_values in _summary_rows(p, number):
            indent = "\u3000\u3000" if number == 4 and inc_no in ("29", "30", "31") else ""
            parts: list[tuple[str, bool]] = []
            if inc_item:
                parts.append((indent + inc_item, not indent))
            parts.append((inc_no, False))
            if inc_values is not None and (inc_item or number == 4):
                parts += [(v, False) for v in _cells(inc_values, "space")]
            if exp_item:
                parts.append((exp_item, True))
            parts.append((exp_no, False))
            if exp_values is not None:
                parts += [(v, False) for v in _cells(exp_values, "space")]
            rows.append(_space_tokens(parts, width))
    elif number == 6:
        for groups in _economic_grid(p):
            parts = []
            for group in groups:
                if group is not None:
                    parts += [(group[0], False), (group[1], True), (fmt(group[2]), False)]
            rows.append(_space_tokens(parts, widths["economic"]))
        totals = p.economic_totals
        rows.append([[f"人员经费合计 {fmt(totals['personnel'])} 公用经费合计 {fmt(totals['public'])}"]])
    elif number == 9:
        rows.append([[" ".join(fmt(p.three_public[phase][item]) for phase in ("budget", "actual")
                               for item in THREE_PUBLIC_ITEMS)]])
    else:
        for code, name, values in _code_rows(p, number):
            parts = [(TOTAL_KEY, False)] if not code else [(code, False), (name, True)]
            parts += [(v, False) for v in _cells(values, "space")]
            rows.append(_space_tokens(parts, widths["function"]))
    emit_header()
    repeat = rng.random() < 0.8
    capacity = rng.randint(8, 24)
    for index, lines in enumerate(rows):
        if index and index % capacity == 0 and number in (2, 3, 4, 5, 6) and len(rows) - index > 1:
            w.new_page()
            if repeat:
                emit_header()
        _emit_space_row(w, lines, rng)
    if number == 8 or (number == 7 and gov_fund_empty):
        w.prose_line(TABLE_NOTES[number].replace("注：", "注：1.", 1))
        w.prose_line("\u3000\u30002." + EMPTY_TABLE_NOTES[number])
    else:
        w.prose_line(TABLE_NOTES[number])
    w.add()


_WRAP_NUMBERS = re.compile(r"([0-9][0-9,.]*%?)")
_NO_LINE_START = frozenset("，。；：、）%”")


def _width(run: str) -> float:
    """Printed width: full-width characters 1, ASCII ½."""
    return len(run) - 0.5 * len(run.encode("ascii", "ignore"))


def hard_wrap(text: str, width: float) -> list[str]:
    """Fixed-width lines as a PDF export prints them (ASCII half width); a number is never
    split, its unit may be; closing punctuation never starts a line (kinsoku)."""
    lines: list[str] = []
    current, used = "", 0.0
    for index, part in enumerate(_WRAP_NUMBERS.split(text)):
        if not part:
            continue
        if index % 2:  # a number
            size = len(part) * 0.5
            if used + size > width and current:
                lines.append(current)
                current, used = "", 0.0
            current += part
            used += size
            continue
        while part:
            room = width - used
            size = _width(part)
            if size <= room:
                current += part
                used += size
                break
            cut = max(int(room), 0)
            while cut < len(part) and _width(part[:cut + 1]) <= room:
                cut += 1
            while cut < len(part) and part[cut] in _NO_LINE_START:
                cut += 1
            if cut == 0 and not current:
                cut = 1
            lines.append(current + part[:cut])
            current, used, part = "", 0.0, part[cut:]
    if current:
        lines.append(current)
    return [line for line in lines if line]


def render_narrative(w: Writer, paragraphs: list[tuple[str, str]], style: Style, rng: random.Random) -> None:
    if style.layout == "tab":
        for kind, text in paragraphs:
            if kind == "p" and "其中：基本支出" in text and rng.random() < 0.3:
                head, tail = text.split("其中：基本支出", 1)
                w.add(head + "其中：基本支出")
                w.add()
                w.add(tail.lstrip())
            else:
                w.add(text)
            w.add()
        return
    width = rng.uniform(26, 30)
    w.new_page()
    for kind, text in paragraphs:
        if kind == "h":
            w.prose_line(text)
            w.add()
            continue
        if kind == "i":
            text = "\u3000\u3000" + text
        for line in hard_wrap(text, width):
            w.prose_line(line)
            w.add()


def render_document(dept: Department, year: int, p: Printed, paragraphs: list[tuple[str, str]],
                    style: Style, rng: random.Random, projects: Sequence[Project] = ()) -> str:
    w = Writer(dept.layout, rng)
    name = dept.name
    gov_fund_empty = len(p.code_tables[7]) == 1
    if dept.layout == "tab":
        title = f"{name}部门决算"
        cut = len(title) - rng.randint(1, 3)
        w.lines += ["", "", f"{year} 年度", title[:cut], title[cut:], ""]
    else:
        w.lines += [f"{year}年度", "", f"{name}部门决算", ""]
    w.add("（本文件由 fiscal_dw.synth 生成，数据为虚构，仅供测试）")
    w.add()
    w.add("目 录")
    w.add()
    toc = ["第一部分 部门概况", "第二部分 部门决算表", *(f"{_CN_ORDINALS[i - 1]}、{TABLE_TITLES[i]}" for i in range(1, 10)),
           f"第三部分 {year}年度部门决算情况说明", "第四部分 名词解释", *(["第五部分 附件"] if projects else [])]
    for entry in toc:
        w.add(entry if entry.startswith("第") else f"- {entry}")
    w.add()
    w.add("第一部分")
    w.add()
    w.add("部门概况")
    w.add()
    w.add("一、部门职责")
    w.add()
    w.add(f"{name}贯彻落实党中央、国务院和省委、省政府、市委、市政府关于{_topic(dept.sector)}"
          "工作的方针政策和决策部署，在履行职责过程中坚持和加强党对相关工作的集中统一领导。")
    w.add()
    w.add("二、机构设置")
    w.add()
    units = 1 + len(dept.institutions)
    w.add(f"从决算单位构成看，纳入{name}{year}年度部门决算编制范围的单位共{units}个，包括：局本级"
          + ("及所属事业单位。" if dept.institutions else "。"))
    w.add()
    w.add("第二部分")
    w.add()
    w.add(f"{year} 年度部门决算表" if dept.layout == "tab" else f"{year}年度部门决算表")
    w.add()
    widths = {"function": rng.choice((11, 13, 14, 16, 99)), "economic": rng.choice((11, 13, 13, 14)),
              "summary01": rng.choice((16, 18, 30)), "summary04": rng.choice((13, 14, 15))}
    for number in range(1, 10):
        if dept.layout == "tab":
            render_tab_table(w, number, p, name, rng, gov_fund_empty)
        else:
            render_space_table(w, number, p, name, rng, gov_fund_empty, widths)
    render_narrative(w, paragraphs, style, rng)
    w.add("第四部分")
    w.add()
    w.add("名词解释")
    w.add()
    for term in ("一、财政拨款收入：指本级财政当年拨付的资金。",
                 "二、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。",
                 "三、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
                 "四、“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。"):
        w.add(term)
        w.add()
    if projects:
        render_self_evaluations(w, projects, year, rng)
    return "\n".join(w.lines) + "\n"


def make_style(layout: str, rng: random.Random) -> Style:
    if layout == "tab":
        return Style(layout, " ", rng.uniform(0.6, 1.0), rng.random() < 0.4, "、",
                     rng.choice((("(", ")"), ("（", "）"))), rng.choice(("，", ",")), rng.random() < 0.2)
    return Style(layout, "", rng.uniform(0.3, 0.9), rng.random() < 0.6, rng.choice((".", "、")),
                 ("（", "）"), "，", rng.random() < 0.2)


# =========================================================================== self-evaluations


@dataclass
class Indicator:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: int      # points
    score: int       # hundredths of a point
    note: str = ""


@dataclass
class Project:
    """One 项目支出绩效自评表 (amounts in hundredths of 万元)."""

    name: str
    unit: str
    initial: int
    adjusted: int        # 全年预算数 (A)
    executed: int        # 全年执行数 (B)
    carryover: int       # part of A (and of 年初) from 上年结转资金
    carryover_executed: int
    rate: int            # B/A, hundredths of %
    budget_score: int    # hundredths of a point (分值 10)
    indicators: list[Indicator]
    objective: str
    achieved: str

    @property
    def total(self) -> int:
        return self.budget_score + sum(i.score for i in self.indicators)


_PROJECT_TOPICS = ("业务工作经费", "信息化运维", "专项工作经费", "能力提升", "平台建设及运维", "宣传培训",
                   "专项业务", "数据治理", "监督检查专项", "系统升级改造")
_QUANTITY = (("开展培训次数", "次", 1, 6), ("系统维护数量", "个", 1, 8), ("宣传活动次数", "次", 2, 12),
             ("完成专项任务数", "项", 3, 30), ("服务对象数量", "人次", 200, 5000), ("数据归集量", "万条", 50, 900),
             ("编制报告数量", "份", 2, 20), ("检查覆盖单位数", "家", 10, 120))
_QUALITY = (("验收合格率", 100), ("系统正常运行率", 99), ("数据准确率", 95), ("任务完成率", 100),
            ("问题整改完成率", 95))
_BENEFIT = (("服务覆盖率", "社会效益指标", 90), ("业务办理效率提升率", "社会效益指标", 10))
_QUALITATIVE = (("任务完成及时性", "产出指标", "时效指标", "及时"),
                ("工作效率", "效益指标", "社会效益指标", "有效提升"),
                ("长效管理机制", "效益指标", "可持续影响指标", "健全"),
                ("系统持续运行", "效益指标", "可持续影响指标", "长期"))
_SATISFACTION = (("服务对象满意度", 90), ("主管部门满意度", 95))
_NOTES = ("偏差原因：部分工作受客观因素影响未完全达到预期。改进措施：加强统筹调度，提高预算和绩效目标编制的精细度。",
          "偏差原因：年初目标设定偏高。改进措施：科学合理设置绩效指标值。")


def _half_up_points(numerator: int, denominator: int, weight: int) -> int:
    """min(numerator / denominator, 1) × weight in hundredths of a point, half-up."""
    if denominator <= 0:
        return weight * 100
    value = (numerator * weight * 100 * 2 + denominator) // (2 * denominator)
    return min(value, weight * 100)


def _weights(count: int, rng: random.Random) -> list[int]:
    weights = [2] * count
    for _ in range(90 - 2 * count):
        weights[rng.randrange(count)] += 1
    return weights


def make_indicators(project_name: str, adjusted: int, executed: int, year: int,
                    rng: random.Random) -> list[Indicator]:
    """成本 / 产出 / 效益 / 满意度 indicators whose 分值 add up to 90; 得分 follow the printed
    rule (正向 B/A × 分值, 反向 A/B × 分值, capped), a deduction always with its 偏差原因."""
    specs: list[tuple[str, str, str, str, str, str]] = []  # level1, level2, name, target, actual, kind
    specs.append(("成本指标", "经济成本指标", "项目总成本", f"≤{fmt_short(adjusted, False)}万元",
                  f"{fmt_short(executed, False)}万元", "reverse"))
    for name, unit, low, high in rng.sample(_QUANTITY, rng.randint(2, 4)):
        target = rng.randint(low, high)
        specs.append(("产出指标", "数量指标", name, f"≥{target}{unit}", f"{target}|{unit}", "count"))
    for name, target in rng.sample(_QUALITY, rng.randint(1, 3)):
        specs.append(("产出指标", "质量指标", name, f"{'=' if target == 100 else '≥'}{target}%",
                      f"{target}|%", "percent"))
    qualitative = [q for q in _QUALITATIVE if rng.random() < 0.6]
    for name, level1, level2, value in qualitative:
        if level1 == "产出指标":
            specs.append((level1, level2, name, value, value, "text"))
    if rng.random() < 0.5:
        specs.append(("产出指标", "时效指标", "项目完成时间", f"{year}年12月底前", f"{year}年12月底前", "text"))
    for name, level2, target in rng.sample(_BENEFIT, rng.randint(1, 2)):
        specs.append(("效益指标", level2, name, f"≥{target}%", f"{target}|%", "percent"))
    for name, level1, level2, value in qualitative:
        if level1 == "效益指标":
            specs.append((level1, level2, name, value, value, "text"))
    for name, target in _SATISFACTION[: rng.randint(1, 2)]:
        specs.append(("满意度指标", "服务对象满意度指标", name, f"≥{target}%", f"{target}|%", "percent"))
    weights = _weights(len(specs), rng)
    indicators = []
    for (level1, level2, name, target, actual, kind), weight in zip(specs, weights):
        score, note = weight * 100, ""
        if kind in ("count", "percent"):
            goal, unit = actual.split("|")
            goal_value = int(goal)
            if rng.random() < 0.12:  # fell short
                reached = max(1, int(goal_value * rng.uniform(0.6, 0.97)))
                score = _half_up_points(reached, goal_value, weight)
                note = rng.choice(_NOTES)
            else:
                reached = goal_value if rng.random() < 0.7 or kind == "percent" and goal_value == 100 else \
                    goal_value + rng.randint(0, max(1, goal_value // 5))
                if kind == "percent":
                    reached = min(reached, 100)
            actual = f"{reached}{unit}"
        elif kind == "text" and rng.random() < 0.08:
            score = weight * 80
            actual = "基本" + actual if not actual[0].isdigit() else actual
            note = rng.choice(_NOTES)
        indicators.append(Indicator(level1, level2, name, target, actual, weight, score, note))
    return indicators


def _topic(sector: Sector) -> str:
    """'卫生健康委员会' → '卫生健康', '统计局' → '统计'."""
    for suffix in ("委员会", "局", "馆"):
        if sector.name.endswith(suffix):
            return sector.name[: -len(suffix)]
    return sector.name


def make_projects(dept: Department, money: YearMoney, p: Printed, year: int,
                  rng: random.Random) -> list[Project]:
    """One self-evaluated project per 项 with appropriation-funded project spending (公开05
    项目支出, 公开07 项目支出; two projects for a large one): B is the 项's project expenditure,
    A the budget it was executed against. Every such project is evaluated and nothing else, so
    Σ B = the 合计 项目支出 of 公开05 + 公开07, as a consistent document has it."""
    funded = [(code, values[2], wan(money.leaves[code].cb_gb)) for code, values in p.code_tables[5].items()
              if len(code) == 7 and values[2] > 0]
    funded += [(code, values[4], wan(money.leaves[code].cb_gf)) for code, values in p.code_tables[7].items()
               if len(code) == 7 and values[4] > 0]
    parts: list[tuple[str, int]] = []  # 项, B
    carry_left: dict[str, int] = {}    # the 项's 年初结转, spread over its projects
    for code, executed_total, carry in funded:
        carry_left[code] = carry
        if executed_total > 50_000 and rng.random() < 0.5:
            first = int(executed_total * rng.uniform(0.3, 0.7))
            parts += [(code, first), (code, executed_total - first)]
        else:
            parts.append((code, executed_total))
    if not parts:
        return []
    # 尾差调整: the 项 cells and the 合计 are rounded on their own; the largest project takes
    # what Σ B misses of the printed 合计 beyond the tolerance
    target = p.code_tables[5][TOTAL_KEY][2] + p.code_tables[7][TOTAL_KEY][4]
    off = target - sum(executed for _, executed in parts)
    if abs(off) > TOLERANCE:
        largest = max(range(len(parts)), key=lambda i: parts[i][1])
        parts[largest] = (parts[largest][0], parts[largest][1] + off)
    projects = []
    topic = _topic(dept.sector)
    for code, executed in parts:
        adjusted = executed if rng.random() < 0.35 else int(executed / rng.uniform(0.9, 0.999)) + 1
        initial = adjusted if rng.random() < 0.6 else int(adjusted * rng.uniform(0.8, 1.2))
        carryover = min(carry_left[code], adjusted, initial)
        carry_left[code] -= carryover
        carryover_executed = min(carryover, executed)
        name = f"{topic}{rng.choice(_PROJECT_TOPICS)}项目" if rng.random() < 0.8 else f"{SUBJECTS[code].name}专项资金"
        indicators = make_indicators(name, adjusted, executed, year, rng)
        projects.append(Project(
            name=name, unit=dept.name, initial=initial, adjusted=adjusted, executed=executed,
            carryover=carryover, carryover_executed=carryover_executed,
            rate=ratio_hundredths(executed, adjusted) or 0,
            budget_score=_half_up_points(executed, adjusted, 10), indicators=indicators,
            objective=f"通过实施{name}，按期完成年度工作任务，保障{topic}工作有序开展，提升工作质量和效率。",
            achieved=f"{year}年，{name}按计划实施，完成年度绩效目标，项目资金使用规范，达到预期效果。"))
    return projects


def _points(hundredths: int, keep_zeros: bool = True) -> str:
    text = f"{hundredths // 100}.{hundredths % 100:02d}"
    return text if keep_zeros else text.rstrip("0").rstrip(".")


def _grade(hundredths: int) -> str:
    return "优" if hundredths >= 9000 else "良" if hundredths >= 8000 else "中" if hundredths >= 6000 else "差"


def _performance_paragraphs(facts: Facts, dept: str, style: Style, rng: random.Random) -> list[tuple[str, str]]:
    s, y = style.space, facts.year
    projects = facts.projects
    budget = sum(p.adjusted for p in projects)
    grades: dict[str, int] = {}
    for project in projects:
        grades[_grade(project.total)] = grades.get(_grade(project.total), 0) + 1
    grade_text = "，".join(f"{count}{s}个项目自评等级为{grade}" for grade, count in grades.items())
    out = [("p", f"（一）预算绩效管理工作开展情况。根据预算绩效管理要求，{dept}组织对{s}{y}{s}年度部门预算项目开展"
                 f"绩效自评，涵盖项目{s}{len(projects)}{s}个，涉及预算资金{s}{_num(budget, style, rng)}{s}万元。"),
           ("p", f"（二）项目绩效自评结果。{dept}{s}{y}{s}年度绩效自评的{s}{len(projects)}{s}个项目中，{grade_text}。"
                 f"今年在部门决算中反映了{s}{len(projects)}{s}个项目的绩效自评表。")]
    for number, project in enumerate(projects, start=1):
        out.append(("i", f"{number}. {project.name}绩效自评综述：根据年初设定的绩效目标，项目自评得分为{s}"
                         f"{_points(project.total, False)}{s}分。全年预算数为{s}{fmt_short(project.adjusted, False)}{s}"
                         f"万元，执行数为{s}{fmt_short(project.executed, False)}{s}万元，完成预算的{s}"
                         f"{fmt_pct(project.rate)}%。项目绩效目标完成情况：{project.achieved}"))
    return out


def render_self_evaluations(w: Writer, projects: list[Project], year: int, rng: random.Random) -> None:
    """第五部分 附件 as in Jinan's export: 自评情况汇总表, then one 项目支出绩效自评表 per project."""
    w.lines += ["第五部分", "", "附 件", "", "自评情况汇总表", "",
                "序号\t单位名称\t项目名称\t预算执行率\t自评得分"]
    for number, project in enumerate(projects, start=1):
        w.add(f"{number}\t{project.unit}\t{project.name}\t{fmt_pct(project.rate, True)}%\t"
              f"{_points(project.total, False)}")
    w.add()
    for project in projects:
        w.lines += [f"项目支出绩效自评表 ({year}年度)", "", "单位：万元", ""]

        def amount(value: int) -> str:
            return fmt_short(value, False) if value else "0"

        w.add(f"项目名称\t\t{project.name}\t\t\t\t\t\t\t")
        w.add(f"主管部门\t\t{project.unit}\t\t\t实施单位\t{project.unit}\t\t\t")
        w.add("项目预算执行情况\t\t年初预算数\t全年预算数 (A)\t全年执行数 (B)\t分值\t执行率 (B/A)\t得分\t\t")
        w.add(f"\t\t年度资金总额\t{amount(project.initial)}\t{amount(project.adjusted)}\t"
              f"{amount(project.executed)}\t10\t{fmt_pct(project.rate, True)}%\t{_points(project.budget_score, False)}\t")
        carry_initial = min(project.carryover, project.initial)
        w.add(f"\t\t其中：当年财政拨款\t{amount(project.initial - carry_initial)}\t"
              f"{amount(project.adjusted - project.carryover)}\t"
              f"{amount(project.executed - project.carryover_executed)}\t\t\t\t")
        w.add(f"\t\t上年结转资金\t{amount(carry_initial)}\t{amount(project.carryover)}\t"
              f"{amount(project.carryover_executed)}\t\t\t\t")
        w.add("\t\t其他资金\t0\t0\t0\t\t\t\t")
        w.add("年度总体目标\t\t年初预期目标\t\t\t目标实际完成情况\t\t\t\t")
        w.add(f"\t\t{project.objective}\t\t\t{project.achieved}\t\t\t\t")
        w.add("\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成指标值\t分值\t得分\t偏差原因分析及改进措施\t")
        level1 = level2 = ""
        page_left = rng.randint(10, 20)
        for index, indicator in enumerate(project.indicators):
            page_start = page_left == 0
            if page_start:
                w.add()
                page_left = rng.randint(14, 22)
            page_left -= 1
            first = "年度绩效指标" if index == 0 or page_start else ""
            show1 = indicator.level1 if indicator.level1 != level1 or page_start else ""
            show2 = indicator.level2 if indicator.level2 != level2 or page_start else ""
            level1, level2 = indicator.level1, indicator.level2
            w.add("\t".join([first, show1, show2, indicator.name, indicator.target, indicator.actual,
                             str(indicator.weight), _points(indicator.score, False), indicator.note, ""]))
        w.add(f"\t总分\t\t\t{_points(project.total)}\t\t\t\t")
        w.add("总分在80分以下的项目未实现绩效目标的原因分析及拟采取的措施说明：\t\t\t\t\t\t\t\t")
        w.add()


# =========================================================================== corpus


def _expected_rows(p: Printed, projects: Sequence[Project] = ()) -> dict[str, int]:
    t = p.code_tables
    return {
        "raw_self_evaluations": len(projects),
        "raw_performance_indicators": sum(len(project.indicators) for project in projects),
        "raw_self_evaluation_summaries": len(projects),
        "raw_documents": 1,
        "raw_income_expenditure_summary": 31 * 2 + 32 * 2,
        "raw_income_by_function": len(t[2]),
        "raw_expenditure_by_function": len(t[3]) + len(t[5]) + len(t[8]),
        "raw_government_fund_by_function": len(t[7]),
        "raw_basic_expenditure_by_economic": sum(1 + len(items) for _, _, items in ECONOMIC_CLASSES) + 2,
        "raw_three_public_expenses": 12,
        "raw_extract_rejects": 0,
    }


_OVERLAPS = {
    "rounding_function_child": ("function_parent_off", "row_total_off"),
    "rounding_economic_total": ("basic_05_vs_06",),
    "rounding_three_public": ("three_public_subtotal_off",),
}


def plan_injections(departments: int, years: int, fault_rate: float, seed: int) -> dict[tuple[int, int], list[str]]:
    """Which kinds go into which document. Kinds are dealt round-robin from shuffled decks so
    that even a small corpus gets every kind."""
    rng = random.Random(f"{seed}:plan")
    fault_deck: list[str] = []
    rounding_deck: list[str] = []
    plan: dict[tuple[int, int], list[str]] = {}
    for index in range(departments):
        for year_index in range(years):
            kinds: list[str] = []
            if rng.random() < fault_rate:
                count = 2 if rng.random() < 0.2 else 1
                while len(kinds) < count:
                    if not fault_deck:
                        fault_deck = list(TABLE_FAULT_KINDS + NARRATIVE_FAULT_KINDS)
                        rng.shuffle(fault_deck)
                    kind = fault_deck.pop()
                    if kind not in kinds:
                        kinds.append(kind)
            if rng.random() < fault_rate:
                # a harmless adjustment never sits on an identity a fault of the same document breaks
                allowed = [k for k in ROUNDING_KINDS if not set(_OVERLAPS[k]) & set(kinds)]
                if not any(k in allowed for k in rounding_deck):
                    rounding_deck = list(ROUNDING_KINDS)
                    rng.shuffle(rounding_deck)
                kind = next((k for k in reversed(rounding_deck) if k in allowed), None)
                if kind is not None:
                    rounding_deck.remove(kind)
                    kinds.append(kind)
            if kinds:
                plan[(index, year_index)] = kinds
    return plan


def document_file(index: int, year: int) -> str:
    return f"synth-{index:05d}-{year}.txt"


def _drift_records(found: list[Identity], injected: list[Injection]) -> list[dict]:
    targets = {(i.rule_id, tuple(i.scope)) for i in injected}
    records = []
    for identity in found:
        if abs(identity.difference) >= 2 and (identity.rule_id, identity.scope) not in targets:
            records.append({"rule_id": identity.rule_id, "scope": list(identity.scope),
                            "difference": fmt(identity.difference), "summands": identity.summands})
    return records


def generate_department(task: tuple[int, int, int, int, dict[int, list[str]], str]
                        ) -> tuple[list[DocumentKey], list[Injection]]:
    index, seed, years, last_year, plan, out_dir = task
    dept = make_department(index, seed)
    rng = random.Random(f"{seed}:years:{index}")
    documents: list[DocumentKey] = []
    injections: list[Injection] = []
    previous: Facts | None = None
    carried: Carried | None = None
    for year_index in range(years):
        year = last_year - years + 1 + year_index
        money, printed = make_printed_year(dept, year_index, rng, carried)
        carried = carried_out(money)
        kinds = plan.get(year_index, [])
        injected: list[Injection] = []
        for kind in kinds:  # harmless adjustments first: the prose restates the adjusted tables
            if kind in ROUNDING_KINDS:
                injection = TABLE_INJECTORS[kind](printed, rng)
                if injection:
                    injected.append(injection)
        facts = make_facts(year, printed, money, previous, rng)
        if dept.self_evaluation:
            facts.projects = make_projects(dept, money, printed, year, rng)
        true_facts = Facts(**{**facts.__dict__})
        for kind in kinds:
            if kind in TABLE_FAULT_KINDS:
                injection = TABLE_INJECTORS[kind](printed, rng)
            elif kind in NARRATIVE_FAULT_KINDS:
                facts = _copy_facts(facts)
                injection = inject_narrative(kind, facts, rng)
            else:
                continue
            if injection:
                injected.append(injection)
        style = make_style(dept.layout, rng)
        paragraphs = narrative_paragraphs(facts, dept.name, style, rng)
        text = render_document(dept, year, printed, paragraphs, style, rng, facts.projects)
        file = document_file(index, year)
        (Path(out_dir) / file).write_text(text, encoding="utf-8")
        for injection in injected:
            injection.file, injection.department, injection.fiscal_year = file, dept.name, year
        found = identities(printed)
        for injection in injected:
            if injection.rule_id and injection.rule_family != "narrative":
                identity = find_identity(found, injection.rule_id, injection.scope)
                if identity is not None:
                    injection.difference = fmt(identity.difference)
        documents.append(DocumentKey(
            file=file, department=dept.name, fiscal_year=year, layout=dept.layout,
            features={"gov_fund": len(printed.code_tables[7]) > 1,
                      "carryover": bool(printed.summary01["carryover_begin"] or printed.summary01["carryover_end"]),
                      "non_appropriation_income": bool(printed.summary01["business"] or printed.summary01["other"]),
                      "institutions": bool(dept.institutions),
                      "self_evaluation": bool(facts.projects)},
            expected_rows=_expected_rows(printed, facts.projects),
            rounding_drifts=_drift_records(found, injected)))
        injections.extend(injected)
        previous = true_facts
    return documents, injections


def _copy_facts(facts: Facts) -> Facts:
    copy = Facts(**{**facts.__dict__})
    copy.classes = list(facts.classes)
    copy.leaves = [LeafFact(**leaf.__dict__) for leaf in facts.leaves]
    copy.three_public = {phase: dict(v) for phase, v in facts.three_public.items()}
    return copy


def generate_corpus(out_dir: Path, departments: int, years: int, fault_rate: float, seed: int,
                    last_year: int = FIRST_YEAR_DEFAULT_END - 1, workers: int | None = None) -> AnswerKey:
    """Write departments × years documents and answer_key.json into out_dir; return the key."""
    if departments < 1 or years < 1:
        raise ValueError("departments and years must be at least 1")
    if not 0 <= fault_rate <= 1:
        raise ValueError("fault_rate must be between 0 and 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = plan_injections(departments, years, fault_rate, seed)
    by_department: dict[int, dict[int, list[str]]] = {}
    for (index, year_index), kinds in plan.items():
        by_department.setdefault(index, {})[year_index] = kinds
    tasks = [(index, seed, years, last_year, by_department.get(index, {}), str(out_dir))
             for index in range(departments)]
    documents_total = departments * years
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if documents_total >= 200 else 1
    if workers > 1:
        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        with context.Pool(workers) as pool:
            results = pool.map(generate_department, tasks, chunksize=max(1, departments // (workers * 8)))
    else:
        results = [generate_department(task) for task in tasks]
    key = AnswerKey(seed=seed, departments=departments, years=years, fault_rate=fault_rate)
    for documents, injections in results:
        key.documents.extend(documents)
        key.injections.extend(injections)
    key.write(out_dir / ANSWER_KEY_FILE)
    return key


# =========================================================================== scoring


@dataclass
class DetectionReport:
    """How the reconciliation checks of a warehouse did against an answer key."""

    documents: int = 0
    documents_in_warehouse: int = 0
    faults: int = 0                      # table faults (families other than narrative)
    faults_detected: int = 0
    missed: list[dict] = field(default_factory=list)
    rounding: int = 0
    rounding_ok: int = 0
    rounding_as_fail: list[dict] = field(default_factory=list)
    rounding_not_evaluated: list[dict] = field(default_factory=list)
    narrative_scored: bool = False
    narrative_faults: int = 0
    narrative_detected: int = 0
    narrative_missed: list[dict] = field(default_factory=list)
    clean_documents: int = 0
    clean_documents_with_fails: int = 0
    false_positives: list[dict] = field(default_factory=list)
    checks: int = 0
    fails: int = 0

    @property
    def recall(self) -> float | None:
        return self.faults_detected / self.faults if self.faults else None

    @property
    def narrative_recall(self) -> float | None:
        return self.narrative_detected / self.narrative_faults if self.narrative_faults else None

    def false_positives_by_severity(self) -> dict[str, int]:
        """Failing checks on clean scopes per rule severity ('error', 'warning')."""
        counts = {"error": 0, "warning": 0}
        for fp in self.false_positives:
            counts[fp["severity"]] = counts.get(fp["severity"], 0) + 1
        return dict(sorted(counts.items()))

    def summary(self) -> str:
        def rate(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.1%}"

        lines = [
            f"documents: {self.documents} in key, {self.documents_in_warehouse} in warehouse; "
            f"checks {self.checks}, fails {self.fails}",
            f"table faults: {self.faults_detected}/{self.faults} detected (recall {rate(self.recall)})",
            f"rounding injections: {self.rounding_ok}/{self.rounding} reported as rounding"
            f" ({len(self.rounding_as_fail)} as fail, {len(self.rounding_not_evaluated)} not evaluated)",
            ("narrative faults: " + (f"{self.narrative_detected}/{self.narrative_faults} detected "
                                     f"(recall {rate(self.narrative_recall)})" if self.narrative_scored
                                     else f"{self.narrative_faults} not scored (no narrative rules)")),
            f"clean documents: {self.clean_documents}, {self.clean_documents_with_fails} with a failing check",
            f"false positives: {len(self.false_positives)} failing checks not explained by the key ("
            + ", ".join(f"{severity} {count}" for severity, count in self.false_positives_by_severity().items())
            + ")",
        ]
        for label, rows in (("missed", self.missed), ("rounding as fail", self.rounding_as_fail),
                            ("narrative missed", self.narrative_missed),
                            ("false positive", self.false_positives)):
            for row in rows[:20]:
                lines.append(f"  {label}: {json.dumps(row, ensure_ascii=False)}")
        return "\n".join(lines)


def _scope_tokens(scope: str) -> set[str]:
    return set(re.split(r"[:>]", scope or ""))


def score_detection(warehouse: Path, key: AnswerKey) -> DetectionReport:
    """Recall of the injected faults, rounding injections reported as rounding, and failing
    checks on documents (or scopes) the key says are clean."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select d.source_file, c.rule_id, c.rule_family, c.severity, c.scope, c.status, "
            "cast(c.lhs_value as varchar), cast(c.rhs_value as varchar), cast(c.difference as varchar) "
            "from marts.fct_reconciliation_checks c join marts.dim_document d using (document_id)").fetchall()
        files = {f for (f,) in connection.execute("select source_file from marts.dim_document").fetchall()}
        families = {f for (f,) in connection.execute(
            "select distinct rule_family from marts.fct_reconciliation_checks").fetchall()}
        registry_families = _registry_families(connection)
    known = {d.file for d in key.documents}
    checks_by_file: dict[str, list[tuple]] = {}
    for row in rows:
        if row[0] in known:
            checks_by_file.setdefault(row[0], []).append(row)
    report = DetectionReport(documents=len(key.documents), documents_in_warehouse=len(known & files))
    report.checks = sum(len(v) for v in checks_by_file.values())
    report.fails = sum(1 for v in checks_by_file.values() for r in v if r[5] == "fail")
    report.narrative_scored = "narrative" in families or "narrative" in registry_families

    def describe(row: tuple) -> dict:
        return {"file": row[0], "rule_id": row[1], "severity": row[3], "scope": row[4], "status": row[5],
                "lhs": row[6], "rhs": row[7], "difference": row[8]}

    def matching(injection: Injection) -> list[tuple]:
        wanted = set(injection.scope)
        return [r for r in checks_by_file.get(injection.file, [])
                if r[1] == injection.rule_id and wanted <= _scope_tokens(r[4])]

    explained: dict[str, tuple[set[str], set[str]]] = {}
    for injection in key.injections:
        if injection.severity != FAULT:
            continue
        rules, fams = explained.setdefault(injection.file, (set(), set()))
        if injection.rule_id:
            rules.add(injection.rule_id)
        rules.update(injection.also_rules)
        fams.update(injection.also_families)
        if injection.rule_family == "narrative":
            fams.add("narrative")
            report.narrative_faults += 1
            if not report.narrative_scored:
                continue
            found = [r for r in checks_by_file.get(injection.file, []) if r[2] == "narrative" and r[5] == "fail"]
            if found:
                report.narrative_detected += 1
            else:
                report.narrative_missed.append({**_injection_brief(injection), "observed": "no failing narrative check"})
            continue
        report.faults += 1
        found = matching(injection)
        if any(r[5] == "fail" for r in found):
            report.faults_detected += 1
        else:
            report.missed.append({**_injection_brief(injection),
                                  "observed": [describe(r) for r in found] or "no check with this rule and scope"})
    for injection in key.injections:
        if injection.severity != ROUNDING:
            continue
        report.rounding += 1
        found = matching(injection)
        if not found:
            report.rounding_not_evaluated.append(_injection_brief(injection))
        elif any(r[5] == "fail" for r in found):
            report.rounding_as_fail.append({**_injection_brief(injection), "observed": [describe(r) for r in found]})
        elif any(r[5] == "rounding" for r in found):
            report.rounding_ok += 1
        else:
            report.rounding_not_evaluated.append({**_injection_brief(injection),
                                                  "observed": [describe(r) for r in found]})
    drifts = {d.file: d.rounding_drifts for d in key.documents}
    for document in key.documents:
        rules, fams = explained.get(document.file, (set(), set()))
        clean = document.file not in explained
        report.clean_documents += clean
        failing = False
        for row in checks_by_file.get(document.file, []):
            if row[5] != "fail" or row[1] in rules or row[2] in fams:
                continue
            failing = True
            entry = describe(row)
            drift = next((d for d in drifts[document.file] if d["rule_id"] == row[1]
                          and set(d["scope"]) <= _scope_tokens(row[4])), None)
            # what the key knows about the scope: the identity is off by rounding alone
            # (n summands, each printed cell rounded on its own), or the document's features
            entry["cause"] = "rounding_drift" if drift else ""
            entry["summands"] = drift["summands"] if drift else None
            entry["features"] = [name for name, present in document.features.items() if present]
            report.false_positives.append(entry)
        report.clean_documents_with_fails += clean and failing
    return report


def _registry_families(connection) -> set[str]:
    tables = connection.execute(
        "select table_schema from information_schema.tables where table_name = 'rule_registry'").fetchall()
    for (schema,) in tables:
        return {f for (f,) in connection.execute(
            f'select distinct rule_family from "{schema}".rule_registry').fetchall()}
    return set()


def _injection_brief(injection: Injection) -> dict:
    return {"file": injection.file, "kind": injection.kind, "rule_id": injection.rule_id,
            "scope": injection.scope, "before": injection.printed_before, "after": injection.printed_after,
            "difference": injection.difference}


# =========================================================================== command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fiscal_dw.synth", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="output folder (created)")
    parser.add_argument("--departments", type=int, default=10)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--fault-rate", type=float, default=0.3,
                        help="share of documents with an injected fault (and, separately, with a rounding adjustment)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: automatic)")
    parser.add_argument("--score", type=Path, default=None, metavar="WAREHOUSE",
                        help="instead of generating, score WAREHOUSE against the key in --out")
    args = parser.parse_args(argv)
    if args.score is not None:
        key = AnswerKey.load(args.out / ANSWER_KEY_FILE)
        print(score_detection(args.score, key).summary())
        return 0
    started = time.monotonic()
    try:
        key = generate_corpus(args.out, args.departments, args.years, args.fault_rate, args.seed,
                              workers=args.workers)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    kinds: dict[str, int] = {}
    for injection in key.injections:
        kinds[injection.kind] = kinds.get(injection.kind, 0) + 1
    print(f"synth: {len(key.documents)} document(s) in {time.monotonic() - started:.1f} s -> {args.out}")
    print(f"  injections: {len(key.injections)} ({len(key.faults())} faults) "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"  answer key: {args.out / ANSWER_KEY_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
