-- Indicator rows with their score recomputed by the printed rule (Qingdao 注3, domain
-- notes): 正向 (≥, >, = or a bare target) B/A × 分值, 反向 (≤, <) A/B × 分值, never above
-- 分值, half-up to 2 decimals, A = target and B = actual in the target's unit.
-- score_basis says how the score was computed, or why it could not be:
-- qualitative (target is a word or a date), actual_not_numeric, zero_denominator
-- (A/B or B/A with a 0 below the line is undefined: not computable, never invented),
-- not_scored (no 分值 / 得分 printed, e.g. an indicator list without scores).
with indicators as (
    select * from {{ ref('stg_extract__performance_indicators') }}
),

classified as (
    select
        *,
        case
            when weight is null or score_printed is null then 'not_scored'
            when direction = 'qualitative' then 'qualitative'
            when actual_value is null then 'actual_not_numeric'
            when direction = 'positive' and target_value = 0 then 'zero_denominator'
            when direction = 'negative' and actual_value = 0 then 'zero_denominator'
            when direction = 'positive' then 'positive_ratio'
            else 'negative_ratio'
        end as score_basis
    from indicators
)

select
    document_id,
    source_table,
    source_line,
    project_seq,
    indicator_seq,
    level1,
    level2,
    indicator_name,
    target_text,
    adjusted_target_text,
    target_operator,
    target_value,
    target_unit,
    actual_text,
    actual_operator,
    actual_value,
    actual_unit,
    direction,
    weight,
    score_printed,
    deviation_note,
    score_basis,
    cast(
        case score_basis
            -- the basis guarantees a non-zero denominator (least() would skip a null ratio)
            when 'positive_ratio'
                then least(
                    {{ exact_ratio('cast(actual_value as decimal(38, 6)) * weight', 'target_value', 2) }}, weight
                )
            when 'negative_ratio'
                then least(
                    {{ exact_ratio('cast(target_value as decimal(38, 6)) * weight', 'actual_value', 2) }}, weight
                )
        end as decimal(18, 2)
    ) as score_computed
from classified
