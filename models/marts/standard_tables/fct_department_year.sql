-- Headline figures of one final-accounts document: totals from 公开01, the basic /
-- project split from the 公开03 合计 row, personnel / public from the 公开06 printed
-- totals, 三公 from 公开09, and how the checks of its standard tables came out (read from
-- the standard-table rule families and classified as in fct_reconciliation_checks, so the
-- year does not wait for the performance and narrative rules).
with documents as (
    select * from {{ ref('dim_document') }}
    where document_kind = 'final_accounts'
),

summary as (
    select
        document_id,
        max(value_wan) filter (where side = 'income' and line_role = 'current_total') as income_total_wan,
        max(value_wan) filter (where side = 'expenditure' and line_role = 'current_total') as expenditure_total_wan,
        max(value_wan) filter (where side = 'income' and line_role = 'grand_total') as grand_total_wan
    from {{ ref('int_summary_lines_classified') }}
    where source_table = '公开01' and value_column = 'amount'
    group by document_id
),

expenditure as (
    select
        document_id,
        basic_wan,
        project_wan
    from {{ ref('fct_expenditure_by_function') }}
    where source_table = '公开03' and is_total_row
),

economic as (
    select
        document_id,
        max(amount_wan) filter (where expense_category = 'personnel') as personnel_wan,
        max(amount_wan) filter (where expense_category = 'public') as public_wan
    from {{ ref('fct_basic_expenditure_totals') }}
    group by document_id
),

three_public as (
    select
        document_id,
        budget_wan,
        actual_wan,
        execution_rate
    from {{ ref('fct_three_public_expenses') }}
    where expense_item = 'total'
),

standard_checks as (
    {{ classified_checks('(' ~ unioned_checks(recon_families('standard_tables')) ~ ')') }}
),

checks as (
    select
        document_id,
        count(*) as checks_total,
        count(*) filter (where status = 'pass') as checks_pass,
        count(*) filter (where status = 'rounding') as checks_rounding,
        count(*) filter (where status = 'fail') as checks_fail,
        count(*) filter (where status = 'not_evaluable') as checks_not_evaluable
    from standard_checks
    -- the standard tables' checks only: the performance attachments are counted in
    -- fct_reconciliation_checks (rule_domain = 'performance'), not in these headline counts
    where rule_domain = 'standard_tables'
    group by document_id
)

select
    documents.document_id,
    documents.department_name,
    documents.fiscal_year,
    summary.income_total_wan,
    summary.expenditure_total_wan,
    summary.grand_total_wan,
    expenditure.basic_wan,
    expenditure.project_wan,
    cast(expenditure.basic_wan / nullif(summary.expenditure_total_wan, 0) as decimal(18, 6)) as basic_share,
    cast(expenditure.project_wan / nullif(summary.expenditure_total_wan, 0) as decimal(18, 6)) as project_share,
    economic.personnel_wan,
    economic.public_wan,
    three_public.budget_wan as three_public_budget_wan,
    three_public.actual_wan as three_public_actual_wan,
    three_public.execution_rate as three_public_execution_rate,
    coalesce(checks.checks_total, 0) as checks_total,
    coalesce(checks.checks_pass, 0) as checks_pass,
    coalesce(checks.checks_rounding, 0) as checks_rounding,
    coalesce(checks.checks_fail, 0) as checks_fail,
    coalesce(checks.checks_not_evaluable, 0) as checks_not_evaluable
from documents
left join summary on documents.document_id = summary.document_id
left join expenditure on documents.document_id = expenditure.document_id
left join economic on documents.document_id = economic.document_id
left join three_public on documents.document_id = three_public.document_id
left join checks on documents.document_id = checks.document_id
