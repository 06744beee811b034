with income as (
    select * from {{ ref('stg_extract__income_by_function') }}
)

select
    {{ surrogate_key(['document_id', 'source_table', "coalesce(subject_code, '合计')"]) }} as income_row_id,
    document_id,
    subject_code,
    subject_name,
    is_total_row,
    total_wan,
    fiscal_appropriation_wan,
    superior_subsidy_wan,
    business_income_wan,
    operating_income_wan,
    affiliate_remittance_wan,
    other_income_wan,
    source_line,
    table_kind,
    table_label,
    source_page
from income
