"""A fuzz run of the extractor over mutated real documents (hypothesis).

Each example takes a document (the test fixtures; the shared documents in ../shared when
present), applies a few mutations (bytes cut, repeated, inserted or overwritten, lines
shuffled or repeated, a stretch re-encoded as GB18030, control characters, a truncation)
and reads it exactly as a worker of the extraction does (``_extract_file``), in this
process, so that any exception the extractor raises fails the test instead of becoming a
worker's message. Success: every mutated document gives rows or a message naming the file,
and none takes longer than the deadline.

In the suite the run is short and derandomized (fixed examples). A longer run:

    FISCAL_DW_FUZZ_EXAMPLES=3000 FISCAL_DW_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/python/test_fuzz_extract.py
"""
from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import hostile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscal_dw.extract.folder import _extract_file

PROJECT_DIR = Path(__file__).resolve().parents[2]
FIXTURES = sorted((PROJECT_DIR / "tests" / "fixtures" / "documents").rglob("*.txt"))
SHARED = PROJECT_DIR.parent / "shared" / "documents"
EXAMPLES = int(os.environ.get("FISCAL_DW_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=os.environ.get("FISCAL_DW_FUZZ_RANDOM") != "1",
                deadline=timedelta(seconds=60), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _mutation() -> st.SearchStrategy:
    position = st.floats(0, 1)
    return st.one_of(
        st.tuples(st.just("cut"), position, st.integers(1, 4000)),
        st.tuples(st.just("repeat"), position, st.integers(1, 400), st.integers(2, 50)),
        st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=64)),
        st.tuples(st.just("overwrite"), position, st.binary(min_size=1, max_size=16)),
        st.tuples(st.just("shuffle lines"), position, st.integers(2, 40)),
        st.tuples(st.just("repeat line"), position, st.integers(2, 2000)),
        st.tuples(st.just("gb18030"), position, st.integers(1, 3000)),
        st.tuples(st.just("control"), position, st.sampled_from([b"\x00", b"\x07", b"\x1b[0m", b"\x0c", b"\r"])),
        st.tuples(st.just("truncate"), position),
        st.tuples(st.just("digits"), position, st.from_regex(r"-?[0-9,]{1,12}(\.[0-9]{0,4})?", fullmatch=True)),
    )


def mutate(raw: bytes, mutations: list[tuple]) -> bytes:
    for kind, where, *rest in mutations:
        at = int(where * len(raw))
        if kind == "cut":
            raw = raw[:at] + raw[at + rest[0]:]
        elif kind == "repeat":
            raw = raw[:at] + raw[at:at + rest[0]] * rest[1] + raw[at:]
        elif kind == "insert":
            raw = raw[:at] + rest[0] + raw[at:]
        elif kind == "overwrite":
            raw = raw[:at] + rest[0] + raw[at + len(rest[0]):]
        elif kind == "shuffle lines":
            lines = raw.split(b"\n")
            start = int(where * len(lines))
            block = lines[start:start + rest[0]]
            lines[start:start + rest[0]] = block[1::2] + block[::2]
            raw = b"\n".join(lines)
        elif kind == "repeat line":
            lines = raw.split(b"\n")
            index = min(int(where * len(lines)), len(lines) - 1)
            lines[index:index + 1] = [lines[index]] * rest[0]
            raw = b"\n".join(lines)
        elif kind == "gb18030":
            start = raw.rfind(b"\n", 0, at) + 1
            end = raw.find(b"\n", at + rest[0])
            end = len(raw) if end < 0 else end
            stretch = raw[start:end].decode("utf-8", "ignore").encode("gb18030")
            raw = raw[:start] + stretch + raw[end:]
        elif kind == "control":
            raw = raw[:at] + rest[0] + raw[at:]
        elif kind == "truncate":
            raw = raw[:at]
        elif kind == "digits":
            raw = raw[:at] + b" " + rest[0].encode() + b" " + raw[at:]
    return raw


def _seeds(folder: Path | None) -> list[tuple[str, bytes]]:
    documents = FIXTURES if folder is None else sorted(folder.glob("*.txt"))
    seeds = [(path.name, path.read_bytes()) for path in documents]
    if folder is None:  # and a PDF (a one-page PDF of text operators, see hostile.py)
        seeds.append(("page.pdf", hostile._pdf(*hostile._page(hostile._stream(
            b"BT /F1 12 Tf 72 712 Td (2023 1,234.56 0.00) Tj ET")))))
    return seeds


def check_extracts(name: str, raw: bytes) -> None:
    """The mutated document gives rows or a message naming it; any exception fails."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        shown, part, error = _extract_file(path)
        assert shown == name
        if part is None:
            assert error.startswith(f"{name}: "), error
        else:
            assert all(m.source_file == name for m in part.messages)
            assert [d["source_file"] for d in part.rows["raw_documents"]] in ([name], [])


def _fuzz(folder: Path | None) -> None:
    seeds = _seeds(folder)

    @FUZZ
    @given(st.sampled_from(range(len(seeds))), st.lists(_mutation(), min_size=1, max_size=6))
    def run(index: int, mutations: list[tuple]) -> None:
        name, raw = seeds[index]
        check_extracts(name, mutate(raw, mutations))

    run()


def test_fuzz_fixture_documents() -> None:
    _fuzz(None)


def test_fuzz_shared_documents() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"real documents not found at {SHARED} (CI has ../shared beside the repo)")
    _fuzz(SHARED)
