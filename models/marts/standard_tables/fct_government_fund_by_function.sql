with gov_fund as (
    select * from {{ ref('stg_extract__government_fund_by_function') }}
)

select
    {{ surrogate_key(['document_id', 'source_table', "coalesce(subject_code, '合计')"]) }} as fund_row_id,
    document_id,
    subject_code,
    subject_name,
    is_total_row,
    carryover_begin_wan,
    income_wan,
    expenditure_total_wan,
    expenditure_basic_wan,
    expenditure_project_wan,
    carryover_end_wan,
    source_line,
    table_kind,
    table_label,
    source_page
from gov_fund
