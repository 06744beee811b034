-- One row per rule x document x scope, classified against the registry's tolerance.
with checks as (
    select * from {{ ref('int_recon_checks_unioned') }}
),

rules as (
    select * from {{ ref('rule_registry') }}
),

compared as (
    select
        checks.*,
        rules.rule_family,
        rules.rule_domain,
        rules.severity,
        rules.value_unit,
        rules.tolerance,
        cast(checks.lhs_value - checks.rhs_value as decimal(18, 6)) as difference
    from checks
    left join rules
        on checks.rule_id = rules.rule_id
)

select
    {{ surrogate_key(['rule_id', 'document_id', 'scope']) }} as check_id,
    rule_id,
    rule_family,
    rule_domain,
    severity,
    document_id,
    scope,
    lhs_label,
    lhs_value,
    rhs_label,
    rhs_value,
    value_unit,
    difference,
    tolerance,
    {{ check_status('difference', 'tolerance') }} as status,
    lhs_source_lines,
    rhs_source_lines
from compared
