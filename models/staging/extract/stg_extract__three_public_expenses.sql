-- 公开09: 12 cells per document. The raw table has no missing_cells column, so a
-- blank cell is always a printed zero here.
with source as (
    select * from {{ raw_table('raw_three_public_expenses') }}
),

renamed as (
    select
        document_id,
        source_table,
        cast(source_line as integer) as source_line,
        try_cast(column_no as integer) as column_no,
        phase,
        expense_item,
        {{ parse_amount('amount') }} as amount_wan,
        amount as amount_printed
    from source
)

select * from renamed
