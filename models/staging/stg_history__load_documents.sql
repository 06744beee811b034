with source as (
    select * from {{ source('load_history', 'load_documents') }}
),

renamed as (
    select
        cast(load_id as varchar) as load_id,
        cast(document_id as varchar) as document_id,
        cast(document_kind as varchar) as document_kind,
        cast(department_name as varchar) as department_name,
        cast(fiscal_year as integer) as fiscal_year,
        cast(source_file as varchar) as source_file,
        cast(source_sha256 as varchar) as source_sha256,
        cast(line_count as integer) as line_count
    from source
)

select * from renamed
