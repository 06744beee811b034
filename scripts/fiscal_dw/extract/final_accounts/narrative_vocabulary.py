"""What the narrative's figures can be about: the subjects (keyword → metric key prefix and
the measures keyed for it) and the section families, tried against the heading path."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

GRADE_NAMES = {"优": "excellent", "良": "good", "中": "fair", "差": "poor"}


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
    *(f"grade_{name}_count" for name in GRADE_NAMES.values()))
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
              "收支总计": _s("total.income_expenditure"),
              "收入支出总计": _s("total.income_expenditure")},
    "fiscal": {"收、支总计": _s("fiscal.income_expenditure"),
               "收支总计": _s("fiscal.income_expenditure"),
               "收入支出总计": _s("fiscal.income_expenditure")},
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
        "公务用车购置支出": _three_public("vehicle_purchase"),
        "公务用车运行维护费": _three_public("vehicle_operation"),
        "运行维护费": _three_public("vehicle_operation"),
        "公务用车运行维护支出": _three_public("vehicle_operation"),
        "保有量": _s("three_public.vehicles", only=("count",), count="{p}.fleet_count"),
        "公务接待费": _three_public("reception"),
        "国内接待": _three_public("reception_domestic"),
        "外事接待": _three_public("reception_foreign_affairs"),
        "国（境）外接待": _three_public("reception_overseas"),
        "公务接待": _three_public("reception"),  # 公务接待 2 批次、24 人次
        "外宾接待": _s(""),  # 含外宾接待支出 … / 接待外宾 … 批次: a part no table prints
        "接待外宾": _s(""),
    },
    "operating_cost": {"机关运行经费": _s("operating_cost")},
    "procurement": {
        "政府采购支出总额": _s("procurement.total", amount="procurement.total"),
        "政府采购货物支出": _s("procurement.goods", amount="procurement.goods"),
        "政府采购工程支出": _s("procurement.works", amount="procurement.works"),
        "政府采购服务支出": _s("procurement.services", amount="procurement.services"),
        "政府采购金额": _s("procurement.total", amount="procurement.total"),
        "货物采购金额": _s("procurement.goods", amount="procurement.goods"),
        "工程采购金额": _s("procurement.works", amount="procurement.works"),
        "服务采购金额": _s("procurement.services", amount="procurement.services"),
        "授予中小企业": _s("procurement.sme"),
        "授予小微企业": _s("procurement.micro"),
        "货物采购授予中小企业": _s("procurement.goods", only=("share",), share="{p}.sme_share"),
        "工程采购授予中小企业": _s("procurement.works", only=("share",), share="{p}.sme_share"),
        "服务采购授予中小企业": _s("procurement.services", only=("share",),
                                 share="{p}.sme_share"),
        # amounts reserved for, or won by, small firms (Shanghai template): no rule reads them
        "预留政府采购项目": _s(""),
        "预留的政府采购项目": _s(""),
        "中标或成交": _s(""),
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


def function_subject(code: str) -> Subject:
    return _s(f"function.{code}", only=_ITEM_MEASURES, budget="{p}.initial_budget",
              actual="{p}.final_amount")


def unresolved_function_subject(cls: str, kuan: str, xiang: str) -> Subject:
    """A 类/款/项 path whose 项 the tables do not name under its 款: its figures keep the
    printed path (function.unresolved:X（类）Y（款）Z（项）.<measure>), so a check that would
    restate one is not_evaluable (unresolved), never silently unkeyed. A dot or a space
    would break the key's parts and is dropped."""
    path = "".join(f"{name}（{level}）" for name, level in ((cls, "类"), (kuan, "款"), (xiang, "项")))
    kept = "".join(char for char in path if char not in ".．" and not char.isspace())
    return function_subject(f"unresolved:{kept}")


def fund_function_subject(family: str, code: str, parts: tuple[str, str, str] | None = None) -> Subject:
    """A 类/款/项 path of the 政府性基金 (gov_fund) or 国有资本经营 (state_capital) section,
    resolved against that fund table: {family}.function.{code}.<measure>. An amount printed
    for the path is its 支出决算. Unresolved, it keeps the printed path as function_subject
    does (the check that would restate it is not_evaluable)."""
    if parts is not None:
        code = unresolved_function_subject(*parts).prefix.removeprefix("function.")
    return _s(f"{family}.function.{code}", only=_ITEM_MEASURES, budget="{p}.initial_budget",
              actual="{p}.final_amount")


def class_subject(code: str) -> Subject:
    return _s(f"general_budget.class.{code}", only=("amount", "share"))


def project_subject(ordinal: int) -> Subject:
    return _s(f"performance.project.{ordinal}", only=_PROJECT_MEASURES,
              completion_rate="{p}.rate")
