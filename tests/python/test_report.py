"""The report of a load: summary.json against the warehouse, index.html self-contained and
offline, and the SVG chart helpers on small inputs."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import duckdb
import pytest

from fiscal_dw.load.report.charts import Series, grouped_bars, stacked_bars
from fiscal_dw.load.report.formatting import compress_lines
from fiscal_dw.load.report.html import render_html
from conftest import expected_run_exit
from load_runs import JINAN, QINGDAO, TwoLoads, two_loads


@pytest.fixture(scope="module")
def loads(tmp_path_factory: pytest.TempPathFactory) -> TwoLoads:
    return two_loads(tmp_path_factory)


@pytest.fixture(scope="module")
def report(loads: TwoLoads) -> tuple[Path, dict]:
    folder = (loads.reports / "latest").resolve()
    return folder, json.loads((folder / "summary.json").read_text(encoding="utf-8"))


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls.extend(value for name, value in attrs if name in ("href", "src") and value)


# --------------------------------------------------------------------------- summary.json


def test_summary_names_the_load_and_its_documents(loads: TwoLoads, report) -> None:
    folder, summary = report
    assert summary["load"]["load_id"] == folder.name
    assert summary["load"]["exit_code"] == expected_run_exit(loads.warehouse)
    departments = {(d["department_name"], d["document_kind"]) for d in summary["documents"]}
    assert {(JINAN, "final_accounts"), (QINGDAO, "final_accounts")} <= departments
    assert len(summary["documents"]) == 4
    assert all(len(d["source_sha256"]) == 64 for d in summary["documents"])
    assert summary["raw_row_counts"]["raw_documents"] == 4


def test_summary_counts_equal_the_warehouse(loads: TwoLoads, report) -> None:
    _, summary = report
    with duckdb.connect(str(loads.warehouse), read_only=True) as connection:
        by_status = dict(connection.execute(
            "select status, count(*) from marts.fct_reconciliation_checks group by all").fetchall())
        by_family = {(f, s): n for f, s, n in connection.execute(
            "select rule_family, status, count(*) from marts.fct_reconciliation_checks group by all").fetchall()}
        per_document = dict(connection.execute(
            "select document_id, count(*) from marts.fct_reconciliation_checks group by all").fetchall())
    statuses = ("pass", "rounding", "fail", "not_evaluable")
    assert summary["checks"]["by_status"] == {s: by_status.get(s, 0) for s in statuses}
    assert summary["checks"]["total"] == sum(by_status.values())
    for family, counts in summary["checks"]["by_family"].items():
        for status in statuses:
            assert counts[status] == by_family.get((family, status), 0)
    for document in summary["documents"]:
        assert document["checks"]["total"] == per_document.get(document["document_id"], 0)


def test_summary_lists_failing_checks_with_both_values_and_lines(report) -> None:
    _, summary = report
    failing = summary["failing_checks"]
    assert len(failing) == summary["checks"]["by_status"]["fail"]
    for check in failing:
        if check["lhs_value"] is not None and check["rhs_value"] is not None:
            assert check["difference"] == pytest.approx(check["lhs_value"] - check["rhs_value"])
    # the published Jinan narrative: 年初预算 16,040.49 stated, its 项 add up to 16,199.88
    [jinan] = [c for c in failing if c["department_name"] == JINAN and c["rule_id"] == "narr_initial_budget_items"]
    assert (jinan["lhs_value"], jinan["rhs_value"], jinan["difference"]) == (16040.49, 16199.88, pytest.approx(-159.39))
    assert jinan["lhs_source_lines"] == "510" and jinan["rhs_source_lines"].startswith("512,514")
    # Jinan's 公用经费合计 150.98 against Σ items 151.01 is within its rounding envelope: not listed
    assert not [c for c in failing if c["department_name"] == JINAN and c["rule_id"] == "econ_public_total_items"]
    assert len(summary["not_evaluable_checks"]) == summary["checks"]["by_status"]["not_evaluable"]
    # exit 1 exactly when one of them has error severity (the warning above alone would be 0)
    assert summary["checks"]["fail_error"] == sum(c["severity"] == "error" for c in failing)
    assert summary["load"]["exit_code"] == (1 if summary["checks"]["fail_error"] else 0)
    assert summary["input_messages"] == []


def test_summary_carries_headlines_charts_and_expectations(report) -> None:
    folder, summary = report
    jinan = next(d for d in summary["documents"] if d["department_name"] == JINAN
                 and d["document_kind"] == "final_accounts")
    assert jinan["headline"]["expenditure_total_wan"] == pytest.approx(15244.45)
    assert jinan["headline"]["basic_share"] + jinan["headline"]["project_share"] == pytest.approx(1, abs=1e-4)
    assert {c["subject_code"] for c in jinan["spend_by_class"]} == {"201", "208", "210", "215"}
    assert {i["expense_item"] for i in jinan["three_public"]} >= {"official_reception", "vehicle_operation"}
    gx = summary["expectations"]
    assert gx["success"] and gx["failed"] == 0 and gx["failing"] == []
    assert (folder / gx["data_docs"]).is_file()
    changes = summary["status_changes"]
    assert changes["previous_load_id"] and changes["changed"] == 0 and changes["same_documents_as_previous"]


# --------------------------------------------------------------------------- index.html


def test_page_is_self_contained_and_its_links_resolve(report) -> None:
    folder, _ = report
    page = (folder / "index.html").read_text(encoding="utf-8")
    parser = Links()
    parser.feed(page)
    assert "script" not in parser.tags  # nothing to run, nothing to fetch
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    for url in parser.urls:
        if url.startswith("#"):
            assert f'id="{url[1:]}"' in page, url
            continue
        target = (folder / unquote(urlparse(url).path)).resolve()
        assert target.exists(), url


def test_page_shows_documents_counts_and_failing_checks(report) -> None:
    folder, summary = report
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page
    for document in summary["documents"]:
        assert f'data-document-id="{document["document_id"]}"' in page
    assert JINAN in page and QINGDAO in page
    assert page.count('class="failing-check"') == len(summary["failing_checks"])
    assert "narr_initial_budget_items" in page
    assert 'id="not-evaluable"' in page
    assert page.count("<svg") >= 5  # spend by 类 and 三公 per final accounts, status per document
    for label in ("基本支出 basic", "项目支出 project", "预算 budget", "决算 actual", "不符 fail"):
        assert label in page


# --------------------------------------------------------------------------- helpers


def test_compress_lines() -> None:
    assert compress_lines("3,4,5,9,11,12") == "3–5, 9, 11–12"
    assert compress_lines("368") == "368"
    # a PDF's rows run within their page, never across one
    assert compress_lines("p7:r10,p7:r11,p7:r12,p8:r1,p8:r2,p12:r5") == "p7:r10–12, p8:r1–2, p12:r5"
    assert compress_lines("p7:r23,p8:r1") == "p7:r23, p8:r1"
    assert compress_lines("") == "–" and compress_lines(None) == "–"


def test_stacked_bars_keep_a_small_part_visible_and_escape_labels() -> None:
    svg = stacked_bars("t", [("<b>x</b>", [500, 0, 1])], [Series("a", "#111"), Series("b", "#222"),
                                                          Series("c", "#333")], min_segment=4)
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="22"', svg)]
    assert len(widths) == 2 and widths[1] >= 4  # zero skipped, one of 501 still visible
    assert ">501.00<" in svg


def test_grouped_bars_scale_to_the_largest_value() -> None:
    svg = grouped_bars("t", [("a", [2.0, 1.0]), ("b", [0.0, 4.0])], [Series("x", "#111"), Series("y", "#222")])
    widths = [float(w) for w in re.findall(r'<rect x="190" y="\d+" width="([\d.]+)"', svg)]
    assert widths == pytest.approx([185.0, 92.5, 0.0, 370.0])


def test_render_html_on_a_minimal_summary() -> None:
    summary = {
        "load": {"load_id": "L1", "exit_code": 1, "source_kind": "seeds"},
        "documents": [{"document_id": "d1", "source_file": "a<b>.txt", "source_sha256": "0" * 64,
                       "document_kind": "unknown", "department_name": None, "fiscal_year": None,
                       "change_since_previous": None, "headline": None, "spend_by_class": [], "three_public": [],
                       "checks": {"pass": 0, "rounding": 0, "fail": 0, "fail_error": 0, "total": 0}}],
        "raw_row_counts": {}, "failing_checks": [], "recent_loads": [],
        "checks": {"total": 0, "by_status": {"pass": 0, "rounding": 0, "fail": 0}, "fail_error": 0,
                   "by_family": {}, "by_document_family": []},
        "status_changes": {"previous_load_id": None, "changes": []},
    }
    page = render_html(summary)
    assert "a&lt;b&gt;.txt" in page and "exit 1" in page and "第一次加载" in page


def test_a_large_load_keeps_the_page_small_and_the_counts_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    from fiscal_dw.load.report import html as page_module

    monkeypatch.setattr(page_module, "LISTED_DOCUMENTS", 3)
    documents = [{"document_id": f"d{i}", "source_file": f"doc-{i:03d}.txt", "source_sha256": "0" * 64,
                  "document_kind": "final_accounts", "department_name": f"部门{i}", "fiscal_year": 2023,
                  "change_since_previous": None, "headline": None, "spend_by_class": [], "three_public": [],
                  "detail": i < 2, "checks": {"pass": 1, "rounding": 0, "fail": 0, "fail_error": 0, "total": 1}}
                 for i in range(10)]
    failing = [{"source_file": "doc-000.txt", "department_name": "部门0", "fiscal_year": 2023, "rule_id": "r",
                "severity": "error", "scope": "s", "lhs_label": "l", "lhs_value": 1.0, "rhs_label": "r",
                "rhs_value": 2.0, "difference": -1.0, "tolerance": 0.02, "value_unit": "万元",
                "lhs_source_lines": "1", "rhs_source_lines": "2"}]
    summary = {
        "load": {"load_id": "L1", "exit_code": 1, "source_kind": "documents"},
        "documents": documents, "raw_row_counts": {}, "recent_loads": [],
        "failing_checks": failing, "failing_checks_total": 1234,
        "checks": {"total": 5000, "by_status": {"pass": 3766, "rounding": 0, "fail": 1234}, "fail_error": 1234,
                   "by_family": {}, "by_document_family": []},
        "status_changes": {"previous_load_id": None, "changes": []},
    }
    page = render_html(summary)
    assert page.count('class="document"') == 3 and "and 7 more documents" in page
    assert "failing checks (1,234; the first 1," in page and page.count('class="failing-check"') == 1
    assert "8 more documents: their figures are in" in page  # detail for 2 of 10


def test_summary_gives_each_documents_keyed_narrative_figures(loads: TwoLoads, report) -> None:
    """The share of narrative figures that got a key, per document, and every unkeyed figure
    listed with its sentence (the list capped, its total whole)."""
    _, summary = report
    with duckdb.connect(str(loads.warehouse), read_only=True) as connection:
        counts = {d: (t, k) for d, t, k in connection.execute(
            "select document_id, count(*), count(metric_key) from marts.fct_narrative_figures group by all").fetchall()}
        unkeyed = connection.execute(
            "select count(*) from marts.fct_narrative_figures where metric_key is null").fetchone()[0]
    for document in summary["documents"]:
        stated = document["narrative_figures"]
        if document["document_id"] not in counts:
            assert stated is None
            continue
        total, keyed = counts[document["document_id"]]
        assert (stated["total"], stated["keyed"]) == (total, keyed)
        assert stated["keyed_share"] == pytest.approx(keyed / total, abs=0.00005)
    assert summary["unkeyed_narrative_figures_total"] == unkeyed
    assert len(summary["unkeyed_narrative_figures"]) == min(unkeyed, 1000)
    assert all(f["sentence"] for f in summary["unkeyed_narrative_figures"])


def test_page_shows_keyed_share_and_unkeyed_figures_with_their_sentence() -> None:
    summary = {
        "load": {"load_id": "L1", "exit_code": 0, "source_kind": "documents"},
        "documents": [{"document_id": "d1", "source_file": "a.txt", "source_sha256": "0" * 64,
                       "document_kind": "final_accounts", "department_name": "部门", "fiscal_year": 2023,
                       "change_since_previous": None, "headline": None, "spend_by_class": [], "three_public": [],
                       "narrative_figures": {"total": 8, "keyed": 6, "keyed_share": 0.75},
                       "checks": {"pass": 0, "rounding": 0, "fail": 0, "fail_error": 0, "total": 0}}],
        "raw_row_counts": {}, "failing_checks": [], "recent_loads": [],
        "unkeyed_narrative_figures": [{"source_file": "a.txt", "department_name": "部门", "fiscal_year": 2023,
                                       "source_line": 12, "section": "一、收入", "value": "2", "unit": "名",
                                       "sentence": "新增退休人员2名<b>"}],
        "unkeyed_narrative_figures_total": 2,
        "checks": {"total": 0, "by_status": {"pass": 0, "rounding": 0, "fail": 0}, "fail_error": 0,
                   "by_family": {}, "by_document_family": []},
        "status_changes": {"previous_load_id": None, "changes": []},
    }
    page = render_html(summary)
    assert "6/8 (75%)" in page
    assert 'id="unkeyed-figures"' in page and "新增退休人员2名&lt;b&gt;" in page and "2; the first 1" in page
