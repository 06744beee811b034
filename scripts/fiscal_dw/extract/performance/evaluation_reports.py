"""Performance-evaluation reports (绩效评价报告 / 绩效评估报告) inside a document.

Two raw tables (see docs/raw_tables_performance.md):

- ``raw_evaluation_reports``: one row per report: title, project, evaluator, budget, the
  stated overall score and grade;
- ``raw_evaluation_scores``: the report's first-level score breakdown (决策 / 过程 / 产出 /
  效益, 项目决策 / 项目管理 / 项目绩效, 财政资源配置 / 预算管理 / …), from a score table
  when one is printed, otherwise from the prose.

Everything is found by structure; line numbers, section numbering and names are never
used (numbering restarts, repeats and continues across reports in real documents).

The reports are found by ``evaluation_report_locating``, their fields read by
``evaluation_report_fields`` and their score breakdown by ``evaluation_report_scores``.
"""
from __future__ import annotations

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.performance.evaluation_report_fields import (
    ScoreStatement,
    evaluator_of,
    project_name_of,
    score_statement,
    stated_budget,
)
from fiscal_dw.extract.performance.evaluation_report_locating import locate_reports
from fiscal_dw.extract.performance.evaluation_report_scores import score_breakdown
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.schemas import RAW_TABLES

REPORTS = "raw_evaluation_reports"
SCORES = "raw_evaluation_scores"
COLUMNS = {name: RAW_TABLES[name] for name in (REPORTS, SCORES)}


def extract_evaluation_reports(document: SourceDocument) -> Extracted:
    result = Extracted(rows={REPORTS: [], SCORES: []})
    for report in locate_reports(document):
        source_table = f"评价报告R{report.seq}得分表"
        dimensions, table_total = score_breakdown(report, source_table, result.rejects)
        statement = score_statement(report)
        if statement is None and table_total is not None:
            statement = ScoreStatement(table_total[1], table_total[0])
        result.add(REPORTS, {
            "document_id": document.document_id,
            "source_line": str(report.title_line),
            "report_seq": str(report.seq),
            "title": report.title,
            "project_name": project_name_of(report),
            "evaluator": evaluator_of(report),
            "budget_text": stated_budget(report),
            "total_score": statement.score if statement else "",
            "total_score_line": str(statement.score_line) if statement else "",
            "grade": statement.grade if statement else "",
            "grade_line": str(statement.grade_line) if statement and statement.grade else "",
        })
        for dimension_seq, dimension in enumerate(dimensions, start=1):
            result.add(SCORES, {
                "document_id": document.document_id,
                "source_line": str(dimension.line_no),
                "report_seq": str(report.seq),
                "dimension_seq": str(dimension_seq),
                "dimension": dimension.name,
                "max_score": dimension.max_score,
                "score": dimension.score,
                "presentation": dimension.presentation,
            })
    return result
