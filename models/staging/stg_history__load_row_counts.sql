with source as (
    select * from {{ source('load_history', 'load_row_counts') }}
),

renamed as (
    select
        cast(load_id as varchar) as load_id,
        cast(raw_table as varchar) as raw_table,
        cast(row_count as bigint) as row_count
    from source
)

select * from renamed
