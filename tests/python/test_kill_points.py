"""A load killed with SIGKILL at points spread over every stage (FISCAL_DW_KILL_AT, the test
hook of scripts/fiscal_dw/load/crash.py: the run kills its own process group there, as a
power cut would; no `finally` runs). After each kill: the warehouse opens and holds the
previous or the new load, whole; its history lists exactly the published loads;
exports/latest and reports/latest point at a published load; the next run settles what the
killed one left and goes on. The runs form a chain (each run after a kill is the next kill's
run, and says what it settled), closed by a run that must publish.

On the test fixtures' documents (two final accounts); slow: one run to each point."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
FISCAL_DW = Path(sys.executable).parent / "fiscal-dw"
DOCUMENTS = PROJECT_DIR / "tests" / "fixtures" / "documents"
HISTORY_MARTS = {"fct_load_history", "fct_check_history", "fct_load_documents", "fct_load_row_counts",
                 "fct_load_messages"}

# What a kill leaves of the load: nothing published, its warehouse swapped in without a commit
# marker, or committed. What the next run must say about it follows from that.
UNPUBLISHED, SWAPPED, COMMITTED = "never published", "commit completed", ""

# (FISCAL_DW_KILL_AT pattern, what the kill leaves), in the order a run reaches them: every
# stage, the swap and the export included.
KILL_POINTS = [
    ("documents", UNPUBLISHED),  # stage 1 begun (lock held, history settled)
    ("documents done", UNPUBLISHED),  # documents extracted, raw CSVs written
    ("dbt build: 20*", UNPUBLISHED),  # stage 2, dbt building the new file (its 20th node)
    ("history appended", UNPUBLISHED),  # the load's history Parquet written, not committed
    ("dbt test + history: 30*", UNPUBLISHED),  # data tests and history marts being built
    ("expectations", UNPUBLISHED),  # stage 3, the mart suites done, the history suites not
    ("publish", UNPUBLISHED),  # stage 4, finished_at stamped in the built file, before the swap
    ("swap", UNPUBLISHED),  # the built file checkpointed, the rename not done
    ("swapped", SWAPPED),  # renamed over the warehouse, no commit marker yet
    ("export: 3/*", COMMITTED),  # committed, the Parquet exports half written
    ("report", COMMITTED),  # stage 5, the report written, reports/latest not moved
]

pytestmark = pytest.mark.slow


@dataclass
class Run:
    returncode: int
    output: str

    @property
    def load_id(self) -> str:
        return re.search(r"^load (\S+) -> ", self.output, re.M).group(1)

    @property
    def settled(self) -> list[str]:
        return re.findall(r"^ +history: (.*)$", self.output, re.M)


def run_load(warehouse: Path, kill_at: str | None) -> Run:
    env = {k: v for k, v in os.environ.items() if k != "FISCAL_DW_KILL_AT"}
    if kill_at:
        env["FISCAL_DW_KILL_AT"] = kill_at
    # its own session: the hook kills the run's whole process group, and only that
    process = subprocess.run([str(FISCAL_DW), "run", "--warehouse", str(warehouse), "--docs", str(DOCUMENTS)],
                             cwd=PROJECT_DIR, capture_output=True, text=True, timeout=900, env=env,
                             start_new_session=True)
    return Run(process.returncode, process.stdout + process.stderr)


def marts(warehouse: Path) -> dict[str, int]:
    """Rows per mart, read as a BI tool would (read-only)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        names = [name for (name,) in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()]
        return {name: connection.execute(f'select count(*) from marts."{name}"').fetchone()[0] for name in names}


def listed_loads(warehouse: Path) -> tuple[list[str], str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        loads = [row[0] for row in connection.execute(
            "select load_id from marts.fct_load_history order by load_seq").fetchall()]
        (latest,) = connection.execute("select load_id from marts.fct_load_history where is_latest").fetchone()
    return loads, latest


def check_published_state(root: Path, published: list[str], baseline: dict[str, int]) -> None:
    """The warehouse holds the last published load, whole; its history lists exactly the
    published loads; exports/latest and reports/latest name published loads."""
    warehouse = root / "fiscal.duckdb"
    rows = marts(warehouse)
    assert set(rows) == set(baseline)
    assert {m: n for m, n in rows.items() if m not in HISTORY_MARTS} == {
        m: n for m, n in baseline.items() if m not in HISTORY_MARTS}  # the same documents each load
    loads, latest = listed_loads(warehouse)
    assert loads == published and latest == published[-1]
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.execute("select count(distinct load_id) from marts.fct_check_history").fetchone()[0] \
            == len(published)
    for folder in ("exports", "reports"):
        target = (root / folder / "latest").resolve()
        assert target.name in published, (folder, target.name, published)
    manifest = json.loads((root / "exports" / "latest" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["marts"]) == set(baseline)
    assert (root / "reports" / "latest" / "index.html").is_file()


def check_settled(run: Run, killed: Run | None, left: str) -> None:
    """The run said what it did with the killed load before it: removed it (never
    published), completed its commit (swapped in), or nothing (it was committed)."""
    if killed is None:
        return
    said = [line for line in run.settled if killed.load_id in line]
    if left == COMMITTED:
        assert not [line for line in said if "commit" in line or "never" in line], said
    else:
        assert any(left in line for line in said), (left, run.settled)


def test_a_load_killed_at_any_point_leaves_a_whole_warehouse_and_exact_history(tmp_path: Path) -> None:
    warehouse = tmp_path / "fiscal.duckdb"
    first = run_load(warehouse, None)
    assert first.returncode in (0, 1) and "run: published load" in first.output, first.output[-3000:]
    published = [first.load_id]
    baseline = marts(warehouse)
    check_published_state(tmp_path, published, baseline)
    killed: Run | None = None
    left = COMMITTED
    for point, leaves in KILL_POINTS:
        run = run_load(warehouse, point)
        assert run.returncode == -9, f"{point}: not killed\n{run.output[-3000:]}"
        assert f"kill point '{point.rstrip('*')}" in run.output, run.output[-2000:]
        check_settled(run, killed, left)  # what the run killed before this one left
        if leaves != UNPUBLISHED:
            published.append(run.load_id)
        check_published_state(tmp_path, published, baseline)
        killed, left = run, leaves
    final = run_load(warehouse, None)
    assert final.returncode in (0, 1), final.output[-3000:]
    assert "run: published load" in final.output
    check_settled(final, killed, left)
    published.append(final.load_id)
    check_published_state(tmp_path, published, baseline)
    # nothing left half-done: every recorded load committed, no side file, no partial export
    history = tmp_path / "history" / "fiscal"
    assert {p.stem for p in (history / "commits").glob("*.parquet")} == set(published)
    assert {p.stem for p in (history / "loads").glob("*.parquet")} == set(published)
    assert not list((history / "begun").iterdir())
    assert not (tmp_path / ".fiscal.building").exists()
    assert not list((tmp_path / "exports").glob("*.partial"))
    assert {p.name for p in (tmp_path / "reports").iterdir()} - {"latest"} <= set(published)
