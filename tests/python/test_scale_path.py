"""The same models read raw tables either as dbt seeds or as CSV files read by DuckDB."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
pytestmark = pytest.mark.slow  # two dbt builds


def dbt_build(warehouse: Path, *extra: str) -> None:
    environment = {**os.environ, "FISCAL_DW_WAREHOUSE": str(warehouse),
                   "FISCAL_DW_RAW_DIR": "seeds/raw",
                   "DBT_TARGET_PATH": str(warehouse.parent / "target"),
                   "DBT_LOG_PATH": str(warehouse.parent / "logs")}
    process = subprocess.run([str(DBT), "build", "--profiles-dir", ".", "--project-dir", ".",
                              "--full-refresh", "--quiet", *extra], cwd=PROJECT_DIR,
                             env=environment, capture_output=True, text=True, timeout=900)
    assert process.returncode == 0, process.stdout[-4000:] + process.stderr[-2000:]


def test_files_mode_builds_the_same_marts_as_seeds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds" / "w.duckdb"
    files = tmp_path / "files" / "w.duckdb"
    dbt_build(seeds)
    dbt_build(files, "--vars", "{raw_from: files}", "--exclude-resource-type", "unit_test",
              "--exclude", "raw_*")
    with duckdb.connect(str(files), read_only=True) as connection:
        # no raw seed was loaded: the staging views read the CSVs themselves
        assert connection.execute("select count(*) from information_schema.tables "
                                  "where table_schema = 'raw' and table_name like 'raw_%'"
                                  ).fetchone() == (0,)
    with duckdb.connect(str(seeds), read_only=True) as a, \
            duckdb.connect(str(files), read_only=True) as b:
        marts = [name for (name,) in a.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by 1").fetchall()]
        assert len(marts) >= 12
        for mart in marts:
            query = f"select * from marts.{mart} order by all"
            assert a.execute(query).fetchall() == b.execute(query).fetchall(), mart
