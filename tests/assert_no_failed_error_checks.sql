-- Error-severity identities that fail on some document. Published documents do contain
-- real inconsistencies, so this warns (the rows are in fct_reconciliation_checks and
-- the GX suites) instead of blocking the load.
{{ config(severity='warn') }}

select
    check_id,
    rule_id,
    document_id,
    scope,
    lhs_value,
    rhs_value,
    difference
from {{ ref('fct_reconciliation_checks') }}
where severity = 'error' and status = 'fail'
