-- The nine standard tables of each final account: what the document prints of each kind.
-- A declared-empty table (printed with a note such as "…故本表无数据") has nothing to
-- check; a missing or unrecognised one is a finding (rule table_printed).
with inventory as (
    select * from {{ ref('stg_extract__table_inventory') }}
)

select
    {{ surrogate_key(['document_id', 'table_kind']) }} as table_inventory_id,
    document_id,
    table_kind,
    source_table,
    table_label,
    title,
    status,
    note,
    row_count,
    source_page,
    source_line
from inventory
