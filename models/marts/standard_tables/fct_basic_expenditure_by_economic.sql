with economic as (
    select * from {{ ref('stg_extract__basic_expenditure_by_economic') }}
)

select
    {{ surrogate_key(['document_id', 'economic_code']) }} as economic_row_id,
    document_id,
    economic_code,
    economic_name,
    expense_category,
    economic_level,
    amount_wan,
    source_line,
    table_kind,
    table_label,
    source_page
from economic
where not is_total_row
