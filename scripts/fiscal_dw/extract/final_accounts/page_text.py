"""The nine standard tables from page text whose empty cells are dropped (Shanghai template).

Input: a document as pdfplumber's ``page.extract_text()`` gives it, pages separated by form
feeds. One visual row per line, cells separated by one space, **empty cells left out**, wrapped
names split over the lines before and after the row's code and numbers, the two-sided tables
(收入支出决算总表, 财政拨款收入支出决算总表, 基本支出决算表) printed left half and right half on
one line, tables running on over the next page without a header.

Tables are found by their titles (``table_titles``), never by number or label, and end at
their ``注：`` line; a note under a table saying it is empty ("…故本表无数据") makes it
*declared empty*; a template instruction left in the document is reported as info.

Numbers keep their printed order, but a row that prints fewer numbers than its table has
columns does not say which columns they are in. Numbers are placed only when that is certain
(``placement``): the row prints every cell, or the printed identities of the row and of its
table leave one placement. What is not certain stays unplaced: the row is kept, the numbers
are listed in ``unplaced_values`` as printed, the columns they may belong to in
``missing_cells``, and a message names document, table, page and line.

Names are kept as printed (fragments joined without spaces, the code line's part in the
middle); in narrow columns pdfplumber may interleave the characters of two wrapped names, and
such a name is kept as printed and reported as info.
"""
from __future__ import annotations

from dataclasses import replace

from fiscal_dw.extract.documents import SourceDocument, standard_table_lines
from fiscal_dw.extract.final_accounts import table_titles as tt
from fiscal_dw.extract.final_accounts.page_text_common import (
    FUNCTION_TABLES, INFO, NOTE, PART_HEADING, STATE_CAPITAL_EXPENDITURE,
    STATE_CAPITAL_WITH_CARRYOVER, UNIT, WARNING, Message, PageTable, PageTextTables, TableRegion,
    segments,
)
from fiscal_dw.extract.final_accounts.page_text_functional import parse_function_table
from fiscal_dw.extract.final_accounts.page_text_two_sided import (
    parse_economic, parse_summary, parse_three_public,
)
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.text import squeeze

# --------------------------------------------------------------------------- locating


def locate(document: SourceDocument, result: PageTextTables) -> list[TableRegion]:
    segs = segments(document)
    titles = tt.find_titles(document.lines)
    starts = []
    for title in titles:
        line = title.line_index + 1
        candidates = [i for i, s in enumerate(segs) if s.line == line and (
            title.page is None or s.page == title.page)]
        starts.append(candidates[-1] if candidates else None)
    regions = []
    for position, (title, start) in enumerate(zip(titles, starts)):
        if start is None:
            continue
        stop = next((s for s in starts[position + 1:] if s is not None), len(segs))
        region = TableRegion(title, [])
        in_body = True
        for seg in segs[start + 1:stop]:
            text = seg.text.strip()
            normal = squeeze(text)
            if not normal:
                continue
            instruction = tt.is_template_instruction(text)
            note = tt.is_empty_table_note(text)
            if note:
                region.empty_note = note
            if instruction:
                result.messages.append(Message(
                    INFO, f"template instruction left in the document: {instruction}",
                    title.kind, seg.page, seg.line))
            if note or instruction:
                continue
            if PART_HEADING.match(normal):
                break
            if NOTE.match(normal):
                region.note_segment = seg
                in_body = False
                continue
            if not in_body or UNIT.match(normal):
                continue
            if seg.last_on_page and normal.isdigit() and len(normal) <= 3:
                continue  # a page number
            if tt.match_title(text):
                continue  # the title repeated (续表) on a new page
            region.body.append(seg)
        regions.append(region)
    return regions


# --------------------------------------------------------------------------- document


def is_page_text(document: SourceDocument) -> bool:
    """Text of a template that labels no table 公开0N表, its tables known by their titles
    (page text, pages separated by form feeds when there are several); the national layouts
    with 公开0N表 code lines go to standard_tables.py."""
    return not standard_table_lines(document) and bool(tt.find_titles(document.lines))


def extract_page_text_tables(document: SourceDocument) -> PageTextTables:
    """The nine tables, read twice: the second reading places numbers with the certain
    figures the first found in every table (a table may take figures from one printed after
    it); only the second reading's rows and messages are kept."""
    first = _read(document, PageTextTables())
    known = PageTextTables(summary_income=first.summary_income, general_budget=first.general_budget,
                           all_expenditure=first.all_expenditure,
                           appropriation_total=first.appropriation_total)
    return _read(document, known)


def _read(document: SourceDocument, result: PageTextTables) -> PageTextTables:
    pages = {seg.line: seg.page for seg in segments(document)}  # a line's last page
    # the tables others take certain figures from, first (page_text_functional.py)
    order = {tt.INCOME_EXPENDITURE_SUMMARY: 0, tt.APPROPRIATION_SUMMARY: 1,
             tt.GENERAL_BUDGET_EXPENDITURE: 2, tt.EXPENDITURE_BY_FUNCTION: 3}
    for region in sorted(locate(document, result), key=lambda r: order.get(r.title.kind, 4)):
        kind = region.title.kind
        written = sum(len(rows) for rows in result.rows.values())
        said, rejected = len(result.messages), len(result.rejects)
        if kind in FUNCTION_TABLES or kind == tt.STATE_CAPITAL:
            if kind == tt.STATE_CAPITAL:
                header = squeeze(" ".join(s.text for s in region.body[:12]))
                raw_table, columns = (STATE_CAPITAL_WITH_CARRYOVER if "年初结转" in header
                                      else STATE_CAPITAL_EXPENDITURE)
            else:
                raw_table, columns = FUNCTION_TABLES[kind]
            counts = parse_function_table(region, raw_table, columns, result)
        elif kind in (tt.INCOME_EXPENDITURE_SUMMARY, tt.APPROPRIATION_SUMMARY):
            counts = parse_summary(region, result)
        elif kind == tt.BASIC_EXPENDITURE_BY_ECONOMIC:
            counts = parse_economic(region, result)
        else:
            counts = parse_three_public(region, result)
        rows, unplaced_rows = counts
        if rows and region.empty_note:
            result.messages.append(Message(
                WARNING, f"declared empty ({region.empty_note}) but prints {rows} rows", kind,
                region.title.page, region.title.line_index + 1))
        elif not rows and region.empty_note:
            result.messages.append(Message(
                INFO, f"declared empty: {region.empty_note}", kind, region.title.page,
                region.title.line_index + 1))
        elif not rows:
            result.messages.append(Message(
                WARNING, "table printed without rows and without a note saying it is empty",
                kind, region.title.page, region.title.line_index + 1))
        source_table = region.title.label or region.title.title
        result.messages[said:] = [replace(m, source_table=source_table) for m in result.messages[said:]]
        for reject in result.rejects[rejected:]:
            reject.source_table, reject.table_kind = source_table, kind
            reject.source_page = str(pages.get(reject.source_line) or "")
        result.tables.append(PageTable(
            kind, source_table, region.title.title, region.title.page, region.title.line_index + 1,
            rows, sum(len(r) for r in result.rows.values()) - written, unplaced_rows,
            region.empty_note if not rows else ""))
    # in document order (tables were read in the order they take figures from each other);
    # a kind not found is in result.tables' absence (the extractor's inventory reports it)
    result.tables.sort(key=lambda t: t.line)
    result.messages.sort(key=lambda m: (m.line is None, m.line or 0))
    _shape_rows(result, document.document_id)
    return result


def _shape_rows(result: PageTextTables, document_id: str) -> None:
    """Every row with exactly its raw table's columns, in order."""
    for table, rows in result.rows.items():
        columns = RAW_TABLES[table]
        result.rows[table] = [{c: row.get(c, "") for c in columns} | {"document_id": document_id}
                              for row in rows]
