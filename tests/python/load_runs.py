"""Two real loads, run once per test session and shared by test_loads, test_report and
test_browser_report (each `fiscal-dw run` takes half a minute).

The second load runs while another process holds the warehouse open read-only, as a BI
tool would; what that reader saw before and after is kept for test_loads.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import expected_run_exit

PROJECT_DIR = Path(__file__).resolve().parents[2]
FISCAL_DW = Path(sys.executable).parent / "fiscal-dw"
SHARED_DOCUMENTS = PROJECT_DIR.parent / "shared" / "documents"
JINAN, QINGDAO = "济南市大数据局", "青岛市大数据发展管理局"

READER = textwrap.dedent("""
    import sys, duckdb
    path = sys.argv[1]
    latest = "select load_id from marts.fct_load_history where is_latest"
    connection = duckdb.connect(path, read_only=True)
    print("before", connection.execute(latest).fetchone()[0], flush=True)
    sys.stdin.readline()  # the test says when the run has finished
    print("held", connection.execute(latest).fetchone()[0],
          connection.execute("select count(*) from marts.fct_reconciliation_checks").fetchone()[0], flush=True)
    connection.close()
    connection = duckdb.connect(path, read_only=True)
    print("reconnected", connection.execute(latest).fetchone()[0], flush=True)
""")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout[-6000:] + self.stderr[-3000:]


@dataclass
class TwoLoads:
    root: Path
    warehouse: Path
    documents: Path | None  # None: built from the committed seeds (../shared absent)
    first: Run
    second: Run
    reader: dict[str, list[str]]

    @property
    def history(self) -> Path:
        return self.root / "history" / "fiscal"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def exports(self) -> Path:
        return self.root / "exports"


def fiscal_dw(*args: str, timeout: int = 900) -> Run:
    process = subprocess.run([str(FISCAL_DW), *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                             timeout=timeout)
    return Run(process.returncode, process.stdout, process.stderr)


def run_load(warehouse: Path, documents: Path | None) -> Run:
    return fiscal_dw("run", "--warehouse", str(warehouse), *(["--docs", str(documents)] if documents else []))


_SESSION: dict[str, TwoLoads] = {}


def two_loads(factory: pytest.TempPathFactory) -> TwoLoads:
    if "loads" not in _SESSION:
        root = factory.mktemp("two_loads")
        warehouse = root / "fiscal.duckdb"
        documents = SHARED_DOCUMENTS if SHARED_DOCUMENTS.is_dir() else None
        first = run_load(warehouse, documents)
        assert first.returncode == expected_run_exit(warehouse), first.output
        reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert reader.stdout is not None and reader.stdin is not None
        before = reader.stdout.readline().split()
        try:
            second = run_load(warehouse, documents)
        finally:
            out, err = reader.communicate("go\n", timeout=120)
        lines = [line.split() for line in out.splitlines()]
        seen = {line[0]: line[1:] for line in [before, *lines] if line}
        assert "reconnected" in seen, f"reader failed: {out} {err}"
        _SESSION["loads"] = TwoLoads(root, warehouse, documents, first, second, seen)
    return _SESSION["loads"]
