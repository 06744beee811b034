"""Great Expectations suite files: read and checked into specs, and a spec turned into a GX expectation.

A suite file (``expectations/<mart>.json``)::

    {
      "mart": "fct_expenditure_by_function",
      "description": "...",
      "derived_columns": {"total_gap_wan": "total_wan - basic_wan - project_wan"},
      "expectations": [
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "total_gap_wan", "min_value": -0.02, "max_value": 0.02},
         "where": ["is_total_row", "==", false],
         "meta": {"why": "..."}}
      ]
    }

* ``derived_columns`` are ``pandas.DataFrame.eval`` expressions (python engine), evaluated
  in order, so a derived column may use an earlier one. Float results are rounded to
  ``validate.DERIVED_DECIMALS`` places: money has 2 decimals and ratios 6, so a sum or difference
  of them is exact at 6 places and the rounding only removes binary float noise
  (a gap of exactly 0.02 stays 0.02 and passes a 0.02 tolerance).
* ``type`` is a GX expectation in snake_case (``expect_column_values_to_be_between`` ->
  ``gx.expectations.ExpectColumnValuesToBeBetween``); ``kwargs`` are its arguments.
* ``where`` (optional) restricts the expectation to some rows: ``[column, op, value]``
  with op one of ``== != < <= > >= in not_in``, or ``[column, "is_null"]`` /
  ``[column, "is_not_null"]``, or a list of such conditions (all must hold).
* ``meta.why`` says what the expectation protects; it is printed when it fails.
* ``rows`` (optional): ``"all"`` (default) or ``"latest_load"``, the rows of the newest
  load only (``load_seq`` = its maximum), for history marts that grow with every load.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only; GX is imported lazily (slow import)
    from great_expectations.expectations.expectation import Expectation
    from great_expectations.expectations.row_conditions import Condition

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}
# Each load validates the history rows it adds; earlier loads were validated when they ran.
ROW_SELECTIONS = {"all": "true", "latest_load": "load_seq = (select max(load_seq) from {relation})"}


class SuiteError(ValueError):
    """A suite file that cannot be read or has the wrong shape."""


@dataclass(frozen=True)
class ExpectationSpec:
    type: str
    kwargs: dict[str, Any]
    meta: dict[str, Any]
    where: list[Any] | None = None

    @property
    def why(self) -> str:
        return str(self.meta.get("why", ""))


@dataclass(frozen=True)
class SuiteSpec:
    mart: str
    path: Path
    description: str
    derived_columns: dict[str, str]
    expectations: tuple[ExpectationSpec, ...]
    rows: str = "all"  # or "latest_load": only the rows of the newest load (history marts)


def load_suite(path: Path) -> SuiteSpec:
    """Read and check one suite file; raise SuiteError with the reason if it is malformed."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SuiteError(f"{path.name}: cannot read suite: {exc}") from exc
    if not isinstance(raw, dict):
        raise SuiteError(f"{path.name}: a suite is a JSON object")
    mart = raw.get("mart")
    if not isinstance(mart, str) or not IDENTIFIER.match(mart):
        raise SuiteError(f"{path.name}: 'mart' must be a lower-case SQL identifier, got {mart!r}")
    derived = raw.get("derived_columns", {})
    if not isinstance(derived, dict) or not all(
        isinstance(k, str) and IDENTIFIER.match(k) and isinstance(v, str) for k, v in derived.items()
    ):
        raise SuiteError(f"{path.name}: 'derived_columns' maps identifiers to expression strings")
    for name, expr in derived.items():
        if "__" in expr or "@" in expr or "lambda" in expr:
            raise SuiteError(f"{path.name}: derived column {name}: expression not allowed: {expr!r}")
    rows = raw.get("rows", "all")
    if rows not in ROW_SELECTIONS:
        raise SuiteError(f"{path.name}: 'rows' must be one of {sorted(ROW_SELECTIONS)}, got {rows!r}")
    items = raw.get("expectations")
    if not isinstance(items, list) or not items:
        raise SuiteError(f"{path.name}: 'expectations' must be a non-empty list")
    specs: list[ExpectationSpec] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise SuiteError(f"{path.name}: expectation #{i + 1} needs a 'type'")
        kwargs, meta = item.get("kwargs", {}), item.get("meta", {})
        if not isinstance(kwargs, dict) or not isinstance(meta, dict):
            raise SuiteError(f"{path.name}: expectation #{i + 1}: 'kwargs' and 'meta' are objects")
        specs.append(ExpectationSpec(item["type"], kwargs, meta, item.get("where")))
    return SuiteSpec(
        mart=mart,
        path=path,
        description=str(raw.get("description", "")),
        derived_columns=dict(derived),
        expectations=tuple(specs),
        rows=rows,
    )


def _condition(where: list[Any]) -> Condition:
    """``[col, op, value]`` / ``[col, is_null]`` / a list of those (AND) -> a GX Condition."""
    from great_expectations.expectations.row_conditions import AndCondition, Column

    if where and all(isinstance(part, list) for part in where):
        parts = [_condition(part) for part in where]
        return parts[0] if len(parts) == 1 else AndCondition(conditions=parts)
    if len(where) == 2 and where[1] in ("is_null", "is_not_null"):
        column = Column(where[0])
        return column.is_null() if where[1] == "is_null" else column.is_not_null()
    if len(where) != 3 or not isinstance(where[0], str):
        raise SuiteError(f"bad 'where' {where!r}: use [column, op, value]")
    column, op, value = Column(where[0]), where[1], where[2]
    if op == "in":
        return column.is_in(value)
    if op == "not_in":
        return column.is_not_in(value)
    if op not in _COMPARISONS:
        raise SuiteError(f"bad 'where' operator {op!r}")
    return {
        "==": column.__eq__,
        "!=": column.__ne__,
        "<": column.__lt__,
        "<=": column.__le__,
        ">": column.__gt__,
        ">=": column.__ge__,
    }[op](value)


def build_expectation(spec: ExpectationSpec) -> Expectation:
    """One spec -> a GX expectation object (raises SuiteError on unknown type or bad kwargs)."""
    import great_expectations as gx
    from great_expectations.expectations.expectation import Expectation as _Expectation

    class_name = "".join(part.capitalize() for part in spec.type.split("_"))
    cls = getattr(gx.expectations, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, _Expectation)):
        raise SuiteError(f"unknown expectation type {spec.type!r}")
    kwargs = dict(spec.kwargs)
    if spec.where is not None:
        kwargs["row_condition"] = _condition(spec.where)
    try:
        return cls(**kwargs, meta=dict(spec.meta))
    except Exception as exc:  # pydantic validation errors: report, don't crash
        raise SuiteError(f"{spec.type}: invalid arguments: {first_line(exc)}") from exc


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]
