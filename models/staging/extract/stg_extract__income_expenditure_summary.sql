-- 公开01 / 公开04 (known by table_kind): one row per side per 行次 (or printed position).
-- The split columns exist only on the 公开04 expenditure side, so they are null elsewhere
-- rather than a misleading 0.
with source as (
    select * from {{ raw_table('raw_income_expenditure_summary') }}
),

renamed as (
    select
        {{ standard_table_provenance() }},
        side,
        try_cast(line_no as integer) as line_no,
        {{ normalise_name('item_name') }} as item_name,
        item_name as item_name_printed,
        {{ parse_amount('amount', 'missing_cells', 'amount') }} as amount_wan,
        amount as amount_printed,
        case
            when {{ table_kind_of() }} = 'appropriation_summary' and side = 'expenditure'
                then {{ parse_amount('general_budget', 'missing_cells', 'general_budget') }}
        end as general_budget_wan,
        general_budget as general_budget_printed,
        case
            when {{ table_kind_of() }} = 'appropriation_summary' and side = 'expenditure'
                then {{ parse_amount('gov_fund', 'missing_cells', 'gov_fund') }}
        end as gov_fund_wan,
        gov_fund as gov_fund_printed,
        case
            when {{ table_kind_of() }} = 'appropriation_summary' and side = 'expenditure'
                then {{ parse_amount('state_capital', 'missing_cells', 'state_capital') }}
        end as state_capital_wan,
        state_capital as state_capital_printed,
        missing_cells
    from source
)

select * from renamed
