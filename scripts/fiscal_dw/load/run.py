"""``fiscal-dw run``: one load, as five stages sharing a ``LoadRun``.

documents (extract, or the committed seeds) -> dbt (build into a side file, Great
Expectations begun on a copy, history appended, data tests + history marts, docs) ->
expectations -> publish (atomic swap, Parquet exports) -> report (reports/<load_id>/).
A stage that ends the load says why in ``LoadRun.not_published``; whatever happens, a
load that was not published leaves no history and no side file behind."""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from fiscal_dw import PROJECT_DIR
from fiscal_dw.extract.folder import read_messages
from fiscal_dw.load import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, commands
from fiscal_dw.load.console import Progress, say
from fiscal_dw.load.crash import kill_point
from fiscal_dw.load.dbt import Dbt, DbtResult, dbt_environment, report_dbt
from fiscal_dw.load.dbt_docs import DocsSite, docs_site
from fiscal_dw.load.files import SAMPLE_RAW_DIR, LoadPaths
from fiscal_dw.load.fingerprint import project_fingerprint, record_unit_tests_passed, unit_tests_passed
from fiscal_dw.load.merged_tests import expand_failures, merge_tests
from fiscal_dw.load.history import (
    BUILDING_LOAD_ENV,
    Load,
    append_history,
    begin_load,
    commit_load,
    extractor_version,
    new_load_id,
    raw_row_counts,
    recover_history,
    remove_history,
    set_finished_at,
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
from fiscal_dw.load.report import relative_link, write_report
from fiscal_dw.load.report.summary import collect_summary, expectations_summary
from fiscal_dw.load.screen import final_screen
from fiscal_dw.load.validate import ValidationReport, format_report
from fiscal_dw.load.validate_worker import ValidationProcess

STAGES = 5


@dataclass
class LoadRun:
    """What the stages of one load hand on to each other."""

    docs: Path | None
    paths: LoadPaths
    suites: Path
    started: float  # time.monotonic() at the start of the run
    started_at: datetime
    load_id: str
    progress: Progress = field(default_factory=lambda: Progress(STAGES))
    status: int = EXIT_OK
    not_published: str = ""  # why, when a stage ended the load
    published: bool = False
    raw_dir: Path = SAMPLE_RAW_DIR
    load: Load | None = None
    counts: dict[str, int] = field(default_factory=dict)
    building: Path | None = None
    build: DbtResult | None = None
    tests: DbtResult | None = None
    docs_site: DocsSite | None = None
    dbt: Dbt | None = None  # dbt in this process, the project parsed once for the load
    fingerprint: str = ""  # of the project's files (load/fingerprint.py)
    step_seconds: dict[str, float] = field(default_factory=dict)  # the dbt stage's other steps
    gx: ValidationProcess | None = None  # Great Expectations in its own process, started with the build
    marts_validated: Callable[[], ValidationProcess] | None = None  # waits for the expectations begun beside dbt
    recorded: bool = False  # in the history but not (yet) published
    recovered: list[str] = field(default_factory=list)  # what a run that died had left, settled
    validation: ValidationReport | None = None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def report_dir(self) -> Path:
        return self.paths.reports / self.load_id

    @property
    def raw_tables(self) -> str | None:
        """Extracted documents are read by DuckDB from the CSVs in place (the scale path); the
        committed sample goes through dbt seeds. The same models serve both. Every dbt
        command gets the same vars, or dbt would re-parse the project for each."""
        return "{raw_from: files}" if self.docs is not None else None

    @property
    def not_seeded(self) -> list[str]:
        """Unit tests are tests of the SQL on fixed inputs given as the raw seeds: they run on
        the committed sample (run without --docs, build, CI), not on every load."""
        return ["raw_*", "resource_type:unit_test"] if self.docs is not None else []

    def stop(self, status: int, reason: str) -> bool:
        """End the load unpublished in the current stage; returns False (do not go on)."""
        self.status = self.progress.stop(status)
        self.not_published = reason
        return False


# DuckDB names an attached file's database after its stem; these names are its own
RESERVED_DATABASE_NAMES = {"main", "memory", "system", "temp"}


def run(docs: Path | None, warehouse: Path, suites: Path, reports: Path | None = None,
        exports: Path | None = None) -> int:
    """One load under the warehouse's lock; the last line says whether it was published."""
    started = time.monotonic()
    paths = LoadPaths.for_warehouse(warehouse, reports, exports)
    if warehouse.stem.lower() in RESERVED_DATABASE_NAMES:
        say(f"error: a warehouse file named {warehouse.name} is not possible: DuckDB names the database after "
            f"the file, and '{warehouse.stem}' is one of its own names; choose another name")
        say(final_line(None, EXIT_BAD_INPUT, "reserved warehouse name", started, paths))
        return EXIT_BAD_INPUT
    if not any(folder.glob("*.json") for folder in suite_dirs(suites)):
        say(f"error: no expectation suites (*.json) in {suites}")
        say(final_line(None, EXIT_BAD_INPUT, "no expectation suites", started, paths))
        return EXIT_BAD_INPUT
    try:
        with warehouse_lock(paths):
            load = load_documents(docs, paths, suites, started)
    except LoadInProgress as busy:
        say(f"error: {busy}; wait for it to finish")
        say(final_line(None, EXIT_BAD_INPUT, str(busy), started, paths))
        return EXIT_BAD_INPUT
    say(final_line(load, load.status, load.not_published, started, paths))
    return load.status


def suite_dirs(suites: Path) -> list[Path]:
    """The mart suites and, in its subfolder, the suites of the load-history marts."""
    return [suites] + ([suites / "history"] if (suites / "history").is_dir() else [])


def load_documents(docs: Path | None, paths: LoadPaths, suites: Path, started: float) -> LoadRun:
    """The five stages; a stage returning False ends the load unpublished."""
    started_at = utc_now()
    load = LoadRun(docs, paths, suites, started, started_at, new_load_id(started_at))
    say(f"load {load.load_id} -> {paths.warehouse}")
    load.recovered = recover_history(paths)
    discard_building(paths)  # what a run that died was building
    for message in load.recovered:
        say(f"      history: {message}")
    begin_load(paths, load.load_id)
    if not documents_stage(load):
        remove_history(paths, load.load_id)
        return load
    try:
        if not dbt_stage(load):
            return load
        expectations_stage(load)
        publish_stage(load)
    finally:
        clean_up(load)
    report_stage(load)
    return load


# --------------------------------------------------------------------------- stages


def documents_stage(load: LoadRun) -> bool:
    """Extract the documents (never into the committed seeds) or take the committed seeds."""
    with load.progress.stage("documents", str(load.docs) if load.docs else "committed seeds"):
        kill_point("documents")
        if load.docs is not None:
            # A run on other documents never overwrites the committed sample seeds.
            load.raw_dir = PROJECT_DIR / "build" / "raw" / hashlib.sha256(
                str(load.docs.resolve()).encode()).hexdigest()[:8]
            status, extracted = commands.extract(load.docs, load.raw_dir)
            if status != EXIT_OK:
                reason = "documents folder not found" if extracted is None else "no readable document"
                return load.stop(status, reason)
            load.load = Load(load.load_id, load.started_at, "documents", str(load.docs.resolve()),
                             extractor_version())
        else:
            say(f"extract: skipped, building from the committed seeds in {load.raw_dir}")
            load.load = Load(load.load_id, load.started_at, "seeds", str(load.raw_dir), None)
        load.counts = raw_row_counts(load.raw_dir)
        kill_point("documents done")
    return True


def dbt_stage(load: LoadRun) -> bool:
    """Build into a new file; then, beside Great Expectations on a copy, the history, the
    data tests with the history marts, and the docs site."""
    with load.progress.stage("dbt", "build into a new file, load history, docs"):
        load.gx = ValidationProcess(load.report_dir / "gx", data_docs_dir=load.report_dir / "data_docs",
                                    run_name=load.load_id)
        if not _build_models(load):
            return False
        started = time.monotonic()
        snapshot = _snapshot(load.building)
        load.step_seconds["snapshot for GX"] = round(time.monotonic() - started, 2)
        load.marts_validated = _in_background(_validate_marts, load, snapshot)
        assert load.load is not None and load.building is not None
        load.recorded = True  # from the first file written: a failure takes the history back
        # Only this load's own warehouse shows its history rows until it is committed.
        os.environ[BUILDING_LOAD_ENV] = load.load_id
        started = time.monotonic()
        append_history(load.paths, load.load, load.raw_dir, load.building, utc_now())
        load.step_seconds["history append"] = round(time.monotonic() - started, 2)
        kill_point("history appended")
        if not _test_and_build_history(load):
            return False
        _generate_docs(load)
        kill_point("dbt done")
    return True


def _build_models(load: LoadRun) -> bool:
    """Seeds, models and unit tests first: any failure there (SQL, contract, unit test) means
    no complete warehouse, so nothing is published. Data tests run after, on the complete
    build: a failing one is a finding (exit 1), not a missing mart."""
    load.building = prepare_building(load.paths)
    dbt_environment(load.raw_dir, load.building, artefacts_for=load.paths.warehouse, history=load.paths.history)
    load.dbt = Dbt(load.raw_tables)
    load.fingerprint = project_fingerprint(load.raw_tables, load.raw_dir)
    unit_tests = load.docs is None and not unit_tests_passed(load.fingerprint)
    if load.docs is None and not unit_tests:
        say(f"      unit tests: passed on these project files before (fingerprint {load.fingerprint}), not run again")
    # --full-refresh: seeds may change columns between document sets.
    load.build = load.dbt.run(["build", "--full-refresh", "--exclude", "tag:history", "resource_type:test",
                               *load.not_seeded, *([] if unit_tests or load.docs else ["resource_type:unit_test"])],
                              "dbt build", load.progress)
    report_dbt(load.build, "dbt build")
    if not load.build.ok:
        return load.stop(EXIT_FAILED, "dbt build failed")
    if unit_tests:
        record_unit_tests_passed(load.fingerprint)
    return True


def _validate_marts(load: LoadRun, snapshot: Path) -> ValidationProcess:
    """The mart suites on a copy of the built file: the marts are final, and dbt goes on in
    the original (tests, history), one DuckDB writer per file. GX works in its own process
    (``load/validate_worker.py``), on the other core."""
    assert load.gx is not None
    load.gx.run(snapshot, load.suites)
    return load.gx


def _test_and_build_history(load: LoadRun) -> bool:
    """One dbt command for the data tests (findings) and the load-history marts (read back
    from the history just appended; they depend on no mart, so a failing test skips none
    of them). A failure of the history itself ends the load unpublished."""
    assert load.dbt is not None and load.building is not None
    merged = merge_tests(load.dbt.manifest)  # evaluated set-based in one test (load/merged_tests.py)
    load.tests = tests = load.dbt.run(["build", "--select", "tag:history", "resource_type:test",
                                       "--exclude", "resource_type:unit_test", *merged],
                                      "dbt test + history", load.progress)
    expand_failures(tests, load.building)
    history_failed = tests.history_failures or (["dbt stopped"] if tests.returncode == 2 else [])
    report_dbt(tests, "dbt test + history", failures_are_findings=not history_failed)
    if history_failed or (not tests.ok and not tests.failures):
        say(f"      load history not built: {', '.join(history_failed) or 'see above'}")
        return load.stop(EXIT_FAILED, "load history not built")
    return True


def _generate_docs(load: LoadRun) -> None:
    """The dbt docs site of this project: the one generated before when the project's files
    are unchanged, else generated in the background after publishing (a load never waits)."""
    load.docs_site = docs_site(load.fingerprint, load.raw_tables, load.raw_dir)
    say(f"      dbt docs: {load.docs_site.describe()}")


def expectations_stage(load: LoadRun) -> None:
    """Wait for the mart suites begun beside dbt, then the history suites on the new file."""
    assert load.marts_validated is not None and load.building is not None
    with load.progress.stage("expectations", "Great Expectations on the marts (begun beside dbt)"):
        session = load.marts_validated()
        kill_point("expectations")
        if (load.suites / "history").is_dir():
            session.run(load.building, load.suites / "history")
        load.validation = session.finish(load.building)
        for line in format_report(load.validation).splitlines():
            say(f"      {line}")


def publish_stage(load: LoadRun) -> None:
    """Stamp the time of publishing, read the summary from the built file, swap it in, commit
    the load's history (the marker after the swap: docs/loads.md), export the marts."""
    assert load.building is not None
    paths = load.paths
    with load.progress.stage("publish", "warehouse swap, Parquet exports"):
        published_at = utc_now()
        set_finished_at(paths, load.load_id, load.building, published_at)
        load.summary = collect_summary(load.building, load.load_id)
        kill_point("publish")
        swap_in(paths)
        load.recorded = False
        load.published = True
        kill_point("swapped")
        commit_load(paths, load.load_id, published_at)
        say(f"      warehouse swapped in: {paths.warehouse}")
        exported = export_marts(paths.warehouse, paths.exports / load.load_id)
        kill_point("exported")
        point_latest(paths.exports, load.load_id)
        say(f"      {len(exported)} marts -> {paths.exports / load.load_id}")


def clean_up(load: LoadRun) -> None:
    """After the dbt..publish stages, whatever happened: no thread left reading files about
    to be removed, no history of a load no warehouse shows, no side file."""
    if load.marts_validated is not None:
        with suppress(BaseException):
            load.marts_validated()
    if load.gx is not None:
        load.gx.close()
    if not load.published:
        remove_history(load.paths, load.load_id)
    os.environ.pop(BUILDING_LOAD_ENV, None)
    discard_building(load.paths)


def report_stage(load: LoadRun) -> None:
    """summary.json, index.html, the dbt docs site and ``reports/latest``; the exit status."""
    with load.progress.stage("report", str(load.report_dir)):
        dbt_docs = _copy_dbt_docs(load)
        load.summary["input_messages"] = [asdict(m) for m in read_messages(load.raw_dir)]
        load.status = exit_status(load.tests, load.validation, load.summary)
        _complete_summary(load, dbt_docs)
        _, index = write_report(load.report_dir, load.summary)
        kill_point("report")
        point_latest(load.paths.reports, load.load_id)
    final_screen(load.summary, index, load.paths)


def _copy_dbt_docs(load: LoadRun) -> Path | None:
    """The docs site into the report when there is one; else it is generated in the
    background (from the published warehouse) and written into the report when done."""
    if load.docs_site is None:
        return None
    dbt_docs = load.report_dir / "dbt_docs" / "index.html"
    if load.published:
        load.docs_site.deliver(dbt_docs, load.paths.warehouse)
    return dbt_docs if dbt_docs.is_file() or load.docs_site.started else None


def _complete_summary(load: LoadRun, dbt_docs: Path | None) -> None:
    """The run's own part of the summary: timings, exit code, dbt, expectations, links."""
    summary, paths = load.summary, load.paths
    assert load.build and load.tests and load.docs_site and load.dbt
    summary["load"].update({
        "stage_seconds": dict(load.progress.seconds),  # the report stage is still running
        "raw_dir": str(load.raw_dir),
        "exit_code": load.status,
        "seconds": round(time.monotonic() - load.started, 1),
        "warehouse": str(paths.warehouse),
        "report_dir": str(load.report_dir),
        "history_recovered": load.recovered,
    })
    summary["raw_row_counts"] = summary["raw_row_counts"] or load.counts
    summary["expectations"] = expectations_summary(load.validation, load.report_dir)
    summary["dbt"] = {"build": load.build.totals, "test": load.tests.totals,
                      "warnings": load.tests.warnings, "failed_tests": load.tests.failures,
                      "docs": load.docs_site.describe(),
                      "seconds": {"parse": load.dbt.parse_seconds, "build": load.build.seconds,
                                  "tests and history": load.tests.seconds, "docs": load.docs_site.seconds,
                                  **load.step_seconds}}
    summary["links"] = {
        "data_docs": summary["expectations"]["data_docs"],
        "dbt_docs": relative_link(dbt_docs, load.report_dir),
        "summary": "summary.json",
        "exports": f"{relative_link(paths.exports / load.load_id, load.report_dir)}/",
        "gx_results": "gx/",
    }


# --------------------------------------------------------------------------- outcome


def exit_status(tests: DbtResult | None, validation: ValidationReport | None, summary: dict[str, Any]) -> int:
    """2 when an input file could not be loaded (the other documents are loaded and published
    all the same); else 1 when a check of error severity failed: a reconciliation check, a
    dbt data test or a Great Expectations expectation; else 0. Warning-severity fails are
    findings shown in the summary and the report, not an exit status."""
    if any(m["severity"] == "error" for m in summary["input_messages"]):
        return EXIT_BAD_INPUT
    if summary["checks"]["fail_error"] or (tests and tests.failures) or not (validation and validation.success):
        return EXIT_FAILED
    return EXIT_OK


def error_findings(summary: dict[str, Any]) -> int:
    """Findings of error severity: failing reconciliation checks of severity error, failing
    dbt data tests, failed expectations and suites that could not be evaluated."""
    expectations = summary["expectations"]
    unevaluated = sum(1 for suite in expectations["suite_results"] if suite["errors"] and not suite["failed"])
    return (summary["checks"]["fail_error"] + len(summary["dbt"]["failed_tests"])
            + expectations["failed"] + unevaluated)


def final_line(load: LoadRun | None, status: int, reason: str, started: float, paths: LoadPaths) -> str:
    """``run: published load <id> with N error findings (exit S) in T s (warehouse W)``, or
    ``run: not published: <reason> (exit S) ...`` when nothing was published."""
    if load is not None and load.published:
        findings = error_findings(load.summary)
        outcome = f"published load {load.load_id} with {findings} error finding{'s' * (findings != 1)}"
        not_loaded = sum(m["severity"] == "error" for m in load.summary["input_messages"])
        if not_loaded:
            outcome += f", {not_loaded} input file{'s' * (not_loaded != 1)} not loaded"
    else:
        outcome = f"not published: {reason}"
    return f"run: {outcome} (exit {status}) in {time.monotonic() - started:.1f} s (warehouse {paths.warehouse})"


# --------------------------------------------------------------------------- helpers


def _snapshot(database: Path | None) -> Path:
    """A copy of a closed DuckDB file beside it (same name: DuckDB names the catalog after it)."""
    assert database is not None
    copy = database.parent / "snapshot" / database.name
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(database, copy)
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    return copy


def _in_background(function: Callable[..., Any], *args: Any) -> Callable[[], Any]:
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
