-- Family narrative: the checks a public checker of the same disclosures makes on the
-- narrative that the table comparisons do not (docs/peer_checks.md). Each row carries its
-- rounding envelope (half a display unit of every printed figure compared, propagated
-- through a ratio) and, where a side could not be read, a not_evaluable_reason.
--   narr_stated_completion_rate   a completion rate = the 支出决算 / 年初预算 (全年预算) stated beside it
--   narr_rate_zero_budget         a rate stated against a 年初预算 stated as 0: not evaluable
--   narr_stated_share             a share = its amount / the total stated before it
--   narr_repeated_amount          an amount stated twice under one key is stated equal
--   narr_three_public_item_stated each 三公 item has an amount in the narrative (0 counts)
--   narr_reception_counts         公务接待费 actual > 0: 国内接待 批次 and 人次 both stated
--   narr_empty_table_note         an empty 政府性基金 / 国有资本经营 / 三公 table carries its note
with figures as (
    select
        *,
        regexp_replace(metric_key, '\.[^.]+$', '') as metric_prefix,
        {{ figure_half_wan('value_printed', 'unit') }} as half_wan
    from {{ ref('stg_extract__narrative_figures') }}
    where metric_key is not null
),

-- ------------------------------------------------- a rate against the figures beside it
-- the rate's budget and actual: the same subject's figures stated before it, the nearest
rates as (
    select
        *,
        case when metric_family = 'general_budget' then 'general_budget' else metric_prefix end as rate_subject
    from figures
    where metric_measure = 'completion_rate' and unit = '%'
),

rate_inputs as (
    select
        figures.*,
        case when figures.metric_family = 'general_budget' then 'general_budget' else figures.metric_prefix end
            as rate_subject,
        case
            when figures.metric_measure in ('initial_budget', 'budget') then 'budget'
            when figures.metric_measure in ('final_amount', 'actual') then 'actual'
        end as input_role
    from figures
    where
        figures.metric_measure in ('initial_budget', 'budget', 'final_amount', 'actual')
        and figures.unit in ('万元', '元', '亿元')
),

rate_sides as (
    select
        rates.document_id,
        rates.figure_seq,
        rates.metric_key,
        rates.source_line,
        rates.value_printed,
        rates.value_ratio,
        rates.ratio_decimals,
        rate_inputs.input_role,
        rate_inputs.value_wan,
        rate_inputs.value_printed as input_printed,
        rate_inputs.half_wan,
        rate_inputs.source_line as input_line
    from rates
    inner join rate_inputs
        on
            rates.document_id = rate_inputs.document_id
            and rates.rate_subject = rate_inputs.rate_subject
            and rates.figure_seq > rate_inputs.figure_seq
            and rate_inputs.input_role is not null
    qualify row_number() over (
        partition by rates.document_id, rates.figure_seq, rate_inputs.input_role
        order by rate_inputs.figure_seq desc
    ) = 1
),

rate_pairs as (
    select
        document_id,
        figure_seq,
        metric_key,
        any_value(source_line) as rate_line,
        any_value(value_printed) as rate_printed,
        any_value(value_ratio) as rate_ratio,
        any_value(ratio_decimals) as rate_decimals,
        max(value_wan) filter (where input_role = 'budget') as budget_wan,
        max(input_printed) filter (where input_role = 'budget') as budget_printed,
        max(half_wan) filter (where input_role = 'budget') as budget_half,
        max(input_line) filter (where input_role = 'budget') as budget_line,
        max(value_wan) filter (where input_role = 'actual') as actual_wan,
        max(input_printed) filter (where input_role = 'actual') as actual_printed,
        max(half_wan) filter (where input_role = 'actual') as actual_half,
        max(input_line) filter (where input_role = 'actual') as actual_line
    from rate_sides
    group by document_id, figure_seq, metric_key
    having count(*) filter (where input_role = 'budget') = 1 and count(*) filter (where input_role = 'actual') = 1
),

stated_rates as (
    select
        case when budget_wan = 0 then 'narr_rate_zero_budget' else 'narr_stated_completion_rate' end as rule_id,
        document_id,
        '情况说明:' || metric_key || ':#' || figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        rate_line as source_line,
        'completion_rate' as measure,
        '情况说明 ' || metric_key || ' ' || rate_printed || '%' as lhs_label,
        rate_ratio as lhs_value,
        '情况说明 支出决算 ' || actual_printed || ' / 年初预算 ' || budget_printed as rhs_label,
        {{ rate_as_compared('actual_wan', 'budget_wan', 'rate_ratio', 'rate_decimals') }} as rhs_value,
        cast(rate_line as varchar) as lhs_source_lines,
        {{ merge_lines(['budget_line', 'actual_line']) }} as rhs_source_lines,
        -- half a unit of the printed rate, plus the ratio's spread over its inputs' rounding:
        -- (h_actual + rate × h_budget) / (budget − h_budget)
        case
            when budget_wan > budget_half
                then
                    0.5 / pow(10, rate_decimals)
                    + (actual_half + abs(actual_wan / budget_wan) * budget_half) / (budget_wan - budget_half)
        end as envelope,
        case when budget_wan = 0 then 'zero_denominator' end as not_evaluable_reason
    from rate_pairs
),

-- ------------------------------------------------- a share of the total it is a share of
-- the part: the same subject's amount stated before the share; the whole: the total stated
-- before it (the head of a list sentence: 主要用于以下方面：X（类）支出 A，占 P%；…)
shares as (
    select
        *,
        case
            when metric_family = 'general_budget' and metric_subject like 'class.%' then 'general_budget.total.amount'
            when metric_key = 'general_budget.total.share' then 'expenditure.total.amount'
            when metric_family = 'expenditure' and metric_subject <> 'total' then 'expenditure.total.amount'
            when metric_family = 'income' and metric_subject <> 'total' then 'income.total.amount'
        end as whole_key
    from figures
    where metric_measure = 'share' and unit = '%'
),

share_sides as (
    select
        shares.document_id,
        shares.figure_seq,
        shares.metric_key,
        shares.source_line,
        shares.value_printed,
        shares.value_ratio,
        shares.ratio_decimals,
        parts.value_wan as part_wan,
        parts.value_printed as part_printed,
        parts.half_wan as part_half,
        parts.source_line as part_line,
        wholes.value_wan as whole_wan,
        wholes.value_printed as whole_printed,
        wholes.half_wan as whole_half,
        wholes.source_line as whole_line
    from shares
    left join figures as parts
        on
            shares.document_id = parts.document_id
            and shares.metric_prefix = parts.metric_prefix
            and parts.metric_measure = 'amount'
            and shares.figure_seq > parts.figure_seq
    left join figures as wholes
        on
            shares.document_id = wholes.document_id
            and shares.whole_key = wholes.metric_key
            and shares.figure_seq > wholes.figure_seq
    where shares.whole_key is not null
    qualify row_number() over (
        partition by shares.document_id, shares.figure_seq
        order by parts.figure_seq desc nulls last, wholes.figure_seq desc nulls last
    ) = 1
),

stated_shares as (
    select
        'narr_stated_share' as rule_id,
        document_id,
        '情况说明:' || metric_key || ':#' || figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        source_line,
        'share' as measure,
        '情况说明 ' || metric_key || ' ' || value_printed || '%' as lhs_label,
        value_ratio as lhs_value,
        '情况说明 ' || coalesce(part_printed, 'no amount stated') || ' / the total stated before it '
        || coalesce(whole_printed, 'not stated') as rhs_label,
        {{ rate_as_compared('part_wan', 'whole_wan', 'value_ratio', 'ratio_decimals') }} as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        {{ merge_lines(['part_line', 'whole_line']) }} as rhs_source_lines,
        -- half a unit of the printed share, plus one unit: the shares of one whole are adjusted
        -- so that the list adds up to 100 % (尾差调整, Jinan's 201 printed 67.67% for 67.66%),
        -- plus the ratio's spread over its inputs' half units
        case
            when whole_wan > whole_half
                then
                    1.5 / pow(10, ratio_decimals)
                    + (part_half + abs(part_wan / whole_wan) * whole_half) / (whole_wan - whole_half)
        end as envelope,
        case when whole_wan = 0 then 'zero_denominator' end as not_evaluable_reason
    from share_sides
),

-- ------------------------------------------------------- an amount stated twice is equal
amounts as (
    select
        *,
        row_number() over (partition by document_id, metric_key order by figure_seq) as statement_no
    from figures
    where
        unit in ('万元', '元', '亿元')
        and metric_measure in ('amount', 'actual', 'budget', 'initial_budget', 'final_amount')
),

repeated_amounts as (
    select
        'narr_repeated_amount' as rule_id,
        later.document_id,
        '情况说明:' || later.metric_key || ':#' || later.figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        later.source_line,
        later.metric_measure as measure,
        '情况说明 ' || later.metric_key || ' restated ' || later.value_printed || later.unit as lhs_label,
        later.value_wan as lhs_value,
        '情况说明 ' || first_statement.metric_key || ' first stated '
        || first_statement.value_printed || first_statement.unit as rhs_label,
        first_statement.value_wan as rhs_value,
        cast(later.source_line as varchar) as lhs_source_lines,
        cast(first_statement.source_line as varchar) as rhs_source_lines,
        later.half_wan + first_statement.half_wan as envelope,
        cast(null as varchar) as not_evaluable_reason
    from amounts as later
    inner join amounts as first_statement
        on
            later.document_id = first_statement.document_id
            and later.metric_key = first_statement.metric_key
            and first_statement.statement_no = 1
    where later.statement_no > 1
),

-- ---------------------------------------------------------------- 三公 items disclosed
three_public_table as (
    select
        document_id,
        expense_item,
        max(amount_wan) filter (where phase = 'actual') as actual_wan,
        {{ source_refs('source_line', 'source_page') }} as table_lines
    from {{ ref('stg_extract__three_public_expenses') }}
    group by document_id, expense_item
),

three_public_items as (
    select
        'overseas_travel' as narrative_item,
        'overseas_travel' as table_item,
        '因公出国（境）费' as item_label
    union all
    select
        'vehicle_purchase' as narrative_item,
        'vehicle_purchase' as table_item,
        '公务用车购置费' as item_label
    union all
    select
        'vehicle_operation' as narrative_item,
        'vehicle_operation' as table_item,
        '公务用车运行维护费' as item_label
    union all
    select
        'reception' as narrative_item,
        'official_reception' as table_item,
        '公务接待费' as item_label
),

-- the documents whose narrative speaks of 三公 at all
three_public_documents as (
    select distinct document_id from figures
    where metric_family = 'three_public'
),

three_public_stated as (
    select
        three_public_documents.document_id,
        three_public_items.narrative_item,
        three_public_items.table_item,
        three_public_items.item_label,
        bool_or(figures.figure_seq is not null) as stated,
        {{ source_lines('figures.source_line') }} as stated_lines
    from three_public_documents
    cross join three_public_items
    left join figures
        on
            three_public_documents.document_id = figures.document_id
            and figures.metric_measure in ('actual', 'amount')
            and (
                figures.metric_prefix = 'three_public.' || three_public_items.narrative_item
                or (
                    three_public_items.narrative_item = 'reception'
                    and figures.metric_prefix = 'three_public.reception_domestic'
                )
            )
    group by all
),

-- a stated 0 total covers every item
three_public_zero_total as (
    select
        document_id,
        min(source_line) as total_line
    from figures
    where metric_key = 'three_public.total.actual' and value_wan = 0
    group by document_id
),

three_public_disclosed as (
    select
        'narr_three_public_item_stated' as rule_id,
        three_public_stated.document_id,
        '情况说明:三公:' || three_public_stated.narrative_item as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        'count' as measure,
        '情况说明 states an amount of ' || three_public_stated.item_label || ' (1 = stated)' as lhs_label,
        case
            when three_public_stated.stated or three_public_zero_total.total_line is not null then 1
            when table_side.actual_wan > 0 then 0
        end as lhs_value,
        '公开09 决算数 ' || three_public_stated.item_label || ' '
        || coalesce({{ number_text('table_side.actual_wan') }}, 'not printed') || ': an amount (0 counts) is stated'
            as rhs_label,
        1 as rhs_value,
        coalesce(three_public_stated.stated_lines, cast(three_public_zero_total.total_line as varchar))
            as lhs_source_lines,
        table_side.table_lines as rhs_source_lines,
        0 as envelope,
        -- no amount stated for an item the table prints as 0 or blank: the text may say
        -- 未发生 in words, which no figure carries
        case
            when
                not three_public_stated.stated and three_public_zero_total.total_line is null
                and coalesce(table_side.actual_wan, 0) = 0
                then 'side_not_printed'
        end as not_evaluable_reason
    from three_public_stated
    left join three_public_zero_total
        on three_public_stated.document_id = three_public_zero_total.document_id
    left join three_public_table as table_side
        on
            three_public_stated.document_id = table_side.document_id
            and three_public_stated.table_item = table_side.expense_item
),

-- --------------------------------------------------- 公务接待费 > 0: 批次 and 人次 stated
reception_counts as (
    select
        'narr_reception_counts' as rule_id,
        table_side.document_id,
        '情况说明:三公:reception:counts' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        'count' as measure,
        '情况说明 国内接待 批次 and 人次 stated (count of the two)' as lhs_label,
        count(distinct figures.metric_measure) as lhs_value,
        '公开09 决算数 公务接待费 ' || {{ number_text('any_value(table_side.actual_wan)') }}
        || ' > 0: both counts stated' as rhs_label,
        2 as rhs_value,
        {{ source_lines('figures.source_line') }} as lhs_source_lines,
        any_value(table_side.table_lines) as rhs_source_lines,
        0 as envelope,
        cast(null as varchar) as not_evaluable_reason
    from three_public_table as table_side
    left join figures
        on
            table_side.document_id = figures.document_id
            and figures.metric_prefix in ('three_public.reception_domestic', 'three_public.reception')
            and figures.metric_measure in ('batches', 'persons')
    where
        table_side.expense_item = 'official_reception'
        and table_side.actual_wan > 0
        and exists (
            select spoken.document_id from figures as spoken
            where spoken.document_id = table_side.document_id and spoken.metric_family = 'three_public'
        )
    group by table_side.document_id
),

-- ------------------------------------------------------- an empty table carries its note
inventory as (
    select * from {{ ref('stg_extract__table_inventory') }}
    where table_kind in ('government_fund', 'state_capital', 'three_public') and status <> 'missing'
),

table_amounts as (
    select
        document_id,
        table_kind,
        value_wan
    from {{ ref('int_function_amounts_unpivoted') }}
    where table_kind in ('government_fund', 'state_capital')
    union all
    select
        document_id,
        'three_public' as table_kind,
        amount_wan as value_wan
    from {{ ref('stg_extract__three_public_expenses') }}
),

table_totals as (
    select
        document_id,
        table_kind,
        sum(abs(value_wan)) as printed_wan,
        count(value_wan) as known_cells
    from table_amounts
    group by document_id, table_kind
),

empty_table_notes as (
    select
        'narr_empty_table_note' as rule_id,
        inventory.document_id,
        inventory.source_table || ':' || inventory.table_kind || ':note' as scope,
        '{{ this.name }}' as evaluated_by,
        inventory.source_table,
        inventory.source_line,
        'count' as measure,
        inventory.source_table || ' printed empty: its 无数据 note (1 = printed)' as lhs_label,
        case
            when inventory.status = 'declared_empty' then 1
            when inventory.status = 'extracted' and table_totals.known_cells > 0 then 0
        end as lhs_value,
        inventory.source_table || ' ' || coalesce(inventory.title, inventory.table_kind)
        || ': every amount blank or 0, so a note says why' as rhs_label,
        1 as rhs_value,
        {{ source_ref('inventory.source_line', 'inventory.source_page') }} as lhs_source_lines,
        {{ source_ref('inventory.source_line', 'inventory.source_page') }} as rhs_source_lines,
        0 as envelope,
        -- a table whose rows could not be read (unrecognised) or whose cells are unknown
        case
            when inventory.status = 'declared_empty' then null
            when inventory.status = 'unrecognised' or coalesce(table_totals.known_cells, 0) = 0 then 'unresolved'
        end as not_evaluable_reason
    from inventory
    left join table_totals
        on inventory.document_id = table_totals.document_id and inventory.table_kind = table_totals.table_kind
    where inventory.status = 'declared_empty' or coalesce(table_totals.printed_wan, 0) = 0
)

select * from stated_rates
union all
select * from stated_shares
union all
select * from repeated_amounts
union all
select * from three_public_disclosed
union all
select * from reception_counts
union all
select * from empty_table_notes
