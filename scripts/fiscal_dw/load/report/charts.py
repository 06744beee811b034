"""The load report's SVG charts, drawn here (no script, nothing fetched): stacked and grouped
horizontal bars, and the three charts of the page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from fiscal_dw.load.report.formatting import (
    STATUS_COLOURS,
    STATUS_LABELS,
    STATUSES,
    THREE_PUBLIC_CHART_ITEMS,
    document_title,
    esc,
)

BASIC_COLOUR, PROJECT_COLOUR = "#4e79a7", "#f28e2b"
BUDGET_COLOUR, ACTUAL_COLOUR = "#b9b0ab", "#4e79a7"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


def _text_cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _legend(series: Sequence[Series], x: float, y: float) -> str:
    parts = []
    for series_item in series:
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{series_item.colour}"/>'
                     f'<text x="{x + 16:.1f}" y="{y:.1f}" class="legend">{esc(series_item.name)}</text>')
        x += 24 + 14 * len(series_item.name)
    return "".join(parts)


def _chart_start(title: str, series: Sequence[Series], width: int, height: int, label_width: int) -> list[str]:
    """The opening of a bar chart: the SVG element, its title and the legend."""
    return [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{esc(title)}</title>',
            f'<text x="0" y="16" class="chart-title">{esc(title)}</text>',
            _legend(series, label_width, 36)]


def stacked_bars(title: str, rows: Sequence[tuple[str, Sequence[float]]], series: Sequence[Series],
                 *, unit: str = "", value_format: str = "{:,.2f}", width: int = 640,
                 min_segment: float = 0.0) -> str:
    """Horizontal stacked bars, one per row, with the row total after the bar.

    ``min_segment`` (px) keeps a small non-zero part visible (one failing check among
    hundreds); the totals printed stay exact."""
    label_width, value_width, bar_height, gap, top = 190, 110, 22, 10, 44
    plot = width - label_width - value_width
    height = top + len(rows) * (bar_height + gap) + 6
    largest = max((sum(values) for _, values in rows), default=0) or 1
    out = _chart_start(title, series, width, height, label_width)
    for index, (label, values) in enumerate(rows):
        y = top + index * (bar_height + gap)
        out.append(f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" class="label" '
                   f'text-anchor="end">{esc(_text_cut(label, 12))}<title>{esc(label)}</title></text>')
        x = float(label_width)
        for value, series_item in zip(values, series):
            if value <= 0:
                continue
            segment = max(plot * value / largest, min_segment)
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{segment:.1f}" height="{bar_height}" '
                       f'fill="{series_item.colour}"><title>{esc(label)} · {esc(series_item.name)}: '
                       f'{esc(value_format.format(value))}{esc(unit)}</title></rect>')
            x += segment
        total = value_format.format(sum(values))
        out.append(f'<text x="{x + 6:.1f}" y="{y + bar_height * 0.7:.1f}" class="value">{esc(total)}</text>')
    out.append("</svg>")
    return "".join(out)


def grouped_bars(title: str, rows: Sequence[tuple[str, Sequence[float]]], series: Sequence[Series],
                 *, unit: str = "", width: int = 640) -> str:
    """Horizontal bars side by side per row (budget vs actual), each with its value."""
    label_width, value_width, bar_height, gap, top = 190, 80, 14, 12, 44
    plot = width - label_width - value_width
    group = bar_height * len(series)
    height = top + len(rows) * (group + gap) + 6
    largest = max((max(values, default=0) for _, values in rows), default=0) or 1
    out = _chart_start(title, series, width, height, label_width)
    for index, (label, values) in enumerate(rows):
        y = top + index * (group + gap)
        out.append(f'<text x="{label_width - 8}" y="{y + group * 0.6:.1f}" class="label" '
                   f'text-anchor="end">{esc(_text_cut(label, 12))}<title>{esc(label)}</title></text>')
        for offset, (value, series_item) in enumerate(zip(values, series)):
            bar_y = y + offset * bar_height
            length = plot * value / largest if value > 0 else 0
            out.append(f'<rect x="{label_width}" y="{bar_y}" width="{length:.1f}" height="{bar_height - 2}" '
                       f'fill="{series_item.colour}"><title>{esc(label)} · {esc(series_item.name)}: '
                       f'{value:,.2f}{esc(unit)}</title></rect>'
                       f'<text x="{label_width + length + 4:.1f}" y="{bar_y + bar_height - 4}" '
                       f'class="value small">{value:,.2f}</text>')
    out.append("</svg>")
    return "".join(out)


def spend_by_class_chart(document: dict[str, Any]) -> str:
    rows = [(f"{c['subject_code']} {c['subject_name']}", [c["basic_wan"] or 0, c["project_wan"] or 0])
            for c in document["spend_by_class"]]
    if not rows:
        return ""
    return stacked_bars("按功能分类(类)支出 spend by 类 (公开03, 万元)", rows,
                        [Series("基本支出 basic", BASIC_COLOUR), Series("项目支出 project", PROJECT_COLOUR)],
                        unit=" 万元")


def three_public_chart(document: dict[str, Any]) -> str:
    items = {i["expense_item"]: i for i in document["three_public"]}
    rows = [(items[key]["label"], [items[key]["budget_wan"] or 0, items[key]["actual_wan"] or 0])
            for key in THREE_PUBLIC_CHART_ITEMS if key in items]
    if not rows:
        return ""
    return grouped_bars("三公经费 预算 vs 决算 budget vs actual (公开09, 万元)", rows,
                        [Series("预算 budget", BUDGET_COLOUR), Series("决算 actual", ACTUAL_COLOUR)], unit=" 万元")


def check_status_chart(documents: Sequence[dict[str, Any]]) -> str:
    rows = [(document_title(d), [d["checks"].get(s, 0) for s in STATUSES]) for d in documents if d["checks"]["total"]]
    if not rows:
        return ""
    return stacked_bars("各文档勾稽检查结果 check status per document", rows,
                        [Series(f"{STATUS_LABELS[s]} {s}", STATUS_COLOURS[s]) for s in STATUSES],
                        value_format="{:,.0f}", min_segment=4)
