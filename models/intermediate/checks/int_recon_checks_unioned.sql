-- All rule families in one shape: the input of fct_reconciliation_checks. Values are
-- decimal(18,6): 万元 amounts of the standard tables have 2 decimals, but 元 converted to
-- 万元, rates (0.9921) and their recomputations need 6.
{%- set families = [
    'int_recon_hierarchy',
    'int_recon_row_totals',
    'int_recon_summary_balances',
    'int_recon_economic_totals',
    'int_recon_three_public',
    'int_recon_cross_table',
    'int_recon_perf_budget',
    'int_recon_perf_scores',
    'int_recon_perf_indicators',
    'int_recon_perf_summaries',
    'int_recon_budget_lines',
    'int_recon_evaluation_reports',
    'int_recon_narrative_tables',
    'int_recon_narrative_internal',
    'int_recon_narrative_performance',
] %}

{%- for family in families %}
select
    rule_id,
    document_id,
    scope,
    lhs_label,
    cast(lhs_value as decimal(18, 6)) as lhs_value,
    rhs_label,
    cast(rhs_value as decimal(18, 6)) as rhs_value,
    lhs_source_lines,
    rhs_source_lines
from {{ ref(family) }}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
