-- Each keyed narrative figure beside the table cell (or ratio of cells) it restates, one
-- row per figure and rule (docs/marts.md, narrative rules). Amounts are compared in 万元;
-- shares and rates as ratios, the table ratio exact to 6 decimals. Each row carries its
-- rounding envelope (README "Rounding envelope"): an amount, half a display unit of the
-- figure and of each cell as printed ("377.5" vs 377.46: 0.05 + 0.005); a rate or share,
-- half a unit of its printed precision plus the ratio's spread over its cells' half units,
-- and for a share of a list (类, kinds, sources: not 一般公共预算 占本年支出合计) one more
-- unit, for the 尾差调整 that makes the list add up to 100 % (as narr_stated_share).
-- A completion rate's 年初预算 is in no table: it is the narrative's own figure for the same
-- code, stated just before the rate; the 决算 is the 公开05 小计 of the code. A 项 path that
-- resolved to no code keeps its printed path (function.unresolved:…): not_evaluable, unresolved.
with figures as (
    select * from {{ ref('stg_extract__narrative_figures') }}
    where metric_key is not null
),

cells as (
    select * from {{ ref('int_narrative_table_cells') }}
),

{%- set income_sources = ['fiscal_appropriation', 'superior_subsidy', 'business_income', 'operating_income',
                          'affiliate_remittance', 'other_income'] %}
{%- set expenditure_kinds = ['basic', 'project', 'remit_to_superior', 'operating', 'subsidy_to_affiliates'] %}
{%- set three_public_items = ['total', 'overseas_travel', 'vehicles', 'vehicle_purchase', 'vehicle_operation',
                              'reception'] %}

-- which rule compares each figure with the tables
ruled as (
    select
        *,
        case
            when metric_key in (
                'total.income_expenditure.amount', 'fiscal.income_expenditure.amount', 'income.total.amount',
                'expenditure.total.amount', 'general_budget.total.amount'
            ) then 'narr_totals'
            when metric_family = 'income' and metric_subject in {{ sql_list(income_sources) }}
                then
                    case metric_measure
                        when 'amount' then 'narr_income_sources' when 'share' then 'narr_income_shares'
                    end
            when metric_family = 'expenditure' and metric_subject in {{ sql_list(expenditure_kinds) }}
                then case metric_measure
                    when 'amount' then 'narr_expenditure_kinds' when 'share' then 'narr_expenditure_shares'
                end
            when metric_key = 'general_budget.total.share' then 'narr_expenditure_shares'
            when metric_subject like 'class.%'
                then
                    case metric_measure
                        when 'amount' then 'narr_class_amounts' when 'share' then 'narr_class_shares'
                    end
            when
                (metric_family = 'function' and metric_measure = 'final_amount')
                or metric_key = 'general_budget.final_amount.total'
                then 'narr_function_final_amounts'
            when
                (metric_family = 'function' and metric_measure = 'completion_rate')
                or metric_key = 'general_budget.completion_rate.total'
                then 'narr_completion_rates'
            when
                metric_family = 'basic'
                and metric_measure = 'amount'
                and metric_subject in ('total', 'personnel', 'public')
                then 'narr_basic_amounts'
            when
                metric_family = 'three_public'
                and metric_subject in {{ sql_list(three_public_items) }}
                and metric_measure in ('budget', 'actual', 'budget_change')
                then 'narr_three_public_amounts'
            when
                metric_family = 'three_public'
                and metric_subject in {{ sql_list(three_public_items) }}
                and metric_measure = 'completion_rate'
                then 'narr_three_public_rates'
        end as rule_id,
        -- 公开09 calls 公务接待费 official_reception
        case metric_subject when 'reception' then 'official_reception' else metric_subject end as three_public_item
    from figures
),

-- what the rule compares: amount (the cell, or the sum of two), ratio (numerator /
-- denominator cell, or / the narrative's 年初预算) or difference (numerator − denominator),
-- and the cells, addressed as in int_narrative_table_cells
primary_specs as (
    select
        *,
        true as is_primary,
        case
            when rule_id in (
                'narr_income_shares', 'narr_expenditure_shares', 'narr_class_shares',
                'narr_completion_rates', 'narr_three_public_rates'
            ) then 'ratio'
            when rule_id = 'narr_three_public_amounts' and metric_measure = 'budget_change' then 'difference'
            else 'amount'
        end as comparison,
        case
            when rule_id = 'narr_totals'
                then case metric_key
                    when 'total.income_expenditure.amount' then '公开01:总计'
                    when 'fiscal.income_expenditure.amount' then '公开04:总计'
                    when 'income.total.amount' then '公开01:本年收入合计'
                    when 'expenditure.total.amount' then '公开01:本年支出合计'
                    when 'general_budget.total.amount' then '公开05:合计:total'
                end
            when rule_id in ('narr_income_sources', 'narr_income_shares') then '公开02:合计:' || metric_subject
            when metric_key = 'general_budget.total.share' then '公开05:合计:total'
            when rule_id in ('narr_expenditure_kinds', 'narr_expenditure_shares') then '公开03:合计:' || metric_subject
            -- a 项 path that resolved to no code (function.unresolved:…) restates no cell
            when metric_family = 'function' and subject_code is null then null
            when rule_id in (
                'narr_class_amounts', 'narr_class_shares', 'narr_function_final_amounts',
                'narr_completion_rates'
            ) then '公开05:' || coalesce(subject_code, '合计') || ':total'
            when rule_id = 'narr_basic_amounts'
                then case metric_subject
                    when 'total' then '公开05:合计:basic'
                    when 'personnel' then '公开06:personnel'
                    when 'public' then '公开06:public'
                end
            when rule_id in ('narr_three_public_amounts', 'narr_three_public_rates')
                then
                    '公开09:' || case metric_measure when 'budget' then 'budget' else 'actual' end
                    || ':' || three_public_item
        end as numerator_ref,
        cast(null as varchar) as addend_ref,
        case
            when rule_id = 'narr_income_shares' then '公开02:合计:total'
            when metric_key = 'general_budget.total.share' then '公开01:本年支出合计'
            when rule_id = 'narr_expenditure_shares' then '公开03:合计:total'
            when rule_id = 'narr_class_shares' then '公开05:合计:total'
            when rule_id = 'narr_three_public_rates' or metric_measure = 'budget_change'
                then '公开09:budget:' || three_public_item
        end as denominator_ref,
        case
            when rule_id = 'narr_completion_rates' and metric_family = 'function'
                then 'function.' || metric_subject || '.initial_budget'
            when rule_id = 'narr_completion_rates' then 'general_budget.initial_budget.total'
        end as budget_key
    from ruled
    where rule_id is not null
),

-- 基本支出决算 also restates the sum of the two 公开06 printed totals
specs as (
    select * from primary_specs
    union all
    select
        * replace (
            'narr_basic_vs_06_totals' as rule_id,
            false as is_primary,
            '公开06:personnel' as numerator_ref,
            '公开06:public' as addend_ref
        )
    from primary_specs
    where metric_key = 'basic.total.amount'
),

-- the narrative's 年初预算 for a completion rate: the same code's figure stated before it
budgets as (
    select
        specs.document_id,
        specs.figure_seq,
        budget_figures.value_wan as budget_wan,
        {{ figure_half_wan('budget_figures.value_printed', 'budget_figures.unit') }} as budget_half,
        budget_figures.source_line as budget_line
    from specs
    inner join figures as budget_figures
        on
            specs.document_id = budget_figures.document_id
            and specs.budget_key = budget_figures.metric_key
            and specs.figure_seq > budget_figures.figure_seq
    qualify row_number() over (
        partition by specs.document_id, specs.figure_seq order by budget_figures.figure_seq desc
    ) = 1
),

compared as (
    select
        specs.document_id,
        specs.figure_seq,
        specs.source_line,
        specs.metric_key,
        specs.rule_id,
        specs.comparison,
        specs.is_primary,
        specs.addend_ref is not null as has_addend,
        split_part(coalesce(specs.numerator_ref, ''), ':', 1) as target_table,
        specs.value_printed || coalesce(specs.unit, '') as printed,
        case when specs.comparison = 'ratio' then specs.value_ratio else specs.value_wan end as figure_value,
        {{ figure_half_wan('specs.value_printed', 'specs.unit') }} as figure_half,
        specs.ratio_decimals,
        numerator.cell_label as numerator_label,
        numerator.value_wan as numerator_wan,
        numerator.value_half_unit as numerator_half,
        addend.cell_label as addend_label,
        addend.value_wan as addend_wan,
        addend.value_half_unit as addend_half,
        denominator.cell_label as denominator_label,
        denominator.value_wan as denominator_wan,
        denominator.value_half_unit as denominator_half,
        budgets.budget_wan,
        budgets.budget_half,
        {{ merge_lines(['numerator.source_lines', 'addend.source_lines', 'denominator.source_lines',
                        'budgets.budget_line']) }} as table_lines
    from specs
    left join cells as numerator
        on specs.document_id = numerator.document_id and specs.numerator_ref = numerator.cell_ref
    left join cells as addend
        on specs.document_id = addend.document_id and specs.addend_ref = addend.cell_ref
    left join cells as denominator
        on specs.document_id = denominator.document_id and specs.denominator_ref = denominator.cell_ref
    left join budgets
        on specs.document_id = budgets.document_id and specs.figure_seq = budgets.figure_seq
)

select
    document_id,
    figure_seq,
    source_line,
    metric_key,
    rule_id,
    '{{ this.name }}' as evaluated_by,
    is_primary,
    '情况说明>' || coalesce(nullif(target_table, ''), '表') || ':' || metric_key || ':#' || figure_seq as scope,
    '情况说明 ' || metric_key || ' ' || printed
    || case when comparison = 'ratio' then ' at ' || ratio_decimals || ' decimals' else '' end as figure_label,
    figure_value,
    case
        when metric_key like 'function.unresolved:%'
            then
                '公开05: no 项 of that name under the 款 named ('
                || regexp_extract(metric_key, '^function\.unresolved:(.+)\.[^.]+$', 1) || ')'
        when comparison = 'amount'
            then
                coalesce(numerator_label, '(cell not printed)')
                || coalesce(' + ' || addend_label, '')
        when comparison = 'difference'
            then
                coalesce(numerator_label, '(cell not printed)') || ' − '
                || coalesce(denominator_label, '(cell not printed)')
        else
            coalesce(numerator_label, '(cell not printed)') || ' / '
            || coalesce(denominator_label, '情况说明 年初预算 ' || {{ number_text('budget_wan') }})
    end as table_label,
    cast(case comparison
        when 'amount' then case when has_addend then numerator_wan + addend_wan else numerator_wan end
        when 'difference' then numerator_wan - denominator_wan
        else {{ rate_as_compared(
            'numerator_wan', 'coalesce(denominator_wan, budget_wan)', 'figure_value', 'ratio_decimals'
        ) }}
    end as decimal(18, 6)) as table_value,
    nullif(table_lines, '') as table_source_lines,
    cast(case comparison
        when 'amount' then figure_half + numerator_half + case when has_addend then addend_half else 0 end
        when 'difference' then figure_half + numerator_half + denominator_half
        else {{ rate_envelope(
            'numerator_wan', 'numerator_half',
            'coalesce(denominator_wan, budget_wan)', 'coalesce(denominator_half, budget_half)',
            'ratio_decimals',
            "case when rule_id in ('narr_income_shares', 'narr_expenditure_shares', 'narr_class_shares') "
            ~ "and metric_key <> 'general_budget.total.share' then 1 else 0 end"
        ) }}
    end as decimal(18, 6)) as envelope,
    case when metric_key like 'function.unresolved:%' then 'unresolved' end as not_evaluable_reason
from compared
