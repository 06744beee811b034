with expenditure as (
    select * from {{ ref('stg_extract__expenditure_by_function') }}
)

select
    {{ surrogate_key(['document_id', 'source_table', "coalesce(subject_code, '合计')"]) }} as expenditure_row_id,
    document_id,
    source_table,
    subject_code,
    subject_name,
    is_total_row,
    total_wan,
    basic_wan,
    project_wan,
    remit_to_superior_wan,
    operating_wan,
    subsidy_to_affiliates_wan,
    source_line,
    table_kind,
    table_label,
    source_page
from expenditure
