-- Evaluation reports: the first-level breakdown adds up to the stated total (a table's
-- 得分 column; a prose breakdown's one figure per dimension, "（一）项目成本 23 分，具体得分
-- 情况如下"), a score table's 分值 add up to 100, and the grade follows the score bands.
-- A report whose breakdown misses a figure, or that states no total, is not checked.
with reports as (
    select * from {{ ref('stg_extract__evaluation_reports') }}
),

dimensions as (
    select * from {{ ref('int_evaluation_scores_classified') }}
),

breakdowns as (
    select
        document_id,
        report_seq,
        presentation,
        count(*) as dimension_count,
        {{ strict_sum('breakdown_points') }} as points_total,
        {{ strict_sum('max_score') }} as max_total,
        {{ source_lines('source_line') }} as dimension_lines
    from dimensions
    group by document_id, report_seq, presentation
),

breakdown_total as (
    select
        case breakdowns.presentation
            when 'table' then 'eval_breakdown_table_total' else 'eval_breakdown_prose_total'
        end as rule_id,
        reports.document_id,
        '评价报告' || reports.report_seq || ':' || breakdowns.presentation as scope,
        '{{ this.name }}' as evaluated_by,
        '评价报告' as source_table,
        reports.source_line,
        breakdowns.presentation as measure,
        coalesce(reports.project_name, reports.title, '') || ' total score as stated' as lhs_label,
        reports.total_score as lhs_value,
        'Σ ' || breakdowns.dimension_count || ' first-level dimensions (' || breakdowns.presentation || ')'
            as rhs_label,
        breakdowns.points_total as rhs_value,
        cast(reports.total_score_line as varchar) as lhs_source_lines,
        breakdowns.dimension_lines as rhs_source_lines
    from reports
    inner join breakdowns
        on
            reports.document_id = breakdowns.document_id
            and reports.report_seq = breakdowns.report_seq
    where reports.total_score is not null and breakdowns.points_total is not null
),

max_total as (
    select
        'eval_breakdown_max_total' as rule_id,
        reports.document_id,
        '评价报告' || reports.report_seq || ':' || breakdowns.presentation || ':max' as scope,
        '{{ this.name }}' as evaluated_by,
        '评价报告' as source_table,
        reports.source_line,
        breakdowns.presentation as measure,
        coalesce(reports.project_name, reports.title, '') || ' Σ first-level 分值' as lhs_label,
        breakdowns.max_total as lhs_value,
        '100' as rhs_label,
        100 as rhs_value,
        breakdowns.dimension_lines as lhs_source_lines,
        breakdowns.dimension_lines as rhs_source_lines
    from reports
    inner join breakdowns
        on
            reports.document_id = breakdowns.document_id
            and reports.report_seq = breakdowns.report_seq
    where breakdowns.presentation = 'table' and breakdowns.max_total is not null
),

grade_band as (
    select
        'eval_grade_band' as rule_id,
        document_id,
        '评价报告' || report_seq || ':grade' as scope,
        '{{ this.name }}' as evaluated_by,
        '评价报告' as source_table,
        source_line,
        'grade' as measure,
        coalesce(project_name, title, '') || ' grade as printed: ' || grade_text as lhs_label,
        {{ grade_rank('grade') }} as lhs_value,
        'band of the total ' || {{ number_text('total_score') }} || ': ' || {{ grade_for_score('total_score') }}
            as rhs_label,
        {{ grade_rank(grade_for_score('total_score')) }} as rhs_value,
        cast(grade_line as varchar) as lhs_source_lines,
        cast(total_score_line as varchar) as rhs_source_lines
    from reports
    where grade_text is not null and total_score is not null
)

select * from breakdown_total
union all
select * from max_total
union all
select * from grade_band
