"""Issue 12, peer rows 1 (amounts), 9 and 10: the 政府性基金 / 国有资本经营 sections' 类/款/项
paths keyed against their own fund table, the printed path kept for the names check, and a
printed prior-year amount keyed beside the current amount and the change. Each phrasing of the
synthetic phrase bank and the national variants is read here; the real documents (read from
../shared at test time, skipped when absent) are checked for what the new rules find in them."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, FinishedRun, fiscal_dw_run
from fiscal_dw.extract.documents import load_document
from fiscal_dw.extract.final_accounts.narrative import NARRATIVE_FIGURES, extract_narrative_figures
from fiscal_dw.extract.folder import extract_folder
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.synth import phrase_bank
from fiscal_dw.synth.phrase_bank import Phrases

HEAD = "第三部分\n\n2023年度部门决算情况说明\n\n"
PUTUO = PROJECT_DIR.parent / "shared" / "documents-shanghai-putuo"
NEW_RULES = ("narr_fund_amounts", "narr_function_names_match", "narr_yoy_explicit_prior_change",
             "narr_yoy_explicit_prior_pct")

# invented subjects, as a fund table and a 公开05 would print them
FUND_ROWS = [("212", "城乡社区支出"), ("21208", "国有土地使用权出让收入安排的支出"),
             ("2120801", "征地和拆迁补偿支出"), ("2120802", "土地开发支出")]
GENERAL_ROWS = [("201", "一般公共服务支出"), ("20103", "政府办公厅（室）及相关机构事务"),
                ("2010301", "行政运行"), ("20105", "统计信息事务"), ("2010501", "行政运行")]
FUND_PATH = "城乡社区支出（类）国有土地使用权出让收入安排的支出（款）土地开发支出（项）"


def _tables(fund_kind: str = "government_fund") -> Extracted:
    tables = Extracted()
    for code, name in FUND_ROWS:
        tables.add("raw_government_fund_by_function", {
            "subject_code": code, "subject_name": name, "table_kind": fund_kind, "source_table": ""})
    for code, name in GENERAL_ROWS:
        tables.add("raw_expenditure_by_function", {
            "subject_code": code, "subject_name": name, "table_kind": "general_budget_expenditure",
            "source_table": "公开05"})
    return tables


def _figures(tmp_path: Path, body: str, tables: Extracted | None = None) -> list[dict[str, str]]:
    path = tmp_path / "narrative.txt"
    path.write_text(HEAD + body + "\n", encoding="utf-8")
    return extract_narrative_figures(load_document(path), tables=tables or _tables()).rows.get(
        NARRATIVE_FIGURES, [])


def _keys(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(row["metric_key"], row["value"]) for row in rows]


# ------------------------------------------------------------------ fund sections (row 1)

@pytest.mark.parametrize("phrase", phrase_bank.FUND_ITEMS)
def test_fund_item_phrasings_key_the_fund_tables_code(tmp_path: Path, phrase: str) -> None:
    body = ("七、政府性基金预算财政拨款收入支出决算情况说明\n\n"
            "2023年度政府性基金预算财政拨款支出514.17万元，主要用于土地开发支出。\n\n"
            "1、" + phrase.format(path=FUND_PATH, amount="514.17万元", budget="0万元"))
    rows = [row for row in _figures(tmp_path, body) if row["metric_key"]]
    assert ("gov_fund.function.2120802.final_amount", "514.17") in _keys(rows)
    keyed = [row for row in rows if row["metric_key"].startswith("gov_fund.function.2120802.")]
    assert {row["subject_printed"] for row in keyed} == {FUND_PATH}


def test_a_state_capital_section_resolves_against_its_own_table(tmp_path: Path) -> None:
    body = ("九、国有资本经营预算财政拨款收入支出决算情况说明\n\n"
            f"1.“{FUND_PATH}”12.50万元。")
    assert _keys(_figures(tmp_path, body, _tables("state_capital"))) == [
        ("state_capital.function.2120802.final_amount", "12.50")]


def test_a_fund_path_is_never_resolved_against_the_general_budget(tmp_path: Path) -> None:
    """A fund section naming a 公开05 subject that its own table lacks stays unresolved, with
    its printed path: the amount check is then not evaluable, never compared with 公开05."""
    path = "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）"
    body = f"七、政府性基金预算财政拨款收入支出决算情况说明\n\n1、{path}支出决算为3.00万元。"
    rows = _figures(tmp_path, body)
    assert _keys(rows) == [(f"gov_fund.function.unresolved:{path}.final_amount", "3.00")]
    assert rows[0]["subject_printed"] == path


def test_a_general_budget_path_keeps_its_printed_names(tmp_path: Path) -> None:
    """The names check compares what was printed: a 类 misprinted (一般公共预算服务支出) still
    resolves by its 款 and 项, and the printed path is kept as printed."""
    path = "一般公共预算服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）"
    body = ("五、一般公共预算财政拨款支出决算情况说明\n\n（三）一般公共预算财政拨款支出决算具体情况\n\n"
            f"1、{path}。年初预算为100.00万元，支出决算为90.00万元。")
    rows = _figures(tmp_path, body)
    assert _keys(rows) == [("function.2010301.initial_budget", "100.00"),
                           ("function.2010301.final_amount", "90.00")]
    assert {row["subject_printed"] for row in rows} == {path}


# ---------------------------------------------------------------- an explicit prior (row 10)

@pytest.mark.parametrize("phrase", phrase_bank.YEAR_ON_YEAR_PRIOR)
@pytest.mark.parametrize("up", [True, False])
def test_prior_year_phrasings(tmp_path: Path, phrase: str, up: bool) -> None:
    phrases = Phrases("", "", "", "", "", "", "", year_on_year_prior=phrase)
    prior, delta = ("180.73万元", "4.68万元") if up else ("190.09万元", "4.68万元")
    sentence = phrases.yoy_prior(2022, prior, delta, "2.59%" if up else "2.46%", up)
    body = "十、机关运行经费支出情况\n\n2023年度机关运行经费支出185.41万元，" + sentence
    sign = "" if up else "-"
    assert _keys(_figures(tmp_path, body)) == [
        ("operating_cost.amount", "185.41"), ("operating_cost.prior_amount", prior.removesuffix("万元")),
        ("operating_cost.yoy_change", f"{sign}4.68"), ("operating_cost.yoy_pct", f"{sign}{'2.59' if up else '2.46'}")]


@pytest.mark.parametrize("wording", ["上年决算数为180.73万元", "2022年度为180.73万元", "上年同期为180.73万元"])
def test_national_prior_year_variants(tmp_path: Path, wording: str) -> None:
    body = ("四、财政拨款收入支出决算总体情况说明\n\n"
            f"2023年度财政拨款收、支总计185.41万元，{wording}，增加4.68万元，增长2.59%。")
    assert _keys(_figures(tmp_path, body)) == [
        ("fiscal.income_expenditure.amount", "185.41"), ("fiscal.income_expenditure.prior_amount", "180.73"),
        ("fiscal.income_expenditure.yoy_change", "4.68"), ("fiscal.income_expenditure.yoy_pct", "2.59")]


def test_the_current_years_amount_is_not_a_prior(tmp_path: Path) -> None:
    """'2023年度为' names the prior year only after a later year in the same sentence."""
    body = "十、机关运行经费支出情况\n\n机关运行经费支出2023年度为185.41万元，比上年增加4.68万元，增长2.59%。"
    assert _keys(_figures(tmp_path, body)) == [
        ("operating_cost.amount", "185.41"), ("operating_cost.yoy_change", "4.68"),
        ("operating_cost.yoy_pct", "2.59")]


# ------------------------------------------------------------------------ real documents

def test_putuo_fund_section_keyed_by_the_fund_table() -> None:
    """Every figure the Putuo narratives print after a 类/款/项 path in a 政府性基金 section is
    keyed to a code of that document's fund table (or kept unresolved with its path), and its
    printed path is recorded."""
    if not PUTUO.is_dir():
        pytest.skip(f"Putuo documents not found at {PUTUO} (CI has ../shared beside the repo)")
    result = extract_folder(PUTUO)
    fund_codes = {(row["document_id"], row["subject_code"])
                  for row in result.rows["raw_government_fund_by_function"]}
    keyed = [row for row in result.rows[NARRATIVE_FIGURES] if row["metric_key"].startswith("gov_fund.")]
    assert keyed, "no 政府性基金 figure keyed in the Putuo narratives"
    for row in keyed:
        code = re.match(r"gov_fund\.function\.(\d{7})\.", row["metric_key"])
        assert code is None or (row["document_id"], code.group(1)) in fund_codes, row
        assert row["subject_printed"].endswith("（项）"), row


# ----------------------------------------------------------------- the rules on real loads

@pytest.fixture(scope="module")
def putuo_checks(tmp_path_factory: pytest.TempPathFactory) -> FinishedRun:
    if not PUTUO.is_dir():
        pytest.skip(f"Putuo documents not found at {PUTUO} (CI has ../shared beside the repo)")
    run = fiscal_dw_run(tmp_path_factory.mktemp("putuo_funds_names") / "fiscal.duckdb", PUTUO)
    assert run.warehouse.is_file(), run.output
    return run


def _new_rule_rows(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select rule_id, status, lhs_label, lhs_value, rhs_label, rhs_value, not_evaluable_reason "
            "from marts.fct_reconciliation_checks where rule_id in ?", [list(NEW_RULES)]).fetchall()


def _is_real_name_difference(lhs_label: str, rhs_label: str) -> bool:
    """The printed path and the table's path differ after whitespace and bracket width."""
    printed = re.search(r"情况说明 (\S+（项）)", lhs_label)
    table = re.search(r"\d{7} (\S+（项）)", rhs_label)
    return bool(printed and table) and printed.group(1) != table.group(1).replace("(", "（").replace(")", "）")


@pytest.mark.slow
def test_putuo_new_rules_fail_only_on_printed_differences(putuo_checks: FinishedRun) -> None:
    rows = _new_rule_rows(putuo_checks.warehouse)
    fund = [row for row in rows if row[0] == "narr_fund_amounts"]
    assert fund and all(row[1] == "pass" for row in fund), fund  # 文化和旅游局: 2.80, 2,000.00
    failing = [row for row in rows if row[1] == "fail"]
    assert {row[0] for row in failing} <= {"narr_function_names_match"}, failing
    for row in failing:
        assert row[3] < row[5] and _is_real_name_difference(row[2], row[4]), row
    unresolved = [row for row in rows if row[6] == "unresolved"]
    assert all(row[3] is None for row in unresolved)


@pytest.mark.slow
def test_jinan_qingdao_new_rules_fail_only_on_printed_differences(real_load: FinishedRun) -> None:
    rows = _new_rule_rows(real_load.warehouse)
    assert any(row[0] == "narr_function_names_match" for row in rows)
    failing = [row for row in rows if row[1] == "fail"]
    # Jinan prints 一般公共预算服务支出（类） for 公开05's 一般公共服务支出 (two 项 paths)
    assert {row[0] for row in failing} <= {"narr_function_names_match"}, failing
    for row in failing:
        assert _is_real_name_difference(row[2], row[4]), row
