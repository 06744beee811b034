with economic as (
    select * from {{ ref('stg_extract__basic_expenditure_by_economic') }}
)

select
    {{ surrogate_key(['document_id', 'expense_category']) }} as economic_total_id,
    document_id,
    expense_category,
    economic_name as printed_label,
    amount_wan,
    source_line,
    table_kind,
    table_label,
    source_page
from economic
where is_total_row
