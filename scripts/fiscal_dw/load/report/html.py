"""``index.html`` of a load: one self-contained page (inline CSS and SVG, no script) for a
budget analyst, sections in the order a reader needs them."""
from __future__ import annotations

from typing import Any, Sequence

from fiscal_dw.load.report.charts import check_status_chart, spend_by_class_chart, three_public_chart
from fiscal_dw.load.report.formatting import (
    FAMILY_LABELS,
    KIND_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    STATUSES,
    document_title,
    esc,
    money,
    number,
    share,
    when,
    compress_lines,
)

# The documents table lists this many, most findings first (every count stays complete).
LISTED_DOCUMENTS = 200


CSS = """
:root { --fg:#1f2933; --muted:#6b7785; --line:#d9dee4; --bg:#f6f7f9; --ok:#2f7d32; --bad:#c62828; --warn:#b26a00; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.5 "Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","PingFang SC",
       "Microsoft YaHei",system-ui,sans-serif; color:var(--fg); background:var(--bg); }
header { background:#16324f; color:#fff; padding:18px 28px; }
header h1 { margin:0 0 4px; font-size:22px; }
header .meta { color:#c8d6e5; font-size:13px; }
main { padding:18px 28px 40px; max-width:1400px; }
section { background:#fff; border:1px solid var(--line); border-radius:6px; padding:14px 18px; margin:0 0 16px; }
h2 { font-size:18px; margin:0 0 10px; } h2 small, h3 small { color:var(--muted); font-weight:normal; font-size:13px; }
h3 { font-size:16px; margin:14px 0 8px; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { border-bottom:1px solid var(--line); padding:5px 8px; text-align:left; vertical-align:top; }
#failing td { max-width:260px; overflow-wrap:anywhere; }
th { background:#eef1f4; font-weight:600; white-space:nowrap; }
th code, .en { color:var(--muted); font-weight:normal; font-size:11px; display:block; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; white-space:nowrap; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; color:#fff; }
.badge.pass { background:#59a14f; } .badge.rounding { background:#c9951a; } .badge.fail { background:#d62728; }
.badge.not_evaluable { background:#7b8794; }
.badge.ok { background:var(--ok); } .badge.bad { background:var(--bad); } .badge.warning { background:var(--warn); }
.badge.error { background:var(--bad); } .badge.neutral { background:#7b8794; }
.cards { display:flex; flex-wrap:wrap; gap:10px; margin:6px 0 10px; }
.card { border:1px solid var(--line); border-radius:6px; padding:8px 12px; min-width:170px; background:#fbfcfd; }
.card .k { color:var(--muted); font-size:12px; } .card .v { font-size:20px; font-weight:600; }
.card .s { color:var(--muted); font-size:12px; }
.charts { display:flex; flex-wrap:wrap; gap:18px; }
svg.chart { max-width:100%; height:auto; background:#fff; }
svg .chart-title { font-size:13px; font-weight:600; fill:#1f2933; }
svg .label, svg .legend { font-size:12px; fill:#1f2933; }
svg .value { font-size:12px; fill:#3e4c59; } svg .small { font-size:11px; }
.muted { color:var(--muted); } .lines { font-family: ui-monospace, monospace; font-size:12px; }
nav a { margin-right:14px; }
.docs { display:grid; grid-template-columns:repeat(auto-fit, minmax(600px, 1fr)); gap:0 28px; }
.doc { border-top:2px solid #16324f; padding-top:6px; margin-top:10px; min-width:0; }
"""


def _th(chinese: str, english: str = "", numeric: bool = False) -> str:
    cls = ' class="num"' if numeric else ""
    sub = f"<code>{esc(english)}</code>" if english else ""
    return f"<th{cls}>{esc(chinese)}{sub}</th>"


def _td(value: Any, numeric: bool = False, cls: str = "") -> str:
    classes = " ".join(c for c in ("num" if numeric else "", cls) if c)
    attr = f' class="{classes}"' if classes else ""
    return f"<td{attr}>{esc(value)}</td>"


def _badge(status: str, text: str | None = None) -> str:
    return f'<span class="badge {esc(status)}">{esc(text or STATUS_LABELS.get(status, status))}</span>'


def _status_counts(counts: dict[str, int]) -> str:
    return " ".join(_badge(s, f"{STATUS_LABELS[s]} {counts.get(s, 0)}") for s in STATUSES)


def _card(key: str, value: str, sub: str = "") -> str:
    return (f'<div class="card"><div class="k">{key}</div><div class="v">{esc(value)}</div>'
            f'<div class="s">{sub}</div></div>')


def _header(summary: dict[str, Any]) -> str:
    load = summary["load"]
    exit_code = load.get("exit_code")
    verdict = {0: ("badge ok", "无错误 clean (exit 0)"),
               2: ("badge bad", "输入文件有误 bad input (exit 2)")}.get(
        exit_code, ("badge bad", f"有错误 errors (exit {exit_code})"))
    source = "文档 documents" if load.get("source_kind") == "documents" else "样例种子 committed seeds"
    return (
        f'<header><h1>财政公开数据质量报告 <small>data-quality report</small></h1>'
        f'<div class="meta">加载 load <b id="load-id">{esc(load["load_id"])}</b> · '
        f'开始 started {esc(when(load.get("started_at")))} UTC · 用时 {esc(load.get("seconds"))} s · '
        f'来源 {esc(source)}: {esc(load.get("source_path"))} · 抽取程序 extractor '
        f'{esc(load.get("extractor_version") or "–")} · '
        f'<span class="{verdict[0]}" id="verdict">{esc(verdict[1])}</span></div></header>')


def _nav(summary: dict[str, Any]) -> str:
    links = summary.get("links", {})
    parts = ['<a href="#documents">文档 documents</a>', '<a href="#checks">勾稽 checks</a>',
             '<a href="#failing">不符 failing</a>', '<a href="#not-evaluable">无法核对 not evaluable</a>',
             '<a href="#unkeyed-figures">未识别数字 unkeyed figures</a>', '<a href="#changes">变化 changes</a>',
             '<a href="#expectations">GX</a>', '<a href="#dbt">dbt</a>', '<a href="#loads">加载历史 loads</a>']
    for key, label in (("data_docs", "GX Data Docs"), ("dbt_docs", "dbt docs"),
                       ("summary", "summary.json"), ("exports", "Parquet exports")):
        if links.get(key):
            parts.append(f'<a href="{esc(links[key])}">{esc(label)}</a>')
    return f"<nav>{''.join(parts)}</nav>"


def _overview(summary: dict[str, Any]) -> str:
    checks = summary["checks"]
    documents = summary["documents"]
    finals = sum(1 for d in documents if d["document_kind"] == "final_accounts")
    changes = summary["status_changes"]
    expectations = summary.get("expectations") or {}
    rows = sum(v for k, v in summary["raw_row_counts"].items() if k not in ("raw_documents", "raw_extract_rejects"))
    rejects = summary["raw_row_counts"].get("raw_extract_rejects", 0)
    cards = [
        _card("文档 documents", str(len(documents)), f"部门决算 final accounts {finals}"),
        _card("原始行 raw rows", f"{rows:,}", f"未识别行 rejects {rejects}"),
        _card("勾稽检查 checks", f"{checks['total']:,}", _status_counts(checks["by_status"])),
        _card("错误级不符 error fails", str(checks["fail_error"]),
              f"警告级不符 warning fails {checks['by_status']['fail'] - checks['fail_error']}"),
        _card("状态变化 status changes", str(changes.get("changed") if changes.get("changed") is not None else "–"),
              f"新增 new {changes.get('new', '–')} · 移除 removed {changes.get('removed', '–')}"),
        _card("GX 期望 expectations", f"{expectations.get('evaluated', 0)}",
              f"未通过 failed {expectations.get('failed', 0)}"),
    ]
    return f'<section id="overview"><h2>概览 <small>overview</small></h2><div class="cards">{"".join(cards)}</div></section>'


def _documents_table(summary: dict[str, Any]) -> str:
    change_labels = {"new": "新 new", "unchanged": "未变 unchanged", "changed": "已变 changed"}
    head = "".join([_th("文件", "source_file"), _th("类型", "document_kind"), _th("部门", "department_name"),
                    _th("年度", "fiscal_year"), _th("SHA-256", "source_sha256"), _th("与上次", "change"),
                    _th("检查", "checks_total", True), _th("通过", "pass", True), _th("尾差", "rounding", True),
                    _th("不符", "fail", True), _th("错误级", "fail_error", True),
                    _th("无法核对", "not_evaluable", True), _th("说明数字有键", "narrative_keyed_share", True)])
    body = []
    for d in summary["documents"][:LISTED_DOCUMENTS]:
        c = d["checks"]
        keyed = d.get("narrative_figures")
        keyed_text = f'{keyed["keyed"]}/{keyed["total"]} ({keyed["keyed_share"]:.0%})' if keyed else "–"
        body.append(
            f'<tr class="document" data-document-id="{esc(d["document_id"])}">'
            + _td(d["source_file"]) + _td(KIND_LABELS.get(d["document_kind"], d["document_kind"]))
            + _td(d["department_name"]) + _td(d["fiscal_year"])
            + f'<td class="lines" title="{esc(d["source_sha256"])}">{esc((d["source_sha256"] or "")[:12])}…</td>'
            + _td(change_labels.get(d.get("change_since_previous"), "–"))
            + _td(c["total"], True) + _td(c["pass"], True) + _td(c["rounding"], True)
            + _td(c["fail"], True, "fail-count") + _td(c["fail_error"], True)
            + _td(c.get("not_evaluable", 0), True) + _td(keyed_text, True) + "</tr>")
    more = len(summary["documents"]) - LISTED_DOCUMENTS
    note = (f'<p class="muted">… 另有 {more:,} 个文档 — and {more:,} more documents, fewer findings first '
            f'omitted: see marts.dim_document and fct_department_year.</p>') if more > 0 else ""
    return (f'<section id="documents"><h2>文档 <small>documents of this load, most findings first</small></h2>'
            f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{note}</section>')


def _document_section(document: dict[str, Any]) -> str:
    headline = document.get("headline")
    title = document_title(document)
    parts = [f'<div class="doc" id="doc-{esc(document["document_id"])}"><h3>{esc(title)} '
             f'<small>{esc(document["source_file"])}</small></h3>']
    if headline:
        rate = headline.get("three_public_execution_rate")
        parts.append('<div class="cards">' + "".join([
            _card("支出合计 expenditure_total_wan", money(headline["expenditure_total_wan"]), "万元"),
            _card("基本支出 basic_wan", money(headline["basic_wan"]), f"占 share {share(headline['basic_share'])}"),
            _card("项目支出 project_wan", money(headline["project_wan"]),
                  f"占 share {share(headline['project_share'])}"),
            _card("收入合计 income_total_wan", money(headline["income_total_wan"]), "万元"),
            _card("三公 预算 / 决算 budget / actual",
                  f"{money(headline['three_public_budget_wan'])} / {money(headline['three_public_actual_wan'])}",
                  f"执行率 execution rate {share(rate)}"),
        ]) + "</div>")
    charts = [spend_by_class_chart(document), three_public_chart(document)]
    charts = [c for c in charts if c]
    if charts:
        parts.append(f'<div class="charts">{"".join(charts)}</div>')
    if document["three_public"]:
        head = "".join([_th("项目", "expense_item"), _th("预算", "budget_wan", True), _th("决算", "actual_wan", True),
                        _th("执行率", "execution_rate", True), _th("行号", "source_line", True)])
        body = "".join("<tr>" + _td(i["label"]) + _td(money(i["budget_wan"]), True) + _td(money(i["actual_wan"]), True)
                       + _td(share(i["execution_rate"]), True) + _td(i["source_line"], True) + "</tr>"
                       for i in document["three_public"])
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append("</div>")
    return "".join(parts)


def _checks_section(summary: dict[str, Any]) -> str:
    titles = {d["document_id"]: document_title(d) for d in summary["documents"]}
    head = "".join([_th("文档", "document"), _th("规则类别", "rule_family"), _th("检查", "total", True),
                    _th("通过", "pass", True), _th("尾差", "rounding", True), _th("不符", "fail", True),
                    _th("其中错误级", "fail_error", True), _th("无法核对", "not_evaluable", True)])
    body = []
    for row in summary["checks"]["by_document_family"]:
        family = row["rule_family"]
        body.append("<tr>" + _td(titles.get(row["document_id"], row["document_id"]))
                    + f'<td>{esc(FAMILY_LABELS.get(family, family))}<span class="en">{esc(family)}</span></td>'
                    + _td(row["total"], True) + _td(row["pass"], True) + _td(row["rounding"], True)
                    + _td(row["fail"], True) + _td(row["fail_error"], True)
                    + _td(row.get("not_evaluable", 0), True) + "</tr>")
    chart = check_status_chart([d for d in summary["documents"] if d.get("detail", True)])
    families = "".join(
        f'<tr><td>{esc(FAMILY_LABELS.get(f, f))}<span class="en">{esc(f)}</span></td>'
        f'<td>{_status_counts(c)}</td></tr>' for f, c in sorted(summary["checks"]["by_family"].items()))
    return (f'<section id="checks"><h2>勾稽检查 <small>reconciliation checks by family '
            f'(pass = 相等, rounding = 在舍入容差内 within the rounding envelope of the printed figures, '
            f'fail = 超出容差, not_evaluable = 无法核对: a side not printed or not resolved)</small></h2>'
            f'<div class="charts">{chart}<table style="width:auto"><thead><tr>{_th("规则类别", "rule_family")}'
            f'{_th("结果", "status")}</tr></thead><tbody>{families}</tbody></table></div>'
            f'<h3>按文档 <small>by document</small></h3>'
            f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></section>')


INPUT_SEVERITY_LABELS = {"error": "未加载 not loaded", "warning": "警告 warning", "info": "提示 info"}
INPUT_BADGES = {"error": "error", "warning": "warning", "info": "neutral"}


def _input_section(summary: dict[str, Any]) -> str:
    """What the extractor said about the input files: shown only when it said something."""
    messages = summary.get("input_messages") or []
    if not messages:
        return ""
    head = "".join([_th("级别", "severity"), _th("文件", "source_file"), _th("表", "source_table"),
                    _th("行号", "source_line", True), _th("说明", "message")])
    order = list(INPUT_SEVERITY_LABELS)
    body = [f'<tr class="input-message" data-severity="{esc(m["severity"])}">'
            f'<td>{_badge(INPUT_BADGES[m["severity"]], INPUT_SEVERITY_LABELS[m["severity"]])}</td>'
            + _td(m["source_file"]) + _td(m["source_table"]) + _td(m["source_line"], True) + _td(m["text"]) + "</tr>"
            for m in sorted(messages, key=lambda m: order.index(m["severity"]))]
    not_loaded = sum(m["severity"] == "error" for m in messages)
    return (f'<section id="input"><h2>输入文件 <small>input files: {not_loaded} not loaded, '
            f'{len(messages) - not_loaded} other messages (marts.fct_load_messages)</small></h2>'
            f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></section>')


def _failing_section(summary: dict[str, Any]) -> str:
    failing = summary["failing_checks"]
    if not failing:
        return ('<section id="failing"><h2>不符的检查 <small>failing checks</small></h2>'
                '<p>没有不符的检查 — every check passed or is within its rounding tolerance.</p></section>')
    head = "".join([_th("文档", "document"), _th("规则", "rule_id"), _th("级别", "severity"), _th("范围", "scope"),
                    _th("左项", "lhs_label"), _th("左值", "lhs_value", True), _th("右项", "rhs_label"),
                    _th("右值", "rhs_value", True), _th("差额", "difference", True), _th("容差", "tolerance", True),
                    _th("单位", "value_unit"), _th("行号 左 / 右", "lhs / rhs_source_lines")])
    body = []
    for c in failing:
        unit = c.get("value_unit")
        body.append(
            f'<tr class="failing-check" data-rule-id="{esc(c["rule_id"])}">'
            + f'<td title="{esc(c["source_file"])}">{esc(c["department_name"])} {esc(c["fiscal_year"])}</td>'
            + _td(c["rule_id"]) + f'<td>{_badge(c["severity"], SEVERITY_LABELS.get(c["severity"], c["severity"]))}</td>'
            + _td(c["scope"]) + _td(c["lhs_label"]) + _td(number(c["lhs_value"], unit), True) + _td(c["rhs_label"])
            + _td(number(c["rhs_value"], unit), True) + _td(number(c["difference"], unit), True)
            + _td(number(c["tolerance"], unit), True) + _td(unit or "")
            + f'<td class="lines">{esc(compress_lines(c["lhs_source_lines"]))} / '
              f'{esc(compress_lines(c["rhs_source_lines"]))}</td></tr>')
    total = summary.get("failing_checks_total", len(failing))
    shown = f"{total:,}" if total == len(failing) else f"{total:,}; the first {len(failing):,}, error severity first"
    more = ('<p class="muted">The others: marts.fct_reconciliation_checks where status = \'fail\'.</p>'
            if total > len(failing) else "")
    return (f'<section id="failing"><h2>不符的检查 <small>failing checks ({shown}): both sides, '
            f'the difference and the lines of the source document</small></h2>'
            f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{more}</section>')


NOT_EVALUABLE_REASONS = {
    "side_not_printed": "一方未列示 a side not printed",
    "zero_denominator": "分母为零 zero denominator",
    "unresolved": "科目未对应 code or name not resolved",
    "blank_one_sided": "空白不作零 a blank is not a zero here",
    "table_declared_empty": "表注明无数据 table declared empty",
}


def _not_evaluable_section(summary: dict[str, Any]) -> str:
    """Checks that could not run: counted, never passed, and not failures (no exit status)."""
    rows = summary.get("not_evaluable_checks") or []
    total = summary.get("not_evaluable_checks_total", len(rows))
    if not rows:
        return ('<section id="not-evaluable"><h2>无法核对的检查 <small>checks not evaluable</small></h2>'
                '<p>没有无法核对的检查 — every check had both sides.</p></section>')
    head = "".join([_th("文档", "document"), _th("规则", "rule_id"), _th("范围", "scope"), _th("原因", "reason"),
                    _th("左项", "lhs_label"), _th("左值", "lhs_value", True), _th("右项", "rhs_label"),
                    _th("右值", "rhs_value", True), _th("行号 左 / 右", "lhs / rhs_source_lines")])
    body = "".join(
        f'<tr class="not-evaluable-check" data-rule-id="{esc(c["rule_id"])}">'
        + f'<td title="{esc(c["source_file"])}">{esc(c["department_name"])} {esc(c["fiscal_year"])}</td>'
        + _td(c["rule_id"]) + _td(c["scope"])
        + _td(NOT_EVALUABLE_REASONS.get(c["not_evaluable_reason"], c["not_evaluable_reason"]))
        + _td(c["lhs_label"]) + _td(number(c["lhs_value"], c.get("value_unit")), True) + _td(c["rhs_label"])
        + _td(number(c["rhs_value"], c.get("value_unit")), True)
        + f'<td class="lines">{esc(compress_lines(c["lhs_source_lines"]))} / '
          f'{esc(compress_lines(c["rhs_source_lines"]))}</td></tr>' for c in rows)
    shown = f"{total:,}" if total == len(rows) else f"{total:,}; the first {len(rows):,}"
    return (f'<section id="not-evaluable"><h2>无法核对的检查 <small>checks not evaluable ({shown}): counted, '
            f'never passed, not failures</small></h2>'
            f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>')


def _unkeyed_figures_section(summary: dict[str, Any]) -> str:
    """Narrative figures that got no metric key, each with its sentence: no rule reads them."""
    rows = summary.get("unkeyed_narrative_figures") or []
    total = summary.get("unkeyed_narrative_figures_total", len(rows))
    if not rows:
        return ('<section id="unkeyed-figures"><h2>说明中未识别的数字 <small>narrative figures without a key'
                '</small></h2><p>无 — every narrative figure got a key (or no narrative was loaded).</p></section>')
    head = "".join([_th("文档", "document"), _th("行号", "source_line", True), _th("章节", "section"),
                    _th("数字", "value", True), _th("单位", "unit"), _th("句子", "sentence")])
    body = "".join(
        '<tr class="unkeyed-figure">'
        + f'<td title="{esc(f["source_file"])}">{esc(f["department_name"])} {esc(f["fiscal_year"])}</td>'
        + _td(f["source_line"], True) + _td(f["section"]) + _td(f["value"], True) + _td(f["unit"])
        + _td(f["sentence"]) + "</tr>" for f in rows)
    shown = f"{total:,}" if total == len(rows) else f"{total:,}; the first {len(rows):,}"
    return (f'<section id="unkeyed-figures"><h2>说明中未识别的数字 <small>narrative figures without a key '
            f'({shown}): no check reads them (marts.fct_narrative_figures, metric_key null)</small></h2>'
            f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>')


def _changes_section(summary: dict[str, Any]) -> str:
    changes = summary["status_changes"]
    previous = changes.get("previous_load_id")
    if not previous:
        return ('<section id="changes"><h2>与上次加载相比 <small>status changes since the previous load</small></h2>'
                '<p>这是第一次加载 — first load in this history: nothing to compare with.</p></section>')
    same = "相同 the same documents" if changes.get("same_documents_as_previous") else "不同 other documents"
    intro = (f'<p>上次加载 previous load <b>{esc(previous)}</b> ({esc(same)}): '
             f'<b id="status-changes">{esc(changes.get("changed"))}</b> 项状态变化 status changes, '
             f'{esc(changes.get("new"))} 项新增 new, {esc(changes.get("removed"))} 项移除 removed.</p>')
    if not changes["changes"]:
        return f'<section id="changes"><h2>与上次加载相比 <small>status changes since the previous load</small></h2>{intro}</section>'
    head = "".join([_th("部门", "department_name"), _th("年度", "fiscal_year"), _th("规则", "rule_id"),
                    _th("范围", "scope"), _th("之前", "previous_status"), _th("现在", "status"),
                    _th("之前差额", "previous_difference", True), _th("现在差额", "difference", True),
                    _th("行号 左 / 右", "source lines")])
    body = "".join(
        "<tr>" + _td(c["department_name"]) + _td(c["fiscal_year"]) + _td(c["rule_id"]) + _td(c["scope"])
        + f'<td>{_badge(c["previous_status"])}</td><td>{_badge(c["status"])}</td>'
        + _td(number(c["previous_difference"], c.get("value_unit")), True)
        + _td(number(c["difference"], c.get("value_unit")), True)
        + f'<td class="lines">{esc(compress_lines(c["lhs_source_lines"]))} / {esc(compress_lines(c["rhs_source_lines"]))}</td>'
        + "</tr>" for c in changes["changes"])
    return (f'<section id="changes"><h2>与上次加载相比 <small>status changes since the previous load</small></h2>'
            f'{intro}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>')


def _expectations_section(summary: dict[str, Any]) -> str:
    gx = summary.get("expectations")
    if not gx:
        return ""
    link = f' · <a href="{esc(gx["data_docs"])}">Data Docs</a>' if gx.get("data_docs") else ""
    head = "".join([_th("数据集市", "mart"), _th("结果", "success"), _th("期望", "expectations", True),
                    _th("未通过", "failed", True), _th("行数", "rows", True)])
    body = "".join(
        "<tr>" + _td(s["mart"]) + f'<td>{_badge("ok" if s["success"] else "bad", "通过 ok" if s["success"] else "未通过 failed")}</td>'
        + _td(s["evaluated"], True) + _td(s["failed"], True) + _td(s["rows"], True) + "</tr>"
        for s in gx["suite_results"])
    failing = "".join(
        f'<li><b>{esc(f["mart"])}</b> {esc(f["expectation_type"])} [{esc(", ".join(f["columns"]))}]'
        f'{" where " + esc(f["where"]) if f.get("where") else ""}: {esc(f["observed"])}'
        f'{"<br><span class=muted>why: " + esc(f["why"]) + "</span>" if f.get("why") else ""}</li>'
        for f in gx["failing"])
    failing_html = f"<h3>未通过的期望 <small>failing expectations</small></h3><ul>{failing}</ul>" if failing else ""
    return (f'<section id="expectations"><h2>Great Expectations <small>{gx["suites"]} suites, '
            f'{gx["evaluated"]} expectations, {gx["failed"]} failed{link}</small></h2>'
            f'{failing_html}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>')


def _dbt_section(summary: dict[str, Any]) -> str:
    dbt = summary.get("dbt")
    if not dbt:
        return ""
    links = summary.get("links", {})
    docs = f' · <a href="{esc(links["dbt_docs"])}">dbt docs</a>' if links.get("dbt_docs") else ""
    failed = "".join(f"<li>{esc(name)}</li>" for name in dbt.get("failed_tests", []))
    failed_html = (f"<h3>未通过的数据测试 <small>failing dbt data tests (severity error)</small></h3>"
                   f'<ul id="dbt-failures">{failed}</ul>') if failed else ""
    warned = "".join(f"<li>{esc(name)}</li>" for name in dbt.get("warnings", []))
    warned_html = f"<h3>警告 <small>warnings</small></h3><ul>{warned}</ul>" if warned else ""
    return (f'<section id="dbt"><h2>dbt 构建与数据测试 <small>build and data tests{docs}</small></h2>'
            f'<table style="width:auto"><tbody>'
            f'<tr><th>构建 build</th><td class="lines">{esc(dbt.get("build"))}</td></tr>'
            f'<tr><th>数据测试 test</th><td class="lines">{esc(dbt.get("test"))}</td></tr>'
            f'<tr><th>加载历史 history</th><td class="lines">{esc(dbt.get("history"))}</td></tr>'
            f"</tbody></table>{failed_html}{warned_html}</section>")


def _loads_section(summary: dict[str, Any]) -> str:
    loads = summary.get("recent_loads") or []
    head = "".join([_th("加载", "load_id"), _th("开始 (UTC)", "started_at"), _th("来源", "source_kind"),
                    _th("文档", "documents_total", True), _th("变化文档", "documents_changed", True),
                    _th("检查", "checks_total", True), _th("通过", "checks_pass", True),
                    _th("尾差", "checks_rounding", True), _th("不符", "checks_fail", True),
                    _th("无法核对", "checks_not_evaluable", True), _th("状态变化", "checks_changed", True)])
    body = "".join(
        "<tr>" + _td(l["load_id"]) + _td(when(l["started_at"])) + _td(l["source_kind"])
        + _td(l["documents_total"], True) + _td(l["documents_changed"], True) + _td(l["checks_total"], True)
        + _td(l["checks_pass"], True) + _td(l["checks_rounding"], True) + _td(l["checks_fail"], True)
        + _td(l.get("checks_not_evaluable", 0), True) + _td(l["checks_changed"], True) + "</tr>" for l in loads)
    counts = "".join("<tr>" + _td(name) + _td(count, True) + "</tr>"
                     for name, count in summary["raw_row_counts"].items())
    return (f'<section id="loads"><h2>加载历史 <small>recent loads (marts.fct_load_history)</small></h2>'
            f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            f'<h3>本次原始表行数 <small>raw row counts of this load</small></h3>'
            f'<table style="width:auto"><thead><tr>{_th("原始表", "raw_table")}{_th("行数", "row_count", True)}'
            f'</tr></thead><tbody>{counts}</tbody></table></section>')


def _figures_section(all_documents: Sequence[dict[str, Any]]) -> str:
    documents = [d for d in all_documents if d.get("detail", True)]
    checked = [d for d in documents if d.get("headline") or d["spend_by_class"] or d["three_public"]]
    others = [d for d in documents if d not in checked]
    more = len(all_documents) - len(documents)
    more_html = (f'<p class="muted">… 另有 {more:,} 个文档 — {more:,} more documents: their figures are in '
                 f'marts.fct_department_year and the Parquet exports.</p>') if more else ""
    grid = "".join(_document_section(d) for d in checked)
    rest = "".join(f"<li>{esc(document_title(d))} <small class=muted>{esc(d['source_file'])}</small></li>"
                   for d in others)
    rest_html = (f'<p class="muted">其他文档（无决算表，无主要数字）— other documents (no final-accounts '
                 f"tables, so no headline figures; their checks are counted above and below):</p>"
                 f"<ul>{rest}</ul>") if rest else ""
    return (f'<section id="figures"><h2>主要数字 <small>headline figures per document (万元)</small></h2>'
            f'<div class="docs">{grid}</div>{rest_html}{more_html}</section>')


def render_html(summary: dict[str, Any]) -> str:
    """Overview and documents first, then what needs attention (failing checks, changes),
    then the figures and the detail."""
    return "".join([
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<title>数据质量报告 {esc(summary["load"]["load_id"])}</title><style>{CSS}</style></head><body>',
        _header(summary), "<main>", _nav(summary), _overview(summary), _documents_table(summary),
        _input_section(summary), _failing_section(summary), _not_evaluable_section(summary),
        _unkeyed_figures_section(summary), _changes_section(summary), _figures_section(summary["documents"]),
        _checks_section(summary), _expectations_section(summary), _dbt_section(summary), _loads_section(summary),
        "</main></body></html>\n",
    ])
