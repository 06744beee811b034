"""Jinan and Qingdao give the same marts whichever way they are loaded: from the committed
seeds (what the marts were built from before the extractor learned PDFs, page text and
table kinds) and through `run --docs ../shared/documents` (today's extractor, the files
path). Every mart but the load history is compared row for row with
scripts/mart_fingerprints.py (load ids, clock times and paths left out), so a change of the
extractor that alters any figure, key, check or message of these documents fails here, and
nothing pinned has to be edited by a later honest change."""
from __future__ import annotations

import importlib.util

from conftest import PROJECT_DIR, FinishedRun

_spec = importlib.util.spec_from_file_location("mart_fingerprints", PROJECT_DIR / "scripts" / "mart_fingerprints.py")
mart_fingerprints = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mart_fingerprints)

# what differs by construction between the two loads: how the load was made (source_kind,
# row counts of the load, its messages), not what the documents say
LOAD_MARTS = {"fct_load_history", "fct_load_documents", "fct_load_row_counts", "fct_load_messages",
              "fct_check_history"}


def test_seeds_and_documents_give_the_same_marts(seeds_load: FinishedRun, documents_load: FinishedRun) -> None:
    seeds = mart_fingerprints.fingerprints(seeds_load.warehouse)
    documents = mart_fingerprints.fingerprints(documents_load.warehouse)
    assert set(seeds) == set(documents)
    differences = mart_fingerprints.compare(
        {mart: entry for mart, entry in seeds.items() if mart not in LOAD_MARTS},
        {mart: entry for mart, entry in documents.items() if mart not in LOAD_MARTS})
    assert differences == []
    assert seeds["fct_reconciliation_checks"]["rows"] > 0 and seeds["fct_narrative_figures"]["rows"] > 0
