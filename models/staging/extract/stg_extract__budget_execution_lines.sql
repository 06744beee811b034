-- Sub-project / per-department budget and execution rows (Qingdao 2020 表1-2 in 万元, the
-- Qingdao 2023 各部门预算执行明细表 in 元), amounts as decimal(18,6) 万元.
with source as (
    select * from {{ raw_table('raw_budget_execution_lines') }}
)

select
    document_id,
    source_table,
    cast(source_line as integer) as source_line,
    cast(row_seq as integer) as row_seq,
    nullif(trim(printed_seq), '') as printed_seq,
    row_kind,
    {{ normalise_name('area') }} as area,
    {{ normalise_name('unit_name') }} as unit_name,
    {{ normalise_name('line_name') }} as line_name,
    amount_unit,
    {{ amount_wan('initial_budget', 'amount_unit') }} as initial_budget_wan,
    {{ amount_wan('budget', 'amount_unit') }} as budget_wan,
    {{ amount_wan('executed', 'amount_unit') }} as executed_wan,
    nullif(trim(execution_rate), '') as execution_rate_printed,
    {{ rate_ratio('execution_rate') }} as execution_rate_ratio,
    {{ rate_decimals('execution_rate') }} as execution_rate_decimals,
    nullif(regexp_replace(trim(coalesce(note, '')), '^[-—]+$', ''), '') as note,
    initial_budget as initial_budget_printed,
    budget as budget_printed,
    executed as executed_printed
from source
