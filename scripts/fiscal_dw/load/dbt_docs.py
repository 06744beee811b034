"""The dbt docs site, generated only when the project changes; a load never waits for it.

A site depends on the project's files (models, macros, dbt tests, seeds, ``dbt_project.yml``,
``profiles.yml``), the vars, the raw tables' columns and the dbt version: their fingerprint
(``load/fingerprint.py``) names it, ``build/dbt/docs/<fingerprint>/index.html``. A load whose fingerprint already has a
site copies it into its report. Otherwise, once the load is published, a background
process (detached, at low priority: the run does not wait for it) copies the published
warehouse, runs ``dbt docs generate --static`` on the copy (one writer per DuckDB file;
readers of the warehouse are never blocked), keeps the site under its fingerprint and writes
it into the report of the load that started it.

Run: ``python -m fiscal_dw.load.dbt_docs --fingerprint F --warehouse W --raw-dir R --into FILE
[--vars V]`` (what ``DocsSite.deliver`` starts).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from fiscal_dw import PROJECT_DIR
from fiscal_dw.load.files import LoadPaths

DOCS_DIR = PROJECT_DIR / "build" / "dbt" / "docs"
SITE_FILE = "index.html"


@dataclass
class DocsSite:
    fingerprint: str
    vars: str | None
    raw_dir: Path
    seconds: float = 0.0  # what the load spent on its docs: the fingerprint and a copy
    started: bool = False  # a background generation was started by this load

    @property
    def site(self) -> Path:
        return DOCS_DIR / self.fingerprint / SITE_FILE

    @property
    def cached(self) -> bool:
        return self.site.is_file()

    def describe(self) -> str:
        if self.started:
            return f"project changed (fingerprint {self.fingerprint}): generated in the background after publishing"
        if self.cached:
            return f"unchanged project (fingerprint {self.fingerprint}): the site generated before"
        return f"project changed (fingerprint {self.fingerprint}): generated in the background after publishing"

    def deliver(self, target: Path, warehouse: Path) -> None:
        """The site into ``target`` now when there is one; else start its generation in the
        background from the published ``warehouse`` (it writes ``target`` when done)."""
        started = time.monotonic()
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.cached:
            shutil.copyfile(self.site, target)
        else:
            log = DOCS_DIR / f"{self.fingerprint}.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("ab") as output:
                subprocess.Popen(
                    [sys.executable, "-m", "fiscal_dw.load.dbt_docs", "--fingerprint", self.fingerprint,
                     "--warehouse", str(warehouse), "--raw-dir", str(self.raw_dir), "--into", str(target),
                     "--history", str(LoadPaths.for_warehouse(warehouse).history),
                     *(["--vars", self.vars] if self.vars else [])],
                    cwd=PROJECT_DIR, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                    start_new_session=True, close_fds=True)
            self.started = True
        self.seconds = round(self.seconds + time.monotonic() - started, 2)


def docs_site(fingerprint: str, vars_: str | None, raw_dir: Path) -> DocsSite:
    """The site of a project fingerprint (``load/fingerprint.py``)."""
    return DocsSite(fingerprint, vars_, raw_dir)


def generate(fingerprint: str, warehouse: Path, raw_dir: Path, into: Path, vars_: str | None,
             history: Path | None = None) -> int:
    """``dbt docs generate --static`` on a copy of ``warehouse``; the site kept under its
    fingerprint and copied to ``into``. Returns dbt's outcome (0 ok)."""
    from fiscal_dw.load.dbt import Dbt, dbt_environment

    with suppress(OSError):
        os.nice(10)
    work = DOCS_DIR / f".{fingerprint}.{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    copy = work / warehouse.name  # same name: DuckDB names the catalog after the file
    copy.parent.mkdir(parents=True)
    try:
        shutil.copyfile(warehouse, copy)
        dbt_environment(raw_dir, copy, artefacts_for=copy, history=history)
        os.environ["DBT_TARGET_PATH"] = str(work / "target")
        os.environ["DBT_LOG_PATH"] = str(work / "logs")
        result = Dbt(vars_).run(["docs", "generate", "--static"], "dbt docs generate")
        static = work / "target" / "static_index.html"
        if not result.ok or not static.is_file():
            print(result.failure_text(), flush=True)
            return result.returncode or 1
        site = DOCS_DIR / fingerprint
        partial = DOCS_DIR / f".{fingerprint}.{os.getpid()}.site"
        partial.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(static, partial / SITE_FILE)
        if not site.exists():
            with suppress(OSError):  # another load's generation was first
                os.replace(partial, site)
        into.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(static, into.with_name(into.name + ".partial"))
        os.replace(into.with_name(into.name + ".partial"), into)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(DOCS_DIR / f".{fingerprint}.{os.getpid()}.site", ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fiscal_dw.load.dbt_docs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fingerprint", required=True)
    parser.add_argument("--warehouse", required=True, type=Path)
    parser.add_argument("--raw-dir", required=True, type=Path)
    parser.add_argument("--into", required=True, type=Path)
    parser.add_argument("--vars", default=None)
    parser.add_argument("--history", type=Path, default=None)
    args = parser.parse_args(argv)
    return generate(args.fingerprint, args.warehouse, args.raw_dir, args.into, args.vars, args.history)


if __name__ == "__main__":
    sys.exit(main())
