"""A test hook that makes a run die as a power cut would, at a named point.

With ``FISCAL_DW_KILL_AT=<point>`` in its environment, a run that reaches ``<point>`` kills
itself with SIGKILL (its whole process group when it leads one, so dbt and the extraction
workers die with it): no ``finally`` block, no exit handler runs. The value is a shell
pattern (``fnmatch``), so ``"dbt build: 20/*"`` matches the 20th node of the dbt build.
Without the variable (every normal run) ``kill_point`` does nothing. The points are listed
in docs/loads.md ("When a run dies"); tests/python/test_kill_points.py kills a run at each.
"""
from __future__ import annotations

import os
import signal
import sys
from fnmatch import fnmatchcase

KILL_AT_ENV = "FISCAL_DW_KILL_AT"


def kill_point(name: str) -> None:
    """Die here (SIGKILL) when ``FISCAL_DW_KILL_AT`` matches ``name``; else nothing."""
    pattern = os.environ.get(KILL_AT_ENV)
    if not pattern or not fnmatchcase(name, pattern):
        return
    print(f"\nkill point {name!r}: SIGKILL", flush=True)
    sys.stderr.flush()
    if os.getpgid(0) == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
