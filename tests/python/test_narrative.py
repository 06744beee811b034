"""Narrative figures (第三部分 情况说明, docs/raw_tables_narrative.md): a fixture narrative with
exact keys and values, and the two real final accounts — every number of the section accounted
for by a row (counted independently of the extractor), and the figures the inventories list
(notes/inventory-jinan-2023.md §2, §3 B; notes/inventory-qingdao-2023.md §2, §3.3)."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_dw.extract.documents import load_document
from fiscal_dw.extract.final_accounts.narrative import COLUMNS, NARRATIVE_FIGURES, extract_narrative_figures
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.final_accounts.standard_tables import extract_standard_tables
from fiscal_dw.extract.text import squeeze

FIXTURE = (Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "narrative"
           / "narrative_final_accounts.txt")
JINAN = "jinan-bigdata-bureau-2023-final-accounts.txt"
QINGDAO = "qingdao-bigdata-bureau-2023-final-accounts.txt"

# The documented vocabulary (docs/raw_tables_narrative.md), as patterns.
_CHANGE = r"(amount|share|yoy_change|yoy_pct|budget_change|budget_change_pct|change|change_pct)"
KEY_PATTERNS = [
    rf"total\.income_expenditure\.{_CHANGE}",
    rf"fiscal\.income_expenditure\.{_CHANGE}",
    r"income\.total\.amount",
    rf"income\.(fiscal_appropriation|superior_subsidy|business_income|operating_income"
    rf"|affiliate_remittance|other_income)\.{_CHANGE}",
    rf"expenditure\.(total|basic|project|remit_to_superior|operating|subsidy_to_affiliates)"
    rf"\.{_CHANGE}",
    rf"general_budget\.total\.{_CHANGE}",
    r"general_budget\.class\.\d{3}\.(amount|share)",
    r"general_budget\.(initial_budget|final_amount|completion_rate)\.total",
    r"function\.\d{7}\.(initial_budget|final_amount|completion_rate)",
    r"basic\.(total|personnel|public)\.amount",
    r"three_public\.(total|overseas_travel|vehicles|vehicle_purchase|vehicle_operation|reception"
    rf"|reception_domestic|reception_overseas)\.(budget|actual|completion_rate|{_CHANGE[1:-1]})",
    r"three_public\.overseas_travel\.(groups|persons)",
    r"three_public\.vehicle_purchase\.count",
    r"three_public\.vehicles\.fleet_count",
    r"three_public\.(reception_domestic|reception_foreign_affairs|reception_overseas)"
    r"\.(batches|persons)",
    rf"operating_cost\.{_CHANGE}",
    r"procurement\.(total|goods|works|services)",
    r"procurement\.(sme|micro)\.(amount|share)",
    r"procurement\.(goods|works|services)\.sme_share",
    r"vehicles\.(fleet|leader|confidential_comms|emergency|law_enforcement|special_technical"
    r"|retired_cadre|other)\.count",
    r"assets\.large_equipment\.(threshold|count)",
    r"performance\.self_evaluation\.(project_count|budget|coverage_share|table_count"
    r"|grade_(excellent|good|fair|poor)_count)",
    r"performance\.(key_evaluation|fiscal_evaluation)\.(project_count|budget|score)",
    r"performance\.project\.\d+\.(score|budget|executed|rate)",
]


def _rows(extracted: Extracted) -> list[dict[str, str]]:
    return extracted.rows.get(NARRATIVE_FIGURES, [])


def _keyed(rows: list[dict[str, str]], key: str) -> list[str]:
    return [row["value"] for row in rows if row["metric_key"] == key]


def _one(rows: list[dict[str, str]], key: str) -> dict[str, str]:
    found = [row for row in rows if row["metric_key"] == key]
    assert len(found) == 1, (key, found)
    return found[0]


# --------------------------------------------------------------------------- fixture


@pytest.fixture(scope="module")
def fixture_extract() -> Extracted:
    return extract_narrative_figures(load_document(FIXTURE))


def test_fixture_rows_have_the_schema_columns(fixture_extract: Extracted) -> None:
    rows = _rows(fixture_extract)
    assert rows
    assert all(tuple(row) == COLUMNS for row in rows)
    assert {row["source_table"] for row in rows} == {"情况说明"}
    assert [row["figure_seq"] for row in rows] == [str(n) for n in range(1, len(rows) + 1)]


def test_fixture_figures_keys_and_values(fixture_extract: Extracted) -> None:
    # (source_line, metric_key, value, unit) of every row, in reading order. The 目录 entry
    # 第三部分 at the top is not the section; years, dates, ordinals, (1) markers and the chart
    # number 图1 give no row.
    assert [(int(r["source_line"]), r["metric_key"], r["value"], r["unit"])
            for r in _rows(fixture_extract)] == [
        (52, "total.income_expenditure.amount", "12345.67", "万元"),
        (52, "total.income_expenditure.yoy_change", "500.00", "万元"),
        (52, "total.income_expenditure.yoy_pct", "4.22", "%"),
        (59, "income.total.amount", "12345.67", "万元"),  # 12,34 5 . 6 7万元
        (59, "income.fiscal_appropriation.amount", "12345.67", "万元"),
        (61, "income.fiscal_appropriation.share", "100", "%"),  # 占 / blank / 100%
        (67, "expenditure.total.amount", "12345.67", "万元"),
        (69, "expenditure.basic.amount", "1234.50", "万元"),  # 基本支出 / blank / 1,234.50
        (69, "expenditure.basic.share", "10.00", "%"),
        (69, "expenditure.project.amount", "11111.17", "万元"),
        (69, "expenditure.project.share", "90.00", "%"),
        (73, "expenditure.basic.amount", "1234.50", "万元"),
        (73, "expenditure.basic.yoy_change", "-34.50", "万元"),
        (73, "expenditure.basic.yoy_pct", "-2.72", "%"),
        (75, "expenditure.project.amount", "11111.17", "万元"),
        (75, "expenditure.project.yoy_change", "534.50", "万元"),
        (75, "expenditure.project.yoy_pct", "5.05", "%"),
        (81, "general_budget.total.amount", "12345.67", "万元"),
        (81, "general_budget.class.201.amount", "10000.00", "万元"),
        (81, "general_budget.class.201.share", "81.00", "%"),
        (81, "general_budget.class.208.amount", "734.5", "万元"),
        (81, "general_budget.class.208.share", "5.95", "%"),
        (81, "general_budget.class.210.amount", "1611.17", "万元"),
        (81, "general_budget.class.210.share", "13.05", "%"),
        (85, "general_budget.initial_budget.total", "11000.00", "万元"),
        (85, "general_budget.final_amount.total", "12345.67", "万元"),
        (85, "general_budget.completion_rate.total", "112.23", "%"),
        (87, "function.2010301.initial_budget", "480.00", "万元"),
        (87, "function.2010301.final_amount", "500.00", "万元"),
        (87, "function.2010301.completion_rate", "104.17", "%"),
        (89, "function.2010399.initial_budget", "0", "万元"),  # 年初无预算: no rate
        (89, "function.2010399.final_amount", "9500", "万元"),
        (93, "function.2080505.initial_budget", "620", "万元"),  # 620 万 / blank / 元
        (95, "function.2080505.final_amount", "600", "万元"),
        (97, "function.2080505.completion_rate", "96.77", "%"),  # …完成年初预算的 / 96.77%
        (99, "function.2080506.initial_budget", "130.00", "万元"),
        (99, "function.2080506.final_amount", "134.5", "万元"),
        (99, "function.2080506.completion_rate", "103.46", "%"),
        (99, "", "2", "名"),  # 新增退休人员 2 名: kept, not keyed
        (101, "function.2100410.initial_budget", "0", "万元"),
        (101, "function.2100410.final_amount", "1611.17", "万元"),
        (105, "basic.total.amount", "1234.50", "万元"),
        (107, "basic.personnel.amount", "1100.00", "万元"),
        (109, "basic.public.amount", "134.50", "万元"),
        (115, "three_public.total.budget", "2.40", "万元"),
        (117, "three_public.total.actual", "2.00", "万元"),
        (117, "three_public.total.completion_rate", "83.33", "%"),
        (121, "three_public.overseas_travel.budget", "0", "万元"),
        (121, "three_public.overseas_travel.actual", "0", "万元"),
        (121, "three_public.overseas_travel.groups", "0", "个"),
        (121, "three_public.overseas_travel.persons", "0", "人次"),
        (123, "three_public.vehicles.budget", "1.40", "万元"),
        (123, "three_public.vehicles.actual", "1.00", "万元"),
        (123, "three_public.vehicles.budget_change", "-0.40", "万元"),
        (123, "three_public.vehicles.completion_rate", "71.43", "%"),
        (125, "three_public.vehicle_purchase.actual", "0", "万元"),
        (125, "three_public.vehicle_purchase.count", "0", "辆"),
        (125, "three_public.vehicle_operation.actual", "1.00", "万元"),
        (125, "three_public.vehicles.fleet_count", "2", "辆"),
        (127, "three_public.reception.budget", "1.00", "万元"),
        (127, "three_public.reception.actual", "1.00", "万元"),
        (127, "three_public.reception.completion_rate", "100", "%"),
        (127, "three_public.reception_domestic.actual", "1.00", "万元"),
        (127, "three_public.reception_domestic.batches", "5", "批次"),
        (127, "three_public.reception_domestic.persons", "30", "人次"),
        (127, "three_public.reception_foreign_affairs.batches", "1", "批次"),
        (127, "three_public.reception_foreign_affairs.persons", "4", "人次"),
        (127, "three_public.reception_overseas.actual", "0", "万元"),
        (127, "three_public.reception_overseas.batches", "0", "批次"),
        (127, "three_public.reception_overseas.persons", "0", "人次"),
        (131, "operating_cost.amount", "120.00", "万元"),
        (131, "operating_cost.yoy_change", "-10.00", "万元"),
        (131, "operating_cost.yoy_pct", "-7.69", "%"),
        (135, "procurement.total", "1000.00", "万元"),
        (135, "procurement.goods", "200.00", "万元"),
        (135, "procurement.works", "0", "万元"),
        (135, "procurement.services", "800.00", "万元"),
        (135, "procurement.sme.amount", "600.00", "万元"),
        (135, "procurement.sme.share", "60.00", "%"),
        (135, "procurement.micro.amount", "300.00", "万元"),
        (135, "procurement.micro.share", "30.00", "%"),
        (135, "procurement.goods.sme_share", "50.00", "%"),
        (135, "procurement.services.sme_share", "62.50", "%"),
        (139, "vehicles.fleet.count", "2", "辆"),
        (139, "vehicles.confidential_comms.count", "1", "辆"),
        (139, "vehicles.other.count", "1", "辆"),
        (139, "assets.large_equipment.threshold", "100", "万元"),
        (139, "assets.large_equipment.count", "3", "台（套）"),
        (143, "performance.self_evaluation.project_count", "3", "个"),
        (143, "performance.self_evaluation.budget", "1500.00", "万元"),
        (143, "performance.self_evaluation.coverage_share", "100", "%"),
        (145, "performance.key_evaluation.project_count", "2", "个"),
        (145, "performance.key_evaluation.budget", "900.00", "万元"),
        (147, "performance.self_evaluation.project_count", "3", "个"),
        (147, "performance.self_evaluation.grade_excellent_count", "3", "个"),
        (149, "performance.project.1.score", "98.50", "分"),
        (149, "performance.project.1.budget", "800", "万元"),
        (149, "performance.project.1.executed", "790.00", "万元"),
        (149, "performance.project.1.rate", "98.75", "%"),
        (149, "", "5", "个"),  # outputs after 项目绩效目标完成情况 are not keyed
        (149, "", "1", "%"),
        (151, "performance.project.2.score", "100", "分"),  # item 2.2020年…: ordinal 2, year 2020
        (151, "performance.project.2.budget", "100", "万元"),
        (151, "performance.project.2.executed", "100", "万元"),
        (151, "performance.project.2.rate", "100", "%"),
        (153, "performance.fiscal_evaluation.score", "88.50", "分"),
    ]


def test_fixture_printed_text_and_sentences(fixture_extract: Extracted) -> None:
    rows = {row["figure_seq"]: row for row in _rows(fixture_extract)}
    broken = rows["4"]
    assert broken["value_text"] == "12,34 5 . 6 7万元"
    assert broken["sentence"].startswith("本年收入合计12,34 5 . 6 7万元，其中：")
    share = rows["6"]  # 占 on one line, 100% two lines down
    assert share["value_text"] == "100%"
    assert share["sentence"].endswith("财政拨款收入 12,345.67 万元，占100%。")
    basic = rows["8"]  # a sentence split by a blank line
    assert basic["sentence"] == (
        "2023 年度支出合计 12,345.67 万元，其中：基本支出1,234.50 万元，占 10.00%；")
    unit_next_line = rows["33"]
    assert unit_next_line["value_text"] == "620 万\n\n元"
    assert squeeze(unit_next_line["value_text"]) == "620万元"
    assert rows["45"]["value_text"] == "2.40 万\n\n元"
    assert rows["88"]["value_text"] == "3 台（套）"
    assert rows["2"]["sentence"] == "与 2022 年度相比，收、支总计各增加 500.00 万元，增长 4.22%。"
    assert rows["39"]["sentence"] == "决算数大于年初预算数的主要原因是新增退休人员 2 名。"


def test_fixture_sections(fixture_extract: Extracted) -> None:
    sections = {row["metric_key"]: row["section"] for row in _rows(fixture_extract)}
    assert sections["total.income_expenditure.amount"] == "一、收入支出决算总体情况说明"
    assert sections["expenditure.basic.yoy_change"] == "三、支出决算情况说明/（二）支出决算具体情况"
    assert sections["function.2010301.initial_budget"] == (
        "五、一般公共预算财政拨款支出决算情况说明/（三）一般公共预算财政拨款支出决算具体情况")
    # a heading followed by prose on its own line ends at its first 。
    assert sections["performance.self_evaluation.coverage_share"] == (
        "十三、预算绩效情况说明/（一）预算绩效管理工作开展情况")


def test_fixture_number_that_cannot_be_normalised_is_a_reject(fixture_extract: Extracted) -> None:
    [reject] = fixture_extract.rejects
    assert (reject.source_table, reject.source_line) == ("情况说明", 149)
    assert "1,23.4" in reject.reason
    assert reject.line_text.startswith("1. 数据平台运维项目绩效自评综述")


def test_document_without_a_narrative_gives_nothing(tmp_path: Path) -> None:
    path = tmp_path / "no_narrative.txt"
    path.write_text("第一部分 部门概况\n\n示范局负责 3 项工作。\n", encoding="utf-8")
    extracted = extract_narrative_figures(load_document(path))
    assert _rows(extracted) == [] and extracted.rejects == []


def test_fixture_standard_tables_can_be_passed_in() -> None:
    document = load_document(FIXTURE)
    passed = extract_narrative_figures(document, tables=extract_standard_tables(document))
    assert _rows(passed) == _rows(extract_narrative_figures(document))


# --------------------------------------------------------------------------- real documents

_PART = re.compile(r"^\s*第[一二三四五六七八九十]+部分")
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[（(]\s*[一二三四五六七八九十]+\s*[）)])")
_ORDINAL = re.compile(r"^\d{1,2}\s*[、.．]\s*")
_FIGURE_AFTER_DOT = re.compile(r"^\d+\s*[.．]\s*\d[\d,]*(\.\d+)?\s*[%万元分个]")
_UNIT_START = "万元%个辆次人项条台件篇分亿批处位名余"


def printed_numbers(path: Path) -> list[str]:
    """The numbers of the 情况说明 part counted without the extractor: the last 第三部分 line
    to the next 第N部分 line, item ordinals removed at line starts (after a finished line or
    a heading), whitespace squeezed, then a plain regex minus years, dates, (n), 第n, 图n."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = max(i for i, line in enumerate(lines) if line.strip().startswith("第三部分"))
    end = next(i for i in range(start + 1, len(lines)) if _PART.match(lines[i]))
    kept, previous_done = [], True
    for line in lines[start + 1:end]:
        text = line.strip()
        if not text:
            continue
        ordinal = _ORDINAL.match(text)
        if ordinal and previous_done and not _FIGURE_AFTER_DOT.match(text):
            text = text[ordinal.end():]
        kept.append(text)
        previous_done = (bool(_HEADING.match(text)) or text.startswith(("图", "(单位", "（单位"))
                         or text[-1] in "。：:；;！？")
    stream = squeeze("".join(kept))
    numbers = []
    for match in re.finditer(r"\d(?:[\d,.]*\d)?", stream):
        number, before = match.group(), stream[match.start() - 1]
        after = stream[match.end()] if match.end() < len(stream) else ""
        if before in "图第" or after in "月日" or (before in "（(" and after in "）)"):
            continue
        if re.fullmatch(r"(19|20)\d\d", number) and after not in _UNIT_START:
            continue
        numbers.append(number.replace(",", ""))
    return numbers


@pytest.fixture(scope="module")
def real(shared_documents: Path) -> dict[str, Extracted]:
    return {name: extract_narrative_figures(load_document(shared_documents / name))
            for name in (JINAN, QINGDAO)}


@pytest.mark.parametrize("name", [JINAN, QINGDAO])
def test_every_number_of_the_section_is_a_row(real: dict[str, Extracted], shared_documents: Path,
                                              name: str) -> None:
    extracted = real[name]
    assert extracted.rejects == []
    values = [row["value"].lstrip("-") for row in _rows(extracted)]
    assert values == printed_numbers(shared_documents / name)
    for row in _rows(extracted):
        assert squeeze(row["value_text"]).replace(",", "").replace("”", "").startswith(
            row["value"].lstrip("-")), row
        assert squeeze(row["value_text"]) in squeeze(row["sentence"]), row


@pytest.mark.parametrize("name", [JINAN, QINGDAO])
def test_keys_are_in_the_documented_vocabulary(real: dict[str, Extracted], name: str) -> None:
    keys = {row["metric_key"] for row in _rows(real[name]) if row["metric_key"]}
    unknown = [key for key in keys if not any(re.fullmatch(p, key) for p in KEY_PATTERNS)]
    assert unknown == []


def test_counts_keyed_and_unkeyed(real: dict[str, Extracted]) -> None:
    counts = {name: (len(_rows(e)), sum(1 for r in _rows(e) if r["metric_key"]))
              for name, e in real.items()}
    assert counts == {JINAN: (235, 189), QINGDAO: (217, 196)}
    # unkeyed figures are the projects' outputs, plus one each named in the docs
    for name, extracted in real.items():
        outside = [r["value_text"] for r in _rows(extracted) if not r["metric_key"]
                   and not r["section"].endswith("市级预算项目绩效自评结果")]
        assert outside == {JINAN: ["2名"], QINGDAO: ["6572.33万元"]}[name]


def test_jinan_totals_and_structure(real: dict[str, Extracted]) -> None:
    rows = _rows(real[JINAN])
    assert _keyed(rows, "total.income_expenditure.amount") == ["15244.45"]
    assert _keyed(rows, "total.income_expenditure.yoy_change") == ["-1023.84"]
    assert _keyed(rows, "total.income_expenditure.yoy_pct") == ["-6.29"]
    assert _keyed(rows, "fiscal.income_expenditure.yoy_change") == ["-1023.84"]
    assert _keyed(rows, "general_budget.total.yoy_change") == ["675.16"]  # inventory B5
    # 其中：基本支出 / blank line / 2,654.39 万元，占 17.41%
    basic = [r for r in rows if r["metric_key"] == "expenditure.basic.amount"][0]
    assert (basic["source_line"], basic["value"], basic["value_text"]) == ("460", "2654.39",
                                                                           "2,654.39 万元")
    assert "其中：基本支出2,654.39 万元，占 17.41%" in basic["sentence"]
    assert _keyed(rows, "expenditure.basic.share") == ["17.41"]
    assert _keyed(rows, "expenditure.basic.yoy_change") == ["-231.51"]
    assert _keyed(rows, "expenditure.project.yoy_change") == ["-792.33"]
    assert {k: _keyed(rows, f"general_budget.class.{k}.share") for k in ("201", "208", "210", "215")} \
        == {"201": ["67.67"], "208": ["2.67"], "210": ["1.07"], "215": ["28.59"]}
    assert _keyed(rows, "basic.total.amount") == ["2654.38"]
    assert _keyed(rows, "basic.personnel.amount") == ["2503.4"]


def test_jinan_item_budgets_against_the_stated_total(real: dict[str, Extracted],
                                                     shared_documents: Path) -> None:
    rows = _rows(real[JINAN])
    budgets = {r["metric_key"].split(".")[1]: Decimal(r["value"]) for r in rows
               if r["metric_key"].endswith(".initial_budget")}
    assert list(budgets) == ["2010301", "2010350", "2010504", "2010599", "2019999", "2080501",
                             "2080502", "2080505", "2080506", "2101101", "2101102", "2150599"]
    assert sum(budgets.values()) == Decimal("16199.88")  # inventory B8: vs the stated total
    assert _keyed(rows, "general_budget.initial_budget.total") == ["16040.49"]
    # 年初无预算: 2010599 and 2019999 state no completion rate; the other 10 do
    rates = [r["metric_key"].split(".")[1] for r in rows if r["metric_key"].endswith(".completion_rate")
             and r["metric_key"].startswith("function.")]
    assert len(rates) == 10 and "2010599" not in rates and "2019999" not in rates
    assert _keyed(rows, "function.2150599.completion_rate") == ["36.91"]  # 的 / blank / 36.91%
    # every 项 决算 equals the 公开05 小计 of its code (inventory B9)
    tables = extract_standard_tables(load_document(shared_documents / JINAN))
    subtotal = {r["subject_code"]: Decimal(r["total"].replace(",", ""))
                for r in tables.rows["raw_expenditure_by_function"] if r["source_table"] == "公开05"}
    for row in rows:
        if row["metric_key"].endswith(".final_amount") and row["metric_key"].startswith("function."):
            assert Decimal(row["value"]) == subtotal[row["metric_key"].split(".")[1]], row


def test_jinan_three_public_procurement_and_performance(real: dict[str, Extracted]) -> None:
    rows = _rows(real[JINAN])
    budget = _one(rows, "three_public.total.budget")
    assert (budget["value"], budget["value_text"]) == ("2.54", "2.54 万\n\n元")
    assert _keyed(rows, "three_public.total.actual") == ["2.54"]
    assert _keyed(rows, "three_public.vehicle_operation.actual") == ["1.31"]
    assert _keyed(rows, "three_public.vehicles.fleet_count") == ["1"]
    assert _keyed(rows, "three_public.reception_domestic.batches") == ["10"]
    assert _keyed(rows, "three_public.reception_domestic.persons") == ["80"]
    assert _keyed(rows, "operating_cost.budget_change") == ["-10.21"]
    assert _keyed(rows, "operating_cost.budget_change_pct") == ["-9.96"]
    assert _keyed(rows, "procurement.total") == ["13794.85"]
    assert _keyed(rows, "procurement.sme.amount") == ["655.98"]
    assert _keyed(rows, "procurement.sme.share") == ["4.76"]
    assert _keyed(rows, "procurement.micro.share") == ["4.76"]
    assert _keyed(rows, "procurement.goods.sme_share") == ["27.88"]
    assert _keyed(rows, "procurement.services.sme_share") == ["2.72"]
    assert _keyed(rows, "vehicles.fleet.count") == ["1"]
    assert _keyed(rows, "vehicles.retired_cadre.count") == ["1"]
    assert _keyed(rows, "assets.large_equipment.count") == ["0"]
    assert _keyed(rows, "performance.self_evaluation.budget") == ["12793.41"]
    assert _keyed(rows, "performance.key_evaluation.project_count") == ["7"]  # vs 642 (B20)
    assert _keyed(rows, "performance.key_evaluation.budget") == ["10367.31"]
    assert _keyed(rows, "performance.fiscal_evaluation.score") == ["89.33"]
    scores = [r["value"] for r in rows if re.fullmatch(r"performance\.project\.\d+\.score",
                                                       r["metric_key"])]
    assert scores == ["99.42", "98.66", "98.62", "99", "99", "99.98", "96.67", "98.02", "99.7",
                      "95", "98.57", "99.88"]
    assert _keyed(rows, "performance.project.7.budget") == ["300"]
    assert _keyed(rows, "performance.project.7.rate") == ["99.23"]


def test_qingdao_broken_number_and_split_lines(real: dict[str, Extracted]) -> None:
    rows = _rows(real[QINGDAO])
    income = _one(rows, "income.total.amount")
    assert (income["source_line"], income["value"], income["value_text"]) == (
        "702", "12927.35", "12,92 7 . 3 5万元")
    share = _one(rows, "general_budget.class.201.share")  # 占 / blank / 86.9%
    assert (share["source_line"], share["value"]) == ("736", "86.9")
    assert "一般公共服务（类）支出11,232.76万元，占86.9%；" in share["sentence"]
    basic = _one(rows, "expenditure.basic.amount")
    assert (basic["value"], basic["value_text"]) == ("2003.07", "2,003.07万\n\n元")
    assert _keyed(rows, "general_budget.class.221.amount") == ["151"]
    assert _keyed(rows, "total.income_expenditure.yoy_change") == ["3461.77"]
    assert _keyed(rows, "total.income_expenditure.yoy_pct") == ["36.57"]
    assert _keyed(rows, "income.other_income.share") == ["0"]


def test_qingdao_item_budgets_against_the_stated_total(real: dict[str, Extracted]) -> None:
    rows = _rows(real[QINGDAO])
    budgets = {r["metric_key"].split(".")[1]: Decimal(r["value"]) for r in rows
               if r["metric_key"].endswith(".initial_budget")}
    assert list(budgets) == ["2010301", "2010350", "2010399", "2010599", "2019999", "2080505",
                             "2080506", "2100410", "2210201"]
    assert sum(budgets.values()) == Decimal("10216.71")  # N10: ±0.01 against the stated total
    assert _keyed(rows, "general_budget.initial_budget.total") == ["10216.72"]
    assert _keyed(rows, "function.2010599.final_amount") == ["835.02"]  # 835.02万 / 元
    assert _keyed(rows, "function.2010350.completion_rate") == ["149.93"]


def test_qingdao_three_public_and_performance(real: dict[str, Extracted]) -> None:
    rows = _rows(real[QINGDAO])
    assert _keyed(rows, "three_public.vehicles.budget") == ["2.5"]
    assert _keyed(rows, "three_public.vehicles.actual") == ["1"]
    assert _keyed(rows, "three_public.vehicles.budget_change") == ["-1.5"]
    assert _keyed(rows, "three_public.vehicles.completion_rate") == ["40"]
    assert _keyed(rows, "three_public.reception.budget_change") == ["1.5"]
    assert _keyed(rows, "three_public.reception_domestic.batches") == ["22"]
    assert _keyed(rows, "three_public.reception_domestic.persons") == ["172"]
    assert _keyed(rows, "three_public.reception_foreign_affairs.batches") == ["0"]
    assert _keyed(rows, "operating_cost.yoy_change") == ["-13.66"]
    assert _keyed(rows, "operating_cost.yoy_pct") == ["-13.6"]
    assert _keyed(rows, "procurement.micro.amount") == ["1963.87"]
    assert _keyed(rows, "procurement.services.sme_share") == ["73.27"]
    assert _keyed(rows, "vehicles.confidential_comms.count") == ["1"]
    equipment = _one(rows, "assets.large_equipment.count")
    assert (equipment["value"], equipment["unit"]) == ("5", "台（套）")
    assert _keyed(rows, "performance.self_evaluation.budget") == ["11379.5"]
    assert _keyed(rows, "performance.key_evaluation.budget") == ["22483.46"]
    assert _keyed(rows, "performance.key_evaluation.score") == ["96.93"]
    assert _keyed(rows, "performance.fiscal_evaluation.score") == ["89.62"]
    projects = {int(r["metric_key"].split(".")[2]) for r in rows
                if r["metric_key"].startswith("performance.project.")}
    assert projects == set(range(1, 20))
    # items 7 and 8 start with a year after the ordinal (7.2010年…, 8.2012-2013…)
    assert _keyed(rows, "performance.project.7.budget") == ["5.45"]
    assert _keyed(rows, "performance.project.8.executed") == ["69.87"]
    assert _keyed(rows, "performance.project.2.budget") == ["150.37"]
    assert _keyed(rows, "performance.project.18.score") == ["94.8"]
