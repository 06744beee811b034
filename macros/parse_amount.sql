{#-
    Parse a printed 万元 amount ("15,244.45", "377.5", "0.00", "" ...) into decimal(18,2).

    - a cell named in the row's `missing_cells` list was not printed at all: unknown, null;
    - a printed blank is zero (the tables print nothing for 0 in the tab layout);
    - thousands separators and any whitespace (incl. U+3000, and spaces left by PDF
      line wrapping such as "3040.77 5") are removed before casting.
    try_cast keeps one odd cell from failing the whole build; the `amount_is_parsed`
    generic test then reports every printed value that did not parse.
-#}
{% macro parse_amount(column, missing_cells_column=none, column_name=none) -%}
    {{ return(adapter.dispatch('parse_amount')(column, missing_cells_column, column_name)) }}
{%- endmacro %}

{% macro default__parse_amount(column, missing_cells_column, column_name) -%}
    {%- set cell = column_name if column_name is not none else column -%}
    case
        {%- if missing_cells_column is not none %}
            when {{ is_missing_cell(missing_cells_column, cell) }} then null
        {%- endif %}
        when {{ strip_amount_text(column) }} = '' then cast(0 as decimal(18, 2))
        else try_cast({{ strip_amount_text(column) }} as decimal(18, 2))
    end
{%- endmacro %}

{#- Printed text without separators and whitespace; '' for a blank or null cell. -#}
{% macro strip_amount_text(column) -%}
    regexp_replace(coalesce({{ column }}, ''), '[\s\x{3000}\x{00a0},，]', '', 'g')
{%- endmacro %}

{#- True when `cell` is listed in the ';'-separated missing_cells column. -#}
{% macro is_missing_cell(missing_cells_column, cell) -%}
    (';' || replace(coalesce({{ missing_cells_column }}, ''), ' ', '') || ';') like '%;{{ cell }};%'
{%- endmacro %}
