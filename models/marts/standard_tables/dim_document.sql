with documents as (
    select * from {{ ref('stg_extract__documents') }}
)

select
    document_id,
    document_kind,
    department_name,
    fiscal_year,
    source_file,
    source_sha256,
    table_layout
from documents
