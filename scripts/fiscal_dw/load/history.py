"""The load history: a load's row, documents, raw row counts, input messages and every
reconciliation check, appended as Parquet (one file per load and table) under
``LoadPaths.history`` and read back by dbt (source ``load_history``)."""
from __future__ import annotations

import csv
import hashlib
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from fiscal_dw.extract.folder import read_messages
from fiscal_dw.load.files import IN_PROCESS_DUCKDB, LoadPaths, sql_path, write_parquet

HISTORY_TABLES = ("loads", "load_documents", "load_row_counts", "load_messages", "check_results")
# A load's commit marker, written once its warehouse has been swapped in: the history
# staging (macros/history.sql) reads only the rows of committed loads (and of the load
# being built, FISCAL_DW_LOAD_ID, which only its own warehouse file shows).
COMMITS = "commits"
BEGUN = "begun"  # <load_id> files: a load under way (its report folder may already exist)
BUILDING_LOAD_ENV = "FISCAL_DW_LOAD_ID"
EXTRACTOR_DIR = Path(__file__).resolve().parents[1] / "extract"


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
    for path in sorted(EXTRACTOR_DIR.rglob("*.py")):
        name = path.relative_to(EXTRACTOR_DIR).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes())
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


def _integer(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def append_history(paths: LoadPaths, load: Load, raw_dir: Path, built: Path,
                   finished_at: datetime) -> list[Path]:
    """Record the load: its row, its documents, raw row counts, what the extractor said about
    its input files (load_messages) and every reconciliation check
    of the freshly built warehouse ``built``. Returns the files written (one per table)."""
    documents = read_documents(raw_dir)
    written: list[Path] = []
    with duckdb.connect(config=IN_PROCESS_DUCKDB) as connection:
        connection.execute(f"attach {sql_path(built)} as built (read_only)")
        _record_load(connection, paths, load, documents, finished_at)
        _record_documents(connection, load.load_id, documents)
        _record_row_counts(connection, load.load_id, raw_row_counts(raw_dir))
        _record_messages(connection, load.load_id, raw_dir)
        _record_checks(connection, load.load_id)
        for table in HISTORY_TABLES:
            target = paths.history / table / f"{load.load_id}.parquet"
            write_parquet(connection, table, target)
            written.append(target)
    return written


def _record_load(connection: duckdb.DuckDBPyConnection, paths: LoadPaths, load: Load,
                 documents: list[dict[str, str]], finished_at: datetime) -> None:
    connection.execute(
        "create table loads (load_id varchar, started_at timestamp, finished_at timestamp, "
        "source_kind varchar, source_path varchar, extractor_version varchar, "
        "document_set_sha256 varchar, warehouse_path varchar)")
    connection.execute("insert into loads values (?, ?, ?, ?, ?, ?, ?, ?)", [
        load.load_id, load.started_at, finished_at, load.source_kind, load.source_path,
        load.extractor_version, document_set_sha256(documents), str(paths.warehouse)])


def _record_documents(connection: duckdb.DuckDBPyConnection, load_id: str, documents: list[dict[str, str]]) -> None:
    connection.execute(
        "create table load_documents (load_id varchar, document_id varchar, "
        "document_kind varchar, department_name varchar, fiscal_year integer, "
        "source_file varchar, source_sha256 varchar, line_count integer)")
    for d in documents:
        connection.execute("insert into load_documents values (?, ?, ?, ?, ?, ?, ?, ?)", [
            load_id, d["document_id"], d["document_kind"], d["department_name"] or None,
            _integer(d.get("fiscal_year")), d["source_file"], d["source_sha256"],
            _integer(d.get("line_count"))])


def _record_row_counts(connection: duckdb.DuckDBPyConnection, load_id: str, counts: dict[str, int]) -> None:
    connection.execute("create table load_row_counts (load_id varchar, raw_table varchar, "
                       "row_count bigint)")
    for name, count in counts.items():
        connection.execute("insert into load_row_counts values (?, ?, ?)", [load_id, name, count])


def _record_messages(connection: duckdb.DuckDBPyConnection, load_id: str, raw_dir: Path) -> None:
    connection.execute(
        "create table load_messages (load_id varchar, message_seq integer, severity varchar, "
        "source_file varchar, document_id varchar, source_table varchar, source_line integer, "
        "message varchar)")
    for seq, m in enumerate(read_messages(raw_dir), start=1):
        connection.execute("insert into load_messages values (?, ?, ?, ?, ?, ?, ?, ?)", [
            load_id, seq, m.severity, m.source_file, m.document_id or None,
            m.source_table or None, _integer(m.source_line), m.text])


def _record_checks(connection: duckdb.DuckDBPyConnection, load_id: str) -> None:
    """Every column of the mart as it is in this load (Parquet files of loads with other
    columns are read together by name), plus what identifies the check across loads."""
    connection.execute(
        "create table check_results as select $load_id::varchar as load_id, checks.*, "
        "documents.document_kind, documents.department_name, documents.fiscal_year "
        "from built.marts.fct_reconciliation_checks as checks "
        "left join built.marts.dim_document as documents using (document_id) "
        "order by checks.check_id", {"load_id": load_id})


def remove_history(paths: LoadPaths, load_id: str) -> None:
    """Take a load back out of the history (its build did not complete)."""
    for table in HISTORY_TABLES:
        (paths.history / table / f"{load_id}.parquet").unlink(missing_ok=True)
    (paths.history / BEGUN / load_id).unlink(missing_ok=True)


def begin_load(paths: LoadPaths, load_id: str) -> None:
    """Note that a load is under way, so that a run that dies leaves nothing nobody settles."""
    (paths.history / BEGUN).mkdir(parents=True, exist_ok=True)
    (paths.history / BEGUN / load_id).touch()


def set_finished_at(paths: LoadPaths, load_id: str, built: Path, published_at: datetime) -> None:
    """``finished_at`` is the time of publishing: written into the load's history row and into
    every table of the built file that carries it (fct_load_history and the models under it),
    just before the swap."""
    with duckdb.connect(config=IN_PROCESS_DUCKDB) as connection:
        row = paths.history / "loads" / f"{load_id}.parquet"
        connection.execute(f"create table loads as select * replace (?::timestamp as finished_at) "
                           f"from read_parquet({sql_path(row)})", [published_at])
        write_parquet(connection, "loads", row)
    with duckdb.connect(str(built), config=IN_PROCESS_DUCKDB) as connection:
        tables = connection.execute(
            "select table_schema, table_name, bool_or(column_name = 'duration_seconds') "
            "from information_schema.columns join information_schema.tables using (table_catalog, "
            "table_schema, table_name) where table_type = 'BASE TABLE' group by all "
            "having bool_or(column_name = 'finished_at') and bool_or(column_name = 'load_id')").fetchall()
        for schema, table, has_duration in tables:
            duration = (", duration_seconds = cast(date_diff('millisecond', started_at, $at) / 1000.0 "
                        "as decimal(18, 3))") if has_duration else ""
            connection.execute(f'update "{schema}"."{table}" set finished_at = $at{duration} '
                               "where load_id = $load_id", {"at": published_at, "load_id": load_id})


def commit_load(paths: LoadPaths, load_id: str, published_at: datetime) -> Path:
    """The commit marker: from now on the load's history rows count (its warehouse is in)."""
    with duckdb.connect(config=IN_PROCESS_DUCKDB) as connection:
        connection.execute("create table commits as select ?::varchar as load_id, "
                           "?::timestamp as published_at", [load_id, published_at])
        target = paths.history / COMMITS / f"{load_id}.parquet"
        write_parquet(connection, "commits", target)
    (paths.history / BEGUN / load_id).unlink(missing_ok=True)
    return target


def committed_loads(paths: LoadPaths) -> set[str]:
    return {path.stem for path in (paths.history / COMMITS).glob("*.parquet")}


def recorded_loads(paths: LoadPaths) -> set[str]:
    """Every load begun or with a history file in any table, committed or not."""
    return ({path.stem for table in HISTORY_TABLES for path in (paths.history / table).glob("*.parquet")}
            | {path.name for path in (paths.history / BEGUN).glob("*")})


def warehouse_loads(warehouse: Path) -> dict[str, datetime]:
    """The loads the warehouse file lists in its history (with their finished_at); none when
    it does not exist or holds no history marts (a developer's ``build``)."""
    if not warehouse.is_file():
        return {}
    try:
        with duckdb.connect(str(warehouse), read_only=True, config=IN_PROCESS_DUCKDB) as connection:
            return dict(connection.execute("select load_id, finished_at from marts.fct_load_history").fetchall())
    except duckdb.Error:
        return {}


def recover_history(paths: LoadPaths) -> list[str]:
    """Before a load, under the lock: settle what a run that died left in the history.

    A load without commit marker that the warehouse lists was swapped in before its run died
    (or is from before commit markers existed): its commit is completed. Any other load without
    marker was never published: its history rows, half-written Parquet files and its report and
    export folders are removed. Returns one message per load settled."""
    messages: list[str] = []
    for partial in paths.history.glob("*/*.partial"):
        partial.unlink(missing_ok=True)
    committed = committed_loads(paths)
    for partial in paths.exports.glob("*.partial"):  # an export cut short (exports may be shared)
        load_id = partial.name.removesuffix(".partial")
        if load_id in committed:
            shutil.rmtree(partial, ignore_errors=True)
            messages.append(f"load {load_id}: its Parquet export was cut short (the run stopped); "
                            "the partial export removed")
    pending = sorted(recorded_loads(paths) - committed)
    if not pending:
        return messages
    published = warehouse_loads(paths.warehouse)
    for load_id in pending:
        if load_id in published:
            commit_load(paths, load_id, published[load_id])
            messages.append(f"load {load_id}: its warehouse was swapped in but its commit was not "
                            "recorded (the run stopped); commit completed")
            continue
        remove_history(paths, load_id)
        for folder in (paths.reports / load_id, paths.exports / load_id,
                       paths.exports / f"{load_id}.partial"):
            shutil.rmtree(folder, ignore_errors=True)
        messages.append(f"load {load_id}: never published (its run stopped before the warehouse swap); "
                        "its history rows, report and exports removed")
    return messages
