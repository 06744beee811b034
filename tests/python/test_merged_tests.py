"""The declared column tests that `fiscal-dw run` evaluates set-based (load/merged_tests.py,
macros/merged_column_tests.sql): every merged test is evaluated by exactly one of the four
layer tests, they pass where dbt's own tests pass, and a tampered mart fails exactly the
declared tests that name the tampered column, each under its own name."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_DIR, FinishedRun

from fiscal_dw.load.merged_tests import MERGED_TEST, failing_tests

pytestmark = pytest.mark.slow  # parses and compiles the dbt project

LAYERS = ("seeds", "staging", "intermediate", "marts")
# In a process of its own: dbt in-process sets the environment and keeps module state.
COMPILE = textwrap.dedent("""
    import json, os, sys
    from pathlib import Path
    from fiscal_dw.load.dbt import Dbt, dbt_environment
    from fiscal_dw.load.merged_tests import MERGED_TEST, mergeable, merge_tests
    warehouse, target = Path(sys.argv[1]), Path(sys.argv[2])
    dbt_environment(Path("seeds/raw"), warehouse)
    os.environ["DBT_TARGET_PATH"] = str(target)
    os.environ["DBT_LOG_PATH"] = str(target / "logs")
    dbt = Dbt()
    merge_tests(dbt.manifest)
    merged = [{"name": n.name, "kind": n.test_metadata.name, "column": n.test_metadata.kwargs.get("column_name"),
               "model": dbt.manifest.nodes[n.attached_node].name} for n in mergeable(dbt.manifest)]
    layers = [MERGED_TEST + layer for layer in ("seeds", "staging", "intermediate", "marts")]
    result = dbt.run(["compile", "--select", *layers], "dbt compile")
    compiled = {}
    for path in target.rglob("assert_column_tests_*.sql"):
        if "compiled" in path.parts:
            compiled[path.stem] = path.read_text(encoding="utf-8")
    print(json.dumps({"ok": result.ok, "lines": result.lines[-20:], "merged": merged, "compiled": compiled}))
""")


@pytest.fixture(scope="module")
def compiled(seeds_load: FinishedRun, tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("merged")
    warehouse = work / "fiscal.duckdb"  # same name as the load's: DuckDB names the catalog after it
    shutil.copyfile(seeds_load.warehouse, warehouse)
    process = subprocess.run([sys.executable, "-c", COMPILE, str(warehouse), str(work / "target")],
                             cwd=PROJECT_DIR, capture_output=True, text=True, timeout=900)
    assert process.returncode == 0, process.stderr[-4000:]
    found = json.loads(process.stdout.strip().splitlines()[-1])
    assert found["ok"], found["lines"]
    assert set(found["compiled"]) == {MERGED_TEST + layer for layer in LAYERS}
    return {**found, "warehouse": warehouse}


def test_every_merged_test_is_evaluated_by_exactly_one_layer(compiled: dict) -> None:
    assert len(compiled["merged"]) > 100
    for test in compiled["merged"]:
        quoted = f"'{test['name']}'"
        holders = [layer for layer, sql in compiled["compiled"].items() if quoted in sql]
        assert len(holders) == 1, (test["name"], holders)


def test_merged_tests_pass_on_the_committed_seeds(compiled: dict) -> None:
    for sql in compiled["compiled"].values():
        assert failing_tests(sql, compiled["warehouse"]) == []


def test_a_tampered_mart_fails_exactly_the_tests_on_the_tampered_columns(compiled: dict, tmp_path: Path) -> None:
    tampered = tmp_path / "fiscal.duckdb"
    shutil.copyfile(compiled["warehouse"], tampered)
    with duckdb.connect(str(tampered)) as connection:
        # a value outside every accepted set, a null and a duplicated key in dim_document
        # (the contract's constraints are dropped first, as a broken build would not have them)
        connection.execute("create table marts.tampered as select * from marts.dim_document")
        connection.execute("drop table marts.dim_document")
        connection.execute("alter table marts.tampered rename to dim_document")
        connection.execute("update marts.dim_document set document_kind = 'not a kind' "
                           "where document_id = (select min(document_id) from marts.dim_document)")
        connection.execute("insert into marts.dim_document select * from marts.dim_document "
                           "where document_id = (select max(document_id) from marts.dim_document)")
    failed = {line.rsplit(" (", 1)[0] for sql in compiled["compiled"].values()
              for line in failing_tests(sql, tampered)}
    on_dim_document = [t for t in compiled["merged"] if t["model"] == "dim_document"]
    expected = {t["name"] for t in on_dim_document
                if (t["column"] == "document_kind" and t["kind"] == "accepted_values")
                or (t["column"] == "document_id" and t["kind"] == "unique")}
    assert expected and expected <= failed
    # nothing else on dim_document, and nothing on a model that was not touched except the
    # relationships into the duplicated key's table, which still hold
    assert {t["name"] for t in on_dim_document} & failed == expected
    assert {t["name"] for t in compiled["merged"] if t["model"] != "dim_document"} & failed == set()
