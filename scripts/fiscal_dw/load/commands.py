"""The single-step commands: ``extract`` (documents -> raw CSVs, also the first stage of a
run), and the developer commands ``build`` (dbt build in place) and ``validate`` (Great
Expectations on a warehouse). None of them records a load."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from fiscal_dw.extract.folder import MESSAGES_FILE, StreamedExtract, extract_folder_to
from fiscal_dw.load import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK
from fiscal_dw.load.console import MESSAGE_MARKS, say
from fiscal_dw.load.dbt import Dbt, dbt_environment, report_dbt

SHOWN_DOCUMENTS, SHOWN_MESSAGES = 20, 50  # on screen; the raw tables and the report have all


def extract(docs: Path, out: Path) -> tuple[int, StreamedExtract | None]:
    """Documents -> raw CSVs in ``out``, with what was read and said printed; exit code and
    the result (None when the folder does not exist)."""
    if not docs.is_dir():
        say(f"error: documents folder not found: {docs}")
        return EXIT_BAD_INPUT, None
    result = extract_folder_to(docs, out)
    _show_documents(result, docs, out)
    _show_messages(result, out)
    if not result.documents:
        say("error: no readable document in the folder")
        return EXIT_BAD_INPUT, result
    return EXIT_OK, result


def _show_documents(result: StreamedExtract, docs: Path, out: Path) -> None:
    documents = result.documents
    say(f"extract: {len(documents)} document(s) from {docs} -> {out}")
    for document in documents[:SHOWN_DOCUMENTS]:
        say(f"  {document['source_file']}: {document['document_kind']}, "
            f"{document['department_name'] or '?'} {document['fiscal_year'] or '?'}")
    if len(documents) > SHOWN_DOCUMENTS:
        kinds = Counter(document["document_kind"] for document in documents)
        say(f"  ... and {len(documents) - SHOWN_DOCUMENTS} more; by kind: "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    for name, count in result.counts.items():
        if name not in {"raw_documents", "raw_extract_rejects"}:
            say(f"  {name}: {count} rows")
    say(f"  rejects: {result.counts['raw_extract_rejects']} (written to {out / 'raw_extract_rejects.csv'})")


def _show_messages(result: StreamedExtract, out: Path) -> None:
    for message in result.messages[:SHOWN_MESSAGES]:
        say(f"  {MESSAGE_MARKS[message.severity]} {message.text}")
    if len(result.messages) > SHOWN_MESSAGES:
        say(f"  ... and {len(result.messages) - SHOWN_MESSAGES} more messages in {out / MESSAGES_FILE}")


def build(raw_dir: Path, warehouse: Path) -> int:
    """A developer's build: dbt build in place (no load, no history, no swap)."""
    dbt_environment(raw_dir, warehouse)
    say(f"build: dbt build (raw tables from {raw_dir}) -> {warehouse}")
    # seeds may change columns between document sets: --full-refresh
    result = Dbt().run(["build", "--full-refresh", "--exclude", "tag:history"], "dbt build")
    report_dbt(result, "dbt build")
    return EXIT_OK if result.ok else EXIT_FAILED


def validate(warehouse: Path, suites: Path, results: Path | None) -> int:
    """Great Expectations suites on a built warehouse, printed; 1 when any fails."""
    from fiscal_dw.load.validate import format_report, validate_warehouse

    if not warehouse.exists():
        say(f"error: warehouse not found: {warehouse}")
        return EXIT_BAD_INPUT
    report = validate_warehouse(warehouse, suites, results)
    say(format_report(report))
    return EXIT_OK if report.success else EXIT_FAILED
