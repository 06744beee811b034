"""Shared by the test modules: the real documents (skipped with a reason when ../shared is
absent), and the warehouses several modules read, each built once per session.

Markers (pyproject.toml): ``slow`` for a test that runs dbt, a whole load or a browser;
``pytest -m "not slow"`` is the fast inner loop, the README's test command runs everything.
A test that uses one of the session loads below is marked ``slow`` here, whatever its module.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
SHARED_DOCUMENTS = PROJECT_DIR.parent / "shared" / "documents"
FISCAL_DW = Path(sys.executable).parent / "fiscal-dw"
# fixtures that build a warehouse: a test using one is slow
BUILDING_FIXTURES = frozenset({"documents_load", "seeds_load", "real_load", "loads", "bad_load", "detection"})

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_documents() -> Path:
    if not SHARED_DOCUMENTS.is_dir():
        pytest.skip(f"real documents not found at {SHARED_DOCUMENTS} (CI has ../shared beside the repo)")
    return SHARED_DOCUMENTS


def seeds_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((PROJECT_DIR / "seeds").rglob("*.csv")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class FinishedRun:
    """A finished `fiscal-dw run` into its own warehouse."""

    warehouse: Path
    returncode: int
    stdout: str
    stderr: str
    seeds_unchanged: bool  # the committed seeds are byte for byte what they were before

    @property
    def output(self) -> str:
        return self.stdout[-4000:] + self.stderr[-4000:]


def fiscal_dw_run(warehouse: Path, documents: Path | None = None, timeout: int = 900) -> FinishedRun:
    before = seeds_fingerprint()
    process = subprocess.run([str(FISCAL_DW), "run", "--warehouse", str(warehouse),
                              *(["--docs", str(documents)] if documents else [])],
                             cwd=PROJECT_DIR, capture_output=True, text=True, timeout=timeout)
    return FinishedRun(warehouse, process.returncode, process.stdout, process.stderr,
                       seeds_fingerprint() == before)


@pytest.fixture(scope="session")
def documents_load(shared_documents: Path, tmp_path_factory: pytest.TempPathFactory) -> FinishedRun:
    """`fiscal-dw run --docs ../shared/documents` once per session, shared by the tests that
    only read its warehouse (test_pipeline, test_narrative_marts, test_performance_marts,
    test_validate). A run that builds no warehouse fails them; it is never a skip."""
    run = fiscal_dw_run(tmp_path_factory.mktemp("documents_load") / "fiscal.duckdb", shared_documents)
    assert run.warehouse.is_file(), run.output
    return run


@pytest.fixture(scope="session")
def seeds_load(tmp_path_factory: pytest.TempPathFactory) -> FinishedRun:
    """`fiscal-dw run` on the committed seeds once per session (what CI and a fresh clone run)."""
    run = fiscal_dw_run(tmp_path_factory.mktemp("seeds_load") / "fiscal.duckdb")
    assert run.warehouse.is_file(), run.output
    return run


@pytest.fixture(scope="session")
def real_load(request: pytest.FixtureRequest) -> FinishedRun:
    """The load on the real documents when ../shared is there, else on the committed seeds."""
    return request.getfixturevalue("documents_load" if SHARED_DOCUMENTS.is_dir() else "seeds_load")


def expected_run_exit(warehouse: Path) -> int:
    """What `fiscal-dw run` must exit with for the warehouse it built, read from the marts:
    1 when a reconciliation check of error severity failed, else 0 (the callers' documents
    all load, and their dbt tests and expectations pass)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        (failed,) = connection.execute(
            "select count(*) from marts.fct_reconciliation_checks "
            "where status = 'fail' and severity = 'error'").fetchone()
    return 1 if failed else 0


def final_accounts_id(connection, department: str) -> str:
    """The document_id of a department's final accounts in a built warehouse."""
    [(found,)] = connection.execute(
        "select document_id from marts.dim_document where department_name = ? "
        "and document_kind = 'final_accounts'", [department]).fetchall()
    return found


# the narrative rules that restate one table cell (the bound: the figure's half unit and the cell's)
ONE_CELL_RESTATEMENTS = ("narr_totals", "narr_income_sources", "narr_expenditure_kinds", "narr_class_amounts",
                         "narr_function_final_amounts", "narr_basic_amounts", "narr_three_public_amounts")


def printed_half_unit(text: str) -> Decimal:
    """Half a display unit of a narrative figure as printed, in the rules' unit (万元, or a ratio
    for a percentage): "377.5万元" -> 0.05, "1,200 元" -> 0.00005, "86.9%" -> 0.0005."""
    text = re.sub(r"\s", "", text)  # a figure broken over lines or spaced out ("12,92 7 . 3 5万\n元")
    number = re.search(r"\d[\d,]*(?:\.(\d+))?", text)
    assert number, text
    half = Decimal("0.5").scaleb(-len(number.group(1) or ""))
    if "%" in text or "％" in text:
        return half / 100
    return half * (Decimal(10000) if "亿元" in text else Decimal("0.0001") if "万元" not in text and "元" in text
                   else Decimal(1))


def narrative_envelope_violations(connection) -> tuple[list[tuple], Counter]:
    """Rows of the narrative rules of tolerance_policy envelope that are not held to their own
    bound, and how many rows of each kind were examined: an evaluable row without a bound or
    whose status does not follow from it; a restatement of one table cell whose bound, less the
    figure's half unit read here from its printed text, is not the cell's half unit (0 for a
    blank, 0.005 at two decimals, 0.0005 at three …); a rate or share below half a unit of its
    printed precision."""
    rows = connection.execute(
        "select c.rule_id, c.scope, c.difference, c.tolerance, c.status, c.value_unit, f.value_text "
        "from marts.fct_reconciliation_checks c join raw.rule_registry r using (rule_id) "
        "left join marts.fct_narrative_figures f on f.document_id = c.document_id "
        "and f.figure_seq = try_cast(regexp_extract(c.scope, '#(\\d+)$', 1) as integer) "
        "where c.rule_domain = 'narrative' and r.tolerance_policy = 'envelope' "
        "and c.difference is not null").fetchall()
    cell_halves = {Decimal(0)} | {Decimal("0.5").scaleb(-k) for k in range(7)}
    violations, examined = [], Counter()
    for rule_id, scope, difference, tolerance, status, unit, printed in rows:
        examined["rows"] += 1
        expected = (None if tolerance is None else "pass" if difference == 0
                    else "rounding" if abs(difference) <= tolerance else "fail")
        if expected is None or status != expected:
            violations.append((rule_id, scope, difference, tolerance, status))
            continue
        if printed is None:  # a check of several figures, named by no #figure_seq
            continue
        half = printed_half_unit(printed)
        if rule_id in ONE_CELL_RESTATEMENTS and scope.startswith("情况说明>") and ".budget_change:" not in scope:
            examined["one_cell"] += 1
            if tolerance - half not in cell_halves:
                violations.append((rule_id, scope, printed, tolerance, "bound is not figure + cell half units"))
        elif unit == "ratio" and "%" in printed:
            examined["rates"] += 1
            if tolerance < half:
                violations.append((rule_id, scope, printed, tolerance, "bound below the printed half unit"))
    return violations, examined

