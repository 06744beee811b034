"""Loads: one `fiscal-dw run` = one load, recorded in a history that outlives the warehouse file.

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

import csv
import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Iterator

import duckdb

from fiscal_dw.extract import read_messages

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parents[1]
# DuckDB caches what it reads up to its memory limit (80 % of RAM by default). The run's own
# connections (history, exports, report, Great Expectations beside its data frames) get a
# small share; dbt's get profiles.yml's limit.
IN_PROCESS_DUCKDB = {"memory_limit": "1GB"}
HISTORY_TABLES = ("loads", "load_documents", "load_row_counts", "load_messages", "check_results")
# Modules that are not the extractor: their changes do not change what a load extracts.
_NOT_EXTRACTOR = {"__init__.py", "cli.py", "loads.py", "report.py", "validate.py"}


class LoadInProgress(RuntimeError):
    """Another run holds the warehouse's lock."""


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


@dataclass(frozen=True)
class Load:
    load_id: str
    started_at: datetime  # UTC, naive
    source_kind: str  # documents | seeds
    source_path: str
    extractor_version: str | None  # None for the committed seeds: they record none


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_load_id(started_at: datetime) -> str:
    """Sortable by time, unique: ``20250101T120000Z-1a2b3c``."""
    return f"{started_at:%Y%m%dT%H%M%S}Z-{secrets.token_hex(3)}"


def extractor_version() -> str:
    """Package version + a digest of the extractor's source, so two loads read by different
    extractor code are told apart even when nobody bumped the version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("fiscal-dw")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        package = "0"
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        if path.name not in _NOT_EXTRACTOR:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{package}+{digest.hexdigest()[:12]}"


def raw_row_counts(raw_dir: Path) -> dict[str, int]:
    """Data rows per raw CSV (quoted line breaks counted once)."""
    counts: dict[str, int] = {}
    for path in sorted(Path(raw_dir).glob("raw_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            counts[path.stem] = max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    return counts


def read_documents(raw_dir: Path) -> list[dict[str, str]]:
    path = Path(raw_dir) / "raw_documents.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def document_set_sha256(documents: list[dict[str, str]]) -> str:
    """One digest for the set of document contents (order and file names do not matter)."""
    return hashlib.sha256("\n".join(sorted(d["source_sha256"] for d in documents)).encode()).hexdigest()


@contextmanager
def warehouse_lock(paths: LoadPaths) -> Iterator[None]:
    paths.lock.parent.mkdir(parents=True, exist_ok=True)
    with paths.lock.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EACCES):
                raise LoadInProgress(f"another run is loading {paths.warehouse}") from error
            raise
        try:
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare_building(paths: LoadPaths) -> Path:
    """An empty place to build the next warehouse file (leftovers of a failed run removed)."""
    shutil.rmtree(paths.building.parent, ignore_errors=True)
    paths.building.parent.mkdir(parents=True)
    return paths.building


def discard_building(paths: LoadPaths) -> None:
    shutil.rmtree(paths.building.parent, ignore_errors=True)


def checkpoint(database: Path) -> None:
    """Fold any write-ahead log into the file, so the file alone is the whole database."""
    with duckdb.connect(str(database), config=IN_PROCESS_DUCKDB) as connection:
        connection.execute("checkpoint")
    wal = database.with_name(database.name + ".wal")
    if wal.exists():  # pragma: no cover - a checkpoint on close leaves none
        raise RuntimeError(f"{wal} left after a checkpoint")


def swap_in(paths: LoadPaths) -> None:
    """Atomically replace the warehouse with the freshly built file.

    rename(2) on the same filesystem: a reader that opened the old file keeps its inode
    and reads the previous load until it reconnects; a new connection sees the new load.
    A write-ahead log beside the old file would be replayed onto the new one, so it goes
    first (readers open the warehouse read-only and leave none).
    """
    checkpoint(paths.building)
    stale_wal = paths.warehouse.with_name(paths.warehouse.name + ".wal")
    stale_wal.unlink(missing_ok=True)
    os.replace(paths.building, paths.warehouse)


def _integer(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _publish(connection: duckdb.DuckDBPyConnection, table: str, target: Path) -> None:
    """COPY a table to Parquet under a temporary name, then rename: a reader globbing
    ``*.parquet`` never sees a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    connection.execute(f"copy {table} to {_sql_path(partial)} (format parquet)")
    os.replace(partial, target)


def append_history(paths: LoadPaths, load: Load, raw_dir: Path, built: Path,
                   finished_at: datetime) -> list[Path]:
    """Record the load: its row, its documents, raw row counts, what the extractor said about
    its input files (load_messages) and every reconciliation check
    of the freshly built warehouse ``built``. Returns the files written (one per table)."""
    documents = read_documents(raw_dir)
    counts = raw_row_counts(raw_dir)
    written: list[Path] = []
    with duckdb.connect(config=IN_PROCESS_DUCKDB) as connection:
        connection.execute(f"attach {_sql_path(built)} as built (read_only)")
        connection.execute(
            "create table loads (load_id varchar, started_at timestamp, finished_at timestamp, "
            "source_kind varchar, source_path varchar, extractor_version varchar, "
            "document_set_sha256 varchar, warehouse_path varchar)")
        connection.execute("insert into loads values (?, ?, ?, ?, ?, ?, ?, ?)", [
            load.load_id, load.started_at, finished_at, load.source_kind, load.source_path,
            load.extractor_version, document_set_sha256(documents), str(paths.warehouse)])
        connection.execute(
            "create table load_documents (load_id varchar, document_id varchar, "
            "document_kind varchar, department_name varchar, fiscal_year integer, "
            "source_file varchar, source_sha256 varchar, line_count integer)")
        for d in documents:
            connection.execute("insert into load_documents values (?, ?, ?, ?, ?, ?, ?, ?)", [
                load.load_id, d["document_id"], d["document_kind"], d["department_name"] or None,
                _integer(d.get("fiscal_year")), d["source_file"], d["source_sha256"],
                _integer(d.get("line_count"))])
        connection.execute("create table load_row_counts (load_id varchar, raw_table varchar, "
                           "row_count bigint)")
        for name, count in counts.items():
            connection.execute("insert into load_row_counts values (?, ?, ?)",
                               [load.load_id, name, count])
        connection.execute(
            "create table load_messages (load_id varchar, message_seq integer, severity varchar, "
            "source_file varchar, document_id varchar, source_table varchar, source_line integer, "
            "message varchar)")
        for seq, m in enumerate(read_messages(raw_dir), start=1):
            connection.execute("insert into load_messages values (?, ?, ?, ?, ?, ?, ?, ?)", [
                load.load_id, seq, m.severity, m.source_file, m.document_id or None,
                m.source_table or None, _integer(m.source_line), m.text])
        # every column of the mart as it is in this load (Parquet files of loads with other
        # columns are read together by name), plus what identifies the check across loads
        connection.execute(
            "create table check_results as select $load_id::varchar as load_id, checks.*, "
            "documents.document_kind, documents.department_name, documents.fiscal_year "
            "from built.marts.fct_reconciliation_checks as checks "
            "left join built.marts.dim_document as documents using (document_id) "
            "order by checks.check_id", {"load_id": load.load_id})
        for table in HISTORY_TABLES:
            target = paths.history / table / f"{load.load_id}.parquet"
            _publish(connection, table, target)
            written.append(target)
    return written


def remove_history(paths: LoadPaths, load_id: str) -> None:
    """Take a load back out of the history (its build did not complete)."""
    for table in HISTORY_TABLES:
        (paths.history / table / f"{load_id}.parquet").unlink(missing_ok=True)


def export_marts(database: Path, target: Path) -> dict[str, int]:
    """Every table of schema ``marts`` to ``target/<mart>.parquet`` plus ``manifest.json``.

    Written to a sibling folder and renamed into place, so ``target`` appears complete."""
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    rows: dict[str, int] = {}
    columns: dict[str, list[dict[str, str]]] = {}
    with duckdb.connect(str(database), read_only=True, config=IN_PROCESS_DUCKDB) as connection:
        marts = [name for (name,) in connection.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE' order by table_name").fetchall()]
        for mart in marts:
            connection.execute(f'copy marts."{mart}" to {_sql_path(partial / (mart + ".parquet"))} '
                               "(format parquet)")
            rows[mart] = connection.execute(f'select count(*) from marts."{mart}"').fetchone()[0]
            columns[mart] = [{"name": name, "type": kind} for name, kind in connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [mart]).fetchall()]
    manifest = {"marts": {m: {"file": f"{m}.parquet", "rows": rows[m], "columns": columns[m]}
                          for m in marts}}
    (partial / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    return rows


def point_latest(folder: Path, name: str) -> Path:
    """``folder/latest`` -> ``name`` (a relative symlink, replaced atomically)."""
    link = folder / "latest"
    temporary = folder / f".latest.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(name, target_is_directory=True)
    os.replace(temporary, link)
    return link
