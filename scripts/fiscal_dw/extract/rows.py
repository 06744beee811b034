"""What every extractor returns: raw rows (text as printed) and rejects."""
from __future__ import annotations

from dataclasses import dataclass, field

RawRow = dict[str, str]


@dataclass
class Reject:
    """A line inside a recognised table that could not be placed."""

    source_table: str
    source_line: int
    reason: str
    line_text: str
    source_page: str = ""   # PDF input: the page (source_line is then the row on the page)
    table_kind: str = ""


@dataclass
class Extracted:
    rows: dict[str, list[RawRow]] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)

    def add(self, table: str, row: RawRow) -> None:
        self.rows.setdefault(table, []).append(row)

    def extend(self, other: "Extracted") -> None:
        """Append another extractor's rows and rejects after these."""
        for table, rows in other.rows.items():
            self.rows.setdefault(table, []).extend(rows)
        self.rejects.extend(other.rejects)
