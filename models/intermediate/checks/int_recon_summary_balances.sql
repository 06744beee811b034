-- Balance rules of the two-sided summary tables 公开01 / 公开04, per side and per amount
-- column printed on that side. Lines are found by role (see int_summary_lines_classified).
with lines as (
    select * from {{ ref('int_summary_lines_classified') }}
),

sides as (
    select
        document_id,
        source_table,
        side,
        value_column,
        count(*) filter (where line_role = 'numbered') as n_numbered,
        {{ strict_sum('value_wan', "line_role = 'numbered'") }} as numbered_wan,
        {{ source_refs('source_line', 'source_page', "line_role = 'numbered'") }} as numbered_lines,
        coalesce(sum(value_half_unit) filter (where line_role = 'numbered'), 0) as numbered_half_units,
        coalesce(sum(value_half_unit) filter (where line_role = 'current_total'), 0) as current_total_half_units,
        coalesce(sum(value_half_unit) filter (
            where line_role in ('non_fiscal_balance_used', 'carryover_begin')
        ), 0) as income_addend_half_units,
        coalesce(sum(value_half_unit) filter (
            where line_role in ('balance_distribution', 'carryover_end')
        ), 0) as expenditure_addend_half_units,
        coalesce(sum(value_half_unit) filter (where line_role = 'grand_total'), 0) as grand_total_half_units,
        {{ summary_line_value('current_total') }} as current_total_wan,
        {{ source_refs('source_line', 'source_page', "line_role = 'current_total'") }} as current_total_lines,
        -- the row a fact joins the check on: the one line of the role (none when printed twice)
        case
            when count(distinct source_line) filter (where line_role = 'current_total') = 1
                then min(source_line) filter (where line_role = 'current_total')
        end as current_total_line,
        {{ summary_line_value('non_fiscal_balance_used', required=false) }} as non_fiscal_balance_used_wan,
        {{ summary_line_value('carryover_begin', required=false) }} as carryover_begin_wan,
        {{ summary_line_value('balance_distribution', required=false) }} as balance_distribution_wan,
        {{ summary_line_value('carryover_end', required=false) }} as carryover_end_wan,
        {{ source_refs('source_line', 'source_page', "line_role in ('current_total', 'non_fiscal_balance_used',
            'carryover_begin', 'balance_distribution', 'carryover_end')") }} as addend_lines,
        {{ summary_line_value('grand_total') }} as grand_total_wan,
        {{ source_refs('source_line', 'source_page', "line_role = 'grand_total'") }} as grand_total_lines,
        case
            when count(distinct source_line) filter (where line_role = 'grand_total') = 1
                then min(source_line) filter (where line_role = 'grand_total')
        end as grand_total_line
    from lines
    group by document_id, source_table, side, value_column
),

items_total as (
    select
        case side
            when 'income' then 'sum_income_items_total'
            else 'sum_expenditure_classes_total'
        end as rule_id,
        document_id,
        source_table || ':' || side || ':' || value_column as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        current_total_line as source_line,
        value_column as measure,
        source_table || case side when 'income' then ' 本年收入合计' else ' 本年支出合计' end
        || ' [' || value_column || ']' as lhs_label,
        current_total_wan as lhs_value,
        source_table || ' sum of ' || n_numbered || ' numbered ' || side || ' lines' as rhs_label,
        numbered_wan as rhs_value,
        current_total_lines as lhs_source_lines,
        numbered_lines as rhs_source_lines,
        current_total_half_units + numbered_half_units as envelope,
        cast(null as varchar) as not_evaluable_reason
    from sides
),

grand_total as (
    select
        case side
            when 'income' then 'sum_income_grand_total'
            else 'sum_expenditure_grand_total'
        end as rule_id,
        document_id,
        source_table || ':' || side || ':' || value_column as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        grand_total_line as source_line,
        value_column as measure,
        source_table || ' ' || side || ' 总计 [' || value_column || ']' as lhs_label,
        grand_total_wan as lhs_value,
        source_table || case side
            when 'income' then ' 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余'
            else ' 本年支出合计 + 结余分配 + 年末结转和结余'
        end as rhs_label,
        case side
            when 'income' then current_total_wan + non_fiscal_balance_used_wan + carryover_begin_wan
            else current_total_wan + balance_distribution_wan + carryover_end_wan
        end as rhs_value,
        grand_total_lines as lhs_source_lines,
        addend_lines as rhs_source_lines,
        grand_total_half_units + current_total_half_units
        + case side when 'income' then income_addend_half_units else expenditure_addend_half_units end as envelope,
        cast(null as varchar) as not_evaluable_reason
    from sides
),

grand_totals_balance as (
    select
        'sum_grand_totals_balance' as rule_id,
        income.document_id,
        income.source_table || ':amount' as scope,
        '{{ this.name }}' as evaluated_by,
        income.source_table,
        income.grand_total_line as source_line,
        'amount' as measure,
        income.source_table || ' income 总计' as lhs_label,
        income.grand_total_wan as lhs_value,
        income.source_table || ' expenditure 总计' as rhs_label,
        expenditure.grand_total_wan as rhs_value,
        income.grand_total_lines as lhs_source_lines,
        expenditure.grand_total_lines as rhs_source_lines,
        income.grand_total_half_units + expenditure.grand_total_half_units as envelope,
        cast(null as varchar) as not_evaluable_reason
    from sides as income
    inner join sides as expenditure
        on
            income.document_id = expenditure.document_id
            and income.source_table = expenditure.source_table
            and income.value_column = expenditure.value_column
    where
        income.side = 'income'
        and expenditure.side = 'expenditure'
        and income.value_column = 'amount'
),

-- 公开04, each fund (一般公共预算 / 政府性基金 / 国有资本经营): 本年收入 + 年初结转和结余 =
-- 本年支出 + 年末结转和结余. Income and carry-in are income-side lines named by the fund
-- (the numbered income line, the sub-line under 年初…结转和结余); spending and carry-out are
-- the fund's column of 本年支出合计 / 年末…结转和结余. A fund's carry-in sub-line not printed
-- is 0 only where the 年初 line itself is 0 (a blank confirmed by its table); a line or cell
-- not printed otherwise leaves the check not evaluable.
funds (value_column, fund_name, fund_pattern) as (
    values
    ('general_budget', '一般公共预算财政拨款', '%一般公共预算%'),
    ('gov_fund', '政府性基金预算财政拨款', '%政府性基金%'),
    ('state_capital', '国有资本经营预算财政拨款', '%国有资本经营%')
),

fund_lines as (
    select
        lines.document_id,
        lines.source_table,
        funds.value_column,
        funds.fund_name,
        lines.source_page,
        lines.source_line,
        lines.value_wan,
        lines.value_half_unit,
        case
            when
                lines.side = 'income' and lines.value_column = 'amount' and lines.line_role = 'numbered'
                and lines.class_name like funds.fund_pattern
                then 'income'
            when
                lines.side = 'income' and lines.value_column = 'amount' and lines.line_role = 'component'
                and lines.item_name like funds.fund_pattern
                then 'carry_in'
            when
                lines.side = 'income' and lines.value_column = 'amount' and lines.line_role = 'carryover_begin'
                then 'carry_in_total'
            when
                lines.side = 'expenditure' and lines.value_column = funds.value_column
                and lines.line_role = 'current_total'
                then 'spent'
            when
                lines.side = 'expenditure' and lines.value_column = funds.value_column
                and lines.line_role = 'carryover_end'
                then 'carry_out'
        end as fund_role
    from lines
    cross join funds
    where lines.source_table = '公开04'
),

fund_sums as (
    select
        document_id,
        source_table,
        value_column,
        fund_name,
        {%- for role in ['income', 'carry_in', 'carry_in_total', 'spent', 'carry_out'] %}
        case
            when count(*) filter (where fund_role = '{{ role }}') = 1
                then max(value_wan) filter (where fund_role = '{{ role }}')
        end as {{ role }}_wan,
        count(*) filter (where fund_role = '{{ role }}') as n_{{ role }},
        coalesce(sum(value_half_unit) filter (where fund_role = '{{ role }}'), 0) as {{ role }}_half_units,
        {%- endfor %}
        {{ source_refs('source_line', 'source_page', "fund_role in ('income', 'carry_in')") }} as income_lines,
        {{ source_refs('source_line', 'source_page', "fund_role in ('spent', 'carry_out')") }} as expenditure_lines,
        min(source_line) filter (where fund_role = 'income') as income_line
    from fund_lines
    where fund_role is not null
    group by document_id, source_table, value_column, fund_name
),

fund_rollforward as (
    select
        'sum_04_fund_rollforward' as rule_id,
        document_id,
        source_table || ':' || value_column as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        income_line as source_line,
        value_column as measure,
        source_table || ' ' || fund_name || ' 本年收入 + 年初结转和结余' as lhs_label,
        income_wan
        + case when n_carry_in = 0 and carry_in_total_wan = 0 then 0 else carry_in_wan end as lhs_value,
        source_table || ' ' || fund_name || ' 本年支出合计 + 年末结转和结余 [' || value_column || ']' as rhs_label,
        spent_wan + carry_out_wan as rhs_value,
        income_lines as lhs_source_lines,
        expenditure_lines as rhs_source_lines,
        income_half_units + carry_in_half_units + spent_half_units + carry_out_half_units as envelope,
        cast(null as varchar) as not_evaluable_reason
    from fund_sums
)

select * from items_total
union all
select * from grand_total
union all
select * from grand_totals_balance
union all
select * from fund_rollforward
