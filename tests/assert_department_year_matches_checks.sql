-- fct_department_year's counts restate the standard-table checks of
-- fct_reconciliation_checks exactly (performance checks are not part of them).
select
    years.document_id,
    years.checks_total,
    count(checks.check_id) as checks_counted
from {{ ref('fct_department_year') }} as years
left join {{ ref('fct_reconciliation_checks') }} as checks
    on
        years.document_id = checks.document_id
        and checks.rule_domain = 'standard_tables'
group by years.document_id, years.checks_total
having years.checks_total <> count(checks.check_id)
