"""Tab-layout 项目支出绩效自评表 / 自评情况汇总表: a written fixture, then the real Jinan document."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_dw.extract.documents import SourceDocument, load_document
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.performance.self_evaluation_tables.tab import (
    COLUMNS,
    INDICATORS,
    SELF_EVALUATIONS,
    SUMMARIES,
    extract_tab_self_evaluations,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "performance" / "tab_self_evaluation.txt"
JINAN_FILE = "jinan-bigdata-bureau-2023-final-accounts.txt"


def evaluations(result: Extracted) -> list[dict[str, str]]:
    return result.rows.get(SELF_EVALUATIONS, [])


def indicators(result: Extracted, project_seq: str | None = None) -> list[dict[str, str]]:
    return [row for row in result.rows.get(INDICATORS, [])
            if project_seq is None or row["project_seq"] == project_seq]


def summaries(result: Extracted) -> list[dict[str, str]]:
    return result.rows.get(SUMMARIES, [])


def document_from_text(tmp_path: Path, text: str) -> SourceDocument:
    path = tmp_path / "document.txt"
    path.write_text(text, encoding="utf-8")
    return load_document(path)


# --------------------------------------------------------------------------- fixture


@pytest.fixture(scope="module")
def fixture_document() -> SourceDocument:
    return load_document(FIXTURE)


@pytest.fixture(scope="module")
def fixture_result(fixture_document: SourceDocument) -> Extracted:
    return extract_tab_self_evaluations(fixture_document)


def test_fixture_rows_have_the_spec_columns(fixture_result: Extracted) -> None:
    for table, rows in fixture_result.rows.items():
        assert rows and all(tuple(row) == COLUMNS[table] for row in rows), table
    assert fixture_result.rejects == []


def test_fixture_self_evaluations(fixture_result: Extracted, fixture_document: SourceDocument) -> None:
    first, second = evaluations(fixture_result)
    blank = {column: "" for column in COLUMNS[SELF_EVALUATIONS]}
    assert first == {
        **blank, "document_id": fixture_document.document_id, "source_table": "项目支出绩效自评表",
        "source_line": "11", "project_seq": "1", "project_name": "数据平台运维经费",
        "supervising_department": "示例市数据服务局", "implementing_unit": "示例市数据服务中心",
        "amount_unit": "万元",
        # header and data off by one column: read from the labels, not from the header
        "total_initial": "100", "total_adjusted": "100", "total_executed": "98",
        "budget_weight": "10", "execution_rate": "98.00%", "budget_score": "9.8",
        "current_year_initial": "80", "current_year_adjusted": "80", "current_year_executed": "78",
        "carryover_initial": "20", "carryover_adjusted": "20", "carryover_executed": "20",
        "other_initial": "0", "other_adjusted": "0", "other_executed": "0",
        "total_score": "97.80",
    }
    # top block shifted one column left; a zero denominator printed as "-"; "-" kept as printed
    assert second == {
        **blank, "document_id": fixture_document.document_id, "source_table": "项目支出绩效自评表",
        "source_line": "36", "project_seq": "2", "project_name": "数据开放试点项目",
        "supervising_department": "示例市数据服务局", "implementing_unit": "示例市数据服务中心",
        "amount_unit": "万元",
        "total_initial": "0", "total_adjusted": "0", "total_executed": "0",
        "budget_weight": "10", "execution_rate": "-", "budget_score": "0",
        "current_year_initial": "0", "current_year_adjusted": "0", "current_year_executed": "0",
        "carryover_initial": "0", "carryover_adjusted": "0", "carryover_executed": "0",
        "other_initial": "-", "other_adjusted": "-", "other_executed": "-",
        "total_score": "81.00",
    }


INDICATOR_FIELDS = ("source_line", "project_seq", "indicator_seq", "level1", "level2",
                    "indicator_name", "target_text", "actual_text", "weight", "score",
                    "deviation_note")


def test_fixture_indicators(fixture_result: Extracted) -> None:
    got = [tuple(row[field] for field in INDICATOR_FIELDS) for row in indicators(fixture_result)]
    assert got == [
        # embedded points stripped from the label: 成本指标（20分） → 成本指标
        ("25", "1", "1", "成本指标", "经济成本指标", "总成本", "≤100万元", "98万元", "20", "20", ""),
        ("26", "1", "2", "产出指标", "数量指标", "安全检测次数", "≥2次", "2次", "10", "10", ""),
        # page break: the hierarchy reprinted (with the outer 年度绩效指标) is accepted
        ("28", "1", "3", "产出指标", "数量指标", "数据集更新次数", "≥4次", "4次", "10", "10", ""),
        ("29", "1", "4", "产出指标", "质量指标", "平台可用率", "≥99.9%", "99.5%", "20", "18",
         "偏差原因：3月机房断电导致停机。改进措施：增加备用电源。"),
        # the name printed in column 0: hierarchy forward-filled
        ("30", "1", "5", "产出指标", "质量指标", "数据准确率", "≥98%", "98%", "10", "10", ""),
        ("31", "1", "6", "效益指标", "社会效益指标", "数据调用次数", "≥100万次", "120万次", "10", "10", ""),
        ("32", "1", "7", "满意度指标", "服务对象满意度指标", "用户满意度", "≥90%", "92%", "10", "10", ""),
        # a note over two cells is joined
        ("50", "2", "1", "产出指标", "数量指标", "开放数据集数量", "≥50个", "45个", "40", "36",
         "偏差原因：部分部门数据未按期提供。改进措施：纳入年度考核。"),
        # "0" as the actual value is text, not the 分值
        ("51", "2", "2", "产出指标", "时效指标", "按期开放率", "=100%", "0", "5", "0",
         "偏差原因：试点延期至2024年。"),
        # 一级 printed in the 二级 column, then a 二级 label in the 一级 column
        ("52", "2", "3", "效益指标", "经济效益指标", "节约采购成本", "≥5万元", "6万元", "15", "15", ""),
        ("53", "2", "4", "效益指标", "社会效益指标", "数据下载次数", "≥1万次", "1.2万次", "20", "20", ""),
        ("55", "2", "5", "满意度指标", "服务对象满意度指标", "用户满意度", "≥90%", "95%", "10", "10", ""),
    ]
    assert all(row["adjusted_target_text"] == "" for row in indicators(fixture_result))
    for evaluation in evaluations(fixture_result):
        rows = indicators(fixture_result, evaluation["project_seq"])
        assert sum(Decimal(row["weight"]) for row in rows) == 90
        assert (sum(Decimal(row["score"]) for row in rows) + Decimal(evaluation["budget_score"])
                == Decimal(evaluation["total_score"]))


def test_fixture_summary(fixture_result: Extracted, fixture_document: SourceDocument) -> None:
    blank = {column: "" for column in COLUMNS[SUMMARIES]}
    common = {**blank, "document_id": fixture_document.document_id, "source_table": "自评情况汇总表",
              "implementing_unit": "示例市数据服务中心"}
    assert summaries(fixture_result) == [
        {**common, "source_line": "8", "row_seq": "1", "printed_seq": "1",
         "project_name": "数据平台运维经费", "execution_rate": "98.00%", "score": "97.8"},
        {**common, "source_line": "9", "row_seq": "2", "printed_seq": "2",
         "project_name": "数据开放试点项目", "execution_rate": "-", "score": "81"},
    ]


def test_lines_that_cannot_be_placed_are_rejected(tmp_path: Path, fixture_document: SourceDocument) -> None:
    lines = list(fixture_document.lines)
    assert lines[29].startswith("数据准确率") and lines[56].startswith("总分在80分以下")
    lines[56] = lines[56].rstrip("\t") + "\t试点项目资金未到位，下年度申请追加预算。"
    lines.insert(30, "\t\t备注：数据来源于平台日志\t\t\t\t")
    result = extract_tab_self_evaluations(document_from_text(tmp_path, "\n".join(lines) + "\n"))
    assert [(r.source_table, r.source_line, r.reason) for r in result.rejects] == [
        ("项目支出绩效自评表", 31, "indicator row without a 分值 · 得分 pair"),
        ("项目支出绩效自评表", 58, "explanation under the 总分在80分以下 line is not stored"),
    ]
    # the rest of the table is still read
    assert [len(indicators(result, seq)) for seq in ("1", "2")] == [7, 5]
    assert [row["total_score"] for row in evaluations(result)] == ["97.80", "81.00"]


def test_titles_without_tab_rows_are_not_read(tmp_path: Path) -> None:
    text = "\n".join([
        "2023年度市级预算项目绩效自评情况汇总表和市级预算项目绩效自评表详见第五部分附件，以下为说明文字。",
        "市级预算项目支出绩效自评表",
        "（ 2023 年度）",
        "单位：万元",
        "项目名称 新型数据中心建设奖补资金 主管部门 示例市数据服务局",
        "年度资金总额 800 800 800 10 1 10",
    ]) + "\n"
    result = extract_tab_self_evaluations(document_from_text(tmp_path, text))
    assert result.rows == {} and result.rejects == []


# --------------------------------------------------------------------------- Jinan


@pytest.fixture(scope="module")
def jinan(shared_documents: Path) -> Extracted:
    return extract_tab_self_evaluations(load_document(shared_documents / JINAN_FILE))


JINAN_INDICATOR_COUNTS = [28, 12, 20, 9, 19, 49, 12, 71, 12, 12, 11, 28]


def test_jinan_counts(jinan: Extracted) -> None:
    assert len(evaluations(jinan)) == 12
    assert [len(indicators(jinan, str(seq))) for seq in range(1, 13)] == JINAN_INDICATOR_COUNTS
    assert len(summaries(jinan)) == 12
    assert jinan.rejects == []


def test_jinan_weights_and_scores_add_up(jinan: Extracted) -> None:
    for evaluation in evaluations(jinan):
        rows = indicators(jinan, evaluation["project_seq"])
        assert sum(Decimal(row["weight"]) for row in rows) == 90, evaluation["source_line"]
        assert (sum(Decimal(row["score"]) for row in rows) + Decimal(evaluation["budget_score"])
                == Decimal(evaluation["total_score"])), evaluation["source_line"]
        assert all(row["level1"] and row["level2"] and row["indicator_name"] for row in rows)
        assert [row["indicator_seq"] for row in rows] == [str(n) for n in range(1, len(rows) + 1)]


def test_jinan_first_table(jinan: Extracted) -> None:
    first = evaluations(jinan)[0]
    assert (first["total_adjusted"], first["total_executed"], first["execution_rate"],
            first["total_score"]) == ("144", "142.86", "99.21%", "99.42")
    assert (first["source_line"], first["project_name"], first["amount_unit"],
            first["budget_score"]) == ("734", "大数据工作业务经费", "万元", "9.92")


def test_jinan_figures_per_table(jinan: Extracted) -> None:
    got = [(row["source_line"], row["total_adjusted"], row["total_executed"], row["execution_rate"],
            row["total_score"], row["implementing_unit"]) for row in evaluations(jinan)]
    center, bureau = "济南市信息中心", "济南市大数据局"
    assert got == [
        ("734", "144", "142.86", "99.21%", "99.42", bureau),
        ("781", "80", "79.8", "99.75%", "99.98", bureau),
        ("811", "79.6", "76.9", "96.61%", "98.66", bureau),
        ("850", "6567.8", "6567.8", "100.00%", "99.00", bureau),
        ("877", "1614.05", "1614.05", "100.00%", "99.00", bureau),  # top block shifted left
        ("915", "2852.5", "2744.71", "96.22%", "98.62", bureau),
        ("985", "80", "79.8", "99.75%", "99.98", bureau),  # T2 printed again: kept
        ("1015", "700", "690.5", "98.64%", "98.02", center),
        ("1108", "131.85", "131.85", "100.00%", "99.70", center),
        ("1138", "79.61", "79.61", "100.00%", "98.57", center),
        ("1168", "10", "10", "100.00%", "95.00", center),
        ("1197", "234", "231.18", "98.79%", "99.88", center),
    ]
    t3, t6 = evaluations(jinan)[2], evaluations(jinan)[5]
    assert (t3["other_adjusted"], t3["current_year_adjusted"]) == ("79.6", "0")
    assert (t6["current_year_executed"], t6["carryover_executed"]) == ("2462.21", "282.5")


def test_jinan_shifted_and_duplicated_indicator_rows(jinan: Extracted) -> None:
    by_line = {row["source_line"]: row for row in indicators(jinan)}
    # T5: 一级 in the 二级 column, then 二级 labels in the 一级 column
    assert [(by_line[n]["level1"], by_line[n]["level2"]) for n in ("905", "906", "907", "908")] == [
        ("效益指标", "经济效益指标"), ("效益指标", "社会效益指标"), ("效益指标", "生态效益指标"),
        ("效益指标", "可持续发展影响指标")]
    assert by_line["907"]["deviation_note"].startswith("偏差原因：智管中心主要能耗设备")
    # T6: the name in column 0 after a page break, hierarchy forward-filled
    assert (by_line["948"]["level2"], by_line["948"]["indicator_name"]) == ("数量指标", "部门业务整合数")
    # T8: the duplicated row is kept (Σ 分值 = 90 needs it)
    keep = ("level1", "level2", "indicator_name", "target_text", "actual_text", "weight", "score")
    assert [by_line["1090"][k] for k in keep] == [by_line["1096"][k] for k in keep]
    # "0" as an actual value, "1" meaning 100 %
    assert (by_line["1062"]["actual_text"], by_line["1062"]["weight"], by_line["1062"]["score"]) == ("0", "1", "0")
    assert (by_line["805"]["target_text"], by_line["805"]["actual_text"]) == ("1", "1")


def test_jinan_summary(jinan: Extracted) -> None:
    got = [(row["source_line"], row["printed_seq"], row["execution_rate"], row["score"])
           for row in summaries(jinan)]
    assert got == [
        ("721", "1", "99.21%", "99.42"), ("722", "2", "96.61%", "98.66"),
        ("723", "3", "96.22%", "98.62"), ("724", "4", "100.00%", "99"),
        ("725", "5", "100.00%", "99"), ("726", "6", "99.75%", "99.98"),
        ("727", "7", "99.23%", "96.67"), ("728", "8", "98.64%", "98.02"),
        ("729", "9", "100.00%", "99.7"), ("730", "10", "100.00%", "98.57"),
        ("731", "11", "100.00%", "95"), ("732", "12", "98.79%", "99.88"),
    ]
    assert {row["source_table"] for row in summaries(jinan)} == {"自评情况汇总表"}
    assert sum(row["project_name"] == "信息技术发展资金" for row in summaries(jinan)) == 8


@pytest.mark.parametrize("name", [
    "jincheng-bigdata-bureau-2022-project-self-evaluations.txt",
    "qingdao-bigdata-bureau-2023-final-accounts.txt",
    "qingdao-egov-platform-2020-performance-evaluation.txt",
])
def test_other_documents_have_no_tab_self_evaluations(shared_documents: Path, name: str) -> None:
    result = extract_tab_self_evaluations(load_document(shared_documents / name))
    assert result.rows == {} and result.rejects == []
