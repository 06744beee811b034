"""What a run prints while it works: plain lines, ``[n/N] stage`` progress and a live counter."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator

from fiscal_dw.load.crash import kill_point

# How an input message is marked on screen, by severity (also their order of importance).
MESSAGE_MARKS = {"error": "!!", "warning": " !", "info": " i"}


def say(message: str) -> None:
    print(message, flush=True)


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
        say(f"[{self.current}/{self.stages}] {name}{' - ' + detail if detail else ''}")
        yield
        outcome = "stopped the run" if self.stopped else "done"
        self.seconds[name] = round(time.monotonic() - started, 2)
        say(f"      {name} {outcome} in {self.seconds[name]:.1f} s")

    def stop(self, status: int) -> int:
        """Mark the current stage as the one that ended the run; returns ``status``."""
        self.stopped = True
        return status

    def tick(self, text: str) -> None:
        kill_point(text)  # a test hook, inert unless FISCAL_DW_KILL_AT is set (load/crash.py)
        if self.live:
            print(f"\r      {text}\033[K", end="", flush=True)

    def end_ticks(self) -> None:
        if self.live:
            print("\r\033[K", end="", flush=True)
