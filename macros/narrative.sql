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
