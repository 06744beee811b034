"""基本支出 printed as 小计 / 人员经费 / 公用经费 in 公开03 and 公开05 (a Shanghai template variant,
``PdfStyle.basic_split``): the PDF reader names the two columns by their header words and keeps
them as printed in ``basic_personnel`` / ``basic_public``; empty where a template does not print
them. What must hold, from the generator's own records: every printed cell read in its row and
column (ruled and unruled), the split adding up to 基本支出 in every row read, and the other
values the same as in the rendering without the split."""
from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_dw.extract.pdf import load_pdf
from fiscal_dw.extract.pdf.tables import extract_pdf_tables
from fiscal_dw.synth.cell_accuracy import CellScore, amount, extracted_cells, score_document
from fiscal_dw.synth.pdf_templates import GRID, NO_RULES, SHANGHAI, SPLIT_COLUMNS


@pytest.fixture(scope="module")
def split_renderings(tmp_path_factory) -> dict[tuple[bool, str], tuple[Path, list]]:
    from fiscal_dw.synth.departments import make_department
    from fiscal_dw.synth.narrative import make_facts, make_style, narrative_paragraphs
    from fiscal_dw.synth.render_pdf import choose_style, render_pdf
    from fiscal_dw.synth.template_identities import make_printed_year

    out = tmp_path_factory.mktemp("split")
    dept = make_department(3, 10)
    rng = random.Random(0)
    money, printed = make_printed_year(dept, 0, rng, None)
    facts = make_facts(2023, printed, money, None, rng)
    paragraphs = narrative_paragraphs(facts, dept.name, make_style(dept.layout, rng), rng)
    made = {}
    for split in (False, True):
        for rules in (GRID, NO_RULES):
            style = replace(choose_style(random.Random(1)), template=SHANGHAI, rules=rules, basic_split=split)
            data, cells, _ = render_pdf(dept, 2023, printed, paragraphs, style, random.Random(2))
            path = out / f"split-{split}-{rules}.pdf"
            path.write_bytes(data)
            made[(split, rules)] = (path, [[c.kind, c.row, c.column, c.value] for c in cells])
    return made


def _rows(path: Path):
    document = load_pdf(path)
    result = extract_pdf_tables(document.document_id, list(document.pages))
    return document, result


@pytest.mark.parametrize("rules", [GRID, NO_RULES])
def test_split_columns_are_read_as_printed(split_renderings, rules: str) -> None:
    path, printed = split_renderings[(True, rules)]
    document, result = _rows(path)
    assert not result.rejects and not [m for m in result.messages if m.severity != "info"]
    assert {c[2] for c in printed} >= set(SPLIT_COLUMNS)
    score = CellScore()
    score_document(printed, extracted_cells(result.rows)[document.document_id], score, path.name)
    assert (score.read, score.extra) == (score.printed, 0), score.examples
    rows = [r for r in result.rows["raw_expenditure_by_function"]
            if r["table_kind"] in ("expenditure_by_function", "general_budget_expenditure")]
    assert {r["table_kind"] for r in rows} == {"expenditure_by_function", "general_budget_expenditure"}
    for row in rows:  # the generator prints a split that adds up in every row
        parts = [amount(row[c]) or Decimal(0) for c in ("basic", *SPLIT_COLUMNS)]
        assert parts[0] == parts[1] + parts[2], row


def test_without_the_split_its_columns_are_empty_and_the_rest_the_same(split_renderings) -> None:
    plain_document, plain = _rows(split_renderings[(False, GRID)][0])
    split_document, split = _rows(split_renderings[(True, GRID)][0])
    assert all(not r[c] for r in plain.rows["raw_expenditure_by_function"] for c in SPLIT_COLUMNS)

    def others(document, result):
        return sorted((r["table_kind"], r["subject_code"], r["total"], r["basic"], r["project"])
                      for r in result.rows["raw_expenditure_by_function"])
    assert others(plain_document, plain) == others(split_document, split)
