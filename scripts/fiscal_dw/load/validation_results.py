"""What a validation found: per suite its failed expectations (summarised from GX results,
one per expectation however many batches it failed in) and the report printed and kept."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Sequence


@dataclass(frozen=True)
class FailedExpectation:
    expectation_type: str
    columns: tuple[str, ...]
    observed: str
    unexpected_count: int | None
    why: str
    where: str | None = None


@dataclass(frozen=True)
class SuiteResult:
    mart: str
    suite_file: str
    success: bool
    evaluated: int
    row_count: int | None
    failed: tuple[FailedExpectation, ...] = ()
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValidationReport:
    warehouse: str
    schema: str
    success: bool
    seconds: float
    suites: tuple[SuiteResult, ...] = field(default_factory=tuple)
    data_docs: str | None = None  # index.html of the Data Docs site built for this validation

    @property
    def failed_suites(self) -> tuple[SuiteResult, ...]:
        return tuple(s for s in self.suites if not s.success)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def format_report(report: ValidationReport) -> str:
    """One line per suite (✓/✗ mart, n expectations, n failed), then each failure named."""
    n_failed = len(report.failed_suites)
    lines = [
        f"Great Expectations: {len(report.suites)} suites on {report.warehouse} "
        f"(schema {report.schema}), {len(report.suites) - n_failed} passed, "
        f"{n_failed} failed, {report.seconds:.1f} s"
    ]
    width = max((len(s.mart) for s in report.suites), default=0)
    for suite in report.suites:
        mark = "✓" if suite.success else "✗"
        rows = "" if suite.row_count is None else f", {suite.row_count} rows"
        lines.append(
            f"{mark} {suite.mart:<{width}}  {suite.evaluated:>3} expectations, "
            f"{len(suite.failed)} failed{rows}"
        )
        for error in suite.errors:
            lines.append(f"    ! {error}")
        for failure in suite.failed:
            cols = f" [{', '.join(failure.columns)}]" if failure.columns else ""
            where = f" where {failure.where}" if failure.where else ""
            lines.append(f"    - {failure.expectation_type}{cols}{where}: {failure.observed}")
            if failure.why:
                lines.append(f"      why: {failure.why}")
    return "\n".join(lines)


def merge_failures(results: Sequence[Any]) -> list[FailedExpectation]:
    """One failure per expectation however many batches it failed in, counts added up."""
    merged: dict[tuple, list[FailedExpectation]] = {}
    for result in results:
        failure = _summarise_failure(result)
        merged.setdefault((failure.expectation_type, failure.columns, failure.where, failure.why), []).append(failure)
    combined = []
    for failures in merged.values():
        first = failures[0]
        counts = [f.unexpected_count for f in failures]
        if len(failures) > 1 and None not in counts:
            total = sum(c for c in counts if c is not None)
            first = replace(first, unexpected_count=total,
                            observed=f"{total} unexpected in {len(failures)} batches; first: {first.observed}")
        combined.append(first)
    return combined


def _exception_message(info: Any) -> str | None:
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "exception")
    for value in info.values():  # {metric id: {...}} when a metric raised
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message") or "exception")
    return None


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summarise_failure(result: Any) -> FailedExpectation:
    config = result.expectation_config
    kwargs = dict(config.kwargs)
    columns: list[str] = []
    for key in ("column", "column_A", "column_B"):
        if isinstance(kwargs.get(key), str):
            columns.append(kwargs[key])
    columns.extend(kwargs.get("column_list") or [])
    condition = kwargs.get("row_condition")
    where = None if condition is None else _describe_condition(condition)
    res = dict(result.result or {})
    unexpected = res.get("unexpected_count")
    error = _exception_message(result.exception_info)
    if error:
        observed = f"error: {error}"
    elif unexpected is not None:
        total = res.get("element_count")
        sample = res.get("partial_unexpected_list") or []
        observed = f"{unexpected} unexpected" + (f" of {total} rows" if total is not None else "")
        if sample:
            observed += f", e.g. {_short(sample[:5])}"
    elif "observed_value" in res:
        observed = f"observed {_short(res['observed_value'])}"
    else:
        observed = "failed"
    meta = dict(config.meta or {})
    return FailedExpectation(
        expectation_type=config.type,
        columns=tuple(columns),
        observed=observed,
        unexpected_count=unexpected if isinstance(unexpected, int) else None,
        why=str(meta.get("why", "")),
        where=where,
    )


def _describe_condition(condition: Any) -> str:
    if isinstance(condition, dict):
        kind = condition.get("type")
        if kind in ("and", "or"):
            return f" {kind} ".join(_describe_condition(c) for c in condition.get("conditions", []))
        if kind == "nullity":
            null = "is null" if condition.get("is_null") else "is not null"
            return f"{condition['column']['name']} {null}"
        if kind == "comparison":
            return f"{condition['column']['name']} {condition['operator']} {condition['parameter']!r}"
    return repr(condition)


def suite_result_json(result: Any) -> dict[str, Any]:
    return json.loads(json.dumps(result.to_json_dict(), ensure_ascii=False, default=str))
