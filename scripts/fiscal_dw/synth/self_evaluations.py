"""项目支出绩效自评表: one or two self-evaluated projects per 项 with appropriation-funded
project spending, with indicators whose 得分 follow the printed rule."""
from __future__ import annotations

import random
from dataclasses import dataclass

from fiscal_dw.synth.amounts import fmt_pct, fmt_short, ratio_hundredths, wan
from fiscal_dw.synth.departments import SUBJECTS, Department, sector_topic
from fiscal_dw.synth.footing import TOLERANCE
from fiscal_dw.synth.money import YearMoney
from fiscal_dw.synth.printed import TOTAL_KEY, Printed


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
    topic = sector_topic(dept.sector)
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


def fmt_points(hundredths: int, keep_zeros: bool = True) -> str:
    """Points (never negative) as printed: '87.50', or '87.5' without the zeros."""
    return fmt_pct(hundredths, keep_zeros)


def grade(hundredths: int) -> str:
    return "优" if hundredths >= 9000 else "良" if hundredths >= 8000 else "中" if hundredths >= 6000 else "差"
