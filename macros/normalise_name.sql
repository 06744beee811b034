{#-
    Names as printed carry wrap spaces ("机关事业单位基本养老保险缴 费支出"), letter
    spacing ("合 计") and U+3000 indents ("　　一般公共预算财政拨款"). Remove all of it so
    names compare equal across layouts; null when nothing is left.
-#}
{% macro normalise_name(column) -%}
    nullif(regexp_replace(coalesce({{ column }}, ''), '[\s\x{3000}\x{00a0}]', '', 'g'), '')
{%- endmacro %}

{#- Codes stay text; only surrounding whitespace is dropped. -#}
{% macro normalise_code(column) -%}
    nullif(regexp_replace(coalesce({{ column }}, ''), '[\s\x{3000}\x{00a0}]', '', 'g'), '')
{%- endmacro %}
