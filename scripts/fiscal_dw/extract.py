"""Documents → raw CSVs (one file per table kind), with a rejects file for what could not be placed."""
from __future__ import annotations

import csv
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from fiscal_dw.documents import (
    FINAL_ACCOUNTS,
    UNKNOWN,
    DocumentError,
    SourceDocument,
    load_document,
    read_metadata,
    standard_table_lines,
)
from fiscal_dw.rows import Extracted
from fiscal_dw.evaluation_reports import extract_evaluation_reports
from fiscal_dw.evaluation_word_tables import extract_word_export_tables
from fiscal_dw.narrative import extract_narrative_figures
from fiscal_dw.schemas import RAW_TABLES
from fiscal_dw.self_evaluation_reports import extract_self_evaluation_reports
from fiscal_dw.self_evaluations_space import extract_space_self_evaluations
from fiscal_dw.self_evaluations_tab import extract_tab_self_evaluations
from fiscal_dw.standard_tables import extract_standard_tables

# Every extractor looks for its own structures in every document and returns nothing when
# they are absent, so a document is read by what it contains, not by what it is called.
EXTRACTORS = (
    extract_tab_self_evaluations,
    extract_space_self_evaluations,
    extract_self_evaluation_reports,
    extract_word_export_tables,
    extract_evaluation_reports,
)

DOCUMENT_SUFFIXES = {".txt", ".text", ".md"}


@dataclass
class ExtractResult:
    rows: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: {name: [] for name in RAW_TABLES})
    errors: list[str] = field(default_factory=list)

    @property
    def rejects(self) -> list[dict[str, str]]:
        return self.rows["raw_extract_rejects"]

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


def extract_document(document: SourceDocument, result: ExtractResult) -> None:
    metadata = read_metadata(document)
    tables = extract_standard_tables(document) if metadata.document_kind == FINAL_ACCOUNTS else None
    result.rows["raw_documents"].append({
        "document_id": document.document_id,
        "document_kind": metadata.document_kind,
        "department_name": metadata.department_name,
        "fiscal_year": metadata.fiscal_year,
        "source_file": document.path.name,
        "source_sha256": document.sha256,
        "line_count": str(len(document.lines)),
        "table_layout": tables.layout if tables else "",
    })
    _report_structure(document, metadata.document_kind, tables, result)
    parts: list[Extracted] = [tables] if tables else []
    parts.extend(extractor(document) for extractor in EXTRACTORS)
    # the narrative names 类/项 by subject name: the document's own tables give the codes
    parts.append(extract_narrative_figures(document, tables=tables))
    for part in parts:
        _merge(document, part, result)


def _report_structure(document: SourceDocument, kind: str, tables: Extracted | None,
                      result: ExtractResult) -> None:
    """Say what is missing: a document with no recognisable structure, a final-accounts
    document without some of the nine tables, a row that printed fewer cells than its table."""
    name = document.path.name
    if kind == UNKNOWN:
        result.errors.append(f"{name}: no recognisable tables or report structure; "
                             "recorded in raw_documents as unknown")
    if tables is None:
        return
    found = {number for _, number in standard_table_lines(document)}
    missing = [f"公开{n:02d}" for n in range(1, 10) if n not in found]
    if missing:
        result.errors.append(f"{name}: standard tables not found: {', '.join(missing)}")
    for table, rows in tables.rows.items():
        if table == "raw_income_expenditure_summary":
            continue  # an empty 行次 slot legitimately prints no amount
        for row in rows:
            if row.get("missing_cells"):
                result.errors.append(
                    f"{name} {row['source_table']} line {row['source_line']}: fewer cells than "
                    f"the table's columns, not printed: {row['missing_cells'].replace(';', ', ')}")


def _merge(document: SourceDocument, part: Extracted, result: ExtractResult) -> None:
    for name, rows in part.rows.items():
        result.rows[name].extend(rows)
    for reject in part.rejects:
        result.rejects.append({
            "document_id": document.document_id, "source_file": document.path.name,
            "source_table": reject.source_table, "source_line": str(reject.source_line),
            "reason": reject.reason, "line_text": reject.line_text})
        result.errors.append(
            f"{document.path.name} {reject.source_table} line {reject.source_line}: "
            f"{reject.reason}: {reject.line_text.strip()[:80]}")


def _extract_file(path: Path) -> tuple[str, str, ExtractResult | None, str]:
    """One document in a worker process: (file name, document id, rows, error)."""
    try:
        document = load_document(path)
    except (DocumentError, OSError) as error:
        return path.name, "", None, str(error)
    part = ExtractResult()
    extract_document(document, part)
    return path.name, document.document_id, part, ""


def extract_folder(docs_dir: Path, workers: int | None = None) -> ExtractResult:
    """Every document in the folder, on all cores; a file that cannot be read is reported
    and skipped, and a second copy of the same content is loaded once."""
    paths = sorted(p for p in docs_dir.iterdir() if p.is_file() and p.suffix in DOCUMENT_SUFFIXES)
    if workers is None:
        workers = min(os.cpu_count() or 1, max(1, len(paths) // 8))
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            outcomes = list(pool.map(_extract_file, paths, chunksize=8))
    else:
        outcomes = [_extract_file(path) for path in paths]
    result = ExtractResult()
    seen: dict[str, str] = {}
    for name, document_id, part, error in outcomes:  # in file-name order, whatever the workers did
        if part is None:
            result.errors.append(error)
            continue
        if document_id in seen:
            result.errors.append(f"{name}: same content as {seen[document_id]}; loaded once")
            continue
        seen[document_id] = name
        for table, rows in part.rows.items():
            result.rows[table].extend(rows)
        result.errors.extend(part.errors)
    return result


def write_raw_tables(result: ExtractResult, out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, columns in RAW_TABLES.items():
        path = out_dir / f"{name}.csv"
        rows = sorted(result.rows[name], key=_row_order)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        written[name] = path
    return written


def _row_order(row: dict[str, str]) -> tuple:
    line = row.get("source_line", "")
    return (row.get("document_id", ""), row.get("source_table", ""),
            int(line) if line.isdigit() else 0, row.get("side", "") == "expenditure",
            int(row.get("column_no") or 0))
