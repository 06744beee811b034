"""Synthetic PDFs (``synth --format pdf|both``): the same documents as the text corpus, drawn
with ruled tables in two templates (labelled Jinan/Qingdao; Shanghai district), read back by
the PDF extractor.

What must hold, all derived from the generator's own records, never from hard-coded figures:
every amount a PDF prints (``printed_cells.jsonl``) is extracted in its own row and column and
nothing is read where nothing was printed; the raw rows of a PDF hold the same values per
table kind, row and column as the rows extracted from the text rendering of the same document
(blank = 0, provenance ignored), and so do its self-evaluations and narrative figures; the
PDFs are byte-identical for the same arguments."""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from fiscal_dw.extract import extract_folder
from fiscal_dw.synth import AnswerKey, generate_corpus
from fiscal_dw.synth.pdf_templates import SPLIT_COLUMNS
from fiscal_dw.synth.cell_accuracy import (
    AMOUNT_COLUMNS,
    CELLS_FILE,
    CellScore,
    amount,
    extracted_cells,
    row_key,
    score_document,
)

SEED = 10  # 5 departments × 2 years: both templates, 政府性基金 money, self-evaluations


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth-pdf")
    generate_corpus(out, departments=5, years=2, fault_rate=0.3, seed=SEED, document_format="both", workers=1)
    return out


@pytest.fixture(scope="module")
def extracted(corpus: Path):
    return extract_folder(corpus, workers=1), extract_folder(corpus / "pdf", workers=1)


def _by_file(result) -> dict[str, str]:
    return {row["source_file"]: row["document_id"] for row in result.rows["raw_documents"]}


def test_both_templates_and_features_are_drawn(corpus: Path) -> None:
    key = AnswerKey.load(corpus / "pdf" / "answer_key.json")
    assert {d.pdf_template for d in key.documents} == {"labelled", "shanghai"}
    assert any(d.features["gov_fund"] for d in key.documents)
    assert any(d.features["self_evaluation"] for d in key.documents)
    assert all(d.file.endswith(".pdf") and d.pdf_pages > 10 and d.cells_printed > 100 for d in key.documents)
    text_key = AnswerKey.load(corpus / "answer_key.json")
    assert [d.file.replace(".txt", ".pdf") for d in text_key.documents] == [d.file for d in key.documents]
    assert len(text_key.injections) == len(key.injections)


def test_every_printed_cell_is_extracted_in_its_row_and_column(corpus: Path, extracted) -> None:
    _, pdf = extracted
    assert not [m.text for m in pdf.messages if m.severity != "info"]
    assert not pdf.rejects
    ids = _by_file(pdf)
    cells = extracted_cells(pdf.rows)
    score = CellScore()
    for line in (corpus / "pdf" / CELLS_FILE).read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        score_document(entry["cells"], cells[ids[entry["file"]]], score, entry["file"])
    assert score.documents == 10 and score.printed > 2000
    assert (score.read, score.extra) == (score.printed, 0), score.examples


def _table_values(result, file: str) -> dict[tuple[str, str, str], Decimal]:
    """Non-zero amounts of the nine tables by (table kind, row, column); 基本支出's 人员经费 /
    公用经费 split, which only a PDF template prints, left out."""
    document_id = _by_file(result)[file]
    out: dict[tuple[str, str, str], Decimal] = {}
    for table, columns in AMOUNT_COLUMNS.items():
        for row in result.rows[table]:
            if row["document_id"] != document_id:
                continue
            for column in (c for c in columns if c not in SPLIT_COLUMNS):
                value = amount(row.get(column, ""))
                if value:
                    out[(row["table_kind"], row_key(table, row), column)] = value
    return out


def _other_values(result, file: str, table: str, skip: set[str]) -> Counter:
    document_id = _by_file(result)[file]
    return Counter(tuple((k, v) for k, v in row.items() if k not in skip)
                   for row in result.rows[table] if row["document_id"] == document_id)


PROVENANCE = {"document_id", "source_table", "source_line", "source_page", "table_kind", "figure_seq",
              "stated_source_line"}


def test_pdf_and_text_renderings_give_the_same_values(corpus: Path, extracted) -> None:
    text, pdf = extracted
    files = sorted(_by_file(text))
    assert len(files) == 10
    for file in files:
        pdf_file = file.replace(".txt", ".pdf")
        text_values, pdf_values = _table_values(text, file), _table_values(pdf, pdf_file)
        assert text_values and pdf_values == text_values, (file, set(text_values) ^ set(pdf_values))
        for table in ("raw_self_evaluations", "raw_performance_indicators", "raw_self_evaluation_summaries"):
            assert _other_values(pdf, pdf_file, table, PROVENANCE) == _other_values(text, file, table, PROVENANCE)
        narrative = {(r["metric_key"], r["value"]) for r in text.rows["raw_narrative_figures"]
                     if r["document_id"] == _by_file(text)[file]}
        pdf_narrative = {(r["metric_key"], r["value"]) for r in pdf.rows["raw_narrative_figures"]
                         if r["document_id"] == _by_file(pdf)[pdf_file]}
        assert narrative and pdf_narrative == narrative, (file, narrative ^ pdf_narrative)


def test_pdfs_are_deterministic(corpus: Path, tmp_path: Path) -> None:
    generate_corpus(tmp_path, departments=2, years=2, fault_rate=0.3, seed=SEED, document_format="pdf", workers=2)
    made = sorted(tmp_path.glob("*.pdf"))
    assert len(made) == 4
    for path in made:  # the same department and year in the 'both' corpus of the same seed
        assert path.read_bytes() == (corpus / "pdf" / path.name).read_bytes(), path.name
    lines = (tmp_path / CELLS_FILE).read_text(encoding="utf-8").splitlines()
    assert lines == (corpus / "pdf" / CELLS_FILE).read_text(encoding="utf-8").splitlines()[:4]


def test_page_count_in_the_key_is_the_pdfs(corpus: Path) -> None:
    import pypdfium2 as pdfium

    key = AnswerKey.load(corpus / "pdf" / "answer_key.json")
    for document in key.documents:
        pdf = pdfium.PdfDocument(str(corpus / "pdf" / document.file))
        assert len(pdf) == document.pdf_pages
        pdf.close()


def test_the_template_shapes_are_in_the_corpus(corpus: Path, extracted) -> None:
    """What the corpus is for: tables continued over pages and empty tables declared by a note,
    in both templates, and split codes only in the Shanghai one (read back by the extractor)."""
    _, pdf = extracted
    key = AnswerKey.load(corpus / "pdf" / "answer_key.json")
    template = {d.file: d.pdf_template for d in key.documents}
    file_of = {document_id: file for file, document_id in _by_file(pdf).items()}
    pages: dict[tuple[str, str, str], set[str]] = {}  # (template, document, kind) -> pages
    for table in ("raw_income_by_function", "raw_expenditure_by_function"):
        for row in pdf.rows[table]:
            file = file_of[row["document_id"]]
            pages.setdefault((template[file], file, row["table_kind"]), set()).add(row["source_page"])
    for name in ("labelled", "shanghai"):
        assert any(len(p) > 1 for (t, _, _), p in pages.items() if t == name), name
        empty = [r for r in pdf.rows["raw_table_inventory"]
                 if template[file_of[r["document_id"]]] == name and r["status"] == "declared_empty"]
        assert empty and all(r["table_kind"] in ("government_fund", "state_capital", "three_public") for r in empty)
    labels = {(template[file_of[r["document_id"]]], r["source_table"].startswith("公开"))
              for r in pdf.rows["raw_table_inventory"]}
    assert labels == {("labelled", True), ("shanghai", False)}


@pytest.mark.parametrize("template", ["labelled", "shanghai"])
def test_a_three_public_table_of_zeros_is_declared_empty(tmp_path: Path, template: str) -> None:
    """A department without 三公 money prints the table with its 无数据 note (as the Putuo social
    work department does), in the text and in the PDF, and both read as declared empty."""
    import random
    from dataclasses import replace

    from fiscal_dw.synth.departments import make_department
    from fiscal_dw.synth.narrative import make_facts, make_style, narrative_paragraphs
    from fiscal_dw.synth.render import render_document
    from fiscal_dw.synth.render_pdf import choose_style, render_pdf
    from fiscal_dw.synth.template_identities import make_printed_year

    dept = make_department(3, SEED)
    rng = random.Random(0)
    money, printed = make_printed_year(dept, 0, rng, None)
    printed.three_public = {phase: {item: 0 for item in items} for phase, items in printed.three_public.items()}
    facts = make_facts(2023, printed, money, None, rng)
    style = make_style(dept.layout, rng)
    paragraphs = narrative_paragraphs(facts, dept.name, style, rng)
    (tmp_path / "a.txt").write_text(render_document(dept, 2023, printed, paragraphs, style, rng), encoding="utf-8")
    pdf_style = replace(choose_style(random.Random(1)), template=template)
    (tmp_path / "a.pdf").write_bytes(render_pdf(dept, 2023, printed, paragraphs, pdf_style, rng)[0])
    result = extract_folder(tmp_path, workers=1)
    status = [r["status"] for r in result.rows["raw_table_inventory"] if r["table_kind"] == "three_public"]
    assert status == ["declared_empty", "declared_empty"]
