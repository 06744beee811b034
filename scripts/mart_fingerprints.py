#!/usr/bin/env python3
"""A hash per mart of a built warehouse, to show that a change left the marts identical.

    python scripts/mart_fingerprints.py WAREHOUSE.duckdb > after.json
    python scripts/mart_fingerprints.py WAREHOUSE.duckdb --compare before.json

Each mart's rows are cast to text, sorted and hashed, so the hash depends on the rows and
their column order, not on the order DuckDB returns them. Columns that differ by load
(load ids, timestamps, file paths) are left out, so two loads of the same documents agree.
Exit 1 when ``--compare`` finds a mart that differs or is missing on either side.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

# Load-specific: a new id, clock time or path on every load of the same documents.
VOLATILE = {"load_id", "previous_load_id", "started_at", "finished_at", "duration_seconds",
            "load_started_at", "loaded_at", "source_path", "raw_dir", "report_dir",
            # surrogate keys hashed over a load id
            "check_result_id", "load_document_id", "load_message_id", "load_row_count_id"}


def fingerprints(warehouse: Path, only: dict[str, list[str]] | None = None) -> dict[str, dict[str, object]]:
    """``only``: per mart, the columns to hash (those of an earlier fingerprint), so that a mart
    which gained columns is compared on the columns it had."""
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = [name for (name,) in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by table_name").fetchall()]
        out: dict[str, dict[str, object]] = {}
        for mart in marts:
            columns = [c for (c,) in connection.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = ? order by ordinal_position", [mart]).fetchall()]
            kept = [c for c in columns if c not in VOLATILE]
            if only and mart in only and set(only[mart]) <= set(kept):
                added = [c for c in kept if c not in only[mart]]
                kept = list(only[mart])
            else:
                added = []
            row = " || '\u241f' || ".join(f"coalesce(cast(\"{c}\" as varchar), '\u2400')" for c in kept)
            rows, digest = connection.execute(
                f"select count(*), md5(coalesce(string_agg(r, '\n' order by r), '')) "
                f"from (select {row} as r from marts.\"{mart}\")").fetchone()
            out[mart] = {"rows": rows, "md5": digest, "columns": kept, "added_columns": added}
        return out
    finally:
        connection.close()


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    lines = []
    for mart in sorted(set(before) | set(after)):
        b, a = before.get(mart), after.get(mart)
        if b is None or a is None:
            lines.append(f"{mart}: only {'after' if b is None else 'before'}")
        elif b["md5"] != a["md5"]:
            lines.append(f"{mart}: differs ({b['rows']} rows before, {a['rows']} after)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--compare", type=Path, help="fingerprints JSON written before the change")
    args = parser.parse_args(argv)
    if args.compare is None:
        now = fingerprints(args.warehouse)
        json.dump(now, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    before = json.loads(args.compare.read_text())
    now = fingerprints(args.warehouse, {mart: entry["columns"] for mart, entry in before.items()})
    differences = compare(before, now)
    for mart in sorted(now):
        state = "identical" if mart in before and before[mart]["md5"] == now[mart]["md5"] else "DIFFERS"
        added = now[mart]["added_columns"]
        note = f" (compared on the earlier columns; added: {', '.join(added)})" if added else ""
        print(f"{mart:40s} {now[mart]['rows']:>8} rows  {now[mart]['md5']}  {state}{note}")
    for line in differences:
        print(line, file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
