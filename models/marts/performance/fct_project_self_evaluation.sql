-- One row per printed project self-evaluation table (项目支出绩效自评表; a Jincheng
-- 项目支出绩效自评分析报告 counts as one): amounts in 万元, the execution rate and scores
-- as printed beside their recomputation, and the outcome of their checks.
with tables as (
    select * from {{ ref('int_perf_self_evaluations') }}
),

-- the table's checks (classified as in fct_reconciliation_checks), found by the table's
-- first line
classified as (
    {{ classified_checks('(' ~ unioned_checks(['int_recon_perf_budget', 'int_recon_perf_scores']) ~ ')') }}
),

checks as (
    select
        document_id,
        source_table,
        source_line,
        max(status) filter (where rule_id = 'perf_rate_b_over_a') as execution_rate_status,
        max(status) filter (where rule_id = 'perf_budget_score') as budget_score_status,
        max(status) filter (where rule_id = 'perf_total_score') as total_score_status
    from classified
    where rule_id in ('perf_rate_b_over_a', 'perf_budget_score', 'perf_total_score')
    group by document_id, source_table, source_line
)

select
    {{ surrogate_key(['tables.document_id', 'tables.source_table', 'tables.project_seq']) }} as self_evaluation_id,
    tables.document_id,
    tables.source_table,
    tables.source_line,
    tables.project_seq,
    tables.project_name,
    tables.supervising_department,
    tables.implementing_unit,
    tables.amount_unit,
    tables.initial_budget_wan,
    tables.adjusted_budget_wan,
    tables.executed_wan,
    tables.current_year_initial_wan,
    tables.current_year_adjusted_wan,
    tables.current_year_executed_wan,
    tables.carryover_initial_wan,
    tables.carryover_adjusted_wan,
    tables.carryover_executed_wan,
    tables.other_initial_wan,
    tables.other_adjusted_wan,
    tables.other_executed_wan,
    tables.execution_rate_printed as execution_rate_text,
    tables.execution_rate_ratio as execution_rate_printed,
    tables.execution_rate_decimals,
    tables.execution_rate_computed,
    tables.execution_rate_at_printed_precision,
    cast(tables.budget_weight_used as decimal(18, 2)) as budget_weight,
    cast(tables.budget_score_printed as decimal(18, 2)) as budget_score_printed,
    tables.budget_score_computed,
    cast(tables.indicator_count as integer) as indicator_count,
    cast(tables.indicator_weight_total as decimal(18, 2)) as indicator_weight_total,
    cast(tables.indicator_score_total as decimal(18, 2)) as indicator_score_total,
    cast(tables.total_score_printed as decimal(18, 2)) as total_score_printed,
    cast(tables.total_score_computed as decimal(18, 2)) as total_score_computed,
    coalesce(tables.grade_printed, tables.stated_grade) as grade_printed,
    tables.grade_computed,
    tables.stated_execution_rate_ratio as stated_execution_rate,
    cast(tables.stated_indicator_score as decimal(18, 2)) as stated_indicator_score,
    cast(tables.stated_total_score as decimal(18, 2)) as stated_total_score,
    tables.stated_source_line,
    cast(tables.copy_seq as integer) as copy_seq,
    tables.first_copy_project_seq,
    checks.execution_rate_status,
    checks.budget_score_status,
    checks.total_score_status
from tables
left join checks
    on
        tables.document_id = checks.document_id
        and tables.source_table = checks.source_table
        and tables.source_line = checks.source_line
