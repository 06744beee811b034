-- Rows of the self-evaluation summary tables (自评情况汇总表, 市级使用资金… / 对下转移支付…
-- 绩效自评情况汇总表). The summary tables print 万元 (单位：万元) and carry no unit column.
with source as (
    select * from {{ raw_table('raw_self_evaluation_summaries') }}
)

select
    document_id,
    source_table,
    cast(source_line as integer) as source_line,
    cast(row_seq as integer) as row_seq,
    nullif(trim(printed_seq), '') as printed_seq,
    {{ normalise_name('implementing_unit') }} as implementing_unit,
    {{ normalise_name('project_category') }} as project_category,
    {{ normalise_name('fund_name') }} as fund_name,
    {{ normalise_name('project_name') }} as project_name,
    {{ parse_number('initial_budget') }} as initial_budget_wan,
    {{ parse_number('adjusted_budget') }} as adjusted_budget_wan,
    {{ parse_number('executed') }} as executed_wan,
    nullif(trim(execution_rate), '') as execution_rate_printed,
    {{ rate_ratio('execution_rate') }} as execution_rate_ratio,
    {{ rate_decimals('execution_rate') }} as execution_rate_decimals,
    {{ parse_points('score') }} as score,
    {{ normalise_grade('grade') }} as grade,
    nullif(trim(grade), '') as grade_text,
    nullif(trim(findings), '') as findings,
    initial_budget as initial_budget_printed,
    adjusted_budget as adjusted_budget_printed,
    executed as executed_printed
from source
