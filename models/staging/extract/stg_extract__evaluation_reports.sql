-- Performance-evaluation reports (绩效评价报告 / 绩效评估报告), one row per report. The
-- stated budget ("6770 万元", "25,001.358 万元") becomes decimal(18,6) 万元.
with source as (
    select * from {{ raw_table('raw_evaluation_reports') }}
),

parsed as (
    select
        *,
        regexp_extract({{ strip_amount_text('budget_text') }}, '^(\d+(?:\.\d+)?)(亿元|万元|元)$', 1) as budget_number,
        regexp_extract({{ strip_amount_text('budget_text') }}, '^(\d+(?:\.\d+)?)(亿元|万元|元)$', 2) as budget_unit
    from source
)

select
    document_id,
    cast(source_line as integer) as source_line,
    cast(report_seq as integer) as report_seq,
    nullif(trim(title), '') as title,
    nullif(trim(project_name), '') as project_name,
    nullif(trim(evaluator), '') as evaluator,
    nullif(trim(budget_text), '') as budget_text,
    cast(
        case budget_unit
            when '万元' then try_cast(budget_number as decimal(18, 6))
            when '元' then try_cast(budget_number as decimal(18, 6)) * cast(0.0001 as decimal(5, 4))
            when '亿元' then try_cast(budget_number as decimal(18, 6)) * 10000
        end as decimal(18, 6)
    ) as budget_wan,
    {{ parse_points('total_score') }} as total_score,
    try_cast(total_score_line as integer) as total_score_line,
    nullif(trim(grade), '') as grade_text,
    {{ normalise_grade('grade') }} as grade,
    try_cast(grade_line as integer) as grade_line,
    total_score as total_score_printed
from parsed
