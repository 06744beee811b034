"""Departments of the corpus: sector, name, layout, staff and the weights of their economic
items, each drawn from its own (seed, department) generator."""
from __future__ import annotations

import random
from dataclasses import dataclass

from fiscal_dw.synth.catalogue import CITY_NAMES, DISTRICT_NAMES, FUNCTION_SUBJECTS, SECTORS, Sector


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


PERSONNEL_ITEMS = {  # code: (probability, weight)
    "30101": (1.0, 0.16), "30102": (1.0, 0.22), "30103": (0.85, 0.08), "30106": (0.2, 0.01),
    "30107": (0.7, 0.10), "30108": (1.0, 0.10), "30109": (0.95, 0.05), "30110": (1.0, 0.055),
    "30111": (0.5, 0.012), "30112": (0.8, 0.006), "30113": (1.0, 0.085), "30114": (0.15, 0.01),
    "30199": (0.5, 0.03),
}
RETIREE_ITEMS = {"30301": (0.1, 0.004), "30302": (1.0, 0.06), "30305": (0.15, 0.004),
                  "30307": (0.35, 0.006), "30309": (0.1, 0.003), "30399": (0.1, 0.002)}
PUBLIC_ITEMS = {
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
    for table in (PERSONNEL_ITEMS, RETIREE_ITEMS, PUBLIC_ITEMS):
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


def sector_topic(sector: Sector) -> str:
    """'卫生健康委员会' → '卫生健康', '统计局' → '统计'."""
    for suffix in ("委员会", "局", "馆"):
        if sector.name.endswith(suffix):
            return sector.name[: -len(suffix)]
    return sector.name
