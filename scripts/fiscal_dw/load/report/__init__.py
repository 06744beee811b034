"""The load report (the data-quality report of one load, not a 绩效评价报告): ``summary.json`` for machines and ``index.html`` for a budget analyst.

``collect_summary`` reads the freshly built warehouse (marts and the load history marts)
once; ``render_html`` turns that summary into one self-contained page: inline CSS and
inline SVG charts drawn here, no script and nothing fetched from the network, so the page
works offline and from a file:// URL. Labels are Chinese with the English column names
beside them where a reader will look them up in the marts.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fiscal_dw.load.report.html import render_html
from fiscal_dw.load.report.summary import plain

SUMMARY_FILE = "summary.json"
INDEX_FILE = "index.html"


def write_report(report_dir: Path, summary: dict[str, Any]) -> tuple[Path, Path]:
    report_dir.mkdir(parents=True, exist_ok=True)
    summary_path = report_dir / SUMMARY_FILE
    summary_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=plain) + "\n",
                            encoding="utf-8")
    index_path = report_dir / INDEX_FILE
    index_path.write_text(render_html(summary), encoding="utf-8")
    return summary_path, index_path


def relative_link(target: Path | None, report_dir: Path) -> str | None:
    if target is None:
        return None
    return os.path.relpath(target, report_dir).replace(os.sep, "/")
