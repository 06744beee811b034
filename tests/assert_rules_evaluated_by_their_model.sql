-- Every check row comes from the model the registry names for its rule (evaluated_by):
-- each int_recon_* model tags its rows with its own name (this.name), so a rule
-- moved to another model, or evaluated in two, fails here until the registry says so.
-- (A row whose rule is not registered at all fails the relationships test on
-- int_recon_checks_unioned.rule_id; a registered rule without rows warns in
-- assert_every_registered_rule_is_evaluated.)
with evaluated as (
    select distinct
        rule_id,
        evaluated_by
    from {{ ref('int_recon_checks_unioned') }}
)

select
    evaluated.rule_id,
    evaluated.evaluated_by,
    rules.evaluated_by as registered_evaluated_by
from evaluated
inner join {{ ref('rule_registry') }} as rules
    on evaluated.rule_id = rules.rule_id
where evaluated.evaluated_by is distinct from rules.evaluated_by
