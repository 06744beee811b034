-- The table cells a narrative figure can restate, one row per cell, addressed as
-- '<table>:<row>[:<column>]': 公开01/04 totals, 公开04's 年初财政拨款结转和结余, the 合计 rows of 公开02/03/07/08, every code row
-- of 公开05, the printed 公开06 totals and the twelve 公开09 cells. A cell of a table that
-- is not printed has no row here, so a comparison with it is null (a fail, never a pass).
with summary_lines as (
    select * from {{ ref('int_summary_lines_classified') }}
),

function_amounts as (
    select * from {{ ref('int_function_amounts_unpivoted') }}
),

economic as (
    select * from {{ ref('stg_extract__basic_expenditure_by_economic') }}
),

three_public as (
    select * from {{ ref('stg_extract__three_public_expenses') }}
),

summary_cells as (
    select
        document_id,
        source_table || ':' || case
            when line_role = 'grand_total' then '总计'
            when line_role = 'carryover_begin' then '年初结转和结余'
            when side = 'income' then '本年收入合计'
            else '本年支出合计'
        end as cell_ref,
        source_table || ' ' || coalesce(item_name, '') as cell_label,
        value_wan,
        value_half_unit,
        source_page,
        source_line
    from summary_lines
    where
        value_column = 'amount'
        and (
            (line_role = 'grand_total' and side = 'income')
            or (line_role = 'current_total' and source_table = '公开01')
            or (line_role = 'carryover_begin' and source_table = '公开04' and side = 'income')
        )
),

function_cells as (
    select
        document_id,
        source_table || ':' || coalesce(subject_code, '合计') || ':' || value_column as cell_ref,
        source_table || ' ' || coalesce(subject_code || ' ' || subject_name, '合计') || ' [' || value_column || ']'
            as cell_label,
        value_wan,
        value_half_unit,
        source_page,
        source_line
    from function_amounts
    where
        (source_table in ('公开02', '公开03', '公开07', '公开08') and is_total_row)
        or (source_table = '公开05' and (is_total_row or value_column = 'total'))
),

economic_cells as (
    select
        document_id,
        '公开06:' || expense_category as cell_ref,
        '公开06 ' || economic_name as cell_label,
        amount_wan as value_wan,
        {{ half_unit('amount_printed') }} as value_half_unit,
        source_page,
        source_line
    from economic
    where is_total_row and expense_category is not null
),

three_public_cells as (
    select
        document_id,
        '公开09:' || phase || ':' || expense_item as cell_ref,
        '公开09 ' || phase || ' ' || expense_item || ' (column ' || column_no || ')' as cell_label,
        amount_wan as value_wan,
        {{ half_unit('amount_printed') }} as value_half_unit,
        source_page,
        source_line
    from three_public
),

unioned as (
    select * from summary_cells
    union all
    select * from function_cells
    union all
    select * from economic_cells
    union all
    select * from three_public_cells
)

-- a cell printed twice (it should not be) must not be read as one value
select
    document_id,
    cell_ref,
    min(cell_label) as cell_label,
    case when count(*) = 1 then min(value_wan) end as value_wan,
    -- half a display unit of the cell as printed (a blank is an exact 0), for the envelope
    case when count(*) = 1 then min(value_half_unit) end as value_half_unit,
    {{ source_refs('source_line', 'source_page') }} as source_lines
from unioned
group by document_id, cell_ref
