-- Budget-execution lines (sub-project / per-department rows): items add up to their
-- area subtotal and to the 合计, subtotals add up to the 合计, each printed rate is
-- 执行 / 预算 at its printed precision, and no line spends more than its budget.
{%- set columns = [('initial_budget', '年初预算'), ('budget', '预算'), ('executed', '执行')] %}

with lines as (
    select * from {{ ref('stg_extract__budget_execution_lines') }}
),

cells as (
    {%- for column, label in columns %}
    select
        document_id,
        source_table,
        source_line,
        row_seq,
        row_kind,
        area,
        coalesce(line_name, unit_name) as line_label,
        '{{ column }}' as value_column,
        '{{ label }}' as column_label,
        {{ column }}_wan as value_wan
    from lines
    where {{ column }}_printed is not null and trim({{ column }}_printed) <> ''
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

items_by_area as (
    select
        document_id,
        source_table,
        area,
        value_column,
        {{ strict_sum('value_wan') }} as items_wan,
        count(*) as item_count,
        {{ source_lines('source_line') }} as item_lines
    from cells
    where row_kind = 'item' and area is not null
    group by document_id, source_table, area, value_column
),

items_subtotal as (
    select
        'lines_items_subtotal' as rule_id,
        subtotals.document_id,
        subtotals.source_table || ':' || subtotals.area || ':' || subtotals.value_column as scope,
        '{{ this.name }}' as evaluated_by,
        subtotals.source_table,
        subtotals.source_line,
        subtotals.value_column as measure,
        subtotals.source_table || ' ' || subtotals.line_label || ' ' || subtotals.column_label as lhs_label,
        subtotals.value_wan as lhs_value,
        'Σ ' || coalesce(items.item_count, 0) || ' item rows of ' || subtotals.area as rhs_label,
        coalesce(items.items_wan, 0) as rhs_value,
        cast(subtotals.source_line as varchar) as lhs_source_lines,
        items.item_lines as rhs_source_lines
    from cells as subtotals
    left join items_by_area as items
        on
            subtotals.document_id = items.document_id
            and subtotals.source_table = items.source_table
            and subtotals.area = items.area
            and subtotals.value_column = items.value_column
    where subtotals.row_kind = 'subtotal'
),

parts_by_table as (
    select
        document_id,
        source_table,
        value_column,
        row_kind,
        {{ strict_sum('value_wan') }} as parts_wan,
        count(*) as part_count,
        {{ source_lines('source_line') }} as part_lines
    from cells
    where row_kind in ('item', 'subtotal')
    group by document_id, source_table, value_column, row_kind
),

totals as (
    select * from cells
    where row_kind = 'total'
),

parts_total as (
    select
        case parts.row_kind when 'item' then 'lines_items_total' else 'lines_subtotals_total' end as rule_id,
        totals.document_id,
        totals.source_table || ':合计:' || totals.value_column as scope,
        '{{ this.name }}' as evaluated_by,
        totals.source_table,
        totals.source_line,
        totals.value_column as measure,
        totals.source_table || ' 合计 ' || totals.column_label as lhs_label,
        totals.value_wan as lhs_value,
        'Σ ' || parts.part_count || case parts.row_kind when 'item' then ' item rows' else ' subtotal rows' end
            as rhs_label,
        parts.parts_wan as rhs_value,
        cast(totals.source_line as varchar) as lhs_source_lines,
        parts.part_lines as rhs_source_lines
    from totals
    inner join parts_by_table as parts
        on
            totals.document_id = parts.document_id
            and totals.source_table = parts.source_table
            and totals.value_column = parts.value_column
),

rates as (
    select
        'lines_rate' as rule_id,
        document_id,
        source_table || ':' || source_line || ':rate' as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        'rate' as measure,
        source_table || ' ' || coalesce(line_name, unit_name, '')
        || ' 执行率 as printed (' || execution_rate_printed || ')' as lhs_label,
        execution_rate_ratio as lhs_value,
        '执行 ' || {{ number_text('executed_wan') }} || ' / 预算 ' || {{ number_text('budget_wan') }}
        || ', half-up to ' || execution_rate_decimals || ' decimals' as rhs_label,
        {{ exact_ratio('executed_wan', 'budget_wan', 'execution_rate_decimals') }} as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from lines
    where execution_rate_ratio is not null and executed_wan is not null and budget_wan <> 0
),

within_budget as (
    select
        'lines_spend_within_budget' as rule_id,
        document_id,
        source_table || ':' || source_line || ':spend' as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        'spend' as measure,
        source_table || ' ' || coalesce(line_name, unit_name, '') || ' 执行' as lhs_label,
        executed_wan as lhs_value,
        'min(执行, 预算 ' || {{ number_text('budget_wan') }} || ')' as rhs_label,
        least(executed_wan, budget_wan) as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from lines
    where executed_wan is not null and budget_wan is not null
)

select * from items_subtotal
union all
select * from parts_total
union all
select * from rates
union all
select * from within_budget
