"""Word exports with one cell per line → raw_budget_execution_lines / raw_performance_indicators."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_dw.extract.documents import PERFORMANCE_EVALUATION, classify, load_document
from fiscal_dw.extract.performance.evaluation_word_tables import BUDGET_LINE_COLUMNS, extract_word_export_tables
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.performance.self_evaluation_reports import INDICATOR_COLUMNS

FIXTURE = (Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "performance"
           / "word_export_evaluation.txt")
QINGDAO_2020 = "qingdao-egov-platform-2020-performance-evaluation.txt"


def extract_text(tmp_path: Path, text: str) -> Extracted:
    path = tmp_path / "document.txt"
    path.write_text(text, encoding="utf-8")
    return extract_word_export_tables(load_document(path))


def budget_lines(result: Extracted) -> list[dict[str, str]]:
    return result.rows.get("raw_budget_execution_lines", [])


def indicator_rows(result: Extracted) -> list[dict[str, str]]:
    return result.rows.get("raw_performance_indicators", [])


def fields(rows: list[dict[str, str]], *columns: str) -> list[tuple[str, ...]]:
    return [tuple(row[column] for column in columns) for row in rows]


# --------------------------------------------------------------------------- fixture document


@pytest.fixture(scope="module")
def fixture_result() -> Extracted:
    document = load_document(FIXTURE)
    assert classify(document) == PERFORMANCE_EVALUATION
    return extract_word_export_tables(document)


def test_fixture_nothing_rejected_no_scores(fixture_result: Extracted) -> None:
    assert fixture_result.rejects == []
    # the work-task table 表1-1 has no raw table; the document has no scores
    assert set(fixture_result.rows) == {"raw_budget_execution_lines", "raw_performance_indicators"}
    assert all(tuple(row) == BUDGET_LINE_COLUMNS for row in budget_lines(fixture_result))
    assert all(tuple(row) == INDICATOR_COLUMNS for row in indicator_rows(fixture_result))


def test_fixture_budget_lines(fixture_result: Extracted) -> None:
    rows = budget_lines(fixture_result)
    assert fields(rows, "source_line", "row_seq", "printed_seq", "row_kind", "area", "unit_name",
                  "line_name", "budget", "executed", "note") == [
        ("49", "1", "", "total", "", "", "合计", "1,250.50", "1,180.25", "-"),
        ("54", "2", "", "subtotal", "平台运维资金", "", "（一）平台运维资金", "250.50", "180.25", "-"),
        ("61", "3", "1", "item", "平台运维资金", "网站处", "门户网站运维", "230.50", "180.25", "-"),
        ("68", "4", "2", "item", "平台运维资金", "——", "电子证照平台", "20.00", "0.00", "未开展"),
        ("73", "5", "", "subtotal", "云服务资金", "", "（二）云服务资金", "1,000.00", "1,000.00", "-"),
        ("80", "6", "3", "item", "云服务资金", "平台处", "政务云租用", "1,000.00", "1,000.00", ""),
    ]
    assert {row["source_table"] for row in rows} == {"表1-2"}
    assert {(row["initial_budget"], row["execution_rate"]) for row in rows} == {("", "")}
    # 万元 because the prose prints the 合计 budget (1250.50万元) and spend (1,180.25 万元)
    assert {row["amount_unit"] for row in rows} == {"万元"}
    assert {row["document_id"] for row in rows} == {load_document(FIXTURE).document_id}


def test_fixture_indicators(fixture_result: Extracted) -> None:
    rows = indicator_rows(fixture_result)
    assert fields(rows, "source_table", "source_line", "project_seq", "indicator_seq", "level1",
                  "level2", "indicator_name", "target_text") == [
        ("表1-3", "95", "1", "1", "产出指标", "数量指标", "运维系统数量", "≥3个"),
        ("表1-3", "100", "1", "2", "产出指标", "数量指标", "云主机数量", "≥100台"),
        ("表1-3", "105", "1", "3", "产出指标", "成本指标", "——", "——"),  # placeholder, as printed
        ("表1-3", "110", "1", "4", "效益指标", "社会效益", "网站访问量", "≥10万次"),
        ("表1-3", "115", "1", "5", "满意度指标", "服务对象满意度", "服务对象满意度", "≥90%"),
    ]
    assert {(row["adjusted_target_text"], row["actual_text"], row["weight"], row["score"],
             row["deviation_note"]) for row in rows} == {("", "", "", "", "")}


def test_unit_is_empty_when_the_prose_does_not_print_the_totals(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("1250.50万元", "一千余万元")
    result = extract_text(tmp_path, text)
    assert {row["amount_unit"] for row in budget_lines(result)} == {""}
    assert len(budget_lines(result)) == 6 and result.rejects == []


def test_unit_printed_in_the_header_wins(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("\t预算\n", "\t预算（元）\n")
    assert {row["amount_unit"] for row in budget_lines(extract_text(tmp_path, text))} == {"元"}


def test_rows_that_do_not_fit_are_rejected(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("\t（二）云服务资金\n", "\t其他说明\n")  # a 4-cell row that is no summary
    text = text.replace("\t政务云租用\n", "\t政务云租用\n\t多余\n")  # 7 cells under 6 columns
    text = text.replace("\t云主机数量\n", "\t\n")  # an indicator row without a name
    result = extract_text(tmp_path, text)
    assert Counter(reject.reason for reject in result.rejects) == {
        "summary row label is neither a total nor an area": 4,
        "row has 7 cells, header has 6": 7,
        "indicator row without an indicator name": 1,
    }
    assert {reject.source_table for reject in result.rejects} == {"表1-2", "表1-3"}
    assert len(budget_lines(result)) == 4 and len(indicator_rows(result)) == 4


def test_line_numbers_do_not_matter(tmp_path: Path) -> None:
    result = extract_text(tmp_path, "封面\n\n\n" + FIXTURE.read_text(encoding="utf-8"))
    assert [row["source_line"] for row in budget_lines(result)][:2] == ["52", "57"]
    assert len(indicator_rows(result)) == 5 and result.rejects == []


# --------------------------------------------------------------------------- the real document


@pytest.fixture(scope="module")
def qingdao(shared_documents: Path) -> Extracted:
    return extract_word_export_tables(load_document(shared_documents / QINGDAO_2020))


def test_qingdao_nothing_rejected_no_scores(qingdao: Extracted) -> None:
    assert qingdao.rejects == []
    assert "raw_self_evaluations" not in qingdao.rows


def test_qingdao_budget_table(qingdao: Extracted) -> None:
    rows = budget_lines(qingdao)
    assert len(rows) == 26
    assert Counter(row["row_kind"] for row in rows) == {"total": 1, "subtotal": 2, "item": 23}
    assert {row["source_table"] for row in rows} == {"表1-2"}
    assert {row["amount_unit"] for row in rows} == {"万元"}
    assert [row["row_seq"] for row in rows] == [str(n) for n in range(1, 27)]
    total = rows[0]
    assert fields([total], "row_kind", "line_name", "budget", "executed", "note", "source_line") == [
        ("total", "合计", "4,600.00", "4,495.10", "-", "194")]
    subtotals = [row for row in rows if row["row_kind"] == "subtotal"]
    assert fields(subtotals, "area", "budget", "executed", "source_line") == [
        ("共性应用软件升级维护资金", "1,191.00", "1,087.80", "199"),
        ("政务大数据和云计算专项资金", "3,409.00", "3,407.30", "344")]
    items = [row for row in rows if row["row_kind"] == "item"]
    assert [row["printed_seq"] for row in items] == [str(n) for n in range(1, 24)]
    assert Counter(row["area"] for row in items) == {
        "共性应用软件升级维护资金": 20, "政务大数据和云计算专项资金": 3}
    assert fields(items[9:10], "unit_name", "line_name", "budget", "executed", "note",
                  "source_line") == [
        ("电子政务处", "政务网站群监测服务", "29.58", "8.87",
         "因业务调整，20.71万元划拨给市政府办公厅进行支出", "269")]
    assert [row["printed_seq"] for row in items if row["note"] == "未开展"] == ["9", "13", "16", "21"]
    assert {row["unit_name"] for row in items if row["note"] == "未开展"} == {"——"}
    assert fields(items[-1:], "line_name", "budget", "executed") == [
        ("政务大数据和云计算中心平台服务费", "3,380.30", "3,380.30")]
    # the printed subtotals, not the detail rows, make the 合计 (Q-C5/Q-C6)
    assert sum(Decimal(row["budget"].replace(",", "")) for row in subtotals) == Decimal("4600.00")
    assert sum(Decimal(row["executed"].replace(",", "")) for row in items) == Decimal("4495.11")


def test_qingdao_indicator_table(qingdao: Extracted) -> None:
    rows = indicator_rows(qingdao)
    assert len(rows) == 19
    assert {(row["source_table"], row["project_seq"]) for row in rows} == {("表1-3", "1")}
    assert [row["indicator_seq"] for row in rows] == [str(n) for n in range(1, 20)]
    assert Counter(row["level1"] for row in rows) == {"产出指标": 13, "效益指标": 5, "满意度指标": 1}
    assert Counter(row["level2"] for row in rows) == {
        "数量指标": 4, "质量指标": 6, "时效指标": 2, "成本指标": 1, "社会效益": 4, "可持续效益": 1,
        "服务对象满意度": 1}
    assert fields(rows[:2], "source_line", "indicator_name", "target_text") == [
        ("384", "系统升级维护项目数量", "≥18项"), ("389", "云虚拟机采购数", "≥1200台")]
    assert fields([row for row in rows if row["indicator_name"] == "——"], "level2", "target_text",
                  "source_line") == [("成本指标", "——", "444"), ("可持续效益", "——", "469")]
    assert fields(rows[-1:], "level1", "level2", "indicator_name", "target_text") == [
        ("满意度指标", "服务对象满意度", "服务对象满意度", "≥85%")]
    assert rows[11]["target_text"] == "2020年11月底"


def test_a_column_without_a_raw_home_is_rejected_cell_by_cell(tmp_path: Path) -> None:
    text = ("表2-1 指标表\n\t一级指标\n\t二级指标\n\t三级指标\n\t指标值\n\t评分标准\n\n"
            "\t产出指标\n\t数量指标\n\t系统数量\n\t≥2个\n\t按比例得分\n\n"
            "\t\n\t\n\t验收率\n\t100%\n\t\n\n正文\n")
    result = extract_text(tmp_path, text)
    assert fields(indicator_rows(result), "source_table", "source_line", "level2", "indicator_name",
                  "target_text") == [("表2-1", "11", "数量指标", "系统数量", "≥2个"),
                                     ("表2-1", "17", "数量指标", "验收率", "100%")]
    assert [(r.source_line, r.reason, r.line_text) for r in result.rejects] == [
        (11, "no raw column for header '评分标准'", "产出指标 | 数量指标 | 系统数量 | ≥2个 | 按比例得分")]
