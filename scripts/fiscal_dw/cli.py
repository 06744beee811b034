"""fiscal-dw: extract documents, build the warehouse with dbt, validate it with Great Expectations.

`run` is a load: documents -> dbt (into a new file, history, docs) -> expectations ->
publish (Parquet exports, atomic swap of the warehouse) -> report (reports/<load_id>/).

Exit codes of `run`: 0 clean (failing checks of warning severity are findings, not an exit
status); 1 a check of error severity failed (a reconciliation check, a dbt data test, an
expectation: the load is published all the same) or the build itself failed (then nothing
is published); 2 bad input or usage (an input file not loaded, a missing folder, no
readable document, bad options, a run already loading the same warehouse); 2 wins over 1.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fiscal_dw import PROJECT_DIR
from fiscal_dw.load import EXIT_BAD_INPUT, EXIT_OK
from fiscal_dw.load.files import DEFAULT_SUITES, DEFAULT_WAREHOUSE, SAMPLE_RAW_DIR

for _name, _value in {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1",
                      "GX_ANALYTICS_ENABLED": "false"}.items():
    os.environ.setdefault(_name, _value)


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

    run = commands.add_parser("run", help="one load: extract, build, validate, publish, report")
    run.add_argument("--docs", type=Path, default=None,
                     help="folder of documents (default: build from the committed seeds)")
    run.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help=warehouse_help)
    run.add_argument("--suites", type=Path, default=DEFAULT_SUITES)
    run.add_argument("--reports", type=Path, default=None,
                     help="folder of per-load reports (default: reports/ of the project for the "
                          "project warehouse, else beside the warehouse file)")
    run.add_argument("--exports", type=Path, default=None,
                     help="folder of per-load Parquet exports (default: like --reports, exports/)")
    for name, summary in (("synth", "write a synthetic corpus with an answer key (see --help)"),
                          ("bench", "time every stage on synthetic corpora (see --help)")):
        tool = commands.add_parser(name, help=summary, add_help=False)
        tool.add_argument("options", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in {"synth", "bench"}:  # their own option parsers take the rest
        if argv[0] == "synth":
            from fiscal_dw import synth
            return synth.main(argv[1:])
        from fiscal_dw.synth import bench
        return bench.main(argv[1:])
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as error:
        return EXIT_BAD_INPUT if error.code else EXIT_OK
    from fiscal_dw.load import commands, run

    if args.command == "extract":
        return commands.extract(args.docs, args.out.resolve())[0]
    if args.command == "build":
        return commands.build(args.raw.resolve(), args.warehouse.resolve())
    if args.command == "validate":
        return commands.validate(args.warehouse.resolve(), args.suites, args.results)
    return run.run(args.docs, args.warehouse.resolve(), args.suites, args.reports, args.exports)


if __name__ == "__main__":
    sys.exit(main())
