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
    pass: identical; rounding: within the check's tolerance (its rounding envelope, the
    half display units of the printed figures it compares; README "Rounding envelope");
    fail: beyond it; not_evaluable: a side is unknown (not printed, a zero denominator, an
    unresolved code or name, a printed blank in a one-sided comparison). A check that could
    not run is counted, never passed, never a fail.
-#}
{% macro check_status(difference, tolerance) -%}
    case
        when {{ difference }} is null then 'not_evaluable'
        when {{ difference }} = 0 then 'pass'
        when abs({{ difference }}) <= {{ tolerance }} then 'rounding'
        else 'fail'
    end
{%- endmacro %}

{#-
    Half a display unit of a printed amount, in its own unit, from its printed text:
    "15,244.45" -> 0.005, "377.5" -> 0.05, "12" -> 0.5. A printed blank is the table's
    exact zero (0); a figure with more than 6 decimals counts as exact. `scale` converts
    the unit (0.0001 for 元 -> 万元).
-#}
{% macro half_unit(printed, scale=1) -%}
    cast(
        case
            when {{ strip_amount_text(printed) }} = '' then 0
            when strpos({{ strip_amount_text(printed) }}, '.') = 0 then 0.5
            else 0.5 / pow(10, length(split_part({{ strip_amount_text(printed) }}, '.', 2)))
        end * {{ scale }}
        as decimal(18, 6)
    )
{%- endmacro %}

{#-
    How far a ratio a / b recomputed from two rounded amounts can be from the ratio of their
    exact values: the largest |a/b − a'/b'| over the corners a' = a ± h_a, b' = b ± h_b,
    which is (h_a + |a/b| × h_b) / (|b| − h_b). Null when |b| is within its own half unit:
    the exact denominator may then be 0 and the ratio is unbounded.
-#}
{% macro ratio_spread(numerator, numerator_half, denominator, denominator_half) -%}
    {#- arguments may be expressions (amount_half + change_half): each is parenthesised -#}
    case
        when abs({{ denominator }}) > ({{ denominator_half }})
            then
                (
                    ({{ numerator_half }})
                    + abs(cast(({{ numerator }}) as double) / cast(({{ denominator }}) as double))
                    * ({{ denominator_half }})
                )
                / (abs(cast(({{ denominator }}) as double)) - ({{ denominator_half }}))
    end
{%- endmacro %}

{#-
    The rounding envelope of a printed rate or share against the ratio recomputed from the
    amounts it was computed from (README "Rounding envelope"): half a unit of the rate's
    printed precision (`decimals` of the ratio: 86.9% -> 3, 67.67% -> 4), plus `extra_units`
    whole units of it (a share of a list adjusted so that the list adds up to 100 %, 尾差
    调整), plus the ratio's spread over its inputs' half units, rounded up to the 6 decimals
    the recomputed ratio is kept at (so its own last-place rounding is inside the bound).
-#}
{% macro rate_envelope(numerator, numerator_half, denominator, denominator_half, decimals, extra_units=0) -%}
    cast(
        cast((0.5 + ({{ extra_units }})) / pow(10, ({{ decimals }})) as decimal(18, 6))
        + ceil({{ ratio_spread(numerator, numerator_half, denominator, denominator_half) }} * 1000000) / 1000000
        as decimal(18, 6)
    )
{%- endmacro %}

{#-
    What a printed rate or share is compared with (the other side of a rate_envelope check).
    A document prints a / b rounded half-up at the rate's own precision (`decimals` of the
    ratio, as in rate_envelope): a rate that is exactly that rounding is printed as its
    figures give it, so it must pass (difference 0) rather than show its last-place rounding
    as `rounding`, which then flags only a rate that is not its figures' rounding (a 尾数
    slip) yet lies inside the envelope. Any other rate is measured against the exact ratio
    (6 decimals, the envelope's precision), so its difference is the true distance from what
    the figures give. exact_ratio rounds half away from zero, the printed convention.
-#}
{% macro rate_as_compared(numerator, denominator, printed_ratio, decimals) -%}
    case
        when
            ({{ decimals }}) <= 6
            and {{ exact_ratio(numerator, denominator, decimals) }} = ({{ printed_ratio }})
            then {{ exact_ratio(numerator, denominator, decimals) }}
        else {{ exact_ratio(numerator, denominator, 6) }}
    end
{%- endmacro %}

{#- The rounding envelope of several printed amounts: the sum of their half display units. -#}
{% macro half_units(printed_columns, scale=1) -%}
    (
        {%- for column in printed_columns %}
        {{ half_unit(column, scale) }}{{ ' +' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{#-
    The families whose check rows carry `envelope` (the rounding bound computed from the
    printed precision of every figure compared) and `not_evaluable_reason`; the other
    families' rows take their rule's fixed tolerance and the generic reason.
-#}
{% macro envelope_families() -%}
    {{ return([
        'int_recon_table_inventory',
        'int_recon_hierarchy', 'int_recon_row_totals', 'int_recon_summary_balances',
        'int_recon_economic_totals', 'int_recon_three_public', 'int_recon_cross_table',
        'int_recon_narrative_peer', 'int_recon_narrative_tables', 'int_recon_narrative_internal',
        'int_recon_narrative_performance',
        'int_recon_narrative_funds_names',
        'int_recon_narrative_statements',
        'int_recon_basic_split',
    ]) }}
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
            'int_recon_table_inventory',
            'int_recon_basic_split',
        ],
        'performance': [
            'int_recon_perf_budget', 'int_recon_perf_scores', 'int_recon_perf_indicators',
            'int_recon_perf_summaries', 'int_recon_budget_lines', 'int_recon_evaluation_reports',
        ],
        'narrative': [
            'int_recon_narrative_tables', 'int_recon_narrative_internal', 'int_recon_narrative_performance',
            'int_recon_narrative_peer',
            'int_recon_narrative_funds_names',
            'int_recon_narrative_statements',
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
        rhs_source_lines,
        {%- if family in envelope_families() %}
        cast(envelope as decimal(18, 6)) as envelope,
        cast(not_evaluable_reason as varchar) as not_evaluable_reason
        {%- else %}
        cast(null as decimal(18, 6)) as envelope,
        cast(null as varchar) as not_evaluable_reason
        {%- endif %}
    from {{ ref(family) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#-
    Check rows (`checks`: a relation or a parenthesised query in the shape above) with
    their rule's family, domain, severity and unit from the registry, the tolerance (the
    row's rounding envelope for a rule whose tolerance_policy is envelope, else the
    registry's fixed tolerance, which is also the fallback of an envelope rule's row that
    computed none), the difference lhs − rhs, the status (pass / rounding / fail /
    not_evaluable) and, for not_evaluable, its reason (side_not_printed unless the rule says
    otherwise). The one place a check is classified: fct_reconciliation_checks and every
    fact that shows a check's status use it.
-#}
{% macro classified_checks(checks) -%}
    select
        * exclude (stated_reason),
        {{ check_status('difference', 'tolerance') }} as status,
        case when difference is null then coalesce(stated_reason, 'side_not_printed') end as not_evaluable_reason
    from (
        select
            checks.* exclude (envelope, not_evaluable_reason),
            rules.rule_family,
            rules.rule_domain,
            rules.severity,
            rules.value_unit,
            cast(
                case
                    when rules.tolerance_policy = 'envelope' then coalesce(checks.envelope, rules.tolerance)
                    else rules.tolerance
                end as decimal(18, 6)
            ) as tolerance,
            checks.not_evaluable_reason as stated_reason,
            cast(
                cast(checks.lhs_value as decimal(18, 6)) - cast(checks.rhs_value as decimal(18, 6))
                as decimal(18, 6)
            ) as difference
        from {{ checks }} as checks
        left join {{ ref('rule_registry') }} as rules
            on checks.rule_id = rules.rule_id
    )
{%- endmacro %}
