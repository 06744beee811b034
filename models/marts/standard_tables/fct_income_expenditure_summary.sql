with lines as (
    select * from {{ ref('stg_extract__income_expenditure_summary') }}
),

roles as (
    select distinct
        document_id,
        source_table,
        side,
        line_no,
        line_role
    from {{ ref('int_summary_lines_classified') }}
)

select
    {{ surrogate_key(['lines.document_id', 'lines.source_table', 'lines.side', 'lines.line_no']) }} as summary_line_id,
    lines.document_id,
    lines.source_table,
    lines.side,
    lines.line_no,
    lines.item_name,
    roles.line_role,
    lines.amount_wan,
    lines.general_budget_wan,
    lines.gov_fund_wan,
    lines.state_capital_wan,
    lines.source_line,
    lines.table_kind,
    lines.table_label,
    lines.source_page
from lines
left join roles
    on
        lines.document_id = roles.document_id
        and lines.source_table = roles.source_table
        and lines.side = roles.side
        and lines.line_no = roles.line_no
