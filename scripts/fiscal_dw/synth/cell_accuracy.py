"""Cell accuracy of PDF extraction: every amount a synthetic PDF prints (``printed_cells.jsonl``
beside the corpus) against the raw rows the extractor made of it.

A printed cell counts as read when the raw row of its table kind and row (subject code, 合计,
side:item, economic code or total, phase:item) holds the same amount in the same raw column.
Amounts the extractor placed where the PDF printed none (0.00 and blank both count as none)
are counted apart as extra."""
from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from fiscal_dw.extract.schemas import AMOUNT_COLUMNS

CELLS_FILE = "printed_cells.jsonl"
Key = tuple[str, str, str]  # (table kind, row, column)


def amount(text: str) -> Decimal | None:
    cleaned = (text or "").replace(",", "").strip()
    if not cleaned:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _squeeze(text: str) -> str:
    return "".join(text.split())


def row_key(table: str, row: Mapping[str, str]) -> str:
    """The row of a raw row as ``PrintedCell.row`` names it."""
    if table == "raw_income_expenditure_summary":
        return f"{row['side']}:{_squeeze(row['item_name'])}"
    if table == "raw_basic_expenditure_by_economic":
        return row["economic_code"] or _squeeze(row["economic_name"])
    if table == "raw_three_public_expenses":
        return f"{row['phase']}:{row['expense_item']}"
    return row["subject_code"] or _squeeze(row["subject_name"])


def extracted_cells(rows: Mapping[str, Iterable[Mapping[str, str]]]) -> dict[str, dict[Key, Decimal]]:
    """document_id -> {(kind, row, column): amount} of every non-empty amount in raw rows."""
    out: dict[str, dict[Key, Decimal]] = {}
    for table, columns in AMOUNT_COLUMNS.items():
        for row in rows.get(table, ()):
            cells = out.setdefault(row["document_id"], {})
            key_row = row_key(table, row)
            for column in columns:
                value = amount(row.get(column, ""))
                if value is not None:
                    key = (row.get("table_kind", ""), key_row, column)
                    # a second row with the same key (a duplicated line): keep both visible
                    cells[key if key not in cells else (key[0], key[1] + "#2", key[2])] = value
    return out


@dataclass
class CellScore:
    documents: int = 0
    printed: int = 0
    read: int = 0
    extra: int = 0           # amounts placed where nothing (or 0.00) was printed
    misses: Counter = field(default_factory=Counter)   # by table kind
    examples: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float | None:
        return self.read / self.printed if self.printed else None

    def summary(self) -> str:
        share = f"{self.accuracy:.2%}" if self.accuracy is not None else "–"
        text = (f"cells: {self.read}/{self.printed} read ({share}) in {self.documents} documents; "
                f"{self.extra} extra")
        if self.misses:
            text += "; missed by kind: " + ", ".join(f"{k} {v}" for k, v in self.misses.most_common())
        return text


def score_document(printed: Iterable[list[str]], extracted: Mapping[Key, Decimal], score: CellScore,
                   name: str = "") -> None:
    score.documents += 1
    expected: dict[Key, Decimal] = {}
    for kind, row, column, value in printed:
        expected[(kind, row, column)] = amount(value) or Decimal(0)
        score.printed += 1
        if extracted.get((kind, row, column)) == amount(value):
            score.read += 1
        else:
            score.misses[kind] += 1
            if len(score.examples) < 20:
                score.examples.append(f"{name}: {kind} {row} {column}: printed {value}, "
                                      f"read {extracted.get((kind, row, column))}")
    for key, value in extracted.items():
        if key not in expected and value != 0:
            score.extra += 1
            if len(score.examples) < 20:
                score.examples.append(f"{name}: {key}: read {value}, nothing printed")


def read_raw(raw_dir: Path) -> dict[str, list[dict[str, str]]]:
    rows = {}
    for table in (*AMOUNT_COLUMNS, "raw_documents"):
        path = raw_dir / f"{table}.csv"
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                rows[table] = list(csv.DictReader(handle))
    return rows


def score_corpus(corpus: Path, raw_dir: Path) -> CellScore:
    """The corpus's printed cells against the raw CSVs an extraction of it wrote."""
    rows = read_raw(raw_dir)
    by_file = {row["source_file"]: row["document_id"] for row in rows.get("raw_documents", [])}
    extracted = extracted_cells(rows)
    score = CellScore()
    with (corpus / CELLS_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            entry = json.loads(line)
            document_id = by_file.get(entry["file"], "")
            score_document(entry["cells"], extracted.get(document_id, {}), score, entry["file"])
    return score
