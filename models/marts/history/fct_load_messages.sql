-- Every message the extractor left about a load's input files: files it could not load
-- (empty, binary, no recognisable structure), tables not found, rows with fewer cells,
-- values sent to the rejects, a second copy of a document, an encoding other than UTF-8.
with messages as (
    select * from {{ ref('stg_history__load_messages') }}
),

loads as (
    select * from {{ ref('int_loads_sequenced') }}
)

select
    {{ surrogate_key(['messages.load_id', 'messages.message_seq']) }} as load_message_id,
    messages.load_id,
    loads.load_seq,
    messages.message_seq,
    messages.severity,
    messages.source_file,
    messages.document_id,
    messages.source_table,
    messages.source_line,
    messages.message
from messages
inner join loads
    on messages.load_id = loads.load_id
