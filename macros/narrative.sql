{#- A Jinja list of strings as a SQL list literal: ['a', 'b'] -> ('a', 'b'). -#}
{% macro sql_list(values) -%}
    ({% for value in values %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#-
    Several line lists ("492", "512,514", null; a PDF table row "p7:r23") as one sorted,
    distinct comma list: lines in order, then page by page (macro source_refs' order).
-#}
{% macro merge_lines(parts) -%}
    regexp_replace(
        array_to_string(list_sort(list_distinct(list_transform(
            regexp_extract_all(concat_ws(',', {{ parts | join(', ') }}), 'p[0-9]+:r[0-9]+|[0-9]+'),
            lambda ref: case
                when ref like 'p%' then 'p' || lpad(regexp_extract(ref, '^p([0-9]+)', 1), 6, '0')
                    || ':r' || lpad(regexp_extract(ref, '([0-9]+)$', 1), 6, '0')
                else lpad(ref, 10, '0')
            end
        ))), ','),
        '(^|,|p|:r)0+([0-9])', '\1\2', 'g'
    )
{%- endmacro %}

{#-
    Half a display unit of a narrative figure in 万元, from its printed digits and unit
    ("377.5" 万元 -> 0.05, "3,809.71" 万元 -> 0.005, "1200" 元 -> 0.00005).
-#}
{% macro figure_half_wan(printed, unit) -%}
    {{ half_unit(printed) }} * case {{ unit }} when '元' then 0.0001 when '亿元' then 10000 else 1 end
{%- endmacro %}
