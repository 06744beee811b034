with cells as (
    select * from {{ ref('stg_extract__three_public_expenses') }}
),

items as (
    select
        document_id,
        expense_item,
        max(amount_wan) filter (where phase = 'budget') as budget_wan,
        max(amount_wan) filter (where phase = 'actual') as actual_wan,
        min(source_line) as source_line,
        any_value(table_kind) as table_kind,
        any_value(table_label) as table_label,
        min(source_page) as source_page
    from cells
    group by document_id, expense_item
)

select
    {{ surrogate_key(['document_id', 'expense_item']) }} as three_public_row_id,
    document_id,
    expense_item,
    budget_wan,
    actual_wan,
    -- a rate over a zero budget has no value (neither 0 nor infinity)
    cast(actual_wan / nullif(budget_wan, 0) as decimal(18, 6)) as execution_rate,
    source_line,
    table_kind,
    table_label,
    source_page
from items
