-- 公开03 / 公开05 / 公开08. The last three columns exist in 公开03 only: null elsewhere.
with source as (
    select * from {{ raw_table('raw_expenditure_by_function') }}
),

renamed as (
    select
        document_id,
        source_table,
        cast(source_line as integer) as source_line,
        {{ normalise_code('subject_code') }} as subject_code,
        {{ normalise_name('subject_name') }} as subject_name,
        subject_name as subject_name_printed,
        {%- for col in ['total', 'basic', 'project'] %}
        {{ parse_amount(col, 'missing_cells', col) }} as {{ col }}_wan,
        {{ col }} as {{ col }}_printed,
        {%- endfor %}
        {%- for col in ['remit_to_superior', 'operating', 'subsidy_to_affiliates'] %}
        case
            when source_table = '公开03' then {{ parse_amount(col, 'missing_cells', col) }}
        end as {{ col }}_wan,
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
