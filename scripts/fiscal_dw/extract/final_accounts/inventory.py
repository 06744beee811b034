"""The inventory of a final-accounts document's nine standard tables (raw_table_inventory):
for each table kind whether it was extracted, printed empty with a note (declared_empty),
printed but not readable (unrecognised) or not found at all (missing), with the label and
title as printed and where. Shared by every reader of the standard tables."""
from __future__ import annotations

from dataclasses import dataclass

from fiscal_dw.extract.final_accounts.table_titles import TABLE_KINDS

EXTRACTED, DECLARED_EMPTY, UNRECOGNISED, MISSING = "extracted", "declared_empty", "unrecognised", "missing"
INVENTORY_TABLE = "raw_table_inventory"


@dataclass(frozen=True)
class FoundTable:
    kind: str
    source_table: str    # the label as printed (or the title when none is printed)
    title: str           # as printed
    source_page: str     # "" for text input
    source_line: str     # line (text) or row on the page (PDF) of the title
    row_count: int
    note: str = ""       # the note declaring it empty, as printed


def inventory_rows(document_id: str, found: list[FoundTable]) -> list[dict[str, str]]:
    """One row per table kind, in the national order; a kind printed twice keeps its first."""
    first: dict[str, FoundTable] = {}
    counts: dict[str, int] = {}
    for table in found:
        first.setdefault(table.kind, table)
        counts[table.kind] = counts.get(table.kind, 0) + table.row_count
    rows = []
    for kind in TABLE_KINDS:
        table = first.get(kind.kind)
        if table is None:
            rows.append({"document_id": document_id, "table_kind": kind.kind, "status": MISSING,
                         "source_table": "", "title": "", "source_page": "", "source_line": "",
                         "row_count": "0", "note": ""})
            continue
        count = counts[kind.kind]
        status = DECLARED_EMPTY if table.note else EXTRACTED if count else UNRECOGNISED
        rows.append({"document_id": document_id, "table_kind": kind.kind, "status": status,
                     "source_table": table.source_table, "title": table.title,
                     "source_page": table.source_page, "source_line": table.source_line,
                     "row_count": str(count), "note": table.note})
    return rows
