{#-
    The nine standard tables are known by their canonical `table_kind` (read by the
    extractor from the table's title, whatever the template numbers or labels it). The
    rules name a table by its national code (公开01 … 公开09); the code is derived from
    the kind here, in one place, and the label as printed is kept beside it
    (`table_label`): Putuo prints no label, and its 七 is 三公 where Jinan's 公开07 is
    政府性基金. A raw row without a kind (an older extract) keeps its printed label as
    the code and gets its kind from it.
-#}
{% macro standard_table_kinds() -%}
{{ return([
    ('income_expenditure_summary', '公开01'),
    ('income_by_function', '公开02'),
    ('expenditure_by_function', '公开03'),
    ('appropriation_summary', '公开04'),
    ('general_budget_expenditure', '公开05'),
    ('basic_expenditure_by_economic', '公开06'),
    ('government_fund', '公开07'),
    ('state_capital', '公开08'),
    ('three_public', '公开09'),
]) }}
{%- endmacro %}

{#- The national code (公开0N) of a row's table: from its kind, else its printed label. -#}
{% macro table_code(kind_column='table_kind', label_column='source_table') -%}
    case nullif(trim({{ kind_column }}), '')
        {%- for kind, code in standard_table_kinds() %}
        when '{{ kind }}' then '{{ code }}'
        {%- endfor %}
        else {{ label_column }}
    end
{%- endmacro %}

{#- The canonical kind of a row's table: as extracted, else from a printed 公开0N label. -#}
{% macro table_kind_of(kind_column='table_kind', label_column='source_table') -%}
    coalesce(
        nullif(trim({{ kind_column }}), ''),
        case {{ label_column }}
            {%- for kind, code in standard_table_kinds() %}
            when '{{ code }}' then '{{ kind }}'
            {%- endfor %}
        end
    )
{%- endmacro %}

{#- The provenance columns every standard-table staging model starts with. -#}
{% macro standard_table_provenance() -%}
    document_id,
    {{ table_code() }} as source_table,
    {{ table_kind_of() }} as table_kind,
    source_table as table_label,
    try_cast(nullif(trim(source_page), '') as integer) as source_page,
    cast(source_line as integer) as source_line
{%- endmacro %}

{#- The kinds, for accepted_values-like checks in SQL. -#}
{% macro standard_table_kind_list() -%}
    {%- for kind, code in standard_table_kinds() -%}
        '{{ kind }}'{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
