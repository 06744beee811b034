"""Page text whose empty cells are dropped (pdfplumber's extract_text, Shanghai template).

Unit tests of the certain-placement logic on small rows written here, then the three page-text
documents of ../shared/documents-shanghai-putuo (skipped when the folder is absent). Expected
figures are never typed in: every check compares the document's own printed figures through
the identities that relate them.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_dw.extract.final_accounts.placement import (
    RowIdentity,
    TableIdentity,
    Term,
    certain_cells,
    placements,
    row_domain,
    solve,
)

D = Decimal
TOTAL_IS_SUM = RowIdentity(((0, 1), (1, -1), (2, -1)))  # 合计 = 基本 + 项目


def _cells(values, n, domain):
    return certain_cells(len(values), n, domain)


# --------------------------------------------------------------------------- placement units


def test_placements_keep_the_printed_order():
    assert placements(2, 3) == [(0, 1), (0, 2), (1, 2)]
    assert placements(4, 3) == []


def test_a_row_printing_every_cell_has_one_placement_even_if_it_does_not_add_up():
    values = [D("13583.48"), D("1066.51"), D("2921.97")]  # digits lost: 10,661.51
    domain, consistent = row_domain(values, 3, (TOTAL_IS_SUM,))
    assert domain == [(0, 1, 2)] and not consistent
    cells = _cells(values, 3, domain)
    assert cells.placed == {0: 0, 1: 1, 2: 2} and not cells.unplaced


def test_two_equal_numbers_under_three_columns_stay_unplaced():
    values = [D("1700.57"), D("1700.57")]
    domain, consistent = row_domain(values, 3, (TOTAL_IS_SUM,))
    assert consistent and sorted(domain) == [(0, 1), (0, 2)]
    cells = _cells(values, 3, domain)
    assert cells.placed == {0: 0}          # the total is certain
    assert cells.unplaced == [1]           # 基本 or 项目: not known
    assert cells.unknown == {1, 2}


def test_the_row_identity_places_what_it_can():
    # 合计 = 出国 + 车 + 接待, 车 = 购置 + 运维 for one phase, 5 of 6 cells printed
    identities = (RowIdentity(((0, 1), (1, -1), (2, -1), (5, -1))),
                  RowIdentity(((2, 1), (3, -1), (4, -1))))
    values = [D("53.93"), D("52.40"), D("25.00"), D("27.40"), D("1.53")]
    domain, consistent = row_domain(values, 6, identities)
    assert consistent and domain == [(0, 2, 3, 4, 5)]  # 出国 left blank


def test_an_inconsistent_row_keeps_its_total_filled():
    values = [D("13583.48"), D("1066.51"), D("2921.97")]
    six = RowIdentity(((0, 1),) + tuple((i, -1) for i in range(1, 6)))
    domain, consistent = row_domain(values, 6, (six,))
    assert not consistent and domain and all(p[0] == 0 for p in domain)


def test_the_table_identity_places_a_row_its_own_identity_cannot():
    # rows: 合计 (100, 60, 40) printed in full; class A (60, 60); class B (40, 40)
    values = [[D(100), D(60), D(40)], [D(60), D(60)], [D(40), D(40)]]
    domains = [row_domain(v, 3, (TOTAL_IS_SUM,))[0] for v in values]
    identities = [TableIdentity((Term(0, c), Term(1, c, -1), Term(2, c, -1))) for c in range(3)]
    solution = solve(values, domains, identities)
    assert not solution.contradiction and not solution.set_aside
    assert solution.domains[1] == [(0, 1)] and solution.domains[2] == [(0, 2)]


def test_a_symmetric_table_places_nothing_beyond_the_totals():
    # both classes print (x, x) and so does the total: 基本 or 项目 is never decided
    values = [[D(100), D(100)], [D(60), D(60)], [D(40), D(40)]]
    domains = [row_domain(v, 3, (TOTAL_IS_SUM,))[0] for v in values]
    identities = [TableIdentity((Term(0, c), Term(1, c, -1), Term(2, c, -1))) for c in range(3)]
    solution = solve(values, domains, identities)
    for v, d in zip(values, solution.domains):
        assert _cells(v, 3, d).unplaced == [1]


def test_an_identity_no_placement_satisfies_is_set_aside_not_used():
    # the parent prints 50 where its children add to 60: printed figures disagree
    values = [[D(50), D(50)], [D(30), D(30)], [D(30), D(30)]]
    domains = [row_domain(v, 3, (TOTAL_IS_SUM,))[0] for v in values]
    identities = [TableIdentity((Term(0, c), Term(1, c, -1), Term(2, c, -1))) for c in range(3)]
    solution = solve(values, domains, identities)
    assert len(solution.set_aside) >= 1
    for v, d in zip(values, solution.domains):
        assert _cells(v, 3, d).unplaced == [1]


def test_a_known_figure_from_elsewhere_places_the_row():
    values = [[D("26538.47"), D("26538.47")]]
    n = 7  # 收入决算表: 合计 and six sources
    six = RowIdentity(((0, 1),) + tuple((i, -1) for i in range(1, n)))
    domains = [row_domain(values[0], n, (six,))[0]]
    assert len(domains[0]) == 6
    anchors = [TableIdentity((Term(0, 1),), -D("26538.47"))] + [
        TableIdentity((Term(0, c),), D(0)) for c in range(2, n)]
    solution = solve(values, domains, anchors)
    assert solution.domains == [[(0, 1)]]


def test_rounding_is_tolerated_but_a_wrong_column_is_not():
    # 合计 4,733.14 = 3,365.38 + 1,367.75 (one cent off) still decides the placement
    values = [[D("4733.14"), D("3365.38"), D("1367.75")], [D("3365.38"), D("3365.38")],
              [D("1367.76"), D("1367.76")]]
    domains = [row_domain(v, 3, (TOTAL_IS_SUM,))[0] for v in values]
    identities = [TableIdentity((Term(0, c), Term(1, c, -1), Term(2, c, -1))) for c in range(3)]
    solution = solve(values, domains, identities)
    assert solution.domains[1] == [(0, 1)] and solution.domains[2] == [(0, 2)]


def test_contradicting_identities_fall_back_to_what_rows_say():
    values = [[D(10), D(10)]]
    domains = [row_domain(values[0], 3, (TOTAL_IS_SUM,))[0]]
    contradicting = [TableIdentity((Term(0, 1),), -D(10)), TableIdentity((Term(0, 2),), -D(10))]
    solution = solve(values, domains, contradicting)
    assert solution.contradiction and len(solution.domains[0]) == 2


# --------------------------------------------------------------------------- page text, written here

SYNTHETIC = "\n".join([
    "某某区某某局",
    "2025 年度部门决算",
    "\f一般公共预算财政拨款支出决算表",
    "单位：万元",
    "项目 合计 基本支出 项目支出",
    "科目编码 科目名称",
    "201 一般公共服务支出 1000.00 600.00 400.00",
    "201 06 财政事务 1000.00 600.00 400.00",
    "201 06 01 行政运行 600.00 600.00",
    "\f项目 合计 基本支出 项目支出",
    "科目编码 科目名称",
    "201 06 50 事业运行 400.00 400.00",
    "合计 1,000.00 600.00 400.00",
    "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    "\f国有资本经营预算财政拨款收入支出决算表",
    "单位：万元",
    "项目 年初结转和结余 本年收入 本年支出 年末结转和结余",
    "合计 合计 基本支出 项目支出",
    "注：本表反映部门本年度国有资本经营预算财政拨款收入支出及结转和结余情况。",
    "如本部门无相关数据，仍保留该表格式，并在本表下方作下述说明：",
    "说明：某某局本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。",
]) + "\n"


@pytest.fixture()
def synthetic(tmp_path):
    from fiscal_dw.extract.documents import load_document
    from fiscal_dw.extract.final_accounts.page_text import extract_page_text_tables

    path = tmp_path / "page-text.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return extract_page_text_tables(load_document(path))


def test_split_codes_a_repeated_header_and_a_page_break(synthetic):
    rows = {r["subject_code"] or r["subject_name"]: r
            for r in synthetic.rows["raw_expenditure_by_function"]}
    assert list(rows) == ["201", "20106", "2010601", "2010650", "合计"]
    assert rows["2010601"]["basic"] == "600.00" and rows["2010601"]["project"] == ""
    assert rows["2010650"]["project"] == "400.00" and rows["2010650"]["basic"] == ""
    assert rows["2010650"]["source_page"] == "3" and rows["201"]["source_page"] == "2"
    assert rows["2010650"]["subject_name"] == "事业运行"  # the header's words are not a name
    assert not any(r["missing_cells"] or r["unplaced_values"] for r in rows.values())
    assert rows["合计"]["total"] == "1,000.00"  # as printed


def test_declared_empty_table_and_template_instruction(synthetic):
    tables = {t.kind: t for t in synthetic.tables}
    assert "本表无数据" in tables["state_capital"].declared_empty
    assert tables["state_capital"].rows == 0
    infos = [m.text for m in synthetic.messages if m.severity == "info"]
    assert any("template instruction" in t for t in infos)
    assert any(t.startswith("declared empty") for t in infos)
    assert set(tables) == {"general_budget_expenditure", "state_capital"}


def test_a_row_with_more_numbers_than_columns_is_rejected_not_placed(tmp_path):
    from fiscal_dw.extract.documents import load_document
    from fiscal_dw.extract.final_accounts.page_text import extract_page_text_tables

    text = SYNTHETIC.replace("201 06 01 行政运行 600.00 600.00", "201 06 01 行政运行 600.00 600.00 1.00 2.00")
    path = tmp_path / "page-text.txt"
    path.write_text(text, encoding="utf-8")
    result = extract_page_text_tables(load_document(path))
    assert [(r.reason, r.table_kind, r.source_page) for r in result.rejects] == [
        ("4 numbers for 3 columns", "general_budget_expenditure", "2")]
    codes = [r["subject_code"] for r in result.rows["raw_expenditure_by_function"]]
    assert "2010601" not in codes


def test_a_header_without_the_template_columns_places_nothing(tmp_path):
    from fiscal_dw.extract.documents import load_document
    from fiscal_dw.extract.final_accounts.page_text import extract_page_text_tables

    text = SYNTHETIC.replace("项目 合计 基本支出 项目支出", "项目 合计 基本支出 其他支出")
    path = tmp_path / "page-text.txt"
    path.write_text(text, encoding="utf-8")
    result = extract_page_text_tables(load_document(path))
    rows = result.rows["raw_expenditure_by_function"]
    assert rows and all(r["total"] == r["basic"] == r["project"] == "" for r in rows)
    assert all(r["missing_cells"] == "total;basic;project" and r["unplaced_values"] for r in rows)
    assert any("does not name" in m.text for m in result.messages if m.severity == "warning")


# --------------------------------------------------------------------------- real documents

PUTUO = Path(__file__).resolve().parents[3] / "shared" / "documents-shanghai-putuo"
PAGE_TEXT = sorted(PUTUO.glob("*.txt")) if PUTUO.is_dir() else []
needs_documents = pytest.mark.skipif(
    not PAGE_TEXT, reason=f"the Putuo page-text documents are not in {PUTUO}")


def _extract(fragment: str):
    from fiscal_dw.extract.documents import load_document
    from fiscal_dw.extract.final_accounts.page_text import extract_page_text_tables

    path = next(p for p in PAGE_TEXT if fragment in p.name)
    return extract_page_text_tables(load_document(path))


@pytest.fixture(scope="module")
def documents():
    return {key: _extract(key) for key in ("ecology", "culture", "shiquanlu")}


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


def _rows(result, raw_table, kind):
    return [r for r in result.rows.get(raw_table, []) if r["table_kind"] == kind]


def _by_code(rows):
    return {r["subject_code"] or r["subject_name"]: r for r in rows}


@needs_documents
@pytest.mark.parametrize("key", ["ecology", "culture", "shiquanlu"])
def test_every_table_is_found_or_declared_empty(documents, key):
    from fiscal_dw.extract.final_accounts.table_titles import TABLE_KINDS

    result = documents[key]
    found = {t.kind: t for t in result.tables}
    assert set(found) == {k.kind for k in TABLE_KINDS}
    for table in found.values():
        assert table.rows or table.declared_empty, table
        assert not (table.rows and table.declared_empty)
    assert not result.rejects


@needs_documents
def test_the_clean_baseline_places_every_number(documents):
    result = documents["ecology"]
    assert all(t.unplaced_rows == 0 for t in result.tables)
    for rows in result.rows.values():
        assert not any(r.get("unplaced_values") or r.get("missing_cells") for r in rows)


def _summary(result, kind, side, name):
    return next(r for r in result.rows["raw_income_expenditure_summary"]
                if r["table_kind"] == kind and r["side"] == side and r["item_name"] == name)


@needs_documents
@pytest.mark.parametrize("key", ["ecology", "culture", "shiquanlu"])
def test_summary_tables_balance_through_their_own_identities(documents, key):
    result = documents[key]
    for kind in ("income_expenditure_summary", "appropriation_summary"):
        rows = [r for r in result.rows["raw_income_expenditure_summary"] if r["table_kind"] == kind]
        expenditure = [r for r in rows if r["side"] == "expenditure"]
        classes = [r for r in expenditure if r["item_name"][:1] in "一二三四五六七八九十"]
        assert len(classes) in (24, 26)
        total = _summary(result, kind, "expenditure", "本年支出合计")
        columns = ("amount", "general_budget", "gov_fund", "state_capital")
        for column in columns if kind == "appropriation_summary" else columns[:1]:
            assert not total["missing_cells"]
            assert sum(_amount(r[column]) for r in classes) == _amount(total[column])
        income = _summary(result, kind, "income", "总计")
        assert _amount(income["amount"]) == _amount(_summary(result, kind, "expenditure", "总计")["amount"])
        if kind == "appropriation_summary":
            assert _amount(total["amount"]) == sum(
                _amount(total[c]) for c in ("general_budget", "gov_fund", "state_capital"))


@needs_documents
@pytest.mark.parametrize("key", ["ecology", "culture", "shiquanlu"])
def test_income_table_agrees_with_the_summary_table(documents, key):
    result = documents[key]
    income = _by_code(_rows(result, "raw_income_by_function", "income_by_function"))
    total = income["合计"]
    assert not total["unplaced_values"]
    summary_total = _summary(result, "income_expenditure_summary", "income", "本年收入合计")
    assert _amount(total["total"]) == _amount(summary_total["amount"])
    classes = [r for code, r in income.items() if len(code) == 3 and code.isdigit()]
    for column in ("total", "fiscal_appropriation"):
        assert sum(_amount(r[column]) for r in classes) == _amount(total[column])


@needs_documents
def test_three_public_row_with_blank_pair_is_placed_by_its_identities(documents):
    rows = _rows(documents["shiquanlu"], "raw_three_public_expenses", "three_public")
    assert len(rows) == 12 and not any(r["missing_cells"] for r in rows)
    cell = {(r["phase"], r["expense_item"]): _amount(r["amount"]) for r in rows}
    for phase in ("budget", "actual"):
        assert cell[(phase, "overseas_travel")] == 0  # the pair printed blank
        assert cell[(phase, "total")] == (cell[(phase, "overseas_travel")] + cell[(phase, "vehicles")]
                                          + cell[(phase, "official_reception")])
        assert cell[(phase, "vehicles")] == cell[(phase, "vehicle_purchase")] + cell[(phase, "vehicle_operation")]


@needs_documents
def test_lost_digits_show_as_disagreeing_values_not_as_misplaced_ones(documents):
    result = documents["shiquanlu"]
    for kind in ("expenditure_by_function", "general_budget_expenditure"):
        rows = _by_code(_rows(result, "raw_expenditure_by_function", kind))
        for code in ("212", "21201"):
            row = rows[code]
            assert not row["unplaced_values"], (kind, code, row)
            # printed: total, basic, project; the identity 合计 = 基本 + 项目 fails
            assert _amount(row["total"]) != _amount(row["basic"]) + _amount(row["project"])
            children = [r for c, r in rows.items() if c.startswith(code) and len(c) == len(code) + 2]
            assert sum(_amount(r["project"]) for r in children) == _amount(row["project"])
        # the 项 below 21201 add up to the basic figure with the lost digit
        items = [r for c, r in rows.items() if c.startswith("21201") and len(c) == 7]
        assert sum(_amount(r["basic"]) for r in items) != _amount(rows["21201"]["basic"])
        assert all(not r["unplaced_values"] for r in items)


@needs_documents
def test_shifted_rows_are_left_unplaced_and_reported(documents):
    """文化和旅游局: the general-budget table's amounts are shifted against their codes from
    20709 down; its identities fail, so its two-number rows are not placed (never guessed)."""
    result = documents["culture"]
    rows = _by_code(_rows(result, "raw_expenditure_by_function", "general_budget_expenditure"))
    assert rows["20709"]["unplaced_values"] and "basic" in rows["20709"]["missing_cells"]
    # the totals are still the first printed number, so the disagreement is visible
    classes = [r for c, r in rows.items() if len(c) == 3 and c.isdigit()]
    assert sum(_amount(r["total"]) for r in classes) != _amount(rows["合计"]["total"])
    messages = [m for m in result.messages if m.table_kind == "general_budget_expenditure"]
    assert any(m.severity == "warning" and m.page and m.line for m in messages)


@needs_documents
def test_unplaced_numbers_are_kept_and_reported_with_page_and_line(documents):
    for result in documents.values():
        reported = {(m.table_kind, m.line) for m in result.messages if m.severity == "warning"}
        for table, rows in result.rows.items():
            for row in rows:
                if row.get("unplaced_values"):
                    assert (row["table_kind"], int(row["source_line"])) in reported
                    assert row["missing_cells"]
                    assert row["source_page"]


@needs_documents
def test_government_fund_rows_of_the_culture_bureau(documents):
    """Its rows print 5 of 6 cells; 基本 or 项目 is decided by the 支出决算表, where the same
    code's 基本支出 is blank (a fund's spending is part of it). The 合计 line prints header words
    where its 本年支出 cells are: those stay unknown, its numbers unplaced."""
    result = documents["culture"]
    rows = _by_code(_rows(result, "raw_government_fund_by_function", "government_fund"))
    spending = _by_code(_rows(result, "raw_expenditure_by_function", "expenditure_by_function"))
    for code in ("2070904", "2121999"):
        row = rows[code]
        assert not row["unplaced_values"]
        assert _amount(row["income"]) == _amount(row["expenditure_total"]) == _amount(row["expenditure_project"])
        assert spending[code]["basic"] == "" and row["expenditure_basic"] == ""
        assert _amount(row["carryover_end"]) == (_amount(row["carryover_begin"]) + _amount(row["income"])
                                                 - _amount(row["expenditure_total"]))
    assert rows["合计"]["unplaced_values"]


@needs_documents
def test_declared_empty_tables_carry_their_note(documents):
    for result in documents.values():
        for table in result.tables:
            if table.declared_empty:
                assert "本表无数据" in table.declared_empty
                assert any(m.severity == "info" and "declared empty" in m.text
                           for m in result.messages if m.table_kind == table.kind)


@needs_documents
@pytest.mark.parametrize("key", ["ecology", "culture", "shiquanlu"])
def test_basic_expenditure_detail_adds_up_to_its_printed_totals(documents, key):
    """基本支出决算表, printed two-sided: 人员经费合计 = 301 + 303, 公用经费合计 = 302 + 307 + 310 +
    312 + 399, each 类 = Σ its 款, within the documents' rounding (0.01 per summand)."""
    rows = _rows(documents[key], "raw_basic_expenditure_by_economic", "basic_expenditure_by_economic")
    assert not any(r["missing_cells"] or r["unplaced_values"] for r in rows)
    amount = {r["economic_code"] or r["economic_name"]: _amount(r["amount"]) for r in rows}
    personnel = sum(amount.get(c, 0) for c in ("301", "303"))
    public = sum(amount.get(c, 0) for c in ("302", "307", "310", "312", "399"))
    assert abs(amount["人员经费合计"] - personnel) <= Decimal("0.02")
    assert abs(amount["公用经费合计"] - public) <= Decimal("0.02")
    for code in ("301", "302", "303", "310"):
        items = [v for c, v in amount.items() if c.isdigit() and len(c) == 5 and c.startswith(code)]
        if code in amount:
            assert abs(sum(items) - amount[code]) <= Decimal("0.005") * (len(items) + 1) + Decimal("0.01")


@needs_documents
@pytest.mark.parametrize("key", ["ecology", "shiquanlu"])
def test_general_budget_basic_equals_the_basic_detail(documents, key):
    result = documents[key]
    general = _by_code(_rows(result, "raw_expenditure_by_function", "general_budget_expenditure"))
    detail = {r["economic_name"]: _amount(r["amount"])
              for r in _rows(result, "raw_basic_expenditure_by_economic", "basic_expenditure_by_economic")
              if not r["economic_code"]}
    assert _amount(general["合计"]["basic"]) == detail["人员经费合计"] + detail["公用经费合计"]


@needs_documents
@pytest.mark.parametrize("key", ["ecology", "culture", "shiquanlu"])
def test_expenditure_table_is_placed_and_its_classes_add_up(documents, key):
    """支出决算表: every number placed (its 合计 equals all appropriation spending, so only 基本
    and 项目 can hold numbers), and per column Σ 类 = 合计 within rounding, except where the
    document itself prints a figure with digits lost (石泉路 212: README)."""
    result = documents[key]
    rows = _by_code(_rows(result, "raw_expenditure_by_function", "expenditure_by_function"))
    assert not any(r["unplaced_values"] for r in rows.values())
    classes = [r for c, r in rows.items() if len(c) == 3 and c.isdigit()]
    for column in ("total", "project", "remit_to_superior", "operating", "subsidy_to_affiliates"):
        assert abs(sum(_amount(r[column]) for r in classes) - _amount(rows["合计"][column])) <= Decimal("0.02")
    basic_gap = sum(_amount(r["basic"]) for r in classes) - _amount(rows["合计"]["basic"])
    if key == "shiquanlu":  # 1,066.51 printed for 10,661.51
        lost = _amount(rows["212"]["basic"]) - (_amount(rows["212"]["total"]) - _amount(rows["212"]["project"]))
        assert abs(basic_gap - lost) <= Decimal("0.02")
    else:
        assert abs(basic_gap) <= Decimal("0.02")


@needs_documents
@pytest.mark.parametrize("key", ["culture", "shiquanlu"])
def test_wrapped_names_are_joined_alike_in_every_table(documents, key):
    """The same code's name, wrapped differently in each table's column width (above, beside
    and below the code line), reads the same once joined."""
    result = documents[key]
    names: dict[str, set[str]] = {}
    for table in ("raw_income_by_function", "raw_expenditure_by_function"):
        for row in result.rows[table]:
            if row["subject_code"]:
                names.setdefault(row["subject_code"], set()).add(row["subject_name"])
    assert {code: n for code, n in names.items() if len(n) > 1} == {}
    economic = _rows(result, "raw_basic_expenditure_by_economic", "basic_expenditure_by_economic")
    codes = [r["economic_code"] for r in economic if r["economic_code"]]
    assert len(codes) == len(set(codes)) and all(r["economic_name"] for r in economic)
