{#- A Jinja list of strings as a SQL list literal: ['a', 'b'] -> ('a', 'b'). -#}
{% macro sql_list(values) -%}
    ({% for value in values %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#- Several line lists ("492", "512,514", null) as one sorted, distinct comma list of lines. -#}
{% macro merge_lines(parts) -%}
    array_to_string(list_sort(list_distinct(
        cast(regexp_extract_all(concat_ws(',', {{ parts | join(', ') }}), '\d+') as integer [])
    )), ',')
{%- endmacro %}

{#-
    Half a display unit of a narrative figure in 万元, from its printed digits and unit
    ("377.5" 万元 -> 0.05, "3,809.71" 万元 -> 0.005, "1200" 元 -> 0.00005).
-#}
{% macro figure_half_wan(printed, unit) -%}
    {{ half_unit(printed) }} * case {{ unit }} when '元' then 0.0001 when '亿元' then 10000 else 1 end
{%- endmacro %}
