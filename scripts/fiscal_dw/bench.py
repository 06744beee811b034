"""Benchmark: the pipeline's stages on synthetic corpora of growing size.

    python -m fiscal_dw.bench [--sizes 10 100 1000 10000] [--work DIR] [--markdown FILE]

Per size it generates a corpus (fiscal_dw.synth), then times each stage in its own process
— extract (all cores), dbt build reading the raw CSVs directly (raw_from=files), Great
Expectations — and reports documents/s and MB/s of extraction, the peak memory of any
stage, the cost per document and the detection quality against the corpus's answer key.
For comparison it also times the floor: the models' compiled SQL run directly in DuckDB
without dbt, and a dbt build over an empty corpus (dbt's own overhead).
Never a timed test: run it by hand and copy the table into the README.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from fiscal_dw.schemas import RAW_TABLES

PROJECT_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
QUIET = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "GX_ANALYTICS_ENABLED": "false",
         "DO_NOT_TRACK": "1"}


@dataclass
class StageTime:
    seconds: float
    peak_rss_mb: float


@dataclass
class SizeResult:
    documents: int
    corpus_mb: float
    stages: dict[str, StageTime] = field(default_factory=dict)
    extract_docs_per_s: float = 0.0
    extract_mb_per_s: float = 0.0
    total_seconds: float = 0.0
    ms_per_document: float = 0.0
    peak_rss_mb: float = 0.0
    recall: float | None = None
    false_positives_error: int | None = None  # error-severity fails on clean scopes
    warnings_on_clean: int | None = None      # warning-severity fails on clean scopes (heuristics)
    rounding_drift: int | None = None         # of the error ones: rounding over many summands


def _timed(command: list[str], env: dict[str, str]) -> StageTime:
    """Wall time and the peak resident memory of the command's process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if completed.returncode not in (0, 1):  # 1: checks or expectations found something
        raise RuntimeError(f"{command[0]} failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return StageTime(round(seconds, 2), round(peak / 1024, 1))


def _dbt_build_command(target: Path, *extra: str) -> list[str]:
    return [str(BIN / "dbt"), "build", "--project-dir", str(PROJECT_DIR), "--profiles-dir",
            str(PROJECT_DIR), "--quiet", "--target-path", str(target), "--vars", "{raw_from: files}",
            "--exclude-resource-type", "unit_test", "--exclude", "raw_*", *extra]


def _environment(raw_dir: Path, warehouse: Path) -> dict[str, str]:
    return {**os.environ, **QUIET, "FISCAL_DW_RAW_DIR": str(raw_dir),
            "FISCAL_DW_WAREHOUSE": str(warehouse), "DBT_LOG_PATH": str(warehouse.parent / "logs")}


def run_size(documents: int, work: Path) -> SizeResult:
    from fiscal_dw.synth import generate_corpus, score_detection

    size_dir = work / f"n{documents}"
    shutil.rmtree(size_dir, ignore_errors=True)
    docs, raw, warehouse = size_dir / "docs", size_dir / "raw", size_dir / "fiscal.duckdb"
    departments = max(1, documents // 2)
    key = generate_corpus(docs, departments=departments, years=2 if documents > 1 else 1,
                          fault_rate=0.2, seed=documents)
    corpus_mb = sum(p.stat().st_size for p in docs.glob("*.txt")) / 2**20
    result = SizeResult(documents=len(list(docs.glob("*.txt"))), corpus_mb=round(corpus_mb, 1))
    env = _environment(raw, warehouse)
    result.stages["extract"] = _timed(
        [str(BIN / "fiscal-dw"), "extract", "--docs", str(docs), "--out", str(raw)], env)
    result.stages["dbt build"] = _timed(_dbt_build_command(size_dir / "target"), env)
    result.stages["expectations"] = _timed(
        [str(BIN / "python"), "-m", "fiscal_dw.validate", "--warehouse", str(warehouse),
         "--suites", str(PROJECT_DIR / "expectations")], env)
    result.stages["floor: SQL without dbt"] = _floor_sql(size_dir / "target", raw, size_dir)
    extract_seconds = result.stages["extract"].seconds
    result.extract_docs_per_s = round(result.documents / extract_seconds, 1)
    result.extract_mb_per_s = round(corpus_mb / extract_seconds, 2)
    pipeline = ("extract", "dbt build", "expectations")
    result.total_seconds = round(sum(result.stages[s].seconds for s in pipeline), 1)
    result.ms_per_document = round(1000 * result.total_seconds / result.documents, 1)
    result.peak_rss_mb = max(result.stages[s].peak_rss_mb for s in pipeline)
    detection = score_detection(warehouse, key)
    result.recall = detection.recall
    errors = [fp for fp in detection.false_positives if fp["severity"] == "error"]
    result.false_positives_error = len(errors)
    result.rounding_drift = sum(fp["cause"] == "rounding_drift" for fp in errors)
    result.warnings_on_clean = len(detection.false_positives) - len(errors)
    return result


def _floor_sql(target: Path, raw: Path, size_dir: Path) -> StageTime:
    """The models' compiled SQL, in dependency order, run by DuckDB alone."""
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    models = {unique_id: node for unique_id, node in manifest["nodes"].items()
              if node["resource_type"] == "model"}
    order: list[str] = []
    visiting: set[str] = set()

    def visit(unique_id: str) -> None:
        if unique_id in order or unique_id not in models or unique_id in visiting:
            return
        visiting.add(unique_id)
        for parent in models[unique_id]["depends_on"]["nodes"]:
            visit(parent)
        order.append(unique_id)

    for unique_id in sorted(models):
        visit(unique_id)
    database = size_dir / "floor.duckdb"
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    with duckdb.connect(str(database)) as connection:
        connection.execute("attach ':memory:' as fiscal")  # compiled SQL names the 'fiscal' catalog
        for schema in ("raw", "staging", "intermediate", "marts"):
            connection.execute(f"create schema if not exists fiscal.{schema}")
        for name in RAW_TABLES:  # the seeds the models reference, read in place
            connection.execute(f"create or replace view fiscal.raw.{name} as select * from "
                               f"read_csv('{raw / (name + '.csv')}', header = true, all_varchar = true)")
        for name, types in _reference_seeds().items():
            path = PROJECT_DIR / "seeds" / "reference" / f"{name}.csv"
            connection.execute(f"create or replace table fiscal.raw.{name} as select * from "
                               f"read_csv('{path}', header = true, types = {types!r})")
        for unique_id in order:
            node = models[unique_id]
            relation = f"fiscal.{node['schema']}.{node['alias']}"
            connection.execute(f"create or replace table {relation} as {node['compiled_code']}")
    return StageTime(round(time.perf_counter() - started, 2), 0.0)


def _reference_seeds() -> dict[str, dict[str, str]]:
    """Reference seeds (rule registry …) with the column types their YAML declares."""
    import yaml

    properties = yaml.safe_load((PROJECT_DIR / "seeds" / "reference" / "_seeds.yml").read_text(
        encoding="utf-8"))
    found = {}
    for seed in properties["seeds"]:
        if (PROJECT_DIR / "seeds" / "reference" / f"{seed['name']}.csv").exists():
            found[seed["name"]] = seed.get("config", {}).get("column_types", {})
    return found


def empty_build(work: Path) -> StageTime:
    """dbt's own overhead: a full build over raw tables with no rows."""
    raw = work / "empty" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, columns in RAW_TABLES.items():
        with (raw / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(columns)
    warehouse = work / "empty" / "fiscal.duckdb"
    warehouse.unlink(missing_ok=True)
    return _timed(_dbt_build_command(work / "empty" / "target"), _environment(raw, warehouse))


def markdown(results: list[SizeResult], empty: StageTime) -> str:
    lines = ["| documents | MB | extract s | docs/s | MB/s | dbt build s | expectations s | "
             "total s | ms/doc | peak MB | SQL without dbt s | recall | false positives (error; of which rounding drift) | "
             "warnings on clean documents |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        s = r.stages
        recall = f"{r.recall:.0%}" if r.recall is not None else "–"
        lines.append(
            f"| {r.documents} | {r.corpus_mb} | {s['extract'].seconds} | {r.extract_docs_per_s} | "
            f"{r.extract_mb_per_s} | {s['dbt build'].seconds} | {s['expectations'].seconds} | "
            f"{r.total_seconds} | {r.ms_per_document} | {r.peak_rss_mb} | "
            f"{s['floor: SQL without dbt'].seconds} | {recall} | {r.false_positives_error} "
            f"({r.rounding_drift}) | {r.warnings_on_clean} |")
    lines.append(f"\nEmpty `dbt build` (no documents): {empty.seconds} s.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fiscal-dw bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--work", type=Path, default=PROJECT_DIR / "build" / "bench")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    empty = empty_build(args.work)
    print(f"empty dbt build: {empty.seconds} s", flush=True)
    results = []
    for size in args.sizes:
        result = run_size(size, args.work)
        results.append(result)
        print(json.dumps(asdict(result), ensure_ascii=False), flush=True)
    table = markdown(results, empty)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
