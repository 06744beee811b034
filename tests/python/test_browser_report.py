"""The report as a person sees it: index.html rendered by headless Chromium.

Chromium renders the page (no network: the page needs none) and dumps the DOM it built;
the test reads the documents, their check counts and the failing checks from it, then
takes a screenshot into the test's output folder and build/test-output/. In CI the test
must run (.ci/run installs Debian's chromium); elsewhere it is skipped when Chromium is
absent.
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from load_runs import JINAN, PROJECT_DIR, QINGDAO, TwoLoads, two_loads

SCREENSHOT_COPY = PROJECT_DIR / "build" / "test-output" / "report.png"


def chromium() -> str:
    for candidate in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed: .ci/run must install Debian's chromium package")
    pytest.skip("Chromium is not installed (apt-get install chromium fonts-wqy-microhei); CI installs it")


def browse(page: Path, profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}", *arguments,
               page.resolve().as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


class Cells(HTMLParser):
    """Text of the table rows that carry a data-document-id or the failing-check class."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: dict[str, list[str]] = {}
        self.failing: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._target: tuple[str, str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "tr" and attributes.get("data-document-id"):
            self._row, self._target = [], ("document", attributes["data-document-id"] or "")
        elif tag == "tr" and attributes.get("class") == "failing-check":
            self._row, self._target = [], ("failing", "")
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._target is not None:
            kind, key = self._target
            if kind == "document":
                self.documents[key] = self._row
            else:
                self.failing.append(self._row)
            self._row = self._target = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


pytestmark = pytest.mark.slow  # two loads (shared with test_loads, test_report) and a browser


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    loads: TwoLoads = two_loads(tmp_path_factory)
    folder = (loads.reports / "latest").resolve()
    return folder, json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def test_chromium_shows_documents_counts_and_a_failing_check(report, tmp_path: Path) -> None:
    folder, summary = report
    dumped = browse(folder / "index.html", tmp_path / "profile", "--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = Cells()
    dom.feed(dumped.stdout)
    text = "".join(dom.text)
    assert "数据质量报告" in text and summary["load"]["load_id"] in text

    finals = {d["department_name"]: d for d in summary["documents"] if d["document_kind"] == "final_accounts"}
    assert set(finals) == {JINAN, QINGDAO}
    for department, document in finals.items():
        row = dom.documents[document["document_id"]]
        # file, kind, department, year, sha, change, then total / pass / rounding / fail / error-severity fails
        assert row[2] == department and row[3] == str(document["fiscal_year"])
        counts = [int(cell) for cell in row[6:11]]
        checks = document["checks"]
        assert counts == [checks["total"], checks["pass"], checks["rounding"], checks["fail"], checks["fail_error"]]
        assert checks["total"] > 200
    assert len(dom.documents) == len(summary["documents"])

    assert len(dom.failing) == len(summary["failing_checks"]) >= 1
    [row] = [r for r in dom.failing if JINAN in r[0] and r[1] == "narr_initial_budget_items"]
    # both values, the difference and the source lines are on the row
    assert {"16,040.49", "16,199.88", "-159.39"} <= set(row)
    assert row[-1].startswith("510 / 512")


def test_chromium_screenshot_of_the_report(report, tmp_path: Path) -> None:
    folder, _ = report
    screenshot = tmp_path / "report.png"
    shot = browse(folder / "index.html", tmp_path / "profile", f"--screenshot={screenshot}",
                  "--window-size=1400,2400")
    assert shot.returncode == 0 and screenshot.is_file(), shot.stderr[-2000:]
    header = screenshot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (1400, 2400)
    assert screenshot.stat().st_size > 50_000  # a rendered page, not a blank one
    SCREENSHOT_COPY.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(screenshot, SCREENSHOT_COPY)
