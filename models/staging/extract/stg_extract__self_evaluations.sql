-- Project self-evaluation tables (项目支出绩效自评表) and Jincheng self-evaluation reports,
-- one row per printed table. Amounts become decimal(18,6) 万元 whatever unit they were
-- printed in (元 / 10000 is exact at 6 decimals); a cell printed as '-' or not printed is
-- null. The execution rate is kept as printed, as a ratio and with its printed precision.
with source as (
    select * from {{ raw_table('raw_self_evaluations') }}
),

parsed as (
    select
        document_id,
        source_table,
        cast(source_line as integer) as source_line,
        cast(project_seq as integer) as project_seq,
        {{ normalise_name('project_name') }} as project_name,
        {{ normalise_name('supervising_department') }} as supervising_department,
        {{ normalise_name('implementing_unit') }} as implementing_unit,
        amount_unit,
        {{ amount_wan('total_initial', 'amount_unit') }} as initial_budget_wan,
        {{ amount_wan('total_adjusted', 'amount_unit') }} as adjusted_budget_wan,
        {{ amount_wan('total_executed', 'amount_unit') }} as executed_wan,
        {{ amount_wan('current_year_initial', 'amount_unit') }} as current_year_initial_wan,
        {{ amount_wan('current_year_adjusted', 'amount_unit') }} as current_year_adjusted_wan,
        {{ amount_wan('current_year_executed', 'amount_unit') }} as current_year_executed_wan,
        {{ amount_wan('carryover_initial', 'amount_unit') }} as carryover_initial_wan,
        {{ amount_wan('carryover_adjusted', 'amount_unit') }} as carryover_adjusted_wan,
        {{ amount_wan('carryover_executed', 'amount_unit') }} as carryover_executed_wan,
        {{ amount_wan('other_initial', 'amount_unit') }} as other_initial_wan,
        {{ amount_wan('other_adjusted', 'amount_unit') }} as other_adjusted_wan,
        {{ amount_wan('other_executed', 'amount_unit') }} as other_executed_wan,
        {{ parse_points('budget_weight') }} as budget_weight,
        nullif(trim(execution_rate), '') as execution_rate_printed,
        {{ rate_ratio('execution_rate') }} as execution_rate_ratio,
        {{ rate_decimals('execution_rate') }} as execution_rate_decimals,
        {{ parse_points('budget_score') }} as budget_score_printed,
        {{ parse_points('indicator_weight_subtotal') }} as indicator_weight_subtotal_printed,
        {{ parse_points('indicator_score_subtotal') }} as indicator_score_subtotal_printed,
        {{ parse_points('total_score') }} as total_score_printed,
        nullif(trim(grade), '') as grade_text,
        {{ normalise_grade('grade') }} as grade_printed,
        nullif(trim(stated_execution_rate), '') as stated_execution_rate_printed,
        {{ rate_ratio('stated_execution_rate') }} as stated_execution_rate_ratio,
        {{ rate_decimals('stated_execution_rate') }} as stated_execution_rate_decimals,
        {{ parse_points('stated_indicator_score') }} as stated_indicator_score,
        {{ parse_points('stated_total_score') }} as stated_total_score,
        {{ normalise_grade('stated_grade') }} as stated_grade,
        try_cast(stated_source_line as integer) as stated_source_line,
        -- printed text kept for the amount_is_parsed tests
        total_initial as initial_budget_printed,
        total_adjusted as adjusted_budget_printed,
        total_executed as executed_printed
    from source
)

select * from parsed
