"""fiscal-dw: department final accounts and performance attachments -> a reconciled DuckDB warehouse.

``extract`` reads documents into raw CSVs, ``load`` runs one load (dbt, Great Expectations,
history, publish, the load report), ``synth`` writes synthetic corpora; ``cli`` parses the
command line."""
from pathlib import Path

# The repository root: this package sits in scripts/fiscal_dw/.
PROJECT_DIR = Path(__file__).resolve().parents[2]
