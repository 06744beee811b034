"""Validate the warehouse marts with Great Expectations suites kept as small JSON files.

GX 1.x cannot read DuckDB through its SQL datasource (results come back empty,
great_expectations issue 11579), so each mart is read with the duckdb Python API
(read-only) into a pandas DataFrame and validated through an ephemeral GX pandas
datasource. The suite files are described in ``expectation_suites``.

A mart of more than ``BATCH_ROWS`` rows is validated in parts so that memory stays flat:
the row-by-row expectations on batches of rows (only the columns they read), each
whole-column expectation (uniqueness, row count) on its own columns over all rows, the
column set on the empty table. A failure found in several batches is reported once with
its counts added up; Data Docs show each part as its own validation.

Run: ``python -m fiscal_dw.load.validate --warehouse FILE [--suites DIR] [--results DIR]``.
Exit 0 when every expectation passes, 1 when any fails, 2 for usage errors or a missing
warehouse.
"""
from __future__ import annotations

import argparse
import copy
import html
import json
import os
import re
import sys
import time
import warnings
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from fiscal_dw.load.expectation_suites import (
    IDENTIFIER,
    ROW_SELECTIONS,
    ExpectationSpec,
    SuiteError,
    SuiteSpec,
    build_expectation,
    first_line,
    load_suite,
)
from fiscal_dw.load.files import DEFAULT_SUITES, IN_PROCESS_DUCKDB
from fiscal_dw.load.validation_results import (
    FailedExpectation,
    SuiteResult,
    ValidationReport,
    format_report,
    merge_failures,
    suite_result_json,
)

if TYPE_CHECKING:  # pragma: no cover - typing only; pandas and GX are imported lazily (slow import)
    import pandas as pd

DEFAULT_SCHEMA = "marts"
DERIVED_DECIMALS = 6
SUMMARY_FILE = "validation_summary.json"
DATA_DOCS_SITE = "load_site"
# A mart larger than this is validated in parts, so memory stays flat whatever its size:
# row-by-row expectations batch by batch, whole-column ones (uniqueness, row count) on
# just their columns, the column set on the empty table.
BATCH_ROWS = 250_000
_WHOLE_COLUMN = {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique",
                 "expect_select_column_values_to_be_unique_within_record",
                 "expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"}
_SCHEMA_ONLY = {"expect_table_columns_to_match_set", "expect_table_columns_to_match_ordered_list",
                "expect_table_column_count_to_be_between", "expect_table_column_count_to_equal"}


def _decimals_to_float(df: pd.DataFrame) -> pd.DataFrame:
    for column in df.columns:  # duckdb gives float64 for DECIMAL; guard other paths
        if df[column].dtype == object and df[column].map(lambda v: isinstance(v, Decimal)).any():
            df[column] = df[column].map(lambda v: float(v) if isinstance(v, Decimal) else v)
    return df


def _select(spec: SuiteSpec, schema: str, columns: Sequence[str] | None = None, limit: int | None = None,
            rowids: tuple[int, int] | None = None) -> str:
    relation = f'"{schema}"."{spec.mart}"'
    projection = "*" if columns is None else ", ".join(f'"{c}"' for c in columns) or "1 as _row"
    where = [ROW_SELECTIONS[spec.rows].format(relation=relation)] if spec.rows != "all" else []
    if rowids is not None:
        where.append(f"rowid >= {int(rowids[0])} and rowid < {int(rowids[1])}")
    return (f"select {projection} from {relation}" + (f" where {' and '.join(where)}" if where else "")
            + (f" limit {int(limit)}" if limit is not None else ""))


def _load_mart(con: Any, schema: str, spec: SuiteSpec, columns: Sequence[str] | None = None,
               limit: int | None = None, rowids: tuple[int, int] | None = None) -> pd.DataFrame:
    return _decimals_to_float(con.execute(_select(spec, schema, columns, limit, rowids)).df())


def _identifiers(expression: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression))


def _columns_used(items: Sequence[ExpectationSpec], derived: dict[str, str]) -> set[str]:
    """Every column an expectation reads: its own, its where's, and through a derived
    column, whatever that expression reads (derived or not)."""
    names: set[str] = set()
    for item in items:
        for key in ("column", "column_A", "column_B"):
            if isinstance(item.kwargs.get(key), str):
                names.add(item.kwargs[key])
        names.update(item.kwargs.get("column_list") or [])
        if item.where:
            parts = item.where if all(isinstance(p, list) for p in item.where) else [item.where]
            names.update(part[0] for part in parts if part and isinstance(part[0], str))
    pending = [name for name in names if name in derived]
    while pending:
        for name in _identifiers(derived[pending.pop()]) - names:
            names.add(name)
            if name in derived:
                pending.append(name)
    return names


def _validate_suite(
    con: Any, datasource: Any, spec: SuiteSpec, schema: str, results_dir: Path | None,
    context: Any = None, run_id: Any = None,
) -> SuiteResult:
    (row_count,) = con.execute(f"select count(*) from ({_select(spec, schema)})").fetchone()
    built, unbuildable = _build_expectations(spec)
    asset = datasource.add_dataframe_asset(name=spec.path.stem)  # file names are unique
    validate = partial(_validate_part, spec, asset.add_batch_definition_whole_dataframe(name="whole_mart"),
                       context, run_id)
    if row_count <= BATCH_ROWS:
        runs = [validate("", built, _load_mart(con, schema, spec))]
    else:
        runs = _validate_in_parts(con, schema, spec, built, validate)
    failed = merge_failures([r for result, _ in runs for r in result.results if not r.success])
    failed.extend(unbuildable)
    errors = sorted({e for _, run_errors in runs for e in run_errors})
    if results_dir is not None:
        _write_results(results_dir, spec, runs, errors, row_count)
    return SuiteResult(
        mart=spec.mart,
        suite_file=spec.path.name,
        success=not failed and not errors,
        evaluated=len(built) + len(unbuildable),
        row_count=row_count,
        failed=tuple(failed),
        errors=tuple(errors),
    )


_Built = list[tuple[ExpectationSpec, Any]]  # each spec with its GX expectation
_Run = tuple[Any, list[str]]  # a GX validation result and the derived columns that failed
_Validate = Callable[[str, _Built, "pd.DataFrame"], _Run]


def _build_expectations(spec: SuiteSpec) -> tuple[_Built, list[FailedExpectation]]:
    """The suite's GX expectations; one that cannot be built is a failure, not an exception."""
    built: _Built = []
    unbuildable: list[FailedExpectation] = []
    for item in spec.expectations:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                built.append((item, build_expectation(item)))
        except SuiteError as exc:
            column = item.kwargs.get("column")
            unbuildable.append(
                FailedExpectation(
                    item.type, (column,) if isinstance(column, str) else (), f"not built: {exc}", None, item.why
                )
            )
    return built, unbuildable


def _validate_part(spec: SuiteSpec, batch_definition: Any, context: Any, run_id: Any,
                   part: str, expectations: _Built, df: pd.DataFrame) -> _Run:
    """Validate ``df`` (the mart, or a part of it named ``part``) against ``expectations``."""
    import great_expectations as gx

    derived = spec.derived_columns
    if part not in ("", "columns"):  # a batch or a projection: only what its expectations read
        used = _columns_used([item for item, _ in expectations], derived)
        derived = {name: expression for name, expression in derived.items() if name in used}
    errors = _add_derived(df, derived)
    name = spec.mart if not part else f"{spec.mart}.{part}"
    # a suite owns its expectations: each part gets its own copies
    suite = gx.ExpectationSuite(name=name, expectations=[copy.copy(e) for _, e in expectations])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if context is None:
            return batch_definition.get_batch(batch_parameters={"dataframe": df}).validate(suite), errors
        # through a stored validation definition, so Data Docs can render the result
        definition = context.validation_definitions.add(gx.ValidationDefinition(
            name=spec.path.stem + (f".{part}" if part else ""), data=batch_definition,
            suite=context.suites.add(suite)))
        return definition.run(batch_parameters={"dataframe": df}, run_id=run_id), errors


def _validate_in_parts(con: Any, schema: str, spec: SuiteSpec, built: _Built, validate: _Validate) -> list[_Run]:
    """A mart of more than BATCH_ROWS rows: the column set on the empty table, each
    whole-column expectation on its columns over all rows, the others batch by batch."""
    runs: list[_Run] = []
    empty = _load_mart(con, schema, spec, limit=0)
    available = list(empty.columns)

    def reads(items: Sequence[ExpectationSpec]) -> list[str]:
        return [column for column in available if column in _columns_used(items, spec.derived_columns)]

    schema_only = [b for b in built if b[0].type in _SCHEMA_ONLY]
    whole = [b for b in built if b[0].type in _WHOLE_COLUMN]
    by_row = [b for b in built if b[0].type not in _SCHEMA_ONLY | _WHOLE_COLUMN]
    if schema_only:
        runs.append(validate("columns", schema_only, empty))
    for number, (item, expectation) in enumerate(whole, start=1):  # all rows, only its columns
        runs.append(validate(f"whole{number}", [(item, expectation)],
                             _load_mart(con, schema, spec, reads([item]))))
    if by_row:
        columns = reads([item for item, _ in by_row])
        (last,) = con.execute(f'select coalesce(max(rowid), -1) from "{schema}"."{spec.mart}"').fetchone()
        for first in range(0, last + 1, BATCH_ROWS):  # marts are tables: rowid numbers their rows
            chunk = _load_mart(con, schema, spec, columns, rowids=(first, first + BATCH_ROWS))
            if len(chunk):
                runs.append(validate(f"rows{first}-{first + len(chunk) - 1}", by_row, chunk))
    return runs


def _write_results(results_dir: Path, spec: SuiteSpec, runs: list[_Run], errors: list[str], row_count: int) -> None:
    """``<mart>.json``: the GX result (of each part, for a mart validated in parts)."""
    payloads = [suite_result_json(result) for result, _ in runs]
    payload = payloads[0] if len(payloads) == 1 else {
        "success": all(p.get("success") for p in payloads), "parts": payloads}
    payload["meta"] = {**payload.get("meta", {}), "suite_file": spec.path.name, "derived_errors": errors,
                       "rows": spec.rows, "row_count": row_count}
    (results_dir / f"{spec.mart}.json").write_text(
        json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _add_derived(df: pd.DataFrame, derived: dict[str, str]) -> list[str]:
    """Evaluate the derived columns in place; return one message per expression that failed."""
    import pandas as pd

    errors: list[str] = []
    for name, expr in derived.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = df.eval(expr, engine="python")
            if isinstance(value, pd.Series) and pd.api.types.is_float_dtype(value.dtype):
                value = value.round(DERIVED_DECIMALS)
            df[name] = value
        except Exception as exc:
            errors.append(f"derived column {name} = {expr!r} failed: {first_line(exc)}")
    return errors


def validate_warehouse(
    warehouse: Path,
    suites_dir: Path | Sequence[Path],
    results_dir: Path | None = None,
    *,
    schema: str = DEFAULT_SCHEMA,
    data_docs_dir: Path | None = None,
    run_name: str | None = None,
) -> ValidationReport:
    """Validate every ``suites_dir/*.json`` suite against ``<schema>.<mart>`` in the DuckDB file.

    ``suites_dir`` may be a list of folders (each read without its subfolders). With
    ``data_docs_dir``, the results are also kept in the (ephemeral) GX context and a Data
    Docs site of this validation alone is built there; ``run_name`` names the run in it.

    Raises FileNotFoundError when the warehouse or the suites are missing. A suite that is
    malformed or whose mart is missing is reported as failed, not raised.
    """
    validation = Validation(results_dir, schema=schema, data_docs_dir=data_docs_dir, run_name=run_name)
    validation.run(warehouse, suites_dir)
    return validation.finish(warehouse)


class Validation:
    """One validation: suites run against one or more DuckDB files (``run``, which may be
    called from another thread while this one does something else), one GX context, one
    Data Docs site and one report (``finish``)."""

    def __init__(self, results_dir: Path | None = None, *, schema: str = DEFAULT_SCHEMA,
                 data_docs_dir: Path | None = None, run_name: str | None = None) -> None:
        if not IDENTIFIER.match(schema):
            raise ValueError(f"bad schema name {schema!r}")
        self.started = time.perf_counter()
        self.schema = schema
        self.data_docs_dir = data_docs_dir
        self.results: list[SuiteResult] = []
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self.datasource = self.context.data_sources.add_pandas(name="warehouse")
        self.docs_run = None
        if data_docs_dir is not None:
            from great_expectations.core.run_identifier import RunIdentifier

            self.context.add_data_docs_site(site_name=DATA_DOCS_SITE, site_config={
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                  "base_directory": str(Path(data_docs_dir).resolve())},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            })
            self.docs_run = RunIdentifier(run_name=run_name or "validation")
        self.results_dir = Path(results_dir) if results_dir is not None else None
        if self.results_dir is not None:
            self.results_dir.mkdir(parents=True, exist_ok=True)

    def run(self, warehouse: Path, suites_dir: Path | Sequence[Path]) -> None:
        """The suites of ``suites_dir`` (one folder or several) against ``warehouse``."""
        import duckdb

        warehouse = Path(warehouse)
        suite_dirs = [Path(suites_dir)] if isinstance(suites_dir, (str, Path)) else [Path(d) for d in suites_dir]
        if not warehouse.is_file():
            raise FileNotFoundError(f"warehouse not found: {warehouse}")
        suite_files = [path for folder in suite_dirs if folder.is_dir() for path in sorted(folder.glob("*.json"))]
        if not suite_files:
            raise FileNotFoundError(f"no suites (*.json) in {', '.join(map(str, suite_dirs))}")
        schema, results = self.schema, self.results
        con = _connect_read_only(duckdb, warehouse)
        try:
            tables = {
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables where table_schema = ?", [schema]
                ).fetchall()
            }
            for path in suite_files:
                try:
                    spec = load_suite(path)
                except SuiteError as exc:
                    results.append(SuiteResult(path.stem, path.name, False, 0, None, errors=(str(exc),)))
                    continue
                if spec.mart not in tables:
                    message = f"mart {schema}.{spec.mart} does not exist in {warehouse.name}"
                    results.append(SuiteResult(spec.mart, path.name, False, 0, None, errors=(message,)))
                    continue
                try:
                    results.append(_validate_suite(con, self.datasource, spec, schema, self.results_dir,
                                                   self.context if self.docs_run else None, self.docs_run))
                except Exception as exc:  # one broken suite must not hide the others
                    message = f"validation of {spec.mart} stopped: {type(exc).__name__}: {first_line(exc)}"
                    results.append(SuiteResult(spec.mart, path.name, False, 0, None, errors=(message,)))
        finally:
            con.close()

    def finish(self, warehouse: Path) -> ValidationReport:
        """Build the Data Docs site, write the summary, return the report (named after ``warehouse``)."""
        data_docs = None
        if self.docs_run is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _escape_for_data_docs(self.context)
                built = self.context.build_data_docs(site_names=[DATA_DOCS_SITE])
            data_docs = str(Path(self.data_docs_dir).resolve() / "index.html") if built else None
        report = ValidationReport(
            warehouse=str(warehouse),
            schema=self.schema,
            success=all(s.success for s in self.results),
            seconds=round(time.perf_counter() - self.started, 3),
            suites=tuple(self.results),
            data_docs=data_docs,
        )
        if self.results_dir is not None:
            (self.results_dir / SUMMARY_FILE).write_text(
                json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        return report


def _escape_for_data_docs(context: Any) -> None:
    """GX's Data Docs write values read from the data (unexpected values, observed values)
    into their pages as HTML, unescaped: a department name holding ``<script>`` would run in
    the reader's browser. So every string in the stored results is HTML-escaped before the
    site is built (the JSON results in ``gx/`` keep the values as they are)."""
    store = context.validation_results_store
    for key in store.list_keys():
        suite_result = store.get(key)
        for result in suite_result.results:
            result.result = _escaped(result.result)
        store.set(key, suite_result)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_escaped(item) for item in value)
    return value


def _connect_read_only(duckdb: Any, warehouse: Path) -> Any:
    """Open the warehouse read-only; reuse this process's database if it is already open.

    DuckDB refuses a read-only connection to a file this process already holds open with
    another configuration (as ``fiscal-dw run`` does after an in-process ``dbt build``);
    then a default connection shares that open database. Only SELECTs are issued either way.
    """
    try:
        return duckdb.connect(str(warehouse), read_only=True, config=IN_PROCESS_DUCKDB)
    except duckdb.ConnectionException as exc:
        if "different configuration" not in str(exc):
            raise
        return duckdb.connect(str(warehouse))


# --------------------------------------------------------------------------- CLI


def main(argv: Sequence[str] | None = None) -> int:
    import duckdb

    parser = argparse.ArgumentParser(
        prog="python -m fiscal_dw.load.validate",
        description="Validate the warehouse marts with the Great Expectations suites.",
    )
    parser.add_argument("--warehouse", required=True, type=Path, help="DuckDB file built by dbt")
    parser.add_argument("--suites", type=Path, default=DEFAULT_SUITES, help="suite JSON directory")
    parser.add_argument("--results", type=Path, default=None, help="write GX results JSON here")
    parser.add_argument("--schema", default=DEFAULT_SCHEMA, help="schema holding the marts")
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # argparse: 0 for --help, 2 for usage errors
        return int(exc.code or 0)
    try:
        report = validate_warehouse(args.warehouse, args.suites, args.results, schema=args.schema)
    except (FileNotFoundError, ValueError) as exc:
        print(f"fiscal-dw validate: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:  # locked by a writer, not a DuckDB file, ...
        print(f"fiscal-dw validate: cannot read {args.warehouse}: {first_line(exc)}", file=sys.stderr)
        return 2
    print(format_report(report))
    return 0 if report.success else 1


if __name__ == "__main__":
    sys.exit(main())
