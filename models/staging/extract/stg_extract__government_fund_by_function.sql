-- 公开07 (often a single empty 合计 row), known by table_kind. A 国有资本经营 table printed
-- with the same columns (Shanghai template) is kept here too (source_table 公开08, its
-- carry-over and income columns nowhere else); its expenditure columns are also the
-- 公开08 row of stg_extract__expenditure_by_function.
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
