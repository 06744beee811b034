"""A load over a folder with bad files among good documents: every bad file gets a message
naming it (and its table and line), the message is recorded in the load (history mart,
summary.json, report), the good documents load all the same, and `run` exits 2. A load that
fails half-way leaves the previous load as it was."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from unittest import mock

import duckdb
import pytest

from fiscal_dw import cli
from fiscal_dw.load import EXIT_BAD_INPUT, EXIT_FAILED, run
from fiscal_dw.load.dbt import Dbt, DbtResult
from fiscal_dw.load.files import LoadPaths

PROJECT_DIR = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT_DIR / "tests" / "fixtures" / "documents"
TAB = FIXTURES / "tab_layout_final_accounts.txt"
SPACE = FIXTURES / "space_layout_final_accounts.txt"
TAB_DEPARTMENT, SPACE_DEPARTMENT = "示例市测试局", "示例市样本中心"


def _variant(source: Path, department: str, target: Path, edit=lambda text: text,
             encoding: str = "utf-8") -> None:
    """The fixture as another department (so no two documents share department and year)."""
    old = TAB_DEPARTMENT if source == TAB else SPACE_DEPARTMENT
    target.write_bytes(edit(source.read_text(encoding="utf-8").replace(old, department)).encode(encoding))


def _cut_inside_income_table(text: str) -> str:
    lines = text.split("\n")
    cut = next(i for i, line in enumerate(lines) if line.startswith("20103\t")) + 1
    return "\n".join(lines[:cut])


def _extra_cell(text: str) -> str:
    row = "210\t卫生健康支出\t200.00\t200.00\t\t\t\t\t"
    assert row in text
    return text.replace(row, row + "\t99.99", 1)


def _missing_cell(text: str) -> str:
    row = "22102 住房改革支出 50.00 50.00 0.00"
    assert row in text
    return text.replace(row, "22102 住房改革支出 50.00 50.00", 1)


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad_input") / "documents"
    folder.mkdir()
    shutil.copy(TAB, folder / "good.txt")
    shutil.copy(TAB, folder / "same-again.txt")
    _variant(SPACE, "示例市编码中心", folder / "gbk.txt", encoding="gb18030")
    _variant(TAB, "示例市截断局", folder / "truncated.txt", _cut_inside_income_table)
    _variant(TAB, "示例市多列局", folder / "extra-column.txt", _extra_cell)
    _variant(SPACE, "示例市缺列中心", folder / "missing-column.txt", _missing_cell)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04")
    (folder / "letter.txt").write_text("关于召开会议的通知\n\n各单位：请准时参加。\n", encoding="utf-8")
    return folder


def _run(documents: Path, warehouse: Path) -> int:
    """`fiscal-dw run` in this process (so dbt can be made to fail), leaving the
    environment variables it sets for dbt as they were."""
    with mock.patch.dict(os.environ):
        return cli.main(["run", "--docs", str(documents), "--warehouse", str(warehouse)])


@pytest.fixture(scope="module")
def bad_load(bad_folder: Path, tmp_path_factory: pytest.TempPathFactory):
    warehouse = tmp_path_factory.mktemp("bad_load") / "fiscal.duckdb"
    status = _run(bad_folder, warehouse)
    return status, warehouse


def _messages(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select severity, source_file, source_table, source_line, message from marts.fct_load_messages "
            "where load_id = (select load_id from marts.fct_load_history where is_latest) "
            "order by message_seq").fetchall()


def test_bad_files_exit_2_and_the_good_documents_are_loaded(bad_load) -> None:
    status, warehouse = bad_load
    assert status == EXIT_BAD_INPUT
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        departments = {name for (name,) in connection.execute(
            "select department_name from marts.dim_document where document_kind = 'final_accounts'").fetchall()}
        assert departments == {TAB_DEPARTMENT, "示例市编码中心", "示例市截断局", "示例市多列局", "示例市缺列中心"}
        files_not_loaded, warnings = connection.execute(
            "select files_not_loaded, input_warnings from marts.fct_load_history where is_latest").fetchone()
    assert files_not_loaded == 3  # empty, binary, no recognisable structure
    assert warnings >= 4


def test_every_bad_file_is_named_in_the_load_with_table_and_line(bad_load) -> None:
    _, warehouse = bad_load
    messages = _messages(warehouse)
    by_file: dict[str, list[tuple]] = {}
    for message in messages:
        by_file.setdefault(message[1], []).append(message)
    assert {m[0] for m in by_file["empty.txt"]} == {"error"} and "empty file" in by_file["empty.txt"][0][4]
    assert {m[0] for m in by_file["binary.txt"]} == {"error"} and "binary" in by_file["binary.txt"][0][4]
    assert {m[0] for m in by_file["letter.txt"]} == {"error"}
    assert "no recognisable tables" in by_file["letter.txt"][0][4]
    assert [(m[0], m[4]) for m in by_file["same-again.txt"]] == [
        ("warning", "same-again.txt: same content as good.txt; loaded once")]
    assert [(m[0], m[4]) for m in by_file["gbk.txt"]] == [("info", "gbk.txt: not UTF-8; read as GB18030")]
    # cut off inside 公开02: the table's reject names its line, and the tables never reached
    truncated = by_file["truncated.txt"]
    assert any(m[2] == "公开02" and m[3] is not None and "document ends inside the table" in m[4]
               for m in truncated)
    assert any("standard tables not found: 公开03" in m[4] for m in truncated)
    [extra] = by_file["extra-column.txt"]
    assert (extra[0], extra[2]) == ("warning", "公开02") and extra[3] > 0 and "99.99" in extra[4]
    [short] = by_file["missing-column.txt"]
    assert (short[0], short[2]) == ("warning", "公开02") and "fewer cells" in short[4]
    assert f"line {short[3]}" in short[4]
    assert "good.txt" not in by_file


def test_messages_are_in_the_summary_and_the_report(bad_load) -> None:
    _, warehouse = bad_load
    report = LoadPaths.for_warehouse(warehouse).reports / "latest"
    summary = json.loads((report / "summary.json").read_text(encoding="utf-8"))
    assert summary["load"]["exit_code"] == EXIT_BAD_INPUT
    assert [(m["severity"], m["source_file"], m["text"]) for m in summary["input_messages"]] == [
        (severity, source_file, text) for severity, source_file, _, _, text in _messages(warehouse)]
    page = (report / "index.html").read_text(encoding="utf-8")
    assert 'id="input"' in page and "bad input (exit 2)" in page
    for name in ("empty.txt", "binary.txt", "letter.txt", "truncated.txt", "extra-column.txt"):
        assert name in page


def test_a_load_failing_half_way_leaves_the_previous_load(bad_load, bad_folder: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _, warehouse = bad_load
    paths = LoadPaths.for_warehouse(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        before = connection.execute("select load_id, checks_total from marts.fct_load_history").fetchall()
    history_files = sorted(p.relative_to(paths.history) for p in paths.history.rglob("*.parquet"))
    latest_export = (paths.exports / "latest").resolve()
    real_run = Dbt.run

    def history_build_breaks(self: Dbt, arguments: list[str], label: str, progress=None) -> DbtResult:
        if label == "dbt test + history":  # after the new load was appended to the history
            return DbtResult(returncode=2, lines=["simulated failure"])
        return real_run(self, arguments, label, progress)

    monkeypatch.setattr(Dbt, "run", history_build_breaks)
    status = _run(bad_folder, warehouse)
    assert status == EXIT_FAILED
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.execute("select load_id, checks_total from marts.fct_load_history").fetchall() == before
    assert sorted(p.relative_to(paths.history) for p in paths.history.rglob("*.parquet")) == history_files
    assert (paths.exports / "latest").resolve() == latest_export
    assert not paths.building.parent.exists()
