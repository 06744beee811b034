"""第三部分 情况说明: the facts the prose restates (Facts), the document's prose style, and
the paragraphs (kind, text) in the wording of real exports."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from fiscal_dw.synth.amounts import fmt, fmt_pct, fmt_short, ratio_hundredths, wan
from fiscal_dw.synth.departments import SUBJECTS
from fiscal_dw.synth.money import YearMoney
from fiscal_dw.synth.phrase_bank import DIRECTIONS, FUND_NONE, LEVEL, REASONS, Phrases, choose_phrases
from fiscal_dw.synth.printed import THREE_PUBLIC_ITEMS, TOTAL_KEY, Printed
from fiscal_dw.synth.self_evaluations import Project, fmt_points, grade


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
    restated_general_budget: int | None = None  # 五(二) restating 五(一) differently (a fault)
    omitted: tuple[str, ...] = ()               # 三公 statements left out (a fault)
    direction_flipped: str | None = None        # a 项 code printed with the wrong direction word (a fault)
    reason_dropped: str | None = None           # a 项 off 100 % printed without its reason (a fault)
    fund_none_despite_spending: bool = False    # 无…政府性基金 printed while 公开07 spends (a fault)
    gov_fund_amounts: dict[str, int] = field(default_factory=dict)  # 公开07 本年支出 per 项
    prior_misprint: tuple[str, int] | None = None  # (change label, prior printed instead): a fault
    misnamed_leaf: str | None = None            # a 项 whose path misprints its 类 name (a fault)


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
        gov_fund_amounts={c: v[2] for c, v in p.code_tables[7].items() if len(c) == 7},
        three_public={phase: dict(v) for phase, v in tp.items()}, three_public_rates=rates,
        counts=counts, operating_cost=wan(money.operating_cost),
        operating_budget=wan(money.operating_budget),
        procurement=(procurement_total, wan(goods), wan(works), wan(services), wan(sme),
                     int(goods_share * 10000)))


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
    phrases: Phrases     # the wording of each kind of figure (phrase_bank)


def _num(value: int, style: Style, rng: random.Random) -> str:
    separators = rng.random() < style.separators
    return fmt_short(value, separators) if style.short else fmt(value, separators)


def narrative_paragraphs(facts: Facts, dept: str, style: Style, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, text) paragraphs of 第三部分; kind 'h' heading, 'p' prose, 'i' numbered item."""
    s, y = style.space, facts.year
    lp, rp = style.paren
    phrases = style.phrases
    phrasing = _statement_phrasing(dept, y, "statements")

    def n(value: int) -> str:
        return f"{s}{_num(value, style, rng)}{s}万元"

    def share(value: int | None) -> str:
        return phrases.share.format(pct=pct(value))

    def pct(value: int | None) -> str:
        return f"{s}{fmt_pct(value or 0, style.keep_zeros)}%"

    def change(current: int, previous: int, label: str) -> str:
        """The sentence end after the current amount and the change on the year before: in
        the same sentence, with the prior year's amount printed, when the document's phrasing
        prints it (or a fault misprints it)."""
        delta = current - previous
        rate = ratio_hundredths(abs(delta), previous) or 0
        if delta == 0:
            return "。" + phrases.unchanged.format(prior=f"{s}{y - 1}{s}")
        up = delta > 0
        misprint = facts.prior_misprint if facts.prior_misprint and facts.prior_misprint[0] == label else None
        if phrases.year_on_year_prior or misprint:
            prior_text = n(misprint[1] if misprint else previous)
            return ("，" + phrases.yoy_prior(f"{s}{y - 1}{s}", prior_text, n(abs(delta)), pct(rate), up)
                    + f"主要原因是{rng.choice(_REASONS_UP if up else _REASONS_DOWN)}。")
        return ("。" + phrases.yoy(f"{s}{y - 1}{s}", label, n(abs(delta)), pct(rate), up)
                + f"主要原因是{rng.choice(_REASONS_UP if up else _REASONS_DOWN)}。")

    out: list[tuple[str, str]] = [("h", "第三部分"), ("h", f"{y}{s}年度部门决算情况说明")]
    out.append(("h", "一、收入支出决算总体情况说明"))
    out.append(("p", f"{y}{s}年度收、支总计均为{n(facts.grand_total)}"
                     + change(facts.grand_total, facts.prev_grand_total, "收、支总计各")))
    out.append(("h", "二、收入决算情况说明"))
    parts = [f"{label}{n(amount)}，{share(ratio_hundredths(amount, facts.income_total))}"
             for label, amount in facts.income_sources]
    out.append(("p", f"{y}{s}年度收入合计{n(facts.income_total)}，其中：" + "；".join(parts) + "。"))
    out.append(("h", "三、支出决算情况说明"))
    out.append(("p", f"{y}{s}年度支出合计{n(facts.expenditure_total)}，其中：基本支出{n(facts.basic)}，"
                     f"{share(facts.basic_share)}；项目支出{n(facts.project)}，{share(facts.project_share)}。"))
    out.append(("h", "四、财政拨款收入支出决算总体情况说明"))
    out.append(("p", f"{y}{s}年度财政拨款收、支总计均为{n(facts.fiscal_grand_total)}"
                     + change(facts.fiscal_grand_total, facts.prev_fiscal_grand_total, "财政拨款收、支总计各")))
    out.append(("h", "五、一般公共预算财政拨款支出决算情况说明"))
    out.append(("h", f"{lp}一{rp}一般公共预算财政拨款支出决算总体情况"))
    out.append(("p", f"{y}{s}年度一般公共预算财政拨款支出{n(facts.general_budget_total)}，"
                     + phrases.general_budget_share.format(pct=pct(facts.general_budget_share))
                     + change(facts.general_budget_total, facts.prev_general_budget_total,
                              "一般公共预算财政拨款支出")))
    out.append(("h", f"{lp}二{rp}一般公共预算财政拨款支出决算结构情况"))
    structure = [f"{SUBJECTS[c].name.removesuffix('支出')}{lp}类{rp}支出{n(amount)}，{share(class_share)}"
                 for c, amount, class_share in facts.classes]
    restated = facts.general_budget_total if facts.restated_general_budget is None else facts.restated_general_budget
    out.append(("p", f"{y}{s}年度一般公共预算财政拨款支出{n(restated)}，主要用于以下方面："
                     + "；".join(structure) + "。"))
    out.append(("h", f"{lp}三{rp}一般公共预算财政拨款支出决算具体情况"))
    if facts.budget_total:
        bigger = facts.general_budget_total >= facts.budget_total
        out.append(("p", f"{y}{s}年度一般公共预算财政拨款支出年初预算为{n(facts.budget_total)}，支出决算为"
                         f"{n(facts.general_budget_total)}，{phrases.rate.format(pct=pct(facts.budget_rate))}。"
                         + _compared(facts.general_budget_total, facts.budget_total,
                                     rng.choice(_REASONS_UP if bigger else _REASONS_DOWN), phrasing)
                         + "其中："))
    for number, leaf in enumerate(facts.leaves, start=1):
        class_name = SUBJECTS[leaf.code[:3]].name
        if leaf.code == facts.misnamed_leaf:  # 一般公共预算服务支出 for 一般公共服务支出 (Jinan)
            class_name = class_name[:2] + "预算" + class_name[2:]
        path = (f"{class_name}{lp}类{rp}{SUBJECTS[leaf.code[:5]].name}{lp}款{rp}"
                f"{SUBJECTS[leaf.code].name}{lp}项{rp}")
        c = style.comma
        if leaf.rate is None:
            text = (f"{path}。" + phrases.item_figures.format(budget=f"{s}0{s}万元", actual=n(leaf.actual), c=c)
                    + f"{c}年初无预算。决算数大于年初预算数的主要原因是年中追加资金{c}不在年初预算中。")
        else:
            bigger = leaf.actual >= leaf.budget
            text = (f"{path}。" + phrases.item_figures.format(budget=n(leaf.budget), actual=n(leaf.actual), c=c)
                    + f"{c}{phrases.rate.format(pct=pct(leaf.rate))}。"
                    + _compared(leaf.actual, leaf.budget, rng.choice(_REASONS_UP if bigger else _REASONS_DOWN),
                                phrasing, flipped=leaf.code == facts.direction_flipped,
                                dropped=leaf.code == facts.reason_dropped))
        out.append(("i", f"{number}{style.item_mark}{text}"))
    out.append(("h", "六、一般公共预算财政拨款基本支出决算情况说明"))
    out.append(("p", f"{y}{s}年度一般公共预算财政拨款基本支出决算{n(facts.basic_05)}，包括人员经费和公用经费，"
                     "支出具体情况如下："))
    out.append(("p", f"人员经费{n(facts.personnel)}，主要包括：基本工资、津贴补贴、奖金、机关事业单位基本养老保险缴费、"
                     "职业年金缴费、职工基本医疗保险缴费、住房公积金、退休费等。"))
    out.append(("p", f"公用经费{n(facts.public)}，主要包括：办公费、邮电费、差旅费、工会经费、福利费、"
                     "其他交通费用、其他商品和服务支出等。"))
    out.append(("h", "七、政府性基金预算财政拨款收入支出决算情况说明"))
    if facts.gov_fund_total and not facts.fund_none_despite_spending:
        names = "、".join(SUBJECTS[c].name for c in facts.gov_fund_leaves)
        out.append(("p", f"{y}{s}年度政府性基金预算财政拨款支出{n(facts.gov_fund_total)}，主要用于{names}。"))
        for number, code in enumerate(facts.gov_fund_leaves, start=1):
            path = (f"{SUBJECTS[code[:3]].name}{lp}类{rp}{SUBJECTS[code[:5]].name}{lp}款{rp}"
                    f"{SUBJECTS[code].name}{lp}项{rp}")
            item = phrases.fund_item.format(path=path, amount=n(facts.gov_fund_amounts.get(code, 0)),
                                            budget=f"{s}0{s}万元")
            out.append(("i", f"{number}{style.item_mark}{item}"))
    else:
        out.append(("p", _fund_none("政府性基金", dept, f"{s}{y}{s}", phrasing)))
    out.append(("h", "八、国有资本经营预算财政拨款支出决算情况说明"))
    out.append(("p", _fund_none("国有资本经营", dept, f"{s}{y}{s}", phrasing)))
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
    rate_phrase = style.phrases.three_public_rate
    lp, rp = style.paren
    tp, rates, counts = facts.three_public, facts.three_public_rates, facts.counts
    phrasing = _statement_phrasing(dept, y, "three_public")

    def budget_actual(label: str, item: str) -> str:
        budget, actual = tp["budget"][item], tp["actual"][item]
        text = f"{label}全年预算为{n(budget)}，支出决算为{n(actual)}"
        if budget == 0:
            return text + "，全年无预算。"
        text += "，" + rate_phrase.format(pct=pct(rates[item])) + "。"
        if abs((rates[item] or 0) - 10000) > 50:  # off 100 % by more than 0.5 pp: why, as the documents say
            text += _compared(actual, budget, phrasing.choice(_REASONS_UP if actual > budget else _REASONS_DOWN),
                              phrasing)
        return text

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
           ("p", f"国内接待费{n(tp['actual']['official_reception'])}，主要用于接待上级部门及兄弟单位考察调研等"
                 + ("；" if "reception_counts" in facts.omitted else
                    f"，共计接待{s}{counts['batches']}{s}批次、{counts['persons']}{s}人次（含外事接待{s}0{s}批次、"
                    f"0{s}人次）；")),
           ("p", f"国（境）外接待费{s}0{s}万元，共计接待{s}0{s}批次、0{s}人次。")]
    dropped = {"vehicle_purchase": "公务用车购置费支出", "vehicle_operation": "公务用车运行维护费"}
    return [(kind, text) for kind, text in out
            if not any(text.startswith(dropped[item]) for item in facts.omitted if item in dropped)]


def _statement_phrasing(dept: str, year: int, part: str) -> random.Random:
    """The stream the direction, reason and 无 wordings are drawn from: seeded by the
    document, apart from the corpus stream, so that these wordings move no other draw."""
    return random.Random(f"{dept}:{year}:{part}")


def _compared(actual: int, budget: int, reason: str, phrasing: random.Random, *,
              flipped: bool = False, dropped: bool = False) -> str:
    """决算数大于 / 小于 年初预算数 (equal: 持平, and no reason is needed), the word read
    from the printed figures (a fault flips it), and the reason after it (a fault drops it)."""
    sign = (actual > budget) - (actual < budget)
    if flipped:
        sign = -sign or 1
    if sign == 0:
        return phrasing.choice(LEVEL) + "。"
    text = phrasing.choice(DIRECTIONS).format(word="大于" if sign > 0 else "小于")
    return text + ("" if dropped else phrasing.choice(REASONS).format(reason=reason)) + "。"


def _fund_none(fund: str, dept: str, year: str, phrasing: random.Random) -> str:
    return phrasing.choice(FUND_NONE).format(fund=fund, dept=dept, year=year)


def make_style(layout: str, rng: random.Random) -> Style:
    if layout == "tab":
        return Style(layout, " ", rng.uniform(0.6, 1.0), rng.random() < 0.4, "、",
                     rng.choice((("(", ")"), ("（", "）"))), rng.choice(("，", ",")), rng.random() < 0.2,
                     choose_phrases(rng))
    return Style(layout, "", rng.uniform(0.3, 0.9), rng.random() < 0.6, rng.choice((".", "、")),
                 ("（", "）"), "，", rng.random() < 0.2, choose_phrases(rng))


def _performance_paragraphs(facts: Facts, dept: str, style: Style, rng: random.Random) -> list[tuple[str, str]]:
    s, y = style.space, facts.year
    projects = facts.projects
    budget = sum(p.adjusted for p in projects)
    grades: dict[str, int] = {}
    for project in projects:
        grades[grade(project.total)] = grades.get(grade(project.total), 0) + 1
    grade_text = "，".join(f"{count}{s}个项目自评等级为{grade}" for grade, count in grades.items())
    out = [("p", f"（一）预算绩效管理工作开展情况。根据预算绩效管理要求，{dept}组织对{s}{y}{s}年度部门预算项目开展"
                 f"绩效自评，涵盖项目{s}{len(projects)}{s}个，涉及预算资金{s}{_num(budget, style, rng)}{s}万元。"),
           ("p", f"（二）项目绩效自评结果。{dept}{s}{y}{s}年度绩效自评的{s}{len(projects)}{s}个项目中，{grade_text}。"
                 f"今年在部门决算中反映了{s}{len(projects)}{s}个项目的绩效自评表。")]
    for number, project in enumerate(projects, start=1):
        out.append(("i", f"{number}. {project.name}绩效自评综述：根据年初设定的绩效目标，项目自评得分为{s}"
                         f"{fmt_points(project.total, False)}{s}分。全年预算数为{s}{fmt_short(project.adjusted, False)}{s}"
                         f"万元，执行数为{s}{fmt_short(project.executed, False)}{s}万元，完成预算的{s}"
                         f"{fmt_pct(project.rate)}%。项目绩效目标完成情况：{project.achieved}"))
    return out
