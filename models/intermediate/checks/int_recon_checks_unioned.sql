-- All rule families in one shape: the input of fct_reconciliation_checks (the columns and
-- their types: macro unioned_checks; the families: macro recon_families). evaluated_by is
-- the model that evaluated each row's rule, which the registry names for every rule.
{{ unioned_checks(recon_families()) }}
