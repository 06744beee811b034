{#- A composite natural key is unique (nulls compared as equal, so a 合计 row counts once). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    select
        {%- for column in combination_of_columns %}
            {{ column }}{{ "," if not loop.last }}
        {%- endfor %},
        count(*) as n_rows
    from {{ model }}
    group by all
    having count(*) > 1
{% endtest %}
