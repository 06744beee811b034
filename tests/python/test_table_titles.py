"""The nine standard tables known by their titles (never their number or label), the notes
under an empty table, and a document's identity from its cover.

Titles are the national template's, so short literal title strings are used; sentences and
covers of real documents are read at test time from ../shared (skipped when absent)."""
from __future__ import annotations

from pathlib import Path

import pytest

from fiscal_dw.extract.final_accounts.table_titles import (
    BUDGET,
    FINAL_ACCOUNTS,
    KIND_BY_ID,
    TABLE_KINDS,
    find_titles,
    is_empty_table_note,
    is_template_instruction,
    match_title,
    read_identity,
)

PUTUO = Path(__file__).resolve().parents[3] / "shared" / "documents-shanghai-putuo"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "documents"

NINE = {
    "收入支出决算总表": "income_expenditure_summary",
    "收入决算表": "income_by_function",
    "支出决算表": "expenditure_by_function",
    "财政拨款收入支出决算总表": "appropriation_summary",
    "一般公共预算财政拨款支出决算表": "general_budget_expenditure",
    "一般公共预算财政拨款基本支出决算表": "basic_expenditure_by_economic",
    "一般公共预算财政拨款基本支出决算明细表": "basic_expenditure_by_economic",
    "政府性基金预算财政拨款收入支出决算表": "government_fund",
    "国有资本经营预算财政拨款支出决算表": "state_capital",
    "国有资本经营预算财政拨款收入支出决算表": "state_capital",
    "财政拨款“三公”经费支出决算表": "three_public",
    '财政拨款"三公"经费支出决算表': "three_public",
    "财政拨款三公经费支出决算表": "three_public",
    "一般公共预算财政拨款“三公”经费支出决算表": "three_public",
    "一般公共预算财政拨款‘三公’经费支出决算表": "three_public",
}


def test_nine_kinds_are_distinct_and_documented():
    assert len({kind.kind for kind in TABLE_KINDS}) == 9
    assert {kind.national_code for kind in TABLE_KINDS} == {f"公开0{n}" for n in range(1, 10)}
    docs = (Path(__file__).resolve().parents[2] / "docs" / "raw_tables.md").read_text(encoding="utf-8")
    for kind in TABLE_KINDS:
        assert f"`{kind.kind}`" in docs


@pytest.mark.parametrize("title,kind", NINE.items())
def test_title_gives_kind(title, kind):
    found = match_title(title)
    assert found is not None and found.kind == kind
    assert found.title == title and found.label == "" and found.prefix == ""


@pytest.mark.parametrize("title,kind", NINE.items())
def test_title_with_spaces_label_and_department(title, kind):
    spaced = " ".join(title)  # letter-spaced as some PDFs print it
    assert match_title(spaced).kind == kind
    for label in ("公开01表", "公开 08 表", "表3", "七、", "9."):
        found = match_title(f"{label} {title}")
        assert found.kind == kind and found.label == label, label
    found = match_title(f"上海市普陀区某某局2024年度{title}")
    assert found.kind == kind and found.prefix == "上海市普陀区某某局2024年度"
    assert match_title(f"某某街道办事处{title}").kind == kind


def test_number_never_decides_the_kind():
    # Putuo's 七 is 三公, Jinan's 公开07 is 政府性基金: the title decides
    assert match_title("七、财政拨款“三公”经费支出决算表").kind == "three_public"
    assert match_title("公开07表 政府性基金预算财政拨款收入支出决算表").kind == "government_fund"
    assert match_title("公开07表 财政拨款“三公”经费支出决算表").kind == "three_public"


def test_not_titles():
    for text in ("一、收入支出决算总体情况说明", "项目支出决算表", "详见收入支出决算总表",
                 "2024年度部门决算表", "第二部分 上海市普陀区财政局2024年度部门决算表",
                 "七、财政拨款“三公”经费支出决算情况说明", "预算执行明细表", "收入决算数"):
        assert match_title(text) is None, text


def test_glued_page_text():
    # page text glues a title to the note before it, or to the page number before a form feed
    found = match_title("注：本表反映部门本年度各项支出情况。支出决算表")
    assert found.kind == "expenditure_by_function" and found.title == "支出决算表"
    assert match_title("18\f国有资本经营预算财政拨款收入支出决算表").kind == "state_capital"
    assert match_title("收入支出决算总表（续）").continued
    assert match_title("续表 收入支出决算总表").continued


def test_contents_entries_left_out():
    lines = ["目 录", "一、收入支出决算总表", "", "二、收入决算表", "三、支出决算表", "正文",
             "收入支出决算总表", "单位：万元", "项目 决算数"]
    titles = find_titles(lines)
    assert [(t.kind, t.line_index) for t in titles] == [("income_expenditure_summary", 6)]
    assert len(find_titles(lines, include_contents=True)) == 4


def test_label_on_its_own_line_and_pages():
    lines = ["收入支出决算总表", "", "公开01表", "部门：某局", "x\f收入决算表", "公开 02 表"]
    titles = find_titles(lines)
    assert [(t.kind, t.label, t.label_line_index, t.page) for t in titles] == [
        ("income_expenditure_summary", "公开01表", 2, 1), ("income_by_function", "公开 02 表", 5, 2)]


def test_empty_notes_and_instructions():
    assert is_empty_table_note("注：本部门无政府性基金预算财政拨款支出，故本表无数据。") \
        == "注：本部门无政府性基金预算财政拨款支出，故本表无数据。"
    assert is_empty_table_note("说明：本单位没有国有资本经营预算财政拨款收入和支出，本表为空表。")
    assert is_empty_table_note("注：本表反映部门本年度各项支出情况。") is None
    instruction = "无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明："
    assert is_template_instruction(instruction) == instruction
    assert is_empty_table_note(instruction) is None
    assert is_template_instruction("注：本表反映部门本年度各项收入情况。") is None
    # a note that names a whole kind of money declares the table empty without saying 本表
    assert is_empty_table_note("说明：本部门本年度无政府性基金预算财政拨款收入和支出。")
    assert is_empty_table_note("注：本部门无因公出国（境）费支出。") is None  # one item only
    assert is_empty_table_note("注：无数据的科目不列示。") is None


def test_identity_from_cover_lines():
    identity = read_identity(["上海市普陀区某某局", "2024 年度部门决算", "目 录"])
    assert (identity.department, identity.year, identity.kind) == ("上海市普陀区某某局", "2024", FINAL_ACCOUNTS)
    identity = read_identity(["", "2023 年度", "某某市某某局部门决", "算", "目 录"])
    assert (identity.department, identity.year, identity.kind) == ("某某市某某局", "2023", FINAL_ACCOUNTS)
    identity = read_identity(["某某区某某局", "2025年度部门预算"])
    assert (identity.department, identity.year, identity.kind) == ("某某区某某局", "2025", BUDGET)
    identity = read_identity(["目 录", "第二部分 某某区某某局 2024 年度部门决算表"], head=1)
    assert (identity.department, identity.year) == ("某某区某某局", "2024")


def _putuo_texts() -> list[Path]:
    if not PUTUO.is_dir():
        pytest.skip(f"Putuo documents not found at {PUTUO}")
    return sorted(PUTUO.glob("*.txt"))


def test_putuo_page_text_nine_tables_by_title():
    for path in _putuo_texts():
        lines = path.read_text(encoding="utf-8").split("\n")
        titles = find_titles(lines)
        assert sorted(t.kind for t in titles) == sorted(KIND_BY_ID), path.name
        assert all(t.label == "" and t.page for t in titles), path.name  # Putuo prints no labels
        # its seventh table is 三公
        assert [t.kind for t in titles][6] == "three_public", path.name
        identity = read_identity(lines)
        assert identity.kind == FINAL_ACCOUNTS and identity.year == "2025" and identity.department, path.name
        notes = [is_empty_table_note(line) for line in lines]
        assert any(notes), path.name
        assert all("本表无数据" in note for note in notes if note)


def test_jinan_qingdao_labels_kept_as_printed():
    if not SHARED.is_dir():
        pytest.skip(f"shared documents not found at {SHARED}")
    for path in sorted(SHARED.glob("*final-accounts.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        titles = find_titles(lines)
        assert len(titles) == 9, path.name
        for title in titles:
            assert title.label.replace(" ", "") == KIND_BY_ID[title.kind].national_code + "表", path.name
        assert read_identity(lines).kind == FINAL_ACCOUNTS
