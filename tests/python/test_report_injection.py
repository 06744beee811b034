"""The report stays safe to open: a load of documents whose department name, project names and
narrative carry markup (`<script>alert(1)</script>`, `"onmouseover="`, and a script that
would retitle the page) renders in headless Chromium as text, with no script run and no
event handler attribute on any element, in `index.html` and in the GX Data Docs pages.
Chromium as in test_browser_report.py (skipped without it outside CI)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from test_browser_report import browse, chromium

PROJECT_DIR = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT_DIR / "tests" / "fixtures" / "documents"
SCRIPT, HANDLER, RETITLE = "<script>alert(1)</script>", '"onmouseover="alert(1)"', "<script>document.title=1</script>"
PAYLOAD = SCRIPT + HANDLER + RETITLE  # no whitespace: it stays one token in every layout
DEPARTMENT = "示范市数据服务局"  # of narrative_final_accounts.txt, on its tables and in its narrative
PROJECTS = ("示例数据共享平台运维项目", "数字经济监测平台运维")

pytestmark = pytest.mark.slow


class Dom(HTMLParser):
    """The rendered page's title, text and every attribute whose name starts with "on"."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.scripts = 0
        self._in_title = False
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self._in_title = tag == "title"
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_title:
            self.title += data


def rendered(page: Path, profile: Path) -> Dom:
    dumped = browse(page, profile, "--dump-dom", "--virtual-time-budget=3000")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = Dom()
    dom.feed(dumped.stdout)
    return dom


@pytest.fixture(scope="module")
def injected_load(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chromium()  # skip before the load when there is no browser
    root = tmp_path_factory.mktemp("injection")
    docs = root / "docs"
    docs.mkdir()
    narrative = (FIXTURES / "narrative" / "narrative_final_accounts.txt").read_text(encoding="utf-8")
    lines = narrative.replace(DEPARTMENT, DEPARTMENT + PAYLOAD).split("\n")
    lines.insert(len(lines) // 2, f"说明：本部门{PAYLOAD}的情况说明。")
    (docs / "final_accounts.txt").write_text("\n".join(lines), encoding="utf-8")
    for name in ("self_evaluation_reports.txt", "space_self_evaluation.txt"):
        text = (FIXTURES / "performance" / name).read_text(encoding="utf-8")
        for project in PROJECTS:
            text = text.replace(project, project + PAYLOAD)
        (docs / name).write_text(text, encoding="utf-8")
    # the project's suites plus one that fails on such a name, so that Data Docs print it
    # among the unexpected values
    suites = root / "suites"
    shutil.copytree(PROJECT_DIR / "expectations", suites)
    dim_document = json.loads((suites / "dim_document.json").read_text(encoding="utf-8"))
    dim_document["expectations"].append({
        "type": "expect_column_values_to_match_regex",
        "kwargs": {"column": "department_name", "regex": "^[^<>\"]*$"},
        "meta": {"why": "test_report_injection: markup in a department name is shown, never run"}})
    (suites / "dim_document.json").write_text(json.dumps(dim_document, ensure_ascii=False), encoding="utf-8")
    process = subprocess.run([str(Path(sys.executable).parent / "fiscal-dw"), "run", "--warehouse",
                              str(root / "fiscal.duckdb"), "--docs", str(docs), "--suites", str(suites)],
                             capture_output=True, text=True, timeout=900, cwd=PROJECT_DIR)
    assert "run: published load" in process.stdout, process.stdout[-5000:] + process.stderr[-3000:]
    with duckdb.connect(str(root / "fiscal.duckdb"), read_only=True) as connection:
        departments = {name for (name,) in connection.execute(
            "select department_name from marts.dim_document").fetchall()}
        projects = {name for (name,) in connection.execute(
            "select project_name from marts.fct_project_self_evaluation").fetchall()}
    # the markup reached the marts as printed: the report has to deal with it
    assert DEPARTMENT + PAYLOAD in departments, departments
    assert any(PAYLOAD in (name or "") for name in projects), projects
    return (root / "reports" / "latest").resolve()


def test_report_page_shows_markup_as_text_and_runs_nothing(injected_load: Path, tmp_path: Path) -> None:
    page = injected_load / "index.html"
    source = page.read_text(encoding="utf-8")
    assert "<script" not in source.lower()  # the report has no script of its own, and none injected
    dom = rendered(page, tmp_path / "profile")
    text = "".join(dom.text)
    assert "数据质量报告" in text  # the page rendered
    assert DEPARTMENT + PAYLOAD in text  # the name shown as printed, as text
    assert dom.scripts == 0 and dom.handlers == [] and dom.title != "1"
    summary = json.loads((injected_load / "summary.json").read_text(encoding="utf-8"))
    assert any(PAYLOAD in (d["department_name"] or "") for d in summary["documents"])


def test_data_docs_pages_run_no_injected_script(injected_load: Path, tmp_path: Path) -> None:
    pages = sorted((injected_load / "data_docs").rglob("*.html"))
    # the page of the dim_document suite's results shows the failing names; the index too
    shown = [page for page in pages if DEPARTMENT + "&lt;script&gt;" in page.read_text(encoding="utf-8")]
    assert shown, "no Data Docs page shows the department name"
    for number, page in enumerate([pages[0], *shown][:6]):
        assert SCRIPT not in page.read_text(encoding="utf-8")
        dom = rendered(page, tmp_path / f"profile{number}")
        assert dom.title != "1", page  # the retitling script did not run
        assert not [h for h in dom.handlers if h[1] == "onmouseover"], (page, dom.handlers)
        assert "".join(dom.text).strip(), page  # something rendered
        if page in shown:
            assert DEPARTMENT + SCRIPT in "".join(dom.text), page  # shown as text
