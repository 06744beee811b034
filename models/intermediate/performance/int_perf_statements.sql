-- What other parts of a document say about a project's self-evaluation, one row per
-- statement: a summary-table row (自评情况汇总表 …; statement_kind summary) or the prose of
-- a self-evaluation report (Jincheng: stated rate, 指标完成情况得分, 总得分, grade;
-- statement_kind prose, which belongs to the table of its own report).
with summaries as (
    select * from {{ ref('stg_extract__self_evaluation_summaries') }}
),

tables as (
    select * from {{ ref('stg_extract__self_evaluations') }}
),

summary_statements as (
    select
        document_id,
        'summary' as statement_kind,
        source_table,
        source_line,
        row_seq,
        project_name,
        initial_budget_wan,
        adjusted_budget_wan,
        executed_wan,
        execution_rate_printed,
        execution_rate_ratio,
        execution_rate_decimals,
        cast(null as decimal(18, 6)) as indicator_score,
        score as total_score,
        grade,
        cast(null as varchar) as own_source_table,
        cast(null as integer) as own_project_seq
    from summaries
),

prose_statements as (
    select
        document_id,
        'prose' as statement_kind,
        source_table || '（文字）' as source_table,
        coalesce(stated_source_line, source_line) as source_line,
        project_seq as row_seq,
        project_name,
        cast(null as decimal(18, 6)) as initial_budget_wan,
        cast(null as decimal(18, 6)) as adjusted_budget_wan,
        cast(null as decimal(18, 6)) as executed_wan,
        stated_execution_rate_printed as execution_rate_printed,
        stated_execution_rate_ratio as execution_rate_ratio,
        stated_execution_rate_decimals as execution_rate_decimals,
        stated_indicator_score as indicator_score,
        stated_total_score as total_score,
        stated_grade as grade,
        source_table as own_source_table,
        project_seq as own_project_seq
    from tables
    where
        stated_execution_rate_printed is not null
        or stated_indicator_score is not null
        or stated_total_score is not null
        or stated_grade is not null
),

unioned as (
    select * from summary_statements
    union all
    select * from prose_statements
)

select
    {{ surrogate_key(['document_id', 'statement_kind', 'source_table', 'row_seq']) }} as statement_id,
    *
from unioned
