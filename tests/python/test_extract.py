"""The extractor on small documents written for each layout, and on bad input."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_dw.extract.documents import load_document, read_metadata
from fiscal_dw.extract.folder import ExtractResult, extract_document, extract_folder
from fiscal_dw.extract.schemas import RAW_TABLES
from fiscal_dw.extract.text import round_half_up, to_decimal

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
TAB = FIXTURES / "tab_layout_final_accounts.txt"
SPACE = FIXTURES / "space_layout_final_accounts.txt"


def extract(path: Path) -> ExtractResult:
    result = ExtractResult()
    extract_document(load_document(path), result)
    return result


def rows(result: ExtractResult, table: str, **match: str) -> list[dict[str, str]]:
    return [row for row in result.rows[table]
            if all(row.get(key) == value for key, value in match.items())]


def one(result: ExtractResult, table: str, **match: str) -> dict[str, str]:
    found = rows(result, table, **match)
    assert len(found) == 1, (match, found)
    return found[0]


@pytest.fixture(scope="module")
def tab() -> ExtractResult:
    return extract(TAB)


@pytest.fixture(scope="module")
def space() -> ExtractResult:
    return extract(SPACE)


def test_metadata_is_read_from_the_text_not_the_file_name(tmp_path: Path) -> None:
    renamed = tmp_path / "whatever.txt"
    shutil.copy(SPACE, renamed)
    metadata = read_metadata(load_document(renamed))
    assert (metadata.document_kind, metadata.department_name, metadata.fiscal_year) == (
        "final_accounts", "示例市样本中心", "2024")
    assert read_metadata(load_document(TAB)).department_name == "示例市测试局"


@pytest.mark.parametrize("layout", ["tab", "space"])
def test_every_row_is_placed_and_nothing_rejected(layout: str, tab: ExtractResult,
                                                  space: ExtractResult) -> None:
    result = tab if layout == "tab" else space
    assert result.rejects == []
    assert result.rows["raw_documents"][0]["table_layout"] == layout


def test_tab_layout_keeps_blank_cells_as_printed(tab: ExtractResult) -> None:
    row = one(tab, "raw_expenditure_by_function", source_table="公开03", subject_code="210")
    assert (row["total"], row["basic"], row["project"]) == ("200.00", "200.00", "")
    assert row["missing_cells"] == ""  # blank was printed: zero, not unknown


def test_tab_layout_skips_headers_repeated_after_a_page_break(tab: ExtractResult) -> None:
    codes = [row["subject_code"] for row in rows(tab, "raw_income_by_function")]
    assert codes == ["", "201", "20103", "2010301", "210", "21011", "2101101"]
    assert one(tab, "raw_income_by_function", subject_code="")["subject_name"] == "合计"


def test_tab_layout_two_sided_summary(tab: ExtractResult) -> None:
    summary = rows(tab, "raw_income_expenditure_summary", source_table="公开01")
    assert [(r["side"], r["line_no"]) for r in summary if r["side"] == "expenditure"] == [
        ("expenditure", str(n)) for n in range(4, 8)]
    empty_slot = one(tab, "raw_income_expenditure_summary", source_table="公开01", line_no="3")
    assert (empty_slot["item_name"], empty_slot["amount"]) == ("", "")
    gk04 = one(tab, "raw_income_expenditure_summary", source_table="公开04", line_no="6")
    assert (gk04["item_name"], gk04["amount"], gk04["general_budget"], gk04["gov_fund"]) == (
        "本年支出合计", "1,200.50", "1,200.50", "")


def test_tab_layout_economic_groups_and_totals_in_the_last_column(tab: ExtractResult) -> None:
    entries = rows(tab, "raw_basic_expenditure_by_economic")
    assert len(entries) == 12
    assert one(tab, "raw_basic_expenditure_by_economic", economic_code="39999")["amount"] == ""
    totals = {r["economic_name"]: r["amount"] for r in entries if not r["economic_code"]}
    assert totals == {"人员经费合计": "280.00", "公用经费合计": "20.00"}


def test_tab_layout_three_public_expenses(tab: ExtractResult) -> None:
    figures = rows(tab, "raw_three_public_expenses")
    assert [r["column_no"] for r in figures] == [str(n) for n in range(1, 13)]
    reception = one(tab, "raw_three_public_expenses", phase="actual",
                    expense_item="official_reception")
    assert reception["amount"] == "2.00"
    assert one(tab, "raw_three_public_expenses", phase="budget",
               expense_item="overseas_travel")["amount"] == ""


def test_space_layout_reads_a_name_wrapped_before_its_numbers(space: ExtractResult) -> None:
    row = one(space, "raw_income_by_function", subject_code="2010301")
    assert row["subject_name"] == "其他政府办公厅（室）及相关机构事 务支出"
    assert row["total"] == "900.35" and row["other_income"] == "0.10"
    # the row's values are on the line after the wrapped name
    lines = SPACE.read_text(encoding="utf-8").split("\n")
    assert lines[int(row["source_line"]) - 1].startswith("900.35 ")


def test_space_layout_two_sided_with_wrapped_items_and_missing_cells(space: ExtractResult) -> None:
    gk04 = rows(space, "raw_income_expenditure_summary", source_table="公开04")
    income = {r["line_no"]: r for r in gk04 if r["side"] == "income"}
    expenditure = {r["line_no"]: r for r in gk04 if r["side"] == "expenditure"}
    assert sorted(income, key=int) == ["1", "2", "3", "4", "5"]
    assert income["2"]["item_name"] == "二、政府性基金预算财政拨 款"
    assert income["3"]["missing_cells"] == "amount"  # nothing printed, not a blank
    assert expenditure["6"]["item_name"] == "三、国防支 出"
    assert expenditure["6"]["state_capital"] == "0.00"
    assert expenditure["8"]["missing_cells"] == "amount;general_budget;gov_fund;state_capital"


def test_space_layout_repeated_header_inside_code_table(space: ExtractResult) -> None:
    codes = [r["subject_code"] for r in rows(space, "raw_expenditure_by_function",
                                             source_table="公开03")]
    assert codes == ["", "201", "20103", "2010301", "221", "22102", "2210201"]


def test_space_layout_economic_groups_shift_left(space: ExtractResult) -> None:
    entry = one(space, "raw_basic_expenditure_by_economic", economic_code="30108")
    assert (entry["economic_name"], entry["amount"]) == ("机关事业单位基本养老保险缴 费", "140.00")
    assert one(space, "raw_basic_expenditure_by_economic", economic_code="31013")["amount"] == "0.00"
    assert one(space, "raw_basic_expenditure_by_economic", economic_code="399")["amount"] == "0.00"
    assert one(space, "raw_basic_expenditure_by_economic",
               economic_name="公用经费合计")["amount"] == "10.00"


def test_space_layout_three_public_expenses(space: ExtractResult) -> None:
    amounts = [r["amount"] for r in rows(space, "raw_three_public_expenses")]
    assert amounts == ["12.00", "0.00", "8.00", "0.00", "8.00", "4.00",
                       "10.00", "0.00", "6.00", "0.00", "6.00", "4.00"]


def test_a_cell_that_cannot_be_placed_is_rejected_with_table_and_line(tmp_path: Path) -> None:
    text = TAB.read_text(encoding="utf-8").replace(
        "210\t卫生健康支出\t200.00\t200.00\t\t\t\t\t",
        "210\t卫生健康支出\t200.00\t200.00\t\t\t\t\t\t99.99")
    broken = tmp_path / "broken.txt"
    broken.write_text(text, encoding="utf-8")
    result = extract(broken)
    assert len(result.rejects) == 1
    reject = result.rejects[0]
    assert (reject["source_table"], reject["source_file"]) == ("公开02", "broken.txt")
    assert "99.99" in reject["line_text"]
    assert text.split("\n")[int(reject["source_line"]) - 1].endswith("99.99")
    assert any("broken.txt 公开02 line" in message for message in result.errors)
    # the rest of the table still loads
    assert len(rows(result, "raw_income_by_function")) == 6


def test_bad_files_are_reported_and_the_others_still_load(tmp_path: Path) -> None:
    shutil.copy(TAB, tmp_path / "good.txt")
    shutil.copy(TAB, tmp_path / "same-again.txt")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK")
    (tmp_path / "gbk.txt").write_bytes(SPACE.read_text(encoding="utf-8").encode("gb18030"))
    result = extract_folder(tmp_path)
    # files are read in name order, so the first of two identical documents is the one kept
    assert {r["source_file"] for r in result.rows["raw_documents"]} == {"gbk.txt", "good.txt"}
    messages = "\n".join(result.errors)
    assert "empty.txt: empty file" in messages
    assert "binary.txt: binary file" in messages
    assert "same content as" in messages
    gbk = [r for r in result.rows["raw_documents"] if r["source_file"] == "gbk.txt"][0]
    assert gbk["department_name"] == "示例市样本中心"


def test_raw_tables_have_provenance_columns() -> None:
    for name, columns in RAW_TABLES.items():
        assert columns[0] == "document_id", name
        if name != "raw_documents":
            assert "source_line" in columns, name


@pytest.mark.parametrize(("printed", "expected"), [
    ("15,244.45", Decimal("15244.45")), ("0.00", Decimal("0.00")), ("377.5", Decimal("377.5")),
    ("", None), ("  ", None)])
def test_to_decimal(printed: str, expected: Decimal | None) -> None:
    assert to_decimal(printed) == expected


def test_round_half_up_where_float_round_is_wrong() -> None:
    rate = Decimal("79.8") / Decimal("80") * 10
    assert round_half_up(rate) == Decimal("9.98")
    assert round(float(rate), 2) == 9.97  # why Decimal: binary floats round this down


def test_every_raw_table_is_loaded_as_text() -> None:
    """A raw column without a varchar type would be re-typed by dbt's CSV inference
    ('377.50' -> 377.5, '0.00' -> 0), and the printed value would be lost."""
    import yaml

    properties = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "seeds" / "reference" / "_seeds.yml").read_text(
            encoding="utf-8"))
    column_types = {seed["name"]: seed.get("config", {}).get("column_types", {})
                    for seed in properties["seeds"]}
    for name, columns in RAW_TABLES.items():
        assert name in column_types, f"{name} has no entry in seeds/reference/_seeds.yml"
        assert {column: column_types[name].get(column) for column in columns} == {
            column: "varchar" for column in columns}, name


def test_tab_layout_three_public_row_printed_all_blank(tmp_path: Path) -> None:
    """A department with no 三公 prints the data row as blank cells: twelve zeros, not nothing."""
    text = TAB.read_text(encoding="utf-8").replace(
        "3.00\t\t1.00\t\t1.00\t2.00\t2.00\t\t\t\t\t2.00", "\t" * 11)
    blank = tmp_path / "blank.txt"
    blank.write_text(text, encoding="utf-8")
    result = extract(blank)
    figures = rows(result, "raw_three_public_expenses")
    assert [row["amount"] for row in figures] == [""] * 12
    assert result.rejects == []


def test_three_public_table_without_a_data_row_is_rejected(tmp_path: Path) -> None:
    text = TAB.read_text(encoding="utf-8").replace(
        "3.00\t\t1.00\t\t1.00\t2.00\t2.00\t\t\t\t\t2.00\n", "")
    missing = tmp_path / "missing.txt"
    missing.write_text(text, encoding="utf-8")
    result = extract(missing)
    assert rows(result, "raw_three_public_expenses") == []
    assert [(r["source_table"], r["reason"]) for r in result.rejects] == [
        ("公开09", "expected 12 三公 figures, found 0")]


def test_document_cut_off_inside_a_table_is_reported(tmp_path: Path) -> None:
    lines = TAB.read_text(encoding="utf-8").split("\n")
    cut = next(i for i, line in enumerate(lines) if line.startswith("20103\t")) + 1
    truncated = tmp_path / "truncated.txt"
    truncated.write_text("\n".join(lines[:cut]), encoding="utf-8")
    result = extract(truncated)
    assert [(r["source_table"], r["reason"]) for r in result.rejects] == [
        ("公开02", "document ends inside the table (no 注 line after it)")]
    assert any(m.startswith("truncated.txt: standard tables not found: 公开03, 公开04")
               for m in result.errors)
    # what was printed before the cut still loads
    assert [r["subject_code"] for r in rows(result, "raw_income_by_function")] == ["", "201", "20103"]


def test_a_row_with_a_missing_column_is_reported_and_kept(tmp_path: Path) -> None:
    text = SPACE.read_text(encoding="utf-8").replace(
        "22102 住房改革支出 50.00 50.00 0.00", "22102 住房改革支出 50.00 50.00", 1)
    short = tmp_path / "short.txt"
    short.write_text(text, encoding="utf-8")
    result = extract(short)
    row = one(result, "raw_income_by_function", subject_code="22102")
    assert row["missing_cells"] == "other_income"
    assert any(m.startswith(f"short.txt 公开02 line {row['source_line']}: fewer cells")
               for m in result.errors)


def test_a_document_with_no_recognisable_tables_is_reported(tmp_path: Path) -> None:
    (tmp_path / "letter.txt").write_text("关于召开会议的通知\n\n各单位：请准时参加。\n", encoding="utf-8")
    result = extract_folder(tmp_path)
    assert result.rows["raw_documents"][0]["document_kind"] == "unknown"
    assert result.errors == [
        "letter.txt: no recognisable tables or report structure; recorded in raw_documents as unknown"]
