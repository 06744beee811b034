from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SHARED_DOCUMENTS = PROJECT_DIR.parent / "shared" / "documents"

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session")
def shared_documents() -> Path:
    if not SHARED_DOCUMENTS.is_dir():
        pytest.skip(f"real documents not found at {SHARED_DOCUMENTS} (CI has ../shared beside the repo)")
    return SHARED_DOCUMENTS


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
