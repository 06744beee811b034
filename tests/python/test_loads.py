"""Loads and their history: two runs on the same documents, one on a changed copy, a reader
holding the warehouse open, the lock, the Parquet exports and the dbt exposures."""
from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import re
import shutil
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from fiscal_dw.load.dbt import dbt_target
from fiscal_dw.load.files import LoadPaths
from fiscal_dw.load.history import new_load_id, raw_row_counts
from fiscal_dw.load.publish import point_latest
from conftest import expected_run_exit
from load_runs import JINAN, PROJECT_DIR, SHARED_DOCUMENTS, TwoLoads, fiscal_dw, run_load, two_loads

# 公开09 of the Jinan final accounts: budget then actual, the last cell is 公务接待费 actual.
JINAN_FILE = "jinan-bigdata-bureau-2023-final-accounts.txt"
THREE_PUBLIC_LINE = 411
THREE_PUBLIC_TEXT = "2.54\t\t1.31\t\t1.31\t1.23\t2.54\t\t1.31\t\t1.31\t1.23"


@pytest.fixture(scope="module")
def loads(tmp_path_factory: pytest.TempPathFactory) -> TwoLoads:
    return two_loads(tmp_path_factory)


@pytest.fixture(scope="module")
def history(loads: TwoLoads):
    with duckdb.connect(str(loads.warehouse), read_only=True) as connection:
        yield connection


def load_ids(history) -> list[str]:
    return [row[0] for row in history.execute("select load_id from marts.fct_load_history order by load_seq").fetchall()]


def check_results(connection, load_id: str) -> set[tuple]:
    return set(connection.execute(
        "select check_key, rule_id, scope, status, lhs_value, rhs_value, difference "
        "from marts.fct_check_history where load_id = ?", [load_id]).fetchall())


# --------------------------------------------------------------------------- two loads, same documents


def test_second_run_succeeds_while_a_reader_holds_the_warehouse(loads: TwoLoads) -> None:
    assert loads.second.returncode == expected_run_exit(loads.warehouse), loads.second.output
    first, second = loads.reader["before"][0], loads.reader["reconnected"][0]
    # the open connection kept reading the previous load, complete, until it reconnected
    assert loads.reader["held"][0] == first
    assert int(loads.reader["held"][1]) > 200
    assert second != first
    assert re.search(rf"load {re.escape(second)}\b", loads.second.stdout)


def test_two_runs_are_two_loads_with_identical_check_results(loads: TwoLoads, history) -> None:
    first, second = load_ids(history)
    assert first < second  # load ids sort by time
    assert check_results(history, first) == check_results(history, second)
    row = history.execute(
        "select previous_load_id, same_documents_as_previous, documents_changed, checks_new, "
        "checks_changed, checks_removed, is_latest from marts.fct_load_history where load_id = ?",
        [second]).fetchone()
    assert row == (first, True, 0, 0, 0, 0, True)
    changes = dict(history.execute(
        "select status_change, count(*) from marts.fct_check_history where load_id = ? group by all",
        [second]).fetchall())
    assert set(changes) == {"unchanged"}


def test_a_load_records_its_documents_row_counts_and_extractor(loads: TwoLoads, history) -> None:
    first, second = load_ids(history)
    for load_id in (first, second):
        started, finished, kind, version = history.execute(
            "select started_at, finished_at, source_kind, extractor_version from marts.fct_load_history "
            "where load_id = ?", [load_id]).fetchone()
        assert isinstance(started, datetime) and started <= finished
        if loads.documents is not None:
            assert kind == "documents"
            assert re.fullmatch(r"\d+\.\d+\.\d+\+[0-9a-f]{12}", version)
    documents = history.execute(
        "select source_file, source_sha256, document_kind, department_name, fiscal_year, change_since_previous "
        "from marts.fct_load_documents where load_id = ? order by source_file", [second]).fetchall()
    assert len(documents) == 4
    assert {d[5] for d in documents} == {"unchanged"}
    if loads.documents is not None:
        for source_file, sha256, *_ in documents:
            assert sha256 == hashlib.sha256((loads.documents / source_file).read_bytes()).hexdigest()
    assert (JINAN_FILE, "final_accounts", JINAN, 2023) in {(d[0], d[2], d[3], d[4]) for d in documents}
    counts = dict(history.execute(
        "select raw_table, row_count from marts.fct_load_row_counts where load_id = ?", [second]).fetchall())
    if loads.documents is not None:  # where `run --docs` extracts to
        raw = PROJECT_DIR / "build" / "raw" / hashlib.sha256(str(loads.documents.resolve()).encode()).hexdigest()[:8]
    else:
        raw = PROJECT_DIR / "seeds" / "raw"
    assert counts == raw_row_counts(raw)
    assert counts["raw_documents"] == 4 and counts["raw_expenditure_by_function"] > 0


def test_history_survives_the_rebuild_outside_the_warehouse_file(loads: TwoLoads, history) -> None:
    first, second = load_ids(history)
    for table in ("loads", "load_documents", "load_row_counts", "check_results"):
        assert sorted(p.stem for p in (loads.history / table).glob("*.parquet")) == [first, second]
    # the file was built anew for the second load, yet it shows the first load's checks
    assert history.execute("select count(*) from marts.fct_check_history where load_id = ?",
                           [first]).fetchone()[0] > 200
    leftovers = [p.name for p in loads.root.iterdir() if "building" in p.name or p.suffix == ".wal"]
    assert leftovers == []


def test_each_load_has_a_report_and_parquet_exports(loads: TwoLoads, history) -> None:
    first, second = load_ids(history)
    for load_id in (first, second):
        report = loads.reports / load_id
        assert (report / "index.html").is_file() and (report / "summary.json").is_file()
        assert (report / "data_docs" / "index.html").is_file()
        assert _docs_site(report).is_file()
        assert (report / "gx" / "validation_summary.json").is_file()
        summary = json.loads((report / "summary.json").read_text(encoding="utf-8"))
        assert summary["load"]["load_id"] == load_id and summary["load"]["exit_code"] == expected_run_exit(loads.warehouse)
    assert (loads.reports / "latest").resolve() == (loads.reports / second).resolve()
    assert (loads.exports / "latest").resolve() == (loads.exports / second).resolve()
    exported = loads.exports / second
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    marts = {row[0] for row in history.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
    assert set(manifest["marts"]) == marts
    assert {"fct_department_year", "fct_reconciliation_checks", "fct_load_history"} <= marts
    with duckdb.connect() as connection:
        for mart, entry in manifest["marts"].items():
            parquet = str(exported / entry["file"])
            assert connection.execute("select count(*) from read_parquet(?)", [parquet]).fetchone()[0] == entry["rows"]
            assert history.execute(f"select count(*) from marts.{mart}").fetchone()[0] == entry["rows"]


def _docs_site(report: Path, timeout: float = 300) -> Path:
    """The report's dbt docs site: copied at once when the project's files are unchanged since
    a site was generated, else written by the background generation the load started (the
    load does not wait for it; the report links it all the same)."""
    summary = json.loads((report / "summary.json").read_text(encoding="utf-8"))
    assert summary["links"]["dbt_docs"] == "dbt_docs/index.html"
    site = report / "dbt_docs" / "index.html"
    deadline = time.monotonic() + timeout
    while not site.is_file() and time.monotonic() < deadline:
        time.sleep(1)
    return site


def test_data_docs_cover_this_load_only(loads: TwoLoads, history) -> None:
    _, second = load_ids(history)
    validations = list((loads.reports / second / "data_docs" / "validations").rglob("*.html"))
    suites = len(list((PROJECT_DIR / "expectations").glob("*.json"))) + len(
        list((PROJECT_DIR / "expectations" / "history").glob("*.json")))
    assert len(validations) == suites
    assert all(second in str(path) for path in validations)



def test_history_expectations_cover_the_rows_this_load_added(loads: TwoLoads, history) -> None:
    first, second = load_ids(history)
    summary = json.loads((loads.reports / second / "summary.json").read_text(encoding="utf-8"))
    rows = {s["mart"]: s["rows"] for s in summary["expectations"]["suite_results"]}
    per_load = dict(history.execute(
        "select load_id, count(*) from marts.fct_check_history group by all").fetchall())
    assert per_load[first] == per_load[second] > 0
    assert rows["fct_check_history"] == per_load[second]  # not both loads' rows


def test_exposures_are_declared_for_the_report_and_a_bi_dashboard(loads: TwoLoads) -> None:
    manifest = json.loads((dbt_target(loads.warehouse) / "manifest.json").read_text(encoding="utf-8"))
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert {"load_quality_report", "bi_fiscal_dashboard"} <= set(exposures)
    assert exposures["bi_fiscal_dashboard"]["type"] == "dashboard"
    for name in ("load_quality_report", "bi_fiscal_dashboard"):
        depends = exposures[name]["depends_on"]["nodes"]
        assert "model.fiscal_dw.fct_reconciliation_checks" in depends
        assert "model.fiscal_dw.fct_load_history" in depends


# --------------------------------------------------------------------------- a changed document


def test_a_changed_number_changes_exactly_the_affected_checks(loads: TwoLoads, tmp_path: Path) -> None:
    if loads.documents is None:
        pytest.skip(f"real documents not found at {SHARED_DOCUMENTS}")
    # continue the same history in a copy, so the shared warehouse stays as it was
    root = tmp_path / "copy"
    shutil.copytree(loads.root, root, symlinks=True)
    documents = tmp_path / "documents"
    shutil.copytree(loads.documents, documents)
    jinan = documents / JINAN_FILE
    lines = jinan.read_text(encoding="utf-8").split("\n")
    assert lines[THREE_PUBLIC_LINE - 1] == THREE_PUBLIC_TEXT
    lines[THREE_PUBLIC_LINE - 1] = THREE_PUBLIC_TEXT[:-4] + "9.23"  # 公务接待费 actual 1.23 -> 9.23
    jinan.write_text("\n".join(lines), encoding="utf-8")

    run = run_load(root / "fiscal.duckdb", documents)
    assert run.returncode == 1, run.output  # a check of error severity now fails
    # the screen lists the first five error findings (the documents print more than five of
    # their own); the changed check itself is asserted in the history below
    assert "FAIL [error] 济南市大数据局" in run.stdout
    with duckdb.connect(str(root / "fiscal.duckdb"), read_only=True) as connection:
        previous, latest = connection.execute(
            "select previous_load_id, load_id from marts.fct_load_history where is_latest").fetchone()
        changed = connection.execute(
            "select rule_id, department_name, scope, previous_status, status, severity from marts.fct_check_history "
            "where load_id = ? and status_changed order by rule_id", [latest]).fetchall()
        # 公开09's 合计 and the 情况说明 sentences that restate the figure and its rate (公开06's 30217,
        # 1.23, is still contained in the larger 三公 actual: containment, not equality)
        assert [row[:5] for row in changed] == [
            ("narr_three_public_amounts", JINAN, "情况说明>公开09:three_public.reception.actual:#101", "pass", "fail"),
            ("narr_three_public_rates", JINAN, "情况说明>公开09:three_public.reception.completion_rate:#102",
             "pass", "fail"),
            ("three_public_total_items", JINAN, "公开09:actual", "pass", "fail"),
        ]
        rows = connection.execute(
            "select documents_changed, checks_new, checks_removed, checks_fail_error, same_documents_as_previous "
            "from marts.fct_load_history where load_id in (?, ?) order by load_seq", [previous, latest]).fetchall()
        assert rows[1][:3] == (1, 0, 0) and rows[1][4] is False
        assert rows[1][3] == rows[0][3] + sum(row[5] == "error" for row in changed)
        documents_changed = connection.execute(
            "select source_file from marts.fct_load_documents where load_id = ? and change_since_previous = 'changed'",
            [latest]).fetchall()
        assert documents_changed == [(JINAN_FILE,)]
        # the changed document's rows replaced the previous version's
        assert connection.execute("select count(*) from marts.dim_document").fetchone() == (4,)
        assert connection.execute(
            "select count(distinct document_id) from marts.fct_check_history where load_id in (?, ?) "
            "and department_name = ?", [previous, latest, JINAN]).fetchone() == (2,)
    summary = json.loads((root / "reports" / latest / "summary.json").read_text(encoding="utf-8"))
    assert summary["load"]["exit_code"] == 1
    assert {c["rule_id"] for c in summary["status_changes"]["changes"]} == {row[0] for row in changed}


# --------------------------------------------------------------------------- operator


def test_a_second_run_on_the_same_warehouse_is_refused(tmp_path: Path) -> None:
    paths = LoadPaths.for_warehouse(tmp_path / "fiscal.duckdb")
    with paths.lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        run = fiscal_dw("run", "--warehouse", str(paths.warehouse), timeout=120)
    assert run.returncode == 2, run.output
    assert "another run is loading" in run.stdout
    assert not paths.warehouse.exists()


def test_run_shows_each_stage_and_a_final_summary(loads: TwoLoads) -> None:
    output = loads.second.stdout
    for stage in ("[1/5] documents", "[2/5] dbt", "[3/5] expectations", "[4/5] publish", "[5/5] report"):
        assert stage in output
    summary = output[output.index("-" * 72):]
    expected = expected_run_exit(loads.warehouse)
    assert re.search(rf"load \S+  {['clean', 'ERRORS'][expected]} \(exit {expected}\)", summary)
    assert "vs previous" in summary and "0 status changes" in summary
    assert "index.html" in summary
    assert re.search(rf"run: published load \S+ with \d+ error findings? \(exit {expected}\) in \d+\.\d s",
                     output)


# --------------------------------------------------------------------------- helpers


def test_paths_follow_the_warehouse(tmp_path: Path) -> None:
    paths = LoadPaths.for_warehouse(tmp_path / "w" / "sample.duckdb")
    assert paths.history == tmp_path / "w" / "history" / "sample"
    assert paths.building.name == "sample.duckdb" and paths.building.parent.parent == tmp_path / "w"
    assert paths.reports == tmp_path / "w" / "reports"
    project = LoadPaths.for_warehouse(PROJECT_DIR / "warehouse" / "fiscal.duckdb")
    assert project.reports == PROJECT_DIR / "reports" and project.exports == PROJECT_DIR / "exports"
    assert project.history == PROJECT_DIR / "warehouse" / "history" / "fiscal"


def test_load_ids_sort_by_time_and_latest_pointer_moves(tmp_path: Path) -> None:
    early, late = new_load_id(datetime(2025, 1, 2, 3, 4, 5)), new_load_id(datetime(2025, 1, 2, 3, 4, 6))
    assert early < late and early.startswith("20250102T030405Z-")
    for name in (early, late):
        (tmp_path / name).mkdir()
        point_latest(tmp_path, name)
    assert os.readlink(tmp_path / "latest") == late


def test_raw_row_counts_count_records_not_lines(tmp_path: Path) -> None:
    with (tmp_path / "raw_documents.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["a", "b"])
        writer.writerow(["1", "two\nlines"])
        writer.writerow(["2", "x"])
    (tmp_path / "notes.csv").write_text("x\n1\n", encoding="utf-8")
    assert raw_row_counts(tmp_path) == {"raw_documents": 2}
