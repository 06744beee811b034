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
