-- Every reconciliation check of every load, compared with the same check in the load
-- before. A check is matched across loads by what it checks (rule, department, year,
-- document kind, scope), not by document_id: a document whose content changed gets a
-- new document_id, and its checks must still line up with their previous results.
with checks as (
    select
        *,
        {{ surrogate_key(['rule_id', 'department_name', 'fiscal_year', 'document_kind', 'scope']) }} as check_key
    from {{ ref('stg_history__check_results') }}
),

loads as (
    select * from {{ ref('int_loads_sequenced') }}
),

-- one result per check_key and load (two documents of one department, year and kind
-- would share keys: the first check_id stands for them)
keyed as (
    select
        load_id,
        check_key,
        status,
        difference
    from checks
    qualify row_number() over (partition by load_id, check_key order by check_id) = 1
)

select
    {{ surrogate_key(['checks.load_id', 'checks.check_id']) }} as check_result_id,
    checks.load_id,
    loads.load_seq,
    loads.started_at as load_started_at,
    checks.check_key,
    checks.check_id,
    checks.rule_id,
    checks.rule_family,
    checks.rule_domain,
    checks.severity,
    checks.document_id,
    checks.document_kind,
    checks.department_name,
    checks.fiscal_year,
    checks.scope,
    checks.lhs_label,
    checks.lhs_value,
    checks.rhs_label,
    checks.rhs_value,
    checks.value_unit,
    checks.difference,
    checks.tolerance,
    checks.status,
    loads.previous_load_id,
    previous.status as previous_status,
    previous.difference as previous_difference,
    case
        when previous.status is null then 'new'
        when previous.status = checks.status then 'unchanged'
        else 'changed'
    end as status_change,
    coalesce(previous.status <> checks.status, false) as status_changed,
    checks.lhs_source_lines,
    checks.rhs_source_lines
from checks
inner join loads
    on checks.load_id = loads.load_id
left join keyed as previous
    on
        loads.previous_load_id = previous.load_id
        and checks.check_key = previous.check_key
