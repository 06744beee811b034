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
        {{ source_lines('source_line', "line_role = 'numbered'") }} as numbered_lines,
        {{ summary_line_value('current_total') }} as current_total_wan,
        {{ source_lines('source_line', "line_role = 'current_total'") }} as current_total_lines,
        {{ summary_line_value('non_fiscal_balance_used', required=false) }} as non_fiscal_balance_used_wan,
        {{ summary_line_value('carryover_begin', required=false) }} as carryover_begin_wan,
        {{ summary_line_value('balance_distribution', required=false) }} as balance_distribution_wan,
        {{ summary_line_value('carryover_end', required=false) }} as carryover_end_wan,
        {{ source_lines('source_line', "line_role in ('current_total', 'non_fiscal_balance_used',
            'carryover_begin', 'balance_distribution', 'carryover_end')") }} as addend_lines,
        {{ summary_line_value('grand_total') }} as grand_total_wan,
        {{ source_lines('source_line', "line_role = 'grand_total'") }} as grand_total_lines
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
        try_cast(current_total_lines as integer) as source_line,
        value_column as measure,
        source_table || case side when 'income' then ' 本年收入合计' else ' 本年支出合计' end
        || ' [' || value_column || ']' as lhs_label,
        current_total_wan as lhs_value,
        'sum of ' || n_numbered || ' numbered ' || side || ' lines' as rhs_label,
        numbered_wan as rhs_value,
        current_total_lines as lhs_source_lines,
        numbered_lines as rhs_source_lines
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
        try_cast(grand_total_lines as integer) as source_line,
        value_column as measure,
        source_table || ' ' || side || ' 总计 [' || value_column || ']' as lhs_label,
        grand_total_wan as lhs_value,
        case side
            when 'income' then '本年收入合计 + 使用非财政拨款结余 + 年初结转和结余'
            else '本年支出合计 + 结余分配 + 年末结转和结余'
        end as rhs_label,
        case side
            when 'income' then current_total_wan + non_fiscal_balance_used_wan + carryover_begin_wan
            else current_total_wan + balance_distribution_wan + carryover_end_wan
        end as rhs_value,
        grand_total_lines as lhs_source_lines,
        addend_lines as rhs_source_lines
    from sides
),

grand_totals_balance as (
    select
        'sum_grand_totals_balance' as rule_id,
        income.document_id,
        income.source_table || ':amount' as scope,
        '{{ this.name }}' as evaluated_by,
        income.source_table,
        try_cast(income.grand_total_lines as integer) as source_line,
        'amount' as measure,
        income.source_table || ' income 总计' as lhs_label,
        income.grand_total_wan as lhs_value,
        income.source_table || ' expenditure 总计' as rhs_label,
        expenditure.grand_total_wan as rhs_value,
        income.grand_total_lines as lhs_source_lines,
        expenditure.grand_total_lines as rhs_source_lines
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
)

select * from items_total
union all
select * from grand_total
union all
select * from grand_totals_balance
