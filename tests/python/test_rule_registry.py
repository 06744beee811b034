"""The rule registry names the model that evaluates each rule (evaluated_by), and the rule
id is written in that model's SQL as a literal, so `grep -r <rule_id> models/` leads from
a rule to its SQL. (That the check rows of each rule come from that model is a dbt test:
tests/assert_rules_evaluated_by_their_model.sql.)"""
from __future__ import annotations

import csv
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
REGISTRY = PROJECT / "seeds" / "reference" / "rule_registry.csv"


def _rules() -> list[dict[str, str]]:
    with REGISTRY.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _models() -> dict[str, Path]:
    return {path.stem: path for path in (PROJECT / "models").rglob("*.sql")}


def test_every_rule_names_an_existing_model() -> None:
    models = _models()
    rules = _rules()
    assert rules
    unknown = {r["rule_id"]: r["evaluated_by"] for r in rules if r["evaluated_by"] not in models}
    assert not unknown, f"evaluated_by names no model: {unknown}"


def test_every_rule_id_is_a_literal_in_the_sql_of_its_model() -> None:
    models = _models()
    missing = [f"{r['rule_id']} not in {models[r['evaluated_by']].relative_to(PROJECT)}"
               for r in _rules() if r["evaluated_by"] in models
               and f"'{r['rule_id']}'" not in models[r["evaluated_by"]].read_text(encoding="utf-8")]
    assert not missing, "\n".join(missing)
