"""The one-screen summary printed at the end of a load (the report has everything)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fiscal_dw.load import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK
from fiscal_dw.load.console import MESSAGE_MARKS, say
from fiscal_dw.load.files import LoadPaths
from fiscal_dw.load.report.formatting import compress_lines, number

RULE = "-" * 72
VERDICTS = {EXIT_OK: "clean", EXIT_FAILED: "ERRORS", EXIT_BAD_INPUT: "BAD INPUT"}


def final_screen(summary: dict[str, Any], index: Path, paths: LoadPaths) -> None:
    """Documents, input messages, checks, status changes, tests and where things are."""
    load = summary["load"]
    lines = [RULE, f"load {load['load_id']}  {VERDICTS[load['exit_code']]} (exit {load['exit_code']})",
             *_document_lines(summary), *_check_lines(summary), *_change_lines(summary["status_changes"]),
             *_test_lines(summary),
             f"  warehouse     {paths.warehouse}",
             f"  exports       {paths.exports / load['load_id']}",
             f"  report        {index}",
             f"                (newest: {paths.reports / 'latest' / index.name})",
             RULE]
    for line in lines:
        say(line)


def _document_lines(summary: dict[str, Any]) -> list[str]:
    documents, counts = summary["documents"], summary["raw_row_counts"]
    rows = sum(v for k, v in counts.items() if k not in ("raw_documents", "raw_extract_rejects"))
    finals = sum(1 for d in documents if d["document_kind"] == "final_accounts")
    lines = [f"  documents     {len(documents)} (final accounts {finals}) · raw rows {rows:,} · "
             f"rejects {counts.get('raw_extract_rejects', 0)}"]
    messages = summary["input_messages"]
    if messages:
        by_severity = {s: sum(m["severity"] == s for m in messages) for s in MESSAGE_MARKS}
        lines.append(f"  input         {by_severity['error']} file(s) not loaded · "
                     f"{by_severity['warning']} warning(s) · {by_severity['info']} note(s)")
        for message in sorted(messages, key=lambda m: list(MESSAGE_MARKS).index(m["severity"]))[:5]:
            lines.append(f"   {MESSAGE_MARKS[message['severity']]} {message['text'][:110]}")
        if len(messages) > 5:
            lines.append(f"    ... and {len(messages) - 5} more in the report")
    checked = sorted((d for d in documents if d["checks"]["total"]),
                     key=lambda d: (-d["checks"]["fail_error"], -d["checks"]["fail"]))
    for document in checked[:6]:
        c = document["checks"]
        lines.append(f"    {document['department_name']} {document['fiscal_year']}: {c['total']} checks, "
                     f"pass {c['pass']} · rounding {c['rounding']} · fail {c['fail']} · "
                     f"not evaluable {c.get('not_evaluable', 0)}")
    if len(checked) > 6:
        lines.append(f"    ... and {len(checked) - 6} more documents in the report")
    return lines


def _check_lines(summary: dict[str, Any]) -> list[str]:
    checks = summary["checks"]
    by_status = checks["by_status"]
    lines = [f"  checks        {checks['total']}: pass {by_status['pass']} · rounding {by_status['rounding']} · "
             f"fail {by_status['fail']} (error severity {checks['fail_error']}, "
             f"warning {by_status['fail'] - checks['fail_error']}) · not evaluable {by_status.get('not_evaluable', 0)}"]
    failing = sorted(summary["failing_checks"], key=lambda c: c["severity"] != "error")
    for check in failing[:5]:
        unit = check.get("value_unit")
        lines.append(f"    FAIL [{check['severity']}] {check['department_name']} {check['rule_id']} {check['scope']}: "
                     f"{number(check['lhs_value'], unit)} vs {number(check['rhs_value'], unit)} "
                     f"(difference {number(check['difference'], unit)}; "
                     f"lines {compress_lines(check['lhs_source_lines'])}"
                     f" / {compress_lines(check['rhs_source_lines'])})")
    total_failing = summary.get("failing_checks_total", len(failing))
    if total_failing > 5:
        lines.append(f"    ... and {total_failing - 5} more failing checks (report, marts.fct_reconciliation_checks)")
    return lines


def _change_lines(changes: dict[str, Any]) -> list[str]:
    if not changes["previous_load_id"]:
        return ["  vs previous   first load of this warehouse's history"]
    same = "same documents" if changes["same_documents_as_previous"] else "other documents"
    lines = [f"  vs previous   {changes['previous_load_id']} ({same}): {changes['changed']} status changes, "
             f"{changes['new']} new, {changes['removed']} removed"]
    for change in changes["changes"][:5]:
        lines.append(f"    {change['department_name']} {change['rule_id']} {change['scope']}: "
                     f"{change['previous_status']} -> {change['status']}")
    if len(changes["changes"]) > 5:
        lines.append(f"    ... and {len(changes['changes']) - 5} more in the report")
    return lines


def _test_lines(summary: dict[str, Any]) -> list[str]:
    dbt, gx = summary["dbt"], summary["expectations"]
    lines = [f"  dbt tests     {dbt['test']}"]
    for failure in dbt["failed_tests"][:5]:
        lines.append(f"    FAIL {failure if len(failure) < 100 else failure[:97] + '...'}")
    if len(dbt["failed_tests"]) > 5:
        lines.append(f"    ... and {len(dbt['failed_tests']) - 5} more failing tests in the report")
    lines.append(f"  expectations  {gx['suites']} suites, {gx['evaluated']} expectations, {gx['failed']} failed")
    return lines
