-- One row per performance-evaluation report: stated budget, total score and grade, the
-- grade the score bands give, and what its first-level breakdown adds up to.
with reports as (
    select * from {{ ref('stg_extract__evaluation_reports') }}
),

dimensions as (
    select
        document_id,
        report_seq,
        count(*) as dimension_count,
        string_agg(distinct presentation, ',') as dimension_presentation,
        {{ strict_sum('breakdown_points') }} as dimension_points_total,
        {{ strict_sum('max_score') }} as dimension_max_total
    from {{ ref('int_evaluation_scores_classified') }}
    group by document_id, report_seq
),

-- the report's breakdown check (classified as in fct_reconciliation_checks), found by the
-- report's line and the presentation of its breakdown (measure)
classified as (
    {{ classified_checks('(' ~ unioned_checks(['int_recon_evaluation_reports']) ~ ')') }}
),

checks as (
    select
        document_id,
        source_line,
        measure,
        status
    from classified
    where rule_id in ('eval_breakdown_table_total', 'eval_breakdown_prose_total')
)

select
    {{ surrogate_key(['reports.document_id', 'reports.report_seq']) }} as evaluation_report_id,
    reports.document_id,
    reports.report_seq,
    reports.source_line,
    reports.title,
    reports.project_name,
    reports.evaluator,
    reports.budget_text,
    reports.budget_wan,
    cast(reports.total_score as decimal(18, 2)) as total_score,
    reports.total_score_line,
    reports.grade_text as grade_printed,
    reports.grade,
    {{ grade_for_score('reports.total_score') }} as grade_computed,
    reports.grade_line,
    cast(coalesce(dimensions.dimension_count, 0) as integer) as dimension_count,
    dimensions.dimension_presentation,
    cast(dimensions.dimension_points_total as decimal(18, 2)) as dimension_points_total,
    cast(dimensions.dimension_max_total as decimal(18, 2)) as dimension_max_total,
    checks.status as breakdown_status
from reports
left join dimensions
    on
        reports.document_id = dimensions.document_id
        and reports.report_seq = dimensions.report_seq
left join checks
    on
        reports.document_id = checks.document_id
        and reports.source_line = checks.source_line
        and dimensions.dimension_presentation = checks.measure
