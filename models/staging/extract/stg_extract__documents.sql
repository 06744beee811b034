with source as (
    select * from {{ raw_table('raw_documents') }}
),

renamed as (
    select
        document_id,
        document_kind,
        department_name,
        try_cast(fiscal_year as integer) as fiscal_year,
        source_file,
        source_sha256,
        try_cast(line_count as integer) as line_count,
        nullif(table_layout, '') as table_layout
    from source
)

select * from renamed
