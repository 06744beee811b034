"""Benchmark: the pipeline on synthetic corpora of growing size.

    fiscal-dw bench [--sizes 10 100 1000 10000] [--work DIR] [--markdown FILE]
    fiscal-dw bench --pdf [--sizes 10 100 1000] [--no-run]   (PDF rows: synth/bench_pdf.py)

Per size it generates a corpus (fiscal_dw.synth) and times what an operator runs,
`fiscal-dw run --docs` into a fresh warehouse, stage by stage as the run records them in its
summary.json: extract, dbt (parse, build, data tests + load history; the docs site is
generated in the background, outside the load), Great Expectations (what is left once dbt is done),
publish (swap + Parquet exports) and report. It reports documents/s and MB/s of
extraction, the cost per document, the peak resident memory of the largest process of the
run, and the detection quality against the corpus's answer key. For comparison it times
the floor: the models' compiled SQL run directly in DuckDB without dbt, and a dbt build
over an empty corpus (dbt's own overhead).
Never a timed test: run it by hand and copy the table into the README.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from fiscal_dw import PROJECT_DIR
from fiscal_dw.extract.schemas import RAW_TABLES

BIN = Path(sys.executable).parent
QUIET = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "GX_ANALYTICS_ENABLED": "false",
         "DO_NOT_TRACK": "1"}
# Runs a command and prints the peak RSS (KiB) of the largest process of its tree.
_PEAK = ("import resource, subprocess, sys\n"
         "code = subprocess.run(sys.argv[1:]).returncode\n"
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
         "sys.exit(code)")


@dataclass
class StageTime:
    seconds: float
    peak_rss_mb: float
    tree_peak_mb: float = 0.0


@dataclass
class SizeResult:
    documents: int
    corpus_mb: float
    stages: dict[str, float] = field(default_factory=dict)  # seconds, as the run recorded them
    dbt_steps: dict[str, float] = field(default_factory=dict)
    extract_docs_per_s: float = 0.0
    extract_mb_per_s: float = 0.0
    total_seconds: float = 0.0
    ms_per_document: float = 0.0
    peak_rss_mb: float = 0.0
    tree_peak_mb: float = 0.0  # all processes of the run at once (sampled)
    floor_sql_seconds: float = 0.0
    exit_code: int = 0
    recall: float | None = None
    false_positives_error: int | None = None    # error-severity fails on clean scopes
    false_positives_warning: int | None = None  # warning-severity fails on clean scopes


def _timed(command: list[str], env: dict[str, str], accept: tuple[int, ...] = (0, 1)) -> tuple[StageTime, int]:
    """Wall time, the peak resident memory of the largest process the command ran, and (in
    ``tree_peak_mb``) the peak of the whole process tree at once, sampled twice a second."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", _PEAK, *command], cwd=PROJECT_DIR, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[int] = []

    def sample() -> None:
        while process.poll() is None:
            samples.append(_tree_rss(process.pid))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    sampler.join()
    tree_peak = max(samples, default=0)
    seconds = time.perf_counter() - started
    if process.returncode not in accept:  # 1: checks or expectations found something
        raise RuntimeError(f"{command[0]} failed:\n{stdout[-3000:]}\n{stderr[-3000:]}")
    peak_kib = int(stderr.strip().splitlines()[-1])
    return StageTime(round(seconds, 2), round(peak_kib / 1024, 1), round(tree_peak / 2**20, 1)), process.returncode


def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants now (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
    return total


def _dbt_build_command(target: Path, *extra: str) -> list[str]:
    return [str(BIN / "dbt"), "build", "--project-dir", str(PROJECT_DIR), "--profiles-dir",
            str(PROJECT_DIR), "--quiet", "--target-path", str(target), "--vars", "{raw_from: files}",
            "--exclude-resource-type", "unit_test", "--exclude", "raw_*", *extra]


def _environment(raw_dir: Path, warehouse: Path) -> dict[str, str]:
    return {**os.environ, **QUIET, "FISCAL_DW_RAW_DIR": str(raw_dir),
            "FISCAL_DW_WAREHOUSE": str(warehouse), "DBT_LOG_PATH": str(warehouse.parent / "logs")}


def run_size(documents: int, work: Path) -> SizeResult:
    from fiscal_dw.synth import AnswerKey, generate_corpus, score_detection

    size_dir = work / f"n{documents}"
    shutil.rmtree(size_dir, ignore_errors=True)
    docs, warehouse = size_dir / "docs", size_dir / "fiscal.duckdb"
    departments = max(1, documents // 2)
    generate_corpus(docs, departments=departments, years=2 if documents > 1 else 1,
                    fault_rate=0.2, seed=documents)
    key = AnswerKey.load(docs / "answer_key.json")
    corpus_mb = sum(p.stat().st_size for p in docs.glob("*.txt")) / 2**20
    result = SizeResult(documents=len(list(docs.glob("*.txt"))), corpus_mb=round(corpus_mb, 1))
    env = {**os.environ, **QUIET}
    run, result.exit_code = _timed([str(BIN / "fiscal-dw"), "run", "--docs", str(docs),
                                    "--warehouse", str(warehouse)], env)
    summary = json.loads((size_dir / "reports" / "latest" / "summary.json").read_text(encoding="utf-8"))
    result.stages = summary["load"]["stage_seconds"]
    result.dbt_steps = summary["dbt"]["seconds"]
    result.total_seconds = run.seconds
    result.stages["report"] = round(max(0.0, run.seconds - sum(result.stages.values())), 2)
    result.peak_rss_mb = run.peak_rss_mb
    result.tree_peak_mb = run.tree_peak_mb
    extract_seconds = result.stages["documents"]
    result.extract_docs_per_s = round(result.documents / extract_seconds, 1)
    result.extract_mb_per_s = round(corpus_mb / extract_seconds, 2)
    result.ms_per_document = round(1000 * result.total_seconds / result.documents, 1)
    raw = PROJECT_DIR / summary["load"]["raw_dir"]
    floor_target = size_dir / "floor-target"  # the models compiled for this corpus, run below without dbt
    _timed([str(BIN / "dbt"), "compile", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--quiet", "--target-path", str(floor_target), "--vars", "{raw_from: files}"],
           _environment(raw, size_dir / "compile" / "fiscal.duckdb"), accept=(0,))  # catalog 'fiscal' 
    result.floor_sql_seconds = _floor_sql(floor_target, raw, size_dir).seconds
    detection = score_detection(warehouse, key)
    result.recall = detection.recall
    result.false_positives_error = sum(fp["severity"] == "error" for fp in detection.false_positives)
    result.false_positives_warning = len(detection.false_positives) - result.false_positives_error
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
    return _timed(_dbt_build_command(work / "empty" / "target"), _environment(raw, warehouse))[0]


def markdown(results: list[SizeResult], empty: StageTime) -> str:
    lines = ["| documents | MB | extract s | docs/s | MB/s | dbt s (parse / build / tests + history) | "
             "expectations s (left after dbt) | publish + report s | total s | ms/doc | peak MB (largest process / all at once) | SQL without dbt s | recall | "
             "total ÷ SQL | false positives (error / warning) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        s, d = r.stages, r.dbt_steps
        recall = f"{r.recall:.0%}" if r.recall is not None else "–"
        steps = " / ".join(str(d.get(k, "–")) for k in ("parse", "build", "tests and history"))
        ratio = f"{r.total_seconds / r.floor_sql_seconds:.1f}×" if r.floor_sql_seconds else "–"
        lines.append(
            f"| {r.documents} | {r.corpus_mb} | {s['documents']} | {r.extract_docs_per_s} | "
            f"{r.extract_mb_per_s} | {s['dbt']} ({steps}) | {s['expectations']} | "
            f"{round(s['publish'] + s['report'], 2)} | {r.total_seconds} | {r.ms_per_document} | "
            f"{r.peak_rss_mb} / {r.tree_peak_mb} | "
            f"{r.floor_sql_seconds} | {recall} | {ratio} | {r.false_positives_error} / {r.false_positives_warning} |")
    lines.append(f"\nEmpty `dbt build` (no documents, dbt's own overhead): {empty.seconds} s.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fiscal-dw bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--work", type=Path, default=PROJECT_DIR / "build" / "bench")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    parser.add_argument("--pdf", action="store_true",
                        help="PDF rows instead: PDF stage pages/s beside pdftotext, cell accuracy, recall "
                             "(synth/bench_pdf.py; sizes default 10 100 1000)")
    parser.add_argument("--no-run", action="store_true", help="with --pdf: no end-to-end run (no recall)")
    args = parser.parse_args(argv)
    if args.pdf:
        from fiscal_dw.synth import bench_pdf

        sizes = args.sizes if "--sizes" in (argv or sys.argv) else [10, 100, 1000]
        return bench_pdf.main(sizes, args.work, args.markdown, not args.no_run)
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
