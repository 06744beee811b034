-- The documents of every load. A document is followed across loads by what it is
-- (kind, department, year): the same content again is `unchanged`, other content under
-- the same identity is `changed` (its rows replaced the previous version's), else `new`.
with documents as (
    select
        *,
        {{ surrogate_key(['document_kind', 'department_name', 'fiscal_year']) }} as document_key
    from {{ ref('stg_history__load_documents') }}
),

loads as (
    select * from {{ ref('int_loads_sequenced') }}
),

previous as (
    select
        load_id,
        document_key,
        string_agg(source_sha256, ',' order by source_sha256) as source_sha256s
    from documents
    group by load_id, document_key
)

select
    {{ surrogate_key(['documents.load_id', 'documents.document_id']) }} as load_document_id,
    documents.load_id,
    loads.load_seq,
    documents.document_id,
    documents.document_key,
    documents.document_kind,
    documents.department_name,
    documents.fiscal_year,
    documents.source_file,
    documents.source_sha256,
    documents.line_count,
    case
        when previous.document_key is null then 'new'
        when contains(previous.source_sha256s, documents.source_sha256) then 'unchanged'
        else 'changed'
    end as change_since_previous
from documents
inner join loads
    on documents.load_id = loads.load_id
left join previous
    on
        loads.previous_load_id = previous.load_id
        and documents.document_key = previous.document_key
