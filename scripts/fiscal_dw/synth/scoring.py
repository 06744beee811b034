"""Scoring a warehouse built from a corpus against its answer key: recall of injected faults,
rounding injections reported as rounding, and failing checks on what the key says is clean."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from fiscal_dw.synth.answer_key import FAULT, NARRATIVE_FAMILY, ROUNDING, AnswerKey, Injection


@dataclass
class DetectionReport:
    """How the reconciliation checks of a warehouse did against an answer key."""

    documents: int = 0
    documents_in_warehouse: int = 0
    faults: int = 0                      # table faults (families other than narrative)
    faults_detected: int = 0
    missed: list[dict] = field(default_factory=list)
    rounding: int = 0
    rounding_ok: int = 0
    rounding_as_fail: list[dict] = field(default_factory=list)
    rounding_not_evaluated: list[dict] = field(default_factory=list)
    narrative_scored: bool = False
    narrative_faults: int = 0
    narrative_detected: int = 0
    narrative_missed: list[dict] = field(default_factory=list)
    clean_documents: int = 0
    clean_documents_with_fails: int = 0
    false_positives: list[dict] = field(default_factory=list)
    checks: int = 0
    fails: int = 0

    @property
    def recall(self) -> float | None:
        return self.faults_detected / self.faults if self.faults else None

    @property
    def narrative_recall(self) -> float | None:
        return self.narrative_detected / self.narrative_faults if self.narrative_faults else None

    def false_positives_by_severity(self) -> dict[str, int]:
        """Failing checks on clean scopes per rule severity ('error', 'warning')."""
        counts = {"error": 0, "warning": 0}
        for fp in self.false_positives:
            counts[fp["severity"]] = counts.get(fp["severity"], 0) + 1
        return dict(sorted(counts.items()))

    def summary(self) -> str:
        def rate(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.1%}"

        lines = [
            f"documents: {self.documents} in key, {self.documents_in_warehouse} in warehouse; "
            f"checks {self.checks}, fails {self.fails}",
            f"table faults: {self.faults_detected}/{self.faults} detected (recall {rate(self.recall)})",
            f"rounding injections: {self.rounding_ok}/{self.rounding} reported as rounding"
            f" ({len(self.rounding_as_fail)} as fail, {len(self.rounding_not_evaluated)} not evaluated)",
            ("narrative faults: " + (f"{self.narrative_detected}/{self.narrative_faults} detected "
                                     f"(recall {rate(self.narrative_recall)})" if self.narrative_scored
                                     else f"{self.narrative_faults} not scored (no narrative rules)")),
            f"clean documents: {self.clean_documents}, {self.clean_documents_with_fails} with a failing check",
            f"false positives: {len(self.false_positives)} failing checks not explained by the key ("
            + ", ".join(f"{severity} {count}" for severity, count in self.false_positives_by_severity().items())
            + ")",
        ]
        for label, rows in (("missed", self.missed), ("rounding as fail", self.rounding_as_fail),
                            ("narrative missed", self.narrative_missed),
                            ("false positive", self.false_positives)):
            for row in rows[:20]:
                lines.append(f"  {label}: {json.dumps(row, ensure_ascii=False)}")
        return "\n".join(lines)


def _scope_tokens(scope: str) -> set[str]:
    return set(re.split(r"[:>]", scope or ""))


def score_detection(warehouse: Path, key: AnswerKey) -> DetectionReport:
    """Recall of the injected faults, rounding injections reported as rounding, and failing
    checks on documents (or scopes) the key says are clean."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select d.source_file, c.rule_id, c.rule_family, c.severity, c.scope, c.status, "
            "cast(c.lhs_value as varchar), cast(c.rhs_value as varchar), cast(c.difference as varchar) "
            "from marts.fct_reconciliation_checks c join marts.dim_document d using (document_id)").fetchall()
        files = {f for (f,) in connection.execute("select source_file from marts.dim_document").fetchall()}
        families = {f for (f,) in connection.execute(
            "select distinct rule_family from marts.fct_reconciliation_checks").fetchall()}
        registry_families = _registry_families(connection)
    known = {d.file for d in key.documents}
    checks_by_file: dict[str, list[tuple]] = {}
    for row in rows:
        if row[0] in known:
            checks_by_file.setdefault(row[0], []).append(row)
    report = DetectionReport(documents=len(key.documents), documents_in_warehouse=len(known & files))
    report.checks = sum(len(v) for v in checks_by_file.values())
    report.fails = sum(1 for v in checks_by_file.values() for r in v if r[5] == "fail")
    report.narrative_scored = NARRATIVE_FAMILY in families or NARRATIVE_FAMILY in registry_families

    def describe(row: tuple) -> dict:
        return {"file": row[0], "rule_id": row[1], "severity": row[3], "scope": row[4], "status": row[5],
                "lhs": row[6], "rhs": row[7], "difference": row[8]}

    def matching(injection: Injection) -> list[tuple]:
        wanted = set(injection.scope)
        return [r for r in checks_by_file.get(injection.file, [])
                if r[1] == injection.rule_id and wanted <= _scope_tokens(r[4])]

    explained: dict[str, tuple[set[str], set[str]]] = {}
    for injection in key.injections:
        if injection.severity != FAULT:
            continue
        rules, fams = explained.setdefault(injection.file, (set(), set()))
        if injection.rule_id:
            rules.add(injection.rule_id)
        rules.update(injection.also_rules)
        fams.update(injection.also_families)
        if injection.rule_family == NARRATIVE_FAMILY:
            fams.add(NARRATIVE_FAMILY)
            report.narrative_faults += 1
            if not report.narrative_scored:
                continue
            # a narrative fault naming its rule is found by that rule; one naming none by any
            found = [r for r in checks_by_file.get(injection.file, []) if r[2] == NARRATIVE_FAMILY and r[5] == "fail"
                     and (injection.rule_id is None or r[1] == injection.rule_id)]
            if found:
                report.narrative_detected += 1
            else:
                report.narrative_missed.append({**_injection_brief(injection), "observed": "no failing narrative check"})
            continue
        report.faults += 1
        found = matching(injection)
        if any(r[5] == "fail" for r in found):
            report.faults_detected += 1
        else:
            report.missed.append({**_injection_brief(injection),
                                  "observed": [describe(r) for r in found] or "no check with this rule and scope"})
    for injection in key.injections:
        if injection.severity != ROUNDING:
            continue
        report.rounding += 1
        found = matching(injection)
        if not found:
            report.rounding_not_evaluated.append(_injection_brief(injection))
        elif any(r[5] == "fail" for r in found):
            report.rounding_as_fail.append({**_injection_brief(injection), "observed": [describe(r) for r in found]})
        elif any(r[5] == "rounding" for r in found):
            report.rounding_ok += 1
        else:
            report.rounding_not_evaluated.append({**_injection_brief(injection),
                                                  "observed": [describe(r) for r in found]})
    drifts = {d.file: d.rounding_drifts for d in key.documents}
    for document in key.documents:
        rules, fams = explained.get(document.file, (set(), set()))
        clean = document.file not in explained
        report.clean_documents += clean
        failing = False
        for row in checks_by_file.get(document.file, []):
            if row[5] != "fail" or row[1] in rules or row[2] in fams:
                continue
            failing = True
            entry = describe(row)
            drift = next((d for d in drifts[document.file] if d["rule_id"] == row[1]
                          and set(d["scope"]) <= _scope_tokens(row[4])), None)
            # what the key knows about the scope: the identity is off by rounding alone
            # (n summands, each printed cell rounded on its own), or the document's features
            entry["cause"] = "rounding_drift" if drift else ""
            entry["summands"] = drift["summands"] if drift else None
            entry["features"] = [name for name, present in document.features.items() if present]
            report.false_positives.append(entry)
        report.clean_documents_with_fails += clean and failing
    return report


def _registry_families(connection) -> set[str]:
    tables = connection.execute(
        "select table_schema from information_schema.tables where table_name = 'rule_registry'").fetchall()
    for (schema,) in tables:
        return {f for (f,) in connection.execute(
            f'select distinct rule_family from "{schema}".rule_registry').fetchall()}
    return set()


def _injection_brief(injection: Injection) -> dict:
    return {"file": injection.file, "kind": injection.kind, "rule_id": injection.rule_id,
            "scope": injection.scope, "before": injection.printed_before, "after": injection.printed_after,
            "difference": injection.difference}
