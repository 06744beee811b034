-- 公开03 / 公开05 / 公开08, known by table_kind (source_table is the national code derived
-- from it; table_label the label as printed). The last three columns exist in the 支出决算表
-- only: null elsewhere. A 国有资本经营 table printed with carry-over and income columns
-- (Shanghai template) is a raw_government_fund_by_function row: its expenditure columns
-- are read here as the 公开08 row, so every rule reading 公开08 sees it. 基本支出's 人员经费 /
-- 公用经费 split exists where the table prints it (some 公开03 / 公开05 templates): null in a
-- table that prints neither column, a blank cell 0 in one that does.
with source as (
    select * from {{ raw_table('raw_expenditure_by_function') }}
),

state_capital_as_fund as (
    select * from {{ raw_table('raw_government_fund_by_function') }}
    where {{ table_kind_of() }} = 'state_capital'
),

renamed as (
    select
        {{ function_row_keys() }},
        {{ printed_amounts(['total', 'basic', 'project']) }},
        {%- for col in ['remit_to_superior', 'operating', 'subsidy_to_affiliates'] %}
        case
            when {{ table_kind_of() }} = 'expenditure_by_function'
                then {{ parse_amount(col, 'missing_cells', col) }}
        end as {{ col }}_wan,
        {{ col }} as {{ col }}_printed,
        {%- endfor %}
        {%- for col in ['basic_personnel', 'basic_public'] %}
        case
            when
                bool_or(coalesce(basic_personnel, '') != '' or coalesce(basic_public, '') != '')
                    over (partition by document_id, source_table)
                then {{ parse_amount(col, 'missing_cells', col) }}
        end as {{ col }}_wan,
        {{ col }} as {{ col }}_printed,
        {%- endfor %}
        missing_cells
    from source
    union all
    select
        {{ function_row_keys() }},
        {%- for col, fund_col in [('total', 'expenditure_total'), ('basic', 'expenditure_basic'),
                                  ('project', 'expenditure_project')] %}
        {{ parse_amount(fund_col, 'missing_cells', fund_col) }} as {{ col }}_wan,
        {{ fund_col }} as {{ col }}_printed,
        {%- endfor %}
        {%- for col in ['remit_to_superior', 'operating', 'subsidy_to_affiliates', 'basic_personnel', 'basic_public'] %}
        cast(null as decimal(18, 2)) as {{ col }}_wan,
        cast(null as varchar) as {{ col }}_printed,
        {%- endfor %}
        missing_cells
    from state_capital_as_fund
),

final as (
    select
        *,
        {{ function_row_attributes() }}
    from renamed
)

select * from final
