"""The project-performance marts on the real documents (`fiscal-dw run --docs`): the published
inconsistencies of the inventories show up as findings, by their figures, without any
document-specific code, and everything else passes or is rounding."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import FinishedRun, expected_run_exit

PROJECT_DIR = Path(__file__).resolve().parents[2]
JINAN, QINGDAO, JINCHENG = "济南市大数据局", "青岛市大数据发展管理局", "晋城市大数据应用局"


@pytest.fixture(scope="module")
def warehouse(documents_load: FinishedRun) -> Path:
    """The session's load of the real documents (conftest), read-only here."""
    # the exit code also covers the Great Expectations suites of the performance marts
    assert documents_load.returncode == expected_run_exit(documents_load.warehouse), documents_load.output
    return documents_load.warehouse


@pytest.fixture(scope="module")
def marts(warehouse: Path):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


def document_id(marts, department: str, year: int) -> str:
    [(found,)] = marts.execute(
        "select document_id from marts.dim_document where department_name = ? and fiscal_year = ?",
        [department, year]).fetchall()
    return found


def checks(marts, department: str, year: int, rule_id: str, status: str | None = None) -> list[tuple]:
    query = ("select scope, lhs_value, rhs_value, difference, status, lhs_source_lines, rhs_source_lines "
             "from marts.fct_reconciliation_checks where document_id = ? and rule_id = ?")
    parameters = [document_id(marts, department, year), rule_id]
    if status is not None:
        query += " and status = ?"
        parameters.append(status)
    return marts.execute(query + " order by scope", parameters).fetchall()


def test_jincheng_tables_print_100_percent_where_the_prose_states_40_to_97(marts) -> None:
    failing = checks(marts, JINCHENG, 2022, "perf_summary_rate", "fail")
    # inventory-evaluation-reports B.3 J-C10: table 100 vs prose 60/40/40/41.76/14/96.79/60/13.94 %
    assert len(failing) == 8, failing
    assert {row[2] for row in failing} == {Decimal("1")}
    assert sorted(row[1] for row in failing) == [Decimal(v) for v in (
        "0.14", "0.14", "0.40", "0.40", "0.42", "0.60", "0.60", "0.97")]
    # the ninth report (R8) prints 0 and states 0 %: consistent
    passing = checks(marts, JINCHENG, 2022, "perf_summary_rate", "pass")
    assert [(row[1], row[2]) for row in passing] == [(Decimal("0"), Decimal("0"))]


def test_jincheng_table_rates_are_consistent_with_their_own_columns(marts) -> None:
    # the table itself is consistent (全年预算数 = 全年执行数, so 100); R8 has A = 0: not computable
    rows = checks(marts, JINCHENG, 2022, "perf_rate_b_over_a")
    assert len(rows) == 8 and {row[4] for row in rows} == {"pass"}
    r8 = marts.execute(
        "select execution_rate_computed, budget_score_computed, execution_rate_status "
        "from marts.fct_project_self_evaluation where document_id = ? and project_seq = 8",
        [document_id(marts, JINCHENG, 2022)]).fetchone()
    assert r8 == (None, None, None)


def test_qingdao_transfer_summary_scores_90_against_100_in_its_table(marts) -> None:
    failing = checks(marts, QINGDAO, 2023, "perf_summary_score", "fail")
    assert [(row[1], row[2]) for row in failing] == [(Decimal("90"), Decimal("100"))]
    assert failing[0][0].startswith("对下转移支付绩效自评情况汇总表")


def test_qingdao_indicators_printed_5_4_where_the_rule_gives_5_33(marts) -> None:
    failing = checks(marts, QINGDAO, 2023, "perf_indicator_score_rule", "fail")
    assert [(row[1], row[2], row[5]) for row in failing] == [
        (Decimal("5.4"), Decimal("5.33"), "5766"), (Decimal("5.4"), Decimal("5.33"), "5784")]
    # the one below-target score that follows the rule: 2858 / 3200 × 6.66 = 5.948 -> 5.95
    followed = marts.execute(
        "select score_printed, score_computed, score_status from marts.fct_performance_indicators "
        "where document_id = ? and source_line = 8036", [document_id(marts, QINGDAO, 2023)]).fetchone()
    assert followed == (Decimal("5.95"), Decimal("5.95"), "pass")


def test_reverse_indicators_with_an_actual_of_zero_are_not_computable(marts) -> None:
    # inventory-qingdao §3.6 S6: ≤4小时 with 0小时, ≤2个 with 0 — A/B is undefined
    rows = marts.execute(
        "select source_line, direction, score_basis, score_computed, score_status "
        "from marts.fct_performance_indicators where document_id = ? and source_line in (8053, 8453) "
        "order by source_line", [document_id(marts, QINGDAO, 2023)]).fetchall()
    assert rows == [(8053, "negative", "zero_denominator", None, None),
                    (8453, "negative", "zero_denominator", None, None)]


def test_jinan_duplicated_table_and_summary_row_without_a_table(marts) -> None:
    copies = checks(marts, JINAN, 2023, "perf_table_printed_once", "fail")
    assert [(row[1], row[5]) for row in copies] == [(Decimal("2"), "781,985")]
    unmatched = checks(marts, JINAN, 2023, "perf_summary_row_matched", "fail")
    # row 7 济南市新型智慧城市建设提升项目 (99.23 %, 96.67) has no 自评表
    assert [(row[1], row[2], row[5]) for row in unmatched] == [(Decimal("1"), Decimal("0"), "727")]
    assert len(checks(marts, JINAN, 2023, "perf_summary_row_matched", "pass")) == 11
    # eight tables share the name 信息技术发展资金, yet every distinct table has one summary row
    assert {row[4] for row in checks(marts, JINAN, 2023, "perf_table_in_summary")} == {"pass"}


def test_summary_rows_are_matched_by_figures_not_names(marts) -> None:
    # Jinan summary rows 4 and 5 are identical (100 %, 99): they take tables 4 and 5 in order
    rows = marts.execute(
        "select s.row_seq, m.project_seq from intermediate.int_perf_statement_matches m "
        "join intermediate.int_perf_statements s using (statement_id) "
        "where s.document_id = ? and s.statement_kind = 'summary' order by s.row_seq",
        [document_id(marts, JINAN, 2023)]).fetchall()
    assert dict(rows) == {1: 1, 2: 3, 3: 6, 4: 4, 5: 5, 6: 2, 8: 8, 9: 9, 10: 10, 11: 11, 12: 12}


def test_qingdao_2020_sub_projects_sum_to_1087_81_against_1087_80(marts) -> None:
    rounding = checks(marts, QINGDAO, 2020, "lines_items_subtotal", "rounding")
    assert [(row[1], row[2]) for row in rounding] == [(Decimal("1087.80"), Decimal("1087.81"))]
    total = checks(marts, QINGDAO, 2020, "lines_items_total", "rounding")
    assert [(row[1], row[2]) for row in total] == [(Decimal("4495.10"), Decimal("4495.11"))]
    assert not checks(marts, QINGDAO, 2020, "lines_spend_within_budget", "fail")


def test_budget_score_is_recomputed_half_up(marts) -> None:
    # 79.8 / 80 × 10 = 9.975 -> 9.98 (binary-float rounding gives 9.97); Qingdao 909.18 / 972.09 × 10 -> 9.35
    rows = dict(marts.execute(
        "select d.department_name || ':' || f.source_line, f.budget_score_computed "
        "from marts.fct_project_self_evaluation f join marts.dim_document d using (document_id) "
        "where f.source_line in (781, 7741)").fetchall())
    assert rows == {f"{JINAN}:781": Decimal("9.98"), f"{QINGDAO}:7741": Decimal("9.35")}


def test_amounts_in_yuan_are_converted_exactly(marts) -> None:
    row = marts.execute(
        "select amount_unit, adjusted_budget_wan, executed_wan from marts.fct_project_self_evaluation "
        "where document_id = ? and project_seq = 6", [document_id(marts, JINCHENG, 2022)]).fetchone()
    assert row == ("元", Decimal("4839.362205"), Decimal("4839.362205"))


def test_every_other_performance_check_passes_or_is_rounding(marts) -> None:
    failing = Counter(marts.execute(
        "select d.department_name || ' ' || d.fiscal_year || ' ' || c.rule_id "
        "from marts.fct_reconciliation_checks c join marts.dim_document d using (document_id) "
        "where c.rule_domain = 'performance' and c.status = 'fail'").fetchall())
    expected = {
        # the findings above
        f"{JINCHENG} 2022 perf_summary_rate": 8,
        f"{QINGDAO} 2023 perf_summary_score": 1,
        f"{QINGDAO} 2023 perf_indicator_score_rule": 2,
        f"{JINAN} 2023 perf_table_printed_once": 1,
        f"{JINAN} 2023 perf_summary_row_matched": 1,
        # explained by the inventories: J-C11 (R1 prose 60 % vs 156.39 / 250 = 62.56 %);
        # J-C21/J-C22 (R2 9.9 for a met cost target, R5 10 / 1.25 / 1.4 against the rule);
        # Jinan §3 C13 (1217 0.8年 of 1年 scored full) and seven deductions with a 偏差原因
        # on met targets or above the rule (751, 843, 844, 869, 907, 960, 1134);
        # Jinan §3 D30 (R4 breakdown 20 + 30 + 43 = 93 vs 98.57); Qingdao §3.5 D2
        # (表1 row 51 国资委 spends 749,000 of 748,970 元)
        f"{JINCHENG} 2022 perf_stated_rate_initial_budget": 1,
        f"{JINCHENG} 2022 perf_indicator_score_rule": 4,
        f"{JINAN} 2023 perf_indicator_score_rule": 8,
        f"{JINAN} 2023 eval_breakdown_prose_total": 1,
        f"{QINGDAO} 2023 lines_spend_within_budget": 1,
    }
    assert {key[0]: count for key, count in failing.items()} == expected


def test_department_year_counts_only_the_standard_tables(marts) -> None:
    mismatched = marts.execute(
        "select y.document_id from marts.fct_department_year y "
        "join marts.fct_reconciliation_checks c using (document_id) "
        "where c.rule_domain = 'standard_tables' group by y.document_id, y.checks_total "
        "having y.checks_total <> count(*)").fetchall()
    assert mismatched == []
    # the fail count is the standard-table fails, whatever the performance rules found
    miscounted = marts.execute(
        "select y.document_id, y.checks_fail, count(c.check_id) filter (where c.status = 'fail') "
        "from marts.fct_department_year y join marts.fct_reconciliation_checks c using (document_id) "
        "where c.rule_domain = 'standard_tables' group by all "
        "having y.checks_fail <> count(c.check_id) filter (where c.status = 'fail')").fetchall()
    assert miscounted == []
    performance_fails = dict(marts.execute(
        "select d.department_name, count(*) from marts.fct_reconciliation_checks c "
        "join marts.dim_document d using (document_id) "
        "where c.rule_domain = 'performance' and c.status = 'fail' group by 1").fetchall())
    assert performance_fails, "the performance rules find the documents' own contradictions"
