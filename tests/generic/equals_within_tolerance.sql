{#-
    Row identity: the tested column equals an expression of other columns within a
    tolerance (万元), e.g. total_wan = basic_wan + project_wan. Pass `rule_id` to take the
    tolerance from the rule_registry seed (the single place tolerances live), or an
    explicit `tolerance` for non-money identities (counts: 0). Rows where either side is
    null are skipped (a missing cell is reported by the reconciliation, not here);
    `where_clause` narrows the rows tested.
-#}
{% test equals_within_tolerance(model, column_name, expression, rule_id=none, tolerance=none, where_clause='true') %}
    {%- if rule_id is not none -%}
        {%- set limit -%}
            (select max(registry.tolerance) from {{ ref('rule_registry') }} as registry
             where registry.rule_id = '{{ rule_id }}')
        {%- endset -%}
    {%- elif tolerance is not none -%}
        {%- set limit = tolerance -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error('equals_within_tolerance needs rule_id or tolerance') }}
    {%- endif %}
    select
        *,
        {{ column_name }} - ({{ expression }}) as difference
    from {{ model }}
    where ({{ where_clause }})
        and {{ column_name }} is not null
        and ({{ expression }}) is not null
        and abs({{ column_name }} - ({{ expression }})) > {{ limit }}
{% endtest %}
