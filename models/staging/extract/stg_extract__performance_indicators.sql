-- Indicator rows of the self-evaluation tables, with target and actual read into
-- operator, number and unit. The target is the adjusted one when printed (Jincheng's
-- 调整后指标 carries the operator and unit; its 年初指标 is a bare number).
-- actual_value is expressed in the target's unit: "1" against a "≥95%" target is 100
-- (a ratio printed for a percentage), "1.4亿人次" against "≥100万人" is 14000 (万), and
-- "100%" against a bare "1" target is 1. Scoring is in int_perf_indicators_scored.
with source as (
    select * from {{ raw_table('raw_performance_indicators') }}
),

texts as (
    select
        *,
        coalesce(nullif(trim(adjusted_target_text), ''), target_text) as effective_target_text
    from source
),

-- LaTeX and word comparators -> one glyph each; all whitespace removed
normalised as (
    select
        *,
        {{ normalise_indicator_value('effective_target_text') }} as target_clean,
        {{ normalise_indicator_value('actual_text') }} as actual_clean
    from texts
),

split as (
    select
        *,
        -- a printed date (2023年12月20日, 2022年12月底前) is a deadline, not a quantity
        regexp_matches(target_clean, '\d{4}年') as target_is_date,
        regexp_matches(actual_clean, '\d{4}年') as actual_is_date,
        nullif(regexp_extract(target_clean, '{{ indicator_value_pattern() }}', 1), '') as target_operator_raw,
        try_cast(nullif(regexp_extract(target_clean, '{{ indicator_value_pattern() }}', 2), '') as decimal(18, 6))
            as target_number,
        regexp_extract(target_clean, '{{ indicator_value_pattern() }}', 3) as target_unit_raw,
        nullif(regexp_extract(actual_clean, '{{ indicator_value_pattern() }}', 1), '') as actual_operator_raw,
        try_cast(nullif(regexp_extract(actual_clean, '{{ indicator_value_pattern() }}', 2), '') as decimal(18, 6))
            as actual_number,
        regexp_extract(actual_clean, '{{ indicator_value_pattern() }}', 3) as actual_unit_raw
    from normalised
),

-- a number followed by a short unit is a quantity; a number starting a sentence is not
quantities as (
    select
        *,
        target_number is not null and not target_is_date
        and {{ is_unit('target_unit_raw') }} as target_is_numeric,
        actual_number is not null and not actual_is_date
        and {{ is_unit('actual_unit_raw') }} as actual_is_numeric
    from split
),

-- scale factor that expresses the actual in the target's unit
scaled as (
    select
        *,
        case
            when not (target_is_numeric and actual_is_numeric) then null
            when target_unit_raw = actual_unit_raw and target_unit_raw in ('%', '') then 1
            when target_unit_raw = '%' and actual_unit_raw = '' and actual_number <= 1 then 100
            when target_unit_raw = '%' and actual_unit_raw = '' then 1
            when target_unit_raw = '' and actual_unit_raw = '%' and target_number <= 1 then 0.01
            when target_unit_raw = '' or actual_unit_raw = '' then 1
            else {{ unit_magnitude_factor('actual_unit_raw', 'target_unit_raw') }}
        end as actual_scale
    from quantities
)

select
    document_id,
    source_table,
    cast(source_line as integer) as source_line,
    cast(project_seq as integer) as project_seq,
    cast(indicator_seq as integer) as indicator_seq,
    {{ normalise_name('level1') }} as level1,
    {{ normalise_name('level2') }} as level2,
    {{ normalise_name('indicator_name') }} as indicator_name,
    nullif(trim(target_text), '') as target_text,
    nullif(trim(adjusted_target_text), '') as adjusted_target_text,
    case when target_is_numeric then coalesce(target_operator_raw, '=') end as target_operator,
    case when target_is_numeric then target_number end as target_value,
    case when target_is_numeric then nullif(target_unit_raw, '') end as target_unit,
    nullif(trim(actual_text), '') as actual_text,
    case when actual_is_numeric then actual_operator_raw end as actual_operator,
    cast(case when actual_is_numeric then cast(actual_number as decimal(38, 6)) * actual_scale end as decimal(18, 6))
        as actual_value,
    case when actual_is_numeric then nullif(actual_unit_raw, '') end as actual_unit,
    case
        when not target_is_numeric then 'qualitative'
        when coalesce(target_operator_raw, '=') in ('≤', '<') then 'negative'
        else 'positive'
    end as direction,
    {{ parse_points('weight') }} as weight,
    {{ parse_points('score') }} as score_printed,
    nullif(trim(deviation_note), '') as deviation_note,
    weight as weight_printed,
    score as score_text
from scaled
