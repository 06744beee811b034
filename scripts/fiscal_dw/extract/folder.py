"""Documents → raw CSVs (one file per table kind), with a rejects file for what could not be placed."""
from __future__ import annotations

import csv
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

from fiscal_dw.extract.documents import (
    FINAL_ACCOUNTS,
    UNKNOWN,
    DocumentError,
    SourceDocument,
    load_document,
    read_metadata,
    standard_table_lines,
)
from fiscal_dw.extract.final_accounts.narrative import extract_narrative_figures
from fiscal_dw.extract.final_accounts.standard_tables import extract_standard_tables
from fiscal_dw.extract.performance.evaluation_reports import extract_evaluation_reports
from fiscal_dw.extract.performance.evaluation_word_tables import extract_word_export_tables
from fiscal_dw.extract.performance.self_evaluation_reports import extract_self_evaluation_reports
from fiscal_dw.extract.performance.self_evaluation_tables import extract_self_evaluation_tables
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.schemas import RAW_TABLES

# Every extractor looks for its own structures in every document and returns nothing when
# they are absent, so a document is read by what it contains, not by what it is called.
EXTRACTORS = (
    extract_self_evaluation_tables,
    extract_self_evaluation_reports,
    extract_word_export_tables,
    extract_evaluation_reports,
)

DOCUMENT_SUFFIXES = {".txt", ".text", ".md"}
# Beside the raw CSVs, but JSON so that dbt never takes it for a seed.
MESSAGES_FILE = "extract_messages.json"

# error: the file was not loaded (nothing of it reaches the warehouse but this message);
# warning: loaded, but something is missing or went to the rejects; info: read, noted.
ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class InputMessage:
    """What the extractor has to say about one input file, naming file, table and line."""

    source_file: str
    severity: str
    text: str
    document_id: str = ""
    source_table: str = ""
    source_line: str = ""


@dataclass
class ExtractResult:
    rows: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: {name: [] for name in RAW_TABLES})
    messages: list[InputMessage] = field(default_factory=list)

    @property
    def rejects(self) -> list[dict[str, str]]:
        return self.rows["raw_extract_rejects"]

    @property
    def errors(self) -> list[str]:
        """The texts of the error and warning messages (info left out)."""
        return [m.text for m in self.messages if m.severity != INFO]

    def say(self, document: SourceDocument, severity: str, text: str, table: str = "",
            line: int | str = "") -> None:
        self.messages.append(InputMessage(document.path.name, severity, text, document.document_id,
                                          table, str(line)))

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
    if document.encoding != "utf-8":
        result.say(document, INFO, f"{name}: not UTF-8; read as {document.encoding.upper()}")
    if kind == UNKNOWN:
        result.say(document, ERROR, f"{name}: no recognisable tables or report structure; "
                   "recorded in raw_documents as unknown")
    if tables is None:
        return
    found = {number for _, number in standard_table_lines(document)}
    missing = [f"公开{n:02d}" for n in range(1, 10) if n not in found]
    if missing:
        result.say(document, WARNING, f"{name}: standard tables not found: {', '.join(missing)}",
                   table=",".join(missing))
    for table, rows in tables.rows.items():
        if table == "raw_income_expenditure_summary":
            continue  # an empty 行次 slot legitimately prints no amount
        for row in rows:
            if row.get("missing_cells"):
                result.say(
                    document, WARNING,
                    f"{name} {row['source_table']} line {row['source_line']}: fewer cells than "
                    f"the table's columns, not printed: {row['missing_cells'].replace(';', ', ')}",
                    row["source_table"], row["source_line"])


def _merge(document: SourceDocument, part: Extracted, result: ExtractResult) -> None:
    for name, rows in part.rows.items():
        result.rows[name].extend(rows)
    for reject in part.rejects:
        result.rejects.append({
            "document_id": document.document_id, "source_file": document.path.name,
            "source_table": reject.source_table, "source_line": str(reject.source_line),
            "reason": reject.reason, "line_text": reject.line_text})
        result.say(document, WARNING,
                   f"{document.path.name} {reject.source_table} line {reject.source_line}: "
                   f"{reject.reason}: {reject.line_text.strip()[:80]}",
                   reject.source_table, reject.source_line)


def _extract_file(path: Path) -> tuple[str, ExtractResult | None, str]:
    """One document in a worker process: (file name, its rows in raw-table order, error)."""
    try:
        document = load_document(path)
    except (DocumentError, OSError) as error:
        return path.name, None, str(error)
    part = ExtractResult()
    extract_document(document, part)
    for rows in part.rows.values():
        rows.sort(key=_row_order)
    return path.name, part, ""


def _in_document_order(docs_dir: Path) -> tuple[list[Path], list[InputMessage]]:
    """The folder's documents ordered by document id (the raw tables' row order), each
    content once: of two files with the same bytes the first by name is kept."""
    kept: dict[str, Path] = {}
    messages: list[InputMessage] = []
    for path in sorted(p for p in docs_dir.iterdir() if p.is_file() and p.suffix in DOCUMENT_SUFFIXES):
        try:
            raw = path.read_bytes()
        except OSError as error:
            messages.append(InputMessage(path.name, ERROR, f"{path.name}: cannot be read: {error}"))
            continue
        document_id = hashlib.sha256(raw).hexdigest()[:16]
        if document_id in kept and raw.strip():  # empty files are each reported as empty
            messages.append(InputMessage(
                path.name, WARNING, f"{path.name}: same content as {kept[document_id].name}; loaded once",
                document_id))
            continue
        kept.setdefault(document_id if raw.strip() else f"{document_id}:{path.name}", path)
    return [kept[key] for key in sorted(kept)], messages


def iter_extracted(docs_dir: Path, workers: int | None = None) -> Iterator[ExtractResult | InputMessage]:
    """Every document of the folder extracted on all cores, yielded in document-id order,
    or the message saying why a file was left out. Only a few documents are held in memory
    at a time, whatever the size of the folder."""
    paths, messages = _in_document_order(docs_dir)
    yield from messages
    if workers is None:
        workers = min(os.cpu_count() or 1, max(1, len(paths) // 8))
    with ExitStack() as stack:
        if workers <= 1:
            outcomes = map(_extract_file, paths)
        else:
            outcomes = stack.enter_context(ProcessPoolExecutor(workers)).map(_extract_file, paths, chunksize=4)
        for name, part, error in outcomes:
            yield part if part is not None else InputMessage(name, ERROR, error)


def _by_file(messages: list[InputMessage]) -> list[InputMessage]:
    return sorted(messages, key=lambda m: m.source_file)  # stable: a file's own order stays


def extract_folder(docs_dir: Path, workers: int | None = None) -> ExtractResult:
    """Every document in the folder, in memory; a file that cannot be read is reported and
    skipped, and a second copy of the same content is loaded once."""
    result = ExtractResult()
    for part in iter_extracted(docs_dir, workers):
        if isinstance(part, InputMessage):
            result.messages.append(part)
            continue
        for table, rows in part.rows.items():
            result.rows[table].extend(rows)
        result.messages.extend(part.messages)
    result.messages = _by_file(result.messages)
    return result


@dataclass
class StreamedExtract:
    """What `extract_folder_to` wrote: the documents, rows per raw table, messages."""

    documents: list[dict[str, str]]
    counts: dict[str, int]
    messages: list[InputMessage]

    @property
    def errors(self) -> list[str]:
        return [m.text for m in self.messages if m.severity != INFO]


def extract_folder_to(docs_dir: Path, out_dir: Path, workers: int | None = None) -> StreamedExtract:
    """Like extract_folder + write_raw_tables, with each document's rows written as soon as
    it is extracted: memory stays flat for a folder of any size. Same files, same bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    streamed = StreamedExtract([], {name: 0 for name in RAW_TABLES}, [])
    with ExitStack() as stack:
        writers = {}
        for name, columns in RAW_TABLES.items():
            handle = stack.enter_context((out_dir / f"{name}.csv").open("w", encoding="utf-8", newline=""))
            writers[name] = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writers[name].writeheader()
        for part in iter_extracted(docs_dir, workers):
            if isinstance(part, InputMessage):
                streamed.messages.append(part)
                continue
            for table, rows in part.rows.items():
                writers[table].writerows(rows)
                streamed.counts[table] += len(rows)
            streamed.documents.extend(part.rows["raw_documents"])
            streamed.messages.extend(part.messages)
    streamed.messages = _by_file(streamed.messages)
    _write_messages(streamed.messages, out_dir)
    return streamed


def write_raw_tables(result: ExtractResult, out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, columns in RAW_TABLES.items():
        path = out_dir / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(result.rows[name])  # already in document, table, line order
        written[name] = path
    _write_messages(result.messages, out_dir)
    return written


def _write_messages(messages: list[InputMessage], out_dir: Path) -> None:
    (out_dir / MESSAGES_FILE).write_text(
        json.dumps([asdict(m) for m in messages], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_messages(raw_dir: Path) -> list[InputMessage]:
    """The messages an extract left beside its raw CSVs (none for the committed seeds)."""
    path = Path(raw_dir) / MESSAGES_FILE
    if not path.is_file():
        return []
    return [InputMessage(**m) for m in json.loads(path.read_text(encoding="utf-8"))]


def _row_order(row: dict[str, str]) -> tuple:
    line = row.get("source_line", "")
    return (row.get("document_id", ""), row.get("source_table", ""),
            int(line) if line.isdigit() else 0, row.get("side", "") == "expenditure",
            int(row.get("column_no") or 0))
