{#-
    Row identity: the tested column equals an expression of other columns within a
    tolerance (万元), e.g. total_wan = basic_wan + project_wan. Rows where either side is
    null are skipped (a missing cell is reported by the reconciliation, not here);
    `where` narrows the rows tested.
-#}
{% test equals_within_tolerance(model, column_name, expression, tolerance=0.02, where_clause='true') %}
    select
        *,
        {{ column_name }} - ({{ expression }}) as difference
    from {{ model }}
    where ({{ where_clause }})
        and {{ column_name }} is not null
        and ({{ expression }}) is not null
        and abs({{ column_name }} - ({{ expression }})) > {{ tolerance }}
{% endtest %}
