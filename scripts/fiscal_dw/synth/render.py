"""Rendering a document as text in the two layouts seen in real exports: tab-separated (like
Jinan's) and space-separated with wrapped cells and broken headers (like Qingdao's)."""
from __future__ import annotations

import random
import re
from collections.abc import Sequence

from fiscal_dw.synth.amounts import fmt, fmt_pct, fmt_short
from fiscal_dw.synth.departments import Department, sector_topic
from fiscal_dw.synth.narrative import Style
from fiscal_dw.synth.printed import THREE_PUBLIC_ITEMS, TOTAL_KEY, Printed
from fiscal_dw.synth.self_evaluations import Project, fmt_points
from fiscal_dw.synth.table_rows import (
    CN_ORDINALS,
    EMPTY_TABLE_NOTES,
    TABLE_NOTES,
    TABLE_TITLES,
    code_rows,
    declared_empty,
    economic_grid,
    summary_rows,
)

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
        for inc_item, inc_no, inc_values, exp_item, exp_no, exp_values in summary_rows(p, number):
            inc = [inc_item, inc_no, *(_cells(inc_values, "tab") if inc_values is not None else [""])]
            width = 1 if number == 1 else 4
            exp = [exp_item, exp_no, *(_cells(exp_values, "tab") if exp_values is not None else [""] * width)]
            body.append("\t".join(inc + exp))
    elif number == 6:
        for groups in economic_grid(p):
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
        for code, name, values in code_rows(p, number):
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
    w.add(TABLE_NOTES[number] if not declared_empty(p, number)
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
        for inc_item, inc_no, inc_values, exp_item, exp_no, exp_values in summary_rows(p, number):
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
        for groups in economic_grid(p):
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
        for code, name, values in code_rows(p, number):
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
    if declared_empty(p, number):
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
    toc = ["第一部分 部门概况", "第二部分 部门决算表", *(f"{CN_ORDINALS[i - 1]}、{TABLE_TITLES[i]}" for i in range(1, 10)),
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
    w.add(f"{name}贯彻落实党中央、国务院和省委、省政府、市委、市政府关于{sector_topic(dept.sector)}"
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
        if number == p.left_out:
            continue
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


def render_self_evaluations(w: Writer, projects: list[Project], year: int, rng: random.Random) -> None:
    """第五部分 附件 as in Jinan's export: 自评情况汇总表, then one 项目支出绩效自评表 per project."""
    w.lines += ["第五部分", "", "附 件", "", "自评情况汇总表", "",
                "序号\t单位名称\t项目名称\t预算执行率\t自评得分"]
    for number, project in enumerate(projects, start=1):
        w.add(f"{number}\t{project.unit}\t{project.name}\t{fmt_pct(project.rate, True)}%\t"
              f"{fmt_points(project.total, False)}")
    w.add()
    for project in projects:
        w.lines += [f"项目支出绩效自评表 ({year}年度)", "", "单位：万元", ""]

        def amount(value: int) -> str:
            return fmt_short(value, False) if value else "0"

        w.add(f"项目名称\t\t{project.name}\t\t\t\t\t\t\t")
        w.add(f"主管部门\t\t{project.unit}\t\t\t实施单位\t{project.unit}\t\t\t")
        w.add("项目预算执行情况\t\t年初预算数\t全年预算数 (A)\t全年执行数 (B)\t分值\t执行率 (B/A)\t得分\t\t")
        w.add(f"\t\t年度资金总额\t{amount(project.initial)}\t{amount(project.adjusted)}\t"
              f"{amount(project.executed)}\t10\t{fmt_pct(project.rate, True)}%\t{fmt_points(project.budget_score, False)}\t")
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
                             str(indicator.weight), fmt_points(indicator.score, False), indicator.note, ""]))
        w.add(f"\t总分\t\t\t{fmt_points(project.total)}\t\t\t\t")
        w.add("总分在80分以下的项目未实现绩效目标的原因分析及拟采取的措施说明：\t\t\t\t\t\t\t\t")
        w.add()
