"""PDF input: the nine tables read from ruled grids, and every kind of unreadable PDF recorded
with a message while the rest of the folder loads.

Small PDFs are drawn at test time with reportlab (its built-in CID font STSong-Light, so no
font file is needed); the real Shanghai Putuo PDFs are read from ../shared and the tests on
them skip when that folder is absent. Their figures are not copied here: the tests check the
tables' own printed identities (parent = Σ children, 合计 = Σ 类, 小计 = 基本 + 项目, …), which
only hold when every value sits in its own column."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_dw.extract import extract_folder
from fiscal_dw.extract.documents import DocumentError
from fiscal_dw.extract.pdf import load_pdf
from fiscal_dw.extract.pdf.tables import extract_pdf_tables

PUTUO = Path(__file__).resolve().parents[3] / "shared" / "documents-shanghai-putuo"
FONT = "STSong-Light"


# --- drawing small PDFs ----------------------------------------------------------------------

def _canvas(path: Path, **kwargs):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return canvas.Canvas(str(path), pagesize=A4, **kwargs)


def _table(c, x: float, top: float, widths: list[float], rows: list[list], height: float = 18) -> float:
    """Draw a ruled table: each row a list of cells, a cell text or (text, colspan); every
    cell is stroked as a rectangle. Returns the y below the table."""
    y = top
    for row in rows:
        position = 0
        cx = x
        for cell in row:
            text, span = (cell, 1) if isinstance(cell, str) else cell
            width = sum(widths[position:position + span])
            c.rect(cx, y - height, width, height, stroke=1, fill=0)
            if text:
                c.setFont(FONT, 8)
                # PDFium gives no text for a lone CID character drawn by reportlab: a trailing
                # space (dropped by the reader) keeps 类/款/项 readable
                c.drawString(cx + 2, y - height + 5, text if len(text) > 1 else text + " ")
            cx += width
            position += span
        y -= height
    return y


def _title(c, text: str, y: float) -> None:
    c.setFont(FONT, 14)
    c.drawString(160, y, text)


GB_HEADER = [[("项目", 4), "", "", ""],
             [("支出功能分类科目编码", 3), "科目名称", "合计", "基本支出", "项目支出"],
             ["类", "款", "项", "", "", "", ""]]
GB_WIDTHS = [30, 25, 25, 150, 70, 70, 70]


def _good_document(path: Path, *, cut_at: int = 99, repeat_header: bool = False) -> None:
    """A final account (Shanghai-like: no labels, split codes) with a cover, the 05 table
    broken over two pages, a two-sided 01 table, a 三公 table and an empty 政府性基金 table."""
    c = _canvas(path)
    c.setFont(FONT, 20)
    c.drawString(150, 700, "某某区某某局")
    c.drawString(150, 670, "2024 年度部门决算")
    c.showPage()
    _title(c, "收入支出决算总表", 780)
    _table(c, 40, 760, [150, 60, 150, 60], [
        [("收入", 2), ("支出", 2)],
        ["项目", "决算数", "项目", "决算数"],
        ["一、一般公共预算财政拨款收入", "1,200.00", "一、一般公共服务支出", "1,150.00"],
        ["二、政府性基金预算财政拨款收入", "", "二、外交支出", ""],
        ["", "", "八、社会保障和就业支出", "50.00"],
        ["本年收入合计", "1,200.00", "本年支出合计", "1,200.00"],
        ["年初结转和结余", "10.00", "年末结转和结余", "10.00"],
        ["总计", "1,210.00", "总计", "1,210.00"],
    ])
    c.showPage()
    body = [
        ["201", "", "", "一般公共服务支出", "1,150.00", "1,000.00", "150.00"],
        ["201", "06", "", "财政事务", "1,150.00", "1,000.00", "150.00"],
        ["201", "06", "01", "行政运行", "1000.00", "1000.00", ""],
        ["201", "06", "02", "一般行政管理事务", "150.00", "", "150.00"],
        ["208", "", "", "社会保障和就业支出", "50.00", "50.00", ""],
        ["208", "05", "", "行政事业单位养老支出", "50.00", "50.00", ""],
        ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "50.00", "50.00", ""],
        [("合计", 4), "1,200.00", "1,050.00", "150.00"],
    ]
    _title(c, "一般公共预算财政拨款支出决算表", 780)
    _table(c, 40, 760, GB_WIDTHS, GB_HEADER + body[:cut_at])
    if cut_at < len(body):
        c.showPage()
        _table(c, 40, 800, GB_WIDTHS, (GB_HEADER if repeat_header else []) + body[cut_at:])
    c.showPage()
    _title(c, "财政拨款“三公”经费支出决算表", 780)
    _table(c, 20, 760, [46] * 12, [
        [("合计", 2), ("因公出国（境）费", 2), ("公务用车购置及运行费", 6), ("公务接待费", 2)],
        ["", "", "", "", ("小计", 2), ("公务用车购置费", 2), ("公务用车运行费", 2), "", ""],
        ["预算数", "决算数"] * 6,
        ["3.00", "2.50", "", "", "2.00", "1.50", "", "", "2.00", "1.50", "1.00", "1.00"],
    ])
    _title(c, "政府性基金预算财政拨款收入支出决算表", 600)
    y = _table(c, 20, 580, [30, 25, 25, 90, 62, 45, 45, 45, 45, 62], [
        [("支出功能分类科目编码", 3), "科目名称", "年初结转和结余", "本年收入", "小计", "基本支出",
         "项目支出", "年末结转和结余"],
        ["类", "款", "项", "", "", "", "", "", "", ""],
        [("合计", 4), "", "", "", "", "", ""],
    ])
    c.setFont(FONT, 9)
    c.drawString(40, y - 15, "注：本部门本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。")
    c.showPage()
    c.save()


def _rows(result, table: str) -> list[dict[str, str]]:
    return result.rows.get(table, [])


def test_ruled_tables_by_title_and_header_labels(tmp_path: Path) -> None:
    path = tmp_path / "good.pdf"
    _good_document(path, cut_at=3)
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    status = {row["table_kind"]: row["status"] for row in result.inventory}
    assert status["income_expenditure_summary"] == "extracted"
    assert status["general_budget_expenditure"] == "extracted"
    assert status["three_public"] == "extracted"
    assert status["government_fund"] == "declared_empty"
    assert status["income_by_function"] == "missing"
    assert not result.rejects, result.rejects

    general = [r for r in _rows(result, "raw_expenditure_by_function")
               if r["table_kind"] == "general_budget_expenditure"]
    by_code = {r["subject_code"] or r["subject_name"]: r for r in general}
    # split 类/款/项 joined; the table continues on page 3 without a header
    assert list(by_code) == ["201", "20106", "2010601", "2010602", "208", "20805", "2080505", "合计"]
    assert by_code["2010601"]["basic"] == "1000.00" and by_code["2010601"]["project"] == ""
    assert by_code["2010602"]["basic"] == "" and by_code["2010602"]["project"] == "150.00"
    assert {r["source_page"] for r in general} == {"3", "4"}
    assert by_code["合计"]["total"] == "1,200.00"
    assert all(r["source_table"] == "一般公共预算财政拨款支出决算表" for r in general)

    summary = _rows(result, "raw_income_expenditure_summary")
    income = {r["item_name"]: r["amount"] for r in summary if r["side"] == "income"}
    spent = {r["item_name"]: r["amount"] for r in summary if r["side"] == "expenditure"}
    assert income["本年收入合计"] == "1,200.00" and spent["八、社会保障和就业支出"] == "50.00"
    assert spent["二、外交支出"] == ""  # blank cell: known blank
    # no 行次 printed: positions, income first
    assert sorted(int(r["line_no"]) for r in summary) == list(range(1, len(summary) + 1))

    three = {(r["phase"], r["expense_item"]): r["amount"] for r in _rows(result, "raw_three_public_expenses")}
    assert len(three) == 12
    assert three[("budget", "total")] == "3.00" and three[("actual", "total")] == "2.50"
    assert three[("budget", "vehicles")] == "2.00" and three[("actual", "vehicle_operation")] == "1.50"
    assert three[("budget", "official_reception")] == "1.00" and three[("budget", "overseas_travel")] == ""


def test_continued_table_with_repeated_header(tmp_path: Path) -> None:
    path = tmp_path / "repeat.pdf"
    _good_document(path, cut_at=5, repeat_header=True)
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    general = [r for r in _rows(result, "raw_expenditure_by_function")]
    assert [r["subject_code"] for r in general] == [
        "201", "20106", "2010601", "2010602", "208", "20805", "2080505", ""]
    assert not result.rejects


def test_identity_and_folder_load(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    _good_document(docs / "good.pdf", cut_at=3)
    result = extract_folder(docs, workers=1)
    [document] = result.rows["raw_documents"]
    assert (document["document_kind"], document["department_name"], document["fiscal_year"],
            document["table_layout"]) == ("final_accounts", "某某区某某局", "2024", "pdf")
    assert len(result.rows["raw_table_inventory"]) == 9
    assert any("standard tables not found" in m.text and "收入决算表" in m.text for m in result.messages)


def test_unreadable_pdfs_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    _good_document(docs / "good.pdf", cut_at=3)
    good = (docs / "good.pdf").read_bytes()
    (docs / "truncated.pdf").write_bytes(good[: len(good) // 3])
    c = _canvas(docs / "encrypted.pdf", encrypt="secret")
    c.setFont(FONT, 12)
    c.drawString(100, 700, "收入支出决算总表")
    c.save()
    c = _canvas(docs / "scan.pdf")  # lines only: a page without a text layer
    for page in range(2):
        c.rect(50, 50, 400, 600)
        c.showPage()
    c.save()
    (docs / "not-a-pdf.pdf").write_bytes(b"hello, world")
    result = extract_folder(docs, workers=1)
    assert [d["source_file"] for d in result.rows["raw_documents"]] == ["good.pdf"]
    errors = {m.source_file: m.text for m in result.messages if m.severity == "error"}
    assert "encrypted PDF" in errors["encrypted.pdf"]
    assert "corrupt or truncated PDF" in errors["truncated.pdf"]
    assert "without a text layer" in errors["scan.pdf"]
    assert "not a PDF" in errors["not-a-pdf.pdf"]
    with pytest.raises(DocumentError, match="encrypted"):
        load_pdf(docs / "encrypted.pdf")


def test_columns_not_recognised_go_to_rejects_with_page(tmp_path: Path) -> None:
    path = tmp_path / "odd.pdf"
    c = _canvas(path)
    _title(c, "支出决算表", 780)
    _table(c, 40, 760, [60, 150, 70, 70], [
        ["科目编码", "科目名称", "甲栏", "乙栏"],
        ["201", "一般公共服务支出", "5.00", "6.00"],
    ])
    c.save()
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert not result.rows.get("raw_expenditure_by_function")
    [reject] = result.rejects
    assert (reject.source_page, reject.table_kind) == ("1", "expenditure_by_function")
    assert "columns not recognised" in reject.reason and "5.00" in reject.line_text
    assert any("page 1" in m.text for m in result.messages)
    assert [r["status"] for r in result.inventory if r["table_kind"] == "expenditure_by_function"] == [
        "unrecognised"]


def test_budget_document_is_not_a_final_account(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "budget.txt").write_text("某某区某某局\n2025年度部门预算\n目 录\n一、部门收支预算总表\n",
                                     encoding="utf-8")
    result = extract_folder(docs, workers=1)
    [document] = result.rows["raw_documents"]
    assert document["document_kind"] == "budget"
    assert any(m.severity == "error" and "budget" in m.text for m in result.messages)


# --- the real Putuo PDFs -----------------------------------------------------------------------

def _putuo_pdfs() -> list[Path]:
    if not PUTUO.is_dir():
        pytest.skip(f"Putuo documents not found at {PUTUO}")
    paths = sorted(PUTUO.glob("*.pdf"))
    if not paths:
        pytest.skip(f"no PDF in {PUTUO}")
    return paths


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


@pytest.fixture(scope="module")
def putuo_tables():
    out = {}
    for path in _putuo_pdfs():
        document = load_pdf(path)
        out[path.name] = (document, extract_pdf_tables(document.document_id, list(document.pages)))
    return out


def test_putuo_every_table_extracted_or_declared_empty(putuo_tables) -> None:
    for name, (document, result) in putuo_tables.items():
        statuses = {row["table_kind"]: row["status"] for row in result.inventory}
        assert len(statuses) == 9, name
        assert set(statuses.values()) <= {"extracted", "declared_empty"}, (name, statuses)
        for kind in ("income_expenditure_summary", "income_by_function", "expenditure_by_function",
                     "appropriation_summary", "general_budget_expenditure", "basic_expenditure_by_economic"):
            assert statuses[kind] == "extracted", (name, kind)
        assert all(row["note"] for row in result.inventory if row["status"] == "declared_empty")
        assert not result.rejects, (name, result.rejects[:3])
        assert all(row["source_table"] == row["title"] for row in result.inventory if row["title"])


def test_putuo_values_sit_in_their_columns(putuo_tables) -> None:
    """Parent = Σ children and 合计 = Σ 类 in every amount column, 小计 = 基本 + 项目 on every
    row: a value in the wrong column breaks them."""
    for name, (_, result) in putuo_tables.items():
        for kind, columns in (("income_by_function", ("total", "fiscal_appropriation", "other_income")),
                              ("expenditure_by_function", ("total", "basic", "project")),
                              ("general_budget_expenditure", ("total", "basic", "project"))):
            table = "raw_income_by_function" if kind == "income_by_function" else "raw_expenditure_by_function"
            rows = [r for r in result.rows[table] if r["table_kind"] == kind]
            codes = {r["subject_code"]: r for r in rows if r["subject_code"]}
            assert codes and all(len(code) in (3, 5, 7) for code in codes), (name, kind)
            for column in columns:
                for code, row in codes.items():
                    children = [c for c in codes if len(c) == len(code) + 2 and c.startswith(code)]
                    if children:
                        difference = sum(_amount(codes[c][column]) for c in children) - _amount(row[column])
                        assert abs(difference) <= Decimal("0.005") * len(children), (name, kind, code, column)
                [total] = [r for r in rows if r["subject_name"] == "合计"]
                classes = [c for c in codes if len(c) == 3]
                difference = sum(_amount(codes[c][column]) for c in classes) - _amount(total[column])
                assert abs(difference) <= Decimal("0.005") * len(classes), (name, kind, column)
            if kind != "income_by_function":
                for row in rows:
                    difference = _amount(row["basic"]) + _amount(row["project"]) - _amount(row["total"])
                    assert abs(difference) <= Decimal("0.01"), (name, row)


def test_putuo_two_sided_tables_split(putuo_tables) -> None:
    for name, (_, result) in putuo_tables.items():
        summary = result.rows["raw_income_expenditure_summary"]
        for kind in ("income_expenditure_summary", "appropriation_summary"):
            rows = [r for r in summary if r["table_kind"] == kind]
            income = {r["item_name"]: r for r in rows if r["side"] == "income"}
            spent = {r["item_name"]: r for r in rows if r["side"] == "expenditure"}
            assert income and spent, (name, kind)
            assert all(item.endswith("支出") or "结转" in item or item in ("本年支出合计", "总计", "结余分配")
                       for item in spent), (name, kind, list(spent))
            grand = [r["amount"] for r in rows if r["item_name"] == "总计"]
            assert len(grand) == 2 and grand[0] == grand[1], (name, kind)
            classes = [r for r in rows if r["side"] == "expenditure" and r["item_name"][:1] in "一二三四五六七八九十"]
            assert len(classes) in (24, 26), (name, kind, len(classes))
            current = _amount(spent["本年支出合计"]["amount"])
            assert sum(_amount(r["amount"]) for r in classes) - current in (Decimal("0"), Decimal("-0.01"),
                                                                             Decimal("0.01")), (name, kind)
        economic = result.rows["raw_basic_expenditure_by_economic"]
        totals = {r["economic_name"]: _amount(r["amount"]) for r in economic if not r["economic_code"]}
        assert set(totals) == {"人员经费合计", "公用经费合计"}, name
        classes = {r["economic_code"]: _amount(r["amount"]) for r in economic if len(r["economic_code"]) == 3}
        personnel = classes.get("301", 0) + classes.get("303", 0)
        assert abs(personnel - totals["人员经费合计"]) <= Decimal("0.02"), name
        codes = [r["economic_code"] for r in economic if r["economic_code"]]
        assert all(len(c) in (3, 5) for c in codes) and len(codes) == len(set(codes)), name


def test_putuo_identity_and_messages(putuo_tables) -> None:
    from fiscal_dw.extract.documents import read_metadata

    instructions = [m for _, result in putuo_tables.values() for m in result.messages
                    if "template instruction" in m.text]
    if len(putuo_tables) >= 2:  # the shared folder holds one PDF that still carries them
        assert instructions and all(m.page for m in instructions)
    for name, (document, result) in putuo_tables.items():
        metadata = read_metadata(document)
        assert metadata.document_kind == "final_accounts", name
        assert metadata.department_name.startswith(("上海市普陀区", "中共上海市普陀区")), name
        assert metadata.fiscal_year == "2024", name
        # a template instruction left in a document is info, never a warning
        assert all(m.severity == "info" for m in result.messages), (name, result.messages)


def test_labelled_template_with_column_numbers_and_repeated_title(tmp_path: Path) -> None:
    """Jinan/Qingdao style: a 公开03表 label under the title (kept as printed), a department
    and year before the title, a 栏次 row of column numbers, whole codes in one column, the
    title printed again over the continued table."""
    path = tmp_path / "labelled.pdf"
    c = _canvas(path)
    widths = [50, 130, 55, 55, 55, 55, 55, 60]
    header = [[("项目", 2), "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
              ["科目编码", "科目名称", "", "", "", "", "", ""],
              [("栏次", 2), "1", "2", "3", "4", "5", "6"]]
    c.setFont(FONT, 14)
    c.drawString(120, 790, "某某市某某局2023年度支出决算表")
    c.setFont(FONT, 9)
    c.drawString(500, 772, "公开03表")
    _table(c, 30, 760, widths, header + [
        [("合计", 2), "160.00", "110.00", "50.00", "", "", ""],
        ["201", "一般公共服务支出", "100.00", "60.00", "40.00", "", "", ""],
        ["20101", "人大事务", "100.00", "60.00", "40.00", "", "", ""],
    ])
    c.showPage()
    c.setFont(FONT, 14)
    c.drawString(120, 790, "支出决算表（续）")
    _table(c, 30, 760, widths, [
        ["2010101", "行政运行", "60", "60", "", "", "", ""],
        ["2010102", "一般行政管理事务", "40.00", "", "40.00", "", "", ""],
        ["208", "社会保障和就业支出", "60.00", "50.00", "10.00", "", "", ""],
    ])
    c.save()
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert not result.rejects and [m.text for m in result.messages if m.severity != "info"] == [
        m.text for m in result.messages if "not found" in m.text]
    rows = result.rows["raw_expenditure_by_function"]
    assert {r["source_table"] for r in rows} == {"公开03"}
    assert [(r["subject_code"] or r["subject_name"], r["total"], r["basic"], r["project"]) for r in rows] == [
        ("合计", "160.00", "110.00", "50.00"), ("201", "100.00", "60.00", "40.00"),
        ("20101", "100.00", "60.00", "40.00"), ("2010101", "60", "60", ""),
        ("2010102", "40.00", "", "40.00"), ("208", "60.00", "50.00", "10.00")]
    [inventory] = [r for r in result.inventory if r["table_kind"] == "expenditure_by_function"]
    assert (inventory["status"], inventory["source_table"], inventory["row_count"]) == ("extracted", "公开03", "6")


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages_are_read_as_displayed(tmp_path: Path, rotation: int) -> None:
    """A page with /Rotate whose content is drawn turned so that it displays upright."""
    from reportlab.lib.pagesizes import A4

    from fiscal_dw.extract.pdf.geometry import read_page

    path = tmp_path / f"rotated{rotation}.pdf"
    c = _canvas(path)
    c.setPageRotation(rotation)
    width, height = A4
    if rotation == 90:
        c.translate(width, 0)
    elif rotation == 180:
        c.translate(width, height)
    else:
        c.translate(0, height)
    c.rotate(rotation)
    top = height - 40 if rotation == 180 else width - 40
    _title(c, "一般公共预算财政拨款支出决算表", top)
    _table(c, 40, top - 20, GB_WIDTHS, GB_HEADER + [
        ["201", "", "", "一般公共服务支出", "1,150.00", "1,000.00", "150.00"],
        [("合计", 4), "1,150.00", "1,000.00", "150.00"]])
    c.save()
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    page = read_page(pdf, 0)
    pdf.close()
    [grid] = page.grids
    numbers = [[t for t in band.texts() if t and t[0].isdigit()] for band in grid.bands]
    assert [row for row in numbers if row] == [["201", "1,150.00", "1,000.00", "150.00"],
                                               ["1,150.00", "1,000.00", "150.00"]]
    assert [len(band.cells) for band in grid.bands][-2:] == [7, 4]
    if rotation == 180:  # PDFium gives reportlab's unembedded CID text on 90/270 pages no glyphs
        document = load_pdf(path)
        result = extract_pdf_tables(document.document_id, list(document.pages))
        assert [(r["subject_code"], r["basic"]) for r in result.rows["raw_expenditure_by_function"]] == [
            ("201", "1,000.00"), ("", "1,000.00")]


def test_body_rows_without_rules_between_them(tmp_path: Path) -> None:
    """Columns ruled, body rows not: the rows are read from the lines of numbers."""
    path = tmp_path / "stacked.pdf"
    c = _canvas(path)
    _title(c, "一般公共预算财政拨款支出决算表", 780)
    widths = [70, 150, 70, 70, 70]
    bottom = _table(c, 40, 760, widths, [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]])
    rows = [["201", "一般公共服务支出", "1,150.00", "1,000.00", "150.00"],
            ["20101", "人大事务（名称很长需要换行显示的科目）", "1,150.00", "1,000.00", "150.00"],
            ["2010101", "行政运行", "1,000.00", "1,000.00", ""]]
    x = 40
    for width in widths:  # one tall ruled cell per column
        c.rect(x, bottom - 20 * len(rows) - 10, width, 20 * len(rows) + 10)
        x += width
    c.setFont(FONT, 8)
    for number, row in enumerate(rows):
        x = 40
        for width, text in zip(widths, row):
            if len(text) > 12:  # a name wrapped over two lines inside its row
                c.drawString(x + 2, bottom - 20 * number - 10, text[:12])
                c.drawString(x + 2, bottom - 20 * number - 18, text[12:])
            elif text:
                c.drawString(x + 2, bottom - 20 * number - 14, text)
            x += width
    c.save()
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert not result.rejects
    assert [(r["subject_code"], r["subject_name"], r["total"], r["project"])
            for r in result.rows["raw_expenditure_by_function"]] == [
        ("201", "一般公共服务支出", "1,150.00", "150.00"),
        ("20101", "人大事务（名称很长需要换行显示的科目）", "1,150.00", "150.00"),
        ("2010101", "行政运行", "1,000.00", "")]


def test_table_drawn_inside_a_form_xobject(tmp_path: Path) -> None:
    """Some producers wrap the page in a form XObject: its rules are read through its matrix."""
    path = tmp_path / "form.pdf"
    c = _canvas(path)
    c.beginForm("page")
    _title(c, "一般公共预算财政拨款支出决算表", 700)
    _table(c, 40, 680, GB_WIDTHS, GB_HEADER + [
        ["201", "", "", "一般公共服务支出", "1,150.00", "1,000.00", "150.00"],
        [("合计", 4), "1,150.00", "1,000.00", "150.00"]])
    c.endForm()
    c.saveState()
    c.translate(20, 60)
    c.scale(0.9, 0.9)
    c.doForm("page")
    c.restoreState()
    c.save()
    document = load_pdf(path)
    [page] = document.pages
    assert len(page.grids) == 1
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert not result.rejects
    assert [(r["subject_code"], r["total"], r["basic"], r["project"])
            for r in result.rows["raw_expenditure_by_function"]] == [
        ("201", "1,150.00", "1,000.00", "150.00"), ("", "1,150.00", "1,000.00", "150.00")]


def test_scanned_page_among_text_pages_is_reported(tmp_path: Path) -> None:
    from reportlab.lib.utils import ImageReader
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("L", (40, 40), 255).save(image)
    path = tmp_path / "mixed.pdf"
    c = _canvas(path)
    c.setFont(FONT, 12)
    c.drawString(100, 700, "某某区某某局 2024 年度部门决算")
    c.showPage()
    c.drawImage(ImageReader(str(image)), 50, 50, 400, 600)
    c.showPage()
    c.save()
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert [m.page for m in result.messages if "without a text layer" in m.text] == [2]


def test_two_columns_with_one_name_are_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "twice.pdf"
    c = _canvas(path)
    _title(c, "支出决算表", 780)
    _table(c, 40, 760, [60, 150, 70, 70, 70], [
        ["科目编码", "科目名称", "基本支出", "项目支出", "基本支出"],
        ["201", "一般公共服务支出", "5.00", "6.00", "7.00"],
    ])
    c.save()
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert not result.rows.get("raw_expenditure_by_function")
    [reject] = result.rejects
    assert "two columns named basic" in reject.reason and "7.00" in reject.line_text


def test_two_sided_header_without_a_side_row(tmp_path: Path) -> None:
    """收入项目 / 支出项目 in one header row: a column belongs to the side on its left."""
    path = tmp_path / "sides.pdf"
    c = _canvas(path)
    _title(c, "财政拨款收入支出决算总表", 780)
    _table(c, 5, 760, [100, 40, 100, 40, 95, 95, 95], [
        ["收入项目", "金额", "支出项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
         "国有资本经营预算财政拨款"],
        ["一、一般公共预算财政拨款", "90.00", "一、一般公共服务支出", "90.00", "80.00", "10.00", ""],
        ["本年收入合计", "90.00", "本年支出合计", "90.00", "80.00", "10.00", ""],
    ])
    c.save()
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert not result.rejects
    rows = result.rows["raw_income_expenditure_summary"]
    assert [(r["side"], r["item_name"], r["amount"], r["general_budget"], r["gov_fund"]) for r in rows] == [
        ("income", "一、一般公共预算财政拨款", "90.00", "", ""),
        ("expenditure", "一、一般公共服务支出", "90.00", "80.00", "10.00"),
        ("income", "本年收入合计", "90.00", "", ""),
        ("expenditure", "本年支出合计", "90.00", "80.00", "10.00")]


def test_title_printed_as_the_grids_first_row(tmp_path: Path) -> None:
    path = tmp_path / "inner.pdf"
    c = _canvas(path)
    _title(c, "收入决算表", 780)
    bottom = _table(c, 40, 760, [60, 150, 70, 70], [
        ["科目编码", "科目名称", "本年收入合计", "财政拨款收入"],
        ["201", "一般公共服务支出", "5.00", "5.00"]])
    _table(c, 40, bottom - 40, [60, 150, 70, 70], [
        [("一般公共预算财政拨款支出决算表", 3), "单位：万元"],
        ["科目编码", "科目名称", "基本支出", "项目支出"],
        ["201", "一般公共服务支出", "3.00", "2.00"]])
    c.save()
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert not result.rejects
    kinds = [(r["table_kind"], r["source_line"]) for r in result.rows["raw_expenditure_by_function"]]
    assert kinds == [("general_budget_expenditure", "6")]  # title 1, rows 2-3, title row 4, header 5, row 6
    assert [r["table_kind"] for r in result.rows["raw_income_by_function"]] == ["income_by_function"]


def test_header_rows_of_column_letters_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "letters.pdf"
    c = _canvas(path)
    _title(c, "一般公共预算财政拨款支出决算表", 780)
    _table(c, 40, 760, [60, 150, 70, 70, 70], [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["甲", "乙", "1", "2", "3"],
        ["201", "一般公共服务支出", "5.00", "3.00", "2.00"]])
    c.save()
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert not result.rejects
    assert [(r["subject_code"], r["total"], r["basic"], r["project"])
            for r in result.rows["raw_expenditure_by_function"]] == [("201", "5.00", "3.00", "2.00")]


def test_economic_totals_label_merged_over_two_groups(tmp_path: Path) -> None:
    """公开06 in three groups (code, name, amount ×3), its totals row printed as the national
    template does: 人员经费合计 over the first group's code and name, 公用经费合计 merged over
    the second group and the third group's code and name, its amount in the third group."""
    path = tmp_path / "economic.pdf"
    c = _canvas(path)
    _title(c, "一般公共预算财政拨款基本支出决算明细表", 790)
    _table(c, 20, 770, [40, 100, 50] * 3, [
        [("人员经费", 3), ("公用经费", 6)],
        ["科目编码", "科目名称", "金额"] * 3,
        ["301", "工资福利支出", "80.00", "302", "商品和服务支出", "15.00", "310", "资本性支出", "5.00"],
        ["30101", "基本工资", "80.00", "30201", "办公费", "15.00", "31002", "办公设备购置", "5.00"],
        [("人员经费合计", 2), "80.00", ("公用经费合计", 5), "20.00"],
    ])
    c.save()
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert not result.rejects, result.rejects
    rows = {r["economic_code"] or r["economic_name"]: r["amount"]
            for r in result.rows["raw_basic_expenditure_by_economic"]}
    # the printed identities: each 合计 is the sum of its classes
    assert Decimal(rows["人员经费合计"]) == Decimal(rows["301"])
    assert Decimal(rows["公用经费合计"]) == Decimal(rows["302"]) + Decimal(rows["310"])


def test_continued_page_starting_with_a_row_of_line_numbers_only(tmp_path: Path) -> None:
    """A labelled 收入支出决算总表 broken before its empty line 30 / 61 (only the 行次 printed):
    the next page prints no header, and that row is body, not a header naming no column."""
    path = tmp_path / "summary.pdf"
    c = _canvas(path)
    widths = [140, 30, 70, 140, 30, 70]
    _title(c, "收入支出决算总表", 790)
    c.setFont(FONT, 9)
    c.drawString(480, 772, "公开01表")
    _table(c, 30, 760, widths, [
        [("收入", 3), ("支出", 3)],
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["栏次", "", "1", "栏次", "", "2"],
        ["本年收入合计", "27", "100.00", "本年支出合计", "58", "90.00"],
        ["年初结转和结余", "29", "5.00", "年末结转和结余", "60", "15.00"],
    ])
    c.showPage()
    _table(c, 30, 800, widths, [
        ["", "30", "", "", "61", ""],
        ["总计", "31", "105.00", "总计", "62", "105.00"],
    ])
    c.save()
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    assert not result.rejects, result.rejects
    rows = {(r["side"], r["line_no"]): r for r in result.rows["raw_income_expenditure_summary"]}
    # the printed identities: 总计 = 本年合计 + 结转 on each side, and the two sides balance
    income = Decimal(rows[("income", "27")]["amount"]) + Decimal(rows[("income", "29")]["amount"])
    spending = Decimal(rows[("expenditure", "58")]["amount"]) + Decimal(rows[("expenditure", "60")]["amount"])
    assert Decimal(rows[("income", "31")]["amount"]) == income == spending == Decimal(
        rows[("expenditure", "62")]["amount"])
    assert rows[("income", "30")]["source_page"] == "2" and rows[("income", "30")]["amount"] == ""
