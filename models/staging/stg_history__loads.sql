with source as (
    select * from {{ source('load_history', 'loads') }}
),

renamed as (
    select
        cast(load_id as varchar) as load_id,
        cast(started_at as timestamp) as started_at,
        cast(finished_at as timestamp) as finished_at,
        cast(source_kind as varchar) as source_kind,
        cast(source_path as varchar) as source_path,
        cast(extractor_version as varchar) as extractor_version,
        cast(document_set_sha256 as varchar) as document_set_sha256,
        cast(warehouse_path as varchar) as warehouse_path
    from source
)

select * from renamed
