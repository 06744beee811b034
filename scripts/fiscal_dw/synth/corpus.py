"""The corpus: which injections go into which document, one department's years generated in
order (on a worker process for large corpora), and answer_key.json beside the documents."""
from __future__ import annotations

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
from fiscal_dw.synth.departments import make_department
from fiscal_dw.synth.faults import TABLE_INJECTORS, inject_narrative
from fiscal_dw.synth.money import Carried, carried_out
from fiscal_dw.synth.narrative import Facts, LeafFact, make_facts, make_style, narrative_paragraphs
from fiscal_dw.synth.printed import Printed
from fiscal_dw.synth.render import render_document
from fiscal_dw.synth.self_evaluations import Project, make_projects
from fiscal_dw.synth.template_identities import Identity, find_identity, identities, make_printed_year


def _expected_rows(p: Printed, projects: Sequence[Project] = ()) -> dict[str, int]:
    t = p.code_tables
    return {
        "raw_self_evaluations": len(projects),
        "raw_performance_indicators": sum(len(project.indicators) for project in projects),
        "raw_self_evaluation_summaries": len(projects),
        "raw_documents": 1,
        "raw_income_expenditure_summary": 31 * 2 + 32 * 2,
        "raw_income_by_function": len(t[2]),
        "raw_expenditure_by_function": len(t[3]) + len(t[5]) + len(t[8]),
        "raw_government_fund_by_function": len(t[7]),
        "raw_basic_expenditure_by_economic": sum(1 + len(items) for _, _, items in ECONOMIC_CLASSES) + 2,
        "raw_three_public_expenses": 12,
        "raw_extract_rejects": 0,
    }


_OVERLAPS = {
    "rounding_function_child": ("function_parent_off", "row_total_off"),
    "rounding_economic_total": ("basic_05_vs_06",),
    "rounding_three_public": ("three_public_subtotal_off",),
}


def plan_injections(departments: int, years: int, fault_rate: float, seed: int) -> dict[tuple[int, int], list[str]]:
    """Which kinds go into which document. Kinds are dealt round-robin from shuffled decks so
    that even a small corpus gets every kind."""
    rng = random.Random(f"{seed}:plan")
    fault_deck: list[str] = []
    rounding_deck: list[str] = []
    plan: dict[tuple[int, int], list[str]] = {}
    for index in range(departments):
        for year_index in range(years):
            kinds: list[str] = []
            if rng.random() < fault_rate:
                count = 2 if rng.random() < 0.2 else 1
                while len(kinds) < count:
                    if not fault_deck:
                        fault_deck = list(TABLE_FAULT_KINDS + NARRATIVE_FAULT_KINDS)
                        rng.shuffle(fault_deck)
                    kind = fault_deck.pop()
                    if kind not in kinds:
                        kinds.append(kind)
            if rng.random() < fault_rate:
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


def document_file(index: int, year: int) -> str:
    return f"synth-{index:05d}-{year}.txt"


def _drift_records(found: list[Identity], injected: list[Injection]) -> list[dict]:
    targets = {(i.rule_id, tuple(i.scope)) for i in injected}
    records = []
    for identity in found:
        if abs(identity.difference) >= 2 and (identity.rule_id, identity.scope) not in targets:
            records.append({"rule_id": identity.rule_id, "scope": list(identity.scope),
                            "difference": fmt(identity.difference), "summands": identity.summands})
    return records


def generate_department(task: tuple[int, int, int, int, dict[int, list[str]], str]
                        ) -> tuple[list[DocumentKey], list[Injection]]:
    index, seed, years, last_year, plan, out_dir = task
    dept = make_department(index, seed)
    rng = random.Random(f"{seed}:years:{index}")
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
        (Path(out_dir) / file).write_text(text, encoding="utf-8")
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
            rounding_drifts=_drift_records(found, injected)))
        injections.extend(injected)
        previous = true_facts
    return documents, injections


def _copy_facts(facts: Facts) -> Facts:
    copy = Facts(**{**facts.__dict__})
    copy.classes = list(facts.classes)
    copy.leaves = [LeafFact(**leaf.__dict__) for leaf in facts.leaves]
    copy.three_public = {phase: dict(v) for phase, v in facts.three_public.items()}
    return copy


def generate_corpus(out_dir: Path, departments: int, years: int, fault_rate: float, seed: int,
                    last_year: int = FIRST_YEAR_DEFAULT_END - 1, workers: int | None = None) -> AnswerKey:
    """Write departments × years documents and answer_key.json into out_dir; return the key."""
    if departments < 1 or years < 1:
        raise ValueError("departments and years must be at least 1")
    if not 0 <= fault_rate <= 1:
        raise ValueError("fault_rate must be between 0 and 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = plan_injections(departments, years, fault_rate, seed)
    by_department: dict[int, dict[int, list[str]]] = {}
    for (index, year_index), kinds in plan.items():
        by_department.setdefault(index, {})[year_index] = kinds
    tasks = [(index, seed, years, last_year, by_department.get(index, {}), str(out_dir))
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
    for documents, injections in results:
        key.documents.extend(documents)
        key.injections.extend(injections)
    key.write(out_dir / ANSWER_KEY_FILE)
    return key
