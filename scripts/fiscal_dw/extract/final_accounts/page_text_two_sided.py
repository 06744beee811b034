"""The two-sided tables (收入支出决算总表, 财政拨款收入支出决算总表, 基本支出决算表) and the
三公 table from page text (page_text.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from fiscal_dw.extract.final_accounts import table_titles as tt
from fiscal_dw.extract.final_accounts.page_text_common import (
    ECONOMIC_CODE, INFO, NUMBERED_ITEM, SUMMARY_COLUMNS, THREE_PUBLIC_ITEMS, WARNING, Message,
    PageTextTables, RepeatedHeader, Segment, TableRegion, amount_of, cells_row, emit, is_amount,
    join_parts, place_rows, say_unplaced, tokens_of,
)
from fiscal_dw.extract.final_accounts.page_text_functional import leading_code
from fiscal_dw.extract.text import squeeze
from fiscal_dw.extract.final_accounts.placement import (
    RowIdentity, TableIdentity, Term, certain_cells, row_domain,
)
from fiscal_dw.extract.rows import Reject

# --------------------------------------------------------------------------- 公开01 / 公开04


_INCOME_LABELS = ("本年收入合计", "使用非财政拨款结余", "年初结转和结余", "年初财政拨款结转和结余",
                  "用事业基金弥补收支差额")
_EXPENDITURE_LABELS = ("本年支出合计", "结余分配", "年末结转和结余", "年末财政拨款结转和结余")
_SIDE_LABELS = _INCOME_LABELS + _EXPENDITURE_LABELS + ("总计",)


@dataclass
class SideItem:
    side: str
    name: list[str]
    numbers: list[str]
    line: int
    page: int

    @property
    def label(self) -> str:
        return join_parts(self.name)


def _is_item_start(token: str) -> bool:
    """一、… or a label such as 本年收入合计, 年初结转和结余 (possibly with a qualifier after it)."""
    return bool(NUMBERED_ITEM.match(token)) or squeeze(token).startswith(_SIDE_LABELS)


def _side_of(name: str) -> str:
    if name.startswith(_INCOME_LABELS) or "收入" in name or name.endswith("财政拨款"):
        return "income"
    return "expenditure"


_SUMMARY_HEADER_WORDS = {"收入", "支出", "项目", "决算数", "合计", "收入决算数", "支出决算数", "金额"}


def summary_items(region: TableRegion, result: PageTextTables) -> list[SideItem]:
    items: list[SideItem] = []
    started = False
    previous_line: list[SideItem] = []
    repeated = RepeatedHeader(region, _SUMMARY_HEADER_WORDS)
    for seg in region.body:
        tokens = tokens_of(seg.text)
        starts = [i for i, t in enumerate(tokens) if _is_item_start(t)]
        if not started:
            if not starts or starts[0] != 0 or not NUMBERED_ITEM.match(tokens[0]):
                region.header.append(seg)
                repeated.learn(seg)
                continue
            started = True
        elif repeated.skip(seg, bool(starts) or any(is_amount(t) for t in tokens)):
            continue
        if not starts or starts[0] != 0:
            head = tokens[: starts[0]] if starts else tokens
            if all(is_amount(t) for t in head):
                waiting = [item for item in previous_line if not item.numbers]
                if len(waiting) == 1 and head:
                    waiting[0].numbers = head
                    waiting[0].line, waiting[0].page = seg.line, seg.page
                elif head:
                    result.rejects.append(Reject(region.title.label, seg.line,
                                                 "numbers without an item", seg.text))
            elif previous_line:
                previous_line[-1].name.extend(head)  # the rest of a wrapped item name
            else:
                result.rejects.append(Reject(region.title.label, seg.line, "text outside any item",
                                             seg.text))
            if not starts:
                continue
            tokens = tokens[starts[0]:]
            starts = [i - starts[0] for i in starts]
        line_items = []
        for position, start in enumerate(starts):
            stop = starts[position + 1] if position + 1 < len(starts) else len(tokens)
            name = [t for t in tokens[start:stop] if not is_amount(t)]
            numbers = [t for t in tokens[start:stop] if is_amount(t)]
            line_items.append(SideItem("", name, numbers, seg.line, seg.page))
        if len(line_items) >= 2:
            line_items[0].side = "income"
            for item in line_items[1:]:
                item.side = "expenditure"
        else:
            line_items[0].side = _side_of(line_items[0].label)
        items.extend(line_items)
        previous_line = line_items
    return items


def parse_summary(region: TableRegion, result: PageTextTables) -> tuple[int, int]:
    kind = region.title.kind
    items = summary_items(region, result)
    income = [i for i in items if i.side == "income"]
    expenditure = [i for i in items if i.side == "expenditure"]
    width = 4 if kind == tt.APPROPRIATION_SUMMARY else 1
    unplaced_rows = 0
    for item in income:
        if len(item.numbers) > 1:
            result.rejects.append(Reject(region.title.label, item.line,
                                         "more than one amount for an income item",
                                         " ".join(item.name + item.numbers)))
    income = [i for i in income if len(i.numbers) <= 1]
    usable = []
    for item in expenditure:
        if len(item.numbers) > width:
            result.rejects.append(Reject(region.title.label, item.line,
                                         f"{len(item.numbers)} amounts for {width} columns",
                                         " ".join(item.name + item.numbers)))
        else:
            usable.append(item)
    values = [[amount_of(n) for n in item.numbers] for item in usable]
    row_ids = (RowIdentity(((0, 1), (1, -1), (2, -1), (3, -1)), "合计 = Σ funds"),) if width == 4 else ()
    identities = _summary_identities(income, usable, width) if width == 4 else []
    domains, notes = place_rows(values, width, row_ids, identities)
    header = squeeze("".join(seg.text for seg in region.header))
    unnamed = [mark for mark in ("一般公共", "政府性基", "国有资本") if mark not in header] if width == 4 else []
    if unnamed:  # the fund columns are not the template's: nothing of the expenditure side placed
        notes.append(f"the header does not name the columns {', '.join(unnamed)}…: no expenditure "
                     "amount of this table is placed")
        domains = [[] for _ in usable]
    for note in notes:
        result.messages.append(Message(INFO if not unnamed else WARNING, note, kind,
                                       region.title.page, region.title.line_index + 1))
    if kind == tt.INCOME_EXPENDITURE_SUMMARY and not result.summary_income:
        result.summary_income = [(i.label, amount_of(i.numbers[0]) if i.numbers else Decimal(0))
                                 for i in income]
    for line_no, item in enumerate(income, start=1):
        emit(result, "raw_income_expenditure_summary", region, item.line, item.page, {
            "side": "income", "line_no": str(line_no), "item_name": item.label,
            "amount": item.numbers[0] if item.numbers else "", "missing_cells": "",
            "unplaced_values": ""})
    columns = SUMMARY_COLUMNS[:width]
    for offset, (item, domain) in enumerate(zip(usable, domains), start=len(income) + 1):
        cells, missing, unplaced = cells_row(columns, item.numbers, domain)
        if (kind == tt.APPROPRIATION_SUMMARY and item.label == "本年支出合计"
                and "amount" not in missing and result.appropriation_total is None):
            result.appropriation_total = amount_of(cells["amount"]) if cells["amount"] else Decimal(0)
        if unplaced or missing:
            unplaced_rows += 1
            say_unplaced(result, kind, item, unplaced, missing)
        emit(result, "raw_income_expenditure_summary", region, item.line, item.page, {
            "side": "expenditure", "line_no": str(offset), "item_name": item.label, **cells,
            "missing_cells": ";".join(missing), "unplaced_values": ";".join(unplaced)})
    return len(income) + len(usable), unplaced_rows


_FUNDS = (("一般公共预算", 1), ("政府性基金", 2), ("国有资本经营", 3))


def _summary_identities(income: list[SideItem], expenditure: list[SideItem], width: int) -> list[TableIdentity]:
    """公开04: per column 本年支出合计 = Σ 类 and 总计 = 本年支出合计 + 年末; per fund
    本年收入 + 年初结转 = 本年支出合计 + 年末结转 (the income side prints one amount per line)."""
    identities = []
    index = {item.label: i for i, item in enumerate(expenditure)}
    classes = [i for i, item in enumerate(expenditure) if NUMBERED_ITEM.match(item.label)]
    total = index.get("本年支出合计")
    end = next((i for i, item in enumerate(expenditure) if item.label.startswith("年末")), None)
    grand = index.get("总计")
    for column in range(width):
        if total is not None and classes:
            identities.append(TableIdentity(
                (Term(total, column),) + tuple(Term(c, column, -1) for c in classes),
                label=f"本年支出合计 = Σ 类, column {column + 1}"))
        if grand is not None and total is not None:
            terms = (Term(grand, column), Term(total, column, -1))
            if end is not None:
                terms += (Term(end, column, -1),)
            identities.append(TableIdentity(terms, label=f"总计 = 本年支出合计 + 年末, column {column + 1}"))
    if total is None:
        return identities
    amount = lambda item: amount_of(item.numbers[0]) if item.numbers else Decimal(0)  # noqa: E731
    begin_at = next((i for i, item in enumerate(income) if item.label.startswith("年初")), None)
    current = income[:begin_at] if begin_at is not None else income
    carried = income[begin_at + 1:] if begin_at is not None else []
    for word, column in _FUNDS:
        received = [amount(i) for i in current if word in i.label and NUMBERED_ITEM.match(i.label)]
        begun = [amount(i) for i in carried if word in i.label]
        if len(received) != 1 or len(begun) > 1:
            continue
        constant = -(received[0] + (begun[0] if begun else Decimal(0)))
        terms = (Term(total, column),) + ((Term(end, column),) if end is not None else ())
        identities.append(TableIdentity(terms, constant, f"{word}: 收入 + 年初 = 支出 + 年末"))
    return identities


# --------------------------------------------------------------------------- 公开06


@dataclass
class EconomicEntry:
    code: str
    label: str
    inline: list[str]
    numbers: list[str]
    line: int
    page: int
    head: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.label or join_parts(self.head + self.inline + self.tail)


def _economic_groups(tokens: list[str]) -> list[EconomicEntry] | None:
    groups: list[EconomicEntry] = []
    i = 0
    while i < len(tokens):
        code, used = leading_code(tokens[i:], ECONOMIC_CODE)
        token = tokens[i]
        if code:
            groups.append(EconomicEntry(code, "", [], [], 0, 0))
            i += used
            continue
        if token.endswith("合计") and not is_amount(token):
            groups.append(EconomicEntry("", token, [], [], 0, 0))
        elif not groups:
            return None
        elif is_amount(token):
            groups[-1].numbers.append(token)
        else:
            groups[-1].inline.append(token)
        i += 1
    return groups


def parse_economic(region: TableRegion, result: PageTextTables) -> tuple[int, int]:
    kind = region.title.kind
    lines: list[tuple[Segment, list[EconomicEntry] | None, list[str]]] = []
    started = False
    repeated = RepeatedHeader(region, {"经济分类", "科目编码", "科目名称", "决算数", "类", "款"})
    for seg in region.body:
        tokens = tokens_of(seg.text)
        groups = _economic_groups(tokens)
        if groups is not None and not started:
            started = True
        if not started:
            region.header.append(seg)
            repeated.learn(seg)
            continue
        if repeated.skip(seg, groups is not None or any(is_amount(t) for t in tokens)):
            continue
        lines.append((seg, groups, tokens))
    entries: list[EconomicEntry] = []
    previous: list[EconomicEntry] = []
    for seg, groups, tokens in lines:
        if groups is None:
            if all(is_amount(t) for t in tokens):
                waiting = [g for g in previous if not g.numbers]
                if len(waiting) == 1:
                    waiting[0].numbers, waiting[0].line, waiting[0].page = tokens, seg.line, seg.page
                else:
                    result.rejects.append(Reject(region.title.label, seg.line,
                                                 "numbers without an economic code", seg.text))
            continue
        for group in groups:
            group.line, group.page = seg.line, seg.page
        entries.extend(groups)
        previous = groups
    _economic_names(lines)
    unplaced_rows = 0
    for entry in entries:
        missing, unplaced = "", ""
        amount = entry.numbers[0] if len(entry.numbers) == 1 else ""
        if len(entry.numbers) > 1:
            missing, unplaced = "amount", ";".join(entry.numbers)
            unplaced_rows += 1
            result.messages.append(Message(
                WARNING, f"{entry.code or entry.label}: {len(entry.numbers)} numbers for one "
                f"amount, not placed: {'; '.join(entry.numbers)}", kind, entry.page, entry.line))
        emit(result, "raw_basic_expenditure_by_economic", region, entry.line, entry.page, {
            "economic_code": entry.code, "economic_name": entry.name, "amount": amount,
            "missing_cells": missing, "unplaced_values": unplaced})
    return len(entries), unplaced_rows


def _economic_names(lines) -> None:
    """Name fragments on the text lines around the code lines. First the groups printed
    without a name take the fragment above and below them (a line of as many fragments as
    the code line has groups, or as it has unnamed groups, gives them out by position); then
    what is left continues the name of a group on the code line above, by position again."""
    def is_fragment_line(at: int) -> bool:
        return 0 <= at < len(lines) and lines[at][1] is None and not any(
            is_amount(t) for t in lines[at][2])

    claimed: set[tuple[int, int]] = set()

    def give(at: int, targets: list[EconomicEntry], groups: list[EconomicEntry], where: str) -> None:
        tokens = lines[at][2]
        free = [i for i in range(len(tokens)) if (at, i) not in claimed]
        if len(tokens) == len(groups):
            pairs = [(groups.index(t), t) for t in targets]
        elif len(free) == len(targets):
            pairs = list(zip(free, targets))
        elif len(targets) == 1 and free:
            for i in free:
                claimed.add((at, i))
            getattr(targets[0], where).append(join_parts([tokens[i] for i in free]))
            return
        else:
            return
        for i, target in pairs:
            if (at, i) not in claimed:
                claimed.add((at, i))
                getattr(target, where).append(tokens[i])

    code_lines = [i for i, (_, groups, _) in enumerate(lines) if groups]
    for index in code_lines:
        groups = [g for g in lines[index][1] if g.code]
        unnamed = [g for g in groups if not g.inline]
        if not unnamed:
            continue
        if is_fragment_line(index - 1):
            give(index - 1, unnamed, groups, "head")
        if is_fragment_line(index + 1):
            give(index + 1, unnamed, groups, "tail")
    for index in code_lines:
        groups = [g for g in lines[index][1] if g.code]
        if groups and is_fragment_line(index + 1):
            give(index + 1, groups if len(lines[index + 1][2]) == len(groups) else groups[-1:],
                 groups, "tail")


# --------------------------------------------------------------------------- 三公


def parse_three_public(region: TableRegion, result: PageTextTables) -> tuple[int, int]:
    kind = region.title.kind
    header_text = squeeze(" ".join(s.text for s in region.body if not all(
        is_amount(t) for t in tokens_of(s.text))))
    if not all(mark in header_text for mark in ("合计", "因公出国", "购置", "运行", "接待")):
        result.rejects.extend(Reject("", seg.line, "三公 header does not match the template", seg.text)
                              for seg in region.body if all(is_amount(t) for t in tokens_of(seg.text)))
        return 0, 0
    numbers: list[str] = []
    line = page = 0
    for seg in region.body:
        tokens = tokens_of(seg.text)
        if tokens and all(is_amount(t) for t in tokens):
            numbers.extend(tokens)
            line, page = seg.line, seg.page
    if not numbers:
        return 0, 0
    # The cell order from the header: 预算数/决算数 per item (Shanghai), or all 预算数 then all
    # 决算数 (national); anything else cannot be placed.
    phase_pairs = "预算数决算数预算数决算数" in header_text
    if not phase_pairs and not (header_text.count("预算数") == 1 and header_text.count("决算数") == 1
                                and header_text.index("预算数") < header_text.index("决算数")):
        result.rejects.append(Reject(region.title.label or region.title.title, line,
                                     "三公 header order not recognised", " ".join(numbers)))
        return 0, 0
    n = 2 * len(THREE_PUBLIC_ITEMS)

    def column(item: int, phase: int) -> int:  # printed position of (item, phase)
        return 2 * item + phase if phase_pairs else phase * len(THREE_PUBLIC_ITEMS) + item

    identities = []
    for phase in (0, 1):
        identities.append(RowIdentity(((column(0, phase), 1), (column(1, phase), -1),
                                       (column(2, phase), -1), (column(5, phase), -1)),
                                      "合计 = 出国 + 车 + 接待"))
        identities.append(RowIdentity(((column(2, phase), 1), (column(3, phase), -1),
                                       (column(4, phase), -1)), "车 = 购置 + 运维"))
    values = [amount_of(t) for t in numbers]
    if len(numbers) > n:
        result.rejects.append(Reject(region.title.label, line, f"{len(numbers)} numbers for {n} cells",
                                     " ".join(numbers)))
        return 0, 0
    domain, consistent = row_domain(values, n, tuple(identities))
    cells = certain_cells(len(values), n, domain)
    by_position = {c: numbers[i] for c, i in cells.placed.items()}
    unplaced = [numbers[i] for i in cells.unplaced]
    names = {}
    for item, name in enumerate(THREE_PUBLIC_ITEMS):
        for phase in (0, 1):
            names[column(item, phase)] = (item, phase)
    missing_names = []
    for position in range(n):
        item, phase = names[position]
        number = phase * len(THREE_PUBLIC_ITEMS) + item + 1
        missing = position in cells.unknown
        if missing:
            missing_names.append(f"{('budget', 'actual')[phase]} {THREE_PUBLIC_ITEMS[item]}")
        emit(result, "raw_three_public_expenses", region, line, page, {
            "column_no": str(number), "phase": ("budget", "actual")[phase],
            "expense_item": THREE_PUBLIC_ITEMS[item], "amount": by_position.get(position, ""),
            "missing_cells": "amount" if missing else "",
            "unplaced_values": ";".join(unplaced) if missing else ""})
    if len(numbers) < n:
        result.messages.append(Message(
            INFO if not unplaced else WARNING,
            f"三公 row prints {len(numbers)} of {n} cells" + (
                f"; not placed: {'; '.join(unplaced)} (may be in {', '.join(missing_names)})"
                if unplaced else "; the row's identities place every number"),
            kind, page, line))
    return 1, 1 if unplaced else 0
