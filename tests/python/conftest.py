"""Shared by the test modules: the real documents (skipped with a reason when ../shared is
absent), and the warehouses several modules read, each built once per session.

Markers (pyproject.toml): ``slow`` for a test that runs dbt, a whole load or a browser;
``pytest -m "not slow"`` is the fast inner loop, the README's test command runs everything.
A test that uses one of the session loads below is marked ``slow`` here, whatever its module.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SHARED_DOCUMENTS = PROJECT_DIR.parent / "shared" / "documents"
FISCAL_DW = Path(sys.executable).parent / "fiscal-dw"
# fixtures that build a warehouse: a test using one is slow
BUILDING_FIXTURES = frozenset({"documents_load", "seeds_load", "real_load", "loads", "bad_load", "detection"})

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_documents() -> Path:
    if not SHARED_DOCUMENTS.is_dir():
        pytest.skip(f"real documents not found at {SHARED_DOCUMENTS} (CI has ../shared beside the repo)")
    return SHARED_DOCUMENTS


def seeds_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((PROJECT_DIR / "seeds").rglob("*.csv")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class FinishedRun:
    """A finished `fiscal-dw run` into its own warehouse."""

    warehouse: Path
    returncode: int
    stdout: str
    stderr: str
    seeds_unchanged: bool  # the committed seeds are byte for byte what they were before

    @property
    def output(self) -> str:
        return self.stdout[-4000:] + self.stderr[-4000:]


def fiscal_dw_run(warehouse: Path, documents: Path | None = None, timeout: int = 900) -> FinishedRun:
    before = seeds_fingerprint()
    process = subprocess.run([str(FISCAL_DW), "run", "--warehouse", str(warehouse),
                              *(["--docs", str(documents)] if documents else [])],
                             cwd=PROJECT_DIR, capture_output=True, text=True, timeout=timeout)
    return FinishedRun(warehouse, process.returncode, process.stdout, process.stderr,
                       seeds_fingerprint() == before)


@pytest.fixture(scope="session")
def documents_load(shared_documents: Path, tmp_path_factory: pytest.TempPathFactory) -> FinishedRun:
    """`fiscal-dw run --docs ../shared/documents` once per session, shared by the tests that
    only read its warehouse (test_pipeline, test_narrative_marts, test_performance_marts,
    test_validate). A run that builds no warehouse fails them; it is never a skip."""
    run = fiscal_dw_run(tmp_path_factory.mktemp("documents_load") / "fiscal.duckdb", shared_documents)
    assert run.warehouse.is_file(), run.output
    return run


@pytest.fixture(scope="session")
def seeds_load(tmp_path_factory: pytest.TempPathFactory) -> FinishedRun:
    """`fiscal-dw run` on the committed seeds once per session (what CI and a fresh clone run)."""
    run = fiscal_dw_run(tmp_path_factory.mktemp("seeds_load") / "fiscal.duckdb")
    assert run.warehouse.is_file(), run.output
    return run


@pytest.fixture(scope="session")
def real_load(request: pytest.FixtureRequest) -> FinishedRun:
    """The load on the real documents when ../shared is there, else on the committed seeds."""
    return request.getfixturevalue("documents_load" if SHARED_DOCUMENTS.is_dir() else "seeds_load")


def expected_run_exit(warehouse: Path) -> int:
    """What `fiscal-dw run` must exit with for the warehouse it built, read from the marts:
    1 when a reconciliation check of error severity failed, else 0 (the callers' documents
    all load, and their dbt tests and expectations pass)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        (failed,) = connection.execute(
            "select count(*) from marts.fct_reconciliation_checks "
            "where status = 'fail' and severity = 'error'").fetchone()
    return 1 if failed else 0


def final_accounts_id(connection, department: str) -> str:
    """The document_id of a department's final accounts in a built warehouse."""
    [(found,)] = connection.execute(
        "select document_id from marts.dim_document where department_name = ? "
        "and document_kind = 'final_accounts'", [department]).fetchall()
    return found
