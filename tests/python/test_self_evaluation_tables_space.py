"""Space-layout 项目支出绩效自评表 / 汇总表 / 预算执行明细表: a written fixture, then the real Qingdao document."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_dw.extract.documents import SourceDocument, load_document
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.performance.self_evaluation_tables.space import extract_space_self_evaluations
from fiscal_dw.extract.performance.self_evaluation_tables.space_tables import (
    BUDGET_COLUMNS,
    BUDGET_LINES,
    COLUMNS,
    INDICATORS,
    SELF_EVALUATIONS,
    SUMMARIES,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
FIXTURE = FIXTURES / "performance" / "space_self_evaluation.txt"
QINGDAO_FILE = "qingdao-bigdata-bureau-2023-final-accounts.txt"


def table(result: Extracted, name: str, **match: str) -> list[dict[str, str]]:
    return [row for row in result.rows.get(name, [])
            if all(row.get(key) == value for key, value in match.items())]


def indicator_tuple(row: dict[str, str]) -> tuple[str, ...]:
    return (row["level1"], row["level2"], row["indicator_name"], row["target_text"],
            row["actual_text"], row["weight"], row["score"], row["deviation_note"])


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
    return extract_space_self_evaluations(fixture_document)


def test_fixture_counts_and_no_rejects(fixture_result: Extracted) -> None:
    assert {name: len(rows) for name, rows in fixture_result.rows.items()} == {
        SELF_EVALUATIONS: 2, INDICATORS: 13, SUMMARIES: 3, BUDGET_LINES: 4}
    assert fixture_result.rejects == []


def test_fixture_rows_have_exactly_the_spec_columns(fixture_result: Extracted,
                                                     fixture_document: SourceDocument) -> None:
    for name in (SELF_EVALUATIONS, INDICATORS, SUMMARIES):
        for row in fixture_result.rows[name]:
            assert tuple(row) == COLUMNS[name]
            assert row["document_id"] == fixture_document.document_id
    for row in fixture_result.rows[BUDGET_LINES]:
        assert tuple(row) == BUDGET_COLUMNS


def test_fixture_first_table_broken_header_cells(fixture_result: Extracted) -> None:
    first = table(fixture_result, SELF_EVALUATIONS, project_seq="1")[0]
    expected = {
        "source_table": "项目支出绩效自评表", "source_line": "42",
        "project_name": "数字经济监测平台运维", "supervising_department": "海滨市数字经济服务中心",
        "implementing_unit": "海滨市数字经济服务中心", "amount_unit": "万元",
        "total_initial": "120.5", "total_adjusted": "110.25", "total_executed": "108.125",
        "budget_weight": "10", "execution_rate": "0.98", "budget_score": "9.81",
        "current_year_initial": "120.5", "current_year_adjusted": "110.25",
        "current_year_executed": "108.125",
        "carryover_initial": "", "carryover_adjusted": "", "carryover_executed": "",
        "other_initial": "", "other_adjusted": "", "other_executed": "",
        "indicator_weight_subtotal": "90", "indicator_score_subtotal": "88.33",
        "total_score": "98.14", "grade": "", "stated_total_score": "",
    }
    assert {key: first[key] for key in expected} == expected


def test_fixture_second_table_without_attachment_line(fixture_result: Extracted) -> None:
    second = table(fixture_result, SELF_EVALUATIONS, project_seq="2")[0]
    assert second["source_line"] == "195"  # a page-start title line, no 附件2 above it
    assert (second["project_name"], second["implementing_unit"]) == ("中小企业数字化转型服务平台建设", "各区市")
    assert (second["total_initial"], second["total_adjusted"], second["total_executed"],
            second["execution_rate"], second["budget_score"]) == ("35", "35", "35", "1", "10")
    assert (second["current_year_initial"], second["carryover_initial"], second["carryover_executed"],
            second["other_initial"]) == ("30", "5", "5", "")
    assert (second["indicator_weight_subtotal"], second["indicator_score_subtotal"],
            second["total_score"]) == ("90", "90", "100")


def test_fixture_first_table_indicators(fixture_result: Extracted) -> None:
    rows = table(fixture_result, INDICATORS, project_seq="1")
    assert [row["indicator_seq"] for row in rows] == [str(n) for n in range(1, 9)]
    assert [row["source_line"] for row in rows] == ["116", "127", "136", "142", "146", "159", "167", "181"]
    assert [indicator_tuple(row) for row in rows] == [
        ("成本指标", "经济成本指标", "平台运维成本", "≤120.5万元", "108.125", "10", "10", ""),
        ("产出指标", "数量指标", "监测企业数量", "≥500家", "620", "10", "10",
         "监测企业实际增加，超出预期。"),
        # a wrapped name, then a note ending in a lone '。'
        ("产出指标", "数量指标", "重点行业运行监测报告发布数量", "≥12期", "10", "10", "8.33",
         "两期报告因数据源调整推迟发布。"),
        ("产出指标", "质量指标", "数据准确率", "≥98%", "99%", "10", "10", ""),
        ("产出指标", "时效指标", "月度数据更新时限", "≤5个工作日", "3个工作日", "10", "10", ""),
        # the target printed inside the name; the empty '指标1： 无' slot before it is not a row
        ("效益指标", "社会效益指标", "企业诉求响应时间≤2小时", "≤2小时", "1.5小时", "15", "15", ""),
        # name and target wrapped over two lines each; the note fused with the next label
        ("效益指标", "社会效益指标", "推动数据资源在重点行业开放共享，支撑产业决策",
         "形成行业监测分析机制", "完成", "15", "15", "机制已建立，报告按季发布。"),
        # the actual value and the scores drifted to the next line
        ("满意度指标", "服务对象满意度指标", "企业用户满意度", "≥90%", "93%", "10", "10", ""),
    ]
    assert all(row["adjusted_target_text"] == "" for row in rows)


def test_fixture_second_table_indicators(fixture_result: Extracted) -> None:
    rows = table(fixture_result, INDICATORS, project_seq="2")
    assert [indicator_tuple(row) for row in rows] == [
        ("成本指标", "经济成本指标", "项目建设成本", "≤35万元", "35", "10", "10", ""),
        ("产出指标", "数量指标", "服务企业数量", "≥200家", "236家", "20", "20", ""),
        ("产出指标", "时效指标", "平台上线时间", "2024年6月底前", "是", "20", "20", ""),
        # three wrapped cells above a bare '30 30' value line
        ("效益指标", "社会效益指标", "降低中小企业数字化转型门槛", "为企业提供诊断、咨询和上云服务",
         "完成", "30", "30", ""),
        # the 二级 label printed again as the indicator name
        ("满意度指标", "服务对象满意度指标", "服务对象满意度指标", "≥95%", "96%", "10", "10", ""),
    ]
    assert rows[3]["source_line"] == "286"


def test_fixture_weights_sum_to_90(fixture_result: Extracted) -> None:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in fixture_result.rows[INDICATORS]:
        sums[row["project_seq"]] += Decimal(row["weight"])
    assert sums == {"1": 90, "2": 90}


def test_fixture_summary_tables(fixture_result: Extracted) -> None:
    rows = fixture_result.rows[SUMMARIES]
    keys = ("source_table", "source_line", "row_seq", "printed_seq", "implementing_unit",
            "project_category", "fund_name", "project_name", "initial_budget", "adjusted_budget",
            "executed", "execution_rate", "score", "grade", "findings")
    assert [tuple(row[key] for key in keys) for row in rows] == [
        ("市级使用资金绩效自评情况汇总表", "330", "1", "1", "海滨市数字经济服务中心", "特定目标类",
         "数字经济发展专项资金", "数字经济监测平台运维", "120.5", "110.25", "108.13", "98.07%",
         "98.14", "优", "无"),
        ("市级使用资金绩效自评情况汇总表", "336", "2", "2", "海滨市数字经济服务中心", "其他运转类",
         "市财力资金", "数据资源目录编制", "8", "8", "7.2", "90.00%", "95.5", "优", "无"),
        # 附件7 prints 项目实施单位 after 项目名称 and has no trailing rate
        ("对下转移支付绩效自评情况汇总表", "362", "3", "1", "各区市", "特定目标类",
         "数字经济发展专项资金", "中小企业数字化转型服务平台建设", "35", "35", "35", "", "100",
         "优", "无"),
    ]


def test_fixture_budget_execution_table(fixture_result: Extracted) -> None:
    rows = fixture_result.rows[BUDGET_LINES]
    keys = ("source_table", "source_line", "row_seq", "printed_seq", "row_kind", "unit_name",
            "amount_unit", "initial_budget", "budget", "executed", "execution_rate", "area",
            "line_name", "note")
    assert [tuple(row[key] for key in keys) for row in rows] == [
        ("表1", "27", "1", "1", "item", "海滨市数字经济服务中心信息化保障科", "元",
         "5,000,000", "4,800,000", "4,750,000.5", "98.96%", "", "", ""),
        ("表1", "29", "2", "2", "item", "海滨市政务数据局", "元",
         "7,345,670", "7,205,000", "6,900,000", "95.77%", "", "", ""),
        ("表1", "30", "3", "3", "item", "海滨市会展服务中心", "元", "0", "0", "0", "0%", "", "", ""),
        # the 合计 row carries a 序号 too; the prose states 1,234.567 万元 = 12,345,670.00 元
        ("表1", "32", "4", "4", "total", "合计", "元",
         "12,345,670.00", "12,005,000", "11,650,000.50", "97.04%", "", "", ""),
    ]


def test_budget_unit_left_empty_when_the_text_does_not_state_it(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("1,234.567 万", "1,234 万")
    result = extract_space_self_evaluations(document_from_text(tmp_path, text))
    assert {row["amount_unit"] for row in result.rows[BUDGET_LINES]} == {""}


def test_unplaceable_indicator_text_is_rejected(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(" 指标1： 无", "待补充的指标说明")
    result = extract_space_self_evaluations(document_from_text(tmp_path, text))
    assert [(r.source_table, r.line_text, r.reason) for r in result.rejects] == [
        ("项目支出绩效自评表", "待补充的指标说明", "indicator text without a 分值 · 得分 pair")]
    assert len(result.rows[INDICATORS]) == 13


SINGLE_LINE_TABLES = """\
市级预算项目支出绩效自评表
（ 2024 年度）
单位：万元
项目名称 测试项目 主管部门 测试局
项目实施单位 测试局 联系电话 1
项目预算执行情况（10分）
年初预算数 调整后预算数（A） 全年执行数（B） 分值 执行率（B/A) 得分
年度资金总额 10 10 10 10 1 10
其中：当年财政拨款 10 10 10 - -
上年结转资金 - -
其他资金 - -
年度总体目标
年初预期目标 目标实际完成情况
年
度
绩
效
指
标
一级指标 二级指标 三级指标 年度指标值（A） 实际完成指标值（B） 分值 得分 偏差原因分析及改进措施
成本指标（10分） 经济成本指标 项目成本 ≤10万元 10 10 10
产出指标（40分） 数量指标 模块数量 ≥4个 5 20 20
超额完成。系统稳定性 ≥99% 100% 20 20
 年
度
绩
效
指
标
一级指标 二级指标 三级指标 年度指标值（A） 实际完成指标值（B） 分值 得分 偏差原因分析及改进措施
效益指标（30分） 社会效益指标 用户覆盖 ≥100人 120人 30 30
满意度指标（10分） 服务对象满意度指标 满意度 ≥90% 95% 10 10
小计 90 90
总分 100
附件3
市级使用资金绩效自评情况汇总表
部门名称： 单位：万元
序号 项目实施单位 项目类别（特定目标类/其他运转类） 资金名称 项目名称 年初预算数 预算调整数 执行数 评价得分 评价等级 评价发现问题
1 测试局 特定目标类 专项资金 测试项目 10 10 10 100 优 无 100.00%
 序号 项目实施单位 项目类别（特定目标类/其他运转类） 资金名称 项目名称 年初预算数 预算调整数 执行数 评价得分 评价等级 评价发现问题
2 测试局 其他运转类 专项资金 第二项目 5 5 4 95 优 无 80.00%
说明：项目绩效自评总分在90分（含）以上的为“优”。
"""


def test_single_line_rows_reprinted_headers_and_a_note_fused_into_a_name(tmp_path: Path) -> None:
    result = extract_space_self_evaluations(document_from_text(tmp_path, SINGLE_LINE_TABLES))
    assert result.rejects == []
    evaluation = result.rows[SELF_EVALUATIONS][0]
    assert (evaluation["total_adjusted"], evaluation["execution_rate"], evaluation["total_score"]) == (
        "10", "1", "100")
    assert [indicator_tuple(row) for row in result.rows[INDICATORS]] == [
        ("成本指标", "经济成本指标", "项目成本", "≤10万元", "10", "10", "10", ""),
        ("产出指标", "数量指标", "模块数量", "≥4个", "5", "20", "20", "超额完成。"),
        ("产出指标", "数量指标", "系统稳定性", "≥99%", "100%", "20", "20", ""),
        ("效益指标", "社会效益指标", "用户覆盖", "≥100人", "120人", "30", "30", ""),
        ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95%", "10", "10", ""),
    ]
    assert [(row["printed_seq"], row["implementing_unit"], row["project_category"], row["fund_name"],
             row["project_name"], row["executed"], row["execution_rate"])
            for row in result.rows[SUMMARIES]] == [
        ("1", "测试局", "特定目标类", "专项资金", "测试项目", "10", "100.00%"),
        ("2", "测试局", "其他运转类", "专项资金", "第二项目", "4", "80.00%"),
    ]


def test_tab_layout_documents_are_left_alone() -> None:
    for path in (FIXTURES / "performance" / "tab_self_evaluation.txt",
                 FIXTURES / "tab_layout_final_accounts.txt",
                 FIXTURES / "space_layout_final_accounts.txt"):
        result = extract_space_self_evaluations(load_document(path))
        assert result.rows == {} and result.rejects == [], path


# --------------------------------------------------------------------------- Qingdao 2023


@pytest.fixture(scope="module")
def qingdao(shared_documents: Path) -> Extracted:
    return extract_space_self_evaluations(load_document(shared_documents / QINGDAO_FILE))


def test_qingdao_counts_and_no_rejects(qingdao: Extracted) -> None:
    assert len(qingdao.rows[SELF_EVALUATIONS]) == 19
    assert len(qingdao.rows[INDICATORS]) == 177
    assert qingdao.rejects == []


def test_qingdao_weights_sum_to_90_per_table(qingdao: Extracted) -> None:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in qingdao.rows[INDICATORS]:
        sums[row["project_seq"]] += Decimal(row["weight"])
    assert sums == {str(seq): 90 for seq in range(1, 20)}
    for evaluation in qingdao.rows[SELF_EVALUATIONS]:
        assert evaluation["indicator_weight_subtotal"] == "90"
        scores = sum(Decimal(row["score"]) for row in table(
            qingdao, INDICATORS, project_seq=evaluation["project_seq"]))
        assert scores == Decimal(evaluation["indicator_score_subtotal"])
        assert Decimal(evaluation["budget_score"]) + scores == Decimal(evaluation["total_score"])


def test_qingdao_table_1_scores(qingdao: Extracted) -> None:
    first = table(qingdao, SELF_EVALUATIONS, project_seq="1")[0]
    assert (first["project_name"], first["total_adjusted"], first["total_score"]) == (
        "新型数据中心建设奖补资金", "800", "94.8")
    low = [(row["indicator_name"], row["target_text"], row["actual_text"], row["weight"])
           for row in table(qingdao, INDICATORS, project_seq="1", score="5.4")]
    assert low == [("受奖补数据中心数量", "≥3个", "2", "8"),
                   ("受奖补数据中心纳入省级新型数据中心试点名单", "≥3个", "2", "8")]


def test_qingdao_table_11(qingdao: Extracted) -> None:
    eleventh = table(qingdao, SELF_EVALUATIONS, project_seq="11")[0]
    assert (eleventh["total_adjusted"], eleventh["total_executed"], eleventh["execution_rate"],
            eleventh["budget_score"], eleventh["total_score"]) == ("245.83", "245.44", "1.00", "9.98", "99.98")
    cost = table(qingdao, INDICATORS, project_seq="11", indicator_seq="1")[0]
    assert (cost["indicator_name"], cost["target_text"], cost["actual_text"], cost["deviation_note"]) == (
        "机关运行信息化项目运维预算控制数", "≤377.3万元", "241.539192", "由于项目调整，部分资金交回。")


def test_qingdao_hazard_rows(qingdao: Extracted) -> None:
    def one(project: str, name: str) -> dict[str, str]:
        found = table(qingdao, INDICATORS, project_seq=project, indicator_name=name)
        assert len(found) == 1, (project, name, found)
        return found[0]

    embedded = one("17", "页面跳转、普通数据操作和信息查询，响应时间≤2秒")  # H13
    assert (embedded["target_text"], embedded["actual_text"], embedded["score"]) == ("≤2秒", "2秒", "3.63")
    drifted = one("13", "服务对象满意度指标度")  # H17
    assert (drifted["target_text"], drifted["actual_text"], drifted["source_line"]) == ("≥98%", "98%", "7717")
    fused = one("12", "主页访问量")  # H14: '指标值。满意度'
    assert fused["deviation_note"].endswith("合理设立指标值。")
    page_start = one("13", "系统数据使用量")  # H1 page start inside the table
    assert (page_start["level2"], page_start["target_text"], page_start["source_line"]) == (
        "社会效益指标", ">5个", "7708")
    vertical = one("14", "项目运维预算控制数")  # H15 成/本/指/标
    assert vertical["level1"] == "成本指标"
    wrapped = one("7", "提高公共和市场资源配置效率、提高政策影响力")
    assert wrapped["target_text"] == "通过人口大数据提升教育承载、重点产业结构、重点商业区域活力的研判能力。"
    assert wrapped["actual_text"].startswith("1、提供学区儿童规模数据分析。2、形成《")
    assert not table(qingdao, INDICATORS, indicator_name="指标1： 无")


def test_qingdao_summaries(qingdao: Extracted) -> None:
    own = table(qingdao, SUMMARIES, source_table="市级使用资金绩效自评情况汇总表")
    transfers = table(qingdao, SUMMARIES, source_table="对下转移支付绩效自评情况汇总表")
    assert len(own) == 17 and len(transfers) == 2
    assert [row["printed_seq"] for row in own] == [str(n) for n in range(1, 18)]
    first = own[0]
    assert (first["implementing_unit"], first["project_category"], first["fund_name"],
            first["project_name"], first["initial_budget"], first["adjusted_budget"],
            first["executed"], first["score"], first["grade"], first["findings"],
            first["execution_rate"]) == (
        "青岛市大数据发展管理局", "特定目标类", "政务信息化运维专项资金", "机关运行信息化项目运维",
        "377.3", "245.83", "245.44", "99.98", "优", "无", "99.84%")
    smart_city = table(qingdao, SUMMARIES, project_name="新型智慧城市建设相关奖补资金")
    assert [(row["implementing_unit"], row["fund_name"], row["executed"], row["score"],
             row["execution_rate"]) for row in smart_city] == [
        ("相关区市", "先进制造业发展资金", "965", "90", "")]


def test_qingdao_budget_execution_table(qingdao: Extracted) -> None:
    rows = qingdao.rows[BUDGET_LINES]
    assert [row["row_kind"] for row in rows] == ["item"] * 54 + ["total"]
    assert [row["printed_seq"] for row in rows] == [str(n) for n in range(1, 56)]
    assert {row["source_table"] for row in rows} == {"表1"}
    assert {row["amount_unit"] for row in rows} == {"元"}
    row31 = rows[30]
    assert (row31["unit_name"], row31["initial_budget"], row31["budget"], row31["executed"],
            row31["execution_rate"]) == (
        "青岛市大数据发展管理局", "70,100,100", "66,362,485.21", "65,723,267.76", "99.04%")
    total = rows[-1]
    assert (total["unit_name"], total["source_line"], total["initial_budget"], total["budget"],
            total["executed"]) == ("合计", "3102", "250,013,581.20", "238,752,918.25", "224,834,555.71")
    for column in ("initial_budget", "budget", "executed"):
        assert sum(Decimal(row[column].replace(",", "")) for row in rows[:-1]) == Decimal(
            total[column].replace(",", ""))
    assert rows[0]["unit_name"] == "中国共产主义青年团青岛市委员会"


def test_other_shared_documents_give_nothing(shared_documents: Path) -> None:
    for path in sorted(shared_documents.glob("*.txt")):
        if path.name == QINGDAO_FILE:
            continue
        result = extract_space_self_evaluations(load_document(path))
        assert result.rows == {} and result.rejects == [], path.name
