"""The corpus: which injections go into which document, one department's years generated in
order (on a worker process for large corpora), and answer_key.json beside the documents."""
from __future__ import annotations

import json
import multiprocessing
import os
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from fiscal_dw.synth.amounts import fmt
from fiscal_dw.synth.answer_key import (
    ANSWER_KEY_FILE,
    FIRST_YEAR_DEFAULT_END,
    NARRATIVE_FAMILY,
    NARRATIVE_FAULT_KINDS,
    ROUNDING_KINDS,
    TABLE_FAULT_KINDS,
    AnswerKey,
    DocumentKey,
    Injection,
)
from fiscal_dw.synth.catalogue import ECONOMIC_CLASSES
from fiscal_dw.synth.cell_accuracy import CELLS_FILE
from fiscal_dw.synth.departments import make_department
from fiscal_dw.synth.faults import TABLE_INJECTORS, inject_narrative
from fiscal_dw.synth.money import Carried, carried_out
from fiscal_dw.synth.narrative import Facts, LeafFact, make_facts, make_style, narrative_paragraphs
from fiscal_dw.synth.printed import Printed
from fiscal_dw.synth.render import render_document
from fiscal_dw.synth.render_pdf import choose_style, render_pdf
from fiscal_dw.synth.self_evaluations import Project, make_projects
from fiscal_dw.synth.template_identities import Identity, find_identity, identities, make_printed_year


def _expected_rows(p: Printed, projects: Sequence[Project] = ()) -> dict[str, int]:
    t = {n: rows if n != p.left_out else {} for n, rows in p.code_tables.items()}
    summary = {1: 31 * 2, 4: 32 * 2}
    return {
        "raw_self_evaluations": len(projects),
        "raw_performance_indicators": sum(len(project.indicators) for project in projects),
        "raw_self_evaluation_summaries": len(projects),
        "raw_documents": 1,
        "raw_income_expenditure_summary": sum(n for table, n in summary.items() if table != p.left_out),
        "raw_income_by_function": len(t[2]),
        "raw_expenditure_by_function": len(t[3]) + len(t[5]) + len(t[8]),
        "raw_government_fund_by_function": len(t[7]),
        "raw_basic_expenditure_by_economic": 0 if p.left_out == 6 else
        sum(1 + len(items) for _, _, items in ECONOMIC_CLASSES) + 2,
        "raw_three_public_expenses": 0 if p.left_out == 9 else 12,
        "raw_extract_rejects": 0,
    }


_OVERLAPS = {
    "rounding_function_child": ("function_parent_off", "row_total_off"),
    "rounding_economic_total": ("basic_05_vs_06",),
    "rounding_three_public": ("three_public_subtotal_off",),
}


# faults that need the department's 政府性基金 spending (a 公开07 with rows): without it the
# injector has nothing to change and the kind would be lost from the corpus
_NEEDS_GOV_FUND = {"narrative_fund_amount_off", "narrative_fund_none_despite_spending"}


def plan_injections(departments: int, years: int, fault_rate: float, seed: int) -> dict[tuple[int, int], list[str]]:
    """Which kinds go into which document. Kinds are dealt round-robin from shuffled decks so
    that even a small corpus gets every kind."""
    rng = random.Random(f"{seed}:plan")
    fault_deck: list[str] = []
    rounding_deck: list[str] = []
    plan: dict[tuple[int, int], list[str]] = {}
    for index in range(departments):
        funded = bool(make_department(index, seed).gov_fund_leaves)
        for year_index in range(years):
            kinds: list[str] = []
            if rng.random() < fault_rate:
                count = 2 if rng.random() < 0.2 else 1
                while len(kinds) < count:
                    if not fault_deck:
                        fault_deck = list(TABLE_FAULT_KINDS + NARRATIVE_FAULT_KINDS)
                        rng.shuffle(fault_deck)
                    kind = fault_deck.pop()
                    if kind in _NEEDS_GOV_FUND and (not funded or _NEEDS_GOV_FUND & set(kinds)):
                        # the next kind that needs no fund is dealt instead; this one waits in its
                        # place, near the top, for a department that spends 政府性基金 (one per
                        # document: a fund said to be empty prints no amount to get wrong)
                        others = [i for i, k in enumerate(fault_deck) if k not in _NEEDS_GOV_FUND]
                        if others:
                            fault_deck[others[-1]], kind = kind, fault_deck[others[-1]]
                    if kind not in kinds:
                        kinds.append(kind)
                if "table_left_out" in kinds and len(kinds) > 1:
                    # a table left out hides the identities another fault breaks (公开02 off against
                    # 公开04 with 公开02 not printed): the other waits on top of the deck
                    fault_deck.extend(k for k in kinds if k != "table_left_out")
                    kinds = ["table_left_out"]
            if rng.random() < fault_rate and "table_left_out" not in kinds:
                # a harmless adjustment never sits on an identity a fault of the same document breaks
                allowed = [k for k in ROUNDING_KINDS if not set(_OVERLAPS[k]) & set(kinds)]
                if not any(k in allowed for k in rounding_deck):
                    rounding_deck = list(ROUNDING_KINDS)
                    rng.shuffle(rounding_deck)
                kind = next((k for k in reversed(rounding_deck) if k in allowed), None)
                if kind is not None:
                    rounding_deck.remove(kind)
                    kinds.append(kind)
            if kinds:
                plan[(index, year_index)] = kinds
    return plan


FORMATS = ("txt", "pdf", "both")
PDF_FOLDER = "pdf"  # --format both: the PDFs, their key and printed cells in OUT/pdf


def document_file(index: int, year: int, suffix: str = "txt") -> str:
    return f"synth-{index:05d}-{year}.{suffix}"


def _drift_records(found: list[Identity], injected: list[Injection]) -> list[dict]:
    targets = {(i.rule_id, tuple(i.scope)) for i in injected}
    records = []
    for identity in found:
        if abs(identity.difference) >= 2 and (identity.rule_id, identity.scope) not in targets:
            records.append({"rule_id": identity.rule_id, "scope": list(identity.scope),
                            "difference": fmt(identity.difference), "summands": identity.summands})
    return records


def generate_department(task: tuple[int, int, int, int, dict[int, list[str]], str, str]
                        ) -> tuple[list[DocumentKey], list[Injection], list[str]]:
    """One department's documents: (keys, injections, printed-cell lines of its PDFs)."""
    index, seed, years, last_year, plan, out_dir, document_format = task
    dept = make_department(index, seed)
    rng = random.Random(f"{seed}:years:{index}")
    # the PDF print draws from its own streams: the text corpus is the same with or without it
    pdf_style = choose_style(random.Random(f"{seed}:pdf:{index}"))
    pdf_dir = Path(out_dir) / (PDF_FOLDER if document_format == "both" else "")
    cell_lines: list[str] = []
    documents: list[DocumentKey] = []
    injections: list[Injection] = []
    previous: Facts | None = None
    carried: Carried | None = None
    for year_index in range(years):
        year = last_year - years + 1 + year_index
        money, printed = make_printed_year(dept, year_index, rng, carried)
        carried = carried_out(money)
        kinds = plan.get(year_index, [])
        injected: list[Injection] = []
        for kind in kinds:  # harmless adjustments first: the prose restates the adjusted tables
            if kind in ROUNDING_KINDS:
                injection = TABLE_INJECTORS[kind](printed, rng)
                if injection:
                    injected.append(injection)
        facts = make_facts(year, printed, money, previous, rng)
        if dept.self_evaluation:
            facts.projects = make_projects(dept, money, printed, year, rng)
        true_facts = Facts(**{**facts.__dict__})
        for kind in kinds:
            if kind in TABLE_FAULT_KINDS:
                injection = TABLE_INJECTORS[kind](printed, rng)
            elif kind in NARRATIVE_FAULT_KINDS:
                facts = _copy_facts(facts)
                injection = inject_narrative(kind, facts, rng)
            else:
                continue
            if injection:
                injected.append(injection)
        style = make_style(dept.layout, rng)
        paragraphs = narrative_paragraphs(facts, dept.name, style, rng)
        text = render_document(dept, year, printed, paragraphs, style, rng, facts.projects)
        file = document_file(index, year)
        if document_format != "pdf":
            (Path(out_dir) / file).write_text(text, encoding="utf-8")
        pdf_pages = cells_printed = 0
        if document_format != "txt":
            pdf, cells, pdf_pages = render_pdf(dept, year, printed, paragraphs, pdf_style,
                                               random.Random(f"{seed}:pdf:{index}:{year}"), facts.projects)
            pdf_file = document_file(index, year, "pdf")
            (pdf_dir / pdf_file).write_bytes(pdf)
            cells_printed = len(cells)
            cell_lines.append(json.dumps({"file": pdf_file, "cells": [
                [c.kind, c.row, c.column, c.value] for c in cells]}, ensure_ascii=False))
            if document_format == "pdf":
                file = pdf_file
        for injection in injected:
            injection.file, injection.department, injection.fiscal_year = file, dept.name, year
        found = identities(printed)
        for injection in injected:
            if injection.rule_id and injection.rule_family != NARRATIVE_FAMILY:
                identity = find_identity(found, injection.rule_id, injection.scope)
                if identity is not None:
                    injection.difference = fmt(identity.difference)
        documents.append(DocumentKey(
            file=file, department=dept.name, fiscal_year=year, layout=dept.layout,
            features={"gov_fund": len(printed.code_tables[7]) > 1,
                      "carryover": bool(printed.summary01["carryover_begin"] or printed.summary01["carryover_end"]),
                      "non_appropriation_income": bool(printed.summary01["business"] or printed.summary01["other"]),
                      "institutions": bool(dept.institutions),
                      "self_evaluation": bool(facts.projects)},
            expected_rows=_expected_rows(printed, facts.projects),
            rounding_drifts=_drift_records(found, injected),
            pdf_template=pdf_style.template if document_format != "txt" else "",
            pdf_pages=pdf_pages, cells_printed=cells_printed))
        injections.extend(injected)
        previous = true_facts
    return documents, injections, cell_lines


def _copy_facts(facts: Facts) -> Facts:
    copy = Facts(**{**facts.__dict__})
    copy.classes = list(facts.classes)
    copy.leaves = [LeafFact(**leaf.__dict__) for leaf in facts.leaves]
    copy.three_public = {phase: dict(v) for phase, v in facts.three_public.items()}
    return copy


def generate_corpus(out_dir: Path, departments: int, years: int, fault_rate: float, seed: int,
                    last_year: int = FIRST_YEAR_DEFAULT_END - 1, workers: int | None = None,
                    document_format: str = "txt") -> AnswerKey:
    """Write departments × years documents and answer_key.json into out_dir; return the key.

    ``document_format``: ``txt`` (text), ``pdf`` (PDFs and printed_cells.jsonl, the amounts each
    prints) or ``both`` (text in out_dir, PDFs with their own key and cells in out_dir/pdf). A
    PDF prints the same figures as the text, so its key is the text's, with .pdf file names."""
    if document_format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if departments < 1 or years < 1:
        raise ValueError("departments and years must be at least 1")
    if not 0 <= fault_rate <= 1:
        raise ValueError("fault_rate must be between 0 and 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    if document_format == "both":
        (out_dir / PDF_FOLDER).mkdir(exist_ok=True)
    plan = plan_injections(departments, years, fault_rate, seed)
    by_department: dict[int, dict[int, list[str]]] = {}
    for (index, year_index), kinds in plan.items():
        by_department.setdefault(index, {})[year_index] = kinds
    tasks = [(index, seed, years, last_year, by_department.get(index, {}), str(out_dir), document_format)
             for index in range(departments)]
    documents_total = departments * years
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if documents_total >= 200 else 1
    if workers > 1:
        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        with context.Pool(workers) as pool:
            results = pool.map(generate_department, tasks, chunksize=max(1, departments // (workers * 8)))
    else:
        results = [generate_department(task) for task in tasks]
    key = AnswerKey(seed=seed, departments=departments, years=years, fault_rate=fault_rate)
    cell_lines: list[str] = []
    for documents, injections, cells in results:
        key.documents.extend(documents)
        key.injections.extend(injections)
        cell_lines.extend(cells)
    key.write(out_dir / ANSWER_KEY_FILE)
    if document_format != "txt":
        pdf_dir = out_dir / (PDF_FOLDER if document_format == "both" else "")
        (pdf_dir / CELLS_FILE).write_text("".join(line + "\n" for line in cell_lines), encoding="utf-8")
        if document_format == "both":
            _pdf_key(key).write(pdf_dir / ANSWER_KEY_FILE)
    return key


def _pdf_key(key: AnswerKey) -> AnswerKey:
    """The key of the PDFs of a text corpus: the same documents and injections, .pdf names."""
    def pdf(name: str) -> str:
        return name.removesuffix(".txt") + ".pdf"

    data = key.to_json()
    for entry in (*data["documents"], *data["injections"]):
        entry["file"] = pdf(entry["file"])
    return AnswerKey.from_json(data)
