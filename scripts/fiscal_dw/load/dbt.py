"""dbt invocation: the environment profiles.yml reads, dbt commands run in this process on
a project parsed once (node counter, warnings, failures from its results), and how their
outcome is printed."""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fiscal_dw import PROJECT_DIR
from fiscal_dw.load.console import Progress, say
from fiscal_dw.load.files import LoadPaths


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


def dbt_environment(raw_dir: Path, database: Path, artefacts_for: Path | None = None,
                    history: Path | None = None) -> None:
    """Point dbt at the raw CSVs, the DuckDB file to write and the load history.

    dbt's target/log folders are keyed by ``artefacts_for`` (the published warehouse path;
    a run builds into a side file), so two warehouses never share artefacts and the same
    warehouse keeps its partial-parse state between loads."""
    database.parent.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(str(artefacts_for or database).encode()).hexdigest()[:8]
    os.environ["FISCAL_DW_RAW_DIR"] = str(_project_relative_raw_dir(raw_dir))
    os.environ["FISCAL_DW_WAREHOUSE"] = str(database.resolve())
    os.environ["FISCAL_DW_HISTORY_DIR"] = str((history or LoadPaths.for_warehouse(database).history).resolve())
    os.environ["DBT_TARGET_PATH"] = str(dbt_target(artefacts_for or database))
    os.environ["DBT_LOG_PATH"] = str(PROJECT_DIR / "build" / "dbt" / key / "logs")


def dbt_target(warehouse: Path) -> Path:
    """dbt's target folder (manifest, run results, static docs) for a warehouse."""
    key = hashlib.sha256(str(warehouse).encode()).hexdigest()[:8]
    return PROJECT_DIR / "build" / "dbt" / key / "target"


@dataclass
class DbtResult:
    returncode: int  # 0 ok, 1 a node failed (model, test), 2 dbt itself stopped
    seconds: float = 0.0
    totals: str = ""
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    history_failures: list[str] = field(default_factory=list)  # of nodes tagged history (or tests on them)
    compiled: dict[str, str] = field(default_factory=dict)  # SQL of the failed tests, by name

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def failure_text(self, limit: int = 60) -> str:
        for index, line in enumerate(self.lines):
            if "Completed with" in line:
                return "\n".join(self.lines[index:index + limit])
        return "\n".join(self.lines[-limit:])


_FAILED = {"error", "fail", "runtime error", "skipped"}
_TOTALS = (("PASS", {"success", "pass"}), ("WARN", {"warn"}), ("ERROR", {"error", "fail", "runtime error"}),
           ("SKIP", {"skipped"}), ("NO-OP", {"no-op"}))


@contextmanager
def _in_project_dir() -> Iterator[None]:
    """dbt-duckdb resolves the raw CSVs' project-relative paths against the process's working
    directory, so a load started from another folder would find no file."""
    before = Path.cwd()
    os.chdir(PROJECT_DIR)
    try:
        yield
    finally:
        os.chdir(before)


class Dbt:
    """dbt in this process (``dbtRunner``): the project parsed once per process (partial
    parsing reuses the previous load's parse, in the warehouse's target folder), every
    command run on that manifest. dbt-duckdb keeps its DuckDB file open in-process; it is
    closed after each command, so the run can read and copy the file between commands
    (one writer per DuckDB file)."""

    def __init__(self, vars_: str | None = None) -> None:
        self.vars = ["--vars", vars_] if vars_ else []  # every command the same, or dbt re-parses
        self._manifest: Any = None
        self.parse_seconds = 0.0

    def _arguments(self, arguments: list[str]) -> list[str]:
        return [*arguments, *self.vars, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
                "--no-use-colors", "--log-level", "none"]

    @property
    def manifest(self) -> Any:
        """The parsed project (parsed on first use)."""
        if self._manifest is None:
            started = time.monotonic()  # dbt's import included
            from dbt.cli.main import dbtRunner

            with _in_project_dir():
                parsed = dbtRunner().invoke(self._arguments(["parse"]))
            self.parse_seconds = round(time.monotonic() - started, 2)
            if not parsed.success:
                raise DbtParseError(f"dbt could not parse the project: {parsed.exception}")
            self._manifest = parsed.result
        return self._manifest

    def run(self, arguments: list[str], label: str, progress: Progress | None = None) -> DbtResult:
        """One dbt command on the parsed project; its messages kept (shown on failure), a
        terminal sees a node counter."""
        from dbt.cli.main import dbtRunner

        try:
            manifest = self.manifest
        except DbtParseError as error:
            return DbtResult(returncode=2, lines=[str(error)], seconds=self.parse_seconds)
        started = time.monotonic()
        result = DbtResult(returncode=0)
        done = [0]

        def listen(event: Any) -> None:
            name, level = event.info.name, event.info.level
            if name == "NodeFinished":
                done[0] += 1
                if progress:
                    progress.tick(f"{label}: {done[0]}")
            if level in ("info", "warn", "error") and event.info.msg:
                result.lines.append(event.info.msg)

        if arguments[0] == "build":  # manifest.json is the parse's; results are read in memory
            arguments = [*arguments, "--no-write-json"]
        with _in_project_dir():
            outcome = dbtRunner(manifest=manifest, callbacks=[listen]).invoke(self._arguments(arguments))
        close_connection()
        if outcome.exception is not None or outcome.result is None:
            result.returncode = 2
            result.lines.append(f"dbt stopped: {outcome.exception}")
        else:
            _read_results(result, getattr(outcome.result, "results", None) or [], manifest)
            result.returncode = 0 if outcome.success else 1
        result.seconds = round(time.monotonic() - started, 2)
        if progress:
            progress.end_ticks()
        return result


class DbtParseError(RuntimeError):
    pass


def close_connection() -> None:
    """Close dbt-duckdb's DuckDB file (it keeps it open in-process between commands)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
        if environment is not None:
            environment.close()


def _read_results(result: DbtResult, results: Any, manifest: Any) -> None:
    """Totals, warnings and failures of a command; the failures of the load history (nodes
    tagged history and tests on them) apart from the data tests' findings."""
    statuses = [str(r.status) for r in results]
    result.totals = " ".join(f"{name}={sum(s in kinds for s in statuses)}" for name, kinds in _TOTALS)
    result.totals += f" TOTAL={len(statuses)}"
    nodes = manifest.nodes
    for r, status in zip(results, statuses):
        name = r.node.name
        if status == "warn":
            result.warnings.append(f"{name} ({r.failures if r.failures is not None else '?'} rows)")
        elif status in _FAILED:
            parents = getattr(r.node, "depends_on", None)
            parent_ids = parents.nodes if parents is not None else []
            if "history" in r.node.tags or any("history" in getattr(nodes.get(p), "tags", [])
                                               for p in parent_ids):
                result.history_failures.append(name)
            else:
                result.failures.append(f"{name} ({r.failures or status})")
                if r.node.resource_type == "test" and getattr(r.node, "compiled_code", None):
                    result.compiled[name] = r.node.compiled_code


def report_dbt(result: DbtResult, label: str, failures_are_findings: bool = False) -> None:
    """dbt's totals and warnings; on failure its messages, or for data tests (whose
    failures are findings about the documents, like the reconciliation checks) their names."""
    if result.ok or (failures_are_findings and result.failures):
        say(f"      {label}: {result.totals or 'ok'}")
        for warning in result.warnings:
            say(f"      warn: {warning}")
        for failure in result.failures:
            say(f"      FAIL: {failure}")
    else:
        say(result.failure_text())
        say(f"error: {label} failed (see the messages above)")
