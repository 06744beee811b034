"""Evaluation reports (绩效评价报告 / 绩效评估报告): a small fixture with exact rows, and the real
documents spot-checked against the inventories (notes/inventory-jinan-2023.md §1(c),
notes/inventory-qingdao-2023.md §1(b), N23/N24)."""
from __future__ import annotations

from pathlib import Path

import pytest

from fiscal_dw.extract.documents import load_document
from fiscal_dw.extract.performance.evaluation_report_locating import locate_reports
from fiscal_dw.extract.performance.evaluation_reports import COLUMNS, REPORTS, SCORES, extract_evaluation_reports
from fiscal_dw.extract.rows import Extracted, Reject

FIXTURE = (Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "performance"
           / "evaluation_reports.txt")
JINAN = "jinan-bigdata-bureau-2023-final-accounts.txt"
QINGDAO = "qingdao-bigdata-bureau-2023-final-accounts.txt"


def _without_document(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{key: value for key, value in row.items() if key != "document_id"} for row in rows]


def _scores(extracted: Extracted, report_seq: int) -> list[tuple[str, str, str, str]]:
    return [(row["dimension"], row["max_score"], row["score"], row["presentation"])
            for row in extracted.rows[SCORES] if row["report_seq"] == str(report_seq)]


# --------------------------------------------------------------------------- fixture


@pytest.fixture(scope="module")
def fixture_extract() -> Extracted:
    return extract_evaluation_reports(load_document(FIXTURE))


def test_fixture_rows_have_the_spec_columns(fixture_extract: Extracted) -> None:
    for table, columns in COLUMNS.items():
        assert fixture_extract.rows[table]
        assert all(tuple(row) == columns for row in fixture_extract.rows[table])


def test_fixture_reports(fixture_extract: Extracted) -> None:
    # The 目录 at the top (entries with page numbers) is not a report; report 1 is printed
    # three times (cover title split over two lines, overview box title, title after its own
    # 目录) and is one report; report 3 has a generic title with a subtitle and ends at the
    # self-evaluation table after it (whose 总分 99.88 is not its score).
    assert _without_document(fixture_extract.rows[REPORTS]) == [
        {"source_line": "11", "report_seq": "1", "title": "示范市数据平台运维项目绩效评价报告",
         "project_name": "示范市数据平台运维项目", "evaluator": "示范咨询有限公司",
         "budget_text": "200.00 万元", "total_score": "91.50", "total_score_line": "36",
         "grade": "优", "grade_line": "36"},
        {"source_line": "60", "report_seq": "2",
         "title": "2023年度示范区电子政务外网运维项目绩效评估报告",
         "project_name": "2023年度示范区电子政务外网运维项目", "evaluator": "示范市信息中心",
         "budget_text": "48万元", "total_score": "93", "total_score_line": "80",
         "grade": "优秀", "grade_line": "80"},
        {"source_line": "96", "report_seq": "3",
         "title": "市级项目支出绩效评价报告(示范网站内容保障评估)",
         "project_name": "示范网站内容保障评估", "evaluator": "", "budget_text": "35万元",
         "total_score": "95.5", "total_score_line": "105", "grade": "", "grade_line": ""},
        {"source_line": "121", "report_seq": "4", "title": "2023年度示范政务云服务项目绩效评价报告",
         "project_name": "2023年度示范政务云服务项目", "evaluator": "示范会计师事务所有限公司",
         "budget_text": "500 万元", "total_score": "88.20", "total_score_line": "135",
         "grade": "良", "grade_line": "135"},
        {"source_line": "152", "report_seq": "5",
         "title": "示范市数据局部门整体支出财政绩效评价总览表",
         "project_name": "示范市数据局部门整体支出", "evaluator": "示范资产评估有限公司",
         "budget_text": "1200.50 万元", "total_score": "86.50", "total_score_line": "172",
         "grade": "良", "grade_line": "172"},
    ]


def test_fixture_report_spans() -> None:
    # Each report runs from its title to the next title, the next self-evaluation table title
    # or the next document part heading; 目录 lines are left out.
    document = load_document(FIXTURE)
    spans = []
    for report in locate_reports(document):
        printed = [n for n, text in report.lines if text.strip()]
        spans.append((report.title_line, printed[0], printed[-1]))
    assert spans == [(11, 15, 58), (60, 62, 94), (96, 99, 115), (121, 123, 150), (152, 156, 184)]
    assert document.line(117) == "项目支出绩效自评表" and document.line(186) == "第六部分 其他"
    read = {n for report in locate_reports(document) for n, _ in report.lines}
    assert not {38, 40, 41, 42, 66, 68, 69} & read


def test_fixture_table_breakdown_and_reject(fixture_extract: Extracted) -> None:
    # The overview table (first score table) across its blank line; 表3-1 repeating it is
    # not read again. The unplaceable 备注 row is rejected, the 合计 row is the total.
    assert _scores(fixture_extract, 1) == [
        ("决策", "15.00", "13.50", "table"), ("过程", "15.00", "14.00", "table"),
        ("产出", "40.00", "38.00", "table"), ("效益", "30.00", "26.00", "table")]
    assert [row["source_line"] for row in fixture_extract.rows[SCORES][:4]] == ["29", "30", "32", "33"]
    assert [reject for reject in fixture_extract.rejects if reject.source_table == "评价报告R1得分表"] == [
        Reject("评价报告R1得分表", 34, "value is not a number: 见正文", "备注\t见正文\t\t")]


def test_fixture_prose_breakdown(fixture_extract: Extracted) -> None:
    # Maximum from "（一）项目决策 20 分", a score only where one is stated (实际得分 28 分).
    assert _scores(fixture_extract, 2) == [
        ("项目决策", "20", "", "prose"), ("项目管理", "30", "28", "prose"),
        ("项目绩效", "45", "", "prose")]


def test_fixture_transposed_table(fixture_extract: Extracted) -> None:
    assert _scores(fixture_extract, 3) == [
        ("决策", "14", "14", "table"), ("过程", "16", "15.5", "table"),
        ("产出", "35", "32", "table"), ("效益", "35", "34", "table")]


def test_fixture_level2_table_with_subtotals(fixture_extract: Extracted) -> None:
    # 一级 forward-filled over the merged cell (also past a rejected row), one dimension per
    # 小计 row; 二级 rows are read, not stored; embedded points dropped from the label.
    assert _scores(fixture_extract, 4) == [
        ("项目决策", "14.00%", "13", "table"), ("项目管理", "26.00%", "22", "table"),
        ("项目绩效", "60.00%", "53.2", "table")]
    assert [(r.source_line, r.reason) for r in fixture_extract.rejects
            if r.source_table == "评价报告R4得分表"] == [
        (143, "value is not a number: 待评"), (144, "row without a 一级/二级 label")]


def test_fixture_space_layout_table(fixture_extract: Extracted) -> None:
    # A space-layout overview table, rows between blank lines, a label wrapped onto its own
    # line.
    assert _scores(fixture_extract, 5) == [
        ("财政资源配置", "20", "18", "table"), ("预算管理", "40", "34.50", "table"),
        ("部门履职效能", "40", "34.00", "table")]
    assert [row["source_line"] for row in fixture_extract.rows[SCORES] if row["report_seq"] == "5"] == [
        "164", "166", "170"]


# --------------------------------------------------------------------------- real documents


@pytest.fixture(scope="module")
def jinan(shared_documents: Path) -> Extracted:
    return extract_evaluation_reports(load_document(shared_documents / JINAN))


@pytest.fixture(scope="module")
def qingdao(shared_documents: Path) -> Extracted:
    return extract_evaluation_reports(load_document(shared_documents / QINGDAO))


def _report(extracted: Extracted, report_seq: int) -> dict[str, str]:
    return extracted.rows[REPORTS][report_seq - 1]


# (R, title line, total score, its line, grade, evaluator, number of first-level dimensions
#  and presentation) as listed in the Jinan inventory §1(c).
JINAN_REPORTS = [
    (1, 1244, "92.89", 1436, "优", "山东金信达会计师事务所有限公司", 4, "table"),
    (2, 1554, "88.8", 1605, "良", "山东鲁财云管理咨询有限公司", 5, "table"),
    (3, 2477, "89.33", 2510, "良", "山东鲁财云管理咨询有限公司", 5, "table"),
    (4, 3163, "98.57", 3340, "优秀", "济南市信息中心", 3, "prose"),
    (5, 3372, "90", 3564, "优秀", "济南市信息中心", 3, "prose"),
    (6, 3588, "100", 3724, "", "", 5, "table"),
    (7, 3784, "96", 3985, "优秀", "济南市信息中心", 3, "prose"),
    (8, 4020, "95", 4201, "优秀", "济南市信息中心", 3, "prose"),
    (9, 4238, "96.5", 4336, "优秀", "", 4, "table"),
    (10, 4388, "96", 4583, "优秀", "济南市信息中心", 3, "prose"),
    (11, 4607, "96", 4818, "优秀", "济南市信息中心", 3, "prose"),
    (12, 4844, "96", 5041, "优秀", "济南市信息中心", 3, "prose"),
    (13, 5065, "97", 5278, "优秀", "济南市信息中心", 3, "prose"),
    (14, 5302, "94", 5509, "优秀", "济南市信息中心", 3, "prose"),
    (15, 5535, "94", 5728, "优秀", "济南市信息中心", 3, "prose"),
    (16, 5754, "95.5", 5856, "", "", 0, ""),
    (17, 5956, "93", 6151, "优秀", "济南市信息中心", 3, "prose"),
    (18, 6170, "95", 6382, "优秀", "济南市信息中心", 3, "prose"),
    (19, 6406, "95", 6605, "优秀", "济南市信息中心", 3, "prose"),
    (20, 6661, "95", 6850, "优秀", "济南市信息中心", 3, "prose"),
    (21, 6925, "94.10", 6986, "优", "上海闻政管理咨询有限公司", 4, "table"),
]


def test_jinan_has_21_reports(jinan: Extracted) -> None:
    assert [row["report_seq"] for row in jinan.rows[REPORTS]] == [str(n) for n in range(1, 22)]
    assert jinan.rejects == []


@pytest.mark.parametrize(
    ("seq", "title_line", "score", "score_line", "grade", "evaluator", "dimensions", "presentation"),
    JINAN_REPORTS)
def test_jinan_report(jinan: Extracted, seq: int, title_line: int, score: str, score_line: int,
                      grade: str, evaluator: str, dimensions: int, presentation: str) -> None:
    row = _report(jinan, seq)
    assert (row["source_line"], row["total_score"], row["total_score_line"], row["grade"],
            row["evaluator"]) == (str(title_line), score, str(score_line), grade, evaluator)
    assert row["grade_line"] == (str(score_line) if grade else "")
    breakdown = _scores(jinan, seq)
    assert len(breakdown) == dimensions
    assert {item[3] for item in breakdown} == ({presentation} if dimensions else set())


def test_jinan_titles_projects_and_budgets(jinan: Extracted) -> None:
    r2, r6, r11, r16 = (_report(jinan, seq) for seq in (2, 6, 11, 16))
    assert r2["title"] == "数字泉城建设专项资金（公共数据完善提升）绩效评价报告"  # split over two lines
    assert r2["budget_text"] == "3120 万元"
    assert r6["project_name"] == "《济南市政府网站群视频运维服务》项目"
    assert r6["budget_text"] == "27万元"
    assert r11["budget_text"] == "25万元"  # "预算资金" / "为25万元。" wrapped
    assert r11["title"].endswith("市政务外网视频专网互联网出口运行支撑服务项目）绩效评价报告")
    assert r16["title"] == "市级项目支出绩效评价报告(济南市政府门户网站内容保障评估)"
    assert r16["project_name"] == "济南市政府门户网站内容保障评估"
    assert r16["budget_text"] == "35万元"
    assert _report(jinan, 21)["budget_text"] == "110.00 万元"


def test_jinan_breakdowns(jinan: Extracted) -> None:
    # R1: 一级 rows from the 小计 rows of 表3-1 (max printed as a % weight).
    assert _scores(jinan, 1) == [
        ("项目决策", "14.00%", "13", "table"), ("项目基础管理", "26.00%", "22", "table"),
        ("项目绩效", "40.00%", "38.5", "table"), ("项目效益", "20.00%", "19.39", "table")]
    # R2: the overview box (first score table), 5 dimensions incl. 成本.
    assert _scores(jinan, 2) == [
        ("决策", "14", "11.00", "table"), ("过程", "16", "14.06", "table"),
        ("成本", "6", "6.00", "table"), ("产出", "32", "29.80", "table"),
        ("效益", "32", "27.94", "table")]
    # R4: prose, maxima only, kept although 20 + 30 + 43 = 93 ≠ 98.57 (D30).
    assert _scores(jinan, 4) == [
        ("项目决策", "20", "", "prose"), ("项目管理", "30", "", "prose"),
        ("项目绩效", "43", "", "prose")]
    # R6: points-only table ("10分").
    assert [item[2] for item in _scores(jinan, 6)] == ["10分", "10分", "30分", "30分", "20分"]
    # R9: transposed table.
    assert _scores(jinan, 9) == [
        ("决策", "14", "14", "table"), ("过程", "16", "15.5", "table"),
        ("产出", "35", "32", "table"), ("效益", "35", "35", "table")]
    # R17: breakdown inline on the heading lines.
    assert [item[:2] for item in _scores(jinan, 17)] == [
        ("项目决策", "20"), ("项目管理", "30"), ("项目绩效", "43")]
    assert _scores(jinan, 21) == [
        ("决策", "15.00", "13.10", "table"), ("过程", "15.00", "12.50", "table"),
        ("产出", "40.00", "40.00", "table"), ("效益", "30.00", "28.50", "table")]


def test_qingdao_has_2_reports(qingdao: Extracted) -> None:
    financial, departmental = qingdao.rows[REPORTS]
    assert qingdao.rejects == []
    # 财政评价: opens with its overview box (title split over two lines), N24.
    assert financial["source_line"] == "1404"
    assert financial["title"] == "2023年度青岛市大数据发展管理局部门整体支出财政绩效评价总览表"
    assert financial["evaluator"] == "山东广信达土地房地产资产评估项目管理有限公司"
    assert (financial["total_score"], financial["total_score_line"], financial["grade"],
            financial["grade_line"]) == ("89.62", "1516", "良", "1516")
    # 部门评价: title printed twice, score and grade wrapped over two lines, N23.
    assert departmental["source_line"] == "2910"
    assert departmental["project_name"] == "2023年度政务信息化运维专项资金"
    assert departmental["evaluator"] == "山东大明有限责任会计师事务所"
    assert departmental["budget_text"] == "25,001.358 万元"
    assert (departmental["total_score"], departmental["total_score_line"], departmental["grade"],
            departmental["grade_line"]) == ("96.93", "3294", "优", "3296")


def test_qingdao_breakdowns(qingdao: Extracted) -> None:
    # A1b (space layout) for the 财政评价; prose "决策指标权重分数 15 分，实际得分 14.12 分" for
    # the 部门评价, whose score table B2 prints no first-level sums.
    assert _scores(qingdao, 1) == [
        ("财政资源配置", "12", "12", "table"), ("预算管理", "32", "28", "table"),
        ("绩效管理", "6", "5.5", "table"), ("部门履职效能", "40", "34.78", "table"),
        ("社会效应", "10", "9.34", "table")]
    assert _scores(qingdao, 2) == [
        ("决策", "15", "14.12", "prose"), ("过程", "15", "13.79", "prose"),
        ("产出", "30", "29.94", "prose"), ("效益", "40", "39.08", "prose")]
