-- 公开09: 12 cells per document. A blank cell is a printed zero; a cell listed in
-- missing_cells (page text whose empty cells are dropped, the cell not known) is null.
with source as (
    select * from {{ raw_table('raw_three_public_expenses') }}
),

renamed as (
    select
        {{ standard_table_provenance() }},
        try_cast(column_no as integer) as column_no,
        phase,
        expense_item,
        {{ parse_amount('amount', 'missing_cells', 'amount') }} as amount_wan,
        amount as amount_printed
    from source
)

select * from renamed
