"""Publishing a load: the lock held while it runs, the side file it is built in, the atomic
swap over the warehouse, the Parquet exports of the marts and the ``latest`` links."""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from fiscal_dw.load.crash import kill_point
from fiscal_dw.load.files import IN_PROCESS_DUCKDB, LoadPaths, sql_path


class LoadInProgress(RuntimeError):
    """Another run holds the warehouse's lock."""


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
    kill_point("swap")
    os.replace(paths.building, paths.warehouse)


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
        for number, mart in enumerate(marts, start=1):
            kill_point(f"export: {number}/{len(marts)}")
            connection.execute(f'copy marts."{mart}" to {sql_path(partial / (mart + ".parquet"))} '
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
