"""Documents → raw CSVs (one file per table kind), with a rejects file for what could not be placed."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from fiscal_dw.documents import (
    FINAL_ACCOUNTS,
    DocumentError,
    SourceDocument,
    load_document,
    read_metadata,
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
    parts: list[Extracted] = [tables] if tables else []
    parts.extend(extractor(document) for extractor in EXTRACTORS)
    # the narrative names 类/项 by subject name: the document's own tables give the codes
    parts.append(extract_narrative_figures(document, tables=tables))
    for part in parts:
        _merge(document, part, result)


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


def extract_folder(docs_dir: Path) -> ExtractResult:
    """Every document in the folder; a file that cannot be read is reported and skipped."""
    result = ExtractResult()
    seen: dict[str, str] = {}
    for path in sorted(p for p in docs_dir.iterdir() if p.is_file() and p.suffix in DOCUMENT_SUFFIXES):
        try:
            document = load_document(path)
        except (DocumentError, OSError) as error:
            result.errors.append(str(error))
            continue
        if document.document_id in seen:
            result.errors.append(
                f"{path.name}: same content as {seen[document.document_id]}; loaded once")
            continue
        seen[document.document_id] = path.name
        extract_document(document, result)
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
