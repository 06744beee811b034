-- Loads in the order they ran, each with the load before it (the one its checks are
-- compared with) and the digest of its document set.
with loads as (
    select * from {{ ref('stg_history__loads') }}
),

sequenced as (
    select
        load_id,
        started_at,
        finished_at,
        source_kind,
        source_path,
        extractor_version,
        document_set_sha256,
        row_number() over (order by started_at, load_id) as load_seq,
        lag(load_id) over (order by started_at, load_id) as previous_load_id,
        lag(document_set_sha256) over (order by started_at, load_id) as previous_document_set_sha256
    from loads
)

select * from sequenced
