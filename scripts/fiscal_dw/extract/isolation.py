"""Each document read in a worker process under a time and a memory limit, so that one bad
file (a zip-bomb PDF, a 200 MB line, a regular expression gone quadratic, a crash in the
PDF library) becomes a message naming it and cannot stall or take down a load of thousands.

* time: a document not done after ``FISCAL_DW_DOCUMENT_TIMEOUT`` seconds (default 120) has
  its worker killed and replaced;
* memory: each worker's address space may grow by ``FISCAL_DW_DOCUMENT_MEMORY_MB`` (default
  2048) beyond what it held when it started (``RLIMIT_AS``); a document that needs more
  fails with MemoryError (or its worker dies), and the worker is replaced;
* a worker that dies (a signal, e.g. a segmentation fault in a native library) is replaced.

Results come back in the order of the inputs; only a few documents run ahead of it.
"""
from __future__ import annotations

import faulthandler
import multiprocessing
import os
import resource
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Generic, Iterator, Sequence, TypeVar

TIMEOUT_ENV = "FISCAL_DW_DOCUMENT_TIMEOUT"
MEMORY_ENV = "FISCAL_DW_DOCUMENT_MEMORY_MB"
DEFAULT_SECONDS = 120.0
DEFAULT_MEMORY_MB = 2048

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(frozen=True)
class Limits:
    seconds: float = DEFAULT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB

    @classmethod
    def from_environment(cls) -> "Limits":
        """The limits set in the environment, the defaults for what is not set (or not valid)."""
        def number(name: str, default: float) -> float:
            try:
                value = float(os.environ.get(name, ""))
            except ValueError:
                return default
            return value if value > 0 else default

        return cls(number(TIMEOUT_ENV, DEFAULT_SECONDS), int(number(MEMORY_ENV, DEFAULT_MEMORY_MB)))


@dataclass(frozen=True)
class Failed:
    """Why a document gave no result: ``reason`` reads after the file name."""

    reason: str


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


def _serve(connection: Connection, function: Callable[[Any], Any], memory_mb: int) -> None:
    """A worker: limit its own memory, then read items and send back ("ok", result),
    ("memory", "") or ("error", text) until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    faulthandler.disable()  # a crash is the parent's to report, as a message naming the file
    try:
        limit = _address_space() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (OSError, ValueError):  # pragma: no cover - no /proc or a lower hard limit
        pass
    while True:
        try:
            item = connection.recv()
        except EOFError:
            return
        if item is None:
            return
        try:
            outcome: tuple[str, Any] = ("ok", function(item))
        except MemoryError:
            outcome = ("memory", "")
        except RecursionError:
            outcome = ("error", "nested too deeply to be read (recursion limit)")
        except Exception as error:  # noqa: BLE001 - any failure of one document is its message
            outcome = ("error", f"could not be read ({type(error).__name__}: {str(error)[:300]})")
        try:
            connection.send(outcome)
        except MemoryError:
            connection.send(("memory", ""))


class _Worker(Generic[Item]):
    def __init__(self, function: Callable[[Item], Any], memory_mb: int) -> None:
        context = multiprocessing.get_context()
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, function, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.started = 0.0

    def give(self, index: int, item: Item) -> None:
        self.index, self.started = index, time.monotonic()
        self.connection.send(item)

    def stop(self, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                self.process.kill()
        self.process.join(5)
        if self.process.is_alive():  # pragma: no cover - a worker that ignores the stop
            self.process.kill()
            self.process.join()
        self.connection.close()


def map_limited(function: Callable[[Item], Result], items: Sequence[Item], workers: int,
                limits: Limits | None = None) -> Iterator[tuple[Item, Result | Failed]]:
    """``function(item)`` for every item in worker processes under ``limits``, yielded in the
    order of ``items``; a failure (limit hit, exception, worker died) as ``Failed``."""
    limits = limits or Limits.from_environment()
    pool = [_Worker(function, limits.memory_mb) for _ in range(max(1, min(workers, len(items))))]
    window = 4 * len(pool)  # how far the workers may run ahead of the results handed out
    done: dict[int, Result | Failed] = {}
    given = handed = 0
    try:
        while handed < len(items):
            for worker in pool:
                if worker.index is None and given < min(len(items), handed + window):
                    worker.give(given, items[given])
                    given += 1
            busy = [worker for worker in pool if worker.index is not None]
            deadline = min(worker.started for worker in busy) + limits.seconds
            ready = wait([worker.connection for worker in busy], timeout=max(0.0, deadline - time.monotonic()))
            for slot, worker in enumerate(pool):
                if worker.index is None:
                    continue
                outcome = _outcome(worker, ready, limits)
                if outcome is None:
                    continue
                done[worker.index] = outcome
                worker.index = None
                if isinstance(outcome, Failed) and not worker.process.is_alive() or _spent(outcome):
                    worker.stop(kill=True)
                    pool[slot] = _Worker(function, limits.memory_mb)
            while handed in done:
                yield items[handed], done.pop(handed)
                handed += 1
    finally:
        for worker in pool:
            worker.stop(kill=worker.index is not None)


def _spent(outcome: object) -> bool:
    """A worker that ran out of time or memory is not trusted with another document."""
    return isinstance(outcome, Failed) and outcome.reason.startswith(("took longer", "needed more"))


def _outcome(worker: _Worker[Any], ready: list[Any], limits: Limits) -> Any:
    """The worker's result when it has one, a ``Failed`` when it died or overran, else None."""
    if worker.connection in ready:
        try:
            status, value = worker.connection.recv()
        except (EOFError, OSError):
            worker.process.join(5)
            return Failed(_death(worker.process.exitcode, limits))
        if status == "ok":
            return value
        if status == "memory":
            return Failed(f"needed more than {limits.memory_mb} MB of memory (limit {MEMORY_ENV}); not loaded")
        return Failed(f"{value}; not loaded")
    if time.monotonic() - worker.started >= limits.seconds:
        worker.process.kill()
        return Failed(f"took longer than {limits.seconds:g} s to read (limit {TIMEOUT_ENV}); not loaded")
    return None


def _death(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        if -exitcode == signal.SIGKILL:  # the kernel's OOM killer, or the memory limit
            return (f"its reader was killed ({name}), most likely for memory "
                    f"(limit {limits.memory_mb} MB, {MEMORY_ENV}); not loaded")
        if -exitcode == signal.SIGABRT:  # what native libraries do when an allocation fails
            return (f"its reader crashed ({name}), most likely out of memory "
                    f"(limit {limits.memory_mb} MB, {MEMORY_ENV}); not loaded")
        return f"its reader crashed ({name}); not loaded"
    return f"its reader stopped unexpectedly (exit code {exitcode}); not loaded"
