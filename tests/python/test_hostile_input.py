"""Hostile input: each file is reported as a message naming it, and the other documents load.

The files are written at test time (tests/python/hostile.py; nothing large is committed).
Each document is read in a worker process under a time and a memory limit
(scripts/fiscal_dw/extract/isolation.py); here the limits are lowered (10 s, 1 GB) so that
the test stays short, and the same files must be refused within them."""
from __future__ import annotations

import csv
import json
import os
import signal
import time
from pathlib import Path

import duckdb
import hostile
import pytest

from fiscal_dw.extract.folder import InputMessage, extract_folder_to
from fiscal_dw.extract.isolation import Failed, Limits, map_limited

LIMITS = Limits(seconds=10, memory_mb=1024)


def _by_file(messages: list[InputMessage]) -> dict[str, list[InputMessage]]:
    found: dict[str, list[InputMessage]] = {}
    for message in messages:
        found.setdefault(message.source_file, []).append(message)
    return found


@pytest.mark.slow  # writes 200 MB and more, and waits out the time limit
def test_each_hostile_file_is_a_message_and_the_others_load(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    good = hostile.good_documents_with_hostile_names(docs)
    refused = [hostile.huge_text(docs), hostile.one_long_line(docs), hostile.millions_of_numbers(docs),
               hostile.repeated_titles(docs), hostile.pdf_zip_bomb(docs), hostile.pdf_malformed(docs),
               hostile.pdf_deeply_nested(docs), hostile.symlink_loop(docs), "loop2.txt", "folder.txt"]
    cleaned = [hostile.control_characters(docs), hostile.nul_bytes(docs), hostile.mixed_encodings(docs)]
    started = time.monotonic()
    result = extract_folder_to(docs, tmp_path / "raw", workers=2, limits=LIMITS)
    seconds = time.monotonic() - started
    # no hang: ten refused files on two workers, none allowed more than 10 s (and a margin
    # for a busy machine)
    assert seconds < 240, seconds
    messages = _by_file(result.messages)
    loaded = [d["source_file"] for d in result.documents]
    for name in good:  # the good documents load, under a name that can be printed
        assert name in loaded, (name, loaded)
    for name in refused:
        errors = [m for m in messages.get(name, []) if m.severity == "error"]
        assert errors and errors[0].text.startswith(f"{name}: "), (name, messages.get(name))
        assert name not in loaded
    assert "loops" in messages["loop.txt"][0].text and "not a regular file" in messages["folder.txt"][0].text
    assert "corrupt" in messages["malformed.pdf"][0].text
    for name in ("huge.txt", "one_line.txt", "numbers.txt", "titles.txt", "bomb.pdf"):
        assert any(limit in messages[name][0].text for limit in ("memory", "took longer")), messages[name]
    # stray NUL bytes and control characters are removed, lines of two encodings each read in
    # its own: the documents load, with a warning saying what was done
    for name, said in zip(cleaned, ("control characters removed", "NUL bytes removed", "mixed encodings")):
        assert name in loaded
        assert any(said in m.text and m.severity == "warning" for m in messages[name]), messages[name]
    # what was written is UTF-8 CSV and JSON that reads back, names with newlines included
    with (tmp_path / "raw" / "raw_documents.csv").open(encoding="utf-8", newline="") as handle:
        assert sorted(row["source_file"] for row in csv.DictReader(handle)) == sorted(loaded)
    written = json.loads((tmp_path / "raw" / "extract_messages.json").read_text(encoding="utf-8"))
    assert {m["source_file"] for m in written} >= set(refused)


def test_a_mixed_encoding_document_reads_as_its_parts(tmp_path: Path) -> None:
    """Each half of the mixed file reads as the single-encoding original does, line by line."""
    from fiscal_dw.extract.documents import load_document, read_document

    name = hostile.mixed_encodings(tmp_path)
    original = load_document(hostile.FIXTURES / "performance" / "evaluation_reports.txt")
    document, notes = read_document(tmp_path / name)
    assert document.lines == original.lines
    assert len(notes) == 1 and "mixed encodings" in notes[0]


# ------------------------------------------------------------------------- the limits


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _crash(code: int) -> int:
    if code:
        os.kill(os.getpid(), signal.SIGSEGV)
    return code


def _fail(text: str) -> str:
    raise ValueError(text)


def _work(item: tuple[str, object]) -> object:
    function, argument = item
    return {"sleep": _sleep, "allocate": _allocate, "crash": _crash, "fail": _fail}[function](argument)


def test_limits_turn_each_overrun_into_a_failure_in_input_order() -> None:
    items = [("sleep", 0.1), ("sleep", 30), ("allocate", 10), ("allocate", 4096), ("crash", 1),
             ("fail", "bad cell"), ("sleep", 0.2), ("crash", 0)]
    started = time.monotonic()
    outcomes = list(map_limited(_work, items, workers=2, limits=Limits(seconds=3, memory_mb=512)))
    assert time.monotonic() - started < 30  # the 30 s sleeper was stopped at 3 s
    assert [item for item, _ in outcomes] == items
    results = [outcome for _, outcome in outcomes]
    assert results[0] == 0.1 and results[2] == 10 * 1024 * 1024 and results[6] == 0.2 and results[7] == 0
    assert isinstance(results[1], Failed) and "took longer than 3 s" in results[1].reason
    assert isinstance(results[3], Failed) and "512 MB" in results[3].reason
    assert isinstance(results[4], Failed) and "SIGSEGV" in results[4].reason
    assert isinstance(results[5], Failed) and "ValueError: bad cell" in results[5].reason


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FISCAL_DW_DOCUMENT_TIMEOUT", "7.5")
    monkeypatch.setenv("FISCAL_DW_DOCUMENT_MEMORY_MB", "300")
    assert Limits.from_environment() == Limits(7.5, 300)
    monkeypatch.setenv("FISCAL_DW_DOCUMENT_TIMEOUT", "soon")
    assert Limits.from_environment().seconds == Limits().seconds


# ------------------------------------------------------------------------- a whole load


@pytest.mark.slow
def test_a_load_with_hostile_files_publishes_the_others_and_names_each(tmp_path: Path) -> None:
    """One `fiscal-dw run` over the good documents (hostile names) and the small hostile
    files: exit 2, published; every file in fct_load_messages, the summary and the report."""
    import subprocess
    import sys

    docs = tmp_path / "docs"
    docs.mkdir()
    good = hostile.good_documents_with_hostile_names(docs)
    refused = [hostile.pdf_malformed(docs), hostile.pdf_deeply_nested(docs), hostile.symlink_loop(docs)]
    cleaned = [hostile.control_characters(docs), hostile.nul_bytes(docs), hostile.mixed_encodings(docs)]
    warehouse = tmp_path / "fiscal.duckdb"
    process = subprocess.run([str(Path(sys.executable).parent / "fiscal-dw"), "run", "--warehouse", str(warehouse),
                              "--docs", str(docs)], capture_output=True, text=True, timeout=900,
                             cwd=Path(__file__).resolve().parents[2])
    output = process.stdout[-5000:] + process.stderr[-3000:]
    assert process.returncode == 2 and "run: published load" in process.stdout, output
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        documents = {row[0] for row in connection.execute("select source_file from marts.dim_document").fetchall()}
        messages = connection.execute(
            "select source_file, severity, message from marts.fct_load_messages").fetchall()
    assert set(good) | set(cleaned) <= documents
    named = {file for file, severity, _ in messages if severity == "error"}
    assert set(refused) <= named
    summary = json.loads((tmp_path / "reports" / "latest" / "summary.json").read_text(encoding="utf-8"))
    assert set(refused) <= {m["source_file"] for m in summary["input_messages"]}
    page = (tmp_path / "reports" / "latest" / "index.html").read_text(encoding="utf-8")
    for name in [*refused, *good]:
        assert name.replace("&", "&amp;") in page, name


def test_a_document_floods_no_more_than_a_thousand_messages(tmp_path: Path) -> None:
    """Table titles repeated thousands of times load (each title a warning), but the load
    history gets the first thousand messages of the document and one counting the rest."""
    from fiscal_dw.extract.folder import MAX_MESSAGES

    docs = tmp_path / "docs"
    docs.mkdir()
    name = hostile.repeated_titles(docs, times=3000)
    result = extract_folder_to(docs, tmp_path / "raw", workers=1, limits=Limits(seconds=120, memory_mb=1024))
    messages = _by_file(result.messages)[name]
    assert [d["source_file"] for d in result.documents] == [name]
    assert len(messages) == MAX_MESSAGES + 1
    assert "more messages not listed" in messages[-1].text and messages[-1].text.startswith(f"{name}: ")
    hidden = int(messages[-1].text.split(": ")[1].split()[0])
    assert hidden >= 3000 - MAX_MESSAGES  # at least one warning per title beyond those listed
