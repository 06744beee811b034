"""Column lists of every raw table (docs/raw_tables.md, docs/raw_tables_performance.md,
docs/raw_tables_narrative.md)."""
from __future__ import annotations

_PROVENANCE = ("document_id", "source_table", "source_line")
# the nine standard tables' rows: the table kind read from the title (source_table keeps the
# label as printed) and, for PDF input, the page (source_line is then the row on the page)
_STANDARD_TABLE = ("table_kind", "source_page")
# page text whose empty cells are dropped: the printed numbers whose column is not certain
# (their possible columns are in missing_cells), docs/raw_tables.md
_UNPLACED = ("unplaced_values",)
# 基本支出 printed split into 人员经费 / 公用经费 (some templates' 公开03 / 公开05): empty when not printed
_BASIC_SPLIT = ("basic_personnel", "basic_public")
RAW_TABLES: dict[str, tuple[str, ...]] = {
    "raw_documents": (
        "document_id", "document_kind", "department_name", "fiscal_year", "source_file",
        "source_sha256", "line_count", "table_layout"),
    "raw_income_expenditure_summary": (
        *_PROVENANCE, "side", "line_no", "item_name", "amount", "general_budget", "gov_fund",
        "state_capital", "missing_cells", *_STANDARD_TABLE, *_UNPLACED),
    "raw_income_by_function": (
        *_PROVENANCE, "subject_code", "subject_name", "total", "fiscal_appropriation",
        "superior_subsidy", "business_income", "operating_income", "affiliate_remittance",
        "other_income", "missing_cells", *_STANDARD_TABLE, *_UNPLACED),
    "raw_expenditure_by_function": (
        *_PROVENANCE, "subject_code", "subject_name", "total", "basic", "project",
        "remit_to_superior", "operating", "subsidy_to_affiliates", "missing_cells", *_STANDARD_TABLE, *_UNPLACED,
        *_BASIC_SPLIT),
    "raw_government_fund_by_function": (
        *_PROVENANCE, "subject_code", "subject_name", "carryover_begin", "income",
        "expenditure_total", "expenditure_basic", "expenditure_project", "carryover_end",
        "missing_cells", *_STANDARD_TABLE, *_UNPLACED),
    "raw_basic_expenditure_by_economic": (
        *_PROVENANCE, "economic_code", "economic_name", "amount", "missing_cells", *_STANDARD_TABLE, *_UNPLACED),
    "raw_three_public_expenses": (
        *_PROVENANCE, "column_no", "phase", "expense_item", "amount", *_STANDARD_TABLE,
        "missing_cells", *_UNPLACED),
    "raw_self_evaluations": (
        *_PROVENANCE, "project_seq", "project_name", "supervising_department",
        "implementing_unit", "amount_unit",
        "total_initial", "total_adjusted", "total_executed", "budget_weight", "execution_rate",
        "budget_score",
        "current_year_initial", "current_year_adjusted", "current_year_executed",
        "carryover_initial", "carryover_adjusted", "carryover_executed",
        "other_initial", "other_adjusted", "other_executed",
        "indicator_weight_subtotal", "indicator_score_subtotal", "total_score", "grade",
        "stated_execution_rate", "stated_indicator_score", "stated_total_score", "stated_grade",
        "stated_source_line"),
    "raw_performance_indicators": (
        *_PROVENANCE, "project_seq", "indicator_seq", "level1", "level2", "indicator_name",
        "target_text", "adjusted_target_text", "actual_text", "weight", "score",
        "deviation_note"),
    "raw_self_evaluation_summaries": (
        *_PROVENANCE, "row_seq", "printed_seq", "implementing_unit", "project_category",
        "fund_name", "project_name", "initial_budget", "adjusted_budget", "executed",
        "execution_rate", "score", "grade", "findings"),
    "raw_budget_execution_lines": (
        *_PROVENANCE, "row_seq", "printed_seq", "row_kind", "area", "unit_name", "line_name",
        "amount_unit", "initial_budget", "budget", "executed", "execution_rate", "note"),
    "raw_evaluation_reports": (
        "document_id", "source_line", "report_seq", "title", "project_name", "evaluator",
        "budget_text", "total_score", "total_score_line", "grade", "grade_line"),
    "raw_evaluation_scores": (
        "document_id", "source_line", "report_seq", "dimension_seq", "dimension", "max_score",
        "score", "presentation"),
    "raw_narrative_figures": (
        *_PROVENANCE, "figure_seq", "section", "metric_key", "value", "unit", "value_text",
        "sentence", "subject_printed"),
    # statements of the narrative without a figure of their own (docs/raw_tables_narrative.md)
    "raw_narrative_statements": (
        *_PROVENANCE, "statement_seq", "section", "statement_kind", "subject_key", "word", "sentence",
        "budget_figure_seq", "actual_figure_seq", "rate_figure_seq"),
    "raw_extract_rejects": (
        "document_id", "source_file", "source_table", "source_line", "reason", "line_text",
        *_STANDARD_TABLE),
    # the nine standard tables of each final account: extracted / declared_empty / unrecognised / missing
    "raw_table_inventory": (
        "document_id", "table_kind", "status", "source_table", "title", "source_page", "source_line",
        "row_count", "note"),
}

# The amount columns of the nine standard tables' raw tables, in printed order: what a
# reader may place a printed number in.
AMOUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "raw_income_by_function": ("total", "fiscal_appropriation", "superior_subsidy", "business_income",
                               "operating_income", "affiliate_remittance", "other_income"),
    "raw_expenditure_by_function": ("total", "basic", *_BASIC_SPLIT, "project", "remit_to_superior", "operating",
                                    "subsidy_to_affiliates"),
    "raw_government_fund_by_function": ("carryover_begin", "income", "expenditure_total",
                                        "expenditure_basic", "expenditure_project", "carryover_end"),
    "raw_income_expenditure_summary": ("amount", "general_budget", "gov_fund", "state_capital"),
    "raw_basic_expenditure_by_economic": ("amount",),
    "raw_three_public_expenses": ("amount",),
}
