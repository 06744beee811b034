"""fiscal-dw: extract documents, build the warehouse with dbt, validate it with Great Expectations.

`run` is a load: documents -> dbt (into a new file, history, docs) -> expectations ->
publish (Parquet exports, atomic swap of the warehouse) -> report (reports/<load_id>/).

Exit codes: 0 clean (warnings allowed; failing reconciliation checks are reported as
findings); 1 checks of error severity failed (a dbt data test of severity error, an
expectation) or the build itself failed (then nothing is published); 2 bad input or usage
(missing folder, no readable document, a run already loading the same warehouse).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

from fiscal_dw import PROJECT_DIR
from fiscal_dw.extract.folder import MESSAGES_FILE, StreamedExtract, extract_folder_to, read_messages
from fiscal_dw.load.files import LoadPaths
from fiscal_dw.load.history import (
    Load,
    append_history,
    extractor_version,
    new_load_id,
    raw_row_counts,
    remove_history,
    utc_now,
)
from fiscal_dw.load.publish import (
    LoadInProgress,
    discard_building,
    export_marts,
    point_latest,
    prepare_building,
    swap_in,
    warehouse_lock,
)

SAMPLE_RAW_DIR = PROJECT_DIR / "seeds" / "raw"
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "fiscal.duckdb"
DEFAULT_SUITES = PROJECT_DIR / "expectations"
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

for _name, _value in {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1",
                      "GX_ANALYTICS_ENABLED": "false"}.items():
    os.environ.setdefault(_name, _value)


def _say(message: str) -> None:
    print(message, flush=True)


MESSAGE_MARKS = {"error": "!!", "warning": " !", "info": " i"}
SHOWN_DOCUMENTS, SHOWN_MESSAGES = 20, 50  # on screen; the raw tables and the report have all


def cmd_extract(docs: Path, out: Path) -> tuple[int, StreamedExtract | None]:
    if not docs.is_dir():
        _say(f"error: documents folder not found: {docs}")
        return EXIT_BAD_INPUT, None
    result = extract_folder_to(docs, out)
    documents = result.documents
    _say(f"extract: {len(documents)} document(s) from {docs} -> {out}")
    for document in documents[:SHOWN_DOCUMENTS]:
        _say(f"  {document['source_file']}: {document['document_kind']}, "
             f"{document['department_name'] or '?'} {document['fiscal_year'] or '?'}")
    if len(documents) > SHOWN_DOCUMENTS:
        kinds = Counter(document["document_kind"] for document in documents)
        _say(f"  ... and {len(documents) - SHOWN_DOCUMENTS} more; by kind: "
             + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    for name, count in result.counts.items():
        if name not in {"raw_documents", "raw_extract_rejects"}:
            _say(f"  {name}: {count} rows")
    _say(f"  rejects: {result.counts['raw_extract_rejects']} (written to {out / 'raw_extract_rejects.csv'})")
    for message in result.messages[:SHOWN_MESSAGES]:
        _say(f"  {MESSAGE_MARKS[message.severity]} {message.text}")
    if len(result.messages) > SHOWN_MESSAGES:
        _say(f"  ... and {len(result.messages) - SHOWN_MESSAGES} more messages in {out / MESSAGES_FILE}")
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


def _dbt_environment(raw_dir: Path, database: Path, artefacts_for: Path | None = None,
                     history: Path | None = None) -> None:
    """Point dbt at the raw CSVs, the DuckDB file to write and the load history.

    dbt's target/log folders are keyed by ``artefacts_for`` (the published warehouse path;
    a run builds into a side file), so two warehouses never share artefacts and the same
    warehouse keeps its partial-parse state between loads."""
    database.parent.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(str(artefacts_for or database).encode()).hexdigest()[:8]
    os.environ["FISCAL_DW_RAW_DIR"] = str(_project_relative_raw_dir(raw_dir))
    os.environ["FISCAL_DW_WAREHOUSE"] = str(database)
    os.environ["FISCAL_DW_HISTORY_DIR"] = str(history or LoadPaths.for_warehouse(database).history)
    os.environ["DBT_TARGET_PATH"] = str(_dbt_target(artefacts_for or database))
    os.environ["DBT_LOG_PATH"] = str(PROJECT_DIR / "build" / "dbt" / key / "logs")


def _dbt_target(warehouse: Path) -> Path:
    key = hashlib.sha256(str(warehouse).encode()).hexdigest()[:8]
    return PROJECT_DIR / "build" / "dbt" / key / "target"


# --------------------------------------------------------------------------- progress


class Progress:
    """`[n/N] stage ...` lines, and a live counter on a terminal."""

    def __init__(self, stages: int) -> None:
        self.stages = stages
        self.current = 0
        self.live = sys.stdout.isatty()
        self.stopped = False
        self.seconds: dict[str, float] = {}  # per finished stage, for the summary and the benchmark

    @contextmanager
    def stage(self, name: str, detail: str = "") -> Iterator[None]:
        self.current += 1
        started = time.monotonic()
        _say(f"[{self.current}/{self.stages}] {name}{' - ' + detail if detail else ''}")
        yield
        outcome = "stopped the run" if self.stopped else "done"
        self.seconds[name] = round(time.monotonic() - started, 2)
        _say(f"      {name} {outcome} in {self.seconds[name]:.1f} s")

    def stop(self, status: int) -> int:
        """Mark the current stage as the one that ended the run; returns ``status``."""
        self.stopped = True
        return status

    def tick(self, text: str) -> None:
        if self.live:
            print(f"\r      {text}\033[K", end="", flush=True)

    def end_ticks(self) -> None:
        if self.live:
            print("\r\033[K", end="", flush=True)


@dataclass
class DbtResult:
    returncode: int
    seconds: float = 0.0
    totals: str = ""
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def failure_text(self, limit: int = 60) -> str:
        for index, line in enumerate(self.lines):
            if "Completed with" in line:
                return "\n".join(self.lines[index:index + limit])
        return "\n".join(self.lines[-limit:])


_DBT_NODE = re.compile(r"\b(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b(?: (\d+))? ?(\S+)?")
_DBT_DONE = re.compile(r"Done\. (PASS=.*)$")


def run_dbt(arguments: list[str], label: str, progress: Progress | None = None) -> DbtResult:
    """One dbt command in a subprocess: dbt-duckdb keeps its connection open in-process,
    which would stop this process from opening the file afterwards. Its output is kept
    (shown on failure); a terminal sees a node counter."""
    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), *arguments, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
               "--no-use-colors"]
    result = DbtResult(returncode=0)
    started = time.monotonic()
    with subprocess.Popen(command, cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, encoding="utf-8", errors="replace") as process:
        assert process.stdout is not None
        done = 0
        for raw in process.stdout:
            line = raw.rstrip("\n")
            result.lines.append(line)
            node = _DBT_NODE.search(line)
            if node:
                done += 1
                if progress:
                    progress.tick(f"{label}: {done}/{node.group(2)}")
                if node.group(3) == "WARN":
                    result.warnings.append(f"{node.group(5)} ({node.group(4) or '?'} rows)")
                elif node.group(3) in ("FAIL", "ERROR"):
                    result.failures.append(f"{node.group(5)} ({node.group(4) or 'error'})")
            totals = _DBT_DONE.search(line)
            if totals:
                result.totals = totals.group(1)
        result.returncode = process.wait()
    result.seconds = round(time.monotonic() - started, 2)
    if progress:
        progress.end_ticks()
    return result


def _split_history_failures(result: DbtResult, target: Path) -> list[str]:
    """Of a dbt command's failed nodes (target/run_results.json), return those of the load
    history (models tagged history and the tests on them) and keep only the others, the
    data tests' findings, in ``result.failures``."""
    try:
        nodes = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["nodes"]
        results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return ["dbt left no run results"] if not result.ok else []

    def of_history(unique_id: str) -> bool:
        node = nodes.get(unique_id, {})
        parents = node.get("depends_on", {}).get("nodes", [])
        return "history" in node.get("tags", []) or any("history" in nodes.get(p, {}).get("tags", [])
                                                        for p in parents)

    failed = [r for r in results if r["status"] in ("error", "fail", "skipped", "runtime error")]
    history = [r["unique_id"].split(".")[-1] for r in failed if of_history(r["unique_id"])]
    result.failures = [f"{r['unique_id'].split('.')[2]} ({r.get('failures') or r['status']})"
                       for r in failed if not of_history(r["unique_id"])]
    return history


def _report_dbt(result: DbtResult, label: str, failures_are_findings: bool = False) -> None:
    """dbt's totals and warnings; on failure its messages, or for data tests (whose
    failures are findings about the documents, like the reconciliation checks) their names."""
    if result.ok or (failures_are_findings and result.failures):
        _say(f"      {label}: {result.totals or 'ok'}")
        for warning in result.warnings:
            _say(f"      warn: {warning}")
        for failure in result.failures:
            _say(f"      FAIL: {failure}")
    else:
        _say(result.failure_text())
        _say(f"error: {label} failed (see the messages above)")


def cmd_build(raw_dir: Path, warehouse: Path) -> int:
    """A developer's build: dbt build in place (no load, no history, no swap)."""
    _dbt_environment(raw_dir, warehouse)
    _say(f"build: dbt build (raw tables from {raw_dir}) -> {warehouse}")
    # seeds may change columns between document sets: --full-refresh
    result = run_dbt(["build", "--full-refresh", "--exclude", "tag:history"], "dbt build")
    _report_dbt(result, "dbt build")
    return EXIT_OK if result.ok else EXIT_FAILED


def cmd_validate(warehouse: Path, suites: Path, results: Path | None) -> int:
    from fiscal_dw.load.validate import format_report, validate_warehouse

    if not warehouse.exists():
        _say(f"error: warehouse not found: {warehouse}")
        return EXIT_BAD_INPUT
    report = validate_warehouse(warehouse, suites, results)
    _say(format_report(report))
    return EXIT_OK if report.success else EXIT_FAILED


# --------------------------------------------------------------------------- run = one load


def _suite_dirs(suites: Path) -> list[Path]:
    """The mart suites and, in its subfolder, the suites of the load-history marts."""
    return [suites] + ([suites / "history"] if (suites / "history").is_dir() else [])


def cmd_run(docs: Path | None, warehouse: Path, suites: Path, reports: Path | None = None,
            exports: Path | None = None) -> int:
    started = time.monotonic()
    if not any(folder.glob("*.json") for folder in _suite_dirs(suites)):
        _say(f"error: no expectation suites (*.json) in {suites}")
        return EXIT_BAD_INPUT
    paths = LoadPaths.for_warehouse(warehouse, reports, exports)
    try:
        with warehouse_lock(paths):
            status = _load(docs, paths, suites, started)
    except LoadInProgress as busy:
        _say(f"error: {busy}; wait for it to finish")
        status = EXIT_BAD_INPUT
    outcome = "ok" if status == EXIT_OK else f"FAILED (exit {status})"
    _say(f"run: {outcome} in {time.monotonic() - started:.1f} s (warehouse {paths.warehouse})")
    return status


def _load(docs: Path | None, paths: LoadPaths, suites: Path, started: float) -> int:
    from fiscal_dw.load.report import collect_summary, expectations_summary, relative_link, write_report
    from fiscal_dw.load.validate import Validation, format_report

    started_at = utc_now()
    load_id = new_load_id(started_at)
    progress = Progress(5)
    _say(f"load {load_id} -> {paths.warehouse}")

    with progress.stage("documents", str(docs) if docs else "committed seeds"):
        if docs is not None:
            # A run on other documents never overwrites the committed sample seeds.
            raw_dir = PROJECT_DIR / "build" / "raw" / hashlib.sha256(
                str(docs.resolve()).encode()).hexdigest()[:8]
            status, _ = cmd_extract(docs, raw_dir)
            if status != EXIT_OK:
                return progress.stop(status)
            load = Load(load_id, started_at, "documents", str(docs.resolve()), extractor_version())
        else:
            raw_dir = SAMPLE_RAW_DIR
            _say(f"extract: skipped, building from the committed seeds in {raw_dir}")
            load = Load(load_id, started_at, "seeds", str(raw_dir), None)
        counts = raw_row_counts(raw_dir)
    # Extracted documents are read by DuckDB from the CSVs in place (the scale path); the
    # committed sample goes through dbt seeds. The same models serve both. Every dbt
    # command gets the same vars, or dbt would re-parse the project for each.
    # Unit tests are tests of the SQL on fixed inputs given as the raw seeds: they run on
    # the committed sample (run without --docs, build, CI), not on every load.
    raw_tables = ["--vars", "{raw_from: files}"] if docs is not None else []
    not_seeded = ["raw_*", "resource_type:unit_test"] if docs is not None else []

    report_dir = paths.reports / load_id
    recorded = False  # in the history but not (yet) published
    marts_validated = None  # waits for the expectations begun beside dbt
    try:
        with progress.stage("dbt", "build into a new file, load history, docs"):
            building = prepare_building(paths)
            _dbt_environment(raw_dir, building, artefacts_for=paths.warehouse, history=paths.history)
            # Seeds, models and unit tests first: any failure there (SQL, contract, unit test)
            # means no complete warehouse, so nothing is published. Data tests run after,
            # on the complete build: a failing one is a finding (exit 1), not a missing mart.
            # --full-refresh: seeds may change columns between document sets.
            build = run_dbt(["build", "--full-refresh", *raw_tables,
                             "--exclude", "tag:history", "resource_type:test", *not_seeded],
                            "dbt build", progress)
            _report_dbt(build, "dbt build")
            if not build.ok:
                return progress.stop(EXIT_FAILED)
            # The marts are final now: Great Expectations validates a copy of the file while
            # dbt goes on in the original (tests, history, docs), one DuckDB writer per file.
            snapshot = _snapshot(building)

            def validate_marts() -> Validation:
                session = Validation(report_dir / "gx", data_docs_dir=report_dir / "data_docs", run_name=load_id)
                session.run(snapshot, suites)
                return session

            marts_validated = _in_background(validate_marts)
            append_history(paths, load, raw_dir, building, utc_now())
            recorded = True
            # One dbt command for the data tests (findings) and the load-history marts (read
            # back from the history just appended; they depend on no mart, so a failing test
            # skips none of them). A failure of the history itself ends the load unpublished.
            tests = run_dbt(["build", *raw_tables, "--select", "tag:history", "resource_type:test",
                             "--exclude", "resource_type:unit_test"], "dbt test + history", progress)
            history_failed = _split_history_failures(tests, _dbt_target(paths.warehouse))
            _report_dbt(tests, "dbt test + history", failures_are_findings=not history_failed)
            if history_failed or (not tests.ok and not tests.failures):
                _say(f"      load history not built: {', '.join(history_failed) or 'see above'}")
                return progress.stop(EXIT_FAILED)
            docs_site = run_dbt(["docs", "generate", *raw_tables, "--static", "--no-compile"],
                                "dbt docs generate", progress)
            if docs_site.ok:
                _report_dbt(docs_site, "dbt docs generate")
            else:  # the load stands without its docs site
                _say("      dbt docs generate did not finish; the report links no dbt docs")

        with progress.stage("expectations", "Great Expectations on the marts (begun beside dbt)"):
            session = marts_validated()
            if (suites / "history").is_dir():
                session.run(building, suites / "history")
            validation = session.finish(building)
            for line in format_report(validation).splitlines():
                _say(f"      {line}")

        with progress.stage("publish", "warehouse swap, Parquet exports"):
            summary = collect_summary(building, load_id)
            swap_in(paths)
            recorded = False
            _say(f"      warehouse swapped in: {paths.warehouse}")
            exported = export_marts(paths.warehouse, paths.exports / load_id)
            point_latest(paths.exports, load_id)
            _say(f"      {len(exported)} marts -> {paths.exports / load_id}")
    finally:
        if marts_validated is not None:  # never leave it reading files about to be removed
            with suppress(BaseException):
                marts_validated()
        if recorded:  # a load no warehouse shows must not stay in the history
            remove_history(paths, load_id)
        discard_building(paths)

    with progress.stage("report", str(report_dir)):
        dbt_docs = None
        static = _dbt_target(paths.warehouse) / "static_index.html"
        if docs_site.ok and static.is_file():
            dbt_docs = report_dir / "dbt_docs" / "index.html"
            dbt_docs.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(static, dbt_docs)
        summary["input_messages"] = [asdict(m) for m in read_messages(raw_dir)]
        status = exit_status(tests, validation, summary)
        summary["load"].update({
            "stage_seconds": dict(progress.seconds),  # the report stage is still running
            "raw_dir": str(raw_dir),
            "exit_code": status,
            "seconds": round(time.monotonic() - started, 1),
            "warehouse": str(paths.warehouse),
            "report_dir": str(report_dir),
        })
        summary["raw_row_counts"] = summary["raw_row_counts"] or counts
        summary["expectations"] = expectations_summary(validation, report_dir)
        summary["dbt"] = {"build": build.totals, "test": tests.totals,
                          "warnings": tests.warnings, "failed_tests": tests.failures,
                          "seconds": {"build": build.seconds, "tests and history": tests.seconds,
                                      "docs": docs_site.seconds}}
        summary["links"] = {
            "data_docs": summary["expectations"]["data_docs"],
            "dbt_docs": relative_link(dbt_docs, report_dir),
            "summary": "summary.json",
            "exports": f"{relative_link(paths.exports / load_id, report_dir)}/",
            "gx_results": "gx/",
        }
        _, index = write_report(report_dir, summary)
        point_latest(paths.reports, load_id)

    _final_screen(summary, index, paths)
    return status


def _snapshot(database: Path) -> Path:
    """A copy of a closed DuckDB file beside it (same name: DuckDB names the catalog after it)."""
    copy = database.parent / "snapshot" / database.name
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(database, copy)
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    return copy


def _in_background(function: Any, *args: Any) -> Any:
    """Start ``function(*args)`` in a thread; the returned callable waits for it and returns
    what it returned or raises what it raised."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name=getattr(function, "__name__", "background"), daemon=True)
    thread.start()

    def wait() -> Any:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    return wait


def exit_status(tests: DbtResult, validation: Any, summary: dict[str, Any]) -> int:
    """2 when an input file could not be loaded (the other documents are loaded and published
    all the same); else 1 when a check of error severity failed: a reconciliation check, a
    dbt data test or a Great Expectations expectation; else 0. Warning-severity fails are
    findings shown in the summary and the report, not an exit status."""
    if any(m["severity"] == "error" for m in summary["input_messages"]):
        return EXIT_BAD_INPUT
    if summary["checks"]["fail_error"] or tests.failures or not validation.success:
        return EXIT_FAILED
    return EXIT_OK


def _final_screen(summary: dict[str, Any], index: Path, paths: LoadPaths) -> None:
    from fiscal_dw.load.report import compress_lines, number

    load, checks, changes = summary["load"], summary["checks"], summary["status_changes"]
    documents = summary["documents"]
    gx = summary["expectations"]
    counts = summary["raw_row_counts"]
    rows = sum(v for k, v in counts.items() if k not in ("raw_documents", "raw_extract_rejects"))
    by_status = checks["by_status"]
    finals = sum(1 for d in documents if d["document_kind"] == "final_accounts")
    verdict = {EXIT_OK: "clean", EXIT_FAILED: "ERRORS", EXIT_BAD_INPUT: "BAD INPUT"}[load["exit_code"]]
    rule = "-" * 72
    lines = [rule, f"load {load['load_id']}  {verdict} (exit {load['exit_code']})",
             f"  documents     {len(documents)} (final accounts {finals}) · raw rows {rows:,} · "
             f"rejects {counts.get('raw_extract_rejects', 0)}"]
    messages = summary["input_messages"]
    if messages:
        by_severity = {s: sum(m["severity"] == s for m in messages) for s in MESSAGE_MARKS}
        lines.append(f"  input         {by_severity['error']} file(s) not loaded · "
                     f"{by_severity['warning']} warning(s) · {by_severity['info']} note(s)")
        for message in sorted(messages, key=lambda m: list(MESSAGE_MARKS).index(m["severity"]))[:5]:
            lines.append(f"   {MESSAGE_MARKS[message['severity']]} {message['text'][:110]}")
        if len(messages) > 5:
            lines.append(f"    ... and {len(messages) - 5} more in the report")
    checked = sorted((d for d in documents if d["checks"]["total"]),
                     key=lambda d: (-d["checks"]["fail_error"], -d["checks"]["fail"]))
    for document in checked[:6]:
        c = document["checks"]
        lines.append(f"    {document['department_name']} {document['fiscal_year']}: {c['total']} checks, "
                     f"pass {c['pass']} · rounding {c['rounding']} · fail {c['fail']}")
    if len(checked) > 6:
        lines.append(f"    ... and {len(checked) - 6} more documents in the report")
    lines.append(f"  checks        {checks['total']}: pass {by_status['pass']} · rounding {by_status['rounding']} · "
                 f"fail {by_status['fail']} (error severity {checks['fail_error']}, "
                 f"warning {by_status['fail'] - checks['fail_error']})")
    failing = sorted(summary["failing_checks"], key=lambda c: c["severity"] != "error")
    for check in failing[:5]:
        unit = check.get("value_unit")
        lines.append(f"    FAIL [{check['severity']}] {check['department_name']} {check['rule_id']} {check['scope']}: "
                     f"{number(check['lhs_value'], unit)} vs {number(check['rhs_value'], unit)} "
                     f"(difference {number(check['difference'], unit)}; "
                     f"lines {compress_lines(check['lhs_source_lines'])}"
                     f" / {compress_lines(check['rhs_source_lines'])})")
    total_failing = summary.get("failing_checks_total", len(failing))
    if total_failing > 5:
        lines.append(f"    ... and {total_failing - 5} more failing checks (report, marts.fct_reconciliation_checks)")
    if changes["previous_load_id"]:
        same = "same documents" if changes["same_documents_as_previous"] else "other documents"
        lines.append(f"  vs previous   {changes['previous_load_id']} ({same}): {changes['changed']} status changes, "
                     f"{changes['new']} new, {changes['removed']} removed")
        for change in changes["changes"][:5]:
            lines.append(f"    {change['department_name']} {change['rule_id']} {change['scope']}: "
                         f"{change['previous_status']} -> {change['status']}")
        if len(changes["changes"]) > 5:
            lines.append(f"    ... and {len(changes['changes']) - 5} more in the report")
    else:
        lines.append("  vs previous   first load of this warehouse's history")
    dbt = summary["dbt"]
    lines.append(f"  dbt tests     {dbt['test']}")
    for failure in dbt["failed_tests"][:5]:
        lines.append(f"    FAIL {failure if len(failure) < 100 else failure[:97] + '...'}")
    if len(dbt["failed_tests"]) > 5:
        lines.append(f"    ... and {len(dbt['failed_tests']) - 5} more failing tests in the report")
    lines.append(f"  expectations  {gx['suites']} suites, {gx['evaluated']} expectations, {gx['failed']} failed")
    lines.append(f"  warehouse     {paths.warehouse}")
    lines.append(f"  exports       {paths.exports / load['load_id']}")
    lines.append(f"  report        {index}")
    lines.append(f"                (newest: {paths.reports / 'latest' / index.name})")
    lines.append(rule)
    for line in lines:
        _say(line)


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
    if args.command == "extract":
        return cmd_extract(args.docs, args.out.resolve())[0]
    if args.command == "build":
        return cmd_build(args.raw.resolve(), args.warehouse.resolve())
    if args.command == "validate":
        return cmd_validate(args.warehouse.resolve(), args.suites, args.results)
    return cmd_run(args.docs, args.warehouse.resolve(), args.suites, args.reports, args.exports)


if __name__ == "__main__":
    sys.exit(main())
