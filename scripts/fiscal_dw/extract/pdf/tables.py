"""The nine standard tables of a PDF, read from the ruled grids of its pages.

A table starts at its title (``table_titles``: the kind comes from the title, never from a
number) and takes the grids that follow it, on its page and the next ones, until the next
title or part heading: a table broken across pages continues whether or not its header is
printed again. In each grid the header is the top bands made of header words only; the body
bands' vertical rules give the table's columns, and each column is named by every header
cell above it, so it maps onto a raw-table column by its label (``headers``). Every non-empty
cell of a body band reaches a raw row or a reject naming page and row; nothing is dropped."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from fiscal_dw.extract.final_accounts import table_titles as tt
from fiscal_dw.extract.final_accounts.inventory import FoundTable, inventory_rows
from fiscal_dw.extract.pdf import columns as col
from fiscal_dw.extract.pdf.geometry import Band, Grid, Page
from fiscal_dw.extract.pdf.headers import (
    Leaf, assign_fields, column_leaves, covered_leaves, matching_leaf, name_leaves, required_columns,
    split_header)
from fiscal_dw.extract.pdf.unruled import virtual_grids
from fiscal_dw.extract.rows import Extracted, Reject
from fiscal_dw.extract.schemas import AMOUNT_COLUMNS
from fiscal_dw.extract.text import is_decimal_amount, squeeze

ERROR, WARNING, INFO = "error", "warning", "info"

_GRID_MARK = "\u2502"  # stands for a grid in the list of a document's lines
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
_CODE_PART = re.compile(r"^\d{2,3}$")
# in a ruled amount column a bare integer is an amount too (the cell says which column it is)
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


@dataclass
class Message:
    severity: str
    text: str
    table: str = ""
    page: int | str = ""
    line: int | str = ""


@dataclass
class PdfTable:
    kind: str
    title: str
    label: str
    page: int
    row_on_page: int
    grids: list[tuple[Page, Grid]] = field(default_factory=list)
    note: str = ""
    closed: bool = False  # a note or other text followed its last grid
    # lines with amounts printed within the table's span but outside its grids
    loose: list[tuple[int, int, str]] = field(default_factory=list)
    # every line after the title up to a note (page, row on the page, index in page.char_lines):
    # a table printed without vertical rules is read from them (``unruled``)
    text_lines: list[tuple[Page, int, int]] = field(default_factory=list)
    text_closed: bool = False

    @property
    def source_table(self) -> str:
        """The label as printed (公开01表 -> 公开01, as the text extractor has it), else the title."""
        label = squeeze(self.label)
        if label.startswith("公开") and label.endswith("表"):
            label = label[:-1]
        label = label.rstrip("、.．")
        return label or squeeze(self.title)


@dataclass
class PdfTables(Extracted):
    tables: list[PdfTable] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    inventory: list[dict[str, str]] = field(default_factory=list)


# --- finding the tables ----------------------------------------------------------------------

def page_items(page: Page) -> list[tuple[float, str, object]]:
    """A page's text lines outside grids and its grids, top to bottom."""
    items: list[tuple[float, str, object]] = []
    for top, text in page.lines:
        items.append((top, "line", text))
    for grid in page.grids:
        items.append((grid.top, "grid", grid))
    items.sort(key=lambda item: (item[0], item[1] != "line"))
    return items


def find_tables(pages: list[Page], result: PdfTables) -> list[PdfTable]:
    lines: list[str] = []
    sequence: list[tuple[Page, str, object, int]] = []
    line_on_page: dict[int, int] = {}  # index in ``lines`` -> index in its page's char_lines
    for page in pages:
        row = 0
        page_line = 0
        for _, kind, item in page_items(page):
            row += 1 if kind == "line" else len(item.bands)
            if kind == "line":
                sequence.append((page, "line", len(lines), row))
                line_on_page[len(lines)] = page_line
                page_line += 1
                lines.append(item)
            else:
                item.first_row = row - len(item.bands) + 1
                sequence.append((page, "grid", item, item.first_row))
                # a grid stands between the lines around it: two titles with a table between
                # them are not neighbours (entries of a table of contents are)
                lines.append(_GRID_MARK)
    titles = {title.line_index: title for title in tt.find_titles(lines)}
    tables: list[PdfTable] = []
    current: PdfTable | None = None

    def start(found, page: Page, row: int) -> PdfTable:
        if current is not None and current.kind == found.kind and not current.closed and (
                current.grids or (current.loose and not current.text_closed)):
            return current  # the title printed again over the table's next page (（续）or not)
        tables.append(PdfTable(found.kind, found.title, found.label, page.number, row))
        return tables[-1]

    for page, kind, item, row in sequence:
        if kind == "grid":
            first = [t for t in item.bands[0].texts() if t]
            inner = next((found for found in map(tt.match_title, first) if found), None) \
                if len(first) <= 3 and len(item.bands) > 1 else None
            if inner is not None:  # the title printed as the grid's first row
                current = start(inner, page, row)
                item.bands = item.bands[1:]
                item.first_row += 1
            if current is not None and not current.closed:
                current.grids.append((page, item))
            elif current is not None:
                result.messages.append(Message(INFO, f"page {page.number}: a ruled table after "
                                               f"{current.title} and its note, not read", page=page.number))
            continue
        text = lines[item]
        title = titles.get(item)
        if title is not None:
            current = start(title, page, row)
            continue
        if current is None:
            continue
        if _PART_HEADING.match(squeeze(text)):
            current = None
            continue
        note = tt.is_empty_table_note(text)
        if note:
            current.note = (current.note + note) if current.note else note
        instruction = tt.is_template_instruction(text)
        if instruction:
            result.messages.append(Message(INFO, f"page {page.number}: template instruction left in "
                                           f"the document under {current.title}: {instruction}",
                                           current.source_table, page.number, row))
        remark = note or instruction or squeeze(text).startswith(("注", "说明"))
        if not remark and any(is_decimal_amount(token) for token in text.split()):
            current.loose.append((page.number, row, text))
        if current.grids and remark:
            current.closed = True
        if remark and current.loose:
            current.text_closed = True
        if not remark and not current.text_closed:
            current.text_lines.append((page, row, line_on_page[item]))
    return tables


# --- reading a table -------------------------------------------------------------------------

RAW_TABLE_BY_KIND = {kind.kind: kind.raw_table for kind in tt.TABLE_KINDS}
FUNCTION_COLUMNS = {table: AMOUNT_COLUMNS[table] for table in (
    "raw_income_by_function", "raw_expenditure_by_function", "raw_government_fund_by_function")}


def read_table(document_id: str, table: PdfTable, result: PdfTables) -> int:
    """Raw rows of one table; returns how many."""
    leaves: list[Leaf] | None = None
    rows_before = sum(len(rows) for rows in result.rows.values())
    state = _TableState()
    for number, (page, grid) in enumerate(table.grids):
        # tables of codes: a band without amounts or codes above the first row is header, whatever
        # its words; the two-sided tables print rows of names only, so there header words decide
        if grid.header_bands >= 0:  # an unruled table's grid: its header is known
            header, body = grid.bands[:grid.header_bands], grid.bands[grid.header_bands:]
        else:
            header, body = split_header(grid, first=number == 0,
                                        any_words=table.kind not in (tt.INCOME_EXPENDITURE_SUMMARY,
                                                                     tt.APPROPRIATION_SUMMARY))
        if not body:
            continue
        page_leaves = column_leaves(grid.bands)
        if header:
            name_leaves(header, body, page_leaves)
            assign_fields(table.kind, page_leaves)
            missing = required_columns(table.kind, page_leaves)
            if missing:
                _reject_grid(table, page, grid, body, result,
                             f"columns not recognised ({', '.join(missing)}): "
                             + " | ".join("/".join(leaf.pieces) or "?" for leaf in page_leaves))
                continue
            leaves = page_leaves
        elif leaves is None:
            _reject_grid(table, page, grid, body, result, "no header row: its columns cannot be named")
            continue
        else:
            matched = [matching_leaf(leaf, leaves) for leaf in page_leaves]
            if any(known is None for known in matched):
                _reject_grid(table, page, grid, body, result,
                             "continued table whose columns differ from the page before and print no header")
                continue
            for leaf, known in zip(page_leaves, matched):
                leaf.field, leaf.side, leaf.pieces = known.field, known.side, known.pieces
        first_row = _first_row(page, grid)
        in_body = {id(band) for band in body}
        for offset, band in enumerate(grid.bands):
            if id(band) not in in_body:
                continue
            _read_band(document_id, table, page, band.row or first_row + offset, band, page_leaves, state,
                       result)
    _finish(table, state, result, document_id)
    return sum(len(rows) for rows in result.rows.values()) - rows_before


def _first_row(page: Page, grid: Grid) -> int:
    return grid.first_row or 1


@dataclass
class _TableState:
    last_class: str = ""
    last_kuan: str = ""
    summary: list[dict[str, str]] = field(default_factory=list)
    three_public: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    sides: dict[str, "_TableState"] = field(default_factory=dict)  # 类/款 carried per side
    # the current row's values whose column is not certain (unruled tables): (value, the
    # columns it may be in, their side)
    unplaced: list[tuple[str, list[str], str]] = field(default_factory=list)
    three_public_unplaced: list[tuple[str, list[str]]] = field(default_factory=list)


def _pending(state: _TableState, side: str | None, taken: dict[str, str]) -> dict[str, str]:
    """``unplaced_values`` and ``missing_cells`` of a row (of one side): the columns an unplaced
    value may be in are unknown, not blank."""
    own = [(value, fields) for value, fields, where in state.unplaced if side is None or where == side]
    if not own:
        return {}
    missing = sorted({f for _, fields in own for f in fields if not taken.get(f)})
    return {"unplaced_values": ";".join(value for value, _ in own), "missing_cells": ";".join(missing)}


def _reject(table: PdfTable, page: Page, row: int, reason: str, text: str, result: PdfTables) -> None:
    result.rejects.append(Reject(table.source_table, row, reason, text, source_page=str(page.number),
                                 table_kind=table.kind))


def _reject_grid(table, page, grid, body, result, reason) -> None:
    result.messages.append(Message(WARNING, f"{table.title} (page {page.number}): {reason}",
                                   table.source_table, page.number))
    first = _first_row(page, grid)
    in_body = {id(band) for band in body}
    for offset, band in enumerate(grid.bands):
        if id(band) in in_body and not (band.empty and not band.unplaced):
            _reject(table, page, band.row or first + offset, reason,
                    " | ".join([*band.texts(), *(value for value, _, _ in band.unplaced)]), result)


def _cells_by_leaf(band: Band, leaves: list[Leaf]) -> tuple[dict[int, str], list[str]]:
    """Each non-empty cell's text on the column it belongs to; problems as reasons."""
    placed: dict[int, str] = {}
    problems = []
    for cell in band.cells:
        text = cell.text.strip()
        if not text:
            continue
        covered = covered_leaves(leaves, cell.x0, cell.x1)
        if len(covered) == 1:
            target = covered[0]
        else:
            amount = bool(_AMOUNT.match(squeeze(text)))
            candidates = [i for i in covered
                          if (leaves[i].field in col.LABEL_FIELDS or leaves[i].field == "item_name"
                              or not leaves[i].field) != amount]
            labels = [i for i in covered if leaves[i].field in (col.NAME, "item_name")]
            if not amount and labels:
                # a label merged over the amount column of one side into the next side's
                # columns (公开06: 公用经费合计 over its two groups) names a row of the last side
                # it reaches: the side whose amount column it covers has no amount in this row
                before_last = covered[:covered.index(labels[-1])]
                over_amount = any(leaves[i].field and leaves[i].field not in col.LABEL_FIELDS
                                  and leaves[i].field != "item_name" for i in before_last)
                target = labels[-1] if over_amount else labels[0]
            elif len(candidates) == 1:
                target = candidates[0]
            else:
                problems.append(f"'{text}' in a cell spanning {len(covered)} columns")
                continue
        placed[target] = (placed[target] + text) if target in placed else text
    return placed, problems


def _read_band(document_id: str, table: PdfTable, page: Page, row: int, band: Band,
               leaves: list[Leaf], state: _TableState, result: PdfTables) -> None:
    state.unplaced = []
    for value, x0, x1 in band.unplaced:
        over = [leaf for leaf in leaves if leaf.x0 < x1 - 0.5 and x0 + 0.5 < leaf.x1]
        fields = [leaf.field for leaf in over if leaf.field and leaf.field not in col.LABEL_FIELDS]
        state.unplaced.append((squeeze(value), fields, over[0].side if over else ""))
        result.messages.append(Message(
            WARNING, f"{table.title} (page {page.number}, row {row}): '{value}' not placed: it stands "
            f"across {len(over)} columns ({', '.join(fields) or 'none named'}); kept in unplaced_values",
            table.source_table, page.number, row))
    if band.empty and not band.unplaced:
        if table.kind == tt.THREE_PUBLIC:  # a 三公 row printed blank: twelve blank (zero) cells
            state.three_public.setdefault("_row", ("", page.number, row))
        return
    placed, problems = _cells_by_leaf(band, leaves)
    # 类/款/项 printed in the first body band beside the 合计 row are header words
    placed = {i: t for i, t in placed.items()
              if not (leaves[i].field in (col.CODE_CLASS, col.CODE_KUAN, col.CODE_XIANG, col.CODE)
                      and squeeze(t) in ("类", "款", "项"))}
    line_text_ = " | ".join([*band.texts(), *(value for value, _, _ in band.unplaced)])
    for index, text in placed.items():
        leaf = leaves[index]
        if leaf.field is None:
            problems.append(f"'{text}' under a column not recognised ({'/'.join(leaf.pieces) or 'no header'})")
        elif leaf.field in col.LABEL_FIELDS or leaf.field == "item_name":
            continue
        elif not _AMOUNT.match(squeeze(text)):
            problems.append(f"'{text}' is not an amount ({leaf.field})")
    if problems:
        _reject(table, page, row, "; ".join(problems), line_text_, result)
        return
    if table.kind in (tt.INCOME_EXPENDITURE_SUMMARY, tt.APPROPRIATION_SUMMARY):
        _summary_rows(document_id, table, page, row, placed, leaves, state)
    elif table.kind == tt.THREE_PUBLIC:
        if any(key != "_row" and value[0] for key, value in state.three_public.items()):
            _reject(table, page, row, "a second row of figures in the 三公 table", line_text_, result)
            return
        for index, text in placed.items():
            state.three_public[leaves[index].field] = (squeeze(text), page.number, row)
        state.three_public.setdefault("_row", ("", page.number, row))
        state.three_public_unplaced.extend((value, fields) for value, fields, _ in state.unplaced)
    elif table.kind == tt.BASIC_EXPENDITURE_BY_ECONOMIC:
        _economic_rows(document_id, table, page, row, placed, leaves, state, result, line_text_)
    else:
        _function_row(document_id, table, page, row, placed, leaves, state, result, line_text_)


def _base(document_id: str, table: PdfTable, page: Page, row: int) -> dict[str, str]:
    return {"document_id": document_id, "source_table": table.source_table, "source_line": str(row),
            "table_kind": table.kind, "source_page": str(page.number)}


def _code(parts: dict[str, str], state: _TableState) -> tuple[str, str]:
    """(code, problem): the code printed whole or as 类/款/项 parts; a 款 or 项 printed
    without its 类 takes the 类 (and 款) of the row above."""
    whole = squeeze(parts.get(col.CODE, ""))
    if whole:
        digits = re.sub(r"\D", "", whole)
        if not _CODE.match(digits) and not (len(digits) == 5 and digits.startswith("3")):
            return "", f"code '{whole}' not a 3/5/7-digit subject code"
        return digits, ""
    klass, kuan, xiang = (squeeze(parts.get(k, "")) for k in (col.CODE_CLASS, col.CODE_KUAN, col.CODE_XIANG))
    for part in (klass, kuan, xiang):
        if part and not _CODE_PART.match(part):
            return "", f"code part '{part}' not a 类/款/项 number"
    if not (klass or kuan or xiang):
        return "", ""
    if klass:
        state.last_class, state.last_kuan = klass, kuan or ""
    elif kuan:
        klass = state.last_class
        state.last_kuan = kuan
    else:
        klass, kuan = state.last_class, state.last_kuan
    if not klass or (xiang and not kuan):
        return "", "code part printed without the 类/款 it belongs to"
    return klass + kuan + xiang, ""


def _label_parts(placed: dict[int, str], leaves: list[Leaf], side: str | None) -> dict[str, str]:
    """Code parts and name of a row; a label over two columns joined left to right."""
    parts: dict[str, str] = {}
    for i in sorted(placed):
        if leaves[i].field in col.LABEL_FIELDS and (side is None or leaves[i].side == side):
            parts[leaves[i].field] = parts.get(leaves[i].field, "") + placed[i]
    return parts


def _function_row(document_id, table, page, row, placed, leaves, state, result, text) -> None:
    raw_table = RAW_TABLE_BY_KIND[table.kind]
    if table.kind in (tt.GOVERNMENT_FUND, tt.STATE_CAPITAL):
        fund_layout = any(leaf.field in FUNCTION_COLUMNS["raw_government_fund_by_function"]
                          for leaf in leaves)
        raw_table = "raw_government_fund_by_function" if fund_layout else "raw_expenditure_by_function"
    parts = _label_parts(placed, leaves, None)
    code, problem = _code(parts, state)
    name = parts.get(col.NAME, "").strip()
    if problem:
        _reject(table, page, row, problem, text, result)
        return
    if not code and not name:
        _reject(table, page, row, "amounts without a subject code or name", text, result)
        return
    value_columns = FUNCTION_COLUMNS[raw_table]
    out = _base(document_id, table, page, row)
    out.update({"subject_code": code, "subject_name": name})
    out.update({column: "" for column in value_columns})
    for i, t in placed.items():
        if leaves[i].field in value_columns:
            out[leaves[i].field] = squeeze(t)
    # a ruled grid has a cell under every column in every body band: a blank cell is blank
    # (zero), never missing
    out["missing_cells"] = ""
    out.update(_pending(state, None, out))
    result.add(raw_table, out)


def _economic_rows(document_id, table, page, row, placed, leaves, state, result, text) -> None:
    sides = sorted({leaf.side for leaf in leaves}, key=int)
    for side in sides:
        own = {i: t for i, t in placed.items() if leaves[i].side == side}
        if not own and not any(where == side for _, _, where in state.unplaced):
            continue
        parts = _label_parts(own, leaves, None)
        amounts = [squeeze(t) for i, t in own.items() if leaves[i].field == "amount"]
        code, problem = _code(parts, state.sides.setdefault(side, _TableState()))
        name = parts.get(col.NAME, "").strip()
        if len(amounts) > 1:
            problem = f"{len(amounts)} amounts on one side of the row, one column expected"
        if problem:
            _reject(table, page, row, problem, text, result)
            continue
        if not code and not name:
            _reject(table, page, row, "an amount without an economic code or name", text, result)
            continue
        out = _base(document_id, table, page, row)
        out.update({"economic_code": code, "economic_name": name,
                    "amount": amounts[0] if amounts else "", "missing_cells": ""})
        out.update(_pending(state, side, out))
        result.add("raw_basic_expenditure_by_economic", out)


def _summary_rows(document_id, table, page, row, placed, leaves, state) -> None:
    for side in ("income", "expenditure"):
        own: dict[str, str] = {}
        for i in sorted(placed):  # left to right: a name over two columns is joined, not replaced
            field_name = leaves[i].field
            if leaves[i].side == side and field_name:
                text = placed[i].strip() if field_name == "item_name" else squeeze(placed[i])
                own[field_name] = own.get(field_name, "") + text
        if not own and not any(where == side for _, _, where in state.unplaced):
            continue
        out = _base(document_id, table, page, row)
        out.update({"side": side, "line_no": own.get("line_no", ""), "item_name": own.get("item_name", ""),
                    "amount": own.get("amount", ""), "general_budget": "", "gov_fund": "",
                    "state_capital": "", "missing_cells": ""})
        if table.kind == tt.APPROPRIATION_SUMMARY and side == "expenditure":
            for column in ("general_budget", "gov_fund", "state_capital"):
                out[column] = own.get(column, "")
        out.update(_pending(state, side, out))
        state.summary.append(out)


def _finish(table: PdfTable, state: _TableState, result: PdfTables, document_id: str) -> None:
    if state.summary:
        # 行次 as printed; where the template prints none, the row's position (income first)
        if not any(r["line_no"] for r in state.summary):
            number = 0
            for side in ("income", "expenditure"):
                for out in state.summary:
                    if out["side"] == side:
                        number += 1
                        out["line_no"] = str(number)
        for out in state.summary:
            result.add("raw_income_expenditure_summary", out)
    if state.three_public:
        _, page, row = state.three_public.pop("_row")
        out_rows = []
        for phase_index, phase in enumerate(("budget", "actual")):
            for item_index, item in enumerate(col.THREE_PUBLIC_ITEMS):
                amount, _, _ = state.three_public.get(f"{phase}:{item}", ("", 0, 0))
                out = {"document_id": document_id, "source_table": table.source_table,
                       "source_line": str(row), "column_no": str(phase_index * 6 + item_index + 1),
                       "phase": phase, "expense_item": item, "amount": amount,
                       "table_kind": table.kind, "source_page": str(page)}
                for value, fields in state.three_public_unplaced:
                    if f"{phase}:{item}" in fields and not amount:
                        out["missing_cells"] = "amount"
                        if f"{phase}:{item}" == fields[0]:
                            out["unplaced_values"] = ";".join(filter(None, (out.get("unplaced_values"), value)))
                out_rows.append(out)
        for out in out_rows:
            result.add("raw_three_public_expenses", out)


# --- a document -------------------------------------------------------------------------------

def extract_pdf_tables(document_id: str, pages: list[Page]) -> PdfTables:
    """The nine tables of a PDF's pages as raw rows, rejects, an inventory and messages."""
    result = PdfTables()
    for page in pages:
        if page.char_count == 0 and page.image_count:
            result.messages.append(Message(WARNING, f"page {page.number}: an image without a text layer "
                                           "(a scanned page?); not read, OCR is not done", page=page.number))
    tables = find_tables(pages, result)
    result.tables = tables
    seen: dict[str, PdfTable] = {}
    found: list[FoundTable] = []
    for table in tables:
        if table.kind in seen:
            result.messages.append(Message(
                WARNING, f"{table.title} printed twice (pages {seen[table.kind].page} and {table.page}); "
                "both read", table.source_table, table.page, table.row_on_page))
        seen.setdefault(table.kind, table)
        if not table.grids and table.text_lines:
            # no ruled grid: the table is read from its text's positions
            table.grids = virtual_grids(table.text_lines)
            if table.grids:
                table.loose = []
                result.messages.append(Message(
                    INFO, f"{table.title} (page {table.page}): printed without vertical rules, its columns "
                    "read from the text's positions", table.source_table, table.page, table.row_on_page))
        for page_number, row, text in table.loose:
            reason = "amounts printed outside the table's ruled grid"
            result.rejects.append(Reject(table.source_table, row, reason, text,
                                         source_page=str(page_number), table_kind=table.kind))
        if table.loose:
            result.messages.append(Message(
                WARNING, f"{table.title}: {len(table.loose)} line(s) with amounts outside its ruled grid "
                f"(first on page {table.loose[0][0]}), kept as rejects", table.source_table,
                table.loose[0][0], table.loose[0][1]))
        rows = 0
        if table.grids:
            rows = read_table(document_id, table, result)
        elif not table.note:
            result.messages.append(Message(
                WARNING, f"{table.title} (page {table.page}): title without a ruled table",
                table.source_table, table.page, table.row_on_page))
        found.append(FoundTable(table.kind, table.source_table, table.title, str(table.page),
                                str(table.row_on_page), rows, table.note))
    result.inventory = inventory_rows(document_id, found)
    missing = [kind.title for kind in tt.TABLE_KINDS if kind.kind not in seen]
    if missing:
        result.messages.append(Message(WARNING, f"standard tables not found: {', '.join(missing)}",
                                       ",".join(k.kind for k in tt.TABLE_KINDS if k.kind not in seen)))
    return result
