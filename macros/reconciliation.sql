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

{#-
    The int_recon_* models, one per rule family, by rule domain (the registry's
    rule_domain; each rule's model is its evaluated_by, or reads the model that is).
    `domain` none: all of them, in the order of int_recon_checks_unioned.
-#}
{% macro recon_families(domain=none) -%}
    {%- set families = {
        'standard_tables': [
            'int_recon_hierarchy', 'int_recon_row_totals', 'int_recon_summary_balances',
            'int_recon_economic_totals', 'int_recon_three_public', 'int_recon_cross_table',
        ],
        'performance': [
            'int_recon_perf_budget', 'int_recon_perf_scores', 'int_recon_perf_indicators',
            'int_recon_perf_summaries', 'int_recon_budget_lines', 'int_recon_evaluation_reports',
        ],
        'narrative': [
            'int_recon_narrative_tables', 'int_recon_narrative_internal', 'int_recon_narrative_performance',
        ],
    } -%}
    {%- if domain is none -%}
        {{ return(families['standard_tables'] + families['performance'] + families['narrative']) }}
    {%- else -%}
        {{ return(families[domain]) }}
    {%- endif -%}
{%- endmacro %}

{#-
    The check rows of some int_recon_* models in one shape. Values are decimal(18,6):
    万元 amounts of the standard tables have 2 decimals, but 元 converted to 万元, rates
    (0.9921) and their recomputations need 6. source_table / source_line / measure say
    which printed row (and which figure of it) the left-hand side is, where it is one.
-#}
{% macro unioned_checks(families) -%}
    {%- for family in families %}
    select
        rule_id,
        evaluated_by,
        document_id,
        scope,
        cast(source_table as varchar) as source_table,
        cast(source_line as integer) as source_line,
        cast(measure as varchar) as measure,
        lhs_label,
        cast(lhs_value as decimal(18, 6)) as lhs_value,
        rhs_label,
        cast(rhs_value as decimal(18, 6)) as rhs_value,
        lhs_source_lines,
        rhs_source_lines
    from {{ ref(family) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#-
    Check rows (`checks`: a relation or a parenthesised query in the shape above) with
    their rule's family, domain, severity, unit and tolerance from the registry, the
    difference lhs − rhs and the status (pass / rounding / fail). The one place a check is
    classified: fct_reconciliation_checks and every fact that shows a check's status use it.
-#}
{% macro classified_checks(checks) -%}
    select
        *,
        {{ check_status('difference', 'tolerance') }} as status
    from (
        select
            checks.*,
            rules.rule_family,
            rules.rule_domain,
            rules.severity,
            rules.value_unit,
            rules.tolerance,
            cast(
                cast(checks.lhs_value as decimal(18, 6)) - cast(checks.rhs_value as decimal(18, 6))
                as decimal(18, 6)
            ) as difference
        from {{ checks }} as checks
        left join {{ ref('rule_registry') }} as rules
            on checks.rule_id = rules.rule_id
    )
{%- endmacro %}
