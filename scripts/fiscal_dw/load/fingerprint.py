"""What the outcome of the project's own checks depends on: its files, the vars, the raw
tables' columns and the versions of dbt and DuckDB. Two uses:

* the dbt docs site is generated once per fingerprint (``load/dbt_docs.py``);
* dbt's unit tests (tests of the models' SQL on inputs fixed in the YAML) run on the
  committed seeds when the fingerprint has not passed them before: their outcome is a
  function of these files alone, so a load on unchanged files does not run them again.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from fiscal_dw import PROJECT_DIR

# The project's files, as globs (not the Python tests under tests/, nor the documents).
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models/**/*", "macros/**/*", "tests/*.sql",
                 "tests/generic/**/*", "seeds/reference/**/*", "analyses/**/*")
UNIT_TESTS_PASSED = PROJECT_DIR / "build" / "dbt" / "unit_tests_passed"


def project_fingerprint(vars_: str | None, raw_dir: Path) -> str:
    """A digest of the project's files, the vars, the raw tables' header lines (their
    columns) and the dbt and DuckDB versions."""
    from importlib.metadata import version

    digest = hashlib.sha256("\0".join(f"{package} {version(package)}" for package in
                                      ("dbt-core", "dbt-duckdb", "duckdb")).encode()
                            + f"\0vars {vars_ or ''}\0".encode())
    files = sorted({path for pattern in PROJECT_FILES for path in PROJECT_DIR.glob(pattern) if path.is_file()})
    for path in files:
        digest.update(path.relative_to(PROJECT_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for path in sorted(Path(raw_dir).glob("raw_*.csv")):
        with path.open("rb") as handle:
            digest.update(path.name.encode() + b"\0" + handle.readline())
    return digest.hexdigest()[:16]


def unit_tests_passed(fingerprint: str) -> bool:
    return (UNIT_TESTS_PASSED / fingerprint).is_file()


def record_unit_tests_passed(fingerprint: str) -> None:
    UNIT_TESTS_PASSED.mkdir(parents=True, exist_ok=True)
    (UNIT_TESTS_PASSED / fingerprint).touch()
