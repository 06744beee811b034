-- 公开02. The 合计 row has no code; it is flagged rather than given a fake code.
with source as (
    select * from {{ raw_table('raw_income_by_function') }}
),

renamed as (
    select
        {{ function_row_keys() }},
        {{ printed_amounts([
            'total', 'fiscal_appropriation', 'superior_subsidy', 'business_income',
            'operating_income', 'affiliate_remittance', 'other_income',
        ]) }},
        missing_cells
    from source
),

final as (
    select
        *,
        {{ function_row_attributes() }}
    from renamed
)

select * from final
