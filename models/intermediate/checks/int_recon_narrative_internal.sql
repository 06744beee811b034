-- Family narrative_internal: the narrative's figures against each other (and, for
-- 机关运行经费, against the 公开06 bound). A change and its percentage imply one prior-year
-- (or budget) base; the parts of a change, of the 年初预算, of 政府采购, of the SME awards,
-- of 三公 and of the fleet add up to the stated whole; a project's rate is 执行数 / 预算数.
-- Every row that compares printed amounts or rates carries its rounding envelope (README
-- "Rounding envelope"): a sum or difference of printed figures, half a display unit of each
-- figure as printed; a percentage, half a unit of its printed precision plus the spread of
-- the ratio it is recomputed from over its inputs' half units (rate_envelope). Counts are exact.
with figures as (
    select
        *,
        regexp_replace(metric_key, '\.[^.]+$', '') as metric_prefix,
        {{ figure_half_wan('value_printed', 'unit') }} as half_wan,
        -- of a percentage, as a ratio
        {{ half_unit('value_printed', 0.01) }} as share_half
    from {{ ref('stg_extract__narrative_figures') }}
    where metric_key is not null
),

cells as (
    select * from {{ ref('int_narrative_table_cells') }}
),

-- ---------------------------------------------------------------- changes and their bases
changes as (
    select
        *,
        case metric_measure
            when 'yoy_change' then 'yoy_pct' when 'budget_change' then 'budget_change_pct' else 'change_pct'
        end as percent_measure
    from figures
    where metric_measure in ('yoy_change', 'budget_change', 'change')
),

-- the amount a change belongs to: the same subject's amount stated before it
changes_with_amount as (
    select
        changes.*,
        amounts.value_wan as amount_wan,
        amounts.half_wan as amount_half,
        amounts.source_line as amount_line
    from changes
    left join figures as amounts
        on
            changes.document_id = amounts.document_id
            and changes.metric_prefix = amounts.metric_prefix
            and amounts.metric_measure = 'amount'
            and changes.figure_seq > amounts.figure_seq
    qualify row_number() over (
        partition by changes.document_id, changes.figure_seq order by amounts.figure_seq desc nulls last
    ) = 1
),

-- and the percentage stated with it: the same subject's next percentage
triples as (
    select
        changes_with_amount.document_id,
        changes_with_amount.figure_seq,
        changes_with_amount.metric_prefix,
        changes_with_amount.metric_measure as change_measure,
        changes_with_amount.metric_family,
        changes_with_amount.metric_subject,
        changes_with_amount.amount_wan,
        changes_with_amount.amount_half,
        changes_with_amount.amount_line,
        changes_with_amount.value_wan as change_wan,
        changes_with_amount.half_wan as change_half,
        changes_with_amount.source_line as change_line,
        changes_with_amount.amount_wan - changes_with_amount.value_wan as base_wan,
        percents.metric_key as percent_key,
        percents.value_printed || '%' as percent_printed,
        percents.value_ratio as percent_ratio,
        percents.ratio_decimals as percent_decimals,
        percents.source_line as percent_line
    from changes_with_amount
    left join figures as percents
        on
            changes_with_amount.document_id = percents.document_id
            and changes_with_amount.metric_prefix = percents.metric_prefix
            and changes_with_amount.percent_measure = percents.metric_measure
            and changes_with_amount.figure_seq < percents.figure_seq
    qualify row_number() over (
        partition by changes_with_amount.document_id, changes_with_amount.figure_seq
        order by percents.figure_seq nulls last
    ) = 1
),

change_percentages as (
    select
        'narr_change_pct_base' as rule_id,
        document_id,
        '情况说明:' || percent_key || ':#' || figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 ' || percent_key || ' ' || percent_printed || ' at ' || percent_decimals || ' decimals' as lhs_label,
        percent_ratio as lhs_value,
        'change ' || {{ number_text('change_wan') }} || ' / implied base ' || {{ number_text('base_wan') }}
        || ' (' || coalesce({{ number_text('amount_wan') }}, 'no amount stated') || ' − change)' as rhs_label,
        {{ rate_as_compared('change_wan', 'base_wan', 'percent_ratio', 'percent_decimals') }} as rhs_value,
        cast(percent_line as varchar) as lhs_source_lines,
        {{ merge_lines(['amount_line', 'change_line']) }} as rhs_source_lines,
        -- the base amount − change carries both half units
        {{ rate_envelope('change_wan', 'change_half', 'base_wan', 'amount_half + change_half', 'percent_decimals') }}
            as envelope
    from triples
    where percent_key is not null
),

-- Δ 基本支出 + Δ 项目支出 (+ any other kind stated) = Δ 支出合计, or Δ 收支总计 where the
-- narrative states no change of 支出合计
component_changes as (
    select
        document_id,
        sum(change_wan) as components_wan,
        sum(change_half) as components_half,
        count(*) as components,
        string_agg(metric_subject || ' ' || {{ number_text('change_wan') }}, ' + ' order by figure_seq)
            as components_text,
        {{ source_lines('change_line') }} as components_lines
    from triples
    where change_measure = 'yoy_change' and metric_family = 'expenditure' and metric_subject <> 'total'
    group by document_id
),

total_changes as (
    select
        document_id,
        metric_prefix,
        change_wan,
        change_half,
        change_line
    from triples
    where change_measure = 'yoy_change' and metric_prefix in ('expenditure.total', 'total.income_expenditure')
    qualify row_number() over (
        partition by document_id
        order by case metric_prefix when 'expenditure.total' then 1 else 2 end, figure_seq
    ) = 1
),

change_components as (
    select
        'narr_change_components' as rule_id,
        component_changes.document_id,
        '情况说明:expenditure.*.yoy_change' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 ' || coalesce(total_changes.metric_prefix, '(no total change stated)') || ' yoy_change' as lhs_label,
        total_changes.change_wan as lhs_value,
        'Σ 情况说明 expenditure yoy_change: ' || component_changes.components_text as rhs_label,
        component_changes.components_wan as rhs_value,
        cast(total_changes.change_line as varchar) as lhs_source_lines,
        component_changes.components_lines as rhs_source_lines,
        total_changes.change_half + component_changes.components_half as envelope
    from component_changes
    left join total_changes
        on component_changes.document_id = total_changes.document_id
    where component_changes.components >= 2
),

-- this year's 一般公共预算财政拨款支出 is the whole 财政拨款收、支总计: the prior-year bases
-- implied by the two changes are then the same money, but for what the prior year carried
-- out (its 年末结转, this year's 年初财政拨款结转和结余 in 公开04), which the prior
-- 收、支总计 includes and its 支出 does not
first_triples as (
    select *
    from triples
    where change_measure = 'yoy_change' and metric_prefix in ('general_budget.total', 'fiscal.income_expenditure')
    qualify row_number() over (partition by document_id, metric_prefix order by figure_seq) = 1
),

general_vs_fiscal as (
    select
        'narr_general_budget_prior_base' as rule_id,
        general_budget.document_id,
        '情况说明:general_budget.total>fiscal.income_expenditure:prior_year_base' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '一般公共预算财政拨款支出 prior-year base ' || {{ number_text('general_budget.amount_wan') }} || ' − '
        || {{ number_text('general_budget.change_wan') }} as lhs_label,
        general_budget.base_wan as lhs_value,
        '财政拨款收、支总计 prior-year base ' || {{ number_text('fiscal.amount_wan') }} || ' − '
        || {{ number_text('fiscal.change_wan') }} || ' − 公开04 年初财政拨款结转和结余 '
        || {{ number_text('coalesce(carried_in.value_wan, 0)') }} as rhs_label,
        fiscal.base_wan - coalesce(carried_in.value_wan, 0) as rhs_value,
        {{ merge_lines(['general_budget.amount_line', 'general_budget.change_line']) }} as lhs_source_lines,
        {{ merge_lines(['fiscal.amount_line', 'fiscal.change_line', 'carried_in.source_lines']) }}
            as rhs_source_lines,
        general_budget.amount_half + general_budget.change_half + fiscal.amount_half + fiscal.change_half
        + coalesce(carried_in.value_half_unit, 0) as envelope
    from first_triples as general_budget
    inner join first_triples as fiscal
        on
            general_budget.document_id = fiscal.document_id
            and fiscal.metric_prefix = 'fiscal.income_expenditure'
    left join cells as carried_in
        on
            general_budget.document_id = carried_in.document_id
            and carried_in.cell_ref = '公开04:年初结转和结余'
    where
        general_budget.metric_prefix = 'general_budget.total'
        and general_budget.amount_wan = fiscal.amount_wan
),

-- ---------------------------------------------------------------- wholes and their parts
initial_budget_totals as (
    select *
    from figures
    where metric_key = 'general_budget.initial_budget.total'
    -- the total stated last before the items (年初预算为 0 万元，全年预算为 321.02 万元:
    -- the items then state their 全年预算)
    qualify row_number() over (partition by document_id order by figure_seq desc) = 1
),

initial_budget_items as (
    select
        document_id,
        count(*) as items,
        sum(value_wan) as items_wan,
        sum(half_wan) as items_half_wan,
        {{ source_lines('source_line') }} as item_lines
    from figures
    where metric_family = 'function' and metric_measure = 'initial_budget'
    group by document_id
),

initial_budgets as (
    select
        'narr_initial_budget_items' as rule_id,
        totals.document_id,
        '情况说明:general_budget.initial_budget.total' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 年初预算 ' || totals.value_printed || totals.unit as lhs_label,
        totals.value_wan as lhs_value,
        'Σ 情况说明 年初预算 of ' || items.items || ' 项' as rhs_label,
        items.items_wan as rhs_value,
        cast(totals.source_line as varchar) as lhs_source_lines,
        items.item_lines as rhs_source_lines,
        totals.half_wan + items.items_half_wan as envelope
    from initial_budget_totals as totals
    inner join initial_budget_items as items
        on totals.document_id = items.document_id
),

procurement as (
    select
        document_id,
        arg_min(value_wan, figure_seq) filter (where metric_key = 'procurement.total') as total_wan,
        arg_min(source_line, figure_seq) filter (where metric_key = 'procurement.total') as total_line,
        arg_min(half_wan, figure_seq) filter (where metric_key = 'procurement.total') as total_half_wan,
        coalesce(arg_min(half_wan, figure_seq) filter (where metric_key = 'procurement.goods'), 0)
        + coalesce(arg_min(half_wan, figure_seq) filter (where metric_key = 'procurement.works'), 0)
        + coalesce(arg_min(half_wan, figure_seq) filter (where metric_key = 'procurement.services'), 0)
            as parts_half_wan,
        arg_min(value_wan, figure_seq) filter (where metric_key = 'procurement.goods') as goods_wan,
        arg_min(value_wan, figure_seq) filter (where metric_key = 'procurement.works') as works_wan,
        arg_min(value_wan, figure_seq) filter (where metric_key = 'procurement.services') as services_wan,
        arg_min(value_ratio, figure_seq) filter (where metric_key = 'procurement.goods.sme_share') as goods_share,
        arg_min(value_ratio, figure_seq) filter (where metric_key = 'procurement.works.sme_share') as works_share,
        arg_min(value_ratio, figure_seq) filter (where metric_key = 'procurement.services.sme_share')
            as services_share,
        arg_min(half_wan, figure_seq) filter (where metric_key = 'procurement.goods') as goods_half,
        arg_min(half_wan, figure_seq) filter (where metric_key = 'procurement.works') as works_half,
        arg_min(half_wan, figure_seq) filter (where metric_key = 'procurement.services') as services_half,
        arg_min(share_half, figure_seq) filter (where metric_key = 'procurement.goods.sme_share')
            as goods_share_half,
        arg_min(share_half, figure_seq) filter (where metric_key = 'procurement.works.sme_share')
            as works_share_half,
        arg_min(share_half, figure_seq) filter (where metric_key = 'procurement.services.sme_share')
            as services_share_half,
        arg_min(value_wan, figure_seq) filter (where metric_key = 'procurement.sme.amount') as sme_wan,
        arg_min(half_wan, figure_seq) filter (where metric_key = 'procurement.sme.amount') as sme_half,
        arg_min(source_line, figure_seq) filter (where metric_key = 'procurement.sme.amount') as sme_line,
        count(*) filter (where metric_key in ('procurement.goods', 'procurement.works', 'procurement.services'))
            as parts,
        count(*) filter (where metric_measure = 'sme_share') as category_shares,
        {{ source_lines('source_line', "metric_measure in ('goods', 'works', 'services')") }} as parts_lines,
        {{ source_lines('source_line', "metric_measure = 'sme_share'") }} as category_share_lines
    from figures
    where metric_family = 'procurement'
    group by document_id
),

procurement_split as (
    select
        'narr_procurement_split' as rule_id,
        document_id,
        '情况说明:procurement.total' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 政府采购支出总额' as lhs_label,
        total_wan as lhs_value,
        '货物 ' || coalesce({{ number_text('goods_wan') }}, '(not stated)') || ' + 工程 '
        || coalesce({{ number_text('works_wan') }}, '(not stated)') || ' + 服务 '
        || coalesce({{ number_text('services_wan') }}, '(not stated)') as rhs_label,
        coalesce(goods_wan, 0) + coalesce(works_wan, 0) + coalesce(services_wan, 0) as rhs_value,
        cast(total_line as varchar) as lhs_source_lines,
        parts_lines as rhs_source_lines,
        total_half_wan + parts_half_wan as envelope
    from procurement
    where parts > 0
),

-- a share of the procurement total and the amount stated before it (中小企业 / 小微企业)
award_shares as (
    select
        share_figures.document_id,
        share_figures.figure_seq,
        share_figures.metric_key,
        share_figures.value_printed || '%' as share_printed,
        share_figures.value_ratio as share_ratio,
        share_figures.ratio_decimals,
        share_figures.source_line as share_line,
        amounts.value_wan as amount_wan,
        amounts.half_wan as amount_half,
        amounts.source_line as amount_line
    from figures as share_figures
    left join figures as amounts
        on
            share_figures.document_id = amounts.document_id
            and amounts.metric_key = share_figures.metric_prefix || '.amount'
            and share_figures.figure_seq > amounts.figure_seq
    where share_figures.metric_key in ('procurement.sme.share', 'procurement.micro.share')
    qualify row_number() over (
        partition by share_figures.document_id, share_figures.figure_seq order by amounts.figure_seq desc nulls last
    ) = 1
),

award_share_checks as (
    select
        'narr_procurement_award_shares' as rule_id,
        award_shares.document_id,
        '情况说明:' || award_shares.metric_key || ':#' || award_shares.figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 ' || award_shares.metric_key || ' ' || award_shares.share_printed || ' at '
        || award_shares.ratio_decimals || ' decimals' as lhs_label,
        award_shares.share_ratio as lhs_value,
        coalesce({{ number_text('award_shares.amount_wan') }}, '(no amount stated)') || ' / 政府采购支出总额 '
        || coalesce({{ number_text('procurement.total_wan') }}, '(not stated)') as rhs_label,
        {{ rate_as_compared(
            'award_shares.amount_wan', 'procurement.total_wan', 'award_shares.share_ratio', 'award_shares.ratio_decimals'
        ) }} as rhs_value,
        cast(award_shares.share_line as varchar) as lhs_source_lines,
        {{ merge_lines(['award_shares.amount_line', 'procurement.total_line']) }} as rhs_source_lines,
        {{ rate_envelope(
            'award_shares.amount_wan', 'award_shares.amount_half',
            'procurement.total_wan', 'procurement.total_half_wan', 'award_shares.ratio_decimals'
        ) }} as envelope
    from award_shares
    left join procurement
        on award_shares.document_id = procurement.document_id
),

-- the SME share printed per category (货物 / 工程 / 服务) times the category amount adds up
-- to the SME amount; compared as shares of the procurement total. The implied amount is
-- uncertain by Σ (share × h_amount + h_share × amount + h_share × h_amount) over the
-- categories; each side's ratio spreads over its half units and the total's
sme_implied as (
    select
        *,
        coalesce(goods_share * goods_half + goods_share_half * goods_wan + goods_share_half * goods_half, 0)
        + coalesce(works_share * works_half + works_share_half * works_wan + works_share_half * works_half, 0)
        + coalesce(
            services_share * services_half + services_share_half * services_wan + services_share_half * services_half, 0
        ) as implied_sme_half,
        case
            when
                (coalesce(goods_wan, 0) = 0 or goods_share is not null)
                and (coalesce(works_wan, 0) = 0 or works_share is not null)
                and (coalesce(services_wan, 0) = 0 or services_share is not null)
                then
                    coalesce(goods_share * goods_wan, 0) + coalesce(works_share * works_wan, 0)
                    + coalesce(services_share * services_wan, 0)
        end as implied_sme_wan
    from procurement
    where category_shares > 0
),

sme_categories as (
    select
        'narr_procurement_sme_categories' as rule_id,
        document_id,
        '情况说明:procurement.*.sme_share' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 中小企业合同金额 ' || coalesce({{ number_text('sme_wan') }}, '(not stated)')
        || ' / 政府采购支出总额 ' || coalesce({{ number_text('total_wan') }}, '(not stated)') as lhs_label,
        {{ exact_ratio('sme_wan', 'total_wan', 6) }} as lhs_value,
        'Σ category SME share × category amount = '
        || coalesce({{ number_text(round_half_up('implied_sme_wan', 2)) }}, '(a category share is not stated)')
        || ' (货物 '
        || coalesce({{ number_text('goods_share') }}, '∅')
        || ' × '
        || coalesce({{ number_text('goods_wan') }}, '∅')
        || ', 工程 '
        || coalesce({{ number_text('works_share') }}, '∅')
        || ' × '
        || coalesce({{ number_text('works_wan') }}, '∅')
        || ', 服务 ' || coalesce({{ number_text('services_share') }}, '∅') || ' × '
        || coalesce({{ number_text('services_wan') }}, '∅') || ') / 政府采购支出总额' as rhs_label,
        {{ exact_ratio('implied_sme_wan', 'total_wan', 6) }} as rhs_value,
        {{ merge_lines(['sme_line', 'total_line']) }} as lhs_source_lines,
        {{ merge_lines(['category_share_lines', 'parts_lines']) }} as rhs_source_lines,
        -- both sides are ratios kept at 6 decimals: one more millionth for their last places
        cast(
            ceil(
                (
                    {{ ratio_spread('sme_wan', 'sme_half', 'total_wan', 'total_half_wan') }}
                    + {{ ratio_spread('implied_sme_wan', 'implied_sme_half', 'total_wan', 'total_half_wan') }}
                ) * 1000000
            ) / 1000000 + 0.000001
            as decimal(18, 6)
        ) as envelope
    from sme_implied
),

vehicles as (
    select
        'narr_vehicle_counts' as rule_id,
        document_id,
        '情况说明:vehicles.fleet.count' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 共有车辆' as lhs_label,
        arg_min(value, figure_seq) filter (where metric_key = 'vehicles.fleet.count') as lhs_value,
        'Σ 情况说明 vehicles by category ('
        || string_agg(metric_subject || ' ' || {{ number_text('value') }}, ', ' order by figure_seq)
        filter (where metric_key <> 'vehicles.fleet.count')
        || ')' as rhs_label,
        sum(value) filter (where metric_key <> 'vehicles.fleet.count') as rhs_value,
        cast(arg_min(source_line, figure_seq) filter (where metric_key = 'vehicles.fleet.count') as varchar)
            as lhs_source_lines,
        {{ source_lines('source_line', "metric_key <> 'vehicles.fleet.count'") }} as rhs_source_lines
    from figures
    where metric_family = 'vehicles' and metric_measure = 'count'
    group by document_id
    having count(*) filter (where metric_key <> 'vehicles.fleet.count') > 0
),

-- 机关运行经费 is the administrative part of 公用经费: at most the 公开06 total (rhs is the
-- smaller of the two, so the difference is the excess)
operating_costs as (
    select
        'narr_operating_cost_within_public' as rule_id,
        figures.document_id,
        '情况说明:operating_cost.amount:#' || figures.figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 机关运行经费 ' || figures.value_printed || figures.unit as lhs_label,
        figures.value_wan as lhs_value,
        'at most '
        || coalesce(cells.cell_label || ' ' || {{ number_text('cells.value_wan') }}, '公开06 公用经费合计 (not printed)')
            as rhs_label,
        case when cells.value_wan is not null then least(figures.value_wan, cells.value_wan) end as rhs_value,
        cast(figures.source_line as varchar) as lhs_source_lines,
        cells.source_lines as rhs_source_lines,
        figures.half_wan + cells.value_half_unit as envelope
    from figures
    left join cells
        on figures.document_id = cells.document_id and cells.cell_ref = '公开06:public'
    where figures.metric_key = 'operating_cost.amount'
),

-- 三公 parts stated in the prose: 国内 + 国（境）外接待费 = 公务接待费; 购置 + 运行维护 = 公务用车
three_public as (
    select
        document_id,
        metric_subject,
        arg_min(value_wan, figure_seq) as actual_wan,
        arg_min(source_line, figure_seq) as actual_line,
        arg_min(half_wan, figure_seq) as actual_half_wan
    from figures
    where metric_family = 'three_public' and metric_measure = 'actual'
    group by document_id, metric_subject
),

three_public_parts as (
    {%- for whole, first, second, label in [
        ('reception', 'reception_domestic', 'reception_overseas', '国内接待费 + 国（境）外接待费'),
        ('vehicles', 'vehicle_purchase', 'vehicle_operation', '公务用车购置费 + 运行维护费')] %}
    select
        'narr_three_public_parts' as rule_id,
        whole.document_id,
        '情况说明:three_public.{{ whole }}.actual' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 three_public.{{ whole }}.actual' as lhs_label,
        whole.actual_wan as lhs_value,
        '情况说明 {{ label }}' as rhs_label,
        first_part.actual_wan + second_part.actual_wan as rhs_value,
        cast(whole.actual_line as varchar) as lhs_source_lines,
        {{ merge_lines(['first_part.actual_line', 'second_part.actual_line']) }} as rhs_source_lines,
        whole.actual_half_wan + first_part.actual_half_wan + second_part.actual_half_wan as envelope
    from three_public as whole
    inner join three_public as first_part
        on whole.document_id = first_part.document_id and first_part.metric_subject = '{{ first }}'
    inner join three_public as second_part
        on whole.document_id = second_part.document_id and second_part.metric_subject = '{{ second }}'
    where whole.metric_subject = '{{ whole }}'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- ---------------------------------------------------------------- projects
project_figures as (
    select
        document_id,
        project_no,
        arg_min(value_printed, figure_seq) filter (where metric_measure = 'rate') as rate_printed,
        arg_min(value_ratio, figure_seq) filter (where metric_measure = 'rate') as rate_ratio,
        arg_min(ratio_decimals, figure_seq) filter (where metric_measure = 'rate') as rate_decimals,
        arg_min(source_line, figure_seq) filter (where metric_measure = 'rate') as rate_line,
        arg_min(value_wan, figure_seq) filter (where metric_measure = 'executed') as executed_wan,
        arg_min(half_wan, figure_seq) filter (where metric_measure = 'executed') as executed_half,
        arg_min(value_wan, figure_seq) filter (where metric_measure = 'budget') as budget_wan,
        arg_min(half_wan, figure_seq) filter (where metric_measure = 'budget') as budget_half,
        {{ source_lines('source_line', "metric_measure in ('executed', 'budget')") }} as amount_lines
    from figures
    where project_no is not null
    group by document_id, project_no
    having count(*) filter (where metric_measure = 'rate') > 0
),

project_rates as (
    select
        'narr_project_rate' as rule_id,
        document_id,
        '情况说明:performance.project.' || project_no || '.rate' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 project ' || project_no || ' 完成预算 ' || rate_printed || '% at ' || rate_decimals || ' decimals'
            as lhs_label,
        rate_ratio as lhs_value,
        '执行数 ' || {{ number_text('executed_wan') }} || ' / 全年预算数 ' || {{ number_text('budget_wan') }}
            as rhs_label,
        {{ rate_as_compared('executed_wan', 'budget_wan', 'rate_ratio', 'rate_decimals') }} as rhs_value,
        cast(rate_line as varchar) as lhs_source_lines,
        amount_lines as rhs_source_lines,
        {{ rate_envelope('executed_wan', 'executed_half', 'budget_wan', 'budget_half', 'rate_decimals') }}
            as envelope
    from project_figures
)

select
    *,
    cast(null as varchar) as not_evaluable_reason
from change_percentages
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from change_components
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from general_vs_fiscal
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from initial_budgets
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from procurement_split
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from award_share_checks
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from sme_categories
union all
select
    *,
    cast(null as decimal(18, 6)) as envelope,
    cast(null as varchar) as not_evaluable_reason
from vehicles
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from operating_costs
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from three_public_parts
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from project_rates
