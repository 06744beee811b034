"""Where a load's files live and how they are written: one `fiscal-dw run` = one load,
recorded in a history that outlives the warehouse file.

Where things live, all derived from the warehouse path W (``warehouse/fiscal.duckdb`` by
default), so a warehouse in a temporary folder has its own of each:

* ``W.parent/history/<W.stem>/<table>/<load_id>.parquet`` -- the load history, one Parquet
  file per load and table (``loads``, ``load_documents``, ``load_row_counts``,
  ``load_messages``, ``check_results``). It is append-only and kept outside the rebuilt DuckDB file; dbt reads
  it back (source ``load_history``) into ``marts.fct_load_history`` and friends.
* ``W.parent/.<W.stem>.building/<W.name>`` -- where a load is built. The finished file is
  renamed over W (same folder tree, so the rename is atomic): a reader holding W open
  keeps reading the previous load until it reconnects, and never blocks the build.
* ``W.parent/.<W.name>.lock`` -- held while a load runs; a second run on the same
  warehouse stops at once instead of building over the first.
* reports and exports: ``reports/`` and ``exports/`` at the project root for the project
  warehouse (``warehouse/*.duckdb``), beside the file for a warehouse anywhere else.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from fiscal_dw import PROJECT_DIR

# DuckDB caches what it reads up to its memory limit (80 % of RAM by default). The run's own
# connections (history, exports, report, Great Expectations beside its data frames) get a
# small share; dbt's get profiles.yml's limit.
IN_PROCESS_DUCKDB = {"memory_limit": "1GB"}
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "fiscal.duckdb"
DEFAULT_SUITES = PROJECT_DIR / "expectations"
SAMPLE_RAW_DIR = PROJECT_DIR / "seeds" / "raw"  # the committed sample, built without --docs


@dataclass(frozen=True)
class LoadPaths:
    warehouse: Path
    history: Path
    building: Path
    lock: Path
    reports: Path
    exports: Path

    @classmethod
    def for_warehouse(cls, warehouse: Path, reports: Path | None = None,
                      exports: Path | None = None) -> "LoadPaths":
        warehouse = Path(warehouse).resolve()
        home = PROJECT_DIR if warehouse.parent == PROJECT_DIR / "warehouse" else warehouse.parent
        return cls(
            warehouse=warehouse,
            history=warehouse.parent / "history" / warehouse.stem,
            # same stem as the warehouse: DuckDB names the catalog after the file
            building=warehouse.parent / f".{warehouse.stem}.building" / warehouse.name,
            lock=warehouse.parent / f".{warehouse.name}.lock",
            reports=Path(reports).resolve() if reports else home / "reports",
            exports=Path(exports).resolve() if exports else home / "exports",
        )


def sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def write_parquet(connection: duckdb.DuckDBPyConnection, table: str, target: Path) -> None:
    """COPY a table to Parquet under a temporary name, then rename: a reader globbing
    ``*.parquet`` never sees a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    connection.execute(f"copy {table} to {sql_path(partial)} (format parquet)")
    os.replace(partial, target)
