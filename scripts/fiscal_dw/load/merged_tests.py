"""The declared column tests that ``fiscal-dw run`` evaluates set-based, in the one dbt test
``assert_column_tests_<layer>`` (``macros/merged_column_tests.sql``) instead of one node each.

Each dbt test node costs dbt's per-node work (compile, a query, results) whatever its data;
hundreds of not_null / accepted_values / uniqueness / relationship tests cost more than the
build itself. Merged: the tests of those kinds that fail a load (severity error, the
default failure count, no limit), except those on the load-history models (built in the
same dbt command after the history is appended). The run names them to the macro in
``FISCAL_DW_MERGED_TESTS`` and leaves their nodes out of its selection; a failing one is
listed under its own name with its own failure count."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb

from fiscal_dw.load.dbt import DbtResult
from fiscal_dw.load.files import IN_PROCESS_DUCKDB

MERGED_TEST = "assert_column_tests_"  # + the layer: seeds, staging, intermediate, marts
MERGED_KINDS = frozenset({"not_null", "accepted_values", "unique", "relationships",
                          "unique_combination_of_columns", "amount_is_parsed"})
ENVIRONMENT = "FISCAL_DW_MERGED_TESTS"
MERGED_TAG = "merged_column_test"  # given in memory, for one cheap --exclude (hundreds of names are not)


def mergeable(manifest: Any) -> list[Any]:
    """The test nodes the merged test evaluates (sorted by unique id)."""
    nodes = manifest.nodes
    merged = []
    for node in nodes.values():
        metadata = getattr(node, "test_metadata", None)
        if node.resource_type != "test" or metadata is None or metadata.name not in MERGED_KINDS \
                or metadata.namespace is not None:
            continue
        config = node.config
        if not (config.enabled and str(config.severity).lower() == "error" and config.fail_calc == "count(*)"
                and config.limit is None and config.warn_if == "!= 0" and config.error_if == "!= 0"
                and not config.store_failures):
            continue
        if any("history" in getattr(nodes.get(parent), "tags", []) for parent in node.depends_on.nodes):
            continue
        merged.append(node)
    return sorted(merged, key=lambda node: node.unique_id)


def merge_tests(manifest: Any) -> list[str]:
    """Name the merged tests to the macro (environment) and tag their nodes in the parsed
    project (in memory only); returns the selector that leaves them out of a dbt command
    (``--exclude``). Selecting by hundreds of names costs dbt seconds; one tag does not."""
    merged = mergeable(manifest)
    os.environ[ENVIRONMENT] = ",".join(node.unique_id for node in merged)
    for node in merged:
        if MERGED_TAG not in node.tags:
            node.tags.append(MERGED_TAG)
    return [f"tag:{MERGED_TAG}"] if merged else []


def expand_failures(result: DbtResult, database: Path) -> None:
    """When the merged test failed, list the declared tests that failed in its place."""
    for test, sql in result.compiled.items():
        if not test.startswith(MERGED_TEST):
            continue
        try:
            named = failing_tests(sql, database)
        except duckdb.Error:  # the merged test could not run: it stays listed as it failed
            continue
        result.failures = [f for f in result.failures if not f.startswith(f"{test} (")] + named


def failing_tests(compiled_sql: str, database: Path) -> list[str]:
    """The merged test failed: which declared tests, with their failure counts."""
    with duckdb.connect(str(database), read_only=True, config=IN_PROCESS_DUCKDB) as connection:
        rows = connection.execute(f"select test_name, failures from ({compiled_sql}) order by 1").fetchall()
    return [f"{name} ({failures})" for name, failures in rows]
