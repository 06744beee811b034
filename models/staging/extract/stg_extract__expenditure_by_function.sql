-- 公开03 / 公开05 / 公开08. The last three columns exist in 公开03 only: null elsewhere.
with source as (
    select * from {{ raw_table('raw_expenditure_by_function') }}
),

renamed as (
    select
        {{ function_row_keys() }},
        {{ printed_amounts(['total', 'basic', 'project']) }},
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
        {{ function_row_attributes() }}
    from renamed
)

select * from final
