-- Every amount cell of the function-coded tables (公开02/03/05/07/08) as one row, so
-- the hierarchy rules are written once for all tables and all columns.
{%- set tables = [
    {'model': 'stg_extract__income_by_function', 'where': 'true', 'columns': [
        'total', 'fiscal_appropriation', 'superior_subsidy', 'business_income',
        'operating_income', 'affiliate_remittance', 'other_income']},
    {'model': 'stg_extract__expenditure_by_function', 'where': "source_table = '公开03'", 'columns': [
        'total', 'basic', 'project', 'remit_to_superior', 'operating', 'subsidy_to_affiliates']},
    {'model': 'stg_extract__expenditure_by_function', 'where': "source_table <> '公开03'", 'columns': [
        'total', 'basic', 'project']},
    {'model': 'stg_extract__government_fund_by_function', 'where': 'true', 'columns': [
        'carryover_begin', 'income', 'expenditure_total', 'expenditure_basic',
        'expenditure_project', 'carryover_end']},
] %}

{%- for table in tables %}
{%- for column in table.columns %}
select
    document_id,
    source_table,
    source_line,
    subject_code,
    subject_name,
    subject_level,
    parent_code,
    is_total_row,
    '{{ column }}' as value_column,
    {{ column }}_wan as value_wan
from {{ ref(table.model) }}
where {{ table.where }}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
    {%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
