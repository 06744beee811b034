-- One row per printed self-evaluation table with what its parts add up to and the
-- recomputed execution rate and budget score. A table whose name, amounts, rate, scores
-- and indicators all equal an earlier table's is a reprint: copy_seq 2, 3 … (the Jinan
-- annex prints one table twice).
with tables as (
    select * from {{ ref('stg_extract__self_evaluations') }}
),

indicators as (
    select
        document_id,
        source_table,
        project_seq,
        indicator_seq,
        source_line,
        weight,
        score_printed,
        -- content of the row, for recognising a reprinted table
        concat_ws(
            '|', indicator_name, coalesce(adjusted_target_text, target_text), actual_text, weight, score_printed
        ) as row_content
    from {{ ref('int_perf_indicators_scored') }}
),

indicator_totals as (
    select
        document_id,
        source_table,
        project_seq,
        count(*) as indicator_count,
        sum(weight) as indicator_weight_total,
        sum(score_printed) as indicator_score_total,
        md5(string_agg(row_content, '§' order by indicator_seq)) as indicator_fingerprint,
        {{ source_lines('source_line') }} as indicator_source_lines
    from indicators
    group by document_id, source_table, project_seq
),

combined as (
    select
        tables.*,
        coalesce(indicator_totals.indicator_count, 0) as indicator_count,
        indicator_totals.indicator_weight_total,
        indicator_totals.indicator_score_total,
        indicator_totals.indicator_source_lines,
        -- the budget item's 分值: printed, else what the indicators leave of 100
        coalesce(tables.budget_weight, 100 - indicator_totals.indicator_weight_total) as budget_weight_used,
        {{ surrogate_key([
            'tables.project_name', 'tables.implementing_unit', 'tables.initial_budget_wan',
            'tables.adjusted_budget_wan', 'tables.executed_wan', 'tables.execution_rate_printed',
            'tables.budget_score_printed', 'tables.total_score_printed', 'indicator_totals.indicator_fingerprint',
        ]) }} as content_key
    from tables
    left join indicator_totals
        on
            tables.document_id = indicator_totals.document_id
            and tables.source_table = indicator_totals.source_table
            and tables.project_seq = indicator_totals.project_seq
),

computed as (
    select
        *,
        {{ exact_ratio('executed_wan', 'adjusted_budget_wan', 6) }} as execution_rate_computed,
        {{ exact_ratio('executed_wan', 'adjusted_budget_wan', 'execution_rate_decimals') }}
            as execution_rate_at_printed_precision,
        -- least() skips nulls: an undefined ratio (A = 0) must stay null, not become 分值
        cast(case when adjusted_budget_wan <> 0 then least(
            {{ exact_ratio('cast(executed_wan as decimal(38, 6)) * budget_weight_used', 'adjusted_budget_wan', 2) }},
            budget_weight_used
        ) end as decimal(18, 2)) as budget_score_computed,
        budget_score_printed + indicator_score_total as total_score_computed,
        row_number() over (
            partition by document_id, content_key order by project_seq
        ) as copy_seq,
        first_value(project_seq) over (
            partition by document_id, content_key order by project_seq
        ) as first_copy_project_seq
    from combined
),

graded as (
    select
        *,
        {{ grade_for_score('coalesce(total_score_printed, stated_total_score, total_score_computed)') }}
            as grade_computed
    from computed
)

select
    document_id,
    source_table,
    source_line,
    project_seq,
    project_name,
    supervising_department,
    implementing_unit,
    amount_unit,
    initial_budget_wan,
    adjusted_budget_wan,
    executed_wan,
    current_year_initial_wan,
    current_year_adjusted_wan,
    current_year_executed_wan,
    carryover_initial_wan,
    carryover_adjusted_wan,
    carryover_executed_wan,
    other_initial_wan,
    other_adjusted_wan,
    other_executed_wan,
    budget_weight,
    budget_weight_used,
    execution_rate_printed,
    execution_rate_ratio,
    execution_rate_decimals,
    execution_rate_computed,
    execution_rate_at_printed_precision,
    budget_score_printed,
    budget_score_computed,
    indicator_count,
    indicator_weight_total,
    indicator_score_total,
    indicator_source_lines,
    indicator_weight_subtotal_printed,
    indicator_score_subtotal_printed,
    total_score_printed,
    total_score_computed,
    grade_text,
    grade_printed,
    grade_computed,
    stated_execution_rate_printed,
    stated_execution_rate_ratio,
    stated_execution_rate_decimals,
    stated_indicator_score,
    stated_total_score,
    stated_grade,
    stated_source_line,
    content_key,
    copy_seq,
    first_copy_project_seq
from graded
