-- Sub-project / per-department budget and execution rows in 万元, with the execution
-- rate as printed and recomputed from the stored numerator (executed_wan) and
-- denominator (budget_wan), and the outcome of the line's checks.
with lines as (
    select * from {{ ref('stg_extract__budget_execution_lines') }}
),

-- the line's checks, classified as in fct_reconciliation_checks, found by the line they
-- are about
checks as (
    {{ classified_checks('(' ~ unioned_checks(['int_recon_budget_lines']) ~ ')') }}
)

select
    {{ surrogate_key(['lines.document_id', 'lines.source_table', 'lines.row_seq']) }} as budget_line_id,
    lines.document_id,
    lines.source_table,
    lines.source_line,
    lines.row_seq,
    lines.printed_seq,
    lines.row_kind,
    lines.area,
    lines.unit_name,
    lines.line_name,
    lines.amount_unit,
    lines.initial_budget_wan,
    lines.budget_wan,
    lines.executed_wan,
    lines.execution_rate_printed as execution_rate_text,
    lines.execution_rate_ratio as execution_rate_printed,
    lines.execution_rate_decimals,
    {{ exact_ratio('lines.executed_wan', 'lines.budget_wan', 6) }} as execution_rate_computed,
    rate_checks.status as execution_rate_status,
    spend_checks.status as spend_status,
    lines.note
from lines
left join checks as rate_checks
    on
        lines.document_id = rate_checks.document_id
        and lines.source_table = rate_checks.source_table
        and lines.source_line = rate_checks.source_line
        and rate_checks.rule_id = 'lines_rate'
left join checks as spend_checks
    on
        lines.document_id = spend_checks.document_id
        and lines.source_table = spend_checks.source_table
        and lines.source_line = spend_checks.source_line
        and spend_checks.rule_id = 'lines_spend_within_budget'
