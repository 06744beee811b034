"""The nine tables' rows as every rendering prints them (text in render.py, PDF in
render_pdf.py): titles, notes, the code tables' rows, the two summaries' paired lines and
公开06's three groups, each from the printed figures (``printed.Printed``)."""
from __future__ import annotations

from fiscal_dw.synth.catalogue import CLASS_LINES, ECONOMIC_CLASSES, PERSONNEL_CLASSES
from fiscal_dw.synth.departments import SUBJECTS
from fiscal_dw.synth.printed import (
    SUMMARY01_CLASS_FIRST_LINE,
    SUMMARY04_CLASS_FIRST_LINE,
    TOTAL_KEY,
    Printed,
)

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
    9: "本部门没有财政拨款“三公”经费预算和支出，故本表无数据。",
}
INCOME_ITEMS01 = ("一、一般公共预算财政拨款收入", "二、政府性基金预算财政拨款收入", "三、国有资本经营预算财政拨款收入",
                  "四、上级补助收入", "五、事业收入", "六、经营收入", "七、附属单位上缴收入", "八、其他收入")
INCOME_ITEMS04 = ("一、一般公共预算财政拨款", "二、政府性基金预算财政拨款", "三、国有资本经营预算财政拨款")
CN_ORDINALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
                "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五",
                "二十六")
CLASS_ITEMS = tuple(f"{CN_ORDINALS[i]}、{name}" for i, (_, name) in enumerate(CLASS_LINES))


def code_rows(p: Printed, number: int) -> list[tuple[str, str, list[int]]]:
    rows = p.code_tables[number]
    out = [("", TOTAL_KEY, rows[TOTAL_KEY])]
    out += [(code, SUBJECTS[code].name, rows[code]) for code in rows if code != TOTAL_KEY]
    return out


def summary_rows(p: Printed, number: int) -> list[tuple[str, str, list[int] | None, str, str, list[int] | None]]:
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


def economic_grid(p: Printed) -> list[list[tuple[str, str, int] | None]]:
    """34 rows × 3 groups: group 1 人员经费 (301, 303), 2 = 302, 3 = 307, 310, 312, 399."""
    groups: list[list[tuple[str, str, int]]] = [[], [], []]
    for class_code, class_name, items in ECONOMIC_CLASSES:
        target = 0 if class_code in PERSONNEL_CLASSES else (1 if class_code == "302" else 2)
        groups[target].append((class_code, class_name, p.economic[class_code]))
        groups[target].extend((code, name, p.economic[code]) for code, name in items)
    height = max(len(g) for g in groups)
    return [[g[i] if i < len(g) else None for g in groups] for i in range(height)]


def declared_empty(p: Printed, number: int) -> bool:
    """Whether table ``number`` is printed with its 无数据 note: 公开08 always, 公开07 without
    政府性基金 money (both unless a fault left the note out, ``p.empty_note``), 公开09 when every
    三公 figure, budget and actual, is 0."""
    if number == 9:
        return not any(value for phase in p.three_public.values() for value in phase.values())
    return p.empty_note and (number == 8 or (number == 7 and len(p.code_tables[7]) == 1))
