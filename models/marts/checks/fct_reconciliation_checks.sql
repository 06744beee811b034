-- One row per rule x document x scope, classified against the registry's tolerance
-- (macro classified_checks).
with compared as (
    {{ classified_checks(ref('int_recon_checks_unioned')) }}
),

-- a row of a PDF table is found by its page and its row on the page (p12:r5); text input
-- by its line, as ever (macro document_line_refs)
documents as (
    select
        document_id,
        coalesce(table_layout = 'pdf', false) as is_pdf
    from {{ ref('dim_document') }}
)

select
    {{ surrogate_key(['compared.rule_id', 'compared.document_id', 'compared.scope']) }} as check_id,
    compared.rule_id,
    compared.rule_family,
    compared.rule_domain,
    compared.severity,
    compared.document_id,
    compared.scope,
    compared.lhs_label,
    compared.lhs_value,
    compared.rhs_label,
    compared.rhs_value,
    compared.value_unit,
    compared.difference,
    compared.tolerance,
    compared.status,
    compared.not_evaluable_reason,
    {{ document_line_refs('compared.lhs_source_lines', 'coalesce(documents.is_pdf, false)') }} as lhs_source_lines,
    {{ document_line_refs('compared.rhs_source_lines', 'coalesce(documents.is_pdf, false)') }} as rhs_source_lines
from compared
left join documents
    on compared.document_id = documents.document_id
