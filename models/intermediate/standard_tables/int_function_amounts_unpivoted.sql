-- Every amount cell of the function-coded tables (公开02/03/05/07/08) as one row, so
-- the hierarchy rules are written once for all tables and all columns (value_half_unit:
-- half a display unit at the cell's printed precision, its share of a rounding envelope). Tables are chosen
-- by table_kind (source_table is the national code derived from it). A 国有资本经营 table
-- printed with fund columns gives its expenditure columns through the expenditure model
-- (公开08 total/basic/project) and only its carry-over and income columns here.
{%- set tables = [
    {'model': 'stg_extract__income_by_function', 'where': 'true', 'columns': [
        'total', 'fiscal_appropriation', 'superior_subsidy', 'business_income',
        'operating_income', 'affiliate_remittance', 'other_income']},
    {'model': 'stg_extract__expenditure_by_function', 'where': "table_kind = 'expenditure_by_function'", 'columns': [
        'total', 'basic', 'project', 'remit_to_superior', 'operating', 'subsidy_to_affiliates']},
    {'model': 'stg_extract__expenditure_by_function', 'where': "table_kind <> 'expenditure_by_function'", 'columns': [
        'total', 'basic', 'project']},
    {'model': 'stg_extract__government_fund_by_function', 'where': "table_kind = 'government_fund'", 'columns': [
        'carryover_begin', 'income', 'expenditure_total', 'expenditure_basic',
        'expenditure_project', 'carryover_end']},
    {'model': 'stg_extract__government_fund_by_function', 'where': "table_kind = 'state_capital'", 'columns': [
        'carryover_begin', 'income', 'carryover_end']},
] %}

{%- for table in tables %}
{%- for column in table.columns %}
select
    document_id,
    source_table,
    table_kind,
    source_page,
    source_line,
    subject_code,
    subject_name,
    subject_level,
    parent_code,
    is_total_row,
    '{{ column }}' as value_column,
    {{ column }}_wan as value_wan,
    {{ half_unit(column ~ '_printed') }} as value_half_unit
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
