-- fct_department_year's counts restate fct_reconciliation_checks exactly.
select
    years.document_id,
    years.checks_total,
    count(checks.check_id) as checks_counted
from {{ ref('fct_department_year') }} as years
left join {{ ref('fct_reconciliation_checks') }} as checks
    on years.document_id = checks.document_id
group by years.document_id, years.checks_total
having years.checks_total <> count(checks.check_id)
