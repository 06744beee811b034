"""PDF tables printed without vertical rules (horizontal rules only, or none), read from the
text's positions (extract/pdf/unruled.py).

One synthetic document is drawn in both templates with each ruling. What must hold, derived
from the generator's own records: the unruled renderings give every printed cell in its row and
column and nothing where nothing was printed, and the same raw values as the ruled rendering
of the same document. A value whose box stands across two columns is not placed: its row is
kept, the value is in unplaced_values, the columns it may be in are in missing_cells, and a
message says so."""
from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_dw.extract.pdf import load_pdf
from fiscal_dw.extract.pdf.tables import extract_pdf_tables
from fiscal_dw.synth.cell_accuracy import AMOUNT_COLUMNS, CellScore, amount, extracted_cells, row_key, score_document
from fiscal_dw.synth.pdf_templates import GRID, HORIZONTAL, NO_RULES, RULES, TEMPLATES

FONT = "STSong-Light"


@pytest.fixture(scope="module")
def renderings(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, list]]:
    """(template, rules) -> (PDF, the cells it prints) of one department's year."""
    from fiscal_dw.synth.departments import make_department
    from fiscal_dw.synth.narrative import make_facts, make_style, narrative_paragraphs
    from fiscal_dw.synth.render_pdf import choose_style, render_pdf
    from fiscal_dw.synth.template_identities import make_printed_year

    out = tmp_path_factory.mktemp("unruled")
    dept = make_department(3, 10)
    rng = random.Random(0)
    money, printed = make_printed_year(dept, 0, rng, None)
    facts = make_facts(2023, printed, money, None, rng)
    paragraphs = narrative_paragraphs(facts, dept.name, make_style(dept.layout, rng), rng)
    made = {}
    for template in TEMPLATES:
        # zeros printed in one template, blanks in the other: both kinds of empty cell
        base = replace(choose_style(random.Random(1)), template=template, zeros=template == TEMPLATES[0])
        for rules in RULES:
            data, cells, _ = render_pdf(dept, 2023, printed, paragraphs, replace(base, rules=rules),
                                        random.Random(2))
            path = out / f"{template}-{rules}.pdf"
            path.write_bytes(data)
            made[(template, rules)] = (path, [[c.kind, c.row, c.column, c.value] for c in cells])
    return made


def _read(path: Path):
    document = load_pdf(path)
    return document, extract_pdf_tables(document.document_id, list(document.pages))


def _values(document_id: str, rows) -> dict[tuple[str, str, str], Decimal]:
    out = {}
    for table, columns in AMOUNT_COLUMNS.items():
        for row in rows.get(table, ()):
            for column in columns:
                value = amount(row.get(column, ""))
                if value:
                    out[(row["table_kind"], row_key(table, row), column)] = value
    return out


@pytest.mark.parametrize("rules", [HORIZONTAL, NO_RULES])
@pytest.mark.parametrize("template", TEMPLATES)
def test_unruled_tables_read_every_printed_cell(renderings, template: str, rules: str) -> None:
    path, printed = renderings[(template, rules)]
    document, result = _read(path)
    assert not result.rejects, result.rejects[:3]
    assert not [m.text for m in result.messages if m.severity != "info"]
    unruled = {m.table for m in result.messages if "without vertical rules" in m.text}
    assert unruled == {r["source_table"] for r in result.inventory if int(r["row_count"])}
    score = CellScore()
    score_document(printed, extracted_cells(result.rows).get(document.document_id, {}), score, path.name)
    assert score.printed > 150 and (score.read, score.extra) == (score.printed, 0), score.examples


@pytest.mark.parametrize("rules", [HORIZONTAL, NO_RULES])
@pytest.mark.parametrize("template", TEMPLATES)
def test_unruled_tables_give_the_ruled_values(renderings, template: str, rules: str) -> None:
    ruled_document, ruled = _read(renderings[(template, GRID)][0])
    document, unruled = _read(renderings[(template, rules)][0])
    expected = _values(ruled_document.document_id, ruled.rows)
    assert expected and _values(document.document_id, unruled.rows) == expected
    assert {r["table_kind"]: r["status"] for r in unruled.inventory} == {
        r["table_kind"]: r["status"] for r in ruled.inventory}


def test_every_ruling_is_drawn_in_a_corpus() -> None:
    from fiscal_dw.synth.render_pdf import choose_style

    styles = [choose_style(random.Random(f"10:pdf:{index}")) for index in range(40)]
    assert {(s.template, s.rules) for s in styles} == {(t, r) for t in TEMPLATES for r in RULES}


def _unruled_table(path: Path, rows: list[list[tuple[str, float]]]) -> None:
    """A 05 table without rules: header words centred over their columns, each body cell a
    (text, right edge) for amounts or (text, left edge) for labels."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 14)
    c.drawString(160, 780, "一般公共预算财政拨款支出决算表")
    c.setFont(FONT, 8)
    for text, centre in (("科目编码", 70), ("科目名称", 175), ("合计", 290), ("基本支出", 370), ("项目支出", 450)):
        c.drawCentredString(centre, 740, text)
    for number, row in enumerate(rows):
        y = 720 - 18 * number
        for text, x in row:
            if any(ch.isdigit() for ch in text) and "." in text:
                c.drawRightString(x, y, text)
            else:
                c.drawString(x, y, text)
    c.showPage()
    c.save()


def test_a_value_across_two_columns_is_kept_unplaced(tmp_path: Path) -> None:
    path = tmp_path / "across.pdf"
    _unruled_table(path, [
        [("201", 43), ("一般公共服务支出", 103), ("150.00", 327), ("100.00", 407), ("50.00", 487)],
        # 基本支出 printed so far left that it stands across the 合计 and 基本支出 columns
        [("20101", 43), ("人大事务", 103), ("100.00", 345), ("50.00", 487)],
        [("2010101", 43), ("行政运行", 103), ("100.00", 327), ("100.00", 407)],
        [("合计", 150), ("150.00", 327), ("100.00", 407), ("50.00", 487)],
    ])
    _, result = _read(path)
    assert not result.rejects
    rows = {r["subject_code"] or r["subject_name"]: r for r in result.rows["raw_expenditure_by_function"]}
    assert list(rows) == ["201", "20101", "2010101", "合计"]
    kept = rows["20101"]
    assert (kept["total"], kept["basic"], kept["project"]) == ("", "", "50.00")
    assert kept["unplaced_values"] == "100.00"
    assert kept["missing_cells"].split(";") == ["basic", "total"]
    assert [(r["total"], r["basic"], r["project"], r.get("unplaced_values", "")) for r in (
        rows["201"], rows["2010101"], rows["合计"])] == [("150.00", "100.00", "50.00", ""),
                                                         ("100.00", "100.00", "", ""),
                                                         ("150.00", "100.00", "50.00", "")]
    assert [m.severity for m in result.messages if "not placed" in m.text] == ["warning"]


def test_header_words_not_over_the_values_name_no_column(tmp_path: Path) -> None:
    """Text lines with single spaces between their words (header and values not aligned): no
    column can be named, so every row is a reject with its values; nothing is dropped."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "spaced.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 14)
    c.drawString(160, 780, "支出决算表")
    c.setFont(FONT, 9)
    for number, line in enumerate(["科目编码 科目名称 本年支出合计 基本支出 项目支出",
                                   "201 一般公共服务支出 100.00 60.00 40.00",
                                   "合计 100.00 60.00 40.00"]):
        c.drawString(40, 750 - 16 * number, line)
    c.save()
    _, result = _read(path)
    assert not result.rows.get("raw_expenditure_by_function")
    texts = [r.line_text for r in result.rejects]
    assert len(texts) == 2 and all("100.00" in t and "60.00" in t and "40.00" in t for t in texts)
    assert all("columns not recognised" in r.reason and r.source_page == "1" for r in result.rejects)


def _text_line(row: int, baseline: float, *cells: tuple[str, float]):
    """A line of characters 4 pt wide from each (text, x0)."""
    from fiscal_dw.extract.pdf.geometry import Char
    from fiscal_dw.extract.pdf.unruled import Line, _chunks

    chars = [Char(ch, x + 4 * i, x + 4 * i + 4, baseline - 8, baseline) for text, x in cells
             for i, ch in enumerate(text)]
    return Line(row, baseline, 8, _chunks(chars))


def test_a_continued_page_opening_with_line_numbers_has_no_header() -> None:
    """A summary continued on a page whose first line prints only its 行次 (a blank line): the
    numbers name no column, so the page has no header and takes the columns before it."""
    from fiscal_dw.extract.pdf.unruled import split_lines

    continued = [_text_line(1, 100, ("30", 200), ("61", 500)),
                 _text_line(2, 120, ("总计", 50), ("31", 200), ("4,623.81", 260), ("总计", 300), ("62", 500))]
    assert split_lines(continued) == ([], continued)
    opening = [_text_line(1, 80, ("项目", 90), ("行次", 200), ("金额", 260)), continued[1]]
    assert split_lines(opening) == (opening[:1], opening[1:])
