-- Score arithmetic of each self-evaluation table: Σ indicator 分值 = 90 (or the printed
-- 小计), Σ indicator 得分 = the printed 小计, budget score + Σ indicator 得分 = 总分; and
-- every printed grade (table, summary row, report prose) against the band of the score
-- printed beside it.
with tables as (
    select * from {{ ref('int_perf_self_evaluations') }}
),

statements as (
    select * from {{ ref('int_perf_statements') }}
),

weights_total as (
    select
        'perf_indicator_weights_total' as rule_id,
        document_id,
        source_table || ':' || source_line as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        cast(null as varchar) as measure,
        coalesce(project_name, '') || ' Σ indicator 分值 (' || indicator_count || ' rows)' as lhs_label,
        indicator_weight_total as lhs_value,
        case
            when indicator_weight_subtotal_printed is not null then '小计 分值 as printed'
            else '90 (100 less the budget item''s 10; no 小计 printed)'
        end as rhs_label,
        coalesce(indicator_weight_subtotal_printed, 90) as rhs_value,
        indicator_source_lines as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from tables
    where indicator_weight_total is not null
),

scores_subtotal as (
    select
        'perf_indicator_scores_subtotal' as rule_id,
        document_id,
        source_table || ':' || source_line as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        cast(null as varchar) as measure,
        coalesce(project_name, '') || ' Σ indicator 得分' as lhs_label,
        indicator_score_total as lhs_value,
        '小计 得分 as printed' as rhs_label,
        indicator_score_subtotal_printed as rhs_value,
        indicator_source_lines as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from tables
    where indicator_score_subtotal_printed is not null
),

total_score as (
    select
        'perf_total_score' as rule_id,
        document_id,
        source_table || ':' || source_line as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        cast(null as varchar) as measure,
        coalesce(project_name, '') || ' 总分 as printed' as lhs_label,
        total_score_printed as lhs_value,
        '预算执行 得分 ' || {{ number_text('budget_score_printed') }} || ' + Σ indicator 得分 '
        || {{ number_text('indicator_score_total') }} as rhs_label,
        total_score_computed as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) || ',' || indicator_source_lines as rhs_source_lines
    from tables
    where total_score_printed is not null and total_score_computed is not null
),

graded as (
    select
        document_id,
        source_table || ':' || source_line as scope,
        coalesce(project_name, '') as project_name,
        grade_printed as grade,
        total_score_printed as score,
        source_table,
        source_line
    from tables
    where grade_printed is not null and total_score_printed is not null
    union all
    select
        document_id,
        source_table || ':' || source_line as scope,
        coalesce(project_name, '') as project_name,
        grade,
        total_score as score,
        source_table,
        source_line
    from statements
    where grade is not null and total_score is not null
),

grade_band as (
    select
        'perf_grade_band' as rule_id,
        document_id,
        scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        cast(null as varchar) as measure,
        project_name || ' grade as printed: ' || grade as lhs_label,
        {{ grade_rank('grade') }} as lhs_value,
        'band of the score ' || {{ number_text('score') }} || ': ' || {{ grade_for_score('score') }} as rhs_label,
        {{ grade_rank(grade_for_score('score')) }} as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from graded
)

select * from weights_total
union all
select * from scores_subtotal
union all
select * from total_score
union all
select * from grade_band
