"""What the page-text readers share: results and messages, form-feed pages, tokens, the
placement of one table's rows and the raw row they become (see page_text.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.final_accounts import table_titles as tt
from fiscal_dw.extract.final_accounts.placement import (
    RowIdentity,
    TableIdentity,
    certain_cells,
    row_domain,
    solve,
)
from fiscal_dw.extract.rows import Extracted, RawRow
from fiscal_dw.extract.text import to_decimal

INFO, WARNING = "info", "warning"

AMOUNT = re.compile(r"^[-－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
FUNCTION_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
ECONOMIC_CODE = re.compile(r"^(?:30\d|31\d|399)(?:\d{2})?$")
CODE_PART = re.compile(r"^\d{2}$")
NUMBERED_ITEM = re.compile(r"^[一二三四五六七八九十]+[、.．]")
NOTE = re.compile(r"^注[：:]")
PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
UNIT = re.compile(r"^(?:金额)?单位[：:]")
TOTAL_LABELS = {"合计", "总计"}
# Header words of the functional tables that may share a line with the 合计 row.
HEADER_WORDS = {"类", "款", "项", "科目编码", "科目名称", "功能分类", "项目"}

# Words of the functional tables' column headers (as wrapped in print), to tell the header's
# last line from the start of a name wrapped around the first row.
COLUMN_WORDS = HEADER_WORDS | {
    "合计", "决算数", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
    "附属单位上缴收入", "附属单位上缴", "附属单位", "上缴收入", "收入", "其他收入", "功能分", "类科目", "编码",
    "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出",
    "对附属单位补助", "对附属单位", "对附属单位补", "补助支出", "助支出", "支出", "功能分类科目编码",
    "年初结转和", "年末结转和", "结余", "本年收入", "本年支出", "年初结转和结余", "年末结转和结余",
    "一般公共预算财政拨款支出决算数", "项 目", "单位：万元"}

# Columns per table kind (raw table, columns in printed order).
FUNCTION_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    tt.INCOME_BY_FUNCTION: ("raw_income_by_function", (
        "total", "fiscal_appropriation", "superior_subsidy", "business_income",
        "operating_income", "affiliate_remittance", "other_income")),
    tt.EXPENDITURE_BY_FUNCTION: ("raw_expenditure_by_function", (
        "total", "basic", "project", "remit_to_superior", "operating", "subsidy_to_affiliates")),
    tt.GENERAL_BUDGET_EXPENDITURE: ("raw_expenditure_by_function", ("total", "basic", "project")),
    tt.GOVERNMENT_FUND: ("raw_government_fund_by_function", (
        "carryover_begin", "income", "expenditure_total", "expenditure_basic",
        "expenditure_project", "carryover_end")),
}
STATE_CAPITAL_WITH_CARRYOVER = FUNCTION_TABLES[tt.GOVERNMENT_FUND]
STATE_CAPITAL_EXPENDITURE = ("raw_expenditure_by_function", ("total", "basic", "project"))
SUMMARY_COLUMNS = ("amount", "general_budget", "gov_fund", "state_capital")
THREE_PUBLIC_ITEMS = ("total", "overseas_travel", "vehicles", "vehicle_purchase",
                      "vehicle_operation", "official_reception")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Message:
    severity: str
    text: str
    table_kind: str = ""
    page: int | None = None
    line: int | None = None
    source_table: str = ""  # the table as the document names it (label, else title)


@dataclass(frozen=True)
class PageTable:
    """One of the nine tables as found in the page text."""

    kind: str
    source_table: str    # the label as printed, else the title as printed
    title: str
    page: int | None
    line: int            # the title's line
    rows: int            # printed rows read
    raw_rows: int        # raw rows written (三公: 12 cells of one printed row)
    unplaced_rows: int   # rows with a number not placed or a column not known
    declared_empty: str  # the note, when the table is printed empty with one


@dataclass
class PageTextTables(Extracted):
    layout: str = "page_text"
    messages: list[Message] = field(default_factory=list)
    # 收入支出决算总表's income side (name, amount; blank = 0), for 收入决算表's 合计 row
    summary_income: list[tuple[str, Decimal]] = field(default_factory=list)
    # 一般公共预算财政拨款支出决算表's certain cells by code ('合计' for its total row)
    general_budget: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    # 支出决算表's certain cells by code ('合计' for its total row)
    all_expenditure: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    # 财政拨款收入支出决算总表's 本年支出合计 (all appropriation spending), when certain
    appropriation_total: Decimal | None = None
    tables: list[PageTable] = field(default_factory=list)


# --------------------------------------------------------------------------- text


@dataclass(frozen=True)
class Segment:
    """A physical line, or the part of it on one page when a form feed falls inside it."""

    line: int   # 1-based physical line of the file
    page: int
    text: str
    last_on_page: bool


def segments(document: SourceDocument) -> list[Segment]:
    """The document's lines split at form feeds, each with its page (0 when the text has no
    form feed: no pages known)."""
    pieces: list[tuple[int, int, str]] = []
    page = 1 if any("\f" in line for line in document.lines) else 0
    for number, text in enumerate(document.lines, start=1):
        parts = text.split("\f")
        for index, part in enumerate(parts):
            if index:
                page += 1
            pieces.append((number, page, part))
    result = []
    for index, (number, page, text) in enumerate(pieces):
        nxt = pieces[index + 1][1] if index + 1 < len(pieces) else page + 1
        result.append(Segment(number, page, text, nxt != page))
    return result


_SPACED_LABEL = re.compile(r"(?<!\S)([合总])\s+计(?!\S)")


def tokens_of(text: str) -> list[str]:
    """A line's space-separated cells; a letter-spaced 合 计 / 总 计 is one label."""
    return _SPACED_LABEL.sub(r"\1计", text.replace("\u3000", " ")).split()


def is_amount(token: str) -> bool:
    return bool(AMOUNT.match(token))


def amount_of(token: str) -> Decimal:
    return to_decimal(token.replace("－", "-"))


def join_parts(parts: list[str]) -> str:
    return "".join(parts)


@dataclass
class TableRegion:
    title: tt.TableTitle
    body: list[Segment]
    header: list[Segment] = field(default_factory=list)
    header_words: list[str] = field(default_factory=list)  # printed on a data line (合计)
    empty_note: str = ""
    note_segment: Segment | None = None


# --------------------------------------------------------------------------- placement


def place_rows(rows_values: list[list[Decimal]], n_columns: int,
               row_identities: tuple[RowIdentity, ...],
               table_identities: list[TableIdentity]) -> tuple[list, list[str]]:
    """Domains of every row after the row and table identities, and notes about the table."""
    domains, notes, suspects = [], [], set()
    for index, values in enumerate(rows_values):
        domain, consistent = row_domain(values, n_columns, row_identities)
        domains.append(domain)
        if not consistent and row_identities:
            suspects.add(index)
    solution = solve(rows_values, domains, table_identities, suspects)
    if solution.set_aside:
        notes.append(f"{len(solution.set_aside)} identities not used to place numbers (the printed "
                     f"figures disagree, or they relate a row that does not add up itself): "
                     + "; ".join(i.label for i in solution.set_aside))
    if solution.contradiction:
        notes.append("the table's identities contradict each other; only each row's own "
                     "identities and figures known from other tables decide its placement")
    if solution.unused:
        notes.append(f"{len(solution.unused)} identities too large to use")
    return solution.domains, notes


def cells_row(columns: tuple[str, ...], numbers: list[str], domain) -> tuple[dict, list[str], list[str]]:
    cells = certain_cells(len(numbers), len(columns), domain)
    values = {column: "" for column in columns}
    for column, index in cells.placed.items():
        values[columns[column]] = numbers[index]
    missing = [columns[c] for c in sorted(cells.unknown)]
    unplaced = [numbers[i] for i in cells.unplaced]
    return values, missing, unplaced

def say_unplaced(result: PageTextTables, kind: str, row, unplaced: list[str], missing: list[str]) -> None:
    who = getattr(row, "code", "") or getattr(row, "label", "") or getattr(row, "name", "")
    if unplaced:
        text = (f"{who}: {len(unplaced)} of the row's numbers not placed ({'; '.join(unplaced)}): "
                f"they may be in {', '.join(missing)}")
    else:
        text = f"{who}: columns not known: {', '.join(missing)}"
    result.messages.append(Message(WARNING, text, kind, row.page, row.line))

def emit(result: PageTextTables, raw_table: str, region: TableRegion, line: int, page: int,
          values: RawRow) -> None:
    row = {"source_table": region.title.label or region.title.title, "source_line": str(line),
           "table_kind": region.title.kind, "source_page": str(page) if page else "", **values}
    result.add(raw_table, row)


class RepeatedHeader:
    """A table's header printed again at the top of a later page: lines there whose words
    all belong to the table's own header (or to the template's column titles) are set aside
    until the first line that is not."""

    def __init__(self, region: TableRegion, extra_words: frozenset[str] | set[str] = frozenset()):
        self.region = region
        self.words = set(COLUMN_WORDS) | set(extra_words)
        self.page: int | None = None
        self.at_top = False

    def learn(self, seg: Segment) -> None:
        """A line of the header on the table's first page."""
        self.words.update(tokens_of(seg.text))
        self.page = seg.page

    def skip(self, seg: Segment, starts_data: bool) -> bool:
        if self.page is not None and seg.page != self.page:
            self.page, self.at_top = seg.page, True
        tokens = tokens_of(seg.text)
        if self.at_top and not starts_data and tokens and all(t in self.words for t in tokens):
            self.region.header.append(seg)
            return True
        self.at_top = False
        return False

