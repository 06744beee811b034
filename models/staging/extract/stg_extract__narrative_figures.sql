-- Figures stated in the narrative (第三部分 情况说明), one row per printed number
-- (docs/raw_tables_narrative.md). The value keeps every printed digit (decimal(18,6): the
-- narrative prints at most 3 decimals, "126.153万元"), its printed precision, and its
-- reading in the rules' units: 万元 for money (元 / 10000 and 亿元 × 10000 are exact at 6
-- decimals), a ratio for a percentage (99.21% -> 0.9921, precision 4). The metric_key is
-- split into family . subject . measure, with the functional code of 类 / 项 keys and
-- the printed ordinal of a project's figures.
with source as (
    select * from {{ raw_table('raw_narrative_figures') }}
),

parsed as (
    select
        document_id,
        source_table,
        cast(source_line as integer) as source_line,
        cast(figure_seq as integer) as figure_seq,
        section,
        nullif(trim(metric_key), '') as metric_key,
        -- `value` is the documented column name of the raw table and the mart
        try_cast(value as decimal(18, 6)) as value,  -- noqa: RF04
        cast(length(regexp_extract(value, '\.(\d+)$', 1)) as integer) as value_decimals,
        nullif(trim(unit), '') as unit,
        value_text,
        sentence,
        -- the 类/款/项 path as printed where one keyed the figure: rule narr_function_names_match
        nullif(subject_printed, '') as subject_printed,
        value as value_printed
    from source
),

keyed as (
    select
        *,
        split_part(metric_key, '.', 1) as metric_family,
        -- what lies between the family and the measure ('class.201', 'project.3', 'total');
        -- null for two-part keys ('operating_cost.amount', 'procurement.total')
        nullif(regexp_extract(metric_key, '^[^.]+\.(.+)\.[^.]+$', 1), '') as metric_subject,
        regexp_extract(metric_key, '[^.]+$') as metric_measure,
        nullif(regexp_extract(metric_key, '^(?:general_budget\.class|function)\.(\d{3,7})\.', 1), '')
            as subject_code,
        try_cast(regexp_extract(metric_key, '^performance\.project\.(\d+)\.', 1) as integer) as project_no
    from parsed
)

select
    document_id,
    source_table,
    source_line,
    figure_seq,
    section,
    metric_key,
    metric_family,
    metric_subject,
    metric_measure,
    subject_code,
    project_no,
    value,
    value_decimals,
    unit,
    cast(case
        when unit = '万元' then value
        when unit = '元' then value * cast(0.0001 as decimal(5, 4))
        when unit = '亿元' then value * 10000
    end as decimal(18, 6)) as value_wan,
    cast(case when unit = '%' then value * cast(0.01 as decimal(3, 2)) end as decimal(18, 6)) as value_ratio,
    case when unit = '%' then value_decimals + 2 end as ratio_decimals,
    value_text,
    sentence,
    subject_printed,
    value_printed
from keyed
