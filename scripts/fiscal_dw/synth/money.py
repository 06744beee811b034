"""One year's money of a department in 元: economic items, functional 项 (basic, project,
government fund, non-appropriation income, carry-overs, 年初预算) and 三公."""
from __future__ import annotations

import random
from dataclasses import dataclass

from fiscal_dw.synth.amounts import split_total
from fiscal_dw.synth.catalogue import THREE_PUBLIC_CODES
from fiscal_dw.synth.departments import PERSONNEL_ITEMS, PUBLIC_ITEMS, RETIREE_ITEMS, SUBJECTS, Department


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
    personnel_codes = [c for c in PERSONNEL_ITEMS if c in dept.item_weights]
    retiree_codes = [c for c in RETIREE_ITEMS if c in dept.item_weights] if dept.retirees else []
    public_codes = [c for c in PUBLIC_ITEMS if c in dept.item_weights]
    jitter = [dept.item_weights[c] * rng.uniform(0.85, 1.15) for c in personnel_codes + retiree_codes]
    for code, amount in zip(personnel_codes + retiree_codes, split_total(personnel, jitter)):
        economic[code] = amount
    for item, code in THREE_PUBLIC_CODES.items():
        if actual[item]:
            economic[code] = actual[item]
    rest = public - three_public_total
    jitter = [dept.item_weights[c] * rng.uniform(0.7, 1.3) for c in public_codes]
    for code, amount in zip(public_codes, split_total(rest, jitter)):
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
    retirement = sum(economic.get(c, 0) for c in RETIREE_ITEMS)
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
        for code, amount in zip(institutions, split_total(remaining - admin_part,
                                                     [rng.uniform(0.5, 1.5) for _ in institutions])):
            if amount:
                leaf(code).gb_basic += amount

    # project expenditure
    project_total = int(basic_total * dept.project_ratio * growth * rng.uniform(0.85, 1.15))
    targets = [c for c in dept.project_leaves if rng.random() < 0.9] or dept.project_leaves[:1]
    if rng.random() < 0.3:
        targets.append(rng.choice((admin, *institutions)))
    weights = [rng.paretovariate(1.2) for _ in targets]
    for code, amount in zip(targets, split_total(project_total, weights)):
        if amount:
            leaf(code).gb_project += amount
    if dept.gov_fund_leaves:
        gov_total = int(project_total * rng.uniform(0.1, 0.9))
        for code, amount in zip(dept.gov_fund_leaves,
                                split_total(gov_total, [rng.uniform(0.5, 1.5) for _ in dept.gov_fund_leaves])):
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
