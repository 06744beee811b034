"""fiscal-dw: extract documents, build the warehouse with dbt, validate it with Great Expectations.

Exit codes: 0 the pipeline ran (findings of the checks are reported, not errors);
1 dbt build or an expectation failed; 2 bad input or usage.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from fiscal_dw.extract import ExtractResult, extract_folder, write_raw_tables

PROJECT_DIR = Path(__file__).resolve().parents[2]
SAMPLE_RAW_DIR = PROJECT_DIR / "seeds" / "raw"
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "fiscal.duckdb"
DEFAULT_SUITES = PROJECT_DIR / "expectations"
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

for _name, _value in {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1",
                      "GX_ANALYTICS_ENABLED": "false"}.items():
    os.environ.setdefault(_name, _value)


def _say(message: str) -> None:
    print(message, flush=True)


def cmd_extract(docs: Path, out: Path) -> tuple[int, ExtractResult | None]:
    if not docs.is_dir():
        _say(f"error: documents folder not found: {docs}")
        return EXIT_BAD_INPUT, None
    result = extract_folder(docs)
    write_raw_tables(result, out)
    documents = result.rows["raw_documents"]
    _say(f"extract: {len(documents)} document(s) from {docs} -> {out}")
    for document in documents:
        _say(f"  {document['source_file']}: {document['document_kind']}, "
             f"{document['department_name'] or '?'} {document['fiscal_year'] or '?'}")
    for name, count in result.counts().items():
        if name not in {"raw_documents", "raw_extract_rejects"}:
            _say(f"  {name}: {count} rows")
    _say(f"  rejects: {len(result.rejects)} (written to {out / 'raw_extract_rejects.csv'})")
    for message in result.errors:
        _say(f"  ! {message}")
    if not documents:
        _say("error: no readable document in the folder")
        return EXIT_BAD_INPUT, result
    return EXIT_OK, result


def _project_relative_raw_dir(raw_dir: Path) -> Path:
    """dbt writes each seed's load SQL to target/run/<project>/<seed path>; with an absolute
    seed path that join lands on the CSV itself and overwrites it. So raw folders outside
    the project are copied under build/raw and every seed path handed to dbt is relative."""
    raw_dir = raw_dir.resolve()
    if not raw_dir.is_relative_to(PROJECT_DIR):
        copy = PROJECT_DIR / "build" / "raw" / hashlib.sha256(str(raw_dir).encode()).hexdigest()[:8]
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(raw_dir, copy)
        raw_dir = copy
    return raw_dir.relative_to(PROJECT_DIR)


def _dbt_environment(raw_dir: Path, warehouse: Path) -> None:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    # Separate dbt target/log folders per warehouse so two builds never share artefacts.
    key = hashlib.sha256(str(warehouse).encode()).hexdigest()[:8]
    os.environ["FISCAL_DW_RAW_DIR"] = str(_project_relative_raw_dir(raw_dir))
    os.environ["FISCAL_DW_WAREHOUSE"] = str(warehouse)
    os.environ["DBT_TARGET_PATH"] = str(PROJECT_DIR / "build" / "dbt" / key / "target")
    os.environ["DBT_LOG_PATH"] = str(PROJECT_DIR / "build" / "dbt" / key / "logs")


def cmd_build(raw_dir: Path, warehouse: Path) -> int:
    _dbt_environment(raw_dir, warehouse)
    _say(f"build: dbt build (raw tables from {raw_dir}) -> {warehouse}")
    # A separate process: dbt-duckdb keeps its connection open in-process, which would
    # stop this process from opening the warehouse read-only afterwards.
    dbt = Path(sys.executable).parent / "dbt"
    completed = subprocess.run([str(dbt), "build", "--project-dir", str(PROJECT_DIR),
                                "--profiles-dir", str(PROJECT_DIR), "--quiet",
                                # seeds may change columns between document sets
                                "--full-refresh"], cwd=PROJECT_DIR)
    if completed.returncode != 0:
        _say("error: dbt build failed (see the messages above)")
        return EXIT_FAILED
    return EXIT_OK


def cmd_validate(warehouse: Path, suites: Path, results: Path | None) -> int:
    from fiscal_dw.validate import format_report, validate_warehouse

    if not warehouse.exists():
        _say(f"error: warehouse not found: {warehouse}")
        return EXIT_BAD_INPUT
    report = validate_warehouse(warehouse, suites, results)
    _say(format_report(report))
    return EXIT_OK if report.success else EXIT_FAILED


def summarise_checks(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        counts = connection.execute(
            "select d.department_name, d.fiscal_year, c.status, count(*) "
            "from marts.fct_reconciliation_checks c join marts.dim_document d using (document_id) "
            "group by all order by 1, 2, 3").fetchall()
        failing = connection.execute(
            "select d.department_name, c.rule_id, c.severity, c.scope, c.lhs_value, c.rhs_value, "
            "c.difference, c.lhs_source_lines, c.rhs_source_lines "
            "from marts.fct_reconciliation_checks c join marts.dim_document d using (document_id) "
            "where c.status = 'fail' order by 1, 2, 4").fetchall()
    _say("checks:")
    for department, year, status, count in counts:
        _say(f"  {department} {year}: {status} {count}")
    for department, rule, severity, scope, lhs, rhs, difference, lhs_lines, rhs_lines in failing:
        _say(f"  FAIL [{severity}] {department} {rule} {scope}: {lhs} vs {rhs} "
             f"(difference {difference}; lines {lhs_lines} / {rhs_lines})")


def cmd_run(docs: Path | None, warehouse: Path, suites: Path) -> int:
    started = time.monotonic()
    raw_dir = SAMPLE_RAW_DIR
    if docs is not None:
        # A run on other documents never overwrites the committed sample seeds.
        raw_dir = PROJECT_DIR / "build" / "raw" / hashlib.sha256(
            str(docs.resolve()).encode()).hexdigest()[:8]
        status, _ = cmd_extract(docs, raw_dir)
        if status != EXIT_OK:
            return status
    else:
        _say(f"extract: skipped, building from the committed seeds in {raw_dir}")
    status = cmd_build(raw_dir, warehouse)
    if status == EXIT_OK:
        summarise_checks(warehouse)
        status = cmd_validate(warehouse, suites, warehouse.parent / "validation")
    _say(f"run: {'ok' if status == EXIT_OK else 'FAILED'} in {time.monotonic() - started:.1f} s "
         f"(warehouse {warehouse})")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fiscal-dw", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    warehouse_help = f"DuckDB file (default {DEFAULT_WAREHOUSE.relative_to(PROJECT_DIR)})"

    extract = commands.add_parser("extract", help="documents -> raw CSVs")
    extract.add_argument("--docs", type=Path, required=True, help="folder of documents")
    extract.add_argument("--out", type=Path, default=PROJECT_DIR / "build" / "raw" / "latest",
                         help="output folder (use seeds/raw to refresh the committed sample)")

    build = commands.add_parser("build", help="dbt seed + build")
    build.add_argument("--raw", type=Path, default=SAMPLE_RAW_DIR, help="folder of raw CSVs")
    build.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help=warehouse_help)

    validate = commands.add_parser("validate", help="Great Expectations suites on the marts")
    validate.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help=warehouse_help)
    validate.add_argument("--suites", type=Path, default=DEFAULT_SUITES)
    validate.add_argument("--results", type=Path, default=None, help="folder for GX results")

    run = commands.add_parser("run", help="extract, build and validate in order")
    run.add_argument("--docs", type=Path, default=None,
                     help="folder of documents (default: build from the committed seeds)")
    run.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help=warehouse_help)
    run.add_argument("--suites", type=Path, default=DEFAULT_SUITES)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as error:
        return EXIT_BAD_INPUT if error.code else EXIT_OK
    if args.command == "extract":
        return cmd_extract(args.docs, args.out.resolve())[0]
    if args.command == "build":
        return cmd_build(args.raw.resolve(), args.warehouse.resolve())
    if args.command == "validate":
        return cmd_validate(args.warehouse.resolve(), args.suites, args.results)
    return cmd_run(args.docs, args.warehouse.resolve(), args.suites)


if __name__ == "__main__":
    sys.exit(main())
