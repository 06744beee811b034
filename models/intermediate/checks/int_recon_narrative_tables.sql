-- Family narrative: every figure the narrative restates from the standard tables against
-- the table cell or ratio of cells (int_narrative_table_comparisons), one check per figure
-- and rule (the scope names the table, the metric key and the figure, #figure_seq); and the
-- shares the narrative gives of one table total, which together make 100 % within their
-- rounding envelope (half a unit of each share's printed precision; 100 % itself is exact).
with comparisons as (
    select * from {{ ref('int_narrative_table_comparisons') }}
),

figures as (
    select * from {{ ref('stg_extract__narrative_figures') }}
    where metric_key is not null
),

cells as (
    select * from {{ ref('int_narrative_table_cells') }}
),

restated as (
    select
        rule_id,
        document_id,
        scope,
        evaluated_by,
        '情况说明' as source_table,
        source_line,
        metric_key as measure,
        figure_label as lhs_label,
        figure_value as lhs_value,
        table_label as rhs_label,
        table_value as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        table_source_lines as rhs_source_lines,
        envelope,
        not_evaluable_reason
    from comparisons
),

-- ---------------------------------------------------------------- shares of one whole
-- a group is checked when it states a share for every part the table prints as non-zero
-- (and at least two): 类 of 公开05, kinds of 公开03 合计, sources of 公开02 合计
table_parts as (
    select
        document_id,
        case
            when cell_ref like '公开05:%' then 'general_budget.class'
            when cell_ref like '公开03:%' then 'expenditure'
            else 'income'
        end as share_group,
        case
            when cell_ref like '公开05:%' then 'class.' || split_part(cell_ref, ':', 2)
            else split_part(cell_ref, ':', 3)
        end as part
    from cells
    where
        value_wan <> 0
        and (
            regexp_matches(cell_ref, '^公开05:\d{3}:total$')
            or (cell_ref like '公开03:合计:%' and cell_ref <> '公开03:合计:total')
            or (cell_ref like '公开02:合计:%' and cell_ref <> '公开02:合计:total')
        )
),

stated_shares as (
    select
        document_id,
        case when metric_family = 'general_budget' then 'general_budget.class' else metric_family end as share_group,
        metric_subject as part,
        arg_min(value_ratio, figure_seq) as share_ratio,
        arg_min(value_printed, figure_seq) || '%' as share_printed,
        arg_min({{ half_unit('value_printed', 0.01) }}, figure_seq) as share_half_unit,
        arg_min(source_line, figure_seq) as share_line
    from figures
    where
        metric_measure = 'share'
        and (
            metric_subject like 'class.%' or (metric_family in ('income', 'expenditure') and metric_subject <> 'total')
        )
    group by all
),

share_groups as (
    select
        coalesce(stated_shares.document_id, table_parts.document_id) as document_id,
        coalesce(stated_shares.share_group, table_parts.share_group) as share_group,
        count(stated_shares.part) as stated_count,
        count(*) filter (where stated_shares.part is null) as unstated_parts,
        sum(stated_shares.share_ratio) as shares_total,
        sum(stated_shares.share_half_unit) as shares_half_units,
        string_agg(stated_shares.share_printed, ' + ' order by stated_shares.share_line, stated_shares.part)
            as shares_text,
        {{ source_lines('stated_shares.share_line') }} as share_lines
    from stated_shares
    full outer join table_parts
        on
            stated_shares.document_id = table_parts.document_id
            and stated_shares.share_group = table_parts.share_group
            and stated_shares.part = table_parts.part
    group by all
),

shares_total as (
    select
        'narr_shares_total' as rule_id,
        document_id,
        '情况说明:' || share_group || '.*.share' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        'Σ 情况说明 ' || share_group || ' shares: ' || shares_text as lhs_label,
        shares_total as lhs_value,
        '100 %' as rhs_label,
        1 as rhs_value,
        share_lines as lhs_source_lines,
        share_lines as rhs_source_lines,
        shares_half_units as envelope,
        cast(null as varchar) as not_evaluable_reason
    from share_groups
    where stated_count >= 2 and unstated_parts = 0
)

select * from restated
union all
select * from shares_total
