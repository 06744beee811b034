-- The nine standard tables of each final account, one row per table kind: extracted,
-- declared empty (printed with a note such as "…故本表无数据"), unrecognised or missing.
with source as (
    select * from {{ raw_table('raw_table_inventory') }}
),

renamed as (
    select
        document_id,
        table_kind,
        {{ table_code() }} as source_table,
        nullif(source_table, '') as table_label,
        nullif(title, '') as title,
        status,
        nullif(note, '') as note,
        try_cast(nullif(trim(source_page), '') as integer) as source_page,
        try_cast(nullif(trim(source_line), '') as integer) as source_line,
        coalesce(try_cast(nullif(trim(row_count), '') as integer), 0) as row_count
    from source
)

select * from renamed
