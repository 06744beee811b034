"""Labels and number formats shared by the load report's page, its charts and the run's screen."""
from __future__ import annotations

import html
import re
from typing import Any

STATUSES = ("pass", "rounding", "fail", "not_evaluable")
STATUS_LABELS = {"pass": "通过", "rounding": "尾差", "fail": "不符", "not_evaluable": "无法核对"}
STATUS_COLOURS = {"pass": "#59a14f", "rounding": "#e8b53a", "fail": "#d62728", "not_evaluable": "#9aa5b1"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告"}
KIND_LABELS = {
    "final_accounts": "部门决算",
    "project_self_evaluation": "项目支出绩效自评",
    "performance_evaluation": "绩效评价报告",
    "unknown": "未识别",
}
FAMILY_LABELS = {
    "hierarchy": "层级汇总",
    "row_total": "行内合计",
    "summary_balance": "收支总表平衡",
    "economic_total": "经济分类合计",
    "three_public": "三公经费",
    "cross_table": "表间勾稽",
    "table_inventory": "报表齐全",
    "budget_lines": "预算执行明细",
    "evaluation_report": "绩效评价报告",
    "perf_budget": "自评预算执行",
    "perf_score": "自评得分",
    "perf_indicator": "自评指标",
    "perf_summary": "自评汇总",
    "narrative": "情况说明与表格",
    "narrative_internal": "情况说明内部",
    "narrative_performance": "情况说明与自评",
}
THREE_PUBLIC_LABELS = {
    "total": "合计",
    "overseas_travel": "因公出国(境)费",
    "vehicles": "公务用车购置及运行维护费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "official_reception": "公务接待费",
}
# 三公 items drawn in the chart: the parts, not the subtotals
THREE_PUBLIC_CHART_ITEMS = ("overseas_travel", "vehicle_purchase", "vehicle_operation", "official_reception")


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def money(value: Any) -> str:
    return "–" if value is None else f"{float(value):,.2f}"


def number(value: Any, unit: str | None = None) -> str:
    """A check's value as printed: counts and ranks whole, ratios with their decimals, money
    and points with at least 2 decimals (values are decimal(18,6))."""
    if value is None:
        return "–"
    value = float(value)
    if unit in ("count", "grade_rank", "sign") and value == int(value):
        return f"{value:,.0f}"
    text = f"{value:,.6f}".rstrip("0")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"{value:,.{max(decimals, 2)}f}"


def share(value: Any) -> str:
    return "–" if value is None else f"{float(value) * 100:.2f}%"


_PAGE_ROW = re.compile(r"p(\d+):r(\d+)")


def compress_lines(lines: str | None) -> str:
    """'3,4,5,9' -> '3–5, 9': the source lines of a sum are mostly runs. A PDF's rows are
    `p<page>:r<row>` and run within their page: 'p7:r10,p7:r11,p7:r12,p8:r1' -> 'p7:r10–12, p8:r1'."""
    refs: set[tuple[int, int]] = set()  # (page, line); page 0: a line of a text document
    for part in (lines or "").split(","):
        page_row = _PAGE_ROW.fullmatch(part.strip())
        if page_row:
            refs.add((int(page_row[1]), int(page_row[2])))
        elif part.strip().isdigit():
            refs.add((0, int(part)))
    runs: list[str] = []
    start = previous = None
    for ref in [*sorted(refs), None]:
        if start is not None and previous is not None and (ref is None or ref != (previous[0], previous[1] + 1)):
            page = f"p{start[0]}:r" if start[0] else ""
            runs.append(f"{page}{start[1]}" if start == previous else f"{page}{start[1]}–{previous[1]}")
            start = None
        if ref is not None and start is None:
            start = ref
        previous = ref
    return ", ".join(runs) if runs else "–"


def when(timestamp: Any) -> str:
    """ISO timestamp -> '2025-01-02 03:04:05'."""
    return str(timestamp or "–").replace("T", " ")[:19]


def document_title(document: dict[str, Any]) -> str:
    kind = KIND_LABELS.get(document.get("document_kind"), document.get("document_kind") or "")
    year = document.get("fiscal_year") or ""
    return f"{document.get('department_name') or '未识别部门'} {year} {kind}".strip()
