-- 公开07 (often a single empty 合计 row).
with source as (
    select * from {{ raw_table('raw_government_fund_by_function') }}
),

renamed as (
    select
        {{ function_row_keys() }},
        {{ printed_amounts([
            'carryover_begin', 'income', 'expenditure_total', 'expenditure_basic',
            'expenditure_project', 'carryover_end',
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
