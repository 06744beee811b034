{#- Shared columns of the code tables' staging models (公开02/03/05/07/08). -#}

{#- Provenance (national code from the table kind, label as printed, page, line), the subject code and the name without wrap spaces (printed name kept). -#}
{% macro function_row_keys() -%}
    {{ standard_table_provenance() }},
    {{ normalise_code('subject_code') }} as subject_code,
    {{ normalise_name('subject_name') }} as subject_name,
    subject_name as subject_name_printed
{%- endmacro %}

{#- Each printed amount as <col>_wan decimal(18,2) beside its printed text <col>_printed. -#}
{% macro printed_amounts(columns) -%}
    {%- for col in columns %}
    {{ parse_amount(col, 'missing_cells', col) }} as {{ col }}_wan,
    {{ col }} as {{ col }}_printed{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Level, parent and the 合计 flag, derived from the normalised code and name. -#}
{% macro function_row_attributes() -%}
    {{ function_subject_level('subject_code') }} as subject_level,
    {{ function_parent_code('subject_code') }} as parent_code,
    subject_code is null and subject_name = '合计' as is_total_row
{%- endmacro %}
