-- A final-accounts document on which a whole standard-table rule family produced no
-- check was most likely not extracted (missing tables), and must not look clean by
-- default. (Performance attachments are optional, so their families are not required.)
{{ config(severity='warn') }}

with documents as (
    select document_id
    from {{ ref('dim_document') }}
    where document_kind = 'final_accounts'
),

families as (
    select distinct rule_family
    from {{ ref('rule_registry') }}
    where rule_domain = 'standard_tables'
),

checked as (
    select distinct
        document_id,
        rule_family
    from {{ ref('fct_reconciliation_checks') }}
)

select
    documents.document_id,
    families.rule_family
from documents
cross join families
left join checked
    on
        documents.document_id = checked.document_id
        and families.rule_family = checked.rule_family
where checked.document_id is null
