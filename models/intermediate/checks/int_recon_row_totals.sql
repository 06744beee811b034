-- Row rules: a printed row total equals the sum of the columns it is made of, within the
-- half display units of the printed cells (envelope).
with income as (
    select * from {{ ref('stg_extract__income_by_function') }}
),

expenditure as (
    select * from {{ ref('stg_extract__expenditure_by_function') }}
),

gov_fund as (
    select * from {{ ref('stg_extract__government_fund_by_function') }}
),

summary as (
    select * from {{ ref('stg_extract__income_expenditure_summary') }}
),

income_sources as (
    select
        'row_income_sources' as rule_id,
        document_id,
        source_table || ':' || coalesce(subject_code, '合计') as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        'total' as measure,
        source_table || ' ' || coalesce(subject_code || ' ', '') || subject_name || ' 本年收入合计' as lhs_label,
        total_wan as lhs_value,
        source_table || ' 财政拨款 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他收入' as rhs_label,
        fiscal_appropriation_wan + superior_subsidy_wan + business_income_wan
        + operating_income_wan + affiliate_remittance_wan + other_income_wan as rhs_value,
        {{ source_ref('source_line', 'source_page') }} as lhs_source_lines,
        {{ source_ref('source_line', 'source_page') }} as rhs_source_lines,
        {{ half_units([
            'total_printed', 'fiscal_appropriation_printed', 'superior_subsidy_printed', 'business_income_printed',
            'operating_income_printed', 'affiliate_remittance_printed', 'other_income_printed',
        ]) }} as envelope,
        cast(null as varchar) as not_evaluable_reason
    from income
),

expenditure_components as (
    select
        'row_expenditure_components' as rule_id,
        document_id,
        source_table || ':' || coalesce(subject_code, '合计') as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        'total' as measure,
        source_table || ' ' || coalesce(subject_code || ' ', '') || subject_name
        || case when source_table = '公开03' then ' 本年支出合计' else ' 小计' end as lhs_label,
        total_wan as lhs_value,
        source_table || case
            when source_table = '公开03'
                then ' 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出'
            else ' 基本支出 + 项目支出'
        end as rhs_label,
        basic_wan + project_wan
        + case
            when source_table = '公开03'
                then remit_to_superior_wan + operating_wan + subsidy_to_affiliates_wan
            else 0
        end as rhs_value,
        {{ source_ref('source_line', 'source_page') }} as lhs_source_lines,
        {{ source_ref('source_line', 'source_page') }} as rhs_source_lines,
        {{ half_units(['total_printed', 'basic_printed', 'project_printed']) }}
        + case
            when source_table = '公开03'
                then {{ half_units([
                    'remit_to_superior_printed', 'operating_printed', 'subsidy_to_affiliates_printed',
                ]) }}
            else 0
        end as envelope,
        cast(null as varchar) as not_evaluable_reason
    from expenditure
),

gov_fund_expenditure as (
    select
        'row_gov_fund_expenditure' as rule_id,
        document_id,
        source_table || ':' || coalesce(subject_code, '合计') as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        'expenditure_total' as measure,
        source_table || ' ' || coalesce(subject_code || ' ', '') || subject_name || ' 本年支出小计' as lhs_label,
        expenditure_total_wan as lhs_value,
        source_table || ' 基本支出 + 项目支出' as rhs_label,
        expenditure_basic_wan + expenditure_project_wan as rhs_value,
        {{ source_ref('source_line', 'source_page') }} as lhs_source_lines,
        {{ source_ref('source_line', 'source_page') }} as rhs_source_lines,
        {{ half_units([
            'expenditure_total_printed', 'expenditure_basic_printed', 'expenditure_project_printed',
        ]) }} as envelope,
        cast(null as varchar) as not_evaluable_reason
    from gov_fund
),

-- empty 行次 slots (no item printed) carry nothing to check
summary_fund_split as (
    select
        'row_summary_fund_split' as rule_id,
        document_id,
        source_table || ':expenditure:' || line_no as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        'amount' as measure,
        source_table || ' ' || item_name || ' 合计' as lhs_label,
        amount_wan as lhs_value,
        source_table || ' 一般公共预算 + 政府性基金 + 国有资本经营预算财政拨款' as rhs_label,
        general_budget_wan + gov_fund_wan + state_capital_wan as rhs_value,
        {{ source_ref('source_line', 'source_page') }} as lhs_source_lines,
        {{ source_ref('source_line', 'source_page') }} as rhs_source_lines,
        {{ half_units([
            'amount_printed', 'general_budget_printed', 'gov_fund_printed', 'state_capital_printed',
        ]) }} as envelope,
        cast(null as varchar) as not_evaluable_reason
    from summary
    where
        source_table = '公开04'
        and side = 'expenditure'
        and item_name is not null
)

select * from income_sources
union all
select * from expenditure_components
union all
select * from gov_fund_expenditure
union all
select * from summary_fund_split
