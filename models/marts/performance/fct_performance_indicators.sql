-- One row per printed performance indicator: target and actual read into operator,
-- value and unit, the printed score beside the one the scoring rule gives, and how the
-- rule check came out (null when the score could not be computed: see score_basis).
with indicators as (
    select * from {{ ref('int_perf_indicators_scored') }}
),

-- the indicator's score check (classified as in fct_reconciliation_checks), found by the
-- indicator's line
classified as (
    {{ classified_checks('(' ~ unioned_checks(['int_recon_perf_indicators']) ~ ')') }}
),

checks as (
    select
        document_id,
        source_table,
        source_line,
        status
    from classified
    where rule_id = 'perf_indicator_score_rule'
)

select
    {{ surrogate_key([
        'indicators.document_id', 'indicators.source_table', 'indicators.project_seq', 'indicators.indicator_seq',
    ]) }} as indicator_id,
    indicators.document_id,
    indicators.source_table,
    indicators.source_line,
    indicators.project_seq,
    indicators.indicator_seq,
    indicators.level1,
    indicators.level2,
    indicators.indicator_name,
    indicators.target_text,
    indicators.adjusted_target_text,
    indicators.target_operator,
    indicators.target_value,
    indicators.target_unit,
    indicators.actual_text,
    indicators.actual_operator,
    indicators.actual_value,
    indicators.actual_unit,
    indicators.direction,
    cast(indicators.weight as decimal(18, 2)) as weight,
    cast(indicators.score_printed as decimal(18, 2)) as score_printed,
    indicators.score_computed,
    indicators.score_basis,
    cast(indicators.score_printed - indicators.score_computed as decimal(18, 2)) as score_difference,
    checks.status as score_status,
    indicators.deviation_note
from indicators
left join checks
    on
        indicators.document_id = checks.document_id
        and indicators.source_table = checks.source_table
        and indicators.source_line = checks.source_line
