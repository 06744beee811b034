"""Extraction of the two real final-accounts documents, spot-checked against the printed figures."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from fiscal_dw.extract.folder import ExtractResult, extract_folder, write_raw_tables

PROJECT_DIR = Path(__file__).resolve().parents[2]
JINAN, QINGDAO = "济南市大数据局", "青岛市大数据发展管理局"


@pytest.fixture(scope="module")
def extracted(shared_documents: Path) -> ExtractResult:
    return extract_folder(shared_documents)


@pytest.fixture(scope="module")
def document_ids(extracted: ExtractResult) -> dict[str, str]:
    return {row["department_name"]: row["document_id"] for row in extracted.rows["raw_documents"]
            if row["document_kind"] == "final_accounts"}


def figures(extracted: ExtractResult, table: str, document_id: str, **match: str) -> list[dict]:
    return [row for row in extracted.rows[table] if row["document_id"] == document_id
            and all(row.get(key) == value for key, value in match.items())]


def test_committed_seeds_equal_a_fresh_extract(extracted: ExtractResult, tmp_path: Path) -> None:
    written = write_raw_tables(extracted, tmp_path)
    for name, path in written.items():
        committed = PROJECT_DIR / "seeds" / "raw" / path.name
        assert committed.read_bytes() == path.read_bytes(), (
            f"seeds/raw/{path.name} differs from a fresh extract: run "
            "`fiscal-dw extract --docs ../shared/documents --out seeds/raw`")


def test_documents_are_recognised_by_kind(extracted: ExtractResult) -> None:
    kinds = Counter(row["document_kind"] for row in extracted.rows["raw_documents"])
    assert kinds == {"final_accounts": 2, "project_self_evaluation": 1, "performance_evaluation": 1}
    years = {row["department_name"]: row["fiscal_year"] for row in extracted.rows["raw_documents"]
             if row["document_kind"] == "final_accounts"}
    assert years == {JINAN: "2023", QINGDAO: "2023"}


def test_nothing_is_rejected(extracted: ExtractResult) -> None:
    assert extracted.rejects == [] and extracted.errors == []


@pytest.mark.parametrize(("department", "code_rows"), [(JINAN, 23), (QINGDAO, 20)])
def test_row_counts(extracted: ExtractResult, document_ids: dict[str, str], department: str,
                    code_rows: int) -> None:
    document_id = document_ids[department]
    assert len(figures(extracted, "raw_income_by_function", document_id)) == code_rows
    for table in ("公开03", "公开05"):
        assert len(figures(extracted, "raw_expenditure_by_function", document_id,
                           source_table=table)) == code_rows
    economic = figures(extracted, "raw_basic_expenditure_by_economic", document_id)
    assert len([row for row in economic if row["economic_code"]]) == 89
    assert len([row for row in economic if not row["economic_code"]]) == 2
    assert len(figures(extracted, "raw_three_public_expenses", document_id)) == 12
    for table, slots in (("公开01", 31), ("公开04", 32)):
        for side in ("income", "expenditure"):
            assert len(figures(extracted, "raw_income_expenditure_summary", document_id,
                               source_table=table, side=side)) == slots


@pytest.mark.parametrize(("department", "grand_total", "fiscal_total"), [
    (JINAN, "15,244.45", "15,244.45"), (QINGDAO, "12,927.35", "12,926.72")])
def test_summary_totals(extracted: ExtractResult, document_ids: dict[str, str], department: str,
                        grand_total: str, fiscal_total: str) -> None:
    document_id = document_ids[department]
    for side in ("income", "expenditure"):
        total = figures(extracted, "raw_income_expenditure_summary", document_id,
                        source_table="公开01", side=side, item_name="总计")
        assert [row["amount"] for row in total] == [grand_total]
        fiscal = figures(extracted, "raw_income_expenditure_summary", document_id,
                         source_table="公开04", side=side, item_name="总计")
        assert [row["amount"] for row in fiscal] == [fiscal_total]


@pytest.mark.parametrize(("department", "table", "code", "printed"), [
    (JINAN, "公开03", "2010350", ("2,274.54", "1,131.40", "1,143.14")),
    (JINAN, "公开05", "2150599", ("4,358.76", "", "4,358.76")),
    (QINGDAO, "公开03", "2010301", ("1,672.33", "1,218.38", "453.95")),
    (QINGDAO, "公开05", "2010301", ("1,672.32", "1,218.37", "453.95")),
])
def test_a_leaf_row_per_expenditure_table(extracted: ExtractResult, document_ids: dict[str, str],
                                          department: str, table: str, code: str,
                                          printed: tuple[str, str, str]) -> None:
    [row] = figures(extracted, "raw_expenditure_by_function", document_ids[department],
                    source_table=table, subject_code=code)
    assert (row["total"], row["basic"], row["project"]) == printed


@pytest.mark.parametrize(("department", "code", "total", "other_income"), [
    (JINAN, "2101102", "90.45", ""), (QINGDAO, "2010301", "1,672.95", "0.63")])
def test_a_leaf_row_of_income(extracted: ExtractResult, document_ids: dict[str, str],
                              department: str, code: str, total: str, other_income: str) -> None:
    [row] = figures(extracted, "raw_income_by_function", document_ids[department], subject_code=code)
    assert (row["total"], row["other_income"]) == (total, other_income)


@pytest.mark.parametrize(("department", "printed"), [
    (JINAN, ["2.54", "", "1.31", "", "1.31", "1.23", "2.54", "", "1.31", "", "1.31", "1.23"]),
    (QINGDAO, ["5.50", "0.00", "2.50", "0.00", "2.50", "3.00",
               "5.50", "0.00", "1.00", "0.00", "1.00", "4.50"]),
])
def test_every_three_public_figure(extracted: ExtractResult, document_ids: dict[str, str],
                                   department: str, printed: list[str]) -> None:
    rows = figures(extracted, "raw_three_public_expenses", document_ids[department])
    assert [row["amount"] for row in sorted(rows, key=lambda r: int(r["column_no"]))] == printed


@pytest.mark.parametrize(("department", "personnel", "public", "code", "amount"), [
    (JINAN, "2,503.40", "150.98", "30239", "54.34"),
    (QINGDAO, "1,895.34", "107.73", "30108", "158.52"),
])
def test_economic_totals_and_items(extracted: ExtractResult, document_ids: dict[str, str],
                                   department: str, personnel: str, public: str, code: str,
                                   amount: str) -> None:
    rows = figures(extracted, "raw_basic_expenditure_by_economic", document_ids[department])
    totals = {row["economic_name"]: row["amount"] for row in rows if not row["economic_code"]}
    assert totals == {"人员经费合计": personnel, "公用经费合计": public}
    assert [row["amount"] for row in rows if row["economic_code"] == code] == [amount]
