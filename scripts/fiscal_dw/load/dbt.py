"""dbt invocation: the environment profiles.yml reads, one dbt command in a subprocess with
its output parsed (node counter, warnings, failures), and how its outcome is printed."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

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
    os.environ["FISCAL_DW_WAREHOUSE"] = str(database)
    os.environ["FISCAL_DW_HISTORY_DIR"] = str(history or LoadPaths.for_warehouse(database).history)
    os.environ["DBT_TARGET_PATH"] = str(dbt_target(artefacts_for or database))
    os.environ["DBT_LOG_PATH"] = str(PROJECT_DIR / "build" / "dbt" / key / "logs")


def dbt_target(warehouse: Path) -> Path:
    """dbt's target folder (manifest, run results, static docs) for a warehouse."""
    key = hashlib.sha256(str(warehouse).encode()).hexdigest()[:8]
    return PROJECT_DIR / "build" / "dbt" / key / "target"


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


def split_history_failures(result: DbtResult, target: Path) -> list[str]:
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
