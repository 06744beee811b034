-- Sub-project / per-department budget and execution rows in 万元, with the execution
-- rate as printed and recomputed from the stored numerator (executed_wan) and
-- denominator (budget_wan).
with lines as (
    select * from {{ ref('stg_extract__budget_execution_lines') }}
)

select
    {{ surrogate_key(['document_id', 'source_table', 'row_seq']) }} as budget_line_id,
    document_id,
    source_table,
    source_line,
    row_seq,
    printed_seq,
    row_kind,
    area,
    unit_name,
    line_name,
    amount_unit,
    initial_budget_wan,
    budget_wan,
    executed_wan,
    execution_rate_printed as execution_rate_text,
    execution_rate_ratio as execution_rate_printed,
    execution_rate_decimals,
    {{ exact_ratio('executed_wan', 'budget_wan', 6) }} as execution_rate_computed,
    note
from lines
