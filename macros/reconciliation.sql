{#-
    Sum that stays unknown when any summand is unknown (a missing cell must never be
    read as zero in a comparison). `condition` restricts the rows summed, like FILTER.
-#}
{% macro strict_sum(value, condition='true') -%}
    case
        when bool_or({{ value }} is null) filter (where {{ condition }}) then null
        else coalesce(sum({{ value }}) filter (where {{ condition }}), 0)
    end
{%- endmacro %}

{#- Distinct source lines as a sorted comma list, so a reader can open the document there. -#}
{% macro source_lines(line, condition='true') -%}
    array_to_string(list_sort(list_distinct(list({{ line }}) filter (where {{ condition }}))), ',')
{%- endmacro %}

{#-
    pass: identical; rounding: within the rule's tolerance (尾数误差 of summing in 元
    and rounding to 0.01 万元); fail: beyond it, or not evaluable because a side is unknown
    (a check that could not run is counted, never silently passed).
-#}
{% macro check_status(difference, tolerance) -%}
    case
        when {{ difference }} is null then 'fail'
        when {{ difference }} = 0 then 'pass'
        when abs({{ difference }}) <= {{ tolerance }} then 'rounding'
        else 'fail'
    end
{%- endmacro %}

{#- Stable text key from several columns (no dbt_utils here). -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|'
        {%- for column in columns %}, coalesce(cast({{ column }} as varchar), '∅'){% endfor -%}
    ))
{%- endmacro %}

{#-
    Value of the one summary line playing `role` within a GROUP BY. A required line that
    is absent (or printed twice) gives null so the check fails visibly; an optional line
    that the table does not print (公开04 has no 结余分配) counts as 0.
-#}
{% macro summary_line_value(role, required=true) -%}
    case
        {%- if not required %}
            when count(*) filter (where line_role = '{{ role }}') = 0 then 0
        {%- endif %}
        when count(*) filter (where line_role = '{{ role }}') = 1
            then max(value_wan) filter (where line_role = '{{ role }}')
    end
{%- endmacro %}
