"""``summary.json`` of a load: everything the load report shows, read once from the freshly
built warehouse (marts and the load-history marts), and the Great Expectations part."""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

import duckdb

from fiscal_dw.load.files import IN_PROCESS_DUCKDB
from fiscal_dw.load.report.formatting import STATUSES, THREE_PUBLIC_LABELS


def plain(value: Any) -> Any:
    """JSON-ready: Decimal -> float, datetimes -> ISO text."""
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _rows(connection: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = connection.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [{name: plain(value) for name, value in zip(names, row)} for row in cursor.fetchall()]


def _has_table(connection: duckdb.DuckDBPyConnection, name: str) -> bool:
    return connection.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' and table_name = ?",
        [name]).fetchone()[0] > 0


# A load of thousands of documents must still give a page a browser opens at once: the
# detail (charts, figures, checks by family) is kept for the documents that need attention
# most, the lists are capped (the page lists fewer documents still, see html.py), and every
# count stays complete; the marts have everything.
DETAIL_DOCUMENTS = 50
LISTED_ROWS = 1000


def collect_summary(database: Path, load_id: str) -> dict[str, Any]:
    """Everything the report shows, read from the built warehouse (marts + history marts)."""
    with duckdb.connect(str(database), read_only=True, config=IN_PROCESS_DUCKDB) as connection:
        documents = _rows(connection, """
            select document_id, source_file, source_sha256, document_kind, department_name, fiscal_year
            from marts.dim_document order by document_kind, department_name, fiscal_year, source_file""")
        figures = _figures(connection)
        by_document_family = _checks_by_document_family(connection)
        failing = _failing_checks(connection)
        not_evaluable = _not_evaluable_checks(connection)
        narrative_keys, unkeyed = _narrative_keys(connection)
        history = _history(connection, load_id)
    family_totals, document_checks = _check_totals(by_document_family)
    for document in documents:
        document_id = document["document_id"]
        document["change_since_previous"] = history["documents"].get(document_id)
        document["headline"] = figures.headlines.get(document_id)
        document["checks"] = document_checks.get(
            document_id, {"pass": 0, "rounding": 0, "fail": 0, "not_evaluable": 0, "fail_error": 0, "total": 0})
        document["spend_by_class"] = figures.classes.get(document_id, [])
        document["three_public"] = figures.three_public.get(document_id, [])
        document["narrative_figures"] = narrative_keys.get(document_id)
    _keep_detail_for_the_first(documents)
    detailed = {d["document_id"] for d in documents if d["detail"]}
    by_status = {status: sum(f[status] for f in family_totals.values()) for status in STATUSES}
    load = history["load"] or {}
    return {
        "load": {"load_id": load_id, **{k: v for k, v in load.items() if k != "load_id"}},
        "documents": documents,
        "raw_row_counts": history["row_counts"],
        "checks": {
            "total": sum(by_status.values()),
            "by_status": by_status,
            "fail_error": sum(f["fail_error"] for f in family_totals.values()),
            "by_family": family_totals,
            "by_document_family": [row for row in by_document_family if row["document_id"] in detailed],
        },
        "failing_checks": failing,
        "failing_checks_total": by_status["fail"],
        "not_evaluable_checks": not_evaluable,
        "not_evaluable_checks_total": by_status["not_evaluable"],
        "narrative_figures": {
            "total": sum(n["total"] for n in narrative_keys.values()),
            "keyed": sum(n["keyed"] for n in narrative_keys.values()),
        },
        "unkeyed_narrative_figures": unkeyed,
        "unkeyed_narrative_figures_total": sum(n["total"] - n["keyed"] for n in narrative_keys.values()),
        "status_changes": {
            "previous_load_id": load.get("previous_load_id"),
            "same_documents_as_previous": load.get("same_documents_as_previous"),
            "new": load.get("checks_new"),
            "changed": load.get("checks_changed"),
            "removed": load.get("checks_removed"),
            "changes": history["changes"],
            "changes_total": load.get("checks_changed") or 0,
        },
        "recent_loads": history["recent_loads"],
    }


@dataclass
class _Figures:
    """Per document: headline figures, spend by 类 (公开03) and 三公 items (公开09)."""

    headlines: dict[str, dict[str, Any]]
    classes: dict[str, list[dict[str, Any]]]
    three_public: dict[str, list[dict[str, Any]]]


def _figures(connection: duckdb.DuckDBPyConnection) -> _Figures:
    headlines = {row.pop("document_id"): row for row in _rows(connection, """
        select document_id, income_total_wan, expenditure_total_wan, grand_total_wan, basic_wan,
               project_wan, basic_share, project_share, personnel_wan, public_wan,
               three_public_budget_wan, three_public_actual_wan, three_public_execution_rate
        from marts.fct_department_year""")}
    classes: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(connection, """
            select document_id, subject_code, subject_name, total_wan, basic_wan, project_wan
            from marts.fct_expenditure_by_function
            where source_table = '公开03' and not is_total_row and length(subject_code) = 3
            order by document_id, subject_code"""):
        classes.setdefault(row.pop("document_id"), []).append(row)
    three_public: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(connection, """
            select document_id, expense_item, budget_wan, actual_wan, execution_rate, source_line
            from marts.fct_three_public_expenses order by document_id, expense_item"""):
        row["label"] = THREE_PUBLIC_LABELS.get(row["expense_item"], row["expense_item"])
        three_public.setdefault(row.pop("document_id"), []).append(row)
    order = list(THREE_PUBLIC_LABELS)
    for items in three_public.values():
        items.sort(key=lambda r: order.index(r["expense_item"]) if r["expense_item"] in order else 99)
    return _Figures(headlines, classes, three_public)


def _checks_by_document_family(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _rows(connection, """
        select document_id, rule_family,
               count(*) filter (where status = 'pass') as pass,
               count(*) filter (where status = 'rounding') as rounding,
               count(*) filter (where status = 'fail') as fail,
               count(*) filter (where status = 'not_evaluable') as not_evaluable,
               count(*) filter (where status = 'fail' and severity = 'error') as fail_error,
               count(*) as total
        from marts.fct_reconciliation_checks group by all order by document_id, rule_family""")


def _failing_checks(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return _rows(connection, """
        select c.document_id, d.source_file, d.department_name, d.fiscal_year, c.rule_id,
               c.rule_family, c.severity, c.scope, c.lhs_label, c.lhs_value, c.rhs_label,
               c.rhs_value, c.value_unit, c.difference, c.tolerance, c.lhs_source_lines,
               c.rhs_source_lines
        from marts.fct_reconciliation_checks as c
        left join marts.dim_document as d using (document_id)
        where c.status = 'fail'
        order by c.severity, d.department_name, c.rule_id, c.scope
        limit ?""", [LISTED_ROWS])


def _not_evaluable_checks(connection: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Checks that could not be evaluated, with their reason: counted, never passed, not failures."""
    return _rows(connection, """
        select c.document_id, d.source_file, d.department_name, d.fiscal_year, c.rule_id,
               c.rule_family, c.severity, c.scope, c.not_evaluable_reason, c.lhs_label, c.lhs_value,
               c.rhs_label, c.rhs_value, c.value_unit, c.lhs_source_lines, c.rhs_source_lines
        from marts.fct_reconciliation_checks as c
        left join marts.dim_document as d using (document_id)
        where c.status = 'not_evaluable'
        order by d.department_name, c.rule_id, c.scope
        limit ?""", [LISTED_ROWS])


def _narrative_keys(connection: duckdb.DuckDBPyConnection) -> tuple[dict[str, dict[str, Any]],
                                                                    list[dict[str, Any]]]:
    """Per document: narrative figures, those that got a metric key and their share; and the
    figures without a key with their sentence (capped), so each is keyed or shown."""
    if not _has_table(connection, "fct_narrative_figures"):
        return {}, []
    counts = {row.pop("document_id"): row for row in _rows(connection, """
        select document_id, count(*) as total, count(metric_key) as keyed,
               round(count(metric_key) / count(*), 4) as keyed_share
        from marts.fct_narrative_figures group by document_id""")}
    unkeyed = _rows(connection, """
        select f.document_id, d.source_file, d.department_name, d.fiscal_year, f.figure_seq,
               f.source_line, f.section, f.value, f.unit, f.sentence
        from marts.fct_narrative_figures as f
        left join marts.dim_document as d using (document_id)
        where f.metric_key is null
        order by d.department_name, d.fiscal_year, f.figure_seq
        limit ?""", [LISTED_ROWS])
    return counts, unkeyed


def _history(connection: duckdb.DuckDBPyConnection, load_id: str) -> dict[str, Any]:
    """This load's row, status changes, recent loads, row counts and document changes."""
    history: dict[str, Any] = {"load": None, "changes": [], "recent_loads": [], "row_counts": {},
                               "documents": {}}
    if _has_table(connection, "fct_load_history"):
        loads = _rows(connection, "select * from marts.fct_load_history where load_id = ?", [load_id])
        history["load"] = loads[0] if loads else None
        history["changes"] = _rows(connection, """
            select rule_id, rule_family, severity, department_name, fiscal_year, document_kind, scope,
                   previous_status, status, value_unit, previous_difference, difference,
                   lhs_source_lines, rhs_source_lines
            from marts.fct_check_history where load_id = ? and status_change = 'changed'
            order by department_name, rule_id, scope limit ?""", [load_id, LISTED_ROWS])
        history["recent_loads"] = _rows(connection, """
            select load_id, load_seq, started_at, source_kind, documents_total, documents_changed,
                   checks_total, checks_pass, checks_rounding, checks_fail, checks_fail_error, checks_not_evaluable,
                   checks_new, checks_changed, checks_removed, same_documents_as_previous
            from marts.fct_load_history order by load_seq desc limit 10""")
        history["row_counts"] = {row["raw_table"]: row["row_count"] for row in _rows(connection, """
            select raw_table, row_count from marts.fct_load_row_counts where load_id = ?
            order by raw_table""", [load_id])}
        history["documents"] = {row["document_id"]: row["change_since_previous"] for row in _rows(
            connection, "select document_id, change_since_previous from marts.fct_load_documents "
                        "where load_id = ?", [load_id])}
    return history


def _check_totals(by_document_family: list[dict[str, Any]]) -> tuple[dict[str, dict[str, int]],
                                                                     dict[str, dict[str, int]]]:
    """Check counts by family and by document."""
    family_totals: dict[str, dict[str, int]] = {}
    document_checks: dict[str, dict[str, int]] = {}
    for row in by_document_family:
        for target in (family_totals.setdefault(row["rule_family"], {}),
                       document_checks.setdefault(row["document_id"], {})):
            for key in ("pass", "rounding", "fail", "not_evaluable", "fail_error", "total"):
                target[key] = target.get(key, 0) + row[key]
    return family_totals, document_checks


def _keep_detail_for_the_first(documents: list[dict[str, Any]]) -> None:
    """The documents that need attention first (most error fails, then most fails) keep
    their charts' data; the others only their counts."""
    documents.sort(key=lambda d: (-d["checks"]["fail_error"], -d["checks"]["fail"]))
    for rank, document in enumerate(documents):
        document["detail"] = rank < DETAIL_DOCUMENTS
        if not document["detail"]:
            document["spend_by_class"], document["three_public"] = [], []


def expectations_summary(report: Any, report_dir: Path) -> dict[str, Any]:
    """The Great Expectations part of the summary, from a fiscal_dw.load.validate.ValidationReport."""
    failing = [
        {"mart": suite.mart, "expectation_type": failure.expectation_type, "columns": list(failure.columns),
         "where": failure.where, "observed": failure.observed, "why": failure.why}
        for suite in report.suites for failure in suite.failed
    ]
    data_docs = None
    if report.data_docs:
        data_docs = os.path.relpath(report.data_docs, report_dir)
    return {
        "success": report.success,
        "suites": len(report.suites),
        "suites_failed": len(report.failed_suites),
        "evaluated": sum(s.evaluated for s in report.suites),
        "failed": sum(len(s.failed) for s in report.suites),
        "suite_results": [{"mart": s.mart, "success": s.success, "evaluated": s.evaluated,
                           "failed": len(s.failed), "rows": s.row_count, "errors": list(s.errors)}
                          for s in report.suites],
        "failing": failing,
        "data_docs": data_docs,
    }


