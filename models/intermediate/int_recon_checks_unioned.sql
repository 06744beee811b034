-- All rule families in one shape: the input of fct_reconciliation_checks.
{%- set families = [
    'int_recon_hierarchy',
    'int_recon_row_totals',
    'int_recon_summary_balances',
    'int_recon_economic_totals',
    'int_recon_three_public',
    'int_recon_cross_table',
] %}

{%- for family in families %}
select
    rule_id,
    document_id,
    scope,
    lhs_label,
    cast(lhs_value as decimal(18, 2)) as lhs_value,
    rhs_label,
    cast(rhs_value as decimal(18, 2)) as rhs_value,
    lhs_source_lines,
    rhs_source_lines
from {{ ref(family) }}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
