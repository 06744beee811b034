-- 公开07 (often a single empty 合计 row).
with source as (
    select * from {{ raw_table('raw_government_fund_by_function') }}
),

renamed as (
    select
        document_id,
        source_table,
        cast(source_line as integer) as source_line,
        {{ normalise_code('subject_code') }} as subject_code,
        {{ normalise_name('subject_name') }} as subject_name,
        subject_name as subject_name_printed,
        {%- for col in ['carryover_begin', 'income', 'expenditure_total', 'expenditure_basic',
                        'expenditure_project', 'carryover_end'] %}
        {{ parse_amount(col, 'missing_cells', col) }} as {{ col }}_wan,
        {{ col }} as {{ col }}_printed,
        {%- endfor %}
        missing_cells
    from source
),

final as (
    select
        *,
        {{ function_subject_level('subject_code') }} as subject_level,
        {{ function_parent_code('subject_code') }} as parent_code,
        subject_code is null and subject_name = '合计' as is_total_row
    from renamed
)

select * from final
