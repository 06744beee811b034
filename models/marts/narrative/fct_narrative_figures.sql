-- Every number printed in the narrative (第三部分 情况说明), one row per figure, with its
-- key parsed and its value read in the rules' units; beside a figure that restates a table
-- cell (or ratio of cells), that cell and the status of the comparison (rule family
-- narrative). Its checks against other narrative figures and the attachments are rows of
-- fct_reconciliation_checks (families narrative_internal, narrative_performance).
with figures as (
    select * from {{ ref('stg_extract__narrative_figures') }}
),

comparisons as (
    select
        *,
        {{ surrogate_key(['rule_id', 'document_id', 'scope']) }} as check_id
    from {{ ref('int_narrative_table_comparisons') }}
    where is_primary
),

checks as (
    select
        check_id,
        status
    from {{ ref('fct_reconciliation_checks') }}
    where rule_family = 'narrative'
),

-- a PDF's table rows keep their page (p12:r5), text input shows its lines (macro document_line_refs)
documents as (
    select
        document_id,
        coalesce(table_layout = 'pdf', false) as is_pdf
    from {{ ref('dim_document') }}
)

select
    figures.document_id,
    figures.figure_seq,
    figures.source_line,
    figures.section,
    figures.metric_key,
    figures.metric_family,
    figures.metric_subject,
    figures.metric_measure,
    figures.subject_code,
    figures.project_no,
    figures.value,
    figures.value_decimals,
    figures.unit,
    figures.value_wan,
    figures.value_ratio,
    figures.value_text,
    figures.sentence,
    figures.subject_printed,
    comparisons.rule_id as table_rule_id,
    comparisons.table_label,
    comparisons.table_value,
    {{ document_line_refs('comparisons.table_source_lines', 'coalesce(documents.is_pdf, false)') }}
        as table_source_lines,
    checks.status as table_status
from figures
left join comparisons
    on figures.document_id = comparisons.document_id and figures.figure_seq = comparisons.figure_seq
left join checks
    on comparisons.check_id = checks.check_id
left join documents
    on figures.document_id = documents.document_id
