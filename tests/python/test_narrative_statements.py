"""Statements of the narrative without a figure of their own (raw_narrative_statements,
docs/raw_tables_narrative.md): direction words paired with their paragraph's figures, the
reason a paragraph gives, funds said to have had nothing, 三公 items said to be level. A
narrative written here in the documents' wording, and the real final accounts: every
statement counted independently of the extractor, and its figures read back by figure_seq."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import PROJECT_DIR
from fiscal_dw.extract.documents import load_document
from fiscal_dw.extract.final_accounts.narrative import NARRATIVE_FIGURES, extract_narrative_figures
from fiscal_dw.extract.final_accounts.narrative_statements import (
    NARRATIVE_STATEMENTS,
    extract_narrative_statements,
)
from fiscal_dw.extract.final_accounts.narrative_text import build_stream, locate_narrative
from fiscal_dw.extract.pdf import load_pdf
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.schemas import RAW_TABLES

PUTUO = PROJECT_DIR.parent / "shared" / "documents-shanghai-putuo"
JINAN = "jinan-bigdata-bureau-2023-final-accounts.txt"
QINGDAO = "qingdao-bigdata-bureau-2023-final-accounts.txt"

NARRATIVE = """\
第三部分 2023年度部门决算情况说明
五、一般公共预算财政拨款支出决算情况说明
（三）一般公共预算财政拨款支出决算具体情况
2023年度一般公共预算财政拨款支出年初预算为1,000.00万元，支出决算为900.00万元，完成年初预算的90.00%。决算数小于年初预算数的主要原因是压减一般性支出。其中：
1.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为100.00万元，支出决算为120.00万元，完成年初预算的120.00%。决算数大于年初预算数的主要原因是年中追加。
2.一般公共服务支出（类）统计信息事务（款）信息事务（项）。年初预算为144万元，支出决算为142.86万元，完成年初预算的99.21%。与年初预算基本持平。
3.卫生健康支出（类）公共卫生（款）其他公共卫生支出（项）。年初预算为0万元，支出决算为50.00万元。决算数大于年初预算数的主要原因是由于年中新增任务。
4.住房保障支出（类）住房改革支出（款）住房公积金（项）。支出决算为30.00万元，年初预算为30.00万元，决算数与预算数持平。
5.住房保障支出（类）住房改革支出（款）购房补贴（项）。年初预算为40.00万元，调整预算为45.00万元，支出决算为44.00万元。决算数大于年初预算数的主要原因是年中追加。
6.住房保障支出（类）住房改革支出（款）提租补贴（项）。年初预算为0万元，全年预算为60.00万元，支出决算为55.00万元。决算数小于预算数的主要原因是按实际支出。
七、政府性基金预算财政拨款收入支出决算情况说明
本部门没有政府性基金财政拨款收支。
八、国有资本经营预算财政拨款收入支出决算情况说明
本单位 2023 年度无国有资本经营预算财政拨款收入和支出。
九、财政拨款“三公”经费支出决算情况说明
（一）“三公”经费支出决算总体情况
“三公”经费财政拨款支出决算数比2022年度减少1.00万元，其中：因公出国（境）费支出决算为0.00万元，与2022年持平；公务接待费支出决算减少为0.00万元，与2022年持平。
第四部分 名词解释
"""


def _extract(text: str, tmp_path: Path) -> tuple[list[dict[str, str]], dict[str, dict[str, str]]]:
    path = tmp_path / "narrative.txt"
    path.write_text(text, encoding="utf-8")
    document = load_document(path)
    no_tables = Extracted()
    statements = extract_narrative_statements(document, tables=no_tables).rows[NARRATIVE_STATEMENTS]
    figures = extract_narrative_figures(document, tables=no_tables).rows[NARRATIVE_FIGURES]
    return statements, {row["figure_seq"]: row for row in figures}


def _value(figures: dict[str, dict[str, str]], seq: str) -> Decimal:
    return Decimal(figures[seq]["value"])


def test_columns_are_the_schema(tmp_path: Path) -> None:
    statements, _ = _extract(NARRATIVE, tmp_path)
    assert statements and all(set(row) == set(RAW_TABLES[NARRATIVE_STATEMENTS]) for row in statements)
    assert [int(row["statement_seq"]) for row in statements] == list(range(1, len(statements) + 1))


def test_a_direction_word_names_the_figures_of_its_own_paragraph(tmp_path: Path) -> None:
    statements, figures = _extract(NARRATIVE, tmp_path)
    directions = [row for row in statements if row["statement_kind"] == "direction"]
    found = [(row["word"], _value(figures, row["budget_figure_seq"]), _value(figures, row["actual_figure_seq"]))
             for row in directions]
    assert found == [("小于", Decimal("1000.00"), Decimal("900.00")),
                     ("大于", Decimal("100.00"), Decimal("120.00")),
                     ("持平", Decimal("144"), Decimal("142.86")),
                     ("大于", Decimal("0"), Decimal("50.00")),
                     ("持平", Decimal("30.00"), Decimal("30.00")),
                     ("大于", Decimal("40.00"), Decimal("44.00")),
                     # an unqualified 预算数 beside 年初 0 and 全年 60: the budget the year ended with
                     ("小于", Decimal("60.00"), Decimal("55.00"))]
    rates = [_value(figures, row["rate_figure_seq"]) if row["rate_figure_seq"] else None for row in directions]
    assert rates == [Decimal("90.00"), Decimal("120.00"), Decimal("99.21"), None, None, None, None]
    # the budget stated after the actual in the same sentence still pairs with it
    assert directions[-3]["budget_figure_seq"] > directions[-3]["actual_figure_seq"]


def test_level_with_last_year_is_no_direction_against_the_budget(tmp_path: Path) -> None:
    statements, _ = _extract(NARRATIVE, tmp_path)
    sentences = [row["sentence"] for row in statements if row["statement_kind"] == "direction"]
    assert not any("2022年持平" in sentence for sentence in sentences)


def test_every_budget_paragraph_says_whether_it_gives_a_reason(tmp_path: Path) -> None:
    statements, figures = _extract(NARRATIVE, tmp_path)
    reasons = {_value(figures, row["actual_figure_seq"]): row["word"]
               for row in statements if row["statement_kind"] == "reason"}
    assert reasons == {Decimal("900.00"): "原因", Decimal("120.00"): "原因", Decimal("142.86"): "",
                       Decimal("50.00"): "原因", Decimal("30.00"): "", Decimal("44.00"): "原因",
                       Decimal("55.00"): "原因"}


def test_a_fund_said_to_have_had_nothing(tmp_path: Path) -> None:
    statements, _ = _extract(NARRATIVE, tmp_path)
    funds = [(row["subject_key"], row["word"]) for row in statements if row["statement_kind"] == "fund_none"]
    assert funds == [("government_fund", "没有"), ("state_capital", "无")]


def test_an_amount_of_a_fund_is_no_statement_that_it_had_nothing(tmp_path: Path) -> None:
    text = NARRATIVE.replace("本部门没有政府性基金财政拨款收支。", "政府性基金预算财政拨款支出2,002.80万元。")
    statements, _ = _extract(text, tmp_path)
    assert [row["subject_key"] for row in statements if row["statement_kind"] == "fund_none"] == ["state_capital"]


def test_a_three_public_item_changed_and_level(tmp_path: Path) -> None:
    statements, _ = _extract(NARRATIVE, tmp_path)
    changes = [(row["subject_key"], row["word"]) for row in statements
               if row["statement_kind"] == "three_public_change"]
    assert changes == [("three_public.overseas_travel", "持平"), ("three_public.reception", "减少+持平")]


# --------------------------------------------------------------- the real final accounts

def _documents() -> list[Path]:
    shared = PROJECT_DIR.parent / "shared"
    found = [shared / "documents" / JINAN, shared / "documents" / QINGDAO]
    if PUTUO.is_dir():
        found += sorted(p for p in PUTUO.iterdir() if p.suffix.lower() in (".pdf", ".txt"))
    return [p for p in found if p.is_file()]


@pytest.fixture(scope="module", params=_documents(), ids=lambda p: p.name)
def real(request: pytest.FixtureRequest) -> tuple[str, list[dict[str, str]], dict[str, dict[str, str]]]:
    path: Path = request.param
    document = load_pdf(path) if path.suffix.lower() == ".pdf" else load_document(path)
    statements = extract_narrative_statements(document).rows[NARRATIVE_STATEMENTS]
    figures = {r["figure_seq"]: r for r in extract_narrative_figures(document).rows[NARRATIVE_FIGURES]}
    span = locate_narrative(document)
    assert span is not None
    prose = "".join(build_stream(document, span).chars)
    return prose, statements, figures


def test_every_direction_word_is_a_statement(real) -> None:
    prose, statements, _ = real
    printed = len(re.findall(r"决算数?(大于|小于|等于|大小于)(年初|全年)?预算", prose)) + len(
        re.findall(r"与(年初|全年|\d{4}年)?预算数?(基本)?持平", prose))
    assert printed and printed == sum(row["statement_kind"] == "direction" for row in statements)


def test_a_direction_word_in_a_paragraph_names_its_budget_and_actual(real) -> None:
    """Every direction word read with figures names a budget figure and an actual figure
    printed before it, in its own sentence or the sentences just before."""
    _, statements, figures = real
    for row in statements:
        if row["statement_kind"] != "direction" or not row["actual_figure_seq"]:
            continue
        budget, actual = figures[row["budget_figure_seq"]], figures[row["actual_figure_seq"]]
        money = ("万元", "元", "亿元")
        assert budget["unit"] in money or (budget["unit"], budget["value"]) == ("", "0"), row  # 年初预算为 0，
        assert actual["unit"] in money, row
        assert "预算" in budget["sentence"] and "决算" in actual["sentence"], row
        assert int(budget["source_line"]) <= int(row["source_line"]) + 1, row


def test_every_fund_statement_is_found(real) -> None:
    prose, statements, _ = real
    printed = re.findall(r"(无|没有)(政府性基金|国有资本经营)", prose)
    found = [row["subject_key"] for row in statements if row["statement_kind"] == "fund_none"]
    assert len(found) == len(printed)
    assert set(found) <= {"government_fund", "state_capital"}


def test_a_fund_said_to_have_had_nothing_agrees_with_its_table_inventory(real, request) -> None:
    """Where the narrative says a fund had nothing, the extractor found that fund's table
    declared empty or printing only zeros (by table_kind): the documents agree with
    themselves here, so narr_fund_none_stated has nothing to report on them."""
    from fiscal_dw.extract.folder import ExtractResult, extract_document

    _, statements, _ = real
    funds = {row["subject_key"] for row in statements if row["statement_kind"] == "fund_none"}
    if not funds:
        pytest.skip("no fund said to have had nothing")
    path: Path = request.node.callspec.params["real"]
    result = ExtractResult()
    extract_document(load_pdf(path) if path.suffix.lower() == ".pdf" else load_document(path), result)
    status = {row["table_kind"]: row["status"] for row in result.rows["raw_table_inventory"]}
    amounts = [row for row in result.rows["raw_government_fund_by_function"] + result.rows["raw_expenditure_by_function"]
               if row.get("table_kind") in funds]
    for fund in funds:
        assert status.get(fund) in ("declared_empty", "extracted"), fund
        spent = [row.get("expenditure_total") or row.get("total") or "" for row in amounts if row["table_kind"] == fund]
        assert all(Decimal(value.replace(",", "") or "0") == 0 for value in spent), (fund, spent)


# ----------------------------------------------- the rules on a load, read again in Python

def _half(printed: str) -> Decimal:
    digits = printed.replace(",", "").strip()
    return Decimal("0.5") / (10 ** len(digits.split(".")[1])) if "." in digits else Decimal("0.5")


def _expected_direction(word: str, budget: dict[str, str] | None, actual: dict[str, str] | None) -> str:
    """narr_direction_words read independently of its SQL: the word's direction against the
    sign of 支出决算 − 年初预算 as printed, a mismatch within the two half units rounding."""
    signs = {"大于": 1, "高于": 1, "超过": 1, "多于": 1, "小于": -1, "低于": -1, "少于": -1,
             "持平": 0, "等于": 0, "相当": 0, "一致": 0}
    if word not in signs or budget is None or actual is None:
        return "not_evaluable"
    gap = Decimal(actual["value"]) - Decimal(budget["value"])
    said, printed = signs[word], (gap > 0) - (gap < 0)
    if said == printed:
        return "pass"
    return "rounding" if abs(gap) <= _half(budget["value"]) + _half(actual["value"]) and abs(said - printed) <= 1 \
        else "fail"


def test_direction_and_reason_checks_of_a_load_agree_with_a_reading_in_python(real_load) -> None:
    import csv
    import json

    import duckdb

    summary = json.loads((real_load.warehouse.parent / "reports" / "latest" / "summary.json").read_text(
        encoding="utf-8"))
    raw_dir = PROJECT_DIR / summary["load"]["raw_dir"] if summary["load"].get("raw_dir") else PROJECT_DIR / "seeds" / "raw"

    def read(name: str) -> list[dict[str, str]]:
        with (raw_dir / f"{name}.csv").open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    figures = {(r["document_id"], r["figure_seq"]): r for r in read("raw_narrative_figures")}
    statements = {(r["document_id"], r["statement_seq"]): r for r in read("raw_narrative_statements")}
    with duckdb.connect(str(real_load.warehouse), read_only=True) as connection:
        checks = connection.execute(
            "select rule_id, document_id, scope, status from marts.fct_reconciliation_checks "
            "where rule_id in ('narr_direction_words', 'narr_rate_reason_given')").fetchall()
    assert checks
    for rule_id, document_id, scope, status in checks:
        row = statements[(document_id, scope.rsplit("#", 1)[1])]
        budget = figures.get((document_id, row["budget_figure_seq"]))
        actual = figures.get((document_id, row["actual_figure_seq"]))
        if rule_id == "narr_direction_words":
            assert status == _expected_direction(row["word"], budget, actual), (scope, row["sentence"])
        elif budget is None or actual is None or Decimal(budget["value"]) == 0:
            assert status == "not_evaluable", (scope, row["sentence"])
        else:
            assert status == ("pass" if row["word"] else "fail"), (scope, row["sentence"])
    # every paragraph off 100 % by more than 0.5 pp has its check
    for (document_id, seq), row in statements.items():
        rate = figures.get((document_id, row["rate_figure_seq"]))
        if row["statement_kind"] == "reason" and rate and abs(Decimal(rate["value"]) - 100) > Decimal("0.5"):
            assert any(c[1] == document_id and c[2].endswith(f"#{seq}") for c in checks
                       if c[0] == "narr_rate_reason_given"), row["sentence"]
