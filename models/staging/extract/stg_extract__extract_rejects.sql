with source as (
    select * from {{ raw_table('raw_extract_rejects') }}
),

renamed as (
    select
        document_id,
        source_file,
        source_table,
        nullif(trim(table_kind), '') as table_kind,
        try_cast(nullif(trim(source_page), '') as integer) as source_page,
        try_cast(source_line as integer) as source_line,
        reason,
        line_text
    from source
)

select * from renamed
