-- 公开06 cells. The two printed totals (人员经费合计 / 公用经费合计) have no code; their
-- category comes from the label, the codes' category from the class prefix.
with source as (
    select * from {{ raw_table('raw_basic_expenditure_by_economic') }}
),

renamed as (
    select
        {{ standard_table_provenance() }},
        {{ normalise_code('economic_code') }} as economic_code,
        {{ normalise_name('economic_name') }} as economic_name,
        economic_name as economic_name_printed,
        {{ parse_amount('amount', 'missing_cells', 'amount') }} as amount_wan,
        amount as amount_printed,
        missing_cells
    from source
),

final as (
    select
        *,
        {{ economic_level('economic_code') }} as economic_level,
        {{ economic_parent_code('economic_code') }} as parent_code,
        economic_code is null as is_total_row,
        case
            when economic_code is not null then {{ economic_expense_category('economic_code') }}
            when economic_name = '人员经费合计' then 'personnel'
            when economic_name = '公用经费合计' then 'public'
        end as expense_category
    from renamed
)

select * from final
