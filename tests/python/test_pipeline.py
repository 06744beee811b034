"""The whole pipeline (`fiscal-dw run`) into temporary warehouses, then the marts as an analyst sees them."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import FinishedRun, expected_run_exit, final_accounts_id, seeds_fingerprint

PROJECT_DIR = Path(__file__).resolve().parents[2]
FISCAL_DW = Path(sys.executable).parent / "fiscal-dw"
JINAN, QINGDAO = "济南市大数据局", "青岛市大数据发展管理局"


def fiscal_dw(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FISCAL_DW), *args], cwd=PROJECT_DIR, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def run_on_documents(documents_load: FinishedRun):
    """The session's load of the real documents (conftest), read-only here."""
    warehouse = documents_load.warehouse
    assert documents_load.returncode == expected_run_exit(warehouse), documents_load.output
    assert documents_load.seeds_unchanged, "a run on a documents folder rewrote the committed seeds"
    return warehouse, documents_load.stdout


@pytest.fixture(scope="module")
def marts(run_on_documents):
    warehouse, _ = run_on_documents
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


def test_run_prints_a_summary_with_the_elapsed_time(run_on_documents) -> None:
    warehouse, output = run_on_documents
    assert "extract: 4 document(s)" in output
    assert "rejects: 0" in output
    assert re.search(rf"run: published load \S+ with \d+ error findings? \(exit {expected_run_exit(warehouse)}\) "
                     r"in \d+\.\d s", output)


def test_every_document_is_recorded_by_kind(marts) -> None:
    kinds = dict(marts.execute(
        "select document_kind, count(*) from marts.dim_document group by all").fetchall())
    assert kinds == {"final_accounts": 2, "project_self_evaluation": 1, "performance_evaluation": 1}


@pytest.mark.parametrize(("department", "total", "basic", "project"), [
    (JINAN, "15244.45", "2654.39", "12590.06"), (QINGDAO, "12926.73", "2003.07", "10923.66")])
def test_department_year_headlines(marts, department: str, total: str, basic: str,
                                   project: str) -> None:
    row = marts.execute(
        "select expenditure_total_wan, basic_wan, project_wan, basic_share + project_share "
        "from marts.fct_department_year where document_id = ?",
        [final_accounts_id(marts, department)]).fetchone()
    assert row[:3] == (Decimal(total), Decimal(basic), Decimal(project))
    assert abs(row[3] - 1) < Decimal("0.0001")


def test_functional_facts_are_exactly_as_printed(marts) -> None:
    row = marts.execute(
        "select total_wan, basic_wan, project_wan, source_line from marts.fct_expenditure_by_function "
        "where document_id = ? and source_table = '公开03' and subject_code = '2010350'",
        [final_accounts_id(marts, JINAN)]).fetchone()
    assert row == (Decimal("2274.54"), Decimal("1131.40"), Decimal("1143.14"), 207)
    blank_basic = marts.execute(
        "select basic_wan from marts.fct_expenditure_by_function "
        "where document_id = ? and source_table = '公开05' and subject_code = '2150599'",
        [final_accounts_id(marts, JINAN)]).fetchone()
    assert blank_basic == (Decimal("0.00"),)


def test_three_public_expenses_with_execution_rate(marts) -> None:
    rows = dict((item, (budget, actual, rate)) for item, budget, actual, rate in marts.execute(
        "select expense_item, budget_wan, actual_wan, execution_rate "
        "from marts.fct_three_public_expenses where document_id = ?",
        [final_accounts_id(marts, QINGDAO)]).fetchall())
    assert rows["vehicles"][:2] == (Decimal("2.50"), Decimal("1.00"))
    assert rows["vehicles"][2] == Decimal("0.4")
    assert rows["official_reception"][2] == Decimal("1.5")
    assert rows["overseas_travel"][2] is None  # budget 0: no rate, not 0 and not infinity


def test_subject_dimension_has_levels_and_parents(marts) -> None:
    rows = dict((code, (level, parent)) for code, level, parent in marts.execute(
        "select subject_code, subject_level, parent_code from marts.dim_function_subject").fetchall())
    assert rows["2010301"] == (3, "20103")
    assert rows["20103"] == (2, "201")
    assert rows["201"] == (1, None)


# The standard tables (公开01–09) of the two final-accounts documents; the performance
# rules (self-evaluations, summaries, evaluation reports) are asserted in
# test_performance_marts.py.
STANDARD = "c.rule_domain = 'standard_tables'"


def test_reconciliation_has_one_row_per_rule_document_scope(marts) -> None:
    total, distinct = marts.execute(
        "select count(*), count(distinct (rule_id, document_id, scope)) "
        "from marts.fct_reconciliation_checks").fetchone()
    assert total == distinct and total > 200
    documents = marts.execute(
        "select count(distinct document_id) from marts.fct_reconciliation_checks c "
        f"where {STANDARD}").fetchone()
    assert documents == (2,)


def test_reconciliation_fails_only_where_the_document_is_inconsistent(marts) -> None:
    failing = marts.execute(
        "select d.department_name, c.rule_id, c.scope, c.difference, c.tolerance "
        "from marts.fct_reconciliation_checks c join marts.dim_document d using (document_id) "
        f"where c.status in ('fail', 'not_evaluable') and {STANDARD}").fetchall()
    assert failing == []
    # Published (inventory §3 A18): 公用经费合计 150.98 against Σ items 151.01. The total and
    # each printed item may be off by half a unit (0.005): the envelope is 0.005 for every
    # figure printed, read from the printed text, so 0.03 is rounding.
    lhs, rhs, difference, tolerance, status = marts.execute(
        "select c.lhs_value, c.rhs_value, c.difference, c.tolerance, c.status "
        "from marts.fct_reconciliation_checks c join marts.dim_document d using (document_id) "
        "where d.department_name = ? and c.rule_id = 'econ_public_total_items'", [JINAN]).fetchone()
    printed = marts.execute(
        "select count(*) filter (where e.amount_printed like '%.__') "
        "from staging.stg_extract__basic_expenditure_by_economic e join marts.dim_document d using (document_id) "
        "where d.department_name = ? and e.expense_category = 'public' and e.economic_level = 2", [JINAN]).fetchone()[0]
    assert (lhs, rhs, abs(difference)) == (Decimal("150.98"), Decimal("151.01"), Decimal("0.03"))
    assert tolerance == Decimal("0.005") * (printed + 1) and status == "rounding"


def test_rounding_differences_are_classified_as_rounding(marts) -> None:
    rounding = dict(marts.execute(
        "select d.department_name, count(*) from marts.fct_reconciliation_checks c "
        f"join marts.dim_document d using (document_id) where c.status = 'rounding' and {STANDARD} "
        "group by all").fetchall())
    # e.g. Jinan Σ 类 15,244.44 vs 合计 15,244.45; Qingdao 公开03 基本支出 Σ 类 2,003.06 vs 2,003.07
    assert rounding.get(JINAN, 0) > 0 and rounding.get(QINGDAO, 0) > 0
    beyond = marts.execute(
        "select count(*) from marts.fct_reconciliation_checks "
        "where status = 'rounding' and abs(difference) > tolerance").fetchone()[0]
    assert beyond == 0


def test_validate_fails_naming_the_expectation_when_a_mart_is_tampered(run_on_documents,
                                                                      tmp_path: Path) -> None:
    warehouse, _ = run_on_documents
    assert fiscal_dw("validate", "--warehouse", str(warehouse)).returncode == 0
    tampered = tmp_path / "tampered.duckdb"
    shutil.copy(warehouse, tampered)
    with duckdb.connect(str(tampered)) as connection:
        connection.execute("update marts.fct_department_year set basic_share = 1.5")
    process = fiscal_dw("validate", "--warehouse", str(tampered))
    assert process.returncode == 1, process.stdout
    assert "fct_department_year" in process.stdout
    assert "basic_share" in process.stdout


def test_run_without_documents_builds_from_the_committed_seeds(seeds_load: FinishedRun) -> None:
    warehouse = seeds_load.warehouse
    assert seeds_load.returncode == expected_run_exit(warehouse), seeds_load.output
    # dbt writes a seed's load SQL under target/run/<seed path>: the CSVs must survive it
    assert seeds_load.seeds_unchanged and seeds_fingerprint()
    assert "building from the committed seeds" in seeds_load.stdout
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.fct_department_year").fetchone() == (2,)


def test_run_reports_a_missing_documents_folder_as_bad_input(tmp_path: Path) -> None:
    process = fiscal_dw("run", "--docs", str(tmp_path / "nowhere"),
                        "--warehouse", str(tmp_path / "x.duckdb"))
    assert process.returncode == 2
    assert "documents folder not found" in process.stdout


@pytest.mark.slow  # sqlfluff's dbt templater compiles the project
def test_sql_is_lint_clean() -> None:
    sqlfluff = Path(sys.executable).parent / "sqlfluff"
    # the dbt templater opens the profile's warehouse: keep it off any file a build may hold
    environment = {**os.environ, "FISCAL_DW_WAREHOUSE": ":memory:"}
    process = subprocess.run([str(sqlfluff), "lint", "models/"], cwd=PROJECT_DIR, env=environment,
                             capture_output=True, text=True, timeout=600)
    assert process.returncode == 0, process.stdout[-4000:] + process.stderr[-2000:]


@pytest.mark.slow
def test_a_load_started_from_another_folder_with_relative_paths(tmp_path: Path) -> None:
    """An operator runs the tool from their own folder: the documents and the warehouse given
    relative to it, the raw CSVs still found by dbt."""
    (tmp_path / "docs").mkdir()
    shutil.copy(PROJECT_DIR / "tests/fixtures/documents/tab_layout_final_accounts.txt", tmp_path / "docs")
    process = subprocess.run([str(FISCAL_DW), "run", "--docs", "docs", "--warehouse", "out/fiscal.duckdb"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=900)
    warehouse = tmp_path / "out" / "fiscal.duckdb"
    assert warehouse.exists(), process.stdout + process.stderr
    assert process.returncode == expected_run_exit(warehouse), process.stdout + process.stderr
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute("select count(*) from marts.fct_income_expenditure_summary").fetchone()[0]
    assert rows > 0


def test_a_warehouse_named_after_a_duckdb_database_is_refused(tmp_path: Path) -> None:
    process = fiscal_dw("run", "--docs", str(PROJECT_DIR / "tests/fixtures/documents"),
                        "--warehouse", str(tmp_path / "main.duckdb"))
    assert process.returncode == 2, process.stdout + process.stderr
    assert "main.duckdb is not possible" in process.stdout
    assert not (tmp_path / "main.duckdb").exists()
