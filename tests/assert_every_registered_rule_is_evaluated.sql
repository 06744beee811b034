-- A rule in the registry that no model evaluates is dead configuration (or a renamed id).
{{ config(severity='warn') }}

select rules.rule_id
from {{ ref('rule_registry') }} as rules
where
    exists (select 1 from {{ ref('fct_reconciliation_checks') }})
    and rules.rule_id not in (select checks.rule_id from {{ ref('fct_reconciliation_checks') }} as checks)
