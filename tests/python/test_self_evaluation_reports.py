"""项目支出绩效自评分析报告 → raw_self_evaluations / raw_performance_indicators."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from fiscal_dw.extract.documents import SELF_EVALUATION, classify, load_document
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.performance.self_evaluation_reports import (
    INDICATOR_COLUMNS,
    SELF_EVALUATION_COLUMNS,
    extract_self_evaluation_reports,
)

FIXTURE = (Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "performance"
           / "self_evaluation_reports.txt")
JINCHENG = "jincheng-bigdata-bureau-2022-project-self-evaluations.txt"
SOURCE_TABLE = "项目支出绩效自评分析报告"


def extract_text(tmp_path: Path, text: str) -> Extracted:
    path = tmp_path / "document.txt"
    path.write_text(text, encoding="utf-8")
    return extract_self_evaluation_reports(load_document(path))


def evaluations(result: Extracted) -> list[dict[str, str]]:
    return result.rows.get("raw_self_evaluations", [])


def indicators(result: Extracted, project_seq: str) -> list[dict[str, str]]:
    return [row for row in result.rows.get("raw_performance_indicators", [])
            if row["project_seq"] == project_seq]


# --------------------------------------------------------------------------- fixture document


@pytest.fixture(scope="module")
def fixture_result() -> Extracted:
    document = load_document(FIXTURE)
    assert classify(document) == SELF_EVALUATION
    return extract_self_evaluation_reports(document)


def test_fixture_nothing_rejected_and_columns_complete(fixture_result: Extracted) -> None:
    assert fixture_result.rejects == []
    assert all(tuple(row) == SELF_EVALUATION_COLUMNS for row in evaluations(fixture_result))
    assert all(tuple(row) == INDICATOR_COLUMNS
               for row in fixture_result.rows["raw_performance_indicators"])
    document_id = load_document(FIXTURE).document_id
    assert {row["document_id"] for table in fixture_result.rows.values() for row in table} == {
        document_id}


def test_fixture_one_row_per_report(fixture_result: Extracted) -> None:
    first, second = evaluations(fixture_result)
    assert first == {
        **{column: "" for column in SELF_EVALUATION_COLUMNS},
        "document_id": first["document_id"], "source_table": SOURCE_TABLE, "source_line": "2",
        "project_seq": "1", "project_name": "示例数据共享平台运维项目",
        "supervising_department": "201-示例市数据局", "implementing_unit": "201001-示例市数据中心",
        "amount_unit": "元",
        "total_initial": "1,200,000", "total_adjusted": "900,000", "total_executed": "900,000",
        "execution_rate": "100", "budget_score": "10",
        "current_year_initial": "1,200,000", "current_year_adjusted": "900,000",
        "current_year_executed": "900,000",
        # the prose: the score sentence on line 50, the rate sentence split by a page break
        "stated_execution_rate": "75%", "stated_indicator_score": "86", "stated_total_score": "96",
        "stated_grade": "优", "stated_source_line": "50",
    }
    assert second["source_line"] == "62" and second["project_seq"] == "2"
    assert second["project_name"] == "2024 年示例会议保障经费"
    assert second["implementing_unit"] == "201002-示例市会议服务中心"
    assert [second[c] for c in ("total_initial", "total_adjusted", "total_executed",
                                "execution_rate", "budget_score")] == [
        "80,000", "64,000.50", "56,000.25", "87.50", "8.75"]
    assert [second[c] for c in ("current_year_initial", "current_year_adjusted",
                                "current_year_executed")] == ["50,000", "40,000.50", "36,000.25"]
    assert [second[c] for c in ("carryover_initial", "carryover_adjusted",
                                "carryover_executed")] == ["30,000", "24,000", "20,000"]
    assert [second[c] for c in ("other_initial", "other_adjusted", "other_executed")] == [
        "-", "-", "-"]
    assert [second[c] for c in ("stated_execution_rate", "stated_indicator_score",
                                "stated_total_score", "stated_grade", "stated_source_line")] == [
        "70%", "78.5", "87.25", "良", "89"]
    assert [second[c] for c in ("budget_weight", "total_score", "grade",
                                "indicator_weight_subtotal", "indicator_score_subtotal")] == [""] * 5


def test_fixture_indicator_rows(fixture_result: Extracted) -> None:
    first = indicators(fixture_result, "1")
    # the blank line and the markdown dash row inside the table are not rows
    assert [row["source_line"] for row in first] == ["37", "38", "39", "41", "42", "43"]
    assert [row["indicator_seq"] for row in first] == ["1", "2", "3", "4", "5", "6"]
    assert [(row["level1"], row["level2"]) for row in first] == [
        ("产出指标", "数量指标"), ("产出指标", "数量指标"), ("产出指标", "质量指标"),
        ("产出指标", "成本指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标")]
    assert {key: first[0][key] for key in (
        "indicator_name", "target_text", "adjusted_target_text", "actual_text", "weight", "score",
        "deviation_note", "source_table")} == {
        "indicator_name": "接入系统数(个)", "target_text": "20", "adjusted_target_text": "≥20 个",
        "actual_text": "18", "weight": "20", "score": "18", "deviation_note": "两个系统延后接入",
        "source_table": SOURCE_TABLE}
    assert first[5]["adjusted_target_text"] == "$\\geq 90\\%$"
    assert first[4]["actual_text"] == "达成预期指标" and first[4]["score"] == "28"
    second = indicators(fixture_result, "2")
    assert [(row["indicator_seq"], row["indicator_name"], row["score"]) for row in second] == [
        ("1", "保障会议场次", "30"), ("2", "保障及时性", "20"), ("3", "参会人员满意度（%）", "28.5")]
    assert second[1]["level1"] == "产出指标" and second[1]["level2"] == "时效指标"


def test_file_name_and_line_numbers_do_not_matter(tmp_path: Path, fixture_result: Extracted) -> None:
    shifted = extract_text(tmp_path, "前言\n\n" + FIXTURE.read_text(encoding="utf-8"))
    assert [row["source_line"] for row in evaluations(shifted)] == ["4", "64"]
    assert [row["stated_total_score"] for row in evaluations(shifted)] == ["96", "87.25"]
    assert len(shifted.rows["raw_performance_indicators"]) == 9 and shifted.rejects == []


# --------------------------------------------------------------------------- rejects


REPORT_HEAD = "项目支出绩效自评分析报告\n项目名称：测试项目\n项目单位：测试单位\n主管部门：测试部门\n"
BUDGET_HEADER = ("资金来源\t年初预算数\t\t全年预算数(元)\t全年执行数(元)\t资金结(转)余(元)\t执行率\t得分\n"
                 "\t目标申报(元)\t预算编制(元)\t\t\t\t\t\n")
INDICATOR_HEADER = ("一级指标\t二级指标\t指标名称\t年度指标\t\t实际完成值\t权重\t得分\t偏差原因分析及改进措施\n"
                    "\t\t\t年初指标\t调整后指标\t\t\t\t\n")


def test_budget_rows_that_cannot_be_placed_are_rejected(tmp_path: Path) -> None:
    result = extract_text(tmp_path, REPORT_HEAD + "(一) 预算执行情况\n" + BUDGET_HEADER
                          + "合计\t100\t90\t80\t80\t0\t100\t10\n"
                          + "省级财政资金\t60\t60\t50\t50\t0\t\t\n"
                          + "市县区财政资金\t40\t30\t30\t30\t0\t\t\n"
                          + "社会捐赠\t0\t0\t0\t0\t0\t\t\n")
    row = evaluations(result)[0]
    assert (row["total_initial"], row["current_year_initial"]) == ("90", "60")
    assert [(r.source_line, r.reason) for r in result.rejects] == [
        (8, "年初预算数 目标申报 differs from 预算编制 (kept 预算编制)"),
        (10, "second row for the same funding kind"),
        (11, "funding source has no column in raw_self_evaluations"),
    ]
    assert all(r.source_table == SOURCE_TABLE for r in result.rejects)


def test_indicator_rows_that_cannot_be_placed_are_rejected(tmp_path: Path) -> None:
    result = extract_text(tmp_path, REPORT_HEAD + INDICATOR_HEADER
                          + "产出指标\t数量指标\t甲\t1\t≥1\t1\t10\t10\t\n"
                          + "\t\t\t2\t≥2\t2\t10\t10\t\n"
                          + "\t\t乙\t1\t≥1\t1\t10\t10\t\t多出的单元格\n"
                          + "\n正文\n目录以外的表\t1\n")
    assert [row["indicator_name"] for row in result.rows["raw_performance_indicators"]] == ["甲"]
    assert [(r.source_line, r.reason) for r in result.rejects] == [
        (8, "indicator row without an indicator name"),
        (9, "cells beyond the indicator table's header"),
        (12, "tab-delimited block is neither a budget nor an indicator table"),
    ]


def test_a_report_without_tables_or_prose_still_gets_its_row(tmp_path: Path) -> None:
    result = extract_text(tmp_path, REPORT_HEAD)
    row = evaluations(result)[0]
    assert (row["project_name"], row["total_initial"], row["stated_grade"]) == ("测试项目", "", "")
    assert result.rejects == []


def test_a_document_without_reports_gives_nothing(tmp_path: Path) -> None:
    result = extract_text(tmp_path, "某某部门决算\n合计\t1\t2\n")
    assert result.rows == {} and result.rejects == []


# --------------------------------------------------------------------------- the real document


@pytest.fixture(scope="module")
def jincheng(shared_documents: Path) -> Extracted:
    return extract_self_evaluation_reports(load_document(shared_documents / JINCHENG))


def test_jincheng_nine_reports_nothing_rejected(jincheng: Extracted) -> None:
    assert jincheng.rejects == []
    rows = evaluations(jincheng)
    assert [row["project_seq"] for row in rows] == [str(n) for n in range(1, 10)]
    assert [row["source_line"] for row in rows] == [
        "2", "117", "228", "342", "461", "569", "683", "799", "911"]
    assert {row["amount_unit"] for row in rows} == {"元"}
    assert {row["supervising_department"] for row in rows} == {"102-晋城市大数据应用局"}
    assert {row["implementing_unit"] for row in rows} == {"102001-晋城市大数据应用局"}
    assert rows[4]["project_name"] == "2022 年需付合同款"
    assert rows[5]["project_name"] == "慧晋城运营指挥中心建设项目"  # sic, as printed


# (project_seq, 年初, 全年预算, 全年执行, table 执行率, 得分, prose rate, 指标得分, 总得分, grade, score line)
JINCHENG_FIGURES = [
    ("1", "2,500,000", "1,563,900", "1,563,900", "100", "10", "60%", "90", "100", "优", "81"),
    ("2", "1,988,000", "795,200", "795,200", "100", "10", "40%", "85.9", "95.9", "优", "192"),
    ("3", "3,280,000", "1,312,000", "1,312,000", "100", "10", "40%", "80", "90", "优", "306"),
    ("4", "4,000,000", "1,670,200", "1,670,200", "100", "10", "41.76%", "90", "100", "优", "423"),
    ("5", "50,000,000", "7,000,000", "7,000,000", "100", "10", "14%", "55.65", "65.65", "中", "535"),
    ("6", "50,000,000", "48,393,622.05", "48,393,622.05", "100", "10", "96.79%", "86", "96", "优",
     "645"),
    ("7", "1,000,000", "600,000", "600,000", "100", "10", "60%", "70", "80", "良", "763"),
    ("8", "4,000,000", "0", "0", "0", "0", "0%", "90", "90", "优", "875"),
    ("9", "500,000", "69,676.88", "69,676.88", "100", "10", "13.94%", "79.5", "89.5", "良", "999"),
]


@pytest.mark.parametrize("expected", JINCHENG_FIGURES, ids=lambda e: f"R{e[0]}")
def test_jincheng_printed_figures(jincheng: Extracted, expected: tuple[str, ...]) -> None:
    row = next(row for row in evaluations(jincheng) if row["project_seq"] == expected[0])
    columns = ("total_initial", "total_adjusted", "total_executed", "execution_rate", "budget_score",
               "stated_execution_rate", "stated_indicator_score", "stated_total_score",
               "stated_grade", "stated_source_line")
    assert tuple(row[c] for c in columns) == expected[1:]
    # the 市县区财政资金 row repeats the 合计 figures
    assert (row["current_year_initial"], row["current_year_adjusted"],
            row["current_year_executed"]) == expected[1:4]


def test_jincheng_indicator_rows(jincheng: Extracted) -> None:
    per_report = Counter(row["project_seq"] for row in jincheng.rows["raw_performance_indicators"])
    assert per_report == {"1": 10, "2": 7, "3": 7, "4": 9, "5": 6, "6": 6, "7": 8, "8": 6, "9": 11}
    first = indicators(jincheng, "1")
    # line 73 is a blank line inside the table
    assert [row["source_line"] for row in first] == [
        "65", "66", "67", "68", "69", "70", "71", "72", "74", "75"]
    assert (first[8]["level1"], first[8]["level2"], first[8]["indicator_name"]) == (
        "效益指标", "社会效益指标", "提高热线服务水平")
    assert (first[7]["level2"], first[7]["target_text"], first[7]["adjusted_target_text"]) == (
        "成本指标", "30000", "<30000元")
    r5 = indicators(jincheng, "5")
    assert (r5[3]["target_text"], r5[3]["adjusted_target_text"], r5[3]["actual_text"],
            r5[3]["weight"], r5[3]["score"]) == ("24979.87", "=24979.87万元", "700", "10", "1.4")
    assert r5[3]["deviation_note"] == "全年预算资金5000万，预算资金不足及财政支付流程调整未完成支付。"
    r9 = indicators(jincheng, "9")
    assert r9[7]["adjusted_target_text"] == "及时无"  # printed artefact, kept
    assert indicators(jincheng, "4")[-1]["adjusted_target_text"] == "$\\geq 90\\%$"


@pytest.mark.parametrize(("project_seq", "score_sum"), [
    ("1", "90"), ("2", "85.9"), ("3", "80"), ("4", "90"), ("5", "55.65"), ("6", "86"),
    ("7", "70"), ("8", "90"), ("9", "79.5")])
def test_jincheng_indicator_scores_add_up_to_the_stated_score(
        jincheng: Extracted, project_seq: str, score_sum: str) -> None:
    from decimal import Decimal
    rows = indicators(jincheng, project_seq)
    assert sum(Decimal(row["weight"]) for row in rows) == 90
    assert sum(Decimal(row["score"]) for row in rows) == Decimal(score_sum)
