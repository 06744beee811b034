"""Narrative figures by meaning, not by sentence: every phrasing of the synthetic phrase bank
(synth/phrase_bank.py) and the common national variants (占比 / 所占比重, 完成率 / 为年初预算的,
比20XX年度 / 较上年 / 与上年相比, budget and actual named without 为) get the same key as the
wording of the Jinan and Qingdao exports; the real documents' own sentences are checked too
(read from ../shared at test time, skipped when absent)."""
from __future__ import annotations

from pathlib import Path

import pytest

from fiscal_dw import synth
from fiscal_dw.extract.documents import load_document
from fiscal_dw.extract.final_accounts.narrative import NARRATIVE_FIGURES, extract_narrative_figures
from fiscal_dw.extract.final_accounts.standard_tables import extract_standard_tables
from fiscal_dw.synth import narrative as synth_narrative
from fiscal_dw.synth import phrase_bank
from fiscal_dw.synth.phrase_bank import Phrases

HEAD = "第三部分\n\n2023年度部门决算情况说明\n\n"


def _figures(tmp_path: Path, body: str) -> list[dict[str, str]]:
    path = tmp_path / "narrative.txt"
    path.write_text(HEAD + body + "\n", encoding="utf-8")
    return extract_narrative_figures(load_document(path)).rows.get(NARRATIVE_FIGURES, [])


def _keys(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(row["metric_key"], row["value"]) for row in rows]


@pytest.mark.parametrize("phrase", phrase_bank.SHARES)
def test_share_phrasings(tmp_path: Path, phrase: str) -> None:
    body = ("三、支出决算情况说明\n\n2023年度支出合计15,244.45万元，其中：基本支出2,654.39万元，"
            + phrase.format(pct="17.41%") + "；项目支出12,590.06万元，" + phrase.format(pct="82.59%") + "。")
    assert _keys(_figures(tmp_path, body)) == [
        ("expenditure.total.amount", "15244.45"), ("expenditure.basic.amount", "2654.39"),
        ("expenditure.basic.share", "17.41"), ("expenditure.project.amount", "12590.06"),
        ("expenditure.project.share", "82.59")]


@pytest.mark.parametrize("phrase", phrase_bank.RATES)
def test_completion_rate_phrasings(tmp_path: Path, phrase: str) -> None:
    body = ("五、一般公共预算财政拨款支出决算情况说明\n\n（三）一般公共预算财政拨款支出决算具体情况\n\n"
            "2023年度一般公共预算财政拨款支出年初预算为16,199.88万元，支出决算为15,244.45万元，"
            + phrase.format(pct="94.10%") + "。")
    assert _keys(_figures(tmp_path, body)) == [
        ("general_budget.initial_budget.total", "16199.88"), ("general_budget.final_amount.total", "15244.45"),
        ("general_budget.completion_rate.total", "94.10")]


@pytest.mark.parametrize("phrase", phrase_bank.THREE_PUBLIC_RATES)
def test_three_public_rate_phrasings(tmp_path: Path, phrase: str) -> None:
    body = ("九、财政拨款“三公”经费支出决算情况说明\n\n（一）“三公”经费支出决算总体情况说明\n\n"
            "2023年度财政拨款“三公”经费支出全年预算为5.50万元，支出决算为5.50万元，"
            + phrase.format(pct="100.00%") + "。")
    assert _keys(_figures(tmp_path, body)) == [
        ("three_public.total.budget", "5.50"), ("three_public.total.actual", "5.50"),
        ("three_public.total.completion_rate", "100.00")]


@pytest.mark.parametrize("phrase", phrase_bank.YEAR_ON_YEAR)
@pytest.mark.parametrize("up", [True, False])
def test_year_on_year_phrasings(tmp_path: Path, phrase: str, up: bool) -> None:
    sentence = Phrases("", "", "", "", phrase, "", "").yoy(2022, "财政拨款收、支总计各", "2,497.29万元", "29.91%", up)
    body = "四、财政拨款收入支出决算总体情况说明\n\n2023年度财政拨款收、支总计均为5,852.88万元。" + sentence
    sign = "" if up else "-"
    assert _keys(_figures(tmp_path, body)) == [
        ("fiscal.income_expenditure.amount", "5852.88"), ("fiscal.income_expenditure.yoy_change", f"{sign}2497.29"),
        ("fiscal.income_expenditure.yoy_pct", f"{sign}29.91")]


@pytest.mark.parametrize("phrase", phrase_bank.GENERAL_BUDGET_SHARE)
def test_general_budget_share_phrasings(tmp_path: Path, phrase: str) -> None:
    body = ("五、一般公共预算财政拨款支出决算情况说明\n\n（一）一般公共预算财政拨款支出决算总体情况\n\n"
            "2023年度一般公共预算财政拨款支出15,244.45万元，" + phrase.format(pct="100%") + "。")
    assert _keys(_figures(tmp_path, body)) == [
        ("general_budget.total.amount", "15244.45"), ("general_budget.total.share", "100")]


@pytest.mark.parametrize("index", range(len(phrase_bank.ITEM_FIGURES)))
def test_item_phrasings_in_a_synthetic_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                index: int) -> None:
    """Each 项 worded with one phrasing of its budget, actual and rate (and the class list with
    one share phrasing): every 项 of the document's 公开05 with a 年初预算 gets its three keys,
    every 类 its amount and share, whatever the phrasing."""
    def forced(rng) -> Phrases:
        chosen = phrase_bank.choose_phrases(rng)
        return Phrases(phrase_bank.SHARES[index % len(phrase_bank.SHARES)],
                       phrase_bank.RATES[index % len(phrase_bank.RATES)], chosen.three_public_rate,
                       phrase_bank.ITEM_FIGURES[index], chosen.year_on_year, chosen.unchanged,
                       chosen.general_budget_share)

    monkeypatch.setattr(synth_narrative, "choose_phrases", forced)
    synth.generate_corpus(tmp_path, departments=2, years=1, fault_rate=0.0, seed=11 + index)
    for path in sorted(tmp_path.glob("*.txt")):
        document = load_document(path)
        tables = extract_standard_tables(document)
        rows = extract_narrative_figures(document, tables=tables).rows[NARRATIVE_FIGURES]
        keys = {row["metric_key"] for row in rows}
        codes = {row["subject_code"] for row in tables.rows["raw_expenditure_by_function"]
                 if row.get("source_table", "").endswith("05") or row.get("table_kind") == "general_budget_expenditure"}
        leaves = {code for code in codes if len(code) == 7}
        classes = {code for code in codes if len(code) == 3}
        assert leaves and classes
        for code in leaves:
            assert {f"function.{code}.initial_budget", f"function.{code}.final_amount"} <= keys, (path.name, code)
        rated = {key.split(".")[1] for key in keys if key.startswith("function.") and key.endswith("completion_rate")}
        assert rated and rated <= leaves
        for code in classes:
            assert {f"general_budget.class.{code}.amount", f"general_budget.class.{code}.share"} <= keys


@pytest.fixture(scope="module")
def real(shared_documents: Path) -> dict[str, list[dict[str, str]]]:
    names = ("jinan-bigdata-bureau-2023-final-accounts.txt", "qingdao-bigdata-bureau-2023-final-accounts.txt")
    found = {name: shared_documents / name for name in names if (shared_documents / name).exists()}
    if not found:
        pytest.skip(f"no Jinan or Qingdao final accounts in {shared_documents}")
    return {name: extract_narrative_figures(load_document(path)).rows[NARRATIVE_FIGURES]
            for name, path in found.items()}


def test_real_item_rates_have_their_budget_and_actual_beside_them(real) -> None:
    """In the real narratives each 项 completion rate is keyed with the 年初预算 and 支出决算
    stated before it in the same item (the figures int_recon_narrative_peer compares)."""
    for name, rows in real.items():
        rates = [row for row in rows if row["metric_key"].startswith("function.")
                 and row["metric_key"].endswith("completion_rate")]
        assert rates, name
        for rate in rates:
            prefix = rate["metric_key"].rsplit(".", 1)[0]
            before = {row["metric_key"] for row in rows if int(row["figure_seq"]) < int(rate["figure_seq"])}
            assert {f"{prefix}.initial_budget", f"{prefix}.final_amount"} <= before, (name, prefix)
