-- One row per rule x document x scope, classified against the registry's tolerance
-- (macro classified_checks).
with compared as (
    {{ classified_checks(ref('int_recon_checks_unioned')) }}
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
    status,
    not_evaluable_reason,
    lhs_source_lines,
    rhs_source_lines
from compared
