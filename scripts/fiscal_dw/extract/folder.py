"""Documents → raw CSVs (one file per table kind), with a rejects file for what could not be placed."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import errno
import stat
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Iterator

from fiscal_dw.extract.documents import (
    BUDGET,
    FINAL_ACCOUNTS,
    PERFORMANCE_EVALUATION,
    SELF_EVALUATION,
    UNKNOWN,
    DocumentError,
    SourceDocument,
    read_document,
    read_metadata,
)
from fiscal_dw.extract.final_accounts.inventory import INVENTORY_TABLE, FoundTable, inventory_rows
from fiscal_dw.extract.final_accounts.narrative import extract_narrative_figures
from fiscal_dw.extract.final_accounts.narrative_statements import extract_narrative_statements
from fiscal_dw.extract.final_accounts.table_titles import (
    KIND_BY_ID,
    find_titles,
    is_empty_table_note,
    is_template_instruction,
)
from fiscal_dw.extract.final_accounts.page_text import extract_page_text_tables, is_page_text
from fiscal_dw.extract.final_accounts.standard_tables import extract_standard_tables
from fiscal_dw.extract.performance.evaluation_reports import extract_evaluation_reports
from fiscal_dw.extract.performance.evaluation_word_tables import extract_word_export_tables
from fiscal_dw.extract.performance.self_evaluation_reports import extract_self_evaluation_reports
from fiscal_dw.extract.performance.self_evaluation_tables import extract_self_evaluation_tables
from fiscal_dw.extract.isolation import Failed, Limits, map_limited
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.pdf import PDF_ENCODING, PDF_SUFFIX, PdfSource, load_pdf
from fiscal_dw.extract.pdf.tables import extract_pdf_tables
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.text import squeeze

# Every extractor looks for its own structures in every document and returns nothing when
# they are absent, so a document is read by what it contains, not by what it is called.
EXTRACTORS = (
    extract_self_evaluation_tables,
    extract_self_evaluation_reports,
    extract_word_export_tables,
    extract_evaluation_reports,
)

DOCUMENT_SUFFIXES = {".txt", ".text", ".md", PDF_SUFFIX}
MAX_MESSAGES = 1000  # per document, see _cap_messages
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
    tables = None
    if metadata.document_kind == FINAL_ACCOUNTS:
        if isinstance(document, PdfSource):
            tables = _pdf_tables(document, result)
        elif is_page_text(document):
            tables = _page_text_tables(document, result)
        else:
            tables = extract_standard_tables(document)
            _text_table_kinds(document, tables, result)
    performance_parts = [] if metadata.document_kind == BUDGET else [
        extractor(document) for extractor in EXTRACTORS]
    if metadata.document_kind in (SELF_EVALUATION, PERFORMANCE_EVALUATION) and not any(
            part.rejects or any(part.rows.values()) for part in performance_parts):
        # its words name an evaluation, but nothing in it has the structure of one
        result.say(document, WARNING, f"{document.path.name}: not a fiscal document (mentions "
                   "绩效自评/绩效评价 but prints no self-evaluation table, indicator, budget line or "
                   "evaluation report); not loaded")
        return
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
    if metadata.document_kind == BUDGET:
        return  # a budget is recorded as such; none of its figures are loaded as 决算
    parts: list[Extracted] = [tables] if tables else []
    parts.extend(performance_parts)
    # the narrative names 类/项 by subject name: the document's own tables give the codes
    parts.append(extract_narrative_figures(document, tables=tables))
    parts.append(extract_narrative_statements(document, tables=tables))
    for part in parts:
        _merge(document, part, result)


def _pdf_tables(document: PdfSource, result: ExtractResult) -> Extracted:
    """The nine tables of a PDF from its ruled grids; its inventory and messages recorded."""
    tables = extract_pdf_tables(document.document_id, list(document.pages))
    tables.layout = "pdf"
    result.rows[INVENTORY_TABLE].extend(tables.inventory)
    for message in tables.messages:
        where = f" page {message.page}" if message.page != "" and f"page {message.page}" not in message.text else ""
        result.say(document, message.severity, f"{document.path.name}{where}: {message.text}",
                   message.table, message.line)
    return tables


def _page_text_tables(document: SourceDocument, result: ExtractResult) -> Extracted:
    """Page text (form feeds, tables known by title, empty cells dropped): its rows with the
    numbers placed where certain (final_accounts/page_text.py), inventory and messages."""
    tables = extract_page_text_tables(document)
    found = [FoundTable(t.kind, t.source_table, t.title, str(t.page or ""), str(t.line),
                        t.raw_rows, t.declared_empty) for t in tables.tables]
    result.rows[INVENTORY_TABLE].extend(inventory_rows(document.document_id, found))
    for message in tables.messages:
        where = (f" page {message.page}" if message.page else "") + (
            f" line {message.line}" if message.line else "")
        result.say(document, message.severity, f"{document.path.name}{where}: {message.text}",
                   message.source_table, message.line or "")
    return tables


def _text_table_kinds(document: SourceDocument, tables: Extracted, result: ExtractResult) -> None:
    """Text input with 公开0N表 code lines: each table's kind from the title printed beside
    its code (never from the number), and the document's table inventory."""
    kinds: dict[str, tuple[str, str, int]] = {}  # 公开0N -> (kind, title, title line)
    titles = find_titles(document.lines)
    for title in titles:
        label = squeeze(title.label)
        if label.startswith("公开") and label.endswith("表"):
            kinds.setdefault(label[:-1].replace("公开", "公开0") if len(label) == 4 else label[:-1],
                             (title.kind, title.title, title.line_index + 1))
    counts: dict[str, int] = {}
    for rows in tables.rows.values():
        for row in rows:
            kind = kinds.get(row["source_table"], ("", "", 0))[0]
            row["table_kind"], row["source_page"] = kind, ""
            counts[row["source_table"]] = counts.get(row["source_table"], 0) + 1
    for reject in tables.rejects:
        reject.table_kind = kinds.get(reject.source_table, ("", "", 0))[0]
    unknown = sorted(code for code in counts if code not in kinds)
    if unknown:
        result.say(document, WARNING, f"{document.path.name}: no table title beside "
                   f"{', '.join(unknown)}; table_kind left empty", ",".join(unknown))
    found = []
    for index, title in enumerate(titles):
        end = titles[index + 1].line_index if index + 1 < len(titles) else len(document.lines)
        note = ""
        for line in document.lines[title.line_index + 1:end]:
            note = note or is_empty_table_note(line) or ""
            instruction = is_template_instruction(line)
            if instruction:
                result.say(document, INFO, f"{document.path.name}: template instruction left in the "
                           f"document under {title.title}: {instruction}", line=title.line_index + 1)
        code = next((c for c, (k, _, line) in kinds.items() if line == title.line_index + 1), "")
        found.append(FoundTable(title.kind, code or squeeze(title.title), title.title, "",
                                str(title.line_index + 1), counts.get(code, 0), note))
    result.rows[INVENTORY_TABLE].extend(inventory_rows(document.document_id, found))


def _report_structure(document: SourceDocument, kind: str, tables: Extracted | None,
                      result: ExtractResult) -> None:
    """Say what is missing: a document with no recognisable structure, a final-accounts
    document without some of the nine tables, a row that printed fewer cells than its table."""
    name = document.path.name
    if document.encoding not in ("utf-8", PDF_ENCODING):
        result.say(document, INFO, f"{name}: not UTF-8; read as {document.encoding.upper()}")
    if kind == UNKNOWN:
        result.say(document, ERROR, f"{name}: no recognisable tables or report structure; "
                   "recorded in raw_documents as unknown")
    if kind == BUDGET:
        result.say(document, ERROR, f"{name}: a budget (部门预算), not a final account (部门决算); "
                   "recorded in raw_documents as budget, its tables not loaded")
    if tables is None:
        return
    missing = [row for row in result.rows[INVENTORY_TABLE]
               if row["document_id"] == document.document_id and row["status"] == "missing"]
    if missing:
        inventory = [row for row in result.rows[INVENTORY_TABLE] if row["document_id"] == document.document_id]
        # named as the document labels its tables: 公开0N where it prints such labels, else the title
        national = any(row["source_table"].startswith("公开") for row in inventory)
        names = [KIND_BY_ID[row["table_kind"]].national_code if national else KIND_BY_ID[row["table_kind"]].title
                 for row in missing]
        result.say(document, WARNING, f"{name}: standard tables not found: {', '.join(names)}",
                   table=",".join(names))
    for row in result.rows[INVENTORY_TABLE]:
        if row["document_id"] == document.document_id and row["status"] == "unrecognised":
            where = f"page {row['source_page']}" if row["source_page"] else f"line {row['source_line']}"
            result.say(document, WARNING, f"{name}: {row['title']} ({where}) found by its title but "
                       "no row of it could be read", row["source_table"], row["source_line"])
    for table, rows in tables.rows.items():
        if table == "raw_income_expenditure_summary" or tables.layout == "page_text":
            continue  # an empty 行次 slot prints no amount; page text reports its own rows
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
            "reason": reject.reason, "line_text": reject.line_text,
            "table_kind": reject.table_kind, "source_page": reject.source_page})
        where = (f"page {reject.source_page} row {reject.source_line}" if reject.source_page
                 else f"line {reject.source_line}")
        result.say(document, WARNING,
                   f"{document.path.name} {reject.source_table} {where}: "
                   f"{reject.reason}: {reject.line_text.strip()[:80]}",
                   reject.source_table, reject.source_line)


def _extract_file(path: Path) -> tuple[str, ExtractResult | None, str]:
    """One document in a worker process: (file name, its rows in raw-table order, error).
    The document is named by its printable name everywhere (``printable_name``)."""
    shown = printable_name(path.name)
    try:
        document, notes = (load_pdf(path), []) if path.suffix.lower() == PDF_SUFFIX else read_document(path)
    except (DocumentError, OSError) as error:
        return shown, None, str(error).replace(path.name, shown)
    if shown != path.name:
        document = replace(document, path=path.with_name(shown))
    part = ExtractResult()
    for note in notes:  # what reading it took: NUL bytes or control characters removed, mixed encodings
        part.say(document, WARNING, note.replace(path.name, shown))
    extract_document(document, part)
    _cap_messages(part, shown)
    for name, rows in part.rows.items():
        if name != INVENTORY_TABLE:  # kept in the national order of the nine kinds
            rows.sort(key=_row_order)
    return path.name, part, ""


def _cap_messages(part: ExtractResult, name: str) -> None:
    """At most MAX_MESSAGES per document (a file of 200,000 repeated table titles would put
    as many warnings in the load history): the first ones, and one saying how many more
    there were. Rejected lines all stay in raw_extract_rejects."""
    if len(part.messages) <= MAX_MESSAGES:
        return
    more = part.messages[MAX_MESSAGES:]
    errors = sum(m.severity == ERROR for m in more)
    part.messages[MAX_MESSAGES:] = [InputMessage(
        name, ERROR if errors else WARNING,
        f"{name}: {len(more)} more messages not listed ({errors} errors; the first {MAX_MESSAGES} are; "
        "rejected lines are all in raw_extract_rejects)", more[0].document_id)]


def _in_document_order(docs_dir: Path) -> tuple[list[Path], list[InputMessage]]:
    """The folder's documents ordered by document id (the raw tables' row order), each
    content once: of two files with the same bytes the first by name is kept."""
    kept: dict[str, Path] = {}
    messages: list[InputMessage] = []
    for path in sorted(p for p in docs_dir.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES):
        name = printable_name(path.name)
        try:
            if not stat.S_ISREG(path.stat().st_mode):  # a folder, a fifo (would block), a device
                messages.append(InputMessage(name, ERROR, f"{name}: not a regular file; not loaded"))
                continue
            document_id, blank = _content_digest(path)
        except OSError as error:  # a symbolic-link loop (ELOOP), a dangling link, no permission
            reason = "a symbolic link that loops" if error.errno == errno.ELOOP else error.strerror or error
            messages.append(InputMessage(name, ERROR, f"{name}: cannot be read ({reason}); not loaded"))
            continue
        if document_id in kept and not blank:  # empty files are each reported as empty
            messages.append(InputMessage(
                name, WARNING, f"{name}: same content as {printable_name(kept[document_id].name)}; loaded once",
                document_id))
            continue
        kept.setdefault(f"{document_id}:{path.name}" if blank else document_id, path)
    return [kept[key] for key in sorted(kept)], messages


def _content_digest(path: Path) -> tuple[str, bool]:
    """The document id (first 16 hex digits of the SHA-256 of the bytes, read in blocks:
    a file of any size costs no memory) and whether the file is blank (whitespace only)."""
    digest, blank = hashlib.sha256(), True
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            blank = blank and not block.strip()
    return digest.hexdigest()[:16], blank


def printable_name(name: str) -> str:
    """A file name as it is shown and recorded: its bytes read as UTF-8 (else GB18030, else as
    UTF-8 with \\xNN escapes), control characters such as a newline written as escapes."""
    raw = os.fsencode(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost any byte string
        text = raw.decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def iter_extracted(docs_dir: Path, workers: int | None = None,
                   limits: Limits | None = None) -> Iterator[ExtractResult | InputMessage]:
    """Every document of the folder extracted on all cores, yielded in document-id order,
    or the message saying why a file was left out. Only a few documents are held in memory
    at a time, whatever the size of the folder. Each document is read in a worker process
    under a time and a memory limit (extract/isolation.py): one that overruns them, or
    crashes its reader, is an error message naming it, and the others load."""
    paths, messages = _in_document_order(docs_dir)
    yield from messages
    if workers is None:
        workers = min(os.cpu_count() or 1, max(1, len(paths) // 8))
    for path, outcome in map_limited(_extract_file, paths, workers, limits):
        if isinstance(outcome, Failed):
            name = printable_name(path.name)
            yield InputMessage(name, ERROR, f"{name}: {outcome.reason}")
            continue
        name, part, error = outcome
        yield part if part is not None else InputMessage(name, ERROR, error)


def _by_file(messages: list[InputMessage]) -> list[InputMessage]:
    return sorted(messages, key=lambda m: m.source_file)  # stable: a file's own order stays


def extract_folder(docs_dir: Path, workers: int | None = None, limits: Limits | None = None) -> ExtractResult:
    """Every document in the folder, in memory; a file that cannot be read is reported and
    skipped, and a second copy of the same content is loaded once."""
    result = ExtractResult()
    for part in iter_extracted(docs_dir, workers, limits):
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


def extract_folder_to(docs_dir: Path, out_dir: Path, workers: int | None = None,
                      limits: Limits | None = None) -> StreamedExtract:
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
        for part in iter_extracted(docs_dir, workers, limits):
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
    line, page = row.get("source_line", ""), row.get("source_page", "")
    return (row.get("document_id", ""), row.get("source_table", ""),
            int(page) if page.isdigit() else 0, int(line) if line.isdigit() else 0, row.get("side", "") == "expenditure",
            int(row.get("column_no") or 0))
