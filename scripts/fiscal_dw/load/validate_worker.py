"""Great Expectations in a process of its own, beside dbt.

dbt runs in the run's process (``load/dbt.py``); Great Expectations in the same process would
share one interpreter lock with it, and importing GX alone takes seconds. So a load starts
this worker before its build: it imports GX and opens its context while dbt builds, then
validates the marts (on a copy of the built file) while dbt runs its data tests, on the
other core. It holds one ``Validation`` (one GX context, one Data Docs site, one report),
driven through a pipe with the same calls: ``run(warehouse, suites)`` and ``finish(warehouse)``.
"""
from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Sequence

from fiscal_dw.load.validation_results import ValidationReport


def _serve(connection: Connection, results_dir: Path, data_docs_dir: Path, run_name: str) -> None:
    from fiscal_dw.load.validate import Validation

    try:
        session = Validation(results_dir, data_docs_dir=data_docs_dir, run_name=run_name)
    except BaseException as error:  # reported on the first call
        session, failed = None, error
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        try:
            if session is None:
                raise failed
            if request[0] == "run":
                session.run(request[1], request[2])
                connection.send(("ok", None))
            elif request[0] == "finish":
                connection.send(("ok", session.finish(request[1])))
                return
        except BaseException as error:
            try:
                connection.send(("error", error))
            except Exception:  # an exception that does not pickle
                connection.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))


class ValidationProcess:
    """A ``Validation`` living in a worker process (started at once, so GX is imported while
    the caller does something else)."""

    def __init__(self, results_dir: Path, *, data_docs_dir: Path, run_name: str) -> None:
        context = multiprocessing.get_context("spawn")  # a clean interpreter: no dbt, no threads
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, results_dir, data_docs_dir, run_name),
                                         name="great-expectations", daemon=True)
        self._process.start()
        child.close()

    def _call(self, *request: Any) -> Any:
        try:
            self._connection.send(request)
            status, value = self._connection.recv()
        except (EOFError, OSError) as error:
            raise RuntimeError(f"the Great Expectations worker stopped (exit {self._process.exitcode})") from error
        if status == "error":
            raise value
        return value

    def run(self, warehouse: Path, suites_dir: Path | Sequence[Path]) -> None:
        self._call("run", Path(warehouse), suites_dir)

    def finish(self, warehouse: Path) -> ValidationReport:
        report = self._call("finish", Path(warehouse))
        self.close()
        return report

    def close(self) -> None:
        """Stop the worker (done, or the load ended early)."""
        self._connection.close()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
