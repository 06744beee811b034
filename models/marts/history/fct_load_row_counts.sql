-- Rows per raw table in every load, beside the count of the load before.
with counts as (
    select * from {{ ref('stg_history__load_row_counts') }}
),

loads as (
    select * from {{ ref('int_loads_sequenced') }}
)

select
    {{ surrogate_key(['counts.load_id', 'counts.raw_table']) }} as load_row_count_id,
    counts.load_id,
    loads.load_seq,
    counts.raw_table,
    counts.row_count,
    previous.row_count as previous_row_count
from counts
inner join loads
    on counts.load_id = loads.load_id
left join counts as previous
    on
        loads.previous_load_id = previous.load_id
        and counts.raw_table = previous.raw_table
