"""The narrative marts on the real documents (`fiscal-dw run --docs`): every number of both
情况说明 is a row of fct_narrative_figures, and the narrative rules report the contradictions
the inventories list (inventory-jinan-2023.md §3 B, inventory-qingdao-2023.md §2, §3.3,
§3.7) by their figures, without any document-specific code; everything else passes or is
rounding."""
from __future__ import annotations

import csv
import json
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import FinishedRun, final_accounts_id, narrative_envelope_violations

PROJECT_DIR = Path(__file__).resolve().parents[2]
JINAN, QINGDAO = "济南市大数据局", "青岛市大数据发展管理局"
NARRATIVE = "c.rule_domain = 'narrative'"


@pytest.fixture(scope="module")
def warehouse(documents_load: FinishedRun) -> Path:
    """The session's load of the real documents (conftest), read-only here."""
    # 1: error-severity checks failed (the run reports the documents' contradictions that
    # way once it signals them in its exit code); anything else is a broken run
    assert documents_load.returncode in (0, 1), documents_load.output
    assert "dbt build failed" not in documents_load.stdout, documents_load.stdout[-4000:]
    assert "✓ fct_narrative_figures" in documents_load.stdout, documents_load.stdout[-4000:]
    return documents_load.warehouse


@pytest.fixture(scope="module")
def marts(warehouse: Path):
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


def checks(marts, department: str, rule_id: str, status: str | None = None) -> list[tuple]:
    query = ("select scope, lhs_value, rhs_value, difference, status, lhs_source_lines, rhs_source_lines "
             "from marts.fct_reconciliation_checks where document_id = ? and rule_id = ?")
    parameters = [final_accounts_id(marts, department), rule_id]
    if status is not None:
        query += " and status = ?"
        parameters.append(status)
    return marts.execute(query + " order by scope", parameters).fetchall()


def one(rows: list[tuple]) -> tuple:
    assert len(rows) == 1, rows
    return rows[0]


# --------------------------------------------------------------------------- the figures


def test_every_numeric_statement_of_both_narratives_is_a_figure(marts, warehouse: Path) -> None:
    figures = dict(marts.execute(
        "select d.source_file, count(*) from marts.fct_narrative_figures f "
        "join marts.dim_document d using (document_id) group by all").fetchall())
    # the raw CSV the run extracted (a run on documents reads it in place, no seed)
    summary = json.loads((warehouse.parent / "reports" / "latest" / "summary.json").read_text(encoding="utf-8"))
    raw_csv = PROJECT_DIR / summary["load"]["raw_dir"] / "raw_narrative_figures.csv"
    raw = dict(marts.execute(
        "select d.source_file, count(*) from read_csv(?, all_varchar = true) r "
        "join marts.dim_document d using (document_id) group by all", [str(raw_csv)]).fetchall())
    assert figures == raw
    # docs/raw_tables_narrative.md: 235 and 217 numbers, keyed or not; the committed seed agrees
    assert figures == {"jinan-bigdata-bureau-2023-final-accounts.txt": 235,
                       "qingdao-bigdata-bureau-2023-final-accounts.txt": 217}
    with (PROJECT_DIR / "seeds" / "raw" / "raw_narrative_figures.csv").open(encoding="utf-8") as handle:
        seed = Counter(row["document_id"] for row in csv.DictReader(handle))
    assert seed == Counter({final_accounts_id(marts, JINAN): 235, final_accounts_id(marts, QINGDAO): 217})
    keyed = dict(marts.execute(
        "select d.department_name, count(metric_key) from marts.fct_narrative_figures f "
        "join marts.dim_document d using (document_id) group by all").fetchall())
    assert keyed == {JINAN: 189, QINGDAO: 196}


def test_figures_keep_their_printed_value_and_read_it_in_the_rules_units(marts) -> None:
    rows = {key: row for key, *row in marts.execute(
        "select metric_key, value, value_decimals, unit, value_wan, value_ratio, value_text, source_line "
        "from marts.fct_narrative_figures where document_id = ? and figure_seq in (2, 3, 4, 23)",
        [final_accounts_id(marts, QINGDAO)]).fetchall()}
    # 减少 / 下降 sign a change; "12,92 7 . 3 5万元" is read as printed; 86.9% keeps one decimal
    assert rows["total.income_expenditure.yoy_change"][:4] == [Decimal("3461.77"), 2, "万元", Decimal("3461.77")]
    assert rows["total.income_expenditure.yoy_pct"][4] == Decimal("0.3657")
    assert rows["income.total.amount"][0] == Decimal("12927.35")
    assert " " in rows["income.total.amount"][5] and rows["income.total.amount"][6] == 702
    assert rows["general_budget.class.201.share"][:2] == [Decimal("86.9"), 1]
    assert rows["general_budget.class.201.share"][4] == Decimal("0.869")
    parts = marts.execute(
        "select metric_family, metric_subject, metric_measure, subject_code, project_no "
        "from marts.fct_narrative_figures where document_id = ? and metric_key in "
        "('function.2010350.completion_rate', 'performance.project.12.rate', 'operating_cost.amount') "
        "order by figure_seq", [final_accounts_id(marts, JINAN)]).fetchall()
    assert parts == [("function", "2010350", "completion_rate", "2010350", None),
                     ("operating_cost", None, "amount", None, None),
                     ("performance", "project.12", "rate", None, 12)]


def half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def test_a_share_is_compared_at_its_printed_precision(marts) -> None:
    shares = dict(marts.execute(
        "select d.department_name || ' ' || f.metric_key, (f.value_ratio, f.table_value, f.table_status) "
        "from marts.fct_narrative_figures f join marts.dim_document d using (document_id) "
        "where f.metric_key like '%.share'").fetchall())
    # a share printed as its ratio rounded half-up at its printed precision passes (the table
    # side is then that rounding); any other is compared with the exact ratio (6 decimals), held
    # to half a unit of the printed share (a share of a list: one unit more) plus the cells' spread
    # Jinan B6: 10,314.37 / 15,244.45 = 67.6598 %, printed 67.67 % (尾差调整): rounding
    assert shares[f"{JINAN} general_budget.class.201.share"] == (
        Decimal("0.6767"), half_up(Decimal("10314.37") / Decimal("15244.45"), 6), "rounding")
    # Qingdao N8: 86.896 % printed 86.9 (one decimal); N4 99.995 % and 0.005 % printed 100 % and 0 %
    for key, printed in (("general_budget.class.201.share", "0.869"),
                         ("income.fiscal_appropriation.share", "1"),
                         ("income.other_income.share", "0")):
        assert shares[f"{QINGDAO} {key}"] == (Decimal(printed), Decimal(printed), "pass")
    # Jinan B2: 17.41 % and 82.59 % of 15,244.45 (2,654.39 and 12,590.06)
    assert shares[f"{JINAN} expenditure.basic.share"][1:] == (
        half_up(Decimal("2654.39") / Decimal("15244.45"), 4), "pass")


def test_figures_restating_a_table_carry_the_comparison(marts) -> None:
    row = marts.execute(
        "select table_rule_id, table_value, table_source_lines, table_status from marts.fct_narrative_figures "
        "where document_id = ? and metric_key = 'function.2150599.completion_rate'",
        [final_accounts_id(marts, JINAN)]).fetchone()
    # B10: 4,358.76 / 11,809 = 36.91 % (the rate printed on the next line); the 年初预算 is the
    # narrative's own (line 536), the 决算 the 公开05 小计 (line 318)
    assert row == ("narr_completion_rates", half_up(Decimal("4358.76") / Decimal("11809"), 4), "318,536", "pass")
    unrated = marts.execute(
        "select count(*) from marts.fct_narrative_figures where document_id = ? "
        "and metric_key in ('function.2010599.completion_rate', 'function.2019999.completion_rate')",
        [final_accounts_id(marts, JINAN)]).fetchone()
    assert unrated == (0,)  # 年初无预算: no rate printed, none computed
    compared = dict(marts.execute(
        "select d.department_name, count(*) from marts.fct_narrative_figures f "
        "join marts.dim_document d using (document_id) where f.table_rule_id is not null group by all").fetchall())
    assert compared == {JINAN: 72, QINGDAO: 59}


# --------------------------------------------------------------------------- Jinan §3 B


def test_jinan_general_budget_and_fiscal_changes_imply_different_prior_years(marts) -> None:
    # B5: 一般公共预算 +675.16 (+4.63 %) and 财政拨款 −1,023.84 (−6.29 %), both on 15,244.45 (the
    # general budget is all of the fiscal money): prior years 14,569.29 vs 16,268.29
    scope, lhs, rhs, difference, status, lhs_lines, rhs_lines = one(
        checks(marts, JINAN, "narr_general_budget_prior_base"))
    assert (lhs, rhs, difference, status) == (Decimal("14569.29"), Decimal("16268.29"), Decimal("-1699.00"), "fail")
    # 480: the 财政拨款 sentence; 274: 公开04's 年初财政拨款结转和结余, blank (nothing carried in)
    assert (lhs_lines, rhs_lines) == ("492", "274,480")
    # each percentage is its own change over its base rounded half-up (B3): the contradiction
    # is between them
    bases = checks(marts, JINAN, "narr_change_pct_base")
    assert len(bases) == 7 and {row[4] for row in bases} == {"pass"}


def test_jinan_initial_budget_items_do_not_add_up(marts) -> None:
    # B8: 778.63 + 2,692.68 + 144 + 0 + 0 + 1.39 + 46.2 + 317.3 + 158.66 + 53.72 + 198.3 + 11,809
    _, lhs, rhs, difference, status, lhs_lines, rhs_lines = one(checks(marts, JINAN, "narr_initial_budget_items"))
    assert (lhs, rhs, difference, status) == (Decimal("16040.49"), Decimal("16199.88"), Decimal("-159.39"), "fail")
    assert lhs_lines == "510" and rhs_lines.split(",")[0] == "512" and rhs_lines.split(",")[-1] == "536"


def test_jinan_sme_category_shares_do_not_reconcile(marts) -> None:
    # B17: 27.88 % × 7.03 + 2.72 % × 13,787.82 = 376.99, not the 655.98 awarded to SMEs
    _, lhs, rhs, _, status, _, _ = one(checks(marts, JINAN, "narr_procurement_sme_categories"))
    assert status == "fail"
    assert lhs == Decimal("0.047553")  # 655.98 / 13,794.85
    assert abs(rhs * Decimal("13794.85") - Decimal("376.99")) < Decimal("0.01")
    # the SME share of the total itself is right (B16: 4.76 %), and so is the split (B15)
    assert {row[4] for row in checks(marts, JINAN, "narr_procurement_award_shares")} == {"pass"}
    assert one(checks(marts, JINAN, "narr_procurement_split"))[4] == "pass"


def test_jinan_rounding_class_misprints(marts) -> None:
    # B6: 67.67 % for 67.66 %; B11: 基本支出决算 2,654.38 against 公开05 2,654.39
    # the one share that is not its ratio rounded half-up; a unit off, within the envelope
    share = one([row for row in checks(marts, JINAN, "narr_class_shares") if half_up(row[2], 4) != row[1]])
    assert (share[1], share[2], share[4], share[5], share[6]) == (
        Decimal("0.6767"), half_up(Decimal("10314.37") / Decimal("15244.45"), 6), "rounding", "502", "292,293")
    basic = one(checks(marts, JINAN, "narr_basic_amounts", "rounding"))
    assert (basic[1], basic[2]) == (Decimal("2654.38"), Decimal("2654.39"))
    # …which is exactly 公开06 人员经费 + 公用经费 (2,503.40 + 150.98)
    assert one(checks(marts, JINAN, "narr_basic_vs_06_totals"))[4] == "pass"


def test_jinan_project_7_has_no_table_and_a_table_is_printed_twice(marts) -> None:
    # B21 / C7: the narrative's 12 projects and "12 个项目的绩效自评表", but 11 distinct tables
    # (T2 = T7) and none for 新型智慧城市建设提升项目 (300 / 297.7 / 99.23 % / 96.67), whose
    # paragraph matches summary row 7 only
    unmatched = one(checks(marts, JINAN, "narr_perf_matched", "fail"))
    assert unmatched[0] == "情况说明:project.7:table" and (unmatched[1], unmatched[2]) == (1, 0)
    assert unmatched[5] == "622"
    summary = checks(marts, JINAN, "narr_perf_matched")
    assert {row[0] for row in summary if row[4] == "pass"} >= {"情况说明:project.7:summary"}
    tables = one(checks(marts, JINAN, "narr_perf_table_count"))
    assert (tables[1], tables[2], tables[4]) == (Decimal("12"), Decimal("11"), "fail")
    # the other 11 paragraphs restate their tables exactly, and all 12 their summary rows (a
    # rate is a table's B / A rounded half-up at its printed precision, or a summary's printed rate)
    for rule in ("narr_perf_amounts", "narr_perf_score", "narr_perf_rate"):
        assert {row[4] for row in checks(marts, JINAN, rule)} == {"pass"}, rule


def test_jinan_self_evaluation_coverage_and_project_spending_hold(marts) -> None:
    # B19: Σ 全年预算数 of the 12 projects = 12,793.41; C8: Σ 执行数 of the appropriation-funded
    # ones (健康亮码 is 其他资金) = 12,590.06 = 项目支出, to the cent
    coverage = one(checks(marts, JINAN, "narr_perf_coverage_budget"))
    assert (coverage[1], coverage[2], coverage[4]) == (Decimal("12793.41"), Decimal("12793.41"), "pass")
    spending = one(checks(marts, JINAN, "narr_perf_executed_vs_project_spending"))
    assert (spending[1], spending[2], spending[4]) == (Decimal("12590.06"), Decimal("12590.06"), "pass")
    # B23: 财政重点评价 89.33 = the 智慧泉城 report
    assert one(checks(marts, JINAN, "narr_perf_evaluation_score"))[1:3] == (Decimal("89.33"), Decimal("89.33"))


def test_jinan_key_evaluation_denial_is_not_a_figure(marts) -> None:
    # B20: "7 个项目开展了部门重点评价 … 10,367.31 万元" (598) against "本部门无部门重点评价项目"
    # (642). The denial states no number, so the extractor gives it no row: the contradiction
    # cannot be checked from the figures (docs/marts.md), only the claim is there.
    rows = marts.execute(
        "select source_line, metric_key, value from marts.fct_narrative_figures where document_id = ? "
        "and (metric_key like 'performance.key_evaluation.%' or section like '%部门重点评价结果%') order by figure_seq",
        [final_accounts_id(marts, JINAN)]).fetchall()
    assert rows == [(598, "performance.key_evaluation.project_count", Decimal("7")),
                    (598, "performance.key_evaluation.budget", Decimal("10367.31"))]


# --------------------------------------------------------------------------- Qingdao §2, §3.3, §3.7


def test_qingdao_rounding_findings(marts) -> None:
    # N10: Σ item 年初预算 10,216.71 against 10,216.72
    budget = one(checks(marts, QINGDAO, "narr_initial_budget_items"))
    assert (budget[1], budget[2], budget[4]) == (Decimal("10216.72"), Decimal("10216.71"), "rounding")
    # N8: 86.9 + 1.81 + 10.13 + 1.17 = 100.01 %
    shares = {row[0]: row for row in checks(marts, QINGDAO, "narr_shares_total")}
    classes = shares["情况说明:general_budget.class.*.share"]
    assert (classes[1], classes[4]) == (Decimal("1.0001"), "rounding")
    assert shares["情况说明:expenditure.*.share"][4] == "pass"  # 15.5 + 84.5
    assert shares["情况说明:income.*.share"][4] == "pass"  # 100 + 0
    # N11: 基本支出决算 2,003.06 (= 公开05) against 人员 1,895.34 + 公用 107.73 = 2,003.07
    basic = one(checks(marts, QINGDAO, "narr_basic_vs_06_totals"))
    assert (basic[1], basic[2], basic[4]) == (Decimal("2003.06"), Decimal("2003.07"), "rounding")
    assert {row[4] for row in checks(marts, QINGDAO, "narr_basic_amounts")} == {"pass"}
    # N21 / Y13: project 2 prints 150.37 where its table has 150.375
    amounts = checks(marts, QINGDAO, "narr_perf_amounts", "rounding")
    assert [(row[1], row[2]) for row in amounts] == [(Decimal("150.37"), Decimal("150.375"))] * 2


def test_qingdao_transfer_summary_scores_90_against_100_in_the_narrative(marts) -> None:
    # Y4: 新型智慧城市建设相关奖补资金 100 in the narrative (1200) and its table, 90 in 附件7 (9028)
    _, lhs, rhs, _, status, lhs_lines, rhs_lines = one(checks(marts, QINGDAO, "narr_perf_score", "fail"))
    assert (lhs, rhs, status, rhs_lines) == (Decimal("100"), Decimal("90"), "fail", "9028")
    assert "1200" in lhs_lines.split(",")


def test_qingdao_coverage_figure_is_an_execution_total(marts) -> None:
    # N18 / §3.8 item 24: "涉及预算资金 11379.5 万元" is Σ 执行数; Σ 全年预算数 is 11,443.423
    coverage = one(checks(marts, QINGDAO, "narr_perf_coverage_budget"))
    assert (coverage[1], coverage[2], coverage[4]) == (Decimal("11379.5"), Decimal("11443.423"), "fail")
    # warning: the 19 projects include 1,765 of transfers and leave out 疫情专项资金 1,309.16
    spending = one(checks(marts, QINGDAO, "narr_perf_executed_vs_project_spending"))
    assert (spending[1], spending[2], spending[4]) == (Decimal("11379.5"), Decimal("10923.66"), "fail")
    severity = marts.execute("select severity from raw.rule_registry "
                             "where rule_id = 'narr_perf_executed_vs_project_spending'").fetchone()
    assert severity == ("warning",)


def test_qingdao_paragraphs_match_their_tables_and_rows_in_order(marts) -> None:
    matches = marts.execute(
        "select scope, rhs_source_lines from marts.fct_reconciliation_checks where document_id = ? "
        "and rule_id = 'narr_perf_matched' and status = 'pass'", [final_accounts_id(marts, QINGDAO)]).fetchall()
    assert len(matches) == 38  # 19 paragraphs × (table, summary row)
    lines = dict(matches)
    # narrative order = 附件3 order + 附件7 order; #1 机关运行信息化项目运维 is table 11 (line 7241)
    assert lines["情况说明:project.1:table"] == "7241" and lines["情况说明:project.1:summary"] == "8793"
    assert lines["情况说明:project.19:summary"] == "9028"


# --------------------------------------------------------------------------- everything else


def test_every_other_narrative_check_passes_or_is_rounding(marts) -> None:
    failing = Counter(marts.execute(
        "select d.department_name || ' ' || c.rule_id from marts.fct_reconciliation_checks c "
        f"join marts.dim_document d using (document_id) where {NARRATIVE} and c.status = 'fail'").fetchall())
    assert {key[0]: count for key, count in failing.items()} == {
        f"{JINAN} narr_general_budget_prior_base": 1,        # B5
        f"{JINAN} narr_initial_budget_items": 1,             # B8
        f"{JINAN} narr_procurement_sme_categories": 1,       # B17
        f"{JINAN} narr_perf_matched": 1,                     # B21 / C7: project 7 has no table
        f"{JINAN} narr_perf_table_count": 1,                 # C7: 12 tables claimed, 11 distinct
        f"{JINAN} narr_direction_words": 1,       # 2010504: 与年初预算基本持平 for 144 -> 142.86 (beyond 0.505)
        f"{JINAN} narr_rate_reason_given": 1,     # warning, 2010504: 99.21 % and no reason given
        f"{JINAN} narr_function_names_match": 2,  # warning, 2010301/2010350: printed 一般公共预算服务支出(类)
        f"{QINGDAO} narr_perf_score": 1,                     # Y4
        f"{QINGDAO} narr_perf_coverage_budget": 1,           # N18
        f"{QINGDAO} narr_perf_executed_vs_project_spending": 1,  # warning, §3.7 Y6–Y8
    }
    # rules of a fixed tolerance (counts, scores): within it
    worst = marts.execute(
        "select c.rule_id, c.difference, c.tolerance from marts.fct_reconciliation_checks c "
        "join raw.rule_registry r using (rule_id) "
        f"where {NARRATIVE} and c.status = 'rounding' and r.tolerance_policy = 'fixed' "
        "and (abs(c.difference) > r.tolerance or c.difference = 0)").fetchall()
    assert worst == []


def test_narrative_envelope_rows_are_held_to_their_own_bound(marts) -> None:
    # every rule comparing printed figures carries its envelope per row (a share 尾差-adjusted
    # to add up to 100 % may be a printed unit off): the bound of a restated amount is the
    # figure's half unit read from its printed text plus the cell's, a rate's at least half a
    # unit of its printed precision
    violations, examined = narrative_envelope_violations(marts)
    assert violations == []
    assert examined["one_cell"] >= 50 and examined["rates"] >= 50, examined
    # Qingdao's project 2 prints 150.37 against its table's 150.375 (three decimals): 0.0055
    [(tolerance, status)] = marts.execute(
        "select tolerance, status from marts.fct_reconciliation_checks where document_id = ? "
        "and rule_id = 'narr_perf_amounts' and scope like '%项目支出绩效自评表:project.2:budget'",
        [final_accounts_id(marts, QINGDAO)]).fetchall()
    assert (tolerance, status) == (Decimal("0.0055"), "rounding")


def test_narrative_checks_cover_both_documents_and_name_both_lines(marts) -> None:
    families = set(marts.execute(
        "select d.department_name || ' ' || c.rule_family from marts.fct_reconciliation_checks c "
        f"join marts.dim_document d using (document_id) where {NARRATIVE}").fetchall())
    assert {row[0] for row in families} == {f"{department} {family}" for department in (JINAN, QINGDAO)
                                            for family in ("narrative", "narrative_internal",
                                                           "narrative_performance")}
    unlined = marts.execute(
        "select rule_id, scope from marts.fct_reconciliation_checks c "
        f"where {NARRATIVE} and c.status <> 'fail' "
        "and (lhs_source_lines is null or rhs_source_lines is null)").fetchall()
    assert unlined == []
    registered = {rule for (rule,) in marts.execute(
        "select rule_id from raw.rule_registry where rule_domain = 'narrative'").fetchall()}
    evaluated = {rule for (rule,) in marts.execute(
        f"select distinct rule_id from marts.fct_reconciliation_checks c where {NARRATIVE}").fetchall()}
    # a rate against a budget stated as 0: neither document states one (their 年初无预算 items
    # state no rate), so that rule has no row here
    [(zero_budgets,)] = marts.execute(
        "select count(*) from marts.fct_narrative_figures b join marts.fct_narrative_figures r "
        "on b.document_id = r.document_id and r.metric_measure = 'completion_rate' "
        "and regexp_replace(r.metric_key, '\\.[^.]+$', '') = regexp_replace(b.metric_key, '\\.[^.]+$', '') "
        "where b.metric_measure in ('initial_budget', 'budget') and b.value_wan = 0").fetchall()
    assert zero_budgets == 0
    # neither narrative states a fund section's 类/款/项 amount or prints a prior year's amount
    # (their fund sections say 无…; their year-on-year sentences give the change only)
    fund_or_prior = marts.execute(
        "select count(*) from marts.fct_narrative_figures f where (f.metric_key similar to '(gov_fund|state_capital)\\.function\\..*' "
        "or f.metric_key like '%.prior_amount')").fetchone()[0]
    assert fund_or_prior == 0
    assert evaluated == registered - {"narr_rate_zero_budget", "narr_fund_amounts",
                                      "narr_yoy_explicit_prior_change", "narr_yoy_explicit_prior_pct"}


def test_department_year_counts_keep_to_the_standard_tables(marts) -> None:
    fails = dict(marts.execute(
        "select d.department_name, y.checks_fail from marts.fct_department_year y "
        "join marts.dim_document d using (document_id)").fetchall())
    # Jinan's 公开06 公用经费合计, 0.03 off its 14 printed items, is rounding (bound 0.075; README
    # "Check outcomes and the rounding envelope"), so neither document has a standard-table fail
    assert fails == {JINAN: 0, QINGDAO: 0}
